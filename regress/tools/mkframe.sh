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
# mkframe.sh [-oO] [-A af] [-D ipdst] [-d ethdst] [-l link] [-m mutation]
#     [-P sport] [-p port] [-S ipsrc] [-s ethsrc] [-v vlan] [-w password]
#     ether | udp4 | udp6 | udp6hbh  mac
#
# Print one Ethernet frame carrying a magic packet for mac as a line of
# hex, for sendframe(1) and mkpcap.sh; with -l, the packet as a link
# without Ethernet has it.  The frame is built here, byte
# by byte and independently of common/, so that the tests do not check
# the code with itself.
#
#	ether	EtherType 0x0842
#	udp4	UDP over IPv4; -o adds an IP option (router alert)
#	udp6	UDP over IPv6, with its checksum
#	udp6hbh	the same behind a hop-by-hop options header
#
#	-l link		another link header instead of Ethernet's (no -v):
#		raw	none, the IP header first (DLT_RAW, a tun)
#		null	the address family, 4 bytes little-endian (DLT_NULL
#			as an x86 BSD writes it): 2, or 24 for IPv6
#		loop	the same, big-endian (DLT_LOOP)
#		sll	Linux cooked (DLT_LINUX_SLL), from ethsrc, received
#		sll2	Linux cooked v2 (DLT_LINUX_SLL2), interface index 2
#		sll and sll2 carry the EtherType too, 0x0842 included
#	-A af		the address family number for null and loop
#	-O		sll, sll2: sent by the host (packet type 4)
#	-v vlan		behind an 802.1Q tag with this VLAN id
#	-w password	append a SecureOn password: 4 or 6 bytes in hex,
#			separated by ':' or '-' or not at all
#	-m mutation	break the magic packet on purpose:
#		copies15  15 copies of the target instead of 16
#		copydiff  the 9th copy differs from the others in one bit
#		nosync    the sync stream ends in 0xfe
#		trunc     3 bytes short, with consistent headers
#		cut       the frame ends inside the payload; the headers
#			  still claim the whole of it
#		junk      102 bytes of noise instead of a magic packet
#
# Defaults: Ethernet from 02:00:5e:10:00:0a to ff:ff:ff:ff:ff:ff (to
# 33:33:00:00:00:01 for IPv6), 192.0.2.1 to 192.0.2.255 or fe80::a to
# ff02::1, UDP port 50000 to 9.  Both checksums are computed; the IPv4
# UDP checksum too, though 0 would do.

usage() {
	echo "usage: mkframe.sh [-oO] [-A af] [-D ipdst] [-d ethdst]" \
	    "[-l link] [-m mutation] [-P sport] [-p port] [-S ipsrc]" \
	    "[-s ethsrc] [-v vlan] [-w password]" \
	    "ether | udp4 | udp6 | udp6hbh mac" >&2
	exit 1
}

ethsrc=02:00:5e:10:00:0a
ethdst=
ipsrc=
ipdst=
sport=50000
dport=9
vlan=
pw=
mut=
ipopt=0
link=
af=
outgoing=0
while getopts A:D:d:l:m:OoP:p:S:s:v:w: ch; do
	case $ch in
	A)	af=$OPTARG ;;
	D)	ipdst=$OPTARG ;;
	d)	ethdst=$OPTARG ;;
	l)	link=$OPTARG ;;
	m)	mut=$OPTARG ;;
	O)	outgoing=1 ;;
	o)	ipopt=1 ;;
	P)	sport=$OPTARG ;;
	p)	dport=$OPTARG ;;
	S)	ipsrc=$OPTARG ;;
	s)	ethsrc=$OPTARG ;;
	v)	vlan=$OPTARG ;;
	w)	pw=$OPTARG ;;
	*)	usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || usage
kind=$1
mac=$2

case $kind in
ether|udp4)
	: "${ethdst:=ff:ff:ff:ff:ff:ff}" "${ipsrc:=192.0.2.1}" \
	    "${ipdst:=192.0.2.255}" ;;
udp6|udp6hbh)
	: "${ethdst:=33:33:00:00:00:01}" "${ipsrc:=fe80::a}" \
	    "${ipdst:=ff02::1}" ;;
*)	usage ;;
esac
case $link in
"") ;;
raw|null|loop|sll|sll2)
	[ -z "$vlan" ] || usage
	[ "$kind" != ether ] || [ "$link" = sll ] || [ "$link" = sll2 ] ||
	    usage ;;
*)	usage ;;
esac
case $mut in
""|copies15|copydiff|nosync|trunc|cut|junk) ;;
*)	echo "mkframe.sh: $mut: unknown mutation" >&2; exit 1 ;;
esac

exec awk -v kind="$kind" -v mac="$mac" -v ethsrc="$ethsrc" \
    -v ethdst="$ethdst" -v ipsrc="$ipsrc" -v ipdst="$ipdst" \
    -v sport="$sport" -v dport="$dport" -v vlan="$vlan" -v pw="$pw" \
    -v mut="$mut" -v ipopt="$ipopt" -v link="$link" -v af="$af" \
    -v outgoing="$outgoing" '
function die(msg) {
	print "mkframe.sh: " msg > "/dev/stderr"
	bad = 1
	exit 1
}
function hexval(h,    i, n) {
	h = tolower(h)
	n = 0
	for (i = 1; i <= length(h); i++)
		n = n * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
	return n
}
function hex(n, digits,    s, i) {
	s = ""
	for (i = 0; i < digits; i++) {
		s = substr("0123456789abcdef", n % 16 + 1, 1) s
		n = int(n / 16)
	}
	return s
}
function num(s, max, what) {
	if (s !~ /^[0-9]+$/ || s + 0 > max)
		die(what " " s ": not a number up to " max)
	return s + 0
}
# Bytes written as hex with optional separators: exactly n of them.
function bytes(s, n, what,    h) {
	h = tolower(s)
	gsub(/[:-]/, "", h)
	if (h !~ /^[0-9a-f]*$/ || length(h) != 2 * n)
		die(what " " s ": not " n " bytes of hex")
	return h
}
function ip4(s,    p, i, h) {
	if (split(s, p, ".") != 4)
		die(s ": not an IPv4 address")
	h = ""
	for (i = 1; i <= 4; i++)
		h = h hex(num(p[i], 255, "IPv4 address"), 2)
	return h
}
function ip6(s,    halves, n, left, right, p, i, h, pad) {
	n = split(s, halves, "::")
	if (n > 2)
		die(s ": not an IPv6 address")
	left = n >= 1 && halves[1] != "" ? split(halves[1], lp, ":") : 0
	right = n == 2 && halves[2] != "" ? split(halves[2], rp, ":") : 0
	if (n == 1 && left != 8 || n == 2 && left + right > 7)
		die(s ": not an IPv6 address")
	h = ""
	for (i = 1; i <= left; i++)
		h = h group(lp[i], s)
	for (pad = 8 - left - right; pad > 0 && n == 2; pad--)
		h = h "0000"
	for (i = 1; i <= right; i++)
		h = h group(rp[i], s)
	return h
}
function group(g, s) {
	g = tolower(g)
	if (g !~ /^[0-9a-f]+$/ || length(g) > 4)
		die(s ": not an IPv6 address")
	return substr("0000", 1, 4 - length(g)) g
}
# The Internet checksum of the bytes in hex string h.
function cksum(h,    i, sum) {
	if (length(h) % 4 != 0)
		h = h "00"
	sum = 0
	for (i = 1; i <= length(h); i += 4)
		sum += hexval(substr(h, i, 4))
	while (sum > 65535)
		sum = sum % 65536 + int(sum / 65536)
	return hex(65535 - sum, 4)
}
function rep(s, n,    r) {
	r = ""
	while (n-- > 0)
		r = r s
	return r
}
BEGIN {
	target = bytes(mac, 6, "MAC")
	payload = rep("ff", 6) rep(target, 16)
	if (mut == "copies15")
		payload = rep("ff", 6) rep(target, 15)
	else if (mut == "copydiff") {
		b = hexval(substr(target, 11, 2))
		odd = hex(b % 2 ? b - 1 : b + 1, 2)
		payload = rep("ff", 6) rep(target, 8) \
		    substr(target, 1, 10) odd rep(target, 7)
	} else if (mut == "nosync")
		payload = rep("ff", 5) "fe" rep(target, 16)
	else if (mut == "trunc")
		payload = substr(payload, 1, 2 * 99)
	else if (mut == "junk") {
		payload = ""
		x = 12345
		for (i = 0; i < 102; i++) {
			x = (x * 1103 + 12345) % 65536
			payload = payload hex(int(x / 256), 2)
		}
	}
	if (pw != "") {
		p = tolower(pw)
		gsub(/[:-]/, "", p)
		if (p !~ /^[0-9a-f]+$/ || length(p) != 8 && length(p) != 12)
			die("password " pw ": not 4 or 6 bytes of hex")
		payload = payload p
	}
	plen = length(payload) / 2

	eth = bytes(ethdst, 6, "Ethernet destination") \
	    bytes(ethsrc, 6, "Ethernet source")
	if (vlan != "")
		eth = eth "8100" hex(num(vlan, 4094, "VLAN"), 4)

	sp = hex(num(sport, 65535, "port"), 4)
	dp = hex(num(dport, 65535, "port"), 4)
	ulen = hex(8 + plen, 4)
	if (kind == "ether") {
		frame = eth "0842" payload
	} else if (kind == "udp4") {
		s = ip4(ipsrc)
		d = ip4(ipdst)
		opt = ipopt ? "94040000" : ""
		ihl = 5 + length(opt) / 8
		iph = "4" ihl "00" hex(ihl * 4 + 8 + plen, 4) "00004000" \
		    "4011" "0000" s d opt
		iph = substr(iph, 1, 20) cksum(iph) substr(iph, 25)
		uc = cksum(s d "0011" ulen sp dp ulen "0000" payload)
		if (uc == "0000")
			uc = "ffff"
		frame = eth "0800" iph sp dp ulen uc payload
	} else {
		s = ip6(ipsrc)
		d = ip6(ipdst)
		ext = kind == "udp6hbh" ? "1100010400000000" : ""
		nh = kind == "udp6hbh" ? "00" : "11"
		uc = cksum(s d hex(8 + plen, 8) "000000" "11" \
		    sp dp ulen "0000" payload)
		if (uc == "0000")
			uc = "ffff"
		frame = eth "86dd" "60000000" hex(length(ext) / 2 + 8 + plen, 4) \
		    nh "40" s d ext sp dp ulen uc payload
	}
	if (mut == "cut")
		frame = substr(frame, 1, length(frame) - 2 * 42)
	if (link != "") {
		# The EtherType, then the packet, in place of the header.
		type = substr(frame, 25, 4)
		frame = substr(frame, 29)
		if (af == "")
			af = type == "0800" ? 2 : 24
		a = hex(num(af, 4294967295, "address family"), 8)
		src = bytes(ethsrc, 6, "Ethernet source") "0000"
		pkt = outgoing ? 4 : 0
		if (link == "null")
			frame = substr(a, 7, 2) substr(a, 5, 2) \
			    substr(a, 3, 2) substr(a, 1, 2) frame
		else if (link == "loop")
			frame = a frame
		else if (link == "sll")
			frame = hex(pkt, 4) "0001" "0006" src type frame
		else if (link == "sll2")
			frame = type "0000" "00000002" "0001" hex(pkt, 2) \
			    "06" src frame
	}
	print frame
}
END {
	if (bad)
		exit 1
}'
