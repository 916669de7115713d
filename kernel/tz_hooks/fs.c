// SPDX-License-Identifier: GPL-2.0
/*
 * fs.c - <securityfs>/tz_hooks/: read-only status and counters. The
 * authoritative state is the secure world's (policyctl status/stats); this
 * is the kernel's side of it, one value per file so shell scripts can
 * compare them:
 *   status          phase, reachable, mode, session, epoch, interest_mask,
 *                   live_sessions, revoked_sessions, keys_locked,
 *                   exec_sessions, exec_kills, cache_epoch, task_marks,
 *                   task_marks_full, probe_check (one "key value" a line)
 *   hooks           per hook: "name events filtered cached" (cached:
 *                   answered from the decision cache)
 *   decisions allowed denied would_deny filtered errors unreachable
 *   early_allowed early_denied local_denials revocations audit
 *   audit_dropped kills remeasure hook_events cache_allowed cache_denied
 *   cache_fills exits_local
 *                   one counter each (meanings in common.h and docs/kernel.md)
 */
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/security.h>
#include <linux/slab.h>

#include "common.h"

static const char * const tzh_counter_names[TZH_C_NR] = {
	[TZH_C_DECISIONS] = "decisions",
	[TZH_C_ALLOWED] = "allowed",
	[TZH_C_DENIED] = "denied",
	[TZH_C_WOULD_DENY] = "would_deny",
	[TZH_C_FILTERED] = "filtered",
	[TZH_C_ERRORS] = "errors",
	[TZH_C_UNREACHABLE] = "unreachable",
	[TZH_C_EARLY_ALLOWED] = "early_allowed",
	[TZH_C_EARLY_DENIED] = "early_denied",
	[TZH_C_LOCAL_DENIALS] = "local_denials",
	[TZH_C_REVOCATIONS] = "revocations",
	[TZH_C_AUDIT] = "audit",
	[TZH_C_AUDIT_DROPPED] = "audit_dropped",
	[TZH_C_KILLS] = "kills",
	[TZH_C_REMEASURE] = "remeasure",
	[TZH_C_HOOK_EVENTS] = "hook_events",
	[TZH_C_CACHE_ALLOWED] = "cache_allowed",
	[TZH_C_CACHE_DENIED] = "cache_denied",
	[TZH_C_CACHE_FILLS] = "cache_fills",
	[TZH_C_LEASE_USES] = "lease_uses",
	[TZH_C_EXITS_LOCAL] = "exits_local",
};

/* Files other than the counters, by their i_private tag. */
#define TZH_F_STATUS	(TZH_C_NR + 1)
#define TZH_F_HOOKS	(TZH_C_NR + 2)

static int tzh_show_hooks(char *buf, size_t size)
{
	unsigned long events, filtered, cached;
	int cpu, len = 0;
	u32 h;

	for (h = 1; h < TZU_HOOK_COUNT; h++) {
		events = 0;
		filtered = 0;
		cached = 0;
		for_each_possible_cpu(cpu) {
			events += per_cpu(tzh_counters, cpu).events[h];
			filtered += per_cpu(tzh_counters, cpu).filtered[h];
			cached += per_cpu(tzh_counters, cpu).cached[h];
		}
		len += scnprintf(buf + len, size - len, "%s %lu %lu %lu\n",
				 tzh_hook_name(h), events, filtered, cached);
	}
	return len;
}

static ssize_t tzh_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	uintptr_t tag = (uintptr_t)file_inode(file)->i_private;
	const size_t size = PAGE_SIZE;
	ssize_t ret;
	char *buf;
	int len;

	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (tag == TZH_F_STATUS)
		len = tzh_state_show(buf, size);
	else if (tag == TZH_F_HOOKS)
		len = tzh_show_hooks(buf, size);

	else
		len = scnprintf(buf, size, "%lu\n", tzh_counter_sum(tag));
	ret = simple_read_from_buffer(ubuf, count, ppos, buf, len);
	kfree(buf);
	return ret;
}

static const struct file_operations tzh_fops = {
	.read = tzh_read,
	.llseek = default_llseek,
};

static struct dentry *tzh_dentries[TZH_C_NR + 3] __ro_after_init;

static int __init tzh_file(int i, const char *name, uintptr_t tag)
{
	struct dentry *d = securityfs_create_file(name, 0444, tzh_dentries[0],
						  (void *)tag, &tzh_fops);

	if (IS_ERR(d))
		return PTR_ERR(d);
	tzh_dentries[i] = d;
	return 0;
}

static int __init tzh_fs_init(void)
{
	struct dentry *dir;
	int i, rc;

	if (!tzh_enabled)
		return 0;
	dir = securityfs_create_dir(TZH_NAME, NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	tzh_dentries[0] = dir;
	rc = tzh_file(1, "status", TZH_F_STATUS);
	if (!rc)
		rc = tzh_file(2, "hooks", TZH_F_HOOKS);
	for (i = 0; !rc && i < TZH_C_NR; i++)
		rc = tzh_file(3 + i, tzh_counter_names[i], i);
	if (rc)
		for (i = ARRAY_SIZE(tzh_dentries) - 1; i >= 0; i--)
			securityfs_remove(tzh_dentries[i]);
	return rc;
}
fs_initcall(tzh_fs_init);
