/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * link.ld.S - secure image layout, preprocessed with platform/zc702/memmap.h.
 * Page-aligned parts that mmu.cc maps with their own permissions:
 * text (read-only, executable), rodata (read-only, XN), data+bss+stacks
 * (read-write, XN) with an unmapped guard page below each stack. The guard
 * pages lie inside .bss so that start.S zeroes them with the MMU still off.
 */
#include "memmap.h"

ENTRY(_start)

MEMORY
{
	SECURE (rwx) : ORIGIN = PLAT_SECURE_IMAGE_BASE, LENGTH = PLAT_SECURE_IMAGE_SIZE
}

SECTIONS
{
	.text : {
		__text_start = .;
		KEEP(*(.text.start))
		*(.text .text.*)
		. = ALIGN(4096);
		__text_end = .;
	} > SECURE
	.rodata : ALIGN(4096) {
		__rodata_start = .;
		*(.rodata .rodata.*)
	} > SECURE
	.ARM.exidx : { *(.ARM.exidx .ARM.exidx.*) } > SECURE
	.init_array : ALIGN(4) {
		__init_array_start = .;
		KEEP(*(SORT(.init_array.*)))
		KEEP(*(.init_array))
		__init_array_end = .;
		. = ALIGN(4096);
		__rodata_end = .;
	} > SECURE
	.data : ALIGN(4096) {
		__rw_start = .;
		*(.data .data.*)
	} > SECURE
	.bss (NOLOAD) : ALIGN(4096) {
		__bss_start = .;
		__svc_stack_guard = .;
		. += 4096;
		KEEP(*(.bss.svc_stack))
		. = ALIGN(4096);
		KEEP(*(.bss.monitor_cpu_area))	/* guard pages inside (ns_context.h) */
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(4096);
		__bss_end = .;
	} > SECURE
	__image_end = .;
	/DISCARD/ : { *(.comment) *(.note*) }
}

ASSERT(__text_start == PLAT_SECURE_IMAGE_BASE, "text must start the image")
ASSERT(__text_end - __text_start <= 0x10000, "secure image text exceeds 64 KiB")
ASSERT(__image_end <= PLAT_ENGINE_ARENA_BASE, "secure image overlaps the engine arena")
