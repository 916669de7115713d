/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* link.ld.S - the test payload sits where Linux's zImage would. */
#include "memmap.h"
ENTRY(_start)
SECTIONS
{
	. = PLAT_NS_KERNEL_ADDR;
	.text : { KEEP(*(.text.start)) *(.text .text.*) }
	.rodata : ALIGN(8) { *(.rodata .rodata.*) }
	.data : ALIGN(8) { *(.data .data.*) }
	.bss (NOLOAD) : ALIGN(8) {
		__bss_start = .;
		*(.bss .bss.*) *(COMMON)
		. = ALIGN(4);
		__bss_end = .;
	}
	/DISCARD/ : { *(.comment) *(.note*) *(.ARM.exidx*) *(.init_array*) }
}
