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
#   e2e-badsig.blob   version V+1  e2e-next with one signature byte flipped
#   e2e-old.blob      version V-1  e2e-next's rules, older version
#   e2e-samever.blob  version V+1  other rules, same version as e2e-next
#   e2e-foreign.blob  version 50   signed with a key the device does not trust
#   e2e-otherdev.blob version 51   signed right, bound to another device
# /e2e/keys/admin.key is the admin key, put in the guest on purpose: this is
# a lab board (docs/threat-model.md). Every attacker step below runs as root
# WITHOUT it, or with keys the attacker made itself.
B=/e2e/bin
P=/e2e/policies
M=/e2e/modules
PCTL=${PCTL:-policyctl}
SEC=/sys/kernel/security/tz_hooks
WAIT_FIFO=/tmp/e2e-wait
KEY_QUOTA=8	# key uses per process (crypto-keys.json's key_quota, set below)
KEY_READS=6	# enough reads to run past KEY_QUOTA (each read is several uses)
K=/e2e/keys
ADMIN="--key $K/admin.key"

. /e2e/lib.sh

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
	"$B"/e2e_jit_listed "$1.jit.listed" "$B"/e2e_xstack
	"$B"/e2e_jit_unlisted "$1.jit.unlisted" "$B"/e2e_xstack
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
# The owner's audit follower drains the ring for the whole run (the last
# section checks the drained log against a signed report).
"$PCTL" audit --follow -o /tmp/drain.jsonl >/dev/null 2>&1 &
FOLLOW=$!
cmd load.e2e "$PCTL" load "$P"/e2e.blob
# The administrator's step of no-wx-memory.json: allow-list one JIT binary.
cmd attr.jit_allowed "$PCTL" attr jit_allowed set 1 --exe "$B"/e2e_jit_listed $ADMIN
# ... and one debugger (rule 60): e2e_jit_listed may become a tracer.
cmd attr.debugger_allowed "$PCTL" attr debugger_allowed set 1 --exe "$B"/e2e_jit_listed $ADMIN
cmd attr.key_quota "$PCTL" attr key_quota set "$KEY_QUOTA" $ADMIN
block status loaded "$PCTL" status --json

# --- enforce mode: every rule family ------------------------------------
jit enf
"$B"/e2e_devmem enf.devmem
"$B"/e2e_bpf enf.bpf.root
"$B"/e2e_bpf enf.bpf.unpriv 1000
modules enf
"$B"/e2e_keys_owner quota enf.keys.quota "$KEY_READS"
"$B"/e2e_keys_owner foreign enf.keys.foreign "$B"/e2e_keys_other
# Use-leases (docs/kernel.md): most key uses are taken from leases the
# secure world granted and charged in advance, and the quota still stops
# the reads at the same use as without them.
cmd attr.key_quota.lease "$PCTL" attr key_quota set 1000 $ADMIN
"$B"/e2e_keys_owner lease enf.keys.lease 400
# The key_permission cache probe's once-a-boot check against a whole
# event (docs/kernel.md) ran in the first key event and found it the same.
cmd enf.keys.probe_check grep -qx 'probe_check same' "$SEC/status"
cmd attr.key_quota.back "$PCTL" attr key_quota set "$KEY_QUOTA" $ADMIN
afalg enf
counters enforce

# --- permissive mode: would-deny decisions are allowed and audited -------
cmd mode.permissive "$PCTL" mode permissive $ADMIN
jit perm
"$B"/e2e_devmem perm.devmem
"$B"/e2e_bpf perm.bpf.unpriv 1000
modules perm
afalg perm
cmd mode.enforce "$PCTL" mode enforce $ADMIN
"$B"/e2e_afalg enf2.afalg.md5 hash md5

# --- atomic swap: rejected blobs leave the active policy in force --------
refused swap.badsig "$PCTL" load "$P"/e2e-badsig.blob
block status swap.badsig "$PCTL" status --json
"$B"/e2e_afalg swap.badsig.afalg.md5 hash md5
refused swap.old "$PCTL" load "$P"/e2e-old.blob
block status swap.old "$PCTL" status --json
"$B"/e2e_afalg swap.old.afalg.md5 hash md5
cmd swap.next "$PCTL" load "$P"/e2e-next.blob
block status swap.next "$PCTL" status --json
"$B"/e2e_afalg swap.next.afalg.md5 hash md5
"$B"/e2e_afalg swap.next.afalg.sha256 hash sha256

# --- authority: root without the admin key cannot weaken enforcement ----
"$PCTL" keygen -o /tmp/attacker.key >/dev/null 2>&1
refused auth.mode.notoken "$PCTL" mode permissive
"$B"/e2e_rawmode auth.raw.notoken permissive
refused auth.mode.ownkey "$PCTL" mode permissive --key /tmp/attacker.key
refused auth.attr.jit.notoken "$PCTL" attr jit_allowed set 1 --exe "$B"/e2e_jit_unlisted
refused auth.attr.quota.ownkey "$PCTL" attr key_quota set 1000000 --key /tmp/attacker.key
# integrity_state is written by the secure world only, key_uses by rules
# only: not even the admin key changes them
refused auth.attr.integrity "$PCTL" attr integrity_state set 1 $ADMIN
refused auth.attr.key_uses "$PCTL" attr key_uses set 0 --subject-key 1 $ADMIN
refused auth.end_usage.notoken "$PCTL" end-usage 1
refused auth.audit_config.notoken "$PCTL" audit-config overflow drop-oldest
# a token is bound to its arguments, works once, and only on this boot
"$PCTL" challenge -o /tmp/ch1.json >/dev/null
"$PCTL" authorize --key "$K"/admin.key --challenge /tmp/ch1.json mode enforce -o /tmp/tok1 >/dev/null
"$B"/e2e_rawmode auth.token.args permissive /tmp/tok1
cmd auth.token.first "$PCTL" mode enforce --token /tmp/tok1
refused auth.token.replay "$PCTL" mode enforce --token /tmp/tok1
echo "E2E-TOKEN $(cat /tmp/tok1)"
# blobs the device must refuse: forged key, another device, same version
refused auth.blob.foreign "$PCTL" load "$P"/e2e-foreign.blob
refused auth.blob.otherdev "$PCTL" load "$P"/e2e-otherdev.blob
refused auth.blob.samever "$PCTL" load "$P"/e2e-samever.blob
cmd auth.blob.reload "$PCTL" load "$P"/e2e-next.blob
# /dev/mem cannot reach the secure carve-out or the shared window any more
# (STRICT_DEVMEM + IO_STRICT_DEVMEM, the driver marks both busy), even where
# the policy allows reading /dev/mem: this is how root read the HMAC key
cmd auth.devmem.carveout devmem 0x3C000000
cmd auth.devmem.window devmem 0x3BF00000
# many /dev/tee0 sessions do not lock the owner out
"$B"/e2e_sessions auth.sessions 40 "$PCTL" status --json
block status auth "$PCTL" status --json

# --- a kernel-level attacker: its own SMCs, bypassing the driver ---------
# (e2e_attack.ko is allow-listed by the test policy on purpose)
cmd kmod.insmod insmod "$M"/e2e_attack.ko
dmesg | sed -n 's/^.*e2e_attack: \(E2E .*\)$/\1/p'
dmesg | sed -n 's/^.*e2e_attack: \(EMULATOR-LIMIT .*\)$/\1/p'
cmd kmod.mode_unchanged sh -c "$PCTL stats --json | grep -q '\"mode\": *\"enforce\"'"

counters final
block audit final "$PCTL" audit --verify
block dmesg final dmesg

# --- audit an off-device verifier can trust: fail-closed overflow, a flood
# of audited decisions that wraps the 512-record ring more than twice, and
# the drained log verified against the head a signed report vouches for.
# (After the blocks above: its records and kernel lines are judged here.)
cmd audit.failclosed "$PCTL" audit-config overflow fail-closed $ADMIN
"$B"/e2e_flood audit.flood 1200 100 1500
settle
settle
dnonce=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$PCTL" report --nonce "$dnonce" -o /tmp/drain.report >/dev/null 2>&1
settle
kill "$FOLLOW"
wait "$FOLLOW"
echo "E2E-INFO drained $(wc -l </tmp/drain.jsonl) lines"
cmd audit.drain.verify "$PCTL" audit --verify /tmp/drain.jsonl \
	--report /tmp/drain.report --device-pub "$K"/device.pub
# no anchor line at all: the follower read from record 0 and no read ever
# skipped a record; and the log holds more than two ring's worth (512 each)
cmd audit.drain.nogap sh -c "! grep -q anchor /tmp/drain.jsonl"
cmd audit.drain.wraps sh -c "[ \$(grep -c '\"index\"' /tmp/drain.jsonl) -gt 1224 ]"

# --- the kernel's hot path (issue 9): decision cache and process exits ----
# Exits of processes the secure world holds nothing for stay in the kernel;
# a process with a usage session is reported and its session ends.
# (settle between them: each program's own exit is reported late, from
# task_free after an RCU grace period, and must not fall into the next.)
settle
"$B"/e2e_exits unmarked 10
settle
"$B"/e2e_exits exec 10 "$B"/e2e_true
settle
"$B"/e2e_exits marked "$PCTL"
# 20 identical mprotects (file mapping, +PROT_EXEC) per phase: the first
# reaches the secure world, the other 19 are answered from the cache;
# after a policy load or an attribute write the next one is sent again
# and gets the new verdict. e2e-cache (loaded by the first case, its
# cache_block starts at 1) denies what e2e-next allowed.
"$B"/e2e_cache cache.hit 20
"$B"/e2e_cache cache.policy 20 -- "$PCTL" load "$P"/e2e-cache.blob
"$B"/e2e_cache cache.attr.allow 20 -- "$PCTL" attr cache_block set 0 $ADMIN
# A write to an attribute no file_mprotect rule reads (key_quota: only
# key_permission's) moves only key_permission's cache epoch: the second
# phase is answered from the cache in full.
"$B"/e2e_cache cache.other 20 -- "$PCTL" attr key_quota set $((KEY_QUOTA + 1)) $ADMIN
"$B"/e2e_cache cache.attr.deny 20 -- "$PCTL" attr cache_block set 1 $ADMIN
# The cached answers travel with the heartbeat: after a settle the secure
# world's copy has caught up with the kernel's count read before it.
read -r cached_k <"$SEC"/cache_allowed
settle
cmd cache.heartbeat sh -c "[ \$($PCTL integrity status --json | sed -n 's/.*\"kernel_cached_allowed\": *\([0-9]*\).*/\1/p') -ge $cached_k ]"
counters cache
final_report
