#!/bin/sh
# Targets named in /etc/ethers.  The real /etc is never touched: each run
# is in a private mount namespace (unshare -m) where an overlay on /etc
# carries a test ethers(5) file.  Needs root.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"
. "$TOP/regress/wakeup/wirelib.sh"

needroot "ethers: names resolve" "ethers: unknown name" \
    "ethers: names on the wire" "ethers: real /etc untouched"

at_cleanup 'kill $CAP_PID 2>/dev/null'
if ! ns_setup; then
	fail "ethers setup" "ns_setup failed"
	exit 1
fi
had_ethers=no
[ -e /etc/ethers ] && had_ethers=yes

cat >"$TMPD/ethers" <<EOF
# test hosts
$T1	nas
00:11:22:33:44:55 lab-a1
0:11:22:33:44:66	lab-a2.example.org
02:00:00:00:00:07	cafe
ff:ff:ff:ff:ff:ff	everyone
EOF
printf 'nas\n# comment\nlab-a1 first field only\n' >"$TMPD/names"

# Run a script with the test /etc/ethers in place, in $NSA.  The overlay's
# upper layer lives on a tmpfs of its own, which also vanishes with the
# mount namespace.
with_ethers() {
	cat >"$TMPD/inner.sh" <<EOF
set -e
mkdir -p "$TMPD/ovl"
mount -t tmpfs wut-ethers "$TMPD/ovl"
mkdir "$TMPD/ovl/up" "$TMPD/ovl/work"
mount -t overlay wut-etc \
    -o lowerdir=/etc,upperdir="$TMPD/ovl/up",workdir="$TMPD/ovl/work" /etc
cp "$TMPD/ethers" /etc/ethers
set +e
$1
EOF
	ip netns exec "$NSA" unshare -m --propagation private \
	    sh "$TMPD/inner.sh"
}

# resolve NAME MAC: wakeup -n with NAME gives the frames MAC gives.
resolve() {
	with_ethers "\"$WAKEUP\" -n -e wa0 $1" >"$TMPD/name.hex" \
	    2>"$TMPD/name.err"
	_rc=$?
	if [ $_rc -eq 0 ] && [ ! -s "$TMPD/name.err" ] &&
	    [ "$(cat "$TMPD/name.hex")" = "$(wdry -e wa0 $2)" ]; then
		pass "ethers: $1 is $2"
	else
		fail "ethers: $1 is $2" "exit $_rc: $(cat "$TMPD/name.err")"
	fi
}
resolve nas $T1
resolve lab-a1 00:11:22:33:44:55
resolve lab-a2.example.org 00:11:22:33:44:66
# All hex digits, yet a name: looked up because it is no MAC address.
resolve cafe 02:00:00:00:00:07

with_ethers "\"$WAKEUP\" -n wa0 nosuch-$$" >"$TMPD/out" 2>"$TMPD/err"
check "ethers: unknown name" test $? -eq 1 -a ! -s "$TMPD/out" -a \
    "$(cat "$TMPD/err")" = \
    "wakeup: nosuch-$$: not a MAC address or /etc/ethers name"
with_ethers "\"$WAKEUP\" -n wa0 beef" >"$TMPD/out" 2>"$TMPD/err"
check "ethers: unknown hex-looking name" test $? -eq 1 -a \
    "$(cat "$TMPD/err")" = "wakeup: beef: invalid MAC address"
with_ethers "\"$WAKEUP\" -n wa0 nas everyone" >"$TMPD/out" 2>"$TMPD/err"
check "ethers: a name for the broadcast address" test $? -eq 1 -a \
    ! -s "$TMPD/out" -a \
    "$(cat "$TMPD/err")" = "wakeup: everyone: broadcast address"

with_ethers "\"$WAKEUP\" -n -f \"$TMPD/names\" wa0" >"$TMPD/names.hex" \
    2>"$TMPD/err"
check "ethers: names in a target file" test $? -eq 0 -a \
    "$(cat "$TMPD/names.hex")" = "$(wdry wa0 $T1 00:11:22:33:44:55)"

# And for real, out wa0 and into the capture on wb0.
cap_start "$TMPD/ethers.pcap" 2 $WFILTER
with_ethers "\"$WAKEUP\" wa0 nas lab-a2.example.org" 2>"$TMPD/err"
if cap_wait; then
	check "ethers: names on the wire" test \
	    "$(wol_macs "$TMPD/ethers.pcap" | tr '\n' ' ')" = \
	    "$T1 00:11:22:33:44:66 "
else
	fail "ethers: names on the wire" "not captured: $(cat "$TMPD/err")"
fi

if [ $had_ethers = no ]; then
	check "ethers: real /etc untouched" test ! -e /etc/ethers
else
	check "ethers: real /etc untouched" sh -c \
	    "! grep -q 'lab-a2.example.org' /etc/ethers"
fi
check "ethers: no overlay left on /etc" sh -c \
    "! grep -q wut-etc /proc/mounts"
