// SPDX-License-Identifier: GPL-2.0
/*
 * ops.c - struct tee_driver_ops of the tzucon backend: contexts, sessions
 * and invocations, for /dev/tee0 users and in-kernel TEE clients alike.
 *
 * Contract (abi/tzucon_abi.h): open a session with TZU_TEE_UUID_BYTES and
 * login PUBLIC (user space) or REE_KERNEL (kernel only: the TEE core refuses
 * it from user space). A REE_KERNEL session is a secure-world client session
 * (TZU_CLIENT_KERNEL) and its id is the secure world's. A PUBLIC session is
 * driver-local: it has a driver-local id, costs the secure world nothing,
 * and its requests reach the secure world naming client session 0 ("none",
 * abi/tzucon_abi.h: authority comes from signatures, never from a session),
 * so user clients cannot exhaust the secure world's client table and lock
 * out the kernel or the owner. Invoke with func = TZU_CMD_*,
 * param[0] MEMREF_INPUT = request, param[1] MEMREF_OUTPUT = response
 * buffer. Two result levels, kept apart:
 *  - the ioctl/return value: the call could not be made or the reply was
 *    malformed (-errno, see tzu_call());
 *  - arg->ret = TEEC_SUCCESS once the secure world answered; its result is
 *    hdr.status in the response, whose length is returned in param[1].
 * INTEGRITY_REGISTER, INTEGRITY_MODULE and HEARTBEAT are the driver's own
 * (integrity.c): invoking them from any context fails with -EACCES.
 */
#include <linux/errno.h>
#include <linux/idr.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tee_drv.h>

#include "tzu_private.h"

/**
 * struct tzu_ctx_session - one session of a context
 * @id:		TEE session id, 0 = free entry
 * @secure:	a secure-world client session (else driver-local)
 */
struct tzu_ctx_session {
	u32 id;
	bool secure;
};

/**
 * struct tzu_ctx - per-context state (tee_context.data)
 * @lock:	protects @sessions
 * @sessions:	sessions this context opened
 */
struct tzu_ctx {
	struct mutex lock; /* protects sessions */
	struct tzu_ctx_session sessions[TZU_CTX_SESSIONS];
};

static struct tzu_drv *tzu_ctx_drv(struct tee_context *ctx)
{
	return tee_get_drvdata(ctx->teedev);
}

static void tzu_get_version(struct tee_device *teedev,
			    struct tee_ioctl_version_data *vers)
{
	struct tee_ioctl_version_data v = {
		.impl_id = TZU_TEE_IMPL_ID,
		.impl_caps = TZU_ABI_VERSION,
		.gen_caps = TEE_GEN_CAP_GP,
	};

	*vers = v;
}

static int tzu_open(struct tee_context *ctx)
{
	struct tzu_ctx *tc = kzalloc(sizeof(*tc), GFP_KERNEL);

	if (!tc)
		return -ENOMEM;
	mutex_init(&tc->lock);
	ctx->data = tc;
	return 0;
}

/* Finds @session in @tc; returns its index or -1. Caller holds tc->lock. */
static int tzu_ctx_find(struct tzu_ctx *tc, u32 session)
{
	int i;

	lockdep_assert_held(&tc->lock);
	for (i = 0; i < TZU_CTX_SESSIONS; i++)
		if (session && tc->sessions[i].id == session)
			return i;
	return -1;
}

/* Copies the entry of @session into @out; false if @tc does not own it. */
static bool tzu_ctx_get(struct tzu_ctx *tc, u32 session,
			struct tzu_ctx_session *out)
{
	int i;

	mutex_lock(&tc->lock);
	i = tzu_ctx_find(tc, session);
	if (i >= 0)
		*out = tc->sessions[i];
	mutex_unlock(&tc->lock);
	return i >= 0;
}

/**
 * tzu_close_secure() - close a client session in the secure world
 * @drv: the driver instance
 * @session: client session id from OPEN_SESSION
 *
 * Return: the secure world's status (TZU_OK or TZU_E_*), or a -errno from
 * tzu_call() when the call itself failed.
 */
long tzu_close_secure(struct tzu_drv *drv, u32 session)
{
	struct tzu_session_req req = { .session = session };
	struct tzu_hdr rsp;
	struct tzu_call c = {
		.cmd = TZU_CMD_CLOSE_SESSION,
		.req = &req,
		.req_len = sizeof(req),
		.rsp = &rsp,
		.rsp_cap = sizeof(rsp),
	};
	int rc;

	tzu_fill_hdr(&req.hdr, TZU_CMD_CLOSE_SESSION, sizeof(req));
	rc = tzu_call(drv, &c);
	return rc ? rc : c.status;
}

static void tzu_release(struct tee_context *ctx)
{
	struct tzu_ctx *tc = ctx->data;
	struct tzu_drv *drv = tzu_ctx_drv(ctx);
	long r;
	int i;

	if (!tc)
		return;
	for (i = 0; i < TZU_CTX_SESSIONS; i++) {
		const struct tzu_ctx_session *s = &tc->sessions[i];

		if (!s->id)
			continue;
		if (!s->secure) {
			ida_free(&drv->local_ids, s->id);
			continue;
		}
		r = tzu_close_secure(drv, s->id);
		if (r)
			dev_warn(drv->dev, "closing session %u at release: %ld\n",
				 s->id, r);
	}
	kfree(tc);
	ctx->data = NULL;
}

static bool tzu_params_none(const struct tee_param *param, u32 from, u32 n)
{
	for (; from < n; from++)
		if ((param[from].attr & TEE_IOCTL_PARAM_ATTR_TYPE_MASK) !=
		    TEE_IOCTL_PARAM_ATTR_TYPE_NONE)
			return false;
	return true;
}

/* TEEC result for a secure-world status that refused to open a session. */
static u32 tzu_open_result(u32 status)
{
	switch (status) {
	case TZU_E_LIMIT:
	case TZU_E_BUSY:
		return TZU_TEEC_ERROR_BUSY;
	case TZU_E_BAD_FIELD:
		return TZU_TEEC_ERROR_BAD_PARAMETERS;
	case TZU_E_NOT_SUPPORTED:
		return TZU_TEEC_ERROR_NOT_SUPPORTED;
	default:
		return TZU_TEEC_ERROR_GENERIC;
	}
}

/* A driver-local session for a user client. Caller holds tc->lock. */
static int tzu_open_local(struct tzu_drv *drv, struct tzu_ctx *tc, int slot,
			  struct tee_ioctl_open_session_arg *arg)
{
	int id;

	lockdep_assert_held(&tc->lock);
	id = ida_alloc_range(&drv->local_ids, TZU_LOCAL_ID_MIN,
			     TZU_LOCAL_ID_MAX, GFP_KERNEL);
	if (id < 0)
		return id;
	if (tzu_ctx_find(tc, id) >= 0) {
		/* a secure-world id of this context in the local range */
		ida_free(&drv->local_ids, id);
		arg->ret = TZU_TEEC_ERROR_BUSY;
		return 0;
	}
	tc->sessions[slot].id = id;
	tc->sessions[slot].secure = false;
	arg->session = id;
	arg->ret = TZU_TEEC_SUCCESS;
	arg->ret_origin = TZU_TEEC_ORIGIN_TEE;
	return 0;
}

/*
 * A secure-world client session for a kernel client. Caller holds
 * tc->lock; @c is the prepared OPEN_SESSION call.
 */
static int tzu_open_secure(struct tzu_drv *drv, struct tzu_ctx *tc, int slot,
			   struct tee_ioctl_open_session_arg *arg,
			   struct tzu_call *c)
{
	const struct tzu_open_session_rsp *rsp = c->rsp;
	int rc;

	lockdep_assert_held(&tc->lock);
	rc = tzu_call(drv, c);
	if (rc)
		return rc;
	arg->ret_origin = TZU_TEEC_ORIGIN_TRUSTED_APP;
	if (c->status != TZU_OK) {
		arg->ret = tzu_open_result(c->status);
		return 0;
	}
	if (!rsp->session || tzu_ctx_find(tc, rsp->session) >= 0) {
		dev_err_ratelimited(drv->dev, "OPEN_SESSION: bad session id %u\n",
				    rsp->session);
		if (rsp->session)
			tzu_close_secure(drv, rsp->session);
		return -EPROTO;
	}
	tc->sessions[slot].id = rsp->session;
	tc->sessions[slot].secure = true;
	arg->session = rsp->session;
	arg->ret = TZU_TEEC_SUCCESS;
	return 0;
}

static int tzu_open_session(struct tee_context *ctx,
			    struct tee_ioctl_open_session_arg *arg,
			    struct tee_param *param)
{
	static const u8 uuid[TEE_IOCTL_UUID_LEN] = { TZU_TEE_UUID_BYTES };
	struct tzu_ctx *tc = ctx->data;
	struct tzu_drv *drv = tzu_ctx_drv(ctx);
	struct tzu_open_session_req req = {
		.client_kind = TZU_CLIENT_KERNEL,
	};
	struct tzu_open_session_rsp rsp = {};
	struct tzu_call c = {
		.cmd = TZU_CMD_OPEN_SESSION,
		.req = &req,
		.req_len = sizeof(req),
		.rsp = &rsp,
		.rsp_cap = sizeof(rsp),
	};
	bool kernel;
	int rc, slot;

	arg->ret_origin = TZU_TEEC_ORIGIN_COMMS;
	if (memcmp(arg->uuid, uuid, sizeof(uuid))) {
		arg->ret = TZU_TEEC_ERROR_ITEM_NOT_FOUND;
		return 0;
	}
	if (!tzu_params_none(param, 0, arg->num_params)) {
		arg->ret = TZU_TEEC_ERROR_BAD_PARAMETERS;
		return 0;
	}
	/* The TEE core refuses REE_KERNEL logins from user space. */
	if (arg->clnt_login == TEE_IOCTL_LOGIN_REE_KERNEL) {
		kernel = true;
	} else if (arg->clnt_login == TEE_IOCTL_LOGIN_PUBLIC) {
		kernel = false;
	} else {
		arg->ret = TZU_TEEC_ERROR_NOT_SUPPORTED;
		return 0;
	}
	tzu_fill_hdr(&req.hdr, TZU_CMD_OPEN_SESSION, sizeof(req));

	mutex_lock(&tc->lock);
	for (slot = 0; slot < TZU_CTX_SESSIONS && tc->sessions[slot].id; slot++)
		;
	if (slot == TZU_CTX_SESSIONS) {
		arg->ret = TZU_TEEC_ERROR_BUSY;
		rc = 0;
	} else if (kernel) {
		rc = tzu_open_secure(drv, tc, slot, arg, &c);
	} else {
		rc = tzu_open_local(drv, tc, slot, arg);
	}
	mutex_unlock(&tc->lock);
	if (!rc)
		tzu_notify(&c.notice);
	return rc;
}

static int tzu_close_session(struct tee_context *ctx, u32 session)
{
	struct tzu_ctx *tc = ctx->data;
	struct tzu_drv *drv = tzu_ctx_drv(ctx);
	struct tzu_ctx_session s = {};
	long r;
	int i;

	mutex_lock(&tc->lock);
	i = tzu_ctx_find(tc, session);
	if (i >= 0) {
		s = tc->sessions[i];
		tc->sessions[i].id = 0;
	}
	mutex_unlock(&tc->lock);
	if (i < 0)
		return -EINVAL;
	if (!s.secure) {
		ida_free(&drv->local_ids, s.id);
		return 0;
	}
	r = tzu_close_secure(drv, session);
	if (r < 0)
		return r;
	if (r)
		dev_warn_ratelimited(drv->dev, "CLOSE_SESSION %u: status %ld\n",
				     session, r);
	return 0;
}

/* Commands a client may invoke; sessions and DECIDE have their own paths. */
static bool tzu_invokable(u32 func)
{
	switch (func) {
	case TZU_CMD_LOAD_POLICY:
	case TZU_CMD_SET_MODE:
	case TZU_CMD_GET_STATS:
	case TZU_CMD_READ_AUDIT:
	case TZU_CMD_UPDATE_ATTR:
	case TZU_CMD_INTEGRITY_CHECK:
	case TZU_CMD_END_USAGE:
	case TZU_CMD_GET_CHALLENGE:
	case TZU_CMD_GET_REPORT:
	case TZU_CMD_AUDIT_CONFIG:
	case TZU_CMD_INTEGRITY_STATUS:
		return true;
	default:
		return false;
	}
}

/*
 * Commands only the driver itself sends, under its own session
 * (integrity.c): a second registration, a forged module range or a
 * heartbeat from anyone else would speak for the kernel.
 */
static bool tzu_driver_only(u32 func)
{
	return func == TZU_CMD_INTEGRITY_REGISTER ||
	       func == TZU_CMD_INTEGRITY_MODULE || func == TZU_CMD_HEARTBEAT;
}

/* Kernel address of a memref of type @type, or NULL if it is not one. */
static void *tzu_memref(const struct tee_param *p, u64 type)
{
	const struct tee_param_memref *m = &p->u.memref;
	void *va;

	if ((p->attr & TEE_IOCTL_PARAM_ATTR_TYPE_MASK) != type || !m->shm)
		return NULL;
	/* In-kernel callers reach us without the core's range check. */
	va = tee_shm_get_va(m->shm, m->shm_offs);
	if (IS_ERR(va) || m->size > m->shm->size - m->shm_offs)
		return NULL;
	return va;
}

static int tzu_invoke_func(struct tee_context *ctx,
			   struct tee_ioctl_invoke_arg *arg,
			   struct tee_param *param)
{
	struct tzu_drv *drv = tzu_ctx_drv(ctx);
	struct tzu_ctx_session s;
	struct tzu_call c = {};
	void *in, *out;
	int rc;

	if (!tzu_ctx_get(ctx->data, arg->session, &s))
		return -EINVAL;
	if (tzu_driver_only(arg->func))
		return -EACCES;
	if (!tzu_invokable(arg->func))
		return -EOPNOTSUPP;
	if (arg->num_params < 2 || !tzu_params_none(param, 2, arg->num_params))
		return -EINVAL;
	in = tzu_memref(&param[0], TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT);
	out = tzu_memref(&param[1], TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT);
	if (!in || !out)
		return -EINVAL;

	c.cmd = arg->func;
	c.req = in;
	c.req_len = param[0].u.memref.size;
	c.rsp = out;
	c.rsp_cap = param[1].u.memref.size;
	c.session_rule = s.secure ? TZU_SESSION_OWN : TZU_SESSION_NONE;
	c.session = s.id;
	rc = tzu_call(drv, &c);
	if (rc)
		return rc;
	param[1].u.memref.size = c.rsp_len;
	arg->ret = TZU_TEEC_SUCCESS;
	arg->ret_origin = TZU_TEEC_ORIGIN_TRUSTED_APP;
	tzu_notify(&c.notice);
	return 0;
}

const struct tee_driver_ops tzu_tee_ops = {
	.get_version = tzu_get_version,
	.open = tzu_open,
	.release = tzu_release,
	.open_session = tzu_open_session,
	.close_session = tzu_close_session,
	.invoke_func = tzu_invoke_func,
};
