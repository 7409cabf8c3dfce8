/* SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause */
/*
 * bzImage setup sectors. A VMM using the 64-bit boot protocol only reads
 * the setup header here (mkbzimage.py writes it at 0x1f1) and never runs
 * this code. A 16-bit boot loader (QEMU's -kernel on a BIOS machine) does:
 * it loads these sectors to a segment, fills the header, and jumps to
 * segment + 0x20 : 0, i.e. to the jump at 0x200 (boot.rst, "Running the
 * Kernel"). Like Linux's setup, the code then
 *   - builds boot_params in a fresh zero page in its heap (the setup code
 *     itself overlaps boot_params fields), copying the setup header,
 *   - asks the BIOS for the memory map (INT 15h E820h, ACPI spec 15.1),
 *   - enables A20 and enters 32-bit protected mode with the 32-bit boot
 *     protocol's segments (__BOOT_CS 0x10, __BOOT_DS 0x18), ESI =
 *     boot_params, jumping to code32_start (the guest's entry32).
 */
#include "layout.h"

#define HEADER_START 0x1f1
#define HEADER_END 0x280	/* setup code starts here; the jump says so */
#define ZERO_PAGE 0x1000	/* offset of the new boot_params, in the heap */
#define BP_E820_ENTRIES 0x1e8
#define BP_E820_TABLE 0x2d0
#define E820_MAX 128
#define E820_ENTRY_SIZE 20
#define HDR_CODE32_START 0x214
#define SMAP 0x534d4150		/* "SMAP" */

	.section .setup, "ax"
	.code16
	/* Sector 0 (the old boot sector) is never run; loaders skip it. */
	.org	0x200
	/* "jump": a short jump whose target also ends the setup header. */
	.byte	0xeb, HEADER_END - 0x202
	.org	0x20e
	.word	version - 0x200	/* kernel_version */
	.org	HEADER_END	/* mkbzimage.py fills 0x1f1-0x1ff and 0x202-0x26f, skipping 0x20e */

setup_main:
	cld
	movw	%cs, %ax	/* CS = setup segment + 0x20 */
	subw	$0x20, %ax
	movw	%ax, %ds
	movw	%ax, %es

	movw	$ZERO_PAGE, %di
	xorw	%ax, %ax
	movw	$2048, %cx
	rep stosw
	movw	$HEADER_START, %si
	movw	$(ZERO_PAGE + HEADER_START), %di
	movw	$(HEADER_END - HEADER_START), %cx
	rep movsb

	xorl	%ebx, %ebx
	movw	$(ZERO_PAGE + BP_E820_TABLE), %di
1:	movl	$0xe820, %eax
	movl	$E820_ENTRY_SIZE, %ecx
	movl	$SMAP, %edx
	int	$0x15
	jc	2f
	cmpl	$SMAP, %eax
	jne	2f
	addw	$E820_ENTRY_SIZE, %di
	incb	ZERO_PAGE + BP_E820_ENTRIES
	cmpb	$E820_MAX, ZERO_PAGE + BP_E820_ENTRIES
	jae	2f
	testl	%ebx, %ebx
	jnz	1b
2:
	inb	$0x92, %al	/* "fast A20": port 0x92 bit 1; bit 0 would reset */
	orb	$0x02, %al
	andb	$0xfe, %al
	outb	%al, $0x92

	cli
	xorl	%esi, %esi
	movw	%ds, %si
	shll	$4, %esi	/* linear address of the setup segment */
	leal	gdt(%esi), %eax
	movl	%eax, gdt_desc + 2
	leal	pm32(%esi), %eax
	movl	%eax, far32
	movl	HDR_CODE32_START, %edi
	addl	$ZERO_PAGE, %esi
	lgdtl	gdt_desc
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	*far32

	.code32
pm32:
	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	jmp	*%edi		/* ESI = boot_params */

	.balign 8
gdt:
	.quad	0
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x10: flat 32-bit code */
	.quad	0x00cf93000000ffff	/* 0x18: flat data */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	0
far32:
	.long	0
	.word	SEL_CODE32
version:
	.asciz	"vmmkit-guest"

	.section .note.GNU-stack, "", @progbits
