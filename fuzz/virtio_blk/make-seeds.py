#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Writes virtio_blk fuzzer seeds into corpus/ (run once). Format (see
fuzz.cpp): flags byte (bit 0 read-only, bit 1 EVENT_IDX), queue-size byte
(size = 1 << (b % 9)), then guest RAM from address 0 with the rings at 0x1000.
Every hostile case the unit tests cover is a seed, so the fuzzer starts from
the error paths as well as from good requests."""
import pathlib
import struct

RINGS = 0x1000
HEADERS = 0x3000   # one 16-byte request header per request (after rings of up to 256 entries)
SEGMENTS = 0x3400  # discard / write-zeroes segments
STATUS = 0x3500    # one status byte per request
TABLES = 0x3600    # indirect descriptor tables
DATA = 0x4000      # 8 sectors of data buffers
RAM = 0x5000
NEXT, WRITE, INDIRECT = 1, 2, 4
IN, OUT, FLUSH, GET_ID, DISCARD, WRITE_ZEROES = 0, 1, 4, 8, 11, 13
OUTSIDE_RAM = 0x200000  # guest RAM is 1 MiB


def ram_image(log2_size, chains, flags=0, avail_idx=None, raw_heads=None, tables=None, headers=(), segments=(),
              raw=None):
    """chains: lists of (addr, len, flags) buffers laid out as direct chains;
    raw: {index: (addr, len, flags, next)} descriptors written as they are."""
    size = 1 << log2_size
    ram = bytearray(RAM)
    slot, heads = 0, []
    for chain in chains:
        heads.append(slot)
        for i, (addr, length, buf_flags) in enumerate(chain):
            last = i + 1 == len(chain)
            nxt = 0 if last else slot + 1
            struct.pack_into("<QIHH", ram, RINGS + 16 * slot, addr, length, buf_flags | (0 if last else NEXT), nxt)
            slot += 1
    for index, entry in (raw or {}).items():
        struct.pack_into("<QIHH", ram, RINGS + 16 * index, *entry)
    for table_addr, entries in (tables or {}).items():
        for i, entry in enumerate(entries):
            struct.pack_into("<QIHH", ram, table_addr + 16 * i, *entry)
    heads = raw_heads if raw_heads is not None else heads
    avail = RINGS + 16 * size
    struct.pack_into("<HH", ram, avail, 0, len(heads) if avail_idx is None else avail_idx)
    for i, head in enumerate(heads):
        struct.pack_into("<H", ram, avail + 4 + 2 * (i % size), head)
    for i, (req_type, sector) in enumerate(headers):
        struct.pack_into("<IIQ", ram, HEADERS + 16 * i, req_type, 0, sector)
    for i, (sector, sectors, seg_flags) in enumerate(segments):
        struct.pack_into("<QII", ram, SEGMENTS + 16 * i, sector, sectors, seg_flags)
    for i in range(DATA, RAM):
        ram[i] = (i * 7) & 0xff
    return struct.pack("<BB", flags, log2_size) + bytes(ram)


def hdr(i):
    return (HEADERS + 16 * i, 16, 0)


def status(i):
    return (STATUS + i, 1, WRITE)


def request(req_type, sector, data, flags=0, segments=()):
    """One request with header 0, `data` buffers and status 0."""
    return ram_image(4, [[hdr(0)] + data + [status(0)]], flags=flags, headers=[(req_type, sector)], segments=segments)


SEG = (SEGMENTS, 16, 0)
SEEDS = {
    "read": request(IN, 3, [(DATA, 1024, WRITE)]),
    "write": request(OUT, 60, [(DATA, 512, 0), (DATA + 512, 1536, 0)]),
    "read-then-write": ram_image(
        4, [[hdr(0), (DATA, 512, WRITE), status(0)], [hdr(1), (DATA + 512, 512, 0), status(1)]],
        headers=[(IN, 0), (OUT, 1)]),
    "indirect": ram_image(3, [[(TABLES, 48, INDIRECT)]], headers=[(IN, 5)],
                          tables={TABLES: [(HEADERS, 16, NEXT, 1), (DATA, 512, WRITE | NEXT, 2), (STATUS, 1, WRITE, 0)]}),
    "framing": ram_image(4, [[(HEADERS, 5, 0), (HEADERS + 5, 11, 0), (DATA, 513, WRITE)]], headers=[(IN, 1)]),
    "flush-event-idx": request(FLUSH, 0, [], flags=2),
    "get-id": request(GET_ID, 0, [(DATA, 20, WRITE)]),
    "get-id-short": request(GET_ID, 0, [(DATA, 7, WRITE)]),
    "discard": request(DISCARD, 0, [SEG], segments=[(8, 16, 0)]),
    "write-zeroes": request(WRITE_ZEROES, 0, [SEG], segments=[(1, 2, 0)]),
    "write-zeroes-unmap": request(WRITE_ZEROES, 0, [SEG], segments=[(40, 8, 1)]),
    "read-only-write": request(OUT, 0, [(DATA, 512, 0)], flags=1),
    "read-only-discard": request(DISCARD, 0, [SEG], flags=1, segments=[(0, 1, 0)]),
    # Hostile requests: an error status, the device keeps serving.
    "sector-overflow": request(IN, 1 << 55, [(DATA, 512, WRITE)]),
    "sector-plus-length-overflow": request(OUT, (1 << 55) - 1, [(DATA, 1024, 0)]),
    "past-capacity": request(IN, 127, [(DATA, 1024, WRITE)]),
    "length-not-sector-multiple": request(IN, 0, [(DATA, 500, WRITE)]),
    "short-header": ram_image(4, [[(HEADERS, 8, 0), (DATA, 512, WRITE), status(0)]], headers=[(IN, 0)]),
    "unknown-type": request(99, 0, []),
    "header-only": ram_image(4, [[hdr(0)]], headers=[(OUT, 0)]),
    "status-less": ram_image(4, [[hdr(0), (DATA, 512, WRITE), (STATUS, 0, WRITE)]], headers=[(IN, 0)]),
    "status-outside-ram": ram_image(4, [[hdr(0), (DATA, 512, WRITE), (OUTSIDE_RAM, 1, WRITE)]], headers=[(IN, 0)]),
    "data-outside-ram": request(IN, 0, [(OUTSIDE_RAM, 512, WRITE)]),
    "header-outside-ram": ram_image(4, [[(OUTSIDE_RAM, 16, 0), status(0)]]),
    "huge-descriptor": request(OUT, 0, [(DATA, 0xfffffe00, 0)]),
    "discard-unmap": request(DISCARD, 0, [SEG], segments=[(0, 1, 1)]),
    "write-zeroes-unknown-flag": request(WRITE_ZEROES, 0, [SEG], segments=[(0, 1, 2)]),
    "discard-two-segments": request(DISCARD, 0, [(SEGMENTS, 32, 0)], segments=[(0, 1, 0), (2, 1, 0)]),
    "discard-too-many-sectors": request(WRITE_ZEROES, 0, [SEG], segments=[(0, 0xffffffff, 0)]),
    "discard-no-segment": request(DISCARD, 0, []),
    # Broken chains: used length 0, the next chain is served.
    "chain-loop": ram_image(4, [], raw_heads=[0, 1], headers=[(IN, 0)],
                            raw={0: (HEADERS, 16, NEXT, 1), 1: (DATA, 512, WRITE | NEXT, 0)}),
    "chain-next-out-of-range": ram_image(4, [], raw_heads=[0], raw={0: (HEADERS, 16, NEXT, 200)}),
    "readable-after-writable": ram_image(4, [[(STATUS, 1, WRITE), hdr(0)]], headers=[(IN, 0)]),
    "descriptor-wraps": ram_image(4, [[((1 << 64) - 4, 16, 0), status(0)]]),
    "indirect-with-next": ram_image(4, [[(TABLES, 32, INDIRECT), status(0)]], headers=[(IN, 0)],
                                    tables={TABLES: [(HEADERS, 16, 0, 0)]}),
    "nested-indirect": ram_image(4, [[(TABLES, 16, INDIRECT)]], tables={TABLES: [(TABLES, 16, INDIRECT, 0)]}),
    # Broken rings: NEEDS_RESET.
    "avail-too-far": ram_image(4, [[hdr(0), status(0)]], avail_idx=40, headers=[(FLUSH, 0)]),
    "head-out-of-range": ram_image(4, [], raw_heads=[16]),
    "full-ring-256": ram_image(8, [[hdr(i % 16), (DATA + 512 * (i % 8), 512, WRITE if i % 2 else 0), status(i % 16)]
                                   for i in range(85)],
                               headers=[(IN if i % 2 else OUT, i) for i in range(16)]),
}


def main():
    corpus = pathlib.Path(__file__).resolve().parent / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, data in SEEDS.items():
        (corpus / name).write_bytes(data)


if __name__ == "__main__":
    main()
