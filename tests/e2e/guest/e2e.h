/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* e2e.h - result lines the host parses from the guest console (tests/e2e/check_e2e.py). */
#ifndef TZUCON_E2E_H
#define TZUCON_E2E_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * One line per checked operation, written with a single write(2) so kernel
 * console output cannot split it:
 *   E2E <case> <result> errno=<n> pid=<tgid> [key=value ...]
 * result: "ok" (the operation under test succeeded), "fail" (it failed with
 * errno n), "error" (a precondition failed: the test itself is broken).
 * pid lets the host match the line with the audit records of the decision.
 */
static inline void e2e_vline_pid(const char *tcase, const char *result,
				 int err, int pid, const char *fmt, va_list ap)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "E2E %s %s errno=%d pid=%d", tcase,
			 result, err, pid);

	if (fmt && n > 0 && n < (int)sizeof(buf)) {
		buf[n++] = ' ';
		n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	}
	if (n < 0 || n >= (int)sizeof(buf) - 1)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	fflush(stdout);
	if (write(STDOUT_FILENO, buf, n) != n)
		_exit(3);
}

static inline void e2e_line(const char *tcase, const char *result, int err,
			    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	e2e_vline_pid(tcase, result, err, (int)getpid(), fmt, ap);
	va_end(ap);
}

/* The line of an operation another process (@pid, e.g. a child's exec) did. */
static inline void e2e_line_pid(const char *tcase, const char *result,
				int err, int pid, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	e2e_vline_pid(tcase, result, err, pid, fmt, ap);
	va_end(ap);
}

/* Reports the outcome of a syscall-style return value (< 0 = failure). */
static inline int e2e_report(const char *tcase, long rc, int err)
{
	if (rc < 0)
		e2e_line(tcase, "fail", err, NULL);
	else
		e2e_line(tcase, "ok", 0, NULL);
	return rc < 0 ? -1 : 0;
}

/* A precondition failed: say so in the parsed stream and stop. */
static inline void e2e_setup_error(const char *tcase, const char *what)
{
	int err = errno;

	e2e_line(tcase, "error", err, "what=%s", what);
	exit(2);
}

#define E2E_SEC "/sys/kernel/security/tz_hooks/"

/* A tz_hooks securityfs file into @buf (NUL-terminated), no new process. */
static inline void e2e_sec_read(const char *tcase, const char *name,
				char *buf, size_t size)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), E2E_SEC "%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		e2e_setup_error(tcase, "securityfs");
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		e2e_setup_error(tcase, "securityfs read");
	buf[n] = 0;
}

/* A tz_hooks securityfs counter (one number). */
static inline unsigned long e2e_counter(const char *tcase, const char *name)
{
	char buf[64];

	e2e_sec_read(tcase, name, buf, sizeof(buf));
	return strtoul(buf, NULL, 10);
}

/* Events of @hook sent to the secure world (first column of `hooks`). */
static inline unsigned long e2e_hook_sent(const char *tcase, const char *hook)
{
	char buf[2048], key[48], *p;

	e2e_sec_read(tcase, "hooks", buf, sizeof(buf));
	snprintf(key, sizeof(key), "%s ", hook);
	p = strstr(buf, key);
	if (!p)
		e2e_setup_error(tcase, "hooks line");
	return strtoul(p + strlen(key), NULL, 10);
}

/*
 * One anonymous page with protection @prot between two PROT_NONE guard
 * pages of its own, so that no mmap or mprotect can merge it with a
 * neighbour: a merged VMA takes the neighbour's anon_vma, and the kernel
 * would then report the page as written (TZU_EVF_WRITTEN) although it
 * never was. MAP_FAILED on error.
 */
static inline void *e2e_lone_page(int prot)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 3 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return MAP_FAILED;
	if (mprotect(p + pg, pg, prot)) {
		munmap(p, 3 * pg);
		return MAP_FAILED;
	}
	return p + pg;
}

#endif /* TZUCON_E2E_H */
