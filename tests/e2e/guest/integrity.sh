#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# integrity.sh - the kernel-integrity e2e run in the guest (third boot, installed as /etc/tzucon/rc).
#
# Real tampering with the running kernel, under a test policy that lets
# each attack happen (policies/e2e-integrity.blob, tests/e2e/policies/
# integrity.json), so that the secure world's measurement has something to
# detect. Nothing is judged here: tests/e2e/check_integrity.py reads the
# lines on the host:
#   @integrity phase=clean cycles=C passes=P mismatches=M state=S loads_ok=L loads_failed=F
#   @integrity attack=A trial=T insmod=ok|fail detected=0|1 latency_ms=X clean=0|1 dirty=R
#   @integrity attack=devmem open=.. read=.. write=.. mmap=.. outcome=prevented|written ...
#   @integrity revoke=module|key|exec_process ... ok=0|1 after_ms=X
#   @integrity attack=hbstop trial=1 ... detected=0|1 latency_ms=X
#   @istatus/@iregion/@iwait/@idirty lines of tests/e2e/guest/e2e_integrity.c
#   E2E-INTEGRITY-END (the last step ran), then final_report's E2E-DONE
# Trials per attack: tzucon.trials=N on the kernel command line (10).
# Every wait has a timeout (TMO ms) so a missed detection cannot hang the run.
R=${E2E_ROOT:-}	# a host-side dry run of this script with stub tools: a prefix
B=$R/e2e/bin
M=$R/e2e/modules
PCTL=${PCTL:-policyctl}
I=$B/e2e_integrity
MAP=$R/e2e/System.map
K=$R/e2e/keys
TMO=5000

. "$R"/e2e/lib.sh

N=$(sed -n 's/.*tzucon\.trials=\([0-9]*\).*/\1/p' /proc/cmdline)
N=${N:-10}

# sym NAME: its address from System.map (what an attacker with the boot
# media has; no kallsyms needed).
sym() {
	awk -v s="$1" '$3 == s { print "0x" $1; exit }' "$MAP"
}

# field NAME: one field of the current @istatus line.
field() {
	"$I" status | sed -n "s/^@istatus.* $1=\([0-9a-fx]*\).*\$/\1/p"
}

ms_now() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

# Prints a tool's lines for the log; the value of KEY= of its @iwait line.
wait_field() {
	printf '%s\n' "$1" | sed -n "s/^@iwait.* $2=\([^ ]*\).*\$/\1/p"
}

# trial NAME MODULE T [insmod args]: one attack, its detection, its undo.
trial() {
	a=$1
	mod=$2
	t=$3
	shift 3
	prev=$(field mismatches)
	det=0 lat=none clean=0 dirty=none ins=fail
	if insmod "$M/$mod.ko" "$@" 2>/tmp/insmod.err; then
		ins=ok
		out=$("$I" wait-mismatch "$prev" "/sys/module/$mod/parameters/attack_ns" "$TMO")
		printf '%s\n' "$out"
		[ "$(wait_field "$out" ok)" = 1 ] && det=1
		lat=$(wait_field "$out" latency_ms)
		dirty=$(printf '%s\n' "$out" | sed -n 's/^@idirty regions=//p')
		rmmod "$mod" || echo "E2E-INFO rmmod $mod failed"
		out=$("$I" wait-clean all "$TMO")
		printf '%s\n' "$out"
		[ "$(wait_field "$out" ok)" = 1 ] && clean=1
	else
		sed 's/^/  | /' /tmp/insmod.err
	fi
	echo "@integrity attack=$a trial=$t insmod=$ins detected=$det latency_ms=$lat clean=$clean prev=$prev dirty=$dirty"
}

trials() {
	a=$1
	mod=$2
	from=$3
	shift 3
	t=$from
	while [ "$t" -le "$N" ]; do
		trial "$a" "$mod" "$t" "$@"
		t=$((t + 1))
	done
}

# The clean run: at least 20 full measurement passes while a benign module
# is loaded and unloaded again and again (each load and unload registers
# and drops a module region): no mismatch may appear.
clean_run() {
	p0=$(field passes)
	want=$((p0 + 20))
	end=$(($(ms_now) + 180000))
	c=0 ok=0 bad=0
	while :; do
		if insmod "$M"/e2e_mod_allowed.ko 2>/dev/null; then
			ok=$((ok + 1))
			rmmod e2e_mod_allowed
		else
			bad=$((bad + 1))
		fi
		c=$((c + 1))
		p=$(field passes)
		[ "$p" -ge "$want" ] && [ "$c" -ge 5 ] && break
		[ "$(ms_now)" -gt "$end" ] && break
	done
	echo "@integrity phase=clean cycles=$c passes=$((p - p0)) mismatches=$(field mismatches) state=$(field state) flags=$(field flags) loads_ok=$ok loads_failed=$bad"
}

# Revocations the first violation must cause (integrity_state 2 fails the
# ongoing {0, 1} of the session rules; the heartbeat carries revocations the
# secure world made on its own): no benign module, no key, no process with
# an executable anonymous mapping.
revocations() {
	t0=$(ms_now)
	echo "@integrity revoke=state state=$(field state)"
	if insmod "$M"/e2e_mod_allowed.ko 2>/tmp/insmod.err; then
		rmmod e2e_mod_allowed
		echo "@integrity revoke=module denied=0"
	else
		echo "@integrity revoke=module denied=1 err=$(tr ' ' _ </tmp/insmod.err | head -c 80)"
	fi
	out=$("$I" wait-key-denied "${SERIAL:-0}" "$TMO")
	printf '%s\n' "$out"
	echo "@integrity revoke=key denied=$(wait_field "$out" ok) errno=$(wait_field "$out" errno) after_ms=$(($(ms_now) - t0))"
	out=$("$I" wait-gone "$HOLDER" "$TMO")
	printf '%s\n' "$out"
	killed=$(wait_field "$out" ok)
	st=none
	if [ "$killed" = 1 ]; then
		wait "$HOLDER"
		st=$?
	fi
	echo "@integrity revoke=exec_process killed=$killed wait_status=$st after_ms=$(($(ms_now) - t0))"
}

# /dev/mem under a policy that permits opening it for writing: the kernel's
# STRICT_DEVMEM must refuse kernel RAM (prevented, so there is nothing to
# detect); if a write got through, the measurement must catch it.
devmem() {
	va=$(sym machine_power_off)
	kcode=$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : Kernel code$/\1/p' /proc/iomem | head -n 1)
	text=$(sym _text)
	# /proc/iomem's "Kernel code" (root sees it) is where _text runs;
	# else the linear map's offset (PAGE_OFFSET 0xc0000000, DDR at 0)
	[ -n "$kcode" ] || kcode=$(printf "%x" $((text - 0xc0000000)))
	pa=$(printf "0x%x" $((0x$kcode + va - text)))
	prev=$(field mismatches)
	out=$("$I" devmem-write "$pa")
	printf '%s\n' "$out"
	r() { printf '%s\n' "$out" | sed -n "s/^E2E integrity.devmem.$1 \([a-z]*\) errno=\([0-9]*\).*/\1:\2/p"; }
	w=$(r write)
	m=$(r mmap)
	if [ "${w%%:*}" = ok ] || [ "${m%%:*}" = ok ]; then
		outcome=written
		o=$("$I" wait-mismatch "$prev" 0 "$TMO")
		printf '%s\n' "$o"
		det=$(wait_field "$o" ok)
	else
		outcome=prevented
		o=$("$I" wait-passes 2 "$TMO")
		printf '%s\n' "$o"
		det=none
	fi
	echo "@integrity attack=devmem pa=$pa open=$(r open) read=$(r read) write=$w mmap=$m outcome=$outcome detected=$det new_mismatches=$(($(field mismatches) - prev))"
}

# The heartbeat thread stopped (one-shot: last). The secure world must
# notice the silence within its heartbeat timeout.
hbstop() {
	hbt=$(field heartbeat_timeout_ms)
	tmo=$((hbt * 3))
	[ "$tmo" -lt "$TMO" ] && tmo=$TMO
	echo "E2E-INFO heartbeat thread before: $(grep -lx tzucon-hb /proc/[0-9]*/comm 2>/dev/null | wc -l)"
	det=0 lat=none ins=fail
	if insmod "$M"/e2e_hbstop.ko 2>/tmp/insmod.err; then
		ins=ok
		out=$("$I" wait-flag heartbeat_lost /sys/module/e2e_hbstop/parameters/attack_ns "$tmo")
		printf '%s\n' "$out"
		[ "$(wait_field "$out" ok)" = 1 ] && det=1
		lat=$(wait_field "$out" latency_ms)
	else
		sed 's/^/  | /' /tmp/insmod.err
	fi
	echo "E2E-INFO heartbeat thread after: $(grep -lx tzucon-hb /proc/[0-9]*/comm 2>/dev/null | wc -l)"
	echo "@integrity attack=hbstop trial=1 insmod=$ins detected=$det latency_ms=$lat heartbeat_timeout_ms=$hbt state=$(field state) flags=$(field flags)"
}

[ -z "$R" ] && echo 1 >/proc/sys/kernel/printk
echo "E2E-INFO integrity run: trials=$N timeout_ms=$TMO cmdline=$(cat /proc/cmdline)"
[ -s "$MAP" ] || echo "E2E-INFO no $MAP"
"$PCTL" audit --follow -o /tmp/drain.jsonl >/dev/null 2>&1 &
FOLLOW=$!
cmd integrity.load "$PCTL" load "$R"/e2e/policies/e2e-integrity.blob

# (a) registration and seal, then the clean run
"$I" wait-flag registered 0 30000
"$I" wait-flag sealed 0 30000
block istatus sealed "$I" status
block integrity_json sealed "$PCTL" integrity status --json
clean_run

# (b) the victims, before the first attack
out=$("$I" key-add e2e-integrity)
printf '%s\n' "$out"
SERIAL=$(printf '%s\n' "$out" | sed -n 's/.* serial=\([0-9]*\).*/\1/p')
"$I" key-read "${SERIAL:-0}" integrity.key.before
"$I" hold-exec &
HOLDER=$!
sleep 1
"$I" wait-gone "$HOLDER" 0 >/dev/null && alive=0 || alive=1
echo "@integrity victim=exec_process pid=$HOLDER alive=$alive"

# (c) kernel text through patch_text(); the revocations after the first
for s in patch_text machine_power_off sys_call_table security_hook_heads _text; do
	[ -n "$(sym $s)" ] || echo "E2E integrity.sym error errno=0 pid=$$ what=no_$s"
done
PT=$(sym patch_text)
TG=$(sym machine_power_off)
echo "E2E-INFO patch_text=$PT target=$TG"
trial textpatch e2e_textpatch 1 patch_text_addr="$PT" target="$TG"
revocations
trials textpatch e2e_textpatch 2 patch_text_addr="$PT" target="$TG"

# (d) a sys_call_table entry; (e) tz_hooks unlinked from a hook list
trials syscall e2e_syscall 1 table="$(sym sys_call_table)"
trials unlink e2e_unlink 1 heads="$(sym security_hook_heads)"

# (f) /dev/mem
devmem

# (h) the heartbeat, last (cannot be undone)
hbstop

# (i) the drained audit log against a signed report, the final state
block istatus final "$I" status
block integrity_json final "$PCTL" integrity status --json
sleep 1
dnonce=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$PCTL" report --nonce "$dnonce" -o /tmp/drain.report >/dev/null 2>&1
sleep 1
kill "$FOLLOW"
wait "$FOLLOW"
cmd integrity.drain.verify "$PCTL" audit --verify /tmp/drain.jsonl \
	--report /tmp/drain.report --device-pub "$K"/device.pub
block audit drain cat /tmp/drain.jsonl
block dmesg final dmesg
echo "E2E-INTEGRITY-END trials=$N"
final_report
