#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Builds the RPMs from packaging/rpm/vmmkit.spec with `rpmbuild -bb --nodeps`
(Debian's rpm: the spec's fallback macros stand in for meson-rpm-macros and
systemd-rpm-macros) and checks with `rpm -qlp` that they hold the man pages
and, once the daemon is merged, the units. Installing RPMs is not possible
on Debian; this test says so rather than pretending.

Usage: rpm_build_test.py SOURCE_DIR WORK_DIR"""
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import debs  # noqa: E402  (source_files: what git knows, as the .debs use)

EXPECTED = {
    "libvmm": ["/libvmm.so.0"],
    "libvmm-devel": ["/usr/include/vmm/vmm/machine.hpp", "/pkgconfig/libvmm.pc", "/usr/share/man/man3/libvmm.3",
                     "/examples/boot-guest.cpp"],
    "vmmd": ["/usr/bin/vmm", "/usr/share/man/man1/vmm.1", "/usr/share/man/man5/vmm.json.5",
             "/usr/share/man/man5/org.vmmkit.vmm1.5", "/usr/share/man/man8/vmmd.8"],
    "vmmctl": ["/usr/share/man/man1/vmmctl.1"],
    "vmmkit-guest": ["/usr/share/vmmkit/guest/vmmkit-guest", "/usr/share/vmmkit/guest/vmmkit-guest.bzImage"],
}
EXPECTED_LATER = {
    "vmmd": ["/usr/libexec/vmmd", "/vmmd.service", "/vmm@.service", "/vmm-guests.target"],
    "vmmctl": ["/usr/bin/vmmctl"],
}


def spec_version(spec: Path) -> str:
    match = re.search(r"^Version:\s*(\S+)", spec.read_text(), re.MULTILINE)
    if not match:
        raise RuntimeError(f"{spec} has no Version:")
    return match.group(1)


def make_tarball(source: Path, sources_dir: Path, version: str) -> Path:
    """The source tarball, as `git archive` would make it but with the
    working tree's (possibly uncommitted) files."""
    sources_dir.mkdir(parents=True, exist_ok=True)
    tarball = sources_dir / f"vmmkit-{version}.tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        for name in debs.source_files(source):
            tar.add(source / name, arcname=f"vmmkit-{version}/{name}", recursive=False)
    return tarball


def main() -> int:
    source, work = Path(sys.argv[1]), Path(sys.argv[2])
    spec = source / "packaging" / "rpm" / "vmmkit.spec"
    version = spec_version(spec)
    # Decided with the tarball, from the same tree.
    required_later = {"vmmd": any((source / "daemon").rglob("*.cpp")),
                      "vmmctl": any((source / "cli" / "vmmctl").rglob("*.cpp"))}
    for sub in ("BUILD", "BUILDROOT", "RPMS", "SRPMS"):
        shutil.rmtree(work / sub, ignore_errors=True)
    make_tarball(source, work / "SOURCES", version)
    command = ["rpmbuild", "-bb", "--nodeps", "--without", "check", "--define", f"_topdir {work}", str(spec)]
    print("==> " + " ".join(command), flush=True)
    with open(work / "build.log", "w") as build_log:
        result = subprocess.run(command, stdout=build_log, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        print("\n".join((work / "build.log").read_text().splitlines()[-40:]))
        print(f"FAIL: rpmbuild exited {result.returncode} (log: {work}/build.log)")
        return 1
    problems = []
    rpms = sorted((work / "RPMS").rglob("*.rpm"))
    for package, fragments in EXPECTED.items():
        matches = [r for r in rpms if re.fullmatch(rf"{re.escape(package)}-{re.escape(version)}-.*\.rpm", r.name)]
        if not matches:
            problems.append(f"no {package} RPM was built")
            continue
        listing = subprocess.run(["rpm", "-qlp", str(matches[0])], check=True, capture_output=True,
                                 text=True).stdout
        print(f"==> rpm -qlp {matches[0].name}\n{listing}")
        for fragment in fragments:
            if fragment not in listing:
                problems.append(f"{package}: nothing matching {fragment}")
        for fragment in EXPECTED_LATER.get(package, []):
            if fragment in listing:
                continue
            if required_later[package]:
                problems.append(f"{package}: nothing matching {fragment} (its sources are in the tree)")
            else:
                print(f"NOT YET: {package} has no {fragment} (the daemon/CLI change is not merged in this tree)")
    scripts = subprocess.run(["rpm", "-qp", "--scripts", str(next(r for r in rpms if r.name.startswith("vmmd-")))],
                             capture_output=True, text=True).stdout
    print(f"==> vmmd scriptlets\n{scripts}")
    if "try-restart vmmd.service" not in scripts or "vmm@" in scripts.replace("vmm@NAME", ""):
        problems.append("vmmd's scriptlets must restart vmmd.service on upgrade and never touch vmm@.service")
    print("NOTE: installing the RPMs is not possible on Debian (no dnf, and rpm -i would bypass dpkg); "
          "only their build and contents were checked here")
    for problem in problems:
        print(f"FAIL: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
