// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - the key usage sessions the kernel must know about, so it can
 * enforce their revocation: a cache of the secure world's answers, which
 * stay authoritative.
 *
 * Only sessions opened by key hooks (key_alloc, key_permission) are kept:
 * they are bound to the key, live as long as it does (the key's key_free
 * drops them, whoever created them and whether or not that process still
 * runs) and, once revoked, deny every further key_permission on that key,
 * by anyone. Sessions of other hooks need nothing from the kernel: there is
 * no mapping the kernel could take back, and the secure world refuses their
 * further events itself; their revocation is counted, nothing more. So a
 * revocation only ever affects the kind of object its session was opened
 * for.
 *
 * Fail closed when the table is full: a new key session that cannot be
 * recorded is ended at once and its access denied (enforce.c), so no key
 * session lives that the kernel could not revoke. Only if that end is not
 * answered is the session "lost"; a revocation of a session the table does
 * not know then locks all key use (keys_locked: every watched
 * key_permission denied until reboot). Narrower is impossible there: the
 * revocation names the session and its process, not the key.
 *
 * Fixed size, no allocation: hooks in atomic context update it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/printk.h>
#include <linux/spinlock.h>

#include "common.h"

/* The engine's default limit of live sessions (docs/policy-language.md). */
#define TZH_SESSIONS 256

struct tzh_session {
	u32 id;		/* 0: free */
	u32 serial;	/* the key */
	bool revoked;
};

static struct tzh_session tzh_sessions[TZH_SESSIONS];
static DEFINE_SPINLOCK(tzh_sessions_lock);
static atomic_t tzh_n_live = ATOMIC_INIT(0);
static atomic_t tzh_n_revoked = ATOMIC_INIT(0);
static atomic_t tzh_n_lost = ATOMIC_INIT(0);
static bool tzh_locked;

static bool tzh_key_hook(u32 hook)
{
	return hook == TZU_HOOK_KEY_ALLOC || hook == TZU_HOOK_KEY_PERMISSION;
}

/* Caller holds tzh_sessions_lock. */
static struct tzh_session *tzh_find(u32 id)
{
	int i;

	lockdep_assert_held(&tzh_sessions_lock);
	for (i = 0; i < TZH_SESSIONS; i++)
		if (id && tzh_sessions[i].id == id)
			return &tzh_sessions[i];
	return NULL;
}

/**
 * tzh_session_opened() - remember a session a decision opened
 * @id: its id (decision.session_id)
 * @hook: TZU_HOOK_* that opened it
 * @object: the event's object.id (the key serial for key hooks)
 *
 * Context: any.
 * Return: false if it is a key session the table has no room for (the
 * caller must not let it live), else true.
 */
bool tzh_session_opened(u32 id, u32 hook, u32 object)
{
	struct tzh_session *s = NULL;
	unsigned long flags;
	int i;

	if (!id || !tzh_key_hook(hook))
		return true;
	spin_lock_irqsave(&tzh_sessions_lock, flags);
	for (i = 0; i < TZH_SESSIONS && !s; i++)
		if (!tzh_sessions[i].id)
			s = &tzh_sessions[i];
	if (s) {
		*s = (struct tzh_session){ .id = id, .serial = object };
		atomic_inc(&tzh_n_live);
	}
	spin_unlock_irqrestore(&tzh_sessions_lock, flags);
	if (!s)
		pr_warn_ratelimited("session table full: key %u session %u ended\n",
				    object, id);
	return s;
}

/**
 * tzh_session_lost() - a key session could be neither recorded nor ended
 * @id: the session
 *
 * From now on a revocation of a session the table does not know locks all
 * key use (see the top of this file).
 *
 * Context: any.
 */
void tzh_session_lost(u32 id)
{
	atomic_inc(&tzh_n_lost);
	tzh_count(TZH_C_ERRORS);
	pr_err_ratelimited("key session %u neither recorded nor ended\n", id);
}

/**
 * tzh_session_revoked() - the secure world revoked a session
 * @id: the session
 * @tgid: its subject (for the log)
 * @reason: TZU_REVOKE_*
 *
 * Context: any.
 */
void tzh_session_revoked(u32 id, u32 tgid, u32 reason)
{
	struct tzh_session *s;
	unsigned long flags;
	bool lock = false;

	spin_lock_irqsave(&tzh_sessions_lock, flags);
	s = tzh_find(id);
	if (s && !s->revoked) {
		s->revoked = true;
		atomic_dec(&tzh_n_live);
		atomic_inc(&tzh_n_revoked);
	} else if (!s && atomic_read(&tzh_n_lost)) {
		lock = true;
		WRITE_ONCE(tzh_locked, true);
	}
	spin_unlock_irqrestore(&tzh_sessions_lock, flags);
	tzh_count(TZH_C_REVOCATIONS);
	if (lock)
		pr_err_ratelimited("session %u of %u revoked, unknown with lost key sessions: all key use denied\n",
				   id, tgid);
	else
		pr_info_ratelimited("session %u of %u revoked (reason %u)%s\n",
				    id, tgid, reason,
				    s ? "" : ", not a key session");
}

/**
 * tzh_key_revoked() - is further use of a key revoked?
 * @serial: the key
 *
 * Context: any; lock-free while nothing is revoked.
 * Return: true if a revoked session is bound to @serial, or key use is
 * locked (tzh_keys_locked()).
 */
bool tzh_key_revoked(u32 serial)
{
	unsigned long flags;
	bool hit = false;
	int i;

	if (READ_ONCE(tzh_locked))
		return true;
	if (!atomic_read(&tzh_n_revoked))
		return false;
	spin_lock_irqsave(&tzh_sessions_lock, flags);
	for (i = 0; i < TZH_SESSIONS && !hit; i++)
		hit = tzh_sessions[i].id && tzh_sessions[i].revoked &&
		      tzh_sessions[i].serial == serial;
	spin_unlock_irqrestore(&tzh_sessions_lock, flags);
	return hit;
}

/**
 * tzh_sessions_end_key() - forget the sessions bound to a freed key
 * @serial: the key
 *
 * The secure world ends them on the KEY_FREE event (keys.c).
 *
 * Context: any.
 */
void tzh_sessions_end_key(u32 serial)
{
	unsigned long flags;
	int i;

	if (!atomic_read(&tzh_n_live) && !atomic_read(&tzh_n_revoked))
		return;
	spin_lock_irqsave(&tzh_sessions_lock, flags);
	for (i = 0; i < TZH_SESSIONS; i++) {
		struct tzh_session *s = &tzh_sessions[i];

		if (!s->id || s->serial != serial)
			continue;
		atomic_dec(s->revoked ? &tzh_n_revoked : &tzh_n_live);
		s->id = 0;
	}
	spin_unlock_irqrestore(&tzh_sessions_lock, flags);
}

/**
 * tzh_sessions_live() - key sessions tracked and not revoked
 *
 * Return: their number.
 */
u32 tzh_sessions_live(void)
{
	return atomic_read(&tzh_n_live);
}

/**
 * tzh_sessions_revoked() - revoked key sessions still enforced
 *
 * Return: their number.
 */
u32 tzh_sessions_revoked(void)
{
	return atomic_read(&tzh_n_revoked);
}

/**
 * tzh_keys_locked() - is all key use denied (lost session revoked)?
 *
 * Return: true once locked; it stays until reboot.
 */
bool tzh_keys_locked(void)
{
	return READ_ONCE(tzh_locked);
}
