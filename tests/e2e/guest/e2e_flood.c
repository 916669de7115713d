/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * e2e_flood.c - many audited decisions from one process: N mprotect W->X
 * attempts on an anonymous page, each denied (and audited) by the W^X
 * rule for an executable that is not allow-listed. Fills the secure audit
 * ring several times over while a follower drains it.
 *
 * Attempts come in bursts of BURST with a pause of PAUSE_MS between them,
 * so a follower polling every 500 ms keeps up and every decision is
 * recorded even with fail-closed overflow (a burst fits in the ring).
 *
 *   e2e_flood CASE N BURST PAUSE_MS
 *   E2E CASE ok errno=0 pid=P denied=<k> allowed=<N-k>
 */
#include <sys/mman.h>
#include <time.h>

#include "e2e.h"

int main(int argc, char **argv)
{
	int i, n, burst, denied = 0;
	struct timespec pause;
	void *p;

	if (argc != 5)
		e2e_setup_error("flood", "usage");
	n = atoi(argv[2]);
	burst = atoi(argv[3]);
	pause.tv_sec = atoi(argv[4]) / 1000;
	pause.tv_nsec = (atoi(argv[4]) % 1000) * 1000000L;
	if (burst <= 0)
		e2e_setup_error(argv[1], "burst");
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		e2e_setup_error(argv[1], "mmap");
	for (i = 0; i < n; i++) {
		if (i && i % burst == 0)
			nanosleep(&pause, NULL);
		if (mprotect(p, 4096, PROT_READ | PROT_EXEC) == 0)
			mprotect(p, 4096, PROT_READ | PROT_WRITE);
		else
			denied++;
	}
	e2e_line(argv[1], "ok", 0, "denied=%d allowed=%d", denied, n - denied);
	return 0;
}
