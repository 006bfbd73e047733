#!/usr/bin/env bash
# Builds everything with ASan+UBSan into build-asan/ and runs the whole ctest suite there. The end-to-end tests
# start the daemons of that build, so they run sanitized too. Any finding (a leak included) fails its test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIM7600_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j "$(nproc)"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir build-asan --output-on-failure -j "$(nproc)" --timeout 900
