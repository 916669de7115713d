#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# manifest_boot_test.sh - the kernel manifest of build/kernel matches the
# memory of that kernel running behind the secure image, checked from
# outside the guest: boot with the signed manifest (run-zc702 --manifest),
# wait until user space runs (system_state RUNNING, rodata sealed), read
# every region through the QEMU monitor (tests/kernel/manifest_check.py:
# VA -> PA through the guest's own swapper_pg_dir, fixups masked) and
# compare with the manifest's digests. Negative control: the same check
# with the fixups removed from the manifest must find the boot-time
# ARM_PATCH_PHYS_VIRT rewrites in text. Also reports what the driver logged
# (registration state, heartbeat thread, module ADD/DEL of tzu_modtest).
#
# usage: tests/kernel/manifest_boot_test.sh [--out DIR] [--secure ELF]
#            [--keys DIR] [--host-policyctl P] [--guest-policyctl P]
# Defaults: build/kernel/manifest-boot; the secure image and key dir of
# build/baremetal; the host-debug and
# guest presets' policyctl (to load policies/no-wx-memory.json, which
# permits module loads the boot policy denies). Exit: 0 pass, 1 fail,
# 77 skipped (no secure image, keys or policyctl).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
out=$repo/build/kernel/manifest-boot
bm=$repo/build/baremetal
secure=$bm/secure/monitor/tzucon_secure.elf
keys=$bm/keys
host_pctl=$repo/build/host-debug/userspace/policyctl/policyctl
guest_pctl=$repo/build/guest/userspace/policyctl/policyctl
while [ $# -gt 0 ]; do
	case "$1" in
	--out) out=$2; shift 2 ;;
	--secure) secure=$2; shift 2 ;;
	--keys) keys=$2; shift 2 ;;
	--host-policyctl) host_pctl=$2; shift 2 ;;
	--guest-policyctl) guest_pctl=$2; shift 2 ;;
	-h|--help) sed -n '3,/^set -euo/{/^#/p}' "$0"; exit 0 ;;
	*) echo "manifest_boot_test: unknown option '$1'" >&2; exit 1 ;;
	esac
done
for f in "$secure" "$keys/policy.key" "$keys/device.pub" "$host_pctl" "$guest_pctl"; do
	[ -e "$f" ] || { echo "manifest_boot_test: SKIP: missing $f"; exit 77; }
done
out=$(mkdir -p "$out" && cd "$out" && pwd)
fails=0
fail() { echo "manifest_boot_test: FAIL: $*" >&2; fails=$((fails + 1)); }
pass() { echo "manifest_boot_test: ok: $*"; }

"$repo/scripts/build-kernel" --manifest-key "$keys/policy.key" >"$out/build.log" ||
	{ echo "manifest_boot_test: FAIL: build-kernel (see $out/build.log)" >&2; exit 1; }
obj=$repo/build/kernel/obj
manifest=$obj/tzucon.manifest
/usr/bin/python3 "$repo/kernel/manifest/mkmanifest" --key "$keys/policy.key" \
	-o "$manifest" --dump "$obj/vmlinux" | tee "$out/manifest.txt"

# The negative control: the same manifest without fixups (unsigned is fine,
# only the checker reads it).
/usr/bin/python3 - "$manifest" "$out/nofixups.manifest" <<'EOF'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
n_regions, = struct.unpack_from("<H", b, 6)
n_fixups, = struct.unpack_from("<I", b, 12)
end = 128 + 48 * n_regions
b = b[:end] + b[end + 8 * n_fixups:]
struct.pack_into("<I", b, 8, len(b))
struct.pack_into("<I", b, 12, 0)
open(sys.argv[2], "wb").write(b)
EOF

mod=$out/modtest
mkdir -p "$mod"
cp "$repo/tests/kernel/module/Kbuild" "$repo/tests/kernel/module/tzu_modtest.c" "$mod/"
make -s -C "$obj" ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf- M="$mod" modules \
	>"$mod/build.log" 2>&1 || fail "tzu_modtest.ko does not build ($mod/build.log)"

rm -f "$out/nowx.blob"
"$host_pctl" compile "$repo/policies/no-wx-memory.json" -o "$out/nowx.blob" \
	--key "$keys/policy.key" --device "$keys/device.pub" >/dev/null
cat >"$out/rc" <<'EOF'
#!/bin/sh
policyctl load /mcheck/nowx.blob >/dev/null && echo "MCHECK-POLICY ok"
echo "MCHECK-HB $(cat /proc/[0-9]*/comm 2>/dev/null | grep -c tzucon-hb)"
insmod /mcheck/tzu_modtest.ko && echo "MCHECK-INSMOD ok"
rmmod tzu_modtest && echo "MCHECK-RMMOD ok"
grep . /sys/kernel/security/tz_hooks/status | sed 's/^/MCHECK-STATUS /'
echo "MCHECK-READY"
sleep 120
EOF
chmod +x "$out/rc"
"$repo/scripts/build-initramfs" "$out/initramfs.cpio.gz" \
	--add "$out/rc:/etc/tzucon/rc" --add "$mod/tzu_modtest.ko:/mcheck/tzu_modtest.ko" \
	--add "$out/nowx.blob:/mcheck/nowx.blob" --add "$guest_pctl:/usr/bin/policyctl" \
	>/dev/null
"$repo/platform/zc702/mkdtb" --in "$obj/arch/arm/boot/dts/zynq-zc702.dtb" \
	--out "$out/boot.dtb" --initrd "$out/initramfs.cpio.gz" \
	--bootargs "console=ttyPS0,115200 rdinit=/init panic=-1" >/dev/null

sock=$out/monitor.sock
rm -f "$sock" "$out/linux.log"
"$repo/scripts/run-zc702" --secure "$secure" --kernel "$obj/arch/arm/boot/zImage" \
	--dtb "$out/boot.dtb" --initrd "$out/initramfs.cpio.gz" --manifest "$manifest" \
	--timeout 240 --secure-log "$out/secure.log" --console "$out/linux.log" \
	--qemu-arg -monitor --qemu-arg "unix:$sock,server=on,wait=off" \
	</dev/null >"$out/launcher.log" 2>&1 &
qemu_job=$!
for _ in $(seq 1 200); do
	grep -q MCHECK-READY "$out/linux.log" 2>/dev/null && break
	grep -q "SECURE FAULT" "$out/secure.log" 2>/dev/null && break
	kill -0 "$qemu_job" 2>/dev/null || break
	sleep 1
done
if grep -q MCHECK-READY "$out/linux.log" 2>/dev/null; then
	pass "guest user space runs (system RUNNING)"
	if /usr/bin/python3 "$repo/tests/kernel/manifest_check.py" --monitor "$sock" \
		--manifest "$manifest" --vmlinux "$obj/vmlinux" --json "$out/check.json" \
		| tee "$out/check.txt"; then
		pass "every digest region of the manifest matches guest memory"
	else
		fail "manifest digests differ from guest memory ($out/check.txt)"
	fi
	if /usr/bin/python3 "$repo/tests/kernel/manifest_check.py" --monitor "$sock" \
		--manifest "$out/nofixups.manifest" >"$out/nofixups.txt" 2>&1; then
		fail "negative control: without fixups text still matched ($out/nofixups.txt)"
	else
		grep -q "text .*MISMATCH" "$out/nofixups.txt" &&
			pass "negative control: without fixups the boot-time pv rewrites are seen" ||
			fail "negative control failed for another reason ($out/nofixups.txt)"
	fi
	/usr/bin/python3 - "$sock" <<'EOF' || true
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"quit\n")
EOF
else
	fail "guest did not reach MCHECK-READY ($out/linux.log, $out/secure.log)"
	grep -A2 "SECURE FAULT" "$out/secure.log" 2>/dev/null || true
	kill "$qemu_job" 2>/dev/null || true
fi
wait "$qemu_job" || true
log=$(tr -d '\r' <"$out/linux.log" 2>/dev/null || true)
reg=$(grep -E "integrity: (registered|not measured|registration)" <<<"$log" || true)
echo "manifest_boot_test: driver: ${reg:-no integrity line}"
if grep -q "integrity: registered" <<<"$reg"; then
	grep -q "integrity: registered: state 1 " <<<"$reg" &&
		pass "secure world: registration state OK" ||
		fail "registration did not report state OK: $reg"
	grep -q "integrity: region" <<<"$log" &&
		fail "regions not as expected: $(grep 'integrity: region' <<<"$log")" ||
		pass "no region reported unexpected"
	grep -q "MCHECK-HB [1-9]" <<<"$log" && pass "heartbeat thread tzucon-hb runs" ||
		fail "no tzucon-hb thread"
	grep -q "integrity: module" <<<"$log" &&
		fail "module registration: $(grep 'integrity: module' <<<"$log")" ||
		pass "module ADD/DEL accepted (no warning)"
else
	echo "manifest_boot_test: note: this secure image does not measure; memory check only"
fi
grep -q "MCHECK-INSMOD ok" <<<"$log" && grep -q "MCHECK-RMMOD ok" <<<"$log" &&
	pass "tzu_modtest loads and unloads" || fail "insmod/rmmod of tzu_modtest"
if grep -qE 'WARNING:|Oops|BUG:|Kernel panic|Unable to handle' <<<"$log"; then
	fail "kernel warning or oops in $out/linux.log"
else
	pass "no kernel warning or oops"
fi
[ "$fails" -eq 0 ] || { echo "manifest_boot_test: $fails check(s) failed (logs in $out)" >&2; exit 1; }
echo "manifest_boot_test: all checks passed"
