/*
 * Copyright (c) 2026 The wakeup authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * The capture process's sandbox.  A parser compromise must not become
 * frame injection: the capture descriptors could send as well as
 * receive, so the process may write to its parent's socket and to
 * nothing else.
 *
 * Linux: a seccomp filter that allows what reading the capture
 * descriptors and writing to the parent need, writes only to the
 * parent's socket, and kills the process for any other system call, as
 * OpenSSH's privilege separation does.  The system call numbers are the
 * kernel headers' for the architecture compiled for; every Debian
 * architecture has a filter (amd64, arm64, armel, armhf, i386, mips64el,
 * ppc64el, riscv64, s390x); regress/wakeupd/t_seccomp_arch.sh compiles
 * this file for each.  On i386 and s390x glibc sends through
 * socketcall(2), whose descriptor the filter cannot see: the filter
 * lets socketcall only receive, so the capture process writes to its
 * parent with write(2) (or writev(2)), never send(2).
 *
 * OpenBSD and FreeBSD: each bpf descriptor gets a write filter that
 * drops everything and is locked, as dhcpleased(8) does; then, on
 * OpenBSD, pledge("stdio").
 *
 * This file is the one place in wakeupd that tests for the operating
 * system.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <endian.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/net.h>
#include <linux/seccomp.h>
#endif
#if defined(__OpenBSD__) || defined(__FreeBSD__)
#include <sys/time.h>
#include <net/bpf.h>
#endif

#include <net/if.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "log.h"
#include "wakeupd.h"

/*
 * The architectures with a filter, by the AUDIT_ARCH_* value the kernel
 * reports with each system call: a call made under another ABI (x32, or
 * 32-bit calls from a 64-bit process) does not match and is killed.
 */
#if defined(__linux__)
#if defined(__x86_64__) && !defined(__ILP32__)
#define SANDBOX_ARCH	AUDIT_ARCH_X86_64
#elif defined(__i386__)
#define SANDBOX_ARCH	AUDIT_ARCH_I386
#elif defined(__aarch64__) && defined(__AARCH64EL__)
#define SANDBOX_ARCH	AUDIT_ARCH_AARCH64
#elif defined(__arm__) && defined(__ARMEL__) && defined(__ARM_EABI__)
#define SANDBOX_ARCH	AUDIT_ARCH_ARM		/* armel and armhf */
#elif defined(__mips__) && defined(__MIPSEL__) && defined(_ABI64) && \
    _MIPS_SIM == _ABI64
#define SANDBOX_ARCH	AUDIT_ARCH_MIPSEL64
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#define SANDBOX_ARCH	AUDIT_ARCH_PPC64LE
#elif defined(__riscv) && __riscv_xlen == 64
#define SANDBOX_ARCH	AUDIT_ARCH_RISCV64
#elif defined(__s390x__)
#define SANDBOX_ARCH	AUDIT_ARCH_S390X
#endif
#endif /* __linux__ */

#if defined(__linux__) && defined(SECCOMP_MODE_FILTER) && defined(SANDBOX_ARCH)

/*
 * Under valgrind the filter would kill valgrind's own system calls: the
 * memory checks of the regress run the capture process without it.
 */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND	0
#endif

/*
 * Likewise the sanitizers' runtime (sigaltstack before every no-return
 * call, clone and ptrace for the leak check at exit): a sanitizer build
 * has no filter; make asan-test leaves the sandbox test out.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER_BUILD		1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define SANITIZER_BUILD		1
#endif
#endif
#ifndef SANITIZER_BUILD
#define SANITIZER_BUILD		0
#endif

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS SECCOMP_RET_KILL
#endif

/*
 * The low 32 bits of argument n, which is all the kernel reads of a
 * descriptor or an ioctl request: the second word on a big-endian
 * machine (s390x).
 */
#if __BYTE_ORDER == __LITTLE_ENDIAN
#define ARG_LO(n)	offsetof(struct seccomp_data, args[n])
#else
#define ARG_LO(n)	(offsetof(struct seccomp_data, args[n]) + 4)
#endif

#define SC_ALLOW(sc) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (sc), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
/* ioctl only to ask an interface's flags, as libpcap does when it fails. */
#define SC_ALLOW_ARG1(sc, val) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (sc), 0, 4), \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(1)), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (val), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
/*
 * Writes only to the parent's socket, whose number is in X, and, until
 * log lines go through the parent, to standard error (the -d log); to
 * any other descriptor, a capture socket above all, the call kills.
 */
#define SC_ALLOW_WRITE(sc) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (sc), 0, 5), \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 1, 0), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, STDERR_FILENO, 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS)

/* The instruction that loads the parent's socket into X. */
#define SOCK_INSN	3

static struct sock_filter filter[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	/* SOCK_INSN: sandbox_child puts the socket's number here. */
	BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 0),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	/* Packets in, messages and log lines out. */
	SC_ALLOW(__NR_ppoll),
#ifdef __NR_ppoll_time64
	SC_ALLOW(__NR_ppoll_time64),
#endif
#ifdef __NR_poll
	SC_ALLOW(__NR_poll),
#endif
	SC_ALLOW(__NR_read),
#ifdef __NR_recv
	SC_ALLOW(__NR_recv),
#endif
#ifdef __NR_recvfrom
	SC_ALLOW(__NR_recvfrom),
#endif
#ifdef __NR_recvmsg
	SC_ALLOW(__NR_recvmsg),
#endif
	SC_ALLOW_WRITE(__NR_write),
	SC_ALLOW_WRITE(__NR_writev),
#ifdef __NR_send
	SC_ALLOW_WRITE(__NR_send),
#endif
#ifdef __NR_sendto
	SC_ALLOW_WRITE(__NR_sendto),
#endif
#ifdef __NR_sendmsg
	SC_ALLOW_WRITE(__NR_sendmsg),
#endif
#ifdef __NR_getsockopt
	SC_ALLOW(__NR_getsockopt),
#endif
#ifdef __NR_getsockname
	SC_ALLOW(__NR_getsockname),
#endif
	SC_ALLOW_ARG1(__NR_ioctl, SIOCGIFFLAGS),
	/* Memory, time, stdio and syslog housekeeping. */
	SC_ALLOW(__NR_brk),
#ifdef __NR_mmap
	SC_ALLOW(__NR_mmap),
#endif
#ifdef __NR_mmap2
	SC_ALLOW(__NR_mmap2),
#endif
	SC_ALLOW(__NR_munmap),
	SC_ALLOW(__NR_mremap),
	SC_ALLOW(__NR_madvise),
	SC_ALLOW(__NR_futex),
#ifdef __NR_futex_time64
	SC_ALLOW(__NR_futex_time64),
#endif
#ifdef __NR_fstat
	SC_ALLOW(__NR_fstat),
#endif
#ifdef __NR_fstat64
	SC_ALLOW(__NR_fstat64),
#endif
#ifdef __NR_newfstatat
	SC_ALLOW(__NR_newfstatat),
#endif
#ifdef __NR_fstatat64
	SC_ALLOW(__NR_fstatat64),
#endif
	/* 32-bit glibc asks statx(2) first, for 64-bit times. */
#ifdef __NR_statx
	SC_ALLOW(__NR_statx),
#endif
	SC_ALLOW(__NR_clock_gettime),
#ifdef __NR_clock_gettime64
	SC_ALLOW(__NR_clock_gettime64),
#endif
#ifdef __NR_gettimeofday
	SC_ALLOW(__NR_gettimeofday),
#endif
#ifdef __NR_time
	SC_ALLOW(__NR_time),
#endif
	SC_ALLOW(__NR_getpid),
	SC_ALLOW(__NR_rt_sigreturn),
#ifdef __NR_sigreturn
	SC_ALLOW(__NR_sigreturn),
#endif
	/* poll(2) resumed after a stop (SIGSTOP, SIGCONT, a debugger). */
	SC_ALLOW(__NR_restart_syscall),
	SC_ALLOW(__NR_rt_sigprocmask),
	SC_ALLOW(__NR_exit),
	SC_ALLOW(__NR_exit_group),
	/* syslog(3) closes its socket when syslogd has gone away. */
	SC_ALLOW(__NR_close),
	/*
	 * When an interface goes down, libpcap asks if_indextoname(3)
	 * whether it still exists, and that opens a socket: refuse it
	 * without killing us; libpcap then waits for the interface.
	 */
#ifdef __NR_socket
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
#endif
#ifdef __NR_socketcall
	/*
	 * i386 and s390x: glibc's socket calls go through socketcall(2),
	 * with the descriptor in memory the filter cannot read.  Allow
	 * the calls that only receive or ask; refuse socket as above;
	 * kill for the rest, which includes every send.
	 */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socketcall, 0, 9),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_RECV, 5, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_RECVFROM, 4, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_RECVMSG, 3, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_GETSOCKOPT, 2, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_GETSOCKNAME, 1, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_SOCKET, 1, 2),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
#endif
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
};

#if SANITIZER_BUILD
/*
 * LeakSanitizer's check at exit reads /proc, which the chroot lacks, and
 * fails: handlers run last registered first, so this one, registered
 * after the sanitizer's, ends the capture process before it.
 */
static void
skip_leak_check(int status, void *arg __unused)
{
	_exit(status);
}
#endif

void
sandbox_capture_fd(int fd __unused)
{
	/* The filter keeps the capture descriptors from writing. */
}

void
sandbox_child(int sock)
{
	struct sock_fprog	 prog = {
		.len = sizeof(filter) / sizeof(filter[0]),
		.filter = filter,
	};

#if SANITIZER_BUILD
	on_exit(skip_leak_check, NULL);
#endif
	if (RUNNING_ON_VALGRIND || SANITIZER_BUILD) {
		log_warnx("capture sandbox: no seccomp filter under %s",
		    SANITIZER_BUILD ? "the sanitizers" : "valgrind");
		return;
	}
	if (sock < 0)
		fatalx("capture sandbox: bad socket %d", sock);
	filter[SOCK_INSN].k = sock;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("prctl PR_SET_NO_NEW_PRIVS");
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1)
		fatal("seccomp");
	log_debug("capture sandbox: seccomp filter of %u instructions",
	    prog.len);
}

#elif defined(__OpenBSD__) || defined(__FreeBSD__)

/*
 * A write filter that accepts nothing, locked so that no ioctl can
 * change it again (or any other setting of the descriptor).
 */
void
sandbox_capture_fd(int fd)
{
	static struct bpf_insn	 deny[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct bpf_program	 prog = { 1, deny };

	if (ioctl(fd, BIOCSETWF, &prog) == -1)
		fatal("BIOCSETWF");
	if (ioctl(fd, BIOCLOCK) == -1)
		fatal("BIOCLOCK");
}

void
sandbox_child(int sock __unused)
{
#ifdef __OpenBSD__
	if (pledge("stdio", NULL) == -1)
		fatal("pledge");
#else
	log_warnx("capture sandbox: bpf descriptors write-locked; no "
	    "system call filter on this system");
#endif
}

#else

void
sandbox_capture_fd(int fd __unused)
{
}

void
sandbox_child(int sock __unused)
{
	log_warnx("capture sandbox: none on this system; chroot and "
	    "unprivileged user only");
}

#endif
