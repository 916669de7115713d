/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * start.S - secure-world reset entry, secure exception vectors and the
 * first switch to the normal world. QEMU's loader (or the FSBL on a board)
 * starts CPU0 here in Secure SVC with the MMU and caches off; a secondary
 * CPU waits here until a PSCI CPU_ON (psci.h) releases it.
 */
#include "memmap.h"
#include "ns_context.h"
#include "psci_mailbox.h"

	.syntax unified
	.arm
	.arch armv7-a
	.arch_extension sec

/*
 * This CPU's stacks in its per-CPU area (r4 = CPU number; uses r5, r6):
 * ABT/UND/FIQ, SP_mon = its NsContext, and the secure ABT/UND stacks the
 * SMC entry re-arms. Ends in Monitor mode. The NsContext lies in .bss, so
 * this runs only after CPU0 has zeroed it.
 */
	.macro	cpu_stacks
	ldr	r5, =monitor_cpu_area
	ldr	r6, =CPU_AREA_SIZE
	mla	r5, r4, r6, r5
	cps	#MODE_ABT
	add	sp, r5, #CPU_ABT_TOP
	cps	#MODE_UND
	add	sp, r5, #CPU_UND_TOP
	cps	#MODE_FIQ
	add	sp, r5, #CPU_FIQ_TOP
	cps	#MODE_IRQ
	add	sp, r5, #CPU_FIQ_TOP		@ never used: IRQs stay masked
	cps	#MODE_MON
	add	sp, r5, #CPU_CTX_OFF		@ SP_mon = this CPU's NsContext
	add	r0, r5, #CPU_CTX_OFF
	add	r1, r5, #CPU_ABT_TOP
	str	r1, [r0, #CTX_SEC_SP_ABT]
	add	r1, r5, #CPU_UND_TOP
	str	r1, [r0, #CTX_SEC_SP_UND]
	.endm

	.section .text.start, "ax"
	.global _start
	.type	_start, %function
_start:
	cpsid	aif
	ldr	r0, =secure_vectors		@ banked per CPU: every CPU sets
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR (Secure bank)
	ldr	r0, =monitor_vectors
	mcr	p15, 0, r0, c12, c0, 1		@ MVBAR
	mrc	p15, 0, r0, c1, c0, 0
	bic	r0, r0, #(1 << 13)		@ SCTLR.V = 0: use VBAR
	mcr	p15, 0, r0, c1, c0, 0
	isb
	mrc	p15, 0, r4, c0, c0, 5		@ MPIDR
	and	r4, r4, #3
	cmp	r4, #0
	bne	secondary_entry

	ldr	r0, =__bss_start		@ zero .bss (word aligned)
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b

	cpu_stacks
	cps	#MODE_SVC
	ldr	sp, =svc_stack_top

	ldr	r5, =__init_array_start		@ C++ static constructors
	ldr	r6, =__init_array_end
2:	cmp	r5, r6
	bhs	3f
	ldr	r0, [r5], #4
	blx	r0
	b	2b
3:	bl	secure_main			@ does not return
	b	park

/*
 * A secondary CPU (QEMU's loader starts it here; on the board the boot
 * ROM's wait loop jumps here through 0xFFFFFFF0, see psci_platform.cc).
 * MMU and caches are off, so the mailbox (psci_platform.cc, in .data: the
 * loader put it there, CPU0's .bss zeroing cannot race with it) is read and
 * written in memory; CPU0 cleans its side to the point of coherency. The
 * CPU notes the mailbox's start count, says it has arrived, and waits for
 * the count to change: a PSCI CPU_ON for it. Only then does it touch .bss.
 */
secondary_entry:
	ldr	r7, =psci_mailbox
	add	r7, r7, r4, lsl #MBOX_SHIFT
	ldr	r8, [r7, #MBOX_START]
	ldr	r0, =MBOX_ARRIVED_MAGIC
	str	r0, [r7, #MBOX_ARRIVED]
	dsb
	sev
4:	wfe
	ldr	r0, [r7, #MBOX_START]
	cmp	r0, r8
	beq	4b
	dmb
	cpu_stacks				@ ends in Monitor mode
	mov	r0, r4
	bl	secondary_main			@ does not return
	b	park

/*
 * void enter_normal_world(uint32_t entry, uint32_t r0, uint32_t r1,
 * uint32_t r2): NS SVC at entry (bit 0 set: Thumb) with A/I/F masked, the
 * non-secure SCTLR at its reset value (MMU and caches off) and only r0-r2
 * set, all other registers zero. Linux's boot protocol (r0 = 0, r1 = ~0,
 * r2 = DTB) and PSCI CPU_ON (r0 = context id) are both this. SP_mon is
 * reset to this CPU's NsContext, so it may be called from any depth of the
 * monitor stack (a CPU that CPU_OFF parked).
 */
	.text
	.global enter_normal_world
	.type	enter_normal_world, %function
enter_normal_world:
	cpsid	aif
	cps	#MODE_MON			@ allowed from Secure PL1
	mov	lr, r0
	mrc	p15, 0, r4, c0, c0, 5
	and	r4, r4, #3
	ldr	r5, =monitor_cpu_area
	ldr	r6, =CPU_AREA_SIZE
	mla	r5, r4, r6, r5
	add	sp, r5, #CPU_CTX_OFF
	ldr	r4, =SPSR_NS_SVC_ENTRY
	tst	lr, #1
	orrne	r4, r4, #SPSR_T
	bic	lr, lr, #1
	msr	spsr_cxsf, r4
	mov	r0, #SCR_NORMAL_WORLD
	mcr	p15, 0, r0, c1, c1, 0		@ SCR: NS from here (banked CP15)
	isb
	ldr	r0, =NS_SCTLR_RESET
	mcr	p15, 0, r0, c1, c0, 0		@ non-secure SCTLR
	isb
	mov	r0, r1
	mov	r1, r2
	mov	r2, r3
	mov	r3, #0
	mov	r4, #0
	mov	r5, #0
	mov	r6, #0
	mov	r7, #0
	mov	r8, #0
	mov	r9, #0
	mov	r10, #0
	mov	r11, #0
	mov	r12, #0
	movs	pc, lr

/* ---------------- secure PL1 exception vectors (VBAR) ---------------- */
	.balign	32
	.global secure_vectors
	.type	secure_vectors, %function
secure_vectors:
	b	sec_reset
	b	sec_und
	b	sec_svc
	b	sec_pabt
	b	sec_dabt
	b	sec_unused
	b	sec_irq
	b	sec_fiq

sec_reset:
	mov	r1, lr
	mov	r0, #0
	b	fault_common
sec_und:
	sub	r1, lr, #4
	mov	r0, #1
	b	fault_common
sec_svc:
	sub	r1, lr, #4
	mov	r0, #2
	b	fault_common
sec_pabt:
	sub	r1, lr, #4
	mov	r0, #3
	b	fault_common
sec_dabt:
	sub	r1, lr, #8
	mov	r0, #4
	b	fault_common
sec_unused:
	mov	r1, lr
	mov	r0, #5
	b	fault_common
sec_irq:
	sub	r1, lr, #4
	mov	r0, #6
	b	fault_common
sec_fiq:
	sub	r1, lr, #4
	mov	r0, #7

/*
 * secure_fault(kind, pc, spsr) prints the diagnostic. It returns the CPU's
 * NsContext if the fault hit an SMC in progress: the secure world is then in
 * its FAILED state and the SMC returns TZU_E_INTERNAL through the normal
 * exit path (which also restores the normal world's banked registers that
 * this exception clobbered). Otherwise (a boot-time fault) it returns 0 and
 * the CPU parks.
 */
fault_common:
	mrs	r2, spsr
	bl	secure_fault
	cmp	r0, #0
	beq	park
	cps	#MODE_MON
	mov	sp, r0
	b	mon_smc_exit

	.global park
	.type	park, %function
park:
	cpsid	aif
4:	wfi
	b	4b

	.section .bss.svc_stack, "aw", %nobits
	.balign	8
	.space	SVC_STACK_SIZE
svc_stack_top:

	.section .bss.monitor_cpu_area, "aw", %nobits
	.balign	4096			@ guard pages are whole pages (mmu.cc)
	.global monitor_cpu_area
monitor_cpu_area:
	.space	CPU_AREA_SIZE * PLAT_NR_CPUS
