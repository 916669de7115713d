/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in (see types.h). */
#ifndef TZH_HOST_LINUX_NOTIFIER_H
#define TZH_HOST_LINUX_NOTIFIER_H
struct notifier_block;
#endif
