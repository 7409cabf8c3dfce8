/* SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause */
/*
 * AP start-up code. smp.c copies [trampoline_start, trampoline_end) to a
 * free 4 KiB page below 1 MiB and names that page in the STARTUP IPI; the
 * AP begins there in real mode with CS = page >> 4, IP = 0 (SDM Vol. 3A,
 * 9.4.4 "MP Initialization Example"). It goes to protected mode, then long
 * mode (10.8.5) with the BSP's page tables, and jumps to tramp_entry with
 * RSP = tramp_stack and RDI = tramp_arg. The code finds its own linear base
 * from CS, so it runs at any page; smp.c fills the tramp_* fields.
 */
#include "layout.h"

#define OFF(label) ((label) - trampoline_start)

	.section .rodata.trampoline, "a"
	.code16
	.balign 16
	.globl trampoline_start
trampoline_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	movzwl	%ax, %ebx
	shll	$4, %ebx			/* EBX = linear base of this copy */
	leal	OFF(tramp_gdt)(%ebx), %eax
	movl	%eax, OFF(tramp_gdt_desc) + 2
	leal	OFF(pm32)(%ebx), %eax
	movl	%eax, OFF(tramp_far32)
	leal	OFF(lm64)(%ebx), %eax
	movl	%eax, OFF(tramp_far64)
	lgdtl	OFF(tramp_gdt_desc)
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	*OFF(tramp_far32)

	.code32
pm32:
	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	OFF(tramp_cr3)(%ebx), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$CR0_PG, %eax
	movl	%eax, %cr0
	ljmp	*OFF(tramp_far64)(%ebx)

	.code64
lm64:
	movl	%ebx, %ebx
	movq	OFF(tramp_stack)(%rbx), %rsp
	movq	OFF(tramp_arg)(%rbx), %rdi
	jmpq	*OFF(tramp_entry)(%rbx)

	.balign 8
	.globl tramp_cr3, tramp_stack, tramp_entry, tramp_arg
tramp_stack:	.quad	0
tramp_entry:	.quad	0
tramp_arg:	.quad	0
tramp_cr3:	.long	0
tramp_far32:	.long	0
		.word	SEL_CODE32
tramp_far64:	.long	0
		.word	SEL_CODE64
tramp_gdt_desc:	.word	tramp_gdt_end - tramp_gdt - 1
		.long	0
	.balign 8
tramp_gdt:
	.quad	0
	.quad	0x00af9b000000ffff	/* SEL_CODE64 */
	.quad	0x00cf9b000000ffff	/* SEL_CODE32 */
	.quad	0x00cf93000000ffff	/* SEL_DATA */
tramp_gdt_end:
	.globl trampoline_end
trampoline_end:

	.section .note.GNU-stack, "", @progbits
