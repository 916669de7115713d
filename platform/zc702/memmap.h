/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * memmap.h - the one platform description of the emulated/real ZC702:
 * memory map, secure carve-out, shared window, normal-world image addresses
 * and the devices the secure world owns.
 *
 * Consumed unchanged by C++ (secure/monitor), assembly and the linker script
 * (both through the C preprocessor) and by the device-tree fragment
 * tzucon-secure.dtsi (through `cpp` in platform/zc702/mkdtb). So: plain
 * integer literals only - no casts, no U/L suffixes, no C declarations.
 */
#ifndef TZUCON_PLATFORM_ZC702_MEMMAP_H
#define TZUCON_PLATFORM_ZC702_MEMMAP_H

/* DDR: 1 GiB at 0 (QEMU -m 1G; the ZC702 has 1 GiB DDR3). */
#define PLAT_DDR_BASE			0x00000000
#define PLAT_DDR_SIZE			0x40000000

/*
 * Secure carve-out: the top 64 MiB of DDR. TZ_DDR_RAM partitions DDR in
 * 64 MiB regions, so the carve-out is exactly one region (region 15).
 */
#define PLAT_SECURE_BASE		0x3C000000
#define PLAT_SECURE_SIZE		0x04000000
#define PLAT_TZ_DDR_REGION_SIZE		0x04000000

/* Inside the carve-out: the image (code, data, bss, stacks, page table)... */
#define PLAT_SECURE_IMAGE_BASE		PLAT_SECURE_BASE
#define PLAT_SECURE_IMAGE_SIZE		0x00400000
/* ... then the engine arena (policies, attributes, sessions, audit ring). */
#define PLAT_ENGINE_ARENA_BASE		0x3C400000
#define PLAT_ENGINE_ARENA_SIZE		0x00C00000
/* ... then the kernel-integrity baseline: the secure copy of every
 * measured normal-world region (secure/integrity). */
#define PLAT_INTEGRITY_COPY_BASE	0x3D000000
#define PLAT_INTEGRITY_COPY_SIZE	0x02000000
/* The rest (0x3F000000..0x3FFFFFFF) is reserved for later secure use. */

/* Shared window: normal-world memory just below the carve-out. */
#define PLAT_SHM_BASE			0x3BF00000
#define PLAT_SHM_SIZE			0x00100000

/* Normal-world images, loaded raw by QEMU's -device loader (or bootgen). */
#define PLAT_NS_KERNEL_ADDR		0x01000000
#define PLAT_NS_DTB_ADDR		0x08000000
#define PLAT_NS_INITRD_ADDR		0x08100000
/*
 * Signed kernel manifest (abi/tzucon_abi.h, struct tzu_kmanifest_hdr),
 * loaded raw like the DTB; the secure world copies and verifies it before
 * Linux runs, after which Linux may reuse the memory. A zero magic there
 * means "no manifest".
 */
#define PLAT_NS_MANIFEST_ADDR		0x07F00000
#define PLAT_NS_MANIFEST_MAX		0x00010000

/* CPUs: two Cortex-A9 cores; per-CPU message slots exist for both. */
#define PLAT_NR_CPUS			2

/* Devices the secure world owns (device-to-world assignment). */
#define PLAT_SECURE_UART_BASE		0xE0000000	/* UART0: secure console */
#define PLAT_SECURE_UART_IRQ		59		/* GIC ID (SPI 27) */
#define PLAT_SECURE_TTC_BASE		0xF8002000	/* TTC1: periodic checks */
#define PLAT_SECURE_TTC_IRQ0		69		/* GIC IDs 69, 70, 71 */
#define PLAT_SECURE_TTC_NR_IRQS		3
/* Integrity measurement tick (TTC1 counter 0, interval mode). */
#define PLAT_INTEGRITY_TICK_US		10000
/* UART1 stays with Linux (ttyPS0). */
#define PLAT_NS_UART_BASE		0xE0001000

/*
 * Secure storage: the CFI parallel NOR flash (AMD command set, 8-bit) that
 * QEMU's xilinx-zynq-a9 models on the static memory controller's NOR
 * chip-select 0 window (-drive if=pflash). 64 MiB of uniform 128 KiB
 * sectors. Sectors 0 and 1 hold the A/B copies of the persistent-state
 * record (secure/monitor/flash_store.h); the secure world owns the device.
 */
#define PLAT_SECURE_FLASH_BASE		0xE2000000
#define PLAT_SECURE_FLASH_SIZE		0x04000000
#define PLAT_SECURE_FLASH_SECTOR_SIZE	0x00020000
#define PLAT_STATE_SLOT_A_OFF		0x00000000
#define PLAT_STATE_SLOT_B_OFF		0x00020000

/* Cadence UART reference clock as the ZC702 ps7_init leaves it (50 MHz). */
#define PLAT_UART_REF_HZ		50000000
#define PLAT_CONSOLE_BAUD		115200

#endif /* TZUCON_PLATFORM_ZC702_MEMMAP_H */
