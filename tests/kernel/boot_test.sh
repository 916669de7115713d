#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# boot_test.sh - the kernel from scripts/build-kernel boots behind the tzucon
# secure image on the emulated ZC702, and the chain hook -> driver -> SMC ->
# engine -> verdict works: the TEE driver probes (SMCCC identity, window,
# /dev/tee0 and /dev/teepriv0), tz_hooks opens its session before init, a
# W->X mprotect and a W+X mmap are allowed without a policy, denied with
# -EACCES under policies/no-wx-memory.json, allowed (and audited) in
# permissive mode, and the kernel's counters equal the secure world's. Both
# CPUs come up through the secure monitor's PSCI, CPU1 goes offline (CPU_OFF,
# parked in the secure world; Linux sees it off through AFFINITY_INFO) and
# back (CPU_ON) three times, CPU0 (the Trusted OS's CPU) cannot go offline.
#
# usage: tests/kernel/boot_test.sh [--out DIR] [--secure ELF] [--key KEY]
#            [--host-policyctl P] [--guest-policyctl P]
# Defaults: build/kernel/boot, the baremetal preset's image and device key,
# the host-debug and guest presets' policyctl. Exit: 0 pass, 1 fail,
# 77 skipped because a prerequisite another preset builds is missing.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
out=$repo/build/kernel/boot
secure=$repo/build/baremetal/secure/monitor/tzucon_secure.elf
keys=$repo/build/baremetal/keys	# the image build's key dir (gen_keys.py)
host_pctl=$repo/build/host-debug/userspace/policyctl/policyctl
guest_pctl=$repo/build/guest/userspace/policyctl/policyctl
while [ $# -gt 0 ]; do
	case "$1" in
	--out) out=$2; shift 2 ;;
	--secure) secure=$2; shift 2 ;;
	--keys) keys=$2; shift 2 ;;
	--host-policyctl) host_pctl=$2; shift 2 ;;
	--guest-policyctl) guest_pctl=$2; shift 2 ;;
	-h|--help) sed -n '3,16p' "$0"; exit 0 ;;
	*) echo "boot_test: unknown option '$1'" >&2; exit 1 ;;
	esac
done
for f in "$secure" "$keys/policy.key" "$keys/admin.key" "$keys/device.pub" "$host_pctl" "$guest_pctl"; do
	[ -e "$f" ] || { echo "boot_test: SKIP: missing $f (build its preset first)"; exit 77; }
done
mkdir -p "$out"
fails=0
fail() { echo "boot_test: FAIL: $*" >&2; fails=$((fails + 1)); }
pass() { echo "boot_test: ok: $*"; }

"$repo/scripts/build-kernel" >/dev/null || { echo "boot_test: FAIL: build-kernel" >&2; exit 1; }
obj=$repo/build/kernel/obj
arm-linux-gnueabihf-gcc -static -O2 -Wall -o "$out/wx" "$repo/tests/kernel/guest/wx.c"
rm -f "$out/nowx.blob"
"$host_pctl" compile "$repo/policies/no-wx-memory.json" -o "$out/nowx.blob" \
	--key "$keys/policy.key" --device "$keys/device.pub" >/dev/null
"$repo/scripts/build-initramfs" "$out/initramfs.cpio.gz" \
	--add "$repo/tests/kernel/guest/rc:/etc/tzucon/rc" \
	--add "$out/wx:/kboot/wx" --add "$out/nowx.blob:/kboot/nowx.blob" \
	--add "$guest_pctl:/usr/bin/policyctl" \
	--add "$keys/admin.key:/kboot/admin.key" >/dev/null
"$repo/platform/zc702/mkdtb" --in "$obj/arch/arm/boot/dts/zynq-zc702.dtb" \
	--out "$out/boot.dtb" --initrd "$out/initramfs.cpio.gz" \
	--bootargs "console=ttyPS0,115200 rdinit=/init panic=-1" >/dev/null
rc=0
"$repo/scripts/run-zc702" --secure "$secure" --kernel "$obj/arch/arm/boot/zImage" \
	--dtb "$out/boot.dtb" --initrd "$out/initramfs.cpio.gz" --timeout 180 \
	--secure-log "$out/secure.log" --console "$out/linux.log" </dev/null \
	>"$out/launcher.log" 2>&1 || rc=$?
log=$(tr -d '\r' <"$out/linux.log")
[ "$rc" -eq 0 ] && pass "QEMU exited 0 (guest rebooted)" || fail "run-zc702 exit $rc"

has() {  # has DESCRIPTION FIXED-STRING
	grep -qF -- "$2" <<<"$log" && pass "$1" || fail "$1: no '$2' in $out/linux.log"
}
has "driver: SMCCC identity" "tzucon firmware:tzucon: Trusted OS tzucon, revision 1."
has "driver: window and slots" "tzucon firmware:tzucon: window 0x3bf00000+0x100000"
has "LSM session before init" "tz_hooks: ready: session"
has "decisions from the driver's probe on" "KBOOT-PHASE phase ready"
has "/dev/tee0" "KBOOT-DEV /dev/tee0 /dev/teepriv0"
has "tz_hooks listed" "KBOOT-LSM capability,tz_hooks"
has "boot policy (no W^X rule): W->X allowed" "KBOOT nopolicy mprotect_wx ok errno=0 ret=42"
has "boot policy (no W^X rule): W+X allowed" "KBOOT nopolicy mmap_wx ok errno=0"
has "policy loaded" "KBOOT-LOAD rc=0"
# no-wx-memory decides mmap_file (bit 1), file_mprotect (2) and ptrace_access (8)
has "interest mask published" "KBOOT-MASK interest_mask 0x106"
has "enforce: W->X denied" "KBOOT enforce mprotect_wx fail errno=13"
has "enforce: W+X denied" "KBOOT enforce mmap_wx fail errno=13"
has "deny audited" "tz_hooks: audit hook=file_mprotect verdict=deny rule=20"
has "permissive: W->X allowed" "KBOOT permissive mprotect_wx ok errno=0 ret=42"
has "permissive: audited as would-deny" "tz_hooks: audit hook=file_mprotect verdict=allow rule=20 epoch=2 flags=0x41"
has "enforce again: denied" "KBOOT enforce2 mprotect_wx fail errno=13"
has "PSCI 1.1 found" "psci: PSCIv1.1 detected in firmware."
has "trusted OS on CPU0" "psci: Trusted OS resident on physical CPU 0x0"
has "both CPUs up" "smp: Brought up 1 node, 2 CPUs"
has "both CPUs online" "KBOOT-CPU online=0-1 cpu0_hotpluggable=no"
for i in 1 2 3; do
	has "CPU1 offline/online cycle $i" "KBOOT-HOTPLUG cycle=$i off=0 on=0-1"
done
n=$(grep -c '\] CPU1 killed\.$' <<<"$log" || true)
[ "$n" -eq 3 ] && pass "AFFINITY_INFO: CPU1 seen off 3 times" ||
	fail "'CPU1 killed.' $n times in $out/linux.log, want 3"
has "decisions after the hotplug cycles" "KBOOT after_hotplug mprotect_wx fail errno=13"
slog=$(tr -d '\r' <"$out/secure.log")
n=$(grep -c '^\[tzucon\] psci: CPU1 off (parked in the secure world)' <<<"$slog" || true)
[ "$n" -eq 3 ] && pass "secure world: CPU1 parked 3 times" ||
	fail "secure world parked CPU1 $n times, want 3 ($out/secure.log)"
grep -q '^\[tzucon\] psci: CPU1 on, entering the normal world at' <<<"$slog" &&
	pass "secure world: CPU1 started by CPU_ON" || fail "no CPU_ON of CPU1 in $out/secure.log"
grep -q 'SECURE FAULT\|PANIC' <<<"$slog" && fail "secure fault or panic in $out/secure.log" ||
	pass "no secure fault"

kv() {  # kv LINE-PREFIX KEY: value of KEY=V on the line, or "KEY: V" lines
	sed -n "s/^$1.*[ ]$2[=:] *\([0-9]*\).*/\1/p" <<<"$log" | head -1
}
for pair in decisions:decisions allowed:allowed denied:denied would_deny:permissive_denials; do
	k=$(kv KBOOT-KERNEL "${pair%%:*}")
	s=$(sed -n "s/^KBOOT-SECURE ${pair##*:}: *\([0-9]*\).*/\1/p" <<<"$log" | head -1)
	[ -n "$k" ] && [ "$k" = "$s" ] && pass "kernel ${pair%%:*}=$k equals secure ${pair##*:}" ||
		fail "kernel ${pair%%:*}='$k' vs secure ${pair##*:}='$s'"
done
if grep -qE 'WARNING:|Oops|BUG:|Kernel panic|Unable to handle|Call trace:' <<<"$log"; then
	fail "kernel warning or oops in $out/linux.log"
else
	pass "no kernel warning or oops"
fi

[ "$fails" -eq 0 ] || { echo "boot_test: $fails check(s) failed (logs in $out)" >&2; exit 1; }
echo "boot_test: all checks passed"
