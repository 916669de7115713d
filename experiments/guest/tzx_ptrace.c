// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* tzx_ptrace - code injection into another process: PTRACE_POKETEXT or a /proc/PID/mem write into its text. */
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "tzx.h"

/*
 *   tzx_ptrace --via poke|mem [--id ID] [--trial N]
 * The victim (a forked child, then its own process) calls victim_marker()
 * in a loop and reports on a pipe when it returns anything but 1. The
 * attacker overwrites victim_marker's code in the victim with
 * "mov r0, #42; bx lr": through PTRACE_ATTACH + PTRACE_POKETEXT, or by
 * writing /proc/PID/mem (which needs the same ptrace access check).
 * effect=1: the victim ran the injected code (its marker became 42).
 * Built -marm: victim_marker is A32 code, so the A32 words replace it.
 */
static int __attribute__((noinline)) victim_marker(void)
{
	__asm__ volatile("" ::: "memory");
	return 1;
}

static int (*volatile marker_fn)(void) = victim_marker;

static void __attribute__((noreturn)) victim(int wfd)
{
	int v;

	for (;;) {
		v = marker_fn();
		if (v != 1) {
			if (write(wfd, &v, sizeof(v)) != sizeof(v))
				_exit(1);
			_exit(0);
		}
	}
}

static long via_poke(pid_t pid, uintptr_t at)
{
	size_t i;
	int st;

	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL))
		return -1;
	if (waitpid(pid, &st, 0) != pid)
		tzx_error("waitpid_attach");
	for (i = 0; i < sizeof(tzx_code) / 4; i++)
		if (ptrace(PTRACE_POKETEXT, pid, (void *)(at + 4 * i),
			   (void *)(uintptr_t)tzx_code[i]))
			return -1;
	if (ptrace(PTRACE_DETACH, pid, NULL, NULL))
		tzx_error("detach");
	return 0;
}

static long via_mem(pid_t pid, uintptr_t at)
{
	char path[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = pwrite(fd, tzx_code, sizeof(tzx_code), (off_t)at);
	close(fd);
	return n == (ssize_t)sizeof(tzx_code) ? 0 : -1;
}

/* Waits up to 2 s for the victim's report: its marker value, or 0. */
static int victim_report(int rfd)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int v = 0, i;

	fcntl(rfd, F_SETFL, O_NONBLOCK);
	for (i = 0; i < 200; i++) {
		if (read(rfd, &v, sizeof(v)) == sizeof(v))
			return v;
		nanosleep(&tick, NULL);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *via = tzx_opt(argc, argv, "--via", "poke");
	uintptr_t at = (uintptr_t)victim_marker & ~(uintptr_t)1;
	char id[64];
	int fds[2], v, err;
	pid_t pid;
	long rc;

	snprintf(id, sizeof(id), "ptrace-%s", via);
	tzx_init(argc, argv, id);
	if (strcmp(via, "poke") && strcmp(via, "mem"))
		tzx_error("unknown --via %s", via);
	if (pipe(fds))
		tzx_error("pipe");
	pid = fork();
	if (pid < 0)
		tzx_error("fork");
	if (pid == 0) {
		close(fds[0]);
		victim(fds[1]);
	}
	close(fds[1]);
	usleep(50000);	/* the victim is in its loop */
	rc = !strcmp(via, "poke") ? via_poke(pid, at) : via_mem(pid, at);
	err = errno;
	if (rc) {
		/*
		 * EIO from the /proc/PID/mem write: the kernel would not force
		 * it past the text's protection for a process that is not the
		 * victim's tracer (CONFIG_PROC_MEM_FORCE_PTRACE), a refusal.
		 */
		int not_forced = !strcmp(via, "mem") && err == EIO;

		tzx_result(0, tzx_is_denial(err) || not_forced, err, tzx_now_ns(),
			   not_forced ? "write_not_forced" : "refused");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 0;
	}
	v = victim_report(fds[0]);
	tzx_result(v == TZX_CODE_RET, 0, 0, tzx_now_ns(),
		   v == TZX_CODE_RET ? "victim_ran_injected" :
		   v ? "victim_other_value" : "victim_unchanged");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}
