#!/bin/sh
# wakeup's argument checks: each bad option, target or file gives one
# line on stderr naming what is wrong, nothing on stdout and exit 1.
# These come before the interface is looked at, so no privilege and no
# namespace is needed; where an interface is named, -n makes sure that
# nothing could be sent even if a check were missing.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"

T1=52:54:00:12:34:56
USAGE="usage: wakeup [-6enuv] [-c count] [-d address] [-f file] [-i interval]
              [-p port] [-s password] [-t vlan] interface [target ...]"

# expect NAME STDERR ARGS...: exit 1, exactly STDERR, empty stdout.
expect() {
	_n=$1 _w=$2
	shift 2
	expect_fail "$_n" "$_w" "$WAKEUP" "$@"
}

expect "usage: no arguments" "$USAGE"
expect "usage: no target" "$USAGE" -n lo
expect "usage: unknown option" "wakeup: unknown option -- x
$USAGE" -x lo $T1
expect "usage: missing option argument" \
    "wakeup: option requires an argument -- c
$USAGE" -n -c

expect "count 0" "wakeup: count 0: too small" -n -c 0 lo $T1
expect "count 1001" "wakeup: count 1001: too large" -n -c 1001 lo $T1
expect "count x" "wakeup: count 3x: invalid" -n -c 3x lo $T1
expect "interval -1" "wakeup: interval -1: too small" -n -i -1 lo $T1
expect "interval 60001" "wakeup: interval 60001: too large" -n -i 60001 lo $T1
expect "port 0" "wakeup: port 0: too small" -n -p 0 lo $T1
expect "port 65536" "wakeup: port 65536: too large" -n -p 65536 lo $T1
expect "port 9x" "wakeup: port 9x: invalid" -n -p 9x lo $T1
expect "port empty" "wakeup: port : invalid" -n -p "" lo $T1
expect "VLAN 0" "wakeup: VLAN id 0: too small" -n -t 0 lo $T1
expect "VLAN 4095" "wakeup: VLAN id 4095: too large" -n -t 4095 lo $T1
expect "VLAN x" "wakeup: VLAN id ten: invalid" -n -t ten lo $T1
PWERR="invalid password, want aa:bb:cc:dd:ee:ff or a.b.c.d"
expect "password word" "wakeup: secret: $PWERR" -n -s secret lo $T1
expect "password 1.2.3.256" "wakeup: 1.2.3.256: $PWERR" -n -s 1.2.3.256 lo $T1
expect "password 5 bytes" "wakeup: 01:02:03:04:05: $PWERR" \
    -n -s 01:02:03:04:05 lo $T1
expect "address 256.0.0.1" "wakeup: 256.0.0.1: invalid IPv4 address" \
    -n -d 256.0.0.1 lo $T1
expect "address IPv6 without -6" "wakeup: ff02::1: invalid IPv4 address" \
    -n -d ff02::1 lo $T1
expect "address IPv4 with -6" "wakeup: 192.0.2.1: invalid IPv6 address" \
    -n -6 -d 192.0.2.1 lo $T1
expect "address name" "wakeup: localhost: invalid IPv4 address" \
    -n -d localhost lo $T1
EXCL="wakeup: -e cannot be used with -6, -d or -p"
expect "-e with -6" "$EXCL" -n -e -6 lo $T1
expect "-e with -d" "$EXCL" -n -e -d 192.0.2.255 lo $T1
expect "-e with -p 9" "$EXCL" -n -e -p 9 lo $T1

expect "target zz:zz" "wakeup: zz:zz: invalid MAC address" -n lo zz:zz
expect "target 5 bytes" "wakeup: 00:11:22:33:44: invalid MAC address" \
    -n lo 00:11:22:33:44
expect "target 11 hex digits" "wakeup: aabbccddeef: invalid MAC address" \
    -n lo aabbccddeef
expect "target dotted short" "wakeup: aabb.ccdd.eef: invalid MAC address" \
    -n lo aabb.ccdd.eef
expect "target broadcast" "wakeup: ff:ff:ff:ff:ff:ff: broadcast address" \
    -n lo ff:ff:ff:ff:ff:ff
expect "target multicast" "wakeup: 01-00-5e-00-00-01: multicast address" \
    -n lo 01-00-5e-00-00-01
expect "target zero" "wakeup: 000000000000: all-zero address" \
    -n lo 000000000000
expect "target unknown name" \
    "wakeup: wut-nosuch-$$: not a MAC address or /etc/ethers name" \
    -n lo wut-nosuch-$$
expect "bad target after good ones" \
    "wakeup: 0g:11:22:33:44:55: invalid MAC address" -n lo $T1 00:11:22:33:44:55 0g:11:22:33:44:55

# Target files: errors name the file and the line.
printf '# hosts\n\n%s\n  zz:zz  # typo\n' $T1 >"$TMPD/bad"
expect "file: bad line" "wakeup: $TMPD/bad:4: zz:zz: invalid MAC address" \
    -n -f "$TMPD/bad" lo
printf '%s\nff:ff:ff:ff:ff:ff\n' $T1 >"$TMPD/bcast"
# expect() gives stdin from /dev/null: an empty list.
expect "file: empty stdin" "wakeup: stdin: no targets" -n -f - lo
"$WAKEUP" -n -f - lo <"$TMPD/bcast" >"$TMPD/out" 2>"$TMPD/err"
check "file: stdin error names stdin" test $? -eq 1 -a \
    "$(cat "$TMPD/err")" = \
    "wakeup: stdin:2: ff:ff:ff:ff:ff:ff: broadcast address"
printf '# nothing here\n\n   \n\t# nor here\n' >"$TMPD/empty"
expect "file: no targets" "wakeup: $TMPD/empty: no targets" \
    -n -f "$TMPD/empty" lo
expect "file: missing" "wakeup: $TMPD/nosuch: No such file or directory" \
    -n -f "$TMPD/nosuch" lo
expect "file: a directory" "wakeup: $TMPD: Is a directory" -n -f "$TMPD" lo
printf '%s\n' $T1 >"$TMPD/good"
expect "file: good, command line bad" "wakeup: zz:zz: invalid MAC address" \
    -n -f "$TMPD/good" lo zz:zz

# Interfaces that cannot be used, in a dry run on the host (nothing can
# be sent: -n, and the checks come before libnet is opened).
expect "no such interface" "wakeup: wut-nosuch0: no such interface" \
    -n wut-nosuch0 $T1
expect "interface name too long" \
    "wakeup: wut-nosuch0123456789: no such interface" \
    -n wut-nosuch0123456789 $T1
expect "loopback has no Ethernet address" "wakeup: lo: no Ethernet address" \
    -n lo $T1
