// SPDX-License-Identifier: GPL-2.0
/*
 * crypto.c - the kernel crypto API from user space (AF_ALG): creating an
 * AF_ALG socket (socket_create) and binding it to an algorithm
 * (socket_bind: type such as "hash", name such as "sha256").
 *
 * The name is the one alg_bind() will use: the bytes of salg_name up to
 * the first NUL within the address length. A name that does not fit the
 * event's name field is not truncated (a truncated name could match an
 * allow-listed one): the bind is refused as the fail policy says.
 */
#include <linux/if_alg.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <net/sock.h>

#include "common.h"

/*
 * Out of line: every socket() and bind() passes these hooks, and an event
 * declared in them would be zeroed on every call (mem.c).
 */
static noinline int tzh_alg_socket_decide(int type)
{
	struct tzu_event ev;

	tzh_event_init(&ev, TZU_HOOK_ALG_SOCKET, NULL);
	ev.object.kind = type;
	return tzh_decide(&ev);
}

static int hook_socket_create(int family, int type, int protocol, int kern)
{
	if (family != AF_ALG || kern)
		return 0;
	if (tzh_filter(TZU_HOOK_ALG_SOCKET))
		return 0;
	return tzh_alg_socket_decide(type);
}

static noinline int tzh_alg_bind_decide(struct sockaddr *address,
					int addrlen)
{
	const size_t name_off = offsetof(struct sockaddr_alg, salg_name);
	const struct sockaddr_alg *sa = (const void *)address;
	/* sockaddr_alg_new: the name may run past sockaddr_alg's 64 bytes */
	const char *name = (const char *)address + name_off;
	struct tzu_event ev;
	size_t room, len;

	tzh_event_init(&ev, TZU_HOOK_ALG_BIND, NULL);
	len = strnlen(sa->salg_type, sizeof(sa->salg_type) - 1);
	memcpy(ev.object.type, sa->salg_type, len);
	/* alg_bind() puts a NUL at the last byte of the address. */
	room = addrlen - name_off - 1;
	len = strnlen(name, room);
	if (len >= sizeof(ev.object.name)) {
		memcpy(ev.object.name, name, sizeof(ev.object.name) - 1);
		return tzh_local_deny(&ev, "toolong");
	}
	memcpy(ev.object.name, name, len);
	return tzh_decide(&ev);
}

static int hook_socket_bind(struct socket *sock, struct sockaddr *address,
			    int addrlen)
{
	const size_t name_off = offsetof(struct sockaddr_alg, salg_name);

	if (!sock->sk || sock->sk->sk_family != AF_ALG)
		return 0;
	/* alg_bind() rejects shorter addresses itself. */
	if (addrlen < 0 || (size_t)addrlen < name_off + 1)
		return 0;
	if (tzh_filter(TZU_HOOK_ALG_BIND))
		return 0;
	return tzh_alg_bind_decide(address, addrlen);
}

static struct security_hook_list tzh_crypto_hooks[] __lsm_ro_after_init = {
	LSM_HOOK_INIT(socket_create, hook_socket_create),
	LSM_HOOK_INIT(socket_bind, hook_socket_bind),
};

/**
 * tzh_add_crypto_hooks() - register the AF_ALG hooks
 */
void __init tzh_add_crypto_hooks(void)
{
	BUILD_BUG_ON(sizeof(((struct sockaddr_alg *)0)->salg_type) >=
		     TZU_TYPE_LEN);
	security_add_hooks(tzh_crypto_hooks, ARRAY_SIZE(tzh_crypto_hooks),
			   TZH_NAME);
}
