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

#include <sys/types.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"

#ifdef COMPAT_NEED_STRLCPY
size_t
strlcpy(char *dst, const char *src, size_t dsize)
{
	size_t	 slen;

	slen = strlen(src);
	if (dsize != 0) {
		size_t n = slen < dsize - 1 ? slen : dsize - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return (slen);
}

size_t
strlcat(char *dst, const char *src, size_t dsize)
{
	size_t	 dlen;

	dlen = strnlen(dst, dsize);
	if (dlen == dsize)
		return (dsize + strlen(src));
	return (dlen + strlcpy(dst + dlen, src, dsize - dlen));
}
#endif /* COMPAT_NEED_STRLCPY */

#ifdef COMPAT_NEED_STRTONUM
long long
strtonum(const char *s, long long minval, long long maxval,
    const char **errstrp)
{
	long long	 ll;
	char		*ep;
	const char	*errstr = NULL;
	int		 saved = errno;

	ll = 0;
	if (minval > maxval)
		errstr = "invalid";
	else {
		errno = 0;
		ll = strtoll(s, &ep, 10);
		if (s == ep || *ep != '\0')
			errstr = "invalid";
		else if ((ll == LLONG_MIN && errno == ERANGE) || ll < minval)
			errstr = "too small";
		else if ((ll == LLONG_MAX && errno == ERANGE) || ll > maxval)
			errstr = "too large";
	}
	if (errstrp != NULL)
		*errstrp = errstr;
	errno = errstr != NULL ? (errstr[0] == 'i' ? EINVAL : ERANGE) : saved;
	return (errstr != NULL ? 0 : ll);
}
#endif /* COMPAT_NEED_STRTONUM */

#ifdef COMPAT_NEED_TIMINGSAFE
/* Compare without an early exit, so the time says nothing of where. */
int
timingsafe_bcmp(const void *b1, const void *b2, size_t n)
{
	const volatile unsigned char	*p1 = b1, *p2 = b2;
	unsigned char			 diff = 0;

	while (n-- > 0)
		diff |= *p1++ ^ *p2++;
	return (diff != 0);
}
#endif /* COMPAT_NEED_TIMINGSAFE */

#ifdef __linux__
/*
 * glibc names a system call only if it knew it when it was released:
 * 2.31 (Debian 11) has no SYS_close_range, while the kernel headers it
 * includes have __NR_close_range.
 */
#if !defined(SYS_close_range) && defined(__NR_close_range)
#define SYS_close_range	__NR_close_range
#endif

int
compat_closefrom_range(int lowfd)
{
#ifdef SYS_close_range
	return (syscall(SYS_close_range, (unsigned int)lowfd, ~0U, 0) == 0 ?
	    0 : -1);
#else
	(void)lowfd;
	errno = ENOSYS;
	return (-1);
#endif
}

/* Closing while reading the directory is safe: /proc lists anew. */
int
compat_closefrom_proc(int lowfd)
{
	DIR		*dir;
	struct dirent	*de;
	const char	*errstr;
	int		 fd;

	if ((dir = opendir("/proc/self/fd")) == NULL)
		return (-1);
	while ((de = readdir(dir)) != NULL) {
		fd = strtonum(de->d_name, 0, INT_MAX, &errstr);
		if (errstr == NULL && fd >= lowfd && fd != dirfd(dir))
			(void)close(fd);
	}
	closedir(dir);
	return (0);
}

void
compat_closefrom_loop(int lowfd)
{
	long	 max, fd;

	if ((max = sysconf(_SC_OPEN_MAX)) == -1)
		max = 1024;
	else if (max > INT_MAX)
		max = INT_MAX;
	for (fd = lowfd; fd < max; fd++)
		(void)close(fd);
}

void
compat_closefrom(int lowfd)
{
	if (lowfd < 0)
		lowfd = 0;
	if (compat_closefrom_range(lowfd) == 0 ||
	    compat_closefrom_proc(lowfd) == 0)
		return;
	compat_closefrom_loop(lowfd);
}
#endif /* __linux__ */

#ifdef COMPAT_NEED_CLOSEFROM
void
closefrom(int lowfd)
{
	compat_closefrom(lowfd);
}
#endif /* COMPAT_NEED_CLOSEFROM */

#ifdef COMPAT_NEED_PLEDGE
int
pledge(const char *promises __unused, const char *execpromises __unused)
{
	return (0);
}

int
unveil(const char *path __unused, const char *permissions __unused)
{
	return (0);
}
#endif /* COMPAT_NEED_PLEDGE */

#ifdef COMPAT_NEED_SETPROCTITLE
static char	*title_base;
static size_t	 title_size;
static char	 title_prog[32];
static char	**arg_copy, **arg_orig;	/* the heap copies and the originals */
static int	 arg_count;

/*
 * ps(1) on Linux shows the memory argv points at, so the title is
 * written over the arguments; the environment is left alone, which
 * bounds the title by the length of the original command line.
 */
void
compat_setproctitle_init(int argc, char **argv)
{
	const char	*p;
	char		*copy;
	int		 i;

	if (argc < 1 || argv[0] == NULL)
		return;
	p = strrchr(argv[0], '/');
	strlcpy(title_prog, p != NULL ? p + 1 : argv[0], sizeof(title_prog));
	title_base = argv[0];
	for (i = 0; i < argc && argv[i] != NULL; i++)
		title_size = argv[i] + strlen(argv[i]) + 1 - title_base;
	/*
	 * The title overwrites the arguments: move them to the heap first,
	 * so that what getopt(3) hands out stays valid.
	 */
	if ((arg_orig = calloc(argc, sizeof(*arg_orig))) == NULL) {
		title_base = NULL;
		return;
	}
	for (i = 0; i < argc && argv[i] != NULL; i++) {
		if ((copy = strdup(argv[i])) == NULL) {
			title_base = NULL;
			return;
		}
		arg_orig[i] = argv[i];
		argv[i] = copy;
	}
	arg_copy = argv;
	arg_count = i;
}

void
compat_wipe_arg(char *arg)
{
	size_t	 len = strlen(arg), off;
	int	 i;

	for (i = 0; i < arg_count; i++) {
		if (arg < arg_copy[i] ||
		    arg > arg_copy[i] + strlen(arg_copy[i]))
			continue;
		off = arg - arg_copy[i];
		explicit_bzero(arg_orig[i] + off, len);
	}
	explicit_bzero(arg, len);
}

void
setproctitle(const char *fmt, ...)
{
	char	 buf[256], name[16];
	va_list	 ap;
	int	 n;

	n = snprintf(buf, sizeof(buf), "%s: ", title_prog);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);

	/* The kernel's short name (comm) is what top(1) and pkill see. */
	strlcpy(name, buf, sizeof(name));
	(void)prctl(PR_SET_NAME, name, 0, 0, 0);

	if (title_base == NULL || title_size < 2)
		return;
	memset(title_base, '\0', title_size);
	strlcpy(title_base, buf, title_size);
}
#else
void
compat_setproctitle_init(int argc __unused, char **argv __unused)
{
}

void
compat_wipe_arg(char *arg)
{
	explicit_bzero(arg, strlen(arg));
}
#endif /* COMPAT_NEED_SETPROCTITLE */
