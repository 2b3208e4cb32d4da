#!/bin/sh
# wakeup.8: lint clean, SYNOPSIS the same as usage(), every option
# documented, and the sections the manual promises.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"

MAN=$TOP/wakeup/wakeup.8
SRC=$TOP/wakeup/wakeup.c

if ! command -v mandoc >/dev/null; then
	fail "man" "mandoc is needed (make deps)"
	exit 1
fi

# Our own pages in a private manual tree, so that cross references to
# wakeup(8) and wakeupd(8) resolve before they are installed.  mandoc
# also grumbles about the system's stale mandoc.db; that is no lint.
mkdir -p "$TMPD/man/man8"
ln -s "$MAN" "$TMPD/man/man8/wakeup.8"
[ -f "$TOP/wakeupd/wakeupd.8" ] &&
    ln -s "$TOP/wakeupd/wakeupd.8" "$TMPD/man/man8/wakeupd.8"
MANPATH=$TMPD/man:$(manpath 2>/dev/null || echo /usr/share/man) \
    mandoc -Tlint -Wstyle "$MAN" 2>&1 | grep -v 'outdated mandoc.db' \
    >"$TMPD/lint"
if [ -f "$TOP/wakeupd/wakeupd.8" ]; then
	check "mandoc -Tlint -Wstyle clean" test ! -s "$TMPD/lint"
	# wakeupd's pages too, each cross reference resolved.
	mkdir -p "$TMPD/man/man5"
	ln -s "$TOP/wakeupd/wakeupd.conf.5" "$TMPD/man/man5/wakeupd.conf.5"
	MANPATH=$TMPD/man:$(manpath 2>/dev/null || echo /usr/share/man) \
	    mandoc -Tlint -Wstyle "$TOP/wakeupd/wakeupd.8" \
	    "$TOP/wakeupd/wakeupd.conf.5" 2>&1 |
	    grep -v 'outdated mandoc.db' >"$TMPD/lintd"
	check "wakeupd.8, wakeupd.conf.5: mandoc -Tlint -Wstyle clean" \
	    test ! -s "$TMPD/lintd"
else
	# Until wakeupd.8 exists, its cross reference is the one complaint.
	check "mandoc -Tlint -Wstyle clean but for wakeupd(8)" test \
	    "$(grep -v 'Xr wakeupd 8' "$TMPD/lint")" = ""
fi

squeeze() {
	tr '\n\t' '  ' | sed 's/  */ /g; s/^ //; s/ $//'
}
mandoc -Tascii "$MAN" 2>/dev/null | col -b |
    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | squeeze \
    >"$TMPD/synopsis"
"$WAKEUP" 2>&1 | sed 's/^usage: //' | squeeze >"$TMPD/usage"
if cmp -s "$TMPD/synopsis" "$TMPD/usage"; then
	pass "SYNOPSIS is usage()"
else
	fail "SYNOPSIS is usage()" \
	    "man '$(cat "$TMPD/synopsis")' usage '$(cat "$TMPD/usage")'"
fi

# The option letters getopt knows, each in the usage, the synopsis and
# the option list.
opts=$(sed -n 's/.*getopt(argc, argv, "\([^"]*\)").*/\1/p' "$SRC" |
    tr -d ':')
check "getopt string found" test -n "$opts"
for o in $(echo "$opts" | sed 's/./& /g'); do
	if grep -q "^\.It Fl $o\( \|$\)" "$MAN" &&
	    grep -q -- "-[0-9a-z]*$o" "$TMPD/usage"; then
		pass "option -$o documented"
	else
		fail "option -$o documented" "no .It Fl $o or not in usage"
	fi
done

for s in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" EXAMPLES "SEE ALSO" \
    CAVEATS; do
	check "section $s" grep -q "^\.Sh $s\$" "$MAN"
done
check "EXAMPLES: a cron line" sh -c \
    "sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' '$MAN' |
    grep -Eq '^[0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+ .*wakeup '"
check "EXAMPLES: a target file" sh -c \
    "sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' '$MAN' | grep -q 'wakeup -f '"
check "SEE ALSO: ethers(5)" sh -c \
    "sed -n '/^\.Sh SEE ALSO/,/^\.Sh /p' '$MAN' | grep -q '^\.Xr ethers 5'"
check "SEE ALSO: wakeupd(8)" sh -c \
    "sed -n '/^\.Sh SEE ALSO/,/^\.Sh /p' '$MAN' | grep -q '^\.Xr wakeupd 8'"
check "CAVEATS: routers" sh -c \
    "sed -n '/^\.Sh CAVEATS/,\$p' '$MAN' | grep -q 'does not cross routers'"
check "EXIT STATUS: .Ex -std" sh -c \
    "sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' '$MAN' | grep -q '^\.Ex -std'"
