#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""libvmm as a product: install the build into a staging folder D
(`meson install --destdir D`), build docs/examples/boot-guest.cpp against the
installed library only (`pkg-config --cflags --libs libvmm` with
PKG_CONFIG_PATH inside D and PKG_CONFIG_SYSROOT_DIR=D), check the SONAME and
the program's NEEDED entry, and boot the installed test guest with it
(LD_LIBRARY_PATH into D). Without /dev/kvm the boot is skipped, loudly.

Usage: installed_library.py BUILD_DIR EXAMPLE.cpp PREFIX LIBDIR DATADIR"""
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SKIP = 77


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    print("$ " + " ".join(command), flush=True)
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def must(command: list[str], **kwargs) -> str:
    result = run(command, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout


def dynamic_entries(path: Path, tag: str) -> list[str]:
    out = must(["readelf", "-d", str(path)])
    return re.findall(rf"\({tag}\)\s+.*\[(.*)\]", out)


def main() -> int:
    build, example = Path(sys.argv[1]), Path(sys.argv[2])
    prefix, libdir, datadir = sys.argv[3], sys.argv[4], sys.argv[5]
    with tempfile.TemporaryDirectory(prefix="vmmkit-installed-") as tmp:
        stage = Path(tmp) / "root"
        must(["meson", "install", "-C", str(build), "--destdir", str(stage), "--no-rebuild", "--quiet"])
        lib = stage / prefix.lstrip("/") / libdir
        pkgconfig_dir = lib / "pkgconfig"
        if not (pkgconfig_dir / "libvmm.pc").is_file():
            raise RuntimeError(f"meson install put no libvmm.pc in {pkgconfig_dir}")
        sonames = dynamic_entries(lib / "libvmm.so", "SONAME")
        if sonames != ["libvmm.so.0"]:
            raise RuntimeError(f"installed libvmm.so has SONAME {sonames}, expected libvmm.so.0")

        env = dict(os.environ, PKG_CONFIG_PATH=str(pkgconfig_dir), PKG_CONFIG_SYSROOT_DIR=str(stage))
        flags = must(["pkg-config", "--cflags", "--libs", "libvmm"], env=env).split()
        print("pkg-config --cflags --libs libvmm: " + " ".join(flags))
        # Every -I and -L must point into the staging folder: the program
        # is built from what was installed, not from the source or build tree.
        for flag in flags:
            if flag[:2] in ("-I", "-L") and not flag[2:].startswith(str(stage)):
                if flag[2:] not in ("/usr/include",):
                    raise RuntimeError(f"pkg-config flag {flag} points outside the installed tree {stage}")
        program = Path(tmp) / "boot-guest"
        compiler = os.environ.get("CXX", "c++")
        must([compiler, "-std=c++20", "-Wall", "-Wextra", "-Werror", "-o", str(program), str(example), *flags])
        needed = dynamic_entries(program, "NEEDED")
        if "libvmm.so.0" not in needed:
            raise RuntimeError(f"boot-guest does not need libvmm.so.0 (NEEDED: {needed})")
        print(f"built {program.name} against the installed library; NEEDED {needed}")

        if not (os.access("/dev/kvm", os.R_OK | os.W_OK)):
            print("SKIP: /dev/kvm is missing or not accessible: the example was built and linked, "
                  "but the test guest was NOT booted", flush=True)
            return SKIP
        guest = stage / prefix.lstrip("/") / datadir / "vmmkit" / "guest" / "vmmkit-guest"
        run_env = dict(os.environ, LD_LIBRARY_PATH=str(lib))
        ldd = must(["ldd", str(program)], env=run_env)
        if str(lib / "libvmm.so.0") not in ldd:
            raise RuntimeError(f"boot-guest does not load the installed libvmm.so.0:\n{ldd}")
        result = run([str(program), str(guest), "console=ttyS0 vmmkit.tests=serial,cmdline"], env=run_env,
                     timeout=120)
        print(result.stdout)
        print(result.stderr)
        if result.returncode != 0:
            raise RuntimeError(f"boot-guest exited {result.returncode}")
        if "vmmkit-guest: 2 passed, 0 failed" not in result.stdout:
            raise RuntimeError("the guest did not report '2 passed, 0 failed'")
        print("PASS: the example built against the installed libvmm booted the installed test guest")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"FAIL: {error}")
        sys.exit(1)
