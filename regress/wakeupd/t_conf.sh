#!/bin/sh
# wakeupd.conf(5): every statement read back by -n in the file's own
# syntax with passwords masked; macros and include; each parse error as
# its one line naming file and line, table-driven; the file checks
# (owner, mode, passwords readable by others); how the command line and
# the file combine; run as an unknown user refused; and, as
# root, a daemon that listens and serves libvirt as the file says.
# Nothing here starts a daemon outside a namespace of its own: the
# error cases stop at the file, the -n cases at an unknown user or on
# lo with libvirt's test driver.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"

C=$TMPD/e.conf
PWERR="invalid password, want aa:bb:cc:dd:ee:ff or a.b.c.d"

# conf FILE FORMAT: FILE holds printf FORMAT, mode 0600.
conf() {
	# shellcheck disable=SC2059
	rm -f "$1" && printf "$2" >"$1" && chmod 0600 "$1"
}

# One error per line: name@@file contents (printf format)@@the line
# after "wakeupd: " (@F@ is the file, @D@ its directory).
cat >"$TMPD/table" <<'EOF'
syntax error@@listen lo\n@@@F@:1: syntax error
unknown keyword@@listen on lo\nfoo bar\n@@@F@:2: syntax error
error on the last line, no newline@@debounce 1\n\n# x\ndebounce 2@@@F@:4: debounce given twice
line count after a continuation@@listen \\\n on lo\nlisten on lo\n@@@F@:3: listen on lo: given twice
debounce too large@@debounce 3601\n@@@F@:1: debounce 3601: want 0 to 3600 seconds
number too large@@debounce 99999999999\n@@@F@:1: number 99999999999: too large
debounce not a number@@debounce 5s\n@@@F@:1: syntax error
interface name too long@@listen on abcdefghijklmnop\n@@@F@:1: abcdefghijklmnop: interface name too long
empty interface name@@listen on ""\n@@@F@:1: empty interface name
libvirt twice@@libvirt "test:///default"\nlibvirt "test:///default"\n@@@F@:2: libvirt "test:///default": given twice
libvirt empty@@libvirt ""\n@@@F@:1: libvirt: empty URI
password bad@@password secret\n@@@F@:1: password: PWERR
password twice@@password 1.2.3.4\npassword 1.2.3.5\n@@@F@:2: password given twice
senders empty@@senders ""\n@@@F@:1: senders: empty filter
senders twice@@senders "arp"\nsenders "ip"\n@@@F@:2: senders given twice
macro not defined@@listen on $nic\n@@@F@:1: macro 'nic' not defined
macro inside a macro@@a = "$b"\nlisten on $a\n@@@F@:2: a macro inside a macro
macro name@@a-b = "x"\n@@@F@:1: macro name a-b: want letters, digits and _
bare dollar@@listen on $\n@@@F@:1: $ without a macro name
unterminated string@@\n\nlibvirt "test:///\n@@@F@:3: unterminated quoted string
bad escape@@libvirt "a\\b"\n@@@F@:1: \ in a quoted string: want \" or \\
unexpected character@@listen on lo!\n@@@F@:1: unexpected character '!'
NUL byte@@listen on l\000o\n@@@F@:1: NUL byte in the file
include missing@@include "nosuch.conf"\n@@@F@:1: include @D@/nosuch.conf: No such file or directory
include error names the included file@@debounce 1\ninclude "bad.inc"\n@@@D@/bad.inc:2: debounce 9999: want 0 to 3600 seconds
include loop@@include "e.conf"\n@@@F@:1: include e.conf: nested too deeply
host without mac@@host a {\n\trelay on em1\n}\n@@@F@:3: host a: no mac
host without action@@host a {\n\tmac 02:00:00:00:00:01\n}\n@@@F@:3: host a: no relay or run
host with two actions@@host a { mac 02:00:00:00:00:01; relay on em1; run "/bin/true" }\n@@@F@:1: host a: one relay or run only
host name with a space@@host "a b" { mac 02:00:00:00:00:01; relay on em1 }\n@@@F@:1: host "a b": want letters, digits, '.', '_' and '-', at most 63
host name empty@@host "" { mac 02:00:00:00:00:01; relay on em1 }\n@@@F@:1: host "": want letters, digits, '.', '_' and '-', at most 63
host name with a slash@@host "../a" { mac 02:00:00:00:00:01; relay on em1 }\n@@@F@:1: host "../a": want letters, digits, '.', '_' and '-', at most 63
host name of 64@@host aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa { mac 02:00:00:00:00:01; relay on em1 }\n@@@F@:1: host "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": want letters, digits, '.', '_' and '-', at most 63
host name with a tab@@host "a\tb" { mac 02:00:00:00:00:01; relay on em1 }\n@@@F@:1: host name: want letters, digits, '.', '_' and '-', at most 63
host twice@@host a { mac 02:00:00:00:00:01; relay on em1 }\nhost a { mac 02:00:00:00:00:02; relay on em1 }\n@@@F@:2: host a defined twice
mac twice@@host a { mac 02:00:00:00:00:01; relay on em1 }\nhost b {\n\trelay on em1\n\tmac 02:00:00:00:00:01\n}\n@@@F@:4: mac 02:00:00:00:00:01: also host a
mac given twice@@host a { mac 02:00:00:00:00:01; mac 02:00:00:00:00:02 }\n@@@F@:1: host a: mac given twice
mac broadcast@@host a { mac ff:ff:ff:ff:ff:ff; relay on em1 }\n@@@F@:1: mac ff:ff:ff:ff:ff:ff: broadcast address
mac invalid@@host a { mac 02:00:00:00:00; relay on em1 }\n@@@F@:1: mac 02:00:00:00:00: invalid MAC address
mac unknown name@@host a { mac wut-nosuchhost; relay on em1 }\n@@@F@:1: mac wut-nosuchhost: not a MAC address or /etc/ethers name
host password bad@@host a { mac 02:00:00:00:00:01; password 1.2.3; relay on em1 }\n@@@F@:1: password: PWERR
from host bits@@host a { mac 02:00:00:00:00:01; from 192.0.2.1/24; relay on em1 }\n@@@F@:1: from 192.0.2.1/24: address bits set past the prefix
from prefix too long@@host a { mac 02:00:00:00:00:01; from 2001:db8::/129; relay on em1 }\n@@@F@:1: from 2001:db8::/129: prefix length too large
from not an address@@host a { mac 02:00:00:00:00:01; from nas; relay on em1 }\n@@@F@:1: from nas: not an IPv4 or IPv6 address
vlan 0@@host a { mac 02:00:00:00:00:01; relay on em1 vlan 0 }\n@@@F@:1: vlan 0: want 1 to 4094
vlan 4095@@host a { mac 02:00:00:00:00:01; relay on em1 vlan 4095 }\n@@@F@:1: vlan 4095: want 1 to 4094
port 0@@host a { mac 02:00:00:00:00:01; relay on em1 port 0 }\n@@@F@:1: port 0: want 1 to 65535
port 65536@@host a { mac 02:00:00:00:00:01; relay on em1 port 65536 }\n@@@F@:1: port 65536: want 1 to 65535
relay to bad@@host a { mac 02:00:00:00:00:01; relay on em1 to 192.0.2.256 }\n@@@F@:1: relay to 192.0.2.256: not an IPv4 or IPv6 address
relay ether with port@@host a {\n\tmac 02:00:00:00:00:01\n\trelay on em1 ether port 9\n}\n@@@F@:4: host a: relay ether takes no to or port
relay password bad@@host a { mac 02:00:00:00:00:01; relay on em1 password x }\n@@@F@:1: password: PWERR
run relative path@@host a { mac 02:00:00:00:00:01; run "bin/true" }\n@@@F@:1: run "bin/true": not an absolute path
run as empty@@host a { mac 02:00:00:00:00:01; run as "" "/bin/true" }\n@@@F@:1: run as "": not a user name
run without a path@@host a { mac 02:00:00:00:00:01; run }\n@@@F@:1: syntax error
timeout without run@@host a { mac 02:00:00:00:00:01; relay on em1; timeout 5 }\n@@@F@:1: host a: timeout is for run
timeout 0@@host a { mac 02:00:00:00:00:01; run "/bin/true"; timeout 0 }\n@@@F@:1: timeout 0: want 1 to 3600 seconds
host block not closed@@host a { mac 02:00:00:00:00:01; run "/bin/true"\n@@@F@:2: syntax error
EOF
n=0
while IFS= read -r line; do
	name=${line%%@@*}
	rest=${line#*@@}
	body=${rest%%@@*}
	want=${rest#*@@}
	want=$(printf '%s' "$want" | sed -e "s|@F@|$C|g" -e "s|@D@|$TMPD|g" \
	    -e "s|PWERR|$PWERR|")
	conf "$C" "$body"
	conf "$TMPD/bad.inc" 'listen on lo\ndebounce 9999\n'
	expect_fail "conf: $name" "wakeupd: $want" \
	    timeout 10 "$WAKEUPD" -n -F "$C"
	n=$((n + 1))
done <"$TMPD/table"
check "conf: at least 50 error cases" test $n -ge 50

# 33 interfaces: one too many.
seq -f 'listen on wut%g' 33 >"$C"
expect_fail "conf: too many interfaces" \
    "wakeupd: $C:33: too many interfaces (at most 32)" \
    "$WAKEUPD" -n -F "$C"

# The file itself.
expect_fail "conf: -F missing file" \
    "wakeupd: $TMPD/nosuch.conf: No such file or directory" \
    "$WAKEUPD" -n -F "$TMPD/nosuch.conf"
mkdir "$TMPD/dir.conf"
expect_fail "conf: -F a directory" "wakeupd: $TMPD/dir.conf: not a regular file" \
    "$WAKEUPD" -n -F "$TMPD/dir.conf"
conf "$C" 'listen on lo\npassword 1.2.3.4\n'
chmod 0644 "$C"
expect_fail "conf: password readable by others" \
    "wakeupd: $C: holds passwords and is readable by others; chmod 600 it" \
    "$WAKEUPD" -n -F "$C"
chmod 0640 "$C"
expect_fail "conf: password readable by the group" \
    "wakeupd: $C: holds passwords and is readable by others; chmod 600 it" \
    "$WAKEUPD" -n -F "$C"
conf "$C" 'include "pw.inc"\nlisten on lo\n'
chmod 0644 "$C"
conf "$TMPD/pw.inc" 'password aa:bb:cc:dd:ee:ff\n'
chmod 0604 "$TMPD/pw.inc"
expect_fail "conf: password readable by others, in an included file" \
    "wakeupd: $TMPD/pw.inc: holds passwords and is readable by others; chmod 600 it" \
    "$WAKEUPD" -n -F "$C"
chmod 0620 "$C"
expect_fail "conf: writable by the group" \
    "wakeupd: $C: writable by others; chmod go-w it" "$WAKEUPD" -n -F "$C"
if [ "$(id -u)" -eq 0 ]; then
	conf "$C" 'listen on lo\n'
	chown nobody "$C"
	expect_fail "conf: not owned by root" \
	    "wakeupd: $C: owned by uid $(id -u nobody), want root" \
	    "$WAKEUPD" -n -F "$C"
fi

# What else a good file must give: an interface and a URI.
conf "$C" 'libvirt "test:///default"\n'
expect_fail "conf: no interface anywhere" \
    "wakeupd: $C: no listen statement and no interface given" \
    "$WAKEUPD" -F "$C"
conf "$C" 'listen on lo\n'
expect_fail "conf: no URI anywhere" \
    "wakeupd: $C: no libvirt statement, no -c and no host: nothing to serve" \
    "$WAKEUPD" -F "$C"
"$WAKEUPD" -F "$C" -r /dev/null >"$TMPD/out" 2>"$TMPD/err"
rc=$?
check "conf: -F with -r is a usage error" test $rc -eq 1 -a ! -s "$TMPD/out" \
    -a "$(head -n 1 "$TMPD/err")" = "usage: wakeupd [-dnopv] [-C program] [-c uri] [-F file] [-f filter]"

# Every statement, macros and include, printed back: passwords masked,
# MACs and addresses in their canonical form.  ct102's user, which does
# not exist, stops -n with one line before anything is opened.
mkdir -p "$TMPD/conf.d"
conf "$TMPD/conf.d/hosts.inc" 'host web1 {
	mac FE:E1:BA:D0:00:01 # upper case
	run "/usr/sbin/vmctl" "start" "web1"
	timeout 30
}
'
conf "$C" '# wakeupd.conf
lan = "br0"
uri = "test:///default"
listen on $lan
listen on wg0;debounce 0
libvirt $uri
libvirt "qemu+ssh://root@vmhost2/system?keyfile=/root/.ssh/id"
opt-in
password 192.0.2.77
senders "ether src 00:11:22:33:44:55 or src net 192.0.2.0/24"

host nas {
	mac 00:11:22:33:44:55
	password aa:bb:cc:dd:ee:ff
	from 192.0.2.0/24 2001:DB8::/32
	from 198.51.100.7
	relay on em1 vlan 20 udp to 192.0.2.255 port 7 password 1.2.3.4
}
host seg2 { mac 02:00:00:00:00:02; relay on em2 ether }
include "conf.d/hosts.inc"
host ct102 { mac 02:00:00:00:01:02; run as _wol "/usr/sbin/pct" "start" 102 }
host "relay" {
	mac 02:00:00:00:01:03
	run "/bin/echo" "a b" "\\\\" "\\""
}'
cat >"$TMPD/want" <<'EOF'
listen on br0
listen on wg0
debounce 0
opt-in
password "********"
senders "ether src 00:11:22:33:44:55 or src net 192.0.2.0/24"
libvirt "test:///default"
libvirt "qemu+ssh://root@vmhost2/system?keyfile=/root/.ssh/id"

host "nas" {
	mac 00:11:22:33:44:55
	password "********"
	from 192.0.2.0/24
	from 2001:db8::/32
	from 198.51.100.7/32
	relay on em1 vlan 20 udp to 192.0.2.255 port 7 password "********"
}

host "seg2" {
	mac 02:00:00:00:00:02
	relay on em2 ether
}

host "web1" {
	mac fe:e1:ba:d0:00:01
	run "/usr/sbin/vmctl" "start" "web1"
	timeout 30
}

host "ct102" {
	mac 02:00:00:00:01:02
	run as "_wol" "/usr/sbin/pct" "start" "102"
	timeout 60
}

host "relay" {
	mac 02:00:00:00:01:03
	run "/bin/echo" "a b" "\\" "\""
	timeout 60
}
EOF
"$WAKEUPD" -n -F "$C" >"$TMPD/out" 2>"$TMPD/err"
rc=$?
if [ $rc -ne 1 ]; then
	fail "conf: every statement, printed back" "exit $rc, want 1"
elif ! diff -u "$TMPD/want" "$TMPD/out" >"$TMPD/diff"; then
	fail "conf: every statement, printed back" "$(tr '\n' '|' <"$TMPD/diff")"
elif [ "$(cat "$TMPD/err")" != "wakeupd: $C: host ct102: run as _wol: no such user" ]
then
	fail "conf: every statement, printed back" "stderr $(cat "$TMPD/err")"
else
	pass "conf: every statement, printed back"
fi
check "conf: no password in the printout" \
    sh -c "! grep -E '192\\.0\\.2\\.77|aa:bb:cc|1\\.2\\.3\\.4' '$TMPD/out'"

# The printout is a configuration: it parses, and prints the same.
conf "$TMPD/again.conf" "$(sed 's/"\*\*\*\*\*\*\*\*"/1.2.3.4/' "$TMPD/out" |
    sed 's/%/%%/g; s/\\/\\\\/g')\n"
"$WAKEUPD" -n -F "$TMPD/again.conf" >"$TMPD/out2" 2>/dev/null
check "conf: the printout parses and prints the same" \
    diff -u "$TMPD/out" "$TMPD/out2"

# run is accepted, but not as a user that does not exist (t_run.sh
# runs commands).
conf "$C" 'listen on lo\nlibvirt "test:///default"\nhost a { mac 02:00:00:00:00:01; run as wut-nosuch "/bin/true" }\n'
"$WAKEUPD" -F "$C" >"$TMPD/out" 2>"$TMPD/err"
rc=$?
check "conf: run as an unknown user is refused" test $rc -eq 1 \
    -a ! -s "$TMPD/out" -a "$(cat "$TMPD/err")" = \
    "wakeupd: $C: host a: run as wut-nosuch: no such user"

# The command line and the file: interfaces and URIs add up, once
# each; -w, -s, -f replace the file's; -o turns opt-in on.
conf "$C" 'listen on lo
debounce 7
password 1.2.3.4
senders "arp"
libvirt "test:///default"
host a { mac 02:00:00:00:00:01; relay on em1 }
'
cat >"$TMPD/want" <<'EOF'
listen on lo
listen on wut0
debounce 3
opt-in
password "********"
senders "ip"
libvirt "test:///default"
libvirt "qemu:///nosuch"

host "a" {
	mac 02:00:00:00:00:01
	relay on em1 udp
}

EOF
"$WAKEUPD" -n -F "$C" -w 3 -s aa:bb:cc:dd:ee:ff -o -f ip \
    -c test:///default -c qemu:///nosuch wut0 lo >"$TMPD/out" 2>/dev/null
check "conf: the command line overrides and adds to the file" \
    diff -u "$TMPD/want" "$TMPD/out"
"$WAKEUPD" -n -F "$C" >"$TMPD/out" 2>/dev/null
check "conf: the file's values without a command line" \
    grep -qx -e 'debounce 7' "$TMPD/out"

# Without a file, nothing changes: no printout, no default URI lost.
if [ -e /etc/wakeupd.conf ]; then
	fail "conf: without /etc/wakeupd.conf" \
	    "/etc/wakeupd.conf exists here; cannot test its absence"
else
	"$WAKEUPD" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	check "conf: without a file, no interface is still the usage" \
	    test $rc -eq 1 -a "$(head -c 15 "$TMPD/err")" = "usage: wakeupd "
fi

needroot "conf: -n with a file, in full" "conf: -n without a file, as before" \
    "conf: the daemon listens and serves as the file says"

# -n in full: the configuration, a blank line, then the report, on lo
# with libvirt's test driver (no frame is sent).
conf "$C" 'listen on lo\nlibvirt "test:///default"\n'
cat >"$TMPD/want" <<'EOF'
listen on lo
debounce 5
libvirt "test:///default"

mode: every domain but those with allow="no"
global password: none
test:///default:
	test (running): aa:bb:cc:dd:ee:ff: woken by any magic packet
configuration OK
EOF
timeout 30 "$WAKEUPD" -n -C "$WAKEUPD_CAPTURE" -u nobody -F "$C" \
    >"$TMPD/out" 2>"$TMPD/err"
rc=$?
if [ $rc -ne 0 ] || [ -s "$TMPD/err" ]; then
	fail "conf: -n with a file, in full" "exit $rc: $(cat "$TMPD/err")"
else
	check "conf: -n with a file, in full" diff -u "$TMPD/want" "$TMPD/out"
fi
if [ ! -e /etc/wakeupd.conf ]; then
	timeout 30 "$WAKEUPD" -n -C "$WAKEUPD_CAPTURE" -u nobody \
	    -c test:///default lo \
	    >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	sed 1,4d "$TMPD/want" >"$TMPD/want2"
	if [ $rc -ne 0 ]; then
		fail "conf: -n without a file, as before" "exit $rc"
	else
		check "conf: -n without a file, as before" \
		    diff -u "$TMPD/want2" "$TMPD/out"
	fi
fi

# The daemon: wb0 and the URI from the file alone, and wb0 again on the
# command line counts once.  A magic packet for an unknown address, sent
# in the namespaces, shows that wb0 is read.
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"
ns_setup || { fail "conf: setup" "namespaces"; exit 1; }
at_cleanup wd_stop
conf "$C" 'listen on wb0\nlibvirt "test:///default"\ndebounce 0\n'
ok=1
for extra in "" wb0; do
	: >"$LOG"
	ip netns exec "$NSB" "$WAKEUPD" -d -v -C "$WAKEUPD_CAPTURE" -u nobody \
	    -F "$C" $extra \
	    2>"$LOG" &
	WPID=$!
	if ! lv_poll 150 grep -q 'ready' "$LOG"; then
		ok=0; echo "# not ready: $(tail -n 3 "$LOG" | tr '\n' '|')"
	elif ! grep -q 'ready: 1 interface, 1 URI' "$LOG"; then
		ok=0; echo "# $(grep ready "$LOG")"
	else
		ip netns exec "$NSA" "$WAKEUP" wa0 02:00:00:00:0c:0f
		lv_poll 100 grep -q 'wb0: no domain has 02:00:00:00:0c:0f' \
		    "$LOG" || { ok=0; echo "# no packet: $(tail -n 3 "$LOG" |
		    tr '\n' '|')"; }
	fi
	wd_stop
done
[ $ok -eq 1 ] && pass "conf: the daemon listens and serves as the file says" ||
    fail "conf: the daemon listens and serves as the file says" "see above"
