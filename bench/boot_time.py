#!/usr/bin/env python3
"""Boot-time benchmark: vmm against QEMU microvm on the same test guest.

usage: bench/boot_time.py VMM GUEST_ELF [--runs N] [--qemu PATH]

Both boot the same ELF through its PVH note with 1 vCPU and 128 MiB; the
guest prints its report and resets (i8042 under vmm; triple fault under
QEMU's microvm, which has no i8042, with -no-reboot). Runs are interleaved
(vmm, qemu, vmm, ...) so machine noise hits both alike. For each run we
measure exec -> first byte of guest serial output and exec -> process exit,
and print the medians and the ratio vmm/qemu.
"""
import argparse
import os
import select
import statistics
import subprocess
import time

CMDLINE = "console=ttyS0 vmmkit.tests=cmdline"


def timed_run(argv):
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    first_byte = None
    output = b""
    fd = proc.stdout.fileno()
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            proc.kill()
            raise RuntimeError(f"{argv[0]}: no output for 30 s")
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        if first_byte is None:
            first_byte = time.perf_counter() - start
        output += chunk
    proc.wait()
    total = time.perf_counter() - start
    if b"1 passed, 0 failed" not in output:
        raise RuntimeError(f"{argv[0]}: guest did not report success:\n{output.decode(errors='replace')}")
    return first_byte, total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("vmm")
    parser.add_argument("guest")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--qemu", default="qemu-system-x86_64")
    args = parser.parse_args()
    vmm = [args.vmm, "--kernel", f"path={args.guest},boot=pvh,cmdline={CMDLINE}", "--memory", "size_mib=128",
           "--vcpu", "num=1", "--console", "stdio"]
    qemu = [args.qemu, "-M", "microvm,x-option-roms=off,isa-serial=on,rtc=on", "-enable-kvm", "-cpu", "host,-arch-capabilities",
            "-m", "128", "-smp", "1", "-nodefaults", "-nographic", "-serial", "stdio", "-no-reboot",
            "-kernel", args.guest, "-append", CMDLINE]
    results = {"vmm": ([], []), "qemu": ([], [])}
    for i in range(args.runs):
        for name, argv in (("vmm", vmm), ("qemu", qemu)):
            first, total = timed_run(argv)
            results[name][0].append(first)
            results[name][1].append(total)
    med = {name: (statistics.median(f), statistics.median(t)) for name, (f, t) in results.items()}
    print(f"runs per VMM (interleaved): {args.runs}")
    for name, (first, total) in med.items():
        print(f"{name:5s} median exec->first serial byte: {first * 1000:8.2f} ms   exec->exit: {total * 1000:8.2f} ms")
    print(f"ratio vmm/qemu first byte: {med['vmm'][0] / med['qemu'][0]:.3f}")
    print(f"ratio vmm/qemu exit:       {med['vmm'][1] / med['qemu'][1]:.3f}")


if __name__ == "__main__":
    main()
