#!/usr/bin/env python3
"""Instructions per 4 KiB virtio-blk request, with callgrind (deterministic).

usage: bench/block_request.py BUILD_DIR [--batch B] [--dir DIR]

Runs BUILD_DIR/bench/block_request (MockQueue -> BlockDevice -> raw image
file, in one process) for N1 and N2 read requests, then N1 and N2 write
requests, and reports (Ir(N2) - Ir(N1)) / (N2 - N1): the host userspace
instructions one request costs, without the setup. Two counts are given:
  device  instructions inside VirtioDevice::on_event (the queue notification,
          walking the chain, parsing, the pread/pwrite call, used ring,
          notification decision) -- what the VMM spends per request;
  total   the whole program, including the mock driver that writes the
          requests and the event loop's epoll_wait.
Kernel time (the pread/pwrite itself) is not counted by callgrind.
Needs valgrind (Debian: apt-get install valgrind); installs nothing.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

N1, N2 = 1000, 3000
DEVICE_FUNCTION = "vmm::virtio::VirtioDevice::on_event*"


def callgrind(argv, toggle=None):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        extra = [f"--toggle-collect={toggle}"] if toggle else []
        proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *extra, *argv],
                              capture_output=True, text=True, timeout=1200)
        match = re.search(r"Collected : (\d+)", proc.stderr)
        if proc.returncode != 0 or not match:
            raise RuntimeError("callgrind failed:\n" + proc.stderr[-3000:] + proc.stdout[-2000:])
        return int(match.group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build_dir")
    parser.add_argument("--batch", type=int, default=1, help="requests per queue notification (1..64)")
    parser.add_argument("--dir", default="/tmp", help="where the temporary 16 MiB image lives")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is missing (Debian: apt-get install valgrind)")
    driver = os.path.join(args.build_dir, "bench", "block_request")
    if not os.access(driver, os.X_OK):
        sys.exit(f"{driver} is missing: build first (ninja -C {args.build_dir})")
    print(f"4 KiB requests, {args.batch} per notification, image in {args.dir}")
    for op in ("read", "write"):
        counts = {}
        for scope, toggle in (("device", DEVICE_FUNCTION), ("total", None)):
            ir = {n: callgrind([driver, str(n), "--op", op, "--batch", str(args.batch), "--dir", args.dir], toggle)
                  for n in (N1, N2)}
            counts[scope] = ((ir[N2] - ir[N1]) / (N2 - N1), ir)
        device, total = counts["device"], counts["total"]
        print(f"{op:5s}: {device[0]:.0f} instructions per request in the device, {total[0]:.0f} in total "
              f"(device Ir {device[1][N1]:,} at N={N1}, {device[1][N2]:,} at N={N2}; "
              f"total Ir {total[1][N1]:,} / {total[1][N2]:,})")


if __name__ == "__main__":
    main()
