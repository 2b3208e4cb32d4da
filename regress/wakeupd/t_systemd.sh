#!/bin/sh
# The systemd unit, offline (there may be no systemd to start it):
# systemd-analyze verify passes against the built binary; the exposure
# score of systemd-analyze security is the one the README states; the
# run action's drop-in verifies, is read, lifts the sandbox settings
# that break commands and sets KillMode=process; and,
# as root, wakeupd runs within the unit's limits: every system call it
# makes (strace, a start with a libvirtd and a test driver and a wake)
# is in its SystemCallFilter (but set_mempolicy, see below), every socket
# family in
# RestrictAddressFamilies, it opens no file for writing, and it starts
# and wakes with only the unit's capability bounding set (and keeps no
# more), no new privileges and a /proc with subset=pid and
# hidepid=invisible (ProcSubset, ProtectProc).

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"

UNIT_SRC=$TOP/wakeupd/wakeupd.service
UNIT=$TMPD/unit/wakeupd.service

if ! command -v systemd-analyze >/dev/null 2>&1; then
	fail "systemd: unit verifies" "no systemd-analyze"
	exit 1
fi
mkdir -p "$TMPD/unit"
sed "s|@SBINDIR@|$TOP/wakeupd|" "$UNIT_SRC" >"$UNIT"

# The values of a unit setting, all its lines joined.
setting() {
	sed -n "s/^$1=//p" "$UNIT" | tr '\n' ' '
}

(cd "$TMPD/unit" && systemd-analyze verify --man=no ./wakeupd.service) \
    >"$TMPD/verify.out" 2>&1
rc=$?
if [ $rc -ne 0 ] || grep -q wakeupd "$TMPD/verify.out"; then
	fail "systemd: unit verifies" "exit $rc: $(head -c 300 \
	    "$TMPD/verify.out" | tr '\n' ' ')"
else
	pass "systemd: unit verifies"
fi

score=$(cd "$TMPD/unit" && systemd-analyze security --offline=true \
    ./wakeupd.service 2>/dev/null |
    sed -n 's/.*Overall exposure level for wakeupd.service: \([0-9.]*\).*/\1/p')
claim=$(sed -n 's/.*exposure score of \([0-9.]*\).*/\1/p' "$TOP/README" |
    head -1)
if [ -z "$score" ]; then
	fail "systemd: exposure score" "no score from systemd-analyze security"
elif [ "$score" != "$claim" ]; then
	fail "systemd: exposure score" "$score, README says '$claim'"
else
	echo "# exposure $score"
	pass "systemd: exposure score"
fi

# The drop-in for the run action (wakeupd/wakeupd-run.conf), where the
# manual says to put it: the unit still verifies, the drop-in is read
# (the sandbox it lifts shows in systemd-analyze security) and a stop
# kills the main process alone.
n="systemd: the run drop-in verifies"
mkdir -p "$TMPD/unit2/wakeupd.service.d"
cp "$UNIT" "$TMPD/unit2/wakeupd.service"
cp "$TOP/wakeupd/wakeupd-run.conf" "$TMPD/unit2/wakeupd.service.d/run.conf"
(cd "$TMPD/unit2" && systemd-analyze verify --man=no ./wakeupd.service) \
    >"$TMPD/verify2.out" 2>&1
rc=$?
if [ $rc -ne 0 ] || grep -q -e wakeupd -e run.conf "$TMPD/verify2.out"; then
	fail "$n" "exit $rc: $(head -c 300 "$TMPD/verify2.out" | tr '\n' ' ')"
else
	pass "$n"
fi
n="systemd: the run drop-in lifts what breaks commands"
(cd "$TMPD/unit2" && systemd-analyze security --offline=true \
    ./wakeupd.service) >"$TMPD/sec2.out" 2>&1
missing=
for l in "NoNewPrivileges=" "PrivateDevices=" "MemoryDenyWriteExecute=" \
    "ProtectSystem=" "PrivateTmp=" "ProtectControlGroups=" \
    "CapabilityBoundingSet=~CAP_SYS_ADMIN" "CapabilityBoundingSet=~CAP_NET_ADMIN" \
    "SystemCallFilter=~@mount" "RestrictNamespaces=~net" "ProtectClock="; do
	grep -q "✗ $l " "$TMPD/sec2.out" || missing="$missing $l"
done
score2=$(sed -n 's/.*Overall exposure level for wakeupd.service: \([0-9.]*\).*/\1/p' \
    "$TMPD/sec2.out")
if [ -n "$missing" ]; then
	fail "$n" "still set:$missing"
elif [ -z "$score2" ] || [ -z "$score" ] ||
    ! awk -v a="$score2" -v b="$score" 'BEGIN { exit !(a + 0 > b + 0) }'
then
	fail "$n" "exposure ${score2:-none}, without it ${score:-none}"
else
	echo "# exposure with the run drop-in $score2"
	pass "$n"
fi
n="systemd: the run drop-in sets KillMode=process"
if [ "$(sed -n 's/^KillMode=//p' "$TMPD/unit2/wakeupd.service.d/run.conf")" = process ] &&
    ! grep -q '^KillMode=' "$UNIT"; then
	pass "$n"
else
	fail "$n" "$(grep -h '^KillMode=' "$UNIT" "$TMPD/unit2/wakeupd.service.d/run.conf" |
	    tr '\n' ' ')"
fi

needroot "systemd: the run drop-in leaves devices open" \
    "systemd: system calls within the filter" \
    "systemd: socket families allowed" "systemd: no file written" \
    "systemd: runs within the unit's limits"

# The unit as systemd loads it (systemd --test, which refuses root, dumps
# it): with the drop-in, no device policy that a DeviceAllow= (which
# ProtectClock=yes implies) would close on /dev/kvm and /dev/net/tun; the
# unit alone for contrast, closed but for the clock.
# dump DIR: the wakeupd.service in DIR, as systemd would run it.
dump() {
	SYSTEMD_UNIT_PATH=$1: setpriv --reuid=65534 --regid=65534 \
	    --clear-groups /lib/systemd/systemd --test --system \
	    --unit=wakeupd.service --no-pager 2>/dev/null |
	    awk '/^\t-> Unit /{ u = $3 } u == "wakeupd.service:"' |
	    sed -n 's/^\t\t\(DropIn Path\|ProtectClock\|DevicePolicy\|DeviceAllow\): /\1=/p' |
	    sed 's|=.*/|=|' | tr '\n' ' '
}
n="systemd: the run drop-in leaves devices open"
mkdir -p "$TMPD/unit1"
cp "$UNIT" "$TMPD/unit1/wakeupd.service"
chmod go+x "$TMPD" && chmod -R a+rX "$TMPD/unit1" "$TMPD/unit2"
with=$(dump "$TMPD/unit2")
without=$(dump "$TMPD/unit1")
if [ "$with" = "DropIn Path=run.conf ProtectClock=no DevicePolicy=auto " ] &&
    [ "$without" = "ProtectClock=yes DevicePolicy=closed DeviceAllow=char-rtc r " ]
then
	pass "$n"
else
	fail "$n" "with the drop-in '$with', without '$without'"
fi

# The system calls the unit allows: its SystemCallFilter lines, groups
# expanded from systemd-analyze's own table, the ~ line taken away.
systemd-analyze syscall-filter >"$TMPD/sf.txt" 2>/dev/null
expand() {
	awk -v want="$1" '
	/^@/ { g = $1; next }
	/^[ \t]+#/ { next }
	/^[ \t]+[@a-z0-9_]/ { members[g] = members[g] " " $1 }
	function add(x,   i, n, a) {
		if (x in seen)
			return
		seen[x] = 1
		if (substr(x, 1, 1) != "@") {
			out[x] = 1
			return
		}
		n = split(members[x], a, " ")
		for (i = 1; i <= n; i++)
			add(a[i])
	}
	END {
		n = split(want, w, " ")
		for (i = 1; i <= n; i++)
			add(w[i])
		for (s in out)
			print s
	}' "$TMPD/sf.txt" | sort
}
expand "$(setting SystemCallFilter | tr ' ' '\n' | grep -v '^~' | tr '\n' ' ')" \
    >"$TMPD/allow"
expand "$(setting SystemCallFilter | tr ' ' '\n' | sed -n 's/^~//p' | tr '\n' ' ')" \
    >"$TMPD/deny"
comm -23 "$TMPD/allow" "$TMPD/deny" >"$TMPD/allowed"
# Refused with EPERM (SystemCallErrorNumber) and done without: libnuma's
# probe when libvirt loads it.
echo set_mempolicy >>"$TMPD/allowed"
sort -o "$TMPD/allowed" "$TMPD/allowed"

ns_setup || { fail "systemd: system calls within the filter" "namespaces"; exit 1; }
lv_start || { fail "systemd: system calls within the filter" "libvirtd"; exit 1; }
cat >"$TMPD/one.xml" <<EOF
<node><domain type="test"><name>one</name><memory>65536</memory>
<os><type>hvm</type></os><devices><interface type="user">
<mac address="52:54:00:79:00:01"/></interface></devices></domain></node>
EOF
ARGS="-d -C $WAKEUPD_CAPTURE -u nobody -c $LV_URI -c test://$TMPD/one.xml wb0"

# run_wake PREFIX...: wakeupd ARGS under PREFIX in $NSB until ready, a
# wake for the test domain arrives; then stopped.  Sets WPID while it
# runs; returns 1 when it did not get that far.
run_wake() {
	: >"$LOG"
	ip netns exec "$NSB" "$@" $WAKEUPD $ARGS 2>"$LOG" &
	WPID=$!
	_ok=0
	if lv_poll 150 wd_ready_or_dead && wd_ready; then
		_n0=$(nlines)
		insa "$WAKEUP" wa0 52:54:00:79:00:01 >/dev/null 2>&1
		waitline "$_n0" "wake one mac 52:54:00:79:00:01 on wb0" && _ok=1
	fi
	[ $_ok -eq 1 ] && [ -n "$CHECK" ] && eval "$CHECK"
	return $((1 - _ok))
}

# Under strace: the parent is strace's child.
at_cleanup wd_stop
CHECK=
n="systemd: system calls within the filter"
strace_stop() {
	_w=$(pgrep -P "$WPID" | head -1)
	[ -n "$_w" ] && lv_kill "$_w"
	wd_stop
}
if ! command -v strace >/dev/null; then
	fail "$n" "no strace"
elif ! run_wake strace -f -qq -o "$TMPD/st.out"; then
	fail "$n" "wakeupd under strace: $(logtail)"
	strace_stop
else
	strace_stop
	sed -n 's/^[0-9]* *\([a-z0-9_]*\)(.*/\1/p' "$TMPD/st.out" |
	    sort -u >"$TMPD/used"
	extra=$(comm -23 "$TMPD/used" "$TMPD/allowed" | tr '\n' ' ')
	echo "# $(wc -l <"$TMPD/used" | tr -d ' ') system calls used," \
	    "$(wc -l <"$TMPD/allowed" | tr -d ' ') allowed"
	[ -z "$extra" ] && pass "$n" || fail "$n" "not allowed: $extra"

	n="systemd: socket families allowed"
	fams=$(sed -n 's/.*socket(\(AF_[A-Z0-9]*\).*/\1/p' "$TMPD/st.out" |
	    sort -u | tr '\n' ' ')
	missing=
	for f in $fams; do
		case " $(setting RestrictAddressFamilies) " in
		*" $f "*) ;;
		*) missing="$missing $f" ;;
		esac
	done
	[ -n "$fams" ] && [ -z "$missing" ] && pass "$n" ||
	    fail "$n" "used: $fams; not allowed:$missing"

	# /dev/null, for the capture program's descriptors 0 to 2, is no file.
	n="systemd: no file written"
	w=$(grep -E '^[0-9]+ +(open|openat|creat|mkdir|mkdirat|unlink|unlinkat|rename|renameat|renameat2|truncate|chmod|chown|symlink|link)\(' \
	    "$TMPD/st.out" | grep -v 'O_RDONLY' |
	    grep -v '"/dev/null", O_RDWR' | head -3)
	[ -z "$w" ] && pass "$n" || fail "$n" "$(echo "$w" | tr '\n' ' ')"
fi

# The unit's capabilities, in setpriv's spelling, and its /proc.
caps=$(setting CapabilityBoundingSet | tr ' ' '\n' |
    sed -n 's/^CAP_\(.*\)/+\1/p' | tr 'A-Z' 'a-z' | tr '\n' ',' | sed 's/,$//')
n="systemd: runs within the unit's limits"
CHECK='_c=$(pgrep -P "$WPID" | head -1);
    _b=$(awk "/^CapBnd:/ { print \$2 }" /proc/$WPID/status)'
if [ -z "$caps" ]; then
	fail "$n" "no CapabilityBoundingSet in the unit"
elif ! run_wake unshare -m --propagation private sh -c \
    'mount -t proc -o subset=pid,hidepid=invisible proc /proc &&
    exec setpriv --no-new-privs --inh-caps -all --bounding-set "-all,$0" \
    -- "$@"' "$caps"; then
	fail "$n" "with $caps: $(logtail)"
	wd_stop
else
	# The parent's bounding set holds no more than the unit's.
	want=$(for c in $(echo "$caps" | tr ',' ' '); do echo "${c#+}"; done |
	    sort)
	got=$(capsh --decode="$_b" 2>/dev/null | sed 's/.*=//' | tr ',' '\n' |
	    sed 's/^cap_//' | sort)
	wd_stop
	more=$(echo "$got" | grep -vxF "$want" | tr '\n' ' ')
	echo "# parent's bounding set once running: $(echo $got)"
	[ -n "$got" ] && [ -z "$more" ] && pass "$n" ||
	    fail "$n" "bounding set '$(echo $got)' beyond the unit's: '$more'"
fi
