#!/bin/sh
# The test tools themselves, checked against Wireshark rather than
# against common/: every frame mkframe.sh builds as good decodes as a
# magic packet for the right target with right checksums, every one it
# builds broken does not, and bad arguments are refused.  As root,
# sendframe puts exactly the given bytes on a veth in a namespace.

. "$TOP/regress/lib.sh"

MK=$TOP/regress/tools/mkframe.sh
MP=$TOP/regress/tools/mkpcap.sh
SF=$TOP/regress/tools/sendframe
MAC=52:54:00:12:34:56

if ! command -v tshark >/dev/null 2>&1; then
	fail "tools: setup" "tshark not found (make deps)"
	exit 1
fi

# Echo would take port 7 before the WoL heuristic sees it.
decode() {
	tshark -r "$1" --disable-protocol echo -o ip.check_checksum:TRUE \
	    -o udp.check_checksum:TRUE -T fields -E occurrence=f \
	    -E separator='|' -e wol.mac -e ip.checksum.status \
	    -e udp.checksum.status -e vlan.id -e wol.passwd 2>/dev/null
}

# good MKFRAME-ARGS: queue a frame and the fields tshark must find in
# it: mac|ipsum|udpsum|vlan|password-present, 1 meaning a good checksum.
GOOD=0
good() {
	GOOD=$((GOOD + 1))
	eval "_kind=\${$#}"
	_vlan= _pw=
	OPTIND=1
	while getopts D:d:m:oP:p:S:s:v:w: _o; do
		case $_o in
		v)	_vlan=$OPTARG ;;
		w)	_pw=pw ;;
		esac
	done
	OPTIND=1
	case $_kind in
	ether)	_want="$MAC|||$_vlan|$_pw" ;;
	udp4)	_want="$MAC|1|1|$_vlan|$_pw" ;;
	*)	_want="$MAC||1|$_vlan|$_pw" ;;
	esac
	echo "$*" >>"$TMPD/good.args"
	echo "$_want" >>"$TMPD/good.want"
	sh "$MK" "$@" $MAC >>"$TMPD/good.hex" ||
	    echo "mkframe failed" >>"$TMPD/good.hex"
}

good ether
good -v 7 ether
good -d $MAC ether
good -w 01:02:03:04:05:06 ether
good udp4
good -p 7 udp4
good -p 40000 -P 1 udp4
good -o udp4
good -v 4094 udp4
good -w c0a80001 udp4
good -S 192.0.2.1 -D 192.0.2.2 -d 02:00:5e:10:00:0b udp4
good udp6
good udp6hbh
good -v 9 -w 010203040506 udp6hbh
good -S 2001:db8::1 -D 2001:db8:0:0:1::2 -p 47998 udp6

# One capture file, one tshark: the frames in order, one line each.
# shellcheck disable=SC2046
if sh "$MP" "$TMPD/g.pcap" $(cat "$TMPD/good.hex"); then
	decode "$TMPD/g.pcap" | sed 's/|[^|]\{1,\}$/|pw/' >"$TMPD/good.got"
else
	: >"$TMPD/good.got"
fi
_i=1
while [ $_i -le $GOOD ]; do
	_a=$(sed -n ${_i}p "$TMPD/good.args")
	_w=$(sed -n ${_i}p "$TMPD/good.want")
	_g=$(sed -n ${_i}p "$TMPD/good.got")
	if [ "$_g" = "$_w" ]; then
		pass "tools: mkframe $_a"
	else
		fail "tools: mkframe $_a" "tshark: '$_g', want '$_w'"
	fi
	_i=$((_i + 1))
done

# Broken on purpose: nothing in the capture may decode as WoL.
_hs=
for _m in copies15 copydiff nosync trunc cut junk; do
	for _k in ether udp4 udp6 udp6hbh; do
		_hs="$_hs $(sh "$MK" -m $_m $_k $MAC)"
	done
done
# shellcheck disable=SC2086
if sh "$MP" "$TMPD/b.pcap" $_hs; then
	_n=$(tshark -r "$TMPD/b.pcap" 2>/dev/null | wc -l)
	_w=$(tshark -r "$TMPD/b.pcap" --disable-protocol echo -Y wol \
	    2>/dev/null | wc -l)
	if [ "$_n" -eq 24 ] && [ "$_w" -eq 0 ]; then
		pass "tools: mkframe -m: none decodes as WoL"
	else
		fail "tools: mkframe -m: none decodes as WoL" \
		    "$_w of $_n frames do"
	fi
else
	fail "tools: mkframe -m: none decodes as WoL" "mkpcap failed"
fi

refused() {
	if sh "$MK" "$@" >/dev/null 2>&1; then
		fail "tools: mkframe refuses $*" "exit 0"
	else
		pass "tools: mkframe refuses $*"
	fi
}
refused udp4
refused udp5 $MAC
refused udp4 52:54:00:12:34
refused -w 0102030405 udp4 $MAC
refused -w 01020304050g udp4 $MAC
refused -v 4095 udp4 $MAC
refused -p 65536 udp4 $MAC
refused -S 192.0.2.256 udp4 $MAC
refused -S 2001:db8::1::2 udp6 $MAC
refused -m nosuch udp4 $MAC
check "tools: mkpcap refuses non-hex" eval '! sh "$MP" "$TMPD/x.pcap" 0xzz'

# -------------------------------------------------------------------
# sendframe, on the wire.

needroot "tools: sendframe bytes" "tools: sendframe count" \
    "tools: sendframe refuses"

if [ ! -x "$SF" ]; then
	fail "tools: sendframe bytes" "regress/tools/sendframe not built"
	exit 1
fi
if ! ns_setup; then
	fail "tools: sendframe bytes" "cannot create the namespaces"
	exit 1
fi

# Frames of 60 bytes and more: a veth pads nothing, but keep to what
# any Ethernet would carry unchanged.
H1=$(sh "$MK" -v 7 udp6hbh $MAC)
H2=$(sh "$MK" -w 010203040506 ether $MAC)
H3=ffffffffffff02005e10000a88b5$(printf '%092d' 0)
if cap_start "$TMPD/c.pcap" 5 "ether proto 0x0842 or ether proto 0x88b5 or vlan"; then
	ip netns exec "$NSA" "$SF" wa0 "$H1" &&
	    ip netns exec "$NSA" "$SF" wa0 "$H2" &&
	    ip netns exec "$NSA" "$SF" -c 3 wa0 "$(echo "$H3" | fold -w 8)"
	cap_wait
	cap_hex "$TMPD/c.pcap" >"$TMPD/got"
	printf '%s\n' "$H1" "$H2" "$H3" "$H3" "$H3" >"$TMPD/want"
	if cmp -s "$TMPD/got" "$TMPD/want"; then
		pass "tools: sendframe bytes"
	else
		fail "tools: sendframe bytes" "$(diff "$TMPD/want" "$TMPD/got" |
		    head -c 300 | tr '\n' ' ')"
	fi
else
	fail "tools: sendframe bytes" "tcpdump did not start"
fi

# -c: exactly count frames.
if cap_start "$TMPD/n.pcap" 100 ether proto 0x88b5; then
	ip netns exec "$NSA" "$SF" -c 37 wa0 "$H3"
	cap_stop
	_n=$(cap_hex "$TMPD/n.pcap" | wc -l)
	if [ "$_n" -eq 37 ]; then
		pass "tools: sendframe count"
	else
		fail "tools: sendframe count" "$_n frames for -c 37"
	fi
else
	fail "tools: sendframe count" "tcpdump did not start"
fi

_bad=
for _a in "wa0 0102" "wa0 zz$H3" "wa0 ${H3}0" "-c 0 wa0 $H3" \
    "-c 100001 wa0 $H3" "nosuch0 $H3" "wa0"; do
	# shellcheck disable=SC2086
	ip netns exec "$NSA" "$SF" $_a >/dev/null 2>&1 &&
	    _bad="$_bad [$(echo "$_a" | cut -c 1-20)]"
done
_long=$(printf '%03040d' 0)
ip netns exec "$NSA" "$SF" wa0 "$_long" >/dev/null 2>&1 &&
    _bad="$_bad [1520 bytes]"
if [ -z "$_bad" ]; then
	pass "tools: sendframe refuses"
else
	fail "tools: sendframe refuses" "accepted:$_bad"
fi
