#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Writes small valid bzImage seeds into corpus/ (run once).

Setup header at 0x1f1 per Documentation/arch/x86/boot.rst; the protected-mode
code is a short pattern. Addresses fit the fuzzer's 64 MiB of RAM.
"""
import pathlib
import struct

LOADED_HIGH, XLF_KERNEL_64 = 0x01, 0x01
HEADER_END = 0x26C  # end of struct setup_header (protocol 2.15)


def bzimage(version=0x020F, setup_sects=4, relocatable=1, pref_address=16 << 20, init_size=1 << 20,
            alignment=2 << 20, code_size=0x400):
    sectors = setup_sects or 4
    image = bytearray((sectors + 1) * 512 + code_size)
    header = struct.pack(
        "<BHIHHHHHIHIHHBBHIIIIHBBIIIBBHIIQIIQQIII",
        setup_sects, 0, code_size // 16, 0, 0xFFFF, 0, 0xAA55,
        0xEB | ((HEADER_END - 0x202) << 8), 0x53726448, version,  # jump, "HdrS", version
        0, 0x1000, 0, 0, LOADED_HIGH, 0, 0x100000, 0, 0, 0, 0, 0, 0, 0,
        0x7FFFFFFF, alignment, relocatable, 21, XLF_KERNEL_64, 2047,  # initrd_addr_max .. cmdline_size
        0, 0, 0, 0, 0, pref_address, init_size, 0, 0)
    assert 0x1F1 + len(header) == HEADER_END, hex(len(header))
    image[0x1F1:HEADER_END] = header
    start = (sectors + 1) * 512
    image[start:] = bytes((i * 7 + 94) & 0xFF for i in range(code_size))
    return bytes(image)


def main():
    corpus = pathlib.Path(__file__).resolve().parent / "corpus"
    corpus.mkdir(exist_ok=True)
    seeds = {
        "bzimage-relocatable": bzimage(),
        "bzimage-fixed": bzimage(relocatable=0, pref_address=0x100000),
        "bzimage-setup-sects-0": bzimage(setup_sects=0, pref_address=0, alignment=16 << 20),
    }
    for name, data in seeds.items():
        (corpus / name).write_bytes(data)


if __name__ == "__main__":
    main()
