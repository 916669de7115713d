// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* e2e_afalg - AF_ALG socket + bind for one algorithm; hashes "abc" when allowed. */
#include <linux/if_alg.h>
#include <sys/socket.h>

#include "e2e.h"

#ifndef AF_ALG
#define AF_ALG 38
#endif

int main(int argc, char **argv)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG };
	unsigned char digest[64];
	char c[96], hex[2 * sizeof(digest) + 1];
	int s, op, i;
	long n;

	if (argc != 4) {
		fprintf(stderr, "usage: %s CASE TYPE NAME   (e.g. afalg.sha256 hash sha256)\n",
			argv[0]);
		return 2;
	}
	snprintf((char *)sa.salg_type, sizeof(sa.salg_type), "%s", argv[2]);
	snprintf((char *)sa.salg_name, sizeof(sa.salg_name), "%s", argv[3]);

	snprintf(c, sizeof(c), "%s.socket", argv[1]);
	s = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (e2e_report(c, s, errno))
		return 0;
	snprintf(c, sizeof(c), "%s.bind", argv[1]);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa))) {
		e2e_line(c, "fail", errno, NULL);
		return 0;
	}
	/* Bound: prove the transform works by hashing "abc". */
	op = accept(s, NULL, 0);
	if (op < 0 || write(op, "abc", 3) != 3)
		e2e_setup_error(c, "accept_write");
	n = read(op, digest, sizeof(digest));
	if (n <= 0)
		e2e_setup_error(c, "read_digest");
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	e2e_line(c, "ok", 0, "digest=%s", hex);
	close(op);
	close(s);
	return 0;
}
