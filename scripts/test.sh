#!/usr/bin/env bash
# Quick start 2: install, build, and run every test (unit and end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 600 || { scripts/print-failures.sh build; exit 1; }
