/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * start.S - reset and exception vectors of the bare-metal engine smoke test
 * on the Zynq-7000 Cortex-A9. QEMU's loader starts CPU0 in Secure SVC mode
 * at _start with the MMU off; we set up stacks, clear .bss, turn on a flat
 * MMU map (so unaligned accesses to RAM are legal, as the engine's C++
 * assumes), run constructors and call main().
 */
	.syntax unified
	.arm

#define MODE_FIQ	0x11
#define MODE_IRQ	0x12
#define MODE_SVC	0x13
#define MODE_ABT	0x17
#define MODE_UND	0x1b
#define NO_INT		0xc0	/* I and F masked */

	.section .vectors, "ax"
	.align 5
	.global _vectors
_vectors:
	b	_start
	b	undef_entry
	b	svc_entry
	b	pabt_entry
	b	dabt_entry
	b	unused_entry
	b	irq_entry
	b	fiq_entry

/* Every unexpected exception ends the run with a report: r0 = kind,
 * r1 = faulting address (lr adjusted per the ARM ARM's return offsets). */
undef_entry:
	mov	r0, #1
	sub	r1, lr, #4
	b	fatal_exception
svc_entry:
	mov	r0, #2
	sub	r1, lr, #4
	b	fatal_exception
pabt_entry:
	mov	r0, #3
	sub	r1, lr, #4
	b	fatal_exception
dabt_entry:
	mov	r0, #4
	sub	r1, lr, #8
	b	fatal_exception
unused_entry:
	mov	r0, #5
	mov	r1, lr
	b	fatal_exception
irq_entry:
	mov	r0, #6
	sub	r1, lr, #4
	b	fatal_exception
fiq_entry:
	mov	r0, #7
	sub	r1, lr, #4
	b	fatal_exception

	.text
	.global _start
	.type _start, %function
_start:
	cpsid	aif
	/* Only CPU0 runs the test; any other core parks. */
	mrc	p15, 0, r0, c0, c0, 5		/* MPIDR */
	ands	r0, r0, #0xff
	bne	park

	ldr	r0, =_vectors
	mcr	p15, 0, r0, c12, c0, 0		/* VBAR (secure bank) */
	mrc	p15, 0, r0, c1, c0, 0		/* SCTLR */
	bic	r0, r0, #(1 << 13)		/* V = 0: vectors at VBAR */
	bic	r0, r0, #(1 << 1)		/* A = 0: no strict alignment */
	mcr	p15, 0, r0, c1, c0, 0
	isb

	cps	#MODE_UND
	ldr	sp, =__und_stack_top
	cps	#MODE_ABT
	ldr	sp, =__abt_stack_top
	cps	#MODE_IRQ
	ldr	sp, =__irq_stack_top
	cps	#MODE_FIQ
	ldr	sp, =__fiq_stack_top
	cps	#MODE_SVC
	ldr	sp, =__svc_stack_top

	/* .bss (and the stacks, page table and engine arena in it) = 0 */
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b

	bl	smoke_mmu_enable

	/* C++ constructors (the engine must not need any; harmless if empty) */
	ldr	r4, =__init_array_start
	ldr	r5, =__init_array_end
2:	cmp	r4, r5
	bhs	3f
	ldr	r3, [r4], #4
	blx	r3
	b	2b
3:
	bl	main
	bl	smoke_exit
park:
	wfe
	b	park
	.size _start, . - _start
