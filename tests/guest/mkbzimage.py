#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Packages the test guest as a Linux bzImage (boot protocol 2.15).

The image is the setup sectors (setup16.S, flat binary) followed by the
protected-mode code: the guest ELF's flat image (objcopy -O binary), which
starts at the load address with the 32-bit entry at +0 and the 64-bit entry
at +0x200. This script writes the setup header at 0x1f1 as
Documentation/arch/x86/boot.rst describes it, taking sizes and addresses
from the ELF and checking that the pieces agree.
"""
import argparse
import struct
import sys

LOAD_ADDR = 0x100000  # layout.h LOAD_ADDR; also pref_address and code32_start
ENTRY64_OFFSET = 0x200
KERNEL_INFO_OFFSET = 0x10  # layout.h; kernel_info ("LToP") in head.S
PROTOCOL = 0x020F  # 2.15
CMDLINE_SIZE = 4095  # boot_info.h CMDLINE_DEFAULT_LIMIT - 1
SECTOR = 512
HEADER_START = 0x1F1
HEADER_END_2_15 = 0x26C  # end of kernel_info_offset
LOADED_HIGH = 0x01
XLF_KERNEL_64 = 0x01
PT_LOAD = 1


def fail(msg):
    sys.exit(f"mkbzimage: {msg}")


def elf_layout(data):
    """(entry, first p_paddr, end of file contents, end of memory) of PT_LOADs."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        fail("the guest is not a little-endian ELF64 file")
    entry, phoff = struct.unpack_from("<QQ", data, 0x18)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads = []
    for i in range(phnum):
        p_type, _, _, _, p_paddr, p_filesz, p_memsz, _ = struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == PT_LOAD:
            loads.append((p_paddr, p_filesz, p_memsz))
    if not loads:
        fail("the guest ELF has no PT_LOAD segment")
    start = min(p[0] for p in loads)
    file_end = max(p[0] + p[1] for p in loads)
    mem_end = max(p[0] + p[2] for p in loads)
    return entry, start, file_end, mem_end


def check_setup(setup):
    if len(setup) < 0x280 or setup[0x200] != 0xEB:
        fail("setup sectors must start with the short jump at 0x200")
    header_end = 0x202 + setup[0x201]
    if header_end < HEADER_END_2_15:
        fail(f"the jump at 0x200 ends the header at {header_end:#x}, before {HEADER_END_2_15:#x}")
    written = list(range(HEADER_START, 0x200)) + [i for i in range(0x202, HEADER_END_2_15) if i not in (0x20E, 0x20F)]
    if any(setup[i] for i in written):
        fail("setup16.S put bytes where the setup header goes")


def header_fields(setup_sects, syssize, init_size):
    # (offset, struct format, value): "Details of Header Fields", boot.rst.
    return [
        (0x1F1, "B", setup_sects),
        (0x1F4, "I", syssize),  # 16-byte paragraphs of protected-mode code
        (0x1FA, "H", 0xFFFF),  # vid_mode: "normal"
        (0x1FE, "H", 0xAA55),  # boot_flag
        (0x202, "4s", b"HdrS"),
        (0x206, "H", PROTOCOL),
        (0x20C, "H", 0x1000),  # start_sys_seg (obsolete)
        (0x211, "B", LOADED_HIGH),  # loadflags: the code goes to 1 MiB
        (0x212, "H", 0x8000),  # setup_move_size
        (0x214, "I", LOAD_ADDR),  # code32_start
        (0x22C, "I", 0x7FFFFFFF),  # initrd_addr_max
        (0x230, "I", LOAD_ADDR),  # kernel_alignment (unused: not relocatable)
        (0x234, "B", 0),  # relocatable_kernel: runs only at pref_address
        (0x235, "B", 12),  # min_alignment: 4 KiB
        (0x236, "H", XLF_KERNEL_64),  # xloadflags: 64-bit entry at +0x200
        (0x238, "I", CMDLINE_SIZE),
        (0x258, "Q", LOAD_ADDR),  # pref_address
        (0x260, "I", init_size),  # memory the guest uses from the load address
        (0x268, "I", KERNEL_INFO_OFFSET),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--setup", required=True, help="setup sectors (flat binary of setup16.S)")
    ap.add_argument("--payload", required=True, help="flat image of the guest (objcopy -O binary)")
    ap.add_argument("--elf", required=True, help="the guest ELF the payload came from")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    setup = bytearray(open(args.setup, "rb").read())
    payload = bytearray(open(args.payload, "rb").read())
    entry, start, file_end, mem_end = elf_layout(open(args.elf, "rb").read())

    if start != LOAD_ADDR or entry != LOAD_ADDR + ENTRY64_OFFSET:
        fail(f"the ELF loads at {start:#x} with entry {entry:#x}, not {LOAD_ADDR:#x} and +{ENTRY64_OFFSET:#x}")
    if len(payload) != file_end - start:
        fail(f"the payload has {len(payload)} bytes, the ELF's file contents span {file_end - start}")
    if payload[KERNEL_INFO_OFFSET:KERNEL_INFO_OFFSET + 4] != b"LToP":
        fail(f"no kernel_info (LToP) at payload offset {KERNEL_INFO_OFFSET:#x}")
    check_setup(setup)

    # At least 2 sectors: setup_sects 0 would mean 4 to a boot loader.
    setup += bytes(-len(setup) % SECTOR)
    if len(setup) < 2 * SECTOR:
        setup += bytes(2 * SECTOR - len(setup))
    payload += bytes(-len(payload) % 16)
    init_size = (mem_end - start + 0xFFF) & ~0xFFF
    for offset, fmt, value in header_fields(len(setup) // SECTOR - 1, len(payload) // 16, init_size):
        struct.pack_into("<" + fmt, setup, offset, value)
    with open(args.output, "wb") as out:
        out.write(setup)
        out.write(payload)


if __name__ == "__main__":
    main()
