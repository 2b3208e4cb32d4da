#!/bin/sh
# The two processes' ending and the capture process's logging.
#
# SIGTERM to the whole process group, as systemctl stop sends it: both
# processes get it in the same moment, again and again; wakeupd must
# exit 0 with the one line "exiting on signal 15" every time, and the
# capture process must not end on the signal (the first time, it gets
# one alone).
#
# syslogd restarted under a detached wakeupd: the capture process's lines
# must still reach the log, since it sends them through the parent and
# has no log socket of its own (a sandboxed syslog(3) could not open a
# new one).  busybox syslogd runs on a /dev/log of its own, in a mount
# namespace of this test's (a tmpfs over /dev there), so that nothing of
# the machine's logging is touched.

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"

RUNS=6
needroot "privsep: setup" "privsep: SIGTERM to the group, $RUNS times" \
    "privsep: detached, capture log lines in syslog" \
    "privsep: capture process holds no log socket" \
    "privsep: capture log lines after syslogd restarts"

MK1=52:54:00:5a:00:01
command -v busybox >/dev/null ||
    { fail "privsep: setup" "no busybox (for its syslogd)"; exit 1; }
ns_setup || { fail "privsep: setup" "namespaces"; exit 1; }
lv_testdrv_file "$TMPD/node.xml" p1 $MK1
pass "privsep: setup"

# term_group: wakeupd -d in a process group of its own (setsid execs it
# directly: a background job is no group leader), ready, then TERM to
# the group.  Says what went wrong on standard output.
term_group() {
	: >"$LOG"
	setsid ip netns exec "$NSB" "$WAKEUPD" -d -C "$WAKEUPD_CAPTURE" \
	    -u nobody -c "test://$TMPD/node.xml" wb0 2>"$LOG" &
	WPID=$!
	if ! lv_poll 150 wd_ready_or_dead || ! wd_ready; then
		echo "not ready: $(logtail)"
		return 1
	fi
	_pg=$(ps -o pgid= -p "$WPID" | tr -d ' ')
	_c=$(pgrep -P "$WPID" | head -1)
	if [ "$_pg" != "$WPID" ] || [ -z "$_c" ] ||
	    [ "$(ps -o pgid= -p "$_c" | tr -d ' ')" != "$WPID" ]; then
		echo "process group $_pg, capture process '$_c'"
		return 1
	fi
	# The race needs both signals in one turn of the parent's loop,
	# which is rare: first, deterministically, the capture process's
	# half of it, a SIGTERM that must leave it and the parent running.
	if [ "$1" = first ]; then
		kill -TERM "$_c"
		sleep 0.5
		if ! lv_alive "$_c" || ! lv_alive "$WPID"; then
			echo "SIGTERM to the capture process alone ended it: $(logtail)"
			return 1
		fi
	fi
	_n=$(nlines)
	kill -TERM -"$WPID"
	if ! lv_poll 100 lv_gone "$WPID"; then
		echo "still running"
		return 1
	fi
	wait "$WPID"
	_rc=$?
	WPID=
	if [ $_rc -ne 0 ]; then
		echo "exit $_rc: $(logtail)"
		return 1
	fi
	if [ "$(tail -n +$((_n + 1)) "$LOG")" != \
	    "wakeupd: exiting on signal 15" ]; then
		echo "log: $(tail -n +$((_n + 1)) "$LOG" | tr '\n' '|')"
		return 1
	fi
	if lv_alive "$_c"; then
		echo "capture process $_c still there"
		return 1
	fi
}

at_cleanup wd_stop
ok=0 why=
i=0
while [ $i -lt $RUNS ]; do
	i=$((i + 1))
	term_group "$([ $i -eq 1 ] && echo first)" >"$TMPD/why" || break
	ok=$i
done
[ $ok -eq $RUNS ] && pass "privsep: SIGTERM to the group, $RUNS times" ||
    fail "privsep: SIGTERM to the group, $RUNS times" "run $i: $(cat "$TMPD/why")"
wd_stop

# The mount namespace: a process that holds it, and a way in.
mount --bind /dev/null "$TMPD/null" 2>/dev/null ||
    { touch "$TMPD/null" && mount --bind /dev/null "$TMPD/null"; }
unshare -m --propagation private sh -c '
	mount -t tmpfs -o mode=755 wut-dev /dev || exit 1
	touch /dev/null && mount --bind "$1" /dev/null || exit 1
	echo up >"$2"
	exec sleep 120' sh "$TMPD/null" "$TMPD/mnt.up" &
HOLDER=$!
at_cleanup "kill $HOLDER; umount $TMPD/null"
inmnt() {
	nsenter -t "$HOLDER" -m "$@"
}

SYSLOG=$TMPD/syslog
SLPID=
syslog_start() {
	inmnt busybox syslogd -n -O "$SYSLOG" &
	SLPID=$!
	lv_poll 50 inmnt test -S /dev/log
}
syslog_stop() {
	[ -n "$SLPID" ] || return 0
	lv_kill "$SLPID"
	wait "$SLPID" 2>/dev/null
	SLPID=
}
at_cleanup syslog_stop

# syslog_has REGEX: a line of the log matches.
syslog_has() {
	grep -Eq "$1" "$SYSLOG" 2>/dev/null
}

# The detached daemon: the process in $NSB whose title says [priv].
DPID=
daemon_stop() {
	[ -n "$DPID" ] || return 0
	lv_kill "$DPID"
	DPID=
}
at_cleanup daemon_stop

if ! lv_poll 50 test -s "$TMPD/mnt.up" || ! syslog_start; then
	fail "privsep: detached, capture log lines in syslog" \
	    "no syslogd in a mount namespace"
	exit 1
fi
out=$(inmnt ip netns exec "$NSB" "$WAKEUPD" -C "$WAKEUPD_CAPTURE" \
    -u nobody -v -c "test://$TMPD/node.xml" wb0 2>&1)
rc=$?
for p in $(ip netns pids "$NSB"); do
	case $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) in
	"wakeupd: [priv]"*) DPID=$p ;;
	esac
done
C=$(pgrep -P "${DPID:-0}" | head -1)
# With -v, what the capture process logs before it is ready (its sandbox)
# goes to the terminal with the start-up errors; nothing else may.
if [ $rc -ne 0 ] || printf '%s\n' "$out" | grep -qv '^wakeupd\[capture\]: ' ||
    [ -z "$DPID" ] || [ -z "$C" ]; then
	fail "privsep: detached, capture log lines in syslog" \
	    "exit $rc, said '$out', daemon '$DPID', capture '$C'"
	exit 1
fi
echo "# daemon $DPID, capture process $C"
insa "$WAKEUP" wa0 52:54:00:de:ad:01 >/dev/null 2>&1
if lv_poll 100 syslog_has \
    "wakeupd\[$DPID\]: capture: wb0: no domain has 52:54:00:de:ad:01, dropped"
then
	pass "privsep: detached, capture log lines in syslog"
else
	fail "privsep: detached, capture log lines in syslog" \
	    "$(tail -n 3 "$SYSLOG" | tr '\n' '|')"
fi

# Its descriptors: packet sockets, the socketpair (fd 3) and /dev/null;
# no other socket, which a log socket would be.
nunix=0 nother=0
for f in /proc/"$C"/fd/*; do
	case ${f##*/}:$(readlink "$f") in
	[012]:/dev/null) ;;
	*:socket:*)
		_i=$(readlink "$f" | tr -dc '0-9')
		if awk -v i="$_i" 'NR > 1 && $9 == i { f = 1 } END { exit !f }' \
		    /proc/"$C"/net/packet; then
			:
		elif awk -v i="$_i" 'NR > 1 && $7 == i { f = 1 }
		    END { exit !f }' /proc/"$C"/net/unix; then
			nunix=$((nunix + 1))
		else
			nother=$((nother + 1))
		fi ;;
	*) nother=$((nother + 1)) ;;
	esac
done
[ $nunix -eq 1 ] && [ $nother -eq 0 ] &&
    [ "$(readlink /proc/"$C"/fd/3)" != "" ] &&
    awk -v i="$(readlink /proc/"$C"/fd/3 | tr -dc '0-9')" \
    'NR > 1 && $7 == i { f = 1 } END { exit !f }' /proc/"$C"/net/unix &&
    pass "privsep: capture process holds no log socket" ||
    fail "privsep: capture process holds no log socket" \
    "$nunix unix sockets, $nother other descriptors"

# syslogd goes away and comes back with a new /dev/log.
syslog_stop
syslog_start || { fail "privsep: capture log lines after syslogd restarts" \
    "syslogd did not start again"; exit 1; }
insa "$WAKEUP" wa0 52:54:00:de:ad:02 >/dev/null 2>&1
if lv_poll 100 syslog_has \
    "wakeupd\[$DPID\]: capture: wb0: no domain has 52:54:00:de:ad:02, dropped" &&
    lv_alive "$C"; then
	pass "privsep: capture log lines after syslogd restarts"
else
	fail "privsep: capture log lines after syslogd restarts" \
	    "$(tail -n 3 "$SYSLOG" | tr '\n' '|')"
fi
daemon_stop
