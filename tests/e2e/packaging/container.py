# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""A real systemd in a container of this machine's own tree, with a
throw-away root: an overlayfs whose lower layer is / and whose upper layer
is a tmpfs mounted outside the tree (TESTING.md: --volatile=overlay refuses
-D /). Packages installed inside never touch the host. Needs root.

    with Container("vmmkit-pkg", binds_ro={host_dir: "/debs"}) as box:
        box.run("apt-get install -y /debs/*.deb")
"""
import os
import shlex
import signal
import subprocess
import tempfile
import time
from pathlib import Path

CONTAINER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class ContainerError(RuntimeError):
    pass


class Container:
    def __init__(self, name: str, binds_ro: dict[str, str] | None = None, boot_timeout: float = 90):
        self.name = name
        self.binds_ro = binds_ro or {}
        self.boot_timeout = boot_timeout
        self.nspawn: subprocess.Popen | None = None
        self.leader = 0
        self._tmp = None
        self._mounts: list[Path] = []

    # -- life cycle -------------------------------------------------------
    def __enter__(self) -> "Container":
        try:
            self._mount_root()
            self._boot()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _mount_root(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix=f"{self.name}-")
        base = Path(self._tmp.name)
        layer, self.root = base / "layer", base / "root"
        layer.mkdir()
        self.root.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", str(layer)], check=True)
        self._mounts.append(layer)
        (layer / "upper").mkdir()
        (layer / "work").mkdir()
        subprocess.run(["mount", "-t", "overlay", "overlay", "-o",
                        f"lowerdir=/,upperdir={layer}/upper,workdir={layer}/work", str(self.root)], check=True)
        self._mounts.append(self.root)
        self.console_log = base / "console.log"

    def _boot(self) -> None:
        command = ["systemd-nspawn", "-D", str(self.root), "--register=no", "--keep-unit", "-M", self.name,
                   "--console=pipe", "-q", "--private-network", "--link-journal=no", "--bind=/dev/kvm"]
        for host, inside in self.binds_ro.items():
            command.append(f"--bind-ro={host}:{inside}")
        command += ["-b", "systemd.firstboot=off"]
        self._console = open(self.console_log, "w")
        self.nspawn = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self._console,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.boot_timeout
        while not self.leader:
            if self.nspawn.poll() is not None:
                raise ContainerError(f"systemd-nspawn exited {self.nspawn.returncode}:\n{self.console_text()}")
            if time.monotonic() > deadline:
                raise ContainerError(f"no container PID 1 after {self.boot_timeout} s")
            self.leader = self._find_leader()
            time.sleep(0.2)
        while True:
            state = self.run("systemctl is-system-running", check=False, timeout=30, quiet=True).stdout.strip()
            if state in ("running", "degraded"):
                break
            if time.monotonic() > deadline:
                raise ContainerError(f"the container's systemd is '{state}' after {self.boot_timeout} s")
            time.sleep(0.5)
        if state == "degraded":
            failed = self.run("systemctl --failed --no-legend --plain", check=False).stdout
            print(f"note: the container booted degraded; failed units (from the host's tree):\n{failed}")

    def _find_leader(self) -> int:
        # nspawn's child is the container's PID 1 (systemd).
        for child in Path("/proc").glob("[0-9]*"):
            try:
                stat = (child / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) == self.nspawn.pid:
                return int(child.name)
        return 0

    def close(self) -> None:
        if self.nspawn and self.nspawn.poll() is None:
            # The container does not power off by itself here (TESTING.md):
            # ask, then insist.
            if self.leader:
                self.run("systemctl poweroff --no-block", check=False, timeout=10)
            try:
                self.nspawn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.nspawn.pid, signal.SIGKILL)
                self.nspawn.wait(timeout=20)
        for mount in reversed(self._mounts):
            subprocess.run(["umount", "-l", str(mount)], check=False)
        self._mounts.clear()
        if self._tmp:
            self._tmp.cleanup()
            self._tmp = None

    # -- use --------------------------------------------------------------
    def console_text(self) -> str:
        try:
            return self.console_log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def command(self, shell: str) -> list[str]:
        """argv that runs `shell` inside the container, as root, clean env."""
        return ["nsenter", "-t", str(self.leader), "-m", "-u", "-i", "-n", "-p", "-C", "-r", "-w",
                "env", "-i", f"PATH={CONTAINER_PATH}", "LANG=C.UTF-8", "HOME=/root", "TERM=dumb",
                "DEBIAN_FRONTEND=noninteractive", "SYSTEMD_PAGER=", "/bin/sh", "-c", shell]

    def run(self, shell: str, check: bool = True, timeout: float = 120, input: str | None = None,
            quiet: bool = False) -> subprocess.CompletedProcess:
        if not quiet:
            print(f"[{self.name}]# {shell}", flush=True)
        result = subprocess.run(self.command(shell), capture_output=True, text=True, timeout=timeout, input=input)
        if check and result.returncode != 0:
            raise ContainerError(f"'{shell}' exited {result.returncode}:\n{result.stdout}{result.stderr}")
        return result

    def unit_property(self, unit: str, prop: str) -> str:
        return self.run(f"systemctl show -P {shlex.quote(prop)} {shlex.quote(unit)}", quiet=True).stdout.strip()
