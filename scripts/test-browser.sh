#!/usr/bin/env bash
# The console's browser tests (tests/browser): installs Debian's chromium and node, the locked playwright-core
# (npm ci; it never downloads a browser), builds the daemons and runs the tests. Screenshots: build/browser-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --browser
cmake -S . -B build -G Ninja >/dev/null  # the build type scripts/build.sh chose (Release on a new tree)
cmake --build build --target ads-sim sim7600-emu
cd tests/browser
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
SIM7600_BUILD_DIR="$PWD/../../build" node --test --test-concurrency=1
