#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Writes cmdline fuzzer seeds into corpus/ (run once). Format (see fuzz.cpp):
one capacity byte (capacity = byte * 4), then '\\n'-separated pieces,
"+text" for insert_str and "key=value" for insert."""
import pathlib

SEEDS = {
    "console": b"\x80console=ttyS0\nreboot=k\npanic=1\n+quiet loglevel=4",
    "quoted": b"\x40dyndbg=file virtio.c +p\n+init=\"/bin/sh -x\"\nroot=/dev/vda",
    "too-long": b"\x03key=value-that-is-too-long-for-twelve-bytes",
    "invalid": b"\x80a b=1\n=x\n+unbalanced \"quote\nctl=\x01\x7f",
}


def main():
    corpus = pathlib.Path(__file__).resolve().parent / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, data in SEEDS.items():
        (corpus / name).write_bytes(data)


if __name__ == "__main__":
    main()
