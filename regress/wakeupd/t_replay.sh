#!/bin/sh
# Offline tier, no root: capture files made here are replayed through
# wakeupd's kernel filter and its capture child's dissection and
# validation (wakeupd -r).  Every encapsulation is accepted, every
# malformed frame refused.

. "$TOP/regress/lib.sh"

MK=$TOP/regress/tools/mkframe.sh
MAC=52:54:00:12:34:56

# replay NAME EXPECTED FRAME-ARGS...: one frame, and what wakeupd says.
replay() {
	_name=$1 _want=$2
	shift 2
	_hex=$(sh "$MK" "$@" $MAC) || { fail "$_name" "mkframe $*"; return; }
	sh "$TOP/regress/tools/mkpcap.sh" "$TMPD/r.pcap" "$_hex" \
	    >/dev/null 2>&1 || { fail "$_name" "mkpcap"; return; }
	_got=$("$WAKEUPD" -r "$TMPD/r.pcap" 2>"$TMPD/r.err")
	_rc=$?
	if [ $_rc -ne 0 ]; then
		fail "$_name" "exit $_rc: $(cat "$TMPD/r.err")"
	elif [ "$_got" != "$_want" ]; then
		fail "$_name" "got '$_got', want '$_want'"
	else
		pass "$_name"
	fi
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
