#!/bin/sh
# The capture process's seccomp filter on every architecture Debian
# ships: wakeupd/sandbox.c compiled with each cross compiler
# (regress/deps.sh installs them) must build the filter, not fall back
# to the warning.  Then the filter at work, through regress/wakeupd/
# sbcheck: natively, and as a static i386 program where the kernel runs
# 32-bit programs (i386 sends through socketcall(2)): the calls the
# capture process makes pass, and a write, writev, sendto, sendmsg,
# pwrite or sendmmsg to a descriptor that is not the parent's socket,
# or an open, kills it.

. "$TOP/regress/lib.sh"

CFLAGS_X="-O2 -Wall -Wextra -Werror -I$TOP/common -D_DEFAULT_SOURCE -D_GNU_SOURCE"
DENY="write writev sendto sendmsg pwrite sendmmsg open"
SIGSYS_RC=159	# 128 + 31

# arch compiler package
ARCHES="amd64 x86_64-linux-gnu-gcc gcc-x86-64-linux-gnu
arm64 aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
armel arm-linux-gnueabi-gcc gcc-arm-linux-gnueabi
armhf arm-linux-gnueabihf-gcc gcc-arm-linux-gnueabihf
i386 i686-linux-gnu-gcc gcc-i686-linux-gnu
mips64el mips64el-linux-gnuabi64-gcc gcc-mips64el-linux-gnuabi64
ppc64el powerpc64le-linux-gnu-gcc gcc-powerpc64le-linux-gnu
riscv64 riscv64-linux-gnu-gcc gcc-riscv64-linux-gnu
s390x s390x-linux-gnu-gcc gcc-s390x-linux-gnu"

# The filter's instruction count in an object file, from the size of
# its "filter" array (8 bytes an instruction); empty when there is none,
# that is when sandbox.c took the branch without seccomp.
filter_len() {
	nm -S "$1" 2>/dev/null | awk '$4 == "filter" && $3 ~ /^[dD]$/ {
		printf "%d\n", ("0x" $2) / 8 }' | head -1
}

echo "$ARCHES" | while read -r arch cc pkg; do
	n="seccomp: $arch filter"
	if ! command -v "$cc" >/dev/null 2>&1; then
		fail "$n" "no $cc (package $pkg; regress/deps.sh installs it)"
		continue
	fi
	if ! $cc $CFLAGS_X -c "$TOP/wakeupd/sandbox.c" \
	    -o "$TMPD/sandbox-$arch.o" 2>"$TMPD/cc.err"; then
		fail "$n" "$(head -c 300 "$TMPD/cc.err" | tr '\n' ' ')"
		continue
	fi
	len=$(filter_len "$TMPD/sandbox-$arch.o")
	if [ -z "$len" ] || [ "$len" -lt 20 ]; then
		fail "$n" "no seccomp filter in sandbox.o"
	else
		echo "# $arch: $len instructions"
		pass "$n"
	fi
done

# sbcheck_run NAME PROGRAM: the allowed calls pass, the others kill.
sbcheck_run() {
	_n=$1 _p=$2
	if ! "$_p" ok >"$TMPD/sb.out" 2>&1 ||
	    ! grep -q '^sbcheck: ok$' "$TMPD/sb.out"; then
		fail "$_n" "ok: $(head -c 300 "$TMPD/sb.out" | tr '\n' ' ')"
		return
	fi
	for _m in $DENY; do
		"$_p" "$_m" >"$TMPD/sb.out" 2>&1
		_rc=$?
		if [ $_rc -ne $SIGSYS_RC ]; then
			fail "$_n" "$_m: exit $_rc, want SIGSYS: $(head -c 200 \
			    "$TMPD/sb.out" | tr '\n' ' ')"
			return
		fi
	done
	pass "$_n"
}

SB=$TOP/regress/wakeupd/sbcheck
if [ -x "$SB" ]; then
	sbcheck_run "seccomp: native filter at work" "$SB"
else
	fail "seccomp: native filter at work" "no $SB; make all"
fi

# i386: a static program, so that no i386 libraries are needed.
n="seccomp: i386 filter at work"
if ! i686-linux-gnu-gcc $CFLAGS_X -static -o "$TMPD/sbcheck32" \
    "$TOP/regress/wakeupd/sbcheck.c" "$TOP/wakeupd/sandbox.c" \
    "$TOP/wakeupd/log.c" "$TOP/common/compat.c" 2>"$TMPD/cc.err"; then
	fail "$n" "$(head -c 300 "$TMPD/cc.err" | tr '\n' ' ')"
elif "$TMPD/sbcheck32" ok >/dev/null 2>&1; [ $? -eq 126 ]; then
	# Not a failure of ours: some kernels (IA32 emulation off, some
	# hypervisors) run no 32-bit program at all.
	echo "# i386: this kernel runs no 32-bit programs; built, not run"
else
	sbcheck_run "$n" "$TMPD/sbcheck32"
fi
