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
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "wakeupd.h"

/*
 * Logging in the manner of the OpenBSD daemons: stderr in the
 * foreground, syslog facility daemon once detached; and, in the capture
 * process, MSG_LOG messages to the parent, which logs them.
 */

static int		 log_to_stderr = 1;
static int		 log_facility = LOG_DAEMON;
static int		 threaded;		/* _exit: see log_threaded() */
static int		 log_sock = -1;
static size_t		 log_dropped;
static int		 verbose;
static const char	*procname = "wakeupd";

static void	 vlog(int, const char *, va_list);
static int	 log_sendone(int, const char *);
static void	 log_send(int, const char *);
static void	 vlog_err(int, const char *, int, const char *, va_list);
static void	 logit(int, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));

void
log_init(int to_stderr, int facility)
{
	log_to_stderr = to_stderr;
	log_facility = facility;
	if (!to_stderr)
		/* LOG_NDELAY: the socket must exist before chroot. */
		openlog("wakeupd", LOG_PID | LOG_NDELAY, facility);
	tzset();
}

/*
 * A process forked from the daemon that closed the descriptors it
 * inherited (after closelog(3)) opens syslog's socket again.
 */
void
log_reopen(void)
{
	if (!log_to_stderr)
		log_init(0, log_facility);
}

/*
 * Once threads run libvirt calls, exit(3)'s destructors would run under
 * their feet: fatal() then leaves with _exit(2).
 */
void
log_threaded(void)
{
	threaded = 1;
}

void
log_exit(int status)
{
	if (threaded)
		_exit(status);
	exit(status);
}

/*
 * From now on every line goes to the parent over sock, and nowhere
 * else: the capture process writes to nothing but that socket.
 */
void
log_tosock(int sock)
{
	log_sock = sock;
}

void
log_setverbose(int v)
{
	verbose = v;
}

int
log_getverbose(void)
{
	return (verbose);
}

void
log_procname(const char *name)
{
	procname = name;
}

static void
vlog(int pri, const char *fmt, va_list ap)
{
	char	 buf[1024];

	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	if (log_sock != -1)
		log_send(pri, buf);
	else if (log_to_stderr) {
		fprintf(stderr, "%s: %s\n", procname, buf);
		fflush(stderr);
	} else
		syslog(pri, "%s", buf);
}

/* One line to the parent, made printable. */
static int
log_sendone(int pri, const char *text)
{
	struct log_msg	 m;
	char		*p;

	memset(&m, 0, sizeof(m));
	m.kind = MSG_LOG;
	m.pri = pri;
	(void)strlcpy(m.text, text, sizeof(m.text));
	for (p = m.text; *p != '\0'; p++)
		if (!isprint((unsigned char)*p))
			*p = '?';
	return (send(log_sock, &m, sizeof(m), MSG_DONTWAIT) == -1 ? -1 : 0);
}

/*
 * Never wait: the parent may be sending us the known addresses.  A full
 * socket loses the line, and the next line that gets through is told
 * how many were lost.
 */
static void
log_send(int pri, const char *text)
{
	char	 note[64];

	if (log_dropped > 0) {
		(void)snprintf(note, sizeof(note),
		    "%zu log lines lost: the parent was busy", log_dropped);
		if (log_sendone(LOG_ERR, note) == -1) {
			log_dropped++;
			return;
		}
		log_dropped = 0;
	}
	if (log_sendone(pri, text) == -1)
		log_dropped++;
}

/* A line that the capture process sent, checked by capture_log(). */
void
log_child(const char *name, int pri, const char *text)
{
	if (pri == LOG_DEBUG && !verbose)
		return;
	if (log_to_stderr) {
		fprintf(stderr, "%s[%s]: %s\n", procname, name, text);
		fflush(stderr);
	} else
		syslog(pri, "%s: %s", name, text);
}

static void
logit(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

/* Format, add strerror(errnum) when it is not 0, and log. */
static void
vlog_err(int pri, const char *prefix, int errnum, const char *fmt,
    va_list ap)
{
	char	 buf[1024];

	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	if (errnum != 0)
		logit(pri, "%s%s: %s", prefix, buf, strerror(errnum));
	else
		logit(pri, "%s%s", prefix, buf);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog_err(LOG_ERR, "", saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog_err(LOG_CRIT, "fatal: ", saved, fmt, ap);
	va_end(ap);
	log_exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog_err(LOG_CRIT, "fatal: ", 0, fmt, ap);
	va_end(ap);
	log_exit(1);
}
