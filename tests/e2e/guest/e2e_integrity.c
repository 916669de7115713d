/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * e2e_integrity - the guest side of the kernel-integrity e2e run
 * (guest/integrity.sh): reads INTEGRITY_STATUS through /dev/tee0 and waits
 * for what the secure world must see after each attack; also the victims
 * whose revocation is checked (a key, a process with an executable
 * anonymous mapping) and the /dev/mem write attempt.
 *
 *   e2e_integrity status
 *   e2e_integrity wait-mismatch PREV ATTACK_NS_FILE TIMEOUT_MS
 *   e2e_integrity wait-flag FLAG SINCE_NS|FILE TIMEOUT_MS
 *   e2e_integrity wait-clean KIND TIMEOUT_MS   (text, ..., all)
 *   e2e_integrity wait-passes N TIMEOUT_MS
 *   e2e_integrity hold-exec             (maps anonymous exec memory, sleeps)
 *   e2e_integrity key-add DESC | key-read SERIAL CASE
 *   e2e_integrity wait-key-denied SERIAL TIMEOUT_MS
 *   e2e_integrity wait-gone PID TIMEOUT_MS  (exited or a zombie)
 *   e2e_integrity devmem-write PA
 *
 * Output, one line each (single write, see e2e.h), parsed by
 * tests/e2e/check_integrity.py:
 *   @istatus state=S flags=0xF passes=P mismatches=M ...
 *   @iregion i=I kind=K flags=0xF va=0xV len=L mismatches=M first_offset=O name=N
 *   @iwait what=W ok=0|1 latency_ms=X waited_ms=Y polls=N state=S mismatches=M
 *   @idirty regions=KIND:NAME+OFFSET,... | none   (after each wait)
 * The waits poll every 2 ms, so a latency is an upper bound within 2 ms
 * plus one status round trip. Exit: 0 done (ok=1), 1 timed out, 2 error.
 */
#include <fcntl.h>
#include <linux/tee.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#include "e2e.h"
#include "../../../abi/tzucon_abi.h"

#define POLL_NS		2000000L
#define BUF_SIZE	8192

static const unsigned char uuid[TEE_IOCTL_UUID_LEN] = {TZU_TEE_UUID_BYTES};

struct tee {
	int fd;
	unsigned int session;
	void *in, *out;
	int in_id, out_id;
};

static void die(const char *what)
{
	e2e_setup_error("integrity", what);
}

/* The @-lines: one write(2) each, so kernel messages cannot split them. */
static void out_line(const char *fmt, ...)
{
	char buf[512];
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

/* INTEGRITY_STATUS; the answer (status + regions) is in t->out. */
static const struct tzu_integrity_status *get_status(struct tee *t)
{
	struct {
		struct tee_ioctl_invoke_arg arg;
		struct tee_ioctl_param params[2];
	} inv;
	struct tee_ioctl_buf_data bd = { .buf_ptr = (uintptr_t)&inv, .buf_len = sizeof(inv) };
	struct tzu_session_req *req = t->in;
	const struct tzu_integrity_status *st = t->out;

	memset(req, 0, sizeof(*req));
	req->hdr.magic = TZU_MAGIC;
	req->hdr.version = TZU_ABI_VERSION;
	req->hdr.command = TZU_CMD_INTEGRITY_STATUS;
	req->hdr.size = sizeof(*req);
	memset(&inv, 0, sizeof(inv));
	inv.arg.func = TZU_CMD_INTEGRITY_STATUS;
	inv.arg.session = t->session;
	inv.arg.num_params = 2;
	inv.params[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
	inv.params[0].b = sizeof(*req);
	inv.params[0].c = t->in_id;
	inv.params[1].attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT;
	inv.params[1].b = BUF_SIZE;
	inv.params[1].c = t->out_id;
	if (ioctl(t->fd, TEE_IOC_INVOKE, &bd) < 0 || inv.arg.ret)
		die("invoke INTEGRITY_STATUS");
	if (st->hdr.status != TZU_OK || st->hdr.size < sizeof(*st) ||
	    st->hdr.size > BUF_SIZE ||
	    st->n_regions > (st->hdr.size - sizeof(*st)) / sizeof(struct tzu_integrity_region))
		die("bad INTEGRITY_STATUS answer");
	return st;
}

static const struct tzu_integrity_region *region(const struct tzu_integrity_status *st,
						 unsigned int i)
{
	return (const struct tzu_integrity_region *)(st + 1) + i;
}

static void print_status(const struct tzu_integrity_status *st)
{
	unsigned int i;

	out_line("@istatus state=%u flags=0x%x passes=%llu mismatches=%llu ticks=%llu "
		 "period_us=%u chunk_bytes=%u bytes_total=%llu pass_us=%llu heartbeats=%llu "
		 "heartbeat_ms=%u heartbeat_timeout_ms=%u now_us=%llu last_heartbeat_us=%llu "
		 "first_violation_us=%llu n_regions=%u",
		 st->state, st->flags, (unsigned long long)st->passes,
		 (unsigned long long)st->mismatches, (unsigned long long)st->ticks,
		 st->period_us, st->chunk_bytes, (unsigned long long)st->bytes_total,
		 (unsigned long long)st->pass_us, (unsigned long long)st->heartbeats,
		 st->heartbeat_ms, st->heartbeat_timeout_ms,
		 (unsigned long long)st->now_us, (unsigned long long)st->last_heartbeat_us,
		 (unsigned long long)st->first_violation_us, st->n_regions);
	for (i = 0; i < st->n_regions; i++) {
		const struct tzu_integrity_region *r = region(st, i);

		out_line("@iregion i=%u kind=%u flags=0x%x va=0x%08x len=%u mismatches=%u "
			 "first_offset=%d name=%.*s", i, r->kind, r->flags, r->va, r->len,
			 r->mismatches, (int)r->first_offset, (int)sizeof(r->name), r->name);
	}
}

static const struct { const char *name; uint32_t bit; } flags[] = {
	{ "manifest", TZU_IS_MANIFEST }, { "registered", TZU_IS_REGISTERED },
	{ "sealed", TZU_IS_SEALED }, { "timer", TZU_IS_TIMER },
	{ "smc_fallback", TZU_IS_SMC_FALLBACK },
	{ "heartbeat_lost", TZU_IS_HEARTBEAT_LOST },
	{ "counters_disagree", TZU_IS_COUNTERS_DISAGREE },
	{ "deadline_missed", TZU_IS_DEADLINE_MISSED },
	{ "manifest_bad", TZU_IS_MANIFEST_BAD },
	{ "timer_tampered", TZU_IS_TIMER_TAMPERED },
};

static uint32_t flag_bit(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (!strcmp(flags[i].name, name))
			return flags[i].bit;
	die("unknown flag");
	return 0;
}

/* A number, or the path of a file that holds one (a module parameter). */
static uint64_t number_or_file(const char *s)
{
	char buf[64], *end;
	unsigned long long v = strtoull(s, &end, 0);
	FILE *f;

	if (*s && !*end)
		return v;
	f = fopen(s, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		die("read attack_ns");
	fclose(f);
	return strtoull(buf, NULL, 0);
}

/* Which regions differ from their baseline now: what a detection names. */
static void print_dirty(const struct tzu_integrity_status *st)
{
	char buf[400];
	unsigned int i;
	int n = 0;

	buf[0] = 0;
	for (i = 0; i < st->n_regions && n < (int)sizeof(buf) - 64; i++) {
		const struct tzu_integrity_region *r = region(st, i);

		if (r->flags & TZU_IRF_DIRTY)
			n += snprintf(buf + n, sizeof(buf) - n, "%s%u:%.*s+%u", n ? "," : "",
				      r->kind, 24, r->name, r->first_offset);
	}
	out_line("@idirty regions=%s", n ? buf : "none");
}

static const char *const kinds[] = {
	[TZU_IREG_TEXT] = "text", [TZU_IREG_SYSCALL_TABLE] = "syscall_table",
	[TZU_IREG_RODATA] = "rodata", [TZU_IREG_RO_AFTER_INIT] = "ro_after_init",
	[TZU_IREG_EX_TABLE] = "ex_table", [TZU_IREG_VECTORS] = "vectors",
	[TZU_IREG_STUBS] = "stubs", [TZU_IREG_MODULE] = "module",
};

/* A region kind by name; "all" (0) is every region. */
static uint64_t kind_of(const char *name)
{
	size_t i;

	if (!strcmp(name, "all"))
		return 0;
	for (i = 1; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i] && !strcmp(kinds[i], name))
			return i;
	die("unknown region kind");
	return 0;
}

typedef int (*done_fn)(const struct tzu_integrity_status *st, uint64_t arg);

static int done_mismatch(const struct tzu_integrity_status *st, uint64_t prev)
{
	return st->mismatches > prev;
}

static int done_flag(const struct tzu_integrity_status *st, uint64_t bit)
{
	return (st->flags & bit) != 0;
}

static int done_passes(const struct tzu_integrity_status *st, uint64_t target)
{
	return st->passes >= target;
}

static int done_clean(const struct tzu_integrity_status *st, uint64_t kind)
{
	unsigned int i;

	for (i = 0; i < st->n_regions; i++)
		if ((!kind || region(st, i)->kind == kind) &&
		    (region(st, i)->flags & TZU_IRF_DIRTY))
			return 0;
	return 1;
}

/*
 * Polls until @done or @timeout_ms; @since_ns (CLOCK_MONOTONIC, 0 = the
 * start of the wait) is what the latency is measured from.
 */
static int wait_for(struct tee *t, const char *what, done_fn done, uint64_t arg,
		    uint64_t since_ns, long timeout_ms)
{
	struct timespec nap = { .tv_nsec = POLL_NS };
	uint64_t start = now_ns(), now;
	const struct tzu_integrity_status *st;
	unsigned long polls = 0;
	int ok;

	for (;;) {
		st = get_status(t);
		now = now_ns();
		polls++;
		ok = done(st, arg);
		if (ok || now - start > (uint64_t)timeout_ms * 1000000ull)
			break;
		nanosleep(&nap, NULL);
	}
	if (!since_ns)
		since_ns = start;
	out_line("@iwait what=%s ok=%d latency_ms=%.3f waited_ms=%.3f polls=%lu state=%u "
		 "flags=0x%x passes=%llu mismatches=%llu", what, ok,
		 (double)(int64_t)(now - since_ns) / 1e6, (double)(now - start) / 1e6,
		 polls, st->state, st->flags, (unsigned long long)st->passes,
		 (unsigned long long)st->mismatches);
	print_dirty(st);
	if (!ok)
		print_status(st);
	return ok ? 0 : 1;
}

static long arg_long(const char *s)
{
	char *end;
	long v = strtol(s, &end, 0);

	if (!*s || *end)
		die("bad number");
	return v;
}

/* Holds an executable anonymous mapping (a usage session) until killed. */
static int hold_exec(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		e2e_line("integrity.hold_exec", "fail", errno, NULL);
		return 1;
	}
	e2e_line("integrity.hold_exec", "ok", 0, "addr=%p", p);
	for (;;)
		pause();
}

/* From <linux/keyctl.h>; raw syscalls, no libkeyutils. The user keyring,
 * so that another process of root possesses the key too. */
#define E2EI_KEY_SPEC_USER_KEYRING	(-4)
#define E2EI_KEYCTL_READ		11

static const char payload[] = "tzucon-integrity-secret";

static int key_add(const char *desc)
{
	long serial = syscall(__NR_add_key, "user", desc, payload, sizeof(payload) - 1,
			      E2EI_KEY_SPEC_USER_KEYRING);

	if (serial < 0) {
		e2e_line("integrity.key_add", "fail", errno, NULL);
		return 1;
	}
	e2e_line("integrity.key_add", "ok", 0, "serial=%ld", serial);
	return 0;
}

static int key_read(const char *tcase, long serial)
{
	char buf[64];
	long n = syscall(__NR_keyctl, E2EI_KEYCTL_READ, serial, buf, sizeof(buf));

	if (n < 0) {
		e2e_line(tcase, "fail", errno, NULL);
		return 1;
	}
	if (n != (long)sizeof(payload) - 1 || memcmp(buf, payload, n)) {
		e2e_line(tcase, "error", 0, "what=payload");
		return 2;
	}
	e2e_line(tcase, "ok", 0, NULL);
	return 0;
}

/* A key use that fails (the revoked session), polled every 10 ms. */
static int wait_key_denied(long serial, long timeout_ms)
{
	struct timespec nap = { .tv_nsec = 10000000L };
	uint64_t start = now_ns();
	char buf[64];
	long n;

	for (;;) {
		n = syscall(__NR_keyctl, E2EI_KEYCTL_READ, serial, buf, sizeof(buf));
		if (n < 0 || now_ns() - start > (uint64_t)timeout_ms * 1000000ull)
			break;
		nanosleep(&nap, NULL);
	}
	out_line("@iwait what=key_denied ok=%d errno=%d waited_ms=%.3f", n < 0,
		 n < 0 ? errno : 0, (double)(now_ns() - start) / 1e6);
	return n < 0 ? 0 : 1;
}

/* Gone: no /proc entry, or a zombie (killed, not yet reaped by its shell). */
static int process_gone(long pid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 1;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

static int wait_gone(long pid, long timeout_ms)
{
	struct timespec nap = { .tv_nsec = POLL_NS };
	uint64_t start = now_ns();
	int gone;

	while (!(gone = process_gone(pid)) &&
	       now_ns() - start <= (uint64_t)timeout_ms * 1000000ull)
		nanosleep(&nap, NULL);
	out_line("@iwait what=gone ok=%d pid=%ld waited_ms=%.3f", gone, pid,
		 (double)(now_ns() - start) / 1e6);
	return gone ? 0 : 1;
}

/*
 * The policy permits opening /dev/mem for writing; CONFIG_STRICT_DEVMEM
 * must still refuse kernel RAM to read(), write() and mmap(). One word is
 * written back with its own value, so even a kernel that allowed it would
 * be left unchanged except for what the measurement is meant to see.
 */
static int devmem_write(unsigned long pa)
{
	uint32_t word = 0;
	int fd = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
	ssize_t r = -1, w = -1;
	int rerr = 0, werr = 0, merr = 0;
	void *m = MAP_FAILED;

	if (fd < 0) {
		e2e_line("integrity.devmem.open", "fail", errno, NULL);
		return 1;
	}
	e2e_line("integrity.devmem.open", "ok", 0, NULL);
	r = pread(fd, &word, sizeof(word), pa);
	rerr = r < 0 ? errno : 0;
	word ^= 0xffffffffu;	/* a different word, as a real attacker would write */
	w = pwrite(fd, &word, sizeof(word), pa);
	werr = w < 0 ? errno : 0;
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, pa & ~4095ul);
	merr = m == MAP_FAILED ? errno : 0;
	e2e_line("integrity.devmem.read", r == sizeof(word) ? "ok" : "fail", rerr, NULL);
	e2e_line("integrity.devmem.write", w == sizeof(word) ? "ok" : "fail", werr, NULL);
	e2e_line("integrity.devmem.mmap", m != MAP_FAILED ? "ok" : "fail", merr, NULL);
	if (m != MAP_FAILED)
		munmap(m, 4096);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct tee t;
	const char *c = argc > 1 ? argv[1] : "";

	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(c, "hold-exec"))
		return hold_exec();
	if (!strcmp(c, "key-add") && argc == 3)
		return key_add(argv[2]);
	if (!strcmp(c, "key-read") && argc == 4)
		return key_read(argv[3], arg_long(argv[2]));
	if (!strcmp(c, "wait-key-denied") && argc == 4)
		return wait_key_denied(arg_long(argv[2]), arg_long(argv[3]));
	if (!strcmp(c, "wait-gone") && argc == 4)
		return wait_gone(arg_long(argv[2]), arg_long(argv[3]));
	if (!strcmp(c, "devmem-write") && argc == 3)
		return devmem_write(strtoul(argv[2], NULL, 0));
	tee_open(&t);
	if (!strcmp(c, "status")) {
		print_status(get_status(&t));
		return 0;
	}
	if (!strcmp(c, "wait-mismatch") && argc == 5)
		return wait_for(&t, "mismatch", done_mismatch, arg_long(argv[2]),
				number_or_file(argv[3]), arg_long(argv[4]));
	if (!strcmp(c, "wait-flag") && argc == 5) {
		char what[64];

		snprintf(what, sizeof(what), "flag.%s", argv[2]);
		return wait_for(&t, what, done_flag, flag_bit(argv[2]),
				number_or_file(argv[3]), arg_long(argv[4]));
	}
	if (!strcmp(c, "wait-clean") && argc == 4)
		return wait_for(&t, "clean", done_clean, kind_of(argv[2]), 0,
				arg_long(argv[3]));
	if (!strcmp(c, "wait-passes") && argc == 4) {
		uint64_t target = get_status(&t)->passes + arg_long(argv[2]);

		return wait_for(&t, "passes", done_passes, target, 0, arg_long(argv[3]));
	}
	die("usage");
	return 2;
}
