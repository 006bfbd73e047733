#!/usr/bin/env bash
# print-failures.sh BUILD_DIR: after a ctest run that failed, prints each failed test's own output again (its last
# 80 lines), so the end of a long CI log (often all a reader gets) says why, not only which.
set -uo pipefail
dir="$1/Testing/Temporary"
[ -f "$dir/LastTestsFailed.log" ] || exit 0
while IFS= read -r entry; do
  name="${entry#*:}"
  echo "=== failed: $name"
  awk -v start="Test: $name" '
    !found && substr($0, length($0) - length(start) + 1) == start && $0 ~ /^[0-9]+\/[0-9]+ Test: / { found = 1 }
    found && $0 == "Output:" { inside = 1; getline; next }
    inside && $0 == "<end of output>" { exit }
    inside { print }' "$dir/LastTest.log" | tail -n 80
done < "$dir/LastTestsFailed.log"
