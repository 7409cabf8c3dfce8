#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Writes virtio_vsock fuzzer seeds into corpus/ (run once). Format (see
fuzz.cpp): flags byte (bit 0 EVENT_IDX), then records: u8 kind, u8 len,
len bytes. Kinds: 0 tx packet (0x80: padded to header.len), 1 rx buffers, 2 host client, 3 run/echo.
Hostile seeds (len beyond the payload, credit overflow) are regressions."""
import pathlib
import struct

REQUEST, RESPONSE, RST, SHUTDOWN, RW, CREDIT_UPDATE, CREDIT_REQUEST = 1, 2, 3, 4, 5, 6, 7
GUEST, HOST = 3, 2


def header(op, src_port=1234, dst_port=1000, length=0, flags=0, buf_alloc=65536, fwd_cnt=0,
           src_cid=GUEST, dst_cid=HOST, typ=1):
    return struct.pack("<QQIIIHHIII", src_cid, dst_cid, src_port, dst_port, length, typ, op, flags,
                       buf_alloc, fwd_cnt)


def tx(packet, full_length=False):
    assert len(packet) < 256
    return bytes([0x80 if full_length else 0, len(packet)]) + packet


def rx(count=4, size16=0xff):
    return bytes([1, 2, count, size16])


def client(text):
    return bytes([2, len(text)]) + text


RUN = bytes([3, 0])
OPEN = rx() + tx(header(REQUEST)) + RUN

SEEDS = {
    "echo": b"\x01" + OPEN + tx(header(RW, length=5) + b"hello") + RUN + RUN,
    "refused": b"\x00" + rx() + tx(header(REQUEST, dst_port=7)),
    "host-connect": b"\x00" + rx() + client(b"CONNECT 52\n") + tx(header(RESPONSE, 52, 1 << 30)) + RUN,
    "bad-connect": b"\x00" + client(b"HELLO\n") + client(b"A" * 40) + RUN,
    "shutdown": b"\x00" + OPEN + tx(header(RW, length=3) + b"bye") + tx(header(SHUTDOWN, flags=3)) + RUN,
    "credit": b"\x00" + OPEN + tx(header(CREDIT_REQUEST)) + tx(header(CREDIT_UPDATE, buf_alloc=10)) + RUN,
    "len-beyond-payload": b"\x00" + OPEN + tx(header(RW, length=1000) + b"abc") + tx(header(RW, length=2) + b"ok"),
    "credit-overflow": b"\x00" + OPEN + tx(header(RW, length=262145) + b"x" * 100, full_length=True),
    "tiny-rx": b"\x00" + bytes([1, 2, 3, 1]) + tx(header(REQUEST)) + rx(),
    "spoofed": b"\x00" + OPEN + tx(header(RW, length=1, src_cid=9) + b"z") + tx(header(99)) + tx(header(RST)),
}


def main():
    corpus = pathlib.Path(__file__).resolve().parent / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, data in SEEDS.items():
        (corpus / name).write_bytes(data)


if __name__ == "__main__":
    main()
