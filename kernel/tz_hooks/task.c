// SPDX-License-Identifier: GPL-2.0
/*
 * task.c - processes: one process inspecting or controlling another
 * (ptrace_access_check, which also guards many /proc files, and
 * ptrace_traceme, a process offering itself to its parent), the end of
 * a process (task_free of its thread-group leader: TZU_HOOK_TASK_EXIT, so
 * the engine ends the process's sessions and per-process attributes), and
 * the one prctl that changes a process's executable identity (task_prctl).
 *
 * task_free runs when the last reference to the task goes, possibly from
 * an RCU callback in softirq context; the leader's task outlives every
 * other thread of its group, so its task_free marks the process's end.
 * The kernel keeps per process only its exec usage sessions (session.c),
 * dropped here whatever the mask says; key sessions end with the key. The
 * process identity in every event is (tgid, start_time), so a reused pid
 * is another process.
 *
 * Only the exits of processes the secure world holds state for are sent
 * (TZU_HOOK_TASK_EXIT): a decision flagged TZU_DF_TASK_STATE (a session
 * the exit ends, an update of a per-process attribute) or an admin write
 * of a per-process attribute (the UPDATE_ATTR reply's tgid) marks its
 * process here; every other exit stays in the kernel (exits_local). The
 * marks are a table of (tgid, start_time), not a flag in the task's LSM
 * blob: when a thread other than the leader execs, de_thread() makes it
 * the leader and frees the old leader's task_struct, but the process keeps
 * its tgid and its start time (the new leader takes the old one's), so the
 * table still names it. A full table reports every exit from then on (fail
 * safe: an exit too many costs a world switch, one too few would leave the
 * secure world's state behind).
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/pid.h>
#include <linux/prctl.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#include "common.h"

#define TZH_MARKS	1024	/* power of two; filled to 3/4 at most */

struct tzh_mark {
	u32 tgid;		/* 0: free */
	u64 start_time;
};

static struct tzh_mark tzh_marks[TZH_MARKS];
static DEFINE_SPINLOCK(tzh_marks_lock);
static unsigned int tzh_n_marks;
static bool tzh_marks_full;	/* sticky: every exit is reported */

static u32 tzh_mark_slot(u32 tgid)
{
	return hash_32(tgid, ilog2(TZH_MARKS));
}

/* Caller holds tzh_marks_lock. Slot of the mark, or of the free slot. */
static u32 tzh_mark_find(u32 tgid, u64 start_time)
{
	u32 s = tzh_mark_slot(tgid);

	lockdep_assert_held(&tzh_marks_lock);
	while (tzh_marks[s].tgid && (tzh_marks[s].tgid != tgid ||
				     tzh_marks[s].start_time != start_time))
		s = (s + 1) & (TZH_MARKS - 1);
	return s;
}

/**
 * tzh_task_mark() - the secure world may hold state for this process
 * @tgid: the process ...
 * @start_time: ... and its leader's start (start_boottime, ns)
 *
 * Context: any.
 */
void tzh_task_mark(u32 tgid, u64 start_time)
{
	unsigned long flags;
	u32 s;

	if (!tgid)
		return;
	spin_lock_irqsave(&tzh_marks_lock, flags);
	s = tzh_mark_find(tgid, start_time);
	if (!tzh_marks[s].tgid) {
		if (tzh_n_marks >= TZH_MARKS / 4 * 3) {
			WRITE_ONCE(tzh_marks_full, true);
		} else {
			tzh_marks[s].tgid = tgid;
			tzh_marks[s].start_time = start_time;
			WRITE_ONCE(tzh_n_marks, tzh_n_marks + 1);
		}
	}
	spin_unlock_irqrestore(&tzh_marks_lock, flags);
}

/**
 * tzh_task_mark_tgid() - mark the process that now has @tgid
 * @tgid: a process an admin attribute write gave state
 *
 * Context: process (notifier).
 */
void tzh_task_mark_tgid(u32 tgid)
{
	struct task_struct *task;
	u64 start = 0;
	bool found;

	rcu_read_lock();
	task = pid_task(find_pid_ns(tgid, &init_pid_ns), PIDTYPE_TGID);
	found = task;
	if (task)
		start = task->start_boottime;
	rcu_read_unlock();
	if (found)
		tzh_task_mark(tgid, start);
}

/*
 * Removes the process's mark. Return: whether its exit must be reported
 * (it was marked, or the table overflowed once).
 */
static bool tzh_task_unmark(u32 tgid, u64 start_time)
{
	unsigned long flags;
	u32 s, hole, home;
	bool marked;

	if (!READ_ONCE(tzh_n_marks))
		return READ_ONCE(tzh_marks_full);
	spin_lock_irqsave(&tzh_marks_lock, flags);
	s = tzh_mark_find(tgid, start_time);
	marked = tzh_marks[s].tgid;
	if (marked) {
		/* Backward-shift deletion keeps every probe chain whole. */
		hole = s;
		for (s = (s + 1) & (TZH_MARKS - 1); tzh_marks[s].tgid;
		     s = (s + 1) & (TZH_MARKS - 1)) {
			home = tzh_mark_slot(tzh_marks[s].tgid);
			if (hole <= s ? (home > hole && home <= s) :
					(home > hole || home <= s))
				continue;
			tzh_marks[hole] = tzh_marks[s];
			hole = s;
		}
		tzh_marks[hole].tgid = 0;
		WRITE_ONCE(tzh_n_marks, tzh_n_marks - 1);
	}
	spin_unlock_irqrestore(&tzh_marks_lock, flags);
	return marked || READ_ONCE(tzh_marks_full);
}

/**
 * tzh_task_marks() - processes marked, and whether the table overflowed
 * @full: [out] true once it did
 *
 * Return: marked processes.
 */
u32 tzh_task_marks(bool *full)
{
	*full = READ_ONCE(tzh_marks_full);
	return READ_ONCE(tzh_n_marks);
}

/* Out of line: its event is not zeroed when the mask filters (mem.c). */
static noinline int tzh_ptrace_decide(struct task_struct *child,
				      unsigned int mode)
{
	struct tzu_event ev;

	tzh_event_init(&ev, TZU_HOOK_PTRACE_ACCESS, NULL);
	ev.object.id = task_tgid_nr(child);
	ev.object.flags = mode;
	return tzh_decide(&ev);
}

static int hook_ptrace_access_check(struct task_struct *child,
				    unsigned int mode)
{
	if (tzh_filter(TZU_HOOK_PTRACE_ACCESS))
		return 0;
	return tzh_ptrace_decide(child, mode);
}

/*
 * PTRACE_TRACEME makes current's parent its tracer without any attach: the
 * parent may then write into current's memory (PTRACE_POKETEXT forces, as
 * a tracer may) after current execs another program, so it could put code
 * into an allow-listed executable's process. Decided as what it is, the
 * parent attaching to current: subject the parent (ids, credentials,
 * executable), object.id current's tgid, object.flags
 * PTRACE_MODE_ATTACH_REALCREDS, the mode ptrace_attach() asks. So a
 * policy's rules on attach-mode ptrace_access (no-wx-memory's rule 60)
 * decide both ways of becoming a tracer.
 *
 * Called with tasklist_lock held for writing and interrupts off: the
 * decision path neither sleeps nor allocates (tz_driver's fast path,
 * fast.c), and the event's executable is read under task_lock(parent),
 * which nests inside tasklist_lock (event.c).
 */
static noinline int tzh_traceme_decide(struct task_struct *parent)
{
	struct tzu_event ev;

	tzh_event_tracer(&ev, TZU_HOOK_PTRACE_ACCESS, parent);
	ev.object.id = task_tgid_nr(current);
	ev.object.flags = PTRACE_MODE_ATTACH_REALCREDS;
	return tzh_decide(&ev);
}

static int hook_ptrace_traceme(struct task_struct *parent)
{
	if (tzh_filter(TZU_HOOK_PTRACE_ACCESS))
		return 0;
	return tzh_traceme_decide(parent);
}

/* Out of line, like tzh_ptrace_decide(): most exits end here before. */
static noinline void tzh_task_exit_decide(struct task_struct *task)
{
	struct tzu_event ev;

	tzh_event_task(&ev, TZU_HOOK_TASK_EXIT, task);
	tzh_decide(&ev);
}

static void hook_task_free(struct task_struct *task)
{
	if (task->pid != task->tgid || (task->flags & PF_KTHREAD))
		return;
	tzh_sessions_end_task(task->tgid, task->start_boottime);
	if (!tzh_wants(TZU_HOOK_TASK_EXIT)) {
		tzh_filtered(TZU_HOOK_TASK_EXIT);
		return;
	}
	/* Nothing to end for a process the secure world never heard of. */
	if (tzh_phase() != TZH_READY)
		return;
	if (!tzh_task_unmark(task->tgid, task->start_boottime)) {
		tzh_count(TZH_C_HOOK_EVENTS);
		tzh_count(TZH_C_EXITS_LOCAL);
		return;
	}
	tzh_task_exit_decide(task);
}

/*
 * prctl(PR_SET_MM, PR_SET_MM_EXE_FILE) lets a CAP_SYS_RESOURCE process
 * (root) name another file as its executable once it has unmapped its
 * own. Every event's subject carries that identity, and the policies key
 * allow-lists and ownership on it (jit_allowed, a key's owner): root
 * could take on a listed executable's identity. Refused, always; nothing
 * on this board needs it (it is for checkpoint/restore).
 */
static int hook_task_prctl(int option, unsigned long arg2, unsigned long arg3,
			   unsigned long arg4, unsigned long arg5)
{
	if (option == PR_SET_MM && arg2 == PR_SET_MM_EXE_FILE)
		return -EPERM;
	return -ENOSYS;
}

static struct security_hook_list tzh_task_hooks[] __lsm_ro_after_init = {
	LSM_HOOK_INIT(ptrace_access_check, hook_ptrace_access_check),
	LSM_HOOK_INIT(ptrace_traceme, hook_ptrace_traceme),
	LSM_HOOK_INIT(task_free, hook_task_free),
	LSM_HOOK_INIT(task_prctl, hook_task_prctl),
};

/**
 * tzh_add_task_hooks() - register the process hooks
 */
void __init tzh_add_task_hooks(void)
{
	security_add_hooks(tzh_task_hooks, ARRAY_SIZE(tzh_task_hooks),
			   TZH_NAME);
}
