# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Runs the L1 guest: a Debian cloud kernel under QEMU TCG with an emulated
AMD SVM (so kvm-amd gives L1 a real /dev/kvm), with a no-output watchdog.

Nested runs are sometimes lost without a message (L1 resets or an L2 hangs;
see TESTING.md "Two kinds of guest"), so a silent run is reported as a hang
for the caller to retry once; a run that ended with a message is final.
"""
import os
import re
import selectors
import subprocess
import time
from dataclasses import dataclass, field

L1_MEMORY_MIB = 2048
# no_timer_check: under a loaded host TCG is too slow for the IO-APIC timer
# check, which then panics L1 ("IO-APIC + timer doesn't work!").
L1_CMDLINE = "console=ttyS0 panic=1 quiet no_timer_check"
DONE_LINE = "E2E: DONE"
# Lines the terminal shows while the run goes on (everything goes to the log).
ANSI_ESCAPE = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|[@-~])")  # SeaBIOS clears the screen
PROGRESS = re.compile(r"^(E2E: |L2\[[^\]]*\]\| (E2E-L2: |vmm: |.*Kernel panic))")


@dataclass
class L1Run:
    outcome: str  # "done", "hang" (silent), "exited" (L1 ended early), "timeout" (whole-run limit)
    lines: list = field(default_factory=list)
    seconds: float = 0.0
    detail: str = ""

    def ended_with_message(self):
        """True when the early end explains itself (a panic or an E2E line), so no retry."""
        return any("Kernel panic" in l or l.startswith("E2E: FAIL") for l in self.lines)


def qemu_argv(kernel, initrd, cmdline=L1_CMDLINE):
    return ["qemu-system-x86_64", "-M", "q35", "-accel", "tcg,thread=multi", "-smp", "2",
            "-cpu", "EPYC,+svm,+npt", "-m", str(L1_MEMORY_MIB), "-nodefaults", "-nographic",
            "-serial", "stdio", "-kernel", kernel, "-initrd", initrd, "-append", cmdline, "-no-reboot"]


def run_l1(kernel, initrd, log_path, deadline, silent_s, echo=print, verbose=False):
    """Boots L1 until it prints DONE_LINE and powers off, goes silent, or DEADLINE (time.monotonic()) passes."""
    start = time.monotonic()
    proc = subprocess.Popen(qemu_argv(kernel, initrd), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    run = L1Run("exited")
    pending = b""
    last_output = start
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    with open(log_path, "wb") as log:
        while True:
            now = time.monotonic()
            if now >= deadline:
                run.outcome, run.detail = "timeout", "the whole-run time limit passed"
                break
            if now - last_output >= silent_s:
                run.outcome, run.detail = "hang", f"no serial output from L1 for {silent_s} s"
                break
            if not selector.select(timeout=1.0):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            last_output = time.monotonic()
            log.write(chunk)
            log.flush()
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for raw in complete:
                line = ANSI_ESCAPE.sub("", raw.decode(errors="replace").replace("\r", ""))
                run.lines.append(line)
                if verbose or PROGRESS.match(line):
                    echo(f"  [{time.monotonic() - start:6.1f} s] {line}")
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    if pending:
        run.lines.append(pending.decode(errors="replace").replace("\r", ""))
    if run.outcome == "exited":
        if any(l.startswith(DONE_LINE) for l in run.lines):
            run.outcome = "done"
        else:
            run.detail = f"QEMU exited (status {proc.returncode}) before L1 printed \"{DONE_LINE}\""
    run.seconds = time.monotonic() - start
    return run
