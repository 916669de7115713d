// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * e2e_cache.c - the kernel's decision cache seen from one process: N
 * identical decided events (mprotect of a file mapping adding PROT_EXEC),
 * then optionally a command that changes the secure world's state (an
 * attribute write, a policy load: COMMAND runs to completion in a child),
 * then N more. For each phase it counts, from tz_hooks' securityfs files,
 * the file_mprotect events sent to the secure world and the answers taken
 * from the cache, and how many of the N were refused.
 *
 *   e2e_cache CASE N [-- COMMAND ARGS...]
 *   E2E CASE ok|fail errno=E pid=P sent1= cached1= denied1= [sent2= cached2=
 *       denied2= cmd_rc=]
 * ok/fail/errno: the last phase's first mprotect (the first event after the
 * change). The process pins itself to one CPU: the cache is per CPU.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "e2e.h"

static unsigned long sent_mprotect(const char *tcase)
{
	return e2e_hook_sent(tcase, "file_mprotect");
}

static unsigned long cached(const char *tcase)
{
	return e2e_counter(tcase, "cache_allowed") +
	       e2e_counter(tcase, "cache_denied");
}

struct phase {
	unsigned long sent, cached;
	int denied, first_err;
};

/* N times: make the page executable (the event), then read-only again. */
static void run_phase(const char *tcase, void *page, int n, struct phase *ph)
{
	unsigned long s0 = sent_mprotect(tcase), c0 = cached(tcase);
	int i;

	ph->denied = 0;
	ph->first_err = 0;
	for (i = 0; i < n; i++) {
		int rc = mprotect(page, 4096, PROT_READ | PROT_EXEC);
		int err = rc ? errno : 0;

		if (i == 0)
			ph->first_err = err;
		if (rc)
			ph->denied++;
		if (mprotect(page, 4096, PROT_READ))
			e2e_setup_error(tcase, "mprotect back");
	}
	ph->sent = sent_mprotect(tcase) - s0;
	ph->cached = cached(tcase) - c0;
}

static int run_command(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int main(int argc, char **argv)
{
	const char *tcase = argc > 1 ? argv[1] : "cache";
	struct phase a = {0}, b = {0};
	int n, cmd = argc > 4 && !strcmp(argv[3], "--"), rc = 0;
	cpu_set_t cpus;
	void *page;
	int fd;

	if (argc < 3 || (argc > 3 && !cmd))
		e2e_setup_error(tcase, "usage: e2e_cache CASE N [-- COMMAND...]");
	n = atoi(argv[2]);
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		e2e_setup_error(tcase, "sched_setaffinity");
	fd = open("/proc/self/exe", O_RDONLY);
	if (fd < 0)
		e2e_setup_error(tcase, "open exe");
	page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (page == MAP_FAILED)
		e2e_setup_error(tcase, "mmap");
	run_phase(tcase, page, n, &a);
	if (!cmd) {
		e2e_line(tcase, a.first_err ? "fail" : "ok", a.first_err,
			 "sent1=%lu cached1=%lu denied1=%d", a.sent, a.cached,
			 a.denied);
		return 0;
	}
	rc = run_command(argv + 4);
	run_phase(tcase, page, n, &b);
	e2e_line(tcase, b.first_err ? "fail" : "ok", b.first_err,
		 "sent1=%lu cached1=%lu denied1=%d sent2=%lu cached2=%lu denied2=%d cmd_rc=%d",
		 a.sent, a.cached, a.denied, b.sent, b.cached, b.denied, rc);
	return 0;
}
