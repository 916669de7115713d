// SPDX-License-Identifier: GPL-2.0
/*
 * integrity.c - the kernel's side of the secure world's runtime kernel
 * measurement (docs/kernel.md, "Kernel integrity"): the first registration,
 * the heartbeat that proves the kernel still runs and still asks, and the
 * text and read-only data of every module while it is loaded.
 *
 * The driver holds one secure-world client session of its own for these
 * commands (TZU_CLIENT_KERNEL, never closed) and is their only sender: the
 * TEE ops refuse them to every TEE context (ops.c). None of them is
 * authority: the secure world measures memory itself against a manifest
 * signed at the kernel build; what is sent here can only make its state
 * worse when it is late, refused or missing.
 *
 * Heartbeat: a SCHED_FIFO kthread ("tzucon-hb") sends TZU_CMD_HEARTBEAT
 * every heartbeat_ms (the period the secure world asks for, in the
 * registration's reply and in every heartbeat reply) with seq 1, 2, ...,
 * TZU_HB_RUNNING once system_state is SYSTEM_RUNNING (mark_rodata_ro() has
 * made .data..ro_after_init final: the secure world seals it then), and the
 * counters: decisions_sent from the fast path, the LSM's own through
 * tzu_counters_register(). Revocations the secure world made on its own
 * (timer-driven re-measurement) come back in the reply and go to the
 * notifiers like any other (TZU_NOTICE_REVOKED).
 */
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "tzu_private.h"

/* Period until the secure world names one, and the bounds we accept. */
#define TZU_HB_DEFAULT_MS	50u
#define TZU_HB_MIN_MS		10u
#define TZU_HB_MAX_MS		10000u
/* Heartbeats sent back to back while the reply says "pending". */
#define TZU_HB_MAX_DRAIN	16u
/* Region entries the registration reply may carry (abi: 16 + modules). */
#define TZU_REG_RSP_REGIONS	32u

static void (*tzu_lsm_counters)(struct tzu_lsm_counters *c);

/**
 * tzu_counters_register() - name the function that fills the LSM's counters
 * @fn: called from the heartbeat thread (process context, may not sleep
 *	long) before every heartbeat; fills hook_events, decisions_local and
 *	errors
 *
 * May be called before the driver probes (the LSM registers at its init).
 * One registrant for the system's lifetime.
 *
 * Return: 0, -EINVAL if @fn is NULL, -EBUSY if one is registered already.
 */
int tzu_counters_register(void (*fn)(struct tzu_lsm_counters *c))
{
	if (!fn)
		return -EINVAL;
	return cmpxchg(&tzu_lsm_counters, NULL, fn) ? -EBUSY : 0;
}
EXPORT_SYMBOL_GPL(tzu_counters_register);

/* Opens the driver's own secure-world session. */
static int tzu_integrity_session(struct tzu_drv *drv)
{
	struct tzu_open_session_req req = { .client_kind = TZU_CLIENT_KERNEL };
	struct tzu_open_session_rsp rsp;
	struct tzu_call c = {
		.cmd = TZU_CMD_OPEN_SESSION,
		.req = &req,
		.req_len = sizeof(req),
		.rsp = &rsp,
		.rsp_cap = sizeof(rsp),
	};
	int rc;

	tzu_fill_hdr(&req.hdr, TZU_CMD_OPEN_SESSION, sizeof(req));
	rc = tzu_call(drv, &c);
	if (rc)
		return rc;
	if (c.status != TZU_OK || !rsp.session) {
		dev_err(drv->dev, "integrity: OPEN_SESSION refused: status %u\n",
			c.status);
		return -EIO;
	}
	drv->integrity.session = rsp.session;
	return 0;
}

/*
 * One line per region the registration did not find as expected; the
 * ro_after_init region has no digest and is baselined at the seal, later.
 */
static void tzu_report_regions(struct tzu_drv *drv,
			       const struct tzu_integrity_status *st,
			       size_t len)
{
	const struct tzu_integrity_region *r = (const void *)(st + 1);
	size_t n = (len - sizeof(*st)) / sizeof(*r);
	size_t i;

	n = min_t(size_t, n, st->n_regions);
	for (i = 0; i < n; i++) {
		if (r[i].flags & TZU_IRF_EXPECTED)
			continue;
		if (r[i].kind == TZU_IREG_RO_AFTER_INIT && !r[i].flags)
			continue;
		dev_warn(drv->dev,
			 "integrity: region %zu kind %u %#x+%#x \"%.*s\": flags %#x, first offset %#x\n",
			 i, r[i].kind, r[i].va, r[i].len,
			 (int)strnlen(r[i].name, sizeof(r[i].name)), r[i].name,
			 r[i].flags, r[i].first_offset);
	}
}

/* Clamps a period the secure world names; 0 keeps @cur. */
static u32 tzu_hb_period(u32 ms, u32 cur)
{
	return ms ? clamp_t(u32, ms, TZU_HB_MIN_MS, TZU_HB_MAX_MS) : cur;
}

/*
 * INTEGRITY_REGISTER. Return: 0 if the secure world answered (its verdict
 * is logged: a mismatch is its business, not a reason to stop), -EOPNOTSUPP
 * if it does not measure (then no heartbeat is owed), or a -errno.
 */
static int tzu_integrity_register(struct tzu_drv *drv)
{
	size_t cap = sizeof(struct tzu_integrity_status) +
		     TZU_REG_RSP_REGIONS * sizeof(struct tzu_integrity_region);
	struct tzu_session_req req = { .session = drv->integrity.session };
	struct tzu_integrity_status *st;
	struct tzu_call c = {
		.cmd = TZU_CMD_INTEGRITY_REGISTER,
		.req = &req,
		.req_len = sizeof(req),
		.rsp_cap = cap,
	};
	int rc;

	st = kzalloc(cap, GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	c.rsp = st;
	tzu_fill_hdr(&req.hdr, TZU_CMD_INTEGRITY_REGISTER, sizeof(req));
	rc = tzu_call(drv, &c);
	if (rc)
		goto out;
	if (c.status == TZU_E_BAD_COMMAND || c.status == TZU_E_NOT_SUPPORTED) {
		dev_info(drv->dev, "integrity: not measured by this secure world\n");
		rc = -EOPNOTSUPP;
		goto out;
	}
	if (c.status != TZU_OK) {
		dev_warn(drv->dev, "integrity: registration refused: status %u\n",
			 c.status);
		goto out;
	}
	drv->integrity.heartbeat_ms = tzu_hb_period(st->heartbeat_ms,
						    drv->integrity.heartbeat_ms);
	dev_info(drv->dev,
		 "integrity: registered: state %u flags %#x, %u regions, %llu bytes, heartbeat %u ms\n",
		 st->state, st->flags, st->n_regions, st->bytes_total,
		 drv->integrity.heartbeat_ms);
	tzu_report_regions(drv, st, c.rsp_len);
out:
	kfree(st);
	return rc;
}

/* One heartbeat; the reply's revocations go to the notifiers. */
static int tzu_heartbeat_once(struct tzu_drv *drv, struct tzu_heartbeat_rsp *rsp)
{
	struct tzu_integrity *in = &drv->integrity;
	struct tzu_lsm_counters lsm = {};
	struct tzu_heartbeat_req req = {};
	void (*fn)(struct tzu_lsm_counters *c) = READ_ONCE(tzu_lsm_counters);
	struct tzu_call c = {
		.cmd = TZU_CMD_HEARTBEAT,
		.req = &req,
		.req_len = sizeof(req),
		.rsp = rsp,
		.rsp_cap = sizeof(*rsp),
	};
	int rc;

	if (fn)
		fn(&lsm);
	tzu_fill_hdr(&req.hdr, TZU_CMD_HEARTBEAT, sizeof(req));
	req.session = in->session;
	req.seq = ++in->hb_seq;
	if (system_state == SYSTEM_RUNNING)
		req.flags |= TZU_HB_RUNNING;
	req.hook_events = lsm.hook_events;
	req.decisions_sent = atomic64_read(&drv->seq);
	req.decisions_local = lsm.decisions_local;
	req.cached_allowed = lsm.cached_allowed;
	req.cached_denied = lsm.cached_denied;
	req.errors = lsm.errors + atomic64_read(&in->errors);
	memset(rsp, 0, sizeof(*rsp));
	rc = tzu_call(drv, &c);
	if (rc)
		return rc;
	if (c.status != TZU_OK) {
		dev_warn_ratelimited(drv->dev, "integrity: heartbeat %llu: status %u\n",
				     req.seq, c.status);
		return -EIO;
	}
	in->heartbeat_ms = tzu_hb_period(rsp->heartbeat_ms, in->heartbeat_ms);
	tzu_notify(&c.notice);
	return 0;
}

static int tzu_heartbeat_thread(void *data)
{
	struct tzu_drv *drv = data;
	struct tzu_heartbeat_rsp *rsp;
	u32 n, ms;

	rsp = kzalloc(sizeof(*rsp), GFP_KERNEL);
	if (!rsp)
		return -ENOMEM;
	while (!kthread_should_stop()) {
		for (n = 0; n < TZU_HB_MAX_DRAIN; n++) {
			if (tzu_heartbeat_once(drv, rsp)) {
				atomic64_inc(&drv->integrity.errors);
				break;
			}
			if (!rsp->pending)
				break;
		}
		ms = READ_ONCE(drv->integrity.heartbeat_ms);
		schedule_timeout_interruptible(msecs_to_jiffies(ms));
	}
	kfree(rsp);
	return 0;
}

/* INTEGRITY_MODULE for @mod's core text and read-only data. */
static void tzu_module_send(struct tzu_drv *drv, const struct module *mod,
			    u32 op)
{
	struct tzu_integrity_module_req req = {};
	struct tzu_integrity_module_rsp rsp;
	struct tzu_call c = {
		.cmd = TZU_CMD_INTEGRITY_MODULE,
		.req = &req,
		.req_len = sizeof(req),
		.rsp = &rsp,
		.rsp_cap = sizeof(rsp),
	};
	int rc;

	tzu_fill_hdr(&req.hdr, TZU_CMD_INTEGRITY_MODULE, sizeof(req));
	req.session = drv->integrity.session;
	req.op = op;
	req.va = (u32)(unsigned long)mod->core_layout.base;
	req.len = mod->core_layout.ro_size;
	strscpy_pad(req.name, mod->name, sizeof(req.name));
	rc = tzu_call(drv, &c);
	if (rc) {
		atomic64_inc(&drv->integrity.errors);
		dev_warn(drv->dev, "integrity: module %s op %u: %d\n",
			 mod->name, op, rc);
	} else if (c.status != TZU_OK) {
		dev_warn(drv->dev, "integrity: module %s op %u %#x+%#x: status %u\n",
			 mod->name, op, req.va, req.len, c.status);
	}
}

static int tzu_module_event(struct notifier_block *nb, unsigned long state,
			    void *data)
{
	struct tzu_drv *drv = container_of(nb, struct tzu_drv, integrity.module_nb);
	struct module *mod = data;

	/*
	 * LIVE: init ran, text and rodata have been read-only since
	 * COMING. GOING also follows a failed init, after COMING: a DEL of a
	 * range never added is answered NOT_FOUND and logged, nothing more.
	 */
	if (state == MODULE_STATE_LIVE)
		tzu_module_send(drv, mod, TZU_KMOD_ADD);
	else if (state == MODULE_STATE_GOING)
		tzu_module_send(drv, mod, TZU_KMOD_DEL);
	return NOTIFY_OK;
}

/**
 * tzu_integrity_start() - register the kernel, start the heartbeat and
 * watch module loads
 * @drv: a probed monitor whose yielding path works
 *
 * Nothing here is fatal to the driver: decisions go on without it, and the
 * secure world degrades its integrity state when registration or heartbeat
 * is missing, which is the point.
 *
 * Return: 0 if registration and heartbeat run, -EOPNOTSUPP if the secure
 * world does not measure, or the -errno of the step that failed (logged).
 */
int tzu_integrity_start(struct tzu_drv *drv)
{
	struct tzu_integrity *in = &drv->integrity;
	struct task_struct *t;
	int rc;

	in->heartbeat_ms = TZU_HB_DEFAULT_MS;
	atomic64_set(&in->errors, 0);
	rc = tzu_integrity_session(drv);
	if (rc) {
		dev_err(drv->dev, "integrity: no session: %d\n", rc);
		return rc;
	}
	rc = tzu_integrity_register(drv);
	if (rc) {
		if (rc != -EOPNOTSUPP)
			dev_err(drv->dev, "integrity: registration failed: %d\n",
				rc);
		/* Nobody will speak under it: give the secure world its slot back. */
		tzu_close_secure(drv, in->session);
		in->session = 0;
		return rc;
	}
	in->module_nb.notifier_call = tzu_module_event;
	rc = register_module_notifier(&in->module_nb);
	if (rc) {
		dev_err(drv->dev, "integrity: no module notifier: %d\n", rc);
		return rc;
	}
	t = kthread_create(tzu_heartbeat_thread, drv, "tzucon-hb");
	if (IS_ERR(t)) {
		dev_err(drv->dev, "integrity: no heartbeat thread: %ld\n",
			PTR_ERR(t));
		return PTR_ERR(t);
	}
	/* A busy normal world must not starve it: a late heartbeat degrades. */
	sched_set_fifo(t);
	in->hb_task = t;
	wake_up_process(t);
	return 0;
}
