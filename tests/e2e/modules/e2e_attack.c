// SPDX-License-Identifier: GPL-2.0
/*
 * e2e_attack - a kernel-level attacker (loaded as root, allow-listed by the
 * e2e test policy on purpose): it talks to the secure world with SMCs of
 * its own, bypassing the TEE driver, and writes the secure carve-out.
 * Each attempt prints one "e2e_attack: E2E <case> ..." line; the guest
 * script copies them from the kernel log into the e2e result stream.
 *
 * What must hold: forged or malformed SMCs get an error status and change
 * nothing (mode stays enforce: the script checks afterwards); user-kind
 * client sessions cannot take the kernel's reserved entries. What the
 * emulator cannot hold: QEMU does not model TZ_DDR_RAM, so the write to the
 * carve-out succeeds (docs/threat-model.md); the line says so.
 */
#include <linux/arm-smccc.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <tzucon/tzucon_abi.h>

/* platform/zc702/memmap.h: window, and an unused part of the carve-out. */
#define E2EA_SHM_BASE		0x3BF00000UL
#define E2EA_SHM_SIZE		0x00100000UL
#define E2EA_SCRATCH_OFF	0x000F0000UL	/* end of the TEE pool */
#define E2EA_CARVEOUT_SPARE	0x3F000000UL	/* reserved, unused secure RAM */
#define E2EA_FLOOD		2000

static void e2ea_line(const char *c, bool ok, const char *fmt, u32 v)
{
	pr_info("e2e_attack: E2E %s %s errno=0 pid=0 %s=%u\n", c,
		ok ? "ok" : "fail", fmt, v);
}

static unsigned long e2ea_smc(u32 fid, u32 a1, u32 a2, u32 a3, u32 a4)
{
	struct arm_smccc_res res;

	arm_smccc_smc(fid, a1, a2, a3, a4, 0, 0, 0, &res);
	return res.a0;
}

static void e2ea_hdr(struct tzu_hdr *h, u32 cmd, u32 size)
{
	memset(h, 0, sizeof(*h));
	h->magic = TZU_MAGIC;
	h->version = TZU_ABI_VERSION;
	h->command = cmd;
	h->size = size;
}

/* A yielding call with its request at the scratch offset of the window. */
static u32 e2ea_call(void *win, u32 cmd, const void *req, u32 len)
{
	u32 rsp = E2EA_SCRATCH_OFF + 0x4000;

	memcpy(win + E2EA_SCRATCH_OFF, req, len);
	return e2ea_smc(TZU_SMC_YIELD(cmd), E2EA_SCRATCH_OFF, len, rsp, 0x1000);
}

static void e2ea_forged_commands(void *win)
{
	struct tzu_set_mode_req mode;
	struct tzu_update_attr_req attr;
	struct tzu_open_session_req open;
	u32 i, st, users = 0;

	e2ea_hdr(&mode.hdr, TZU_CMD_SET_MODE, sizeof(mode));
	mode.session = 0;
	mode.mode = TZU_MODE_PERMISSIVE;
	memset(&mode.auth, 0, sizeof(mode.auth));
	st = e2ea_call(win, TZU_CMD_SET_MODE, &mode, sizeof(mode));
	e2ea_line("kmod.set_mode", st == TZU_OK, "status", st);

	memset(&attr, 0, sizeof(attr));
	e2ea_hdr(&attr.hdr, TZU_CMD_UPDATE_ATTR, sizeof(attr));
	attr.op = TZU_ATTR_OP_SET;
	attr.value = 1;
	strscpy(attr.name, "integrity_state", sizeof(attr.name));
	st = e2ea_call(win, TZU_CMD_UPDATE_ATTR, &attr, sizeof(attr));
	e2ea_line("kmod.attr", st == TZU_OK, "status", st);

	/* User-kind sessions: the kernel's reserved entries stay free. */
	e2ea_hdr(&open.hdr, TZU_CMD_OPEN_SESSION, sizeof(open));
	open.client_kind = TZU_CLIENT_USER;
	open.pad0 = 0;
	for (i = 0; i < 20; i++)
		if (e2ea_call(win, TZU_CMD_OPEN_SESSION, &open, sizeof(open)) == TZU_OK)
			users++;
	e2ea_line("kmod.user_sessions", true, "opened", users);
	open.client_kind = TZU_CLIENT_KERNEL;
	st = e2ea_call(win, TZU_CMD_OPEN_SESSION, &open, sizeof(open));
	e2ea_line("kmod.kernel_session", st == TZU_OK, "status", st);
}

static void e2ea_malformed(void)
{
	u32 i, errors = 0, ok = 0;

	for (i = 0; i < E2EA_FLOOD; i++) {
		/*
		 * unknown fast call, the slot of another CPU (the other
		 * core's, or one past TZU_MAX_CPUS; never this CPU's:
		 * preemption is off until the calls are made), request in a
		 * CPU slot
		 */
		u32 cpu = get_cpu();
		u32 st[3] = {
			e2ea_smc(TZU_SMC_FAST_BASE | 0x77, i, i, i, i),
			e2ea_smc(TZU_SMC_DECIDE, (cpu + 1 + i % 7) % 8, 0, 0, 0),
			e2ea_smc(TZU_SMC_YIELD(TZU_CMD_SET_MODE), 0, 64, 2048, 64),
		};
		int k;

		put_cpu();
		for (k = 0; k < 3; k++)
			st[k] == TZU_OK ? ok++ : errors++;
		/* PREEMPT_NONE: let the heartbeat thread of this CPU run. */
		if (i % 64 == 63)
			cond_resched();
	}
	e2ea_line("kmod.flood", ok == 0, "errors", errors);
}

static void e2ea_carveout(void)
{
	u32 *p = memremap(E2EA_CARVEOUT_SPARE, PAGE_SIZE, MEMREMAP_WB);
	bool wrote;

	if (!p) {
		e2ea_line("kmod.carveout_write", false, "mapped", 0);
		return;
	}
	p[0] = 0x5a5a1234;
	wrote = READ_ONCE(p[0]) == 0x5a5a1234;
	memunmap(p);
	/* Succeeds on QEMU (no TZ_DDR_RAM model); faults on a real ZC702. */
	pr_info("e2e_attack: EMULATOR-LIMIT carve-out %s from the normal world\n",
		wrote ? "writable" : "not writable");
	e2ea_line("kmod.carveout_write", wrote, "emulator_limit", 1);
}

static int __init e2ea_init(void)
{
	void *win = memremap(E2EA_SHM_BASE, E2EA_SHM_SIZE, MEMREMAP_WB);

	if (!win) {
		pr_err("e2e_attack: cannot map the shared window\n");
		return -ENOMEM;
	}
	e2ea_forged_commands(win);
	memunmap(win);
	e2ea_malformed();
	e2ea_carveout();
	return 0;
}

static void __exit e2ea_exit(void)
{
}

module_init(e2ea_init);
module_exit(e2ea_exit);
MODULE_DESCRIPTION("tzucon e2e: kernel-level attacker issuing forged SMCs");
MODULE_LICENSE("GPL");
