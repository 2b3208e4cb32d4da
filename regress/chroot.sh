# Debian chroots made by debootstrap, for the package tests and for
# builds on other Debian releases.  Sourced after regress/lib.sh.
#
# chroot_make SUITE DIR [PACKAGE...] unpacks a minbase SUITE system with
# PACKAGEs into DIR, which must not exist.  It comes from a tarball in
# $CHROOT_CACHE, keyed by suite, architecture and packages, which is
# made by debootstrap from $CHROOT_MIRROR the first time (a minute or
# two) and reused afterwards.  The chroot gets the host's resolv.conf
# and a policy-rc.d that starts no service.
#
# chroot_run DIR CMD... runs CMD in DIR as root, with a plain
# environment, in a mount namespace of its own: /proc, /sys, /dev/pts
# and the shared .deb cache are mounted there only, so they vanish with
# CMD, also when it fails or is killed, and the host never sees them.
# Prefix it with ip netns exec or unshare -n for a network namespace.
#
# Nothing here touches the host's own package state: apt and dpkg run
# inside DIR only.  DIR lives in $TMPD and goes with it.

: "${CHROOT_CACHE:=/var/cache/wakeup-regress}"
: "${CHROOT_MIRROR:=http://deb.debian.org/debian}"

chroot_make() {
	_suite=$1 _dir=$2
	shift 2
	_arch=$(dpkg --print-architecture) || return 1
	_key=$_suite-$_arch-minbase
	[ $# -gt 0 ] && _key=$_key-$(echo "$@" | tr ' ' '\n' | sort |
	    tr '\n' ',' | sed 's/,$//')
	_tar=$CHROOT_CACHE/$_key.tar.gz
	mkdir -p "$CHROOT_CACHE/archives-$_suite-$_arch/partial" || return 1
	# One debootstrap at a time per machine; a second test waits.
	(
		flock 9 || exit 1
		[ -s "$_tar" ] && exit 0
		# What a run that was killed left (we hold the lock).
		rm -rf "$CHROOT_CACHE/.new-$_key".*
		_new=$CHROOT_CACHE/.new-$_key.$$
		_inc=
		[ $# -gt 0 ] && _inc=--include=$(echo "$@" | tr ' ' ',')
		echo "chroot: debootstrap $_suite ($_key), once" >&2
		# In a mount namespace: what debootstrap mounts in the new
		# system goes with it, also when it is killed.
		if ! unshare --mount --propagation private -- debootstrap \
		    --variant=minbase $_inc "$_suite" "$_new" \
		    "$CHROOT_MIRROR" >"$_new.log" 2>&1; then
			tail -n 5 "$_new.log" >&2
			rm -rf "$_new" "$_new.log"
			exit 1
		fi
		chroot "$_new" apt-get clean
		tar -C "$_new" -czf "$_new.tar.gz" . &&
		    mv "$_new.tar.gz" "$_tar"
		_rc=$?
		rm -rf "$_new" "$_new.log"
		exit $_rc
	) 9>"$CHROOT_CACHE/$_key.lock" || return 1
	mkdir "$_dir" && tar -C "$_dir" -xzf "$_tar" || return 1
	cp /etc/resolv.conf "$_dir/etc/resolv.conf" || return 1
	printf '#!/bin/sh\nexit 101\n' >"$_dir/usr/sbin/policy-rc.d" &&
	    chmod 0755 "$_dir/usr/sbin/policy-rc.d" || return 1
	# Where chroot_run mounts the shared cache of downloaded packages.
	echo "$CHROOT_CACHE/archives-$_suite-$_arch" >"$_dir/.chroot-archives"
}

chroot_run() {
	_dir=$1
	shift
	unshare --mount --propagation private -- sh -c '
		d=$1
		shift
		mount -t proc proc "$d/proc" &&
		mount -t sysfs sysfs "$d/sys" &&
		mount -t devpts -o newinstance,ptmxmode=0666 devpts \
		    "$d/dev/pts" &&
		mount --bind "$(cat "$d/.chroot-archives")" \
		    "$d/var/cache/apt/archives" || exit 125
		exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		    LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		    chroot "$d" "$@"' sh "$_dir" "$@"
}
