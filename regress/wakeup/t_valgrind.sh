#!/bin/sh
# valgrind memcheck over wakeup -n (every encapsulation, passwords,
# several rounds, a bulk file of 1,000 targets on a file and on stdin,
# and the error exits) and over wakeupd -r (capture files of every
# encapsulation, malformed frames, a sender filter, 1,000 frames, and
# its error exits).  Each run must report "ERROR SUMMARY: 0 errors" and
# no definitely or indirectly lost bytes, exit as it does without
# valgrind and print the same.  wakeup runs in a network namespace of
# its own, as in t_golden.sh (unshare -n as root, -rn otherwise); no
# frame is sent, every wakeup here is a dry run.  Library internals,
# if any, are suppressed in regress/valgrind.supp.  KEEP=dir keeps
# valgrind's logs in dir/out.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"

T1=52:54:00:12:34:56
MK=$TOP/regress/tools/mkframe.sh
O=${KEEP:-$TMPD}/out
mkdir -p "$O"

# name|expected exit|arguments (wa0: 02:00:5e:10:00:0a, 192.0.2.10/24,
# fe80::a; wa1: no IP address)
cat >"$TMPD/wcases" <<EOF
udp4|0|wa0 $T1
forms|0|wa0 $T1 00-11-22-33-44-55 0011.2233.4466 02005E100001
directed|0|-d 192.0.2.255 -p 7 wa0 $T1
unicast|0|-u wa0 $T1
noaddr|0|wa1 $T1
ether|0|-e wa0 $T1
ether-vlan-pw6|0|-e -t 4094 -s 0123.4567.89ab wa0 $T1
ipv6|0|-6 wa0 $T1
ipv6-unicast|0|-6 -u -d fe80::5054:ff:fe12:3456 wa0 $T1
ipv6-vlan-pw4|0|-6 -t 7 -s 10.20.30.40 wa0 $T1
rounds-verbose|0|-v -c 3 -i 60000 wa0 $T1 00:11:22:33:44:55
bulk|0|-f $TMPD/bulk wa0
bulk-ipv6-pw|0|-6 -s 01:02:03:04:05:06 -f $TMPD/bulk wa0 $T1
err-file-line|1|-f $TMPD/bulkbad wa0
err-no-interface|1|wut-nosuch0 $T1
err-no-ether|1|lo $T1
err-password|1|-s secret wa0 $T1
err-file-missing|1|-f $TMPD/nosuch wa0
EOF

# 1,000 targets, 02:00:00:00:00:01 upwards; the same with a bad last line.
awk 'BEGIN { for (i = 1; i <= 1000; i++)
	printf "02:00:00:00:%02x:%02x\n", int(i / 256), i % 256 }' \
    >"$TMPD/bulk"
{ cat "$TMPD/bulk"; echo "02:00:00:00:zz:zz"; } >"$TMPD/bulkbad"

if ! command -v valgrind >/dev/null; then
	fail "valgrind" "valgrind is needed (make deps)"
	exit 1
fi
# ASan and valgrind do not mix: make asan-test checks these itself.
for p in "$WAKEUP" "$WAKEUPD"; do
	if grep -q __asan_init "$p"; then
		fail "valgrind" "$(basename "$p") is built with ASan"
		exit 0
	fi
done

VG="valgrind --tool=memcheck --leak-check=full \
--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
--track-origins=yes --error-exitcode=99 \
--suppressions=$TOP/regress/valgrind.supp"

cat >"$TMPD/inner.sh" <<'EOF'
. "$TOP/regress/links.sh" || exit 1
while IFS='|' read -r name rc args; do
	# shellcheck disable=SC2086
	$VG --log-file="$O/$name.vg" "$WAKEUP" -n $args \
	    >"$O/$name.out" 2>"$O/$name.err" </dev/null
	echo $? >"$O/$name.rc"
	"$WAKEUP" -n $args >"$O/$name.plain" 2>"$O/$name.perr" </dev/null
done <"$TMPD/wcases"
$VG --log-file="$O/bulk-stdin.vg" "$WAKEUP" -n -f - wa0 <"$TMPD/bulk" \
    >"$O/bulk-stdin.out" 2>"$O/bulk-stdin.err"
echo $? >"$O/bulk-stdin.rc"
cp "$O/bulk.plain" "$O/bulk-stdin.plain"
: >"$O/bulk-stdin.perr"
EOF

# vgcheck NAME WANTRC: the run NAME exited WANTRC, printed what the
# plain run printed, and valgrind found no error and no leak.
vgcheck() {
	_n=$1 _want=$2
	_rc=$(cat "$O/$_n.rc")
	_vg=$O/$_n.vg
	if [ "$_rc" != "$_want" ]; then
		fail "valgrind $_n" "exit $_rc, want $_want: $(head -c 300 "$O/$_n.err")" \
		    "$(grep -m 3 -A 3 -E '(Invalid|uninitialised|definitely|Possibly corrupted)' "$_vg" | tr '\n' ' ' | head -c 600)"
	elif ! cmp -s "$O/$_n.out" "$O/$_n.plain" ||
	    ! cmp -s "$O/$_n.err" "$O/$_n.perr"; then
		fail "valgrind $_n" "output differs from a run without valgrind"
	elif ! grep -q "ERROR SUMMARY: 0 errors" "$_vg"; then
		fail "valgrind $_n" "$(grep 'ERROR SUMMARY' "$_vg")"
	elif ! grep -q "All heap blocks were freed" "$_vg" &&
	    ! { grep -q "definitely lost: 0 bytes" "$_vg" &&
	    grep -q "indirectly lost: 0 bytes" "$_vg"; }; then
		fail "valgrind $_n" "$(grep -E '(definitely|indirectly) lost' "$_vg" | tr '\n' ' ')"
	else
		pass "valgrind $_n ($(sed -n 's/.*total heap usage: //p' "$_vg" | head -1))"
	fi
}

if [ "$(id -u)" -eq 0 ]; then
	set -- unshare -n
else
	set -- unshare -rn
fi
if ! "$@" true 2>/dev/null; then
	for n in $(cut -d'|' -f1 "$TMPD/wcases") bulk-stdin; do
		skip "valgrind wakeup $n" "cannot create a network namespace"
	done
else
	export TOP TMPD WAKEUP O VG
	if ! "$@" sh "$TMPD/inner.sh" >"$TMPD/inner.out" 2>&1; then
		fail "valgrind setup" "$(tr '\n' ' ' <"$TMPD/inner.out")"
		exit 1
	fi
	while IFS='|' read -r name rc args; do
		vgcheck "$name" "$rc"
	done <"$TMPD/wcases"
	vgcheck bulk-stdin 0
	check "valgrind bulk: 1,000 frames" test \
	    "$(wc -l <"$O/bulk.out")" -eq 1000
	check "valgrind bulk-ipv6-pw: 1,001 frames" test \
	    "$(wc -l <"$O/bulk-ipv6-pw.out")" -eq 1001
	check "valgrind err-file-line: nothing built" test ! -s \
	    "$O/err-file-line.out"
fi

# wakeupd -r: no privilege, no namespace, no libvirt.
frames=
for k in ether udp4 udp6 udp6hbh; do
	for v in "" "-v 7"; do
		# shellcheck disable=SC2086
		frames="$frames $(sh "$MK" $v $k $T1)"
		frames="$frames $(sh "$MK" $v -w 01:02:03:04:05:06 $k $T1)"
		frames="$frames $(sh "$MK" $v -s 02:00:5e:10:00:0f -w c0a80001 \
		    $k $T1)"
	done
	for m in copies15 copydiff nosync trunc cut junk; do
		frames="$frames $(sh "$MK" -m $m $k $T1)"
	done
done
frames="$frames $(sh "$MK" -o udp4 $T1) $(sh "$MK" udp4 ff:ff:ff:ff:ff:ff)"
# shellcheck disable=SC2086
sh "$TOP/regress/tools/mkpcap.sh" "$TMPD/all.pcap" $frames \
    2>"$TMPD/mk.err" ||
    { fail "valgrind wakeupd setup" "mkpcap.sh"; exit 1; }
# 1,000 frames: 250 of each encapsulation, one target each.
awk 'BEGIN { for (i = 1; i <= 250; i++)
	printf "02:00:00:01:%02x:%02x\n", int(i / 256), i % 256 }' |
while read -r m; do
	for k in ether udp4 udp6 udp6hbh; do
		# mkframe.sh's awk has an END block: it would read stdin.
		sh "$MK" $k "$m" </dev/null
	done
done >"$TMPD/many.hex"
# shellcheck disable=SC2046
sh "$TOP/regress/tools/mkpcap.sh" "$TMPD/many.pcap" $(cat "$TMPD/many.hex") \
    2>"$TMPD/mk.err" ||
    { fail "valgrind wakeupd setup" "mkpcap.sh, 1,000 frames"; exit 1; }
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000' \
    >"$TMPD/wifi.pcap"
# Link type 105, 802.11: neither Ethernet nor IP.
printf '\377\377\000\000\151\000\000\000' >>"$TMPD/wifi.pcap"

# name|expected exit|arguments
cat >"$TMPD/dcases" <<EOF
replay|0|-r $TMPD/all.pcap
replay-verbose|0|-v -r $TMPD/all.pcap
replay-filter|0|-v -f 'ether src 02:00:5e:10:00:0f or src host 192.0.2.1' -r $TMPD/all.pcap
replay-1000|0|-r $TMPD/many.pcap
err-replay-missing|1|-r $TMPD/nosuch.pcap
err-replay-not-ip|1|-r $TMPD/wifi.pcap
err-replay-filter|1|-f 'ether src (' -r $TMPD/all.pcap
EOF
while IFS='|' read -r name rc args; do
	eval "set -- $args"
	$VG --log-file="$O/$name.vg" "$WAKEUPD" "$@" \
	    >"$O/$name.out" 2>"$O/$name.err" </dev/null
	echo $? >"$O/$name.rc"
	"$WAKEUPD" "$@" >"$O/$name.plain" 2>"$O/$name.perr" </dev/null
	vgcheck "$name" "$rc"
done <"$TMPD/dcases"
check "valgrind replay: 25 wakes" test \
    "$(grep -c ': wake ' "$O/replay.out")" -eq 25
check "valgrind replay-1000: 1,000 wakes" test \
    "$(grep -c ': wake ' "$O/replay-1000.out")" -eq 1000
check "valgrind replay-filter: fewer wakes" test \
    "$(grep -c ': wake ' "$O/replay-filter.out")" -gt 0 -a \
    "$(grep -c ': wake ' "$O/replay-filter.out")" -lt 25
