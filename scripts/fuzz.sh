#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/, clang, ASan+UBSan) into build-fuzz/ and runs each for a fixed time:
#   scripts/fuzz.sh [seconds-per-target] [target...]      (default 1800 s each, every target)
# FUZZ_PARALLEL=N runs N targets at once. Each target starts from its committed seeds (fuzz/corpus/<target>/)
# plus what earlier runs found (build-fuzz/corpus/<target>/); a crash is saved in build-fuzz/artifacts/<target>/
# and makes the script exit 1. Prints executions, executions per second and crashes per target.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-1800}"
shift || true
scripts/install-deps.sh
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DCMAKE_CXX_COMPILER=clang++-14 \
  -DSIM7600_FUZZ=ON >/dev/null
cmake --build build-fuzz -j "$(nproc)"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for harness in fuzz/*_fuzz.cpp; do
    name="$(basename "$harness" .cpp)"
    targets+=("${name%_fuzz}")
  done
fi

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

run_target() {
  local target="$1" corpus="build-fuzz/corpus/$1" artifacts="build-fuzz/artifacts/$1/" log="build-fuzz/logs/$1.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  # -timeout: one input taking 10 s is a hang; new inputs go to the first corpus folder, never to the seeds.
  "build-fuzz/bin/${target}_fuzz" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$corpus" "fuzz/corpus/$target" >"$log" 2>&1 || true
}

running=0
for target in "${targets[@]}"; do
  run_target "$target" &
  running=$((running + 1))
  if [ "$running" -ge "${FUZZ_PARALLEL:-1}" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

status=0
printf '%-18s %14s %10s %8s\n' target executions execs/s crashes
for target in "${targets[@]}"; do
  log="build-fuzz/logs/$target.log"
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  crashes="$(find "build-fuzz/artifacts/$target" -type f | wc -l)"
  printf '%-18s %14s %10s %8s\n' "$target" "${runs:-?}" "${rate:-?}" "$crashes"
  if [ "$crashes" -ne 0 ] || [ -z "$runs" ]; then
    status=1
    echo "--- $target: see $log and build-fuzz/artifacts/$target/" >&2
    grep -m 5 -E "ERROR|runtime error|terminate called|Assertion" "$log" >&2 || true
  fi
done
exit "$status"
