#!/bin/sh
# The capture process's sandbox, on the running daemon: that it is the
# capture program, exec'd (its own executable, an address space laid out
# afresh, no libvirt, XML, TLS or libnet library mapped or linked), its
# user, its root directory and its descriptors (capture sockets, the
# socketpair on descriptor 3, /dev/null for 0 to 2; no libvirt
# connection); and that opening a file or a socket kills it (seccomp,
# injected with gdb), after which the parent exits too; socket(2) is
# refused without killing it; and that a write(2) or sendto(2) of a
# frame to its capture socket kills it and puts nothing on the wire
# (tcpdump on the peer; the same call in tcpdump on wb0 is the control
# that does), while its messages to the parent still go.

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"

needroot "sandbox: setup" "sandbox: capture program exec'd" \
    "sandbox: capture program links no libvirt" \
    "sandbox: capture process maps no libvirt" \
    "sandbox: fresh address space" "sandbox: unprivileged user" "sandbox: chroot" \
    "sandbox: seccomp on" "sandbox: descriptors" \
    "sandbox: parent holds libvirt" "sandbox: open kills it" \
    "sandbox: connect kills it" "sandbox: socket refused" \
    "sandbox: injection works unfiltered" \
    "sandbox: write to capture socket kills it" \
    "sandbox: sendto capture socket kills it" \
    "sandbox: 1,000 known addresses" "sandbox: on any and a tun"

# A frame no one else sends, EtherType 0x88b5 (local experimental),
# broadcast from wb0's MAC, 60 bytes, as a C string for gdb.
INJ='"\xff\xff\xff\xff\xff\xff\x02\x00\x5e\x10\x00\x0b\x88\xb5INJECTED-BY-GDB-0123456789012345678901234567890123456789"'

# The child of the running wakeupd.
child() {
	pgrep -P "$WPID" | head -1
}

# gdb makes the child call socket(2): it must fail (EACCES: refused
# rather than fatal, because libpcap's if_indextoname(3) opens one when
# an interface goes down) and the child must carry on.
refuse_socket() {
	wd_start -c $LV_URI || { fail "$1" "wakeupd: $(logtail)"; return; }
	_c=$(child)
	timeout 20 gdb -p "$_c" -batch -nx -ex 'call (long)socket(2, 2, 0)' \
	    >"$TMPD/gdb.out" 2>&1
	sleep 0.2
	if ! grep -q '^\$1 = -1$' "$TMPD/gdb.out"; then
		fail "$1" "socket() did not fail: $(grep '^\$1' "$TMPD/gdb.out")"
	elif ! kill -0 "$_c" 2>/dev/null || ! kill -0 "$WPID" 2>/dev/null; then
		fail "$1" "wakeupd died: $(logtail)"
	else
		pass "$1"
	fi
	wd_stop
}

# A socket descriptor's inode, for each socket descriptor of pid $1.
sock_inodes() {
	for _f in /proc/"$1"/fd/*; do
		readlink "$_f"
	done | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p'
}

# inject NAME CALL: gdb makes the child call CALL; it must die of SIGSYS
# and the parent must exit, saying so.
inject() {
	_name=$1 _call=$2
	wd_start -c $LV_URI || { fail "$_name" "wakeupd: $(logtail)"; return; }
	_c=$(child)
	timeout 20 gdb -p "$_c" -batch -nx -ex "call (long)$_call" \
	    >"$TMPD/gdb.out" 2>&1
	if ! lv_poll 100 lv_gone "$WPID"; then
		fail "$_name" "parent still running: $(logtail)"
		wd_stop
		return
	fi
	wait "$WPID" 2>/dev/null
	_rc=$?
	WPID=
	if kill -0 "$_c" 2>/dev/null; then
		fail "$_name" "child $_c still there"
	elif ! grep -q "capture process killed by signal 31 (a system call \
outside its sandbox), exiting" "$LOG"; then
		fail "$_name" "parent said: $(logtail)"
	elif [ $_rc -ne 1 ]; then
		fail "$_name" "parent exited $_rc"
	else
		pass "$_name"
	fi
}

# The descriptor of pid $1's (first) packet socket.
pkt_fd() {
	for _f in /proc/"$1"/fd/*; do
		_i=$(readlink "$_f" | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
		[ -n "$_i" ] || continue
		awk -v i="$_i" 'NR > 1 && $9 == i { f = 1 } END { exit !f }' \
		    /proc/"$1"/net/packet && { echo "${_f##*/}"; return 0; }
	done
	return 1
}

# The peer, wa0, listens for the injected frame (tcpdump exits on the
# first); peer_frames N waits at most N tenths of a second for it, stops
# the capture and says how many arrived.
peer_start() {
	rm -f "$TMPD/peer.pcap" "$TMPD/peer.err"
	ip netns exec "$NSA" tcpdump -i wa0 -n -U --immediate-mode -c 1 \
	    -w "$TMPD/peer.pcap" ether proto 0x88b5 2>"$TMPD/peer.err" &
	PEER_PID=$!
	lv_poll 100 grep -q "listening on" "$TMPD/peer.err"
}

peer_frames() {
	lv_poll "$1" lv_gone "$PEER_PID"
	kill -INT "$PEER_PID" 2>/dev/null
	wait "$PEER_PID" 2>/dev/null
	PEER_PID=
	tcpdump -r "$TMPD/peer.pcap" -n 2>/dev/null |
	    grep -c 'ethertype Unknown (0x88b5), length 60'
}

# gdb_call PID CALL: gdb makes PID call CALL, with PKT standing for its
# packet socket.
gdb_call() {
	_fd=$(pkt_fd "$1") || return 1
	_call=$(echo "$2" | sed "s/PKT/$_fd/")
	timeout 20 gdb -p "$1" -batch -nx -ex "call (long)$_call" \
	    >"$TMPD/gdb.out" 2>&1
	return 0
}

# inject_control NAME CALL: the same call in a process without the
# filter, a tcpdump on wb0, puts the frame on the wire; so none arriving
# below means that the filter stopped it.
inject_control() {
	ip netns exec "$NSB" tcpdump -i wb0 -n -w /dev/null \
	    ether proto 0x88b5 2>"$TMPD/tcpd.err" &
	_t=$!
	if ! lv_poll 100 grep -q "listening on" "$TMPD/tcpd.err" ||
	    ! peer_start; then
		fail "$1" "tcpdump did not start"
	elif ! gdb_call "$_t" "$2"; then
		fail "$1" "no packet socket in tcpdump"
	else
		_n=$(peer_frames 50)
		[ "$_n" -eq 1 ] && pass "$1" || fail "$1" \
		    "$_n frames on wa0, want 1: $(grep '^\$1' "$TMPD/gdb.out")"
	fi
	[ -n "$PEER_PID" ] && kill "$PEER_PID" 2>/dev/null
	kill "$_t" 2>/dev/null
	wait "$_t" 2>/dev/null
}

# inject_frame NAME CALL: with the child's writes to the parent working
# (a wake arrives), gdb makes it call CALL on its capture socket: it must
# die of SIGSYS, the parent exit saying so, and no frame reach wa0.
inject_frame() {
	_name=$1
	if ! wd_start -w 0 -c "test://$TMPD/one.xml"; then
		fail "$_name" "wakeupd: $(logtail)"
		return
	fi
	_n0=$(nlines)
	insa "$WAKEUP" wa0 52:54:00:79:00:01 >/dev/null 2>&1
	if ! waitline "$_n0" "wake one mac 52:54:00:79:00:01 on wb0"; then
		fail "$_name" "no wake before the injection: $(logtail)"
		wd_stop
		return
	fi
	_c=$(child)
	if ! peer_start; then
		fail "$_name" "tcpdump on wa0 did not start"
		wd_stop
		return
	fi
	if ! gdb_call "$_c" "$2"; then
		fail "$_name" "no packet socket in the child"
		peer_frames 0 >/dev/null
		wd_stop
		return
	fi
	# Once the child is gone nothing more can come: then count.
	lv_poll 100 lv_gone "$_c"
	_n=$(peer_frames 3)
	if [ "$_n" -ne 0 ]; then
		fail "$_name" "$_n injected frames reached wa0"
		wd_stop
		return
	fi
	if ! lv_poll 100 lv_gone "$WPID"; then
		fail "$_name" "parent still running: $(logtail)"
		wd_stop
		return
	fi
	wait "$WPID" 2>/dev/null
	_rc=$?
	WPID=
	if kill -0 "$_c" 2>/dev/null; then
		fail "$_name" "child $_c still there"
	elif ! grep -q "capture process killed by signal 31" "$LOG"; then
		fail "$_name" "parent said: $(logtail)"
	elif [ $_rc -ne 1 ]; then
		fail "$_name" "parent exited $_rc"
	else
		pass "$_name"
	fi
}

command -v gdb >/dev/null || { fail "sandbox: setup" "no gdb"; exit 1; }
ns_setup || { fail "sandbox: setup" "namespaces"; exit 1; }
lv_start || { fail "sandbox: setup" "libvirtd"; exit 1; }
at_cleanup wd_stop
wd_start -c $LV_URI || { fail "sandbox: setup" "wakeupd: $(logtail)"; exit 1; }
C=$(child)
[ -n "$C" ] && pass "sandbox: setup" ||
    { fail "sandbox: setup" "no capture process"; exit 1; }

echo "# parent $WPID: $(tr '\0' ' ' </proc/$WPID/cmdline)"
echo "# child $C: $(tr '\0' ' ' </proc/$C/cmdline)"
echo "# child $(grep -E '^(Uid|Gid|Groups|NoNewPrivs|Seccomp):' \
    /proc/$C/status | tr -s '\t\n' '  ')"
echo "# child root: $(readlink /proc/$C/root)"
for f in /proc/$C/fd/*; do
	echo "# child fd ${f##*/}: $(readlink "$f")"
done

# The libraries that only the parent needs.
PARENT_LIBS='lib(virt|xml2|gnutls|net)[.-]'

[ "$(readlink /proc/$C/exe)" = "$WAKEUPD_CAPTURE" ] &&
    [ "$(readlink /proc/$WPID/exe)" = "$WAKEUPD" ] &&
    pass "sandbox: capture program exec'd" ||
    fail "sandbox: capture program exec'd" "exe $(readlink /proc/$C/exe)"

ldd "$WAKEUPD_CAPTURE" >"$TMPD/ldd" 2>&1
echo "# capture program links $(awk '{ print $1 }' "$TMPD/ldd" | tr '\n' ' ')"
grep -q 'libpcap' "$TMPD/ldd" && ! grep -Eq "$PARENT_LIBS" "$TMPD/ldd" &&
    ldd "$WAKEUPD" | grep -q libvirt &&
    pass "sandbox: capture program links no libvirt" ||
    fail "sandbox: capture program links no libvirt" \
    "$(grep -E "$PARENT_LIBS" "$TMPD/ldd" | tr '\n\t' '  ')"

# What the running capture process maps, and, to show the test sees
# them, what the parent maps.
maplibs() {
	awk '$6 ~ /\.so/ { n = split($6, p, "/"); print p[n] }' /proc/"$1"/maps |
	    sort -u
}
maplibs "$C" >"$TMPD/cmaps"
maplibs "$WPID" >"$TMPD/pmaps"
echo "# capture process maps $(tr '\n' ' ' <"$TMPD/cmaps")"
grep -q '^libpcap' "$TMPD/cmaps" && ! grep -Eq "$PARENT_LIBS" "$TMPD/cmaps" &&
    grep -q '^libvirt' "$TMPD/pmaps" && grep -q '^libxml2' "$TMPD/pmaps" &&
    grep -q '^libnet[.-]' "$TMPD/pmaps" &&
    pass "sandbox: capture process maps no libvirt" ||
    fail "sandbox: capture process maps no libvirt" \
    "$(grep -E "$PARENT_LIBS" "$TMPD/cmaps" | tr '\n' ' ')"

# After a fork without exec, the C library would sit at the parent's
# address; after exec it is placed afresh.
libc_at() {
	awk '$6 ~ /\/libc[.-]/ { split($1, a, "-"); print a[1]; exit }' \
	    /proc/"$1"/maps
}
echo "# libc at $(libc_at "$WPID") in the parent, $(libc_at "$C") in the capture process"
[ -n "$(libc_at "$C")" ] && [ "$(libc_at "$C")" != "$(libc_at "$WPID")" ] &&
    pass "sandbox: fresh address space" ||
    fail "sandbox: fresh address space" "libc at $(libc_at "$C") in both"

nobody=$(id -u nobody)
uids=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' /proc/$C/status)
gids=$(awk '/^Gid:/ { print $2, $3, $4, $5 }' /proc/$C/status)
ng=$(id -g nobody)
[ "$uids" = "$nobody $nobody $nobody $nobody" ] &&
    [ "$gids" = "$ng $ng $ng $ng" ] &&
    [ "$(awk '/^Groups:/ { print $2 }' /proc/$C/status)" = "$ng" ] &&
    pass "sandbox: unprivileged user" ||
    fail "sandbox: unprivileged user" "uid $uids gid $gids"

[ "$(readlink /proc/$C/root)" = /var/empty ] && [ -z "$(ls -A /var/empty)" ] &&
    pass "sandbox: chroot" ||
    fail "sandbox: chroot" "root $(readlink /proc/$C/root)"

grep -q '^Seccomp:[[:space:]]*2' /proc/$C/status &&
    grep -q '^NoNewPrivs:[[:space:]]*1' /proc/$C/status &&
    pass "sandbox: seccomp on" ||
    fail "sandbox: seccomp on" "$(grep -E 'Seccomp|NoNewPrivs' /proc/$C/status)"

# Its sockets: one packet socket (wb0) and one unix SOCK_SEQPACKET (the
# socketpair); no stream socket, which is what libvirt's would be.
npkt=0 nseq=0 nother=0
for i in $(sock_inodes "$C"); do
	if awk -v i="$i" 'NR > 1 && $9 == i { f = 1 } END { exit !f }' \
	    /proc/$C/net/packet; then
		npkt=$((npkt + 1))
	elif awk -v i="$i" 'NR > 1 && $7 == i && $5 == "0005" { f = 1 }
	    END { exit !f }' /proc/$C/net/unix; then
		nseq=$((nseq + 1))
	else
		nother=$((nother + 1))
	fi
done
# Besides them only standard input, output and error, on /dev/null; the
# socketpair on descriptor 3.
nfiles=0
for f in /proc/$C/fd/*; do
	case ${f##*/}:$(readlink "$f") in
	[012]:/dev/null|*:socket:*) ;;
	*) nfiles=$((nfiles + 1)) ;;
	esac
done
fd3=$(readlink /proc/$C/fd/3 | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
awk -v i="$fd3" 'NR > 1 && $7 == i && $5 == "0005" { f = 1 } END { exit !f }' \
    /proc/$C/net/unix || nfiles=$((nfiles + 1))
[ $npkt -eq 1 ] && [ $nseq -eq 1 ] && [ $nother -eq 0 ] && [ "$nfiles" -eq 0 ] &&
    pass "sandbox: descriptors" ||
    fail "sandbox: descriptors" "$npkt packet, $nseq seqpacket, $nother other sockets, $nfiles files"

# The parent, by contrast, is connected to libvirtd (a stream socket).
nstream=0
for i in $(sock_inodes "$WPID"); do
	awk -v i="$i" 'NR > 1 && $7 == i && $5 == "0001" { f = 1 }
	    END { exit !f }' /proc/$WPID/net/unix && nstream=$((nstream + 1))
done
[ $nstream -ge 1 ] && pass "sandbox: parent holds libvirt" ||
    fail "sandbox: parent holds libvirt" "no stream socket in the parent"
wd_stop

inject "sandbox: open kills it" 'open("/etc/passwd", 0)'
inject "sandbox: connect kills it" '((long (*)(int, void *, int))connect)(0, 0, 0)'
refuse_socket "sandbox: socket refused"

# No frame injection: writing to the capture socket kills the child.
cat >"$TMPD/one.xml" <<EOF
<node><domain type="test"><name>one</name><memory>65536</memory>
<os><type>hvm</type></os><devices><interface type="user">
<mac address="52:54:00:79:00:01"/></interface></devices></domain></node>
EOF
inject_control "sandbox: injection works unfiltered" "write(PKT, $INJ, 60)"
inject_frame "sandbox: write to capture socket kills it" \
    "write(PKT, $INJ, 60)"
inject_frame "sandbox: sendto capture socket kills it" \
    "((long (*)(int, void *, long, int, void *, int))sendto)(PKT, $INJ, 60, 0, 0, 0)"

# The parent hands the sandboxed child every known address, here 1,000
# of them (a test driver node): the child must take them within its
# filter, drop a packet for an address no domain has, and pass one on.
awk 'BEGIN {
	print "<node>"
	for (i = 0; i < 1000; i++)
		printf "<domain type=\"test\" xmlns:test=\"http://libvirt.org/" \
		    "schemas/domain/test/1.0\"><name>k%d</name>" \
		    "<memory>65536</memory><os><type>hvm</type></os>" \
		    "<devices><interface type=\"user\"><mac address=" \
		    "\"52:54:00:77:%02x:%02x\"/></interface></devices>" \
		    "<test:runstate>5</test:runstate></domain>\n", i,
		    int(i / 256), i % 256
	print "</node>"
}' >"$TMPD/k1000.xml"
if wd_start -v -w 0 -c "test://$TMPD/k1000.xml"; then
	n0=$(nlines)
	insa "$WAKEUP" wa0 52:54:00:78:00:01 >/dev/null 2>&1
	insa "$WAKEUP" wa0 52:54:00:77:03:e7 >/dev/null 2>&1
	if waitline "$n0" "wake k999 mac 52:54:00:77:03:e7 .*: start: ok" &&
	    grep -q "capture\]: 1000 known addresses" "$LOG" &&
	    has_line "$n0" "no domain has 52:54:00:78:00:01, dropped" &&
	    lv_alive "$(child)"; then
		pass "sandbox: 1,000 known addresses"
	else
		fail "sandbox: 1,000 known addresses" "$(logtail)"
	fi
else
	fail "sandbox: 1,000 known addresses" "wakeupd: $(logtail)"
fi
wd_stop

# "any" (Linux cooked, inbound only) and a tun (raw IP) under the
# filter: what they need set before it, what they read within it.
ip -n "$NSB" tuntap add mode tun name wt0 &&
    ip -n "$NSB" addr add 192.0.2.66 peer 198.51.100.0/24 dev wt0 &&
    ip -n "$NSB" link set wt0 up ||
    { fail "sandbox: on any and a tun" "cannot make the tun"; exit 1; }
WD_NSIF="any wt0"
if wd_start -v -w 0 -c "test://$TMPD/one.xml"; then
	n0=$(nlines)
	insa "$WAKEUP" wa0 52:54:00:79:00:01 >/dev/null 2>&1
	waitline "$n0" "wake one mac 52:54:00:79:00:01 on any from $IPA: none: running"
	_any=$?
	ip netns exec "$NSB" "$TOP/regress/tools/tunsend" wt0 \
	    "$(frame -l raw -S 198.51.100.7 -D 192.0.2.66 udp4 52:54:00:79:00:01)"
	waitline "$n0" "wake one mac 52:54:00:79:00:01 on wt0 from 198.51.100.7: none: running"
	_tun=$?
	C=$(child)
	if [ $_any -ne 0 ] || [ $_tun -ne 0 ]; then
		fail "sandbox: on any and a tun" "$(logtail)"
	elif ! grep -q 'capture sandbox: seccomp filter of' "$LOG" ||
	    ! grep -q '^Seccomp:[[:space:]]*2' "/proc/$C/status"; then
		fail "sandbox: on any and a tun" "no seccomp filter: $(logtail)"
	else
		pass "sandbox: on any and a tun"
	fi
else
	fail "sandbox: on any and a tun" "wakeupd: $(logtail)"
fi
wd_stop
