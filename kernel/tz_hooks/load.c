// SPDX-License-Identifier: GPL-2.0
/*
 * load.c - code entering the kernel: modules, kexec images, firmware (from
 * a file: kernel_read_file; from a buffer: kernel_load_data), module
 * requests, and BPF program loads.
 *
 * When the kernel will show us the content, the decision waits for it
 * (kernel_post_read_file / kernel_post_load_data) so the event carries the
 * content's SHA-256 (TZU_EVF_OBJ_DIGEST); otherwise the first hook decides
 * without a digest. The digest uses the crypto API's "sha256", allocated
 * once the crypto algorithms are registered (tzh_load_init_late()); before
 * that events carry no digest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <linux/bpf.h>
#include <linux/err.h>
#include <linux/kernel_read_file.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/security.h>

#include "common.h"

static struct crypto_shash *tzh_sha256;

/**
 * tzh_load_init_late() - allocate the SHA-256 transform for load digests
 *
 * Return: 0, or the -errno of crypto_alloc_shash().
 */
int tzh_load_init_late(void)
{
	struct crypto_shash *tfm = crypto_alloc_shash("sha256", 0, 0);

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	if (crypto_shash_digestsize(tfm) != TZU_SHA256_LEN) {
		crypto_free_shash(tfm);
		return -EINVAL;
	}
	tzh_sha256 = tfm;
	return 0;
}

/* Hashes in slices: modules are megabytes and this context may sleep. */
static int tzh_digest(const void *buf, loff_t size, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, tzh_sha256);
	const loff_t slice = 64 << 10;
	loff_t done;
	int rc;

	if (!tzh_sha256)
		return -ENOPKG;
	desc->tfm = tzh_sha256;
	rc = crypto_shash_init(desc);
	for (done = 0; !rc && done < size; done += slice) {
		rc = crypto_shash_update(desc, buf + done,
					 min(slice, size - done));
		cond_resched();
	}
	if (!rc)
		rc = crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	return rc;
}

static u32 tzh_load_kind(enum kernel_read_file_id id)
{
	switch (id) {
	case READING_MODULE:
		return TZU_LOAD_MODULE;
	case READING_KEXEC_IMAGE:
		return TZU_LOAD_KEXEC_IMAGE;
	case READING_KEXEC_INITRAMFS:
		return TZU_LOAD_KEXEC_INITRAMFS;
	case READING_FIRMWARE:
		return TZU_LOAD_FIRMWARE;
	case READING_POLICY:
		return TZU_LOAD_POLICY;
	default:
		return TZU_LOAD_OTHER;
	}
}

/*
 * One load event. @buf is the content (NULL if not shown); a digest that
 * cannot be computed leaves TZU_EVF_OBJ_DIGEST clear and counts an error,
 * so a digest allow-list does not match.
 */
static noinline int tzh_load_decide(u32 hook, u32 kind, struct file *file,
				    const char *name, const void *buf,
				    loff_t size)
{
	struct tzu_event ev;

	tzh_event_init(&ev, hook, NULL);
	ev.object.kind = kind;
	ev.object.len = size;
	if (file)
		tzh_object_file(&ev.object, file);
	if (name)
		tzh_copy_str(ev.object.name, sizeof(ev.object.name), name);
	if (buf) {
		if (!tzh_digest(buf, size, ev.object.sha256))
			ev.flags |= TZU_EVF_OBJ_DIGEST;
		else
			tzh_count(TZH_C_ERRORS);
	}
	return tzh_decide(&ev);
}

/* The mask first, the event out of line (not zeroed when filtered, mem.c). */
static int tzh_load(u32 hook, u32 kind, struct file *file, const char *name,
		    const void *buf, loff_t size)
{
	if (tzh_filter(hook))
		return 0;
	return tzh_load_decide(hook, kind, file, name, buf, size);
}

static int hook_kernel_read_file(struct file *file,
				 enum kernel_read_file_id id, bool contents)
{
	if (contents)
		return 0;	/* kernel_post_read_file decides */
	return tzh_load(TZU_HOOK_KERNEL_READ_FILE, tzh_load_kind(id), file,
			NULL, NULL, 0);
}

static int hook_kernel_post_read_file(struct file *file, char *buf,
				      loff_t size, enum kernel_read_file_id id)
{
	return tzh_load(TZU_HOOK_KERNEL_READ_FILE, tzh_load_kind(id), file,
			NULL, buf, size);
}

static int hook_kernel_load_data(enum kernel_load_data_id id, bool contents)
{
	if (contents)
		return 0;	/* kernel_post_load_data decides */
	return tzh_load(TZU_HOOK_KERNEL_LOAD_DATA,
			tzh_load_kind((enum kernel_read_file_id)id), NULL,
			kernel_load_data_id_str(id), NULL, 0);
}

static int hook_kernel_post_load_data(char *buf, loff_t size,
				      enum kernel_load_data_id id,
				      char *description)
{
	return tzh_load(TZU_HOOK_KERNEL_LOAD_DATA,
			tzh_load_kind((enum kernel_read_file_id)id), NULL,
			description, buf, size);
}

static int hook_kernel_module_request(char *kmod_name)
{
	return tzh_load(TZU_HOOK_MODULE_REQUEST, 0, NULL, kmod_name, NULL, 0);
}

#ifdef CONFIG_BPF_SYSCALL
/* Out of line: every bpf() passes the hook (mem.c). */
static noinline int tzh_bpf_decide(union bpf_attr *attr)
{
	struct tzu_event ev;

	tzh_event_init(&ev, TZU_HOOK_BPF_PROG_LOAD, NULL);
	ev.object.kind = attr->prog_type;
	ev.object.len = attr->insn_cnt;
	return tzh_decide(&ev);
}

static int hook_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	if (cmd != BPF_PROG_LOAD)
		return 0;
	if (tzh_filter(TZU_HOOK_BPF_PROG_LOAD))
		return 0;
	return tzh_bpf_decide(attr);
}
#endif

static struct security_hook_list tzh_load_hooks[] __lsm_ro_after_init = {
	LSM_HOOK_INIT(kernel_read_file, hook_kernel_read_file),
	LSM_HOOK_INIT(kernel_post_read_file, hook_kernel_post_read_file),
	LSM_HOOK_INIT(kernel_load_data, hook_kernel_load_data),
	LSM_HOOK_INIT(kernel_post_load_data, hook_kernel_post_load_data),
	LSM_HOOK_INIT(kernel_module_request, hook_kernel_module_request),
#ifdef CONFIG_BPF_SYSCALL
	LSM_HOOK_INIT(bpf, hook_bpf),
#endif
};

/**
 * tzh_add_load_hooks() - register the code-loading hooks
 */
void __init tzh_add_load_hooks(void)
{
	BUILD_BUG_ON((int)LOADING_MODULE != (int)READING_MODULE ||
		     (int)LOADING_FIRMWARE != (int)READING_FIRMWARE ||
		     (int)LOADING_KEXEC_IMAGE != (int)READING_KEXEC_IMAGE);
	security_add_hooks(tzh_load_hooks, ARRAY_SIZE(tzh_load_hooks), TZH_NAME);
}
