/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in (see types.h). */
#ifndef TZH_HOST_LINUX_STDDEF_H
#define TZH_HOST_LINUX_STDDEF_H
#include <stddef.h>
#define sizeof_field(t, m) sizeof(((t *)0)->m)
#endif
