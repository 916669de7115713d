// SPDX-License-Identifier: GPL-2.0
/* e2e_mod_unknown - trivial module that no policy lists: its load must be denied. */
#include <linux/init.h>
#include <linux/module.h>

static int __init e2e_mod_unknown_init(void)
{
	pr_info("e2e_mod_unknown: loaded\n");
	return 0;
}

static void __exit e2e_mod_unknown_exit(void)
{
	pr_info("e2e_mod_unknown: unloaded\n");
}

module_init(e2e_mod_unknown_init);
module_exit(e2e_mod_unknown_exit);
MODULE_DESCRIPTION("tzucon e2e: module absent from every allowlist");
MODULE_LICENSE("GPL");
