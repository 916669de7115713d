# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# wrap.sh - thin guest wrappers that give tests/e2e's programs and modules the TZX result line (sourced after tzx-lib.sh).
#
# Each wrapper takes ID TRIAL first, performs one trial and prints one
#   TZX result id=ID trial=N effect=0|1 denied=0|1 errno=E t_ns=T note=W
# effect=1 only where the wrapped program itself showed the effect (its E2E
# line "ok": code ran, the key payload was read, the module's init ran...).
# t_ns: CLOCK_MONOTONIC of the effect where a module records it
# (attack_ns), else the wrapper's clock right after the attempt
# (/proc/uptime, 10 ms resolution: such scenarios are decided in line, by
# the decision itself, and have no latency to measure).
B=/e2e/bin
M=/e2e/modules
MAP=$TZX/System.map

tzx_now_ns() {
	awk '{ printf "%.0f\n", $1 * 1000000000 }' /proc/uptime
}

# tzx_emit ID TRIAL EFFECT DENIED ERRNO T_NS NOTE
tzx_emit() {
	echo "TZX result id=$1 trial=$2 effect=$3 denied=$4 errno=$5 t_ns=$6 note=$7"
}

# An errno that means "refused" (EPERM, EACCES), not "broken".
tzx_refusal() {
	[ "$1" = 1 ] || [ "$1" = 13 ]
}

# w_e2e ID TRIAL CASE COMMAND...: the E2E line whose case ends in CASE
# decides: ok = effect, fail with EPERM/EACCES = denied.
w_e2e() {
	id=$1 t=$2 c=$3
	shift 3
	out=$("$@" 2>&1)
	now=$(tzx_now_ns)
	printf '%s\n' "$out" | sed 's/^/  | /'
	l=$(printf '%s\n' "$out" | grep "^E2E [^ ]*$c " | tail -n 1)
	r=$(printf '%s\n' "$l" | awk '{ print $3 }')
	e=$(printf '%s\n' "$l" | sed -n 's/.* errno=\([0-9]*\).*/\1/p')
	case $r in
	ok) tzx_emit "$id" "$t" 1 0 0 "$now" e2e_ok ;;
	fail)
		if tzx_refusal "$e"; then d=1; else d=0; fi
		tzx_emit "$id" "$t" 0 "$d" "${e:-0}" "$now" e2e_fail ;;
	*) echo "TZX error id=$id msg=no_e2e_line_$c" >&2; return 2 ;;
	esac
}

# w_sessions ID TRIAL N: session exhaustion; the effect is the owner's
# command locked out (the secure world's table full of the attacker's).
w_sessions() {
	out=$("$B"/e2e_sessions x "$3" "$PCTL" status --json 2>&1)
	now=$(tzx_now_ns)
	printf '%s\n' "$out" | sed 's/^/  | /'
	r=$(printf '%s\n' "$out" | awk '$2 == "x.owner" { print $3 }')
	o=$(printf '%s\n' "$out" | sed -n 's/^E2E x.opened .*opened=\([0-9]*\).*/\1/p')
	case $r in
	ok) tzx_emit "$1" "$2" 0 1 0 "$now" "owner_served_opened_${o:-0}" ;;
	fail) tzx_emit "$1" "$2" 1 0 0 "$now" "owner_locked_out_opened_${o:-0}" ;;
	*) echo "TZX error id=$1 msg=no_owner_line" >&2; return 2 ;;
	esac
}

# The secure world's mode as it answers now (enforce, permissive, or ?).
tzx_mode() {
	"$PCTL" stats --json 2>/dev/null | sed -n 's/.*"mode": *"\([a-z]*\)".*/\1/p'
}

# w_cmd ID TRIAL CHECK COMMAND...: an administrative command the attacker
# tries without the admin key; effect = the secure world accepted it (exit
# 0) and, for CHECK=mode, the mode really is permissive afterwards. The
# owner (lab admin key) puts the state back, so later trials start equal.
w_cmd() {
	id=$1 t=$2 chk=$3
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	now=$(tzx_now_ns)
	printf '%s\n' "$out" | sed 's/^/  | /'
	st=$(printf '%s\n' "$out" | grep -o 'TZU_E_[A-Z_]*' | head -n 1)
	eff=0
	[ "$rc" = 0 ] && eff=1
	if [ "$chk" = mode ] && [ "$TZX_MODE" != permissive ] &&
		[ "$(tzx_mode)" = permissive ]; then
		eff=1
		"$PCTL" mode enforce $ADMIN >/dev/null 2>&1
	fi
	if [ $eff = 1 ]; then d=0; else d=1; fi
	tzx_emit "$id" "$t" "$eff" "$d" 0 "$now" "rc_${rc}_${st:-none}"
}

# w_ownkey ID TRIAL CHECK ARGS...: the same with an admin key the attacker
# made itself (policyctl keygen): signed, but not by the device's admin.
w_ownkey() {
	"$PCTL" keygen -o /tmp/tzx-attacker.key >/dev/null 2>&1
	id=$1 t=$2 chk=$3
	shift 3
	w_cmd "$id" "$t" "$chk" "$PCTL" "$@" --key /tmp/tzx-attacker.key
}

# w_rawmode ID TRIAL MODE [TOKEN]: SET_MODE through raw TEE ioctls.
w_rawmode() {
	id=$1 t=$2
	shift 2
	out=$("$B"/e2e_rawmode x "$@" 2>&1)
	now=$(tzx_now_ns)
	printf '%s\n' "$out" | sed 's/^/  | /'
	r=$(printf '%s\n' "$out" | awk '$2 == "x" { print $3 }')
	st=$(printf '%s\n' "$out" | sed -n 's/^E2E x .*status=\([0-9]*\).*/\1/p')
	m=$(tzx_mode)
	[ "$m" = permissive ] && [ "$TZX_MODE" != permissive ] &&
		"$PCTL" mode enforce $ADMIN >/dev/null 2>&1
	if [ "$r" = ok ] || { [ "$m" = permissive ] && [ "$TZX_MODE" != permissive ]; }; then
		tzx_emit "$id" "$t" 1 0 0 "$now" "status_${st:-none}"
	else
		tzx_emit "$id" "$t" 0 1 0 "$now" "status_${st:-none}"
	fi
}

# w_token ID TRIAL replay|args: a token the owner made (admin key, lab
# board) for "mode enforce" is used once by the owner, then replayed
# (replay), or carried to SET_MODE permissive unused (args).
w_token() {
	"$PCTL" challenge -o /tmp/tzx-ch.json >/dev/null 2>&1
	"$PCTL" authorize $ADMIN --challenge /tmp/tzx-ch.json mode enforce \
		-o /tmp/tzx-tok >/dev/null 2>&1 || {
		echo "TZX error id=$1 msg=authorize_failed" >&2
		return 2
	}
	if [ "$3" = replay ]; then
		"$PCTL" mode enforce --token /tmp/tzx-tok >/dev/null 2>&1 ||
			echo "  | the owner's first use failed"
		w_cmd "$1" "$2" rc "$PCTL" mode enforce --token /tmp/tzx-tok
	else
		w_rawmode "$1" "$2" permissive /tmp/tzx-tok
	fi
}

# w_load ID TRIAL BLOB: a blob the device must refuse; if it was accepted,
# the variant's own blob is put back (a newer version would stay).
w_load() {
	w_cmd "$1" "$2" rc "$PCTL" load "$3" | tee /tmp/tzx-load
	if grep -q 'effect=1' /tmp/tzx-load && [ "$TZX_POLICY" = 1 ]; then
		"$PCTL" load "$TZX/policies/variant.blob" >/dev/null 2>&1 ||
			echo "  | could not restore the variant policy" >&2
	fi
}

# w_keys ID TRIAL quota|foreign: tests/e2e's key program. quota: READS
# reads of one key under key_quota (the variant sets it); effect = the last
# read returned the payload. foreign: another executable reads the key.
w_keys() {
	if [ "$3" = quota ]; then
		w_e2e "$1" "$2" ".read$4" "$B"/e2e_keys_owner quota x "$4"
	else
		w_e2e "$1" "$2" .other_read "$B"/e2e_keys_owner foreign x "$B"/e2e_keys_other
	fi
}

# sym NAME: its address from System.map (an attacker with the boot media).
tzx_sym() {
	awk -v s="$1" '$3 == s { print "0x" $1; exit }' "$MAP"
}

# w_kpatch ID TRIAL MODULE ARGS...: a tampering module from tests/e2e/
# modules; effect = its init ran the write (attack_ns set). The harness
# waits for the detection, then runs the cleanup (rmmod: the module's exit
# restores what it changed, w_kclean waits until the measurement is clean).
w_kpatch() {
	id=$1 t=$2 mod=$3
	shift 3
	if insmod "$M/$mod.ko" "$@" 2>/tmp/tzx-insmod.err; then
		ns=$(cat "/sys/module/$mod/parameters/attack_ns" 2>/dev/null)
		if [ "${ns:-0}" -gt 0 ]; then
			tzx_emit "$id" "$t" 1 0 0 "$ns" insmod_ok
		else
			tzx_emit "$id" "$t" 0 0 0 "$(tzx_now_ns)" no_attack_ns
		fi
	else
		e=$(sed -n 's/.*(\([^)]*\)).*/\1/p; s/.*: \([A-Za-z ]*\)$/\1/p' /tmp/tzx-insmod.err | head -n 1)
		sed 's/^/  | /' /tmp/tzx-insmod.err
		case $e in
		*"not permitted"*) tzx_emit "$id" "$t" 0 1 1 "$(tzx_now_ns)" insmod_eperm ;;
		*"denied"*) tzx_emit "$id" "$t" 0 1 13 "$(tzx_now_ns)" insmod_eacces ;;
		*) tzx_emit "$id" "$t" 0 0 0 "$(tzx_now_ns)" insmod_failed ;;
		esac
	fi
}

w_textpatch() {
	w_kpatch "$1" "$2" e2e_textpatch patch_text_addr="$(tzx_sym patch_text)" \
		target="$(tzx_sym machine_power_off)"
}

w_syscall() {
	w_kpatch "$1" "$2" e2e_syscall table="$(tzx_sym sys_call_table)"
}

w_unlink() {
	w_kpatch "$1" "$2" e2e_unlink heads="$(tzx_sym security_hook_heads)"
}

w_hbstop() {
	w_kpatch "$1" "$2" e2e_hbstop
}

# Cleanup of w_kpatch: unload (the exit undoes the write), wait for a clean
# measurement so the next trial's mismatch is its own.
w_kclean() {
	lsmod | grep -q "^$1 " || return 0
	rmmod "$1"
	"$IST" wait-clean all 5000 | grep '^@iwait'
}

# w_kattack ID TRIAL smc|flood|carveout: tests/e2e/modules/e2e_attack.ko,
# a kernel-level attacker's own SMCs; its lines come from the kernel log.
# smc: forged SET_MODE / UPDATE_ATTR accepted (effect) or refused; flood:
# 6000 malformed SMCs, effect = one was accepted or the secure world stops
# answering the owner; carveout: the secure carve-out word changed
# (possible on QEMU only, which models no TZASC).
w_kattack() {
	id=$1 t=$2
	dmesg -c >/dev/null
	if ! insmod "$M"/e2e_attack.ko 2>/tmp/tzx-insmod.err; then
		sed 's/^/  | /' /tmp/tzx-insmod.err
		d=0 e=0
		grep -q 'not permitted' /tmp/tzx-insmod.err && d=1 e=1
		tzx_emit "$id" "$t" 0 "$d" "$e" "$(tzx_now_ns)" insmod_refused
		return 0
	fi
	now=$(tzx_now_ns)
	k=$(dmesg | sed -n 's/^.*e2e_attack: \(E2E .*\)$/\1/p')
	printf '%s\n' "$k" | sed 's/^/  | /'
	rmmod e2e_attack 2>/dev/null
	r() { printf '%s\n' "$k" | awk -v c="kmod.$1" '$2 == c { print $3 }'; }
	case $3 in
	smc)
		m=$(tzx_mode)
		if [ "$(r set_mode)" = ok ] || [ "$(r attr)" = ok ] ||
			{ [ "$m" = permissive ] && [ "$TZX_MODE" != permissive ]; }; then
			tzx_emit "$id" "$t" 1 0 0 "$now" "forged_accepted_mode_$m"
			[ "$TZX_MODE" != permissive ] && "$PCTL" mode enforce $ADMIN >/dev/null 2>&1
		else
			tzx_emit "$id" "$t" 0 1 0 "$now" "forged_refused_mode_$m"
		fi ;;
	flood)
		if [ "$(r flood)" = ok ] && "$PCTL" status --json >/dev/null 2>&1; then
			tzx_emit "$id" "$t" 0 1 0 "$now" all_refused_owner_served
		else
			tzx_emit "$id" "$t" 1 0 0 "$now" "flood_$(r flood)_or_owner_lost"
		fi ;;
	carveout)
		if [ "$(r carveout_write)" = ok ]; then
			tzx_emit "$id" "$t" 1 0 0 "$now" carveout_written_emulator_limit
		else
			tzx_emit "$id" "$t" 0 1 0 "$now" carveout_not_written
		fi ;;
	esac
}

# w_devmem_kernel ID TRIAL: write a kernel text word through /dev/mem
# (tests/e2e/guest/e2e_integrity.c devmem-write); effect = write or mmap ok.
w_devmem_kernel() {
	va=$(tzx_sym machine_power_off)
	text=$(tzx_sym _text)
	kcode=$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : Kernel code$/\1/p' /proc/iomem | head -n 1)
	[ -n "$kcode" ] || kcode=$(printf "%x" $((text - 0xc0000000)))
	pa=$(printf "0x%x" $((0x$kcode + va - text)))
	out=$("$IST" devmem-write "$pa" 2>&1)
	now=$(tzx_now_ns)
	printf '%s\n' "$out" | sed 's/^/  | /'
	g() { printf '%s\n' "$out" | awk -v c="integrity.devmem.$1" '$2 == c { print $3 ":" $4 }'; }
	o=$(g open) w=$(g write) m=$(g mmap)
	if [ "${w%%:*}" = ok ] || [ "${m%%:*}" = ok ]; then
		tzx_emit "$1" "$2" 1 0 0 "$now" "written_open_${o%%:*}"
	else
		e=$(printf '%s' "${o#*:}" | tr -dc 0-9)
		[ "${o%%:*}" = ok ] && e=$(printf '%s' "${w#*:}" | tr -dc 0-9)
		if tzx_refusal "$e"; then d=1; else d=0; fi
		tzx_emit "$1" "$2" 0 "$d" "${e:-0}" "$now" "open_${o%%:*}_write_${w%%:*}"
	fi
}
