// SPDX-License-Identifier: GPL-2.0
/*
 * e2e_textpatch - tampers with kernel text through the kernel's own
 * text-patching function, patch_text() (arch/arm/kernel/patch.c, built
 * with KPROBES, not exported): its address and the target word come as
 * parameters the guest script reads from System.map, as an attacker with
 * the boot media would. Init replaces the word with a NOP, exit puts the
 * original back, so trials repeat. The target must be a function the run
 * does not execute while patched (the script picks machine_power_off).
 *
 *   insmod e2e_textpatch.ko patch_text_addr=0x... target=0x...
 *   /sys/module/e2e_textpatch/parameters/attack_ns: CLOCK_MONOTONIC ns of
 *   the write (ktime_get_ns), for the detection latency
 */
#include <linux/cpu.h>
#include <linux/module.h>
#include <linux/timekeeping.h>

#define E2ET_NOP	0xe1a00000u	/* mov r0, r0 */
#define E2ET_NOP_HINT	0xe320f000u	/* nop (the hint), if the word is the first */

static unsigned long patch_text_addr;
module_param(patch_text_addr, ulong, 0400);
MODULE_PARM_DESC(patch_text_addr, "address of patch_text() (System.map)");

static unsigned long target;
module_param(target, ulong, 0400);
MODULE_PARM_DESC(target, "word of kernel text to overwrite (System.map)");

static unsigned long long attack_ns;
module_param(attack_ns, ullong, 0444);
MODULE_PARM_DESC(attack_ns, "ktime_get_ns() right after the write");

static u32 orig;

/* patch_text() runs stop_machine_cpuslocked(): its callers hold the hotplug lock. */
static void e2et_patch(u32 insn)
{
	void (*patch)(void *addr, unsigned int insn) = (void *)patch_text_addr;

	cpus_read_lock();
	patch((void *)target, insn);
	cpus_read_unlock();
}

static int __init e2et_init(void)
{
	u32 insn;

	if (!patch_text_addr || !target || (target & 3))
		return -EINVAL;
	orig = READ_ONCE(*(u32 *)target);
	insn = orig == E2ET_NOP ? E2ET_NOP_HINT : E2ET_NOP;
	e2et_patch(insn);
	attack_ns = ktime_get_ns();
	pr_info("e2e_textpatch: %08x at %pS is now %08x\n", orig,
		(void *)target, READ_ONCE(*(u32 *)target));
	return 0;
}

static void __exit e2et_exit(void)
{
	e2et_patch(orig);
	pr_info("e2e_textpatch: %pS restored to %08x\n", (void *)target, orig);
}

module_init(e2et_init);
module_exit(e2et_exit);
MODULE_DESCRIPTION("tzucon e2e: one word of kernel text patched with patch_text()");
MODULE_LICENSE("GPL");
