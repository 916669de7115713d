/* SPDX-License-Identifier: GPL-2.0 */
/*
 * common.h - what the files of the tz_hooks LSM share: the cached view of
 * the secure world, the decision pipeline, counters and usage sessions.
 *
 * Flow: hook_<lsm_hook>() checks the event's shape and the interest mask
 * (cheap, no world switch), fills a struct tzu_event and calls
 * tzh_decide(), which answers from the decision cache (cache.c) if it can,
 * else asks the secure world (tzu_decide(), the driver's fast path),
 * carries out the obligations and maps the answer to 0, -EACCES or -EPERM
 * in tzh_result().
 */
#ifndef _SECURITY_TZ_HOOKS_COMMON_H
#define _SECURITY_TZ_HOOKS_COMMON_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/types.h>
#include <tzucon/tz_driver.h>
#include <tzucon/tzucon_abi.h>

#define TZH_NAME "tz_hooks"

/* --- setup.c ------------------------------------------------------------ */

extern bool tzh_enabled;

/* --- engine.c: the session with the secure world and its cached state --- */

/*
 * Phases, as seen by a decision (docs/kernel.md, "Phases"):
 * EARLY: before the TEE driver has probed (subsys_initcall_sync); events
 *   that could change the kernel or memory protections are denied
 *   (tzh_changes_kernel()), the others allowed, both counted.
 * READY: the driver's fast path serves; the secure world decides (its
 *   boot policy until a policy is loaded).
 * UNREACHABLE: no driver by late_initcall_sync; events get the fail
 *   policy of the current mode (tzh_result()).
 */
#define TZH_EARLY		0
#define TZH_READY		1
#define TZH_UNREACHABLE		2

u32 tzh_phase(void);
u32 tzh_mode(void);
void __init tzh_engine_early_init(void);
void tzh_observe(const struct tzu_decision *dec);
void tzh_request_remeasure(void);
int tzh_state_show(char *buf, size_t size);

/* --- counters (fs.c shows them) ------------------------------------------ */

enum tzh_counter {
	TZH_C_DECISIONS,	/* answers with status TZU_OK */
	TZH_C_ALLOWED,		/* ... with verdict allow */
	TZH_C_DENIED,		/* ... with verdict deny */
	TZH_C_WOULD_DENY,	/* ... flagged TZU_DF_WOULD_DENY */
	TZH_C_FILTERED,		/* stopped by the interest mask, in the kernel */
	TZH_C_ERRORS,		/* transport errors and error statuses */
	TZH_C_UNREACHABLE,	/* events with no secure world (UNREACHABLE) */
	TZH_C_EARLY_ALLOWED,	/* EARLY events that cannot change the kernel */
	TZH_C_EARLY_DENIED,	/* EARLY events that could: denied */
	TZH_C_LOCAL_DENIALS,	/* denied here: errors, early, revoked ... */
	TZH_C_REVOCATIONS,	/* usage sessions revoked */
	TZH_C_AUDIT,		/* audit lines printed */
	TZH_C_AUDIT_DROPPED,	/* audit lines the rate limit dropped */
	TZH_C_KILLS,		/* subjects killed */
	TZH_C_REMEASURE,	/* re-measurements requested */
	TZH_C_HOOK_EVENTS,	/* events: decided, cached or denied here,
				 * filtered ones added when read
				 */
	TZH_C_CACHE_ALLOWED,	/* allowed from the decision cache */
	TZH_C_CACHE_DENIED,	/* denied from the decision cache */
	TZH_C_CACHE_FILLS,	/* cacheable decisions and leases stored */
	TZH_C_LEASE_USES,	/* cached allows that took a lease's use */
	TZH_C_EXITS_LOCAL,	/* process exits not sent: no secure state */
	TZH_C_NR
};

struct tzh_counters {
	u32 mask;	/* interest mask: this CPU's copy (engine.c) */
	unsigned long c[TZH_C_NR];
	unsigned long events[TZU_HOOK_COUNT];	/* sent to the secure world */
	unsigned long filtered[TZU_HOOK_COUNT];
	unsigned long cached[TZU_HOOK_COUNT];	/* answered from the cache */
};

DECLARE_PER_CPU(struct tzh_counters, tzh_counters);

static inline void tzh_count(enum tzh_counter c)
{
	this_cpu_inc(tzh_counters.c[c]);
}

/*
 * Interest mask the hooks test: the secure world's once it published one
 * (driver probe, any reply or decision), all hooks before (so that early
 * events are counted and, where they could change the kernel, denied).
 * Every CPU has its own copy, in tzh_counters next to the counts the test
 * leads to (engine.c writes them all); tzh_wants() reads this CPU's.
 */
static inline bool tzh_wants(u32 hook)
{
	return raw_cpu_read(tzh_counters.mask) & BIT(hook);
}

/*
 * One increment: the FILTERED and HOOK_EVENTS totals add these up.
 * Interrupt-safe (task_free runs from RCU callbacks, in softirq context).
 */
static inline void tzh_filtered(u32 hook)
{
	this_cpu_inc(tzh_counters.filtered[hook]);
}

/*
 * tzh_filter() - the interest-mask test a hook makes first, and the count
 * of an event it stops, on one per-CPU base
 * @hook: TZU_HOOK_*
 *
 * What a filtered event costs is this (issue 9: at most 2% over an
 * operation no LSM decides), so the mask copy and the counts share a base
 * and the increment only keeps preemption off: the same counter is never
 * written from interrupt context, because the hooks that use this one run
 * in process context only (tzh_filtered() for the others).
 *
 * Context: process.
 * Return: true if the event is filtered (counted; the hook returns 0).
 */
static __always_inline bool tzh_filter(u32 hook)
{
	struct tzh_counters *k;
	u32 want;

	preempt_disable();
	k = this_cpu_ptr(&tzh_counters);
	want = READ_ONCE(k->mask) & BIT(hook);
	if (!want)
		k->filtered[hook]++;
	preempt_enable();
	return !want;
}

const char *tzh_hook_name(u32 hook);
unsigned long tzh_counter_sum(enum tzh_counter c);
void tzh_heartbeat_counters(struct tzu_lsm_counters *c);

/* --- cache.c: the decision cache ------------------------------------------ */

/* tzh_cache_probe(): what it found (TZH_PROBE_UNFILLED: not counted) */
#define TZH_PROBE_MISS		0
#define TZH_PROBE_HIT		1
#define TZH_PROBE_UNFILLED	2

int tzh_cache_probe(const struct tzu_event *ev, u32 filled, u32 *verdict);
bool tzh_fields_same(const struct tzu_event *a, const struct tzu_event *b,
		     u32 fields);

/* tzh_cache_probe() of a whole event: true on a hit (counted either way) */
static inline bool tzh_cache_lookup(const struct tzu_event *ev, u32 *verdict)
{
	return tzh_cache_probe(ev, ~0u, verdict) == TZH_PROBE_HIT;
}

void tzh_cache_insert(const struct tzu_event *ev,
		      const struct tzu_decision *dec);

/* --- task.c: processes the secure world holds state for -------------------- */

void tzh_task_mark(u32 tgid, u64 start_time);
void tzh_task_mark_tgid(u32 tgid);
u32 tzh_task_marks(bool *full);

/* --- event.c: filling events ----------------------------------------------- */

void tzh_event_subject(struct tzu_subject *s, const struct cred *cred);
void tzh_event_task(struct tzu_event *ev, u32 hook, struct task_struct *task);
void tzh_event_tracer(struct tzu_event *ev, u32 hook, struct task_struct *task);

/**
 * tzh_event_none() - a zeroed event without subject
 * @ev: the event
 * @hook: TZU_HOOK_* (lifecycle hooks whose subject is gone: key_free)
 *
 * Inline, as tzh_event_init(): the compiler then sees the whole event
 * zeroed here and drops the caller's own zeroing of it
 * (CONFIG_INIT_STACK_ALL_ZERO), one memset per event instead of two.
 *
 * Context: any.
 */
static inline void tzh_event_none(struct tzu_event *ev, u32 hook)
{
	memset(ev, 0, sizeof(*ev));
	ev->hook = hook;
}

/**
 * tzh_event_init() - a zeroed event for @hook with current as subject
 * @ev: the event
 * @hook: TZU_HOOK_*
 * @cred: the credentials acting (NULL: current's)
 *
 * Context: process context, may be atomic.
 */
static inline void tzh_event_init(struct tzu_event *ev, u32 hook,
				  const struct cred *cred)
{
	tzh_event_none(ev, hook);
	tzh_event_subject(&ev->subject, cred);
}

/*
 * The fields tzh_event_probe() (subject.h) fills: the hook and the subject's ids,
 * credentials and executable; not its comm, nor anything of the object.
 */
#define TZH_PROBE_FIELDS						\
	(BIT(TZU_FIELD_HOOK) | BIT(TZU_FIELD_PID) | BIT(TZU_FIELD_TGID) | \
	 BIT(TZU_FIELD_START_TIME) | BIT(TZU_FIELD_UID) |		\
	 BIT(TZU_FIELD_EUID) | BIT(TZU_FIELD_GID) | BIT(TZU_FIELD_EGID) | \
	 BIT(TZU_FIELD_EXE_DEV) | BIT(TZU_FIELD_EXE_INO) |		\
	 BIT(TZU_FIELD_EXE_GEN))

void tzh_object_file(struct tzu_object *obj, struct file *file);
void tzh_copy_str(char *dst, size_t size, const char *src);

/* --- enforce.c: decision pipeline ------------------------------------------ */

int tzh_decide(struct tzu_event *ev);
int tzh_decide_secure(struct tzu_event *ev);
int tzh_local_deny(const struct tzu_event *ev, const char *reason);
int tzh_deny_errno(u32 hook);
bool tzh_changes_kernel(u32 hook);

/* The hook's return value for a cached @verdict. */
static inline int tzh_cached_rc(u32 hook, u32 verdict)
{
	return verdict == TZU_VERDICT_ALLOW ? 0 : tzh_deny_errno(hook);
}

/**
 * tzh_decide_cached() - count @ev, and answer it from the decision cache
 *	if it can
 * @ev: the event, every field filled in (a hook that probes before it
 *	fills the costly fields calls tzh_cache_probe() instead)
 * @rc: [out] the hook's return value on a hit
 *
 * Inline: a hit is the hot path.
 *
 * Context: any; never sleeps.
 * Return: true on a hit (*rc set: 0 or the hook's deny errno).
 */
static inline bool tzh_decide_cached(struct tzu_event *ev, int *rc)
{
	u32 verdict;

	if (!tzh_cache_lookup(ev, &verdict))	/* counts the event */
		return false;
	*rc = tzh_cached_rc(ev->hook, verdict);
	return true;
}

/* --- obligations.c --------------------------------------------------------- */

void tzh_audit(const struct tzu_event *ev, const struct tzu_decision *dec,
	       const char *verdict, const char *reason, int err);
void tzh_obligations(const struct tzu_event *ev,
		     const struct tzu_decision *dec);
void tzh_kill(u32 tgid);

/* --- session.c: usage sessions the kernel must know about (key, exec) ------ */

bool tzh_session_opened(const struct tzu_event *ev, u32 id);
void tzh_session_lost(const struct tzu_event *ev, u32 id);
void tzh_session_revoked(u32 id, u32 tgid, u32 reason);
bool tzh_key_revoked_slow(u32 serial);
extern atomic_t tzh_n_revoked;
extern bool tzh_locked;

/**
 * tzh_key_revoked() - is further use of a key revoked?
 * @serial: the key
 *
 * Inline: every key_permission event asks, and the answer is almost
 * always no (nothing revoked, nothing locked: two loads).
 *
 * Context: any; lock-free while nothing is revoked.
 * Return: true if a revoked session is bound to @serial, or key use is
 * locked (tzh_keys_locked()).
 */
static inline bool tzh_key_revoked(u32 serial)
{
	if (likely(!READ_ONCE(tzh_locked) && !atomic_read(&tzh_n_revoked)))
		return false;
	return tzh_key_revoked_slow(serial);
}

void tzh_sessions_end_key(u32 serial);
void tzh_sessions_end_task(u32 tgid, u64 start_time);
u32 tzh_sessions_exec(void);
u32 tzh_exec_kills(void);
u32 tzh_sessions_live(void);
u32 tzh_sessions_revoked(void);
bool tzh_keys_locked(void);

/* --- keys.c ---------------------------------------------------------------- */

const char *tzh_probe_check_state(void);

/* --- hook families --------------------------------------------------------- */

void __init tzh_add_mem_hooks(void);
void __init tzh_add_load_hooks(void);
void __init tzh_add_task_hooks(void);
void __init tzh_add_cred_hooks(void);
#ifdef CONFIG_KEYS
void __init tzh_add_key_hooks(void);
#else
static inline void tzh_add_key_hooks(void) {}
#endif
#ifdef CONFIG_SECURITY_NETWORK
void __init tzh_add_crypto_hooks(void);
#else
static inline void tzh_add_crypto_hooks(void) {}
#endif
int tzh_load_init_late(void);

#endif /* _SECURITY_TZ_HOOKS_COMMON_H */
