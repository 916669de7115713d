// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* e2e_jit - a JIT's memory pattern: write code into RW memory, then make it executable. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "e2e.h"

/* Built twice (-DE2E_FLAVOR=listed/unlisted): same code, different digest. */
#ifndef E2E_FLAVOR
#define E2E_FLAVOR "jit"
#endif
const char e2e_flavor[] __attribute__((used)) = "e2e_jit flavor " E2E_FLAVOR;

/* A32: mov r0, #42 ; bx lr */
static const uint32_t code[] = { 0xe3a0002a, 0xe12fff1e };

static void run_code(const char *tcase, void *p)
{
	int (*fn)(void) = (int (*)(void))p;
	int ret;

	__builtin___clear_cache((char *)p, (char *)p + sizeof(code));
	ret = fn();
	e2e_line(tcase, "ok", 0, "ret=%d", ret);
}

/* mmap RW, write code, mprotect RX: the W->X transition of file_mprotect. */
static void mprotect_wx(const char *prefix, long pg)
{
	char tcase[96];
	void *p;

	snprintf(tcase, sizeof(tcase), "%s.mprotect_wx", prefix);
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		e2e_setup_error(tcase, "mmap_rw");
	memcpy(p, code, sizeof(code));
	if (mprotect(p, pg, PROT_READ | PROT_EXEC))
		e2e_line(tcase, "fail", errno, NULL);
	else
		run_code(tcase, p);
	munmap(p, pg);
}

/* One anonymous mapping that is writable and executable at once. */
static void mmap_wx(const char *prefix, long pg)
{
	char tcase[96];
	void *p;

	snprintf(tcase, sizeof(tcase), "%s.mmap_wx", prefix);
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		e2e_line(tcase, "fail", errno, NULL);
		return;
	}
	memcpy(p, code, sizeof(code));
	run_code(tcase, p);
	munmap(p, pg);
}

/*
 * W->X in two steps: code written into RW memory (@fd < 0: anonymous; else
 * a private, copied-on-write view of the file), mprotect R, then R -> RX.
 * The last mprotect's old protection has no write bit: only the kernel's
 * "written" event flag shows what happened to the memory.
 */
static void two_step(const char *tcase, long pg, int fd)
{
	void *p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		       (fd < 0 ? MAP_ANONYMOUS : 0), fd, 0);

	if (p == MAP_FAILED)
		e2e_setup_error(tcase, "mmap_rw");
	memcpy(p, code, sizeof(code));
	if (mprotect(p, pg, PROT_READ))
		e2e_setup_error(tcase, "mprotect_r");
	if (mprotect(p, pg, PROT_READ | PROT_EXEC))
		e2e_line(tcase, "fail", errno, NULL);
	else
		run_code(tcase, p);
	munmap(p, pg);
}

/*
 * READ_IMPLIES_EXEC (any user may set it) makes the heap brk() grows
 * writable and executable, with no mmap_file call: the kernel asks the
 * LSM as for an anonymous W+X mapping (patch 0004). brk() has no error
 * code of its own: a refused growth leaves the break where it was, and
 * sbrk() reports ENOMEM.
 */
static void brk_rwx(const char *tcase, long pg, int fd)
{
	char *cur, *p;

	(void)fd;
	if (personality(PER_LINUX | READ_IMPLIES_EXEC) < 0)
		e2e_setup_error(tcase, "personality");
	cur = sbrk(0);
	if (cur == (void *)-1)
		e2e_setup_error(tcase, "sbrk0");
	/* the new VMA starts at the next page: the old heap is not exec */
	p = (char *)(((uintptr_t)cur + pg - 1) & ~(uintptr_t)(pg - 1));
	if (sbrk(p - cur + pg) == (void *)-1) {
		e2e_line(tcase, "fail", errno, NULL);
		return;
	}
	memcpy(p, code, sizeof(code));
	run_code(tcase, p);
}

/*
 * Exec of @xstack, a program linked -z execstack that runs code it wrote
 * on its stack and exits 42 (e2e_xstack.S): the kernel asks the LSM before
 * it makes the new stack executable (patch 0004). The refusal comes past
 * exec's point of no return, so the child dies of SIGSEGV. The line has
 * the child's pid: the decision's subject is the exec'd program.
 */
static void exec_stack(const char *prefix, const char *xstack)
{
	char tcase[96];
	int status;
	pid_t pid;

	snprintf(tcase, sizeof(tcase), "%s.execstack", prefix);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		e2e_setup_error(tcase, "fork");
	if (pid == 0) {
		execl(xstack, xstack, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		e2e_setup_error(tcase, "waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 42)
		e2e_line_pid(tcase, "ok", 0, pid, "ret=42");
	else if (WIFSIGNALED(status))
		e2e_line_pid(tcase, "fail", 0, pid, "sig=%d",
			     WTERMSIG(status));
	else
		e2e_line_pid(tcase, "error", 0, pid, "status=%d", status);
}

/*
 * Root taking on another executable's identity (here its own, which is
 * enough to tell): prctl(PR_SET_MM, PR_SET_MM_EXE_FILE). tz_hooks refuses
 * it (EPERM) before the kernel would say EBUSY (the exe is still mapped):
 * the JIT allow-list and key ownership are keyed on that identity.
 */
static void set_exe(const char *prefix, int fd)
{
	char tcase[96];

	snprintf(tcase, sizeof(tcase), "%s.set_exe", prefix);
	if (prctl(PR_SET_MM, PR_SET_MM_EXE_FILE, (unsigned long)fd, 0, 0))
		e2e_line(tcase, "fail", errno, NULL);
	else
		e2e_line(tcase, "ok", 0, NULL);
}

/*
 * A child offers itself to this process as tracee (PTRACE_TRACEME): this
 * process would become its tracer with no attach, free to poke code into
 * it. tz_hooks decides it as this process attaching to the child
 * (ptrace_access, subject this process), so the record has this pid and
 * no-wx-memory's rule 60 refuses it unless this executable is an
 * allow-listed debugger (debugger_allowed, set for e2e_jit_listed).
 */
static void traceme(const char *prefix)
{
	char tcase[96];
	int status;
	pid_t pid;

	snprintf(tcase, sizeof(tcase), "%s.traceme", prefix);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		e2e_setup_error(tcase, "fork");
	if (pid == 0)
		_exit(ptrace(PTRACE_TRACEME, 0, NULL, NULL) ? errno & 0x7f : 0);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		e2e_setup_error(tcase, "child");
	if (WEXITSTATUS(status))
		e2e_line(tcase, "fail", WEXITSTATUS(status), NULL);
	else
		e2e_line(tcase, "ok", 0, NULL);
}

/* Runs @fn(<prefix>.@name, @pg, @fd) in a child: its audit records have its tgid. */
static void in_child(const char *prefix, const char *name, long pg, int fd,
		     void (*fn)(const char *, long, int))
{
	char tcase[96];
	int status;
	pid_t pid;

	snprintf(tcase, sizeof(tcase), "%s.%s", prefix, name);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		e2e_setup_error(tcase, "fork");
	if (pid == 0) {
		fn(tcase, pg, fd);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		e2e_setup_error(tcase, "child");
}

int main(int argc, char **argv)
{
	const char *prefix = argc > 1 ? argv[1] : "jit";
	long pg = sysconf(_SC_PAGESIZE);
	int fd;

	mprotect_wx(prefix, pg);
	mmap_wx(prefix, pg);
	in_child(prefix, "rw_r_rx", pg, -1, two_step);
	fd = open("/proc/self/exe", O_RDONLY);
	if (fd < 0)
		e2e_setup_error(prefix, "open exe");
	in_child(prefix, "cow_r_rx", pg, fd, two_step);
	set_exe(prefix, fd);
	close(fd);
	in_child(prefix, "brk_rwx", pg, -1, brk_rwx);
	traceme(prefix);
	if (argc > 2)
		exec_stack(prefix, argv[2]);
	return 0;
}
