#!/usr/bin/env bash
# install_test.sh BUILD_DIR SOURCE_DIR VERSION: `cmake --install` into a fresh temporary prefix, then checks the
# layout (bin/, share/man/man1/, share/bash-completion/completions/, share/sim7600-emu/) and runs the installed
# programs from there: every --version, `man -l` on every page, and a short scenario run by the installed
# sim7600-scenario (which starts the sim7600-emu beside it, in PREFIX/bin). Exits 1 with the first difference.
set -o pipefail
build=$1 source=$2 version=$3

fail() {
  echo "install: $*" >&2
  exit 1
}

prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >"$prefix.log" 2>&1 || fail "cmake --install failed: $(cat "$prefix.log")"
rm -f "$prefix.log"

# bin/: the five programs and nothing else (no test, benchmark or build tool).
programs="ads-admin ads-sim sim7600-ctl sim7600-emu sim7600-fleet sim7600-scenario"
[[ $(ls "$prefix/bin" | sort | xargs) == "$programs" ]] ||
  fail "bin/ holds [$(ls "$prefix/bin" | xargs)], not [$programs]"
for program in $programs; do
  said=$("$prefix/bin/$program" --version) || fail "$program --version exited $?"
  [[ $said == "$program $version" ]] || fail "$program --version says '$said', not '$program $version'"
  page=$prefix/share/man/man1/$program.1.gz
  [[ -f $page ]] || fail "no man page share/man/man1/$program.1.gz"
  LC_ALL=C MANWIDTH=80 man -l "$page" | grep -qE "^ +$program +- +[a-z]" || fail "man -l $page shows no NAME line"
done
[[ $(ls "$prefix/share/man/man1" | wc -l) -eq 6 ]] ||
  fail "share/man/man1 holds [$(ls "$prefix/share/man/man1" | xargs)]"

completions="ads-admin ads-sim sim7600-ctl sim7600-fleet sim7600-scenario"  # no completion for a program that is not shipped
[[ $(ls "$prefix/share/bash-completion/completions" | sort | xargs) == "$completions" ]] ||
  fail "share/bash-completion/completions holds [$(ls "$prefix/share/bash-completion/completions" | xargs)]"
for program in $completions; do
  bash -c 'source "$1" && complete -p "$2" >/dev/null' _ "$prefix/share/bash-completion/completions/$program" \
    "$program" || fail "the completion for $program does not register itself"
done

for scenario in "$source"/scenarios/*.yaml; do
  cmp -s "$scenario" "$prefix/share/sim7600-emu/scenarios/${scenario##*/}" ||
    fail "share/sim7600-emu/scenarios/${scenario##*/} is not the source's"
done
for file in README.md main.c scenarios/busy.yaml; do
  [[ -f $prefix/share/sim7600-emu/examples/host-mcu/$file ]] || fail "no share/sim7600-emu/examples/host-mcu/$file"
done

# A short scenario, run by the installed runner from an empty directory (nothing read from the source tree by a
# relative path). The installed emulator is wrapped to leave a mark: the runner must start the one beside it.
mv "$prefix/bin/sim7600-emu" "$prefix/bin/sim7600-emu.installed"
printf '#!/bin/sh\ntouch "%s/emulator-started"\nexec "%s/bin/sim7600-emu.installed" "$@"\n' "$prefix" "$prefix" \
  >"$prefix/bin/sim7600-emu"
chmod +x "$prefix/bin/sim7600-emu"
mkdir "$prefix/run"
cd "$prefix/run" || fail "cannot enter $prefix/run"
out=$("$prefix/bin/sim7600-scenario" "$prefix/share/sim7600-emu/scenarios/note_3_09_version.yaml" 2>&1) ||
  fail "the installed sim7600-scenario failed: $out"
grep -qx "1 passed, 0 failed" <<<"$out" || fail "the installed scenario run printed: $out"
[[ -f $prefix/emulator-started ]] || fail "the installed sim7600-scenario did not start the installed sim7600-emu"
echo "install: ok ($prefix)"
