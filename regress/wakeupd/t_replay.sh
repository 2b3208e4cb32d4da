#!/bin/sh
# Offline tier, no root: capture files made here are replayed through
# wakeupd's kernel filter and its capture child's dissection and
# validation (wakeupd -r).  Every encapsulation is accepted, every
# malformed frame refused, on Ethernet and on the links without it:
# raw IP (a tun, WireGuard), BSD's null and loop, Linux cooked ("any").

. "$TOP/regress/lib.sh"

MK=$TOP/regress/tools/mkframe.sh
MAC=52:54:00:12:34:56
# The capture file's link type (LINKTYPE_*): Ethernet unless set.
LT=1

# replay NAME EXPECTED FRAME-ARGS...: one frame, and what wakeupd says.
replay() {
	_name=$1 _want=$2
	shift 2
	_hex=$(sh "$MK" "$@" $MAC) || { fail "$_name" "mkframe $*"; return; }
	sh "$TOP/regress/tools/mkpcap.sh" -l $LT "$TMPD/r.pcap" "$_hex" \
	    >/dev/null 2>&1 || { fail "$_name" "mkpcap"; return; }
	_got=$("$WAKEUPD" -v -r "$TMPD/r.pcap" 2>"$TMPD/r.err")
	_rc=$?
	if [ $_rc -ne 0 ]; then
		fail "$_name" "exit $_rc: $(cat "$TMPD/r.err")"
	elif [ "$_got" != "$_want" ]; then
		fail "$_name" "got '$_got', want '$_want'"
	else
		pass "$_name"
	fi
}

# refused NAME WHY FRAME-ARGS...: nothing woken, and -v says why: the
# filter dropped it (WHY "filter") or the dissection said WHY.
refused() {
	_name=$1 _why=$2
	shift 2
	replay "$_name" "" "$@"
	if [ "$_why" = filter ]; then
		_re="frame 1: not a candidate, dropped by the filter"
	else
		_re=": dropped frame from [^ ]*: $_why\$"
	fi
	grep -q -- "$_re" "$TMPD/r.err" ||
	    fail "$_name: why" "want '$_why', got '$(cat "$TMPD/r.err")'"
}

W="frame 1: wake $MAC"
replay "replay: 0x0842" "$W from 02:00:5e:10:00:0a" ether
replay "replay: 0x0842 unicast to the target" "$W from 02:00:5e:10:00:0a" \
    -d $MAC ether
replay "replay: udp4 port 9" "$W from 192.0.2.1" udp4
replay "replay: udp4 port 7" "$W from 192.0.2.1" -p 7 udp4
replay "replay: udp4 port 40000" "$W from 192.0.2.1" -p 40000 udp4
replay "replay: udp4 directed broadcast" "$W from 192.0.2.1" \
    -D 192.0.2.255 udp4
replay "replay: udp4 with IP options" "$W from 192.0.2.1" -o udp4
replay "replay: udp6" "$W from fe80::a" udp6
replay "replay: udp6 hop-by-hop" "$W from fe80::a" udp6hbh
replay "replay: udp6 port 47998" "$W from fe80::a" -p 47998 udp6
replay "replay: vlan 0x0842" "$W from 02:00:5e:10:00:0a" -v 7 ether
replay "replay: vlan udp4" "$W from 192.0.2.1" -v 7 udp4
replay "replay: vlan udp6" "$W from fe80::a" -v 4094 udp6
replay "replay: 4-byte password" "$W from 192.0.2.1 with 4-byte password" \
    -w c0a80001 udp4
replay "replay: 6-byte password" \
    "$W from 02:00:5e:10:00:0a with 6-byte password" -w 01:02:03:04:05:06 ether
replay "replay: vlan udp6 6-byte password" \
    "$W from fe80::a with 6-byte password" -v 9 -w 010203040506 udp6

for m in copies15 copydiff nosync trunc cut junk; do
	for k in ether udp4 udp6; do
		replay "replay: $m $k refused" "" -m $m $k
	done
done
MAC=ff:ff:ff:ff:ff:ff
replay "replay: all-0xff target refused" "" udp4
replay "replay: all-0xff 0x0842 refused" "" ether
MAC=01:00:5e:00:00:01
replay "replay: multicast target refused" "" udp4
MAC=00:00:00:00:00:00
replay "replay: all-zero target refused" "" ether

# Links without Ethernet: UDP only, from the IP header on.
MAC=52:54:00:12:34:56
W="frame 1: wake $MAC"
LT=101
replay "replay: raw udp4" "$W from 192.0.2.1" -l raw udp4
replay "replay: raw udp6" "$W from fe80::a" -l raw udp6
replay "replay: raw udp6 hop-by-hop" "$W from fe80::a" -l raw udp6hbh
replay "replay: raw udp4 with IP options" "$W from 192.0.2.1" -l raw -o udp4
# Unicast to the gateway's own address, on a port nothing listens on.
replay "replay: raw udp4 to the gateway, port 40000" "$W from 198.51.100.7" \
    -l raw -S 198.51.100.7 -D 192.0.2.2 -p 40000 udp4
replay "replay: raw udp6 to the gateway, port 1" "$W from 2001:db8::7" \
    -l raw -S 2001:db8::7 -D 2001:db8::1 -p 1 udp6
replay "replay: raw udp4 6-byte password" \
    "$W from 192.0.2.1 with 6-byte password" -l raw -w 010203040506 udp4
for m in copies15 copydiff nosync trunc cut junk; do
	for k in udp4 udp6; do
		replay "replay: raw $m $k refused" "" -l raw -m $m $k
	done
done
LT=228
replay "replay: ipv4 udp4" "$W from 192.0.2.1" -l raw udp4
refused "replay: ipv4 link, udp6 refused" filter -l raw udp6
LT=229
replay "replay: ipv6 udp6" "$W from fe80::a" -l raw udp6
refused "replay: ipv6 link, udp4 refused" filter -l raw udp4

LT=0
replay "replay: null udp4" "$W from 192.0.2.1" -l null udp4
for af in 10 24 28 30; do
	replay "replay: null udp6 family $af" "$W from fe80::a" \
	    -l null -A $af udp6
done
# Written on a big-endian machine: the other order, as tcpdump reads it.
replay "replay: null udp4, big-endian family" "$W from 192.0.2.1" \
    -l loop udp4
refused "replay: null family 23 refused" "address family not IPv4 or IPv6" \
    -l null -A 23 udp6
refused "replay: null family 24, IPv4 inside refused" "IPv6 version not 6" \
    -l null -A 24 udp4
refused "replay: null family 2, IPv6 inside refused" "IPv4 version not 4" \
    -l null -A 2 udp6
refused "replay: null truncated refused" "bad or truncated IPv4 total length" \
    -l null -m cut udp4
LT=108
replay "replay: loop udp4" "$W from 192.0.2.1" -l loop udp4
replay "replay: loop udp6 family 30" "$W from fe80::a" -l loop -A 30 udp6
refused "replay: loop family 7 refused" "address family not IPv4 or IPv6" \
    -l loop -A 7 udp4

LT=113
replay "replay: sll udp4" "$W from 192.0.2.1" -l sll udp4
replay "replay: sll udp6" "$W from fe80::a" -l sll udp6
replay "replay: sll udp4 4-byte password" \
    "$W from 192.0.2.1 with 4-byte password" -l sll -w c0a80001 udp4
refused "replay: sll 0x0842 refused" filter -l sll ether
refused "replay: sll sent by the host refused" "sent by this host" \
    -l sll -O udp4
refused "replay: sll copydiff refused" "target copies differ" \
    -l sll -m copydiff udp6
LT=276
replay "replay: sll2 udp4" "$W from 192.0.2.1" -l sll2 udp4
replay "replay: sll2 udp6 hop-by-hop" "$W from fe80::a" -l sll2 udp6hbh
refused "replay: sll2 0x0842 refused" filter -l sll2 ether
refused "replay: sll2 sent by the host refused" "sent by this host" \
    -l sll2 -O udp6
refused "replay: sll2 truncated refused" "payload too short" \
    -l sll2 -m trunc udp4
