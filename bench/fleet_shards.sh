#!/usr/bin/env bash
# bench/fleet_shards.sh [N=10000] [SHARDS=4] [idle-seconds=30]: N modules as SHARDS sim7600-fleet processes against
# ads-sim processes of their own, for fleets larger than one process's descriptor limit allows. A listening module
# holds two kept-alive connections, so 10,000 modules hold 20,000 at each end: more than this machine's hard limit of
# 20,000 descriptors in one process. Shards of 2,500 against an outside service reserve 6 per module (15,256), and
# REPLICAS=2 serves them from two ads-sim replicas on one PostgreSQL (scripts/postgres-fixture.sh), shard i talking
# to replica i % REPLICAS, 10,000 connections each.
#   - resident memory per connected, listening module: the shards' RSS beyond as many 1-module fleets, plus the
#     services' growth from before the modules connect to all of them listening, over N;
#   - time from the shards' start to the last "ready" line (state dirs made before: keys are not counted);
#   - CPU of the idle listening fleet (every shard and service) over idle-seconds from 10 s after ready, as % of one
#     core.
# STAGGER=1 starts each shard once the one before is ready (a storm of N/SHARDS modules at a time, not N), for
# the measured start and the campaign's.
# CAMPAIGN=FLEET-FILE then runs that file (fleet/examples/campaign_rehearsal.yaml: a module OTA job per shard, with
# its faults) on the same shards to the end and prints the shards' merged summary (`sim7600-fleet merge`) beside
# the services' own counters of the jobs, and the p50/p99 of the device requests ads-sim served meanwhile (its
# log's per-request service time: from the request read to the answer written).
# The state dirs, the services' data and the PostgreSQL cluster stay in WORK when it is given (a second run skips
# making the modules: an RSA key each, ≈0.2 s of CPU); without WORK all is in a temporary dir, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"
shards="${2:-4}"
idle="${3:-30}"
replicas="${REPLICAS:-1}"
bin="${BIN_DIR:-build/bin}"
work="${WORK:-}"
keep=1
if [ -z "$work" ]; then work="$(mktemp -d)"; keep=0; fi
mkdir -p "$work"
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "$keep" = 0 ]; then
    scripts/postgres-fixture.sh stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
  fi
}
trap cleanup EXIT

source bench/fleet_lib.sh
sum_rss() { local total=0 pid; for pid in "$@"; do total=$((total + $(rss_kib "$pid"))); done; echo "$total"; }
sum_cpu() { local total=0 pid; for pid in "$@"; do total=$((total + $(cpu_ticks "$pid"))); done; echo "$total"; }

# The services: one ads-sim on SQLite, or REPLICAS on one PostgreSQL; their data dir in WORK (the same one on a second
# run: the modules exist there).
db=()
if [ "$replicas" -gt 1 ]; then
  if ! { [ -s "$work/pg/url" ] && psql -q "$(cat "$work/pg/url")/fleet" -c 'select 1' >/dev/null 2>&1; }; then
    scripts/postgres-fixture.sh start "$work/pg" >/dev/null
    psql -q "$(cat "$work/pg/url")/postgres" -c 'CREATE DATABASE fleet'
  fi
  db=(--db "$(cat "$work/pg/url")/fleet")
fi
services=()
urls=()
for r in $(seq 0 $((replicas - 1))); do
  "$bin/ads-sim" --listen 127.0.0.1:0 --ans-listen 127.0.0.1:0 --data-dir "$work/ads" "${db[@]}" \
    >"$work/ads-$r.out" 2>"$work/ads-$r.err" &
  services+=($!)
  wait_for_line "ads-sim ready" "$work/ads-$r.out" "$work/ads-$r.err" "${services[$r]}" "fleet_shards.sh: ads-sim $r"
  urls+=("$(awk '/ads-sim ready/ {print $3}' "$work/ads-$r.out")")
done

# Starts shard $1 of $2 (of a fleet of $3 modules) on its own state dir, with any further arguments (a summary file,
# a fleet file); its pid goes to pids[].
pids=()
start_shard() {
  local shard="$1" of="$2" n="$3" dir="$work/fleet-$3-$2/$1"
  shift 3
  mkdir -p "$dir"
  rm -f "$dir.out"
  "$bin/sim7600-fleet" --state-dir "$dir" --count "$n" --shard "$shard/$of" --ads-url "${urls[$((shard % replicas))]}" \
    --ads-ca "$work/ads/ca.pem" --admin-token-file "$work/ads/admin-token" "$@" >"$dir.out" 2>"$dir.err" &
  pids+=($!)
}

# Waits until the first $1 shards (of $3, default $1) of a fleet of $2 printed their ready lines; stops with a
# shard's last words if one ended.
wait_ready() {
  local started="$1" n="$2" of="${3:-$1}" shard
  for shard in $(seq 0 $((started - 1))); do
    wait_for_line "sim7600-fleet ready: .* modules listening" "$work/fleet-$n-$of/$shard.out" \
      "$work/fleet-$n-$of/$shard.err" "${pids[$shard]}" "fleet_shards.sh: shard $shard/$of of $n"
  done
}

stop_shards() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}

run_fleet() {  # $1 shards, $2 modules: started and waited for; sets to_ready (seconds)
  local started
  started=$(date +%s.%N)
  for shard in $(seq 0 $(($1 - 1))); do
    start_shard "$shard" "$1" "$2"
    if [ "${STAGGER:-0}" = 1 ]; then wait_ready "$((shard + 1))" "$2" "$1"; fi
  done
  wait_ready "$1" "$2"
  to_ready=$(echo "$(date +%s.%N) - $started" | bc)
}

echo "fleet_shards: $count modules in $shards shards against $replicas ads-sim process(es), idle CPU over ${idle}s"
# Made once (an RSA key per module, on ads-sim's workers), then measured on a second start.
if [ ! -e "$work/fleet-$count-$shards/made" ]; then
  echo "making $count modules (RSA keys: minutes)..."
  run_fleet "$shards" "$count"
  stop_shards
  touch "$work/fleet-$count-$shards/made"
fi
run_fleet "$shards" "$shards"  # one module a shard: the shards' own cost
one_rss=$(sum_rss "${pids[@]}")
stop_shards

service_before=$(sum_rss "${services[@]}")
run_fleet "$shards" "$count"
fleet_rss=$(sum_rss "${pids[@]}")
service_after=$(sum_rss "${services[@]}")
sleep 10  # the last connections' first requests and ANS registrations settle: idle is what comes after
before=$(sum_cpu "${pids[@]}" "${services[@]}")
sleep "$idle"
after=$(sum_cpu "${pids[@]}" "${services[@]}")
connections=0
for url in "${urls[@]}"; do
  connections=$((connections + $(ss -Htn state established "( sport = :${url##*:} )" | wc -l)))
done
stop_shards

hz=$(getconf CLK_TCK)
module_side=$(( (fleet_rss - one_rss) / (count - shards) ))
service_side=$(( (service_after - service_before) / count ))
printf '%-56s %10s KiB\n' "$shards shards, 1 module each (the processes' own)" "$one_rss"
printf '%-56s %10s KiB\n' "$shards shards, $count modules listening" "$fleet_rss"
printf '%-56s %10s KiB\n' "ads-sim ($replicas) before the modules connect" "$service_before"
printf '%-56s %10s KiB\n' "ads-sim ($replicas) with $count modules listening" "$service_after"
printf '%-56s %10s\n' "connections established at ads-sim after the idle" "$connections"
printf '%-56s %10s KiB\n' "per module, module side" "$module_side"
printf '%-56s %10s KiB\n' "per module, service side" "$service_side"
printf '%-56s %10s KiB\n' "per module, both sides" "$((module_side + service_side))"
printf '%-56s %10.1f s\n' "start to ready, $count modules (state dirs made)" "$to_ready"
printf '%-56s %10.2f %% of one core\n' "idle listening fleet and ads-sim, CPU over ${idle}s" \
  "$(echo "100 * ($after - $before) / $hz / $idle" | bc -l)"

[ -n "${CAMPAIGN:-}" ] || exit 0
# The campaign: every shard runs the fleet file over its modules to the end; the services' logs from here on hold
# the campaign's device requests.
log_lines=()
for r in $(seq 0 $((replicas - 1))); do log_lines+=("$(wc -l <"$work/ads-$r.err")"); done
started=$(date +%s.%N)
summaries=()
for shard in $(seq 0 $((shards - 1))); do
  summaries+=("$work/campaign-$shard.json")
  start_shard "$shard" "$shards" "$count" --summary "$work/campaign-$shard.json" "$CAMPAIGN"
  if [ "${STAGGER:-0}" = 1 ]; then wait_ready "$((shard + 1))" "$count" "$shards"; fi
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
pids=()
took=$(echo "$(date +%s.%N) - $started" | bc)
printf '%-56s %10.1f s%s\n' "campaign over $count modules, start to the last shard's end" "$took" \
  "$([ "$failed" = 0 ] || echo '   (a shard exited non-zero: below)')"
"$bin/sim7600-fleet" merge "${summaries[@]}" || true
for r in $(seq 0 $((replicas - 1))); do tail -n +"$((log_lines[r] + 1))" "$work/ads-$r.err"; done |
  awk '$2 ~ /^(GET|POST|PUT)$/ && $3 ~ /^\/(api\/v1\/)?devices\// && $NF ~ /us$/ {print substr($NF, 1, length($NF) - 2)}' |
  sort -n | awk '{v[NR] = $1} END {
    if (NR == 0) { print "no device requests in the services logs"; exit }
    printf "%-56s %10d\n", "device requests served during the campaign", NR
    printf "%-56s %10.1f ms\n", "their service time, p50", v[int(NR * 0.50) + (NR * 0.50 > int(NR * 0.50))] / 1000
    printf "%-56s %10.1f ms   (target < 50 ms)\n", "their service time, p99", v[int(NR * 0.99) + (NR * 0.99 > int(NR * 0.99))] / 1000
  }'
