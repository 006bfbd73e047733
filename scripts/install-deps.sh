#!/usr/bin/env bash
# Installs every Debian package the project builds, tests and runs with. Idempotent and quick when all are present.
# --browser adds what the console's browser tests need (tests/browser: Debian's chromium, node and npm).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev libssl-dev openssl nlohmann-json3-dev catch2 libsqlite3-dev sqlite3
  # ads-sim's PostgreSQL store (--db postgresql://...): libpq to build, the server for the tests' own instance
  libpq-dev postgresql postgresql-client
  # a load balancer in front of two ads-sim replicas in the end-to-end test (TCP mode, health checks on /healthz)
  haproxy
  # every program's command line (cli/): CLI11, header-only
  libcli11-dev
  # real modem clients the end-to-end tests drive: minicom, picocom, and ppp's chat
  minicom picocom ppp tmux socat
  # a network namespace of the fleet's own in its source-port test: unshare (util-linux) and ip (iproute2)
  util-linux iproute2
  # libFuzzer harnesses (scripts/fuzz.sh): clang with its fuzzer and sanitizer runtimes
  clang libfuzzer-14-dev libclang-rt-14-dev
  # host tools that drive the SIM7600 command set in the end-to-end tests
  gammu comgt
  # gpsd and gpspipe read the emulated module's NMEA port (--nmea-link) in the GNSS end-to-end test
  gpsd gpsd-clients
  # an MQTT broker and its clients for the MQTT(S) end-to-end test (AT+CMQTT*): mosquitto, mosquitto_sub/_pub
  mosquitto mosquitto-clients
  # sim7600-scenario's and sim7600-fleet's YAML parser (also read by the deploy/k8s manifests' test, unit_deploy), and
  # xmllint to check their JUnit XML
  libyaml-cpp-dev libxml2-utils
  # the console's pages: Bootstrap, Chart.js and xterm.js (its stylesheet, and its modules bundled at build time),
  # compiled into ads-sim
  libjs-bootstrap5 libjs-chart.js libjs-xterm node-xterm
  # the contract tests' generator (tests/contract/extract_examples.py, standard library only)
  python3
  # man pages from each program's --help (help2man) and their check (man -l); the .deb packages' dependencies
  # (dpkg-shlibdeps, which CPack runs on the binaries found by file) and stripping (binutils)
  help2man man-db dpkg-dev file binutils
)
if [ "${1:-}" = "--browser" ]; then
  packages+=(chromium)
  # Debian's node and npm, unless a node with its own npm is already there (their packages would conflict).
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
