# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""The vmm binary under test: from the meson build folder named by
VMMKIT_BUILD (used as it is), or from a build this harness makes itself in
the cache (meson setup once, ninja every run so it follows the sources)."""
import os
import subprocess

from assets import HERE, SetupError, cache_dir, log

REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
VMM_IN_BUILD = os.path.join("cli", "vmm", "vmm")


def find_vmm():
    build = os.environ.get("VMMKIT_BUILD")
    if build:
        vmm = os.path.join(os.path.abspath(build), VMM_IN_BUILD)
        if not os.access(vmm, os.X_OK):
            raise SetupError(f"VMMKIT_BUILD={build} has no {VMM_IN_BUILD}: build it first (ninja -C {build})")
        return vmm
    build = os.path.join(cache_dir(), "build")
    if not os.path.exists(os.path.join(build, "build.ninja")):
        log(f"VMMKIT_BUILD is not set: building vmm in {build}")
        _run(["meson", "setup", build, REPO, "-Dtests=false", "-Dguest=false", "-Dbuildtype=release"], "meson setup")
    _run(["ninja", "-C", build, VMM_IN_BUILD], "ninja")
    return os.path.join(build, VMM_IN_BUILD)


def _run(argv, what):
    got = subprocess.run(argv, capture_output=True, text=True)
    if got.returncode != 0:
        raise SetupError(f"{what} failed ({' '.join(argv)}):\n{(got.stdout + got.stderr)[-3000:]}")
