/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in (see types.h): the GCC builtins, sequentially consistent. */
#ifndef TZH_HOST_LINUX_ATOMIC_H
#define TZH_HOST_LINUX_ATOMIC_H
typedef struct { int counter; } atomic_t;
#define atomic_read(v) __atomic_load_n(&(v)->counter, __ATOMIC_RELAXED)
#define atomic_read_acquire(v) __atomic_load_n(&(v)->counter, __ATOMIC_ACQUIRE)
#define atomic_cmpxchg(v, o, n) __sync_val_compare_and_swap(&(v)->counter, (o), (n))
#define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define cmpxchg(p, o, n) __sync_val_compare_and_swap((p), (o), (n))
#define cmpxchg_relaxed(p, o, n) cmpxchg((p), (o), (n))
#endif
