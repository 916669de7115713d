// SPDX-License-Identifier: GPL-2.0
/*
 * cred.c - credential changes (task_fix_setuid): a setuid-family call is
 * an event whose rules may update subject attributes or deny the change.
 * object.id = new uid, object.flags = new euid, object.kind = LSM_SETID_*;
 * the subject carries the old credentials.
 */
#include <linux/cred.h>
#include <linux/uidgid.h>

#include "common.h"

/* Out of line: its event is not zeroed when the mask filters (mem.c). */
static noinline int tzh_setuid_decide(struct cred *new,
				      const struct cred *old, int flags)
{
	struct tzu_event ev;

	tzh_event_init(&ev, TZU_HOOK_TASK_FIX_SETUID, old);
	ev.object.id = from_kuid(&init_user_ns, new->uid);
	ev.object.flags = from_kuid(&init_user_ns, new->euid);
	ev.object.kind = flags;
	return tzh_decide(&ev);
}

static int hook_task_fix_setuid(struct cred *new, const struct cred *old,
				int flags)
{
	if (tzh_filter(TZU_HOOK_TASK_FIX_SETUID))
		return 0;
	return tzh_setuid_decide(new, old, flags);
}

static struct security_hook_list tzh_cred_hooks[] __lsm_ro_after_init = {
	LSM_HOOK_INIT(task_fix_setuid, hook_task_fix_setuid),
};

/**
 * tzh_add_cred_hooks() - register the credential hooks
 */
void __init tzh_add_cred_hooks(void)
{
	security_add_hooks(tzh_cred_hooks, ARRAY_SIZE(tzh_cred_hooks),
			   TZH_NAME);
}
