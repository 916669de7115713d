/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * monitor_vectors.S - Monitor mode (MVBAR) vectors: the SMC world switch.
 *
 * On an SMC from the normal world the full normal-world register context
 * (r0-r12, return address, CPSR and the banked SP/LR/SPSR of every mode,
 * FIQ r8-r12 included) is saved in this CPU's NsContext, SCR.NS is cleared
 * so the handler runs with the Secure CP15 banks, and the C++ handler gets
 * the context. On the way out everything is restored except r0-r3, which
 * carry the results (SMCCC SMC32). A, I and F stay masked throughout (the
 * exception entry masks them), so a call runs to completion. A secure FIQ
 * (mon_fiq) saves and restores the same context.
 */
#include "ns_context.h"

	.syntax unified
	.arm
	.arch armv7-a
	.arch_extension sec

	.section .text.monitor, "ax"
	.balign	32
	.global monitor_vectors
	.type	monitor_vectors, %function
monitor_vectors:
	b	mon_unexpected			@ 0x00 not used
	b	mon_unexpected			@ 0x04 not used
	b	mon_smc				@ 0x08 SMC
	b	mon_unexpected			@ 0x0c prefetch abort (SCR.EA = 0)
	b	mon_unexpected			@ 0x10 data abort (SCR.EA = 0)
	b	mon_unexpected			@ 0x14 not used
	b	mon_unexpected			@ 0x18 IRQ (SCR.IRQ = 0)
	b	mon_fiq				@ 0x1c FIQ: secure group 0

mon_smc:
	stmia	sp, {r0-r12}			@ SP_mon = this CPU's NsContext
	mrs	r0, spsr
	str	r0, [sp, #CTX_SPSR_MON]
	str	lr, [sp, #CTX_LR_MON]
	mrc	p15, 0, r1, c1, c1, 0		@ SCR
	tst	r1, #SCR_NS
	beq	mon_smc_from_secure
	bic	r1, r1, #SCR_NS
	mcr	p15, 0, r1, c1, c1, 0
	isb
	mov	r0, sp
	bl	ns_save_banked
	mov	r0, sp
	bl	monitor_smc_handler		@ results in ctx r0..r3
	.global mon_smc_exit
	.type	mon_smc_exit, %function
mon_smc_exit:
	mov	r0, sp
	bl	ns_restore_banked
	mrc	p15, 0, r1, c1, c1, 0
	orr	r1, r1, #SCR_NS
	mcr	p15, 0, r1, c1, c1, 0
	isb
	ldr	r0, [sp, #CTX_SPSR_MON]
	msr	spsr_cxsf, r0
	ldr	lr, [sp, #CTX_LR_MON]
	ldmia	sp, {r0-r12}
	movs	pc, lr

/* The secure world itself never issues an SMC: treat one as a fault. */
mon_smc_from_secure:
	mov	r0, #8
	ldr	r1, [sp, #CTX_LR_MON]
	ldr	r2, [sp, #CTX_SPSR_MON]
	bl	secure_fault
	b	park

mon_unexpected:
	mov	r0, #9
	mov	r1, lr
	mrs	r2, spsr
	bl	secure_fault
	b	park

/*
 * A secure (group 0) interrupt while the normal world ran: the secure
 * timer's tick. The normal world's whole context is saved in this CPU's
 * NsContext exactly as for an SMC, including the switch to the secure
 * ABT/UND stacks, so a fault in the handler takes the same defined path
 * (secure_fault, then mon_smc_exit). The NsContext is free: FIQs are
 * masked whenever the secure world runs, so none arrives during an SMC.
 * Nothing is changed on the way back (the handler leaves r0-r3 alone).
 */
mon_fiq:
	sub	lr, lr, #4			@ return to the interrupted insn
	stmia	sp, {r0-r12}
	mrs	r0, spsr
	str	r0, [sp, #CTX_SPSR_MON]
	str	lr, [sp, #CTX_LR_MON]
	mrc	p15, 0, r1, c1, c1, 0		@ SCR
	tst	r1, #SCR_NS
	beq	mon_fiq_from_secure
	bic	r1, r1, #SCR_NS
	mcr	p15, 0, r1, c1, c1, 0
	isb
	mov	r0, sp
	bl	ns_save_banked
	mov	r0, sp
	bl	monitor_fiq_handler
	b	mon_smc_exit

/* The secure world never unmasks F: a FIQ taken from it is a fault. */
mon_fiq_from_secure:
	mov	r0, #7
	ldr	r1, [sp, #CTX_LR_MON]
	ldr	r2, [sp, #CTX_SPSR_MON]
	bl	secure_fault
	b	park

/*
 * ns_save_banked(ctx): SP/LR/SPSR of USR, SVC, ABT, UND, IRQ and FIQ
 * (+ r8-r12_fiq) into ctx, then re-arm the secure ABT/UND stacks so a
 * secure fault in the handler cannot run on a normal-world stack.
 * Runs with SCR.NS = 0 so the mode changes stay in the Secure state.
 */
ns_save_banked:
	add	r1, r0, #CTX_SP_USR
	stmia	r1, {sp, lr}^
	nop
	add	r1, r0, #CTX_SPSR_SVC
	cps	#MODE_SVC
	mrs	r2, spsr
	stmia	r1!, {r2, sp, lr}
	cps	#MODE_ABT
	mrs	r2, spsr
	stmia	r1!, {r2, sp, lr}
	ldr	sp, [r0, #CTX_SEC_SP_ABT]
	cps	#MODE_UND
	mrs	r2, spsr
	stmia	r1!, {r2, sp, lr}
	ldr	sp, [r0, #CTX_SEC_SP_UND]
	cps	#MODE_IRQ
	mrs	r2, spsr
	stmia	r1!, {r2, sp, lr}
	cps	#MODE_FIQ
	mrs	r2, spsr
	stmia	r1!, {r2, r8-r12, sp, lr}
	cps	#MODE_MON
	bx	lr

ns_restore_banked:
	add	r1, r0, #CTX_SP_USR
	ldmia	r1, {sp, lr}^
	nop
	add	r1, r0, #CTX_SPSR_SVC
	cps	#MODE_SVC
	ldmia	r1!, {r2, sp, lr}
	msr	spsr_cxsf, r2
	cps	#MODE_ABT
	ldmia	r1!, {r2, sp, lr}
	msr	spsr_cxsf, r2
	cps	#MODE_UND
	ldmia	r1!, {r2, sp, lr}
	msr	spsr_cxsf, r2
	cps	#MODE_IRQ
	ldmia	r1!, {r2, sp, lr}
	msr	spsr_cxsf, r2
	cps	#MODE_FIQ
	ldmia	r1!, {r2, r8-r12, sp, lr}
	msr	spsr_cxsf, r2
	cps	#MODE_MON
	bx	lr
