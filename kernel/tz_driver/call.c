// SPDX-License-Identifier: GPL-2.0
/*
 * call.c - yielding calls to the secure monitor through the driver's own
 * command buffers, reply validation, and notices of secure-world state.
 *
 * Register contract (abi/tzucon_abi.h): r0 = TZU_SMC_YIELD(cmd), r1/r2 =
 * request offset/length in the window, r3/r4 = response offset/capacity;
 * back: r0 = status, r1 = response length. The secure world writes a reply
 * header even for an error status; a reply without one is a transport
 * failure, not a result.
 */
#include <linux/arm-smccc.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/notifier.h>
#include <linux/string.h>

#include "tzu_private.h"

static BLOCKING_NOTIFIER_HEAD(tzu_chain);

/**
 * tzu_notifier_register() - be told of secure-world state in replies
 * @nb: called with action = TZU_CMD_* and data = const struct tzu_notice *,
 *	in process context, after the call that revealed the state finished
 *
 * Return: 0 (blocking_notifier_chain_register() cannot fail).
 */
int tzu_notifier_register(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&tzu_chain, nb);
}
EXPORT_SYMBOL_GPL(tzu_notifier_register);

/**
 * tzu_notifier_unregister() - undo tzu_notifier_register()
 * @nb: the block given to tzu_notifier_register()
 *
 * Return: 0, or -ENOENT if @nb was not registered.
 */
int tzu_notifier_unregister(struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&tzu_chain, nb);
}
EXPORT_SYMBOL_GPL(tzu_notifier_unregister);

/**
 * tzu_notify() - pass a notice to the registered notifiers
 * @notice: state read from a reply; nothing is sent if it holds none
 */
void tzu_notify(const struct tzu_notice *notice)
{
	if (notice->valid)
		blocking_notifier_call_chain(&tzu_chain, notice->command,
					     (void *)notice);
}

/**
 * tzu_fill_hdr() - header of a request the driver builds itself
 * @hdr: the header
 * @cmd: TZU_CMD_*
 * @size: whole message size
 */
void tzu_fill_hdr(struct tzu_hdr *hdr, u32 cmd, u32 size)
{
	hdr->magic = TZU_MAGIC;
	hdr->version = TZU_ABI_VERSION;
	hdr->command = cmd;
	hdr->size = size;
	hdr->status = 0;
}

/*
 * Every v2 command the driver forwards, with its smallest request (fixed
 * part: LOAD_POLICY's blob and GET_STATS's optional session follow it) and
 * smallest successful reply (READ_AUDIT: the fixed part). A new command in
 * the ABI fails the build here until it is added.
 */
static_assert(TZU_CMD_COUNT == 18, "tzu_req_min()/tzu_rsp_min() know every command");

/* Smallest request of each yielding command; 0: not a yielding command. */
static size_t tzu_req_min(u32 cmd)
{
	switch (cmd) {
	case TZU_CMD_OPEN_SESSION:
		return sizeof(struct tzu_open_session_req);
	case TZU_CMD_CLOSE_SESSION:
	case TZU_CMD_GET_CHALLENGE:
	case TZU_CMD_INTEGRITY_CHECK:
	case TZU_CMD_INTEGRITY_REGISTER:
	case TZU_CMD_INTEGRITY_STATUS:
		return sizeof(struct tzu_session_req);
	case TZU_CMD_LOAD_POLICY:
		return sizeof(struct tzu_load_policy_req);
	case TZU_CMD_SET_MODE:
		return sizeof(struct tzu_set_mode_req);
	case TZU_CMD_GET_STATS:
		return sizeof(struct tzu_hdr);
	case TZU_CMD_READ_AUDIT:
		return sizeof(struct tzu_read_audit_req);
	case TZU_CMD_UPDATE_ATTR:
		return sizeof(struct tzu_update_attr_req);
	case TZU_CMD_INTEGRITY_MODULE:
		return sizeof(struct tzu_integrity_module_req);
	case TZU_CMD_HEARTBEAT:
		return sizeof(struct tzu_heartbeat_req);
	case TZU_CMD_END_USAGE:
		return sizeof(struct tzu_end_usage_req);
	case TZU_CMD_GET_REPORT:
		return sizeof(struct tzu_report_req);
	case TZU_CMD_AUDIT_CONFIG:
		return sizeof(struct tzu_audit_config_req);
	default:
		return 0;
	}
}

/* Smallest successful reply of each command (READ_AUDIT: the fixed part). */
static size_t tzu_rsp_min(u32 cmd)
{
	switch (cmd) {
	case TZU_CMD_OPEN_SESSION:
		return sizeof(struct tzu_open_session_rsp);
	case TZU_CMD_LOAD_POLICY:
		return sizeof(struct tzu_load_policy_rsp);
	case TZU_CMD_GET_STATS:
		return sizeof(struct tzu_stats);
	case TZU_CMD_READ_AUDIT:
		return sizeof(struct tzu_read_audit_rsp);
	case TZU_CMD_UPDATE_ATTR:
		return sizeof(struct tzu_update_attr_rsp);
	case TZU_CMD_INTEGRITY_CHECK:
	case TZU_CMD_INTEGRITY_REGISTER:
	case TZU_CMD_INTEGRITY_STATUS:
		return sizeof(struct tzu_integrity_status);
	case TZU_CMD_INTEGRITY_MODULE:
		return sizeof(struct tzu_integrity_module_rsp);
	case TZU_CMD_HEARTBEAT:
		return sizeof(struct tzu_heartbeat_rsp);
	case TZU_CMD_GET_CHALLENGE:
		return sizeof(struct tzu_challenge_rsp);
	case TZU_CMD_GET_REPORT:
		return sizeof(struct tzu_report);
	default:	/* CLOSE_SESSION, SET_MODE, END_USAGE, AUDIT_CONFIG */
		return sizeof(struct tzu_hdr);
	}
}

/*
 * Offset of the client session a request names (right after the header),
 * or 0 if it names none: OPEN_SESSION has client_kind there, and a
 * GET_STATS may be a bare header.
 */
static size_t tzu_session_off(u32 cmd, size_t req_len)
{
	if (cmd == TZU_CMD_OPEN_SESSION ||
	    req_len < sizeof(struct tzu_hdr) + sizeof(u32))
		return 0;
	return sizeof(struct tzu_hdr);
}

/*
 * Applies @c->session_rule to the driver's private copy of the request.
 * Return: 0, or -EACCES if a kernel client names another's session.
 */
static int tzu_apply_session_rule(void *req, const struct tzu_call *c)
{
	size_t off = tzu_session_off(c->cmd, c->req_len);
	u32 session;

	if (!off || c->session_rule == TZU_SESSION_UNCHECKED)
		return 0;
	if (c->session_rule == TZU_SESSION_NONE) {
		/* args_sha256 of a tzu_auth starts after this field. */
		memset(req + off, 0, sizeof(session));
		return 0;
	}
	memcpy(&session, req + off, sizeof(session));
	return session && session != c->session ? -EACCES : 0;
}

/* Secure-world state in a successful reply, read from the driver's copy. */
static void tzu_read_notice(struct tzu_drv *drv, struct tzu_call *c)
{
	const void *rsp = drv->win + TZU_DRV_RSP_OFF;
	const void *req = drv->win + TZU_DRV_REQ_OFF;
	struct tzu_notice *n = &c->notice;

	memset(n, 0, sizeof(*n));
	n->command = c->cmd;
	switch (c->cmd) {
	case TZU_CMD_OPEN_SESSION: {
		struct tzu_open_session_rsp r;

		memcpy(&r, rsp, sizeof(r));
		n->valid = TZU_NOTICE_EPOCH_MASK;
		n->epoch = r.epoch;
		n->interest_mask = r.interest_mask;
		break;
	}
	case TZU_CMD_LOAD_POLICY: {
		struct tzu_load_policy_rsp r;

		memcpy(&r, rsp, sizeof(r));
		n->valid = TZU_NOTICE_EPOCH_MASK;
		n->epoch = r.epoch;
		n->interest_mask = r.interest_mask;
		break;
	}
	case TZU_CMD_SET_MODE: {
		struct tzu_set_mode_req q;

		memcpy(&q, req, sizeof(q));
		n->valid = TZU_NOTICE_MODE;
		n->mode = q.mode;
		break;
	}
	case TZU_CMD_GET_STATS: {
		struct tzu_stats s;

		memcpy(&s, rsp, sizeof(s));
		n->valid = TZU_NOTICE_EPOCH_MASK | TZU_NOTICE_MODE;
		n->epoch = s.epoch;
		n->interest_mask = s.interest_mask;
		n->mode = s.mode;
		break;
	}
	case TZU_CMD_UPDATE_ATTR: {
		struct tzu_update_attr_rsp r;

		memcpy(&r, rsp, sizeof(r));
		if (r.tgid) {
			n->valid = TZU_NOTICE_TASK_STATE;
			n->task_tgid = r.tgid;
		}
		if (!r.n_revoked)
			break;
		n->valid |= TZU_NOTICE_REVOKED;
		n->n_revoked = min_t(u32, r.n_revoked, TZU_MAX_REVOKE);
		n->revoke_reason = TZU_REVOKE_ONGOING;
		memcpy(n->revoked, r.revoked, sizeof(n->revoked));
		memcpy(n->revoked_tgid, r.revoked_tgid, sizeof(n->revoked_tgid));
		break;
	}
	case TZU_CMD_HEARTBEAT: {
		struct tzu_heartbeat_rsp r;

		memcpy(&r, rsp, sizeof(r));
		if (!r.n_revoked)
			break;
		n->valid = TZU_NOTICE_REVOKED;
		n->n_revoked = min_t(u32, r.n_revoked, TZU_MAX_REVOKE);
		n->revoke_reason = r.revoke_reason;
		memcpy(n->revoked, r.revoked, sizeof(n->revoked));
		memcpy(n->revoked_tgid, r.revoked_tgid, sizeof(n->revoked_tgid));
		break;
	}
	default:
		break;
	}
}

/* Checks the reply the secure world left in the response buffer. */
static int tzu_check_reply(struct tzu_drv *drv, struct tzu_call *c,
			   const struct arm_smccc_res *res, size_t cap)
{
	struct tzu_hdr h;
	size_t len = res->a1;

	if (len < sizeof(h) || len > cap) {
		dev_err_ratelimited(drv->dev,
				    "cmd %u: status %#lx with reply length %zu (room %zu)\n",
				    c->cmd, res->a0, len, cap);
		return -EPROTO;
	}
	memcpy(&h, drv->win + TZU_DRV_RSP_OFF, sizeof(h));
	if (h.magic != TZU_MAGIC || h.version != TZU_ABI_VERSION ||
	    h.command != c->cmd || h.size != len || h.status != res->a0) {
		dev_err_ratelimited(drv->dev,
				    "cmd %u: malformed reply header (magic %#x version %u command %u size %u status %#x, r0 %#lx r1 %#lx)\n",
				    c->cmd, h.magic, h.version, h.command, h.size,
				    h.status, res->a0, res->a1);
		return -EPROTO;
	}
	if (h.status == TZU_OK && len < tzu_rsp_min(c->cmd)) {
		dev_err_ratelimited(drv->dev, "cmd %u: reply of %zu bytes is short\n",
				    c->cmd, len);
		return -EPROTO;
	}
	if (h.status == TZU_OK && c->cmd == TZU_CMD_READ_AUDIT &&
	    (len - sizeof(struct tzu_read_audit_rsp)) %
	    sizeof(struct tzu_audit_record)) {
		dev_err_ratelimited(drv->dev, "READ_AUDIT: %zu bytes is no whole record count\n",
				    len);
		return -EPROTO;
	}
	c->status = h.status;
	c->rsp_len = len;
	return 0;
}

/**
 * tzu_call() - one yielding call to the secure world
 * @drv: the monitor
 * @c: the call; on success @c->status, @c->rsp_len and @c->notice are set
 *	and @c->rsp holds the whole reply (also for an error status)
 *
 * The request is copied into the driver's request buffer first and only
 * that copy is checked and handed to the secure world. Sleeps.
 *
 * The client session the request names is handled as @c->session_rule
 * says (TZU_SESSION_*), in that copy.
 *
 * Return: 0 if the secure world answered (its result is in @c->status), or
 * -EINVAL if @c->cmd is not a yielding command, the request is shorter than
 * the command's fixed part or @c->rsp_cap is shorter than a header,
 * -EMSGSIZE if the request exceeds the command buffer,
 * -EACCES if a kernel client's request names a session other than its own,
 * -EPROTO if the secure world's reply is malformed (transport failure).
 */
int tzu_call(struct tzu_drv *drv, struct tzu_call *c)
{
	void *req = drv->win + TZU_DRV_REQ_OFF;
	void *rsp = drv->win + TZU_DRV_RSP_OFF;
	struct arm_smccc_res res;
	size_t cap, min = tzu_req_min(c->cmd);
	int rc;

	if (!min || c->req_len < min || c->rsp_cap < sizeof(struct tzu_hdr))
		return -EINVAL;
	if (c->req_len > TZU_DRV_REQ_CAP)
		return -EMSGSIZE;
	cap = min_t(size_t, c->rsp_cap, TZU_DRV_RSP_CAP);

	mutex_lock(&drv->call_lock);
	memcpy(req, c->req, c->req_len);
	rc = tzu_apply_session_rule(req, c);
	if (rc)
		goto out_unlock;
	memset(rsp, 0, sizeof(struct tzu_hdr));
	arm_smccc_smc(TZU_SMC_YIELD(c->cmd), TZU_DRV_REQ_OFF, c->req_len,
		      TZU_DRV_RSP_OFF, cap, 0, 0, 0, &res);
	rc = tzu_check_reply(drv, c, &res, cap);
	if (rc)
		goto out_unlock;
	memcpy(c->rsp, rsp, c->rsp_len);
	if (c->status == TZU_OK)
		tzu_read_notice(drv, c);
	else
		memset(&c->notice, 0, sizeof(c->notice));
out_unlock:
	mutex_unlock(&drv->call_lock);
	return rc;
}
