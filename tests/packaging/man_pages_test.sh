#!/usr/bin/env bash
# man_pages_test.sh MAN_DIR BIN_DIR PROGRAM...: each PROGRAM has MAN_DIR/PROGRAM.1.gz, `man -l` renders it without
# a warning, and the page names the program in NAME, has its synopsis and has an item for every flag its --help lists
# (the page is made from that --help by help2man at build time). Exits 1 with the first difference.
set -o pipefail
man_dir=$1 bin=$2
shift 2
[[ $# -gt 0 ]] || { echo "man pages: no program given" >&2; exit 2; }

fail() {
  echo "man page of $program: $*" >&2
  exit 1
}

for program in "$@"; do
  page=$man_dir/$program.1.gz
  [[ -f $page ]] || fail "no $page"
  # ASCII and no pager: flags keep their plain '-', and groff's warnings (-ww) land on stderr.
  text=$(LC_ALL=C MANWIDTH=80 MAN_KEEP_FORMATTING= MANROFFOPT=-ww man -l "$page" 2>"$man_dir/$program.warnings") ||
    fail "man -l exited $?: $(cat "$man_dir/$program.warnings")"
  [[ ! -s $man_dir/$program.warnings ]] || fail "man -l warns: $(cat "$man_dir/$program.warnings")"
  rm -f "$man_dir/$program.warnings"
  sed -n '/^NAME$/,/^SYNOPSIS$/p' <<<"$text" | grep -qE "^ +$program +- +[a-z]" || fail "no 'NAME $program - ...'"
  grep -qE "^ +$program " <<<"$(sed -n '/^SYNOPSIS$/,/^DESCRIPTION$/p' <<<"$text")" || fail "no synopsis"
  help=$("$bin/$program" --help) || fail "$program --help failed"
  # Each flag as an item of its own below DESCRIPTION: "-h,--help", "--state-dir DIR", "--json print ...".
  items=$(sed -n '/^DESCRIPTION$/,$p' <<<"$text")
  for flag in $(grep -E '^  -' <<<"$help" | sed -E 's/^  //; s/ .*//; s/,/ /g'); do
    grep -qE -- "^ +([^ ]+,)?$flag([ ,]|$)" <<<"$items" || fail "$flag (in --help) is not an item of the page"
  done
  version=$("$bin/$program" --version) || fail "$program --version failed"
  grep -qF -- "${version#"$program "}" <<<"$text" || fail "the page does not show the version ($version)"
  echo "man page of $program: ok"
done
