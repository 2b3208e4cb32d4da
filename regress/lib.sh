# Shared test helpers, sourced by regress/*/t_*.sh.
#
# Reporting: pass NAME, fail NAME WHY, skip NAME WHY; check NAME CMD...
# passes when CMD succeeds.  needroot NAME... reports each NAME skipped
# and exits when not root.
#
# Namespaces: ns_setup creates two network namespaces joined by a veth
# pair, wa0 (192.0.2.1) in $NSA and wb0 (192.0.2.2) in $NSB, with fixed
# MACs $MACA and $MACB; ns_cleanup deletes them and runs from the EXIT
# trap, so they go also when a test fails.  Frames never leave them.

: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
WAKEUP=$TOP/wakeup/wakeup
WAKEUPD=$TOP/wakeupd/wakeupd
# What wakeupd runs as its capture process, through -C: the build's.
# wakeupd runs only a program that root alone may replace (it and every
# directory above it root's, and writable by root alone, or sticky): in
# a tree that someone else owns, the tests run a copy in $TMPD.
WAKEUPD_CAPTURE=$TOP/wakeupd/wakeupd-capture

TMPD=$(mktemp -d /tmp/wakeup-test.XXXXXX)
NSA=
NSB=
NSC=
MACA=02:00:5e:10:00:0a
MACB=02:00:5e:10:00:0b
MACC=02:00:5e:10:00:0c
MACD=02:00:5e:10:00:0d
IPA=192.0.2.1
IPB=192.0.2.2
IPC=198.51.100.1
IPD=198.51.100.2
CLEANUP_HOOKS=

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }
skip() { echo "SKIP: $1: $2"; }

check() {
	_n=$1; shift
	if "$@" >"$TMPD/check.out" 2>&1; then
		pass "$_n"
	else
		fail "$_n" "$(head -c 300 "$TMPD/check.out" | tr '\n' ' ')"
	fi
}

# expect_fail NAME STDERR CMD...: CMD exits 1, prints exactly STDERR on
# standard error and nothing on standard output.
expect_fail() {
	_n=$1 _want=$2
	shift 2
	"$@" >"$TMPD/out" 2>"$TMPD/err" </dev/null
	_rc=$?
	if [ $_rc -ne 1 ]; then
		fail "$_n" "exit $_rc, want 1; stderr: $(cat "$TMPD/err")"
	elif [ -s "$TMPD/out" ]; then
		fail "$_n" "stdout: $(head -c 200 "$TMPD/out")"
	elif [ "$(cat "$TMPD/err")" != "$_want" ]; then
		fail "$_n" "stderr '$(cat "$TMPD/err")', want '$_want'"
	else
		pass "$_n"
	fi
}

needroot() {
	[ "$(id -u)" -eq 0 ] && return 0
	for _n in "$@"; do
		skip "$_n" "needs root"
	done
	exit 0
}

# reachable PROG: print the path of a copy of PROG in $TMPD that any
# user can run, for what runs as nobody when the checkout is in a home
# directory nobody cannot enter (a clone in /root).
reachable() {
	mkdir -p "$TMPD/pub" && chmod 0711 "$TMPD" && chmod 0755 "$TMPD/pub" &&
	    cp "$1" "$TMPD/pub/" && chmod 0755 "$TMPD/pub/${1##*/}" &&
	    echo "$TMPD/pub/${1##*/}"
}

# Run "$@" at cleanup time, last registered first.
at_cleanup() {
	CLEANUP_HOOKS="$*;$CLEANUP_HOOKS"
}

cleanup() {
	_rc=$?
	trap - EXIT INT TERM HUP PIPE
	[ -n "$CLEANUP_HOOKS" ] && eval "$CLEANUP_HOOKS" >/dev/null 2>&1
	ns_cleanup
	rm -rf "$TMPD"
	exit $_rc
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

# root_only PATH: may only root replace PATH, as wakeupd -C sees it?
root_only() {
	_ro=$1
	while :; do
		set -- $(stat -c '%u %a' "$_ro" 2>/dev/null) ||
		    return 1
		[ "$1" = 0 ] || return 1
		[ -d "$_ro" ] && [ $((0$2 & 01000)) -ne 0 ] ||
		    [ $((0$2 & 022)) -eq 0 ] || return 1
		[ "$_ro" = / ] && return 0
		_ro=$(dirname "$_ro")
	done
}
if [ "$(id -u)" -eq 0 ] && [ -f "$WAKEUPD_CAPTURE" ] &&
    ! root_only "$WAKEUPD_CAPTURE"; then
	mkdir -m 755 "$TMPD/libexec" &&
	    cp "$WAKEUPD_CAPTURE" "$TMPD/libexec/wakeupd-capture" &&
	    chmod 755 "$TMPD/libexec/wakeupd-capture" &&
	    WAKEUPD_CAPTURE=$TMPD/libexec/wakeupd-capture
fi

ns_setup() {
	NSA=wut-a-$$
	NSB=wut-b-$$
	ip netns add "$NSA" || return 1
	ip netns add "$NSB" || return 1
	ip link add wa0 netns "$NSA" address $MACA type veth \
	    peer name wb0 netns "$NSB" address $MACB || return 1
	for _ns in "$NSA" "$NSB"; do
		ip netns exec "$_ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		    net.ipv6.conf.default.accept_dad=0 >/dev/null
		ip -n "$_ns" link set lo up
	done
	ip -n "$NSA" addr add $IPA/24 dev wa0
	ip -n "$NSB" addr add $IPB/24 dev wb0
	ip -n "$NSA" link set wa0 up
	ip -n "$NSB" link set wb0 up
}

# A second segment for tests of what wakeupd sends (its relay): after
# ns_setup, wc0 (198.51.100.1, $MACC) in $NSB joined by a veth pair to
# wd0 (198.51.100.2, $MACD) in a third namespace, $NSC.
ns_setup_c() {
	NSC=wut-c-$$
	ip netns add "$NSC" || return 1
	ip link add wc0 netns "$NSB" address $MACC type veth \
	    peer name wd0 netns "$NSC" address $MACD || return 1
	ip netns exec "$NSC" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	    net.ipv6.conf.default.accept_dad=0 >/dev/null
	ip -n "$NSC" link set lo up
	ip -n "$NSB" addr add $IPC/24 dev wc0 || return 1
	ip -n "$NSC" addr add $IPD/24 dev wd0 || return 1
	ip -n "$NSB" link set wc0 up && ip -n "$NSC" link set wd0 up
}

ns_cleanup() {
	[ -n "$NSA" ] && ip netns del "$NSA" 2>/dev/null
	[ -n "$NSB" ] && ip netns del "$NSB" 2>/dev/null
	[ -n "$NSC" ] && ip netns del "$NSC" 2>/dev/null
	NSA=
	NSB=
	NSC=
}

# Capture up to $2 frames matching filter $3 on wb0 in $NSB into file $1,
# in the background; wait until tcpdump is listening.  cap_wait waits for
# it (at most 10 s) and cap_hex prints each frame's bytes as one hex line.
# With CAP_NS and CAP_IF set, on that interface in that namespace.
cap_start() {
	_f=$1; _cnt=$2; shift 2
	rm -f "$_f" "$_f.err"
	# A small snap length and a big buffer: in immediate mode tcpdump's
	# ring holds only a few full-size frames and bursts would be lost.
	ip netns exec "${CAP_NS:-$NSB}" tcpdump -i "${CAP_IF:-wb0}" -n -U \
	    --immediate-mode -s 256 -B 16384 \
	    -c "$_cnt" -w "$_f" "$@" 2>"$_f.err" &
	CAP_PID=$!
	_i=0
	while ! grep -q "listening on" "$_f.err" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -gt 100 ] && return 1
		sleep 0.05
	done
}

cap_wait() {
	_i=0
	while kill -0 "$CAP_PID" 2>/dev/null; do
		_i=$((_i + 1))
		if [ $_i -gt 100 ]; then
			kill "$CAP_PID" 2>/dev/null
			wait "$CAP_PID" 2>/dev/null
			return 1
		fi
		sleep 0.1
	done
	wait "$CAP_PID" 2>/dev/null
}

# Stop a capture early (when fewer frames than asked for are expected).
cap_stop() {
	sleep 0.3
	kill -INT "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
}

# tshark as any user: tshark 4.0 crashes when $HOME is unreadable.
tsh() {
	HOME=$TMPD XDG_CONFIG_HOME=$TMPD tshark "$@"
}

cap_hex() {
	tcpdump -r "$1" -xx -n 2>/dev/null | awk '
		/^[^ \t]/ { if (h != "") print h; h = ""; next }
		{ for (i = 2; i <= NF; i++) h = h $i }
		END { if (h != "") print h }'
}
