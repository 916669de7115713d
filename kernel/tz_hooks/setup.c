// SPDX-License-Identifier: GPL-2.0
/*
 * setup.c - registration of the tz_hooks LSM. The session with the secure
 * world opens later (engine.c), once the TEE driver has probed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/lsm_hooks.h>

#include "common.h"

bool tzh_enabled __lsm_ro_after_init;

static int __init tzh_init(void)
{
	tzh_add_mem_hooks();
	tzh_add_load_hooks();
	tzh_add_task_hooks();
	tzh_add_cred_hooks();
	tzh_add_key_hooks();
	tzh_add_crypto_hooks();
	tzh_enabled = true;
	pr_info("up; events are allowed until the secure world session opens\n");
	return 0;
}

DEFINE_LSM(tz_hooks) = {
	.name = TZH_NAME,
	.init = tzh_init,
};
