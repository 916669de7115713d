// SPDX-License-Identifier: GPL-2.0
/*
 * enforce.c - from an event to a hook's return value: ask the secure world,
 * carry out what it asked for, and map its answer to 0/-EACCES/-EPERM.
 *
 * Three outcomes of a question, kept apart until tzh_result():
 *  - transport error: tzu_decide() < 0 (no driver, no slot, garbage reply);
 *  - secure-side error: a well-formed reply whose status is not TZU_OK;
 *  - a decision: verdict allow or deny.
 * The first two get the fail policy of the current mode: enforce denies
 * (fail closed), permissive allows; both are audited.
 *
 * Before the TEE driver has probed (EARLY) there is nobody to ask: events
 * that could change the kernel or memory protections are denied (fail
 * closed, tzh_changes_kernel()), the others allowed; both are counted.
 *
 * Denials: -EPERM for loading code into the kernel or changing privilege
 * (kernel_read_file, kernel_load_data, module_request, bpf, ptrace,
 * task_fix_setuid), -EACCES for access to an object (memory mappings,
 * /dev/mem, keys, AF_ALG).
 */
#include <linux/errno.h>

#include "common.h"

/* Every hook is wanted until the secure world published its mask. */
DEFINE_PER_CPU(struct tzh_counters, tzh_counters) = { .mask = ~0u };

static const char * const tzh_hook_names[TZU_HOOK_COUNT] = {
	[TZU_HOOK_NONE] = "none",
	[TZU_HOOK_MMAP_FILE] = "mmap_file",
	[TZU_HOOK_FILE_MPROTECT] = "file_mprotect",
	[TZU_HOOK_KERNEL_READ_FILE] = "kernel_read_file",
	[TZU_HOOK_KERNEL_LOAD_DATA] = "kernel_load_data",
	[TZU_HOOK_MODULE_REQUEST] = "module_request",
	[TZU_HOOK_BPF_PROG_LOAD] = "bpf_prog_load",
	[TZU_HOOK_DEVMEM_OPEN] = "devmem_open",
	[TZU_HOOK_PTRACE_ACCESS] = "ptrace_access",
	[TZU_HOOK_KEY_ALLOC] = "key_alloc",
	[TZU_HOOK_KEY_PERMISSION] = "key_permission",
	[TZU_HOOK_ALG_SOCKET] = "alg_socket",
	[TZU_HOOK_ALG_BIND] = "alg_bind",
	[TZU_HOOK_TASK_FIX_SETUID] = "task_fix_setuid",
	[TZU_HOOK_USAGE_END] = "usage_end",
	[TZU_HOOK_TASK_EXIT] = "task_exit",
	[TZU_HOOK_KEY_FREE] = "key_free",
};

static_assert(TZU_HOOK_COUNT == 17, "tzh_hook_names names every hook");

/**
 * tzh_counter_sum() - a counter summed over every CPU
 * @c: the counter
 *
 * Context: any; a sum of per-CPU values, each read once (not a snapshot).
 * Return: the total since boot.
 */
unsigned long tzh_counter_sum(enum tzh_counter c)
{
	unsigned long sum = 0;
	int cpu;
	u32 h;

	for_each_possible_cpu(cpu) {
		const struct tzh_counters *k = &per_cpu(tzh_counters, cpu);

		if (c != TZH_C_FILTERED)
			sum += k->c[c];
		if (c == TZH_C_FILTERED || c == TZH_C_HOOK_EVENTS)
			for (h = 0; h < TZU_HOOK_COUNT; h++)
				sum += k->filtered[h];
	}
	return sum;
}

/**
 * tzh_heartbeat_counters() - the LSM's counters for the driver's heartbeat
 * @c: filled: hook_events, decisions_local (events answered without a
 *	question to the secure world: hook_events minus those asked, cached
 *	answers included), cached_allowed, cached_denied, errors
 *
 * Registered with tzu_counters_register() at LSM init.
 *
 * Context: process (the heartbeat thread); does not sleep.
 */
void tzh_heartbeat_counters(struct tzu_lsm_counters *c)
{
	unsigned long asked = 0;
	int cpu;
	u32 h;

	for_each_possible_cpu(cpu)
		for (h = 0; h < TZU_HOOK_COUNT; h++)
			asked += per_cpu(tzh_counters, cpu).events[h];
	c->hook_events = tzh_counter_sum(TZH_C_HOOK_EVENTS);
	c->decisions_local = c->hook_events > asked ? c->hook_events - asked : 0;
	c->errors = tzh_counter_sum(TZH_C_ERRORS);
	c->cached_allowed = tzh_counter_sum(TZH_C_CACHE_ALLOWED);
	c->cached_denied = tzh_counter_sum(TZH_C_CACHE_DENIED);
}

/**
 * tzh_hook_name() - the policy language's name of a hook
 * @hook: TZU_HOOK_*
 *
 * Return: the name, "?" for an unknown id.
 */
const char *tzh_hook_name(u32 hook)
{
	return hook < TZU_HOOK_COUNT ? tzh_hook_names[hook] : "?";
}

/**
 * tzh_deny_errno() - what a hook returns when it denies
 * @hook: TZU_HOOK_*
 *
 * Return: -EPERM or -EACCES (see the comment at the top of this file).
 */
int tzh_deny_errno(u32 hook)
{
	switch (hook) {
	case TZU_HOOK_KERNEL_READ_FILE:
	case TZU_HOOK_KERNEL_LOAD_DATA:
	case TZU_HOOK_MODULE_REQUEST:
	case TZU_HOOK_BPF_PROG_LOAD:
	case TZU_HOOK_PTRACE_ACCESS:
	case TZU_HOOK_TASK_FIX_SETUID:
		return -EPERM;
	default:
		return -EACCES;
	}
}

/**
 * tzh_changes_kernel() - can an event of @hook change the kernel or memory
 * protections (code loads, module requests, BPF, /dev/mem, exec mappings)?
 * @hook: TZU_HOOK_*
 *
 * Return: true for the hooks whose EARLY events are denied.
 */
bool tzh_changes_kernel(u32 hook)
{
	switch (hook) {
	case TZU_HOOK_MMAP_FILE:
	case TZU_HOOK_FILE_MPROTECT:
	case TZU_HOOK_KERNEL_READ_FILE:
	case TZU_HOOK_KERNEL_LOAD_DATA:
	case TZU_HOOK_MODULE_REQUEST:
	case TZU_HOOK_BPF_PROG_LOAD:
	case TZU_HOOK_DEVMEM_OPEN:
		return true;
	default:
		return false;
	}
}

/* Fail policy: deny in enforce mode, allow in permissive; audited. */
static int tzh_fail(const struct tzu_event *ev, const char *reason, int err)
{
	if (tzh_mode() == TZU_MODE_PERMISSIVE) {
		tzh_audit(ev, NULL, "allow", reason, err);
		return 0;
	}
	tzh_count(TZH_C_LOCAL_DENIALS);
	tzh_audit(ev, NULL, "deny", reason, err);
	return tzh_deny_errno(ev->hook);
}

/**
 * tzh_local_deny() - deny because of the kernel's own state
 * @ev: the event (for the audit line)
 * @reason: why, one word (e.g. "revoked")
 *
 * Follows the mode like a secure-world failure: permissive only audits.
 *
 * Context: any.
 * Return: 0 in permissive mode, else -EACCES or -EPERM as for a denial.
 */
int tzh_local_deny(const struct tzu_event *ev, const char *reason)
{
	tzh_count(TZH_C_HOOK_EVENTS);
	return tzh_fail(ev, reason, 0);
}

/*
 * No monitor (tzu_decide() == -ENODEV): EARLY events are denied if they
 * could change the kernel, whatever the mode (nothing has been decided
 * yet, and nothing needs them before user space exists), else allowed;
 * UNREACHABLE events get the fail policy.
 */
static int tzh_no_monitor(const struct tzu_event *ev)
{
	if (tzh_phase() == TZH_UNREACHABLE) {
		tzh_count(TZH_C_UNREACHABLE);
		return tzh_fail(ev, "unreachable", -ENODEV);
	}
	if (!tzh_changes_kernel(ev->hook)) {
		tzh_count(TZH_C_EARLY_ALLOWED);
		return 0;
	}
	tzh_count(TZH_C_EARLY_DENIED);
	tzh_count(TZH_C_LOCAL_DENIALS);
	tzh_audit(ev, NULL, "deny", "early", -ENODEV);
	return tzh_deny_errno(ev->hook);
}

/*
 * The one place where a question's outcome becomes a hook's return value:
 * transport error (rc < 0), the secure world's status, then its verdict.
 */
static int tzh_result(const struct tzu_event *ev, int rc,
		      const struct tzu_decision *dec)
{
	if (rc < 0) {
		tzh_count(TZH_C_ERRORS);
		return tzh_fail(ev, "transport", rc);
	}
	if (dec->hdr.status != TZU_OK) {
		tzh_count(TZH_C_ERRORS);
		return tzh_fail(ev, "status", dec->hdr.status);
	}
	if (dec->verdict == TZU_VERDICT_ALLOW)
		return 0;
	return tzh_deny_errno(ev->hook);
}

/*
 * Asks the secure world about @ev and carries out the answer's
 * obligations. Return: tzu_decide()'s result; *@untracked is set if the
 * answer opened a key usage session the kernel could not record.
 */
static int tzh_ask(struct tzu_event *ev, struct tzu_decision *dec,
		   bool *untracked)
{
	int rc;

	*untracked = false;
	rc = tzu_decide(ev, dec);
	if (rc == -ENODEV)
		return rc;
	this_cpu_inc(tzh_counters.events[ev->hook]);
	if (rc || dec->hdr.status != TZU_OK)
		return rc;
	tzh_count(TZH_C_DECISIONS);
	tzh_count(dec->verdict == TZU_VERDICT_ALLOW ? TZH_C_ALLOWED :
		  TZH_C_DENIED);
	if (dec->flags & TZU_DF_WOULD_DENY)
		tzh_count(TZH_C_WOULD_DENY);
	tzh_observe(dec);
	if (dec->flags & TZU_DF_TASK_STATE)
		tzh_task_mark(ev->subject.tgid, ev->subject.start_time);
	if ((dec->flags & TZU_DF_SESSION_OPENED) &&
	    !tzh_session_opened(ev, dec->session_id))
		*untracked = true;
	tzh_obligations(ev, dec);
	tzh_cache_insert(ev, dec);
	return 0;
}

/*
 * A key usage session the table has no room for must not live on
 * unrevocable: it is ended at once with a USAGE_END event by its subject
 * (a lifecycle event, decided by policy); only if that is not answered
 * does the session count as lost (tzh_session_lost()). Its own frame:
 * a second event on the stack only on this rare path.
 */
static noinline void tzh_end_untracked(const struct tzu_event *ev, u32 id)
{
	struct tzu_decision dec;
	struct tzu_event end;
	bool untracked;
	int rc;

	tzh_event_none(&end, TZU_HOOK_USAGE_END);
	end.subject = ev->subject;
	end.object.id = id;
	rc = tzh_ask(&end, &dec, &untracked);
	if (rc || dec.hdr.status != TZU_OK || (dec.flags & TZU_DF_FILTERED))
		tzh_session_lost(ev, id);
}

/*
 * The secure world's decision of @ev, enforced (tzh_decide() without the
 * cache). Out of line: its decision buffer (zeroed on entry under
 * CONFIG_INIT_STACK_ALL_ZERO) is not paid for by a cache hit.
 */
noinline int tzh_decide_secure(struct tzu_event *ev)
{
	struct tzu_decision dec;
	bool untracked;
	int rc;

	rc = tzh_ask(ev, &dec, &untracked);
	if (rc == -ENODEV)
		return tzh_no_monitor(ev);
	rc = tzh_result(ev, rc, &dec);
	if (untracked) {
		tzh_end_untracked(ev, dec.session_id);
		if (!rc)
			rc = tzh_fail(ev, "untracked", 0);
	}
	return rc;
}

/**
 * tzh_decide() - decide an event in the secure world and enforce the answer
 * @ev: the event, subject and object filled in
 *
 * Without a monitor: EARLY or UNREACHABLE handling (tzh_no_monitor()).
 * A decision the cache holds for this event is answered here (cache.c).
 * Otherwise the secure world decides; its obligations are carried out
 * here, for allow and deny alike. An allowed key access or executable
 * mapping whose new usage session cannot be recorded is denied (fail
 * closed: the kernel could not enforce its revocation), and the session is
 * ended.
 *
 * Context: any; never sleeps.
 * Return: 0 to allow, -EACCES or -EPERM to deny.
 */
int tzh_decide(struct tzu_event *ev)
{
	int rc;

	if (tzh_decide_cached(ev, &rc))
		return rc;
	return tzh_decide_secure(ev);
}
