#!/usr/bin/env python3
"""Prints one closing line for the whole suite: meson tests plus fuzz targets.

usage: summarize.py MESON_TESTLOG_JSON [FUZZ_RESULTS]
Exit status is non-zero if anything failed or nothing ran.
"""
import json
import sys


def meson_counts(path):
    passed = failed = skipped = 0
    with open(path, encoding="utf-8") as log:
        for line in log:
            result = json.loads(line).get("result")
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
    return passed, failed, skipped


def fuzz_counts(path):
    passed = failed = 0
    with open(path, encoding="utf-8") as results:
        for line in results:
            if line.strip().endswith(" PASS"):
                passed += 1
            elif line.strip():
                failed += 1
    return passed, failed


def main():
    passed, failed, skipped = meson_counts(sys.argv[1])
    if len(sys.argv) > 2:
        fuzz_passed, fuzz_failed = fuzz_counts(sys.argv[2])
        passed += fuzz_passed
        failed += fuzz_failed
    print(f"vmmkit: {passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
