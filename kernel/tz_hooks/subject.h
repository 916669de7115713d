/* SPDX-License-Identifier: GPL-2.0 */
/*
 * subject.h - the subject of an event, field by field: shared by
 * tzh_event_subject() (event.c) and the hooks that probe the cache before
 * they fill an event whole (tzh_event_probe(): keys.c), so that both give
 * a field the same value. Inline: a cache hit is the hot path.
 */
#ifndef TZH_SUBJECT_H
#define TZH_SUBJECT_H

#include <linux/build_bug.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#include "common.h"

/* dev, ino and generation of @exe (a reference the caller drops). */
static inline void tzh_subject_exe_file(struct tzu_subject *s,
					struct file *exe)
{
	struct inode *inode = file_inode(exe);

	s->exe_dev = new_encode_dev(inode->i_sb->s_dev);
	s->exe_ino = inode->i_ino;
	s->exe_gen = (u32)inode_get_ctime(inode).tv_sec ^
		     (u32)inode_get_ctime(inode).tv_nsec;
}

/*
 * Read under RCU without a reference (get_mm_exe_file() + fput() are two
 * atomic read-modify-writes on every event): a file, its inode and its
 * superblock are all freed after an RCU grace period, so the fields read
 * here stay valid memory even if the exe file is replaced meanwhile
 * (then they are the old file's, as with a reference taken a moment
 * earlier).
 */
static inline void tzh_subject_exe(struct tzu_subject *s)
{
	struct file *exe = NULL;

	rcu_read_lock();
	if (current->mm && !(current->flags & PF_KTHREAD))
		exe = rcu_dereference(current->mm->exe_file);
	if (exe) {
		tzh_subject_exe_file(s, exe);
	} else {	/* also for tzh_event_probe(), which does not zero */
		s->exe_dev = 0;
		s->exe_ino = 0;
		s->exe_gen = 0;
	}
	rcu_read_unlock();
}

/*
 * The ids of @cred as init_user_ns sees them. Its maps are the identity
 * (one extent, first 0, count 4294967295), so from_kuid(&init_user_ns, k)
 * is __kuid_val(k) for every k, (uid_t)-1 included; reading the values
 * directly saves four map walks on every event (hot paths).
 */
static inline void tzh_subject_cred(struct tzu_subject *s,
				    const struct cred *cred)
{
	s->uid = __kuid_val(cred->uid);
	s->euid = __kuid_val(cred->euid);
	s->gid = __kgid_val(cred->gid);
	s->egid = __kgid_val(cred->egid);
}

/*
 * The comm of @task: TASK_COMM_LEN bytes, NUL-padded since
 * __set_task_comm() pads (strscpy_pad), copied whole and NUL-terminated
 * (a concurrent rename can leave a mix of two names, never a missing NUL).
 */
static inline void tzh_subject_comm(struct tzu_subject *s,
				    struct task_struct *task)
{
	BUILD_BUG_ON(sizeof(s->comm) != sizeof(task->comm));
	memcpy(s->comm, task->comm, sizeof(s->comm));
	s->comm[sizeof(s->comm) - 1] = '\0';
}

/* pid, tgid and the process's start (its leader's) of @task. */
static inline void tzh_subject_ids(struct tzu_subject *s,
				   struct task_struct *task)
{
	s->pid = task_pid_nr(task);
	s->tgid = task_tgid_nr(task);
	s->start_time = READ_ONCE(task->group_leader)->start_boottime;
}

/**
 * tzh_event_probe() - the TZH_PROBE_FIELDS of an event of current, and
 *	nothing else: for a cache probe (tzh_cache_probe()) before the event
 *	is filled whole
 * @ev: the event; every other byte is left as it was
 * @hook: TZU_HOOK_*
 * @cred: the credentials acting (NULL: current's)
 *
 * The same values tzh_event_init() gives these fields. Inline: it is
 * the whole event of a cache hit.
 *
 * Context: process context, may be atomic.
 */
static inline void tzh_event_probe(struct tzu_event *ev, u32 hook,
				   const struct cred *cred)
{
	if (!cred)
		cred = current_cred();
	ev->hook = hook;
	tzh_subject_ids(&ev->subject, current);
	tzh_subject_cred(&ev->subject, cred);
	tzh_subject_exe(&ev->subject);
}

#endif /* TZH_SUBJECT_H */
