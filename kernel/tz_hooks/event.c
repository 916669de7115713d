// SPDX-License-Identifier: GPL-2.0
/*
 * event.c - the parts of a struct tzu_event every hook shares: the subject
 * (who acts) and the identity of a file object.
 *
 * Identities are those user space sees: dev is st_dev as stat(2) reports
 * it (new_encode_dev()), ino is st_ino. A reused inode number is told apart
 * by exe_gen = ctime's seconds ^ nanoseconds: a new file has another ctime
 * on every filesystem, and, unlike i_generation (random on tmpfs, the
 * initramfs root, and not readable there), user space can compute it from
 * stat(2), so an administrator can name the executable (policyctl attr
 * --exe). A reused pid is told apart by
 * start_time, the thread-group leader's start_boottime (ns): the process
 * identity is (tgid, start_time). The executable's digest is not computed
 * (TZU_EVF_EXE_DIGEST stays clear): hashing an executable per event is too
 * slow for hooks on hot paths.
 */
#include <linux/build_bug.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#include "common.h"
#include "subject.h"

/**
 * tzh_copy_str() - NUL-padded copy into a fixed ABI string field
 * @dst: the field
 * @size: its size; the copy always ends with a NUL
 * @src: the string, or NULL for an empty field
 */
void tzh_copy_str(char *dst, size_t size, const char *src)
{
	if (!src) {
		memset(dst, 0, size);
		return;
	}
	/* Truncation is acceptable here: callers that match on the whole
	 * string check its length themselves (crypto.c).
	 */
	strscpy_pad(dst, src, size);
}

/**
 * tzh_event_subject() - current as the subject of an event (tzh_event_init())
 * @s: the subject, zeroed
 * @cred: the credentials acting (NULL: current's)
 *
 * Context: process context, may be atomic.
 */
void tzh_event_subject(struct tzu_subject *s, const struct cred *cred)
{
	if (!cred)
		cred = current_cred();
	tzh_subject_ids(s, current);
	tzh_subject_cred(s, cred);
	tzh_subject_exe(s);
	tzh_subject_comm(s, current);
}

/**
 * tzh_event_task() - a zeroed event whose subject is @task, not current
 * @ev: the event
 * @hook: TZU_HOOK_* (lifecycle hooks: task_exit)
 * @task: the subject; its ids, credentials and comm are filled in (not its
 *	executable: it may have no mm any more)
 *
 * Context: any.
 */
void tzh_event_task(struct tzu_event *ev, u32 hook, struct task_struct *task)
{
	struct tzu_subject *s = &ev->subject;
	const struct cred *cred;

	tzh_event_none(ev, hook);
	tzh_subject_ids(s, task);
	rcu_read_lock();
	cred = __task_cred(task);
	tzh_subject_cred(s, cred);
	rcu_read_unlock();
	tzh_subject_comm(s, task);
}

/**
 * tzh_event_tracer() - a zeroed event whose subject is @task, executable
 *	included (tzh_event_task() leaves it out)
 * @ev: the event
 * @hook: TZU_HOOK_*
 * @task: the subject, alive (a tracer-to-be: ptrace_traceme's parent)
 *
 * Context: any, under tasklist_lock too: get_task_exe_file() takes
 * task_lock(@task), which nests inside tasklist_lock (as in
 * chroot_fs_refs()); the reference is dropped with fput(), which defers.
 */
void tzh_event_tracer(struct tzu_event *ev, u32 hook, struct task_struct *task)
{
	struct file *exe;

	tzh_event_task(ev, hook, task);
	exe = get_task_exe_file(task);
	if (!exe)
		return;
	tzh_subject_exe_file(&ev->subject, exe);
	fput(exe);
}

/**
 * tzh_object_file() - dev, ino, mode and name of a file object
 * @obj: the object
 * @file: the file (NULL: anonymous, fields stay zero)
 *
 * Context: process context, may be atomic.
 */
void tzh_object_file(struct tzu_object *obj, struct file *file)
{
	struct name_snapshot name;
	struct inode *inode;

	if (!file)
		return;
	inode = file_inode(file);
	obj->dev = new_encode_dev(inode->i_sb->s_dev);
	obj->ino = inode->i_ino;
	obj->mode = inode->i_mode;
	take_dentry_name_snapshot(&name, file->f_path.dentry);
	tzh_copy_str(obj->name, sizeof(obj->name),
		     (const char *)name.name.name);
	release_dentry_name_snapshot(&name);
}
