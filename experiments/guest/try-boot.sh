#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# try-boot.sh - boot the emulated ZC702 once with every scenario program and print their TZX result lines.
#
#   experiments/guest/try-boot.sh [--variant enforce|permissive|off] [--only REGEX]
#                                 [--out DIR] [--timeout S]
#
# For trying the programs by hand (scripts/experiment is the real runner).
# Uses what tests/e2e/lib.sh builds: main's kernel (build/kernel/obj, not
# rebuilt here), the secure image (baremetal preset, E2E_SECURE_BUILD) and
# its keys, the guest and host policyctl (built only if missing). Builds
# experiments/guest and experiments/modules (and tests/e2e/modules, for
# e2e_mod_allowed/unknown) into DIR, signs the policies of try-policy.json
# (tests/e2e/make-policies), makes the signed kernel manifest, an initramfs
# whose rc is try-rc.sh, and boots scripts/run-zc702 on a fresh storage
# file. Variants: enforce (the merged shipped policies, enforce),
# permissive (the same in permissive mode), off (kernel command line
# lsm=capability: tz_hooks is not started). --only: run only the try-rc.sh
# lines whose arguments match REGEX (grep -E), e.g. a scenario that changes
# the secure world's state, in a boot of its own.
# Output: DIR/<variant>[-<REGEX, sanitized>]/{linux,secure}.log; the TZX
# lines on stdout. Default DIR: build/h9-h7/try.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
export E2E_TAG=try-boot
# shellcheck source=tests/e2e/lib.sh
. "$REPO/tests/e2e/lib.sh"

VARIANT=enforce
OUT=$REPO/build/h9-h7/try
TIMEOUT=300
ONLY=
while [ $# -gt 0 ]; do
	case "$1" in
	--variant) VARIANT=$2; shift ;;
	--out) OUT=$2; shift ;;
	--only) ONLY=$2; shift ;;
	--timeout) TIMEOUT=$2; shift ;;
	-h|--help) sed -n '3,/^set -euo/{/^#/p}' "$0"; exit 0 ;;
	*) e2e_die "unknown option '$1' (see --help)" ;;
	esac
	shift
done
case "$VARIANT" in
enforce|permissive) EXTRA= ;;
off) EXTRA=lsm=capability ;;
*) e2e_die "unknown variant '$VARIANT'" ;;
esac
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

e2e_need "$ZIMAGE" "$BASE_DTB" "$KOBJ/Module.symvers"
# Built (by run-e2e or here) only when missing: the tree is shared, and a
# rebuild could pick up someone's work in progress.
HOST_POLICYCTL=${HOST_POLICYCTL:-$REPO/build/host-debug/userspace/policyctl/policyctl}
[ -x "$HOST_POLICYCTL" ] || { HOST_POLICYCTL=; e2e_build_host_policyctl; }
if [ ! -f "$SECURE_ELF" ] || [ ! -f "$POLICY_KEY" ]; then e2e_build_secure; fi
[ -x "$GUEST_POLICYCTL" ] || e2e_build_guest_policyctl
e2e_log "scenario programs and modules"
make -s -C "$REPO/experiments/guest" O="$OUT/bin" -j"$J" >/dev/null ||
	e2e_die "building experiments/guest failed"
make -s -C "$REPO/experiments/modules" KDIR="$KOBJ" OUT="$OUT/kbuild" >/dev/null ||
	e2e_die "building experiments/modules failed"
make -s -C "$REPO/tests/e2e/modules" KDIR="$KOBJ" OUT="$OUT/e2e-kbuild" >/dev/null ||
	e2e_die "building tests/e2e/modules failed"
mkdir -p "$OUT/modules"
cp "$OUT"/kbuild/tzx_*.ko "$OUT"/e2e-kbuild/e2e_mod_allowed.ko \
	"$OUT"/e2e-kbuild/e2e_mod_unknown.ko "$OUT/modules/"
e2e_log "policies"
"$REPO/tests/e2e/make-policies" --spec "$REPO/experiments/guest/try-policy.json" \
	--out "$OUT/policies" --policyctl "$HOST_POLICYCTL" --key "$POLICY_KEY" \
	--device "$DEVICE_PUB" --modules "$OUT/modules" >/dev/null ||
	e2e_die "tests/e2e/make-policies failed"
e2e_build_manifest "$OUT/kernel.manifest"
echo "$VARIANT" >"$OUT/variant"
printf '%s\n' "$ONLY" >"$OUT/only"
"$REPO/scripts/build-initramfs" "$OUT/try.cpio.gz" \
	--init "$REPO/tests/e2e/guest/init" \
	--add "$REPO/experiments/guest/try-rc.sh:/etc/tzucon/rc" \
	--add "$GUEST_POLICYCTL:/usr/bin/policyctl" \
	--add "$OUT/bin:/tzx/bin" \
	--add "$OUT/modules:/tzx/modules" \
	--add "$OUT/policies/blobs:/tzx/policies" \
	--add "$OUT/variant:/tzx/variant" \
	--add "$OUT/only:/tzx/only" \
	--add "$ADMIN_KEY:/tzx/keys/admin.key" >/dev/null
e2e_dtb "$OUT/try.dtb" "$OUT/try.cpio.gz" \
	"console=ttyPS0,115200 rdinit=/init panic=-1 $EXTRA"
rm -f "$OUT/storage-$VARIANT.img"
e2e_log "booting ($VARIANT, timeout $TIMEOUT s)"
RUN=$OUT/$VARIANT${ONLY:+-$(printf %s "$ONLY" | tr -c "a-zA-Z0-9" _)}
e2e_boot "$RUN" "$OUT/try.cpio.gz" "$OUT/try.dtb" "$TIMEOUT" \
	--storage "$OUT/storage-$VARIANT.img" --manifest "$OUT/kernel.manifest"
e2e_log "launcher exit $(cat "$RUN/qemu.rc")"
grep -a 'TZX ' "$RUN/linux.log" | tr -d '\r' || e2e_die "no TZX lines ($RUN/linux.log)"
