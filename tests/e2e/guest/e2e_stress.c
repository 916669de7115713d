/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * e2e_stress - the guest side of the SMP stress boot (guest/stress.sh):
 * one worker per CPU hammering decided hooks, a quiet snapshot of the
 * kernel's and the secure world's counters, and a summary of the drained
 * audit log. Nothing is judged here: tests/e2e/check_stress.py reads the
 * lines on the host.
 *
 *   e2e_stress run SECONDS CPUS MODULE.ko JIT_EXE   (workers, one per CPU)
 *   e2e_stress wx SECONDS CPU               (a worker's W->X child, JIT_EXE)
 *   e2e_stress istatus LABEL                (one INTEGRITY_STATUS line)
 *   e2e_stress snapshot NONCE_HEX REPORT_OUT
 *   e2e_stress audit-summary FILE.jsonl     (policyctl audit --follow -o)
 *
 * A worker's iteration: mprotect RW->R->RX->RW of an anonymous page never
 * written (the R->RX step is decided, and permitted), a KEYCTL_READ of its own key (decided, and
 * counted against the key quota by a rule update), every 16th an
 * anonymous R+X mmap (decided), every 32nd a finit_module of a module no
 * policy lists (decided, audited, denied). Each worker also runs a child,
 * pinned to the same CPU, from JIT_EXE (a copy of this program: another
 * executable, whose jit_allowed the administrator flips during the run):
 * a direct RW->RX every 20 ms, decided and audited either way (denied
 * while jit_allowed is 0, permitted and audited while it is 1). jit_allowed
 * of this program stays 0, so its R->RX flips are not audited.
 *
 * Output, one write(2) each (kernel messages cannot split them):
 *   @stress worker=W cpu=C pid=P iters=N wrong_cpu=0 flip_ok=.. ...
 *   @stress wx=W cpu=C pid=P attempts=N wrong_cpu=0 wx_ok=.. wx_denied=..
 *   @stress cpustat cpu=C busy=TICKS total=TICKS
 *   @snap kernel|khook|secure|shook|integrity|report|quiet ...
 *   @saudit total ... / @saudit tgid=T hook=H allow=A deny=D ...
 *   @istatus label=L state=S flags=0xF passes=P mismatches=M ...
 * Exit: 0 done, 2 a precondition failed (an "E2E stress error" line).
 */
#define _GNU_SOURCE	/* sched_setaffinity, sched_getcpu */
#include <fcntl.h>
#include <linux/tee.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "e2e.h"
#include "../../../abi/tzucon_abi.h"

#define BUF_SIZE	8192
#define MAX_CPUS	8
#define TZH_DIR		"/sys/kernel/security/tz_hooks/"
#define KEYCTL_READ_OP	11	/* KEYCTL_READ (linux/keyctl.h) */
#define SNAP_SLEEP_NS	300000000L	/* > 5 heartbeats of 50 ms */
#define SNAP_TRIES	5
#define WX_PAUSE_NS	20000000L	/* W->X pace: its records stay drainable */

static const unsigned char uuid[TEE_IOCTL_UUID_LEN] = {TZU_TEE_UUID_BYTES};

static void die(const char *what)
{
	e2e_setup_error("stress", what);
}

/* The @-lines: one write(2) each, so kernel messages cannot split them. */
static void out_line(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	fflush(stdout);
	if (write(STDOUT_FILENO, buf, n) != n)
		_exit(3);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static const char *hook_name(unsigned int h)
{
	static const char *const names[TZU_HOOK_COUNT] = {
		"none", "mmap_file", "file_mprotect", "kernel_read_file",
		"kernel_load_data", "module_request", "bpf_prog_load",
		"devmem_open", "ptrace_access", "key_alloc", "key_permission",
		"alg_socket", "alg_bind", "task_fix_setuid", "usage_end",
		"task_exit", "key_free",
	};

	return h < TZU_HOOK_COUNT ? names[h] : "secure";
}

/* --- workers ------------------------------------------------------------- */

struct counts {
	unsigned long iters, wrong_cpu, flip_ok, flip_fail, key_ok, key_denied,
		key_err, xmap_ok, xmap_denied, xmap_err, mod_denied, mod_ok,
		mod_err;
};

/* A decided call's outcome: ok, denied (EACCES/EPERM) or anything else. */
static void tally(long rc, unsigned long *ok, unsigned long *denied,
		  unsigned long *err)
{
	if (rc >= 0)
		(*ok)++;
	else if (errno == EACCES || errno == EPERM)
		(*denied)++;
	else
		(*err)++;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity (is the CPU online?)");
}

static long add_own_key(int w)
{
	char desc[32], payload[32];

	snprintf(desc, sizeof(desc), "e2e-stress-%d", w);
	memset(payload, 'k', sizeof(payload));
	return syscall(SYS_add_key, "user", desc, payload, sizeof(payload),
		       -2 /* KEY_SPEC_PROCESS_KEYRING */);
}

/* One iteration's decided calls (see the comment at the top). */
static void iteration(struct counts *c, char *page, long key, int mod_fd)
{
	char buf[64];
	long rc;
	void *x;

	if (mprotect(page, 4096, PROT_READ))
		die("mprotect RW->R");
	tally(mprotect(page, 4096, PROT_READ | PROT_EXEC), &c->flip_ok,
	      &c->flip_fail, &c->flip_fail);
	if (mprotect(page, 4096, PROT_READ | PROT_WRITE))
		die("mprotect back to RW");
	tally(syscall(SYS_keyctl, KEYCTL_READ_OP, key, buf, sizeof(buf)),
	      &c->key_ok, &c->key_denied, &c->key_err);
	if (c->iters % 16 == 0) {
		x = mmap(NULL, 4096, PROT_READ | PROT_EXEC,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		tally(x == MAP_FAILED ? -1 : 0, &c->xmap_ok, &c->xmap_denied,
		      &c->xmap_err);
		if (x != MAP_FAILED)
			munmap(x, 4096);
	}
	if (c->iters % 32 == 0) {
		rc = syscall(SYS_finit_module, mod_fd, "", 0);
		tally(rc, &c->mod_ok, &c->mod_denied, &c->mod_err);
	}
	c->iters++;
}

/*
 * RW, faulted in by a read (the zero page) and never written, alone in
 * its VMA: its R->RX flips are decided but not denied, since no-wx-memory's
 * rule 25 denies exec on memory written since it was mapped (the
 * "written" event flag).
 */
static char *anon_page(void)
{
	char *page = e2e_lone_page(PROT_READ | PROT_WRITE);

	if (page == MAP_FAILED)
		die("mmap page");
	(void)*(volatile char *)page;
	return page;
}

/* The W->X child (in JIT_EXE): see the comment at the top. */
static int cmd_wx(unsigned int seconds, int w)
{
	struct timespec pause = { 0, WX_PAUSE_NS };
	unsigned long n = 0, ok = 0, denied = 0, err = 0, wrong = 0;
	char *page;
	uint64_t t0, end;

	pin(w);
	page = anon_page();
	t0 = now_ns();
	end = t0 + seconds * 1000000000ull;
	while (now_ns() < end) {
		tally(mprotect(page, 4096, PROT_READ | PROT_EXEC), &ok, &denied, &err);
		if (mprotect(page, 4096, PROT_READ | PROT_WRITE))
			die("mprotect back to RW after W->X");
		if (sched_getcpu() != w)
			wrong++;
		n++;
		nanosleep(&pause, NULL);
	}
	out_line("@stress wx=%d cpu=%d pid=%d attempts=%lu wrong_cpu=%lu wx_ok=%lu "
		 "wx_denied=%lu wx_err=%lu ms=%llu", w, sched_getcpu(), (int)getpid(),
		 n, wrong, ok, denied, err,
		 (unsigned long long)((now_ns() - t0) / 1000000));
	return 0;
}

static pid_t spawn_wx(const char *jit_exe, unsigned int seconds, int w)
{
	char s[16], c[16];
	pid_t pid = fork();

	if (pid < 0)
		die("fork wx");
	if (pid == 0) {
		/* a killed worker (a revoked session) takes its child along */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL))
			die("prctl");
		snprintf(s, sizeof(s), "%u", seconds);
		snprintf(c, sizeof(c), "%d", w);
		execl(jit_exe, jit_exe, "wx", s, c, (char *)NULL);
		die("exec JIT_EXE");
	}
	return pid;
}

static void worker(int w, unsigned int seconds, const char *module,
		   const char *jit_exe)
{
	struct counts c = {0};
	uint64_t t0, end;
	pid_t child;
	char *page;
	long key;
	int fd, st;

	pin(w);
	/* below the audit drain and the admin's writes, which must keep up */
	if (setpriority(PRIO_PROCESS, 0, 5))
		die("setpriority");
	child = spawn_wx(jit_exe, seconds, w);
	fd = open(module, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open module");
	page = anon_page();
	key = add_own_key(w);
	if (key < 0)
		die("add_key");
	t0 = now_ns();
	end = t0 + seconds * 1000000000ull;
	while (now_ns() < end) {
		iteration(&c, page, key, fd);
		if (sched_getcpu() != w)
			c.wrong_cpu++;
	}
	out_line("@stress worker=%d cpu=%d pid=%d iters=%lu wrong_cpu=%lu "
		 "flip_ok=%lu flip_fail=%lu key_ok=%lu key_denied=%lu key_err=%lu "
		 "xmap_ok=%lu xmap_denied=%lu xmap_err=%lu mod_denied=%lu mod_ok=%lu "
		 "mod_err=%lu key=%ld ms=%llu",
		 w, sched_getcpu(), (int)getpid(), c.iters, c.wrong_cpu, c.flip_ok,
		 c.flip_fail, c.key_ok, c.key_denied, c.key_err, c.xmap_ok,
		 c.xmap_denied, c.xmap_err, c.mod_denied, c.mod_ok, c.mod_err, key,
		 (unsigned long long)((now_ns() - t0) / 1000000));
	if (waitpid(child, &st, 0) != child || !WIFEXITED(st) || WEXITSTATUS(st))
		die("the W->X child failed");
	_exit(0);
}

/* Per-CPU busy and total ticks from /proc/stat ("cpuN user nice system idle ..."). */
static int cpu_ticks(unsigned long long busy[], unsigned long long total[])
{
	unsigned long long v[10];
	char line[256];
	FILE *f = fopen("/proc/stat", "r");
	int cpu, n = 0, i, got;

	if (!f)
		die("/proc/stat");
	while (fgets(line, sizeof(line), f)) {
		memset(v, 0, sizeof(v));
		got = sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu",
			     &cpu, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			     &v[7]);
		if (got < 5 || cpu < 0 || cpu >= MAX_CPUS)
			continue;
		total[cpu] = 0;
		for (i = 0; i < 8; i++)
			total[cpu] += v[i];
		busy[cpu] = total[cpu] - v[3] - v[4];	/* not idle, not iowait */
		if (cpu + 1 > n)
			n = cpu + 1;
	}
	fclose(f);
	return n;
}

static int cmd_run(unsigned int seconds, int cpus, const char *module,
		   const char *jit_exe)
{
	unsigned long long b0[MAX_CPUS] = {0}, t0[MAX_CPUS] = {0};
	unsigned long long b1[MAX_CPUS] = {0}, t1[MAX_CPUS] = {0};
	int w, st, bad = 0, n;
	pid_t pid[MAX_CPUS];

	if (cpus < 1 || cpus > MAX_CPUS)
		die("cpus");
	n = cpu_ticks(b0, t0);
	for (w = 0; w < cpus; w++) {
		pid[w] = fork();
		if (pid[w] < 0)
			die("fork");
		if (pid[w] == 0)
			worker(w, seconds, module, jit_exe);
	}
	for (w = 0; w < cpus; w++) {
		if (waitpid(pid[w], &st, 0) != pid[w] || !WIFEXITED(st) ||
		    WEXITSTATUS(st)) {
			out_line("@stress worker=%d exit=0x%x", w, st);
			bad++;
		}
	}
	cpu_ticks(b1, t1);
	for (w = 0; w < n; w++)
		out_line("@stress cpustat cpu=%d busy=%llu total=%llu", w,
			 b1[w] - b0[w], t1[w] - t0[w]);
	out_line("@stress done workers=%d seconds=%u failed=%d", cpus, seconds, bad);
	return bad ? 1 : 0;
}

/* --- the secure world through /dev/tee0 --------------------------------- */

struct tee {
	int fd;
	unsigned int session;
	void *in, *out;
	int in_id, out_id;
};

static void shm(struct tee *t, void **p, int *id)
{
	struct tee_ioctl_shm_alloc_data d = { .size = BUF_SIZE };
	int sfd = ioctl(t->fd, TEE_IOC_SHM_ALLOC, &d);

	if (sfd < 0)
		die("shm");
	*p = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
	if (*p == MAP_FAILED)
		die("shm mmap");
	*id = d.id;
}

static void tee_open(struct tee *t)
{
	struct tee_ioctl_open_session_arg os = { .clnt_login = TEE_IOCTL_LOGIN_PUBLIC };
	struct tee_ioctl_buf_data bd = { .buf_ptr = (uintptr_t)&os, .buf_len = sizeof(os) };

	t->fd = open("/dev/tee0", O_RDWR | O_CLOEXEC);
	memcpy(os.uuid, uuid, sizeof(uuid));
	if (t->fd < 0 || ioctl(t->fd, TEE_IOC_OPEN_SESSION, &bd) < 0 || os.ret)
		die("open session");
	t->session = os.session;
	shm(t, &t->in, &t->in_id);
	shm(t, &t->out, &t->out_id);
}

/* One command: @req (its header filled here) in, the answer in t->out. */
static const void *invoke(struct tee *t, unsigned int cmd, void *req,
			  size_t req_len, size_t want)
{
	struct {
		struct tee_ioctl_invoke_arg arg;
		struct tee_ioctl_param params[2];
	} inv;
	struct tee_ioctl_buf_data bd = { .buf_ptr = (uintptr_t)&inv, .buf_len = sizeof(inv) };
	struct tzu_hdr *h = req;
	const struct tzu_hdr *rh = t->out;

	h->magic = TZU_MAGIC;
	h->version = TZU_ABI_VERSION;
	h->command = cmd;
	h->size = req_len;
	memcpy(t->in, req, req_len);
	memset(t->out, 0, BUF_SIZE);
	memset(&inv, 0, sizeof(inv));
	inv.arg.func = cmd;
	inv.arg.session = t->session;
	inv.arg.num_params = 2;
	inv.params[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
	inv.params[0].b = req_len;
	inv.params[0].c = t->in_id;
	inv.params[1].attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT;
	inv.params[1].b = BUF_SIZE;
	inv.params[1].c = t->out_id;
	if (ioctl(t->fd, TEE_IOC_INVOKE, &bd) < 0 || inv.arg.ret)
		die("invoke");
	if (rh->magic != TZU_MAGIC || rh->status != TZU_OK || rh->size < want ||
	    rh->size > BUF_SIZE)
		die("bad answer");
	return t->out;
}

static void get_stats(struct tee *t, struct tzu_stats *st)
{
	struct tzu_session_req req = {0};

	memcpy(st, invoke(t, TZU_CMD_GET_STATS, &req, sizeof(req), sizeof(*st)),
	       sizeof(*st));
}

static void get_istatus(struct tee *t, struct tzu_integrity_status *st)
{
	struct tzu_session_req req = {0};

	memcpy(st, invoke(t, TZU_CMD_INTEGRITY_STATUS, &req, sizeof(req),
			  sizeof(*st)), sizeof(*st));
}

static void print_istatus(const char *label, const struct tzu_integrity_status *s)
{
	out_line("@istatus label=%s state=%u flags=0x%x passes=%llu mismatches=%llu "
		 "heartbeats=%llu kernel_decisions=%llu secure_decisions=%llu "
		 "now_us=%llu", label, s->state, s->flags,
		 (unsigned long long)s->passes, (unsigned long long)s->mismatches,
		 (unsigned long long)s->heartbeats,
		 (unsigned long long)s->kernel_decisions,
		 (unsigned long long)s->secure_decisions,
		 (unsigned long long)s->now_us);
}

static int cmd_istatus(const char *label)
{
	struct tzu_integrity_status s;
	struct tee t;

	tee_open(&t);
	get_istatus(&t, &s);
	print_istatus(label, &s);
	return 0;
}

/* --- the quiet snapshot -------------------------------------------------- */

static const char *const kcounter[] = {
	"decisions", "allowed", "denied", "would_deny", "filtered", "errors",
	"unreachable", "early_allowed", "early_denied", "local_denials",
	"revocations", "audit", "audit_dropped", "kills", "remeasure",
	"hook_events",
};
#define NKC (sizeof(kcounter) / sizeof(kcounter[0]))

/* Every tz_hooks counter file and the hooks table, as one text. */
static void kernel_text(char *buf, size_t size)
{
	char path[128];
	size_t len = 0;
	unsigned int i;
	ssize_t n;
	int fd;

	for (i = 0; i <= NKC && len + 1 < size; i++) {
		snprintf(path, sizeof(path), TZH_DIR "%s", i < NKC ? kcounter[i] : "hooks");
		if (i < NKC)
			len += snprintf(buf + len, size - len, "%s ", kcounter[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? -1 : read(fd, buf + len, size - len - 1);
		if (fd >= 0)
			close(fd);
		if (n < 0)
			len += snprintf(buf + len, size - len, "-1\n");
		else
			len += n;
	}
	buf[len] = 0;
}

static void print_kernel(const char *kernel)
{
	static char text[16384];
	char line[1024], *l, *save = NULL;
	size_t len = 0;

	snprintf(text, sizeof(text), "%s", kernel);

	/* "name value" lines first, then "hook events filtered ..." lines */
	for (l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char name[40], rest[200];
		unsigned long v;

		if (sscanf(l, "%39s %lu", name, &v) != 2)
			continue;
		if (sscanf(l, "%39s %*u %199[0-9 ]", name, rest) == 2) {
			out_line("@snap khook name=%s counts=%s", name, l + strlen(name) + 1);
			continue;
		}
		len += snprintf(line + len, sizeof(line) - len, " %s=%lu", name, v);
	}
	out_line("@snap kernel%s", line);
}

static void print_secure(const struct tzu_stats *s)
{
	unsigned int h;

	out_line("@snap secure decisions=%llu allowed=%llu denied=%llu "
		 "permissive_denials=%llu filtered=%llu errors=%llu revocations=%llu "
		 "audit_records=%llu audit_dropped=%llu audit_full_denials=%llu "
		 "auth_failures=%llu epoch=%u live_sessions=%u integrity_state=%u "
		 "client_sessions=%u",
		 (unsigned long long)s->decisions, (unsigned long long)s->allowed,
		 (unsigned long long)s->denied,
		 (unsigned long long)s->permissive_denials,
		 (unsigned long long)s->filtered, (unsigned long long)s->errors,
		 (unsigned long long)s->revocations,
		 (unsigned long long)s->audit_records,
		 (unsigned long long)s->audit_dropped,
		 (unsigned long long)s->audit_full_denials,
		 (unsigned long long)s->auth_failures, s->epoch, s->live_sessions,
		 s->integrity_state, s->client_sessions);
	for (h = 1; h < TZU_HOOK_COUNT; h++)
		out_line("@snap shook name=%s decisions=%llu", hook_name(h),
			 (unsigned long long)s->per_hook[h]);
}

static int hex_nonce(const char *hex, unsigned char *out)
{
	unsigned int i, v;

	if (strlen(hex) != 2 * TZU_NONCE_LEN)
		return -1;
	for (i = 0; i < TZU_NONCE_LEN; i++) {
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = v;
	}
	return 0;
}

static void get_report(struct tee *t, const char *nonce, const char *path)
{
	struct tzu_report_req req = {0};
	const struct tzu_report *r;
	int fd;

	if (hex_nonce(nonce, req.nonce))
		die("nonce (64 hex digits)");
	r = invoke(t, TZU_CMD_GET_REPORT, &req, sizeof(req), sizeof(*r));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, r, sizeof(*r)) != (ssize_t)sizeof(*r) || close(fd))
		die("write report");
	out_line("@snap report decisions=%llu denied=%llu errors=%llu "
		 "audit_next_index=%llu audit_dropped=%llu audit_unrecorded=%u "
		 "integrity_state=%u integrity_passes=%llu integrity_mismatches=%llu",
		 (unsigned long long)r->decisions, (unsigned long long)r->denied,
		 (unsigned long long)r->errors,
		 (unsigned long long)r->audit_next_index,
		 (unsigned long long)r->audit_dropped, r->audit_unrecorded,
		 r->integrity_state, (unsigned long long)r->integrity_passes,
		 (unsigned long long)r->integrity_mismatches);
}

/*
 * The kernel's counters read before and after the secure world's, with
 * nothing decided in between (this process makes no decided call between
 * its two reads; the caller stopped everything else): if the two reads
 * differ, something ran, and the snapshot is tried again.
 */
static int cmd_snapshot(const char *nonce, const char *report)
{
	static char k1[16384], k2[16384];
	struct timespec pause = { 0, SNAP_SLEEP_NS };
	struct tzu_integrity_status is;
	struct tzu_stats st;
	struct tee t;
	int try;

	tee_open(&t);	/* its mmaps are decided: before the first read */
	for (try = 1; try <= SNAP_TRIES; try++) {
		kernel_text(k1, sizeof(k1));
		nanosleep(&pause, NULL);	/* heartbeats carry the count */
		get_stats(&t, &st);
		get_istatus(&t, &is);
		kernel_text(k2, sizeof(k2));
		if (!strcmp(k1, k2))
			break;
	}
	out_line("@snap quiet=%d tries=%d", try <= SNAP_TRIES, try > SNAP_TRIES ? SNAP_TRIES : try);
	print_kernel(k2);
	print_secure(&st);
	print_istatus("snapshot", &is);
	get_report(&t, nonce, report);
	kernel_text(k1, sizeof(k1));
	out_line("@snap after_report same=%d", !strcmp(k1, k2));
	return 0;
}

/* --- the drained audit log ----------------------------------------------- */

#define MAX_TGIDS	64
#define MAX_SEQS	262144

struct tgid_sum {
	unsigned long tgid;
	unsigned long allow[TZU_HOOK_COUNT], deny[TZU_HOOK_COUNT];
	unsigned long long last_seq, first_seq;
	unsigned long nonmono;
};

static int field(const char *line, const char *key, unsigned long long *v)
{
	char pat[40];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(line, pat);
	if (!p)
		return -1;
	*v = strtoull(p + strlen(pat), NULL, 10);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static struct tgid_sum *tgid_slot(struct tgid_sum *t, int *n, unsigned long tgid)
{
	int i;

	for (i = 0; i < *n; i++)
		if (t[i].tgid == tgid)
			return &t[i];
	if (*n == MAX_TGIDS)
		return NULL;
	memset(&t[*n], 0, sizeof(t[*n]));
	t[*n].tgid = tgid;
	return &t[(*n)++];
}

static void print_tgids(const struct tgid_sum *t, int n)
{
	unsigned int h;
	int i;

	for (i = 0; i < n; i++)
		for (h = 0; h < TZU_HOOK_COUNT; h++)
			if (t[i].allow[h] || t[i].deny[h])
				out_line("@saudit tgid=%lu hook=%s allow=%lu deny=%lu "
					 "nonmono=%lu first_seq=%llu last_seq=%llu",
					 t[i].tgid, hook_name(h), t[i].allow[h],
					 t[i].deny[h], t[i].nonmono, t[i].first_seq,
					 t[i].last_seq);
}

static int cmd_audit_summary(const char *path)
{
	static struct tgid_sum tg[MAX_TGIDS];
	static uint64_t seqs[MAX_SEQS];
	unsigned long long idx, seq, hook, tgid, verdict, first = 0, last = 0;
	unsigned long recs = 0, dec = 0, sec = 0, gaps = 0, anchors = 0, dup = 0;
	unsigned long nseq = 0, i, overflow = 0;
	struct tgid_sum *s;
	char line[2048];
	int ntg = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		die("open audit log");
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "\"anchor\"")) {
			anchors++;
			continue;
		}
		if (field(line, "index", &idx) || field(line, "event_seq", &seq) ||
		    field(line, "hook", &hook) || field(line, "tgid", &tgid) ||
		    field(line, "verdict", &verdict))
			continue;
		if (recs && idx != last + 1)
			gaps++;
		if (!recs)
			first = idx;
		last = idx;
		recs++;
		if (hook >= TZU_HOOK_COUNT) {
			sec++;
			continue;
		}
		dec++;
		if (nseq < MAX_SEQS)
			seqs[nseq++] = seq;
		else
			overflow++;
		s = tgid_slot(tg, &ntg, tgid);
		if (!s) {
			overflow++;
			continue;
		}
		if (s->allow[hook] + s->deny[hook] == 0 && !s->first_seq)
			s->first_seq = seq;
		if (s->last_seq && seq <= s->last_seq)
			s->nonmono++;
		s->last_seq = seq;
		if (verdict == TZU_VERDICT_ALLOW)
			s->allow[hook]++;
		else
			s->deny[hook]++;
	}
	fclose(f);
	qsort(seqs, nseq, sizeof(seqs[0]), cmp_u64);
	for (i = 1; i < nseq; i++)
		if (seqs[i] == seqs[i - 1])
			dup++;
	print_tgids(tg, ntg);
	out_line("@saudit total records=%lu decisions=%lu secure=%lu first=%llu "
		 "last=%llu gaps=%lu anchors=%lu dup_seq=%lu overflow=%lu",
		 recs, dec, sec, first, last, gaps, anchors, dup, overflow);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "run"))
		return cmd_run(strtoul(argv[2], NULL, 0), atoi(argv[3]), argv[4],
			       argv[5]);
	if (argc == 4 && !strcmp(argv[1], "wx"))
		return cmd_wx(strtoul(argv[2], NULL, 0), atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "istatus"))
		return cmd_istatus(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "snapshot"))
		return cmd_snapshot(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "audit-summary"))
		return cmd_audit_summary(argv[2]);
	fprintf(stderr, "usage: e2e_stress run SECONDS CPUS MODULE JIT_EXE | wx SECONDS CPU |\n"
		"       istatus LABEL |\n"
		"       snapshot NONCE_HEX REPORT_OUT | audit-summary FILE\n");
	return 2;
}
