// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* e2e_bench - per-operation cost of syscalls that pass tz_hooks, in ns (guest clock). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
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
	char *xpage;	/* R <-> RX: never written, alone in its VMA */
	long key;
	const char *true_exe;
	long failures;
	long long overhead;	/* ns of one now_ns() pair (timed ops) */
};

static long long now_ns(void);

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

/* As root to root: the kernel still commits new credentials (task_fix_setuid). */
static void op_setuid(struct bench_ctx *ctx)
{
	if (setuid(0) != 0)
		ctx->failures++;
}

/* The decided direction alone (R -> RX); the way back is not timed. */
static void op_mprotect_r_rx(struct bench_ctx *ctx)
{
	long long t0 = now_ns(), t1;
	int bad = mprotect(ctx->xpage, ctx->pg, PROT_READ | PROT_EXEC) != 0;

	t1 = now_ns();
	bad |= mprotect(ctx->xpage, ctx->pg, PROT_READ) != 0;
	ctx->failures += bad;
	ctx->overhead += t1 - t0;
}

/*
 * The same R -> RX, each after an untimed key read: under the shipped
 * crypto-keys policy every key use writes key_uses, which no file_mprotect
 * rule reads (per-hook cache epochs keep the cached answer).
 */
static void op_mprotect_r_rx_keys(struct bench_ctx *ctx)
{
	op_keyctl_read(ctx);
	op_mprotect_r_rx(ctx);
}

static void op_fork_exit(struct bench_ctx *ctx)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status))
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
	int timed;	/* the op times its own part (ctx->overhead) */
} ops[] = {
	{ "getpid", op_getpid, 1, 1, 0 },
	{ "mprotect_rw", op_mprotect_rw, 2, 1, 0 },
	{ "mprotect_x", op_mprotect_x, 2, 1, 0 },
	{ "mprotect_r_rx", op_mprotect_r_rx, 1, 1, 1 },
	{ "mmap_anon", op_mmap_anon, 1, 1, 0 },
	{ "mmap_x", op_mmap_x, 1, 1, 0 },
	{ "open", op_open, 1, 1, 0 },
	{ "keyctl_read", op_keyctl_read, 1, 1, 0 },
	{ "mprotect_r_rx_keys", op_mprotect_r_rx_keys, 1, 1, 1 },
	{ "setuid", op_setuid, 1, 1, 0 },
	{ "fork_exit", op_fork_exit, 1, 20, 0 },
	{ "exec", op_exec, 1, 50, 0 },
};

#define NR_OPS ((int)(sizeof(ops) / sizeof(ops[0])))

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

/* The cost of the clock itself, subtracted from self-timed ops. */
static long long clock_cost(void)
{
	long long best = -1;
	int i;

	for (i = 0; i < 64; i++) {
		long long t0 = now_ns(), d = now_ns() - t0;

		if (best < 0 || d < best)
			best = d;
	}
	return best;
}

/* Median of ROUNDS rounds, per syscall under test. */
static void run(struct bench_ctx *ctx, int idx, long iters)
{
	long long t[ROUNDS], clk = ops[idx].timed ? clock_cost() : 0;
	long i, n = iters / ops[idx].divisor;
	int r;

	if (n < 10)
		n = 10;
	for (i = 0; i < n / 10; i++)	/* warm-up */
		ops[idx].fn(ctx);
	ctx->failures = 0;
	for (r = 0; r < ROUNDS; r++) {
		long long t0 = now_ns();

		ctx->overhead = 0;
		for (i = 0; i < n; i++)
			ops[idx].fn(ctx);
		t[r] = (now_ns() - t0) / (n * ops[idx].calls);
		if (ops[idx].timed)
			t[r] = ctx->overhead / n - clk;
	}
	qsort(t, ROUNDS, sizeof(t[0]), cmp_ll);
	printf("BENCH %s iters=%ld rounds=%d ns_per_op=%lld min=%lld max=%lld failures=%ld\n",
	       ops[idx].name, n, ROUNDS, t[ROUNDS / 2], t[0], t[ROUNDS - 1],
	       ctx->failures);
	fflush(stdout);
}

/* Worker @cpu of parallel(): pinned, released by @go, runs @ms of @fn. */
static void worker(struct bench_ctx *ctx, bench_fn fn, int cpu, long ms,
		   int go, int res)
{
	cpu_set_t set;
	long long end;
	long n = 0;
	char c;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		e2e_setup_error("bench.parallel", "sched_setaffinity");
	/*
	 * The parent's key is in its process keyring, which a forked child
	 * neither shares nor possesses: every read would fail. Each worker
	 * reads a key of its own.
	 */
	if (fn == op_keyctl_read || fn == op_mprotect_r_rx_keys) {
		ctx->key = syscall(__NR_add_key, "user", "e2e-bench-worker", "x",
				   1, E2E_KEY_SPEC_PROCESS_KEYRING);
		if (ctx->key < 0)
			e2e_setup_error("bench.parallel", "add_key");
	}
	if (read(go, &c, 1) != 1)
		_exit(2);
	end = now_ns() + ms * 1000000LL;
	ctx->failures = 0;
	while (now_ns() < end) {
		int i;

		for (i = 0; i < 16; i++)
			fn(ctx);
		n += 16;
	}
	{
		long out[2] = { n, ctx->failures };

		/* One write (< PIPE_BUF): the parent reads it whole. */
		if (write(res, out, sizeof(out)) != sizeof(out))
			_exit(2);
	}
	_exit(0);
}

/*
 * Throughput of one op on W workers, worker i pinned to CPU i, all started
 * at once: iterations per second in all, and per worker.
 */
static int parallel(struct bench_ctx *ctx, int idx, int workers, long ms)
{
	int go[2], res[2], i;
	long total = 0, fails = 0, n[2];
	char per[128] = "";

	if (pipe(go) || pipe(res))
		e2e_setup_error("bench.parallel", "pipe");
	for (i = 0; i < workers; i++) {
		pid_t pid = fork();

		if (pid < 0)
			e2e_setup_error("bench.parallel", "fork");
		if (pid == 0)
			worker(ctx, ops[idx].fn, i, ms, go[0], res[1]);
	}
	close(go[0]);	/* a worker that died leaves EOF, not a hang */
	close(res[1]);
	usleep(100000);	/* all pinned and blocked in read() */
	for (i = 0; i < workers; i++)
		if (write(go[1], "g", 1) != 1)
			e2e_setup_error("bench.parallel", "write");
	for (i = 0; i < workers; i++) {
		size_t len = strlen(per);

		if (read(res[0], n, sizeof(n)) != sizeof(n))
			e2e_setup_error("bench.parallel", "read");
		total += n[0];
		fails += n[1];
		snprintf(per + len, sizeof(per) - len, "%s%ld", i ? "," : "",
			 n[0] * 1000 / ms);
	}
	while (wait(NULL) > 0)
		;
	printf("BENCH-PAR %s workers=%d ms=%ld iters=%ld per_s=%ld per_worker_s=%s failures=%ld\n",
	       ops[idx].name, workers, ms, total, total * 1000 / ms, per, fails);
	fflush(stdout);
	return 0;
}

static int find_op(const char *name)
{
	int i;

	for (i = 0; i < NR_OPS; i++)
		if (!strcmp(ops[i].name, name))
			return i;
	fprintf(stderr, "e2e_bench: no op '%s'\n", name);
	exit(2);
}

int main(int argc, char **argv)
{
	struct bench_ctx ctx = { 0 };
	long iters;
	int i, j, par = 0;

	if (argc >= 2 && !strcmp(argv[1], "--parallel"))
		par = 1;
	if (argc < 3 || (par && argc != 6)) {
		fprintf(stderr, "usage: %s ITERS TRUE_EXE [OP...]\n"
			"       %s --parallel WORKERS MS TRUE_EXE OP\n",
			argv[0], argv[0]);
		return 2;
	}
	iters = par ? 0 : atol(argv[1]);
	ctx.true_exe = argv[par ? 4 : 2];
	ctx.pg = sysconf(_SC_PAGESIZE);
	ctx.page = mmap(NULL, ctx.pg, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ctx.xpage = e2e_lone_page(PROT_READ);
	if (ctx.page == MAP_FAILED || ctx.xpage == MAP_FAILED)
		e2e_setup_error("bench", "mmap");
	ctx.key = syscall(__NR_add_key, "user", "e2e-bench", "x", 1,
			  E2E_KEY_SPEC_PROCESS_KEYRING);
	if (par)
		return parallel(&ctx, find_op(argv[5]), atoi(argv[2]),
				atol(argv[3]));
	for (i = 0; i < NR_OPS; i++) {
		int want = argc == 3;

		for (j = 3; j < argc; j++)
			want |= !strcmp(argv[j], ops[i].name);
		if (!want)
			continue;
		if ((ops[i].fn == op_keyctl_read ||
		     ops[i].fn == op_mprotect_r_rx_keys) && ctx.key < 0) {
			printf("BENCH %s skipped errno=%d\n", ops[i].name, errno);
			continue;
		}
		run(&ctx, i, iters);
	}
	return 0;
}
