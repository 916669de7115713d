/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in (see types.h): one CPU, tzh_host_cpu its number. */
#ifndef TZH_HOST_LINUX_PERCPU_H
#define TZH_HOST_LINUX_PERCPU_H
extern unsigned int tzh_host_cpu;
#define DEFINE_PER_CPU(type, name) __typeof__(type) name
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name
#define this_cpu_ptr(p) (p)
#define per_cpu(v, cpu) ((void)(cpu), (v))
#define raw_cpu_read(v) (v)
#define this_cpu_inc(v) ((v)++)
#define __this_cpu_inc(v) ((v)++)
#define smp_processor_id() (tzh_host_cpu)
#define preempt_disable() do { } while (0)
#define preempt_enable() do { } while (0)
#endif
