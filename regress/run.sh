#!/bin/sh
# Run every test under regress/ and add up what they report.  A test
# prints one line per check: "PASS: name", "FAIL: name: why" or
# "SKIP: name: why" (skips are for a missing privilege only).  A test
# program that exits non-zero without reporting a failure counts as one.

cd "$(dirname "$0")/.." || exit 1
TOP=$(pwd)
export TOP

out=$(mktemp /tmp/wakeup-regress.XXXXXX) || exit 1
trap 'rm -f "$out"' EXIT

if [ $# -gt 0 ]; then
	tests="$*"
else
	tests="regress/common/test_wol regress/wakeupd/test_decide
	    $(ls regress/*/t_*.sh 2>/dev/null)"
fi

for t in $tests; do
	echo "== $t"
	case $t in
	*.sh)	sh "$t" >"$out" 2>&1 ;;
	*)	"./$t" >"$out" 2>&1 ;;
	esac
	rc=$?
	cat "$out"
	if [ $rc -ne 0 ] && ! grep -aq '^FAIL: ' "$out"; then
		echo "FAIL: $t: exited $rc without reporting a failure"
	fi
done | tee "$out.all"

passed=$(grep -ac '^PASS: ' "$out.all")
failed=$(grep -ac '^FAIL: ' "$out.all")
skipped=$(grep -ac '^SKIP: ' "$out.all")
if [ "$failed" -gt 0 ]; then
	echo "== failures"
	grep -a '^FAIL: ' "$out.all"
fi
rm -f "$out.all"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
