// SPDX-License-Identifier: GPL-2.0
/*
 * smcbench.c - where a decided event's time goes: times, in the loading
 * process, N back-to-back (a) empty fast calls the monitor answers at once
 * (SMCCC CALLS_COUNT, REVISION: world switch + entry + dispatch), (b)
 * tzu_decide() of prepared events: a hook outside the interest mask (the
 * secure world answers "filtered"), a file mprotect no rule matches (the
 * policy's default), the anonymous R -> RX of e2e_bench's mprotect_r_rx,
 * an audited deny (engine + hash-chained audit record). Under
 * QEMU -icount shift=0 one ns of the guest clock is one instruction, normal
 * and secure world together. Results in the kernel log, one line each:
 *   SMCBENCH <case> n=<iters> rounds=<r> median=<ns/call> min= max= status= flags=
 * Unload it (rmmod smcbench) afterwards; it holds nothing.
 */
#include <linux/arm-smccc.h>
#include <linux/cred.h>
#include <linux/irqflags.h>
#include <linux/math64.h>
#include <linux/ktime.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <tzucon/tz_driver.h>

#define SMCB_MAX_ROUNDS 15

static int iters = 1000;
module_param(iters, int, 0444);
MODULE_PARM_DESC(iters, "calls per round (audited case: iters / 50)");
static int rounds = 7;
module_param(rounds, int, 0444);
MODULE_PARM_DESC(rounds, "rounds; the median is reported");

struct smcb_case {
	const char *name;
	int (*call)(struct smcb_case *c);
	struct tzu_event ev;
	struct tzu_decision dec;
	int divisor;
};

static noinline int smcb_nothing(struct smcb_case *c)
{
	barrier();
	return 0;
}

static noinline int smcb_fast(struct smcb_case *c)
{
	struct arm_smccc_res res;

	arm_smccc_smc(c->ev.hook, 0, 0, 0, 0, 0, 0, 0, &res);
	c->dec.hdr.status = res.a0;
	return 0;
}

static noinline int smcb_decide(struct smcb_case *c)
{
	return tzu_decide(&c->ev, &c->dec);
}

static int smcb_cmp(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

/* Median ns per call over the rounds; interrupts off within a round. */
static void smcb_run(struct smcb_case *c)
{
	s64 t[SMCB_MAX_ROUNDS];
	int n = max(iters / c->divisor, 1), r, i, err = 0;
	unsigned long flags;

	for (r = 0; r < rounds; r++) {
		u64 t0;

		local_irq_save(flags);
		t0 = ktime_get_ns();
		for (i = 0; i < n; i++)
			err |= c->call(c);
		t[r] = div_u64(ktime_get_ns() - t0, n);
		local_irq_restore(flags);
		cond_resched();
	}
	sort(t, rounds, sizeof(t[0]), smcb_cmp, NULL);
	pr_info("SMCBENCH %s n=%d rounds=%d median=%lld min=%lld max=%lld err=%d status=0x%x verdict=%u flags=0x%x rule=%u obl=0x%x\n",
		c->name, n, rounds, t[rounds / 2], t[0], t[rounds - 1], err,
		c->dec.hdr.status, c->dec.verdict, c->dec.flags,
		c->dec.rule_id, c->dec.obligations);
}

/* current as the subject, like tz_hooks' tzh_event_init() (no executable). */
static void smcb_event(struct tzu_event *ev, u32 hook)
{
	const struct cred *cred = current_cred();

	memset(ev, 0, sizeof(*ev));
	ev->hook = hook;
	ev->subject.pid = task_pid_nr(current);
	ev->subject.tgid = task_tgid_nr(current);
	ev->subject.start_time = current->group_leader->start_boottime;
	ev->subject.uid = from_kuid(&init_user_ns, cred->uid);
	ev->subject.euid = from_kuid(&init_user_ns, cred->euid);
	ev->subject.gid = from_kgid(&init_user_ns, cred->gid);
	ev->subject.egid = from_kgid(&init_user_ns, cred->egid);
	strscpy_pad(ev->subject.comm, current->comm, sizeof(ev->subject.comm));
}

/* A page going R -> RX (@old_prot R) or RW -> RX (R|W); @flags: ANON or 0. */
static void smcb_mprotect(struct tzu_event *ev, u32 old_prot, u32 flags)
{
	smcb_event(ev, TZU_HOOK_FILE_MPROTECT);
	ev->flags = flags;
	if (!flags) {	/* a file mapping: some file's identity */
		ev->object.dev = 1;
		ev->object.ino = 2;
	}
	ev->object.addr = 0x40000000;
	ev->object.len = PAGE_SIZE;
	ev->object.prot = PROT_READ | PROT_EXEC;
	ev->object.old_prot = old_prot;
}

static struct smcb_case smcb_cases[] = {
	{ .name = "loop", .call = smcb_nothing, .divisor = 1 },
	{ .name = "smc_calls_count", .call = smcb_fast, .divisor = 1,
	  .ev.hook = TZU_SMC_CALLS_COUNT },
	{ .name = "smc_revision", .call = smcb_fast, .divisor = 1,
	  .ev.hook = TZU_SMC_CALLS_REVISION },
	{ .name = "decide_filtered", .call = smcb_decide, .divisor = 1 },
	{ .name = "decide_default", .call = smcb_decide, .divisor = 1 },
	{ .name = "decide_anon_rx", .call = smcb_decide, .divisor = 10 },
	{ .name = "decide_audited", .call = smcb_decide, .divisor = 50 },
};

static int __init smcb_init(void)
{
	int i;

	if (!tzu_available())
		return -ENODEV;
	rounds = clamp(rounds, 1, SMCB_MAX_ROUNDS);
	/* ptrace_access: no shipped policy has a rule for it. */
	smcb_event(&smcb_cases[3].ev, TZU_HOOK_PTRACE_ACCESS);
	/* A file mapping R -> RX: no shipped rule matches (default). */
	smcb_mprotect(&smcb_cases[4].ev, PROT_READ, 0);
	/* Anonymous R -> RX, the event of e2e_bench's mprotect_r_rx. */
	smcb_mprotect(&smcb_cases[5].ev, PROT_READ, TZU_EVF_ANON);
	/* no-wx-memory rule 20 (W -> X): deny, audited. */
	smcb_mprotect(&smcb_cases[6].ev, PROT_READ | PROT_WRITE, TZU_EVF_ANON);
	for (i = 0; i < ARRAY_SIZE(smcb_cases); i++)
		smcb_run(&smcb_cases[i]);
	return 0;
}

static void __exit smcb_exit(void)
{
}

module_init(smcb_init);
module_exit(smcb_exit);
MODULE_DESCRIPTION("tzucon benchmark: SMC and DECIDE cost from the kernel");
MODULE_LICENSE("GPL");
