#!/bin/sh
# System tier, as root, with a real libvirtd and tiny qemu domains: the
# wake policy kept in each domain's libvirt metadata, the SecureOn
# passwords, the opt-in mode and the senders' filter.

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"

needroot "policy: bad filter expression" "policy: setup" \
    "policy: -n shows the policy" "policy: opted out never woken" \
    "policy: default domain woken" "policy: opt-in mode" \
    "policy: 4-byte password" "policy: 6-byte password" \
    "policy: global password" "policy: metadata change takes effect" \
    "policy: malformed metadata" "policy: sender filter" \
    "policy: refusals rate-limited"

NS=urn:wakeupd:1
P1=$(printf %02x $(($$ / 256 % 256)))
P2=$(printf %02x $(($$ % 256)))
mac() {
	printf '52:54:%s:%s:%02x:01' "$P1" "$P2" "$1"
}
MOUT=$(mac 1) MIN=$(mac 2) MDEF=$(mac 3) MPW4=$(mac 4) MPW6=$(mac 5)
MBAD=$(mac 6)

meta() {
	lv_virsh metadata "$(lv_name "$1")" --uri $NS --key wakeupd --config \
	    --set "$2" >/dev/null
}

# sent NAME DOM CMD...: CMD (in $NSA) sends for DOM, which must wake.
woken() {
	_name=$1 _dom=$2
	shift 2
	_n0=$(nlines)
	insa "$@" >/dev/null 2>&1 || { fail "$_name" "sender: $*"; return 1; }
	if ! waitline "$_n0" "wake $(lv_name "$_dom") .*: start: ok"; then
		fail "$_name" "not woken: $(logtail)"
		return 1
	fi
	if ! lv_wait_state "$_dom" running 10; then
		fail "$_name" "$_dom is $(lv_state "$_dom")"
		return 1
	fi
	lv_destroy "$_dom"
}

# refused NAME DOM REASON CMD...: CMD (in $NSA) sends for DOM, which is
# refused with REASON and stays shut off.
refused() {
	_name=$1 _dom=$2 _why=$3
	shift 3
	_n0=$(nlines)
	insa "$@" >/dev/null 2>&1 || { fail "$_name" "sender: $*"; return 1; }
	if ! waitline "$_n0" "refuse $(lv_name "$_dom") .*: $_why"; then
		fail "$_name" "no refusal '$_why': $(logtail)"
		return 1
	fi
	if has_line "$_n0" "wake $(lv_name "$_dom") " ||
	    ! lv_is_state "$_dom" "shut off"; then
		fail "$_name" "$_dom woken: $(lv_state "$_dom")"
		return 1
	fi
}

if [ ! -x "$WAKEUPD" ] || [ ! -x "$WAKEUP" ]; then
	fail "policy: setup" "wakeupd or wakeup not built"
	exit 1
fi

# Before anything else: a bad expression stops wakeupd before it starts.
out=$("$WAKEUPD" -d -C "$WAKEUPD_CAPTURE" -u nobody \
    -f 'src net 192.0.2.0/24 and and' lo 2>&1)
rc=$?
if [ $rc -eq 1 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] &&
    echo "$out" | grep -q '^wakeupd: lo: sender filter: .*syntax error'; then
	pass "policy: bad filter expression"
else
	fail "policy: bad filter expression" "exit $rc: $out"
fi

ns_setup || { fail "policy: setup" "namespaces"; exit 1; }
lv_start || { fail "policy: setup" "libvirtd"; exit 1; }
for d in out:$MOUT in:$MIN def:$MDEF pw4:$MPW4 pw6:$MPW6 bad:$MBAD; do
	lv_define "${d%%:*}" "${d#*:}" ||
	    { fail "policy: setup" "define ${d%%:*}"; exit 1; }
done
at_cleanup wd_stop
meta out '<wake allow="no"/>' &&
meta in '<wake allow="yes"/>' &&
meta pw4 '<wake password="192.0.2.77"/>' &&
meta pw6 '<wake allow="yes" password="0a:0b:0c:0d:0e:0f"/>' &&
meta bad '<wake allow="maybe"/>' ||
    { fail "policy: setup" "virsh metadata"; exit 1; }
pass "policy: setup"

# -n: every domain with its MACs and how it may be woken.
"$WAKEUPD" -n -C "$WAKEUPD_CAPTURE" -u nobody -c $LV_URI lo >"$TMPD/n.out" 2>&1
ok=1
for want in "$(lv_name out) (shut off): $MOUT: not woken: opted out" \
    "$(lv_name in) (shut off): $MIN: woken by any magic packet" \
    "$(lv_name def) (shut off): $MDEF: woken by any magic packet" \
    "$(lv_name pw4) (shut off): $MPW4: woken with its 4-byte password" \
    "$(lv_name pw6) (shut off): $MPW6: woken with its 6-byte password" \
    "$(lv_name bad) (shut off): $MBAD: not woken: malformed wakeupd metadata"
do
	grep -qF "$want" "$TMPD/n.out" || { ok=0; echo "# missing: $want"; }
done
[ $ok -eq 1 ] && pass "policy: -n shows the policy" ||
    fail "policy: -n shows the policy" "$(tr '\n' '|' <"$TMPD/n.out")"

# Default mode, no debounce so that every packet counts.
wd_start -c $LV_URI -w 0 -v || { fail "policy: setup" "wakeupd: $(logtail)"; exit 1; }

refused "policy: opted out never woken" out "not allowed: opted out" \
    "$WAKEUP" wa0 $MOUT &&
refused "policy: opted out never woken" out "not allowed: opted out" \
    "$WAKEUP" -e wa0 $MOUT && pass "policy: opted out never woken"

woken "policy: default domain woken" def "$WAKEUP" wa0 $MDEF &&
    pass "policy: default domain woken"
wd_stop

# Each group runs its own wakeupd: at most 10 refusals a minute are
# logged, and the checks wait for those lines.
wd_start -c $LV_URI -w 0 || { fail "policy: setup" "wakeupd: $(logtail)"; exit 1; }

refused "policy: 4-byte password" pw4 "missing password" \
    "$WAKEUP" wa0 $MPW4 &&
refused "policy: 4-byte password" pw4 "wrong password" \
    "$WAKEUP" -s 192.0.2.78 wa0 $MPW4 &&
refused "policy: 4-byte password" pw4 "wrong password" \
    "$WAKEUP" -s 00:00:c0:00:02:4d wa0 $MPW4 &&
woken "policy: 4-byte password" pw4 "$WAKEUP" -s 192.0.2.77 wa0 $MPW4 &&
    pass "policy: 4-byte password"

refused "policy: 6-byte password" pw6 "missing password" \
    "$WAKEUP" -e wa0 $MPW6 &&
refused "policy: 6-byte password" pw6 "wrong password" \
    "$WAKEUP" -e -s 0a:0b:0c:0d:0e:0e wa0 $MPW6 &&
woken "policy: 6-byte password" pw6 "$WAKEUP" -e -s 0a:0b:0c:0d:0e:0f \
    wa0 $MPW6 && pass "policy: 6-byte password"

refused "policy: malformed metadata" bad \
    "not allowed: malformed wakeupd metadata" "$WAKEUP" wa0 $MBAD &&
    grep -q "domain $(lv_name bad): wakeupd metadata: bad attribute allow" \
    "$LOG" && pass "policy: malformed metadata" ||
    fail "policy: malformed metadata" "no warning at start: $(logtail)"

wd_stop

# Changed while wakeupd runs: the next packet obeys the new policy.
wd_start -c $LV_URI -w 0 || { fail "policy: setup" "wakeupd: $(logtail)"; exit 1; }
meta def '<wake allow="no"/>'
refused "policy: metadata change takes effect" def \
    "not allowed: opted out" "$WAKEUP" wa0 $MDEF &&
meta def '<wake allow="yes" password="1.2.3.4"/>' &&
refused "policy: metadata change takes effect" def "missing password" \
    "$WAKEUP" wa0 $MDEF &&
lv_virsh metadata "$(lv_name def)" --uri $NS --key wakeupd --config \
    --remove >/dev/null &&
woken "policy: metadata change takes effect" def "$WAKEUP" wa0 $MDEF &&
    pass "policy: metadata change takes effect"

wd_stop

# A flood of refusals logs at most 10 lines a minute.
wd_start -c $LV_URI -w 0 || { fail "policy: setup" "wakeupd: $(logtail)"; exit 1; }
n0=$(nlines)
i=0
while [ $i -lt 30 ]; do
	insa "$WAKEUP" wa0 $MOUT >/dev/null 2>&1
	i=$((i + 1))
done
sleep 1
nref=$(count_lines "$n0" "refuse $(lv_name out) ")
if [ "$nref" -le 10 ] && [ "$nref" -ge 1 ]; then
	pass "policy: refusals rate-limited"
else
	fail "policy: refusals rate-limited" "$nref refusal lines for 30 packets"
fi
wd_stop

# Opt-in mode: only allow="yes" wakes.
wd_start -c $LV_URI -w 0 -o || { fail "policy: opt-in mode" "wakeupd: $(logtail)"; exit 1; }
refused "policy: opt-in mode" def "not allowed: not opted in" \
    "$WAKEUP" wa0 $MDEF &&
woken "policy: opt-in mode" in "$WAKEUP" wa0 $MIN &&
    pass "policy: opt-in mode"
wd_stop

# A global password for the domains without their own.
wd_start -c $LV_URI -w 0 -s 198.51.100.1 ||
    { fail "policy: global password" "wakeupd: $(logtail)"; exit 1; }
refused "policy: global password" def "missing password" \
    "$WAKEUP" wa0 $MDEF &&
woken "policy: global password" pw4 "$WAKEUP" -s 192.0.2.77 wa0 $MPW4 &&
woken "policy: global password" def "$WAKEUP" -s 198.51.100.1 wa0 $MDEF &&
    pass "policy: global password"
wd_stop

# Senders: only 192.0.2.0/25, by IP; frames from 192.0.2.200 are dropped
# in the kernel and never reach wakeupd's log, then one from inside
# wakes.  The VLAN-tagged frame checks the filter behind a tag too.
wd_start -c $LV_URI -w 0 -v -f 'src net 192.0.2.0/25' ||
    { fail "policy: sender filter" "wakeupd: $(logtail)"; exit 1; }
n0=$(nlines)
sendhex 3 "$(frame -s $MACA -S 192.0.2.200 udp4 $MDEF)" &&
sendhex 3 "$(frame -s $MACA -S 192.0.2.200 -v 5 udp4 $MDEF)" &&
sendhex 1 "$(frame -s $MACA ether $MDEF)" &&
woken "policy: sender filter" def "$SF" -c 1 wa0 \
    "$(frame -s $MACA -S 192.0.2.100 -v 5 udp4 $MDEF)" &&
if [ "$(count_lines "$n0" " mac $MDEF ")" -eq 1 ] &&
    has_line "$n0" "from 192.0.2.100:" && ! has_line "$n0" "192.0.2.200" &&
    ! has_line "$n0" "from $MACA"; then
	pass "policy: sender filter"
else
	fail "policy: sender filter" "outside senders reached wakeupd: $(logtail)"
fi
wd_stop
