#!/usr/bin/env python3
"""Prints a JUnit file's outline as a CI tool reads it: suites, their cases, failure messages and output.

Exits non-zero when the file is not well-formed XML (the parser raises), and says so when a suite's tests or
failures attribute disagrees with its cases.
"""
import sys
import xml.dom.minidom


def text_of(element):
    return "".join(node.data for node in element.childNodes if node.nodeType == node.TEXT_NODE)


def main(path):
    document = xml.dom.minidom.parse(path)
    for suite in document.getElementsByTagName("testsuite"):
        cases = suite.getElementsByTagName("testcase")
        failed = [case for case in cases if case.getElementsByTagName("failure")]
        if int(suite.getAttribute("tests")) != len(cases) or int(suite.getAttribute("failures")) != len(failed):
            print("counts disagree with the cases")
        name, package = suite.getAttribute("name"), suite.getAttribute("package")
        print(f"{name} [{package}] {len(cases)} cases, {len(failed)} failed")
        for case in cases:
            failures = case.getElementsByTagName("failure")
            print(f'  {case.getAttribute("name")}: ' + (failures[0].getAttribute("message") if failures else "passed"))
            output = text_of(case.getElementsByTagName("system-out")[0])
            if failures and output:
                for line in output.splitlines():
                    print("    | " + line)


if __name__ == "__main__":
    main(sys.argv[1])
