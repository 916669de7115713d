// SPDX-License-Identifier: GPL-2.0
/*
 * tzu_modtest.c - out-of-tree module built by tests/kernel/build_test.sh:
 * proves Module.symvers exports the driver's API. Loaded on the board it
 * reports whether a secure monitor serves the decision fast path and, if
 * so, asks it about two events, printing the transport result and the
 * secure world's answer of each: a harmless TASK_EXIT of a pid that does
 * not exist (status 0), and a malformed event (hook 0), which the secure
 * world must reject with TZU_E_BAD_FIELD (6) and a deny verdict.
 */
#include <linux/module.h>
#include <linux/printk.h>
#include <tzucon/tz_driver.h>

static void tzu_modtest_ask(const char *what, u32 hook)
{
	struct tzu_event ev = { .hook = hook };
	struct tzu_decision dec = {};
	int rc;

	ev.subject.pid = 0x7ffffffe;
	ev.subject.tgid = 0x7ffffffe;
	rc = tzu_decide(&ev, &dec);
	pr_info("tzu_modtest: %s: rc=%d status=%u verdict=%u flags=%#x seq=%llu\n",
		what, rc, dec.hdr.status, dec.verdict, dec.flags, dec.seq);
}

static int __init tzu_modtest_init(void)
{
	if (!tzu_available()) {
		pr_info("tzu_modtest: no secure monitor\n");
		return 0;
	}
	tzu_modtest_ask("task_exit", TZU_HOOK_TASK_EXIT);
	tzu_modtest_ask("malformed", TZU_HOOK_NONE);
	return 0;
}

static void __exit tzu_modtest_exit(void)
{
}

module_init(tzu_modtest_init);
module_exit(tzu_modtest_exit);
MODULE_DESCRIPTION("tzucon driver API link and smoke test");
MODULE_LICENSE("GPL");
