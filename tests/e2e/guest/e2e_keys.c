// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* e2e_keys - kernel keyring use: per-subject quota, foreign keys, revoked key sessions. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "e2e.h"

/* Built twice (-DE2E_FLAVOR=owner/other): a key's owner and a stranger. */
#ifndef E2E_FLAVOR
#define E2E_FLAVOR "keys"
#endif
const char e2e_flavor[] __attribute__((used)) = "e2e_keys flavor " E2E_FLAVOR;

/* From <linux/keyctl.h>; raw syscalls so no libkeyutils is needed. */
#define E2E_KEY_SPEC_SESSION_KEYRING	(-3)
#define E2E_KEYCTL_JOIN_SESSION_KEYRING	1
#define E2E_KEYCTL_READ			11

static const char payload[] = "tzucon-e2e-secret";

static long add_user_key(const char *desc)
{
	return syscall(__NR_add_key, "user", desc, payload, sizeof(payload) - 1,
		       E2E_KEY_SPEC_SESSION_KEYRING);
}

/* Reads the key; a read that succeeds must return the payload. */
static void read_key(const char *tcase, long serial)
{
	char buf[64];
	long n = syscall(__NR_keyctl, E2E_KEYCTL_READ, serial, buf,
			 sizeof(buf));

	if (n < 0) {
		e2e_line(tcase, "fail", errno, NULL);
		return;
	}
	if (n != (long)sizeof(payload) - 1 || memcmp(buf, payload, n)) {
		e2e_line(tcase, "error", 0, "what=payload_mismatch");
		return;
	}
	e2e_line(tcase, "ok", 0, NULL);
}

/* A fresh anonymous session keyring: keys found by these tests are ours. */
static void new_session(const char *tcase)
{
	if (syscall(__NR_keyctl, E2E_KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0)
		e2e_setup_error(tcase, "join_session_keyring");
}

static long create_key(const char *tcase, const char *desc)
{
	char c[96];
	long serial;

	snprintf(c, sizeof(c), "%s.add", tcase);
	serial = add_user_key(desc);
	if (serial < 0) {
		e2e_line(c, "fail", errno, NULL);
		exit(0);
	}
	e2e_line(c, "ok", 0, "serial=%ld", serial);
	return serial;
}

/* quota CASE N: one key, N reads; the policy's quota decides where they stop. */
static int cmd_quota(const char *tcase, int reads)
{
	char c[96];
	long serial;
	int i;

	new_session(tcase);
	serial = create_key(tcase, "e2e-quota");
	for (i = 1; i <= reads; i++) {
		snprintf(c, sizeof(c), "%s.read%d", tcase, i);
		read_key(c, serial);
	}
	return 0;
}

/* key_permission events this process's kernel counted so far, and denials. */
static void key_events(const char *tcase, unsigned long *events,
		       unsigned long *leased, unsigned long *denied)
{
	*leased = e2e_counter(tcase, "lease_uses");
	*events = *leased + e2e_hook_sent(tcase, "key_permission");
	*denied = e2e_counter(tcase, "denied") +
		  e2e_counter(tcase, "cache_denied");
}

/*
 * lease CASE N: a new session, one key, reads until one fails (at most N).
 * permitted= is the key uses the process was allowed, all of them (the
 * add's and the reads'): with the quota's room it must be the quota,
 * exactly, with leases as without (nothing else uses keys meanwhile).
 * leased= (securityfs lease_uses) and sent= vary with timing (a process
 * exit elsewhere, the CPU the reads run on), so the line also says
 * whether at least 90 % of the uses were leased (mostly_leased=).
 */
static int cmd_lease(const char *tcase, int reads)
{
	unsigned long e0, l0, d0, e1, l1, d1;
	int ok = 0, err = 0;
	char buf[64];
	long serial;

	key_events(tcase, &e0, &l0, &d0);
	new_session(tcase);
	serial = create_key(tcase, "e2e-lease");
	while (ok < reads) {
		if (syscall(__NR_keyctl, E2E_KEYCTL_READ, serial, buf,
			    sizeof(buf)) != (long)sizeof(payload) - 1) {
			err = errno;
			break;
		}
		ok++;
	}
	key_events(tcase, &e1, &l1, &d1);
	e2e_line(tcase, "ok", 0,
		 "permitted=%lu stop_errno=%d reads_ok=%d leased=%lu sent=%lu mostly_leased=%d",
		 (e1 - e0) - (d1 - d0), err, ok, l1 - l0,
		 (e1 - e0) - (l1 - l0), (l1 - l0) * 10 >= (e1 - e0) * 9);
	return 0;
}

/* foreign CASE OTHER_EXE: we own a key; OTHER_EXE (not its owner) reads it. */
static int cmd_foreign(const char *tcase, const char *other)
{
	char c[96], serial_s[24];
	long serial;
	int status;
	pid_t pid;

	new_session(tcase);
	serial = create_key(tcase, "e2e-owned");
	snprintf(c, sizeof(c), "%s.owner_read", tcase);
	read_key(c, serial);
	snprintf(serial_s, sizeof(serial_s), "%ld", serial);
	snprintf(c, sizeof(c), "%s.other_read", tcase);
	pid = fork();
	if (pid < 0)
		e2e_setup_error(tcase, "fork");
	if (pid == 0) {
		/* The child inherits the session keyring, so it possesses the key. */
		execl(other, other, "read", c, serial_s, (char *)NULL);
		e2e_setup_error(c, "exec_other");
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		e2e_setup_error(tcase, "wait_other");
	return 0;
}

/* read CASE SERIAL: used by the "other" executable. */
static int cmd_read(const char *tcase, const char *serial)
{
	read_key(tcase, strtol(serial, NULL, 10));
	return 0;
}

/*
 * session CASE READY GO TIMEOUT_S: open a key usage session, create READY,
 * wait until GO exists (the host side changes an attribute meanwhile), use
 * the key again.
 */
static int cmd_session(const char *tcase, const char *ready, const char *go,
		       int timeout_s)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	char c[96];
	long serial;
	int fd, i;

	new_session(tcase);
	serial = create_key(tcase, "e2e-session");
	snprintf(c, sizeof(c), "%s.before", tcase);
	read_key(c, serial);
	fd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		e2e_setup_error(tcase, "create_ready");
	close(fd);
	for (i = 0; access(go, F_OK); i++) {
		if (i >= timeout_s * 20) {
			errno = ETIMEDOUT;
			e2e_setup_error(tcase, "wait_go");
		}
		nanosleep(&tick, NULL);
	}
	snprintf(c, sizeof(c), "%s.after", tcase);
	read_key(c, serial);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "quota") && argc == 4)
		return cmd_quota(argv[2], atoi(argv[3]));
	if (!strcmp(cmd, "lease") && argc == 4)
		return cmd_lease(argv[2], atoi(argv[3]));
	if (!strcmp(cmd, "foreign") && argc == 4)
		return cmd_foreign(argv[2], argv[3]);
	if (!strcmp(cmd, "read") && argc == 4)
		return cmd_read(argv[2], argv[3]);
	if (!strcmp(cmd, "session") && argc == 6)
		return cmd_session(argv[2], argv[3], argv[4], atoi(argv[5]));
	fprintf(stderr,
		"usage: %s quota CASE N | lease CASE N | foreign CASE OTHER_EXE |\n"
		"       read CASE SERIAL |\n"
		"       session CASE READY_FILE GO_FILE TIMEOUT_S\n", argv[0]);
	return 2;
}
