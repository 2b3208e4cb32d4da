#!/bin/sh
# Install what wakeup needs to build and to run its whole regress, when
# something is missing.  Idempotent: with everything present it only
# looks.  Debian/Ubuntu install with apt-get; the BSDs print the line.

set -u

DEB_BUILD="make gcc clang bmake byacc pkg-config libnet1-dev libpcap-dev
libvirt-dev libxml2-dev mandoc"
# net-tools and manpages-dev: the pages our manuals cross-reference
# (ethers(5), ether_hostton(3)), for mandoc -Tlint.  dpkg-dev to lintian:
# make deb and the package test (regress/pkg).  busybox-static, cpio and
# xz-utils: the tiny real guest (regress/guest.sh).  The cross compilers:
# t_seccomp_arch; systemd (systemd-analyze): t_systemd.  netcat-openbsd:
# the hung remote URI of make bench (nc -dlk).
DEB_TEST="iproute2 util-linux tcpdump tshark etherwake wakeonlan gdb
libvirt-daemon-system libvirt-clients qemu-system-x86 valgrind procps
psmisc libclang-rt-dev bsdextrautils strace linux-perf net-tools
manpages-dev git dpkg-dev debhelper lintian debootstrap busybox-static cpio
xz-utils gcc-aarch64-linux-gnu gcc-arm-linux-gnueabi gcc-arm-linux-gnueabihf
gcc-i686-linux-gnu gcc-mips64el-linux-gnuabi64 gcc-powerpc64le-linux-gnu
gcc-riscv64-linux-gnu gcc-s390x-linux-gnu libc6-dev-arm64-cross
libc6-dev-armel-cross libc6-dev-armhf-cross libc6-dev-i386-cross
libc6-dev-mips64el-cross libc6-dev-ppc64el-cross libc6-dev-riscv64-cross
libc6-dev-s390x-cross systemd libcap2-bin netcat-openbsd"
OPENBSD_PKGS="libnet libvirt libxml bmake tshark"
FREEBSD_PKGS="libnet libvirt libxml2 pkgconf wireshark-nox11"

os=$(uname -s)
case $os in
OpenBSD)
	echo "deps: as root: pkg_add $OPENBSD_PKGS"
	exit 0 ;;
FreeBSD)
	echo "deps: as root: pkg install -y $FREEBSD_PKGS"
	exit 0 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: no dpkg-query; install by hand:" $DEB_BUILD $DEB_TEST >&2
	exit 0
fi

missing=
for p in $DEB_BUILD $DEB_TEST; do
	s=$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null)
	case $s in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing:$missing; as root: apt-get install$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no, quietly.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
    debconf-set-selections 2>/dev/null
apt-get update -qq >/dev/null || { echo "deps: apt-get update failed" >&2; exit 1; }
apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
    { echo "deps: apt-get install$missing failed" >&2; exit 1; }
exit 0
