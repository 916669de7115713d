/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * e2e_rawmode.c - the attacker's raw TEE_IOC_INVOKE of SET_MODE, without
 * policyctl (whose local checks would refuse a mismatched token first):
 * the request carries MODE and, if given, the 160 bytes of a token file
 * (hex, as `policyctl authorize` writes it) as its tzu_auth, so that a
 * token for one mode is tried for another.
 *
 *   e2e_rawmode CASE MODE [TOKEN]
 *   E2E CASE ok|fail errno=0 pid=P status=<TZU_E_* number from the reply>
 */
#include <fcntl.h>
#include <linux/tee.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "e2e.h"
#include "../../../abi/tzucon_abi.h"

static const unsigned char uuid[TEE_IOCTL_UUID_LEN] = {TZU_TEE_UUID_BYTES};

static int shm(int fd, size_t size, void **p, int *id)
{
	struct tee_ioctl_shm_alloc_data d = { .size = size };
	int sfd = ioctl(fd, TEE_IOC_SHM_ALLOC, &d);

	if (sfd < 0)
		return -1;
	*p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
	*id = d.id;
	return *p == MAP_FAILED ? -1 : 0;
}

static void read_token(const char *path, struct tzu_auth *a)
{
	unsigned char *p = (unsigned char *)a;
	FILE *f = fopen(path, "r");
	size_t i;

	if (!f)
		e2e_setup_error("rawmode", "token");
	for (i = 0; i < sizeof(*a); i++)
		if (fscanf(f, "%2hhx", &p[i]) != 1)
			e2e_setup_error("rawmode", "token format");
	fclose(f);
}

int main(int argc, char **argv)
{
	struct tee_ioctl_open_session_arg os = { .clnt_login = TEE_IOCTL_LOGIN_PUBLIC };
	struct tee_ioctl_buf_data bd = { .buf_ptr = (uintptr_t)&os, .buf_len = sizeof(os) };
	struct {
		struct tee_ioctl_invoke_arg arg;
		struct tee_ioctl_param params[2];
	} inv;
	struct tzu_set_mode_req *req;
	struct tzu_hdr *rsp;
	void *in, *out;
	int fd, in_id, out_id;

	if (argc < 3)
		e2e_setup_error("rawmode", "usage");
	fd = open("/dev/tee0", O_RDWR);
	memcpy(os.uuid, uuid, sizeof(uuid));
	if (fd < 0 || ioctl(fd, TEE_IOC_OPEN_SESSION, &bd) < 0 || os.ret)
		e2e_setup_error(argv[1], "open session");
	if (shm(fd, 4096, &in, &in_id) || shm(fd, 4096, &out, &out_id))
		e2e_setup_error(argv[1], "shm");
	req = in;
	memset(req, 0, sizeof(*req));
	req->hdr.magic = TZU_MAGIC;
	req->hdr.version = TZU_ABI_VERSION;
	req->hdr.command = TZU_CMD_SET_MODE;
	req->hdr.size = sizeof(*req);
	req->mode = strcmp(argv[2], "permissive") ? TZU_MODE_ENFORCE : TZU_MODE_PERMISSIVE;
	if (argc > 3)
		read_token(argv[3], &req->auth);
	memset(&inv, 0, sizeof(inv));
	inv.arg.func = TZU_CMD_SET_MODE;
	inv.arg.session = os.session;
	inv.arg.num_params = 2;
	inv.params[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
	inv.params[0].b = sizeof(*req);
	inv.params[0].c = in_id;
	inv.params[1].attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT;
	inv.params[1].b = 4096;
	inv.params[1].c = out_id;
	bd.buf_ptr = (uintptr_t)&inv;
	bd.buf_len = sizeof(inv);
	if (ioctl(fd, TEE_IOC_INVOKE, &bd) < 0 || inv.arg.ret)
		e2e_setup_error(argv[1], "invoke");
	rsp = out;
	e2e_line(argv[1], rsp->status ? "fail" : "ok", 0, "status=%u", rsp->status);
	return 0;
}
