// SPDX-License-Identifier: GPL-2.0
/*
 * e2e_hbstop - silences the kernel side of the heartbeat: the TEE
 * driver's heartbeat kthread ("tzucon-hb") is found by name and stopped
 * with kthread_stop(), as a rootkit that wants the secure world to stop
 * hearing from the kernel would. One-shot: the driver does not restart the
 * thread and nothing here can, so exit does not undo it and the e2e script
 * runs this attack last.
 *
 *   insmod e2e_hbstop.ko
 *   /sys/module/e2e_hbstop/parameters/attack_ns: ktime_get_ns() once the
 *   thread has exited
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

static char *comm = "tzucon-hb";
module_param(comm, charp, 0400);
MODULE_PARM_DESC(comm, "name of the kernel thread to stop");

static unsigned long long attack_ns;
module_param(attack_ns, ullong, 0444);
MODULE_PARM_DESC(attack_ns, "ktime_get_ns() once the thread is stopped");

static struct task_struct *e2eh_find(void)
{
	struct task_struct *p, *found = NULL;

	rcu_read_lock();
	for_each_process(p) {
		if ((p->flags & PF_KTHREAD) && !strcmp(p->comm, comm)) {
			found = get_task_struct(p);
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

static int __init e2eh_init(void)
{
	struct task_struct *t = e2eh_find();
	int ret;

	if (!t)
		return -ESRCH;
	ret = kthread_stop(t);
	attack_ns = ktime_get_ns();
	put_task_struct(t);
	pr_info("e2e_hbstop: %s stopped (its exit code %d)\n", comm, ret);
	return 0;
}

static void __exit e2eh_exit(void)
{
}

module_init(e2eh_init);
module_exit(e2eh_exit);
MODULE_DESCRIPTION("tzucon e2e: the driver's heartbeat thread stopped");
MODULE_LICENSE("GPL");
