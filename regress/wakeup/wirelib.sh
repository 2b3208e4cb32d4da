# Helpers for wakeup's wire tests, sourced after regress/lib.sh by
# t_wire.sh, t_errors.sh and t_bulk.sh.  Everything runs in the two
# namespaces of ns_setup: wakeup sends out wa0 in $NSA only, captures and
# receivers run on wb0 in $NSB.
#
# cap_start FILE COUNT FILTER...
#			cap_start with a 256-byte snapshot and a 16 MiB
#			buffer: lib.sh's cap_start keeps the full snapshot
#			length, and in immediate mode every ring slot is that
#			big, so a burst of more than a few frames is dropped
# wsend ARGS...		wakeup ARGS in $NSA (the only way these tests send)
# wdry ARGS...		wakeup -n ARGS in $NSA
# tsh ARGS...		tshark with a private home, so the caller's
#			preferences cannot change a decode
# wol_macs PCAP		the target of each frame tshark sees as Wake On LAN
# wire_case NAME ARGS...
#			capture one frame of "wakeup ARGS" on wb0, compare it
#			byte for byte with "wakeup -n ARGS", and check that
#			tshark reads the target $T1 in it
# udp_listen FAMILY PORT OUT
#			in $NSB, receive one datagram on PORT through the
#			kernel's UDP stack (which drops bad checksums) and
#			write "hex-payload source" to OUT; udp_wait waits

T1=52:54:00:12:34:56
WFILTER="udp or ether proto 0x0842 or vlan"

wsend() {
	ip netns exec "$NSA" "$WAKEUP" "$@"
}

wdry() {
	ip netns exec "$NSA" "$WAKEUP" -n "$@"
}

tsh() {
	HOME=$TMPD XDG_CONFIG_HOME=$TMPD tshark "$@"
}

wol_macs() {
	tsh -r "$1" --disable-protocol echo -Y wol -E occurrence=f \
	    -T fields -e wol.mac 2>/dev/null
}

wire_case() {
	_n=$1
	shift
	_p=$TMPD/$(echo "$_n" | tr -c 'a-zA-Z0-9\n' '_').pcap
	if ! cap_start "$_p" 1 $WFILTER; then
		fail "wire $_n" "tcpdump did not start: $(cat "$_p.err")"
		return
	fi
	if ! wsend "$@" 2>"$TMPD/wsend.err"; then
		cap_stop
		fail "wire $_n" "wakeup failed: $(cat "$TMPD/wsend.err")"
		return
	fi
	if ! cap_wait; then
		fail "wire $_n" "no frame captured"
		return
	fi
	wdry "$@" >"$TMPD/want.hex" 2>&1
	cap_hex "$_p" >"$TMPD/got.hex"
	if diff -u "$TMPD/want.hex" "$TMPD/got.hex" >"$TMPD/diff"; then
		pass "wire $_n: captured frame is wakeup -n's"
	else
		fail "wire $_n" "$(head -c 600 "$TMPD/diff" | tr '\n' ' ')"
	fi
	_m=$(wol_macs "$_p")
	if [ "$_m" = "$T1" ]; then
		pass "wire $_n: tshark reads wol.mac $T1"
	else
		fail "wire $_n: tshark" "wol.mac '$_m', want $T1"
	fi
}

udp_listen() {
	rm -f "$3" "$3.ready"
	ip netns exec "$NSB" python3 - "$1" "$2" "$3" <<'EOF' &
import socket, sys
fam = socket.AF_INET6 if sys.argv[1] == "6" else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind(("::" if fam == socket.AF_INET6 else "", int(sys.argv[2])))
s.settimeout(10)
open(sys.argv[3] + ".ready", "w").close()
try:
	d, a = s.recvfrom(4096)
	open(sys.argv[3], "w").write("%s %s\n" % (d.hex(), a[0].split("%")[0]))
except socket.timeout:
	pass
EOF
	UDP_PID=$!
	_i=0
	while [ ! -f "$3.ready" ]; do
		_i=$((_i + 1))
		[ $_i -gt 100 ] && return 1
		sleep 0.05
	done
}

udp_wait() {
	wait "$UDP_PID" 2>/dev/null
}
