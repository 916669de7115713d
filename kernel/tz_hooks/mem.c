// SPDX-License-Identifier: GPL-2.0
/*
 * mem.c - memory hooks: executable mappings that are also writable or
 * anonymous (mmap_file), mappings becoming executable (file_mprotect), and
 * opening /dev/mem or /dev/kmem for writing (file_open).
 *
 * These hooks run on hot paths (static glibc calls mprotect at every exec,
 * every open() passes file_open), so each first checks the shape of the
 * request, then the interest mask, and only then builds an event.
 */
#include <linux/fs.h>
#include <linux/major.h>
#include <linux/mm.h>
#include <linux/mman.h>

#include "common.h"

/* mmap with PROT_EXEC that is also writable, or not backed by a file. */
static int hook_mmap_file(struct file *file, unsigned long reqprot,
			  unsigned long prot, unsigned long flags)
{
	struct tzu_event ev;

	if (!(prot & PROT_EXEC) || (file && !(prot & PROT_WRITE)))
		return 0;
	if (!tzh_wants(TZU_HOOK_MMAP_FILE)) {
		tzh_filtered(TZU_HOOK_MMAP_FILE);
		return 0;
	}
	tzh_event_init(&ev, TZU_HOOK_MMAP_FILE, NULL);
	ev.object.prot = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
	ev.object.flags = flags;
	if (file)
		tzh_object_file(&ev.object, file);
	else
		ev.flags |= TZU_EVF_ANON;
	return tzh_decide(&ev);
}

/*
 * mprotect that makes a mapping executable, or keeps it executable while
 * making it writable. The hook sees the VMA, not the mprotect range.
 */
static int hook_file_mprotect(struct vm_area_struct *vma,
			      unsigned long reqprot, unsigned long prot)
{
	struct tzu_event ev;

	if (!(prot & PROT_EXEC) ||
	    ((vma->vm_flags & VM_EXEC) && !(prot & PROT_WRITE)))
		return 0;
	if (!tzh_wants(TZU_HOOK_FILE_MPROTECT)) {
		tzh_filtered(TZU_HOOK_FILE_MPROTECT);
		return 0;
	}
	tzh_event_init(&ev, TZU_HOOK_FILE_MPROTECT, NULL);
	ev.object.addr = vma->vm_start;
	ev.object.len = vma->vm_end - vma->vm_start;
	ev.object.prot = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
	/* VM_READ/WRITE/EXEC have the values of PROT_READ/WRITE/EXEC. */
	ev.object.old_prot = vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC);
	if (vma->vm_file)
		tzh_object_file(&ev.object, vma->vm_file);
	else
		ev.flags |= TZU_EVF_ANON;
	return tzh_decide(&ev);
}

/* /dev/mem (minor 1) or /dev/kmem (minor 2), opened for writing. */
static int hook_file_open(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct tzu_event ev;
	unsigned int minor;

	if (!S_ISCHR(inode->i_mode) || imajor(inode) != MEM_MAJOR ||
	    !(file->f_mode & FMODE_WRITE))
		return 0;
	minor = iminor(inode);
	if (minor != 1 && minor != 2)
		return 0;
	if (!tzh_wants(TZU_HOOK_DEVMEM_OPEN)) {
		tzh_filtered(TZU_HOOK_DEVMEM_OPEN);
		return 0;
	}
	tzh_event_init(&ev, TZU_HOOK_DEVMEM_OPEN, NULL);
	ev.object.flags = file->f_flags;
	/* The device, not the node: dev is the device number (st_rdev). */
	ev.object.dev = new_encode_dev(inode->i_rdev);
	ev.object.ino = inode->i_ino;
	ev.object.mode = inode->i_mode;
	tzh_copy_str(ev.object.name, sizeof(ev.object.name),
		     minor == 1 ? "mem" : "kmem");
	return tzh_decide(&ev);
}

static struct security_hook_list tzh_mem_hooks[] __lsm_ro_after_init = {
	LSM_HOOK_INIT(mmap_file, hook_mmap_file),
	LSM_HOOK_INIT(file_mprotect, hook_file_mprotect),
	LSM_HOOK_INIT(file_open, hook_file_open),
};

/**
 * tzh_add_mem_hooks() - register the memory hooks
 */
void __init tzh_add_mem_hooks(void)
{
	security_add_hooks(tzh_mem_hooks, ARRAY_SIZE(tzh_mem_hooks), TZH_NAME);
}
