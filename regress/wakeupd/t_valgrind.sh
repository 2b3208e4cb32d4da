#!/bin/sh
# valgrind memcheck over a wakeupd system test with a real libvirtd: a
# start, a resume, a refusal, a flood of junk and of unknown addresses,
# then SIGTERM.  Both processes must end with no errors and nothing lost
# for good.  (Under valgrind the capture process runs without its
# seccomp filter, which would kill valgrind's own system calls.)

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"

needroot "valgrind: setup" "valgrind: wakes under memcheck" \
    "valgrind: parent clean" "valgrind: child clean"

P1=$(printf %02x $(($$ / 256 % 256)))
P2=$(printf %02x $(($$ % 256)))
M1=52:54:$P1:$P2:01:01 M2=52:54:$P1:$P2:02:01

command -v valgrind >/dev/null || { fail "valgrind: setup" "no valgrind"; exit 1; }
ns_setup || { fail "valgrind: setup" "namespaces"; exit 1; }
lv_start || { fail "valgrind: setup" "libvirtd"; exit 1; }
lv_define a "$M1" && lv_define b "$M2" || { fail "valgrind: setup" "define"; exit 1; }
lv_virsh metadata "$(lv_name b)" --uri urn:wakeupd:1 --key wakeupd --config \
    --set '<wake allow="no"/>' >/dev/null
at_cleanup wd_stop

: >"$LOG"
ip netns exec "$NSB" valgrind --leak-check=full --trace-children=yes \
    --show-leak-kinds=definite,indirect --log-file="$TMPD/vg.%p" \
    "$WAKEUPD" -d -C "$WAKEUPD_CAPTURE" -u nobody -w 0 -c $LV_URI wb0 \
    2>"$LOG" &
WPID=$!
VGPID=$WPID
if ! lv_poll 300 wd_ready_or_dead || ! wd_ready; then
	fail "valgrind: setup" "wakeupd: $(logtail)"
	exit 1
fi
pass "valgrind: setup"

ok=1
n0=$(nlines)
insa "$WAKEUP" wa0 "$M1" >/dev/null
waitline "$n0" "wake $(lv_name a) .*: start: ok" 20 && lv_wait_state a running 20 ||
    ok=0
lv_pause a
n0=$(nlines)
insa "$WAKEUP" -e wa0 "$M1" >/dev/null
waitline "$n0" "wake $(lv_name a) .*: resume: ok" 20 || ok=0
n0=$(nlines)
insa "$WAKEUP" wa0 "$M2" >/dev/null
waitline "$n0" "refuse $(lv_name b) .*: opted out" 20 || ok=0
sendhex 2000 "$(frame -m junk udp4 "$M1")" >/dev/null
sendhex 2000 "$(frame udp4 52:54:00:de:ad:02)" >/dev/null
[ $ok -eq 1 ] && pass "valgrind: wakes under memcheck" ||
    fail "valgrind: wakes under memcheck" "$(logtail)"

kill "$WPID"
lv_poll 300 lv_gone "$WPID"
wait "$WPID"
WPID=
lv_destroy a

# One log per process, named by its pid: the parent is $VGPID.
# clean NAME FILE: valgrind's summary says no errors and nothing
# definitely or indirectly lost.
clean() {
	if [ ! -s "$2" ]; then
		fail "$1" "no valgrind log"
	elif ! grep -q 'ERROR SUMMARY: 0 errors from 0 contexts' "$2"; then
		fail "$1" "$(grep 'ERROR SUMMARY' "$2")"
	elif grep -E '(definitely|indirectly) lost: [1-9]' "$2" >/dev/null; then
		fail "$1" "$(grep -E '(definitely|indirectly) lost' "$2" | tr '\n' ' ')"
	else
		pass "$1"
	fi
	grep -E 'ERROR SUMMARY|lost:|in use at exit|All heap' "$2" |
	    sed "s/^/# ${1#valgrind: }: /"
}
clean "valgrind: parent clean" "$TMPD/vg.$VGPID"
for f in "$TMPD"/vg.*; do
	[ "$f" = "$TMPD/vg.$VGPID" ] || CHILDLOG=$f
done
clean "valgrind: child clean" "${CHILDLOG:-$TMPD/vg.none}"
