/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tzu_private.h - state shared by the files of the tzucon TEE backend.
 */
#ifndef TZU_PRIVATE_H
#define TZU_PRIVATE_H

#include <linux/atomic.h>
#include <linux/idr.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/sched.h>
#include <linux/tee_drv.h>
#include <linux/types.h>
#include <tzucon/tz_driver.h>
#include <tzucon/tzucon_abi.h>

/*
 * Layout of the shared window (platform/zc702/memmap.h, docs/kernel.md
 * section 2): the per-CPU slots from 0,
 * then, from TZU_SHM_CMD_OFFSET, the driver's own request and response
 * buffers, then the pool that TEE_IOC_SHM_ALLOC and in-kernel clients
 * allocate from. The driver's buffers are never mapped into user space, so
 * a request cannot change after the driver checked it and a reply cannot
 * change while the driver parses it.
 */
#define TZU_DRV_REQ_OFF		TZU_SHM_CMD_OFFSET
#define TZU_DRV_REQ_CAP		(264u << 10) /* LOAD_POLICY: 256 KiB blob */
#define TZU_DRV_RSP_OFF		(TZU_DRV_REQ_OFF + TZU_DRV_REQ_CAP)
#define TZU_DRV_RSP_CAP		(16u << 10)
#define TZU_DRV_POOL_OFF	(TZU_DRV_RSP_OFF + TZU_DRV_RSP_CAP)
#define TZU_DRV_POOL_MIN	(64u << 10)

/* Sessions one TEE context (an open /dev/tee0 or kernel client) may hold. */
#define TZU_CTX_SESSIONS	4

/*
 * Ids of driver-local sessions (login PUBLIC: user space). They never reach
 * the secure world, whose client table only kernel clients use; a range
 * apart from small secure-world ids keeps both kinds distinct in one
 * context (a collision is refused when the session opens anyway).
 */
#define TZU_LOCAL_ID_MIN	0x40000000u
#define TZU_LOCAL_ID_MAX	0x7fffffffu

/**
 * struct tzu_integrity - the driver's side of kernel integrity (integrity.c)
 * @session:	the driver's own secure-world client session
 * @heartbeat_ms: heartbeat period, as the secure world last named it
 * @hb_seq:	last heartbeat sequence number (heartbeat thread only)
 * @errors:	integrity calls that failed in transport
 * @module_nb:	module load/unload notifier
 * @hb_task:	the heartbeat thread, "tzucon-hb"
 */
struct tzu_integrity {
	u32 session;
	u32 heartbeat_ms;
	u64 hb_seq;
	atomic64_t errors;
	struct notifier_block module_nb;
	struct task_struct *hb_task;
};

/**
 * struct tzu_drv - one secure monitor and its shared window
 * @dev:	the platform device
 * @teedev:	client device, /dev/tee0
 * @privdev:	privileged device, /dev/teepriv0
 * @pool:	shared-memory pool over the end of the window
 * @win:	the window, mapped write-back
 * @win_pa:	its physical address
 * @win_size:	its size in bytes
 * @nr_slots:	per-CPU decision slots the secure world serves
 * @call_lock:	one request and one response buffer: one yielding call
 *		at a time
 * @seq:	last event sequence number (monotonic for the normal world);
 *		also the heartbeat's decisions_sent: it counts every DECIDE
 *		right before its SMC
 * @local_ids:	ids of driver-local (user) sessions
 * @integrity:	registration, heartbeat, modules
 */
struct tzu_drv {
	struct device *dev;
	struct tee_device *teedev;
	struct tee_device *privdev;
	struct tee_shm_pool *pool;
	void *win;
	phys_addr_t win_pa;
	size_t win_size;
	u32 nr_slots;
	struct mutex call_lock; /* one yielding call at a time */
	atomic64_t seq;
	struct ida local_ids;
	struct tzu_integrity integrity;
};

/*
 * What the driver does with the client session a request names (the u32
 * right after the header, where the command has one):
 *  TZU_SESSION_UNCHECKED  the driver's own requests: sent as built;
 *  TZU_SESSION_OWN        a kernel client's secure-world session: the
 *                         request must name it or 0 ("none"), else -EACCES;
 *  TZU_SESSION_NONE       a user client (driver-local session): the driver
 *                         writes 0 into its private copy, so user clients
 *                         never act under a secure-world session.
 */
#define TZU_SESSION_UNCHECKED	0
#define TZU_SESSION_OWN		1
#define TZU_SESSION_NONE	2

/**
 * struct tzu_call - one yielding call, in and out
 * @cmd:	TZU_CMD_* (not DECIDE)
 * @req:	request message (may be shared memory a client can change)
 * @req_len:	its length
 * @rsp:	where the reply goes
 * @rsp_cap:	room at @rsp
 * @session_rule: TZU_SESSION_*
 * @session:	TZU_SESSION_OWN: the caller's secure-world session
 * @rsp_len:	[out] reply length
 * @status:	[out] the secure world's result, TZU_OK or TZU_E_*
 * @notice:	[out] state the reply revealed, for tzu_notify()
 */
struct tzu_call {
	u32 cmd;
	const void *req;
	size_t req_len;
	void *rsp;
	size_t rsp_cap;
	u32 session_rule;
	u32 session;
	size_t rsp_len;
	u32 status;
	struct tzu_notice notice;
};

int tzu_call(struct tzu_drv *drv, struct tzu_call *c);
long tzu_close_secure(struct tzu_drv *drv, u32 session);
void tzu_notify(const struct tzu_notice *notice);
void tzu_fill_hdr(struct tzu_hdr *hdr, u32 cmd, u32 size);

extern const struct tee_driver_ops tzu_tee_ops;

void tzu_fast_publish(struct tzu_drv *drv);

int tzu_integrity_start(struct tzu_drv *drv);

#endif /* TZU_PRIVATE_H */
