// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * wx.c - guest program of tests/kernel/boot_test.sh: one W->X mprotect and
 * one W+X mmap, each reported as "KBOOT <tag> <op> ok|fail errno=N".
 * The mprotect'ed page holds "mov r0, #42; bx lr" and is called when the
 * kernel allows it, so "ok" means the page really became executable.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const unsigned int code[] = { 0xe3a0002a, 0xe12fff1e };

int main(int argc, char **argv)
{
	const char *tag = argc > 1 ? argv[1] : "wx";
	long pg = sysconf(_SC_PAGESIZE);
	void *p;
	int err;

	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED) {
		printf("KBOOT %s setup fail errno=%d\n", tag, errno);
		return 1;
	}
	memcpy(p, code, sizeof(code));
	__builtin___clear_cache((char *)p, (char *)p + sizeof(code));
	if (mprotect(p, pg, PROT_READ | PROT_EXEC) == 0) {
		int (*fn)(void) = (int (*)(void))p;

		printf("KBOOT %s mprotect_wx ok errno=0 ret=%d\n", tag, fn());
	} else {
		err = errno;
		printf("KBOOT %s mprotect_wx fail errno=%d\n", tag, err);
	}
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	err = p == MAP_FAILED ? errno : 0;
	printf("KBOOT %s mmap_wx %s errno=%d\n", tag, err ? "fail" : "ok", err);
	return 0;
}
