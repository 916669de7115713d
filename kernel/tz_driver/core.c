// SPDX-License-Identifier: GPL-2.0
/*
 * core.c - probe of the tzucon secure monitor: the device-tree node, the
 * SMCCC identity of the Trusted OS, the shared window, an ABI handshake,
 * then /dev/tee0 and /dev/teepriv0 and the decision fast path.
 *
 * The node (platform/zc702/mkdtb):
 *	firmware { tzucon { compatible = "tzucon,tz-monitor";
 *		method = "smc"; memory-region = <&tzucon_shm>; }; };
 * with tzucon_shm a no-map reserved-memory region.
 */
#include <linux/arm-smccc.h>
#include <linux/io.h>
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

/* Maps the reserved window named by memory-region. */
static int tzu_map_window(struct tzu_drv *drv)
{
	struct device_node *np;
	struct resource res;
	int rc;

	np = of_parse_phandle(drv->dev->of_node, "memory-region", 0);
	if (!np) {
		dev_err(drv->dev, "no memory-region\n");
		return -EINVAL;
	}
	rc = of_address_to_resource(np, 0, &res);
	of_node_put(np);
	if (rc) {
		dev_err(drv->dev, "memory-region: no address: %d\n", rc);
		return rc;
	}
	drv->win_pa = res.start;
	drv->win_size = resource_size(&res);
	if (!PAGE_ALIGNED(drv->win_pa) || !PAGE_ALIGNED(drv->win_size) ||
	    drv->win_size < TZU_DRV_POOL_OFF + TZU_DRV_POOL_MIN) {
		dev_err(drv->dev, "window %pR: need page alignment and %u bytes\n",
			&res, TZU_DRV_POOL_OFF + TZU_DRV_POOL_MIN);
		return -EINVAL;
	}
	drv->win = devm_memremap(drv->dev, drv->win_pa, drv->win_size,
				 MEMREMAP_WB);
	if (IS_ERR(drv->win)) {
		dev_err(drv->dev, "cannot map window %pR\n", &res);
		return PTR_ERR(drv->win);
	}
	return 0;
}

/*
 * Opens and closes one kernel session: proves the yielding path works and
 * learns the slot layout the fast path relies on.
 */
static int tzu_handshake(struct tzu_drv *drv)
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
		return -EPROTO;
	}
	drv->nr_slots = rsp.nr_slots;

	r = tzu_close_secure(drv, rsp.session);
	if (r == TZU_OK)
		return 0;
	dev_err(drv->dev, "CLOSE_SESSION failed: %ld\n", r);
	return r < 0 ? (int)r : -EIO;
}

static int tzu_probe(struct platform_device *pdev)
{
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

	rc = tzu_check_smccc(dev);
	if (rc)
		return rc;
	rc = tzu_map_window(drv);
	if (rc)
		return rc;
	rc = tzu_handshake(drv);
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
	dev_info(dev, "window %pa+%#zx, %u decision slots, pool %zu KiB\n",
		 &drv->win_pa, drv->win_size, drv->nr_slots,
		 (drv->win_size - TZU_DRV_POOL_OFF) >> 10);
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
	},
};
module_platform_driver(tzu_driver);

MODULE_DESCRIPTION("tzucon TrustZone usage-control monitor TEE backend");
MODULE_LICENSE("GPL");
