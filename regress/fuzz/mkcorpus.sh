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
# mkcorpus.sh: write the seed corpus, regress/fuzz/corpus/<target>/, from
# regress/tools/mkframe.sh (frames of every encapsulation, good and
# broken on purpose), the golden frames of wakeup -n, and text, XML and
# capture process messages written here.  The result is committed; run this again only to change
# the seeds.  Needs xxd.  The files named by a SHA-1 are inputs that
# make fuzz found and that add coverage, merged in with libFuzzer's
# -merge=1 (regress/fuzz/fuzz_T -merge=1 regress/fuzz/corpus/T
# regress/fuzz/work/T); this script leaves them alone.

cd "$(dirname "$0")/../.." || exit 1
C=regress/fuzz/corpus
MK=regress/tools/mkframe.sh
MAC=52:54:00:12:34:56

command -v xxd >/dev/null || { echo "mkcorpus.sh: needs xxd" >&2; exit 1; }
mkdir -p $C/frame $C/payload $C/text $C/domxml $C/msg || exit 1

# put TARGET NAME HEX: one seed from a line of hex.
put() {
	printf '%s' "$3" | xxd -r -p >"$C/$1/$2" || exit 1
}

# Frames: every encapsulation, plain, tagged, with passwords.
for k in ether udp4 udp6 udp6hbh; do
	put frame "$k" "$(sh $MK $k $MAC)"
	put frame "$k-vlan" "$(sh $MK -v 7 $k $MAC)"
	put frame "$k-pw4" "$(sh $MK -w c0a80001 $k $MAC)"
	put frame "$k-vlan-pw6" "$(sh $MK -v 4094 -w 010203040506 $k $MAC)"
	for m in copies15 copydiff nosync trunc cut junk; do
		put frame "$k-$m" "$(sh $MK -m $m $k $MAC)"
	done
done
put frame udp4-ipopt "$(sh $MK -o udp4 $MAC)"
put frame udp4-ipopt-vlan "$(sh $MK -o -v 1 udp4 $MAC)"

# Links without Ethernet: every link header, plain and broken.
for l in raw null loop sll sll2; do
	for k in udp4 udp6 udp6hbh; do
		put frame "$l-$k" "$(sh $MK -l $l $k $MAC)"
		put frame "$l-$k-pw6" "$(sh $MK -l $l -w 010203040506 $k $MAC)"
	done
	put frame "$l-udp4-cut" "$(sh $MK -l $l -m cut udp4 $MAC)"
done
for a in 10 28 30; do
	put frame "null-udp6-af$a" "$(sh $MK -l null -A $a udp6 $MAC)"
	put frame "loop-udp6-af$a" "$(sh $MK -l loop -A $a udp6 $MAC)"
done
put frame null-af23 "$(sh $MK -l null -A 23 udp6 $MAC)"
put frame sll-out "$(sh $MK -l sll -O udp4 $MAC)"
put frame sll2-out "$(sh $MK -l sll2 -O udp6 $MAC)"
put frame sll-0842 "$(sh $MK -l sll ether $MAC)"
put frame sll2-0842 "$(sh $MK -l sll2 ether $MAC)"

# Variations mkframe.sh has no option for, made by editing its output
# at fixed places (the offsets are those of the untagged frames).
h=$(sh $MK udp6hbh $MAC)
# The hop-by-hop header turned into destination options (60) and
# routing (43), and a fragment header (44), which is refused.
put frame udp6-dstopts "$(echo "$h" | sed 's/^\(.\{40\}\)00/\13c/')"
put frame udp6-routing "$(echo "$h" | sed 's/^\(.\{40\}\)00/\12b/')"
put frame udp6-frag "$(echo "$h" | sed 's/^\(.\{40\}\)00/\12c/')"
h=$(sh $MK udp4 $MAC)
# More fragments, and a fragment offset.
put frame udp4-mf "$(echo "$h" | sed 's/^\(.\{40\}\)4000/\12000/')"
put frame udp4-offset "$(echo "$h" | sed 's/^\(.\{40\}\)4000/\10001/')"
# Ethernet padding after the datagram is allowed.
put frame udp4-padded "${h}000000000000"
# Two tags (802.1ad outside 802.1Q), refused.
h=$(sh $MK -v 7 udp4 $MAC)
put frame udp4-qinq "$(echo "$h" | sed 's/^\(.\{24\}\)8100/\188a800078100/')"

# What wakeup -n prints: the golden frames, one seed a frame.
i=0
cat regress/wakeup/golden/*.hex | sort -u | while read -r l; do
	i=$((i + 1))
	put frame "golden-$i" "$l"
done

# Payloads: what follows the 14-byte header of 0x0842 frames.
for w in "" c0a80001 010203040506; do
	for m in "" copies15 copydiff nosync trunc junk; do
		h=$(sh $MK ${w:+-w $w} ${m:+-m $m} ether $MAC) || exit 1
		put payload "payload${w:+-pw$w}${m:+-$m}" \
		    "$(echo "$h" | cut -c 29-)"
	done
done
for t in ff:ff:ff:ff:ff:ff 01:00:5e:00:00:01 00:00:00:00:00:00; do
	put payload "payload-$(echo $t | tr -d :)" \
	    "$(sh $MK ether $t | cut -c 29-)"
done

# Text: every MAC form, the password forms, near misses.
n=0
for s in 52:54:00:12:34:56 52-54-00-12-34-56 525400123456 5254.0012.3456 \
    AA:BB:CC:DD:EE:FF a:b:c:d:e:f 0-1-2-3-4-5 aabb.CCDD.eeff \
    ff:ff:ff:ff:ff:ff 01:00:5e:00:00:01 00:00:00:00:00:00 000000000000 \
    192.168.1.1 0.0.0.0 255.255.255.255 1.2.3.256 1.2.3 1.2.3.4.5 \
    01.002.3.4 zz:zz 00:11:22:33:44 00:11:22:33:44:55:66 aabbccddeef \
    aabbccddeeff0 aabb.ccdd.eef 123:45:67:89:ab:cd 00:11-22:33:44:55 \
    " 00:11:22:33:44:55" "00:11:22:33:44:55 " ::: - .; do
	n=$((n + 1))
	printf '%s' "$s" >"$C/text/text-$n"
done
: >"$C/text/empty"

# Domain XML as libvirt writes it, and the wake policies.
dom() {
	cat <<XML
<domain type='qemu'>
  <name>fuzz</name>
  <uuid>7b3a9c4e-1d2f-4a6b-8c9d-0e1f2a3b4c5d</uuid>
  <memory unit='KiB'>32768</memory>
  <vcpu placement='static'>1</vcpu>
  <metadata>
$1
  </metadata>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <interface type='user'>
      <mac address='52:54:00:12:34:56'/>
      <model type='e1000'/>
      <link state='down'/>
    </interface>
    <interface type='network'>
      <mac address='52:54:00:ab:cd:ef'/>
      <source network='default'/>
    </interface>
    <interface type='bridge'>
      <mac address='not-a-mac'/>
    </interface>
    <serial type='null'/>
  </devices>
</domain>
XML
}
W='xmlns:wakeupd="urn:wakeupd:1"'
dom "" >$C/domxml/none
dom "<wakeupd:wake $W allow=\"yes\"/>" >$C/domxml/allow-yes
dom "<wakeupd:wake $W allow=\"no\"/>" >$C/domxml/allow-no
dom "<wakeupd:wake $W password=\"01:23:45:67:89:ab\"/>" >$C/domxml/pw6
dom "<wakeupd:wake $W allow=\"yes\" password=\"10.20.30.40\"/>" \
    >$C/domxml/allow-pw4
dom "<wakeupd:wake $W allow=\"maybe\"/>" >$C/domxml/bad-allow
dom "<wakeupd:wake $W password=\"secret\"/>" >$C/domxml/bad-pw
dom "<wakeupd:wake $W colour=\"red\"/>" >$C/domxml/bad-attr
dom "<wakeupd:wake $W wakeupd:allow=\"yes\"/>" >$C/domxml/ns-attr
dom "<wakeupd:wake $W allow=\"yes\"><x/></wakeupd:wake>" >$C/domxml/child
dom "<wakeupd:wake $W allow=\"yes\"/><wakeupd:wake $W allow=\"no\"/>" \
    >$C/domxml/two
dom "<wake allow=\"yes\"/>" >$C/domxml/no-ns
printf '<domain><devices><interface><mac address="%s"/></interface>' \
    02:00:00:00:00:01 >$C/domxml/unclosed
printf '<!DOCTYPE domain [<!ENTITY m "52:54:00:12:34:56">]>
<domain><devices><interface><mac address="&m;"/></interface></devices>
</domain>\n' >$C/domxml/entity

# Messages from the capture process to the parent: a header of
# interfaces, options and candidate domains, then messages, each after
# a size byte (see regress/fuzz/fuzz_msg.c).  Byte order: the host's,
# little-endian here; on a big-endian host the seeds are refused
# messages only.
# le32 N, le64 N: a number as little-endian hex.
le32() { printf '%08x' "$1" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'; }
le64() { echo "$(le32 $(($1 & 0xffffffff)))$(le32 $(($1 >> 32)))"; }
# wmsg MAC [PWLEN PW AF SENDER IFIDX TS]: a struct wake_msg, 56 bytes.
wmsg() {
	_s=${5:-020000000001}
	while [ ${#_s} -lt 32 ]; do
		_s=${_s}0
	done
	printf '%s' "454b4157 00000000 $(le64 ${7:-1000000}) $(le32 ${6:-0})"
	printf '%s\n' " $1 $(printf %02x ${2:-0}) ${3:-000000000000}" \
	    " $(printf %02x ${4:-0}) $_s 000000000000"
}
# Group 0 and 1 MACs (mac[5] & 3), and 192.0.2.9 and 2001:db8::9.
MA=525400123454 MB=525400123455 S4=c0000209000000000000000000000000
S6=20010db8000000000000000000000009
# Headers: one interface, window 5 s; then candidates.
OFF=80030000 PUSER=80050000 PMS=800a0000 RUN=80000000 CRASH=800b0000
msgs() {
	_n=$1 _hdr=$2
	shift 2
	put msg "$_n" "$(echo "$_hdr $*" | tr -d ' ')"
}
msgs start "0028 01 $OFF" 00 "$(wmsg $MA)"
msgs resume "0028 01 $PUSER" 00 "$(wmsg $MA)"
msgs pmwakeup "0028 01 $PMS" 00 "$(wmsg $MA)"
msgs up "0028 01 $RUN" 00 "$(wmsg $MA 0 000000000000 2 $S4)"
msgs crashed "0028 01 $CRASH" 00 "$(wmsg $MA 0 000000000000 10 $S6)"
msgs nodomain "0028 01 $OFF" 00 "$(wmsg $MB)"
msgs debounce "0028 01 $OFF" 00 "$(wmsg $MA)" 00 "$(wmsg $MA 0 000000000000 0 \
    020000000001 0 1000)" 00 "$(wmsg $MA 0 000000000000 0 020000000001 0 \
    9223372036854775808)"
msgs optin "0029 02 $OFF 81030001" 00 "$(wmsg $MA)" 00 "$(wmsg $MB)"
# Two with one MAC: on two URIs, or one active elsewhere; a hung one.
msgs ambiguous "0300 02 $OFF a0030000" 00 "$(wmsg $MA 0 000000000000 0 \
    020000000001 3)"
msgs copyactive "0000 02 $OFF a4000000" 00 "$(wmsg $MA)"
msgs hung "0000 02 $OFF b0030000" 00 "$(wmsg $MA)"
msgs optedout "0000 02 80030002 80030003" 00 "$(wmsg $MA)"
# Passwords: the domain's 6 bytes, the global 4, wrong ones till blocked.
PW6=010203040506 PW4=c0000201
msgs pw6 "0000 01 80030008" 00 "$(wmsg $MA 6 $PW6)"
msgs pw4 "0002 01 $OFF" 00 "$(wmsg $MA 4 ${PW4}0000)"
msgs pwmissing "0000 01 80030008" 00 "$(wmsg $MA)"
msgs pwconflict "0000 01 8005080c" 00 "$(wmsg $MA 6 $PW6)"
w=$(wmsg $MA 6 090909090909 0 020000000001 0 1000)
msgs pwblock "0000 01 80030008" 00 "$w" 00 "$w" 00 "$w" 00 "$w" 00 "$w" \
    00 "$w" 00 "$(wmsg $MA 6 $PW6)"
# Refused: too short, too long, empty, the parent's kind, others' fields.
w=$(wmsg $MA | tr -d ' ')
msgs short "0000 01 $OFF" d8 "$(echo "$w" | cut -c 1-96)"
msgs long "0000 01 $OFF" de "${w}00000000"
msgs empty "0000 01 $OFF" c0
msgs kindonly "0000 01 $OFF" c2 454b4157
msgs macs "0000 01 $OFF" 00 "5343414d$(echo "$w" | cut -c 9-)"
msgs ifidx "0000 01 $OFF" 00 "$(wmsg $MA 0 000000000000 0 020000000001 1)"
msgs pwlen "0000 01 $OFF" 00 "$(wmsg $MA 5 $PW6)"
msgs af "0000 01 $OFF" 00 "$(wmsg $MA 0 000000000000 7)"
msgs multicast "0000 01 $OFF" 00 "$(wmsg 015e00000001)"
msgs zeromac "0000 01 $OFF" 00 "$(wmsg 000000000000)"
# A sequence: good, another MAC, then a bad one, then a good one unread.
msgs sequence "1f00 03 $OFF 81050000 80000001" 00 "$(wmsg $MA 0 000000000000 \
    0 020000000001 31)" 00 "$(wmsg $MB)" c4 "$(echo "$w" | cut -c 1-8)" \
    00 "$(wmsg $MA)"
