#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# run_payload_test.sh - ctest wrapper of the `qemu` label: builds the secure
# image and the normal-world payload (baremetal build), writes the test policy
# blobs signed with that build's device key, boots them with scripts/run-zc702
# and checks the payload's verdict and the secure console. Both console logs
# are printed into the test output.
#
# usage: run_payload_test.sh --source DIR --build DIR --blobs-tool EXE
#            [--cmake-arg ARG]... [--expect-fault]
# --expect-fault: the image is built with TZUCON_FAULT_INJECT; the secure
# console must then show the fault diagnostic and the FAILED state.
# --storage-check: afterwards boot the same image three more times on one
# fresh state flash (run-zc702 --storage) and check the persistent state on
# the secure console: "boot 1", "boot 2"; with the newest copy corrupted the
# older one is used ("ok, boot 2"); with both corrupted "tampered".
set -euo pipefail
die() { echo "run_payload_test: error: $*" >&2; exit 1; }
src="" build="" tool="" expect_fault=0 expect_refused=0 storage_check=0
cmake_args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--source) src=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--blobs-tool) tool=$2; shift 2 ;;
	--cmake-arg) cmake_args+=("$2"); shift 2 ;;
	--expect-fault) expect_fault=1; shift ;;
	--expect-refused-boot) expect_refused=1; shift ;;
	--storage-check) storage_check=1; shift ;;
	*) die "unknown option '$1'" ;;
	esac
done
[ -d "$src" ] && [ -n "$build" ] && [ -x "$tool" ] || die "bad arguments"
command -v qemu-system-arm >/dev/null || die "qemu-system-arm not found: run scripts/setup"
command -v arm-none-eabi-g++ >/dev/null || die "arm-none-eabi-g++ not found: run scripts/setup"

if [ ! -f "$build/build.ninja" ]; then
	cmake -S "$src" -B "$build" -G Ninja \
		--toolchain "$src/cmake/arm-none-eabi.cmake" \
		-DCMAKE_BUILD_TYPE=MinSizeRel ${cmake_args[@]+"${cmake_args[@]}"} >/dev/null
fi
cmake --build "$build" -j2 --target secure_monitor nw_payload
elf=$build/secure/monitor/tzucon_secure.elf
payload=$build/tests/qemu/payload/nw_payload.bin
out=$build/qemu-run
mkdir -p "$out"
"$tool" "$build/keys" "$out"

# --expect-refused-boot: the image's boot policy says "weak_boot": "refuse"
# and the payload boots without a DTB (an unusable DTB counts as weak): the
# secure world must stop before the normal world runs at all.
if [ "$expect_refused" -eq 1 ]; then
	rc=0
	"$src/scripts/run-zc702" --secure "$elf" --kernel "$payload" \
		--secure-log "$out/secure.log" --console "$out/console.log" \
		--timeout 15 || rc=$?
	echo "---- secure console (UART0) ----"
	tr -d '\r' <"$out/secure.log"
	fail=0
	grep -q 'PANIC: kernel command line weakens tz_hooks: boot refused by policy' "$out/secure.log" ||
		{ echo "FAIL: no refused-boot panic on the secure console"; fail=1; }
	grep -q '^\[tzucon\] normal world: entry' "$out/secure.log" &&
		{ echo "FAIL: the normal world was entered"; fail=1; }
	[ -s "$out/console.log" ] && { echo "FAIL: the normal world printed something"; fail=1; }
	[ "$rc" -eq 124 ] || { echo "FAIL: expected the parked board to time out, QEMU exit $rc"; fail=1; }
	[ "$fail" -eq 0 ] && echo "qemu refused-boot check: passed"
	exit "$fail"
fi

rc=0
"$src/scripts/run-zc702" --secure "$elf" --kernel "$payload" \
	--load "$out/policy_v2.bin@0x02000000" --load "$out/policy_v1.bin@0x02100000" \
	--secure-log "$out/secure.log" --console "$out/console.log" \
	--timeout 60 || rc=$?
echo "---- secure console (UART0) ----"
tr -d '\r' <"$out/secure.log"
echo "---- normal-world console (UART1) ----"
tr -d '\r' <"$out/console.log"
echo "----"

fail=0
[ "$rc" -eq 0 ] || { echo "FAIL: QEMU exit code $rc (124 = timeout)"; fail=1; }
grep -q '^\[tzucon\] normal world: entry' "$out/secure.log" ||
	{ echo "FAIL: secure world did not reach the normal-world switch"; fail=1; }
if [ "$expect_fault" -eq 1 ]; then
	grep -q 'SECURE FAULT on CPU0: undefined instruction' "$out/secure.log" &&
		grep -q 'secure world FAILED' "$out/secure.log" ||
		{ echo "FAIL: no fault diagnostic / FAILED state on the secure console"; fail=1; }
else
	grep -q 'SECURE FAULT\|PANIC' "$out/secure.log" &&
		{ echo "FAIL: secure fault or panic on the secure console"; fail=1; }
	# PSCI (run-zc702 -smp 2): CPU1 waited in the secure world, the exit was
	# the secure world's SYSTEM_RESET (recorded before the reset).
	grep -q '^\[tzucon\] psci: PSCI 1.1, 1 of 1 secondary CPUs waiting in the secure world' "$out/secure.log" ||
		{ echo "FAIL: CPU1 did not reach the secure world's wait loop"; fail=1; }
	grep -q '^\[tzucon\] psci: SYSTEM_RESET requested: [0-9]* decisions served, audit head .* recorded' "$out/secure.log" &&
		grep -q '^\[tzucon\] psci: SYSTEM_RESET from CPU0, other CPUs stopped' "$out/secure.log" ||
		{ echo "FAIL: no recorded SYSTEM_RESET on the secure console"; fail=1; }
fi
# Kernel integrity at boot: the one-time compare-vs-SHA-256 figures, no
# manifest for the payload; the payload's TTC1 tampering (QEMU-only attack
# path) is noticed on the secure console.
grep -q '^\[tzucon\] integrity: compare [0-9]* bytes in [0-9]* cycles, sha256 [0-9]* bytes in [0-9]* cycles' "$out/secure.log" ||
	{ echo "FAIL: no integrity benchmark line on the secure console"; fail=1; }
grep -q '^\[tzucon\] integrity: manifest absent' "$out/secure.log" ||
	{ echo "FAIL: no 'manifest absent' line on the secure console"; fail=1; }
grep -q '^\[tzucon\] integrity: secure timer reprogrammed by the normal world' "$out/secure.log" ||
	{ echo "FAIL: the TTC1 tampering was not reported on the secure console"; fail=1; }
result=$(tr -d '\r' <"$out/console.log" | sed -n 's/^RESULT: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
[ -n "$result" ] || { echo "FAIL: payload printed no RESULT line"; exit 1; }
set -- $result
[ "$2" -eq 0 ] || { echo "FAIL: $2 payload checks failed"; fail=1; }
[ "$1" -ge 50 ] || { echo "FAIL: only $1 payload checks ran (expected >= 50)"; fail=1; }
[ "$fail" -eq 0 ] && echo "qemu payload test: $1 checks passed"

# ---- --storage-check: the persistent state survives reboots, and a
# corrupted flash is reported (offsets from memmap.h; +16 = boot_counter).
slot_off() {
	printf '%d' "$(awk -v n="$1" '$1 == "#define" && $2 == n { print $3 }' \
		"$src/platform/zc702/memmap.h")"
}
flip() {  # file offset
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf '%03o' $((b ^ 0x5A)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
storage_boot() {  # n expected-line
	local log=$out/storage-$1.log
	"$src/scripts/run-zc702" --secure "$elf" --kernel "$payload" \
		--load "$out/policy_v2.bin@0x02000000" --load "$out/policy_v1.bin@0x02100000" \
		--storage "$out/storage.img" --secure-log "$log" \
		--console "$out/storage-$1.console" --timeout 60 >/dev/null 2>&1 || true
	echo "---- storage boot $1: $(tr -d '\r' <"$log" | grep '^\[tzucon\] storage:' || echo 'no storage line')"
	tr -d '\r' <"$log" | grep -qx "\[tzucon\] storage: $2" ||
		{ echo "FAIL: storage boot $1: expected '[tzucon] storage: $2'"; fail=1; }
}
if [ "$storage_check" -eq 1 ]; then
	rm -f "$out/storage.img"
	storage_boot 1 "fresh, boot 1"
	storage_boot 2 "ok, boot 2"
	a=$(slot_off PLAT_STATE_SLOT_A_OFF) b=$(slot_off PLAT_STATE_SLOT_B_OFF)
	# Each payload boot saves twice (the boot count, then the rollback floor
	# of its policy load), so slot B holds boot 2's newest record and slot A
	# its first one, which also says boot 2: corrupting B falls back to A.
	flip "$out/storage.img" $((b + 16))
	storage_boot 3 "ok, boot 3"
	flip "$out/storage.img" $((a + 16))
	flip "$out/storage.img" $((b + 16))
	storage_boot 4 "tampered, boot 0"
	[ "$fail" -eq 0 ] && echo "qemu storage check: passed"
fi
exit "$fail"
