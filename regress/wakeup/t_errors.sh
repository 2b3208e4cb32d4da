#!/bin/sh
# wakeup's run-time errors, each with its one line and exit status, and
# nothing on the wire when something is wrong: an interface that is
# missing, down or not Ethernet; missing privilege (and that
# CAP_NET_RAW alone is enough); a failed write; a bad target after good
# ones.  Needs root; frames never leave the two namespaces.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"
. "$TOP/regress/wakeup/wirelib.sh"

needroot "errors: no such interface" "errors: interface down" \
    "errors: no Ethernet address" "errors: privilege" \
    "errors: CAP_NET_RAW" "errors: dry run as nobody" \
    "errors: failed write" "errors: nothing sent on a bad target"

at_cleanup 'kill $CAP_PID 2>/dev/null'
if ! ns_setup; then
	fail "errors setup" "ns_setup failed"
	exit 1
fi

# Run "$@" while capturing on wb0; pass NAME if no frame went out.
silent() {
	_n=$1
	shift
	cap_start "$TMPD/silent.pcap" 1 $WFILTER
	"$@" >/dev/null 2>&1
	cap_stop
	_c=$(tcpdump -r "$TMPD/silent.pcap" -n 2>/dev/null | wc -l)
	check "$_n: nothing on the wire ($_c frames)" test "$_c" -eq 0
}

expect_fail "errors: no such interface" "wakeup: nosuch0: no such interface" \
    wsend nosuch0 $T1
expect_fail "errors: no such interface, dry run" \
    "wakeup: nosuch0: no such interface" wsend -n nosuch0 $T1

expect_fail "errors: no Ethernet address (lo)" "wakeup: lo: no Ethernet address" \
    wsend lo $T1
if ip -n "$NSA" tuntap add mode tun name wtun0 2>/dev/null; then
	ip -n "$NSA" link set wtun0 up
	expect_fail "errors: no Ethernet address (tun)" \
	    "wakeup: wtun0: no Ethernet address" wsend wtun0 $T1
fi

# Privilege: nobody without capabilities is refused after every other
# check; nobody with CAP_NET_RAW alone can send; a dry run needs nothing.
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
UWAKEUP=$(reachable "$WAKEUP")
expect_fail "errors: privilege" "wakeup: wa0: root or CAP_NET_RAW needed" \
    ip netns exec "$NSA" $NOBODY --inh-caps=-all --bounding-set=-all \
    "$UWAKEUP" wa0 $T1
silent "errors: privilege" ip netns exec "$NSA" $NOBODY --inh-caps=-all \
    --bounding-set=-all "$UWAKEUP" wa0 $T1
expect_fail "errors: privilege, bad target first" \
    "wakeup: zz:zz: invalid MAC address" \
    ip netns exec "$NSA" $NOBODY "$UWAKEUP" wa0 zz:zz

cap_start "$TMPD/raw.pcap" 1 $WFILTER
ip netns exec "$NSA" $NOBODY --inh-caps=+net_raw --ambient-caps=+net_raw \
    --bounding-set=-all,+net_raw "$UWAKEUP" wa0 $T1 2>"$TMPD/raw.err"
rc=$?
if cap_wait; then
	check "errors: CAP_NET_RAW alone is enough" test $rc -eq 0 -a \
	    "$(cap_hex "$TMPD/raw.pcap")" = "$(wdry wa0 $T1)"
else
	fail "errors: CAP_NET_RAW alone is enough" \
	    "exit $rc, nothing captured: $(cat "$TMPD/raw.err")"
fi

ip netns exec "$NSA" $NOBODY --inh-caps=-all --bounding-set=-all \
    "$UWAKEUP" -n -6 -t 9 wa0 $T1 >"$TMPD/nobody.hex" 2>"$TMPD/nobody.err"
rc=$?
check "errors: dry run as nobody" test $rc -eq 0 -a ! -s "$TMPD/nobody.err" \
    -a "$(cat "$TMPD/nobody.hex")" = "$(wdry -6 -t 9 wa0 $T1)"

# A bad target anywhere: nothing is sent, not even the good ones before.
expect_fail "errors: bad target after good ones" \
    "wakeup: 00:11:22:33:44:5z: invalid MAC address" \
    wsend wa0 $T1 00:11:22:33:44:55 00:11:22:33:44:5z
silent "errors: bad target after good ones" \
    wsend wa0 $T1 00:11:22:33:44:55 00:11:22:33:44:5z
printf '%s\n%s\nnot-a-host-%s\n' $T1 00:11:22:33:44:55 $$ >"$TMPD/bad"
expect_fail "errors: bad line in a file" \
    "wakeup: $TMPD/bad:3: not-a-host-$$: not a MAC address or /etc/ethers name" \
    wsend -f "$TMPD/bad" wa0
silent "errors: bad line in a file" wsend -f "$TMPD/bad" wa0

# A failed write: frames of 144 bytes do not fit an MTU of 100.  wakeup
# says so, naming the interface, and stops at the first one.
ip -n "$NSA" link set wa0 mtu 100
wsend -v -c 3 -i 0 wa0 $T1 00:11:22:33:44:55 >/dev/null 2>"$TMPD/err"
rc=$?
msg=$(grep -v ': source ' "$TMPD/err")
case $msg in
"wakeup: wa0: write failed: "*"Message too long"*)
	check "errors: failed write" test $rc -eq 1 ;;
*)
	fail "errors: failed write" "exit $rc, stderr: $(cat "$TMPD/err")" ;;
esac
check "errors: failed write is one line, nothing reported sent" test \
    "$(echo "$msg" | wc -l)" -eq 1
silent "errors: failed write" wsend wa0 $T1
ip -n "$NSA" link set wa0 mtu 1500
# The 116-byte 0x0842 frame fits an MTU of 102, the 144-byte UDP frame
# does not: the UDP one fails, the other goes out.
ip -n "$NSA" link set wa0 mtu 102
wsend wa0 $T1 2>"$TMPD/err"
rc=$?
case $(cat "$TMPD/err") in
"wakeup: wa0: write failed: "*"Message too long"*)
	check "errors: failed write, UDP over MTU 102" test $rc -eq 1 ;;
*)
	fail "errors: failed write, UDP over MTU 102" \
	    "exit $rc, stderr: $(cat "$TMPD/err")" ;;
esac
check "errors: 0x0842 under MTU 102 still goes" wsend -e wa0 $T1
ip -n "$NSA" link set wa0 mtu 1500

# Down last: the interface is of no use after it.
ip -n "$NSA" link set wa0 down
expect_fail "errors: interface down" "wakeup: wa0: interface down" \
    wsend wa0 $T1
expect_fail "errors: interface down, dry run" "wakeup: wa0: interface down" \
    wsend -n wa0 $T1
