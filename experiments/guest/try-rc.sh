#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# try-rc.sh - guest side of try-boot.sh (installed as /etc/tzucon/rc): one trial of every scenario program.
#
# /tzx/variant holds the policy variant try-boot.sh booted: "enforce"
# (the merged policy loaded, enforce), "permissive" (the same, then mode
# permissive with the lab admin key) or "off" (the kernel booted with
# lsm=capability: no tz_hooks; the secure world still runs). Every program
# prints its own "TZX result" line; nothing is judged here. Scenarios that
# change what the next ones see (the mode replay restores enforce itself,
# the SMC flood's integrity, session-closing and CPU-hogging classes) run
# last: try-boot.sh --only picks some for a boot of their own.
B=/tzx/bin
M=/tzx/modules
P=/tzx/policies
K=/tzx/keys
PCTL=policyctl
V=$(cat /tzx/variant)
T=1
QUOTA=8

echo "TZX-INFO variant=$V lsm=$(cat /sys/kernel/security/lsm 2>/dev/null)"
echo "TZX-INFO cmdline=$(cat /proc/cmdline)"
echo 1 > /proc/sys/kernel/printk
"$PCTL" load "$P/tzx-try.blob" >/dev/null 2>&1; echo "TZX-INFO load rc=$?"
"$PCTL" attr key_quota set "$QUOTA" --key "$K/admin.key" >/dev/null 2>&1
echo "TZX-INFO key_quota rc=$?"
if [ "$V" = permissive ]; then
	"$PCTL" mode permissive --key "$K/admin.key" >/dev/null 2>&1
	echo "TZX-INFO permissive rc=$?"
fi
"$PCTL" status --json | tr -d '\n' | sed 's/^/TZX-INFO status /'; echo

# /tzx/only (try-boot.sh --only): an extended regex; other runs are skipped.
ONLY=$(cat /tzx/only 2>/dev/null)
run() {
	[ -n "$ONLY" ] && ! echo "$*" | grep -qE -- "$ONLY" && return 0
	echo "TZX-RUN $*"
	"$@" --trial "$T"
	echo "TZX-RC $? integrity=$("$PCTL" status --json | sed -n 's/.*"integrity": *"\([a-z]*\)".*/\1/p')"
}

run "$B"/tzx_ptrace --via poke
run "$B"/tzx_ptrace --via mem
run "$B"/tzx_wx --variant memfd
run "$B"/tzx_wx --variant rw-r-rx
run "$B"/tzx_wx --variant procmem
run "$B"/tzx_keys --mode foreign --other "$B"/tzx_keys_other
run "$B"/tzx_keys --mode quota --quota "$QUOTA"
run "$B"/tzx_modload --id modload-file-allowed --via file --module "$M"/e2e_mod_allowed.ko --name e2e_mod_allowed
run "$B"/tzx_modload --id modload-buffer-allowed --via buffer --module "$M"/e2e_mod_allowed.ko --name e2e_mod_allowed
run "$B"/tzx_modload --id modload-file-unknown --via file --module "$M"/e2e_mod_unknown.ko --name e2e_mod_unknown
run "$B"/tzx_modload --id modload-buffer-unknown --via buffer --module "$M"/e2e_mod_unknown.ko --name e2e_mod_unknown
run "$B"/tzx_devmem --via pwrite
run "$B"/tzx_devmem --via mmap
run "$B"/tzx_tee --id tee-blob-forged --attack blob --blob "$P"/tzx-next.blob --flip
run "$B"/tzx_tee --id tee-blob-foreign --attack blob --blob "$P"/tzx-foreign.blob
run "$B"/tzx_tee --id tee-blob-replay-old --attack blob --blob "$P"/tzx-old.blob
run "$B"/tzx_tee --id tee-blob-replay-same --attack blob --blob "$P"/tzx-try.blob
run "$B"/tzx_tee --attack mode-forged
run "$B"/tzx_tee --attack mode-replay --admin-key "$K"/admin.key
run "$B"/tzx_tee --attack securityfs
run "$B"/tzx_tee --attack sessions
run "$B"/tzx_tee --attack close-sessions
run "$B"/tzx_kmod --id kmod-carveout --check carveout --module "$M"/tzx_carveout.ko --name tzx_carveout
run "$B"/tzx_kmod --id kmod-smcflood --check smcflood --module "$M"/tzx_smcflood.ko --name tzx_smcflood --params "classes=7 count=2000"
run "$B"/tzx_kmod --id kmod-fake-integrity --check smcflood --module "$M"/tzx_smcflood.ko --name tzx_smcflood --params "classes=8"
run "$B"/tzx_kmod --id kmod-close-sessions --check smcflood --module "$M"/tzx_smcflood.ko --name tzx_smcflood --params "classes=16"
run "$B"/tzx_kmod --id kmod-smcflood-hog --check smcflood --module "$M"/tzx_smcflood.ko --name tzx_smcflood --params "classes=7 count=2000 resched=0"
"$PCTL" status --json | tr -d '\n' | sed 's/^/TZX-INFO status-end /'; echo
"$PCTL" stats --json | tr -d '\n' | sed 's/^/TZX-INFO stats-end /'; echo
"$PCTL" integrity status --json | tr -d '\n' | sed 's/^/TZX-INFO integrity-end /'; echo
dmesg | grep -E 'tzx_|tz_hooks|tzucon' | tail -40 | sed 's/^/TZX-DMESG /'
echo "TZX-DONE"
