#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""The user's path with the Debian packages, in a real systemd (a container
of this machine's tree over a throw-away overlay root, container.py):

1. build the .debs (nocheck; the tests ran already) and a second, newer
   build of the same tree (version +upgrade1) for the upgrade;
2. `apt-get install ./*.deb` inside the container;
3. as a new user would: vmmctl create demo, vmmctl start demo, the guest's
   output through vmmctl console demo (a line typed comes back), systemctl
   status vmm@demo running, machinectl list showing it when machined runs;
4. upgrade to the newer packages while the guest runs: vmmd restarts,
   vmm@demo.service keeps its MainPID;
5. vmmctl stop demo: the guest powers off gracefully;
6. apt-get purge: every installed file is gone except the user's state
   (/var/lib/vmmkit/machines).

Needs root, systemd-nspawn and /dev/kvm (exit 77 = skipped, loudly).

Usage: deb_install_test.py SOURCE_DIR WORK_DIR"""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import debs  # noqa: E402
from console_client import ProcessConsole  # noqa: E402
from container import Container, ContainerError  # noqa: E402

SKIP = 77
PACKAGES = debs.PACKAGES
GREETING = "hello from the packaging test"
USER_STATE = "/var/lib/vmmkit/machines"


class TestFailure(RuntimeError):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise TestFailure(message)
    print(f"ok: {message}", flush=True)


def deb_version(deb: Path) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), "Version"], check=True, capture_output=True,
                          text=True).stdout.strip()


def build_both(source: Path, work: Path) -> tuple[Path, Path, str, str]:
    v1_dir, v2_dir = work / "install-v1", work / "install-v2"
    for folder in (v1_dir, v2_dir):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    built = debs.build_debs(source, work)
    v1 = deb_version(built[0])
    for deb in built:
        if "-dbgsym_" not in deb.name:
            shutil.copy2(deb, v1_dir)
    v2 = f"{v1}+upgrade1"
    for deb in debs.build_debs(source, work, version=v2):
        if "-dbgsym_" not in deb.name:
            shutil.copy2(deb, v2_dir)
    return v1_dir, v2_dir, v1, v2


def installed_versions(box: Container) -> dict[str, str]:
    out = box.run("dpkg-query -W -f '${Package} ${Version} ${db:Status-Status}\\n' " + " ".join(PACKAGES),
                  check=False, quiet=True).stdout
    return {p: v for p, v, status in (line.split() for line in out.splitlines() if line.count(" ") == 2)
            if status == "installed"}


def installed_files(box: Container) -> list[str]:
    out = box.run("dpkg -L " + " ".join(PACKAGES), quiet=True).stdout
    files = []
    for path in out.splitlines():
        if path.startswith("/") and box.run(f"test -d '{path}'", check=False, quiet=True).returncode != 0:
            files.append(path)
    return files


def install(box: Container, folder: str, version: str) -> None:
    box.run(f"apt-get install -y {folder}/*.deb", timeout=600)
    versions = installed_versions(box)
    expect(all(versions.get(p) == version for p in PACKAGES), f"all packages installed at {version}: {versions}")


class VmmctlClient:
    """What a person types."""
    name = "vmmctl"

    def create(self, box: Container) -> None:
        box.run("vmmctl create demo")

    def start(self, box: Container) -> None:
        box.run("vmmctl start demo", timeout=60)

    def console(self, box: Container) -> None:
        # As a script uses it (stdin not a terminal): input until its end,
        # then output until 3 s pass without any (vmmctl(1)).
        console = ProcessConsole(box.command("vmmctl console demo --timeout 3"))
        console.wait_for("serve: up", 30)
        console.send(GREETING + "\n")
        console.wait_for("echo: " + GREETING, 30)
        status = console.close(leave=b"")
        expect(status == 0, f"vmmctl console showed the guest and echoed a typed line (exit status {status})")

    def list(self, box: Container) -> str:
        return box.run("vmmctl list --no-legend", timeout=30).stdout

    def stop(self, box: Container) -> None:
        box.run("vmmctl stop demo", timeout=90)


def managed_path(box: Container, v2: str, client: VmmctlClient) -> None:
    """Steps 3-5 as the issue describes them, through vmmd (and vmmctl)."""
    # What Debian's udev rule does on a real host (no udev runs in the
    # container): /dev/kvm 0660 root:kvm, so the vmm user (group kvm) can
    # open it. A node of its own, so the host's /dev/kvm is not changed.
    box.run("umount /dev/kvm && rm -f /dev/kvm && mknod -m 0660 /dev/kvm c 10 232 && chgrp kvm /dev/kvm")
    client.create(box)
    client.start(box)
    client.console(box)

    status_text = box.run("systemctl status --no-pager vmm@demo.service", check=False).stdout
    print(status_text)
    expect("active (running)" in status_text, "systemctl status vmm@demo shows it running")
    listing = client.list(box)
    expect("demo" in listing and "running" in listing, f"{client.name} list shows demo running: {listing.strip()}")
    if box.run("test -x /lib/systemd/systemd-machined", check=False).returncode == 0:
        machines = box.run("machinectl list --no-legend", check=False).stdout
        expect("demo" in machines, f"machinectl list shows the guest: {machines.strip()}")
    else:
        print("note: systemd-machined is not installed here; machinectl list not checked")

    vmmd_pid = box.unit_property("vmmd.service", "MainPID")
    guest_pid = box.unit_property("vmm@demo.service", "MainPID")
    install(box, "/debs/v2", v2)
    time.sleep(2)
    expect(box.unit_property("vmm@demo.service", "MainPID") == guest_pid and
           box.unit_property("vmm@demo.service", "ActiveState") == "active",
           f"the upgrade left vmm@demo.service running with the same MainPID {guest_pid}")
    listing = client.list(box)  # D-Bus activates vmmd if it is not up yet
    new_vmmd_pid = box.unit_property("vmmd.service", "MainPID")
    expect(new_vmmd_pid not in ("0", vmmd_pid), f"the upgrade restarted vmmd (MainPID {vmmd_pid} -> {new_vmmd_pid})")
    expect("demo" in listing and "running" in listing, "the restarted vmmd shows demo running")

    client.stop(box)
    expect(box.unit_property("vmm@demo.service", "ActiveState") == "inactive" and
           box.unit_property("vmm@demo.service", "Result") == "success",
           "stop: the guest powered off, vmm@demo.service inactive with result success")


def main() -> int:
    source, work = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    if os.geteuid() != 0:
        print("SKIP: needs root (overlay mounts and systemd-nspawn): the packaging path test did NOT run")
        return SKIP
    if not shutil.which("systemd-nspawn"):
        print("SKIP: systemd-nspawn is missing (package systemd-container): the packaging path test did NOT run")
        return SKIP
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: /dev/kvm is missing or not accessible: the packaging path test did NOT run")
        return SKIP

    v1_dir, v2_dir, v1, v2 = build_both(source, work)
    with Container("vmmkit-pkg", binds_ro={str(v1_dir): "/debs/v1", str(v2_dir): "/debs/v2"}) as box:
        try:
            # Container images (this machine's tree too) often carry a
            # policy-rc.d that forbids maintainer scripts to start or restart
            # services; a user's machine has none. Remove it from the
            # container's overlay so the packages' scripts run as they would there.
            if box.run("test -e /usr/sbin/policy-rc.d", check=False).returncode == 0:
                print("note: removing /usr/sbin/policy-rc.d (from the host tree) inside the container")
                box.run("rm /usr/sbin/policy-rc.d")
            install(box, "/debs/v1", v1)
            page = box.run("MANWIDTH=80 man vmm.json 2>&1 | head -5", check=False).stdout
            expect("vmm.json" in page, "man vmm.json works from the installed package")
            files = installed_files(box)
            expect("/usr/libexec/vmmd" in files, "the packages hold /usr/libexec/vmmd")
            expect("/usr/bin/vmmctl" in files, "the packages hold /usr/bin/vmmctl")
            managed_path(box, v2, VmmctlClient())

            box.run(f"mkdir -p {USER_STATE} && echo '{{}}' > {USER_STATE}/mine.json")
            box.run("apt-get purge -y " + " ".join(PACKAGES), timeout=300)
            expect(not installed_versions(box), "apt-get purge removed every package")
            left = [f for f in files if box.run(f"test -e '{f}'", check=False, quiet=True).returncode == 0]
            expect(not left, f"no installed file is left after purge (left: {left})")
            kept = box.run(f"ls {USER_STATE}", check=False).stdout.split()
            expect("mine.json" in kept, f"the user's state in {USER_STATE} is kept: {kept}")
            expect("demo.json" in kept, "the definition of demo is kept")
        except Exception:
            print("--- container console (tail) ---")
            print(box.console_text())
            journal = box.run("journalctl --no-pager -n 80", check=False, quiet=True).stdout
            print(f"--- container journal (tail) ---\n{journal}")
            raise
    print("PASS: install, run, upgrade with a running guest, stop and purge")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (TestFailure, ContainerError, RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"FAIL: {error}")
        sys.exit(1)
