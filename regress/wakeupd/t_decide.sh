#!/bin/sh
# The wake decision with real parts: a real libvirtd and tiny TCG
# domains, a test:/// node file as a second host, wakeupd in $NSB on
# wb0, senders in $NSA.  Each check is a rule of wakeupd/decide.c that
# wakeupd 0.1 broke (see regress/wakeupd/test_decide.c for the table):
#
#   copies	the same domain running on one URI is not started on another;
#		both shut off and one opted out, the other starts
#   config	policy set with --config on a paused domain counts at once
#   reasons	a user's pause is resumed, a restore's ("migrating") is not
#   transient	a persistent domain undefined while paused is still resumed
#   resync	a NIC added with --config to a shut-off domain (no event)
#		wakes it within the resync time (30 s; 60 s in wakeupd(8))
#   backoff	5 wrong passwords block the MAC for 60 s, the right one too
#   hung	a remote URI that accepts and never answers holds up nothing:
#		a local wake, a burst, SIGTERM

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"

needroot "decide: setup" "decide: copy running elsewhere not started" \
    "decide: other copy opted out, this one starts" \
    "decide: --config allow=no on a paused domain" \
    "decide: --config password on a paused domain" \
    "decide: --config removed, resumed" \
    "decide: paused by a user, resumed" \
    "decide: paused by a restore, not resumed" \
    "decide: undefined while paused, resumed" \
    "decide: wrong passwords block the right one" \
    "decide: --config NIC seen by the resync" \
    "decide: right password after the block" \
    "decide: hung URI: local wake" "decide: hung URI: burst, one action" \
    "decide: hung URI: SIGTERM"

P1=$(printf %02x $(($$ / 256 % 256)))
P2=$(printf %02x $(($$ % 256)))
mac() {
	printf '52:54:%s:%s:%02x:01' "$P1" "$P2" "$1"
}
MC=$(mac 1)			# copies: qemu domain c and its test-driver twin
MP=$(mac 2)			# p: paused, policy with --config
MR=$(mac 3)			# r: paused by a restore
MT=$(mac 4)			# t: undefined while paused
MW=$(mac 5)			# w: password, backoff
MN=$(mac 6)			# n: the NIC added with --config
MN0=$(mac 7)			# n's first NIC
ML=$(mac 8)			# l: the local wake next to a hung URI
NS=urn:wakeupd:1
PW=01:02:03:04:05:06
BAD=01:02:03:04:05:07

# send MAC [ARGS]: one packet from $NSA for MAC (wakeup's ARGS).
send() {
	_m=$1; shift
	insa "$WAKEUP" "$@" wa0 "$_m" >/dev/null 2>&1
}

meta() {
	_d=$1; shift
	lv_virsh metadata "$(lv_name "$_d")" --uri $NS --key wakeupd --config \
	    "$@" >/dev/null 2>&1
}

# expect NAME N REGEX STATE DOM: a log line after N matches, and DOM is
# in STATE.
expect() {
	if ! waitline "$2" "$3"; then
		fail "$1" "no '$3' in the log: $(logtail)"
	elif ! lv_wait_state "$5" "$4" 10; then
		fail "$1" "$5 is $(lv_state "$5"), want $4"
	else
		pass "$1"
	fi
}

if [ ! -x "$WAKEUPD" ] || [ ! -x "$WAKEUP" ]; then
	fail "decide: setup" "wakeupd or wakeup not built"
	exit 1
fi
ns_setup || { fail "decide: setup" "namespaces"; exit 1; }
lv_start || { fail "decide: setup" "libvirtd"; exit 1; }
for d in c:$MC p:$MP r:$MR t:$MT w:$MW n:$MN0 l:$ML; do
	lv_define "${d%%:*}" "${d#*:}" ||
	    { fail "decide: setup" "define ${d%%:*}"; exit 1; }
done
meta w --set "<wake password=\"$PW\"/>" ||
    { fail "decide: setup" "metadata"; exit 1; }
UUID=$(lv_virsh domuuid "$(lv_name c)")
at_cleanup wd_stop
pass "decide: setup"

# -------------------------------------------------------------------
# Copies: c shut off here, running on the second "host".
lv_testdrv_file "$TMPD/twin.xml" c "$MC" 1 "$UUID"
wd_start -w 1 -c $LV_URI -c "test://$TMPD/twin.xml" ||
    { fail "decide: setup" "wakeupd: $(logtail)"; exit 1; }
n0=$(nlines)
send "$MC"
if waitline "$n0" "wake $(lv_name c) mac $MC .*: none: running on test://"; then
	sleep 1
	if lv_is_state c "shut off"; then
		pass "decide: copy running elsewhere not started"
	else
		fail "decide: copy running elsewhere not started" \
		    "c is $(lv_state c)"
	fi
else
	fail "decide: copy running elsewhere not started" "$(logtail)"
fi
wd_stop

# Both shut off, the twin opted out: c starts.
lv_testdrv_file "$TMPD/twin.xml" c "$MC" 5 "$UUID" \
    "<wake xmlns=\"$NS\" allow=\"no\"/>"
wd_start -w 1 -c $LV_URI -c "test://$TMPD/twin.xml" ||
    { fail "decide: setup" "wakeupd: $(logtail)"; exit 1; }
n0=$(nlines)
send "$MC"
expect "decide: other copy opted out, this one starts" "$n0" \
    "wake $(lv_name c) mac $MC .*: start: ok" running c
lv_destroy c
wd_stop

# -------------------------------------------------------------------
# One wakeupd for the rest, with the log at debug level.
wd_start -v -w 1 -c $LV_URI || { fail "decide: setup" "wakeupd: $(logtail)"; exit 1; }

# Backoff, part one: five wrong passwords block w, and then the right
# one is refused too.  The block's 60 s pass during the checks below.
n0=$(nlines)
for i in 1 2 3 4 5; do
	send "$MW" -s $BAD
	waitline "$n0" "refuse $(lv_name w) .*wrong password" 5
	n0=$(nlines)
done
t_block=$(now_ms)
send "$MW" -s $PW
if waitline "$n0" "refuse $(lv_name w) .*too many wrong passwords" &&
    lv_is_state w "shut off"; then
	pass "decide: wrong passwords block the right one"
else
	fail "decide: wrong passwords block the right one" "$(logtail)"
fi

# Resync: a NIC added with --config to shut-off n raises no event.
cat >"$TMPD/nic.xml" <<EOF
<interface type='user'>
  <mac address='$MN'/>
  <model type='e1000'/>
  <link state='down'/>
</interface>
EOF
t0=$(now_ms)
lv_virsh attach-device "$(lv_name n)" "$TMPD/nic.xml" --config >/dev/null ||
    fail "decide: --config NIC seen by the resync" "attach-device failed"
n0=$(nlines)
i=0
while [ $i -lt 30 ] && ! has_line "$n0" "wake $(lv_name n) mac $MN .*: start: ok"; do
	send "$MN"
	sleep 2
	i=$((i + 1))
done
if has_line "$n0" "wake $(lv_name n) mac $MN .*: start: ok" &&
    lv_wait_state n running 10; then
	pass "decide: --config NIC seen by the resync"
	echo "# woken $(($(now_ms) - t0)) ms after attach-device --config"
else
	fail "decide: --config NIC seen by the resync" "$(logtail)"
fi
lv_destroy n

# Policy with --config on a paused domain: at once.
lv_virsh start --paused "$(lv_name p)" >/dev/null && lv_wait_state p paused ||
    fail "decide: setup" "cannot start p paused"
meta p --set '<wake allow="no"/>'
n0=$(nlines)
send "$MP"
if waitline "$n0" "refuse $(lv_name p) .*: not allowed: opted out" &&
    lv_is_state p paused; then
	pass "decide: --config allow=no on a paused domain"
else
	fail "decide: --config allow=no on a paused domain" "$(logtail)"
fi
meta p --set "<wake password=\"$PW\"/>"
sleep 1.1
n0=$(nlines)
send "$MP"
if waitline "$n0" "refuse $(lv_name p) .*: missing password" &&
    lv_is_state p paused; then
	pass "decide: --config password on a paused domain"
else
	fail "decide: --config password on a paused domain" "$(logtail)"
fi
meta p --remove
sleep 1.1
n0=$(nlines)
send "$MP"
expect "decide: --config removed, resumed" "$n0" \
    "wake $(lv_name p) mac $MP .*: resume: ok" running p

# Pause reasons: a user's pause is resumed; a restore's is not.
lv_pause p
sleep 1.1
n0=$(nlines)
send "$MP"
expect "decide: paused by a user, resumed" "$n0" \
    "wake $(lv_name p) mac $MP .*: resume: ok" running p
lv_destroy p

lv_start_dom r && lv_virsh save "$(lv_name r)" "$TMPD/r.save" >/dev/null &&
    lv_virsh restore --paused "$TMPD/r.save" >/dev/null &&
    lv_wait_state r paused || fail "decide: setup" "save/restore r"
n0=$(nlines)
send "$MR"
if waitline "$n0" "refuse $(lv_name r) .*: paused for a migration: not resumed" &&
    sleep 1 && lv_is_state r paused; then
	pass "decide: paused by a restore, not resumed"
else
	fail "decide: paused by a restore, not resumed" \
	    "$(lv_virsh domstate --reason "$(lv_name r)"): $(logtail)"
fi
lv_destroy r

# A persistent domain undefined while paused lives on as transient.
lv_start_dom t && lv_pause t && lv_virsh undefine "$(lv_name t)" >/dev/null ||
    fail "decide: setup" "start, pause, undefine t"
sleep 1
n0=$(nlines)
send "$MT"
expect "decide: undefined while paused, resumed" "$n0" \
    "wake $(lv_name t) mac $MT .*: resume: ok" running t
lv_virsh destroy "$(lv_name t)" >/dev/null 2>&1

# Backoff, part two: once the block is over, the right password wakes.
left=$((t_block + 61000 - $(now_ms)))
[ $left -gt 0 ] && sleep "$((left / 1000)).$(printf %03d $((left % 1000)))"
n0=$(nlines)
send "$MW" -s $PW
expect "decide: right password after the block" "$n0" \
    "wake $(lv_name w) mac $MW .*: start: ok" running w
lv_destroy w
wd_stop

# -------------------------------------------------------------------
# A remote URI that accepts and never answers, next to the local one.
ip netns exec "$NSA" nc -lk 192.0.2.1 16509 >/dev/null 2>&1 &
NCPID=$!
at_cleanup "kill $NCPID"
lv_poll 50 ip netns exec "$NSA" sh -c 'ss -ltn | grep -q 192.0.2.1:16509'
t0=$(now_ms)
wd_start -v -w 1 -c qemu+tcp://192.0.2.1:16509/system -c $LV_URI ||
    { fail "decide: setup" "wakeupd with a hung URI: $(logtail)"; exit 1; }
echo "# ready in $(($(now_ms) - t0)) ms: $(grep ready "$LOG" | tail -1)"
n0=$(nlines)
t0=$(now_ms)
send "$ML"
expect "decide: hung URI: local wake" "$n0" \
    "wake $(lv_name l) mac $ML .*: start: ok" running l
echo "# local wake in $(($(now_ms) - t0)) ms while the other URI hangs"

# A burst of 200 packets for paused l: one resume, no packet dropped.
lv_pause l
sleep 1.1
n0=$(nlines)
sendhex 200 "$(frame udp4 "$ML")" >/dev/null 2>&1
if waitline "$n0" "wake $(lv_name l) mac $ML .*: resume: ok" &&
    lv_wait_state l running && sleep 1 &&
    [ "$(count_lines "$n0" "wake $(lv_name l) ")" -eq 1 ] &&
    ! has_line "$n0" "parent busy, packet dropped"; then
	pass "decide: hung URI: burst, one action"
else
	fail "decide: hung URI: burst, one action" \
	    "$(count_lines "$n0" "wake $(lv_name l) ") wake lines, $(count_lines "$n0" "dropped") drops: $(logtail)"
fi
lv_destroy l

t0=$(now_ms)
kill "$WPID"
if lv_poll 50 lv_gone "$WPID"; then
	wait "$WPID"
	rc=$?
	WPID=
	if [ $rc -eq 0 ]; then
		pass "decide: hung URI: SIGTERM"
		echo "# exited in $(($(now_ms) - t0)) ms"
	else
		fail "decide: hung URI: SIGTERM" "exit $rc: $(logtail)"
	fi
else
	fail "decide: hung URI: SIGTERM" "still running after 5 s"
fi
