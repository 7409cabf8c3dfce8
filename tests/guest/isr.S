/* SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause */
/*
 * Interrupt and exception entry stubs for vectors 0..IDT_VECTORS-1, each
 * ISR_STUB_SIZE bytes so that interrupts.c finds stub n at
 * isr_stubs + n * ISR_STUB_SIZE. Each pushes an error code where the CPU
 * does not (SDM Vol. 3A, 6.3 table 6-1) and the vector, then isr_common
 * saves the general registers and calls interrupt_dispatch(frame).
 */
#include "layout.h"

	.text
	.balign	ISR_STUB_SIZE
	.globl	isr_stubs
isr_stubs:
	.set	vec, 0
	.rept	IDT_VECTORS
	.balign	ISR_STUB_SIZE
	.if	!(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	pushq	$0
	.endif
	pushq	$vec
	jmp	isr_common
	.set	vec, vec + 1
	.endr
	.balign	ISR_STUB_SIZE
	.globl	isr_stubs_end
isr_stubs_end:			/* guest.ld checks that no stub outgrew its slot */

/* On entry the CPU has aligned RSP to 16 and pushed 5 quadwords; with the
   error code, the vector and 15 registers, RSP is 16-byte aligned at the
   call, as the SysV ABI wants. */
isr_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	cld
	call	interrupt_dispatch
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* vector, error code */
	iretq

	.section .note.GNU-stack, "", @progbits
