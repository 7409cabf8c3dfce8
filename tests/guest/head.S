/* SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause */
/*
 * The guest's three entries, all ending in common64 -> guest_main(path, info).
 *
 *   LOAD_ADDR + 0      32-bit boot protocol: protected mode, paging off,
 *                      ESI = boot_params (boot.rst, "32-bit Boot Protocol");
 *                      also where setup16.S jumps.
 *   LOAD_ADDR + 0x200  64-bit boot protocol: long mode, identity paging,
 *                      RSI = boot_params ("64-bit Boot Protocol"). e_entry.
 *   entry_pvh          PVH: protected mode, paging off, EBX = hvm_start_info
 *                      (Xen docs/misc/pvh.pandoc); named by the ELF note below.
 *
 * None of them may rely on a stack or a usable GDT from the loader, so each
 * loads our GDT before touching a segment register, and common64 sets the stack.
 */
#include "layout.h"

	.section .head.text, "ax"
	.code32
	.globl entry32
entry32:
	movl	$ENTRY_PATH_LINUX32, %edi
	jmp	start32

	/* kernel_info (boot protocol 2.15, "The kernel_info"); setup_header
	   kernel_info_offset points here. This guest ignores setup_data, so
	   every type is allowed. */
	.org	KERNEL_INFO_OFFSET
kernel_info:
	.ascii	"LToP"
	.long	16		/* size */
	.long	16		/* size_total: no variable part */
	.long	0xffffffff	/* setup_type_max */

	.org	ENTRY64_OFFSET
	.code64
	.globl entry64
entry64:
	cli
	leaq	boot_stack_top(%rip), %rsp
	lgdt	gdt_desc(%rip)
	pushq	$SEL_CODE64		/* reload CS from our GDT */
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq
1:	movl	$ENTRY_PATH_LINUX64, %edi
	jmp	common64		/* RSI = boot_params */

	.code32
	.globl entry_pvh
entry_pvh:
	movl	%ebx, %esi
	movl	$ENTRY_PATH_PVH, %edi
	/* fall through */

/* EDI = boot path, ESI = boot structure. Switch to long mode as SDM
   Vol. 3A 10.8.5 "Initializing IA-32e Mode" lists it. No stack is used. */
start32:
	cli
	cld
	lgdt	gdt_desc
	ljmp	$SEL_CODE32, $1f
1:	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx		/* rdmsr/wrmsr leave ESI and EDI alone */
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_PE), %eax
	movl	%eax, %cr0
	ljmp	$SEL_CODE64, $long64

	.code64
long64:
	movl	%esi, %esi		/* upper halves are undefined after the switch */
	movl	%edi, %edi
	/* fall through */

/* RDI = boot path, RSI = boot structure (physical address). */
common64:
	leaq	boot_stack_top(%rip), %rsp
	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	/* Our own tables map 0-4 GiB; the loader only promised the image,
	   boot_params and the command line (64-bit protocol) or nothing. */
	leaq	boot_pml4(%rip), %rax
	movq	%rax, %cr3
	movq	%rdi, %r12
	movq	%rsi, %r13
	leaq	__bss_start(%rip), %rdi	/* a bzImage loader does not clear .bss */
	leaq	__bss_end(%rip), %rcx
	subq	%rdi, %rcx
	shrq	$3, %rcx
	xorl	%eax, %eax
	rep stosq
	movq	%r12, %rdi
	movq	%r13, %rsi
	call	guest_main
2:	cli
	hlt
	jmp	2b

	.data
	.balign 16
gdt:
	.quad	0
	.quad	0x00af9b000000ffff	/* SEL_CODE64: present, ring 0, L=1 */
	.quad	0x00cf9b000000ffff	/* SEL_CODE32: flat 4 GiB */
	.quad	0x00cf93000000ffff	/* SEL_DATA: flat 4 GiB, read/write */
gdt_end:
	.balign 8
	.globl gdt_desc
gdt_desc:				/* lgdt reads 6 bytes in 32-bit mode, 10 in 64-bit */
	.word	gdt_end - gdt - 1
	.quad	gdt

	.section .bss.noclear, "aw", @nobits
	.balign 16
boot_stack:
	.skip	BOOT_STACK_SIZE
boot_stack_top:

/* XEN_ELFNOTE_PHYS32_ENTRY (xen/include/public/elfnote.h): the 32-bit
   physical address of entry_pvh, in a PT_NOTE segment (guest.ld). The
   empty note after it keeps the 4 bytes after the address zero: QEMU up
   to 9.1 reads the descriptor of a 64-bit ELF as 8 bytes. */
	.section .note.Xen, "a", @note
	.balign 4
	.long	4			/* namesz */
	.long	4			/* descsz */
	.long	18			/* type */
	.asciz	"Xen"
	.long	entry_pvh
	.long	0, 0, 0			/* empty note: namesz, descsz, type */

	.section .note.GNU-stack, "", @progbits
