#!/bin/sh
# make demo: wake a throwaway VM with a magic packet, as root.
#
# Starts libvirtd when none runs, defines a tiny TCG domain (no disk,
# its NIC link down), joins two new network namespaces with a veth
# pair, runs wakeupd in one and wakeup in the other, and shows the
# domain going from shut off to running, then from paused to running.
# Then a gateway: a third namespace on a second segment, and wakeupd,
# with a configuration file, relaying a packet for a machine there onto
# VLAN 20, as tcpdump sees it.
# Everything it made goes again at the end, also on failure or ^C:
# wakeupd, the domain, the namespaces, and libvirtd if it started it.
# Frames go only over the veth pairs, inside the namespaces.

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: run as root (make demo, as root): it starts libvirtd," \
	    "creates network namespaces and a virtual machine" >&2
	exit 1
fi

TOP=$(cd "$(dirname "$0")/.." && pwd)
export TOP
. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
# Output into a closed pipe (make demo | head) must clean up too.
trap 'exit 1' PIPE

MAC=52:54:00:de:$(printf '%02x:%02x' $(($$ / 256 % 256)) $(($$ % 256)))
DOM=$(lv_name demo)
LOG=$TMPD/wakeupd.log
WINDOW=1
WPID=

say() {
	printf '\n== %s\n' "$*"
}

show() {
	printf '   %s\n' "$*"
}

# Show a command, then run it.
run() {
	printf '   # %s\n' "$*"
	"$@"
}

die() {
	echo "demo: $*; cleaning up" >&2
	exit 1
}

state() {
	show "virsh domstate $DOM: $(lv_state demo)"
}

wd_stop() {
	[ -n "$WPID" ] || return 0
	kill "$WPID" 2>/dev/null
	lv_poll 100 lv_gone "$WPID" || kill -9 "$WPID" 2>/dev/null
	wait "$WPID" 2>/dev/null
	WPID=
}

has_line() {
	tail -n +$(($1 + 1)) "$LOG" | grep -q "$2"
}

# Send a magic packet from wa0 and wait for wakeupd to act on it.
wake() {
	_n0=$(wc -l <"$LOG")
	run ip netns exec "$NSA" "$WAKEUP" wa0 "$MAC" ||
	    die "wakeup failed"
	lv_poll 300 has_line "$_n0" "wake $DOM " ||
	    die "wakeupd did not act within 30 s; its log: $(tail -n 3 "$LOG")"
	show "wakeupd logs:"
	tail -n +$((_n0 + 1)) "$LOG" | grep "wake $DOM " | sed 's/^/     /'
	lv_wait_state demo running 10 || die "$DOM is $(lv_state demo)"
	state
}

for _p in "$WAKEUP" "$WAKEUPD"; do
	[ -x "$_p" ] || die "$_p is not built; run make first"
done
for _c in virsh libvirtd virtlogd ip; do
	command -v "$_c" >/dev/null 2>&1 ||
	    die "$_c not found; run make deps first"
done

say "libvirt"
if [ -S "$LV_SOCK" ] && lv_connects; then
	show "using the libvirtd that runs already (qemu:///system)"
else
	show "no libvirtd runs: starting one, stopped again at the end"
	show "(the very first start probes qemu, which can take a while)"
fi
lv_start || die "cannot start or reach libvirtd"
[ -n "$LV_LIBVIRTD_PID" ] && show "libvirtd runs as pid $LV_LIBVIRTD_PID"
at_cleanup wd_stop

say "a throwaway VM"
lv_define demo "$MAC" || die "cannot define the domain"
show "$DOM: TCG, 32 MiB, no disk, no boot media: it sits in"
show "its firmware.  One NIC, $MAC, with its link down."
state

say "two network namespaces joined by a veth pair"
ns_setup || die "cannot create the namespaces"
show "$NSA: wa0 $IPA  <--veth-->  $NSB: wb0 $IPB"

say "wakeupd, listening on wb0 in $NSB"
show "# $WAKEUPD -d -C $WAKEUPD_CAPTURE -u nobody -w $WINDOW wb0"
ip netns exec "$NSB" "$WAKEUPD" -d -C "$WAKEUPD_CAPTURE" -u nobody \
    -w $WINDOW wb0 2>"$LOG" &
WPID=$!
lv_poll 150 grep -q ready "$LOG" ||
    die "wakeupd is not ready; its log: $(tail -n 3 "$LOG")"
grep ready "$LOG" | sed 's/^/     /'

say "wakeup sends a magic packet from wa0 in $NSA: shut off -> running"
_t0=$(date +%s)
wake

say "pause the VM, and wake it again: paused -> running"
show "# virsh suspend $DOM"
lv_virsh suspend "$DOM" >/dev/null || die "cannot pause it"
lv_wait_state demo paused || die "$DOM is $(lv_state demo)"
state
# wakeupd ignores an address for -w seconds after acting on it.
while [ "$(date +%s)" -le $((_t0 + WINDOW)) ]; do
	sleep 0.2
done
wake

say "a gateway: relay to another segment"
wd_stop
ns_setup_c || die "cannot join $NSB to a third namespace"
show "$NSB: wc0 198.51.100.1  <--veth-->  $NSC: wd0, where the NAS would be"
NAS=02:00:5e:10:01:01
umask 077
cat >"$TMPD/wakeupd.conf" <<EOF
listen on wb0
libvirt "qemu:///system"
host nas {
	mac $NAS
	from 192.0.2.0/24
	relay on wc0 vlan 20
}
EOF
show "$TMPD/wakeupd.conf:"
sed 's/^/     /' "$TMPD/wakeupd.conf"
ip netns exec "$NSB" "$WAKEUPD" -d -C "$WAKEUPD_CAPTURE" -u nobody \
    -F "$TMPD/wakeupd.conf" 2>"$LOG" &
WPID=$!
lv_poll 150 grep -q ready "$LOG" ||
    die "wakeupd is not ready; its log: $(tail -n 3 "$LOG")"
grep ready "$LOG" | sed 's/^/     /'
ip netns exec "$NSC" tcpdump -i wd0 -c 1 -e -n -l --immediate-mode \
    vlan >"$TMPD/tcpdump.out" 2>"$TMPD/tcpdump.err" &
CPID=$!
at_cleanup "kill $CPID"
lv_poll 100 grep -q "listening on" "$TMPD/tcpdump.err" ||
    die "tcpdump did not start"
_n0=$(wc -l <"$LOG")
run ip netns exec "$NSA" "$WAKEUP" wa0 "$NAS" || die "wakeup failed"
lv_poll 100 has_line "$_n0" "wake host nas" ||
    die "wakeupd did not relay; its log: $(tail -n 3 "$LOG")"
show "wakeupd logs:"
tail -n +$((_n0 + 1)) "$LOG" | grep "wake host nas" | sed 's/^/     /'
lv_poll 100 lv_gone "$CPID" || die "nothing arrived on wd0"
show "tcpdump on wd0 in $NSC:"
sed 's/^/     /' "$TMPD/tcpdump.out"

say "done; removing wakeupd, the VM and the namespaces"
[ -n "$LV_LIBVIRTD_PID" ] && show "and stopping the libvirtd started here"
exit 0
