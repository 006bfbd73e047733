#!/usr/bin/env bash
# completion_test.sh PROGRAM BIN_DIR COMPLETION_DIR: sources PROGRAM's generated bash completion into this bash and
# completes command lines through it (COMP_WORDS, COMP_CWORD, the function, COMPREPLY), checking the words against
# what PROGRAM's own --help lists, so neither can drift from the other. Exits 1 with the first difference.
set -o pipefail
program=$1 bin=$2 completions=$3

fail() {
  echo "completion of $program: $*" >&2
  exit 1
}

[[ -f $completions/$program ]] || fail "no file $completions/$program"
# shellcheck source=/dev/null
source "$completions/$program" || fail "the file does not source"
function=$(complete -p "$program" 2>/dev/null | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
[[ -n $function ]] || fail "the file registers no completion function for $program"
help=$("$bin/$program" --help) || fail "$program --help failed"

# The completions of a command line whose last word is the one being completed, sorted, one per line.
completions_of() {
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  "$function" "$program" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  [[ ${#COMPREPLY[@]} -eq 0 ]] || printf '%s\n' "${COMPREPLY[@]}" | sort -u
}

# expect_exactly "WORDS..." -- LINE...: the completions of LINE are exactly WORDS (any order).
expect_exactly() {
  local want got
  want=$(tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -u)
  shift 2
  got=$(completions_of "$@")
  [[ $got == "$want" ]] || fail "'$*' completes to [${got//$'\n'/ }], expected [${want//$'\n'/ }]"
}

# expect_among "WORDS..." -- LINE...: each of WORDS is among the completions of LINE.
expect_among() {
  local words=$1 got word
  shift 2
  got=$(completions_of "$@")
  for word in $words; do
    grep -qxF -- "$word" <<<"$got" || fail "'$*' completes to [${got//$'\n'/ }], without $word"
  done
}

# The flags --help lists in its flag sections (lines starting with two spaces and a dash).
help_flags=$(grep -E '^  -' <<<"$help" | sed -E 's/^  //; s/ .*//; s/,/ /g')

# Files and directories to complete: a directory and a file in a fresh one.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/a_dir"
touch "$scratch/a_file" "$scratch/case.yaml"

case $program in
  sim7600-ctl)
    # The verbs and sub-words as "Verbs:" lists them: "cloud cut | cloud blackhole | cloud latency MS | ...".
    verbs_section=$(sed -n '/^Verbs:$/,$p' <<<"$help" | tail -n +2)
    verbs=$(awk '{print $1}' <<<"$verbs_section")
    [[ $(wc -w <<<"$verbs") -ge 10 ]] || fail "--help lists too few verbs: $verbs"
    expect_exactly "$verbs" -- sim7600-ctl ''
    while read -r line; do
      verb=${line%% *}
      actions=$(tr '|' '\n' <<<"$line" | awk '$2 ~ /^[a-z]+$/ {print $2}')
      if [[ -n $actions ]]; then
        expect_exactly "$actions" -- sim7600-ctl "$verb" ''
        expect_exactly "$actions" -- sim7600-ctl --state-dir /tmp "$verb" ''
        expect_exactly "$actions" -- sim7600-ctl --state-dir = /tmp "$verb" ''  # --state-dir=/tmp, split by bash
      fi
      expect_among "--json --help" -- sim7600-ctl "$verb" --
    done <<<"$verbs_section"
    expect_exactly "$help_flags" -- sim7600-ctl -
    expect_exactly "blackhole" -- sim7600-ctl --socket /x cloud bl
    expect_exactly "" -- sim7600-ctl cloud cut ''
    expect_among "--off-ms" -- sim7600-ctl power-cut --
    expect_exactly "$scratch/a_dir" -- sim7600-ctl --state-dir "$scratch/a"
    expect_exactly "$scratch/a_dir" -- sim7600-ctl --state-dir = "$scratch/a"
    expect_exactly "$scratch/a_dir $scratch/a_file" -- sim7600-ctl --token-file "$scratch/a"
    expect_exactly "" -- sim7600-ctl --url ''
    ;;
  ads-admin)
    # Verb lines of "verbs:": two spaces and a lowercase word; a verb's own flags are named on its line.
    verb_lines=$(sed -n '/^verbs:$/,/^$/p' <<<"$help" | grep -E '^  [a-z]')
    verbs=$(awk '{print $1}' <<<"$verb_lines")
    [[ $(wc -w <<<"$verbs") -ge 10 ]] || fail "--help lists too few verbs: $verbs"
    expect_exactly "$verbs" -- ads-admin ''
    expect_exactly "$verbs" -- ads-admin --url https://127.0.0.1:1 --ca ca.pem ''
    connection=$(sed -n '/^connection:$/,/^$/p' <<<"$help" | grep -E '^  -' | awk '{print $1}')
    while read -r line; do
      verb=${line%% *}
      flags=$(grep -oE -- '--[a-z][a-z-]*' <<<"$line" | sort -u)
      expect_among "$flags $connection --help" -- ads-admin "$verb" --
    done <<<"$verb_lines"
    expect_exactly "$help_flags" -- ads-admin -
    expect_exactly "$scratch/a_dir" -- ads-admin --service-dir "$scratch/a"
    expect_exactly "$scratch/a_dir $scratch/a_file" -- ads-admin --ca "$scratch/a"
    expect_exactly "$scratch/a_dir $scratch/a_file" -- ads-admin devices --token-file "$scratch/a"
    ;;
  sim7600-scenario)
    expect_exactly "$help_flags" -- sim7600-scenario -
    expect_exactly "--keep-going" -- sim7600-scenario -j 2 --ke
    expect_exactly "$scratch/case.yaml" -- sim7600-scenario "$scratch/c"
    expect_exactly "$scratch/case.yaml" -- sim7600-scenario --keep-going "$scratch/c"
    expect_exactly "$scratch/a_dir $scratch/a_file" -- sim7600-scenario --junit "$scratch/a"
    expect_exactly "$scratch/a_dir $scratch/a_file" -- sim7600-scenario --from-transcript = "$scratch/a"
    expect_exactly "" -- sim7600-scenario -j ''
    ;;
  sim7600-fleet)
    expect_exactly "$help_flags" -- sim7600-fleet -
    expect_exactly "--state-dir" -- sim7600-fleet --sta
    expect_exactly "$scratch/a_dir" -- sim7600-fleet --state-dir "$scratch/a"
    expect_exactly "$scratch/a_dir" -- sim7600-fleet --state-dir = "$scratch/a"
    expect_exactly "$scratch/case.yaml" -- sim7600-fleet --count 20 "$scratch/c"  # the fleet file
    expect_exactly "$scratch/a_dir $scratch/a_file" -- sim7600-fleet --junit "$scratch/a"
    expect_exactly "$scratch/a_dir $scratch/a_file" -- sim7600-fleet --admin-token-file "$scratch/a"
    expect_exactly "" -- sim7600-fleet --count ''
    expect_exactly "" -- sim7600-fleet --seed ''
    expect_exactly "" -- sim7600-fleet --shard ''
    expect_exactly "--shard" -- sim7600-fleet --sh
    expect_exactly "merge" -- sim7600-fleet mer
    expect_exactly "$scratch/case.yaml" -- sim7600-fleet merge "$scratch/c"  # the shards' summaries
    expect_exactly "$scratch/case.yaml" -- sim7600-fleet merge "$scratch/case.yaml" "$scratch/c"
    expect_exactly "-h --help --json --junit" -- sim7600-fleet merge -  # merge's own flags, none of a run
    expect_exactly "$scratch/a_dir $scratch/a_file" -- sim7600-fleet merge --junit "$scratch/a"
    ;;
  ads-sim)
    expect_exactly "$help_flags" -- ads-sim -
    expect_exactly "--data-dir --db" -- ads-sim --d
    expect_exactly "$scratch/a_dir" -- ads-sim --data-dir "$scratch/a"
    expect_exactly "" -- ads-sim --db ''
    expect_exactly "--tls-ca --tls-cert --tls-key" -- ads-sim --tls
    expect_exactly "$scratch/a_dir $scratch/a_file" -- ads-sim --tls-cert "$scratch/a"
    expect_exactly "$scratch/a_dir $scratch/a_file" -- ads-sim --tls-key "$scratch/a"
    expect_exactly "$scratch/a_dir $scratch/a_file" -- ads-sim --tls-ca "$scratch/a"
    ;;
  *)
    fail "this test knows no checks for $program: add them"
    ;;
esac
echo "completion of $program: ok"
