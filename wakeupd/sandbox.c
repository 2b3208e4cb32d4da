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
 * The capture process's sandbox: pledge("stdio") on OpenBSD; on Linux a
 * seccomp filter that allows what reading the capture descriptors and
 * writing to the parent's socket need, and kills the process for any
 * other system call, as OpenSSH's privilege separation does.  This file
 * is the one place in wakeupd that tests for the operating system.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#endif

#include <net/if.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "log.h"
#include "wakeupd.h"

#if defined(__linux__) && defined(SECCOMP_MODE_FILTER) && \
    (defined(__x86_64__) || defined(__aarch64__))

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

#if defined(__x86_64__)
#define SANDBOX_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SANDBOX_ARCH	AUDIT_ARCH_AARCH64
#endif

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS SECCOMP_RET_KILL
#endif

#define SC_ALLOW(sc) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (sc), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
/* ioctl only to ask an interface's flags, as libpcap does when it fails. */
#define SC_ALLOW_ARG1(sc, val) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (sc), 0, 4), \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, \
	    offsetof(struct seccomp_data, args[1])), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (val), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))

static const struct sock_filter filter[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	/* Packets in, messages and log lines out. */
	SC_ALLOW(__NR_ppoll),
#ifdef __NR_poll
	SC_ALLOW(__NR_poll),
#endif
	SC_ALLOW(__NR_read),
	SC_ALLOW(__NR_recvfrom),
	SC_ALLOW(__NR_recvmsg),
	SC_ALLOW(__NR_write),
	SC_ALLOW(__NR_writev),
	SC_ALLOW(__NR_sendto),
	SC_ALLOW(__NR_sendmsg),
	SC_ALLOW(__NR_getsockopt),
	SC_ALLOW(__NR_getsockname),
	SC_ALLOW_ARG1(__NR_ioctl, SIOCGIFFLAGS),
	/* Memory, time, stdio and syslog housekeeping. */
	SC_ALLOW(__NR_brk),
	SC_ALLOW(__NR_mmap),
	SC_ALLOW(__NR_munmap),
	SC_ALLOW(__NR_mremap),
	SC_ALLOW(__NR_madvise),
	SC_ALLOW(__NR_futex),
	SC_ALLOW(__NR_fstat),
	SC_ALLOW(__NR_newfstatat),
	SC_ALLOW(__NR_clock_gettime),
	SC_ALLOW(__NR_gettimeofday),
	SC_ALLOW(__NR_getpid),
	SC_ALLOW(__NR_rt_sigreturn),
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
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
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
sandbox_child(void)
{
	struct sock_fprog	 prog = {
		.len = sizeof(filter) / sizeof(filter[0]),
		.filter = (struct sock_filter *)filter,
	};

#if SANITIZER_BUILD
	on_exit(skip_leak_check, NULL);
#endif
	if (RUNNING_ON_VALGRIND || SANITIZER_BUILD) {
		log_warnx("capture sandbox: no seccomp filter under %s",
		    SANITIZER_BUILD ? "the sanitizers" : "valgrind");
		return;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("prctl PR_SET_NO_NEW_PRIVS");
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1)
		fatal("seccomp");
	log_debug("capture sandbox: seccomp filter of %u instructions",
	    prog.len);
}

#elif defined(__OpenBSD__)

void
sandbox_child(void)
{
	if (pledge("stdio", NULL) == -1)
		fatal("pledge");
}

#else

void
sandbox_child(void)
{
	log_warnx("capture sandbox: none on this system; chroot and "
	    "unprivileged user only");
}

#endif
