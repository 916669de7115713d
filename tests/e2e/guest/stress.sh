#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# stress.sh - the SMP stress e2e run in the guest (fourth boot, installed as /etc/tzucon/rc).
#
# One worker per CPU (e2e_stress run, pinned) hammers decided hooks for
# tzucon.stress_s=S seconds under the e2e policy (policies/e2e.blob) while
# an administrator changes attributes with signed writes (jit_allowed of
# /tmp/e2e_stress_jit, a copy of e2e_stress that each worker's W->X child
# runs: the writes flip the verdict of its W->X mprotects; key_quota),
# rules update engine attributes on every key read (key_uses), and the
# secure world measures the kernel on its timer (every boot has the signed
# manifest). Then, with nothing else running, a snapshot of the kernel's
# and the secure world's counters and a signed report (e2e_stress
# snapshot), the drained audit log verified against that report and
# summarised per process. Nothing is judged here: tests/e2e/check_stress.py
# reads the lines on the host:
#   @stress cpus expected=N online=LIST possible=LIST
#   @stress worker=... / cpustat ... / done ... (e2e_stress run)
#   @stress attr writes_ok=N writes_fail=F jit_on=J jit_off=K
#   @istatus label=before|after|snapshot ... / @snap ... / @saudit ...
#   E2E-STRESS-END, then the report block, E2E-DONE, E2E-END nonce=
# Expected CPUs: tzucon.stress_cpus=N (run-e2e: what run-zc702 boots).
R=${E2E_ROOT:-}	# a host-side dry run of this script with stub tools: a prefix
B=$R/e2e/bin
PCTL=${PCTL:-policyctl}
S=$B/e2e_stress
JIT=/tmp/e2e_stress_jit	# another executable: its own jit_allowed
K=$R/e2e/keys
ADMIN="--key $K/admin.key"
MOD=$R/e2e/modules/e2e_mod_unknown.ko

. "$R"/e2e/lib.sh

# Kernel messages of level warning or worse (raw "<L>" prefixes 0-4).
warnings() {
	dmesg -r | grep '^<[0-4]>'
	return 0
}

arg() {
	sed -n "s/.*tzucon\.$1=\([0-9]*\).*/\1/p" /proc/cmdline
}
CPUS=$(arg stress_cpus)
CPUS=${CPUS:-1}
SECS=$(arg stress_s)
SECS=${SECS:-30}

# Warnings and worse reach the console (the checks scan it); the audit
# lines (info) do not.
[ -z "$R" ] && echo "5 4 1 7" >/proc/sys/kernel/printk
echo "E2E-INFO stress run: cpus=$CPUS seconds=$SECS cmdline=$(cat /proc/cmdline)"
echo "@stress cpus expected=$CPUS online=$(cat /sys/devices/system/cpu/online) possible=$(cat /sys/devices/system/cpu/possible) nproc=$(grep -c '^processor' /proc/cpuinfo)"
# The drain (the ring holds 512 records; the workers run at nice 5).
"$PCTL" audit --follow -o /tmp/stress.jsonl >/dev/null 2>/tmp/follow.err &
FOLLOW=$!
cmd stress.load "$PCTL" load "$R"/e2e/policies/e2e.blob
# The quota far above what the run can use: key reads stay permitted
# (their rule still counts every one of them).
cmd stress.quota "$PCTL" attr key_quota set 100000000 $ADMIN
cp "$S" "$JIT"
"$S" istatus before

# The workers, and admin attribute writes while they run.
"$S" run "$SECS" "$CPUS" "$MOD" "$JIT" &
RUN=$!
ok=0 fail=0 on=0 off=0 v=1 q=100000000
while kill -0 "$RUN" 2>/dev/null; do
	if "$PCTL" attr jit_allowed set "$v" --exe "$JIT" $ADMIN >/dev/null 2>/tmp/attr.err; then
		ok=$((ok + 1))
		[ "$v" = 1 ] && on=$((on + 1)) || off=$((off + 1))
	else
		fail=$((fail + 1))
		sed 's/^/  | /' /tmp/attr.err
	fi
	v=$((1 - v))
	q=$((q + 1))
	if "$PCTL" attr key_quota set "$q" $ADMIN >/dev/null 2>/tmp/attr.err; then
		ok=$((ok + 1))
	else
		fail=$((fail + 1))
		sed 's/^/  | /' /tmp/attr.err
	fi
	sleep 1
done
wait "$RUN"
rrc=$?
echo "E2E stress.run $([ "$rrc" -eq 0 ] && echo ok || echo fail) errno=0 pid=$RUN rc=$rrc"
echo "@stress attr writes_ok=$ok writes_fail=$fail jit_on=$on jit_off=$off"
"$S" istatus after

# Quiet: the drain stops (its polls map shared memory, decided calls),
# then the snapshot; the drain resumes to take what the report covers.
sleep 1
kill "$FOLLOW" && echo "@stress follow alive=1" || echo "@stress follow alive=0"
wait "$FOLLOW"
sed 's/^/  | follow: /' /tmp/follow.err
nonce=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$S" snapshot "$nonce" /tmp/report.bin
"$PCTL" audit --follow -o /tmp/stress.jsonl --duration 2 >/dev/null 2>&1
cmd stress.audit.verify "$PCTL" audit --verify /tmp/stress.jsonl \
	--report /tmp/report.bin --device-pub "$K"/device.pub
"$S" audit-summary /tmp/stress.jsonl
block dmesg warnings warnings
echo "E2E-STRESS-END cpus=$CPUS seconds=$SECS"
# The snapshot's report is the run's final report (tests/e2e/check_report.py).
block report final od -An -tx1 -v /tmp/report.bin
echo "E2E-DONE"
echo "E2E-END nonce=$nonce"
