// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* e2e_jit - a JIT's memory pattern: write code into RW memory, then make it executable. */
#include <stdint.h>
#include <sys/mman.h>

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

int main(int argc, char **argv)
{
	const char *prefix = argc > 1 ? argv[1] : "jit";
	long pg = sysconf(_SC_PAGESIZE);

	mprotect_wx(prefix, pg);
	mmap_wx(prefix, pg);
	return 0;
}
