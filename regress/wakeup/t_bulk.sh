#!/bin/sh
# Bulk wakes: 2,000 targets from a file go out as 2,000 frames, each the
# one wakeup -n prints, through one libnet context (the sockets wakeup
# opens do not grow with the number of targets).  No timing is asserted.
# Needs root; frames never leave the two namespaces.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"
. "$TOP/regress/wakeup/wirelib.sh"

N=2000
needroot "bulk: $N frames captured" "bulk: frames are wakeup -n's" \
    "bulk: one libnet context"

at_cleanup 'kill $CAP_PID 2>/dev/null'
if ! ns_setup; then
	fail "bulk setup" "ns_setup failed"
	exit 1
fi

awk -v n=$N 'BEGIN { for (i = 1; i <= n; i++)
	printf "02:00:00:01:%02x:%02x\n", int(i / 256), i % 256 }' \
    >"$TMPD/targets"

# wakeup writes the frames back to back; cap_start has room for them.
cap_start "$TMPD/bulk.pcap" $N udp port 9
wsend -f "$TMPD/targets" wa0 2>"$TMPD/err"
rc=$?
cap_wait
got=$(tcpdump -r "$TMPD/bulk.pcap" -n 2>/dev/null | wc -l)
check "bulk: $N frames captured ($got), exit $rc" test $rc -eq 0 -a \
    "$got" -eq $N
wdry -f "$TMPD/targets" wa0 >"$TMPD/want.hex"
cap_hex "$TMPD/bulk.pcap" >"$TMPD/got.hex"
check "bulk: frames are wakeup -n's, in order" cmp "$TMPD/want.hex" \
    "$TMPD/got.hex"

# One libnet context: the sockets opened for 1 target and for N are the
# same ones, one of them a packet socket; a dry run opens no packet
# socket at all.  strace sees them.
if ! command -v strace >/dev/null; then
	fail "bulk: one libnet context" "strace is needed (make deps)"
	exit 1
fi
# sockets PATTERN ARGS...: how many socket(2) calls match PATTERN.
sockets() {
	_pat=$1
	shift
	ip netns exec "$NSA" strace -f -qq -e trace=socket -o "$TMPD/st" \
	    "$WAKEUP" "$@" >/dev/null 2>&1
	grep -c "socket($_pat" "$TMPD/st"
}
s1=$(sockets "" wa0 $T1)
sn=$(sockets "" -f "$TMPD/targets" wa0)
pn=$(sockets AF_PACKET -f "$TMPD/targets" wa0)
pd=$(sockets AF_PACKET -n -f "$TMPD/targets" wa0)
check "bulk: one libnet context ($s1 sockets for 1 target, $sn for $N)" \
    test "$s1" -ge 1 -a "$s1" -eq "$sn" -a "$pn" -eq 1
check "bulk: a dry run of $N opens no packet socket ($pd)" test "$pd" -eq 0
