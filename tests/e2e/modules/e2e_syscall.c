// SPDX-License-Identifier: GPL-2.0
/*
 * e2e_syscall - the classic LKM rootkit: one sys_call_table entry (the
 * table is in read-only kernel text on ARM) replaced with the module's own
 * function, written through a vmap() alias of the page. The hook forwards
 * to the original, as a rootkit that hides things would; exit restores
 * the entry, so trials repeat. The table's address comes from System.map
 * (not exported). The default entry, getppid, is one the run does not
 * call, so nothing executes in the hook while rmmod removes it.
 *
 *   insmod e2e_syscall.ko table=0x... [nr=64]
 *   /sys/module/e2e_syscall/parameters/attack_ns: ktime_get_ns() of the write
 */
#include <linux/module.h>
#include <linux/timekeeping.h>
#include <asm/unistd.h>

#include "e2e_poke.h"

typedef long (*e2es_call_t)(long, long, long, long, long, long);

static unsigned long table;
module_param(table, ulong, 0400);
MODULE_PARM_DESC(table, "address of sys_call_table (System.map)");

static unsigned int nr = __NR_getppid;
module_param(nr, uint, 0400);
MODULE_PARM_DESC(nr, "system call number whose entry is replaced");

static unsigned long long attack_ns;
module_param(attack_ns, ullong, 0444);
MODULE_PARM_DESC(attack_ns, "ktime_get_ns() right after the write");

static unsigned int hits;
module_param(hits, uint, 0444);
MODULE_PARM_DESC(hits, "calls that went through the hook");

static e2es_call_t orig;

static long e2es_hook(long a0, long a1, long a2, long a3, long a4, long a5)
{
	hits++;
	return orig(a0, a1, a2, a3, a4, a5);
}

static int __init e2es_init(void)
{
	u32 *entry = (u32 *)table + nr;
	int err;

	if (!table || (table & 3) || nr >= __NR_syscalls)
		return -EINVAL;
	orig = (e2es_call_t)READ_ONCE(*entry);
	err = e2e_poke_word(entry, (u32)(unsigned long)e2es_hook);
	if (err)
		return err;
	attack_ns = ktime_get_ns();
	pr_info("e2e_syscall: entry %u now %ps, was %ps\n", nr,
		(void *)READ_ONCE(*entry), orig);
	return 0;
}

static void __exit e2es_exit(void)
{
	u32 *entry = (u32 *)table + nr;

	if (e2e_poke_word(entry, (u32)(unsigned long)orig))
		pr_err("e2e_syscall: entry %u NOT restored\n", nr);
	else
		pr_info("e2e_syscall: entry %u restored (%u hits)\n", nr, hits);
}

module_init(e2es_init);
module_exit(e2es_exit);
MODULE_DESCRIPTION("tzucon e2e: a sys_call_table entry replaced, as a rootkit does");
MODULE_LICENSE("GPL");
