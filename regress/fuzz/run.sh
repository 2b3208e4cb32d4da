#!/bin/sh
#
# Copyright (c) 2026 The wakeup authors
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
#
# run.sh seconds target ...: run each libFuzzer target (make fuzz builds
# regress/fuzz/fuzz_TARGET) for at most that many seconds, one after
# the other, and report how many inputs each ran.
#
# Each target starts from its seed corpus, regress/fuzz/corpus/TARGET,
# plus what earlier runs found, kept in regress/fuzz/work/TARGET (not
# committed, kept across make clean; remove it to start afresh).  An
# input that crashes, leaks, times out or breaks an invariant is written
# to regress/fuzz/crashes/TARGET/, where make test replays it from then on:
# commit it with the fix.  Exits 1 if any target found something.

cd "$(dirname "$0")/../.." || exit 1
[ $# -ge 2 ] || { echo "usage: run.sh seconds target ..." >&2; exit 1; }
secs=$1
shift
case $secs in
''|*[!0-9]*) echo "run.sh: $secs: not a number of seconds" >&2; exit 1 ;;
esac

F=regress/fuzz
rc=0
total=0
for t; do
	bin=$F/fuzz_$t
	[ -x "$bin" ] || { echo "fuzz $t: $bin not built" >&2; rc=1; continue; }
	mkdir -p "$F/work/$t" "$F/crashes/$t" || exit 1
	case $t in
	domxml)	opts="-max_len=4096 -dict=$F/domxml.dict" ;;
	text)	opts="-max_len=64" ;;
	msg)	opts="-max_len=1024" ;;	# a header and 17 messages
	conf)	opts="-max_len=2048 -dict=$F/conf.dict" ;;
	*)	opts="-max_len=512" ;;
	esac
	log=$F/work/$t.log
	# New inputs go to the first directory; the seeds stay as they are.
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
	    -print_final_stats=1 -artifact_prefix="$F/crashes/$t/" $opts \
	    "$F/work/$t" "$F/corpus/$t" >"$log" 2>&1
	st=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1)
	units=$(ls "$F/work/$t" | wc -l | tr -d ' ')
	if [ $st -ne 0 ]; then
		echo "fuzz $t: FOUND something after ${execs:-?} executions" \
		    "(exit $st):"
		grep -E 'ERROR|SUMMARY|invariant failed|Test unit written' \
		    "$log" | head -5
		echo "  full log: $log"
		rc=1
	else
		echo "fuzz $t: ${execs:-?} executions in ${secs}s, clean" \
		    "($cov, $units inputs kept in $F/work/$t)"
	fi
	total=$((total + ${execs:-0}))
done
echo "fuzz: $total executions in all"
exit $rc
