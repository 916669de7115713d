// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* tzx_tee - root tries to disable the monitor through /dev/tee0: forged/replayed blobs and authorizations, sessions, securityfs. */
#include <dirent.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "tzx.h"

/*
 *   tzx_tee --attack A [options] [--id ID] [--trial N]
 * blob --blob FILE [--flip]  LOAD_POLICY of FILE (a blob signed by a key the
 *        device does not trust, an older or the current version: a replay),
 *        --flip: one byte of its rules changed first (a forged body under a
 *        genuine signature). effect=1: the secure world's epoch or policy
 *        version changed (GET_STATS before and after).
 * mode-forged  SET_MODE permissive with a tzu_auth for this boot's challenge
 *        (nonce, counter, device id: all public) and a made-up signature.
 * mode-replay --admin-key K [--policyctl P]  the owner sets permissive with
 *        a token and then enforce again (policyctl, the admin key is in the
 *        lab guest on purpose); the attacker resends the permissive token;
 *        the owner then restores the mode found at the start.
 *        mode-*: effect=1: GET_STATS shows mode permissive afterwards.
 * sessions   open /dev/tee0 sessions until refused, hold them, then probe a
 *        hook; close-sessions: close every session id 1..512 we can name.
 *        effect=1: the probe's hook event was not decided by the secure
 *        world any more (per_hook counter did not move).
 * securityfs  write "0" into every tz_hooks securityfs file. effect=1: a
 *        write was accepted and the file then reads back 0.
 */
static struct tzx_tee g_t;

static void open_tee(void)
{
	if (tzx_tee_open(&g_t))
		tzx_error("open /dev/tee0 session");
}

static void stats(struct tzu_stats *st)
{
	if (tzx_tee_stats(&g_t, st))
		tzx_error("GET_STATS");
}

/* A secure-world refusal: denied=1, errno EACCES, note status_<n>. */
static void refused_status(long status, uint64_t t)
{
	char note[32];

	snprintf(note, sizeof(note), "status_%ld", status);
	tzx_result(0, 1, EACCES, t, note);
}

static int attack_blob(const char *path, int flip)
{
	struct tzu_load_policy_req *req = g_t.in;
	struct tzu_stats a, b;
	uint8_t *blob = (uint8_t *)(req + 1);
	uint64_t t;
	long n, st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		tzx_error("open %s", path);
	n = read(fd, blob, TZX_SHM_SIZE - sizeof(*req));
	close(fd);
	if (n <= 64)
		tzx_error("read %s", path);
	if (flip)
		blob[n / 2] ^= 0x01;	/* inside the rules, before the signature */
	stats(&a);
	tzx_hdr(&req->hdr, TZU_CMD_LOAD_POLICY, sizeof(*req) + n);
	req->session = 0;
	req->blob_size = n;
	st = tzx_tee_invoke(&g_t, TZU_CMD_LOAD_POLICY, sizeof(*req) + n);
	t = tzx_now_ns();
	if (st < 0)
		tzx_error("LOAD_POLICY invoke");
	stats(&b);
	if (b.epoch != a.epoch || b.policy_version != a.policy_version) {
		tzx_result(1, 0, 0, t, "policy_replaced");
		return 0;
	}
	if (st == TZU_OK)	/* the active blob again: an idempotent no-op */
		tzx_result(0, 0, 0, t, "accepted_noop_same_blob");
	else
		refused_status(st, t);
	return 0;
}

static long set_mode(const struct tzu_auth *auth)
{
	struct tzu_set_mode_req *req = g_t.in;

	memset(req, 0, sizeof(*req));
	tzx_hdr(&req->hdr, TZU_CMD_SET_MODE, sizeof(*req));
	req->mode = TZU_MODE_PERMISSIVE;
	memcpy(&req->auth, auth, sizeof(*auth));
	return tzx_tee_invoke(&g_t, TZU_CMD_SET_MODE, sizeof(*req));
}

/* Judges a SET_MODE permissive attempt by the mode the secure world reports. */
static int judge_mode(long st, uint64_t t)
{
	struct tzu_stats s;

	if (st < 0)
		tzx_error("SET_MODE invoke");
	stats(&s);
	if (s.mode == TZU_MODE_PERMISSIVE && st != TZU_OK)	/* it was already */
		tzx_result(0, 1, EACCES, t, "refused_but_already_permissive");
	else if (s.mode == TZU_MODE_PERMISSIVE)
		tzx_result(1, 0, 0, t, "mode_permissive");
	else
		refused_status(st, t);
	return 0;
}

static int attack_mode_forged(void)
{
	struct tzu_session_req *req = g_t.in;
	struct tzu_challenge_rsp ch;
	struct tzu_auth auth;
	unsigned int i;
	long st;

	tzx_hdr(&req->hdr, TZU_CMD_GET_CHALLENGE, sizeof(*req));
	req->session = 0;
	req->pad0 = 0;
	if (tzx_tee_invoke(&g_t, TZU_CMD_GET_CHALLENGE, sizeof(*req)) != TZU_OK)
		tzx_error("GET_CHALLENGE");
	memcpy(&ch, g_t.out, sizeof(ch));
	memset(&auth, 0, sizeof(auth));
	auth.magic = TZU_AUTH_MAGIC;
	auth.version = TZU_AUTH_VERSION;
	auth.command = TZU_CMD_SET_MODE;
	memcpy(auth.device_id, ch.device_id, sizeof(auth.device_id));
	memcpy(auth.nonce, ch.nonce, sizeof(auth.nonce));
	auth.counter = ch.next_counter;
	srand(getpid() ^ (unsigned int)tzx_now_ns());
	for (i = 0; i < sizeof(auth.signature); i++)
		auth.signature[i] = rand() & 0xff;
	/* args_sha256 left zero: a forger can compute it; the signature is the gate */
	st = set_mode(&auth);
	return judge_mode(st, tzx_now_ns());
}

/* Runs policyctl ARGS...; exits on failure (the owner's steps must work). */
static void run(char *const argv[])
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		tzx_error("%s %s failed", argv[0], argv[1]);
}

static void read_token(const char *path, struct tzu_auth *a)
{
	unsigned char *p = (unsigned char *)a;
	FILE *f = fopen(path, "r");
	size_t i;

	if (!f)
		tzx_error("token %s", path);
	for (i = 0; i < sizeof(*a); i++)
		if (fscanf(f, "%2hhx", &p[i]) != 1)
			tzx_error("token format");
	fclose(f);
}

static int attack_mode_replay(const char *pctl, char *key)
{
	char *ch[] = { (char *)pctl, "challenge", "-o", "/tmp/tzx-ch.json", NULL };
	char *au[] = { (char *)pctl, "authorize", "--key", key, "--challenge",
		       "/tmp/tzx-ch.json", "mode", "permissive", "-o",
		       "/tmp/tzx-tok", NULL };
	char *use[] = { (char *)pctl, "mode", "permissive", "--token",
			"/tmp/tzx-tok", NULL };
	char *back[] = { (char *)pctl, "mode", "enforce", "--key", key, NULL };
	char *restore[] = { (char *)pctl, "mode", "permissive", "--key", key, NULL };
	struct tzu_auth auth;
	struct tzu_stats s;
	int was_permissive, rc;
	long st;

	stats(&s);
	was_permissive = s.mode == TZU_MODE_PERMISSIVE;
	run(ch);
	run(au);
	run(use);
	stats(&s);
	if (s.mode != TZU_MODE_PERMISSIVE)
		tzx_error("the owner's token did not set permissive");
	run(back);
	stats(&s);
	if (s.mode != TZU_MODE_ENFORCE)
		tzx_error("the owner could not set enforce again");
	read_token("/tmp/tzx-tok", &auth);
	st = set_mode(&auth);
	rc = judge_mode(st, tzx_now_ns());
	stats(&s);
	if (was_permissive && s.mode != TZU_MODE_PERMISSIVE)
		run(restore);	/* the owner leaves the mode as it found it */
	return rc;
}

/*
 * The probe must be decided before the attack, else the attack cannot
 * show anything (monitor off, lsm=capability): say so and stop.
 */
static int baseline_undecided(void)
{
	if (tzx_probe_decided(&g_t) == 1)
		return 0;
	tzx_result(0, 0, 0, tzx_now_ns(), "not_applicable_undecided_before");
	return 1;
}

/* Sessions held at most (the fd limit is 1024). */
#define TZX_MAX_SESSIONS 1000

static int attack_sessions(void)
{
	int n = 0, nfd = 0, err = 0, decided;
	char note[48];
	uint64_t t;

	open_tee();	/* the attacker's own query session, opened first */
	if (baseline_undecided())
		return 0;
	while (n < TZX_MAX_SESSIONS) {
		static const unsigned char uuid[TEE_IOCTL_UUID_LEN] = { TZU_TEE_UUID_BYTES };
		struct tee_ioctl_open_session_arg os = { .clnt_login = TEE_IOCTL_LOGIN_PUBLIC };
		struct tee_ioctl_buf_data bd = { .buf_ptr = (uintptr_t)&os,
						 .buf_len = sizeof(os) };
		int fd = open("/dev/tee0", O_RDWR | O_CLOEXEC);

		if (fd < 0) {
			err = errno;
			break;
		}
		memcpy(os.uuid, uuid, sizeof(uuid));
		if (ioctl(fd, TEE_IOC_OPEN_SESSION, &bd) < 0 || os.ret) {
			err = os.ret ? EBUSY : errno;
			close(fd);
			break;
		}
		nfd++;	/* stays open (held) until exit */
		n++;
		/* more sessions on the same file until the driver's per-file cap */
		while (n < TZX_MAX_SESSIONS &&
		       ioctl(fd, TEE_IOC_OPEN_SESSION, &bd) == 0 && !os.ret)
			n++;
	}
	t = tzx_now_ns();
	decided = tzx_probe_decided(&g_t);
	snprintf(note, sizeof(note), "opened_%d_files_%d", n, nfd);
	if (decided < 0 || decided == 0)
		tzx_result(1, 0, 0, t, decided < 0 ? "stats_refused" : "hooks_undecided");
	else
		tzx_result(0, err != 0, err, t, note);
	return 0;
}

static int attack_close_sessions(void)
{
	struct tee_ioctl_close_session_arg c;
	int id, closed = 0, err = 0, decided;
	uint64_t t;

	open_tee();
	if (baseline_undecided())
		return 0;
	for (id = 1; id <= 512; id++) {
		if ((uint32_t)id == g_t.session)
			continue;
		c.session = id;
		if (ioctl(g_t.fd, TEE_IOC_CLOSE_SESSION, &c) == 0)
			closed++;
		else if (!err)
			err = errno;
	}
	t = tzx_now_ns();
	decided = tzx_probe_decided(&g_t);
	if (decided <= 0)
		tzx_result(1, 0, 0, t, decided < 0 ? "stats_refused" : "hooks_undecided");
	else
		tzx_result(0, closed == 0, closed ? 0 : err, t,
			   closed ? "closed_some_still_decided" : "closes_refused");
	return 0;
}

static int attack_securityfs(void)
{
	const char *dir = "/sys/kernel/security/tz_hooks";
	int accepted = 0, err = 0, zeroed = 0;
	struct dirent *e;
	char p[320], buf[32];
	DIR *d = opendir(dir);
	uint64_t t;

	if (!d) {	/* lsm=capability: no tz_hooks, nothing to attack */
		tzx_result(0, 0, errno, tzx_now_ns(), "not_applicable_no_securityfs");
		return 0;
	}
	while ((e = readdir(d))) {
		int fd;
		ssize_t n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		fd = open(p, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0\n", 2) != 2) {
			if (!err)
				err = errno;
			if (fd >= 0)
				close(fd);
			continue;
		}
		close(fd);
		accepted++;
		fd = open(p, O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		if (n > 0 && buf[0] == '0' && (n == 1 || buf[1] == '\n'))
			zeroed++;
	}
	closedir(d);
	t = tzx_now_ns();
	if (zeroed)
		tzx_result(1, 0, 0, t, "counter_zeroed");
	else
		tzx_result(0, !accepted, accepted ? 0 : err, t,
			   accepted ? "write_accepted_unchanged" : "writes_refused");
	return 0;
}

int main(int argc, char **argv)
{
	const char *a = tzx_opt(argc, argv, "--attack", "");
	char id[64];
	int i, flip = 0;

	for (i = 1; i < argc; i++)
		flip |= !strcmp(argv[i], "--flip");
	snprintf(id, sizeof(id), "tee-%s", a);
	tzx_init(argc, argv, id);
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(a, "sessions"))
		return attack_sessions();
	if (!strcmp(a, "close-sessions"))
		return attack_close_sessions();
	if (!strcmp(a, "securityfs"))
		return attack_securityfs();
	open_tee();
	if (!strcmp(a, "blob"))
		return attack_blob(tzx_opt(argc, argv, "--blob", ""), flip);
	if (!strcmp(a, "mode-forged"))
		return attack_mode_forged();
	if (!strcmp(a, "mode-replay"))
		return attack_mode_replay(tzx_opt(argc, argv, "--policyctl", "/usr/bin/policyctl"),
					  (char *)tzx_opt(argc, argv, "--admin-key",
							  "/e2e/keys/admin.key"));
	tzx_error("usage: --attack blob|mode-forged|mode-replay|sessions|close-sessions|securityfs");
}
