/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host stand-ins for the few kernel headers kernel/tz_hooks/cache.c uses,
 * so that tests/kernel/host/cache_test.cc can run the real cache code on
 * the host (a unit test; the e2e boots run the same code in the kernel).
 * Single CPU, no interrupts: per-CPU data is one copy.
 */
#ifndef TZH_HOST_LINUX_TYPES_H
#define TZH_HOST_LINUX_TYPES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
#endif
