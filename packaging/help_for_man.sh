#!/usr/bin/env bash
# What help2man reads instead of $SIM7600_MAN_PROGRAM's own output: its --help (or --version) in the GNU shape
# help2man parses, the program's words unchanged: "Usage:" (the page's SYNOPSIS), a second synopsis line as "or:",
# and each line of a "Verbs:" list a paragraph of its own (help2man would join them into one).
set -euo pipefail
"$SIM7600_MAN_PROGRAM" "$@" | sed -E '1s/^usage: /Usage: /; 2s/^       (\S)/   or: \1/; /^Verbs:$/,/^$/{/^  /G}'
