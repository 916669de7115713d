/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in (see types.h). */
#ifndef TZH_HOST_LINUX_BITS_H
#define TZH_HOST_LINUX_BITS_H
#define BITS_PER_LONG (8 * (int)sizeof(long))
#define BIT(n) (1UL << (n))
#define GENMASK(h, l) ((~0UL >> (BITS_PER_LONG - 1 - (h))) & (~0UL << (l)))
#endif
