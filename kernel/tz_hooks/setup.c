// SPDX-License-Identifier: GPL-2.0
/*
 * setup.c - registration of the tz_hooks LSM. Decisions start once the TEE
 * driver has probed (subsys_initcall_sync); until then events that could
 * change the kernel are denied (enforce.c).
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
	tzh_engine_early_init();
	tzh_enabled = true;
	pr_info("up; until the secure monitor probes, kernel-changing events are denied\n");
	return 0;
}

DEFINE_LSM(tz_hooks) = {
	.name = TZH_NAME,
	.init = tzh_init,
};
