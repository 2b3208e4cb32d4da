# libvirtd and tiny qemu domains for the system tests and the demo.
# Sourced after regress/lib.sh; uses its at_cleanup hook and $TMPD.
# Shell variables of its own begin with LV_ or _lv_.
#
# lv_start	use the libvirtd that answers on qemu:///system, or start
#		virtlogd and libvirtd and stop them (by pid) at cleanup;
#		$LV_LIBVIRTD_PID is set only when it is ours.  Also removes
#		domains and networks left by test runs that were killed
#		(lv_sweep, lv_sweep_nets).
# lv_restart	stop libvirtd (ours by preference; else the one running,
#		or systemctl restart under systemd) and start it again; one
#		that ran before us stays running at the end
# lv_stop	undefine our domains, stop what lv_start started
#
# lv_define [-i NIC] NAME MAC [MAC ...]
#		define domain $LV_PFX$NAME: TCG, 32 MiB, one vcpu, no disk,
#		no boot media, no graphics, one NIC per MAC with its link
#		down (the guest sits in firmware and sends nothing); it is
#		destroyed and undefined at cleanup.  The NICs are of type
#		user, or with -i bridge:BR on bridge BR, or with
#		-i network:NET on libvirt network NET.  A few variables,
#		empty unless a caller sets them around the call, make other
#		domains of the same XML (regress/guest.sh uses them):
#		LV_XML_MIB memory in MiB; LV_XML_OS elements inside <os>;
#		LV_XML_TOP elements of <domain> (<features>, <pm>);
#		LV_XML_DEV devices; LV_XML_ONCRASH the <on_crash> action
# lv_xml [-i NIC] NAME MAC...
#		print that XML
# lv_net_bridge NAME BR
#		create transient libvirt network $LV_PFX$NAME in bridge
#		mode over the existing bridge BR; destroyed at cleanup
# lv_name NAME	print the full domain name, $LV_PFX$NAME
# lv_state NAME	print its state ("shut off", "running", "paused", ...)
# lv_wait_state NAME STATE [SECONDS]
#		wait until it is in STATE, at most SECONDS (default 10)
# lv_start_dom, lv_pause, lv_managedsave, lv_destroy NAME
#		the actions, each waited for; lv_destroy also drops a
#		managed save image, so the domain is plainly shut off
# lv_has_managedsave NAME, lv_undefine NAME
# lv_testdrv_file PATH NAME MAC [RUNSTATE [UUID [METADATA]]]
#		write a test driver node file with one domain $LV_PFX$NAME,
#		shut off (RUNSTATE 5, libvirt's number) unless given; its
#		URI is test://PATH
#
# Every wait is bounded and every virsh call has a time limit.  Domains
# carry the prefix wut-PID- and nothing without it is ever touched.
#
# This machine's /dev/kvm is root:root 0600 and nothing fixes it up:
# libvirt then finds the capabilities cache stale and probes qemu again
# on every domain start (about 4 s, and a first probe took 48 s).  With
# root:kvm 0660, as udev would make it, a TCG start takes about 0.4 s.
# lv_start sets that when a kvm group exists.
#
# An init that reaps orphans only every two seconds keeps a killed qemu
# a zombie, and "virsh destroy" waits for it to go (1.5 s instead of
# 0.2 s).  A libvirtd we start runs under regress/tools/reaper when it
# has been built, which reaps its descendants at once.

LV_URI=qemu:///system
LV_PFX=wut-$$-
LV_SOCK=/run/libvirt/libvirt-sock
LV_LIBVIRTD_PID=		# the libvirtd we started, if any
LV_VIRTLOGD_PID=		# the virtlogd we started, if any
LV_HOOKED=
LV_DOMS_HOOKED=
LV_DOMS=
LV_NETS_HOOKED=
LV_NETS=
LV_REAPER=${TOP:-.}/regress/tools/reaper
LV_VIRSH_TIMEOUT=30

lv_virsh() {
	timeout "$LV_VIRSH_TIMEOUT" virsh -q -c "$LV_URI" "$@"
}

lv_name() {
	echo "$LV_PFX$1"
}

# A pid that names a live process (a zombie is not).
lv_alive() {
	[ -n "$1" ] || return 1
	_lv_s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	case $_lv_s in
	Z*|"")	return 1 ;;
	esac
	return 0
}

# Wait at most $1 tenths of a second for command $2... to succeed.  The
# clock bounds it too, for commands that are slow to fail.
lv_poll() {
	_lv_lim=$1; shift
	_lv_i=0
	_lv_end=$(($(date +%s) + (_lv_lim + 9) / 10 + 1))
	until "$@"; do
		_lv_i=$((_lv_i + 1))
		[ $_lv_i -gt "$_lv_lim" ] && return 1
		[ "$(date +%s)" -gt $_lv_end ] && return 1
		sleep 0.1
	done
}

lv_pidfile() {
	[ -s "$1" ] && tr -dc '0-9' <"$1"
}

lv_gone() {
	! lv_alive "$1"
}

# Stop process $1 by pid: TERM, at most 10 s, then KILL.
lv_kill() {
	lv_alive "$1" || return 0
	kill "$1" 2>/dev/null
	lv_poll 100 lv_gone "$1" && return 0
	kill -9 "$1" 2>/dev/null
	lv_poll 50 lv_gone "$1"
}

lv_kvm_fix() {
	[ -c /dev/kvm ] || return 0
	getent group kvm >/dev/null 2>&1 || return 0
	chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
}

lv_connects() {
	timeout 5 virsh -q -c "$LV_URI" uri >/dev/null 2>&1
}

lv_hook() {
	[ -n "$LV_HOOKED" ] && return 0
	LV_HOOKED=1
	at_cleanup lv_stop
}

lv_start_virtlogd() {
	[ -S /run/libvirt/virtlogd-sock ] &&
	    lv_alive "$(lv_pidfile /run/virtlogd.pid)" && return 0
	virtlogd -d || return 1
	lv_poll 100 [ -S /run/libvirt/virtlogd-sock ] || return 1
	LV_VIRTLOGD_PID=$(lv_pidfile /run/virtlogd.pid)
	lv_alive "$LV_VIRTLOGD_PID" || return 1
	lv_hook
}

lv_start_libvirtd() {
	# qemu domains need virtlogd; whoever started it may have gone.
	lv_start_virtlogd || return 1
	_lv_old=$(lv_pidfile /run/libvirtd.pid)
	_lv_r=
	if [ -x "$LV_REAPER" ]; then
		"$LV_REAPER" libvirtd -d </dev/null >/dev/null 2>&1 &
		_lv_r=$!
	else
		libvirtd -d </dev/null >/dev/null 2>&1 || return 1
	fi
	lv_hook
	# The socket appears before libvirtd answers; wait for both.
	lv_poll 150 lv_new_libvirtd "$_lv_old" || return 1
	LV_LIBVIRTD_PID=$(lv_pidfile /run/libvirtd.pid)
	# Under our reaper, or it is someone else's that won the race.
	if [ -n "$_lv_r" ] &&
	    [ "$(ps -o ppid= -p "$LV_LIBVIRTD_PID" | tr -d ' ')" != "$_lv_r" ]
	then
		LV_LIBVIRTD_PID=
	fi
	lv_poll 150 lv_connects
}

lv_new_libvirtd() {
	_lv_p=$(lv_pidfile /run/libvirtd.pid)
	[ -S "$LV_SOCK" ] && [ "$_lv_p" != "$1" ] && lv_alive "$_lv_p"
}

lv_start() {
	command -v virsh >/dev/null 2>&1 || return 1
	lv_kvm_fix
	# Domains start only with virtlogd, which may have gone on its own.
	lv_start_virtlogd || return 1
	if [ -S "$LV_SOCK" ] && lv_connects; then
		lv_sweep
		lv_sweep_nets
		return 0
	fi
	lv_start_virtlogd || return 1
	lv_start_libvirtd || return 1
	lv_sweep
	lv_sweep_nets
	return 0
}

lv_systemd_libvirtd() {
	[ -d /run/systemd/system ] &&
	    systemctl -q is-active libvirtd.service 2>/dev/null
}

lv_restart() {
	if [ -z "$LV_LIBVIRTD_PID" ] && lv_systemd_libvirtd; then
		timeout 60 systemctl restart libvirtd.service || return 1
		lv_poll 150 lv_connects
		return
	fi
	_lv_p=${LV_LIBVIRTD_PID:-$(lv_pidfile /run/libvirtd.pid)}
	_lv_ours=$LV_LIBVIRTD_PID
	lv_kill "$_lv_p" || return 1
	LV_LIBVIRTD_PID=
	lv_poll 50 lv_no_sock
	lv_start_libvirtd || return 1
	# One that was there before we came stays when we go.
	[ -n "$_lv_ours" ] || LV_LIBVIRTD_PID=
	return 0
}

lv_no_sock() {
	! [ -S "$LV_SOCK" ]
}

lv_stop() {
	lv_undefine_all
	lv_net_destroy_all
	if [ -n "$LV_LIBVIRTD_PID" ]; then
		lv_kill "$LV_LIBVIRTD_PID"
		LV_LIBVIRTD_PID=
	fi
	if [ -n "$LV_VIRTLOGD_PID" ]; then
		lv_kill "$LV_VIRTLOGD_PID"
		LV_VIRTLOGD_PID=
	fi
}

# A name of ours whose run was killed before its cleanup: the prefix
# wut-PID- names a pid that no longer runs.
lv_orphan() {
	case $1 in
	wut-[0-9]*-*) ;;
	*) return 1 ;;
	esac
	_lv_p=${1#wut-}
	_lv_p=${_lv_p%%-*}
	case $_lv_p in
	*[!0-9]*|"") return 1 ;;
	esac
	! lv_alive "$_lv_p"
}

# Domains left by killed runs.
lv_sweep() {
	lv_virsh list --all --name 2>/dev/null | while read -r _lv_d; do
		lv_orphan "$_lv_d" || continue
		lv_virsh destroy "$_lv_d" >/dev/null 2>&1
		lv_virsh undefine --managed-save "$_lv_d" >/dev/null 2>&1
	done
	return 0
}

# Transient networks of killed runs, as lv_sweep does for domains.
lv_sweep_nets() {
	lv_virsh net-list --all --name 2>/dev/null | while read -r _lv_d; do
		lv_orphan "$_lv_d" || continue
		lv_virsh net-destroy "$_lv_d" >/dev/null 2>&1
	done
	return 0
}

lv_net_bridge() {
	_lv_n=$LV_PFX$1
	cat >"$TMPD/net-$_lv_n.xml" <<EOF
<network>
  <name>$_lv_n</name>
  <forward mode='bridge'/>
  <bridge name='$2'/>
</network>
EOF
	LV_NETS="$LV_NETS $_lv_n"
	if [ -z "$LV_NETS_HOOKED" ]; then
		LV_NETS_HOOKED=1
		at_cleanup lv_net_destroy_all
	fi
	lv_virsh net-create "$TMPD/net-$_lv_n.xml" >/dev/null
}

lv_net_destroy_all() {
	for _lv_d in $LV_NETS; do
		lv_virsh net-destroy "$_lv_d" >/dev/null 2>&1
	done
	LV_NETS=
}

lv_undefine_all() {
	for _lv_d in $LV_DOMS; do
		lv_virsh destroy "$_lv_d" >/dev/null 2>&1
		lv_virsh undefine --managed-save "$_lv_d" >/dev/null 2>&1
	done
	LV_DOMS=
}

lv_hook_doms() {
	case " $LV_DOMS " in
	*" $1 "*) ;;
	*) LV_DOMS="$LV_DOMS $1" ;;
	esac
	[ -n "$LV_DOMS_HOOKED" ] && return 0
	LV_DOMS_HOOKED=1
	at_cleanup lv_undefine_all
}

# lv_nicok NIC: a NIC kind that lv_ifxml knows.
lv_nicok() {
	case $1 in
	user|bridge:?*|network:?*)	return 0 ;;
	esac
	return 1
}

# lv_ifxml NIC MAC...
lv_ifxml() {
	_lv_k=$1; shift
	case $_lv_k in
	bridge:*)
		_lv_t=bridge
		_lv_src="
      <source bridge='${_lv_k#bridge:}'/>" ;;
	network:*)
		_lv_t=network
		_lv_src="
      <source network='${_lv_k#network:}'/>" ;;
	*)
		_lv_t=user
		_lv_src= ;;
	esac
	for _lv_m; do
		cat <<EOF
    <interface type='$_lv_t'>$_lv_src
      <mac address='$_lv_m'/>
      <model type='e1000'/>
      <link state='down'/>
    </interface>
EOF
	done
}

# lv_xml [-i NIC] NAME MAC...: the XML of a tiny domain (see lv_define).
lv_xml() {
	_lv_nic=user
	if [ "$1" = -i ]; then
		_lv_nic=$2
		shift 2
	fi
	_lv_x=$1; shift
	cat <<EOF
<domain type='qemu'>
  <name>$_lv_x</name>
  <description>wakeup regress: throwaway, removed by the test</description>
  <memory unit='MiB'>${LV_XML_MIB:-32}</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type>${LV_XML_OS:+
$LV_XML_OS}</os>${LV_XML_TOP:+
$LV_XML_TOP}
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>${LV_XML_ONCRASH:-destroy}</on_crash>
  <devices>
$(lv_ifxml "$_lv_nic" "$@")${LV_XML_DEV:+
$LV_XML_DEV}
    <serial type='null'/>
    <video><model type='none'/></video>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
}

lv_define() {
	_lv_nic=user
	if [ "$1" = -i ]; then
		_lv_nic=$2
		shift 2
	fi
	lv_nicok "$_lv_nic" || return 1
	_lv_n=$LV_PFX$1; shift
	[ $# -ge 1 ] || return 1
	lv_xml -i "$_lv_nic" "$_lv_n" "$@" >"$TMPD/$_lv_n.xml"
	lv_hook_doms "$_lv_n"
	# The first define after libvirtd starts may probe qemu: more time.
	timeout 120 virsh -q -c "$LV_URI" define "$TMPD/$_lv_n.xml" >/dev/null
}

lv_undefine() {
	lv_virsh destroy "$LV_PFX$1" >/dev/null 2>&1
	lv_virsh undefine --managed-save "$LV_PFX$1" >/dev/null
}

lv_state() {
	lv_virsh domstate "$LV_PFX$1" 2>/dev/null | sed -n 1p
}

lv_is_state() {
	[ "$(lv_state "$1")" = "$2" ]
}

lv_wait_state() {
	lv_poll $((${3:-10} * 10)) lv_is_state "$1" "$2"
}

lv_start_dom() {
	lv_virsh start "$LV_PFX$1" >/dev/null && lv_wait_state "$1" running
}

lv_pause() {
	lv_virsh suspend "$LV_PFX$1" >/dev/null && lv_wait_state "$1" paused
}

lv_managedsave() {
	lv_virsh managedsave "$LV_PFX$1" >/dev/null &&
	    lv_wait_state "$1" "shut off"
}

lv_has_managedsave() {
	lv_virsh dominfo "$LV_PFX$1" 2>/dev/null |
	    grep -q '^Managed save: *yes'
}

# Back to plainly shut off, whatever the state: destroyed, and without
# a managed save image ("shut off (saved)").
lv_destroy() {
	case $(lv_virsh domstate --reason "$LV_PFX$1" 2>/dev/null) in
	"shut off (saved)")
		lv_virsh managedsave-remove "$LV_PFX$1" >/dev/null 2>&1 ;;
	"shut off"*|"")
		;;
	*)
		lv_virsh destroy "$LV_PFX$1" >/dev/null 2>&1 ;;
	esac
	lv_wait_state "$1" "shut off"
}

lv_testdrv_file() {
	cat >"$1" <<EOF
<node>
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>$LV_PFX$2</name>
${5:+    <uuid>$5</uuid>
}    <memory unit='MiB'>32</memory>
    <os><type>hvm</type></os>
    <devices>
      <interface type='user'>
        <mac address='$3'/>
      </interface>
    </devices>
${6:+    <metadata>$6</metadata>
}    <test:runstate>${4:-5}</test:runstate>
  </domain>
</node>
EOF
}
