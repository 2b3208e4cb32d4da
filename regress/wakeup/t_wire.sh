#!/bin/sh
# wakeup on the wire: frames sent out wa0 in one namespace and captured
# on wb0 in the other are byte for byte what wakeup -n prints, Wireshark
# decodes them as Wake On LAN, the receiving kernel accepts the UDP
# datagrams, and etherwake and wakeonlan put the same magic packet on
# the wire.  Needs root; frames never leave the two namespaces.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"
. "$TOP/regress/wakeup/wirelib.sh"

needroot "wire frames" "wire tshark decode" "wire kernel receive" \
    "wire etherwake" "wire wakeonlan" "wire count" "wire interval" \
    "wire several targets"

at_cleanup 'kill $CAP_PID $UDP_PID 2>/dev/null'
if ! ns_setup; then
	fail "wire setup" "ns_setup failed"
	exit 1
fi

wire_case "udp4" wa0 $T1
wire_case "udp4 directed port 7" -d 192.0.2.255 -p 7 wa0 $T1
wire_case "udp4 unicast" -u wa0 $T1
wire_case "0x0842" -e wa0 $T1
wire_case "0x0842 unicast" -e -u wa0 $T1
wire_case "ipv6" -6 wa0 $T1
wire_case "ipv6 port 40000" -6 -d ff02::1:ff12:3456 -p 40000 wa0 $T1
wire_case "vlan udp4" -t 5 wa0 $T1
wire_case "vlan 0x0842" -e -t 4094 wa0 $T1
wire_case "vlan ipv6" -6 -t 100 wa0 $T1
wire_case "password 6" -s 01:23:45:67:89:ab wa0 $T1
wire_case "password 4" -e -s 192.168.1.1 wa0 $T1
wire_case "password ipv6 vlan" -6 -t 7 -s 10.20.30.40 wa0 $T1

# The receiving kernel's UDP stack takes the datagrams: it would drop
# them for a bad checksum, length or address.  The payload is the magic
# packet, the source the address of wa0.
pay=$(wdry -s 01:23:45:67:89:ab wa0 $T1 | tail -c 217)
udp_listen 4 9 "$TMPD/r4"
wsend -s 01:23:45:67:89:ab wa0 $T1
udp_wait
check "wire kernel receive: IPv4 limited broadcast" test \
    "$(cat "$TMPD/r4" 2>/dev/null)" = "$pay $IPA"

udp_listen 4 7 "$TMPD/r4d"
wsend -d 192.0.2.255 -p 7 wa0 $T1
udp_wait
pay=$(wdry wa0 $T1 | tail -c 205)
check "wire kernel receive: IPv4 directed broadcast, port 7" test \
    "$(cat "$TMPD/r4d" 2>/dev/null)" = "$pay $IPA"

ll=$(ip -n "$NSA" -6 addr show dev wa0 scope link |
    sed -n 's/.*inet6 \(fe80[^/]*\)\/.*/\1/p' | head -1)
udp_listen 6 9 "$TMPD/r6"
wsend -6 wa0 $T1
udp_wait
check "wire kernel receive: IPv6 ff02::1 from $ll" test \
    "$(cat "$TMPD/r6" 2>/dev/null)" = "$pay $ll"

# etherwake: the same 0x0842 frame, broadcast (-b) and unicast, with and
# without a password.
peer_same() {
	_n=$1 _theirs=$2
	shift 2
	cap_start "$TMPD/peer.pcap" 1 $WFILTER
	ip netns exec "$NSA" sh -c "$_theirs" >/dev/null 2>&1
	if ! cap_wait; then
		fail "$_n" "no frame from: $_theirs"
		return
	fi
	check "$_n" test "$(cap_hex "$TMPD/peer.pcap")" = "$(wdry "$@")"
	check "$_n: tshark reads wol" test "$(wol_macs "$TMPD/peer.pcap")" = "$T1"
}
peer_same "wire etherwake -b = wakeup -e" "etherwake -i wa0 -b $T1" \
    -e wa0 $T1
peer_same "wire etherwake = wakeup -e -u" "etherwake -i wa0 $T1" \
    -e -u wa0 $T1
peer_same "wire etherwake -p = wakeup -e -s" \
    "etherwake -i wa0 -b -p 01:23:45:67:89:ab $T1" \
    -e -s 01:23:45:67:89:ab wa0 $T1
peer_same "wire etherwake -p a.b.c.d = wakeup -e -s a.b.c.d" \
    "etherwake -i wa0 -b -p 10.20.30.40 $T1" -e -s 10.20.30.40 wa0 $T1

# wakeonlan sends through a UDP socket: only the payload can agree.
cap_start "$TMPD/wol.pcap" 1 $WFILTER
ip netns exec "$NSA" wakeonlan -i 192.0.2.255 -p 9 $T1 >/dev/null 2>&1
if cap_wait; then
	check "wire wakeonlan payload = wakeup payload" test \
	    "$(cap_hex "$TMPD/wol.pcap" | tail -c 205)" = \
	    "$(wdry -d 192.0.2.255 wa0 $T1 | tail -c 205)"
	check "wire wakeonlan: tshark reads wol" test \
	    "$(wol_macs "$TMPD/wol.pcap")" = "$T1"
else
	fail "wire wakeonlan" "no frame captured"
fi

# -c: every round on the wire, in order, targets in order within it.
cap_start "$TMPD/count.pcap" 6 $WFILTER
wsend -c 3 -i 0 wa0 $T1 00:11:22:33:44:55
if cap_wait; then
	check "wire count: 3 rounds of 2 targets" test \
	    "$(wol_macs "$TMPD/count.pcap" | tr '\n' ' ')" = \
	    "$T1 00:11:22:33:44:55 $T1 00:11:22:33:44:55 $T1 00:11:22:33:44:55 "
	check "wire count: frames are wakeup -n's" test \
	    "$(cap_hex "$TMPD/count.pcap")" = \
	    "$(wdry -c 3 wa0 $T1 00:11:22:33:44:55)"
else
	fail "wire count" "fewer than 6 frames captured"
fi

# -i: rounds at least the interval apart (a lower bound only).
cap_start "$TMPD/ival.pcap" 2 $WFILTER
wsend -c 2 -i 300 wa0 $T1
if cap_wait; then
	gap=$(tsh -r "$TMPD/ival.pcap" -T fields -e frame.time_relative \
	    2>/dev/null | tail -1)
	check "wire interval: rounds $gap s apart, at least 0.3" awk \
	    "BEGIN { exit !($gap >= 0.29) }"
else
	fail "wire interval" "fewer than 2 frames captured"
fi

# Targets from a file and the command line, in that order.
printf '# lab\n00:11:22:33:44:55 a1\n\n00-11-22-33-44-66\n' >"$TMPD/lab"
cap_start "$TMPD/several.pcap" 3 $WFILTER
wsend -e -f "$TMPD/lab" wa0 $T1
if cap_wait; then
	check "wire several targets: file, then command line" test \
	    "$(wol_macs "$TMPD/several.pcap" | tr '\n' ' ')" = \
	    "00:11:22:33:44:55 00:11:22:33:44:66 $T1 "
else
	fail "wire several targets" "fewer than 3 frames captured"
fi
