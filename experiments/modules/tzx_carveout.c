// SPDX-License-Identifier: GPL-2.0
/*
 * tzx_carveout - the normal-world kernel writes the secure carve-out
 * (platform/zc702/memmap.h: PLAT_SECURE_BASE, 64 MiB). On a real ZC702 the
 * TZASC/TZ_DDR_RAM partitioning makes these accesses fault or read as
 * zero; QEMU's xilinx-zynq-a9 models no such partitioning, so on the
 * emulator both succeed: this module documents that limit, it does not
 * show a defence. Targets: the first word of the secure image (read only:
 * a confidentiality breach if it reads non-zero) and one word of the
 * unused reserved tail 0x3F000000.. (written, read back, restored:
 * harmless to the secure world). Results as read-only parameters:
 *   mapped       1 if memremap of the carve-out worked
 *   image_word   the secure image's first word as read
 *   wrote        1 if the spare word read back the value written
 */
#include <linux/io.h>
#include <linux/module.h>

#define TZXC_SECURE_BASE	0x3C000000UL
#define TZXC_SPARE		0x3F000000UL	/* after PLAT_INTEGRITY_COPY */
#define TZXC_PATTERN		0x5a5a7e57u

static uint mapped, image_word, wrote;
module_param(mapped, uint, 0444);
module_param(image_word, uint, 0444);
module_param(wrote, uint, 0444);

static int __init tzxc_init(void)
{
	u32 *img = memremap(TZXC_SECURE_BASE, PAGE_SIZE, MEMREMAP_WB);
	u32 *spare = memremap(TZXC_SPARE, PAGE_SIZE, MEMREMAP_WB);
	u32 old;

	mapped = img && spare;
	if (img)
		image_word = READ_ONCE(img[0]);
	if (spare) {
		old = READ_ONCE(spare[0]);
		WRITE_ONCE(spare[0], old ^ TZXC_PATTERN);
		wrote = READ_ONCE(spare[0]) == (old ^ TZXC_PATTERN);
		WRITE_ONCE(spare[0], old);
	}
	if (img)
		memunmap(img);
	if (spare)
		memunmap(spare);
	pr_info("tzx_carveout: mapped=%u image_word=%#x wrote=%u (QEMU models no TZASC)\n",
		mapped, image_word, wrote);
	return 0;
}

static void __exit tzxc_exit(void)
{
}

module_init(tzxc_init);
module_exit(tzxc_exit);
MODULE_DESCRIPTION("tzucon experiments: normal-world write of the secure carve-out (emulator limit)");
MODULE_LICENSE("GPL");
