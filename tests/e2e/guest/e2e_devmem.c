// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* e2e_devmem - open /dev/mem for reading and for writing (kernel-integrity policy). */
#include <fcntl.h>

#include "e2e.h"

static void try_open(const char *tcase, const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	e2e_report(tcase, fd, errno);
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	const char *prefix = argc > 1 ? argv[1] : "devmem";
	const char *path = argc > 2 ? argv[2] : "/dev/mem";
	char c[96];

	if (access(path, F_OK))
		e2e_setup_error(prefix, "no_dev_mem");
	snprintf(c, sizeof(c), "%s.read", prefix);
	try_open(c, path, O_RDONLY);
	snprintf(c, sizeof(c), "%s.rdwr", prefix);
	try_open(c, path, O_RDWR);
	snprintf(c, sizeof(c), "%s.wronly", prefix);
	try_open(c, path, O_WRONLY);
	return 0;
}
