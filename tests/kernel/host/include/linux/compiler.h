/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in (see types.h). */
#ifndef TZH_HOST_LINUX_COMPILER_H
#define TZH_HOST_LINUX_COMPILER_H
#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#undef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#define noinline __attribute__((__noinline__))
#define __aligned(n) __attribute__((__aligned__(n)))
#define __init
#define __lsm_ro_after_init
#endif
