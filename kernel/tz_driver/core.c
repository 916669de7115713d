// SPDX-License-Identifier: GPL-2.0
/*
 * core.c - probe of the tzucon secure monitor: the device-tree node, the
 * SMCCC identity of the Trusted OS, the shared window, an ABI handshake,
 * then /dev/tee0 and /dev/teepriv0, the decision fast path, and the
 * kernel's integrity registration and heartbeat (integrity.c).
 *
 * The node (platform/zc702/mkdtb):
 *	firmware { tzucon { compatible = "tzucon,tz-monitor";
 *		method = "smc"; memory-region = <&tzucon_shm>; }; };
 * with tzucon_shm a no-map reserved-memory region. Further memory-region
 * entries (the secure carve-out) are claimed, not mapped.
 *
 * The driver registers at subsys_initcall_sync, as early as it can: the
 * TEE class exists from tee_init() (subsys_initcall), the /firmware
 * devices from of_platform_default_populate_init() (arch_initcall_sync),
 * and nothing it needs probes later. That is before rootfs_initcall, where
 * the initramfs is unpacked and user-mode helpers (/sbin/modprobe) are
 * enabled, so every event a user-space program can cause is decided by
 * the secure world (its boot policy until one is loaded). Before it, the
 * LSM denies events that could change the kernel (docs/kernel.md).
 */
#include <linux/arm-smccc.h>
#include <linux/idr.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/tee_drv.h>

#include "tzu_private.h"

static const struct tee_desc tzu_desc = {
	.name = "tzucon-clnt",
	.ops = &tzu_tee_ops,
	.owner = THIS_MODULE,
};

static const struct tee_desc tzu_priv_desc = {
	.name = "tzucon-priv",
	.ops = &tzu_tee_ops,
	.owner = THIS_MODULE,
	.flags = TEE_DESC_PRIVILEGED,
};

/* Is the Trusted OS behind SMC ours, in a revision we speak? */
static int tzu_check_smccc(struct device *dev)
{
	struct arm_smccc_res res;

	arm_smccc_smc(TZU_SMC_CALLS_UID, 0, 0, 0, 0, 0, 0, 0, &res);
	if (res.a0 != TZU_UID_0 || res.a1 != TZU_UID_1 ||
	    res.a2 != TZU_UID_2 || res.a3 != TZU_UID_3) {
		dev_err(dev, "Trusted OS UID %08lx-%08lx-%08lx-%08lx is not tzucon's\n",
			res.a0, res.a1, res.a2, res.a3);
		return -ENODEV;
	}
	arm_smccc_smc(TZU_SMC_CALLS_REVISION, 0, 0, 0, 0, 0, 0, 0, &res);
	if (res.a0 != TZU_REVISION_MAJOR) {
		dev_err(dev, "Trusted OS revision %lu.%lu, need %u.x\n",
			res.a0, res.a1, TZU_REVISION_MAJOR);
		return -ENODEV;
	}
	dev_info(dev, "Trusted OS tzucon, revision %lu.%lu\n", res.a0, res.a1);
	return 0;
}

/* The range of memory-region entry @i; -ENOENT if there is none. */
static int tzu_region(struct device *dev, int i, struct resource *res)
{
	struct device_node *np;
	int rc;

	np = of_parse_phandle(dev->of_node, "memory-region", i);
	if (!np)
		return -ENOENT;
	rc = of_address_to_resource(np, 0, res);
	of_node_put(np);
	if (rc)
		dev_err(dev, "memory-region %d: no address: %d\n", i, rc);
	return rc;
}

/*
 * Marks a range busy in iomem. With CONFIG_IO_STRICT_DEVMEM a busy range
 * is refused to /dev/mem (read, write and mmap): no-map reserved memory is
 * not "System RAM", so STRICT_DEVMEM alone would let root read it.
 */
static int tzu_claim(struct device *dev, const struct resource *res)
{
	if (!devm_request_mem_region(dev, res->start, resource_size(res),
				     dev_name(dev))) {
		dev_err(dev, "cannot claim %pR\n", res);
		return -EBUSY;
	}
	return 0;
}

/* Claims the secure carve-out(s) named after the window (entries 1..). */
static int tzu_claim_secure(struct device *dev)
{
	struct resource res;
	int i, rc;

	for (i = 1; ; i++) {
		rc = tzu_region(dev, i, &res);
		if (rc == -ENOENT)
			return 0;
		if (!rc)
			rc = tzu_claim(dev, &res);
		if (rc)
			return rc;
	}
}

/* Claims and maps the reserved window named by memory-region 0. */
static int tzu_map_window(struct tzu_drv *drv)
{
	struct resource res;
	int rc;

	rc = tzu_region(drv->dev, 0, &res);
	if (rc == -ENOENT)
		dev_err(drv->dev, "no memory-region\n");
	if (rc)
		return rc == -ENOENT ? -EINVAL : rc;
	drv->win_pa = res.start;
	drv->win_size = resource_size(&res);
	if (!PAGE_ALIGNED(drv->win_pa) || !PAGE_ALIGNED(drv->win_size) ||
	    drv->win_size < TZU_DRV_POOL_OFF + TZU_DRV_POOL_MIN) {
		dev_err(drv->dev, "window %pR: need page alignment and %u bytes\n",
			&res, TZU_DRV_POOL_OFF + TZU_DRV_POOL_MIN);
		return -EINVAL;
	}
	rc = tzu_claim(drv->dev, &res);
	if (rc)
		return rc;
	drv->win = devm_memremap(drv->dev, drv->win_pa, drv->win_size,
				 MEMREMAP_WB);
	if (IS_ERR(drv->win)) {
		dev_err(drv->dev, "cannot map window %pR\n", &res);
		return PTR_ERR(drv->win);
	}
	return 0;
}

/* GET_STATS under @session: its notice carries epoch, mask and mode. */
static int tzu_handshake_stats(struct tzu_drv *drv, u32 session,
			       struct tzu_notice *notice)
{
	struct tzu_session_req req = { .session = session };
	struct tzu_stats *st;
	struct tzu_call c = {
		.cmd = TZU_CMD_GET_STATS,
		.req = &req,
		.req_len = sizeof(req),
		.rsp_cap = sizeof(*st),
	};
	int rc;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	c.rsp = st;
	tzu_fill_hdr(&req.hdr, TZU_CMD_GET_STATS, sizeof(req));
	rc = tzu_call(drv, &c);
	if (!rc && c.status != TZU_OK) {
		dev_err(drv->dev, "GET_STATS refused: status %u\n", c.status);
		rc = -EIO;
	}
	if (!rc)
		*notice = c.notice;
	kfree(st);
	return rc;
}

/*
 * Opens one kernel session, reads the statistics, closes the session:
 * proves the yielding path works, learns the slot layout the fast path
 * relies on, and the state (@notices[0]: epoch and mask; @notices[1]:
 * mode) to announce once the fast path serves.
 */
static int tzu_handshake(struct tzu_drv *drv, struct tzu_notice *notices)
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
	long r;
	int rc;

	tzu_fill_hdr(&req.hdr, TZU_CMD_OPEN_SESSION, sizeof(req));
	rc = tzu_call(drv, &c);
	if (rc)
		return rc;
	if (c.status != TZU_OK) {
		dev_err(drv->dev, "OPEN_SESSION refused: status %u\n", c.status);
		return -EIO;
	}
	if (rsp.abi_version != TZU_ABI_VERSION ||
	    rsp.slot_size != TZU_SLOT_SIZE || !rsp.nr_slots ||
	    rsp.nr_slots > TZU_MAX_CPUS) {
		dev_err(drv->dev, "ABI %u, %u slots of %u bytes: not ours\n",
			rsp.abi_version, rsp.nr_slots, rsp.slot_size);
		rc = -EPROTO;
		goto out_close;
	}
	drv->nr_slots = rsp.nr_slots;
	notices[0] = c.notice;
	rc = tzu_handshake_stats(drv, rsp.session, &notices[1]);

out_close:
	r = tzu_close_secure(drv, rsp.session);
	if (r != TZU_OK) {
		dev_err(drv->dev, "CLOSE_SESSION failed: %ld\n", r);
		if (!rc)
			rc = r < 0 ? (int)r : -EIO;
	}
	return rc;
}

static int tzu_probe(struct platform_device *pdev)
{
	struct tzu_notice notices[2] = {};
	struct device *dev = &pdev->dev;
	struct tzu_drv *drv;
	const char *method;
	int rc;

	if (of_property_read_string(dev->of_node, "method", &method) ||
	    strcmp(method, "smc")) {
		dev_err(dev, "method must be \"smc\"\n");
		return -EINVAL;
	}
	drv = devm_kzalloc(dev, sizeof(*drv), GFP_KERNEL);
	if (!drv)
		return -ENOMEM;
	drv->dev = dev;
	mutex_init(&drv->call_lock);
	atomic64_set(&drv->seq, 0);
	ida_init(&drv->local_ids);

	rc = tzu_check_smccc(dev);
	if (rc)
		return rc;
	rc = tzu_map_window(drv);
	if (rc)
		return rc;
	rc = tzu_claim_secure(dev);
	if (rc)
		return rc;
	rc = tzu_handshake(drv, notices);
	if (rc)
		return rc;

	drv->pool = tee_shm_pool_alloc_res_mem((unsigned long)drv->win +
					       TZU_DRV_POOL_OFF,
					       drv->win_pa + TZU_DRV_POOL_OFF,
					       drv->win_size - TZU_DRV_POOL_OFF,
					       PAGE_SHIFT);
	if (IS_ERR(drv->pool))
		return PTR_ERR(drv->pool);

	drv->teedev = tee_device_alloc(&tzu_desc, dev, drv->pool, drv);
	if (IS_ERR(drv->teedev)) {
		rc = PTR_ERR(drv->teedev);
		goto out_pool;
	}
	drv->privdev = tee_device_alloc(&tzu_priv_desc, dev, drv->pool, drv);
	if (IS_ERR(drv->privdev)) {
		rc = PTR_ERR(drv->privdev);
		goto out_teedev;
	}
	rc = tee_device_register(drv->teedev);
	if (rc)
		goto out_privdev;
	rc = tee_device_register(drv->privdev);
	if (rc)
		goto out_privdev;

	platform_set_drvdata(pdev, drv);
	tzu_fast_publish(drv);
	/* Now that tzu_decide() serves: the state a cache must start from. */
	tzu_notify(&notices[0]);
	tzu_notify(&notices[1]);
	dev_info(dev, "window %pa+%#zx, %u decision slots, pool %zu KiB\n",
		 &drv->win_pa, drv->win_size, drv->nr_slots,
		 (drv->win_size - TZU_DRV_POOL_OFF) >> 10);
	/* Not fatal: a missing registration is the secure world's to judge. */
	tzu_integrity_start(drv);
	return 0;

out_privdev:
	tee_device_unregister(drv->privdev);
out_teedev:
	tee_device_unregister(drv->teedev);
out_pool:
	tee_shm_pool_free(drv->pool);
	return rc;
}

static int tzu_remove(struct platform_device *pdev)
{
	struct tzu_drv *drv = platform_get_drvdata(pdev);

	tzu_fast_publish(NULL);
	/* Fast-path callers run with interrupts off: wait them out. */
	synchronize_rcu();
	tee_device_unregister(drv->privdev);
	tee_device_unregister(drv->teedev);
	tee_shm_pool_free(drv->pool);
	return 0;
}

static const struct of_device_id tzu_of_match[] = {
	{ .compatible = TZU_DT_COMPATIBLE },
	{}
};
MODULE_DEVICE_TABLE(of, tzu_of_match);

static struct platform_driver tzu_driver = {
	.probe = tzu_probe,
	.remove = tzu_remove,
	.driver = {
		.name = "tzucon",
		.of_match_table = tzu_of_match,
		/* tz_hooks depends on this device for the system's lifetime */
		.suppress_bind_attrs = true,
		/* probed before tzu_driver_init() returns: see the top */
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
	},
};

/* Built in only (Kconfig): registered early, never unregistered. */
static int __init tzu_driver_init(void)
{
	return platform_driver_register(&tzu_driver);
}
subsys_initcall_sync(tzu_driver_init);

MODULE_DESCRIPTION("tzucon TrustZone usage-control monitor TEE backend");
MODULE_LICENSE("GPL");
