/* SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause */
/*
 * Identity map of 0-4 GiB with 2 MiB pages, fully built at link time, so
 * neither entry spends instructions on it (ring 0 is slow on emulated KVM).
 * Both boot paths load it; the APs use it too. The top 32 MiB (LAPIC,
 * IOAPIC, firmware) is mapped uncached. paging.c adds what lies above.
 */
#include "layout.h"

#define PTE_PRESENT_RW 0x03
#define PTE_LARGE 0x80
#define PTE_UNCACHED 0x18	/* PCD | PWT */
#define MMIO_FIRST_2M ((0x100000000 - 0x2000000) >> 21)

	.data
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.quad	boot_pdpt + PTE_PRESENT_RW
	.fill	511, 8, 0

	.balign 4096
boot_pdpt:
	.quad	boot_pd + 0x0000 + PTE_PRESENT_RW
	.quad	boot_pd + 0x1000 + PTE_PRESENT_RW
	.quad	boot_pd + 0x2000 + PTE_PRESENT_RW
	.quad	boot_pd + 0x3000 + PTE_PRESENT_RW
	.fill	508, 8, 0

	.balign 4096
boot_pd:
	.set	i, 0
	.rept	2048
	.if	i >= MMIO_FIRST_2M
	.quad	(i << 21) | PTE_PRESENT_RW | PTE_LARGE | PTE_UNCACHED
	.else
	.quad	(i << 21) | PTE_PRESENT_RW | PTE_LARGE
	.endif
	.set	i, i + 1
	.endr

/* Spare table pages for paging.c; cleared when taken. */
	.section .bss.noclear, "aw", @nobits
	.balign 4096
	.globl page_table_pool
page_table_pool:
	.skip	8 * 4096

	.section .note.GNU-stack, "", @progbits
