#!/bin/sh
#
# Copyright (c) 2026 The wakeup authors
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
#
# System tier, as root: wakeupd on links without Ethernet.  A tun, wt0,
# made here in $NSB, with point-to-point addresses as a WireGuard
# gateway has them (192.0.2.66 and 2001:db8:66::1, the peers behind it
# in 198.51.100.0/24 and 2001:db8:77::/64); tunsend writes magic
# packets into it as the tunnel's far end would, so that the kernel
# sees them arrive on wt0.  wakeupd on wt0 wakes a real domain from an
# IPv4 packet unicast to the gateway's own address on a port nothing
# listens on, another from an IPv6 one, and refuses a malformed one; a
# packet for a host of wakeupd.conf(5) heard on wt0 is relayed out wb0,
# onto the veth segment, as wakeup(8) would send it there (a tcpdump on
# wb0 sees it).  Then wakeupd on "any" in $NSB: a packet from $NSA over
# the veth wakes a domain; one that $NSB itself sends out wb0 (a
# tcpdump on "any" sees it leave) is not heard.  The domains' NICs are
# down and they send nothing; the namespaces, and with them the tun and
# the veth, go at cleanup.  The capture sandbox on these links is
# t_sandbox.sh's (this test runs under the sanitizers too, which leave
# it off).

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"

needroot "l3: setup" "l3: tun: IPv4 to the gateway wakes" \
    "l3: tun: IPv6 wakes" "l3: tun: malformed refused" \
    "l3: tun: relayed onto the veth" "l3: tun: what the host sends not heard" \
    "l3: any: own outbound not heard" "l3: any: loopback not heard" \
    "l3: any: inbound wakes"

TS=$TOP/regress/tools/tunsend
P1=$(printf %02x $(($$ / 256 % 256)))
P2=$(printf %02x $(($$ % 256)))
MA=52:54:$P1:$P2:07:01
MB=52:54:$P1:$P2:07:02
MC=52:54:$P1:$P2:07:03
MD=52:54:$P1:$P2:07:04
MR=52:54:$P1:$P2:07:05
CONF=$TMPD/l3.conf
GW4=192.0.2.66
GW6=2001:db8:66::1
PEER4=198.51.100.7
PEER6=2001:db8:77::7

insb() {
	ip netns exec "$NSB" "$@"
}

# magic MAC: a magic packet's 102 bytes on standard output.
magic() {
	_oct=
	for _b in $(echo "$1" | tr : ' '); do
		_oct="$_oct\\$(printf %03o "0x$_b")"
	done
	printf '\377\377\377\377\377\377'
	_i=0
	while [ $_i -lt 16 ]; do
		# shellcheck disable=SC2059
		printf "$_oct"
		_i=$((_i + 1))
	done
}

tun_setup() {
	[ -c /dev/net/tun ] || return 1
	ns_setup || return 1
	ip -n "$NSB" tuntap add mode tun name wt0 || return 1
	ip -n "$NSB" addr add $GW4 peer 198.51.100.0/24 dev wt0 || return 1
	ip -n "$NSB" addr add $GW6/128 dev wt0 nodad || return 1
	ip -n "$NSB" link set wt0 up || return 1
	ip -n "$NSB" route add 2001:db8:77::/64 dev wt0
}

# tunwake NAME DOM MAC FROM PACKET: PACKET written into wt0 starts DOM.
tunwake() {
	_n=$1 _d=$2 _m=$3 _from=$4 _pkt=$5
	_dn=$(lv_name "$_d")
	_n0=$(nlines)
	insb "$TS" wt0 "$_pkt" >"$TMPD/ts.out" 2>&1 ||
	    { fail "$_n" "tunsend: $(cat "$TMPD/ts.out")"; return 1; }
	_re="wake $_dn mac $_m on wt0 from $_from: start: ok"
	if ! waitline "$_n0" "$_re"; then
		fail "$_n" "no '$_re' in the log: $(logtail)"
	elif ! lv_wait_state "$_d" running 10; then
		fail "$_n" "logged, but it is $(lv_state "$_d")"
	elif [ "$(count_lines "$_n0" " mac $_m ")" -ne 1 ]; then
		fail "$_n" "more than one log line for one packet: $(logtail)"
	else
		pass "$_n"
	fi
}

if [ ! -x "$WAKEUPD" ] || [ ! -x "$WAKEUP" ] || [ ! -x "$TS" ]; then
	fail "l3: setup" "wakeupd, wakeup or regress/tools/tunsend not built"
	exit 1
fi
tun_setup || { fail "l3: setup" "cannot make the namespaces or the tun"; exit 1; }
lv_start || { fail "l3: setup" "cannot reach or start libvirtd"; exit 1; }
if ! lv_define a "$MA" || ! lv_define b "$MB" || ! lv_define c "$MC" ||
    ! lv_define d "$MD"; then
	fail "l3: setup" "cannot define the domains"
	exit 1
fi
at_cleanup wd_stop
cat >"$CONF" <<EOC
libvirt "$LV_URI"
debounce 0
host far { mac $MR; relay on wb0 }
EOC
WD_NSIF=wt0
if ! wd_start -v -F "$CONF"; then
	fail "l3: setup" "wakeupd on wt0: no 'ready' within 15 s: $(logtail)"
	exit 1
fi
pass "l3: setup"

tunwake "l3: tun: IPv4 to the gateway wakes" a "$MA" $PEER4 \
    "$(frame -l raw -S $PEER4 -D $GW4 -p 40000 udp4 "$MA")"
tunwake "l3: tun: IPv6 wakes" b "$MB" $PEER6 \
    "$(frame -l raw -S $PEER6 -D $GW6 udp6 "$MB")"

# One copy of the target differs: the capture process says why, and
# nothing more happens.
_n0=$(nlines)
insb "$TS" wt0 "$(frame -l raw -m copydiff -S $PEER4 -D $GW4 udp4 "$MC")"
_re="wt0: dropped frame from $PEER4: target copies differ"
if ! waitline "$_n0" "$_re"; then
	fail "l3: tun: malformed refused" "no '$_re': $(logtail)"
elif [ "$(count_lines "$_n0" " mac $MC ")" -ne 0 ]; then
	fail "l3: tun: malformed refused" "acted on: $(logtail)"
elif [ "$(lv_state c)" != "shut off" ]; then
	fail "l3: tun: malformed refused" "c is $(lv_state c)"
else
	pass "l3: tun: malformed refused"
fi

# A host's packet heard on the tun goes out wb0, built anew: the frame
# that wakeup -n prints for wb0.
_n0=$(nlines)
if ! cap_start "$TMPD/relay.pcap" 1 udp; then
	fail "l3: tun: relayed onto the veth" "no capture on wb0"
else
	insb "$TS" wt0 "$(frame -l raw -S $PEER4 -D $GW4 udp4 "$MR")"
	_want=$(insb "$WAKEUP" -n wb0 "$MR")
	_re="wake host far mac $MR on wt0 from $PEER4: relay on wb0"
	if ! cap_wait; then
		fail "l3: tun: relayed onto the veth" "nothing on wb0: $(logtail)"
	elif [ "$(cap_hex "$TMPD/relay.pcap")" != "$_want" ]; then
		fail "l3: tun: relayed onto the veth" \
		    "frame $(cap_hex "$TMPD/relay.pcap"), want $_want"
	elif ! waitline "$_n0" "$_re"; then
		fail "l3: tun: relayed onto the veth" "no '$_re': $(logtail)"
	else
		pass "l3: tun: relayed onto the veth"
	fi
fi

# What the gateway itself sends into the tunnel (here a datagram to the
# far end, as forwarded LAN traffic or a local user's would be) is not
# heard: the tun is captured inbound only.  tcpdump sees it go.  A tun
# sends only while a process holds it (it has a carrier then): tunsend
# holds it, after writing a packet that the kernel filter drops.
insb tcpdump -i wt0 -n -U --immediate-mode -c 1 -Q out -w "$TMPD/tout.pcap" \
    "udp port 9" 2>"$TMPD/tout.err" &
TD=$!
at_cleanup "kill $TD 2>/dev/null"
lv_poll 100 grep -q "listening on" "$TMPD/tout.err"
insb "$TS" -h 4 wt0 "$(frame -l raw -m junk -S $PEER4 -D $GW4 udp4 "$MC")" &
TH=$!
at_cleanup "kill $TH 2>/dev/null"
carrier() {
	insb ip link show wt0 | grep -q LOWER_UP
}
lv_poll 30 carrier
_n0=$(nlines)
# From a file: nc sends what one read gives as one datagram.
magic "$MC" >"$TMPD/mc.bin"
insb nc -u -w 1 $PEER4 9 <"$TMPD/mc.bin" >/dev/null 2>&1
if ! lv_poll 50 lv_gone $TD; then
	fail "l3: tun: what the host sends not heard" "tcpdump did not see it go"
elif waitline "$_n0" " mac $MC |dropped frame" 2; then
	fail "l3: tun: what the host sends not heard" "heard: $(logtail)"
else
	pass "l3: tun: what the host sends not heard"
fi
kill $TD $TH 2>/dev/null
wait $TD $TH 2>/dev/null
wd_stop

# "any": inbound only.  A tcpdump on "any" sees $NSB's own packet go
# out wb0; wakeupd, on the same device, must not hear it.
WD_NSIF=any
if ! wd_start -v -w 0 -c $LV_URI; then
	fail "l3: any: own outbound not heard" "wakeupd on any: $(logtail)"
	exit 1
fi
insb tcpdump -i any -n -U --immediate-mode -c 1 -Q out -w "$TMPD/out.pcap" \
    "udp and udp[8:4] = 0xffffffff" 2>"$TMPD/out.err" &
TD=$!
at_cleanup kill $TD
lv_poll 100 grep -q "listening on" "$TMPD/out.err"
_n0=$(nlines)
insb "$WAKEUP" wb0 "$MD" >"$TMPD/send.out" 2>&1
if ! lv_poll 50 lv_gone $TD; then
	fail "l3: any: own outbound not heard" "tcpdump did not see it leave"
elif waitline "$_n0" " mac $MD |dropped frame" 2; then
	# Not even dissected (and refused as sent by this host): libpcap
	# leaves it out.
	fail "l3: any: own outbound not heard" "heard: $(logtail)"
elif [ "$(lv_state d)" != "shut off" ]; then
	fail "l3: any: own outbound not heard" "d is $(lv_state d)"
else
	pass "l3: any: own outbound not heard"
fi
wait $TD 2>/dev/null

# On lo, what arrives was sent on this host, by any local user: a
# datagram to 127.0.0.1 is refused as such.
_n0=$(nlines)
magic "$MD" >"$TMPD/md.bin"
insb nc -u -w 1 127.0.0.1 9 <"$TMPD/md.bin" >/dev/null 2>&1
if ! waitline "$_n0" "dropped frame from .*: on the loopback interface" 5
then
	fail "l3: any: loopback not heard" "no refusal: $(logtail)"
elif [ "$(count_lines "$_n0" " mac $MD ")" -ne 0 ]; then
	fail "l3: any: loopback not heard" "acted on: $(logtail)"
else
	pass "l3: any: loopback not heard"
fi

_n0=$(nlines)
insa "$WAKEUP" wa0 "$MD" >"$TMPD/send.out" 2>&1
_re="wake $(lv_name d) mac $MD on any from $IPA: start: ok"
if ! waitline "$_n0" "$_re"; then
	fail "l3: any: inbound wakes" "no '$_re': $(logtail)"
elif ! lv_wait_state d running 10; then
	fail "l3: any: inbound wakes" "logged, but it is $(lv_state d)"
else
	pass "l3: any: inbound wakes"
fi
wd_stop
