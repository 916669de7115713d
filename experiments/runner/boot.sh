#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# boot.sh - the build and boot steps of scripts/experiment, on top of tests/e2e/lib.sh (nothing of it copied).
#
#   boot.sh build OUT [--no-kernel-build]
#       kernel (scripts/build-kernel), host and guest policyctl, secure
#       image, tests/e2e programs and modules, experiments/guest and
#       experiments/modules (when present), the signed kernel manifest and
#       every variant's policies from OUT/specs/*.json (tests/e2e/
#       make-policies). Writes OUT/build.env (the paths and digests the
#       runner records).
#   boot.sh boot OUT BOOTDIR RC_SCRIPT VARIANT BOOTARGS TIMEOUT_S
#       one boot: initramfs (the run's shared OUT/base.cpio.gz, then a
#       small archive with the rc script and the variant's blobs), DTB,
#       scripts/run-zc702 on a fresh flash file.
#       Console logs in BOOTDIR (tests/e2e/lib.sh e2e_boot).
# Environment: E2E_SECURE_BUILD (another secure tree: its own keys),
# HOST_POLICYCTL, E2E_FGUEST (where the test programs are built),
# TZX_GUEST_POLICYCTL (a prebuilt static ARM policyctl instead of the guest
# preset's).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
E2E_TAG=experiment
: "${E2E_FGUEST:=$REPO/build/experiment/f-guest}"
export E2E_FGUEST
# shellcheck source=tests/e2e/lib.sh
. "$REPO/tests/e2e/lib.sh"
HERE=$REPO/experiments/runner

sha() { sha256sum "$1" | cut -d' ' -f1; }

build() {
	local out=$1 kernel=$2 spec v
	mkdir -p "$out"
	if [ "$kernel" = 1 ] || [ ! -e "$ZIMAGE" ]; then
		e2e_build_kernel
	fi
	e2e_need "$ZIMAGE" "$BASE_DTB" "$KOBJ/Module.symvers" "$KOBJ/System.map"
	e2e_build_host_policyctl
	e2e_build_secure
	if [ -n "${TZX_GUEST_POLICYCTL:-}" ]; then
		GUEST_POLICYCTL=$TZX_GUEST_POLICYCTL	# prebuilt, static ARM
		e2e_need "$GUEST_POLICYCTL"
	else
		e2e_build_guest_policyctl
	fi
	e2e_build_programs
	e2e_build_modules
	mkdir -p "$FGUEST/xbin" "$FGUEST/xmodules"
	if [ -f "$REPO/experiments/guest/Makefile" ]; then
		e2e_log "experiments/guest programs"
		make -s -C "$REPO/experiments/guest" O="$FGUEST/xbin" -j"$J" >/dev/null ||
			e2e_die "building experiments/guest failed"
	fi
	if [ -f "$REPO/experiments/modules/Makefile" ]; then
		e2e_log "experiments/modules against $KOBJ"
		make -s -C "$REPO/experiments/modules" KDIR="$KOBJ" OUT="$FGUEST/xmodules" >/dev/null ||
			e2e_die "building experiments/modules failed"
	fi
	e2e_build_manifest "$out/kernel.manifest"
	# the .ko files only (the guest needs no build products), and every
	# module a variant's allowlist may name in one directory
	rm -rf "$out/ko"
	mkdir -p "$out/ko/e2e" "$out/ko/tzx" "$out/allmodules"
	cp -p "$FGUEST"/modules/*.ko "$out/ko/e2e/"
	cp -p "$FGUEST"/xmodules/*.ko "$out/ko/tzx/" 2>/dev/null || true
	cp -p "$out"/ko/*/*.ko "$out/allmodules/"
	for spec in "$out"/specs/*.json; do
		[ -e "$spec" ] || continue
		v=$(basename "$spec" .json)
		"$REPO/tests/e2e/make-policies" --spec "$spec" --out "$out/policies/$v" \
			--policyctl "$HOST_POLICYCTL" --key "$POLICY_KEY" --device "$DEVICE_PUB" \
			--modules "$out/allmodules" --programs "$FGUEST/bin" >/dev/null ||
			e2e_die "tests/e2e/make-policies $spec failed"
	done
	base_initramfs "$out"
	{
		echo "KERNEL_SHA256=$(sha "$ZIMAGE")"
		echo "VMLINUX_SHA256=$(sha "$KOBJ/vmlinux")"
		echo "SECURE_SHA256=$(sha "$SECURE_ELF")"
		echo "MANIFEST_SHA256=$(sha "$out/kernel.manifest")"
		echo "DEVICE_PUB=$DEVICE_PUB"
		echo "HOST_POLICYCTL=$HOST_POLICYCTL"
		echo "QEMU_VERSION=$(qemu-system-arm --version | head -n 1)"
		echo "GUEST_POLICYCTL_SHA256=$(sha "$GUEST_POLICYCTL")"
		echo "BASE_INITRAMFS_SHA256=$(sha "$out/base.cpio.gz")"
	} >"$out/build.env"
	e2e_log "build done: $out/build.env"
}

# The part of the initramfs every boot shares, built once per run: the
# harness, policyctl, the programs and modules, keys, System.map.
base_initramfs() {
	local out=$1 x=()
	[ -n "$(ls -A "$FGUEST/xbin" 2>/dev/null)" ] && x+=(--add "$FGUEST/xbin:/tzx/bin")
	[ -n "$(ls -A "$out/ko/tzx" 2>/dev/null)" ] && x+=(--add "$out/ko/tzx:/tzx/modules")
	"$REPO/scripts/build-initramfs" "$out/base.cpio.gz" \
		--init "$REPO/tests/e2e/guest/init" \
		--add "$HERE/guest/tzx-lib.sh:/tzx/lib.sh" \
		--add "$HERE/guest/wrap.sh:/tzx/wrap.sh" \
		--add "$GUEST_POLICYCTL:/usr/bin/policyctl" \
		--add "$FGUEST/bin:/e2e/bin" \
		--add "$out/ko/e2e:/e2e/modules" \
		--add "$KOBJ/System.map:/tzx/System.map" \
		--add "$ADMIN_KEY:/tzx/keys/admin.key" \
		--add "$DEVICE_PUB:/tzx/keys/device.pub" \
		${x[@]+"${x[@]}"} >/dev/null || e2e_die "scripts/build-initramfs failed"
}

boot() {
	local out=$1 dir=$2 rc=$3 variant=$4 bootargs=$5 tmo=$6 st
	mkdir -p "$dir"
	# Linux unpacks concatenated cpio archives in order: the shared base,
	# then this boot's rc script and its variant's blobs.
	st=$(mktemp -d "$dir/stage.XXXXXX")
	mkdir -p "$st/etc/tzucon" "$st/tzx/policies"
	cp "$rc" "$st/etc/tzucon/rc"
	chmod 755 "$st/etc/tzucon/rc"
	[ -d "$out/policies/$variant/blobs" ] && cp "$out/policies/$variant/blobs/"*.blob "$st/tzx/policies/"
	(cd "$st" && find . -mindepth 1 | sed "s|^\./||" | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0 | gzip -n -1) >"$dir/extra.cpio.gz"
	rm -rf "$st"
	cat "$out/base.cpio.gz" "$dir/extra.cpio.gz" >"$dir/initrd.cpio.gz"
	rm -f "$dir/extra.cpio.gz"
	e2e_dtb "$dir/boot.dtb" "$dir/initrd.cpio.gz" "$bootargs"
	rm -f "$dir/storage.img"
	e2e_boot "$dir" "$dir/initrd.cpio.gz" "$dir/boot.dtb" "$tmo" \
		--storage "$dir/storage.img" --manifest "$out/kernel.manifest"
	rm -f "$dir/storage.img" "$dir/initrd.cpio.gz"
}

case "${1:-}" in
build)
	k=1
	[ "${3:-}" = --no-kernel-build ] && k=0
	build "$2" "$k" ;;
boot) shift; boot "$@" ;;
base) base_initramfs "$2" ;;
-h|--help) sed -n '3,/^set -euo/{/^#/p}' "$0" ;;
*) e2e_die "usage: boot.sh build OUT [--no-kernel-build] | boot OUT DIR RC VARIANT BOOTARGS TIMEOUT_S" ;;
esac
