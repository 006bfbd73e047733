#!/usr/bin/env bash
# Installs the dependencies and builds everything into build/ (executables in build/bin/). Release is -O2 without
# debug info (the fastest first build); BUILD_TYPE=RelWithDebInfo scripts/build.sh keeps debug info for gdb.
# With target names (scripts/build.sh sim7600-emu sim7600-ctl) only those and what they link are built.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" >/dev/null
cmake --build build -j "$(nproc)" ${1:+--target "$@"}
