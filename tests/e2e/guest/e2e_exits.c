// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * e2e_exits.c - which process exits reach the secure world (issue 9): only
 * those of processes it holds state for.
 *
 *   e2e_exits unmarked N   N children that hold nothing exit
 *   e2e_exits exec N PATH  N children exec PATH (a static program), which
 *                          exits
 *   E2E exits.unmarked|exits.exec ok errno=0 pid=P sent=S local=L
 *     S: events of any hook sent to the secure world (tz_hooks/hooks), L:
 *     exits kept in the kernel (tz_hooks/exits_local), once all N settled
 *   e2e_exits marked POLICYCTL   one child opens an executable-mapping
 *     usage session (anonymous PROT_EXEC mmap), waits, exits
 *   E2E exits.marked ok errno=0 pid=P sent=S kernel_ended=K secure_ended=L
 *     S: task_exit events sent for it; K: how many fewer exec sessions
 *     tz_hooks tracks (status exec_sessions) after the child ended than
 *     while it lived; L: the same for the secure world's live_sessions
 *     (policyctl stats)
 * tz_hooks reports an exit from task_free, after an RCU grace period: the
 * counters are polled (up to 5 s) until the exits settled.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "e2e.h"

#define SEC "/sys/kernel/security/tz_hooks/"

static const char *tcase = "exits";

static void slurp(const char *file, char *buf, size_t size)
{
	int fd = open(file, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		e2e_setup_error(tcase, file);
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		e2e_setup_error(tcase, file);
	buf[n] = 0;
}

/* "key value" or "name a b" lines: the number after @key. */
static unsigned long field(const char *file, const char *key)
{
	char buf[2048], *p;

	slurp(file, buf, sizeof(buf));
	p = strstr(buf, key);
	if (!p)
		e2e_setup_error(tcase, key);
	return strtoul(p + strlen(key), NULL, 10);
}

static unsigned long sent(void)
{
	return field(SEC "hooks", "task_exit ");
}

/* Sum of the events column of tz_hooks/hooks ("name events filtered"). */
static unsigned long all_sent(void)
{
	char buf[2048], *line, *save = NULL, name[32];
	unsigned long total = 0, ev, filtered;

	slurp(SEC "hooks", buf, sizeof(buf));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%31s %lu %lu", name, &ev, &filtered) == 3)
			total += ev;
	return total;
}

static unsigned long local_exits(void)
{
	return field(SEC "exits_local", "");
}

static void nap(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* live_sessions from `POLICYCTL stats --json`. */
static long secure_sessions(const char *policyctl)
{
	char buf[8192], *p;
	int pipefd[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(pipefd))
		e2e_setup_error(tcase, "pipe");
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		execlp(policyctl, policyctl, "stats", "--json", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while (len < sizeof(buf) - 1 &&
	       (n = read(pipefd[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = 0;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	p = strstr(buf, "\"live_sessions\":");
	if (!p)
		e2e_setup_error(tcase, "live_sessions");
	return strtol(p + strlen("\"live_sessions\":"), NULL, 10);
}

static int unmarked(int n, const char *exe)
{
	unsigned long s0 = all_sent(), l0 = local_exits();
	int i, tries;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0 && exe)
			execl(exe, exe, (char *)NULL);
		if (pid == 0)
			_exit(exe ? 127 : 0);
		if (pid < 0)
			e2e_setup_error(tcase, "fork");
		/* One at a time, as a fork+exec+wait benchmark does. */
		waitpid(pid, NULL, 0);
	}
	while (wait(NULL) > 0)
		;
	for (tries = 0; tries < 250 && local_exits() - l0 < (unsigned long)n;
	     tries++)
		nap();
	e2e_line(tcase, "ok", 0, "sent=%lu local=%lu", all_sent() - s0,
		 local_exits() - l0);
	return 0;
}

static int marked(const char *policyctl)
{
	unsigned long s0 = sent(), k1, k2;
	int up[2], go[2], tries;
	long l1, l2;
	char c = 0;
	pid_t pid;

	if (pipe(up) || pipe(go))
		e2e_setup_error(tcase, "pipe");
	pid = fork();
	if (pid == 0) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		c = p == MAP_FAILED ? 'x' : 'm';
		if (write(up[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	if (pid < 0 || read(up[0], &c, 1) != 1 || c != 'm')
		e2e_setup_error(tcase, "child mmap");
	k1 = field(SEC "status", "exec_sessions ");
	l1 = secure_sessions(policyctl);
	if (write(go[1], &c, 1) != 1)
		e2e_setup_error(tcase, "go");
	waitpid(pid, NULL, 0);
	for (tries = 0; tries < 250 && sent() - s0 < 1; tries++)
		nap();
	k2 = field(SEC "status", "exec_sessions ");
	l2 = secure_sessions(policyctl);
	e2e_line(tcase, "ok", 0, "sent=%lu kernel_ended=%ld secure_ended=%ld",
		 sent() - s0, (long)k1 - (long)k2, l1 - l2);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "unmarked")) {
		tcase = "exits.unmarked";
		return unmarked(atoi(argv[2]), NULL);
	}
	if (argc == 4 && !strcmp(argv[1], "exec")) {
		tcase = "exits.exec";
		return unmarked(atoi(argv[2]), argv[3]);
	}
	if (argc == 3 && !strcmp(argv[1], "marked")) {
		tcase = "exits.marked";
		return marked(argv[2]);
	}
	e2e_setup_error(tcase, "usage: e2e_exits unmarked N | exec N PATH | marked POLICYCTL");
	return 2;
}
