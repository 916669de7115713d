// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* tzx_keys - key theft by a foreign executable and key use beyond the quota (crypto-keys policy). */
#include <sys/syscall.h>
#include <sys/wait.h>

#include "tzx.h"

/*
 *   tzx_keys --mode foreign --other PATH [--id ID] [--trial N]
 *   tzx_keys --mode quota [--quota Q] [--id ID] [--trial N]
 *   tzx_keys --mode read --serial S          (run by the foreign binary)
 * foreign: this executable creates a user key in a fresh session keyring,
 *          reads it (the owner's use), then PATH (tzx_keys_other: the same
 *          source built with another flavour, so another file and digest)
 *          inherits the keyring and reads the key. effect=1: the foreign
 *          executable got the payload.
 * quota:   one key read Q+1 times (each read is at least one key use, so
 *          Q+1 reads are beyond a quota of Q; the harness sets key_quota
 *          to Q, default 1000 = the policy's initial value). effect=1: all
 *          Q+1 reads returned the payload.
 */
#ifndef TZX_FLAVOR
#define TZX_FLAVOR "owner"
#endif
const char tzx_flavor[] __attribute__((used)) = "tzx_keys flavor " TZX_FLAVOR;

#define TZX_KEY_SPEC_SESSION_KEYRING	(-3)
#define TZX_KEYCTL_JOIN_SESSION_KEYRING	1
#define TZX_KEYCTL_READ			11

static const char payload[] = "tzx-key-payload";

/* 1 payload read, 0 refused (errno set), -1 wrong content. */
static int read_key(long serial)
{
	char buf[64];
	long n = syscall(__NR_keyctl, TZX_KEYCTL_READ, serial, buf, sizeof(buf));

	if (n < 0)
		return 0;
	return n == (long)sizeof(payload) - 1 && !memcmp(buf, payload, n) ? 1 : -1;
}

static long new_key(void)
{
	long serial;

	if (syscall(__NR_keyctl, TZX_KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0)
		tzx_error("join_session_keyring");
	serial = syscall(__NR_add_key, "user", "tzx-key", payload,
			 sizeof(payload) - 1, TZX_KEY_SPEC_SESSION_KEYRING);
	return serial;
}

/* The foreign reader: exit 0 payload read, 10 refused, 11 wrong payload. */
static int mode_read(const char *serial)
{
	int r = read_key(strtol(serial, NULL, 10));

	if (r > 0)
		return 0;
	if (r == 0)
		return tzx_is_denial(errno) ? 10 : 12;
	return 11;
}

static int mode_foreign(const char *other)
{
	char serial_s[24];
	long serial = new_key();
	int st, err;
	pid_t pid;

	if (serial < 0) {
		err = errno;
		tzx_result(0, tzx_is_denial(err), err, tzx_now_ns(), "add_key_refused");
		return 0;
	}
	if (read_key(serial) != 1)
		tzx_error("owner_read errno=%d", errno);
	snprintf(serial_s, sizeof(serial_s), "%ld", serial);
	pid = fork();
	if (pid < 0)
		tzx_error("fork");
	if (pid == 0) {
		execl(other, other, "--mode", "read", "--serial", serial_s, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		tzx_error("wait_foreign");
	switch (WEXITSTATUS(st)) {
	case 0:
		tzx_result(1, 0, 0, tzx_now_ns(), "foreign_read_payload");
		return 0;
	case 10:
		tzx_result(0, 1, EACCES, tzx_now_ns(), "foreign_read_refused");
		return 0;
	default:
		tzx_error("foreign reader exit %d", WEXITSTATUS(st));
	}
}

static int mode_quota(int quota)
{
	long serial = new_key();
	int i, r, err;

	if (serial < 0) {
		err = errno;
		tzx_result(0, tzx_is_denial(err), err, tzx_now_ns(), "add_key_refused");
		return 0;
	}
	for (i = 1; i <= quota + 1; i++) {
		r = read_key(serial);
		if (r < 0)
			tzx_error("payload mismatch at read %d", i);
		if (r == 0) {
			char note[48];

			err = errno;
			snprintf(note, sizeof(note), "refused_at_read_%d", i);
			tzx_result(0, tzx_is_denial(err), err, tzx_now_ns(), note);
			return 0;
		}
	}
	tzx_result(1, 0, 0, tzx_now_ns(), "all_reads_past_quota");
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = tzx_opt(argc, argv, "--mode", "");
	char id[64];

	snprintf(id, sizeof(id), "keys-%s", mode);
	tzx_init(argc, argv, id);
	if (!strcmp(mode, "read"))
		return mode_read(tzx_opt(argc, argv, "--serial", "0"));
	if (!strcmp(mode, "foreign"))
		return mode_foreign(tzx_opt(argc, argv, "--other", "/tzx/bin/tzx_keys_other"));
	if (!strcmp(mode, "quota"))
		return mode_quota(atoi(tzx_opt(argc, argv, "--quota", "1000")));
	tzx_error("usage: --mode foreign|quota|read");
}
