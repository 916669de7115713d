// SPDX-License-Identifier: GPL-2.0
/* e2e_mod_allowed - trivial module whose SHA-256 the e2e policy allow-lists. */
#include <linux/init.h>
#include <linux/module.h>

static int __init e2e_mod_allowed_init(void)
{
	pr_info("e2e_mod_allowed: loaded\n");
	return 0;
}

static void __exit e2e_mod_allowed_exit(void)
{
	pr_info("e2e_mod_allowed: unloaded\n");
}

module_init(e2e_mod_allowed_init);
module_exit(e2e_mod_allowed_exit);
MODULE_DESCRIPTION("tzucon e2e: allow-listed test module");
MODULE_LICENSE("GPL");
