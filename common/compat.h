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
 * The few things OpenBSD has and other systems lack.  This header and
 * compat.c are the only places that test for the operating system.
 */

#ifndef COMPAT_H
#define COMPAT_H

#include <sys/types.h>

#include <stddef.h>

#ifndef __dead
#define __dead		__attribute__((__noreturn__))
#endif

#ifndef __unused
#define __unused	__attribute__((__unused__))
#endif

#if defined(__linux__)
#if defined(__GLIBC__) && !(__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 38))
#define COMPAT_NEED_STRLCPY	1
#endif
#define COMPAT_NEED_STRTONUM	1
#define COMPAT_NEED_SETPROCTITLE	1
#define COMPAT_NEED_TIMINGSAFE	1
/* closefrom: glibc has it since 2.34 (Debian 12, Ubuntu 22.04, RHEL 9). */
#if defined(__GLIBC__)
#if !__GLIBC_PREREQ(2, 34)
#define COMPAT_NEED_CLOSEFROM	1
#endif
#else
#define COMPAT_NEED_CLOSEFROM	1
#endif
#endif

#if !defined(__OpenBSD__)
#define COMPAT_NEED_PLEDGE	1
#endif

#ifdef COMPAT_NEED_STRLCPY
size_t	 strlcpy(char *, const char *, size_t);
size_t	 strlcat(char *, const char *, size_t);
#endif

#ifdef COMPAT_NEED_STRTONUM
long long strtonum(const char *, long long, long long, const char **);
#endif

#ifdef COMPAT_NEED_TIMINGSAFE
int	 timingsafe_bcmp(const void *, const void *, size_t);
#endif

#ifdef COMPAT_NEED_CLOSEFROM
void	 closefrom(int);
#endif
#ifdef __linux__
/*
 * What closefrom is made of on Linux, each way on its own for the unit
 * test: close_range(2) (Linux 5.9), else the descriptors listed in
 * /proc/self/fd, else every number below the descriptor limit.  The
 * first two return -1 when they cannot be used.
 */
void	 compat_closefrom(int);
int	 compat_closefrom_range(int);
int	 compat_closefrom_proc(int);
void	 compat_closefrom_loop(int);
#endif

#ifdef COMPAT_NEED_PLEDGE
int	 pledge(const char *, const char *);
int	 unveil(const char *, const char *);
#endif

/*
 * setproctitle(3) needs the argument vector's memory on Linux;
 * compat_setproctitle_init is a no-op where setproctitle is native.
 */
void	 compat_setproctitle_init(int, char **);
/* Wipe an argument (a password) also where ps(1) reads it. */
void	 compat_wipe_arg(char *);
#ifdef COMPAT_NEED_SETPROCTITLE
void	 setproctitle(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
#endif

#endif /* COMPAT_H */
