/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * start.S - normal-world test payload entry (booted by the secure image in
 * NS SVC exactly like Linux: r0 = 0, r1 = ~0, r2 = DTB), its NS exception
 * vectors (an UNDEF or data abort is recorded and skipped so a probe can
 * observe it), and SMC helpers that check the monitor preserves context.
 */
	.syntax unified
	.arm
	.arch armv7-a
	.arch_extension sec

	.section .text.start, "ax"
	.global _start
_start:
	mrs	r4, cpsr
	cps	#0x1b				@ UND
	ldr	sp, =und_stack_top
	cps	#0x17				@ ABT
	ldr	sp, =abt_stack_top
	cps	#0x13				@ SVC
	ldr	sp, =svc_stack_top
	ldr	r0, =nw_vectors
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR (non-secure bank)
	isb
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r3, #0
1:	cmp	r0, r1
	strlo	r3, [r0], #4
	blo	1b
	mov	r0, r4				@ payload_main(entry_cpsr, dtb)
	mov	r1, r2
	bl	payload_main
2:	wfi
	b	2b

	.balign	32
nw_vectors:
	b	.
	b	und_entry
	b	.
	b	pabt_entry
	b	dabt_entry
	b	.
	b	.
	b	.

und_entry:				@ skip the undefined instruction
	push	{r0-r3, r12, lr}
	sub	r0, lr, #4
	bl	on_undef
	pop	{r0-r3, r12, lr}
	movs	pc, lr
dabt_entry:				@ skip the aborting instruction
	push	{r0-r3, r12, lr}
	sub	r0, lr, #8
	bl	on_dabt
	pop	{r0-r3, r12, lr}
	subs	pc, lr, #4
pabt_entry:
	sub	r0, lr, #4
	bl	on_pabt				@ does not return

/*
 * CPU1's normal-world entry (PSCI CPU_ON, r0 = context id): its own stacks
 * and NS VBAR (banked per CPU), then payload_cpu1(r0, entry cpsr).
 */
	.global cpu1_entry
	.balign	4
cpu1_entry:
	mrs	r1, cpsr
	cps	#0x1b
	ldr	sp, =cpu1_und_top
	cps	#0x17
	ldr	sp, =cpu1_abt_top
	cps	#0x13
	ldr	sp, =cpu1_svc_top
	ldr	r2, =nw_vectors
	mcr	p15, 0, r2, c12, c0, 0
	isb
	bl	payload_cpu1
3:	wfi
	b	3b

/*
 * uint32_t smc_preserves(uint32_t fid): issues fid with r4-r12 set to known
 * patterns and checks them, and the banked SP of UND/ABT and LR of SVC,
 * after the call. Returns a bit mask of registers that changed (0 = all kept).
 */
	.text
	.global smc_preserves
smc_preserves:
	push	{r4-r12, lr}
	mov	r12, r0
	cps	#0x1b
	mov	r2, sp				@ r2 = SP_und
	cps	#0x17
	mov	r3, sp				@ r3 = SP_abt
	cps	#0x13
	push	{r2, r3}
	ldr	r4, =0x44444444
	ldr	r5, =0x55555555
	ldr	r6, =0x66666666
	ldr	r7, =0x77777777
	ldr	r8, =0x88888888
	ldr	r9, =0x99999999
	ldr	r10, =0xaaaaaaaa
	ldr	r11, =0xbbbbbbbb
	mov	r0, r12
	mov	r1, #0
	mov	r2, #0
	mov	r3, #0
	ldr	r12, =0xcccccccc
	mov	lr, #0x1000			@ SVC LR: must survive too
	smc	#0
	mov	r0, #0
	ldr	r1, =0x44444444
	cmp	r4, r1
	orrne	r0, r0, #(1 << 4)
	ldr	r1, =0x55555555
	cmp	r5, r1
	orrne	r0, r0, #(1 << 5)
	ldr	r1, =0x66666666
	cmp	r6, r1
	orrne	r0, r0, #(1 << 6)
	ldr	r1, =0x77777777
	cmp	r7, r1
	orrne	r0, r0, #(1 << 7)
	ldr	r1, =0x88888888
	cmp	r8, r1
	orrne	r0, r0, #(1 << 8)
	ldr	r1, =0x99999999
	cmp	r9, r1
	orrne	r0, r0, #(1 << 9)
	ldr	r1, =0xaaaaaaaa
	cmp	r10, r1
	orrne	r0, r0, #(1 << 10)
	ldr	r1, =0xbbbbbbbb
	cmp	r11, r1
	orrne	r0, r0, #(1 << 11)
	ldr	r1, =0xcccccccc
	cmp	r12, r1
	orrne	r0, r0, #(1 << 12)
	cmp	lr, #0x1000
	orrne	r0, r0, #(1 << 14)
	pop	{r2, r3}
	cps	#0x1b
	cmp	sp, r2
	orrne	r0, r0, #(1 << 16)
	cps	#0x17
	cmp	sp, r3
	orrne	r0, r0, #(1 << 17)
	cps	#0x13
	pop	{r4-r12, pc}

	.section .bss.stacks, "aw", %nobits
	.balign	8
	.space	8192
svc_stack_top:
	.space	1024
und_stack_top:
	.space	1024
abt_stack_top:
	.space	8192
cpu1_svc_top:
	.space	1024
cpu1_und_top:
	.space	1024
cpu1_abt_top:
