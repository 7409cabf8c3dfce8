#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Writes small valid ELF64 x86-64 vmlinux-like seeds into corpus/ (run once).

Layout of each image: Elf64_Ehdr, program headers, then segment data, as in
tests/unit/loader/test_images.cpp. Addresses fit the fuzzer's 64 MiB of RAM.
"""
import pathlib
import struct

PT_LOAD, PT_NOTE = 1, 4
PHYS = 16 << 20
VIRT = 0xFFFFFFFF81000000


def note(name, ntype, desc, align=4):
    pad = lambda b: b + b"\0" * (-len(b) % align)
    name_bytes = name.encode() + b"\0"
    return struct.pack("<III", len(name_bytes), len(desc), ntype) + pad(name_bytes) + pad(desc)


def pvh_note(entry):
    return note("Xen", 18, struct.pack("<Q", entry))  # XEN_ELFNOTE_PHYS32_ENTRY


def elf(entry, segments):
    """segments: (type, paddr, vaddr, data, memsz, align) tuples."""
    phoff, phentsize = 64, 56
    offset = phoff + phentsize * len(segments)
    offsets = []
    for seg in segments:
        offset = (offset + 15) & ~15
        offsets.append(offset)
        offset += len(seg[3])
    ident = b"\x7fELF" + bytes([2, 1, 1]) + b"\0" * 9  # ELFCLASS64, little endian, EV_CURRENT
    header = ident + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, entry, phoff, 0, 0, 64, phentsize,
                                 len(segments), 0, 0, 0)  # ET_EXEC, EM_X86_64
    image = bytearray(offset)
    image[0:64] = header
    for i, (ptype, paddr, vaddr, data, memsz, align) in enumerate(segments):
        phdr = struct.pack("<IIQQQQQQ", ptype, 5, offsets[i], vaddr, paddr, len(data), memsz or len(data), align)
        image[phoff + i * phentsize:phoff + (i + 1) * phentsize] = phdr
        image[offsets[i]:offsets[i] + len(data)] = data
    return bytes(image)


def text(size, seed):
    return bytes((i * 7 + seed * 31 + 1) & 0xFF for i in range(size))


def main():
    corpus = pathlib.Path(__file__).resolve().parent / "corpus"
    corpus.mkdir(exist_ok=True)
    loads = [(PT_LOAD, PHYS, VIRT, text(0x200, 1), 0, 0x200000),
             (PT_LOAD, PHYS + 0x1000, VIRT + 0x1000, text(0x40, 2), 0x1000, 0x1000)]
    notes = note("GNU", 3, text(20, 9)) + pvh_note(PHYS + 0x80)
    seeds = {
        "vmlinux-pvh": elf(PHYS + 0x40, loads + [(PT_NOTE, 0, 0, notes, 0, 4)]),
        "vmlinux-virtual-entry": elf(VIRT + 0x40, loads),
        "vmlinux-notes-align8": elf(PHYS, loads[:1] + [
            (PT_NOTE, 0, 0, note("GNU", 5, text(12, 4), 8) + note("Xen", 18, struct.pack("<Q", PHYS + 8), 8), 0, 8)]),
    }
    for name, data in seeds.items():
        (corpus / name).write_bytes(data)


if __name__ == "__main__":
    main()
