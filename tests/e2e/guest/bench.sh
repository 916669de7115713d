#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# bench.sh - guest side of tests/e2e/run-bench (installed as /etc/tzucon/rc).
#
# Runs e2e_bench before and after loading /e2e/policies/bench.blob, then
# prints the counters that show which operations reached the secure world.
# The boot's `lsm=` decides whether tz_hooks is active; everything else is
# identical between the boots being compared.
B=/e2e/bin
ITERS=$(sed -n 's/.*tzucon.bench_iters=\([0-9]*\).*/\1/p' /proc/cmdline)
ITERS=${ITERS:-2000}
IDLE_S=$(sed -n 's/.*tzucon.bench_idle=\([0-9]*\).*/\1/p' /proc/cmdline)
PAR_MS=$(sed -n 's/.*tzucon.bench_par=\([0-9]*\).*/\1/p' /proc/cmdline)

echo 1 > /proc/sys/kernel/printk
echo "E2E-INFO lsm=$(cat /sys/kernel/security/lsm 2>/dev/null)"
echo "E2E-INFO cmdline=$(cat /proc/cmdline)"
echo "E2E-INFO cpus_online=$(cat /sys/devices/system/cpu/online)"
echo "E2E-INFO clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "E2E-INFO clockevents=$(sed -n 's/^Clock Event Device: //p' /proc/timer_list 2>/dev/null | tr '\n' ' ')"

if [ -n "$IDLE_S" ]; then	# an idle guest: where QEMU's TTC model hung -icount
	echo "BENCH-IDLE start uptime=$(cut -d' ' -f1 /proc/uptime)"
	sleep "$IDLE_S"
	echo "BENCH-IDLE done uptime=$(cut -d' ' -f1 /proc/uptime)"
fi
if [ -z "$PAR_MS" ]; then
	echo "BENCH-PHASE nopolicy"
	"$B"/e2e_bench "$ITERS" "$B"/e2e_true
fi
if policyctl load /e2e/policies/bench.blob >/dev/null; then r=ok; else r=fail; fi
echo "E2E bench.load $r errno=0 pid=0"
# Keep the key reads permitted (crypto-keys' quota would start denying them).
policyctl attr key_quota set 1000000000 --key /e2e/keys/admin.key >/dev/null
# Where the benchmark's subjects map onto the policy: e2e_bench is not an
# allow-listed JIT, so mprotect_x/mmap_x are decided (and allowed: no write).
if [ -n "$PAR_MS" ]; then
	# Decisions per second, 1 vs 2 pinned workers, alternating (--parallel).
	echo "BENCH-PHASE parallel"
	# mprotect_x: R->RX decided (a cacheable default permit may stay in
	# the kernel); keyctl_read: decisions with an attribute update, which
	# always reach the secure world.
	for op in mprotect_x keyctl_read; do
		for r in 1 2 3 4 5; do
			"$B"/e2e_bench --parallel 1 "$PAR_MS" "$B"/e2e_true "$op"
			"$B"/e2e_bench --parallel 2 "$PAR_MS" "$B"/e2e_true "$op"
		done
		echo "E2E-BEGIN stats par-$op"
		policyctl stats --json
		echo "E2E-END stats par-$op rc=$?"
	done
else
	echo "BENCH-PHASE policy"
	"$B"/e2e_bench "$ITERS" "$B"/e2e_true
	# SMC and DECIDE cost from the kernel (tests/bench/kmod): the one
	# module bench.blob allow-lists.
	if insmod /e2e/modules/smcbench.ko 2>/dev/null; then
		rmmod smcbench
		dmesg | sed -n 's/.*\(SMCBENCH .*\)/\1/p'
	fi
fi
echo "E2E-BEGIN integrity bench"
policyctl integrity status --json
echo "E2E-END integrity bench rc=$?"
echo "E2E-BEGIN stats bench"
policyctl stats --json
echo "E2E-END stats bench rc=$?"
echo "E2E-BEGIN lsm bench"
grep -H . /sys/kernel/security/tz_hooks/* 2>&1
echo "E2E-END lsm bench rc=0"
echo "E2E-DONE"
