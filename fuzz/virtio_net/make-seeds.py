#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Writes virtio_net fuzzer seeds into corpus/ (run once). Format (see
fuzz.cpp): flags byte (bit 0 EVENT_IDX), RX and TX log2 queue sizes, a
spare byte, then records: op byte, le24 length, data. Ops: 0 host frame,
1 write guest RAM (le16 address / 4, then bytes), 2 notify TX, 3 notify RX,
4 reset and reactivate. RX rings at 0x1000, TX rings at 0x3000."""
import pathlib
import struct

NEXT, WRITE = 1, 2
RX_RINGS, TX_RINGS = 0x1000, 0x3000
HEADER = 12
MAX_FRAME = HEADER + 65550


def record(op, data=b""):
    return bytes([op]) + struct.pack("<I", len(data))[:3] + data


def ram(addr, data):
    assert addr % 4 == 0
    return record(1, struct.pack("<H", addr // 4) + data)


def descriptor(rings, index, addr, length, flags=0, nxt=0):
    return ram(rings + 16 * index, struct.pack("<QIHH", addr, length, flags, nxt))


def publish(rings, size, heads):
    """avail ring: flags, idx, ring[] for `heads` (entries written from slot 0)."""
    avail = rings + 16 * size
    return ram(avail, struct.pack("<HH", 0, len(heads)) + b"".join(struct.pack("<H", h) for h in heads))


def frame(payload):
    return bytes(HEADER) + payload


def seed(log2_size, records, event_idx=False):
    return bytes([1 if event_idx else 0, log2_size, log2_size, 0]) + b"".join(records)


ETHERNET = bytes([0xff] * 6 + [0x02, 0, 0, 0, 0, 1, 0x08, 0x06]) + bytes(46)
SIZE = 3  # 8 entries

SEEDS = {
    "tx-frame": seed(SIZE, [ram(0x8000, frame(ETHERNET)), descriptor(TX_RINGS, 0, 0x8000, HEADER + len(ETHERNET)),
                            publish(TX_RINGS, 8, [0]), record(2)]),
    "tx-runt-then-frame": seed(SIZE, [ram(0x8000, bytes(7)), ram(0x9000, frame(ETHERNET)),
                                      descriptor(TX_RINGS, 0, 0x8000, 7), descriptor(TX_RINGS, 1, 0x9000, 72),
                                      publish(TX_RINGS, 8, [0, 1]), record(2)], event_idx=True),
    "tx-oversized": seed(SIZE, [descriptor(TX_RINGS, 0, 0x8000, MAX_FRAME + 1), publish(TX_RINGS, 8, [0]), record(2)]),
    "tx-split-header": seed(SIZE, [ram(0x8000, bytes(HEADER)), ram(0x9000, ETHERNET),
                                   descriptor(TX_RINGS, 0, 0x8000, HEADER, NEXT, 1),
                                   descriptor(TX_RINGS, 1, 0x9000, len(ETHERNET)), publish(TX_RINGS, 8, [0]), record(2)]),
    "tx-loop": seed(SIZE, [descriptor(TX_RINGS, 0, 0x8000, 16, NEXT, 1), descriptor(TX_RINGS, 1, 0x8000, 16, NEXT, 0),
                           publish(TX_RINGS, 8, [0]), record(2)]),
    "tx-avail-too-far": seed(SIZE, [ram(TX_RINGS + 16 * 8, struct.pack("<HH", 0, 100)), record(2)]),
    "rx-frame": seed(SIZE, [descriptor(RX_RINGS, 0, 0x10000, 1526, WRITE), publish(RX_RINGS, 8, [0]), record(3),
                            record(0, frame(ETHERNET))]),
    "rx-waits-for-buffers": seed(SIZE, [record(0, frame(ETHERNET)), record(0, frame(ETHERNET)),
                                        descriptor(RX_RINGS, 0, 0x10000, 1526, WRITE),
                                        descriptor(RX_RINGS, 1, 0x11000, 1526, WRITE),
                                        publish(RX_RINGS, 8, [0, 1]), record(3)], event_idx=True),
    "rx-oversized": seed(SIZE, [descriptor(RX_RINGS, 0, 0x10000, 1526, WRITE), publish(RX_RINGS, 8, [0]),
                                record(0, bytes(MAX_FRAME + 100)), record(0, frame(ETHERNET))]),
    "rx-too-big-for-chain": seed(SIZE, [descriptor(RX_RINGS, 0, 0x10000, 40, WRITE), publish(RX_RINGS, 8, [0]),
                                        record(0, frame(ETHERNET))]),
    "rx-runt": seed(SIZE, [descriptor(RX_RINGS, 0, 0x10000, 1526, WRITE), publish(RX_RINGS, 8, [0]),
                           record(0, bytes(5)), record(0, frame(ETHERNET))]),
    "reset-midway": seed(SIZE, [record(0, frame(ETHERNET)), record(4), descriptor(RX_RINGS, 0, 0x10000, 1526, WRITE),
                                publish(RX_RINGS, 8, [0]), record(3), record(0, frame(ETHERNET))]),
}


def main():
    corpus = pathlib.Path(__file__).resolve().parent / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, data in SEEDS.items():
        (corpus / name).write_bytes(data)


if __name__ == "__main__":
    main()
