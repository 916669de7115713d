# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# tzx-lib.sh - the guest half of scripts/experiment: runs trials, records what the secure world saw (sourced by the generated /etc/tzucon/rc).
#
# Nothing is judged here. Per trial the console gets, in order:
#   TZX begin id=ID trial=N uptime=S
#   TZX snap id=ID trial=N at=pre  {policyctl stats --json}
#   @istatus ...                    (e2e_integrity status, before; only for
#                                    detect=integrity|heartbeat)
#   TZX result id=ID trial=N effect=.. denied=.. errno=.. t_ns=.. note=..
#       (the program's own line, see docs/experiments.md; or TZX noresult)
#   @iwait ...                      (only for detect=integrity|heartbeat
#                                    and effect=1: the secure world's reaction)
#   TZX snap id=ID trial=N at=post {stats}   (and @istatus after)
#   TZX restore mode M -> MODE rc=R (the owner puts the variant's mode back)
#   TZX end id=ID trial=N rc=RC uptime=S
# and at the end of the boot the drained audit log, a signed report with a
# fresh nonce, then TZX done, which proves the guest ran to its last step.
# experiments/runner/judge.py reads these lines on the host.
TZX=/tzx
PCTL=${PCTL:-policyctl}
IST=/e2e/bin/e2e_integrity
ADMIN="--key $TZX/keys/admin.key"
WAIT_FIFO=/tmp/tzx-wait

# A field of the current @istatus line (integrity state as the secure world
# measures it; absent when the image has no integrity support).
tzx_ifield() {
	"$IST" status 2>/dev/null | sed -n "s/^@istatus.* $1=\([0-9a-fx]*\).*\$/\1/p"
}

# One line: the decision counters, audit head and flags of the secure
# world (left in $snap); with DETECT integrity|heartbeat also @istatus.
tzx_snap() {
	snap=$("$PCTL" stats --json 2>/dev/null | tr -d '\n')
	echo "TZX snap id=$1 trial=$2 at=$3 ${snap:-{\}}"
	case $4 in
	integrity|heartbeat) "$IST" status 2>/dev/null | grep '^@istatus' || echo "@istatus none" ;;
	esac
}

# Waits a second without starting a process (exits of earlier processes
# settle: tz_hooks reports them from task_free after an RCU grace period).
tzx_settle() {
	# shellcheck disable=SC3045 # busybox ash has read -t
	read -r -t 1 _ <>"$WAIT_FIFO"
	return 0
}

tzx_start() {
	mkfifo "$WAIT_FIFO"
	echo 1 >/proc/sys/kernel/printk
	# the kernel's own gate would answer EPERM before any LSM is asked
	[ -w /proc/sys/kernel/unprivileged_bpf_disabled ] &&
		echo 0 >/proc/sys/kernel/unprivileged_bpf_disabled
	echo "TZX boot variant=$1 boot=$2 lsm=$(cat /sys/kernel/security/lsm 2>/dev/null) cpus=$(cat /sys/devices/system/cpu/online 2>/dev/null)"
	echo "TZX cmdline $(cat /proc/cmdline)"
	"$PCTL" audit --follow -o /tmp/drain.jsonl >/dev/null 2>&1 &
	TZX_FOLLOW=$!
	# registration and seal of the kernel's regions (an unmeasured kernel
	# has nothing to detect against); a kernel without them times out
	"$IST" wait-flag sealed 0 30000 >/dev/null 2>&1
	echo "TZX sealed $(tzx_ifield flags)"
}

# A setup step of the variant (load, mode, attributes), reported, not judged.
tzx_step() {
	name=$1
	shift
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/  | /'
	echo "TZX setup $name rc=$rc"
}

# The microbenchmark of the variant (tests/e2e/guest/e2e_bench.c), before
# any attack: its BENCH lines give the overhead per variant.
tzx_bench() {
	[ -x /e2e/bin/e2e_bench ] || { echo "TZX bench none"; return 0; }
	echo "TZX bench begin iters=$1"
	/e2e/bin/e2e_bench "$1" /e2e/bin/e2e_true 2>&1
	echo "TZX bench end rc=$?"
}

# tzx_trial ID N DETECT TIMEOUT_MS CLEANUP -- COMMAND...: one trial.
# DETECT: integrity (a new mismatch), heartbeat (heartbeat_lost), or
# anything else (nothing to wait for: the judge reads the snapshots and the
# audit log). CLEANUP (a command line, or "-"): run after the wait, e.g.
# rmmod of a module whose unload undoes the attack.
tzx_trial() {
	id=$1 t=$2 det=$3 tmo=$4 cln=$5
	shift 6
	read -r up _ </proc/uptime
	echo "TZX begin id=$id trial=$t uptime=$up"
	tzx_snap "$id" "$t" pre "$det"
	m0=0
	case $det in integrity) m0=$(tzx_ifield mismatches) ;; esac
	out=$("$@" 2>/tmp/tzx.err)
	rc=$?
	printf '%s\n' "$out" | grep -v '^TZX result' | sed '/^$/d; s/^/  | /'
	sed 's/^/  ! /' /tmp/tzx.err
	line=$(printf '%s\n' "$out" | grep '^TZX result' | tail -n 1)
	if [ -n "$line" ]; then
		echo "$line"
	else
		echo "TZX noresult id=$id trial=$t rc=$rc"
	fi
	eff=$(printf '%s\n' "$line" | sed -n 's/.* effect=\([01]\).*/\1/p')
	tns=$(printf '%s\n' "$line" | sed -n 's/.* t_ns=\([0-9]*\).*/\1/p')
	if [ "$eff" = 1 ]; then
		case $det in
		integrity) "$IST" wait-mismatch "${m0:-0}" "${tns:-0}" "$tmo" | grep '^@iwait' ;;
		heartbeat) "$IST" wait-flag heartbeat_lost "${tns:-0}" "$tmo" | grep '^@iwait' ;;
		esac
	fi
	if [ "$cln" != - ]; then
		# shellcheck disable=SC2086 # the cleanup is a command line
		$cln 2>&1 | sed 's/^/  c /'
	fi
	tzx_snap "$id" "$t" post "$det"
	# the owner (lab admin key) puts the variant's mode back if the trial
	# changed it, so the next trial starts where the variant says
	m=$(printf '%s\n' "$snap" | sed -n 's/.*"mode": *"\([a-z]*\)".*/\1/p')
	if [ -n "$m" ] && [ "$m" != "$TZX_MODE" ]; then
		"$PCTL" mode "$TZX_MODE" $ADMIN >/dev/null 2>&1
		echo "TZX restore mode $m -> $TZX_MODE rc=$?"
	fi
	read -r up _ </proc/uptime
	echo "TZX end id=$id trial=$t rc=$rc uptime=$up"
}

# The end of the boot: the drained log, a signed report over its head with
# a fresh nonce (the host verifies both, as tests/e2e does), TZX done.
tzx_finish() {
	tzx_settle
	tzx_settle
	nonce=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
	"$PCTL" report --nonce "$nonce" -o /tmp/tzx.report >/dev/null 2>&1
	echo "TZX report rc=$?"
	tzx_settle
	kill "$TZX_FOLLOW" 2>/dev/null
	wait "$TZX_FOLLOW" 2>/dev/null
	echo "TZX-BEGIN audit"
	cat /tmp/drain.jsonl
	echo "TZX-END audit"
	echo "TZX-BEGIN report"
	od -An -tx1 -v /tmp/tzx.report
	echo "TZX-END report"
	echo "TZX done nonce=$nonce"
}
