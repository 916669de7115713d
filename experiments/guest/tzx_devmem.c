// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* tzx_devmem - root writes one word of kernel text through /dev/mem (pwrite, or a shared mmap). */
#include <inttypes.h>

#include "tzx.h"

/*
 *   tzx_devmem [--via pwrite|mmap] [--id ID] [--trial N]
 * The target is the last word of "Kernel code" in /proc/iomem (physical).
 * Steps: open /dev/mem O_RDWR (the kernel-integrity policy denies write
 * opens), read the word, write it with its low bit flipped, read back.
 * effect=1: the read-back shows the flipped word, i.e. kernel text
 * changed; the original is written back at once (the secure world's
 * measurement may still catch the window: the harness judges detection).
 * STRICT_DEVMEM refuses RAM ranges in the kernel itself, so the read or
 * write step fails with EPERM even where the open is allowed.
 */
static int text_end(uint64_t *pa)
{
	FILE *f = fopen("/proc/iomem", "r");
	char line[160];
	uint64_t s, e;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "Kernel code") &&
		    sscanf(line, " %" SCNx64 "-%" SCNx64, &s, &e) == 2 && e > s) {
			*pa = (e + 1 - 4) & ~(uint64_t)3;
			fclose(f);
			return 0;
		}
	fclose(f);
	return -1;
}

static int rw_word(int fd, const char *via, uint64_t pa, uint32_t *v, int wr)
{
	long pg = sysconf(_SC_PAGESIZE);
	volatile uint32_t *w;
	void *m;

	if (!strcmp(via, "pwrite"))
		return (wr ? pwrite(fd, v, 4, pa) : pread(fd, v, 4, pa)) == 4 ? 0 : -1;
	m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)(pa & ~(uint64_t)(pg - 1)));
	if (m == MAP_FAILED)
		return -1;
	w = (volatile uint32_t *)((char *)m + (pa & (pg - 1)));
	if (wr)
		*w = *v;
	else
		*v = *w;
	munmap(m, pg);
	return 0;
}

int main(int argc, char **argv)
{
	const char *via = tzx_opt(argc, argv, "--via", "pwrite");
	uint32_t orig, flipped, back;
	uint64_t pa, t;
	char id[64];
	int fd, err;

	snprintf(id, sizeof(id), "devmem-text-%s", via);
	tzx_init(argc, argv, id);
	if (text_end(&pa))
		tzx_error("no Kernel code range in /proc/iomem");
	fd = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		tzx_result(0, tzx_is_denial(err), err, tzx_now_ns(), "open_refused");
		return 0;
	}
	if (rw_word(fd, via, pa, &orig, 0)) {
		err = errno;
		tzx_result(0, tzx_is_denial(err), err, tzx_now_ns(), "read_refused");
		return 0;
	}
	flipped = orig ^ 1u;
	if (rw_word(fd, via, pa, &flipped, 1)) {
		err = errno;
		tzx_result(0, tzx_is_denial(err), err, tzx_now_ns(), "write_refused");
		return 0;
	}
	t = tzx_now_ns();
	if (rw_word(fd, via, pa, &back, 0))
		tzx_error("read back");
	rw_word(fd, via, pa, &orig, 1);
	tzx_result(back == flipped, 0, 0, t,
		   back == flipped ? "text_word_changed" : "write_lost");
	return 0;
}
