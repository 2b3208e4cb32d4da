#!/bin/sh
# The Debian packages, as an admin gets them: built from a copy of the
# tree (which stays clean) with no network, checked by lintian, then
# installed with apt-get into a clean Debian chroot (debootstrap
# minbase, cached; see regress/chroot.sh) so that their dependencies
# resolve as a user's would.  There: the sender alone pulls in no
# libvirt; each program runs; the user, the unit (not enabled) and the
# manuals are there; an upgrade over itself keeps a changed conffile;
# purge leaves nothing the packages made but the _wakeupd user.
#
# Frames: none.  wakeup -n and wakeupd -n run in a network namespace of
# their own (unshare -n, regress/links.sh); only apt in the chroot uses
# the host's network, to reach the Debian mirror.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"
. "$TOP/regress/chroot.sh"

SUITE=bookworm
T1=52:54:00:12:34:56

needroot "deb: one version" "deb: packages build" "deb: dependencies" \
    "deb: lintian" "deb: tree left clean" "deb: chroot" \
    "deb: sender alone" "deb: install" "deb: user" "deb: unit" \
    "deb: manuals" "deb: wakeupd.conf(5)" "deb: wakeup -n" "deb: wakeupd -n" \
    "deb: no interfaces" "deb: upgrade keeps conffile" "deb: purge" \
    "deb: no mounts left"

V=$(cat "$TOP/VERSION")

# The version: VERSION, and what repeats it.
_vs="VERSION $V, Makefile $(make -s -C "$TOP" version 2>&1),\
 changelog $(dpkg-parsechangelog -l "$TOP/debian/changelog" -SVersion),\
 wakeup.8 $(sed -n 's/^\.Os wakeup //p' "$TOP/wakeup/wakeup.8"),\
 wakeupd.8 $(sed -n 's/^\.Os wakeup //p' "$TOP/wakeupd/wakeupd.8"),\
 wakeupd.conf.5 $(sed -n 's/^\.Os wakeup //p' "$TOP/wakeupd/wakeupd.conf.5")"
if [ "$_vs" = "VERSION $V, Makefile $V, changelog $V, wakeup.8 $V,\
 wakeupd.8 $V, wakeupd.conf.5 $V" ]; then
	pass "deb: one version"
else
	fail "deb: one version" "$_vs"
fi

# Build, from a copy, without network.
status0=$(git -C "$TOP" status --porcelain 2>&1)
ARCH=$(dpkg --print-architecture)
if sh "$TOP/regress/pkg/mkdeb.sh" "$TMPD/debs" >"$TMPD/mkdeb.out" 2>&1 &&
    [ -f "$TMPD/debs/wakeup_${V}_$ARCH.deb" ] &&
    [ -f "$TMPD/debs/wakeupd_${V}_$ARCH.deb" ]; then
	pass "deb: packages build"
else
	fail "deb: packages build" "$(tail -c 600 "$TMPD/mkdeb.out")"
	exit 1
fi
WAKEUP_DEB=wakeup_${V}_$ARCH.deb
WAKEUPD_DEB=wakeupd_${V}_$ARCH.deb

# The sender needs libnet only; the listener libpcap, libvirt, libxml2.
dw=$(dpkg-deb -f "$TMPD/debs/$WAKEUP_DEB" Depends)
dd=$(dpkg-deb -f "$TMPD/debs/$WAKEUPD_DEB" Depends)
case $dw in
*libvirt*|*libpcap*|*libxml*)
	fail "deb: dependencies" "wakeup: $dw" ;;
*libnet1*)
	case $dd in
	*libpcap0.8*libvirt0*libxml2*) pass "deb: dependencies" ;;
	*) fail "deb: dependencies" "wakeupd: $dd" ;;
	esac ;;
*)	fail "deb: dependencies" "wakeup: $dw" ;;
esac

# No error, no warning, and no override (none is needed).
lintian --fail-on error,warning "$TMPD"/debs/*.deb >"$TMPD/lintian" 2>&1
rc=$?
if [ $rc -ne 0 ] || grep -q '^[EW]:' "$TMPD/lintian"; then
	fail "deb: lintian" "exit $rc: $(head -c 600 "$TMPD/lintian")"
elif grep -q '^O:' "$TMPD/lintian"; then
	fail "deb: lintian" "overrides: $(grep '^O:' "$TMPD/lintian")"
else
	pass "deb: lintian"
fi

status1=$(git -C "$TOP" status --porcelain 2>&1)
if [ "$status0" = "$status1" ]; then
	pass "deb: tree left clean"
else
	fail "deb: tree left clean" "$(printf '%s\n' "$status1" | head -5)"
fi

# A clean system: systemd as on every Debian machine, man-db to read
# the manuals.
R=$TMPD/root
if ! chroot_make $SUITE "$R" man-db systemd >"$TMPD/chroot.out" 2>&1 ||
    ! chroot_run "$R" apt-get update -q >>"$TMPD/chroot.out" 2>&1; then
	fail "deb: chroot" "$(tail -c 600 "$TMPD/chroot.out")"
	exit 1
fi
pass "deb: chroot"
mkdir -m 0755 "$R/tmp/debs" && cp "$TMPD/debs/$WAKEUP_DEB" \
    "$TMPD/debs/$WAKEUPD_DEB" "$R/tmp/debs/" && chmod 0644 "$R"/tmp/debs/*

# What is on the system before, to compare after purge: paths, without
# the package manager's own records, logs and caches.
snapshot() {
	chroot_run "$R" find / -xdev \( -path /proc -o -path /sys -o \
	    -path /dev -o -path /tmp -o -path /run -o -path /var/lib/apt -o \
	    -path /var/cache/apt -o -path /var/lib/dpkg -o -path /var/log -o \
	    -path /var/cache/debconf -o -path /var/cache/man -o \
	    -path /var/cache/ldconfig \) -prune -o -print | sort
}
packages() {
	chroot_run "$R" dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' |
	    awk '$1 == "ii" { print $2 }' | sort
}
snapshot >"$TMPD/before"
packages >"$TMPD/pkgs.before"

installed() {
	[ "$(chroot_run "$R" dpkg-query -W -f '${Status}' "$1" 2>/dev/null)" = \
	    "install ok installed" ]
}

# Someone who only sends.
if ! chroot_run "$R" apt-get install -y -q "/tmp/debs/$WAKEUP_DEB" \
    >"$TMPD/apt1" 2>&1; then
	fail "deb: sender alone" "$(tail -c 600 "$TMPD/apt1")"
elif ! installed wakeup; then
	fail "deb: sender alone" "wakeup not installed"
elif installed libvirt0 || installed libpcap0.8; then
	fail "deb: sender alone" "pulled in libvirt0 or libpcap0.8"
else
	pass "deb: sender alone"
fi

if ! chroot_run "$R" apt-get install -y -q "/tmp/debs/$WAKEUPD_DEB" \
    >"$TMPD/apt2" 2>&1; then
	fail "deb: install" "$(tail -c 600 "$TMPD/apt2")"
elif ! installed wakeupd || ! installed libvirt0; then
	fail "deb: install" "wakeupd or libvirt0 not installed"
elif chroot_run "$R" dpkg -L wakeupd | grep -qx /var/empty; then
	fail "deb: install" "/var/empty shipped"
else
	pass "deb: install"
fi

u=$(chroot_run "$R" getent passwd _wakeupd)
case $u in
_wakeupd:x:*:*:*:/var/empty:/usr/sbin/nologin) pass "deb: user" ;;
*)	fail "deb: user" "passwd: '$u'" ;;
esac

# Installed, not enabled, not started (there is no systemd running in
# a chroot, but nothing must have asked for it either).
UNIT=/lib/systemd/system/wakeupd.service
en=$(chroot_run "$R" systemctl is-enabled wakeupd.service 2>&1)
chroot_run "$R" systemd-analyze verify wakeupd.service >"$TMPD/verify" 2>&1
vrc=$?
if [ $vrc -ne 0 ] || [ -s "$TMPD/verify" ]; then
	fail "deb: unit" "systemd-analyze verify: exit $vrc:" \
	    "$(head -c 300 "$TMPD/verify")"
elif ! grep -qx 'ExecStart=/usr/sbin/wakeupd -d $WAKEUPD_ARGS' "$R$UNIT"; then
	fail "deb: unit" "$UNIT: $(grep ExecStart "$R$UNIT")"
elif [ "$en" != disabled ]; then
	fail "deb: unit" "is-enabled: $en"
elif ! grep -qx 'WAKEUPD_ARGS=' "$R/etc/default/wakeupd"; then
	fail "deb: unit" "/etc/default/wakeupd: $(cat "$R/etc/default/wakeupd")"
elif ! grep -qx 'KillMode=process' \
    "$R/usr/share/doc/wakeupd/examples/wakeupd-run.conf"; then
	fail "deb: unit" "no run drop-in in /usr/share/doc/wakeupd/examples"
else
	pass "deb: unit"
fi

# The manuals open, with the version in their footer.
m1=$(chroot_run "$R" env LC_ALL=C man -P cat 8 wakeup 2>&1)
m2=$(chroot_run "$R" env LC_ALL=C man -P cat 8 wakeupd 2>&1)
case $m1 in
*"send Wake-on-LAN magic packets"*"wakeup $V"*)
	case $m2 in
	*"wake libvirt domains with Wake-on-LAN"*"wakeup $V"*)
		pass "deb: manuals" ;;
	*)	fail "deb: manuals" "wakeupd: $(printf '%s' "$m2" | head -c 300)" ;;
	esac ;;
*)	fail "deb: manuals" "wakeup: $(printf '%s' "$m1" | head -c 300)" ;;
esac
m3=$(chroot_run "$R" env LC_ALL=C man -P cat 5 wakeupd.conf 2>&1)
case $m3 in
*"Wake-on-LAN daemon configuration file"*"wakeup $V"*)
	pass "deb: wakeupd.conf(5)" ;;
*)	fail "deb: wakeupd.conf(5)" "$(printf '%s' "$m3" | head -c 300)" ;;
esac

# The programs, in a network namespace with fixed veth links: the frame
# of the golden test, and wakeupd's check with libvirt's test driver.
cat >"$TMPD/inner.sh" <<EOF
. "$TOP/regress/links.sh" || exit 1
. "$TOP/regress/chroot.sh"
chroot_run "$R" wakeup -n wa0 $T1 >"$TMPD/udp4.hex" 2>&1
echo \$? >"$TMPD/udp4.rc"
chroot_run "$R" wakeupd -n -c test:///default wa0 >"$TMPD/wd.out" 2>&1
echo \$? >"$TMPD/wd.rc"
EOF
if ! unshare -n sh "$TMPD/inner.sh" >"$TMPD/inner.out" 2>&1; then
	fail "deb: wakeup -n" "setup: $(head -c 300 "$TMPD/inner.out")"
elif [ "$(cat "$TMPD/udp4.rc")" != 0 ] ||
    ! diff -u "$TOP/regress/wakeup/golden/udp4.hex" "$TMPD/udp4.hex" \
    >"$TMPD/diff"; then
	fail "deb: wakeup -n" "exit $(cat "$TMPD/udp4.rc"):" \
	    "$(head -c 400 "$TMPD/diff" "$TMPD/udp4.hex")"
else
	pass "deb: wakeup -n"
fi
if [ "$(cat "$TMPD/wd.rc" 2>/dev/null)" = 0 ] &&
    grep -qx 'configuration OK' "$TMPD/wd.out" && [ -d "$R/var/empty" ]
then
	pass "deb: wakeupd -n"
else
	fail "deb: wakeupd -n" "exit $(cat "$TMPD/wd.rc" 2>/dev/null):" \
	    "$(head -c 400 "$TMPD/wd.out")"
fi

# What the unit runs before the admin has named the interfaces.
chroot_run "$R" sh -c '. /etc/default/wakeupd; /usr/sbin/wakeupd -d \
    $WAKEUPD_ARGS' >"$TMPD/noif" 2>&1
rc=$?
if [ $rc -eq 78 ] && [ "$(wc -l <"$TMPD/noif")" -eq 1 ] &&
    grep -q 'RestartPreventExitStatus=78' "$R$UNIT"; then
	pass "deb: no interfaces"
else
	fail "deb: no interfaces" "exit $rc: $(head -c 300 "$TMPD/noif")"
fi

# An upgrade over itself keeps the admin's WAKEUPD_ARGS.
ARGS='WAKEUPD_ARGS="-c test:///default wa0"'
echo "$ARGS" >>"$R/etc/default/wakeupd"
if ! chroot_run "$R" apt-get install -y -q --reinstall \
    "/tmp/debs/$WAKEUP_DEB" "/tmp/debs/$WAKEUPD_DEB" >"$TMPD/apt3" 2>&1
then
	fail "deb: upgrade keeps conffile" "$(tail -c 600 "$TMPD/apt3")"
elif ! grep -q "Unpacking wakeupd ($V) over ($V)" "$TMPD/apt3"; then
	fail "deb: upgrade keeps conffile" "not unpacked again:" \
	    "$(tail -c 300 "$TMPD/apt3")"
elif [ "$(tail -n 1 "$R/etc/default/wakeupd")" != "$ARGS" ]; then
	fail "deb: upgrade keeps conffile" \
	    "$(tail -n 2 "$R/etc/default/wakeupd")"
elif [ "$(chroot_run "$R" systemctl is-enabled wakeupd.service 2>&1)" != \
    disabled ]; then
	fail "deb: upgrade keeps conffile" "the unit got enabled"
else
	pass "deb: upgrade keeps conffile"
fi

# Purge, and the dependencies with it, also those that autoremove
# keeps because a package of the base system recommends them (dbus):
# the system is as before, but for the _wakeupd user, which Debian
# keeps.
if ! chroot_run "$R" sh -c 'apt-get purge -y -q wakeup wakeupd &&
    apt-get autoremove --purge -y -q' >"$TMPD/apt4" 2>&1; then
	fail "deb: purge" "$(tail -c 600 "$TMPD/apt4")"
elif packages | comm -13 "$TMPD/pkgs.before" - >"$TMPD/pkgs.extra" &&
    [ -s "$TMPD/pkgs.extra" ] &&
    ! chroot_run "$R" apt-get purge -y -q $(cat "$TMPD/pkgs.extra") \
    >>"$TMPD/apt4" 2>&1; then
	fail "deb: purge" "$(tail -c 600 "$TMPD/apt4")"
else
	snapshot >"$TMPD/after"
	if ! diff "$TMPD/before" "$TMPD/after" >"$TMPD/left"; then
		fail "deb: purge" "left or lost: $(head -c 600 "$TMPD/left" |
		    tr '\n' ' ')"
	elif installed wakeupd || installed libvirt0; then
		fail "deb: purge" "still installed"
	elif ! chroot_run "$R" getent passwd _wakeupd >/dev/null; then
		fail "deb: purge" "_wakeupd removed"
	else
		pass "deb: purge"
	fi
fi

# chroot_run mounts in a namespace of its own: nothing is left here.
if grep -q " $R/" /proc/self/mountinfo; then
	fail "deb: no mounts left" "$(grep " $R/" /proc/self/mountinfo)"
else
	pass "deb: no mounts left"
fi
