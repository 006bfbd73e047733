#!/usr/bin/env bash
# deb_test.sh BUILD_DIR: builds the .deb packages with cpack into a temporary directory and checks each with
# dpkg-deb: its programs, man pages and (for sim7600-emu) completions and scenarios are in it under /usr, and its
# Depends names Debian's packages of the libraries the programs link. Exits 1 with the first difference.
set -o pipefail
build=$1

fail() {
  echo "packages: $*" >&2
  exit 1
}

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cpack --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 ||
  fail "cpack failed: $(cat "$out/cpack.log")"

# check_package NAME DEPENDS... -- FILE...: the package's Depends names each DEPENDS, and it holds each FILE.
check_package() {
  local name=$1 deb info contents
  shift
  deb=$(ls "$out"/"${name}"_*.deb 2>/dev/null)
  [[ -n $deb && $(wc -l <<<"$deb") -eq 1 ]] || fail "no single ${name}_*.deb in [$(ls "$out" | xargs)]"
  info=$(dpkg-deb -I "$deb") || fail "dpkg-deb -I $deb failed"
  grep -qE "^ Package: $name$" <<<"$info" || fail "$deb is not package $name: $info"
  local depends
  depends=$(sed -n 's/^ Depends: //p' <<<"$info")
  while [[ $1 != -- ]]; do
    tr ',' '\n' <<<"$depends" | awk '{print $1}' | grep -qxF -- "$1" ||
      fail "$name's Depends [$depends] does not name $1"
    shift
  done
  shift
  contents=$(dpkg-deb -c "$deb") || fail "dpkg-deb -c $deb failed"
  for file in "$@"; do
    grep -qE " \\./${file#/}$" <<<"$contents" || fail "$name does not hold $file"
  done
}

check_package sim7600-emu libc6 libstdc++6 libssl3 libsqlite3-0 -- \
  /usr/bin/sim7600-emu /usr/bin/sim7600-ctl /usr/bin/sim7600-scenario /usr/bin/sim7600-fleet /usr/bin/ads-admin \
  /usr/share/man/man1/sim7600-emu.1.gz /usr/share/man/man1/sim7600-ctl.1.gz \
  /usr/share/man/man1/sim7600-scenario.1.gz /usr/share/man/man1/sim7600-fleet.1.gz /usr/share/man/man1/ads-admin.1.gz \
  /usr/share/bash-completion/completions/sim7600-fleet \
  /usr/share/bash-completion/completions/sim7600-ctl /usr/share/bash-completion/completions/ads-admin \
  /usr/share/bash-completion/completions/sim7600-scenario /usr/share/sim7600-emu/scenarios/note_3_09_version.yaml
check_package ads-sim libc6 libstdc++6 libssl3 libsqlite3-0 libpq5 -- /usr/bin/ads-sim /usr/share/man/man1/ads-sim.1.gz \
  /usr/share/bash-completion/completions/ads-sim
# Each program in one package only: ads-sim's package holds no emulator, and the emulator's no ads-sim.
dpkg-deb -c "$out"/ads-sim_*.deb | grep -q 'usr/bin/sim7600' && fail "ads-sim's package holds an emulator program"
dpkg-deb -c "$out"/sim7600-emu_*.deb | grep -q 'usr/bin/ads-sim$' && fail "sim7600-emu's package holds ads-sim"
echo "packages: ok ($(cd "$out" && ls ./*.deb | xargs))"
