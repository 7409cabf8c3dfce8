#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Writes descriptor_chain fuzzer seeds into corpus/ (run once). Format (see
fuzz.cpp): size byte (size = 1 << (b % 9)), flags byte (bit 0 EVENT_IDX),
le16 ring address, then guest RAM from address 0. Rings sit at 0x1000:
descriptor table, available ring, used ring back to back."""
import pathlib
import struct

RINGS = 0x1000
NEXT, WRITE, INDIRECT = 1, 2, 4


def image(log2_size, descriptors, heads, event_idx=False, tables=None, avail_idx=None):
    size = 1 << log2_size
    ram = bytearray(0x3000)
    for index, (addr, length, flags, nxt) in descriptors.items():
        struct.pack_into("<QIHH", ram, RINGS + 16 * index, addr, length, flags, nxt)
    for table_addr, entries in (tables or {}).items():
        for i, (addr, length, flags, nxt) in enumerate(entries):
            struct.pack_into("<QIHH", ram, table_addr + 16 * i, addr, length, flags, nxt)
    avail = RINGS + 16 * size
    struct.pack_into("<HH", ram, avail, 0, len(heads) if avail_idx is None else avail_idx)
    for i, head in enumerate(heads):
        struct.pack_into("<H", ram, avail + 4 + 2 * (i % size), head)
    ram[0x100:0x140] = bytes(range(0x40))  # request bytes
    header = struct.pack("<BBH", log2_size, 1 if event_idx else 0, RINGS)
    return header + bytes(ram)


SEEDS = {
    "single": image(4, {0: (0x100, 16, 0, 0)}, [0]),
    "request-reply": image(4, {0: (0x100, 16, NEXT, 1), 1: (0x200, 64, WRITE | NEXT, 2), 2: (0x300, 1, WRITE, 0)},
                           [0], event_idx=True),
    "indirect": image(3, {0: (0x2000, 48, INDIRECT, 0)}, [0],
                      tables={0x2000: [(0x100, 16, NEXT, 1), (0x200, 32, WRITE | NEXT, 2), (0x300, 1, WRITE, 0)]}),
    "loop": image(2, {0: (0x100, 16, NEXT, 1), 1: (0x100, 16, NEXT, 0)}, [0, 1]),
    "avail-too-far": image(2, {0: (0x100, 16, 0, 0)}, [0], avail_idx=40),
    "full-ring": image(3, {i: (0x100 + 8 * i, 8, WRITE if i % 2 else 0, 0) for i in range(8)}, list(range(8))),
}


def main():
    corpus = pathlib.Path(__file__).resolve().parent / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, data in SEEDS.items():
        (corpus / name).write_bytes(data)


if __name__ == "__main__":
    main()
