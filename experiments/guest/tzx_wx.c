// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* tzx_wx - W^X bypass attempts: memfd double mapping, RW->R->RX, /proc/self/mem into RX, an RWX heap or stack. */
#define _GNU_SOURCE
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "tzx.h"

/*
 *   tzx_wx --variant memfd|rw-r-rx|procmem|brk|execstack [--xstack PATH]
 *          [--id ID] [--trial N]
 * memfd:   one memfd mapped RW (MAP_SHARED) and RX (MAP_SHARED), the code
 *          written through RW and called through RX (no mapping is W+X).
 * rw-r-rx: anonymous RW, code written, mprotect to R, then R to RX: the
 *          second mprotect's old protection has no write bit.
 * procmem: anonymous R+X from the start (never writable), the code written
 *          through /proc/self/mem (a FOLL_FORCE write, as a debugger's);
 *          EIO when the kernel does not force it (PROC_MEM_FORCE_PTRACE).
 * brk:     personality(READ_IMPLIES_EXEC), which any user may set, then
 *          brk() grows the heap writable and executable (no mmap call).
 *          brk() has no error code: a growth refused leaves the break,
 *          and sbrk() says ENOMEM, counted as the refusal it is here.
 * execstack: exec of PATH (tests/e2e's e2e_xstack: linked -z execstack,
 *          no data segment, it writes code on its stack, runs it and
 *          exits TZX_CODE_RET). A refusal at exec comes past its point
 *          of no return: the child dies of SIGSEGV.
 * effect=1: the injected code ran and returned TZX_CODE_RET.
 */
static int g_errno;
static uint64_t g_t;

/* Records the refusal of the step that failed with errno; the attack stops. */
static void *stopped(void)
{
	g_errno = errno;
	g_t = tzx_now_ns();
	return NULL;
}

/* As stopped(), for a step whose only refusals are EACCES/EPERM. */
static void *refused(const char *what)
{
	if (!tzx_is_denial(errno))
		tzx_error("%s", what);
	return stopped();
}

static void *via_memfd(long pg)
{
	int fd = syscall(__NR_memfd_create, "tzx", 0);
	void *rw, *rx;

	if (fd < 0 || ftruncate(fd, pg))
		tzx_error("memfd");
	rw = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (rw == MAP_FAILED)
		return refused("mmap_rw");
	rx = mmap(NULL, pg, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	if (rx == MAP_FAILED)
		return refused("mmap_rx");
	memcpy(rw, tzx_code, sizeof(tzx_code));
	return rx;
}

static void *via_rw_r_rx(long pg)
{
	void *p = mmap(NULL, pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		tzx_error("mmap_rw");
	memcpy(p, tzx_code, sizeof(tzx_code));
	if (mprotect(p, pg, PROT_READ))
		return refused("mprotect_r");
	if (mprotect(p, pg, PROT_READ | PROT_EXEC))
		return refused("mprotect_rx");
	return p;
}

static void *via_procmem(long pg)
{
	void *p = mmap(NULL, pg, PROT_READ | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd;

	if (p == MAP_FAILED)
		return refused("mmap_rx");
	fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return refused("open_proc_mem");
	if (pwrite(fd, tzx_code, sizeof(tzx_code), (off_t)(uintptr_t)p) !=
	    (ssize_t)sizeof(tzx_code)) {
		/*
		 * EIO: the kernel would not force the write past the
		 * mapping's protection (CONFIG_PROC_MEM_FORCE_PTRACE: only
		 * for a tracer), which refuses the attack.
		 */
		if (errno == EIO) {
			p = stopped();
			close(fd);
			return p;
		}
		return refused("pwrite_proc_mem");
	}
	close(fd);
	return p;
}

static void *via_brk(long pg)
{
	char *cur, *p;

	if (personality(PER_LINUX | READ_IMPLIES_EXEC) < 0)
		tzx_error("personality");
	cur = sbrk(0);
	if (cur == (void *)-1)
		tzx_error("sbrk0");
	/* the new heap VMA starts at the next page */
	p = (char *)(((uintptr_t)cur + pg - 1) & ~(uintptr_t)(pg - 1));
	if (sbrk(p - cur + pg) == (void *)-1) {
		if (errno != ENOMEM)
			tzx_error("sbrk");
		return stopped();
	}
	memcpy(p, tzx_code, sizeof(tzx_code));
	return p;
}

/* The exec-stack variant: judged from the child's end, not a call. */
static int exec_stack(const char *xstack)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		tzx_error("fork");
	if (pid == 0) {
		execl(xstack, xstack, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		tzx_error("waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) == TZX_CODE_RET)
		tzx_result(1, 0, 0, tzx_now_ns(), "code_ran");
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
		tzx_result(0, 1, 0, tzx_now_ns(), "killed_at_exec");
	else
		tzx_error("%s: status %d", xstack, status);
	return 0;
}

int main(int argc, char **argv)
{
	const char *v = tzx_opt(argc, argv, "--variant", "memfd");
	long pg = sysconf(_SC_PAGESIZE);
	char id[64];
	void *x;
	int ret;

	snprintf(id, sizeof(id), "wx-%s", v);
	tzx_init(argc, argv, id);
	if (!strcmp(v, "memfd"))
		x = via_memfd(pg);
	else if (!strcmp(v, "rw-r-rx"))
		x = via_rw_r_rx(pg);
	else if (!strcmp(v, "procmem"))
		x = via_procmem(pg);
	else if (!strcmp(v, "brk"))
		x = via_brk(pg);
	else if (!strcmp(v, "execstack"))
		return exec_stack(tzx_opt(argc, argv, "--xstack",
					  "/e2e/bin/e2e_xstack"));
	else
		tzx_error("unknown variant %s", v);
	if (!x) {
		tzx_result(0, 1, g_errno, g_t, "refused");
		return 0;
	}
	ret = tzx_call_code(x);
	tzx_result(ret == TZX_CODE_RET, 0, 0, tzx_now_ns(),
		   ret == TZX_CODE_RET ? "code_ran" : "wrong_return");
	return 0;
}
