#!/bin/sh
# The programs, the unit tests and the test tools build warning-free on
# the oldest and the newest Debian we support, not only on the machine's
# own: Debian 11 (bullseye: glibc 2.31, gcc 10, clang 11, libvirt 7.0)
# and Debian 13 (trixie), each in a debootstrap chroot (cached; see
# regress/chroot.sh) with the build dependencies.  In each: a copy of
# the tree (what git knows, as regress/pkg/mkdeb.sh takes it), built
# with make and gcc, make and clang, and bmake, each with -Werror and
# with no warning from the linker either, then the unit tests run, so
# that the old and new libc are exercised as well as their headers.
#
# Frames: none.  The builds run in a network namespace of their own;
# only debootstrap, the first time, reaches the Debian mirror.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"
. "$TOP/regress/chroot.sh"

SUITES="bullseye trixie"
PKGS="bmake byacc clang gcc libnet1-dev libpcap-dev libvirt-dev libxml2-dev make
    pkg-config"
BUILDS="gcc clang bmake"
W='WARNFLAGS="-Wall -Wextra -Werror"'

needroot "builds: bullseye chroot" "builds: bullseye gcc" \
    "builds: bullseye clang" "builds: bullseye bmake" \
    "builds: trixie chroot" "builds: trixie gcc" "builds: trixie clang" \
    "builds: trixie bmake"

# The tree, once: tracked files and new ones git does not ignore.
(cd "$TOP" && git ls-files -z --cached --others --exclude-standard |
    xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\n" "$f"; done' sh |
    tar --no-recursion -cf - -T -) >"$TMPD/src.tar" ||
    { fail "builds: copy" "git ls-files in $TOP"; exit 1; }

# inchroot ROOT CMD: CMD by sh in ROOT's /src, with no network.
inchroot() {
	unshare -n sh -c '. "$1"; shift; chroot_run "$@"' sh \
	    "$TOP/regress/chroot.sh" "$1" sh -c "cd /src && $2"
}

for s in $SUITES; do
	R=$TMPD/$s
	t0=$(date +%s)
	# shellcheck disable=SC2086
	if ! chroot_make $s "$R" $PKGS >"$TMPD/$s.chroot" 2>&1 ||
	    ! mkdir "$R/src" || ! tar -xf "$TMPD/src.tar" -C "$R/src"; then
		fail "builds: $s chroot" "$(tail -c 600 "$TMPD/$s.chroot")"
		for b in $BUILDS; do
			fail "builds: $s $b" "no chroot"
		done
		continue
	fi
	v=$(chroot_run "$R" sh -c 'ldd --version | sed -n "1s/.* //p";
	    pkg-config --modversion libvirt; gcc -dumpversion;
	    clang --version | sed -n "1s/.*version \([^ ]*\).*/\1/p"' |
	    tr '\n' ' ')
	set -- $v
	pass "builds: $s chroot (glibc $1, libvirt $2, gcc $3, clang ${4%%-*};\
 $(($(date +%s) - t0)) s)"

	for b in $BUILDS; do
		case $b in
		gcc)	cmd="make CC=gcc $W" ;;
		clang)	cmd="make CC=clang $W" ;;
		bmake)	cmd="bmake $W" ;;
		esac
		t0=$(date +%s)
		inchroot "$R" "make clean >/dev/null && $cmd all regress &&
		    ./regress/common/test_wol && ./regress/wakeupd/test_decide" \
		    >"$TMPD/$s-$b.log" 2>&1
		rc=$?
		secs=$(($(date +%s) - t0))
		if [ $rc -ne 0 ]; then
			fail "builds: $s $b" "exit $rc after $secs s: $(grep \
			    -E 'error:|warning:|FAIL|not found|No such' \
			    "$TMPD/$s-$b.log" | head -n 5 | cut -c 1-300 |
			    tr '\n' ' ')"
		elif grep -q 'warning:' "$TMPD/$s-$b.log"; then
			fail "builds: $s $b" "$(grep 'warning:' \
			    "$TMPD/$s-$b.log" | head -n 3 | tr '\n' ' ')"
		elif [ ! -x "$R/src/wakeup/wakeup" ] ||
		    [ ! -x "$R/src/wakeupd/wakeupd" ] ||
		    [ ! -x "$R/src/regress/fuzz/replay_msg" ]; then
			fail "builds: $s $b" "a program is missing"
		else
			pass "builds: $s $b ($secs s)"
		fi
	done
done
