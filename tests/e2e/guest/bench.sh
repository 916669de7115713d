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

echo 1 > /proc/sys/kernel/printk
echo "E2E-INFO lsm=$(cat /sys/kernel/security/lsm 2>/dev/null)"
echo "E2E-INFO cmdline=$(cat /proc/cmdline)"

echo "BENCH-PHASE nopolicy"
"$B"/e2e_bench "$ITERS" "$B"/e2e_true
if policyctl load /e2e/policies/bench.blob >/dev/null; then r=ok; else r=fail; fi
echo "E2E bench.load $r errno=0 pid=0"
# Keep the key reads permitted (crypto-keys' quota would start denying them).
policyctl attr key_quota set 1000000000 --key /e2e/keys/admin.key >/dev/null
# Where the benchmark's subjects map onto the policy: e2e_bench is not an
# allow-listed JIT, so mprotect_x/mmap_x are decided (and allowed: no write).
echo "BENCH-PHASE policy"
"$B"/e2e_bench "$ITERS" "$B"/e2e_true
echo "E2E-BEGIN stats bench"
policyctl stats --json
echo "E2E-END stats bench rc=$?"
echo "E2E-BEGIN lsm bench"
grep -H . /sys/kernel/security/tz_hooks/* 2>&1
echo "E2E-END lsm bench rc=0"
echo "E2E-DONE"
