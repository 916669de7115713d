#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# cases.sh - the e2e run inside the guest (installed as /etc/tzucon/rc).
#
# Prints E2E result lines (see e2e.h) and E2E-BEGIN/E2E-END blocks of raw
# data (counters, audit records, kernel log); tests/e2e/check_e2e.py checks
# them on the host against tests/e2e/expected.txt. Nothing is judged here.
#
# Policy blobs in /e2e/policies (made by tests/e2e/run-e2e):
#   e2e.blob          version V    the e2e policy
#   e2e-next.blob     version V+1  same, plus md5 in the AF_ALG allowlist
#   e2e-badhmac.blob  version V+1  e2e-next with one HMAC byte flipped
#   e2e-old.blob      version V-1  e2e-next's rules, older version
B=/e2e/bin
P=/e2e/policies
M=/e2e/modules
PCTL=${PCTL:-policyctl}
SEC=/sys/kernel/security/tz_hooks
WAIT_FIFO=/tmp/e2e-wait
KEY_QUOTA=8	# key uses per process (crypto-keys.json's key_quota, set below)
KEY_READS=6	# enough reads to run past KEY_QUOTA (each read is several uses)

# Runs a command and reports its exit status as an E2E line; its output is
# echoed with a "| " prefix for the log.
cmd() {
	c=$1
	shift
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/  | /'
	if [ "$rc" -eq 0 ]; then r=ok; else r=fail; fi
	echo "E2E $c $r errno=0 pid=0 rc=$rc"
}

# Subject-attribute key of an executable, as the engine derives it from the
# event's exe_dev/exe_ino (secure/ucon_engine/attributes.cc).
exe_key() {
	dev=$(stat -L -c %d "$1")
	ino=$(stat -L -c %i "$1")
	echo $(((dev << 40) ^ ino))
}

# A block of raw data for the host: E2E-BEGIN <kind> <label> ... E2E-END.
block() {
	kind=$1
	label=$2
	shift 2
	echo "E2E-BEGIN $kind $label"
	"$@" 2>&1
	echo "E2E-END $kind $label rc=$?"
}

# securityfs counters read with shell builtins only: no process starts or
# exits (a task_exit event) while they are read.
lsm_counters() {
	for f in "$SEC"/*; do
		while IFS= read -r line; do
			echo "$f:$line"
		done <"$f"
	done
}

# Waits a second without starting a process (a read that times out on a
# FIFO nobody writes): tz_hooks reports a process's end from task_free,
# which runs after an RCU grace period, so exits settle only after a while.
settle() {
	# shellcheck disable=SC3045 # busybox ash has read -t
	read -r -t 1 _ <>"$WAIT_FIFO"
	return 0
}

# Secure-world counters, kernel counters, secure-world counters again, each
# after earlier exits settled. The kernel's must equal the second snapshot
# exactly and differ from the first only by the first policyctl's exit
# (tests/e2e/check_e2e.py).
counters() {
	settle
	block stats "$1.s1" "$PCTL" stats --json
	settle
	block lsm "$1" lsm_counters
	block stats "$1.s2" "$PCTL" stats --json
}

jit() {
	"$B"/e2e_jit_listed "$1.jit.listed"
	"$B"/e2e_jit_unlisted "$1.jit.unlisted"
}

modules() {
	"$B"/e2e_modload "$1.mod.allowed" "$M"/e2e_mod_allowed.ko e2e_mod_allowed
	"$B"/e2e_modload "$1.mod.unknown" "$M"/e2e_mod_unknown.ko e2e_mod_unknown
}

afalg() {
	"$B"/e2e_afalg "$1.afalg.sha256" hash sha256
	"$B"/e2e_afalg "$1.afalg.md5" hash md5
}

mkfifo "$WAIT_FIFO"
echo "E2E-INFO lsm=$(cat /sys/kernel/security/lsm 2>/dev/null)"
echo "E2E-INFO cmdline=$(cat /proc/cmdline)"
# The kernel's own gate would answer EPERM before any LSM is asked.
[ -w /proc/sys/kernel/unprivileged_bpf_disabled ] &&
	echo 0 > /proc/sys/kernel/unprivileged_bpf_disabled
# Kernel messages go to the log block at the end, not between result lines
# (an oops still reaches the console: the kernel raises the level itself).
echo 1 > /proc/sys/kernel/printk

block status boot "$PCTL" status --json
cmd load.e2e "$PCTL" load "$P"/e2e.blob
# The administrator's step of no-wx-memory.json: allow-list one JIT binary.
cmd attr.jit_allowed "$PCTL" attr jit_allowed set 1 --key "$(exe_key "$B"/e2e_jit_listed)"
cmd attr.key_quota "$PCTL" attr key_quota set "$KEY_QUOTA"
block status loaded "$PCTL" status --json

# --- enforce mode: every rule family ------------------------------------
jit enf
"$B"/e2e_devmem enf.devmem
"$B"/e2e_bpf enf.bpf.root
"$B"/e2e_bpf enf.bpf.unpriv 1000
modules enf
"$B"/e2e_keys_owner quota enf.keys.quota "$KEY_READS"
"$B"/e2e_keys_owner foreign enf.keys.foreign "$B"/e2e_keys_other
afalg enf
counters enforce

# --- permissive mode: would-deny decisions are allowed and audited -------
cmd mode.permissive "$PCTL" mode permissive
jit perm
"$B"/e2e_devmem perm.devmem
"$B"/e2e_bpf perm.bpf.unpriv 1000
modules perm
afalg perm
cmd mode.enforce "$PCTL" mode enforce
"$B"/e2e_afalg enf2.afalg.md5 hash md5

# --- atomic swap: rejected blobs leave the active policy in force --------
cmd swap.badhmac "$PCTL" load "$P"/e2e-badhmac.blob
block status swap.badhmac "$PCTL" status --json
"$B"/e2e_afalg swap.badhmac.afalg.md5 hash md5
cmd swap.old "$PCTL" load "$P"/e2e-old.blob
block status swap.old "$PCTL" status --json
"$B"/e2e_afalg swap.old.afalg.md5 hash md5
cmd swap.next "$PCTL" load "$P"/e2e-next.blob
block status swap.next "$PCTL" status --json
"$B"/e2e_afalg swap.next.afalg.md5 hash md5
"$B"/e2e_afalg swap.next.afalg.sha256 hash sha256

# --- ongoing usage: an attribute change revokes a live key session -------
rm -f /tmp/e2e-ready /tmp/e2e-go
"$B"/e2e_keys_owner session rev.keys /tmp/e2e-ready /tmp/e2e-go 30 &
kpid=$!
n=0
while [ ! -e /tmp/e2e-ready ] && [ "$n" -lt 300 ]; do
	sleep 0.1
	n=$((n + 1))
done
cmd rev.attr "$PCTL" attr integrity_state set 2
touch /tmp/e2e-go
wait "$kpid"
# After an integrity violation even the allow-listed module is refused.
"$B"/e2e_modload rev.mod.allowed "$M"/e2e_mod_allowed.ko e2e_mod_allowed

counters final
block audit final "$PCTL" audit --verify
block dmesg final dmesg
echo "E2E-DONE"
