// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - the usage sessions the kernel must know about, so it can
 * enforce their revocation: a cache of the secure world's answers, which
 * stay authoritative.
 *
 * Two kinds are kept, each revoked the only way the kernel can:
 *  - key sessions (key_alloc, key_permission) are bound to the key, live
 *    as long as it does (the key's key_free drops them, whoever created
 *    them and whether or not that process still runs) and, once revoked,
 *    deny every further key_permission on that key, by anyone;
 *  - exec sessions (mmap_file, file_mprotect of memory that is or becomes
 *    executable) are bound to the process, identified by (tgid,
 *    start_time): the kernel cannot take a mapping back from a running
 *    process, so a revoked exec session kills it (SIGKILL to the thread
 *    group), but only if the process that now has the tgid started when
 *    the session's did: a reused pid is another process and is never
 *    killed. The leader's task_free drops them (task.c).
 * Sessions of other hooks need nothing from the kernel: the secure world
 * refuses their further events itself; their revocation is counted,
 * nothing more. So a revocation only ever affects the kind of object its
 * session was opened for.
 *
 * Fail closed when the table is full: a new key or exec session that
 * cannot be recorded is ended at once and its access denied (enforce.c),
 * so no such session lives that the kernel could not revoke. Only if that
 * end is not answered is a key session "lost"; a revocation of a session
 * the table does not know then locks all key use (keys_locked: every
 * watched key_permission denied until reboot). Narrower is impossible
 * there: the revocation names the session and its process, not the key.
 * A lost exec session needs nothing: its mapping was refused.
 *
 * Fixed size, no allocation: hooks in atomic context update it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>

#include "common.h"

/* The engine's default limit of live sessions (docs/policy-language.md). */
#define TZH_SESSIONS 256

#define TZH_S_KEY	1
#define TZH_S_EXEC	2

/**
 * struct tzh_session - one usage session the kernel enforces
 * @id:		the secure world's session id, 0: free entry
 * @kind:	TZH_S_KEY or TZH_S_EXEC
 * @serial:	TZH_S_KEY: the key
 * @revoked:	TZH_S_KEY: revoked, further use of the key denied
 * @tgid:	TZH_S_EXEC: the process ...
 * @start_time:	... and its start (leader's start_boottime, ns)
 */
struct tzh_session {
	u32 id;
	u32 kind;
	u32 serial;
	bool revoked;
	u32 tgid;
	u64 start_time;
};

static struct tzh_session tzh_sessions[TZH_SESSIONS];
static DEFINE_SPINLOCK(tzh_sessions_lock);
static atomic_t tzh_n_live = ATOMIC_INIT(0);
atomic_t tzh_n_revoked = ATOMIC_INIT(0);	/* tzh_key_revoked() reads it */
static atomic_t tzh_n_lost = ATOMIC_INIT(0);
static atomic_t tzh_n_exec = ATOMIC_INIT(0);
static atomic_t tzh_n_exec_kills = ATOMIC_INIT(0);
bool tzh_locked;	/* tzh_key_revoked() reads it */

static bool tzh_key_hook(u32 hook)
{
	return hook == TZU_HOOK_KEY_ALLOC || hook == TZU_HOOK_KEY_PERMISSION;
}

/* TZH_S_* of the session @ev opens, 0 if the kernel need not keep it. */
static u32 tzh_session_kind(const struct tzu_event *ev)
{
	if (tzh_key_hook(ev->hook))
		return TZH_S_KEY;
	if ((ev->hook == TZU_HOOK_MMAP_FILE ||
	     ev->hook == TZU_HOOK_FILE_MPROTECT) &&
	    (ev->object.prot & TZU_PROT_EXEC) && ev->subject.tgid)
		return TZH_S_EXEC;
	return 0;
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
 * @ev: the decided event (hook, subject, object)
 * @id: its id (decision.session_id)
 *
 * Context: any.
 * Return: false if it is a key or exec session the table has no room for
 * (the caller must not let it live), else true.
 */
bool tzh_session_opened(const struct tzu_event *ev, u32 id)
{
	u32 kind = tzh_session_kind(ev);
	struct tzh_session *s = NULL;
	unsigned long flags;
	int i;

	if (!id || !kind)
		return true;
	spin_lock_irqsave(&tzh_sessions_lock, flags);
	for (i = 0; i < TZH_SESSIONS && !s; i++)
		if (!tzh_sessions[i].id)
			s = &tzh_sessions[i];
	if (s && kind == TZH_S_KEY) {
		*s = (struct tzh_session){ .id = id, .kind = kind,
					   .serial = ev->object.id };
		atomic_inc(&tzh_n_live);
	} else if (s) {
		*s = (struct tzh_session){ .id = id, .kind = kind,
					   .tgid = ev->subject.tgid,
					   .start_time = ev->subject.start_time };
		atomic_inc(&tzh_n_exec);
	}
	spin_unlock_irqrestore(&tzh_sessions_lock, flags);
	if (!s)
		pr_warn_ratelimited("session table full: %s session %u of %u ended\n",
				    kind == TZH_S_KEY ? "key" : "exec", id,
				    ev->subject.tgid);
	return s;
}

/**
 * tzh_session_lost() - a session could be neither recorded nor ended
 * @ev: the event that opened it
 * @id: the session
 *
 * For a key session: from now on a revocation of a session the table does
 * not know locks all key use (see the top of this file). An exec session's
 * mapping was refused, so nothing is left to revoke.
 *
 * Context: any.
 */
void tzh_session_lost(const struct tzu_event *ev, u32 id)
{
	tzh_count(TZH_C_ERRORS);
	if (tzh_session_kind(ev) != TZH_S_KEY)
		return;
	atomic_inc(&tzh_n_lost);
	pr_err_ratelimited("key session %u neither recorded nor ended\n", id);
}

/* SIGKILLs @tgid if it is still the process that started at @start_time. */
static bool tzh_kill_exact(u32 tgid, u64 start_time)
{
	struct task_struct *task;
	bool killed = false;
	struct pid *pid;

	rcu_read_lock();
	pid = find_pid_ns(tgid, &init_pid_ns);
	task = pid ? pid_task(pid, PIDTYPE_TGID) : NULL;
	if (task && task->start_boottime == start_time)
		killed = !kill_pid(pid, SIGKILL, 1);
	rcu_read_unlock();
	return killed;
}

/*
 * Drops an exec session: revoked (its caller kills the process, outside
 * the lock) or its process ended. Caller holds tzh_sessions_lock.
 */
static void tzh_exec_drop(struct tzh_session *s)
{
	lockdep_assert_held(&tzh_sessions_lock);
	s->id = 0;
	atomic_dec(&tzh_n_exec);
}

/**
 * tzh_session_revoked() - the secure world revoked a session
 * @id: the session
 * @tgid: its subject (for the log)
 * @reason: TZU_REVOKE_*
 *
 * A key session is marked revoked (tzh_key_revoked()); an exec session's
 * process is killed if it still runs (same tgid and start time).
 *
 * Context: any.
 */
void tzh_session_revoked(u32 id, u32 tgid, u32 reason)
{
	struct tzh_session *s, exec = {};
	unsigned long flags;
	bool lock = false;
	const char *what;

	spin_lock_irqsave(&tzh_sessions_lock, flags);
	s = tzh_find(id);
	if (s && s->kind == TZH_S_EXEC) {
		exec = *s;
		tzh_exec_drop(s);
	} else if (s && !s->revoked) {
		s->revoked = true;
		atomic_dec(&tzh_n_live);
		atomic_inc(&tzh_n_revoked);
	} else if (!s && atomic_read(&tzh_n_lost)) {
		lock = true;
		WRITE_ONCE(tzh_locked, true);
	}
	spin_unlock_irqrestore(&tzh_sessions_lock, flags);
	tzh_count(TZH_C_REVOCATIONS);
	if (lock) {
		pr_err_ratelimited("session %u of %u revoked, unknown with lost key sessions: all key use denied\n",
				   id, tgid);
		return;
	}
	what = s ? "" : ", not a kept session";
	if (exec.id && tzh_kill_exact(exec.tgid, exec.start_time)) {
		atomic_inc(&tzh_n_exec_kills);
		tzh_count(TZH_C_KILLS);
		what = ", exec session: process killed";
	} else if (exec.id) {
		what = ", exec session: process already gone";
	}
	pr_info_ratelimited("session %u of %u revoked (reason %u)%s\n",
			    id, tgid, reason, what);
}

/**
 * tzh_key_revoked_slow() - tzh_key_revoked() once something is revoked or
 *	key use is locked
 * @serial: the key
 *
 * Context: any.
 * Return: as tzh_key_revoked().
 */
bool tzh_key_revoked_slow(u32 serial)
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
		hit = tzh_sessions[i].id && tzh_sessions[i].kind == TZH_S_KEY &&
		      tzh_sessions[i].revoked &&
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

		if (!s->id || s->kind != TZH_S_KEY || s->serial != serial)
			continue;
		atomic_dec(s->revoked ? &tzh_n_revoked : &tzh_n_live);
		s->id = 0;
	}
	spin_unlock_irqrestore(&tzh_sessions_lock, flags);
}

/**
 * tzh_sessions_end_task() - forget the exec sessions of a process that ended
 * @tgid: the process ...
 * @start_time: ... and its start (a reused tgid is another process)
 *
 * The secure world ends them on the TASK_EXIT event (task.c).
 *
 * Context: any (task_free may run in softirq context).
 */
void tzh_sessions_end_task(u32 tgid, u64 start_time)
{
	unsigned long flags;
	int i;

	if (!atomic_read(&tzh_n_exec))
		return;
	spin_lock_irqsave(&tzh_sessions_lock, flags);
	for (i = 0; i < TZH_SESSIONS; i++) {
		struct tzh_session *s = &tzh_sessions[i];

		if (s->id && s->kind == TZH_S_EXEC && s->tgid == tgid &&
		    s->start_time == start_time)
			tzh_exec_drop(s);
	}
	spin_unlock_irqrestore(&tzh_sessions_lock, flags);
}

/**
 * tzh_sessions_exec() - exec sessions tracked
 *
 * Return: their number.
 */
u32 tzh_sessions_exec(void)
{
	return atomic_read(&tzh_n_exec);
}

/**
 * tzh_exec_kills() - processes killed because an exec session was revoked
 *
 * Return: their number since boot.
 */
u32 tzh_exec_kills(void)
{
	return atomic_read(&tzh_n_exec_kills);
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
