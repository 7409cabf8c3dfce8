#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Checks the built man pages against what they document.

- every page renders with `man -l` (MANWIDTH=80) with nothing on stderr, and
  passes `mandoc -Tlint` when mandoc is installed;
- vmm(1), vmmctl(1), vmmd(8): every long option of the binary's --help (and
  of each subcommand's --help) is in the page, and every option the page
  documents is in --help;
- vmm.json(5): every key of docs/machine-config.md;
- org.vmmkit.vmm1(5): every method, property and signal of the interface XML,
  every error it names and every polkit action (XML and units/*.policy).
Prints one line per problem and exits 1 if there is any.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

LONG_OPTION = re.compile(r"(?<![\w-])--([a-z][a-z0-9-]*)")
# An option documented in a page: a definition-list term such as
# "*--kernel* path=..." or "*-h*, *--help*".
PAGE_OPTION = re.compile(r"^\*(?:-\w\*, \*)?--([a-z][a-z0-9-]*)\*", re.MULTILINE)
HELP_SUBCOMMANDS = re.compile(r"^(?:SUBCOMMANDS|Subcommands|Commands|COMMANDS):\s*$", re.MULTILINE)


def render(page: Path, problems: list[str]) -> None:
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
    result = subprocess.run(["man", "--warnings", "-l", str(page)], env=env, capture_output=True, text=True)
    if result.returncode != 0 or result.stderr.strip() or len(result.stdout) < 200:
        problems.append(f"{page.name}: man -l failed (status {result.returncode}): {result.stderr.strip()}")
    mandoc = shutil.which("mandoc")
    if mandoc:
        lint = subprocess.run([mandoc, "-Tlint", "-W", "warning", str(page)], capture_output=True, text=True)
        if lint.returncode != 0 or lint.stdout.strip():
            problems.append(f"{page.name}: mandoc -Tlint: {lint.stdout.strip()} {lint.stderr.strip()}")


def help_text(binary: str, *args: str) -> str:
    result = subprocess.run([binary, *args, "--help"], capture_output=True, text=True, timeout=20)
    if result.returncode != 0:
        raise RuntimeError(f"{binary} {' '.join(args)} --help exited {result.returncode}: {result.stderr.strip()}")
    return result.stdout


def subcommands(text: str) -> list[str]:
    """Names listed under CLI11's 'Subcommands:' heading."""
    match = HELP_SUBCOMMANDS.search(text)
    if not match:
        return []
    names = []
    for line in text[match.end():].splitlines():
        if not line.strip():
            if names:
                break
            continue
        if not line.startswith(" "):
            break
        names.append(line.split()[0])
    return names


def check_options(binary: str, page_source: str, page: str, problems: list[str]) -> None:
    top = help_text(binary)
    helped = set(LONG_OPTION.findall(top))
    for command in subcommands(top):
        if not re.search(rf"^\*{re.escape(command)}\*", page_source, re.MULTILINE):
            problems.append(f"{page}: command '{command}' of {Path(binary).name} --help is not documented")
        helped |= set(LONG_OPTION.findall(help_text(binary, command)))
    documented = set(re.findall(r"\*--([a-z][a-z0-9-]*)\*", page_source))
    for option in sorted(helped - documented):
        problems.append(f"{page}: --{option} is in {Path(binary).name} --help but not in the page")
    for option in sorted(set(PAGE_OPTION.findall(page_source)) - helped):
        problems.append(f"{page}: documents --{option}, which {Path(binary).name} --help does not have")


def config_keys(markdown: str) -> list[str]:
    """First-column keys of the key tables (not the flag table) of machine-config.md."""
    keys = []
    for match in re.finditer(r"^\| `([a-z_][a-z0-9_.\[\]]*)` \|", markdown, re.MULTILINE):
        keys.append(match.group(1))
    return keys


def check_config_keys(markdown_path: Path, page_source: str, problems: list[str]) -> None:
    keys = config_keys(markdown_path.read_text())
    if len(keys) < 20:
        problems.append(f"{markdown_path}: found only {len(keys)} keys; has the table format changed?")
    for key in keys:
        if f"*{key}*" not in page_source:
            problems.append(f"vmm.json.5: key '{key}' of {markdown_path.name} is not documented")


def check_dbus(interfaces: Path, units: Path, page_source: str, problems: list[str]) -> None:
    names = set()
    xml_files = sorted(interfaces.glob("*.xml"))
    if not xml_files:
        problems.append(f"{interfaces}: no interface XML")
    for xml_file in xml_files:
        text = xml_file.read_text()
        root = ET.fromstring(text)
        for interface in root.iter("interface"):
            names.add(interface.get("name"))
            for kind in ("method", "property", "signal"):
                for member in interface.iter(kind):
                    names.add(member.get("name"))
        for errors in re.findall(r"Error\.\*:\s*([A-Za-z,\s]+)\.", text):
            names |= {f"org.vmmkit.vmm1.Error.{e.strip()}" for e in errors.split(",") if e.strip()}
        names |= set(re.findall(r"org\.vmmkit\.vmm1\.[a-z]+(?:-[a-z]+)+", text))
    for policy in sorted(units.glob("*.policy")) if units.is_dir() else []:
        for action in ET.parse(policy).getroot().iter("action"):
            names.add(action.get("id"))
    for name in sorted(names):
        if not re.search(rf"(?<![\w.]){re.escape(name)}(?![\w-])", page_source):
            problems.append(f"org.vmmkit.vmm1.5: '{name}' is not documented")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", type=Path, required=True)
    parser.add_argument("--docs", type=Path, required=True)
    parser.add_argument("--interfaces", type=Path, required=True)
    parser.add_argument("--vmm", required=True)
    parser.add_argument("--vmmctl")
    parser.add_argument("--vmmd")
    parser.add_argument("pages", nargs="+", type=Path)
    args = parser.parse_args()

    problems: list[str] = []
    for page in args.pages:
        render(page, problems)
    if not shutil.which("mandoc"):
        print("note: mandoc is not installed; only man -l was checked")

    def source(name: str) -> str:
        return (args.source_dir / f"{name}.scd").read_text()

    check_options(args.vmm, source("vmm.1"), "vmm.1", problems)
    for name, page in (("vmmctl", "vmmctl.1"), ("vmmd", "vmmd.8")):
        binary = getattr(args, name)
        if binary:
            check_options(binary, source(page), page, problems)
        else:
            print(f"note: {name} is not built yet; its page was not compared with --help")
    check_config_keys(args.docs, source("vmm.json.5"), problems)
    check_dbus(args.interfaces, args.source_dir.parent / "units", source("org.vmmkit.vmm1.5"), problems)

    for problem in problems:
        print(problem)
    print(f"{len(args.pages)} pages checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
