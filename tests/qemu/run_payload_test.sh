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
set -euo pipefail
die() { echo "run_payload_test: error: $*" >&2; exit 1; }
src="" build="" tool="" expect_fault=0
cmake_args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--source) src=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--blobs-tool) tool=$2; shift 2 ;;
	--cmake-arg) cmake_args+=("$2"); shift 2 ;;
	--expect-fault) expect_fault=1; shift ;;
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
"$tool" "$build/device.key" "$out"

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
fi
result=$(tr -d '\r' <"$out/console.log" | sed -n 's/^RESULT: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
[ -n "$result" ] || { echo "FAIL: payload printed no RESULT line"; exit 1; }
set -- $result
[ "$2" -eq 0 ] || { echo "FAIL: $2 payload checks failed"; fail=1; }
[ "$1" -ge 50 ] || { echo "FAIL: only $1 payload checks ran (expected >= 50)"; fail=1; }
[ "$fail" -eq 0 ] && echo "qemu payload test: $1 checks passed"
exit "$fail"
