#!/usr/bin/env python3
"""Prints one closing line for the whole suite: meson tests plus fuzz targets.

A GoogleTest executable counts its test cases ("[  PASSED  ] N tests"), the
vmm binary suite its unittest cases ("vmm-binary: N passed, M failed, K
skipped"), any other meson test counts once, and so does each fuzz target.

usage: summarize.py MESON_TESTLOG_JSON [FUZZ_RESULTS]
Exit status is non-zero if anything failed or nothing ran.
"""
import json
import re
import sys


GTEST_PASSED = re.compile(r"^\[  PASSED  \] (\d+) tests?", re.M)
GTEST_SKIPPED = re.compile(r"^\[  SKIPPED \] (\d+) tests?", re.M)
GTEST_FAILED = re.compile(r"^\[  FAILED  \] (\d+) tests?", re.M)
PLAIN = re.compile(r"^\S+: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?$", re.M)


def case_counts(entry):
    """(passed, failed, skipped) of one meson test, from its output when it has counts."""
    out = entry.get("stdout") or ""
    ok = entry.get("result") in ("OK", "EXPECTEDFAIL")
    if GTEST_PASSED.search(out):
        passed = int(GTEST_PASSED.search(out).group(1))
        skipped = int(GTEST_SKIPPED.search(out).group(1)) if GTEST_SKIPPED.search(out) else 0
        failed = int(GTEST_FAILED.search(out).group(1)) if GTEST_FAILED.search(out) else 0
        return passed, max(failed, 0 if ok else 1), skipped
    plain = PLAIN.findall(out)
    if plain:
        passed, failed, skipped = (int(x or 0) for x in plain[-1])
        return passed, max(failed, 0 if ok else 1), skipped
    if entry.get("result") == "SKIP":
        return 0, 0, 1
    return (1, 0, 0) if ok else (0, 1, 0)


def meson_counts(path):
    passed = failed = skipped = 0
    with open(path, encoding="utf-8") as log:
        for line in log:
            p, f, s = case_counts(json.loads(line))
            passed, failed, skipped = passed + p, failed + f, skipped + s
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
        try:
            fuzz_passed, fuzz_failed = fuzz_counts(sys.argv[2])
        except OSError:
            fuzz_passed, fuzz_failed = 0, 0
        if fuzz_passed + fuzz_failed == 0:
            # No fuzz target ran (their build failed): that is a failure, not zero tests.
            print(f"summarize: no fuzz target results in {sys.argv[2]}", file=sys.stderr)
            fuzz_failed = 1
        passed += fuzz_passed
        failed += fuzz_failed
    print(f"vmmkit: {passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
