#!/bin/sh
#
# Copyright (c) 2026 The wakeup authors
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
#
# System tier, as root: real guests (regress/guest.sh), a Linux kernel
# booted directly into a busybox initramfs, for the states a domain that
# sits in its firmware never reaches.  wakeupd runs in $NSB on wb0 as in
# t_system.sh, the sender in $NSA.
#
#	a guest that suspended itself to RAM (pmsuspended) is woken with
#	virDomainPMWakeup, and the guest itself runs on (and suspends
#	itself again 5 s later, which shows it did);
#	a guest whose kernel panicked (crashed, panicked) stays so.

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"
. "$TOP/regress/guest.sh"

needroot "guest: setup" "guest: pmsuspended" "guest: pmwakeup" \
    "guest: guest resumed" "guest: crashed (panicked)" \
    "guest: crashed stays crashed"

P1=$(printf %02x $(($$ / 256 % 256)))
P2=$(printf %02x $(($$ % 256)))
MS=52:54:$P1:$P2:05:01			# the suspend guest
MP=52:54:$P1:$P2:05:02			# the panic guest
DS=$(lv_name s)
DP=$(lv_name p)

if [ ! -x "$WAKEUPD" ] || [ ! -x "$WAKEUP" ]; then
	fail "guest: setup" "wakeupd or wakeup not built"
	exit 1
fi
ns_setup || { fail "guest: setup" "cannot create the namespaces"; exit 1; }
_t0=$(now_ms)
lv_start || { fail "guest: setup" "cannot reach or start libvirtd"; exit 1; }
echo "# libvirtd up in $(($(now_ms) - _t0)) ms"
_t0=$(now_ms)
if ! guest_prepare; then
	fail "guest: setup" "guest kernel and initramfs: $GUEST_ERR"
	exit 1
fi
echo "# guest kernel and initramfs ready in $(($(now_ms) - _t0)) ms:" \
    "$GUEST_INITRD"

# Both guests boot while wakeupd starts.
_t0=$(now_ms)
for g in "s $MS suspend" "p $MP panic"; do
	set -- $g
	if ! lv_define_guest "$@" ||
	    ! lv_virsh start "$(lv_name "$1")" >/dev/null; then
		fail "guest: setup" "cannot define or start guest $1"
		exit 1
	fi
done
at_cleanup wd_stop
if ! wd_start -w 2; then
	fail "guest: setup" "wakeupd: no 'ready' within 15 s: $(logtail)"
	exit 1
fi
pass "guest: setup"

# -------------------------------------------------------------------
# pmsuspended: the packet wakes it with virDomainPMWakeup.

pmwakeup() {
	if ! guest_wait_state s pmsuspended "$GUEST_BOOT_SECS"; then
		fail "guest: pmsuspended" "it is $(guest_state s):" \
		    "console: $(guest_console s)"
		return 1
	fi
	echo "# suspend guest pmsuspended $(($(now_ms) - _t0)) ms after start"
	pass "guest: pmsuspended"

	_n0=$(nlines)
	insa "$WAKEUP" wa0 "$MS" >"$TMPD/send.out" 2>&1 ||
	    { fail "guest: pmwakeup" "wakeup: $(cat "$TMPD/send.out")"; return 1; }
	_re="wake $DS mac $MS on wb0 from 192.0.2.1: pmwakeup: ok"
	if ! waitline "$_n0" "$_re"; then
		fail "guest: pmwakeup" "no '$_re' in the log: $(logtail)"
		return 1
	fi
	if ! lv_wait_state s running 10; then
		fail "guest: pmwakeup" "logged, but it is $(guest_state s)"
		return 1
	fi
	_nw=$(count_lines "$_n0" " mac $MS ")
	if [ "$_nw" -ne 1 ]; then
		fail "guest: pmwakeup" "$_nw log lines for one packet"
		return 1
	fi
	pass "guest: pmwakeup"

	# Its init suspends again 5 s after the write to /sys/power/state
	# returns: the guest itself came back, not only libvirt's state.
	if guest_wait_state s pmsuspended 30; then
		pass "guest: guest resumed"
	else
		fail "guest: guest resumed" "not suspended again: it is" \
		    "$(guest_state s); console: $(guest_console s)"
	fi
}
pmwakeup

# -------------------------------------------------------------------
# crashed (panicked): the packet must not change that.

crashed() {
	if ! guest_wait_state p "crashed (panicked)" "$GUEST_BOOT_SECS"; then
		fail "guest: crashed (panicked)" "it is $(guest_state p):" \
		    "console: $(guest_console p)"
		return 1
	fi
	pass "guest: crashed (panicked)"

	_n0=$(nlines)
	insa "$WAKEUP" wa0 "$MP" >"$TMPD/send.out" 2>&1 ||
	    { fail "guest: crashed stays crashed" "wakeup failed"; return 1; }
	# The crashed rule (decide.c): kept for inspection, refused, the
	# reason in the log.  wakeupd 0.1 tried "start", which fails with
	# "domain is already running".
	_re="refuse $DP mac $MP on wb0 from 192.0.2.1: crashed \\(panicked\\): kept for inspection"
	if ! waitline "$_n0" "$_re"; then
		fail "guest: crashed stays crashed" "no '$_re': $(logtail)"
		return 1
	fi
	if has_line "$_n0" "wake $DP "; then
		fail "guest: crashed stays crashed" "acted on: $(logtail)"
	elif [ "$(guest_state p)" = "crashed (panicked)" ]; then
		pass "guest: crashed stays crashed"
	else
		fail "guest: crashed stays crashed" "it is $(guest_state p)"
	fi
}
crashed

wd_stop
