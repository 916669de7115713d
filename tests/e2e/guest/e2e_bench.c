// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* e2e_bench - per-operation cost of syscalls that pass tz_hooks, in ns (guest clock). */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "e2e.h"

#define ROUNDS 5
#define E2E_KEY_SPEC_PROCESS_KEYRING	(-2)
#define E2E_KEYCTL_READ			11

struct bench_ctx {
	long pg;
	char *page;	/* RW <-> R: never executable */
	char *xpage;	/* R <-> RX: never writable, so never W->X */
	long key;
	const char *true_exe;
	long failures;
};

/* One iteration of each operation; a failed call is counted, not fatal. */
typedef void (*bench_fn)(struct bench_ctx *ctx);

static void op_getpid(struct bench_ctx *ctx)
{
	(void)ctx;
	syscall(__NR_getpid);
}

/* No PROT_EXEC involved: the kernel side should filter it out. */
static void op_mprotect_rw(struct bench_ctx *ctx)
{
	int bad = mprotect(ctx->page, ctx->pg, PROT_READ) != 0;

	bad |= mprotect(ctx->page, ctx->pg, PROT_READ | PROT_WRITE) != 0;
	ctx->failures += bad;
}

/*
 * R <-> R+X on a page that was never writable: it becomes executable, so
 * the decision reaches the secure world, and no W->X rule denies it. Both
 * calls always run, so a denial cannot leave the page in another state.
 */
static void op_mprotect_x(struct bench_ctx *ctx)
{
	int bad = mprotect(ctx->xpage, ctx->pg, PROT_READ | PROT_EXEC) != 0;

	bad |= mprotect(ctx->xpage, ctx->pg, PROT_READ) != 0;
	ctx->failures += bad;
}

static void op_mmap_anon(struct bench_ctx *ctx)
{
	void *p = mmap(NULL, ctx->pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		ctx->failures++;
	else
		munmap(p, ctx->pg);
}

static void op_mmap_x(struct bench_ctx *ctx)
{
	void *p = mmap(NULL, ctx->pg, PROT_READ | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		ctx->failures++;
	else
		munmap(p, ctx->pg);
}

static void op_open(struct bench_ctx *ctx)
{
	int fd = open(ctx->true_exe, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		ctx->failures++;
	else
		close(fd);
}

static void op_keyctl_read(struct bench_ctx *ctx)
{
	char buf[16];

	if (syscall(__NR_keyctl, E2E_KEYCTL_READ, ctx->key, buf,
		    sizeof(buf)) < 0)
		ctx->failures++;
}

static void op_exec(struct bench_ctx *ctx)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl(ctx->true_exe, ctx->true_exe, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status))
		ctx->failures++;
}

static const struct {
	const char *name;
	bench_fn fn;
	int calls;	/* syscalls under test per iteration */
	int divisor;	/* fewer iterations for expensive operations */
} ops[] = {
	{ "getpid", op_getpid, 1, 1 },
	{ "mprotect_rw", op_mprotect_rw, 2, 1 },
	{ "mprotect_x", op_mprotect_x, 2, 1 },
	{ "mmap_anon", op_mmap_anon, 1, 1 },
	{ "mmap_x", op_mmap_x, 1, 1 },
	{ "open", op_open, 1, 1 },
	{ "keyctl_read", op_keyctl_read, 1, 1 },
	{ "exec", op_exec, 1, 50 },
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* Median of ROUNDS rounds, per syscall under test. */
static void run(struct bench_ctx *ctx, int idx, long iters)
{
	long long t[ROUNDS];
	long i, n = iters / ops[idx].divisor;
	int r;

	if (n < 10)
		n = 10;
	for (i = 0; i < n / 10; i++)	/* warm-up */
		ops[idx].fn(ctx);
	ctx->failures = 0;
	for (r = 0; r < ROUNDS; r++) {
		long long t0 = now_ns();

		for (i = 0; i < n; i++)
			ops[idx].fn(ctx);
		t[r] = (now_ns() - t0) / (n * ops[idx].calls);
	}
	qsort(t, ROUNDS, sizeof(t[0]), cmp_ll);
	printf("BENCH %s iters=%ld rounds=%d ns_per_op=%lld min=%lld max=%lld failures=%ld\n",
	       ops[idx].name, n, ROUNDS, t[ROUNDS / 2], t[0], t[ROUNDS - 1],
	       ctx->failures);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct bench_ctx ctx = { 0 };
	long iters;
	int i, j;

	if (argc < 3) {
		fprintf(stderr, "usage: %s ITERS TRUE_EXE [OP...]\n", argv[0]);
		return 2;
	}
	iters = atol(argv[1]);
	ctx.true_exe = argv[2];
	ctx.pg = sysconf(_SC_PAGESIZE);
	ctx.page = mmap(NULL, ctx.pg, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ctx.xpage = mmap(NULL, ctx.pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	if (ctx.page == MAP_FAILED || ctx.xpage == MAP_FAILED)
		e2e_setup_error("bench", "mmap");
	ctx.key = syscall(__NR_add_key, "user", "e2e-bench", "x", 1,
			  E2E_KEY_SPEC_PROCESS_KEYRING);
	for (i = 0; i < (int)(sizeof(ops) / sizeof(ops[0])); i++) {
		int want = argc == 3;

		for (j = 3; j < argc; j++)
			want |= !strcmp(argv[j], ops[i].name);
		if (!want)
			continue;
		if (ops[i].fn == op_keyctl_read && ctx.key < 0) {
			printf("BENCH %s skipped errno=%d\n", ops[i].name, errno);
			continue;
		}
		run(&ctx, i, iters);
	}
	return 0;
}
