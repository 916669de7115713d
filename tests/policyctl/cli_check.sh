#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# cli_check.sh - runs one policyctl command line and checks what it did:
#
#   cli_check.sh [--rc N] [--stdout ERE] [--stderr ERE] [--no-stdout ERE]
#                [--absent PATH] [--unchanged PATH] [--stdin FILE] -- CMD ARGS...
#
#   --rc N          exact exit status (default 0)
#   --stdout ERE    stdout must match (grep -E, repeatable, all must match)
#   --stderr ERE    stderr must match (repeatable)
#   --no-stdout ERE stdout must not match
#   --absent PATH   PATH is removed before the run and must not exist after
#                   (nor any PATH.tmp.* left behind)
#   --unchanged P   P is created with known content before the run and must
#                   hold exactly that content after
set -u
rc_want=0
out_re=() err_re=() out_not=() absent=() unchanged=()
while [ $# -gt 0 ]; do
	case $1 in
	--rc) rc_want=$2; shift 2 ;;
	--stdout) out_re+=("$2"); shift 2 ;;
	--stderr) err_re+=("$2"); shift 2 ;;
	--no-stdout) out_not+=("$2"); shift 2 ;;
	--absent) absent+=("$2"); shift 2 ;;
	--unchanged) unchanged+=("$2"); shift 2 ;;
	--) shift; break ;;
	*) echo "cli_check: unknown option $1" >&2; exit 2 ;;
	esac
done
[ $# -gt 0 ] || { echo "cli_check: no command" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sentinel="cli_check sentinel $$"
for p in "${absent[@]+"${absent[@]}"}"; do rm -f "$p"; done
for p in "${unchanged[@]+"${unchanged[@]}"}"; do printf '%s\n' "$sentinel" >"$p"; done

"$@" >"$tmp/out" 2>"$tmp/err"
rc=$?
fail=0
problem() { echo "FAIL: $*"; fail=1; }

[ "$rc" -eq "$rc_want" ] || problem "exit status $rc, expected $rc_want"
for re in "${out_re[@]+"${out_re[@]}"}"; do
	grep -Eq -- "$re" "$tmp/out" || problem "stdout does not match: $re"
done
for re in "${err_re[@]+"${err_re[@]}"}"; do
	grep -Eq -- "$re" "$tmp/err" || problem "stderr does not match: $re"
done
for re in "${out_not[@]+"${out_not[@]}"}"; do
	grep -Eq -- "$re" "$tmp/out" && problem "stdout matches: $re"
done
for p in "${absent[@]+"${absent[@]}"}"; do
	[ -e "$p" ] && problem "$p was written"
	compgen -G "$p.tmp.*" >/dev/null && problem "temporary file $p.tmp.* left behind"
done
for p in "${unchanged[@]+"${unchanged[@]}"}"; do
	[ "$(cat "$p" 2>/dev/null)" = "$sentinel" ] || problem "$p was modified"
	rm -f "$p"
done
if [ "$fail" -ne 0 ]; then
	echo "command: $*"
	echo "--- stdout"; cat "$tmp/out"
	echo "--- stderr"; cat "$tmp/err"
	exit 1
fi
echo "ok: $*"
