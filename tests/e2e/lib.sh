# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# lib.sh - build and boot steps shared by run-e2e, run-bench and scripts/demo.
# Sourced (bash); expects REPO set to the repository root. Every step is
# incremental: it rebuilds only what changed.

: "${REPO:?REPO must be set}"
J=${J:-2}	# the machine's cores are shared: -j2 at most
KOBJ=$REPO/build/kernel/obj
ZIMAGE=$KOBJ/arch/arm/boot/zImage
BASE_DTB=$KOBJ/arch/arm/boot/dts/zynq-zc702.dtb
SECURE_BUILD=${E2E_SECURE_BUILD:-$REPO/build/baremetal}	# another tree: its own keys
SECURE_ELF=$SECURE_BUILD/secure/monitor/tzucon_secure.elf
KEY_DIR=$SECURE_BUILD/keys	# secure/monitor/gen_keys.py: policy/admin keys, device.pub
POLICY_KEY=$KEY_DIR/policy.key
ADMIN_KEY=$KEY_DIR/admin.key
DEVICE_PUB=$KEY_DIR/device.pub
GUEST_BUILD=$REPO/build/guest
GUEST_POLICYCTL=$GUEST_BUILD/userspace/policyctl/policyctl
FGUEST=${E2E_FGUEST:-$REPO/build/f-guest}	# test programs, modules, fetched debs

e2e_log() { echo "[$(date +%T)] ${E2E_TAG:-e2e}: $*"; }
e2e_die() { echo "${E2E_TAG:-e2e}: error: $*" >&2; exit 1; }

e2e_need() {
	local f
	for f in "$@"; do
		[ -e "$f" ] || e2e_die "missing $f"
	done
}

# The kernel belongs to scripts/build-kernel; never run two at once.
e2e_build_kernel() {
	[ -x "$REPO/scripts/build-kernel" ] || e2e_die "scripts/build-kernel does not exist yet"
	local waited=0
	while pgrep -f 'scripts/build-kernel' >/dev/null; do
		[ $waited -eq 0 ] && e2e_log "waiting for a build-kernel run in progress"
		waited=1
		sleep 10
	done
	e2e_log "kernel: scripts/build-kernel"
	"$REPO/scripts/build-kernel" || e2e_die "scripts/build-kernel failed"
	e2e_need "$ZIMAGE" "$BASE_DTB" "$KOBJ/Module.symvers"
}

# Configures a CMake preset once, then builds it (incremental).
e2e_preset() {
	local preset=$1
	shift
	if [ ! -f "$REPO/build/$preset/build.ninja" ]; then
		(cd "$REPO" && cmake --preset "$preset" >/dev/null) ||
			e2e_die "cmake --preset $preset failed"
	fi
	(cd "$REPO" && cmake --build --preset "$preset" -j "$J" "$@") ||
		e2e_die "cmake --build --preset $preset failed"
}

# The image embeds the boot policy, compiled by the host policyctl: build
# that first (e2e_build_host_policyctl).
e2e_build_secure() {
	e2e_need "$HOST_POLICYCTL"
	e2e_log "secure image: baremetal preset"
	(cd "$REPO" && cmake --preset baremetal -B "$SECURE_BUILD" \
		-DTZUCON_HOST_POLICYCTL="$HOST_POLICYCTL" >/dev/null) ||
		e2e_die "cmake --preset baremetal failed"
	cmake --build "$SECURE_BUILD" -j "$J" --target secure_monitor >/dev/null ||
		e2e_die "building the secure image in $SECURE_BUILD failed"
	e2e_need "$SECURE_ELF" "$POLICY_KEY" "$ADMIN_KEY" "$DEVICE_PUB"
}

e2e_build_guest_policyctl() {
	e2e_log "guest policyctl: guest preset"
	e2e_preset guest --target policyctl >/dev/null
	e2e_need "$GUEST_POLICYCTL"
	file -L "$GUEST_POLICYCTL" | grep -q 'ARM.*statically linked' ||
		e2e_die "$GUEST_POLICYCTL is not a static ARM executable"
}

# Host policyctl (compiles policies): $HOST_POLICYCTL, else the host-debug preset's.
e2e_build_host_policyctl() {
	if [ -z "${HOST_POLICYCTL:-}" ]; then
		e2e_log "host policyctl: host-debug preset"
		e2e_preset host-debug --target policyctl >/dev/null
		HOST_POLICYCTL=$REPO/build/host-debug/userspace/policyctl/policyctl
	fi
	e2e_need "$HOST_POLICYCTL"
}

e2e_build_programs() {
	e2e_log "guest test programs"
	make -s -C "$REPO/tests/e2e/guest" O="$FGUEST/bin" -j"$J" >/dev/null ||
		e2e_die "building tests/e2e/guest failed"
}

e2e_build_modules() {
	e2e_log "test modules against $KOBJ"
	make -s -C "$REPO/tests/e2e/modules" KDIR="$KOBJ" OUT="$FGUEST/modules" >/dev/null ||
		e2e_die "building tests/e2e/modules failed"
	e2e_need "$FGUEST/modules/e2e_mod_allowed.ko" "$FGUEST/modules/e2e_mod_unknown.ko" \
		"$FGUEST/modules/e2e_textpatch.ko" "$FGUEST/modules/e2e_syscall.ko" \
		"$FGUEST/modules/e2e_unlink.ko" "$FGUEST/modules/e2e_hbstop.ko"
}

e2e_fetch_debs() {
	"$REPO/scripts/fetch-guest-debs" "$FGUEST/debs" >/dev/null ||
		e2e_die "scripts/fetch-guest-debs failed"
}

# e2e_build_manifest OUT: the signed kernel manifest of $KOBJ/vmlinux
# (kernel/manifest/mkmanifest, signed with the image's policy key), for
# run-zc702 --manifest; rebuilt when the kernel or the key is newer.
e2e_build_manifest() {
	local out=$1
	e2e_need "$KOBJ/vmlinux" "$POLICY_KEY"
	[ -x "$REPO/kernel/manifest/mkmanifest" ] ||
		e2e_die "kernel/manifest/mkmanifest does not exist yet"
	if [ -s "$out" ] && [ "$out" -nt "$KOBJ/vmlinux" ] && [ "$out" -nt "$POLICY_KEY" ] &&
		[ "$out" -nt "$REPO/kernel/manifest/mkmanifest" ]; then
		return 0
	fi
	e2e_log "kernel manifest: kernel/manifest/mkmanifest"
	rm -f "$out"
	/usr/bin/python3 "$REPO/kernel/manifest/mkmanifest" --key "$POLICY_KEY" -o "$out" \
		"$KOBJ/vmlinux" >/dev/null || e2e_die "kernel/manifest/mkmanifest failed"
}

# e2e_compile_policy SRC.json OUT.blob: signs with the image's policy key,
# bound to its device.
e2e_compile_policy() {
	rm -f "$2"
	"$HOST_POLICYCTL" compile "$1" -o "$2" --key "$POLICY_KEY" \
		--device "$DEVICE_PUB" >/dev/null || e2e_die "policyctl compile $1 failed"
}

# e2e_dtb OUT.dtb INITRD BOOTARGS: the kernel's zc702 DTB + our secure-world
# nodes, /chosen bootargs and the initrd range (platform/zc702/mkdtb).
e2e_dtb() {
	[ -x "$REPO/platform/zc702/mkdtb" ] || e2e_die "platform/zc702/mkdtb does not exist yet"
	"$REPO/platform/zc702/mkdtb" --in "$BASE_DTB" --out "$1" --initrd "$2" \
		--bootargs "$3" >/dev/null || e2e_die "platform/zc702/mkdtb failed"
}

# e2e_boot DIR INITRD DTB TIMEOUT_S [RUN-ZC702 ARGS...]: boots through the
# secure image; Linux's console goes to DIR/linux.log, the secure console to
# DIR/secure.log and the launcher's exit status to DIR/qemu.rc. The secure
# world's state flash is $REPO/build/e2e/storage.img (persists across boots)
# unless ARGS give their own --storage.
e2e_boot() {
	local dir=$1 initrd=$2 dtb=$3 tmo=$4 rc=0 a
	local storage=(--storage "$REPO/build/e2e/storage.img")
	shift 4
	for a in "$@"; do [ "$a" = --storage ] && storage=(); done
	[ -x "$REPO/scripts/run-zc702" ] || e2e_die "scripts/run-zc702 does not exist yet"
	mkdir -p "$dir"
	rm -f "$dir/linux.log" "$dir/secure.log" "$dir/qemu.rc"
	"$REPO/scripts/run-zc702" --secure "$SECURE_ELF" --kernel "$ZIMAGE" \
		--dtb "$dtb" --initrd "$initrd" --timeout "$tmo" \
		--secure-log "$dir/secure.log" --console "$dir/linux.log" \
		${storage[@]+"${storage[@]}"} "$@" \
		</dev/null >"$dir/launcher.log" 2>&1 || rc=$?
	echo "$rc" >"$dir/qemu.rc"
	return 0
}
