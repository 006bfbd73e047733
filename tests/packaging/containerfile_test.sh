#!/usr/bin/env bash
# containerfile_test.sh BUILD_DIR SOURCE_DIR: deploy/Containerfile against what `cmake --install` really lays out
# (no container engine runs here). The build stage installs into the prefix the runtime stage copies from; each
# COPY --from=build takes a path of that layout; PATH leads to its bin/; the runtime stage is Debian 12 slim, runs
# as a non-root user, and installs exactly the Debian packages of the shared libraries the installed programs load
# (beyond the slim image's libc6, libgcc-s1 and libstdc++6; libpq5 is allowed ahead of ads-sim's PostgreSQL engine,
# branch pg-store). Every manifest's command: is a program the layout installs. Exits 1 with the first difference.
set -o pipefail
build=$1 source=$2
containerfile=$source/deploy/Containerfile

fail() {
  echo "containerfile: $*" >&2
  exit 1
}

# The file's instructions with continuation lines joined, one a line.
instructions=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$containerfile" | grep -v '^\s*#' | grep -v '^\s*$')
stages=$(grep -c '^FROM ' <<<"$instructions")
[[ $stages -eq 2 ]] || fail "$stages stages, not 2 (build, runtime)"
runtime=$(awk '/^FROM /{n++} n==2' <<<"$instructions")
buildstage=$(awk '/^FROM /{n++} n==1' <<<"$instructions")
grep -qE '^FROM docker.io/library/debian:12 AS build$' <<<"$buildstage" || fail "the build stage is not Debian 12"
grep -qE '^FROM docker.io/library/debian:12-slim$' <<<"$runtime" || fail "the runtime stage is not Debian 12 slim"

prefix=$(grep -oE 'cmake --install build --prefix [^ ]+' <<<"$buildstage" | awk '{print $5}')
[[ -n $prefix ]] || fail "the build stage runs no 'cmake --install build --prefix P'"
grep -q -- '-DBUILD_TESTING=OFF' <<<"$buildstage" || fail "the build stage builds the tests"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build" --prefix "$scratch$prefix" >"$scratch/log" 2>&1 || fail "cmake --install failed: $(cat "$scratch/log")"

copies=$(grep '^COPY ' <<<"$runtime")
[[ -n $copies ]] || fail "the runtime stage copies nothing"
while read -r _ from what to; do
  [[ $from == --from=build ]] || fail "the runtime stage copies from '$from', not the build stage: $what"
  [[ $what == "$prefix" || $what == "$prefix"/* ]] || fail "COPY $what: not in the install prefix $prefix"
  [[ -e $scratch$what ]] || fail "COPY $what: cmake --install lays out no such path"
  [[ $to == "$what" ]] || fail "COPY $what to $to: the layout is copied where it was installed"
done <<<"$copies"
grep -qE "^ENV PATH=$prefix/bin:" <<<"$runtime" || fail "PATH does not lead to $prefix/bin"
user=$(grep '^USER ' <<<"$runtime" | awk '{print $2}')
[[ -n $user && $user != 0 && $user != root ]] || fail "the runtime stage runs as '${user:-root}', not a non-root user"
grep -qE "^RUN useradd .*--uid $user( |$)" <<<"$runtime" || fail "USER $user is not the user the stage adds"

# The packages of the libraries the installed programs load (the real files, so /lib and /usr/lib alike).
needed=$(for program in "$scratch$prefix"/bin/*; do
  ldd "$program" | awk '$3 ~ /^\// {print $3}'
done | sort -u | xargs -r realpath | while read -r library; do
  dpkg -S "$library" 2>/dev/null || dpkg -S "${library#/usr}" 2>/dev/null
done | cut -d: -f1 | sort -u | grep -vxE 'libc6|libgcc-s1|libstdc\+\+6' | xargs)
listed=$(grep -oE 'apt-get install -y --no-install-recommends [^&]+' <<<"$runtime" | cut -d' ' -f5- | tr ' ' '\n' |
  grep -v '^$' | grep -vx 'libpq5' | sort | xargs)
[[ $listed == "$needed" ]] || fail "the runtime stage installs [$listed] (besides libpq5), the programs load [$needed]"
if ldd "$scratch$prefix/bin/ads-sim" | grep -q libpq; then
  grep -q 'libpq5' <<<"$runtime" || fail "ads-sim loads libpq and the runtime stage lacks libpq5"
fi

# Every program a manifest runs is one the image has.
for program in $(grep -hA1 'command:' "$source"/deploy/k8s/*.yaml | grep -oE '\["[a-z0-9-]+"' | tr -d '["' | sort -u); do
  [[ -x $scratch$prefix/bin/$program ]] || fail "deploy/k8s runs '$program', which $prefix/bin does not hold"
done
echo "containerfile: ok ($prefix, packages: $needed)"
