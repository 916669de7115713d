// SPDX-License-Identifier: GPL-2.0
/*
 * mem.c - memory hooks: mappings that make memory writable and executable
 * (mmap_file), mappings becoming executable or, shared, writable
 * (file_mprotect), and opening /dev/mem or /dev/kmem (file_open).
 *
 * W^X holds for memory, not for one mapping: one file mapped twice (a
 * writable shared view and an executable view, the memfd trick) is W+X
 * memory although neither mapping is. So for file mappings the event's
 * object.prot is the access the file's pages get: the requested PROT_*
 * plus PROT_WRITE if another shared mapping may write the file
 * (i_mmap_writable, i.e. mapping_writably_mapped()) and PROT_EXEC if
 * another mapping executes it. The secure world's W^X rules then decide
 * the aliased case like a W+X mapping, allow-listed JITs included.
 * A mapping of a file that is neither W+X nor aliased is no event.
 *
 * W^X holds over time, too: RW, code written, mprotect R, then R to RX
 * makes written memory executable although no single mprotect sees write
 * and exec. So a file_mprotect event carries TZU_EVF_WRITTEN when the
 * mapping's pages may hold what user space wrote since they were mapped
 * (tzh_vma_written()), and the W^X rules deny exec on written memory
 * whatever the protection it had just before.
 *
 * These hooks run on hot paths (every exec maps executables, static glibc
 * calls mprotect at every exec, every open() passes file_open), so each
 * first checks the shape of the request from its arguments, then the
 * interest mask, and only then looks at other mappings or builds an event,
 * in a function of its own: under CONFIG_INIT_STACK_ALL_ZERO a 320-byte
 * event declared in the hook would be zeroed on every call, filtered or
 * not (the same split in every hook file).
 */
#include <linux/fs.h>
#include <linux/major.h>
#include <linux/mm.h>
#include <linux/mman.h>

#include "common.h"

#define TZH_PROT_RWX (PROT_READ | PROT_WRITE | PROT_EXEC)

/*
 * Access the other mappings of @file give to its pages, as PROT_* bits
 * limited to @want: PROT_WRITE if another shared mapping may write the
 * file, PROT_EXEC if another mapping is executable. @self (a VMA being
 * changed, or NULL) does not count. Sleeps (i_mmap_rwsem) for PROT_EXEC.
 */
static unsigned long tzh_alias_prot(struct file *file,
				    struct vm_area_struct *self,
				    unsigned long want)
{
	struct address_space *mapping = file->f_mapping;
	struct vm_area_struct *vma;
	unsigned long alias = 0;
	int writers;

	if (want & PROT_WRITE) {
		/* negative: writable mappings denied (sealed memfd) */
		writers = atomic_read(&mapping->i_mmap_writable);
		if (self && vma_is_shared_maywrite(self))
			writers--;
		if (writers > 0)
			alias |= PROT_WRITE;
	}
	if (want & PROT_EXEC) {
		i_mmap_lock_read(mapping);
		vma_interval_tree_foreach(vma, &mapping->i_mmap, 0, ULONG_MAX) {
			if (vma != self && (vma->vm_flags & VM_EXEC)) {
				alias |= PROT_EXEC;
				break;
			}
		}
		i_mmap_unlock_read(mapping);
	}
	return alias;
}

/*
 * Whether @vma may hold data user space wrote since it was mapped: a
 * private mapping (file or anonymous) has an anon_vma once one of its
 * pages was copied on write or written as a fresh anonymous page (a read
 * fault maps the zero page or the page cache and allocates none); a
 * shared mapping that may be writable has written to the file's pages
 * directly. Errs on the written side: an anon_vma is also inherited from
 * a parent across fork and kept when a mapping merges with a written
 * neighbour, and a shared mapping counts from the moment it may write.
 * Not seen: write(2) to a file mapped executable later, and writes
 * through /proc/PID/mem or ptrace into a mapping that is already
 * executable (no mprotect happens; docs/kernel.md §4).
 */
static bool tzh_vma_written(struct vm_area_struct *vma)
{
	return vma->anon_vma || vma_is_shared_maywrite(vma);
}

/* The mapped file as the event's object, or TZU_EVF_ANON without one. */
static void tzh_mapping_object(struct tzu_event *ev, struct file *file)
{
	if (file)
		tzh_object_file(&ev->object, file);
	else
		ev->flags |= TZU_EVF_ANON;
}

/* The mmap_file event of @file (NULL: anonymous), @prot and @flags. */
static noinline int tzh_mmap_decide(struct file *file, unsigned long prot,
				    unsigned long flags)
{
	struct tzu_event ev;

	tzh_event_init(&ev, TZU_HOOK_MMAP_FILE, NULL);
	ev.object.prot = prot;
	ev.object.flags = flags;
	tzh_mapping_object(&ev, file);
	return tzh_decide(&ev);
}

/*
 * mmap that is W+X, or executable without a file (shape of the classic
 * event), or of a file: executable while another shared mapping may write
 * it, or shared-writable while another mapping executes it.
 */
static int hook_mmap_file(struct file *file, unsigned long reqprot,
			  unsigned long prot, unsigned long flags)
{
	unsigned long p = prot & TZH_PROT_RWX, want = 0;
	bool wx = (p & PROT_EXEC) && (!file || (p & PROT_WRITE));
	bool shared = (flags & MAP_TYPE) != MAP_PRIVATE;

	if (!wx && file) {
		if (p & PROT_EXEC)
			want = PROT_WRITE;
		else if ((p & PROT_WRITE) && shared)
			want = PROT_EXEC;
	}
	if (!wx && !want)
		return 0;
	if (!tzh_wants(TZU_HOOK_MMAP_FILE)) {
		if (wx)
			tzh_filtered(TZU_HOOK_MMAP_FILE);
		return 0;
	}
	if (!wx) {
		want = tzh_alias_prot(file, NULL, want);
		if (!want)
			return 0;
	}
	return tzh_mmap_decide(file, p | want, flags);
}

/* The file_mprotect event of @vma getting @prot. */
static noinline int tzh_mprotect_decide(struct vm_area_struct *vma,
					unsigned long prot)
{
	struct file *file = vma->vm_file;
	struct tzu_event ev;

	tzh_event_init(&ev, TZU_HOOK_FILE_MPROTECT, NULL);
	ev.object.addr = vma->vm_start;
	ev.object.len = vma->vm_end - vma->vm_start;
	ev.object.prot = prot;
	/* VM_READ/WRITE/EXEC have the values of PROT_READ/WRITE/EXEC. */
	ev.object.old_prot = vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC);
	if (tzh_vma_written(vma))
		ev.flags |= TZU_EVF_WRITTEN;
	tzh_mapping_object(&ev, file);
	return tzh_decide(&ev);
}

/*
 * mprotect that makes a mapping executable, or keeps it executable while
 * making it writable, or makes a shared file mapping writable while
 * another mapping executes the file. The hook sees the VMA, not the
 * mprotect range.
 */
static int hook_file_mprotect(struct vm_area_struct *vma,
			      unsigned long reqprot, unsigned long prot)
{
	unsigned long p = prot & TZH_PROT_RWX, want = 0;
	struct file *file = vma->vm_file;
	bool add_exec = (p & PROT_EXEC) && !(vma->vm_flags & VM_EXEC);
	bool classic = add_exec || (p & (PROT_EXEC | PROT_WRITE)) ==
				   (PROT_EXEC | PROT_WRITE);

	if (file && add_exec && !(p & PROT_WRITE))
		want = PROT_WRITE;
	else if (file && (vma->vm_flags & VM_SHARED) && (p & PROT_WRITE) &&
		 !(p & PROT_EXEC) && !(vma->vm_flags & VM_WRITE))
		want = PROT_EXEC;
	if (!classic && !want)
		return 0;
	if (!tzh_wants(TZU_HOOK_FILE_MPROTECT)) {
		if (classic)
			tzh_filtered(TZU_HOOK_FILE_MPROTECT);
		return 0;
	}
	if (want)
		want = tzh_alias_prot(file, vma, want);
	if (!classic && !want)
		return 0;
	return tzh_mprotect_decide(vma, p | want);
}

/* The devmem_open event of @file, /dev/mem (@minor 1) or /dev/kmem (2). */
static noinline int tzh_devmem_decide(struct file *file, unsigned int minor)
{
	struct inode *inode = file_inode(file);
	struct tzu_event ev;

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

/*
 * /dev/mem (minor 1) or /dev/kmem (minor 2), any access mode: the policy
 * sees the open flags (reads of /dev/mem leak secrets too).
 */
static int hook_file_open(struct file *file)
{
	struct inode *inode = file_inode(file);
	unsigned int minor;

	if (!S_ISCHR(inode->i_mode) || imajor(inode) != MEM_MAJOR)
		return 0;
	minor = iminor(inode);
	if (minor != 1 && minor != 2)
		return 0;
	if (tzh_filter(TZU_HOOK_DEVMEM_OPEN))
		return 0;
	return tzh_devmem_decide(file, minor);
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
