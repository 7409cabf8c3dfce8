#!/usr/bin/env python3
"""Memory benchmark: the VMM's own resident memory, excluding guest RAM.

usage: bench/memory_overhead.py VMM GUEST_ELF [--qemu PATH] [--runs N]

Starts each VMM (1 vCPU, 128 MiB) on the test guest idling for a while,
reads /proc/PID/smaps once the guest runs, and reports
  overhead = total Rss - Rss of the guest RAM mapping(s),
side by side for vmm and QEMU microvm. Guest RAM is the anonymous mapping
whose size equals the configured memory (vmm maps guest RAM that way; QEMU's
pc.ram likewise).
"""
import argparse
import os
import statistics
import subprocess
import time

MEM_MIB = 128
CMDLINE = "console=ttyS0 vmmkit.tests=idle vmmkit.idle_ms=3000"


def smaps_rss(pid):
    """(total Rss kB, guest RAM Rss kB) from /proc/PID/smaps."""
    total = guest = 0
    size = 0
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            fields = line.split()
            if not fields:
                continue
            if fields[0] == "Size:":
                size = int(fields[1])
            elif fields[0] == "Rss:":
                rss = int(fields[1])
                total += rss
                if size == MEM_MIB * 1024:
                    guest += rss
    return total, guest


def measure(argv):
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    buf = b""
    deadline = time.time() + 30
    while b"idle" not in buf and time.time() < deadline:  # the guest announces its idle check
        buf += os.read(proc.stdout.fileno(), 4096)
    time.sleep(0.5)
    total, guest = smaps_rss(proc.pid)
    proc.kill()
    proc.wait()
    return total, guest


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("vmm")
    parser.add_argument("guest")
    parser.add_argument("--qemu", default="qemu-system-x86_64")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    vmm = [args.vmm, "--kernel", f"path={args.guest},boot=pvh,cmdline={CMDLINE}", "--memory", f"size_mib={MEM_MIB}",
           "--vcpu", "num=1", "--console", "stdio"]
    qemu = [args.qemu, "-M", "microvm,x-option-roms=off,isa-serial=on,rtc=on", "-enable-kvm", "-cpu", "host,-arch-capabilities",
            "-m", str(MEM_MIB), "-smp", "1", "-nodefaults", "-nographic", "-serial", "stdio", "-no-reboot",
            "-kernel", args.guest, "-append", CMDLINE]
    rows = {"vmm": [], "qemu": []}
    for _ in range(args.runs):
        for name, argv in (("vmm", vmm), ("qemu", qemu)):
            rows[name].append(measure(argv))
    for name, samples in rows.items():
        overhead = statistics.median(t - g for t, g in samples)
        total = statistics.median(t for t, _ in samples)
        guest = statistics.median(g for _, g in samples)
        print(f"{name:5s} median Rss {total / 1024:7.2f} MiB, guest RAM touched {guest / 1024:6.2f} MiB, "
              f"overhead {overhead / 1024:6.2f} MiB")


if __name__ == "__main__":
    main()
