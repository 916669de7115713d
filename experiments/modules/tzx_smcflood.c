// SPDX-License-Identifier: GPL-2.0
/*
 * tzx_smcflood - a kernel-level attacker flooding the secure world with
 * malformed and forged SMCs of its own (bypassing the TEE driver). One
 * trial per load; the results are read-only module parameters that the
 * guest wrapper (experiments/guest/tzx_kmod.c) reads before unloading:
 *   sent      SMCs issued
 *   accepted  malformed calls answered TZU_OK (must stay 0)
 *   errors    calls answered with an error status
 *   alive     1 if the secure world still answers CALLS_UID afterwards
 *   forged    INTEGRITY_* / CLOSE_SESSION calls answered TZU_OK
 *   detail    class 8: bits 0-3 = REGISTER, MODULE DEL, MODULE ADD,
 *             HEARTBEAT answered TZU_OK on the attacker's own kernel
 *             session; class 16: bit s-1 = session id s was closed
 * classes (bitmask) picks the attacks:
 *   1 random function ids and registers (never PSCI, OEN 4)
 *   2 DECIDE on this CPU's slot with a bad header (magic, version, size,
 *     command, hook, cpu field), and DECIDE naming slots that do not exist
 *   4 yielding calls with offsets/lengths outside or across the window
 *   8 fake INTEGRITY_*: a second INTEGRITY_REGISTER, INTEGRITY_MODULE
 *     DEL/ADD and HEARTBEATs with made-up counters, on a kernel client
 *     session the attacker opened itself and on guessed session ids
 *  16 CLOSE_SESSION of every guessed client session id (the driver's too)
 * resched=0 never yields the CPU while flooding (PREEMPT_NONE kernel): the
 * kernel's heartbeat starves, which the secure world must notice.
 */
#include <linux/arm-smccc.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <tzucon/tzucon_abi.h>

/* platform/zc702/memmap.h */
#define TZXF_SHM_BASE		0x3BF00000UL
#define TZXF_SHM_SIZE		0x00100000UL
#define TZXF_SCRATCH_OFF	0x000F0000UL	/* end of the TEE pool */
#define TZXF_RSP_OFF		(TZXF_SCRATCH_OFF + 0x4000)

static uint count = 2000;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "calls per class");
static uint classes = 7;
module_param(classes, uint, 0444);
static uint seed;
module_param(seed, uint, 0444);
static uint resched = 1;
module_param(resched, uint, 0444);
MODULE_PARM_DESC(resched, "0: never yield the CPU during the flood (starves the heartbeat)");
static uint sent, accepted, errors, alive, forged, detail;
module_param(sent, uint, 0444);
module_param(accepted, uint, 0444);
module_param(errors, uint, 0444);
module_param(alive, uint, 0444);
module_param(forged, uint, 0444);
module_param(detail, uint, 0444);

static u32 tzxf_rand(void)
{
	/* xorshift32: a reproducible sequence per seed */
	static u32 s = 2463534242u;

	if (seed) {
		s = seed;
		seed = 0;
	}
	s ^= s << 13;
	s ^= s >> 17;
	s ^= s << 5;
	return s;
}

static unsigned long tzxf_smc(u32 fid, u32 a1, u32 a2, u32 a3, u32 a4)
{
	struct arm_smccc_res res;

	arm_smccc_smc(fid, a1, a2, a3, a4, 0, 0, 0, &res);
	/*
	 * Let the kernel's heartbeat run: a flood that hogs the CPU for
	 * seconds degrades integrity by starving it (heartbeat lost), which
	 * would hide what the SMCs themselves do.
	 */
	if (++sent % 32 == 0 && resched)
		cond_resched();
	return res.a0;
}

/* A malformed call: anything but TZU_OK is the right answer. */
static void tzxf_bad(unsigned long st)
{
	if (st == TZU_OK)
		accepted++;
	else
		errors++;
}

static void tzxf_random_fids(void)
{
	u32 i, fid;

	for (i = 0; i < count; i++) {
		switch (i % 3) {
		case 0:
			fid = TZU_SMC_FAST_BASE | (tzxf_rand() & 0xffff);
			break;
		case 1:
			fid = TZU_SMC_YIELD_BASE | ((tzxf_rand() & 0xffff) | 0x100);
			break;
		default:
			fid = tzxf_rand();
			break;
		}
		/* PSCI (OEN 4) could switch a CPU or the system off */
		if (((fid >> 24) & 0x3f) == 4)
			fid ^= 0x01000000;
		if (fid == TZU_SMC_DECIDE)
			fid++;
		tzxf_bad(tzxf_smc(fid, tzxf_rand(), tzxf_rand(), tzxf_rand(),
				  tzxf_rand()));
	}
}

/* One DECIDE of a broken event in this CPU's slot, interrupts off as the driver does. */
static unsigned long tzxf_decide_bad(void *win, u32 variant)
{
	struct tzu_event *ev;
	unsigned long flags, st;
	unsigned int cpu;

	local_irq_save(flags);
	cpu = smp_processor_id();
	ev = win + cpu * TZU_SLOT_SIZE;
	memset(ev, 0, sizeof(*ev));
	ev->hdr.magic = TZU_MAGIC;
	ev->hdr.version = TZU_ABI_VERSION;
	ev->hdr.command = TZU_CMD_DECIDE;
	ev->hdr.size = sizeof(*ev);
	ev->hook = TZU_HOOK_DEVMEM_OPEN;
	ev->cpu = cpu;
	switch (variant % 7) {
	case 0:
		ev->hdr.magic = tzxf_rand() | 1;
		break;
	case 1:
		ev->hdr.version = 0x7fff;
		break;
	case 2:
		ev->hdr.size = sizeof(*ev) + 4096 + (tzxf_rand() & 0xffff);
		break;
	case 3:
		ev->hdr.command = TZU_CMD_SET_MODE;
		break;
	case 4:
		ev->hook = TZU_HOOK_COUNT + (tzxf_rand() & 0xff);
		break;
	case 5:
		ev->cpu = cpu + 1 + (tzxf_rand() & 7);
		break;
	default:
		ev->hdr.size = 3;
		break;
	}
	st = tzxf_smc(TZU_SMC_DECIDE, variant % 11 == 10 ? 64 + (tzxf_rand() & 0xff) : cpu,
		      tzxf_rand(), 0, 0);
	local_irq_restore(flags);
	return st;
}

static void tzxf_decide(void *win)
{
	u32 i;

	for (i = 0; i < count; i++)
		tzxf_bad(tzxf_decide_bad(win, i));
}

static void tzxf_offsets(void)
{
	static const u32 cmds[] = { TZU_CMD_SET_MODE, TZU_CMD_LOAD_POLICY,
				    TZU_CMD_UPDATE_ATTR, TZU_CMD_GET_STATS,
				    TZU_CMD_READ_AUDIT, TZU_CMD_INTEGRITY_MODULE };
	u32 i, off, len, rsp, cap;

	for (i = 0; i < count; i++) {
		u32 r = tzxf_rand();

		switch (i % 4) {
		case 0:	/* request past the end */
			off = TZXF_SHM_SIZE + (r & 0xfffff);
			len = 64;
			rsp = TZXF_RSP_OFF;
			cap = 256;
			break;
		case 1:	/* wraps around 2^32 */
			off = 0xffffff00u | (r & 0xf0);
			len = 0x200;
			rsp = TZXF_RSP_OFF;
			cap = 256;
			break;
		case 2:	/* response across the end */
			off = TZXF_SCRATCH_OFF;
			len = 64;
			rsp = TZXF_SHM_SIZE - 16;
			cap = 0x1000 + (r & 0xff);
			break;
		default:	/* request over the CPU slots, overlapping the response */
			off = 0;
			len = 0x10000 + (r & 0xffff);
			rsp = 0x100;
			cap = 0x1000;
			break;
		}
		tzxf_bad(tzxf_smc(TZU_SMC_YIELD(cmds[i % ARRAY_SIZE(cmds)]),
				  off, len, rsp, cap));
	}
}

static unsigned long tzxf_call(void *win, u32 cmd, const void *req, u32 len)
{
	memcpy(win + TZXF_SCRATCH_OFF, req, len);
	return tzxf_smc(TZU_SMC_YIELD(cmd), TZXF_SCRATCH_OFF, len,
			TZXF_RSP_OFF, 0x1000);
}

/* A forged but well-formed call: TZU_OK counts in forged (1), else in errors (0). */
static u32 tzxf_forged(unsigned long st)
{
	if (st == TZU_OK) {
		forged++;
		return 1;
	}
	errors++;
	return 0;
}

static void tzxf_hdr(struct tzu_hdr *h, u32 cmd, u32 size)
{
	memset(h, 0, sizeof(*h));
	h->magic = TZU_MAGIC;
	h->version = TZU_ABI_VERSION;
	h->command = cmd;
	h->size = size;
}

static u32 tzxf_own_kernel_session(void *win)
{
	struct tzu_open_session_req o;
	struct tzu_open_session_rsp *r = win + TZXF_RSP_OFF;

	tzxf_hdr(&o.hdr, TZU_CMD_OPEN_SESSION, sizeof(o));
	o.client_kind = TZU_CLIENT_KERNEL;
	o.pad0 = 0;
	if (tzxf_call(win, TZU_CMD_OPEN_SESSION, &o, sizeof(o)) != TZU_OK)
		return 0;
	return r->session;
}

/* Fake integrity commands on session @s; a bitmask of those answered TZU_OK. */
static u32 tzxf_integrity_on(void *win, u32 s)
{
	u32 ok = 0;

	struct tzu_session_req reg;
	struct tzu_integrity_module_req mod;
	struct tzu_heartbeat_req hb;

	tzxf_hdr(&reg.hdr, TZU_CMD_INTEGRITY_REGISTER, sizeof(reg));
	reg.session = s;
	reg.pad0 = 0;
	ok |= tzxf_forged(tzxf_call(win, TZU_CMD_INTEGRITY_REGISTER, &reg, sizeof(reg)));

	memset(&mod, 0, sizeof(mod));
	tzxf_hdr(&mod.hdr, TZU_CMD_INTEGRITY_MODULE, sizeof(mod));
	mod.session = s;
	mod.op = TZU_KMOD_DEL;
	strscpy(mod.name, "text", sizeof(mod.name));
	ok |= 2 * tzxf_forged(tzxf_call(win, TZU_CMD_INTEGRITY_MODULE, &mod, sizeof(mod)));
	mod.op = TZU_KMOD_ADD;
	mod.va = 0xbf000000u;
	mod.len = 0x1000;
	strscpy(mod.name, "tzx_fake", sizeof(mod.name));
	ok |= 4 * tzxf_forged(tzxf_call(win, TZU_CMD_INTEGRITY_MODULE, &mod, sizeof(mod)));

	memset(&hb, 0, sizeof(hb));
	tzxf_hdr(&hb.hdr, TZU_CMD_HEARTBEAT, sizeof(hb));
	hb.session = s;
	hb.flags = TZU_HB_RUNNING;
	hb.seq = 1;
	ok |= 8 * tzxf_forged(tzxf_call(win, TZU_CMD_HEARTBEAT, &hb, sizeof(hb)));
	return ok;
}

static void tzxf_integrity(void *win)
{
	u32 s, own = tzxf_own_kernel_session(win);

	if (own)
		detail = tzxf_integrity_on(win, own);
	for (s = 1; s <= 8; s++)
		if (s != own)
			tzxf_integrity_on(win, s);
}

static void tzxf_close(void *win)
{
	struct tzu_session_req c;
	u32 s;

	tzxf_hdr(&c.hdr, TZU_CMD_CLOSE_SESSION, sizeof(c));
	c.pad0 = 0;
	for (s = 1; s <= 32; s++) {
		c.session = s;
		if (tzxf_forged(tzxf_call(win, TZU_CMD_CLOSE_SESSION, &c, sizeof(c))))
			detail |= 1u << (s - 1);
	}
}

static int __init tzxf_init(void)
{
	void *win = memremap(TZXF_SHM_BASE, TZXF_SHM_SIZE, MEMREMAP_WB);
	struct arm_smccc_res res;

	if (!win)
		return -ENOMEM;
	if (classes & 1)
		tzxf_random_fids();
	if (classes & 2)
		tzxf_decide(win);
	if (classes & 4)
		tzxf_offsets();
	if (classes & 8)
		tzxf_integrity(win);
	if (classes & 16)
		tzxf_close(win);
	memunmap(win);
	arm_smccc_smc(TZU_SMC_CALLS_UID, 0, 0, 0, 0, 0, 0, 0, &res);
	alive = res.a0 == TZU_UID_0 && res.a1 == TZU_UID_1;
	pr_info("tzx_smcflood: classes=%u sent=%u accepted=%u errors=%u forged=%u detail=%#x alive=%u\n",
		classes, sent, accepted, errors, forged, detail, alive);
	return 0;
}

static void __exit tzxf_exit(void)
{
}

module_init(tzxf_init);
module_exit(tzxf_exit);
MODULE_DESCRIPTION("tzucon experiments: kernel-level SMC flood (attack scenario)");
MODULE_LICENSE("GPL");
