#!/bin/sh
# The relay action of wakeupd.conf(5), across three namespaces: senders
# in $NSA on segment A (wa0), wakeupd in $NSB with a leg on A (wb0) and
# one on segment C (wc0), and a capture in $NSC on C (wd0).
#
# Each relayed frame is checked byte for byte against the frame wakeup(8)
# builds for the same options out wc0 (wakeup's own frames are checked
# against independent ones in regress/wakeup/t_golden.sh), its magic
# packet against regress/tools/mkframe.sh's, and its fields by tshark's
# WOL dissector: untagged UDP, a VLAN tag, EtherType 0x0842, a directed
# broadcast and port, IPv6; the password that arrived carried through,
# or the host's own put in.  The host's policy refuses senders outside
# its from list and wrong passwords, and nothing reaches C.  With both
# legs listened, a relay heard again is not relayed again, and a frame
# from a relay interface's address is never relayed; a burst over the
# global budget is cut at it, and the budget comes back at its rate.

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"

CASES="plain tagged ethertype directed ipv6 carried own"
needroot "relay: setup" "relay: -n lists the hosts" \
    "relay: no such relay interface" $(for c in $CASES; do echo "relay: $c"; done) \
    "relay: from list refuses" "relay: wrong password refused" \
    "relay: a frame from our relay interface is not relayed" \
    "relay: a loop relays once" "relay: the global budget" \
    "relay: the budget refills"

CONF=$TMPD/relay.conf
FILTER="udp or ether proto 0x0842 or vlan"

# capc FILE COUNT: capture on segment C, wd0 in $NSC.
capc() {
	CAP_NS=$NSC CAP_IF=wd0
	cap_start "$1" "$2" $FILTER
	_rc=$?
	CAP_NS= CAP_IF=
	return $_rc
}
at_cleanup 'kill $CAP_PID 2>/dev/null'

# The link-local address wc0 must have before the IPv6 relay can run.
has_ll() {
	ip -n "$NSB" -6 addr show dev wc0 scope link | grep -q inet6
}

T_PLAIN=02:00:5e:10:01:01
T_TAGGED=02:00:5e:10:01:02
T_ETHER=02:00:5e:10:01:03
T_DIRECTED=02:00:5e:10:01:04
T_IPV6=02:00:5e:10:01:05
T_CARRIED=02:00:5e:10:01:06
T_OWN=02:00:5e:10:01:07
T_DENIED=02:00:5e:10:01:08

ns_setup || { fail "relay: setup" "namespaces"; exit 1; }
ns_setup_c || { fail "relay: setup" "segment C"; exit 1; }
lv_poll 50 has_ll || { fail "relay: setup" "no link-local address on wc0"; exit 1; }
umask 077
cat >"$CONF" <<CONFEOF
listen on wb0
debounce 0
host plain { mac $T_PLAIN; relay on wc0 }
host tagged { mac $T_TAGGED; relay on wc0 vlan 20 }
host ethertype { mac $T_ETHER; relay on wc0 ether }
host directed { mac $T_DIRECTED; relay on wc0 to 198.51.100.255 port 7 }
host ipv6 { mac $T_IPV6; relay on wc0 to ff02::1 }
host carried {
	mac $T_CARRIED
	password 0a:0b:0c:0d:0e:0f
	from 192.0.2.0/30
	relay on wc0
}
host own { mac $T_OWN; relay on wc0 password 1.2.3.4 }
host denied { mac $T_DENIED; from 203.0.113.0/24; relay on wc0 }
CONFEOF
# -n: the hosts as the decision will see them; a relay interface that
# is not there is one line and exit 1.
ip netns exec "$NSB" "$WAKEUPD" -n -u nobody -C "$WAKEUPD_CAPTURE" \
    -F "$CONF" >"$TMPD/n.out" 2>&1
rc=$?
check "relay: -n lists the hosts" test $rc -eq 0 -a \
    "$(grep -F "carried: $T_CARRIED" "$TMPD/n.out")" = \
    "	carried: $T_CARRIED: relay on wc0, with its 6-byte password, from 192.0.2.0/30"
sed 's/relay on wc0 ether/relay on wz0 ether/' "$CONF" >"$TMPD/bad.conf"
ip netns exec "$NSB" "$WAKEUPD" -n -u nobody -C "$WAKEUPD_CAPTURE" \
    -F "$TMPD/bad.conf" >/dev/null 2>"$TMPD/n.err"
rc=$?
check "relay: no such relay interface" test $rc -eq 1 -a \
    "$(cat "$TMPD/n.err")" = \
    "wakeupd: $TMPD/bad.conf: host ethertype: relay on wz0: no such interface"

if ! wd_start -v -F "$CONF"; then
	fail "relay: setup" "wakeupd not ready: $(logtail)"
	exit 1
fi
at_cleanup wd_stop
pass "relay: setup"

# relay NAME TARGET "SENDER OPTIONS" "WAKEUP OPTIONS" "MKFRAME ARGS" PW:
# send from A, capture the relay on C, compare.
relay() {
	_n=$1 _t=$2 _snd=$3 _wk=$4 _mk=$5 _pw=$6
	_l=$(nlines)
	capc "$TMPD/$_n.pcap" 1 || { fail "relay: $_n" "no capture"; return; }
	# shellcheck disable=SC2086
	insa "$WAKEUP" $_snd wa0 "$_t"
	if ! cap_wait; then
		fail "relay: $_n" "nothing on C: $(logtail)"
		return
	fi
	_got=$(cap_hex "$TMPD/$_n.pcap")
	# shellcheck disable=SC2086
	_want=$(ip netns exec "$NSB" "$WAKEUP" -n $_wk wc0 "$_t")
	# shellcheck disable=SC2086
	_magic=$(frame $_mk "$_t")
	# The magic packet's length in hex digits: 102 bytes and the password
	# (tshark's form: 4 bytes dotted, 6 with colons).
	case $_pw in
	"")	_plen=204 ;;
	*.*)	_plen=212 ;;
	*)	_plen=216 ;;
	esac
	_dis=$(tsh -r "$TMPD/$_n.pcap" --disable-protocol echo -E occurrence=f -T fields -e eth.src \
	    -e wol.mac 2>/dev/null | tr '\t' ' ')
	_dpw=$(tsh -r "$TMPD/$_n.pcap" --disable-protocol echo -V 2>/dev/null |
	    awk '/^ *Password: / { print $2; exit }')
	# Checksums as tshark computes them: 1 is good (none for 0x0842).
	_sum=$(tsh -r "$TMPD/$_n.pcap" --disable-protocol echo \
	    -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
	    -T fields -e ip.checksum.status -e udp.checksum.status \
	    2>/dev/null | tr -d '\t1')
	if [ "$_got" != "$_want" ]; then
		fail "relay: $_n" "frame $_got, want $_want"
	elif [ "$(echo "$_got" | tail -c $((_plen + 1)))" != \
	    "$(echo "$_magic" | tail -c $((_plen + 1)))" ]; then
		fail "relay: $_n" "magic packet differs from mkframe.sh's"
	elif [ "$_dis" != "$MACC $_t" ]; then
		fail "relay: $_n" "tshark: '$_dis', want '$MACC $_t'"
	elif [ -n "$_sum" ]; then
		fail "relay: $_n" "tshark: a checksum is not good: $_sum"
	elif [ -n "$_pw" ] && [ "$_dpw" != "$_pw" ]; then
		fail "relay: $_n" "tshark: password '$_dpw', want $_pw"
	elif ! waitline "$_l" "wake host $_n mac $_t on wb0 from .*: relay on wc0"; then
		fail "relay: $_n" "no log line: $(logtail)"
	else
		pass "relay: $_n"
	fi
}

relay plain $T_PLAIN "" "" "udp4" ""
relay tagged $T_TAGGED "" "-t 20" "udp4" ""
relay ethertype $T_ETHER "" "-e" "ether" ""
relay directed $T_DIRECTED "" "-d 198.51.100.255 -p 7" "udp4" ""
relay ipv6 $T_IPV6 "" "-6" "udp6" ""
relay carried $T_CARRIED "-s 0a:0b:0c:0d:0e:0f" "-s 0a:0b:0c:0d:0e:0f" \
    "-w 0a0b0c0d0e0f udp4" "0a:0b:0c:0d:0e:0f"
relay own $T_OWN "" "-s 1.2.3.4" "-w 01020304 udp4" "1.2.3.4"

# nothing_relayed NAME TARGET SENDER-OPTIONS REGEX: refused, with REGEX
# in the log, and nothing on C.
nothing_relayed() {
	_l=$(nlines)
	capc "$TMPD/no.pcap" 1 || { fail "$1" "no capture"; return; }
	# shellcheck disable=SC2086
	insa "$WAKEUP" $3 wa0 "$2"
	if ! waitline "$_l" "$4"; then
		cap_stop
		fail "$1" "no refusal: $(logtail)"
		return
	fi
	cap_stop
	if [ -n "$(cap_hex "$TMPD/no.pcap")" ]; then
		fail "$1" "relayed: $(cap_hex "$TMPD/no.pcap")"
	else
		pass "$1"
	fi
}
nothing_relayed "relay: from list refuses" $T_DENIED "" \
    "refuse host denied mac $T_DENIED on wb0 from $IPA: not allowed: sender not in the host's from list"
nothing_relayed "relay: wrong password refused" $T_CARRIED \
    "-s 0a:0b:0c:0d:0e:00" "refuse host carried .*: wrong password"

# A frame for a relayed host with wc0's address as its source is ours,
# whatever comes between: not relayed (a second after the last relay).
sleep 1.1
_l=$(nlines)
capc "$TMPD/own.pcap" 1
insa "$SF" wa0 "$(frame -s $MACC udp4 $T_PLAIN)"
if ! waitline "$_l" "host plain .*our own relay heard again \(sent from our relay interface\)"; then
	cap_stop
	fail "relay: a frame from our relay interface is not relayed" \
	    "$(logtail)"
else
	cap_stop
	check "relay: a frame from our relay interface is not relayed" \
	    test -z "$(cap_hex "$TMPD/own.pcap")"
fi
wd_stop

# A loop: both legs listened, debounce off.  wakeupd hears its own relay
# on wc0; it must not relay it again (else it would until the budget).
cat >"$CONF" <<CONFEOF
listen on wb0
listen on wc0
debounce 0
host plain { mac $T_PLAIN; relay on wc0 }
CONFEOF
if ! wd_start -v -F "$CONF"; then
	fail "relay: a loop relays once" "wakeupd not ready: $(logtail)"
else
	_l=$(nlines)
	capc "$TMPD/loop.pcap" 10
	# Twice: the second, a moment later, is taken for an echo too.
	insa "$WAKEUP" -c 2 -i 100 wa0 $T_PLAIN
	waitline "$_l" "our own relay heard again \(sent from our relay interface\)" 5
	_seen=$?
	waitline "$_l" "our own relay heard again \(within a second of relaying it\)" 5
	_seen2=$?
	sleep 1
	cap_stop
	_n=$(cap_hex "$TMPD/loop.pcap" | wc -l | tr -d ' ')
	_r=$(count_lines "$_l" "wake host plain .*: relay on wc0")
	if [ "$_seen" -ne 0 ] || [ "$_seen2" -ne 0 ]; then
		fail "relay: a loop relays once" "own relay not heard: $(logtail)"
	elif [ "$_n" != 1 ] || [ "$_r" != 1 ]; then
		fail "relay: a loop relays once" "$_n frames, $_r relays"
	else
		pass "relay: a loop relays once"
	fi
	wd_stop
fi

# The global budget: 30 hosts, one packet each at once; 20 relayed (and
# one more for each 200 ms that passes), the rest refused with the limit.
# Then, a measured while later, 30 other hosts: as many relayed as
# tokens came back meanwhile, one each 200 ms.
{
	echo "listen on wb0"
	echo "debounce 0"
	i=10
	while [ $i -lt 70 ]; do
		echo "host b$i { mac 02:00:5e:10:02:$i; relay on wc0 }"
		i=$((i + 1))
	done
} >"$CONF"
# burst FIRST: packets for hosts bFIRST..bFIRST+29 at once.
burst() {
	i=$1
	_end=$(($1 + 30))
	set --
	while [ $i -lt $_end ]; do
		set -- "$@" 02:00:5e:10:02:$i
		i=$((i + 1))
	done
	insa "$WAKEUP" wa0 "$@"
}
if ! wd_start -F "$CONF"; then
	fail "relay: the global budget" "wakeupd not ready: $(logtail)"
	fail "relay: the budget refills" "wakeupd not ready"
else
	_l=$(nlines)
	capc "$TMPD/burst.pcap" 30
	_t0=$(now_ms)
	burst 10
	waitline "$_l" "over the relay limit" 5
	sleep 0.5
	cap_stop
	_n=$(cap_hex "$TMPD/burst.pcap" | wc -l | tr -d ' ')
	_over=$(count_lines "$_l" "over the relay limit")
	if [ "$_n" -lt 20 ] || [ "$_n" -gt 25 ] || [ "$_over" -lt 5 ]; then
		fail "relay: the global budget" "$_n relayed, $_over refused"
	else
		pass "relay: the global budget"
	fi
	echo "# $_n of 30 relayed at once"
	capc "$TMPD/refill.pcap" 30
	_t1=$(now_ms)
	burst 40
	_t2=$(now_ms)
	sleep 0.5
	cap_stop
	_n2=$(cap_hex "$TMPD/refill.pcap" | wc -l | tr -d ' ')
	# Tokens: those that came back since the first burst's last.
	_lo=$(((_t1 - _t0) / 200 - (_n - 20) - 1))
	_hi=$(((_t2 - _t0) / 200 - (_n - 20) + 2))
	echo "# $_n2 of 30 relayed $((_t1 - _t0)) ms later (want $_lo to $_hi)"
	check "relay: the budget refills" test "$_n2" -ge "$_lo" -a \
	    "$_n2" -le "$_hi" -a "$_n2" -lt 20
	wd_stop
fi
