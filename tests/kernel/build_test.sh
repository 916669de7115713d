#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# build_test.sh - scripts/build-kernel produces what the project boots and
# builds against: an ARM zImage, the ZC702 DTB, a configuration with our
# driver and LSM in, and a Module.symvers an out-of-tree module links with.
#
# usage: tests/kernel/build_test.sh [BUILD_DIR]   (default build/kernel)
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
out=${1:-$repo/build/kernel}
obj=$out/obj
fails=0
fail() { echo "build_test: FAIL: $*" >&2; fails=$((fails + 1)); }
pass() { echo "build_test: ok: $*"; }

"$repo/scripts/build-kernel" "$out" || { echo "build_test: FAIL: scripts/build-kernel" >&2; exit 1; }

# zImage: ARM Linux magic 0x016f2818 at offset 0x24.
z=$obj/arch/arm/boot/zImage
magic=$(od -An -tx4 -j 0x24 -N 4 "$z" 2>/dev/null | tr -d ' ')
[ "$magic" = 016f2818 ] && pass "zImage magic ($(stat -c %s "$z") bytes)" ||
	fail "$z: no ARM zImage magic (got '$magic')"

# DTB: flattened device tree of the ZC702.
d=$obj/arch/arm/boot/dts/zynq-zc702.dtb
dts=$(dtc -q -I dtb -O dts "$d" 2>/dev/null || true)
if [ "$(od -An -tx1 -N 4 "$d" 2>/dev/null | tr -d ' ')" = d00dfeed ] &&
   grep -qF '"xlnx,zynq-zc702\0' <<<"$dts"; then
	pass "zynq-zc702.dtb"
else
	fail "$d is not the ZC702 device tree"
fi

# Configuration: our code is in, the LSM is listed.
for sym in CONFIG_TZUCON_TEE=y CONFIG_SECURITY_TZ_HOOKS=y CONFIG_TEE=y \
	   CONFIG_SECURITYFS=y CONFIG_MODULES=y; do
	grep -qxF "$sym" "$obj/.config" && pass "$sym" || fail "$sym missing from .config"
done
grep -qE '^CONFIG_LSM="([^"]*,)?tz_hooks(,[^"]*)?"$' "$obj/.config" &&
	pass "CONFIG_LSM lists tz_hooks" || fail "CONFIG_LSM does not list tz_hooks"
# Hardening the threat model relies on (docs/kernel.md section 1).
for sym in CONFIG_STRICT_DEVMEM=y CONFIG_IO_STRICT_DEVMEM=y \
	   CONFIG_STRICT_KERNEL_RWX=y CONFIG_STRICT_MODULE_RWX=y; do
	grep -qxF "$sym" "$obj/.config" && pass "$sym" || fail "$sym missing from .config"
done
# No allow-all window: the driver probes at subsys_initcall_sync (4s),
# before rootfs_initcall enables user-mode helpers; the LSM's own session
# opens at late_initcall_sync (7s). The level is the initcall symbol's suffix.
for s in tzu_driver_init4s tzh_engine_init7s; do
	grep -qE "__initcall__.*_$s\$" "$obj/System.map" && pass "initcall $s" ||
		fail "no initcall ${s%??} at level ${s: -2} in System.map"
done
for s in tzu_decide tzh_decide tzu_probe; do
	grep -q " $s\$" "$obj/System.map" && pass "vmlinux has $s" ||
		fail "$s not in System.map"
done

# Module.symvers: the driver's API, usable by an out-of-tree module.
for s in tzu_decide tzu_available tzu_notifier_register tee_client_open_session; do
	grep -qP "\t$s\t" "$obj/Module.symvers" && pass "Module.symvers exports $s" ||
		fail "Module.symvers lacks $s"
done
mod=$out/modtest
rm -rf "$mod"
mkdir -p "$mod"
cp "$repo/tests/kernel/module/Kbuild" "$repo/tests/kernel/module/tzu_modtest.c" "$mod/"
if make -s -C "$obj" ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf- M="$mod" \
	modules >"$mod/build.log" 2>&1 && [ -f "$mod/tzu_modtest.ko" ] &&
   ! grep -q 'undefined' "$mod/build.log"; then
	pass "out-of-tree module $mod/tzu_modtest.ko"
else
	cat "$mod/build.log" >&2
	fail "out-of-tree module did not build against Module.symvers"
fi

[ "$fails" -eq 0 ] || { echo "build_test: $fails check(s) failed" >&2; exit 1; }
echo "build_test: all checks passed"
