/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in (see types.h). */
#ifndef TZH_HOST_LINUX_BUILD_BUG_H
#define TZH_HOST_LINUX_BUILD_BUG_H
#include <assert.h>
#define BUILD_BUG_ON(c) ((void)sizeof(char[1 - 2 * !!(c)]))
#endif
