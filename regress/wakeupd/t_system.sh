#!/bin/sh
# System tier, as root: a real libvirtd (started here when none runs),
# tiny TCG domains with their NIC link down, wakeupd in namespace $NSB
# on wb0 and the senders in $NSA on wa0.  Each check asserts a domain
# state through virsh and the wake lines in wakeupd's log:
#
#	wake DOMAIN mac MAC on IF from SENDER: ACTION: RESULT
#
# Domains are defined once and reused: put back to shut off, or paused
# for the checks that are about the capture path (a resume costs a tenth
# of a start).  wakeupd ignores an address for -w seconds after acting
# on it, so the checks take turns with the eight addresses of domain a
# (see use_mac) instead of sleeping the window out.  Nothing sleeps
# blindly; every wait polls, with a bound.

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"

needroot "system: setup" "system: wakeupd ready" \
    "system: capture child unprivileged" \
    "system: wakeup udp4" "system: wakeup -e" "system: wakeup -6" \
    "system: wakeup -t vlan" "system: wakeup -p 7" "system: wakeup -s" \
    "system: etherwake unicast" "system: etherwake -b" \
    "system: wakeonlan directed broadcast" \
    "system: crafted udp6 hop-by-hop" "system: crafted vlan udp6" \
    "system: crafted vlan 0x0842" "system: crafted udp4 port 40000" \
    "system: crafted udp4 ip options" "system: crafted 4-byte password" \
    "system: crafted 6-byte password" "system: malformed" \
    "system: malformed: sentinel" "system: paused resumed" \
    "system: managed save restored" "system: managed save consumed" \
    "system: burst one action" "system: defined after start" \
    "system: libvirtd restarted" "system: exits 0 on SIGTERM" \
    "system: two URIs, qemu" "system: two URIs, test driver"

WINDOW=2

# Addresses unique to this run: 52:54:PP:PP:DD:NN, domain DD, NIC NN.
P1=$(printf %02x $(($$ / 256 % 256)))
P2=$(printf %02x $(($$ % 256)))
mac() {
	printf '52:54:%s:%s:%02x:%02x' "$P1" "$P2" "$1" "$2"
}
MAS=
for _i in 1 2 3 4 5 6 7 8; do
	eval "MA$_i=\$(mac 1 $_i) LAST$_i=0"
	MAS="$MAS $(mac 1 $_i)"
done
ML=$(mac 3 1)				# "late", defined after wakeupd
MT=$(mac 4 1)				# the test driver's domain
DA=$(lv_name a)
DL=$(lv_name late)
DT=$(lv_name t)
IPV6A=fe80::5eff:fe10:a			# wa0's link-local, from $MACA

# use_mac: set MAC to the address of domain a used longest ago, after
# waiting (if need be) until wakeupd's window for it has passed.
NEXT=1
use_mac() {
	eval "_last=\$LAST$NEXT"
	eval "MAC=\$MA$NEXT"
	_wait=$((_last + WINDOW * 1000 + 300 - $(now_ms)))
	[ $_wait -gt 0 ] && sleep "$(printf '%d.%03d' $((_wait / 1000)) \
	    $((_wait % 1000)))"
	eval "LAST$NEXT=\$(now_ms)"
	NEXT=$((NEXT % 8 + 1))
}

# Wake lines after line $1 of the log.
wakes_since() {
	tail -n +$(($1 + 1)) "$LOG" | grep -E '(^|[: ])wake [^ ]+ mac '
}

# wake_ok NAME DOM ACTION SENDER CMD...: CMD sends one magic packet for
# $MAC from $NSA; wakeupd must log that it did ACTION to domain DOM for
# SENDER (a regular expression), once, and DOM must be running.
wake_ok() {
	_name=$1 _dom=$2 _act=$3 _from=$4
	shift 4
	_n0=$(nlines)
	if ! "$@" >"$TMPD/send.out" 2>&1; then
		fail "$_name" "sender failed: $(head -c 200 "$TMPD/send.out")"
		return 1
	fi
	_re="wake $(lv_name "$_dom") mac $MAC on wb0 from $_from: $_act: ok"
	if ! waitline "$_n0" "$_re"; then
		fail "$_name" "no '$_re' in the log: $(logtail)"
		return 1
	fi
	if ! lv_wait_state "$_dom" running 10; then
		fail "$_name" "logged, but $_dom is $(lv_state "$_dom")"
		return 1
	fi
	_nw=$(wakes_since "$_n0" | grep -c " mac $MAC ")
	if [ "$_nw" -ne 1 ]; then
		fail "$_name" "$_nw wake lines for one packet"
		return 1
	fi
	pass "$_name"
}

# A check that wakes domain a from shut off and puts it back; the
# caller has picked $MAC with use_mac.
wake_a() {
	_n=$1 _f=$2
	shift 2
	wake_ok "$_n" a start "$_f" "$@"
	lv_destroy a
}

# -------------------------------------------------------------------
# Setup.

if [ ! -x "$WAKEUPD" ] || [ ! -x "$WAKEUP" ]; then
	fail "system: setup" "wakeupd or wakeup not built"
	exit 1
fi
if ! ns_setup; then
	fail "system: setup" "cannot create the namespaces"
	exit 1
fi
_t0=$(now_ms)
if ! lv_start; then
	fail "system: setup" "cannot reach or start libvirtd"
	exit 1
fi
if ! lv_define a $MAS; then
	fail "system: setup" "cannot define a domain"
	exit 1
fi
MM=				# the targets of the malformed frames
for _i in 1 2 3 4 5 6 7 8; do
	MM="$MM $(mac 2 $_i)"
done
lv_define m $MM || { fail "system: setup" "cannot define domain m"; exit 1; }
at_cleanup wd_stop
pass "system: setup"
echo "# libvirtd up and 2 domains defined in $(($(now_ms) - _t0)) ms"

_t0=$(now_ms)
if ! wd_start -w $WINDOW; then
	fail "system: wakeupd ready" "no 'ready' within 15 s: $(logtail)"
	exit 1
fi
pass "system: wakeupd ready"
echo "# wakeupd ready in $(($(now_ms) - _t0)) ms"

_u=$(ps -o user= --ppid "$WPID" 2>/dev/null | sed -n 1p | tr -d ' ')
if [ "$_u" = nobody ]; then
	pass "system: capture child unprivileged"
else
	fail "system: capture child unprivileged" "child runs as '$_u'"
fi

# -------------------------------------------------------------------
# The senders.  The first wakes domain a from shut off; the others are
# about the capture path, so domain a waits paused and each packet
# resumes it: a resume costs a tenth of a start.

_t0=$(now_ms)
use_mac
wake_a "system: wakeup udp4" 192.0.2.1 insa "$WAKEUP" wa0 "$MAC"
echo "# one wake, shut off to running and back, in $(($(now_ms) - _t0)) ms"

# resume_a NAME SENDER CMD...: pause domain a; CMD's packet for $MAC
# (expanded by the caller, after use_mac) must resume it.
resume_a() {
	_n=$1 _f=$2
	shift 2
	if ! lv_pause a; then
		fail "$_n" "cannot pause domain a: it is $(lv_state a)"
		return 1
	fi
	wake_ok "$_n" a resume "$_f" "$@"
}

lv_start_dom a
use_mac
resume_a "system: wakeup -e" "$MACA" insa "$WAKEUP" -e wa0 "$MAC"
use_mac
resume_a "system: wakeup -6" "$IPV6A" insa "$WAKEUP" -6 wa0 "$MAC"
# The tag is written by wakeup itself; no 802.1Q module is needed on
# either side, and pcap on wb0 sees the tag the kernel took off.
use_mac
resume_a "system: wakeup -t vlan" 192.0.2.1 insa "$WAKEUP" -t 5 wa0 "$MAC"
use_mac
resume_a "system: wakeup -p 7" 192.0.2.1 insa "$WAKEUP" -p 7 wa0 "$MAC"
use_mac
resume_a "system: wakeup -s" 192.0.2.1 \
    insa "$WAKEUP" -s 01:02:03:04:05:06 wa0 "$MAC"
use_mac
resume_a "system: etherwake unicast" "$MACA" insa etherwake -i wa0 "$MAC"
use_mac
resume_a "system: etherwake -b" "$MACA" insa etherwake -b -i wa0 "$MAC"
use_mac
resume_a "system: wakeonlan directed broadcast" 192.0.2.1 \
    insa wakeonlan -i 192.0.2.255 "$MAC"

# -------------------------------------------------------------------
# Crafted frames, for what the tools do not send.

crafted() {
	_n=$1 _f=$2
	shift 2
	if [ ! -x "$SF" ]; then
		fail "$_n" "regress/tools/sendframe not built"
		return 1
	fi
	use_mac
	if ! _hex=$(frame "$@" "$MAC"); then
		fail "$_n" "mkframe $*"
		return 1
	fi
	resume_a "$_n" "$_f" sendhex 1 "$_hex"
}

crafted "system: crafted udp6 hop-by-hop" fe80::a udp6hbh
crafted "system: crafted vlan udp6" fe80::a -v 7 udp6
crafted "system: crafted vlan 0x0842" "$MACA" -v 4094 ether
crafted "system: crafted udp4 port 40000" 192.0.2.1 -p 40000 udp4
crafted "system: crafted udp4 ip options" 192.0.2.1 -o udp4
crafted "system: crafted 4-byte password" 192.0.2.1 -w c0a80001 udp4
crafted "system: crafted 6-byte password" "$MACA" -w 010203040506 ether
use_mac
resume_a "system: paused resumed" 192.0.2.1 insa "$WAKEUP" wa0 "$MAC"

# -------------------------------------------------------------------
# Malformed frames, each for its own address of domain m, then one good
# packet that resumes domain a: once its line is logged, every frame
# before it has been through wakeupd, and none may have woken anything.

malformed() {
	_mf="system: malformed"
	if [ ! -x "$SF" ]; then
		fail "$_mf" "regress/tools/sendframe not built"
		return 1
	fi
	set -- $MM
	_n0=$(nlines)
	_ok=1
	for _v in "$1 -m copies15 udp4" "$2 -m copydiff ether" \
	    "$3 -m copydiff udp6" "$4 -m nosync udp4" "$5 -m trunc udp4" \
	    "$6 -m cut udp4" "$7 -m cut -v 7 udp6hbh" \
	    "$8 -m copies15 -v 7 ether" "ff:ff:ff:ff:ff:ff udp4" \
	    "ff:ff:ff:ff:ff:ff ether" "00:00:00:00:00:00 udp4" \
	    "$1 -m junk udp4" "$2 -m junk -p 7 udp4"; do
		_m=${_v%% *}
		_a=${_v#* }
		if ! _hex=$(frame $_a "$_m") || ! sendhex 1 "$_hex"; then
			fail "$_mf" "cannot send '$_a $_m'"
			_ok=0
		fi
	done
	use_mac
	resume_a "$_mf: sentinel" 192.0.2.1 insa "$WAKEUP" wa0 "$MAC" ||
	    return 1
	_w=$(wakes_since "$_n0" | grep -v " mac $MAC ")
	if [ -n "$_w" ]; then
		fail "$_mf" "acted on: $(echo "$_w" | head -n 3 | tr '\n' '|')"
		_ok=0
	fi
	if [ "$(lv_state m)" != "shut off" ]; then
		fail "$_mf" "domain m is $(lv_state m)"
		_ok=0
	fi
	[ $_ok -eq 1 ] && pass "$_mf"
}
malformed

# -------------------------------------------------------------------
# A managed save image, restored by the start.

lv_destroy a
use_mac
if lv_start_dom a && lv_managedsave a && lv_has_managedsave a; then
	if wake_ok "system: managed save restored" a start 192.0.2.1 \
	    insa "$WAKEUP" wa0 "$MAC"; then
		if lv_has_managedsave a; then
			fail "system: managed save consumed" "image still there"
		else
			pass "system: managed save consumed"
		fi
	fi
else
	fail "system: managed save restored" "cannot managed-save domain a"
fi
lv_destroy a

# -------------------------------------------------------------------
# 20 packets within the window, over a second: the domain is started
# once, and the packets after it runs are ignored, not logged "none".

use_mac
_n0=$(nlines)
if insa "$WAKEUP" -c 20 -i 50 wa0 "$MAC" >"$TMPD/send.out" 2>&1 &&
    waitline "$_n0" "wake $DA mac $MAC .*: start: ok" &&
    lv_wait_state a running; then
	# The last packet left when wakeup exited; give it time to arrive.
	sleep 0.5
	_nw=$(wakes_since "$_n0" | grep -c " mac $MAC ")
	if [ "$_nw" -eq 1 ]; then
		pass "system: burst one action"
	else
		fail "system: burst one action" "$_nw wake lines"
	fi
else
	fail "system: burst one action" "no start: $(logtail)"
fi
lv_destroy a

# -------------------------------------------------------------------
# A domain defined while wakeupd runs: libvirt's event must reach it.
# The packet is repeated (a few times, bounded) only because the event
# and the packet race; an unknown address is not debounced.

late() {
	_n="system: defined after start"
	if ! lv_define late "$ML"; then
		fail "$_n" "cannot define it"
		return 1
	fi
	_n0=$(nlines)
	_i=0
	while [ $_i -lt 10 ]; do
		insa "$WAKEUP" wa0 "$ML" >/dev/null 2>&1
		waitline "$_n0" "wake $DL mac $ML .*: start: ok" 1 && break
		_i=$((_i + 1))
	done
	if [ $_i -ge 10 ]; then
		fail "$_n" "not woken in 10 tries: $(logtail)"
	elif ! lv_wait_state late running; then
		fail "$_n" "logged, but it is $(lv_state late)"
	else
		[ $_i -gt 0 ] && echo "# woken at try $((_i + 1))"
		pass "$_n"
	fi
	lv_undefine late
}
late

# -------------------------------------------------------------------
# libvirtd restarted under wakeupd: it reconnects (1 to 30 s, growing)
# and the next packets wake again.  Addresses take turns, one try a
# second, since a packet while disconnected still opens the window.

restarted() {
	_n="system: libvirtd restarted"
	if ! lv_restart; then
		fail "$_n" "cannot restart libvirtd"
		return 1
	fi
	_t0=$(now_ms)
	_n0=$(nlines)
	_i=0
	while [ $_i -lt 40 ]; do
		use_mac
		insa "$WAKEUP" wa0 "$MAC" >/dev/null 2>&1
		waitline "$_n0" "wake $DA mac $MAC .*: start: ok" 1 && break
		_i=$((_i + 1))
	done
	if [ $_i -ge 40 ]; then
		fail "$_n" "no wake within 40 tries: $(logtail)"
	elif ! lv_wait_state a running; then
		fail "$_n" "logged, but a is $(lv_state a)"
	else
		echo "# woken $(($(now_ms) - _t0)) ms after the restart," \
		    "try $((_i + 1))"
		pass "$_n"
	fi
	lv_destroy a
}
restarted

# -------------------------------------------------------------------
# Two URIs served at once.  The test driver keeps its state per
# connection, so its domain's start is seen only in wakeupd's log.

if wd_stop; then
	pass "system: exits 0 on SIGTERM"
else
	fail "system: exits 0 on SIGTERM" "exit status $?"
fi

lv_testdrv_file "$TMPD/node.xml" t "$MT"
if ! wd_start -w $WINDOW -c qemu:///system -c "test://$TMPD/node.xml"; then
	fail "system: two URIs, qemu" "no 'ready': $(logtail)"
	fail "system: two URIs, test driver" "no 'ready'"
else
	use_mac
	wake_a "system: two URIs, qemu" 192.0.2.1 insa "$WAKEUP" wa0 "$MAC"
	_n0=$(nlines)
	insa "$WAKEUP" wa0 "$MT" >/dev/null 2>&1
	if waitline "$_n0" "wake $DT mac $MT on wb0 from 192.0.2.1: start: ok"
	then
		pass "system: two URIs, test driver"
	else
		fail "system: two URIs, test driver" "$(logtail)"
	fi
fi
wd_stop
