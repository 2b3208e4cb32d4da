#!/bin/sh
# Bad input to wakeupd, table-driven: each bad option, interface, user,
# filter or capture file gives its one line on stderr (the usage text
# for a wrong command line) and exit 1, at once, before anything starts:
# a bad argument that were accepted would leave a daemon running, which
# timeout(1) would catch.  Option and -r errors need no privilege;
# interface and user errors need root and run in a namespace of their
# own, with -d and the libvirt test driver so that no daemon and no
# real hypervisor could be involved even if a check were missing.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"
. "$TOP/regress/badargs.sh"

PWERR="invalid password, want aa:bb:cc:dd:ee:ff or a.b.c.d"
# Everything that would otherwise run: foreground, the build's capture
# program, test driver.
D="-d -C $WAKEUPD_CAPTURE -c test:///default"
# Capture programs that wakeupd must refuse to run as root: one owned by
# nobody, one writable by its group, and one in a directory that anyone
# may write to; and one it accepts, in a sticky directory (/tmp, above
# $TMPD, which is root's).
C=$TMPD/capture
CWARN="must be owned by root and writable only by it, as it runs the capture program"
P=$TMPD/cap
URIS=$(for i in $(seq 17); do printf -- '-c test:///default '; done)
IFS33=$(seq -f 'wut%g' 33 | tr '\n' ' ')
LONG=wut-$(printf '%060d' 0)
# glibc's getopt names the program by its path and quotes the letter.
GETOPT="(wakeupd|.*/wakeupd)"

# Capture files: an empty one of Ethernet and one of 802.11 (neither
# Ethernet nor IP), and two that are not capture files.
pcap_hdr() {
	printf '\324\303\262\241\002\000\004\000\000\000\000\000'
	printf '\000\000\000\000\377\377\000\000'"$1"'\000\000\000'
}
mkdir "$C" "$C/ww" && chmod 755 "$C" && chmod 777 "$C/ww"
for f in nobody gw tmp ww/c; do
	cp "$WAKEUPD_CAPTURE" "$C/$f" && chmod 755 "$C/$f"
done
chown nobody "$C/nobody" 2>/dev/null
chmod g+w "$C/gw"
pcap_hdr '\001' >"$P.ether"
pcap_hdr '\151' >"$P.wifi"
: >"$P.empty"
echo "not a capture file" >"$P.text"

# who|name|arguments|expected stderr (see regress/badargs.sh)
cat >"$TMPD/table" <<EOF
any|no arguments||usage
any|options, no interface|-v -c test:///default|usage
any|unknown option|-x wb0|usage~$GETOPT: (unknown|invalid) option -- '?x'?
any|option without its argument|wb0 -w|usage~$GETOPT: option requires an argument -- '?w'?
any|-w abc|$D -w abc wb0|wakeupd: debounce window abc: invalid
any|-w empty|$D -w '' wb0|wakeupd: debounce window : invalid
any|-w 3601|$D -w 3601 wb0|wakeupd: debounce window 3601: too large
any|-w -1|$D -w -1 wb0|wakeupd: debounce window -1: too small
any|-s a word|$D -s secret wb0|wakeupd: -s: $PWERR
any|-s five bytes|$D -s 01:02:03:04:05 wb0|wakeupd: -s: $PWERR
any|-s 10.0.0.256|$D -s 10.0.0.256 wb0|wakeupd: -s: $PWERR
any|17 URIs|-d $URIS wb0|wakeupd: too many URIs (at most 16)
any|33 interfaces|$D $IFS33|wakeupd: too many interfaces (at most 32)
any|-r no such file|-r $P.nosuch|wakeupd: $P.nosuch: No such file or directory
any|-r with an interface|-r $P.ether wb0|usage
any|-r empty file|-r $P.empty|~wakeupd: ($P.empty: )?truncated dump file.*
any|-r not a capture|-r $P.text|~wakeupd: ($P.text: )?(unknown|bad dump) file format
any|-r neither Ethernet nor IP|-r $P.wifi|wakeupd: $P.wifi: link type IEEE802_11: neither Ethernet nor IP
any|-r bad filter|-f 'ether src (' -r $P.ether|~wakeupd: sender filter: .+
unpriv|not root|$D wb0|wakeupd: need root privileges
ns|-u no such user|$D -u wut-nosuch-$$ wb0|wakeupd: user wut-nosuch-$$ does not exist; create it, see wakeupd(8)
ns|-u root|$D -u root wb0|wakeupd: user root has uid 0; the capture process needs an unprivileged user
ns|-C relative path|-d -C wakeupd/wakeupd-capture -u nobody wb0|wakeupd: wakeupd/wakeupd-capture: the capture program must be an absolute path
ns|-C no such file|-d -C $C/nosuch -u nobody wb0|wakeupd: $C/nosuch: No such file or directory
ns|-C a directory|-d -C $C -u nobody wb0|wakeupd: $C: the capture program is not a regular file
ns|-C owned by nobody|-d -C $C/nobody -u nobody wb0|wakeupd: $C/nobody: $CWARN
ns|-C writable by its group|-d -C $C/gw -u nobody wb0|wakeupd: $C/gw: $CWARN
ns|-C in a directory anyone may write to|-d -C $C/ww/c -u nobody wb0|wakeupd: $C/ww: $CWARN
ns|-C under sticky /tmp: runs|-d -C $C/tmp -u nobody wut-nosuch0|wakeupd: wut-nosuch0: no such interface
ns|-f bad expression|$D -u nobody -f 'ether src (' wb0|~wakeupd: wb0: sender filter: .+
ns|-f half an expression|$D -u nobody -f 'ether src 00:11:22:33:44:55 or' wb0|~wakeupd: wb0: sender filter: .+
ns|unknown interface|$D -u nobody wut-nosuch0|wakeupd: wut-nosuch0: no such interface
ns|good, then unknown interface|$D -u nobody wb0 wut-nosuch0|wakeupd: wut-nosuch0: no such interface
ns|interface name too long|$D -u nobody $LONG|wakeupd: $LONG: interface name too long
ns|interface down|$D -u nobody wc0|wakeupd: wc0: interface down
EOF
# Only where the kernel has tun(4): a tun whose link type is netlink's,
# which libpcap reports as such (a tun as it comes, raw IP, is taken).
[ "$(id -u)" -eq 0 ] && [ -c /dev/net/tun ] &&
    echo "ns|neither Ethernet nor IP (tun as netlink)|$D -u nobody wtun0|wakeupd: wtun0: link type NETLINK: neither Ethernet nor IP" \
    >>"$TMPD/table"
# A tun as it comes (raw IP) has no Ethernet addresses to filter on.
[ "$(id -u)" -eq 0 ] && [ -c /dev/net/tun ] &&
    echo "ns|-f ether src on a tun|$D -u nobody -f 'ether src 00:11:22:33:44:55' wtun1|~wakeupd: wtun1: sender filter: ethernet addresses supported only on .+" \
    >>"$TMPD/table"

if [ "$(id -u)" -eq 0 ]; then
	if ! ns_setup; then
		fail "wakeupd: badargs setup" "ns_setup failed"
		exit 1
	fi
	BA_NS=$NSB
	# An Ethernet interface that is down, one that is neither
	# Ethernet nor IP (ARPHRD_NETLINK, 824), and a tun.
	ip link add wc0 netns "$NSB" type veth peer name wd0 netns "$NSB" ||
	    { fail "wakeupd: badargs setup" "veth wc0"; exit 1; }
	if [ -c /dev/net/tun ]; then
		ip -n "$NSB" tuntap add mode tun name wtun0 &&
		    ip netns exec "$NSB" "$TOP/regress/tools/tunsend" -L 824 \
		    wtun0 && ip -n "$NSB" link set wtun0 up &&
		    ip -n "$NSB" tuntap add mode tun name wtun1 &&
		    ip -n "$NSB" link set wtun1 up ||
		    { fail "wakeupd: badargs setup" "tun"; exit 1; }
	fi
fi

ba_usage "$WAKEUPD" "$TOP/wakeupd/wakeupd.8"
badargs "$WAKEUPD" "$TMPD/table"

# -d without an interface is the systemd unit before WAKEUPD_ARGS is
# set: one line and 78, which the unit does not restart on.
timeout 10 "$WAKEUPD" $D -v >"$TMPD/out" 2>"$TMPD/err" </dev/null
rc=$?
if [ $rc -ne 78 ]; then
	fail "wakeupd: -d, no interface" "exit $rc, want 78"
elif [ -s "$TMPD/out" ] || [ "$(cat "$TMPD/err")" != "wakeupd: no \
interface given; for the systemd unit, set WAKEUPD_ARGS in /etc/default/wakeupd" ]
then
	fail "wakeupd: -d, no interface" "stderr '$(head -c 300 "$TMPD/err")'"
else
	pass "wakeupd: -d, no interface"
fi
check "wakeupd: the unit does not restart on 78" \
    grep -qx 'RestartPreventExitStatus=78' "$TOP/wakeupd/wakeupd.service"
check "wakeupd: at least 25 cases" test "$BA_COUNT" -ge 25
