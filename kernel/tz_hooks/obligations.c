// SPDX-License-Identifier: GPL-2.0
/*
 * obligations.c - what a decision asks the normal world to do: audit
 * (a structured, rate-limited kernel log line), kill the subject, revoke
 * usage sessions, re-measure the kernel, notify.
 *
 * Audit line, one per event, key=value, strings escaped:
 *   tz_hooks: audit hook=NAME verdict=allow|deny rule=ID epoch=E flags=0xF
 *     obl=0xO seq=S pid=P tgid=T uid=U euid=EU exe=DEV:INO comm="C"
 *     obj_id=I kind=K prot=0xP name="N" [reason=R err=E]
 * reason/err appear when the kernel decided alone (early, unreachable,
 * transport, status, revoked, untracked, toolong); flags/rule/epoch/seq
 * are then 0.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

#include "common.h"

/* At most 50 lines per 5 s: a denial storm must not flood the console. */
static DEFINE_RATELIMIT_STATE(tzh_audit_rs, 5 * HZ, 50);

/**
 * tzh_audit() - print one audit line
 * @ev: the event
 * @dec: the decision, or NULL if the kernel decided alone
 * @verdict: "allow" or "deny"
 * @reason: why the kernel decided alone, or NULL
 * @err: the error behind @reason (a -errno or a TZU_E_* status), or 0
 *
 * Context: any.
 */
void tzh_audit(const struct tzu_event *ev, const struct tzu_decision *dec,
	       const char *verdict, const char *reason, int err)
{
	const struct tzu_subject *s = &ev->subject;
	const struct tzu_object *o = &ev->object;
	char tail[48] = "";

	if (!__ratelimit(&tzh_audit_rs)) {
		tzh_count(TZH_C_AUDIT_DROPPED);
		return;
	}
	tzh_count(TZH_C_AUDIT);
	if (reason)
		scnprintf(tail, sizeof(tail), " reason=%s err=%d", reason, err);
	pr_info("audit hook=%s verdict=%s rule=%u epoch=%u flags=%#x obl=%#x seq=%llu pid=%u tgid=%u uid=%u euid=%u exe=%u:%llu comm=\"%*pE\" obj_id=%u kind=%u prot=%#x name=\"%*pE\"%s\n",
		tzh_hook_name(ev->hook), verdict, dec ? dec->rule_id : 0,
		dec ? dec->epoch : 0, dec ? dec->flags : 0,
		dec ? dec->obligations : 0, dec ? dec->seq : 0, s->pid,
		s->tgid, s->uid, s->euid, s->exe_dev, s->exe_ino,
		(int)strnlen(s->comm, sizeof(s->comm)), s->comm, o->id,
		o->kind, o->prot, (int)strnlen(o->name, sizeof(o->name)),
		o->name, tail);
}

/**
 * tzh_kill() - SIGKILL a process
 * @tgid: its id in the initial pid namespace
 *
 * Context: any.
 */
void tzh_kill(u32 tgid)
{
	struct pid *pid;

	rcu_read_lock();
	pid = find_pid_ns(tgid, &init_pid_ns);
	if (pid && !kill_pid(pid, SIGKILL, 1))
		tzh_count(TZH_C_KILLS);
	rcu_read_unlock();
}

/**
 * tzh_obligations() - carry out a decision's obligations
 * @ev: the decided event
 * @dec: its well-formed decision
 *
 * Context: any; work that sleeps (re-measurement) is deferred.
 */
void tzh_obligations(const struct tzu_event *ev, const struct tzu_decision *dec)
{
	u32 obl = dec->obligations;
	u32 i;

	if (obl & TZU_OBL_AUDIT)
		tzh_audit(ev, dec,
			  dec->verdict == TZU_VERDICT_ALLOW ? "allow" : "deny",
			  NULL, 0);
	if (obl & TZU_OBL_REVOKE)
		for (i = 0; i < dec->n_revoked; i++)
			tzh_session_revoked(dec->revoked[i],
					    dec->revoked_tgid[i],
					    dec->revoke_reason);
	/* Lifecycle events have no subject to kill: it is gone or none. */
	if ((obl & TZU_OBL_KILL) && ev->hook != TZU_HOOK_TASK_EXIT &&
	    ev->hook != TZU_HOOK_USAGE_END && ev->hook != TZU_HOOK_KEY_FREE &&
	    ev->subject.tgid)
		tzh_kill(ev->subject.tgid);
	if (obl & TZU_OBL_REMEASURE)
		tzh_request_remeasure();
	if ((obl & TZU_OBL_NOTIFY) && __ratelimit(&tzh_audit_rs))
		pr_info("notify code=%u rule=%u hook=%s pid=%u tgid=%u\n",
			dec->notify_code, dec->rule_id, tzh_hook_name(ev->hook),
			ev->subject.pid, ev->subject.tgid);
}
