#!/bin/sh
# The OpenBSD rc.d script finds the daemon: rc.subr looks for it with
# pgrep -xf "$pexp", a match of the whole command line, and the parent
# renames itself with setproctitle(3).  pexp must match the title the
# manual documents and the one a running wakeupd shows (the Linux
# setproctitle of common/compat.c writes the same string), and not the
# capture process.

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"

RC=$TOP/wakeupd/wakeupd.rc

# pexp as ksh would see it, from its one assignment line.
line=$(grep -c '^pexp=' "$RC")
pexp=
if [ "$line" -eq 1 ]; then
	eval "$(grep '^pexp=' "$RC")"
fi
if [ -z "$pexp" ]; then
	fail "rc.d: pexp set" "$line pexp lines in wakeupd.rc"
	exit 1
fi
pass "rc.d: pexp set"

# The manual: ps(1) shows the parent as "wakeupd: [priv]".
title=$(awk '/shows the parent as/ { getline; sub(/^\.Dq /, "");
    sub(/ [,.;:]$/, ""); print; exit }' "$TOP/wakeupd/wakeupd.8")
if [ -z "$title" ]; then
	fail "rc.d: pexp matches the manual" "no title in wakeupd.8"
elif printf '%s\n' "$title" | grep -qxE "$pexp"; then
	pass "rc.d: pexp matches the manual"
else
	fail "rc.d: pexp matches the manual" "'$pexp' against '$title'"
fi

needroot "rc.d: pexp finds the running parent only"

ns_setup || { fail "rc.d: pexp finds the running parent only" "namespaces"; exit 1; }
at_cleanup wd_stop
n="rc.d: pexp finds the running parent only"
if ! wd_start -c test:///default; then
	fail "$n" "wakeupd: $(logtail)"
	exit 1
fi
# Only processes in wakeupd's network namespace: other wakeupds may run.
found=$(pgrep --ns "$WPID" --nslist net -xf "$pexp" | tr '\n' ' ')
if [ "$found" = "$WPID " ]; then
	pass "$n"
else
	fail "$n" "pgrep -xf '$pexp' found '$found', want $WPID ($(tr '\0' \
	    ' ' </proc/$WPID/cmdline))"
fi
wd_stop
