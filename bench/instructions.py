#!/usr/bin/env python3
"""Instruction-count benchmarks with callgrind (deterministic, noise-free).

usage: bench/instructions.py VMM GUEST_ELF

1. Startup: instructions of `vmm --dry-run` (everything from exec up to the
   first KVM_RUN: KVM setup, guest RAM, kernel load, boot structures,
   devices, vCPU configuration, then teardown) — an upper bound for
   "exec -> first guest instruction".
2. PIO exit cost: the guest's `pio` check writes port 0x80 N times; two runs
   with different N give userspace instructions per exit:
   (Ir(N2) - Ir(N1)) / (N2 - N1), summed over all threads.
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
    args = parser.parse_args()
    base = [args.vmm, "--memory", "size_mib=128", "--vcpu", "num=1", "--console", "none"]

    startup, _ = callgrind_total([*base, "--dry-run", "--kernel", f"path={args.guest},boot=pvh,cmdline=console=ttyS0"])
    print(f"startup (exec -> ready to run the first guest instruction, --dry-run): {startup:,} instructions")

    counts = {}
    for n in (1000, 11000):
        kernel = f"path={args.guest},boot=pvh,cmdline=console=ttyS0 vmmkit.tests=pio,reset vmmkit.pio_count={n}"
        total, proc = callgrind_total([*base, "--kernel", kernel])
        if proc.returncode != 0:
            raise RuntimeError(f"vmm failed under callgrind: {proc.stderr[-2000:]}")
        counts[n] = total
    per_exit = (counts[11000] - counts[1000]) / 10000
    print(f"PIO exit (port 0x80) handled in userspace: {per_exit:.0f} instructions per exit "
          f"(Ir {counts[1000]:,} at N=1000, {counts[11000]:,} at N=11000)")


if __name__ == "__main__":
    main()
