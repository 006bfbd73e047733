#!/usr/bin/env python3
"""Fails when a C or C++ source outside common/random_bytes.cpp calls OpenSSL's RAND_*bytes directly.

Every secret (tokens, salts, serials, nonces) is drawn through common::random_bytes, which aborts when the
generator fails; a direct call is where an ignored failure would mint a predictable secret.
Usage: random_bytes_only.py <source root>. Standard library only.
"""
import os
import re
import sys

ALLOWED = {os.path.join("common", "random_bytes.cpp")}
EXTENSIONS = {".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp"}
CALL = re.compile(r"\bRAND_(?:priv_|pseudo_)?bytes\b")
SKIPPED_DIRS = {".git", "node_modules"}


def offences(root):
    for path, dirs, files in os.walk(root):
        if "CMakeCache.txt" in files:  # a build tree inside the checkout: generated, not ours
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            if os.path.splitext(name)[1] not in EXTENSIONS:
                continue
            full = os.path.join(path, name)
            relative = os.path.relpath(full, root)
            if relative in ALLOWED:
                continue
            with open(full, encoding="utf-8", errors="replace") as source:
                for number, line in enumerate(source, 1):
                    if CALL.search(line):
                        yield f"{relative}:{number}: {line.strip()}"


def main():
    if len(sys.argv) != 2:
        print("usage: random_bytes_only.py <source root>", file=sys.stderr)
        return 2
    found = list(offences(sys.argv[1]))
    for offence in found:
        print(f"{offence}\n  draw random bytes through common::random_bytes (common/random_bytes.hpp)")
    if found:
        print(f"{len(found)} direct RAND_bytes call(s) outside common/random_bytes.cpp", file=sys.stderr)
        return 1
    print("RAND_bytes appears only in common/random_bytes.cpp")
    return 0


if __name__ == "__main__":
    sys.exit(main())
