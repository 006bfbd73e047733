#!/usr/bin/env python3
"""Extracts the HTTP examples of ads_sim/PROTOCOL.md into a C++ header for the contract tests.

Usage: extract_examples.py PROTOCOL.md OUTPUT.hpp

An example is a fenced block tagged `http` (the format is described in PROTOCOL.md, "How the examples are
checked"): `# given:` / `# not sent by the module:` lines, a request line, headers, a blank line, an optional
body, then the answer from its `HTTP/1.1 <status>` line on. Anything this program cannot read fails the build
with the PROTOCOL.md line, so the document cannot drift into examples no test checks. In §1-§2 every code block
must be an `http` example or a `text` block (a format, not an exchange); indented code blocks are refused there.
"""
import json
import re
import sys

ANNOTATIONS = ("given", "not sent by the module", "not checked against ads-sim")
PLACEHOLDER = re.compile(r"<[^<>\s][^<>]*>")
# Marks the answers' JSON carries for the tests (see tests/contract/example_match.hpp).
UNQUOTED = "\u0000"
REST = "\u0000..."


class ExampleError(Exception):
    def __init__(self, line, why):
        super().__init__(why)
        self.line = line


def mark_json(text, line):
    """An answer's JSON with placeholders outside strings and `...` turned into marked strings, so it parses."""
    out, stack, i, in_string = [], [], 0, False
    while i < len(text):
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
            out.append(ch)
        elif ch in "{[":
            stack.append(ch)
            out.append(ch)
        elif ch in "}]":
            if stack:
                stack.pop()
            out.append(ch)
        elif text.startswith("...", i):
            out.append(json.dumps(REST) + (":null" if stack and stack[-1] == "{" else ""))
            i += 2
        elif ch == "<":
            found = PLACEHOLDER.match(text, i)
            if not found:
                raise ExampleError(line, f"a '<' in the JSON that is no <placeholder>: {text[i:i + 20]!r}")
            out.append(json.dumps(UNQUOTED + found.group(0)))
            i = found.end() - 1
        else:
            out.append(ch)
        i += 1
    try:
        parsed = json.loads("".join(out))
    except json.JSONDecodeError as error:
        raise ExampleError(line, f"the body is not JSON (with placeholders): {error}") from None
    return mark_nested_json(parsed, line)


def mark_nested_json(value, line):
    """A string that looks like JSON text (a command's `data`) is marked too: the tests compare it as JSON."""
    if isinstance(value, dict):
        return {name: mark_nested_json(member, line) for name, member in value.items()}
    if isinstance(value, list):
        return [mark_nested_json(member, line) for member in value]
    if isinstance(value, str) and value.startswith("{"):
        return json.dumps(mark_json(value, line), ensure_ascii=False)
    return value


def request_json_check(body, line):
    """A request body with its placeholders filled by anything must be JSON."""
    filled = PLACEHOLDER.sub("0", body)
    try:
        json.loads(filled)
    except json.JSONDecodeError as error:
        raise ExampleError(line, f"the request body is not JSON (placeholders read as 0): {error}") from None


def read_headers(lines, at, first_line):
    headers = []
    while at < len(lines) and lines[at].strip():
        name, colon, value = lines[at].partition(":")
        if not colon or not re.fullmatch(r"[A-Za-z0-9-]+", name):
            raise ExampleError(first_line + at, f"not a header line: {lines[at]!r}")
        headers.append((name, value.strip()))
        at += 1
    return headers, at


def parse_example(lines, first_line, section):
    """`lines`: the block's lines; `first_line`: the PROTOCOL.md line of lines[0]."""
    example = {"line": first_line, "section": section, "given": [], "not_sent": "", "not_checked": ""}
    at = 0
    while at < len(lines) and lines[at].startswith("#"):
        key, colon, value = lines[at][1:].partition(":")
        key, value = key.strip(), value.strip()
        if not colon or key not in ANNOTATIONS or not value:
            raise ExampleError(first_line + at, f"an annotation is '# <one of {', '.join(ANNOTATIONS)}>: <text>'")
        if key == "given":
            example["given"].append(value)
        else:
            example["not_sent" if key == "not sent by the module" else "not_checked"] = value
        at += 1
    request = re.fullmatch(r"(GET|PUT|POST|DELETE) (/.*\S)", lines[at] if at < len(lines) else "")
    if not request:
        raise ExampleError(first_line + at, "expected a request line '<METHOD> <target>'")
    example["method"], example["target"] = request.groups()
    example["request_line"] = first_line + at
    example["request_headers"], at = read_headers(lines, at + 1, first_line)
    status_at = next((i for i in range(at, len(lines)) if lines[i].startswith("HTTP/1.1 ")), None)
    if status_at is None:
        raise ExampleError(first_line, "no answer: a line 'HTTP/1.1 <status> <reason>' must follow the request")
    body = "\n".join(lines[at:status_at]).strip()
    if body:
        request_json_check(body, first_line + at)
    example["request_body"] = body
    status = re.fullmatch(r"HTTP/1\.1 ([1-5][0-9][0-9])( .*)?", lines[status_at])
    if not status:
        raise ExampleError(first_line + status_at, f"not a status line: {lines[status_at]!r}")
    example["status"] = int(status.group(1))
    example["response_line"] = first_line + status_at
    example["response_headers"], at = read_headers(lines, status_at + 1, first_line)
    answer = "\n".join(lines[at:]).strip()
    if PLACEHOLDER.fullmatch(answer):
        example["body_kind"], example["response_body"] = "bytes", answer
    elif answer:
        example["body_kind"] = "json"
        example["response_body"] = json.dumps(mark_json(answer, first_line + at), ensure_ascii=False)
    else:
        example["body_kind"], example["response_body"] = "none", ""
    return example


def extract(markdown):
    lines = markdown.split("\n")
    examples, section, i = [], "", 0
    while i < len(lines):
        line = lines[i]
        heading = re.match(r"#{2,4} ([0-9]+(?:\.[0-9]+[a-z]?)?)\.? ", line)
        if heading:
            section = heading.group(1)
        checked_part = section.split(".")[0] in ("1", "2")
        fence = re.match(r"```(.*)$", line)
        if fence:
            tag, end = fence.group(1).strip(), i + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            if end == len(lines):
                raise ExampleError(i + 1, "a code block that is never closed")
            if tag == "http":
                examples.append(parse_example(lines[i + 1:end], i + 2, section))
            elif checked_part and tag != "text":
                raise ExampleError(i + 1, "in §1-§2 a code block is an `http` example or a `text` format")
            i = end + 1
            continue
        if checked_part and starts_indented_block(lines, i):
            raise ExampleError(i + 1, "an indented code block in §1-§2: make it an `http` example or a `text` block")
        i += 1
    if not examples:
        raise ExampleError(1, "no ```http examples found")
    return examples


def starts_indented_block(lines, i):
    """Markdown's indented code block: 4 spaces after a blank line that follows a paragraph (not a list item)."""
    if not lines[i].startswith("    ") or i < 2 or lines[i - 1].strip():
        return False
    before = lines[i - 2]
    return bool(before.strip()) and not before.startswith((" ", "-", "*", "|"))


def cpp_string(text):
    if ")ex\"" in text:
        raise ExampleError(0, "an example holds ')ex\"', which ends the generated raw string")
    return 'R"ex(' + text + ')ex"'


def cpp_pairs(pairs):
    return "{" + ", ".join("{" + cpp_string(n) + ", " + cpp_string(v) + "}" for n, v in pairs) + "}"


def title(example):
    return (f"PROTOCOL.md:{example['line']} ({example['section']}) {example['method']} {example['target']} "
            f"-> {example['status']}")


def generate(examples):
    out = ["// Generated by tests/contract/extract_examples.py from ads_sim/PROTOCOL.md: do not edit.",
           "#pragma once", '#include "tests/contract/protocol_example.hpp"', "",
           "namespace contract {", "", "inline const protocol_example protocol_examples[] = {"]
    for e in examples:
        out.append(
            f"    {{{e['line']}, {e['request_line']}, {e['response_line']}, {cpp_string(e['section'])}, "
            f"{cpp_string(title(e))},\n"
            f"     {{{', '.join(cpp_string(g) for g in e['given'])}}}, {cpp_string(e['not_sent'])}, "
            f"{cpp_string(e['not_checked'])},\n"
            f"     {cpp_string(e['method'])}, {cpp_string(e['target'])}, {cpp_pairs(e['request_headers'])},\n"
            f"     {cpp_string(e['request_body'])},\n"
            f"     {e['status']}, {cpp_pairs(e['response_headers'])}, body_kind::{e['body_kind']},\n"
            f"     {cpp_string(e['response_body'])}}},")
    out += ["};", "", "}  // namespace contract", ""]

    def cases(name, keep):
        rows = [f"  X({n}, {json.dumps(title(e))})" for n, e in enumerate(examples) if keep(e)]
        return [f"#define {name}(X)" + (" \\" if rows else "")] + [r + " \\" for r in rows[:-1]] + rows[-1:] + [""]

    out += cases("CONTRACT_SERVICE_CASES", lambda e: not e["not_checked"])
    out += cases("CONTRACT_MODULE_CASES", lambda e: not e["not_sent"])
    return "\n".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extract_examples.py PROTOCOL.md OUTPUT.hpp")
    try:
        with open(sys.argv[1], encoding="utf-8") as source:
            examples = extract(source.read())
        text = generate(examples)
    except ExampleError as error:
        sys.exit(f"{sys.argv[1]}:{error.line}: {error}")
    with open(sys.argv[2], "w", encoding="utf-8") as output:
        output.write(text)


if __name__ == "__main__":
    main()
