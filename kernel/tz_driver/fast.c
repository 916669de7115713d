// SPDX-License-Identifier: GPL-2.0
/*
 * fast.c - the DECIDE fast call: one event through the calling CPU's slot
 * of the shared window, the verdict back in registers and in the slot.
 *
 * Hooks call this from any context (under spinlocks, RCU, softirq for
 * task_free), so it neither sleeps nor allocates. Interrupts stay off while
 * the slot is in use: with only preemption off, a softirq on the same CPU
 * could start a second event in the same slot.
 */
#include <linux/arm-smccc.h>
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/irqflags.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "tzu_private.h"

static struct tzu_drv *tzu_fast_drv;

/*
 * The shared state tzu_cache_epoch() reads; NULL: no cached answers. Set
 * once, at the first probe; cleared for good when an epoch goes back or
 * the driver goes: the LSM's entries keep pointers into the window (their
 * lease words), which must not answer again through a later mapping.
 */
const struct tzu_shared_state *tzu_epoch_state;
EXPORT_SYMBOL_GPL(tzu_epoch_state);
static bool tzu_epoch_retired;	/* cleared once: never published again */

/* No cached answer from now on, until reboot. */
static void tzu_epoch_retire(void)
{
	WRITE_ONCE(tzu_epoch_retired, true);
	WRITE_ONCE(tzu_epoch_state, NULL);
}

/**
 * tzu_fast_publish() - make the fast path use @drv (NULL: none)
 * @drv: a probed monitor whose slots are ready
 */
void tzu_fast_publish(struct tzu_drv *drv)
{
	/* Pairs with tzu_decide(): the slots are set up before they are used. */
	smp_store_release(&tzu_fast_drv, drv);
	if (!drv || READ_ONCE(tzu_epoch_retired)) {
		tzu_epoch_retire();
		return;
	}
	/* Pairs with tzu_cache_epoch(). */
	smp_store_release(&tzu_epoch_state, drv->win + TZU_SHM_STATE_OFFSET);
}

/**
 * tzu_available() - whether a secure monitor serves tzu_decide()
 *
 * Return: true once the driver has probed a monitor.
 */
bool tzu_available(void)
{
	return READ_ONCE(tzu_fast_drv);
}
EXPORT_SYMBOL_GPL(tzu_available);

/* Per hook, the highest cache epoch read so far: epochs only move on. */
atomic_t tzu_epoch_floor[TZU_HOOK_COUNT];
EXPORT_SYMBOL_GPL(tzu_epoch_floor);

/**
 * tzu_cache_epoch_moved() - tzu_cache_epoch() when the epoch is not the floor
 * @hook: TZU_HOOK_*, below TZU_HOOK_COUNT
 * @e: the epoch read, after ...
 * @floor: ... this floor (with acquire)
 *
 * The inline part (tz_driver.h) answers the common case, an epoch equal to
 * its hook's floor in a window whose magic is the secure world's, with
 * four loads; here the magic is checked again before anything moves. The
 * window is normal-world memory: an epoch older than one already read was
 * written by someone else (to bring back entries a later change made
 * stale), and turns the cache off until reboot, since an entry of the
 * older epoch could match again once the value climbs back. A larger
 * value than the secure world's matches no entry, and the real one is
 * then older: the cache goes off too. Both only cost speed. The secure
 * world's own epoch never wraps (it becomes 0, none, instead).
 *
 * Context: any; lock-free.
 * Return: @e, or 0 if it is none or went back (nothing may be reused).
 */
u32 tzu_cache_epoch_moved(u32 hook, u32 e, u32 floor)
{
	const struct tzu_shared_state *st = READ_ONCE(tzu_epoch_state);

	if (!st || READ_ONCE(st->magic) != TZU_STATE_MAGIC || !e)
		return 0;
	if (e < floor) {
		tzu_epoch_retire();
		pr_warn_once("tzucon: cache epoch of hook %u went back (%u after %u): decision cache off\n",
			     hook, e, floor);
		return 0;
	}
	if (e > floor)
		atomic_cmpxchg(&tzu_epoch_floor[hook], floor, e); /* a race keeps one */
	return e;
}
EXPORT_SYMBOL_GPL(tzu_cache_epoch_moved);

/**
 * tzu_cache_epoch_global() - the global cache epoch, for status lines
 *
 * Return: the epoch the secure world last published, 0 if none or the
 * cache is off (never used to answer: no floor).
 */
u32 tzu_cache_epoch_global(void)
{
	/* Pairs with tzu_fast_publish(). */
	const struct tzu_shared_state *st = smp_load_acquire(&tzu_epoch_state);

	if (!st)
		return 0;
	return READ_ONCE(st->magic) == TZU_STATE_MAGIC ?
	       READ_ONCE(st->cache_epoch) : 0;
}
EXPORT_SYMBOL_GPL(tzu_cache_epoch_global);

/**
 * tzu_lease_word() - one of this CPU's use-lease words in the shared window
 * @slot: word index, below TZU_LEASE_WORDS
 *
 * The secure world writes a word when it grants a lease on this CPU
 * (TZU_DF_LEASE) and exchanges it for 0 when it closes the lease; the LSM
 * counts each use it answers with one compare-and-swap (tzucon_abi.h).
 *
 * Context: interrupts or preemption off (the CPU must not change).
 * Return: the word, or NULL without a monitor or a slot for this CPU.
 */
u32 *tzu_lease_word(u32 slot)
{
	/* Pairs with tzu_fast_publish(). */
	struct tzu_drv *drv = smp_load_acquire(&tzu_fast_drv);
	unsigned int cpu = smp_processor_id();

	if (!drv || cpu >= drv->nr_slots || slot >= TZU_LEASE_WORDS)
		return NULL;
	return drv->win + cpu * TZU_SLOT_SIZE + TZU_SLOT_LEASE_OFFSET +
	       slot * sizeof(u32);
}
EXPORT_SYMBOL_GPL(tzu_lease_word);

/* The v2 status codes run from TZU_OK to TZU_E_STORAGE. */
static bool tzu_known_status(u32 status)
{
	return status <= TZU_E_STORAGE || status == TZU_E_NOT_SUPPORTED;
}

/*
 * A decision is believed only if the slot and the registers tell the same
 * story about this very event.
 */
static int tzu_check_decision(struct tzu_decision *dec,
			      const struct arm_smccc_res *res, u64 seq)
{
	u32 status = res->a0;

	if (dec->hdr.magic != TZU_MAGIC) {
		/*
		 * No decision written: a secure world in its error state
		 * answers with a status only. A known error code is its
		 * result; anything else is garbage.
		 */
		if (status == TZU_OK || !tzu_known_status(status))
			return -EPROTO;
		memset(dec, 0, sizeof(*dec));
		tzu_fill_hdr(&dec->hdr, TZU_CMD_DECIDE, sizeof(*dec));
		dec->hdr.status = status;
		dec->seq = seq;
		dec->verdict = TZU_VERDICT_DENY;
		return 0;
	}
	if (dec->hdr.version != TZU_ABI_VERSION ||
	    dec->hdr.command != TZU_CMD_DECIDE ||
	    dec->hdr.size != sizeof(*dec) || dec->hdr.status != status ||
	    !tzu_known_status(status) || dec->seq != seq ||
	    dec->verdict > TZU_VERDICT_DENY ||
	    (dec->obligations & ~TZU_OBL_ALL) ||
	    dec->n_revoked > TZU_MAX_REVOKE)
		return -EPROTO;
	if (status == TZU_OK &&
	    (res->a1 != (dec->verdict | dec->flags << 8) ||
	     res->a2 != dec->obligations || res->a3 != dec->rule_id))
		return -EPROTO;
	return 0;
}

/**
 * tzu_decide() - ask the secure world to decide one event, without sleeping
 * @ev: the event; hdr, seq and cpu are filled in here, the rest by the caller
 * @dec: the decision
 *
 * Two result levels: the return value says whether a well-formed decision
 * for this event came back; @dec->hdr.status is the secure world's own
 * result (TZU_OK, or TZU_E_* with a deny verdict).
 *
 * Context: any; takes no lock, allocates nothing, runs with interrupts off
 * for the duration of the world switch.
 * Return: 0 if @dec holds the secure world's answer, or
 * -ENODEV if no secure monitor was probed,
 * -ERANGE if the calling CPU has no slot,
 * -EPROTO if the answer is malformed or is not for this event.
 */
int tzu_decide(const struct tzu_event *ev, struct tzu_decision *dec)
{
	/* Pairs with tzu_fast_publish(). */
	struct tzu_drv *drv = smp_load_acquire(&tzu_fast_drv);
	struct tzu_event *slot_ev;
	struct arm_smccc_res res;
	unsigned long flags;
	unsigned int cpu;
	void *slot;
	u64 seq;

	if (!drv)
		return -ENODEV;
	local_irq_save(flags);
	cpu = smp_processor_id();
	if (cpu >= drv->nr_slots) {
		local_irq_restore(flags);
		return -ERANGE;
	}
	seq = atomic64_inc_return(&drv->seq);
	slot = drv->win + cpu * TZU_SLOT_SIZE;
	slot_ev = slot;
	memcpy(slot_ev, ev, sizeof(*ev));
	tzu_fill_hdr(&slot_ev->hdr, TZU_CMD_DECIDE, sizeof(*ev));
	slot_ev->seq = seq;
	slot_ev->cpu = cpu;
	memset(slot + TZU_SLOT_DECISION_OFFSET, 0, sizeof(*dec));
	arm_smccc_smc(TZU_SMC_DECIDE, cpu, 0, 0, 0, 0, 0, 0, &res);
	memcpy(dec, slot + TZU_SLOT_DECISION_OFFSET, sizeof(*dec));
	local_irq_restore(flags);
	return tzu_check_decision(dec, &res, seq);
}
EXPORT_SYMBOL_GPL(tzu_decide);
