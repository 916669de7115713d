// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* tzx_modload - LKM insertion from a file (finit_module) or from a buffer (init_module). */
#include <sys/stat.h>
#include <sys/syscall.h>

#include "tzx.h"

/*
 *   tzx_modload --via file|buffer --module PATH.ko --name NAME [--id ID] [--trial N]
 * effect=1: the module's init ran to completion, which the program checks
 * itself: /sys/module/NAME exists after the call and not before (the
 * kernel makes that directory live only for a loaded module). The module
 * is unloaded again afterwards so the next trial starts clean.
 */
static int module_live(const char *name)
{
	char p[128];

	snprintf(p, sizeof(p), "/sys/module/%s/initstate", name);
	return access(p, F_OK) == 0;
}

static long load(const char *via, const char *path)
{
	struct stat st;
	long rc;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		tzx_error("open %s", path);
	if (!strcmp(via, "file")) {
		rc = syscall(__NR_finit_module, fd, "", 0);
		close(fd);
		return rc;
	}
	if (fstat(fd, &st))
		tzx_error("fstat");
	buf = malloc(st.st_size);
	if (!buf || read(fd, buf, st.st_size) != st.st_size)
		tzx_error("read %s", path);
	close(fd);
	rc = syscall(__NR_init_module, buf, (unsigned long)st.st_size, "");
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	const char *via = tzx_opt(argc, argv, "--via", "file");
	const char *path = tzx_opt(argc, argv, "--module", NULL);
	const char *name = tzx_opt(argc, argv, "--name", NULL);
	uint64_t t;
	char id[64];
	int err, live;
	long rc;

	snprintf(id, sizeof(id), "modload-%s", via);
	tzx_init(argc, argv, id);
	if (!path || !name || (strcmp(via, "file") && strcmp(via, "buffer")))
		tzx_error("usage: --via file|buffer --module PATH --name NAME");
	if (module_live(name) &&
	    syscall(__NR_delete_module, name, O_NONBLOCK))
		tzx_error("%s already loaded and cannot be unloaded", name);
	rc = load(via, path);
	err = errno;
	t = tzx_now_ns();
	live = module_live(name);
	if (rc < 0 && !live) {
		tzx_result(0, tzx_is_denial(err), err, t, "refused");
		return 0;
	}
	tzx_result(live, 0, 0, t, live ? "module_init_ran" : "loaded_not_live");
	if (live && syscall(__NR_delete_module, name, O_NONBLOCK))
		tzx_error("unload %s", name);
	return 0;
}
