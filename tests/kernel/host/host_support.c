// SPDX-License-Identifier: GPL-2.0
/*
 * host_support.c - what kernel/tz_hooks/cache.c links against on the host
 * (cache_test.cc): the counters enforce.c defines, the shared state and
 * lease words the driver maps, and the driver's slow epoch path, here a
 * stand-in with the rules of kernel/tz_driver/fast.c (the e2e boots run
 * the real one). One CPU at a time: tzh_host_cpu says which.
 */
#include "common.h"

unsigned int tzh_host_cpu;
DEFINE_PER_CPU(struct tzh_counters, tzh_counters);
const struct tzu_shared_state *tzu_epoch_state;
atomic_t tzu_epoch_floor[TZU_HOOK_COUNT];
static u32 tzh_host_words[TZU_MAX_CPUS][TZU_LEASE_WORDS];

u32 tzu_cache_epoch_moved(u32 hook, u32 e, u32 floor)
{
	const struct tzu_shared_state *st = READ_ONCE(tzu_epoch_state);

	if (!st || READ_ONCE(st->magic) != TZU_STATE_MAGIC || !e)
		return 0;
	if (e < floor) {
		WRITE_ONCE(tzu_epoch_state, NULL);
		return 0;
	}
	if (e > floor)
		atomic_cmpxchg(&tzu_epoch_floor[hook], floor, e);
	return e;
}

u32 *tzu_lease_word(u32 slot)
{
	if (tzh_host_cpu >= TZU_MAX_CPUS || slot >= TZU_LEASE_WORDS)
		return NULL;
	return &tzh_host_words[tzh_host_cpu][slot];
}

int tzh_deny_errno(u32 hook)
{
	return hook == TZU_HOOK_TASK_FIX_SETUID ? -1 : -13;
}

/* For the test, which cannot name struct tzh_counters (C only). */
unsigned long tzh_host_counter(int c)
{
	return tzh_counters.c[c];
}

u32 *tzh_host_word(unsigned int cpu, u32 slot)
{
	return &tzh_host_words[cpu][slot];
}

void tzh_host_publish(const struct tzu_shared_state *st)
{
	unsigned int h;

	tzu_epoch_state = st;
	for (h = 0; h < TZU_HOOK_COUNT; h++)
		tzu_epoch_floor[h].counter = 0;
}

const int tzh_host_c_hook_events = TZH_C_HOOK_EVENTS;
const int tzh_host_c_cache_allowed = TZH_C_CACHE_ALLOWED;
const int tzh_host_c_cache_denied = TZH_C_CACHE_DENIED;
const int tzh_host_c_cache_fills = TZH_C_CACHE_FILLS;
const int tzh_host_c_lease_uses = TZH_C_LEASE_USES;
const int tzh_host_probe_miss = TZH_PROBE_MISS;
const int tzh_host_probe_hit = TZH_PROBE_HIT;
const int tzh_host_probe_unfilled = TZH_PROBE_UNFILLED;
