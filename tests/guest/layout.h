/* SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause */
/* Constants shared by the assembly and C parts of the guest (cpp only). */
#pragma once

/* Where the image runs: link address = physical load address =
   pref_address of the bzImage (not relocatable). */
#define LOAD_ADDR 0x100000
/* Offsets into the image, which is also the bzImage protected-mode code
   (Documentation/arch/x86/boot.rst): the 32-bit entry is at +0, the 64-bit
   entry at +0x200 ("64-bit Boot Protocol"). */
#define KERNEL_INFO_OFFSET 0x10
#define ENTRY64_OFFSET 0x200

/* Our GDT, the same selectors as Linux's __BOOT_CS/__BOOT_DS for the
   32-bit protocol, plus a 64-bit code segment. */
#define SEL_CODE64 0x08
#define SEL_CODE32 0x10
#define SEL_DATA 0x18

#define BOOT_STACK_SIZE 0x4000

/* Which entry ran; the first argument of guest_main() (enum boot_path). */
#define ENTRY_PATH_LINUX64 1
#define ENTRY_PATH_LINUX32 2
#define ENTRY_PATH_PVH 3

/* Control registers and MSRs (SDM Vol. 3A 2.5, 10.8.5). */
#define CR0_PE 0x00000001
#define CR0_PG 0x80000000
#define CR4_PAE 0x00000020
#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100

/* IDT: vectors 0-63 have stubs (isr.S), each 16 bytes long. */
#define IDT_VECTORS 64
#define ISR_STUB_SIZE 16

/* Guest RAM the virtio drivers use for rings and buffers (virtqueue.c):
   above the image (at most 4 MiB from LOAD_ADDR) and below anything a VMM
   puts high in RAM (initrd); needs at least 32 MiB of RAM. */
#define VIRTIO_DMA_BASE 0x1000000
#define VIRTIO_DMA_SIZE 0x800000
