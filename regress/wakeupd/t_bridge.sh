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
# System tier, as root: the home lab.  A Linux bridge $BR made here in
# the root namespace, with no physical port and no address; domain a's
# NIC of type bridge on it, domain b's of type network on a transient
# libvirt network in bridge mode over it; the sender in namespace $NSA
# behind a veth whose other end is a port of $BR; wakeupd in the root
# namespace listening on $BR.  Each domain goes from shut off to
# running, its tap joins $BR, and a further packet does nothing.  The
# NICs' links stay down: the guests send nothing.  The bridge, the
# veth, the network, the domains and the namespace go at cleanup.

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"

needroot "bridge: setup" "bridge: type bridge: woken" \
    "bridge: type bridge: tap on the bridge" \
    "bridge: type bridge: running, nothing done" \
    "bridge: type network: woken" "bridge: type network: tap on the bridge" \
    "bridge: type network: running, nothing done" \
    "bridge: only our ports, no address"

BR=$(echo "wutbr$$" | cut -c 1-15)
VE=$(echo "wutv$$" | cut -c 1-15)
IPS=198.51.100.1
P1=$(printf %02x $(($$ / 256 % 256)))
P2=$(printf %02x $(($$ % 256)))
MA=52:54:$P1:$P2:06:01
MB=52:54:$P1:$P2:06:02

# Bridges and veths of killed runs: their names carry a pid that is gone.
sweep_links() {
	ip -o link show 2>/dev/null | awk -F': ' '{ print $2 }' |
	    sed 's/@.*//' | while read -r _l; do
		case $_l in
		wutbr[0-9]*)	_p=${_l#wutbr} ;;
		wutv[0-9]*)	_p=${_l#wutv} ;;
		*)		continue ;;
		esac
		case $_p in
		*[!0-9]*|"") continue ;;
		esac
		lv_alive "$_p" && continue
		ip link del "$_l" 2>/dev/null
	done
}

bridge_setup() {
	sweep_links
	ip link add "$BR" type bridge || return 1
	at_cleanup ip link del "$BR"
	# No address, not even a link-local one: the host says nothing.
	sysctl -qw "net.ipv6.conf.$BR.disable_ipv6=1" || return 1
	ip link set "$BR" up || return 1
	NSA=wut-a-$$			# lib.sh's ns_cleanup deletes it
	ip netns add "$NSA" || return 1
	ip link add "$VE" type veth peer name wa0 netns "$NSA" || return 1
	at_cleanup ip link del "$VE"
	sysctl -qw "net.ipv6.conf.$VE.disable_ipv6=1" || return 1
	ip link set "$VE" master "$BR" up || return 1
	ip netns exec "$NSA" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1 >/dev/null
	ip -n "$NSA" link set lo up &&
	    ip -n "$NSA" addr add $IPS/24 dev wa0 &&
	    ip -n "$NSA" link set wa0 up
}

# The bridge that interface $1 is a port of.
master_of() {
	ip -o link show dev "$1" 2>/dev/null |
	    sed -n 's/.* master \([^ ]*\) .*/\1/p'
}

# The host's interface of domain $1's NIC with MAC $2.
tap_of() {
	lv_virsh domiflist "$(lv_name "$1")" 2>/dev/null |
	    awk -v m="$2" '$5 == m { print $1 }'
}

# bridged NAME DOM MAC: a packet from $NSA starts DOM, whose tap is then
# a port of $BR; a second packet finds it running and does nothing.
bridged() {
	_n=$1 _d=$2 _m=$3
	_dn=$(lv_name "$_d")
	_n0=$(nlines)
	insa "$WAKEUP" wa0 "$_m" >"$TMPD/send.out" 2>&1 ||
	    { fail "$_n: woken" "wakeup: $(cat "$TMPD/send.out")"; return 1; }
	_re="wake $_dn mac $_m on $BR from $IPS: start: ok"
	if ! waitline "$_n0" "$_re"; then
		fail "$_n: woken" "no '$_re' in the log: $(logtail)"
		return 1
	fi
	if ! lv_wait_state "$_d" running 10; then
		fail "$_n: woken" "logged, but it is $(lv_state "$_d")"
		return 1
	fi
	_nw=$(count_lines "$_n0" " mac $_m ")
	if [ "$_nw" -ne 1 ]; then
		fail "$_n: woken" "$_nw log lines for one packet"
		return 1
	fi
	pass "$_n: woken"

	_tap=$(tap_of "$_d" "$_m")
	if [ -z "$_tap" ]; then
		fail "$_n: tap on the bridge" "no tap in virsh domiflist"
	elif [ "$(master_of "$_tap")" != "$BR" ]; then
		fail "$_n: tap on the bridge" "$_tap's master is" \
		    "'$(master_of "$_tap")'"
	else
		pass "$_n: tap on the bridge"
	fi

	# wakeupd runs with -w 0: no window to wait out.
	_n0=$(nlines)
	insa "$WAKEUP" wa0 "$_m" >"$TMPD/send.out" 2>&1 ||
	    { fail "$_n: running, nothing done" "wakeup failed"; return 1; }
	_re="wake $_dn mac $_m on $BR from $IPS: none: running"
	if ! waitline "$_n0" "$_re"; then
		fail "$_n: running, nothing done" "no '$_re': $(logtail)"
	elif [ "$(count_lines "$_n0" " mac $_m ")" -ne 1 ]; then
		fail "$_n: running, nothing done" "more lines: $(logtail)"
	elif [ "$(lv_virsh domstate --reason "$_dn" 2>/dev/null |
	    sed -n 1p)" != "running (booted)" ]; then
		fail "$_n: running, nothing done" "it is $(lv_state "$_d")"
	else
		pass "$_n: running, nothing done"
	fi
}

if [ ! -x "$WAKEUPD" ] || [ ! -x "$WAKEUP" ]; then
	fail "bridge: setup" "wakeupd or wakeup not built"
	exit 1
fi
bridge_setup || { fail "bridge: setup" "cannot make $BR, $VE or $NSA"; exit 1; }
lv_start || { fail "bridge: setup" "cannot reach or start libvirtd"; exit 1; }
if ! lv_net_bridge n "$BR"; then
	fail "bridge: setup" "cannot create network $(lv_name n) over $BR"
	exit 1
fi
if ! lv_define -i "bridge:$BR" a "$MA" ||
    ! lv_define -i "network:$(lv_name n)" b "$MB"; then
	fail "bridge: setup" "cannot define the domains"
	exit 1
fi
at_cleanup wd_stop
WD_IF=$BR
if ! wd_start -w 0; then
	fail "bridge: setup" "wakeupd: no 'ready' within 15 s: $(logtail)"
	exit 1
fi
pass "bridge: setup"

bridged "bridge: type bridge" a "$MA"
bridged "bridge: type network" b "$MB"

# The bridge's ports are the veth and the domains' taps, nothing else,
# and it has no address.
_ports=$(ip -o link show master "$BR" | awk -F': ' '{ print $2 }' |
    sed 's/@.*//' | sort | tr '\n' ' ')
_want=$(echo "$VE $(tap_of a "$MA") $(tap_of b "$MB")" | tr ' ' '\n' |
    sed '/^$/d' | sort | tr '\n' ' ')
_addr=$(ip -o addr show dev "$BR")
if [ "$_ports" != "$_want" ]; then
	fail "bridge: only our ports, no address" "ports '$_ports'," \
	    "want '$_want'"
elif [ -n "$_addr" ]; then
	fail "bridge: only our ports, no address" "$_addr"
else
	pass "bridge: only our ports, no address"
fi

wd_stop
