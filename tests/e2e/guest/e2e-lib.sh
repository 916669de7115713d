# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# e2e-lib.sh - shell helpers the guest scripts share (installed as
# /e2e/lib.sh and sourced): result lines in the format of e2e.h.

# Runs a command and reports its exit status as an E2E line; its output is
# echoed with a "| " prefix for the log.
cmd() {
	c=$1
	shift
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/  | /'
	if [ "$rc" -eq 0 ]; then r=ok; else r=fail; fi
	echo "E2E $c $r errno=0 pid=0 rc=$rc"
}

# A command the secure world may refuse: the E2E line carries the TZU_E_*
# status policyctl printed ("none" if it printed none), matched exactly by
# the expected-results files.
refused() {
	c=$1
	shift
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/  | /'
	st=$(printf '%s\n' "$out" | grep -o 'TZU_E_[A-Z_]*' | head -n 1)
	if [ "$rc" -eq 0 ]; then r=ok; else r=fail; fi
	echo "E2E $c $r errno=0 pid=0 rc=$rc status=${st:-none}"
}

# A block of raw data for the host: E2E-BEGIN <kind> <label> ... E2E-END.
block() {
	kind=$1
	label=$2
	shift 2
	echo "E2E-BEGIN $kind $label"
	"$@" 2>&1
	echo "E2E-END $kind $label rc=$?"
}

# The last word of a run: a signed report with a fresh nonce, dumped for
# the host to verify (tests/e2e/check_report.py). The secure console prints
# the nonce when it answers, which proves it was alive to the end.
final_report() {
	nonce=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
	policyctl report --nonce "$nonce" -o /tmp/report.bin >/dev/null 2>&1
	block report final od -An -tx1 -v /tmp/report.bin
	echo "E2E-DONE"
	echo "E2E-END nonce=$nonce"
}
