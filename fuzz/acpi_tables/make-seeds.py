#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Writes acpi_tables fuzzer seeds into corpus/ (run once). Format (see
make_config in fuzz.cpp): flags (1 IRQ0 override, 2 i8042, 4 virtio bases
shifted by 12, 8 power button), vCPUs (u16), virtio and serial counts (u8
each), per virtio device base (u32), size >> 4 (u16), IRQ (u8); per serial
port I/O base (u16), IRQ (u8); the GED base (u32) and IRQ (u8) if flag 8;
sleep control and status ports (u16 each); window start >> 4 (u32) and
window size (u24)."""
import pathlib
import struct


def seed(flags, vcpus, virtio, serial, power, sleep, window):
    data = bytes([flags]) + struct.pack("<H", vcpus) + bytes([len(virtio), len(serial)])
    for base, size, irq in virtio:
        data += struct.pack("<IHB", base, size, irq)
    for io, irq in serial:
        data += struct.pack("<HB", io, irq)
    if power:
        data += struct.pack("<IB", *power)
    data += struct.pack("<HH", *sleep)
    return data + struct.pack("<I", window[0] >> 4) + struct.pack("<I", window[1])[:3]


SEEDS = {
    "typical": seed(2 | 4 | 8, 2, [(0xD0000, 0x100, 5), (0xD0001, 0x100, 6)], [(0x3F8, 4)],
                    (0xFED00000, 9), (0x600, 0x601), (0xE0000, 0x20000)),
    "many-vcpus": seed(1 | 2 | 4, 300, [(0xD0000 + i, 0x100, 5 + i) for i in range(8)],
                       [(0x3F8, 4), (0x2F8, 3)], None, (0x600, 0x601), (0xE0000, 0x20000)),
    "overlap": seed(4 | 8, 1, [(0xD0000, 0x200, 5), (0xD0001, 0x100, 6)], [], (0xFED00000, 9),
                    (0x600, 0x601), (0xE0000, 0x20000)),
    "small-window": seed(8, 1024, [], [(0x3F8, 4)], (0xFED00000, 10), (0x600, 0x601), (0xE0000, 0x1000)),
}


def main():
    corpus = pathlib.Path(__file__).resolve().parent / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, data in SEEDS.items():
        (corpus / name).write_bytes(data)


if __name__ == "__main__":
    main()
