// SPDX-License-Identifier: GPL-2.0
/*
 * task.c - processes: one process inspecting or controlling another
 * (ptrace_access_check, which also guards many /proc files) and the end of
 * a process (task_free of its thread-group leader: TZU_HOOK_TASK_EXIT, so
 * the engine ends the process's sessions and per-process attributes).
 *
 * task_free runs when the last reference to the task goes, possibly from
 * an RCU callback in softirq context; the leader's task outlives every
 * other thread of its group, so its task_free marks the process's end.
 * The kernel keeps per process only its exec usage sessions (session.c),
 * dropped here whatever the mask says; key sessions end with the key. The
 * process identity in every event is (tgid, start_time), so a reused pid
 * is another process.
 */
#include <linux/sched.h>

#include "common.h"

static int hook_ptrace_access_check(struct task_struct *child,
				    unsigned int mode)
{
	struct tzu_event ev;

	if (!tzh_wants(TZU_HOOK_PTRACE_ACCESS)) {
		tzh_filtered(TZU_HOOK_PTRACE_ACCESS);
		return 0;
	}
	tzh_event_init(&ev, TZU_HOOK_PTRACE_ACCESS, NULL);
	ev.object.id = task_tgid_nr(child);
	ev.object.flags = mode;
	return tzh_decide(&ev);
}

static void hook_task_free(struct task_struct *task)
{
	struct tzu_event ev;

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
	tzh_event_task(&ev, TZU_HOOK_TASK_EXIT, task);
	tzh_decide(&ev);
}

static struct security_hook_list tzh_task_hooks[] __lsm_ro_after_init = {
	LSM_HOOK_INIT(ptrace_access_check, hook_ptrace_access_check),
	LSM_HOOK_INIT(task_free, hook_task_free),
};

/**
 * tzh_add_task_hooks() - register the process hooks
 */
void __init tzh_add_task_hooks(void)
{
	security_add_hooks(tzh_task_hooks, ARRAY_SIZE(tzh_task_hooks),
			   TZH_NAME);
}
