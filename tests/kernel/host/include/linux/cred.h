/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in (see types.h): types cache.c only names. */
struct cred;
struct file;
struct task_struct;
