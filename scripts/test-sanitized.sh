#!/usr/bin/env bash
# Builds everything but the benchmarks with ASan+UBSan into build-asan/ and runs the ctest suite there (all but the
# .deb and Containerfile checks). The end-to-end tests start the daemons of that build, so they run sanitized too.
# Every finding aborts its process; reports go to build-asan/sanitizer-reports/, so a finding in a daemon (even at
# its exit, where no test looks) fails the run too.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# -O1 -g1: what ASan advises (line tables name every frame of a report) at about half the compile time of -O2 -g.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DSIM7600_SANITIZE=address,undefined -DSIM7600_BENCH=OFF >/dev/null
cmake --build build-asan -j "$(nproc)"

reports="$PWD/build-asan/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:log_path=$reports/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
status=0
# The .deb and Containerfile tests check packaging, not memory: they run in the Release suite; here they would pack
# sanitized binaries (over a minute) and find libasan among the libraries a container must install.
ctest --test-dir build-asan --output-on-failure -j "$(nproc)" --timeout 900 \
  -E '^packaging: (\.deb |deploy/Containerfile )' || { scripts/print-failures.sh build-asan; status=1; }
if [ -n "$(ls -A "$reports")" ]; then
  echo "sanitizer findings (test programs and daemons):" >&2
  head -n 60 "$reports"/* >&2
  status=1
fi
exit "$status"
