// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - the usage sessions the kernel must know about, so it can end
 * them (key freed: USAGE_END) and enforce their revocation.
 *
 * The secure world keeps the sessions; this table only remembers, for each
 * session a decision opened, its subject and the object it is bound to
 * (key hooks: the key serial; other hooks: none). A revocation marks the
 * entry: further use of that key is then denied (tzh_key_revoked()). A
 * revocation of a session not in the table (table full, or opened before
 * the kernel looked) denies further key use by the whole process instead:
 * without knowing the key, that is the fail-closed choice.
 *
 * Fixed size, no allocation: hooks in atomic context update it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/printk.h>
#include <linux/spinlock.h>

#include "common.h"

#define TZH_SESSIONS 128

/* A key-wide entry has a serial; a process-wide revocation has none. */
#define TZH_ANY_KEY 0

struct tzh_session {
	u32 id;		/* 0: free */
	u32 tgid;
	u32 hook;
	u32 object;	/* key serial, or TZH_ANY_KEY */
	bool revoked;
};

static struct tzh_session tzh_sessions[TZH_SESSIONS];
static DEFINE_SPINLOCK(tzh_sessions_lock);
static atomic_t tzh_n_live = ATOMIC_INIT(0);
static atomic_t tzh_n_revoked = ATOMIC_INIT(0);

static bool tzh_key_hook(u32 hook)
{
	return hook == TZU_HOOK_KEY_ALLOC || hook == TZU_HOOK_KEY_PERMISSION;
}

/* Caller holds tzh_sessions_lock. */
static struct tzh_session *tzh_find(u32 id)
{
	int i;

	for (i = 0; i < TZH_SESSIONS; i++)
		if (id && tzh_sessions[i].id == id)
			return &tzh_sessions[i];
	return NULL;
}

/* Caller holds tzh_sessions_lock. */
static void tzh_free(struct tzh_session *s)
{
	atomic_dec(s->revoked ? &tzh_n_revoked : &tzh_n_live);
	s->id = 0;
}

/**
 * tzh_session_opened() - remember a session a decision opened
 * @id: its id (decision.session_id)
 * @tgid: its subject
 * @hook: TZU_HOOK_* that opened it
 * @object: the event's object.id (key serial for key hooks)
 *
 * Context: any.
 */
void tzh_session_opened(u32 id, u32 tgid, u32 hook, u32 object)
{
	struct tzh_session *s = NULL;
	unsigned long flags;
	int i;

	if (!id)
		return;
	spin_lock_irqsave(&tzh_sessions_lock, flags);
	for (i = 0; i < TZH_SESSIONS && !s; i++)
		if (!tzh_sessions[i].id)
			s = &tzh_sessions[i];
	if (s) {
		s->id = id;
		s->tgid = tgid;
		s->hook = hook;
		s->object = tzh_key_hook(hook) ? object : TZH_ANY_KEY;
		s->revoked = false;
		atomic_inc(&tzh_n_live);
	}
	spin_unlock_irqrestore(&tzh_sessions_lock, flags);
	if (!s) {
		tzh_count(TZH_C_ERRORS);
		pr_warn_ratelimited("session table full: session %u of %u untracked\n",
				    id, tgid);
	}
}

/**
 * tzh_session_revoked() - the secure world revoked a session
 * @id: the session
 * @tgid: its subject
 * @reason: TZU_REVOKE_*
 *
 * Context: any.
 */
void tzh_session_revoked(u32 id, u32 tgid, u32 reason)
{
	struct tzh_session *s;
	unsigned long flags;
	int i;

	spin_lock_irqsave(&tzh_sessions_lock, flags);
	s = tzh_find(id);
	if (s && !s->revoked) {
		s->revoked = true;
		atomic_dec(&tzh_n_live);
		atomic_inc(&tzh_n_revoked);
	} else if (!s) {
		for (i = 0; i < TZH_SESSIONS && !s; i++)
			if (!tzh_sessions[i].id)
				s = &tzh_sessions[i];
		if (s) {
			*s = (struct tzh_session){ .id = id, .tgid = tgid,
						   .object = TZH_ANY_KEY,
						   .revoked = true };
			atomic_inc(&tzh_n_revoked);
		}
	}
	spin_unlock_irqrestore(&tzh_sessions_lock, flags);
	tzh_count(TZH_C_REVOCATIONS);
	pr_info_ratelimited("session %u of %u revoked (reason %u)\n", id, tgid,
			    reason);
}

/**
 * tzh_key_revoked() - is this use of a key covered by a revoked session?
 * @serial: the key
 * @tgid: the process using it
 *
 * Context: any; lock-free while nothing is revoked.
 * Return: true if a revoked session is bound to @serial, or a process-wide
 * revocation covers @tgid.
 */
bool tzh_key_revoked(u32 serial, u32 tgid)
{
	unsigned long flags;
	bool hit = false;
	int i;

	if (!atomic_read(&tzh_n_revoked))
		return false;
	spin_lock_irqsave(&tzh_sessions_lock, flags);
	for (i = 0; i < TZH_SESSIONS && !hit; i++) {
		const struct tzh_session *s = &tzh_sessions[i];

		if (!s->id || !s->revoked)
			continue;
		hit = s->object == TZH_ANY_KEY ? s->tgid == tgid :
						s->object == serial;
	}
	spin_unlock_irqrestore(&tzh_sessions_lock, flags);
	return hit;
}

/**
 * tzh_sessions_end_key() - forget the sessions bound to a freed key
 * @serial: the key
 * @ids: [out] live sessions that ended with it (for USAGE_END)
 * @tgids: [out] their subjects
 * @max: room in @ids and @tgids
 *
 * Context: any.
 * Return: number of entries written.
 */
int tzh_sessions_end_key(u32 serial, u32 *ids, u32 *tgids, int max)
{
	unsigned long flags;
	int i, n = 0;

	if (!atomic_read(&tzh_n_live) && !atomic_read(&tzh_n_revoked))
		return 0;
	spin_lock_irqsave(&tzh_sessions_lock, flags);
	for (i = 0; i < TZH_SESSIONS; i++) {
		struct tzh_session *s = &tzh_sessions[i];

		if (!s->id || s->object != serial || serial == TZH_ANY_KEY)
			continue;
		if (!s->revoked && n < max) {
			ids[n] = s->id;
			tgids[n] = s->tgid;
			n++;
		}
		tzh_free(s);
	}
	spin_unlock_irqrestore(&tzh_sessions_lock, flags);
	return n;
}

/**
 * tzh_sessions_end_task() - forget what ended with a process
 * @tgid: the process
 *
 * Its live sessions end in the secure world with TASK_EXIT; process-wide
 * revocations die with it. Revoked key sessions stay: the key may outlive
 * the process.
 *
 * Context: any.
 */
void tzh_sessions_end_task(u32 tgid)
{
	unsigned long flags;
	int i;

	if (!atomic_read(&tzh_n_live) && !atomic_read(&tzh_n_revoked))
		return;
	spin_lock_irqsave(&tzh_sessions_lock, flags);
	for (i = 0; i < TZH_SESSIONS; i++) {
		struct tzh_session *s = &tzh_sessions[i];

		if (s->id && s->tgid == tgid &&
		    (!s->revoked || s->object == TZH_ANY_KEY))
			tzh_free(s);
	}
	spin_unlock_irqrestore(&tzh_sessions_lock, flags);
}

/**
 * tzh_sessions_live() - sessions tracked and not revoked
 *
 * Return: their number.
 */
u32 tzh_sessions_live(void)
{
	return atomic_read(&tzh_n_live);
}

/**
 * tzh_sessions_revoked() - revoked sessions still enforced
 *
 * Return: their number.
 */
u32 tzh_sessions_revoked(void)
{
	return atomic_read(&tzh_n_revoked);
}
