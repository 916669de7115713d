#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# run_smoke.sh - ctest driver of the bare-metal engine smoke test: builds the
# baremetal preset, signs a shipped policy with policyctl, runs
# engine_smoke.elf on QEMU's emulated ZC702 and checks its verdicts.
#
# usage: run_smoke.sh SOURCE_DIR POLICYCTL WORK_DIR
# env:   TZUCON_BAREMETAL_BUILD  baremetal build dir (default SOURCE_DIR/build/baremetal)
#        QEMU_SYSTEM_ARM         emulator (default qemu-system-arm)
#        SMOKE_TIMEOUT           seconds for the emulator run (default 60)
#        SMOKE_ICOUNT            1: run QEMU with -icount shift=0,sleep=off, so
#                                the printed PMU counts are guest instructions
set -euo pipefail

die() { echo "run_smoke: error: $*" >&2; exit 1; }

[[ $# -eq 3 ]] || die "usage: $0 SOURCE_DIR POLICYCTL WORK_DIR"
src=$(cd "$1" && pwd)
policyctl=$2
work=$3
build=${TZUCON_BAREMETAL_BUILD:-$src/build/baremetal}
qemu=${QEMU_SYSTEM_ARM:-qemu-system-arm}
limit=${SMOKE_TIMEOUT:-60}
icount=()
[[ ${SMOKE_ICOUNT:-0} == 1 ]] && icount=(-icount shift=0,sleep=off)
# The policy smoke_cases.cc was written against, and where the ELF expects
# its input (smoke_input.h: kSmokeInputAddr, kSmokeInputMagic).
policy=$src/policies/kernel-integrity.json
input_addr=0x01000000

command -v arm-none-eabi-g++ >/dev/null || die "arm-none-eabi-g++ not found (run scripts/setup)"
command -v "$qemu" >/dev/null || die "$qemu not found (run scripts/setup)"
[[ -x $policyctl ]] || die "policyctl not found at '$policyctl'"
[[ -f $policy ]] || die "policy '$policy' not found"

echo "== building the baremetal preset in $build"
if [[ ! -f $build/CMakeCache.txt ]]; then
  # The secure image in this tree embeds a boot policy that a host
  # policyctl compiles: this one.
  (cd "$src" && cmake --preset baremetal -B "$build" \
    -DTZUCON_HOST_POLICYCTL="$(readlink -f "$policyctl")") || die "baremetal configure failed"
fi
cmake --build "$build" -j2 --target engine_smoke.elf || die "baremetal build failed"
elf=$build/tests/baremetal/engine_smoke.elf
[[ -f $elf ]] || die "no $elf after the build"

echo "== signing $policy"
rm -rf "$work"
mkdir -p "$work"
# The device the engine runs as (any fixed id: the blob is bound to it).
device_id=00112233445566778899aabbccddeeff
"$policyctl" keygen -o "$work/policy.key" || die "policyctl keygen failed"
"$policyctl" compile "$policy" -o "$work/policy.blob" --key "$work/policy.key" \
  --device "$device_id" || die "policyctl compile failed"

# Input file: "TZSI", version 2, key length, blob length (u32 LE each), the
# policy public key and the device id (48 bytes), the blob.
le32() {
  local v=$1
  printf "\\x$(printf %02x $((v & 255)))\\x$(printf %02x $(((v >> 8) & 255)))"
  printf "\\x$(printf %02x $(((v >> 16) & 255)))\\x$(printf %02x $(((v >> 24) & 255)))"
}
pub_line=$(tr -d ' \t\r\n' < "$work/policy.pub")
key_hex=${pub_line#ed25519-public:}$device_id
[[ $key_hex =~ ^[0-9a-fA-F]{96}$ ]] || die "policy.pub is not an ed25519-public key file"
key_len=$(( ${#key_hex} / 2 ))
blob_len=$(stat -c %s "$work/policy.blob")
{
  printf 'TZSI'
  le32 2
  le32 "$key_len"
  le32 "$blob_len"
  printf "$(sed 's/../\\x&/g' <<<"$key_hex")"
  cat "$work/policy.blob"
} > "$work/input.bin"
[[ $(stat -c %s "$work/input.bin") -eq $((16 + key_len + blob_len)) ]] \
  || die "input file has the wrong size"

echo "== running $elf on $qemu -M xilinx-zynq-a9 (timeout ${limit}s)"
set +e
timeout "$limit" "$qemu" -M xilinx-zynq-a9 -m 1G -smp 1 "${icount[@]}" \
  -display none -monitor none -serial null -serial null -no-reboot \
  -semihosting-config enable=on,target=native \
  -device loader,file="$elf",cpu-num=0 \
  -device loader,file="$work/input.bin",addr=$input_addr,force-raw=on \
  > "$work/console.log" 2>&1
rc=$?
set -e
cat "$work/console.log"
[[ $rc -ne 124 ]] || die "emulator timed out after ${limit}s"
[[ $rc -eq 0 ]] || die "engine_smoke exited with status $rc"

# The ELF checks its own expectations; check here too that it really ran
# them all, so a run that stops early cannot pass.
grep -q '^engine_smoke: PASS' "$work/console.log" || die "no PASS line"
grep -q '^load tampered blob: signature invalid ok$' "$work/console.log" \
  || die "tampered blob not rejected"
grep -q '^update integrity_state=2: ok revoked=1 .* ok$' "$work/console.log" \
  || die "key-usage session not revoked"
grep -q '^audit: .* chain verified$' "$work/console.log" || die "audit chain not verified"
grep -q '^sha256 abc: ok$' "$work/console.log" || die "SHA-256 wrong on the Cortex-A9"
n_ok=$(grep -c '^decide .* ok$' "$work/console.log" || true)
want=$(grep -o 'PASS ([0-9]*' "$work/console.log" | tr -dc 0-9)
[[ $n_ok -eq $((want + 2)) ]] || die "$n_ok decide lines ok, want $((want + 2))"
echo "run_smoke: ok"
