#!/bin/sh
# Every fuzz seed and every saved crash reproducer, in
# regress/fuzz/corpus/*/ and regress/fuzz/crashes/*/, through every
# fuzz target, without libFuzzer: regress/fuzz/replay_TARGET (built by
# make all) calls the target once per file.  A target aborts when an
# invariant breaks; built with make asan-test, ASan and UBSan check each
# input as well.  No privilege needed.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"

F=$TOP/regress/fuzz
TARGETS="payload frame text domxml msg conf"

# The files a directory holds, as the driver counts them.
nfiles() {
	find "$1" -type f ! -name '.*' | wc -l | tr -d ' '
}

for t in $TARGETS; do
	for d in $TARGETS; do
		[ "$(nfiles "$F/corpus/$d")" -gt 0 ] ||
		    fail "fuzz corpus $d" "$F/corpus/$d is empty"
	done
	bin=$F/replay_$t
	if [ ! -x "$bin" ]; then
		fail "fuzz replay $t" "$bin not built (make all)"
		continue
	fi
	for d in $TARGETS; do
		for k in corpus crashes; do
			[ -d "$F/$k/$d" ] || continue
			want=$(nfiles "$F/$k/$d")
			[ "$want" -gt 0 ] || continue
			"$bin" "$F/$k/$d" >"$TMPD/out" 2>"$TMPD/err"
			rc=$?
			got=$(cat "$TMPD/out")
			if [ $rc -ne 0 ]; then
				fail "fuzz replay $t < $k/$d" "exit $rc:" \
				    "$(tail -n 5 "$TMPD/err" | tr '\n' ' ')"
			elif [ "$got" != "$want inputs, no finding" ]; then
				fail "fuzz replay $t < $k/$d" \
				    "'$got', want $want inputs"
			elif [ -s "$TMPD/err" ]; then
				fail "fuzz replay $t < $k/$d" \
				    "stderr: $(head -c 300 "$TMPD/err")"
			else
				pass "fuzz replay $t < $k/$d ($want inputs)"
			fi
		done
	done
	# The driver itself fails loudly on what it cannot read.
	"$bin" "$TMPD/nosuch" >/dev/null 2>"$TMPD/err"
	check "fuzz replay $t: a missing file is an error" test $? -eq 1 -a \
	    "$(cat "$TMPD/err")" = \
	    "replay_$t: $TMPD/nosuch: No such file or directory"
done
