/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* link.ld.S - secure image layout, preprocessed with platform/zc702/memmap.h. */
#include "memmap.h"

ENTRY(_start)

MEMORY
{
	SECURE (rwx) : ORIGIN = PLAT_SECURE_IMAGE_BASE, LENGTH = PLAT_SECURE_IMAGE_SIZE
}

SECTIONS
{
	.text : {
		KEEP(*(.text.start))
		*(.text .text.*)
	} > SECURE
	.rodata : ALIGN(8) { *(.rodata .rodata.*) } > SECURE
	.ARM.exidx : { *(.ARM.exidx .ARM.exidx.*) } > SECURE
	.init_array : ALIGN(4) {
		__init_array_start = .;
		KEEP(*(SORT(.init_array.*)))
		KEEP(*(.init_array))
		__init_array_end = .;
	} > SECURE
	.data : ALIGN(8) { *(.data .data.*) } > SECURE
	.bss (NOLOAD) : ALIGN(16384) {
		__bss_start = .;
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(4);
		__bss_end = .;
	} > SECURE
	__image_end = .;
	/DISCARD/ : { *(.comment) *(.note*) }
}

ASSERT(__image_end <= PLAT_ENGINE_ARENA_BASE, "secure image overlaps the engine arena")
