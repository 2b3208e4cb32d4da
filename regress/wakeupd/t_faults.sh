#!/bin/sh
# System tier, as root, with a real libvirtd: the faults a real host has.
# libvirtd killed and started again; the capture interface set down and
# up (wakeupd carries on), deleted (wakeupd exits, saying why, for the
# service manager to restart it); either process killed; a domain
# undefined under a packet; SIGTERM during a wake; and floods of junk and
# of magic packets for unknown addresses.

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"

# rpc_calls STRACE FD FROM TO: of what strace -xx shows written to FD in
# lines FROM to TO, the libvirt RPC calls (program 0x20008086, type 0)
# that act -- DOMAIN_CREATE 9, RESUME 28, PM_WAKEUP 267 in libvirt's
# remote_protocol.x --, all calls, and the calls before the first that
# acts: "ACTIONS ALL BEFORE".  Reads (listings every 30 s, the reads
# that events cause) are no action.
rpc_calls() {
	sed -n "$3,$4p" "$1" |
	    grep -aE "^[0-9]+ +(write|writev|sendmsg|sendto)\($2," | awk '
	    {
		s = $0
		i = index(s, "\"")
		if (i == 0) next
		s = substr(s, i + 1)
		s = substr(s, 1, index(s, "\"") - 1)
		gsub(/\\x/, "", s)
		if (substr(s, 9, 8) != "20008086" ||
		    substr(s, 33, 8) != "00000000")
			next
		n++
		p = 0
		for (j = 25; j <= 32; j++)
			p = p * 16 + index("0123456789abcdef",
			    substr(s, j, 1)) - 1
		if (p == 9 || p == 28 || p == 267) {
			if (w == 0)
				before = n - 1
			w++
		}
	    }
	    END { print w + 0, n + 0, (w ? before : n) + 0 }'
}

needroot "faults: setup" "faults: libvirtd killed" \
    "faults: interface down and up" "faults: interface deleted" \
    "faults: child killed" "faults: parent killed" \
    "faults: domain undefined under a packet" "faults: SIGTERM during a wake" \
    "faults: junk flood" "faults: unknown-MAC flood"

P1=$(printf %02x $(($$ / 256 % 256)))
P2=$(printf %02x $(($$ % 256)))
mac() {
	printf '52:54:%s:%s:%02x:01' "$P1" "$P2" "$1"
}
M1=$(mac 1) M2=$(mac 2)

child() {
	pgrep -P "$WPID" | head -1
}

# wd_exit SECONDS: set RC to wakeupd's exit status once it has exited
# by itself within SECONDS, or to "running" (and stop it).  Not in a
# subshell: only this shell can wait for it.
wd_exit() {
	if lv_poll $(($1 * 10)) lv_gone "$WPID"; then
		wait "$WPID"
		RC=$?
		WPID=
	else
		RC=running
		wd_stop >/dev/null 2>&1
	fi
}

# wakes NAME DOM MAC: a packet from wa0 wakes DOM within 10 s; DOM is
# shut off again afterwards.
wakes() {
	_n0=$(nlines)
	insa "$WAKEUP" wa0 "$3" >/dev/null 2>&1
	if waitline "$_n0" "wake $(lv_name "$2") .*: start: ok" &&
	    lv_wait_state "$2" running 10; then
		lv_destroy "$2"
		return 0
	fi
	fail "$1" "not woken: $(logtail)"
	lv_destroy "$2"
	return 1
}

# Resident set of wakeupd's processes, in KiB.
rss() {
	_s=0
	for _p in "$WPID" $(child); do
		_k=$(awk '/^VmRSS:/ { print $2 }' /proc/"$_p"/status 2>/dev/null)
		_s=$((_s + ${_k:-0}))
	done
	echo $_s
}

ns_setup || { fail "faults: setup" "namespaces"; exit 1; }
lv_start || { fail "faults: setup" "libvirtd"; exit 1; }
lv_define a "$M1" && lv_define b "$M2" ||
    { fail "faults: setup" "define"; exit 1; }
at_cleanup wd_stop
wd_start -w 0 -c $LV_URI || { fail "faults: setup" "wakeupd: $(logtail)"; exit 1; }
pass "faults: setup"

# libvirtd dies (SIGKILL when it is ours) and comes back: wakeupd stays
# and the next wake works once it has reconnected.
if [ -n "$LV_LIBVIRTD_PID" ]; then
	kill -9 "$LV_LIBVIRTD_PID"
	lv_poll 50 lv_gone "$LV_LIBVIRTD_PID"
	LV_LIBVIRTD_PID=
	rm -f "$LV_SOCK"
	lv_start_libvirtd
else
	lv_restart
fi
n0=$(nlines)
if ! kill -0 "$WPID" 2>/dev/null; then
	fail "faults: libvirtd killed" "wakeupd died: $(logtail)"
elif ! waitline "$n0" "connected" 40; then
	fail "faults: libvirtd killed" "no reconnection: $(logtail)"
else
	wakes "faults: libvirtd killed" a "$M1" && pass "faults: libvirtd killed"
fi

# Down and up: libpcap waits for the interface; wakeupd carries on.
ip -n "$NSB" link set wb0 down
sleep 0.5
ip -n "$NSB" link set wb0 up
sleep 0.5
if kill -0 "$WPID" 2>/dev/null; then
	wakes "faults: interface down and up" b "$M2" &&
	    pass "faults: interface down and up"
else
	fail "faults: interface down and up" "wakeupd exited: $(logtail)"
fi

# A packet for a domain that is undefined on its way: no action, no
# crash, and the next wake of another domain works.
# (Either wakeupd has seen the undefine event when the packet comes, or
# its lookup of the domain fails: both must end in no action.)
lv_undefine a
insa "$WAKEUP" -c 3 -i 50 wa0 "$M1" >/dev/null 2>&1
sleep 0.5
if ! kill -0 "$WPID" 2>/dev/null; then
	fail "faults: domain undefined under a packet" "wakeupd died: $(logtail)"
elif lv_virsh dominfo "$(lv_name a)" >/dev/null 2>&1; then
	fail "faults: domain undefined under a packet" "domain came back"
else
	wakes "faults: domain undefined under a packet" b "$M2" &&
	    pass "faults: domain undefined under a packet"
fi
lv_define a "$M1"

# Floods: 100,000 junk frames, then 100,000 magic packets for an address
# no domain has.  wakeupd must live, its memory stay flat, and the parent
# must make no wake-path libvirt call for them: strace shows what it
# writes to its libvirt connections (its unix stream sockets), and each
# RPC call names its procedure.  Listings every 30 s and the reads that
# other domains' events cause are not for the packets: counted apart.
sleep 0.5
r0=$(rss)
lvfds=
for f in /proc/"$WPID"/fd/*; do
	i=$(readlink "$f" | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
	[ -n "$i" ] || continue
	awk -v i="$i" 'NR > 1 && $7 == i && $5 == "0001" { f = 1 }
	    END { exit !f }' /proc/"$WPID"/net/unix && lvfds="$lvfds ${f##*/}"
done
echo "# the parent's libvirt sockets: fd$lvfds"
strace -f -qq -xx -s 48 -e trace=write,writev,sendmsg,sendto -p "$WPID" \
    -o "$TMPD/strace.out" 2>/dev/null &
STRACE=$!
sleep 1
sendhex 100000 "$(frame -m junk udp4 "$M2")" || true
if kill -0 "$WPID" 2>/dev/null; then
	pass "faults: junk flood"
else
	fail "faults: junk flood" "wakeupd died: $(logtail)"
fi
sendhex 100000 "$(frame udp4 52:54:00:de:ad:01)" || true
sleep 1
# The control: one packet for a known domain shows the method sees calls.
mark=$(wc -l <"$TMPD/strace.out")
n0=$(nlines)
insa "$WAKEUP" wa0 "$M1" >/dev/null 2>&1
waitline "$n0" "wake $(lv_name a) mac $M1 .*: start: ok"
sleep 0.5
kill "$STRACE" 2>/dev/null
wait "$STRACE" 2>/dev/null
r1=$(rss)
# AddressSanitizer's quarantine holds freed memory back for a while.
RSS_SLACK=1024
grep -q 'under the sanitizers' "$LOG" && RSS_SLACK=8192
nw=0
nall=0
nctl=0
nbefore=0
for fd in $lvfds; do
	set -- $(rpc_calls "$TMPD/strace.out" "$fd" 1 "$mark")
	nw=$((nw + $1))
	nall=$((nall + $2))
	set -- $(rpc_calls "$TMPD/strace.out" "$fd" $((mark + 1)) 999999999)
	nctl=$((nctl + $1))
	nbefore=$((nbefore + $3))
done
echo "# rss before $r0 KiB, after $r1 KiB; libvirt calls during the floods: $nw actions, $nall in all; for the control packet: $nctl actions, $nbefore calls before it"
if ! kill -0 "$WPID" 2>/dev/null; then
	fail "faults: unknown-MAC flood" "wakeupd died: $(logtail)"
elif [ "$r1" -gt $((r0 + RSS_SLACK)) ]; then
	fail "faults: unknown-MAC flood" "rss grew from $r0 to $r1 KiB"
elif [ -z "$lvfds" ] || [ "$nw" -gt 0 ] || [ "$nctl" -ne 1 ] ||
    [ "$nbefore" -ne 0 ]; then
	fail "faults: unknown-MAC flood" "$nw actions for unknown MACs, $nctl for the control packet with $nbefore calls before it (want 0, 1, 0)"
else
	pass "faults: unknown-MAC flood"
fi

# SIGTERM right behind a packet: exit 0, the child gone with it.
C=$(child)
insa "$WAKEUP" wa0 "$M1" >/dev/null 2>&1
kill "$WPID"
wd_exit 10
if [ "$RC" != 0 ]; then
	fail "faults: SIGTERM during a wake" "exit $RC"
elif ! lv_poll 20 lv_gone "$C"; then
	fail "faults: SIGTERM during a wake" "child $C left behind"
else
	pass "faults: SIGTERM during a wake"
fi
lv_destroy a

# The child killed: the parent exits, saying so.
wd_start -w 0 -c $LV_URI || { fail "faults: child killed" "start"; exit 1; }
kill -9 "$(child)"
wd_exit 5
if [ "$RC" = 1 ] && grep -q "capture process killed by signal 9, exiting" "$LOG"; then
	pass "faults: child killed"
else
	fail "faults: child killed" "$(logtail)"
fi
wd_stop

# The parent killed: the child sees its socket close and exits.
wd_start -w 0 -c $LV_URI || { fail "faults: parent killed" "start"; exit 1; }
C=$(child)
kill -9 "$WPID"
wait "$WPID" 2>/dev/null
WPID=
lv_poll 30 lv_gone "$C" && pass "faults: parent killed" ||
    { fail "faults: parent killed" "child $C still running"; kill "$C"; }

# Deleted: libpcap reports it, or wakeupd finds out within 5 s, and
# exits 1 with that reason.
wd_start -w 0 -c $LV_URI || { fail "faults: interface deleted" "start"; exit 1; }
ip -n "$NSB" link del wb0
wd_exit 15
if [ "$RC" = 1 ] && grep -Eq "wb0: (capture failed: The interface disappeared|interface \
disappeared, exiting)" "$LOG"; then
	pass "faults: interface deleted"
else
	fail "faults: interface deleted" "$(logtail)"
fi
wd_stop
