#!/usr/bin/env bash
# Crash-safety soak: SIGKILL at random moments during cs bursts, module OTA applies and ads-sim datapoint bursts
# (build/bin/soak, tests/soak/soak.cpp). Usage: scripts/soak.sh [trials=1000] [seed]. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja >/dev/null  # the build type scripts/build.sh chose (Release on a new tree)
cmake --build build --target soak
exec build/bin/soak "${1:-1000}" ${2:+"$2"}
