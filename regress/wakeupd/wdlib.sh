# Helpers for the wakeupd system tests, sourced after regress/lib.sh and
# regress/libvirt.sh: wakeupd in $NSB on wb0 logging to $LOG, senders in
# $NSA on wa0.  With WD_IF set, wakeupd runs in the root namespace on
# that interface instead (a bridge the test made); with WD_NSIF set, in
# $NSB on the interfaces it names instead of wb0.

SF=$TOP/regress/tools/sendframe
MK=$TOP/regress/tools/mkframe.sh
LOG=$TMPD/wakeupd.log
WPID=

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

nlines() {
	wc -l <"$LOG" | tr -d ' '
}

# has_line N REGEX: a log line after line N matches.
has_line() {
	tail -n +$(($1 + 1)) "$LOG" | grep -Eq "$2"
}

# count_lines N REGEX: how many log lines after line N match.
count_lines() {
	tail -n +$(($1 + 1)) "$LOG" | grep -Ec "$2"
}

# waitline N REGEX [SECONDS]: a line after line N matches, within
# SECONDS (default 10).
waitline() {
	lv_poll $((${3:-10} * 10)) has_line "$1" "$2"
}

logtail() {
	tail -n 4 "$LOG" | tr '\n' '|' | cut -c 1-400
}

# wd_start ARGS...: wakeupd -d -C (the build's) -u nobody ARGS... wb0,
# in $NSB (or on $WD_IF, or $WD_NSIF), until it says it is ready (at
# most 15 s).
wd_start() {
	: >"$LOG"
	if [ -n "${WD_IF:-}" ]; then
		"$WAKEUPD" -d -C "$WAKEUPD_CAPTURE" -u nobody "$@" "$WD_IF" \
		    2>"$LOG" &
	else
		ip netns exec "$NSB" "$WAKEUPD" -d -C "$WAKEUPD_CAPTURE" \
		    -u nobody "$@" ${WD_NSIF:-wb0} 2>"$LOG" &
	fi
	WPID=$!
	lv_poll 150 wd_ready_or_dead
	wd_ready
}

wd_ready() {
	lv_alive "$WPID" && grep -q 'ready' "$LOG"
}

wd_ready_or_dead() {
	wd_ready || ! lv_alive "$WPID"
}

wd_stop() {
	[ -n "$WPID" ] || return 0
	kill "$WPID" 2>/dev/null
	lv_poll 100 lv_gone "$WPID" || kill -9 "$WPID" 2>/dev/null
	wait "$WPID" 2>/dev/null
	_rc=$?
	WPID=
	return $_rc
}

insa() {
	ip netns exec "$NSA" "$@"
}

frame() {
	sh "$MK" "$@"
}

# sendhex COUNT HEX: the frame, COUNT times, out wa0.
sendhex() {
	insa "$SF" -c "$1" wa0 "$2"
}
