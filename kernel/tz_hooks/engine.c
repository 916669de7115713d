// SPDX-License-Identifier: GPL-2.0
/*
 * engine.c - the LSM's session with the UCON engine in the secure world
 * (TEE client API, like drivers/char/hw_random/optee-rng.c) and the
 * kernel's cached view of it: interest mask, policy epoch, mode.
 *
 * Command contract (abi/tzucon_abi.h): open_session with TZU_TEE_UUID,
 * login REE_KERNEL; invoke func = TZU_CMD_*, param[0] MEMREF_INPUT request,
 * param[1] MEMREF_OUTPUT reply, reply status in its header. Decisions do
 * not use this path: they take the driver's fast call (enforce.c).
 *
 * The cache follows every reply that reveals secure-world state, whoever
 * the client (the driver's notices: its probe handshake, policy loads and
 * mode changes made by policyctl), and every decision (tzh_observe()); the
 * secure world stays the authority.
 *
 * Decisions do not need this session: the fast path serves as soon as the
 * driver has probed (subsys_initcall_sync). The notifier is registered at
 * LSM init so that the probe's notices (mask, epoch, mode) arrive; the
 * session itself, for re-measurements, opens at late_initcall_sync.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tee_drv.h>
#include <linux/workqueue.h>
#include <asm/sections.h>

#include "common.h"

/*
 * Mode until the secure world reports one; decides the fail policy. The
 * secure world reads the command line from the DTB it hands to Linux and
 * treats tz_hooks.permissive=1 as weakening (docs/kernel.md).
 */
static bool tzh_permissive;
module_param_named(permissive, tzh_permissive, bool, 0444);
MODULE_PARM_DESC(permissive, "start in permissive mode (fail open)");

static DEFINE_SPINLOCK(tzh_state_lock);
static bool tzh_mask_known;	/* the secure world published a mask */
static bool tzh_no_monitor;	/* late_initcall_sync found no driver */
static u32 tzh_secure_mask;
static u32 tzh_epoch;
static u32 tzh_cur_mode = TZU_MODE_ENFORCE;

static struct tee_context *tzh_ctx;
static u32 tzh_session;		/* 0 until the LSM's session is open */
static struct tee_shm *tzh_req_shm;
static struct tee_shm *tzh_rsp_shm;
static DEFINE_MUTEX(tzh_call_lock);

/**
 * tzh_phase() - TZH_EARLY, TZH_READY or TZH_UNREACHABLE
 *
 * Context: any; lock-free.
 * Return: the current phase.
 */
u32 tzh_phase(void)
{
	if (tzu_available())
		return TZH_READY;
	return READ_ONCE(tzh_no_monitor) ? TZH_UNREACHABLE : TZH_EARLY;
}

/**
 * tzh_mode() - the secure world's mode as last seen, TZU_MODE_*
 *
 * Return: TZU_MODE_ENFORCE or TZU_MODE_PERMISSIVE.
 */
u32 tzh_mode(void)
{
	return READ_ONCE(tzh_cur_mode);
}

/*
 * Caller holds tzh_state_lock. Every CPU's copy of the mask (what the
 * hooks read, common.h): a CPU tests the old mask until its copy is
 * written, as it would until a single value's store reached it.
 */
static void tzh_publish_mask(void)
{
	u32 mask = tzh_mask_known ? tzh_secure_mask : ~0u;
	int cpu;

	lockdep_assert_held(&tzh_state_lock);
	for_each_possible_cpu(cpu)
		WRITE_ONCE(per_cpu(tzh_counters, cpu).mask, mask);
}

/*
 * A newer epoch replaces the mask; an answer from an older one cannot.
 * Every decision brings the same epoch and mask again: then nothing is
 * written (the CPUs' copies sit next to their hot counters).
 */
static void tzh_update_epoch(u32 epoch, u32 mask)
{
	unsigned long flags;

	spin_lock_irqsave(&tzh_state_lock, flags);
	if (!tzh_mask_known ||
	    (epoch >= tzh_epoch &&
	     (epoch != tzh_epoch || mask != tzh_secure_mask))) {
		tzh_epoch = epoch;
		tzh_secure_mask = mask;
		tzh_mask_known = true;
		tzh_publish_mask();
	}
	spin_unlock_irqrestore(&tzh_state_lock, flags);
}

/**
 * tzh_observe() - learn the secure world's state from a decision
 * @dec: a well-formed decision with status TZU_OK
 *
 * Context: any.
 */
void tzh_observe(const struct tzu_decision *dec)
{
	if (!(dec->flags & TZU_DF_NO_POLICY))
		tzh_update_epoch(dec->epoch, dec->interest_mask);
}

static int tzh_notice(struct notifier_block *nb, unsigned long cmd,
		      void *data)
{
	const struct tzu_notice *n = data;
	u32 i;

	if (n->valid & TZU_NOTICE_EPOCH_MASK)
		tzh_update_epoch(n->epoch, n->interest_mask);
	if ((n->valid & TZU_NOTICE_MODE) &&
	    (n->mode == TZU_MODE_ENFORCE || n->mode == TZU_MODE_PERMISSIVE))
		WRITE_ONCE(tzh_cur_mode, n->mode);
	if (n->valid & TZU_NOTICE_TASK_STATE)
		tzh_task_mark_tgid(n->task_tgid);
	if (n->valid & TZU_NOTICE_REVOKED)
		for (i = 0; i < n->n_revoked && i < TZU_MAX_REVOKE; i++)
			tzh_session_revoked(n->revoked[i], n->revoked_tgid[i],
					    n->revoke_reason);
	return NOTIFY_OK;
}

static struct notifier_block tzh_nb = {
	.notifier_call = tzh_notice,
};

/*
 * One command through the TEE client API: 0 with the reply's status in
 * *status, or a -errno if the call itself failed. Sleeps.
 */
static int tzh_call(u32 cmd, const void *req, size_t req_len, void *rsp,
		    size_t rsp_cap, u32 *status)
{
	struct tee_ioctl_invoke_arg arg = {
		.func = cmd,
		.session = tzh_session,
		.num_params = 2,
	};
	struct tee_param param[2] = {};
	struct tzu_hdr h;
	int rc;

	if (req_len > tzh_req_shm->size || rsp_cap > tzh_rsp_shm->size ||
	    rsp_cap < sizeof(h))
		return -EMSGSIZE;
	mutex_lock(&tzh_call_lock);
	memcpy(tzh_req_shm->kaddr, req, req_len);
	param[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
	param[0].u.memref.shm = tzh_req_shm;
	param[0].u.memref.size = req_len;
	param[1].attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT;
	param[1].u.memref.shm = tzh_rsp_shm;
	param[1].u.memref.size = rsp_cap;
	rc = tee_client_invoke_func(tzh_ctx, &arg, param);
	if (!rc && arg.ret != TZU_TEEC_SUCCESS)
		rc = -EIO;
	if (!rc && (param[1].u.memref.size < sizeof(h) ||
		    param[1].u.memref.size > rsp_cap))
		rc = -EPROTO;
	if (!rc) {
		memcpy(rsp, tzh_rsp_shm->kaddr, param[1].u.memref.size);
		memcpy(&h, rsp, sizeof(h));
		*status = h.status;
	}
	mutex_unlock(&tzh_call_lock);
	return rc;
}

/* The header of a request this file builds. */
static void tzh_hdr(struct tzu_hdr *hdr, u32 cmd, u32 size)
{
	hdr->magic = TZU_MAGIC;
	hdr->version = TZU_ABI_VERSION;
	hdr->command = cmd;
	hdr->size = size;
	hdr->status = 0;
}

static void tzh_remeasure_fn(struct work_struct *work)
{
	struct tzu_session_req req = {};
	struct tzu_integrity_status *rsp;
	u32 status = 0;
	int rc;

	/* The reply's regions follow the status: room for a page of them. */
	rsp = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!rsp)
		return;
	tzh_hdr(&req.hdr, TZU_CMD_INTEGRITY_CHECK, sizeof(req));
	req.session = tzh_session;
	rc = tzh_call(TZU_CMD_INTEGRITY_CHECK, &req, sizeof(req), rsp,
		      PAGE_SIZE, &status);
	if (rc || status != TZU_OK)
		pr_warn("re-measurement failed: %d, status %u\n", rc, status);
	else
		pr_info("re-measurement: state %u, passes %llu, mismatches %llu\n",
			rsp->state, rsp->passes, rsp->mismatches);
	kfree(rsp);
}

static DECLARE_WORK(tzh_remeasure_work, tzh_remeasure_fn);

/**
 * tzh_request_remeasure() - ask the secure world to measure the kernel
 *
 * Context: any. The INTEGRITY_CHECK call sleeps, so it runs from a work
 * item; requests made while one is pending are merged.
 */
void tzh_request_remeasure(void)
{
	if (!READ_ONCE(tzh_session))
		return;
	if (schedule_work(&tzh_remeasure_work))
		tzh_count(TZH_C_REMEASURE);
}

static int tzh_match(struct tee_ioctl_version_data *ver, const void *data)
{
	return ver->impl_id == TZU_TEE_IMPL_ID;
}

/* Opens context, session and buffers; unwinds on failure. */
static int __init tzh_open(void)
{
	static const u8 uuid[TEE_IOCTL_UUID_LEN] = { TZU_TEE_UUID_BYTES };
	struct tee_ioctl_open_session_arg arg = {
		.clnt_login = TEE_IOCTL_LOGIN_REE_KERNEL,
	};
	struct tzu_session_req req = {};
	struct tzu_stats st;
	u32 status;
	int rc;

	tzh_ctx = tee_client_open_context(NULL, tzh_match, NULL, NULL);
	if (IS_ERR(tzh_ctx)) {
		rc = PTR_ERR(tzh_ctx);
		goto out;
	}
	memcpy(arg.uuid, uuid, sizeof(uuid));
	rc = tee_client_open_session(tzh_ctx, &arg, NULL);
	if (!rc && arg.ret != TZU_TEEC_SUCCESS)
		rc = -EIO;
	if (rc)
		goto out_ctx;
	tzh_session = arg.session;
	tzh_req_shm = tee_shm_alloc_kernel_buf(tzh_ctx, PAGE_SIZE);
	if (IS_ERR(tzh_req_shm)) {
		rc = PTR_ERR(tzh_req_shm);
		goto out_session;
	}
	tzh_rsp_shm = tee_shm_alloc_kernel_buf(tzh_ctx, PAGE_SIZE);
	if (IS_ERR(tzh_rsp_shm)) {
		rc = PTR_ERR(tzh_rsp_shm);
		goto out_req;
	}
	/* The reply's notice refreshes the mode, mask and epoch. */
	tzh_hdr(&req.hdr, TZU_CMD_GET_STATS, sizeof(req));
	req.session = tzh_session;
	rc = tzh_call(TZU_CMD_GET_STATS, &req, sizeof(req), &st, sizeof(st),
		      &status);
	if (!rc && status != TZU_OK)
		rc = -EIO;
	if (rc)
		goto out_rsp;
	return 0;

out_rsp:
	tee_shm_free(tzh_rsp_shm);
out_req:
	tee_shm_free(tzh_req_shm);
out_session:
	tee_client_close_session(tzh_ctx, tzh_session);
out_ctx:
	tee_client_close_context(tzh_ctx);
out:
	tzh_ctx = NULL;
	tzh_session = 0;
	return rc;
}

/**
 * tzh_engine_early_init() - state the first hooks need, from LSM init
 *
 * The boot parameter's mode, and the notifier, registered before the TEE
 * driver probes so that its handshake's notices reach the cache, and the
 * counters the driver's heartbeat carries.
 */
void __init tzh_engine_early_init(void)
{
	if (tzh_permissive)
		WRITE_ONCE(tzh_cur_mode, TZU_MODE_PERMISSIVE);
	tzu_notifier_register(&tzh_nb);
	if (tzu_counters_register(tzh_heartbeat_counters))
		pr_warn("heartbeat counters already taken\n");
}

/*
 * After deferred probes (late_initcall), before init runs: a driver that
 * has not probed by now will not; events then get the fail policy.
 */
static int __init tzh_engine_init(void)
{
	int rc;

	if (!tzh_enabled)
		return 0;
	rc = tzh_load_init_late();
	if (rc)
		pr_warn("no sha256 for load digests: %d\n", rc);
	if (!tzu_available()) {
		WRITE_ONCE(tzh_no_monitor, true);
		pr_err("no secure monitor: events fail %s\n",
		       tzh_mode() == TZU_MODE_ENFORCE ? "closed (denied)" :
		       "open (allowed)");
		return 0;
	}
	rc = tzh_open();
	if (rc)
		pr_err("no TEE session (%d): decisions go on, no re-measurement\n",
		       rc);
	pr_info("ready: session %u, epoch %u, interest mask %#x, mode %s\n",
		tzh_session, READ_ONCE(tzh_epoch), READ_ONCE(tzh_secure_mask),
		tzh_mode() == TZU_MODE_ENFORCE ? "enforce" : "permissive");
	return 0;
}
late_initcall_sync(tzh_engine_init);

/**
 * tzh_state_show() - the status lines of securityfs
 * @buf: room for them
 * @size: its size
 *
 * Return: bytes written.
 */
int tzh_state_show(char *buf, size_t size)
{
	static const char * const phase[] = { "early", "ready", "unreachable" };
	unsigned long flags;
	u32 p = tzh_phase(), mask, epoch, marks;
	bool full;

	spin_lock_irqsave(&tzh_state_lock, flags);
	mask = tzh_secure_mask;
	epoch = tzh_epoch;
	spin_unlock_irqrestore(&tzh_state_lock, flags);
	marks = tzh_task_marks(&full);
	return scnprintf(buf, size,
			 "phase %s\nreachable %u\nmode %s\nsession %u\nepoch %u\ninterest_mask %#x\nlive_sessions %u\nrevoked_sessions %u\nkeys_locked %u\nexec_sessions %u\nexec_kills %u\ncache_epoch %u\ntask_marks %u\ntask_marks_full %u\nprobe_check %s\n",
			 phase[p], p == TZH_READY,
			 tzh_mode() == TZU_MODE_ENFORCE ? "enforce" : "permissive",
			 tzh_session, epoch, mask, tzh_sessions_live(),
			 tzh_sessions_revoked(), tzh_keys_locked(),
			 tzh_sessions_exec(), tzh_exec_kills(),
			 tzu_cache_epoch_global(), marks, full,
			 tzh_probe_check_state());
}
