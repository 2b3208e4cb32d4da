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
# A tiny real guest, for the domain states that a firmware-only domain
# (lv_define) never reaches: pmsuspended and crashed.  Sourced after
# regress/lib.sh and regress/libvirt.sh; its own shell variables begin
# with GUEST_ or _g_.
#
# The guest is Debian's kernel, booted directly (<kernel>, <initrd>) with
# an initramfs of busybox-static and one init, which reads wut.mode= on
# the kernel command line.  The modes:
#
#	suspend	writes "mem" to /sys/power/state: the domain, which has
#		<suspend-to-mem enabled='yes'/>, becomes pmsuspended; woken
#		(virDomainPMWakeup), it runs for 5 s and suspends again.
#		So the domain's state shows that the guest itself came
#		back, with no need to read its console (whose log has been
#		seen cut short on a busy host).  Booted from the compressed
#		kernel: see below.
#	panic	loads the pvpanic modules and crashes the kernel through
#		sysrq: the domain, with <panic model='isa'/> and
#		<on_crash>preserve</on_crash>, becomes crashed (panicked);
#		booted from the decompressed kernel when there is one
#
# guest_prepare	find or make the kernel and the initramfs in $GUEST_CACHE
#		(the image package that linux-image-amd64 depends on,
#		fetched with apt-get download and unpacked, not installed;
#		keyed by its version, so reruns take no download); sets
#		GUEST_KERNEL, GUEST_VMLINUX (may be empty) and GUEST_INITRD,
#		or GUEST_ERR when it fails
# lv_define_guest NAME MAC MODE
#		define domain $LV_PFX$NAME booting the guest in MODE, 128
#		MiB, its one NIC with MAC (link down, as lv_define's) and
#		its console logged to $GUEST_LOGDIR; undefined at cleanup
# guest_pmsuspended NAME MAC, guest_crashed NAME MAC
#		define such a guest, start it and wait until it is
#		pmsuspended, or crashed (panicked), at most $GUEST_BOOT_SECS
#		(a boot takes 5 to 10 s on an idle machine, several times
#		that on a busy one)
# guest_state NAME
#		print its state with the reason ("crashed (panicked)")
# guest_wait_state NAME STATE [SECONDS]
#		wait at most SECONDS (default 10) until its state is STATE,
#		with any reason, or STATE is the state and reason as
#		guest_state prints them
# guest_console NAME
#		print the last lines of its console, on one line
#
# Under TCG the kernel's own decompressor takes 5 to 10 s of a boot, so
# the kernel is also kept decompressed, as the ELF that qemu enters at
# its PVH entry point.  A guest booted that way does not come back from
# S3, though: the wakeup resets it.  So only the panic guest uses it.
#
# The files must be readable by the qemu user (libvirt-qemu on Debian):
# the cache directories are 0755 and the files 0644; libvirt's DAC
# driver labels them while a domain runs and puts the owner back after.

GUEST_CACHE=${GUEST_CACHE:-/var/cache/wakeup-regress/guest}
GUEST_BUSYBOX=${GUEST_BUSYBOX:-/bin/busybox}
GUEST_META=linux-image-amd64
GUEST_LOGDIR=/var/log/libvirt/qemu
GUEST_BOOT_SECS=${GUEST_BOOT_SECS:-90}
GUEST_KERNEL=
GUEST_VMLINUX=
GUEST_INITRD=
GUEST_DIR=
GUEST_ERR=
GUEST_HOOKED=
GUEST_UPDATED=

# The guest's /init.  It keeps running after its job: when init exits
# the kernel panics, and a suspend guest must not.
guest_init() {
	cat <<'EOF'
#!/bin/busybox sh
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mode=
for a in $(cat /proc/cmdline); do
	case $a in
	wut.mode=*)	mode=${a#wut.mode=} ;;
	esac
done
echo "wut: init, mode $mode"
case $mode in
suspend)
	while :; do
		echo "wut: suspending"
		echo mem >/sys/power/state || break
		echo "wut: resumed"
		sleep 5
	done
	echo "wut: suspend failed"
	;;
panic)
	insmod /lib/modules/pvpanic.ko && insmod /lib/modules/pvpanic-mmio.ko ||
	    echo "wut: pvpanic modules failed"
	echo "wut: panicking"
	echo c >/proc/sysrq-trigger
	;;
*)
	echo "wut: unknown mode"
	;;
esac
while :; do
	sleep 3600
done
EOF
}

guest_fail() {
	GUEST_ERR=$1
	return 1
}

# The image package that the meta-package depends on, and its version,
# which the meta-package pins: one apt-cache, which takes a second or
# more where the package cache is not kept (Debian's docker images).
guest_pkg() {
	set -- $(apt-cache show --no-all-versions "$GUEST_META" 2>/dev/null |
	    sed -n 's/^Depends: \(linux-image-[^ ,]*\) (= \([^)]*\)).*/\1 \2/p')
	[ $# -ge 2 ] || return 1
	_g_pkg=$1 _g_ver=$2
}

# apt-get update, once per run: a fresh machine may have no lists.
guest_update() {
	[ -z "$GUEST_UPDATED" ] || return 1
	GUEST_UPDATED=1
	echo "# guest: apt-get update"
	apt-get update -qq >/dev/null 2>&1
}

# guest_module TREE NAME DEST: the module NAME.ko from the unpacked
# package TREE into DEST, decompressed.
guest_module() {
	_g_m=$(find "$1/lib/modules" -name "$2.ko*" | sed -n 1p)
	case $_g_m in
	*.ko)		cp "$_g_m" "$3" ;;
	*.ko.xz)	xz -dc "$_g_m" >"$3" ;;
	*.ko.zst)	zstd -qdc "$_g_m" >"$3" ;;
	*.ko.gz)	gzip -dc "$_g_m" >"$3" ;;
	*)		return 1 ;;
	esac
}

# guest_vmlinux BZIMAGE CONFIG OUT: the kernel, decompressed, as an ELF
# that qemu boots through its PVH entry point when the kernel has one.
# Under TCG the kernel's own decompressor takes 5 to 10 s of every boot.
# The payload's place is in the boot protocol's setup header: it begins
# payload_offset (at 0x248) bytes after the (setup_sects (at 0x1f1) + 1)
# sectors of real-mode code.
guest_vmlinux() {
	grep -q '^CONFIG_PVH=y' "$2" || return 1
	_g_s=$(od -An -tu1 -j 497 -N 1 "$1" | tr -d ' ')
	_g_p=$(od -An -tu4 -j 584 -N 4 "$1" | tr -d ' ')
	[ -n "$_g_s" ] && [ -n "$_g_p" ] || return 1
	_g_o=$(((_g_s + 1) * 512 + _g_p))
	case $(od -An -tx1 -j $_g_o -N 4 "$1" | tr -d ' ') in
	fd377a58)	_g_z="xz -dc --single-stream" ;;
	28b52ffd)	_g_z="zstd -qdc" ;;
	1f8b*)		_g_z="gzip -dc" ;;
	*)		return 1 ;;
	esac
	tail -c +$((_g_o + 1)) "$1" | $_g_z >"$3" 2>/dev/null
	[ "$(od -An -tx1 -N 4 "$3" | tr -d ' ')" = 7f454c46 ]
}

guest_haskernel() {
	GUEST_KERNEL=$GUEST_DIR/vmlinuz
	GUEST_VMLINUX=$GUEST_DIR/vmlinux
	[ -s "$GUEST_VMLINUX" ] || GUEST_VMLINUX=
	[ -s "$GUEST_KERNEL" ]
}

# The kernel and the modules, into $GUEST_DIR, fetched when not there.
guest_kernel() {
	if ! guest_pkg && { ! guest_update || ! guest_pkg; }; then
		# No package lists and no network: what the cache has.
		GUEST_DIR=$(ls -dt "$GUEST_CACHE"/linux-image-*/ 2>/dev/null |
		    sed -n 1p)
		GUEST_DIR=${GUEST_DIR%/}
		guest_haskernel && return 0
		guest_fail "no package $GUEST_META known to apt"
		return
	fi
	GUEST_DIR=$GUEST_CACHE/${_g_pkg}_$_g_ver
	guest_haskernel && return 0

	_g_t0=$(date +%s)
	_g_b=$GUEST_CACHE/build.$$
	rm -rf "$_g_b"
	mkdir -p "$_g_b/out" || return 1
	until (cd "$_g_b" &&
	    apt-get download "$_g_pkg=$_g_ver") >"$TMPD/apt.out" 2>&1; do
		guest_update && continue
		rm -rf "$_g_b"
		guest_fail "apt-get download $_g_pkg=$_g_ver: $(grep '^E:' \
		    "$TMPD/apt.out" | head -n 1)"
		return
	done
	if ! dpkg-deb -x "$_g_b"/*.deb "$_g_b/x" ||
	    ! cp "$_g_b"/x/boot/vmlinuz-* "$_g_b/out/vmlinuz" ||
	    ! guest_module "$_g_b/x" pvpanic "$_g_b/out/pvpanic.ko" ||
	    ! guest_module "$_g_b/x" pvpanic-mmio "$_g_b/out/pvpanic-mmio.ko"
	then
		rm -rf "$_g_b"
		guest_fail "cannot unpack the kernel or its pvpanic modules"
		return
	fi
	guest_vmlinux "$_g_b/out/vmlinuz" "$_g_b"/x/boot/config-* \
	    "$_g_b/out/vmlinux" || rm -f "$_g_b/out/vmlinux"
	chmod 0755 "$_g_b/out"
	chmod 0644 "$_g_b"/out/*
	# Only the newest kernel is kept.
	for _g_d in "$GUEST_CACHE"/linux-image-*; do
		[ -d "$_g_d" ] && rm -rf "$_g_d"
	done
	mv "$_g_b/out" "$GUEST_DIR" || return 1
	rm -rf "$_g_b"
	guest_haskernel || return 1
	echo "# guest: $_g_pkg $_g_ver fetched and unpacked in" \
	    "$(($(date +%s) - _g_t0)) s"
}

# The initramfs, named after a checksum of what goes into it.
guest_initramfs() {
	if ldd "$GUEST_BUSYBOX" >/dev/null 2>&1 || [ ! -x "$GUEST_BUSYBOX" ]
	then
		guest_fail "$GUEST_BUSYBOX: not a static busybox" \
		    "(install busybox-static)"
		return
	fi
	_g_sum=$({ guest_init; cat "$GUEST_BUSYBOX" "$GUEST_DIR"/*.ko; } |
	    cksum | cut -d ' ' -f 1)
	GUEST_INITRD=$GUEST_DIR/initrd-$_g_sum.gz
	[ -s "$GUEST_INITRD" ] && return 0

	_g_b=$GUEST_CACHE/build.$$
	rm -rf "$_g_b"
	mkdir -p "$_g_b/ir/bin" "$_g_b/ir/lib/modules" "$_g_b/ir/dev" \
	    "$_g_b/ir/proc" "$_g_b/ir/sys" || return 1
	cp "$GUEST_BUSYBOX" "$_g_b/ir/bin/busybox" &&
	    cp "$GUEST_DIR"/*.ko "$_g_b/ir/lib/modules/" &&
	    guest_init >"$_g_b/ir/init" &&
	    chmod 0755 "$_g_b/ir/init" || return 1
	if ! (cd "$_g_b/ir" && find . | sort |
	    cpio -o -H newc -R 0:0 --quiet | gzip -9) >"$_g_b/initrd"; then
		rm -rf "$_g_b"
		guest_fail "cannot make the initramfs (cpio, gzip)"
		return
	fi
	chmod 0644 "$_g_b/initrd"
	rm -f "$GUEST_DIR"/initrd-*.gz
	mv "$_g_b/initrd" "$GUEST_INITRD" || return 1
	rm -rf "$_g_b"
}

guest_prepare() {
	GUEST_ERR=
	[ "$(dpkg --print-architecture 2>/dev/null)" = amd64 ] ||
	    { guest_fail "needs Debian on amd64"; return; }
	mkdir -p "$GUEST_CACHE" && chmod 0755 "$GUEST_CACHE" \
	    "$(dirname "$GUEST_CACHE")" || { guest_fail "$GUEST_CACHE"; return; }
	at_cleanup rm -rf "$GUEST_CACHE/build.$$"
	# One run at a time makes or prunes the cache.
	exec 9>>"$GUEST_CACHE/lock"
	if ! flock -w 600 9; then
		exec 9>&-
		guest_fail "$GUEST_CACHE/lock: held for 10 minutes"
		return
	fi
	guest_kernel && guest_initramfs
	_g_rc=$?
	exec 9>&-
	[ $_g_rc -eq 0 ] || return 1
}

guest_log() {
	echo "$GUEST_LOGDIR/$LV_PFX$1-console.log"
}

guest_rmlogs() {
	rm -f "$GUEST_LOGDIR/$LV_PFX"*-console.log
}

lv_define_guest() {
	case $3 in
	suspend|panic) ;;
	*)	return 1 ;;
	esac
	[ -n "$GUEST_INITRD" ] || return 1
	if [ -z "$GUEST_HOOKED" ]; then
		GUEST_HOOKED=1
		at_cleanup guest_rmlogs
	fi
	LV_XML_MIB=128
	_g_k=$GUEST_KERNEL
	[ "$3" = panic ] && [ -n "$GUEST_VMLINUX" ] && _g_k=$GUEST_VMLINUX
	LV_XML_OS="    <kernel>$_g_k</kernel>
    <initrd>$GUEST_INITRD</initrd>
    <cmdline>console=ttyS0 panic=0 wut.mode=$3</cmdline>"
	LV_XML_TOP="  <features><acpi/><apic/></features>
  <pm>
    <suspend-to-mem enabled='yes'/>
    <suspend-to-disk enabled='no'/>
  </pm>"
	LV_XML_ONCRASH=preserve
	# A file, not a pty with a <log>: qemu drops what it writes to a
	# pty nobody reads, and the log with it.  libvirtd opens the file.
	LV_XML_DEV="    <serial type='file'>
      <source path='$(guest_log "$1")' append='off'/>
      <target port='0'/>
    </serial>
    <panic model='isa'>
      <address type='isa' iobase='0x505'/>
    </panic>"
	lv_define "$1" "$2"
	_g_rc=$?
	LV_XML_MIB= LV_XML_OS= LV_XML_TOP= LV_XML_ONCRASH= LV_XML_DEV=
	return $_g_rc
}

guest_state() {
	lv_virsh domstate --reason "$LV_PFX$1" 2>/dev/null | sed -n 1p
}

guest_is_state() {
	case $(guest_state "$1") in
	"$2"|"$2 ("*)	return 0 ;;
	esac
	return 1
}

guest_wait_state() {
	lv_poll $((${3:-10} * 10)) guest_is_state "$1" "$2"
}

guest_console() {
	tail -n 5 "$(guest_log "$1")" 2>/dev/null | tr -d '\r' | tr '\n' '|' |
	    cut -c 1-400
}

# guest_bring NAME MAC MODE STATE
guest_bring() {
	lv_define_guest "$1" "$2" "$3" &&
	    lv_virsh start "$LV_PFX$1" >/dev/null &&
	    guest_wait_state "$1" "$4" "$GUEST_BOOT_SECS"
}

guest_pmsuspended() {
	guest_bring "$1" "$2" suspend pmsuspended
}

guest_crashed() {
	guest_bring "$1" "$2" panic "crashed (panicked)"
}
