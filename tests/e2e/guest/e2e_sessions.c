/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * e2e_sessions.c - session exhaustion as root: open N TEE sessions to the
 * secure world through /dev/tee0 (as many files as it takes: the driver
 * allows a few per file), hold them, then run the owner's command and
 * report whether it still worked. Before the fix, 15 such sessions filled
 * the secure world's table and locked `policyctl status` out.
 *
 *   e2e_sessions CASE N CMD [ARGS...]
 *   E2E CASE.opened ok ... opened=<k>      sessions actually opened
 *   E2E CASE.owner ok|fail ... rc=<CMD's exit status>
 */
#include <fcntl.h>
#include <linux/tee.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "e2e.h"

static const unsigned char uuid[TEE_IOCTL_UUID_LEN] = {
	0x7a, 0x75, 0x63, 0x6f, 0x6e, 0x2d, 0x4a, 0x74,
	0x8e, 0x5f, 0x5a, 0x43, 0x37, 0x30, 0x32, 0x01, /* TZU_TEE_UUID_BYTES */
};

static int open_one(int fd)
{
	struct {
		struct tee_ioctl_open_session_arg arg;
	} buf;
	struct tee_ioctl_buf_data data = {
		.buf_ptr = (unsigned long)&buf, .buf_len = sizeof(buf),
	};

	memset(&buf, 0, sizeof(buf));
	memcpy(buf.arg.uuid, uuid, sizeof(uuid));
	buf.arg.clnt_login = TEE_IOCTL_LOGIN_PUBLIC;
	if (ioctl(fd, TEE_IOC_OPEN_SESSION, &data) < 0)
		return -1;
	return buf.arg.ret == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	char name[96];
	int want, opened = 0, fds = 0, status;
	pid_t pid;

	if (argc < 4)
		e2e_setup_error("sessions", "usage");
	want = atoi(argv[2]);
	while (opened < want && fds < 256) {
		int fd = open("/dev/tee0", O_RDWR);

		if (fd < 0)
			break;
		fds++;
		while (opened < want && open_one(fd) == 0)
			opened++;
		if (opened < want && fds > want)
			break;
	}
	snprintf(name, sizeof(name), "%s.opened", argv[1]);
	e2e_line(name, opened ? "ok" : "fail", 0, "opened=%d", opened);
	pid = fork();
	if (pid == 0) {
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		e2e_setup_error(argv[1], "fork");
	snprintf(name, sizeof(name), "%s.owner", argv[1]);
	status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	e2e_line(name, status == 0 ? "ok" : "fail", 0, "rc=%d", status);
	return 0;
}
