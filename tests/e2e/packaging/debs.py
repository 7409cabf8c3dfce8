# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Builds vmmkit's .deb packages from a source tree, reusing earlier work.

The source is copied (only files git knows or would add, so no build
folders) into WORK/vmmkit/, where dpkg-buildpackage runs. Files are copied
only when they changed, and dpkg-buildpackage runs without its pre-clean, so
the meson build folder debhelper made last time (obj-<triplet>/) is reused:
ninja rebuilds what changed. debhelper's own stamps are removed first, so
every dh step runs again. A version other than the source's is given as a
changelog entry added to the copy only.
"""
import filecmp
import os
import shutil
import subprocess
from pathlib import Path

DEBHELPER_STATE = ["debhelper-build-stamp", ".debhelper", "tmp", "files"]
PACKAGES = ["libvmm0", "libvmm-dev", "vmmd", "vmmctl", "vmmkit-guest"]
MAINTAINER = "vmmkit tests <tests@users.noreply.h-seed-2746acda.example>"


def log(message: str) -> None:
    print(f"==> {message}", flush=True)


def source_files(source: Path) -> list[str]:
    out = subprocess.run(["git", "-C", str(source), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         check=True, capture_output=True).stdout
    return [name for name in out.decode().split("\0") if name and os.path.lexists(source / name)]


def sync_tree(source: Path, copy: Path) -> int:
    """Makes `copy` hold the files of `source`; returns how many were copied."""
    manifest = copy / ".synced-files"
    before = set(manifest.read_text().splitlines()) if manifest.exists() else set()
    names = source_files(source)
    copied = 0
    for name in names:
        src, dst = source / name, copy / name
        if src.is_symlink():
            if not dst.is_symlink() or os.readlink(dst) != os.readlink(src):
                if dst.is_symlink() or dst.is_file():
                    dst.unlink()
                elif dst.is_dir():
                    shutil.rmtree(dst)
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(os.readlink(src), dst)
                copied += 1
        elif not dst.is_file() or dst.is_symlink() or not filecmp.cmp(src, dst, shallow=False):
            dst.parent.mkdir(parents=True, exist_ok=True)
            if dst.is_symlink():
                dst.unlink()
            # A fresh mtime (not copy2's): ninja must see the file as newer
            # than the objects built from its previous version.
            shutil.copy(src, dst)
            copied += 1
    for gone in before - set(names):
        if (copy / gone).is_file() or (copy / gone).is_symlink():
            (copy / gone).unlink()
    manifest.write_text("\n".join(names))
    return copied


def add_changelog_entry(tree: Path, version: str) -> None:
    changelog = tree / "debian" / "changelog"
    text = changelog.read_text()
    date = subprocess.run(["date", "-R"], check=True, capture_output=True, text=True).stdout.strip()
    entry = (f"vmmkit ({version}) unstable; urgency=medium\n\n"
             f"  * Test build {version} (tests/e2e/packaging).\n\n"
             f" -- {MAINTAINER}  {date}\n\n")
    changelog.write_text(entry + text)


def build_debs(source: Path, work: Path, version: str | None = None, check: bool = False) -> list[Path]:
    """Builds the binary packages; returns the .deb files (also checked to be all there)."""
    tree = work / "vmmkit"
    tree.mkdir(parents=True, exist_ok=True)
    log(f"syncing {source} -> {tree}: {sync_tree(source, tree)} files changed")
    if version:
        add_changelog_entry(tree, version)
    debian = tree / "debian"
    for name in DEBHELPER_STATE + PACKAGES:
        path = debian / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    for log_file in debian.glob("*.debhelper.log"):
        log_file.unlink()
    for old in work.glob("*.deb"):
        old.unlink()
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env["DEB_BUILD_OPTIONS"] = "" if check else "nocheck"
    env.pop("MAKEFLAGS", None)
    command = ["dpkg-buildpackage", "-us", "-uc", "-b", "-nc"]
    log(f"DEB_BUILD_OPTIONS={env['DEB_BUILD_OPTIONS']} {' '.join(command)} (in {tree})")
    with open(work / "build.log", "w") as build_log:
        result = subprocess.run(command, cwd=tree, env=env, stdout=build_log, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        tail = (work / "build.log").read_text().splitlines()[-40:]
        raise RuntimeError(f"dpkg-buildpackage failed ({result.returncode}); last lines of {work}/build.log:\n" +
                           "\n".join(tail))
    debs = sorted(work.glob("*.deb"))
    found = {deb.name.split("_")[0] for deb in debs}
    missing = [name for name in PACKAGES if name not in found]
    if missing:
        raise RuntimeError(f"dpkg-buildpackage made no package for {missing}")
    return debs


def changes_file(work: Path) -> Path:
    changes = sorted(work.glob("*.changes"), key=lambda p: p.stat().st_mtime)
    if not changes:
        raise RuntimeError(f"no .changes in {work}")
    return changes[-1]
