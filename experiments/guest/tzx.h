/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* tzx.h - the scenario programs' shared parts: the TZX result line, arguments, test code, /dev/tee0 calls. */
#ifndef TZUCON_TZX_H
#define TZUCON_TZX_H

#include <errno.h>
#include <fcntl.h>
#include <linux/tee.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../abi/tzucon_abi.h"

/*
 * The scenario protocol (issue 10, docs/experiments.md): ONE trial of ONE
 * attack, then exactly one line on stdout, written with a single write(2)
 * so kernel console output cannot split it:
 *   TZX result id=ID trial=N effect=0|1 denied=0|1 errno=E t_ns=T note=W
 * effect=1 only when the program saw the attack's effect itself. Harness
 * errors (the attack could not even be tried): "TZX error" on stderr and
 * exit 2.
 */
static const char *tzx_id = "unset";
static int tzx_trial;

static inline uint64_t tzx_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline void tzx_result(int effect, int denied, int err, uint64_t t_ns,
			      const char *note)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf),
			 "TZX result id=%s trial=%d effect=%d denied=%d errno=%d t_ns=%llu note=%s\n",
			 tzx_id, tzx_trial, effect, denied, err,
			 (unsigned long long)t_ns, note && *note ? note : "none");

	if (n <= 0 || n >= (int)sizeof(buf))
		_exit(3);
	fflush(stdout);
	if (write(STDOUT_FILENO, buf, n) != n)
		_exit(3);
}

static inline void __attribute__((noreturn, format(printf, 1, 2)))
tzx_error(const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "TZX error id=%s trial=%d msg=%s errno=%d\n", tzx_id,
		tzx_trial, msg, err);
	exit(2);
}

/* Denials the monitor (or the kernel) answers with. */
static inline int tzx_is_denial(int err)
{
	return err == EACCES || err == EPERM;
}

/*
 * Common options: --id ID --trial N. Returns the value of option @name
 * ("--name VALUE") in argv, or @def.
 */
static inline const char *tzx_opt(int argc, char **argv, const char *name,
				  const char *def)
{
	int i;

	for (i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return def;
}

static inline void tzx_init(int argc, char **argv, const char *default_id)
{
	tzx_id = tzx_opt(argc, argv, "--id", default_id);
	tzx_trial = atoi(tzx_opt(argc, argv, "--trial", "0"));
}

/* A32 code the attacks run: mov r0, #42 ; bx lr. */
#define TZX_CODE_RET 42
static const uint32_t tzx_code[] __attribute__((unused)) = { 0xe3a0002a, 0xe12fff1e };

/* Calls A32 code at @p (ARM state: bit 0 clear) after syncing the caches. */
static inline int tzx_call_code(void *p)
{
	int (*fn)(void) = (int (*)(void))p;

	__builtin___clear_cache((char *)p, (char *)p + sizeof(tzx_code));
	return fn();
}

/* ---- /dev/tee0: the TEE client path policyctl uses ---- */
struct tzx_tee {
	int fd;
	uint32_t session;
	void *in, *out;
	int in_id, out_id;
};

#define TZX_SHM_SIZE 65536u

static inline int tzx_shm(int fd, size_t size, void **p, int *id)
{
	struct tee_ioctl_shm_alloc_data d = { .size = size };
	int sfd = ioctl(fd, TEE_IOC_SHM_ALLOC, &d);

	if (sfd < 0)
		return -1;
	*p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
	close(sfd);
	*id = d.id;
	return *p == MAP_FAILED ? -1 : 0;
}

/* Opens /dev/tee0 and one PUBLIC session on it: 0 or -1 (errno set). */
static inline int tzx_tee_open(struct tzx_tee *t)
{
	static const unsigned char uuid[TEE_IOCTL_UUID_LEN] = { TZU_TEE_UUID_BYTES };
	struct tee_ioctl_open_session_arg os = { .clnt_login = TEE_IOCTL_LOGIN_PUBLIC };
	struct tee_ioctl_buf_data bd = { .buf_ptr = (uintptr_t)&os, .buf_len = sizeof(os) };

	t->fd = open("/dev/tee0", O_RDWR | O_CLOEXEC);
	if (t->fd < 0)
		return -1;
	memcpy(os.uuid, uuid, sizeof(uuid));
	if (ioctl(t->fd, TEE_IOC_OPEN_SESSION, &bd) < 0)
		return -1;
	if (os.ret) {
		errno = EBUSY;
		return -1;
	}
	t->session = os.session;
	if (tzx_shm(t->fd, TZX_SHM_SIZE, &t->in, &t->in_id) ||
	    tzx_shm(t->fd, TZX_SHM_SIZE, &t->out, &t->out_id))
		return -1;
	return 0;
}

static inline void tzx_hdr(struct tzu_hdr *h, uint32_t cmd, uint32_t size)
{
	memset(h, 0, sizeof(*h));
	h->magic = TZU_MAGIC;
	h->version = TZU_ABI_VERSION;
	h->command = cmd;
	h->size = size;
}

/*
 * Sends the request already in t->in (@len bytes) as command @cmd.
 * Returns the secure world's status (hdr.status of the reply), or -1 with
 * errno when the driver refused the call or the secure world did not answer.
 */
static inline long tzx_tee_invoke(struct tzx_tee *t, uint32_t cmd, uint32_t len)
{
	struct {
		struct tee_ioctl_invoke_arg arg;
		struct tee_ioctl_param params[2];
	} inv;
	struct tee_ioctl_buf_data bd = { .buf_ptr = (uintptr_t)&inv, .buf_len = sizeof(inv) };

	memset(&inv, 0, sizeof(inv));
	inv.arg.func = cmd;
	inv.arg.session = t->session;
	inv.arg.num_params = 2;
	inv.params[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
	inv.params[0].b = len;
	inv.params[0].c = t->in_id;
	inv.params[1].attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT;
	inv.params[1].b = TZX_SHM_SIZE;
	inv.params[1].c = t->out_id;
	if (ioctl(t->fd, TEE_IOC_INVOKE, &bd) < 0)
		return -1;
	if (inv.arg.ret) {
		errno = EIO;
		return -1;
	}
	return ((struct tzu_hdr *)t->out)->status;
}

/* GET_STATS into @st: 0, or -1 (errno) if the secure world did not answer. */
static inline int tzx_tee_stats(struct tzx_tee *t, struct tzu_stats *st)
{
	struct tzu_session_req *req = t->in;
	long rc;

	tzx_hdr(&req->hdr, TZU_CMD_GET_STATS, sizeof(*req));
	req->session = 0;
	req->pad0 = 0;
	rc = tzx_tee_invoke(t, TZU_CMD_GET_STATS, sizeof(*req));
	if (rc != TZU_OK) {
		if (rc > 0)
			errno = EPROTO;
		return -1;
	}
	memcpy(st, t->out, sizeof(*st));
	return 0;
}

/* GET_STATS through a fresh /dev/tee0 session (closed after). */
static inline int tzx_stats_once(struct tzu_stats *st)
{
	struct tzx_tee t;
	int rc = tzx_tee_open(&t);

	if (!rc)
		rc = tzx_tee_stats(&t, st);
	if (t.fd >= 0)
		close(t.fd);
	return rc;
}

/* ---- is a hook event still decided by the secure world? ---- */
/* Makes one event of a hook in @mask happen; returns the hook. */
static inline int tzx_probe_hook(uint32_t mask)
{
	long pg = sysconf(_SC_PAGESIZE);

	if (mask & (1u << TZU_HOOK_FILE_MPROTECT)) {
		void *p = mmap(NULL, pg, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			tzx_error("mmap");
		mprotect(p, pg, PROT_READ | PROT_EXEC);
		munmap(p, pg);
		return TZU_HOOK_FILE_MPROTECT;
	}
	if (mask & (1u << TZU_HOOK_ALG_SOCKET)) {
		int s = socket(38 /* AF_ALG */, SOCK_SEQPACKET, 0);

		if (s >= 0)
			close(s);
		return TZU_HOOK_ALG_SOCKET;
	}
	if (mask & (1u << TZU_HOOK_DEVMEM_OPEN)) {
		int fd = open("/dev/mem", O_RDONLY | O_CLOEXEC);

		if (fd >= 0)
			close(fd);
		return TZU_HOOK_DEVMEM_OPEN;
	}
	tzx_error("no probe for interest mask 0x%x", mask);
}

/*
 * 1 if a probe event (run in a child) moved the secure world's per-hook
 * counter, 0 if not, -1 if GET_STATS failed.
 */
static inline int tzx_probe_decided(struct tzx_tee *q)
{
	struct tzu_stats a, b;
	int hook, st;
	pid_t pid;

	if (tzx_tee_stats(q, &a))
		return -1;
	hook = 0;
	pid = fork();
	if (pid == 0)
		_exit(tzx_probe_hook(a.interest_mask));
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		tzx_error("probe");
	hook = WEXITSTATUS(st);
	if (tzx_tee_stats(q, &b))
		return -1;
	return b.per_hook[hook] > a.per_hook[hook];
}

#endif /* TZUCON_TZX_H */
