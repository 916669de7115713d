// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* e2e_bpf - load a trivial socket filter with bpf(2), optionally after setuid. */
#include <linux/bpf.h>
#include <sys/syscall.h>

#include "e2e.h"

/* r0 = 0; exit: the smallest program the verifier accepts. */
static const struct bpf_insn prog[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

int main(int argc, char **argv)
{
	const char *tcase = argc > 1 ? argv[1] : "bpf";
	union bpf_attr attr;
	long fd;

	if (argc > 2) {
		uid_t uid = (uid_t)strtoul(argv[2], NULL, 10);

		if (setgid(uid) || setuid(uid))
			e2e_setup_error(tcase, "setuid");
	}
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (unsigned long)prog;
	attr.insn_cnt = sizeof(prog) / sizeof(prog[0]);
	attr.license = (unsigned long)"GPL";
	fd = syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0) {
		e2e_line(tcase, "fail", errno, "uid=%u", (unsigned int)getuid());
		return 0;
	}
	e2e_line(tcase, "ok", 0, "uid=%u", (unsigned int)getuid());
	close((int)fd);
	return 0;
}
