#!/usr/bin/env bash
# Quick start 1: install, build, and start one emulated SIM7600 on /tmp/ttySIM7600 with the embedded device service.
# Extra arguments go to sim7600-emu (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh sim7600-emu sim7600-ctl ads-admin ads-sim  # the programs a first session uses; tests come with test.sh
echo "connect with: minicom -D /tmp/ttySIM7600   (or: picocom /tmp/ttySIM7600)"
exec build/bin/sim7600-emu "$@"
