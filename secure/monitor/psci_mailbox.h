/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * psci_mailbox.h - the per-CPU start mailbox between CPU_ON (C++, MMU on)
 * and a secondary CPU still waiting with its MMU off (start.S). One cache
 * line per CPU, so the cache maintenance for one never touches another.
 */
#ifndef TZUCON_MONITOR_PSCI_MAILBOX_H
#define TZUCON_MONITOR_PSCI_MAILBOX_H

#define MBOX_SHIFT		5	/* 32 bytes (one Cortex-A9 line) */
#define MBOX_START		0	/* bumped by every CPU_ON for it */
#define MBOX_ARRIVED		4	/* MBOX_ARRIVED_MAGIC once waiting */
#define MBOX_ENTRY		8	/* normal-world entry (bit 0: Thumb) */
#define MBOX_CONTEXT		12	/* r0 at that entry */
#define MBOX_ARRIVED_MAGIC	0x43505531	/* "CPU1" */

/* A9 SCTLR reset value: MMU, caches, alignment checks off, VBAR vectors. */
#define NS_SCTLR_RESET		0x00C50078
#define SPSR_T			0x20

#ifndef __ASSEMBLER__
#include <stdint.h>

namespace monitor {

struct alignas(1u << MBOX_SHIFT) PsciMailbox {
  volatile uint32_t start;
  volatile uint32_t arrived;
  volatile uint32_t entry;
  volatile uint32_t context_id;
  uint32_t pad[4];
};
static_assert(sizeof(PsciMailbox) == (1u << MBOX_SHIFT), "mailbox line");
static_assert(__builtin_offsetof(PsciMailbox, arrived) == MBOX_ARRIVED &&
                  __builtin_offsetof(PsciMailbox, entry) == MBOX_ENTRY &&
                  __builtin_offsetof(PsciMailbox, context_id) == MBOX_CONTEXT,
              "mailbox offsets");

}  // namespace monitor

extern "C" monitor::PsciMailbox psci_mailbox[];
#endif

#endif /* TZUCON_MONITOR_PSCI_MAILBOX_H */
