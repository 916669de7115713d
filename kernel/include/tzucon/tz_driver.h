/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tz_driver.h - what the tzucon TEE backend (drivers/tee/tzucon) offers to
 * other kernel code besides the generic TEE client API: the non-sleeping
 * decision fast path, notices of secure-world state seen in replies, and
 * the LSM's counters for the integrity heartbeat.
 *
 * Sessions, policy loads and the other commands go through the TEE client
 * API (tee_client_open_context() and friends, see abi/tzucon_abi.h for the
 * command contract); only DECIDE, which hooks call in atomic context, has
 * its own entry point here.
 */
#ifndef TZUCON_TZ_DRIVER_H
#define TZUCON_TZ_DRIVER_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/notifier.h>
#include <linux/types.h>
#include <tzucon/tzucon_abi.h>

/* GlobalPlatform TEE Client API results and origins used by this backend. */
#define TZU_TEEC_SUCCESS		0x00000000u
#define TZU_TEEC_ERROR_GENERIC		0xffff0000u
#define TZU_TEEC_ERROR_ACCESS_DENIED	0xffff0001u
#define TZU_TEEC_ERROR_BAD_PARAMETERS	0xffff0006u
#define TZU_TEEC_ERROR_ITEM_NOT_FOUND	0xffff0008u
#define TZU_TEEC_ERROR_NOT_SUPPORTED	0xffff000au
#define TZU_TEEC_ERROR_BUSY		0xffff000du
#define TZU_TEEC_ERROR_COMMUNICATION	0xffff000eu
#define TZU_TEEC_ORIGIN_COMMS		0x00000002u
#define TZU_TEEC_ORIGIN_TEE		0x00000003u
#define TZU_TEEC_ORIGIN_TRUSTED_APP	0x00000004u

int tzu_decide(const struct tzu_event *ev, struct tzu_decision *dec);
bool tzu_available(void);
u32 tzu_cache_epoch_global(void);
u32 tzu_cache_epoch_moved(u32 hook, u32 e, u32 floor);
u32 *tzu_lease_word(u32 slot);

extern const struct tzu_shared_state *tzu_epoch_state;
extern atomic_t tzu_epoch_floor[TZU_HOOK_COUNT];

/**
 * tzu_cache_epoch() - the cache epoch the secure world last published
 * @hook: TZU_HOOK_* of the event
 *
 * Read from the shared window (struct tzu_shared_state): a decision the
 * LSM cached is reused only while this is the epoch its hook's decision
 * was made in (an attribute write moves only the hooks reading it). The
 * secure world rewrites it on every return. Inline on every cached answer:
 * an epoch equal to the highest read so far (its floor) is returned at
 * once, any other goes through tzu_cache_epoch_moved(), which also turns
 * the cache off for good if an epoch went back (fast.c).
 *
 * Context: any; lock-free.
 * Return: the epoch, 0 if none was published, the cache is off or @hook
 * is out of range (nothing may be reused).
 */
static inline u32 tzu_cache_epoch(u32 hook)
{
	/* Pairs with tzu_fast_publish(). */
	const struct tzu_shared_state *st = smp_load_acquire(&tzu_epoch_state);
	u32 e, floor;

	if (!st || hook >= TZU_HOOK_COUNT)
		return 0;
	/*
	 * The floor first, with acquire: it was raised after some CPU read
	 * that epoch (a fully ordered cmpxchg), and the secure world's own
	 * value only grows, so the epoch read below is not older than the
	 * floor unless someone else wrote it.
	 */
	floor = atomic_read_acquire(&tzu_epoch_floor[hook]);
	e = READ_ONCE(st->hook_epoch[hook]);
	if (likely(e == floor && e && READ_ONCE(st->magic) == TZU_STATE_MAGIC))
		return e;
	return tzu_cache_epoch_moved(hook, e, floor);
}

/*
 * A notice carries secure-world state the driver read from a successful
 * reply (OPEN_SESSION, LOAD_POLICY, SET_MODE, GET_STATS, UPDATE_ATTR,
 * HEARTBEAT), so
 * the LSM's cached view follows policy swaps and mode changes made by any
 * client, e.g. policyctl through /dev/tee0. Fields are valid per @valid.
 * The probe's own handshake (OPEN_SESSION, GET_STATS) is noticed too, once
 * the fast path serves: a notifier registered before the driver probes
 * (the LSM registers at its init) knows the mask and mode from then on.
 */
#define TZU_NOTICE_EPOCH_MASK	0x1u	/* @epoch and @interest_mask */
#define TZU_NOTICE_MODE		0x2u	/* @mode */
#define TZU_NOTICE_REVOKED	0x4u	/* @n_revoked, @revoked, ... */
#define TZU_NOTICE_TASK_STATE	0x8u	/* @task_tgid now has secure state */

struct tzu_notice {
	u32 command;		/* TZU_CMD_* of the reply */
	u32 valid;		/* TZU_NOTICE_* */
	u32 epoch;
	u32 interest_mask;
	u32 mode;		/* TZU_MODE_* */
	u32 n_revoked;		/* entries used in @revoked */
	u32 revoke_reason;	/* TZU_REVOKE_* */
	u32 revoked[TZU_MAX_REVOKE];
	u32 revoked_tgid[TZU_MAX_REVOKE];
	u32 task_tgid;		/* process an admin attribute write gave state */
};

int tzu_notifier_register(struct notifier_block *nb);
int tzu_notifier_unregister(struct notifier_block *nb);

/*
 * Counters the heartbeat carries to the secure world (struct
 * tzu_heartbeat_req) besides the driver's own decisions_sent: the LSM
 * registers one function that fills them, so the layering stays LSM ->
 * driver. All are totals since boot.
 */
struct tzu_lsm_counters {
	u64 hook_events;	/* events the hooks saw (decided or filtered) */
	u64 decisions_local;	/* answered in the kernel: mask, cache, ... */
	u64 errors;		/* transport errors and error statuses */
	u64 cached_allowed;	/* of decisions_local: allowed from the cache */
	u64 cached_denied;	/* ... denied from it */
};

int tzu_counters_register(void (*fn)(struct tzu_lsm_counters *c));

#endif /* TZUCON_TZ_DRIVER_H */
