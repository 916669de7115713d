@ SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
@ e2e_xstack - a program whose only memory the kernel makes writable and
@ executable is its stack: linked -z execstack, no libc, no data segment,
@ so no mmap_file call happens at its exec (the text is R-X, nothing is
@ W+X). It writes "mov r0, #42; mov r7, #1; svc #0" (exit(42)) onto its
@ stack and jumps there: exit status 42 means code written to the stack
@ ran. e2e_jit runs it (case execstack).
	.syntax unified
	.arm
	.text
	.global	_start
_start:
	sub	sp, sp, #16
	ldr	r0, =0xe3a0002a		@ mov r0, #42
	ldr	r1, =0xe3a07001		@ mov r7, #1 (exit)
	ldr	r2, =0xef000000		@ svc #0
	str	r0, [sp]
	str	r1, [sp, #4]
	str	r2, [sp, #8]
	mov	r4, sp
	mov	r0, sp			@ cacheflush(start, end, 0)
	add	r1, sp, #12
	mov	r2, #0
	ldr	r7, =0xf0002		@ __ARM_NR_cacheflush
	svc	#0
	blx	r4
	mov	r0, #3			@ not reached: exit(3)
	mov	r7, #1
	svc	#0
	.ltorg
	.section .note.GNU-stack, "x", %progbits
