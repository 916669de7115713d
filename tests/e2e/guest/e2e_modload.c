// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* e2e_modload - load a module by fd (finit_module) and from a buffer (init_module). */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "e2e.h"

/* Unloads after a successful load so the next path can load it again. */
static void unload(const char *tcase, const char *name)
{
	char c[96];

	snprintf(c, sizeof(c), "%s.unload", tcase);
	e2e_report(c, syscall(__NR_delete_module, name, O_NONBLOCK), errno);
}

static void by_fd(const char *tcase, const char *path, const char *name)
{
	char c[96];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long rc;

	snprintf(c, sizeof(c), "%s.finit", tcase);
	if (fd < 0)
		e2e_setup_error(c, "open_module");
	rc = syscall(__NR_finit_module, fd, "", 0);
	e2e_report(c, rc, errno);
	close(fd);
	if (rc == 0)
		unload(c, name);
}

static void by_buffer(const char *tcase, const char *path, const char *name)
{
	char c[96];
	struct stat st;
	char *buf;
	long rc;
	int fd;

	snprintf(c, sizeof(c), "%s.init", tcase);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		e2e_setup_error(c, "open_module");
	buf = malloc(st.st_size);
	if (!buf || read(fd, buf, st.st_size) != st.st_size)
		e2e_setup_error(c, "read_module");
	close(fd);
	rc = syscall(__NR_init_module, buf, (unsigned long)st.st_size, "");
	e2e_report(c, rc, errno);
	free(buf);
	if (rc == 0)
		unload(c, name);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s CASE MODULE.ko MODULE_NAME\n", argv[0]);
		return 2;
	}
	by_fd(argv[1], argv[2], argv[3]);
	by_buffer(argv[1], argv[2], argv[3]);
	return 0;
}
