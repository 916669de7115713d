/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ns_context.h - per-CPU monitor state shared by the SMC entry assembly and
 * C++: the normal world's full register context saved at each SMC, and the
 * secure stacks. Offsets are #defines so the assembly can use them; the C++
 * struct below is checked against them.
 */
#ifndef TZUCON_MONITOR_NS_CONTEXT_H
#define TZUCON_MONITOR_NS_CONTEXT_H

#define CTX_R0			0	/* r0..r12: 13 words */
#define CTX_SPSR_MON		52	/* caller CPSR */
#define CTX_LR_MON		56	/* return address (after the smc) */
#define CTX_SP_USR		60	/* sp_usr, lr_usr */
#define CTX_SPSR_SVC		68	/* spsr, sp, lr of SVC */
#define CTX_SPSR_ABT		80	/* ... of ABT */
#define CTX_SPSR_UND		92	/* ... of UND */
#define CTX_SPSR_IRQ		104	/* ... of IRQ */
#define CTX_SPSR_FIQ		116	/* spsr, r8..r12, sp, lr of FIQ */
#define CTX_SEC_SP_ABT		148	/* secure ABT/UND stacks for this CPU */
#define CTX_SEC_SP_UND		152
#define CTX_IN_SMC		156	/* which C handler runs: 0 none, */
#define CTX_IN_SMC_CALL		1	/* an SMC (its r0-r3 are results) */
#define CTX_IN_SMC_FIQ		2	/* a secure FIQ (r0-r3 untouched) */
#define CTX_SIZE		160

#define MON_STACK_SIZE		16384	/* per CPU, below its context */
#define SVC_STACK_SIZE		16384	/* boot CPU's secure SVC (boot only) */
#define EXC_STACK_SIZE		4096	/* secure ABT / UND / FIQ, per CPU */

/* Per-CPU area, page-aligned, a guard page (unmapped, mmu.cc) below every
 * stack so an overflow faults instead of running into its neighbour:
 *   [guard][ABT][guard][UND][guard][FIQ][guard][monitor stack][context page]
 * The monitor SP points at the context; the monitor stack grows below it. */
#define CPU_PAGE		4096
#define CPU_ABT_GUARD		0
#define CPU_ABT_TOP		(CPU_ABT_GUARD + CPU_PAGE + EXC_STACK_SIZE)
#define CPU_UND_GUARD		CPU_ABT_TOP
#define CPU_UND_TOP		(CPU_UND_GUARD + CPU_PAGE + EXC_STACK_SIZE)
#define CPU_FIQ_GUARD		CPU_UND_TOP
#define CPU_FIQ_TOP		(CPU_FIQ_GUARD + CPU_PAGE + EXC_STACK_SIZE)
#define CPU_MON_GUARD		CPU_FIQ_TOP
#define CPU_CTX_OFF		(CPU_MON_GUARD + CPU_PAGE + MON_STACK_SIZE)
#define CPU_AREA_SIZE		(CPU_CTX_OFF + CPU_PAGE)

#define MODE_USR		0x10
#define MODE_FIQ		0x11
#define MODE_IRQ		0x12
#define MODE_SVC		0x13
#define MODE_MON		0x16
#define MODE_ABT		0x17
#define MODE_UND		0x1b
#define MODE_SYS		0x1f

/* SCR for the normal world: NS, FIQs to Monitor mode (secure interrupts are
 * group 0 = FIQ), FW = 0 so the normal world cannot mask them, AW = 1 so
 * Linux may mask asynchronous aborts. IRQs stay with the normal world. */
#define SCR_NS			0x01
#define SCR_FIQ			0x04
#define SCR_AW			0x20
#define SCR_NORMAL_WORLD	(SCR_NS | SCR_FIQ | SCR_AW)

/* Linux entry: NS SVC with A, I and F masked. */
#define SPSR_NS_SVC_ENTRY	0x1d3

#ifndef __ASSEMBLER__
#include <stdint.h>

namespace monitor {

struct BankedRegs {
  uint32_t spsr;
  uint32_t sp;
  uint32_t lr;
};

struct NsContext {
  uint32_t r[13];
  uint32_t spsr_mon;
  uint32_t lr_mon;
  uint32_t sp_usr;
  uint32_t lr_usr;
  BankedRegs svc;
  BankedRegs abt;
  BankedRegs und;
  BankedRegs irq;
  uint32_t spsr_fiq;
  uint32_t r8_12_fiq[5];
  uint32_t sp_fiq;
  uint32_t lr_fiq;
  uint32_t sec_sp_abt;
  uint32_t sec_sp_und;
  uint32_t in_smc;  // CTX_IN_SMC_*
};

static_assert(__builtin_offsetof(NsContext, spsr_mon) == CTX_SPSR_MON, "ctx");
static_assert(__builtin_offsetof(NsContext, lr_mon) == CTX_LR_MON, "ctx");
static_assert(__builtin_offsetof(NsContext, sp_usr) == CTX_SP_USR, "ctx");
static_assert(__builtin_offsetof(NsContext, svc) == CTX_SPSR_SVC, "ctx");
static_assert(__builtin_offsetof(NsContext, abt) == CTX_SPSR_ABT, "ctx");
static_assert(__builtin_offsetof(NsContext, und) == CTX_SPSR_UND, "ctx");
static_assert(__builtin_offsetof(NsContext, irq) == CTX_SPSR_IRQ, "ctx");
static_assert(__builtin_offsetof(NsContext, spsr_fiq) == CTX_SPSR_FIQ, "ctx");
static_assert(__builtin_offsetof(NsContext, sec_sp_abt) == CTX_SEC_SP_ABT,
              "ctx");
static_assert(__builtin_offsetof(NsContext, sec_sp_und) == CTX_SEC_SP_UND,
              "ctx");
static_assert(__builtin_offsetof(NsContext, in_smc) == CTX_IN_SMC, "ctx");
static_assert(sizeof(NsContext) == CTX_SIZE, "ctx");
static_assert(CTX_SIZE <= CPU_PAGE && EXC_STACK_SIZE % CPU_PAGE == 0 &&
                  MON_STACK_SIZE % CPU_PAGE == 0,
              "per-CPU area: whole pages");

// This CPU's context (the monitor stack pointer points at it).
NsContext* ns_context(uint32_t cpu);

}  // namespace monitor
#endif

#endif /* TZUCON_MONITOR_NS_CONTEXT_H */
