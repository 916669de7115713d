/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in (see types.h): one thread, nothing to mask. */
#ifndef TZH_HOST_LINUX_IRQFLAGS_H
#define TZH_HOST_LINUX_IRQFLAGS_H
#define local_irq_save(f) ((f) = 0)
#define local_irq_restore(f) ((void)(f))
#endif
