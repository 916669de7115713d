/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in (see types.h): bit by bit, for correctness, not speed. */
#ifndef TZH_HOST_LINUX_BITMAP_H
#define TZH_HOST_LINUX_BITMAP_H
#include <linux/bits.h>
#include <string.h>
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]
static inline int tzh_host_test_bit(unsigned int i, const unsigned long *m)
{
	return (m[i / BITS_PER_LONG] >> (i % BITS_PER_LONG)) & 1;
}
static inline void bitmap_zero(unsigned long *m, unsigned int n)
{
	memset(m, 0, BITS_TO_LONGS(n) * sizeof(long));
}
static inline void bitmap_set(unsigned long *m, unsigned int start,
			      unsigned int n)
{
	for (unsigned int i = start; i < start + n; i++)
		m[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
}
static inline unsigned int bitmap_weight(const unsigned long *m,
					 unsigned int n)
{
	unsigned int w = 0;

	for (unsigned int i = 0; i < n; i++)
		w += tzh_host_test_bit(i, m);
	return w;
}
static inline unsigned int tzh_host_next_bit(const unsigned long *m,
					     unsigned int n, unsigned int i)
{
	while (i < n && !tzh_host_test_bit(i, m))
		i++;
	return i;
}
#define for_each_set_bit(bit, addr, size)				\
	for ((bit) = tzh_host_next_bit((addr), (size), 0); (bit) < (size); \
	     (bit) = tzh_host_next_bit((addr), (size), (bit) + 1))
#endif
