#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Writes virtio_mmio fuzzer seeds into corpus/ (run once). Each record (see
fuzz.cpp) is 7 bytes: op (bits 0-1: 0 read, 1 write, 2 guest RAM word write,
3 run the device; bits 2-3: width 1 << n), le16 offset (or RAM word index),
le32 value. The device has queue 0 (max 8) and queue 1 (max 4); the rings
sit at 0x1000 and 0x2000, buffers at 0x8000."""
import pathlib
import struct

READ, WRITE, RAM, RUN = 0, 1, 2, 3
W1, W2, W4, W8 = 0 << 2, 1 << 2, 2 << 2, 3 << 2

MAGIC, VERSION, DEVICE_ID, VENDOR_ID = 0x000, 0x004, 0x008, 0x00C
DEVICE_FEATURES, DEVICE_FEATURES_SEL, DRIVER_FEATURES, DRIVER_FEATURES_SEL = 0x010, 0x014, 0x020, 0x024
QUEUE_SEL, QUEUE_NUM_MAX, QUEUE_NUM, QUEUE_READY, QUEUE_NOTIFY = 0x030, 0x034, 0x038, 0x044, 0x050
INTERRUPT_STATUS, INTERRUPT_ACK, STATUS = 0x060, 0x064, 0x070
QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH = 0x080, 0x084, 0x090, 0x094
QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH, SHM_SEL, SHM_LEN_LOW, CONFIG_GENERATION = 0x0A0, 0x0A4, 0x0AC, 0x0B0, 0x0FC
CONFIG = 0x100

ACK, DRIVER, DRIVER_OK, FEATURES_OK, FAILED = 1, 2, 4, 8, 0x80
VERSION_1_HIGH = 1  # VIRTIO_F_VERSION_1 is bit 32: bit 0 of page 1
EVENT_IDX, INDIRECT = 1 << 29, 1 << 28
NEXT, WRITABLE = 1, 2


def rd(offset, width=W4):
    return struct.pack("<BHI", READ | width, offset, 0)


def wr(offset, value, width=W4):
    return struct.pack("<BHI", WRITE | width, offset, value)


def ram(addr, value):
    return struct.pack("<BHI", RAM, addr // 4, value)


def run():
    return struct.pack("<BHI", RUN, 0, 0)


def negotiate(low=EVENT_IDX | INDIRECT, high=VERSION_1_HIGH):
    out = [rd(MAGIC), rd(VERSION), rd(DEVICE_ID), rd(VENDOR_ID), wr(STATUS, 0), wr(STATUS, ACK),
           wr(STATUS, ACK | DRIVER), wr(DEVICE_FEATURES_SEL, 1), rd(DEVICE_FEATURES), wr(DEVICE_FEATURES_SEL, 0),
           rd(DEVICE_FEATURES), wr(DRIVER_FEATURES_SEL, 0), wr(DRIVER_FEATURES, low), wr(DRIVER_FEATURES_SEL, 1),
           wr(DRIVER_FEATURES, high), wr(STATUS, ACK | DRIVER | FEATURES_OK), rd(STATUS)]
    return b"".join(out)


def queue(index, base, size):
    avail = base + 16 * size
    used = (avail + 6 + 2 * size + 3) & ~3
    out = [wr(QUEUE_SEL, index), rd(QUEUE_READY), rd(QUEUE_NUM_MAX), wr(QUEUE_NUM, size),
           wr(QUEUE_DESC_LOW, base), wr(QUEUE_DESC_HIGH, 0), wr(QUEUE_DRIVER_LOW, avail), wr(QUEUE_DRIVER_HIGH, 0),
           wr(QUEUE_DEVICE_LOW, used), wr(QUEUE_DEVICE_HIGH, 0), wr(QUEUE_READY, 1), rd(QUEUE_READY)]
    return b"".join(out)


def descriptor(table, index, addr, length, flags, nxt):
    raw = struct.pack("<QIHH", addr, length, flags, nxt)
    return b"".join(ram(table + 16 * index + 4 * i, struct.unpack_from("<I", raw, 4 * i)[0]) for i in range(4))


def publish(base, size, slot, head, idx):
    avail = base + 16 * size
    return ram(avail + 4 + 2 * slot - (2 * slot) % 4, head << (16 * (slot % 2))) + ram(avail, idx << 16)


def driver_ok():
    return wr(STATUS, ACK | DRIVER | FEATURES_OK | DRIVER_OK)


def take_interrupt():
    return rd(INTERRUPT_STATUS) + wr(INTERRUPT_ACK, 3)


def request(queue_index=0, base=0x1000, size=8):
    return (descriptor(base, 0, 0x8000, 16, NEXT, 1) + descriptor(base, 1, 0x8100, 32, WRITABLE, 0) +
            publish(base, size, 0, 0, 1) + wr(QUEUE_NOTIFY, queue_index) + run() + take_interrupt())


INIT = negotiate() + queue(0, 0x1000, 8) + queue(1, 0x2000, 4) + driver_ok()

SEEDS = {
    "linux-init": INIT + request() + rd(CONFIG_GENERATION) + rd(CONFIG, W1),
    "queue-regs-after-driver-ok": INIT + queue(0, 0x3000, 4) + wr(QUEUE_READY, 0) + wr(QUEUE_SEL, 1) +
        wr(QUEUE_NUM, 2) + request(),
    "size-0-not-pow2": negotiate() + wr(QUEUE_SEL, 0) + wr(QUEUE_NUM, 0) + wr(QUEUE_READY, 1) + rd(QUEUE_READY) +
        wr(QUEUE_NUM, 3) + wr(QUEUE_READY, 1) + wr(QUEUE_NUM, 16) + wr(QUEUE_READY, 1) + wr(QUEUE_NUM, 0x10008) +
        wr(QUEUE_READY, 1) + rd(QUEUE_READY) + driver_ok() + rd(STATUS),
    "notify-queue-7": INIT + descriptor(0x1000, 0, 0x8000, 16, 0, 0) + publish(0x1000, 8, 0, 0, 1) +
        wr(QUEUE_NOTIFY, 7) + wr(QUEUE_NOTIFY, 0xFFFFFFFF) + run() + take_interrupt(),
    "no-version-1": negotiate(low=EVENT_IDX, high=0) + driver_ok() + rd(STATUS) + wr(STATUS, ACK | DRIVER | FAILED),
    "widths-and-config": INIT + rd(MAGIC, W1) + rd(MAGIC + 1) + wr(STATUS, 0, W2) + rd(CONFIG, W2) +
        wr(CONFIG + 4, 0x01020304, W8) + rd(CONFIG + 6, W4) + rd(CONFIG, W8) + wr(SHM_SEL, 3) + rd(SHM_LEN_LOW) +
        rd(0xFFC, W4),
    # Hostile: avail.idx 40 ahead of a size-8 ring -> NEEDS_RESET; the driver
    # resets and a correct request works again.
    "regression-needs-reset-then-reinit": INIT + ram(0x1000 + 16 * 8, 40 << 16) + wr(QUEUE_NOTIFY, 0) + run() +
        take_interrupt() + rd(STATUS) + wr(STATUS, 0) + b"".join(ram(0x1000 + 4 * i, 0) for i in range(64)) + INIT +
        request(),
    # Hostile: a ready queue whose rings are outside guest RAM fails DRIVER_OK.
    "ring-outside-ram": negotiate() + wr(QUEUE_SEL, 0) + wr(QUEUE_DESC_HIGH, 0x10) + wr(QUEUE_READY, 1) +
        driver_ok() + rd(STATUS) + wr(QUEUE_NOTIFY, 0) + run(),
}


def main():
    corpus = pathlib.Path(__file__).resolve().parent / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, data in SEEDS.items():
        (corpus / name).write_bytes(data)


if __name__ == "__main__":
    main()
