#!/bin/sh
# wakeup -n: every frame variant compared byte for byte with the files in
# golden/, and a dry run of 10,000 targets.  Runs in a network namespace
# of its own (unshare -n as root, unshare -rn otherwise) holding a veth
# pair with fixed addresses, so the frames are the same on any machine.
# Nothing is sent: every wakeup here is a dry run.
#
# UPDATE=1 sh regress/wakeup/t_golden.sh rewrites the golden files; check
# the new ones with tshark before committing them.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"

G=$TOP/regress/wakeup/golden
T1=52:54:00:12:34:56

# name|arguments (wa0: 02:00:5e:10:00:0a, 192.0.2.10/24, fe80::a;
# wa1: 02:00:5e:10:00:0c, no IP address at all)
cat >"$TMPD/cases" <<EOF
udp4|wa0 $T1
udp4-forms|wa0 $T1 00-11-22-33-44-55 0011.2233.4466 02005E100001 a:b:c:d:e:f
udp4-directed|-d 192.0.2.255 -p 7 wa0 $T1
udp4-port|-p 65535 wa0 $T1
udp4-unicast|-u wa0 $T1
udp4-noaddr|wa1 $T1
ether|-e wa0 $T1
ether-unicast|-e -u wa0 $T1
ipv6|-6 wa0 $T1
ipv6-dst|-6 -d ff02::1:ff12:3456 -p 40000 wa0 $T1
ipv6-unicast|-6 -u -d fe80::5054:ff:fe12:3456 wa0 $T1
ipv6-noaddr|-6 wa1 $T1
vlan|-t 5 wa0 $T1
vlan-ether|-e -t 4094 wa0 $T1
vlan-ipv6|-6 -t 100 wa0 $T1
pw6|-s 01:23:45:67:89:ab wa0 $T1
pw4|-s 192.168.1.1 wa0 $T1
pw-ether|-e -s 0123.4567.89ab wa0 $T1
pw-vlan-ipv6|-6 -t 7 -s 10.20.30.40 wa0 $T1
count|-c 3 -i 60000 wa0 $T1 00:11:22:33:44:55
file|-f $TMPD/targets wa0 $T1
EOF

cat >"$TMPD/targets" <<'EOF'
# a comment, then a blank line

   00:11:22:33:44:55	first, after leading blanks
	#indented comment
00-11-22-33-44-66 # a trailing comment
0011.2233.4477
EOF

# The 10,000 bulk targets, 02:00:00:00:00:01 upwards.
awk 'BEGIN { for (i = 1; i <= 10000; i++)
	printf "02:00:00:00:%02x:%02x\n", int(i / 256), i % 256 }' \
    >"$TMPD/bulk"

# Run inside the namespace: set up the links, then every case.
cat >"$TMPD/inner.sh" <<'EOF'
. "$TOP/regress/links.sh" || exit 1
mkdir -p "$TMPD/out"
while IFS='|' read -r name args; do
	# shellcheck disable=SC2086
	"$WAKEUP" -n $args >"$TMPD/out/$name.hex" 2>"$TMPD/out/$name.err"
	echo $? >"$TMPD/out/$name.rc"
done <"$TMPD/cases"
"$WAKEUP" -n -f "$TMPD/bulk" wa0 >"$TMPD/out/bulk.hex" 2>"$TMPD/out/bulk.err"
echo $? >"$TMPD/out/bulk.rc"
"$WAKEUP" -n -f - wa0 <"$TMPD/bulk" >"$TMPD/out/stdin.hex" 2>&1
for n in 1 5000 10000; do
	"$WAKEUP" -n wa0 "$(sed -n ${n}p "$TMPD/bulk")" >"$TMPD/out/one$n.hex"
done
"$WAKEUP" -n -v -c 2 wa0 $T1 >/dev/null 2>"$TMPD/out/verbose.err"
"$WAKEUP" -n -v -e wa0 $T1 00:11:22:33:44:55 >/dev/null \
    2>"$TMPD/out/verbose-e.err"
"$WAKEUP" -n -v -6 wa1 $T1 >/dev/null 2>"$TMPD/out/verbose-6.err"
EOF

names=$(cut -d'|' -f1 "$TMPD/cases")
if [ "$(id -u)" -eq 0 ]; then
	set -- unshare -n
else
	set -- unshare -rn
fi
if ! "$@" true 2>/dev/null; then
	for n in $names bulk; do
		skip "golden $n" "cannot create a network namespace (no privilege)"
	done
	exit 0
fi
export TOP TMPD WAKEUP T1
if ! "$@" sh "$TMPD/inner.sh" >"$TMPD/inner.out" 2>&1; then
	fail "golden setup" "$(tr '\n' ' ' <"$TMPD/inner.out")"
	exit 1
fi

for n in $names; do
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$TMPD/out/$n.hex" "$G/$n.hex"
		echo "updated $G/$n.hex"
	fi
	if [ "$(cat "$TMPD/out/$n.rc")" != 0 ]; then
		fail "golden $n" "exit $(cat "$TMPD/out/$n.rc"):" \
		    "$(cat "$TMPD/out/$n.err")"
	elif [ -s "$TMPD/out/$n.err" ]; then
		fail "golden $n" "stderr: $(cat "$TMPD/out/$n.err")"
	elif diff -u "$G/$n.hex" - <"$TMPD/out/$n.hex" >"$TMPD/diff"; then
		pass "golden $n"
	else
		fail "golden $n" "$(head -c 600 "$TMPD/diff" | tr '\n' ' ')"
	fi
done

# The golden files themselves, as Wireshark reads them: checksums good,
# and the target, ports, VLAN and addresses where the case says.
# A private home: the caller's Wireshark preferences must not change the
# decode (and tshark 4.0 crashes on a home it cannot read).
tsh() {
	HOME=$TMPD XDG_CONFIG_HOME=$TMPD tshark "$@"
}
hex2pcap() {
	awk '{ printf "000000"
	       for (i = 1; i <= length($0); i += 2) printf " %s", substr($0, i, 2)
	       printf "\n" }' "$1" | text2pcap -q - "$2" 2>/dev/null
}
decode() {
	hex2pcap "$G/$1.hex" "$TMPD/$1.pcap" || return 1
	tsh -r "$TMPD/$1.pcap" --disable-protocol echo -E occurrence=f \
	    -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
	    -T fields -E separator=' ' -e frame.len -e eth.dst -e eth.src \
	    -e eth.type -e vlan.id -e vlan.etype -e ip.src -e ip.dst \
	    -e ip.ttl -e ip.id -e ip.checksum.status -e ipv6.src -e ipv6.dst \
	    -e ipv6.hlim -e udp.srcport -e udp.dstport \
	    -e udp.checksum.status -e wol.mac 2>/dev/null | head -1 |
	    sed 's/  */ /g; s/ $//'
	# tshark 4.0 prints wol.passwd garbled as a field; -V has it right.
	tsh -r "$TMPD/$1.pcap" -V 2>/dev/null |
	    awk '/^ *Password: / { printf " %s", $2; exit }'
}
if ! command -v tshark >/dev/null || ! command -v text2pcap >/dev/null; then
	fail "golden decode" "tshark and text2pcap are needed (make deps)"
	exit 1
fi
while read -r n want; do
	got=$(decode "$n" | tr -d '\n')
	if [ "$got" = "$want" ]; then
		pass "golden $n decodes as $want"
	else
		fail "golden $n decode" "got '$got', want '$want'"
	fi
done <<EOF
udp4 144 ff:ff:ff:ff:ff:ff 02:00:5e:10:00:0a 0x0800 192.0.2.10 255.255.255.255 64 0x0000 1 9 9 1 $T1
udp4-directed 144 ff:ff:ff:ff:ff:ff 02:00:5e:10:00:0a 0x0800 192.0.2.10 192.0.2.255 64 0x0000 1 7 7 1 $T1
udp4-port 144 ff:ff:ff:ff:ff:ff 02:00:5e:10:00:0a 0x0800 192.0.2.10 255.255.255.255 64 0x0000 1 65535 65535 1 $T1
udp4-unicast 144 $T1 02:00:5e:10:00:0a 0x0800 192.0.2.10 255.255.255.255 64 0x0000 1 9 9 1 $T1
udp4-noaddr 144 ff:ff:ff:ff:ff:ff 02:00:5e:10:00:0c 0x0800 0.0.0.0 255.255.255.255 64 0x0000 1 9 9 1 $T1
ether 116 ff:ff:ff:ff:ff:ff 02:00:5e:10:00:0a 0x0842 $T1
ether-unicast 116 $T1 02:00:5e:10:00:0a 0x0842 $T1
ipv6 164 33:33:00:00:00:01 02:00:5e:10:00:0a 0x86dd fe80::a ff02::1 64 9 9 1 $T1
ipv6-dst 164 33:33:ff:12:34:56 02:00:5e:10:00:0a 0x86dd fe80::a ff02::1:ff12:3456 64 40000 40000 1 $T1
ipv6-unicast 164 $T1 02:00:5e:10:00:0a 0x86dd fe80::a fe80::5054:ff:fe12:3456 64 9 9 1 $T1
ipv6-noaddr 164 33:33:00:00:00:01 02:00:5e:10:00:0c 0x86dd :: ff02::1 64 9 9 1 $T1
vlan 148 ff:ff:ff:ff:ff:ff 02:00:5e:10:00:0a 0x8100 5 0x0800 192.0.2.10 255.255.255.255 64 0x0000 1 9 9 1 $T1
vlan-ether 120 ff:ff:ff:ff:ff:ff 02:00:5e:10:00:0a 0x8100 4094 0x0842 $T1
vlan-ipv6 168 33:33:00:00:00:01 02:00:5e:10:00:0a 0x8100 100 0x86dd fe80::a ff02::1 64 9 9 1 $T1
pw6 150 ff:ff:ff:ff:ff:ff 02:00:5e:10:00:0a 0x0800 192.0.2.10 255.255.255.255 64 0x0000 1 9 9 1 $T1 01:23:45:67:89:ab
pw4 148 ff:ff:ff:ff:ff:ff 02:00:5e:10:00:0a 0x0800 192.0.2.10 255.255.255.255 64 0x0000 1 9 9 1 $T1 192.168.1.1
pw-ether 122 ff:ff:ff:ff:ff:ff 02:00:5e:10:00:0a 0x0842 $T1 01:23:45:67:89:ab
pw-vlan-ipv6 172 33:33:00:00:00:01 02:00:5e:10:00:0a 0x8100 7 0x86dd fe80::a ff02::1 64 9 9 1 $T1 10.20.30.40
EOF

# Several targets: one frame each, in order, and each round in turn.
check "golden udp4-forms targets in order" test \
    "$(hex2pcap "$G/udp4-forms.hex" "$TMPD/f.pcap" &&
    tsh -r "$TMPD/f.pcap" -E occurrence=f -T fields -e wol.mac \
    2>/dev/null | tr '\n' ' ')" = \
    "$T1 00:11:22:33:44:55 00:11:22:33:44:66 02:00:5e:10:00:01 0a:0b:0c:0d:0e:0f "
check "golden count: 3 rounds of 2 targets" test \
    "$(hex2pcap "$G/count.hex" "$TMPD/c.pcap" &&
    tsh -r "$TMPD/c.pcap" -E occurrence=f -T fields -e wol.mac \
    2>/dev/null | tr '\n' ' ')" = \
    "$T1 00:11:22:33:44:55 $T1 00:11:22:33:44:55 $T1 00:11:22:33:44:55 "
check "golden file: targets from the file, then the command line" test \
    "$(hex2pcap "$G/file.hex" "$TMPD/t.pcap" &&
    tsh -r "$TMPD/t.pcap" -E occurrence=f -T fields -e wol.mac \
    2>/dev/null | tr '\n' ' ')" = \
    "00:11:22:33:44:55 00:11:22:33:44:66 00:11:22:33:44:77 $T1 "

# The bulk dry run: 10,000 distinct frames, each the one a single-target
# run gives, and the same when the list comes on stdin.
O=$TMPD/out
if [ "$(cat "$O/bulk.rc")" = 0 ] && [ ! -s "$O/bulk.err" ] &&
    [ "$(wc -l <"$O/bulk.hex")" -eq 10000 ] &&
    [ "$(sort -u "$O/bulk.hex" | wc -l)" -eq 10000 ]; then
	pass "bulk: 10000 targets, 10000 distinct frames"
else
	fail "bulk" "exit $(cat "$O/bulk.rc"), $(wc -l <"$O/bulk.hex") lines: \
$(head -c 200 "$O/bulk.err")"
fi
for n in 1 5000 10000; do
	check "bulk: frame $n is the single-target frame" test \
	    "$(sed -n ${n}p "$O/bulk.hex")" = "$(cat "$O/one$n.hex")"
done
check "bulk: -f - reads stdin" cmp "$O/bulk.hex" "$O/stdin.hex"

# -v: a summary line, then one line per frame, all on stderr.
check "verbose lines" test "$(cat "$O/verbose.err")" = \
"wakeup: wa0: source 02:00:5e:10:00:0a 192.0.2.10, 1 target, 2 rounds
wakeup: wa0: built $T1, 144 bytes
wakeup: wa0: built $T1, 144 bytes"
check "verbose lines, -e" test "$(cat "$O/verbose-e.err")" = \
"wakeup: wa0: source 02:00:5e:10:00:0a, 2 targets, 1 round
wakeup: wa0: built $T1, 116 bytes
wakeup: wa0: built 00:11:22:33:44:55, 116 bytes"
check "verbose lines, -6 without an address" \
    test "$(cat "$O/verbose-6.err")" = \
"wakeup: wa1: source 02:00:5e:10:00:0c ::, 1 target, 1 round
wakeup: wa1: built $T1, 164 bytes"
