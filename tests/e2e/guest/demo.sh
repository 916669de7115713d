#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# demo.sh - guest side of scripts/demo (installed as /etc/tzucon/rc): load the
# shipped policies, then show allowed and denied actions with their verdicts.
# Each action's E2E line (e2e.h) stays in the output: scripts/demo checks it.
B=/e2e/bin
M=/e2e/modules

say() {
	echo
	echo "=== $*"
}

# Runs a test program and prints each result as "ALLOWED"/"DENIED (ERRNO)".
show() {
	what=$1
	shift
	"$@" 2>&1 | while IFS= read -r line; do
		case "$line" in
		"E2E "*" ok "*) v="ALLOWED" ;;
		"E2E "*" fail errno=1 "*) v="DENIED (EPERM)" ;;
		"E2E "*" fail errno=13 "*) v="DENIED (EACCES)" ;;
		"E2E "*" fail errno=12 "*) v="DENIED (ENOMEM)" ;;
		"E2E "*" fail errno=0 "*" sig="*) v="DENIED (killed)" ;;
		"E2E "*" fail "*) v="FAILED" ;;
		*) v="" ;;
		esac
		if [ -n "$v" ]; then
			printf '  %-16s %-34s | %s\n' "$v" "$what" "$line"
		else
			echo "  $line"
		fi
	done
}

[ -w /proc/sys/kernel/unprivileged_bpf_disabled ] &&
	echo 0 > /proc/sys/kernel/unprivileged_bpf_disabled

. /e2e/lib.sh

say "active LSMs: $(cat /sys/kernel/security/lsm)"
say "secure world at boot: the image's signed boot policy is in force"
policyctl status
show "module load under the boot policy" "$B"/e2e_modload demo.boot.mod \
	"$M"/e2e_mod_unknown.ko e2e_mod_unknown

say "loading the shipped policies"
for blob in /e2e/policies/*.blob; do
	if policyctl load "$blob" >/dev/null; then r=ok; else r=fail; fi
	echo "E2E demo.load.$(basename "$blob" .blob) $r errno=0 pid=0"
done
policyctl status

say "memory: a JIT turns its freshly written buffer executable (W->X); an RWX heap and stack"
show "W->X, not allow-listed" "$B"/e2e_jit_unlisted demo.jit "$B"/e2e_xstack
say "kernel integrity: /dev/mem, BPF by an unprivileged user, modules"
show "/dev/mem" "$B"/e2e_devmem demo.devmem
show "bpf prog load as uid 1000" "$B"/e2e_bpf demo.bpf.unpriv 1000
show "module not in the allowlist" "$B"/e2e_modload demo.mod.unknown \
	"$M"/e2e_mod_unknown.ko e2e_mod_unknown
say "crypto: AF_ALG algorithms and keys"
show "AF_ALG hash sha256" "$B"/e2e_afalg demo.afalg.sha256 hash sha256
show "AF_ALG hash md5" "$B"/e2e_afalg demo.afalg.md5 hash md5
show "key: by owner, then by other exe" \
	"$B"/e2e_keys_owner foreign demo.keys "$B"/e2e_keys_other

say "root tries to switch enforcement off, without the admin key"
refused demo.auth.mode policyctl mode permissive
policyctl keygen -o /tmp/mine.key >/dev/null 2>&1
refused demo.auth.mode.ownkey policyctl mode permissive --key /tmp/mine.key
refused demo.auth.integrity policyctl attr integrity_state set 1

say "kernel integrity: measured by the secure world on its own timer (TTC1 FIQ)"
policyctl integrity status
if policyctl integrity check --json | grep -q '"state":"ok"'; then r=ok; else r=fail; fi
echo "E2E demo.integrity.check $r errno=0 pid=0"

say "secure-world counters"
policyctl stats
say "kernel counters (securityfs)"
grep -H . /sys/kernel/security/tz_hooks/* 2>&1 | sed 's|/sys/kernel/security/tz_hooks/||'
say "secure audit log (hash chain verified)"
if policyctl audit --verify >/tmp/audit.jsonl; then r=ok; else r=fail; fi
echo "  ($(wc -l </tmp/audit.jsonl) lines; the last ones:)"
tail -n 6 /tmp/audit.jsonl
echo "E2E demo.audit.verify $r errno=0 pid=0"
say "kernel log lines of tz_hooks"
dmesg | grep -i tz_ | tail -n 12
say "signed report (verify it on the host: policyctl verify-report)"
final_report
