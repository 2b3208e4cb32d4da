#!/bin/sh
# Bad input to wakeup, table-driven: each bad option, target, file or
# interface gives its one line on stderr and exit 1, and nothing at all
# goes on the wire.  Unlike t_args.sh, the runs here are real sends
# (no -n), as root in a namespace, out a veth that is up and Ethernet,
# while tcpdump captures on its peer; a good send at the end shows that
# the capture sees what is sent.  Needs root; without it every line is
# skipped.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"
. "$TOP/regress/badargs.sh"

PWERR="invalid password, want aa:bb:cc:dd:ee:ff or a.b.c.d"
EXCL="wakeup: -e cannot be used with -6, -d or -p"
F=$TMPD/targets

# who|name|arguments|expected stderr (see regress/badargs.sh)
cat >"$TMPD/table" <<EOF
ns|no arguments||usage
ns|interface, no target|wa0|usage
ns|only options|-c 2 -p 7|usage
ns|unknown option|-x wa0 @|usage~wakeup: unknown option -- x
ns|option without its argument|wa0 @ -c|usage~wakeup: option requires an argument -- c
ns|MAC: not hex|wa0 zz:zz:zz:zz:zz:zz|wakeup: zz:zz:zz:zz:zz:zz: invalid MAC address
ns|MAC: five groups|wa0 00:11:22:33:44|wakeup: 00:11:22:33:44: invalid MAC address
ns|MAC: seven groups|wa0 00:11:22:33:44:55:66|wakeup: 00:11:22:33:44:55:66: invalid MAC address
ns|MAC: three digits a group|wa0 001:22:33:44:55:66|wakeup: 001:22:33:44:55:66: invalid MAC address
ns|MAC: mixed separators|wa0 00:11-22:33:44:55|wakeup: 00:11-22:33:44:55: invalid MAC address
ns|MAC: 13 hex digits|wa0 0011223344556|wakeup: 0011223344556: invalid MAC address
ns|MAC: dotted, two groups|wa0 0011.2233|wakeup: 0011.2233: invalid MAC address
ns|MAC: empty|wa0 ''|wakeup: : invalid MAC address
ns|MAC: trailing blank|wa0 '00:11:22:33:44:55 '|wakeup: 00:11:22:33:44:55 : invalid MAC address
ns|MAC: broadcast|wa0 ff:ff:ff:ff:ff:ff|wakeup: ff:ff:ff:ff:ff:ff: broadcast address
ns|MAC: IPv4 multicast|wa0 01:00:5e:00:00:fb|wakeup: 01:00:5e:00:00:fb: multicast address
ns|MAC: IPv6 multicast|wa0 3333.0000.0001|wakeup: 3333.0000.0001: multicast address
ns|MAC: all zero|wa0 00-00-00-00-00-00|wakeup: 00-00-00-00-00-00: all-zero address
ns|MAC: unknown ethers name|wa0 wut-nosuch-$$|wakeup: wut-nosuch-$$: not a MAC address or /etc/ethers name
ns|bad one after good ones|wa0 @ 02:00:00:00:00:01 02:00:00:00:00:0g|wakeup: 02:00:00:00:00:0g: invalid MAC address
ns|password: a word|-s secret wa0 @|wakeup: secret: $PWERR
ns|password: five bytes|-s 01:02:03:04:05 wa0 @|wakeup: 01:02:03:04:05: $PWERR
ns|password: 1.2.3.256|-s 1.2.3.256 wa0 @|wakeup: 1.2.3.256: $PWERR
ns|password: three parts|-s 1.2.3 wa0 @|wakeup: 1.2.3: $PWERR
ns|port 0|-p 0 wa0 @|wakeup: port 0: too small
ns|port 65536|-p 65536 wa0 @|wakeup: port 65536: too large
ns|port abc|-p abc wa0 @|wakeup: port abc: invalid
ns|port -9|-p -9 wa0 @|wakeup: port -9: too small
ns|VLAN 0|-t 0 wa0 @|wakeup: VLAN id 0: too small
ns|VLAN 4095|-t 4095 wa0 @|wakeup: VLAN id 4095: too large
ns|VLAN 0x10|-t 0x10 wa0 @|wakeup: VLAN id 0x10: invalid
ns|count 0|-c 0 wa0 @|wakeup: count 0: too small
ns|count 1001|-c 1001 wa0 @|wakeup: count 1001: too large
ns|count huge|-c 99999999999999999999 wa0 @|wakeup: count 99999999999999999999: too large
ns|interval -1|-i -1 wa0 @|wakeup: interval -1: too small
ns|interval 60001|-i 60001 wa0 @|wakeup: interval 60001: too large
ns|interval 1.5|-i 1.5 wa0 @|wakeup: interval 1.5: invalid
ns|-d: not an address|-d 192.0.2.300 wa0 @|wakeup: 192.0.2.300: invalid IPv4 address
ns|-d: three parts|-d 192.0.2 wa0 @|wakeup: 192.0.2: invalid IPv4 address
ns|-d: IPv6 without -6|-d ff02::1 wa0 @|wakeup: ff02::1: invalid IPv4 address
ns|-6 with an IPv4 -d|-6 -d 192.0.2.255 wa0 @|wakeup: 192.0.2.255: invalid IPv6 address
ns|-6 -d with a scope|-6 -d fe80::1%wa0 wa0 @|wakeup: fe80::1%wa0: invalid IPv6 address
ns|-e with -6|-e -6 wa0 @|$EXCL
ns|-e with -d|-e -d 192.0.2.255 wa0 @|$EXCL
ns|-e with -p|-e -p 9 wa0 @|$EXCL
ns|unknown interface|wut-nosuch0 @|wakeup: wut-nosuch0: no such interface
ns|interface name too long|wut-nosuch0123456789 @|wakeup: wut-nosuch0123456789: no such interface
ns|interface down|wc0 @|wakeup: wc0: interface down
ns|no Ethernet address (lo)|lo @|wakeup: lo: no Ethernet address
ns|-f: no such file|-f $TMPD/nosuch wa0 @|wakeup: $TMPD/nosuch: No such file or directory
ns|-f: a directory|-f $TMPD wa0|wakeup: $TMPD: Is a directory
ns|-f: bad line after good ones|-f $F.bad wa0|wakeup: $F.bad:4: zz:zz: invalid MAC address
ns|-f: broadcast line|-f $F.bcast wa0 @|wakeup: $F.bcast:2: ff:ff:ff:ff:ff:ff: broadcast address
ns|-f: only comments|-f $F.empty wa0|wakeup: $F.empty: no targets
ns|-f: empty stdin|-f - wa0|wakeup: stdin: no targets
ns|-f good, command line bad|-f $F.good wa0 00:11:22:33:44:5z|wakeup: 00:11:22:33:44:5z: invalid MAC address
nobody|no privilege|wa0 @|wakeup: wa0: root or CAP_NET_RAW needed
nobody|no privilege, bad target first|wa0 @ zz:zz|wakeup: zz:zz: invalid MAC address
EOF

# The good targets in the files have MACs of their own too.
printf '# hosts\n02:00:00:00:02:01 a\n\n02:00:00:00:02:02\n' >"$F.good"
printf '# hosts\n02:00:00:00:02:03 a\n02:00:00:00:02:04\n  zz:zz  # typo\n' \
    >"$F.bad"
printf '02:00:00:00:02:05\nff:ff:ff:ff:ff:ff\n' >"$F.bcast"
printf '# nothing here\n\n   \n\t# nor here\n' >"$F.empty"

if [ "$(id -u)" -ne 0 ]; then
	badargs "$WAKEUP" "$TMPD/table"
	skip "wakeup: nothing on the wire" "needs root"
	exit 0
fi

at_cleanup 'kill $CAP_PID 2>/dev/null'
if ! ns_setup; then
	fail "wakeup: badargs setup" "ns_setup failed"
	exit 1
fi
BA_NS=$NSA
# An interface that exists, is Ethernet and is down.
ip link add wc0 netns "$NSA" type veth peer name wd0 netns "$NSA" ||
    { fail "wakeup: badargs setup" "veth wc0"; exit 1; }

ba_usage "$WAKEUP" "$TOP/wakeup/wakeup.8"
# Every frame anything sends out wa0 arrives on wb0.
if ! cap_start "$TMPD/wire.pcap" 1000 ether proto 0x0842 or udp or vlan; then
	fail "wakeup: badargs setup" "tcpdump: $(cat "$TMPD/wire.pcap.err")"
	exit 1
fi
badargs "$WAKEUP" "$TMPD/table"
check "wakeup: at least 30 cases" test "$BA_COUNT" -ge 30

# The control: a good send is seen, and it is the only frame.
GOOD=02:00:00:00:03:01
ip netns exec "$NSA" "$WAKEUP" wa0 $GOOD >/dev/null 2>"$TMPD/good.err"
check "wakeup: the control frame is sent" test $? -eq 0
cap_stop
cap_hex "$TMPD/wire.pcap" >"$TMPD/wire.hex"
# The target of each frame: the six bytes after the first sync stream
# past the Ethernet addresses.
awk '{ s = substr($0, 25); i = index(s, "ffffffffffff")
       if (i == 0) { print "?"; next }
       m = substr(s, i + 12, 12); o = ""
       for (j = 1; j <= 12; j += 2) o = o (j > 1 ? ":" : "") substr(m, j, 2)
       print o }' "$TMPD/wire.hex" >"$TMPD/wire.macs"
if [ "$(cat "$TMPD/wire.macs")" = "$GOOD" ]; then
	pass "wakeup: nothing on the wire but the control frame"
else
	sent=
	for m in $(grep -v "^$GOOD\$" "$TMPD/wire.macs" | sort -u); do
		who=$(grep "^$m " "$BA_MACS" | cut -d' ' -f2-)
		sent="$sent [${who:-$m}]"
	done
	fail "wakeup: nothing on the wire but the control frame" \
	    "$(wc -l <"$TMPD/wire.macs" | tr -d ' ') frames; sent by:$sent"
fi
