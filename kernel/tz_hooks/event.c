// SPDX-License-Identifier: GPL-2.0
/*
 * event.c - the parts of a struct tzu_event every hook shares: the subject
 * (who acts) and the identity of a file object.
 *
 * Identities are those user space sees: dev is st_dev as stat(2) reports
 * it (new_encode_dev()), ino is st_ino, so an administrator can compute the
 * engine's executable key (exe_dev << 40) ^ exe_ino with stat(1). The
 * executable's digest is not computed (TZU_EVF_EXE_DIGEST stays clear):
 * hashing an executable per event is too slow for hooks on hot paths.
 */
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#include "common.h"

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

static void tzh_subject_exe(struct tzu_subject *s)
{
	struct file *exe;
	struct inode *inode;

	if (!current->mm || (current->flags & PF_KTHREAD))
		return;
	exe = get_mm_exe_file(current->mm);
	if (!exe)
		return;
	inode = file_inode(exe);
	s->exe_dev = new_encode_dev(inode->i_sb->s_dev);
	s->exe_ino = inode->i_ino;
	fput(exe);
}

/**
 * tzh_event_init() - a zeroed event for @hook with current as subject
 * @ev: the event
 * @hook: TZU_HOOK_*
 * @cred: the credentials acting (NULL: current's)
 *
 * Context: process context, may be atomic.
 */
void tzh_event_init(struct tzu_event *ev, u32 hook, const struct cred *cred)
{
	struct tzu_subject *s = &ev->subject;

	memset(ev, 0, sizeof(*ev));
	ev->hook = hook;
	if (!cred)
		cred = current_cred();
	s->pid = task_pid_nr(current);
	s->tgid = task_tgid_nr(current);
	s->uid = from_kuid(&init_user_ns, cred->uid);
	s->euid = from_kuid(&init_user_ns, cred->euid);
	s->gid = from_kgid(&init_user_ns, cred->gid);
	s->egid = from_kgid(&init_user_ns, cred->egid);
	tzh_subject_exe(s);
	tzh_copy_str(s->comm, sizeof(s->comm), current->comm);
}

/**
 * tzh_event_task() - a zeroed event whose subject is a process by number
 * @ev: the event
 * @hook: TZU_HOOK_* (lifecycle hooks, where the subject is not current)
 * @pid: thread id
 * @tgid: process id
 *
 * Context: any.
 */
void tzh_event_task(struct tzu_event *ev, u32 hook, u32 pid, u32 tgid)
{
	memset(ev, 0, sizeof(*ev));
	ev->hook = hook;
	ev->subject.pid = pid;
	ev->subject.tgid = tgid;
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
