#!/usr/bin/env bash
# bench/fleet.sh [N=1000] [idle-seconds=30]: what N modules cost in one sim7600-fleet, beside one sim7600-emu measured
# in the same run (both with the embedded ads-sim, so each figure holds the device service's side too).
#   - resident memory per connected, listening module: (RSS of N modules - RSS of 1) / (N - 1), at the ready line;
#   - time from start to "ready: N modules listening" on a state dir made before (device creation is not counted:
#     it is an RSA key per module, once);
#   - CPU of the idle, listening fleet over idle-seconds from 10 s after ready, as % of one core (utime + stime from
#     /proc/PID/stat).
# The baseline: one sim7600-emu brought to listening on its PTY (start, enable, l), its RSS. Prints figures only.
# MODULE_SIDE=1 also measures the modules alone: the same fleets against an ads-sim of their own process (--ads-url),
# so the resident memory per module holds only the module's side of its connections (N more RSA keys, once).
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000}"
idle="${2:-30}"
bin="${BIN_DIR:-build/bin}"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

ads=()  # the service the fleets use: the embedded one, unless MODULE_SIDE's part below sets --ads-url
source bench/fleet_lib.sh

# Starts a fleet of $2 modules on state dir $1 and waits for its ready line: sets pid and to_ready (seconds).
start_fleet() {
  local dir="$1" n="$2" out="$work/fleet-$2.out" started
  started=$(date +%s.%N)
  # The previous start's output (the same file) holds a ready line: gone before the wait, or the wait ends at once.
  rm -f "$out"
  "$bin/sim7600-fleet" --state-dir "$dir" --count "$n" "${ads[@]}" >"$out" 2>"$work/fleet-$n.err" &
  pid=$!
  wait_for_line "sim7600-fleet ready: $n modules listening" "$out" "$work/fleet-$n.err" "$pid" \
    "fleet.sh: sim7600-fleet --count $n"
  to_ready=$(echo "$(date +%s.%N) - $started" | bc)
}

stop() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }

echo "fleet: $count modules, embedded ads-sim, idle CPU over ${idle}s"

# The baseline: one sim7600-emu, listening.
"$bin/sim7600-emu" --state-dir "$work/one" --pty-link "$work/tty" --boot-ms 0 >"$work/emu.out" 2>/dev/null &
emu=$!
until grep -qs "ready" "$work/emu.out"; do sleep 0.1; done
python3 - "$work/tty" <<'EOF'
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
seen = b""
def wait_for(text, limit=30):
    global seen
    end = time.time() + limit
    while text not in seen:
        if time.time() > end: sys.exit("fleet.sh: sim7600-emu never said " + text.decode())
        seen += os.read(fd, 4096)
wait_for(b"PB DONE")
for command, answer in ((b'AT+ADA="start"', b'"start","done"'), (b'AT+ADA="enable"', b'"enable","RDY"'),
                        (b'AT+ADA="l"', b'"l","up"')):
    os.write(fd, command + b"\r")
    wait_for(answer)
EOF
emu_rss=$(rss_kib "$emu")
stop "$emu"

# The fleets: made once (keys), then measured on a second start.
for n in 1 "$count"; do
  start_fleet "$work/fleet-$n" "$n"
  stop "$pid"
done
start_fleet "$work/fleet-1" 1
one_rss=$(rss_kib "$pid")
stop "$pid"
start_fleet "$work/fleet-$count" "$count"
fleet_rss=$(rss_kib "$pid")
sleep 10  # the last connections' first requests and ANS registrations settle: idle is what comes after
before=$(cpu_ticks "$pid")
sleep "$idle"
after=$(cpu_ticks "$pid")
stop "$pid"

hz=$(getconf CLK_TCK)
per_module=$(( (fleet_rss - one_rss) / (count > 1 ? count - 1 : 1) ))
printf '%-52s %10s KiB\n' "sim7600-emu alone, listening (baseline)" "$emu_rss"
printf '%-52s %10s KiB\n' "sim7600-fleet, 1 module listening" "$one_rss"
printf '%-52s %10s KiB\n' "sim7600-fleet, $count modules listening" "$fleet_rss"
printf '%-52s %10s KiB   (%.1f%% of one sim7600-emu)\n' "per module, service side included" "$per_module" \
  "$(echo "100 * $per_module / $emu_rss" | bc -l)"
printf '%-52s %10.1f s\n' "start to ready, $count modules (state dir made)" "$to_ready"
printf '%-52s %10.2f %% of one core\n' "idle listening fleet, CPU over ${idle}s" \
  "$(echo "100 * ($after - $before) / $hz / $idle" | bc -l)"

if [ "${MODULE_SIDE:-0}" = 1 ]; then
  "$bin/ads-sim" --listen 127.0.0.1:0 --data-dir "$work/ads" >"$work/ads.out" 2>"$work/ads.err" &
  service=$!
  wait_for_line "ads-sim ready" "$work/ads.out" "$work/ads.err" "$service" "fleet.sh: ads-sim"
  ads=(--ads-url "$(awk '/ads-sim ready/ {print $3}' "$work/ads.out")" --ads-ca "$work/ads/ca.pem"
       --admin-token-file "$work/ads/admin-token")
  for n in 1 "$count"; do
    start_fleet "$work/alone-$n" "$n"
    stop "$pid"
  done
  start_fleet "$work/alone-1" 1
  one_rss=$(rss_kib "$pid")
  stop "$pid"
  start_fleet "$work/alone-$count" "$count"
  fleet_rss=$(rss_kib "$pid")
  stop "$pid"
  printf '%-52s %10s KiB\n' "per module, module side alone (ads-sim apart)" \
    "$(( (fleet_rss - one_rss) / (count > 1 ? count - 1 : 1) ))"
fi
