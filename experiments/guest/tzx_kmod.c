// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* tzx_kmod - loads one attack module (experiments/modules), judges its trial from outside, unloads it. */
#include <sys/syscall.h>

#include "tzx.h"

/*
 *   tzx_kmod --module PATH.ko --name NAME --check smcflood|carveout
 *            [--params "k=v ..."] [--settle-ms MS] [--id ID] [--trial N]
 * The module runs its attack in its init and leaves its results in
 * /sys/module/NAME/parameters/; this wrapper reads them, asks the secure
 * world (GET_STATS through /dev/tee0) before and after, and prints the
 * TZX line.
 * smcflood: effect=1 if the secure world stopped answering, or its mode or
 *   policy (epoch, version) changed or its integrity state got better, or
 *   malformed calls were accepted, or hook events that were decided before
 *   the load (not under lsm=capability) stopped being decided. Otherwise
 *   denied=1 (the calls were refused) and the note gives the rejects, how
 *   many stats.errors counted, the forged calls answered TZU_OK and the
 *   integrity state before and after (worse = the secure world noticed;
 *   "after" is read --settle-ms, default 1000, after the module's init).
 * carveout: effect=1 if the module read back its write to the secure
 *   carve-out (it does on QEMU: note=emulator_no_tzasc).
 * A refused module load (the module allowlist) is denied=1.
 */
static unsigned long param(const char *name, const char *p)
{
	char path[160], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", name, p);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		tzx_error("open %s", path);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		tzx_error("read %s", path);
	buf[n] = 0;
	return strtoul(buf, NULL, 0);
}

/* GET_STATS, a few tries: a secure world that hangs for seconds is an effect too. */
static int stats_retry(struct tzu_stats *st)
{
	int i;

	for (i = 0; i < 5; i++) {
		if (!tzx_stats_once(st))
			return 0;
		sleep(1);
	}
	return -1;
}

/* 1 if a probe hook event is decided by the secure world now (see tzx.h). */
static int hooks_decided(void)
{
	struct tzx_tee q;
	int decided;

	if (tzx_tee_open(&q))
		tzx_error("tee session for the probe");
	decided = tzx_probe_decided(&q);
	close(q.fd);
	return decided == 1;
}

/* TZU_INTEGRITY_* ranked: OK < UNKNOWN < DEGRADED < VIOLATED. */
static int badness(uint32_t st)
{
	switch (st) {
	case TZU_INTEGRITY_OK:
		return 0;
	case TZU_INTEGRITY_UNKNOWN:
		return 1;
	case TZU_INTEGRITY_DEGRADED:
		return 2;
	default:
		return 3;
	}
}

/*
 * The attacker wins if the secure world goes silent, its mode or policy
 * changes, its integrity state gets better (a cleared violation), a
 * malformed call is accepted, or decided hooks stop being decided. A worse
 * integrity state is the secure world noticing (the harness judges
 * detection from `policyctl integrity status`): in the note, not an effect.
 */
static unsigned int settle_ms = 1000;

static void judge_smcflood(const char *name, const struct tzu_stats *a,
			   int decided_before, uint64_t t)
{
	unsigned long accepted = param(name, "accepted"), errs = param(name, "errors");
	unsigned long alive = param(name, "alive"), forged = param(name, "forged");
	unsigned long detail = param(name, "detail");
	struct tzu_stats b;
	char note[160];

	/* give the secure world a few heartbeat periods to notice */
	usleep(settle_ms * 1000);
	if (!alive || stats_retry(&b)) {
		tzx_result(1, 0, 0, t, "secure_world_silent");
		return;
	}
	if (b.mode != a->mode || b.epoch != a->epoch ||
	    b.policy_version != a->policy_version ||
	    badness(b.integrity_state) < badness(a->integrity_state)) {
		snprintf(note, sizeof(note), "state_changed_mode%u_%u_epoch%u_%u_integrity%u_%u",
			 a->mode, b.mode, a->epoch, b.epoch, a->integrity_state,
			 b.integrity_state);
		tzx_result(1, 0, 0, t, note);
		return;
	}
	if (accepted) {
		snprintf(note, sizeof(note), "malformed_accepted_%lu", accepted);
		tzx_result(1, 0, 0, t, note);
		return;
	}
	/* under lsm=capability nothing is decided before either */
	if (decided_before && !hooks_decided()) {
		tzx_result(1, 0, 0, t, "hooks_undecided_after");
		return;
	}
	snprintf(note, sizeof(note), "rejected_%lu_counted_%llu_forged_ok_%lu_detail_%#lx_integrity_%u_%u",
		 errs, (unsigned long long)(b.errors - a->errors), forged, detail,
		 a->integrity_state, b.integrity_state);
	tzx_result(0, errs > 0, errs > 0 ? EACCES : 0, t, note);
}

int main(int argc, char **argv)
{
	const char *path = tzx_opt(argc, argv, "--module", NULL);
	const char *name = tzx_opt(argc, argv, "--name", NULL);
	const char *check = tzx_opt(argc, argv, "--check", "");
	const char *params = tzx_opt(argc, argv, "--params", "");
	struct tzu_stats before;
	int decided_before = 0;
	char id[64];
	uint64_t t;
	long rc;
	int fd, err;

	settle_ms = atoi(tzx_opt(argc, argv, "--settle-ms", "1000"));
	snprintf(id, sizeof(id), "kmod-%s", check);
	tzx_init(argc, argv, id);
	if (!path || !name || (strcmp(check, "smcflood") && strcmp(check, "carveout")))
		tzx_error("usage: --module PATH --name NAME --check smcflood|carveout");
	if (!strcmp(check, "smcflood")) {
		decided_before = hooks_decided();
		if (tzx_stats_once(&before))
			tzx_error("GET_STATS before the attack");
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		tzx_error("open %s", path);
	rc = syscall(__NR_finit_module, fd, params, 0);
	err = errno;
	t = tzx_now_ns();
	close(fd);
	if (rc) {
		tzx_result(0, tzx_is_denial(err), err, t, "module_refused");
		return 0;
	}
	if (!strcmp(check, "carveout")) {
		int wrote = param(name, "wrote") == 1;

		tzx_result(wrote, 0, 0, t, wrote ? "emulator_no_tzasc" :
			   param(name, "mapped") ? "write_not_read_back" : "not_mapped");
	} else {
		judge_smcflood(name, &before, decided_before, t);
	}
	if (syscall(__NR_delete_module, name, O_NONBLOCK))
		tzx_error("unload %s", name);
	return 0;
}
