#!/usr/bin/env python3
"""Instruction-count benchmarks with callgrind (deterministic, noise-free).

usage: bench/instructions.py VMM GUEST_ELF [--qemu PATH]

1. Startup: instructions of `vmm --dry-run` (everything from exec up to the
   first KVM_RUN: KVM setup, guest RAM, kernel load, boot structures,
   devices, vCPU configuration, then teardown) — an upper bound for
   "exec -> first guest instruction".
2. PIO exit cost: the guest's `pio` check writes port 0x80 N times; two runs
   with different N give userspace instructions per exit:
   (Ir(N2) - Ir(N1)) / (N2 - N1), summed over all threads.
   With --qemu, the same two runs of QEMU microvm on the same guest are
   measured the same way (slow: QEMU runs ~90 M instructions under valgrind).
"""
import argparse
import os
import re
import subprocess
import tempfile


def callgrind_total(argv):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv],
                              capture_output=True, text=True, timeout=600)
        match = re.search(r"Collected : (\d+)", proc.stderr)
        if not match:
            raise RuntimeError("callgrind failed:\n" + proc.stderr[-3000:] + proc.stdout[-2000:])
        return int(match.group(1)), proc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("vmm")
    parser.add_argument("guest")
    parser.add_argument("--qemu", help="also measure this QEMU binary (microvm) the same way")
    args = parser.parse_args()
    base = [args.vmm, "--memory", "size_mib=128", "--vcpu", "num=1"]

    startup, _ = callgrind_total([*base, "--console", "none", "--dry-run", "--kernel", f"path={args.guest},boot=pvh,cmdline=console=ttyS0"])
    print(f"startup (exec -> ready to run the first guest instruction, --dry-run): {startup:,} instructions")

    low, high = 1000, 3000

    def vmm_argv(n):
        return [*base, "--console", "stdio", "--kernel", f"path={args.guest},boot=pvh,cmdline=console=ttyS0 vmmkit.tests=pio vmmkit.pio_count={n}"]

    def qemu_argv(n):
        return [args.qemu, "-M", "microvm,x-option-roms=off,isa-serial=on,rtc=on", "-enable-kvm",
                "-cpu", "host,-arch-capabilities", "-m", "128", "-smp", "1", "-nodefaults", "-nographic",
                "-serial", "stdio", "-no-reboot", "-kernel", args.guest,
                "-append", f"console=ttyS0 vmmkit.tests=pio vmmkit.pio_count={n}"]

    runs = [("vmm", vmm_argv)] + ([("qemu", qemu_argv)] if args.qemu else [])
    per_exit = {}
    for name, argv in runs:
        counts = {}
        for n in (low, high):
            total, proc = callgrind_total(argv(n))
            if "1 passed, 0 failed" not in proc.stdout:
                raise RuntimeError(f"{name}: guest did not pass under callgrind: {proc.stdout[-2000:]}")
            counts[n] = total
        per_exit[name] = (counts[high] - counts[low]) / (high - low)
        print(f"{name:5s} PIO exit (port 0x80) handled in userspace: {per_exit[name]:.0f} instructions per exit "
              f"(Ir {counts[low]:,} at N={low}, {counts[high]:,} at N={high})")
    if "qemu" in per_exit:
        print(f"ratio vmm/qemu PIO exit: {per_exit['vmm'] / per_exit['qemu']:.3f}")


if __name__ == "__main__":
    main()
