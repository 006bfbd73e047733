# Shared by bench/fleet.sh and bench/fleet_shards.sh (sourced): a process's memory and CPU from /proc, and the wait
# for a program's ready line.
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# wait_for_line PATTERN OUT ERR PID WHAT: until OUT holds a line matching PATTERN; when PID ends first, prints
# "WHAT stopped:" and ERR's last lines, and exits 1.
wait_for_line() {
  local pattern="$1" out="$2" err="$3" pid="$4" what="$5"
  until grep -qs "$pattern" "$out"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$what stopped:" >&2
      tail -3 "$err" >&2
      exit 1
    fi
    sleep 0.2
  done
}
