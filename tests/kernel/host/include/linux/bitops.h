/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in (see types.h). */
#ifndef TZH_HOST_LINUX_BITOPS_H
#define TZH_HOST_LINUX_BITOPS_H
#include <linux/bits.h>
#include <linux/types.h>
static inline u32 ror32(u32 w, unsigned int s)
{
	return (w >> (s & 31)) | (w << ((-s) & 31));
}
#endif
