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
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "wakeupd.h"

/*
 * The parent's half of the privilege separation: start the capture
 * program (fork and exec), wait until it is ready, detach, and log the
 * lines it sends.
 *
 * The order keeps every start-up error on the terminal and the service
 * manager's view right.  Without -d, the original process forks at once
 * and waits on a pipe (daemon_start); the new process, in a session of
 * its own, starts the capture program, which opens its interfaces and
 * either prints its one-line error on the standard error it inherited
 * and exits 1, or says it is ready.  Only then does the daemon leave the
 * terminal and write one byte on the pipe (daemon_ready), and the
 * original process exits 0; if the daemon exits first, so does it, with
 * 1.  daemon(3) could not be used: it would either detach before the
 * interfaces are known to work or leave the capture process a child of
 * a process that has exited.
 */

/*
 * The capture program runs as root until it drops privileges: it, and
 * every directory above it, must belong to root and be writable by no
 * one else, as OpenSSH asks of the programs it runs as root.  A sticky
 * directory of root's (/tmp) counts as root's alone: there, only root
 * may rename or remove what root owns.
 */
void
capture_path_check(const char *path)
{
	struct stat	 st;
	char		 buf[PATH_MAX], *p;

	if (path[0] != '/')
		errx(1, "%s: the capture program must be an absolute path",
		    path);
	if (strlcpy(buf, path, sizeof(buf)) >= sizeof(buf))
		errx(1, "%s: path too long", path);
	if (stat(buf, &st) == -1)
		err(1, "%s", path);
	if (!S_ISREG(st.st_mode))
		errx(1, "%s: the capture program is not a regular file", path);
	for (;;) {
		if (stat(buf, &st) == -1)
			err(1, "%s", buf);
		if (st.st_uid != 0 || ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
		    !(S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) != 0)))
			errx(1, "%s: must be owned by root and writable only "
			    "by it, as it runs the capture program", buf);
		if (strcmp(buf, "/") == 0)
			break;
		p = strrchr(buf, '/');
		if (p == buf)
			p[1] = '\0';
		else
			*p = '\0';
	}
}

/*
 * Fork and exec the capture program with argv, its socket to us on
 * CAPTURE_FD, and wait until it is ready, logging what it sends in the
 * meantime.  Returns its pid, with our end of the socket in *sockp; if
 * it ends before it is ready, exits 1 (it has said why, unless a signal
 * killed it).
 */
pid_t
capture_start(const char *path, char *const argv[], int nifs, int *sockp)
{
	union child_msg	 m;
	ssize_t		 n;
	pid_t		 pid;
	int		 sp[2], status;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp) == -1)
		err(1, "socketpair");
	switch (pid = fork()) {
	case -1:
		err(1, "fork");
	case 0:
		/* See wakeupd-capture.c: from fork on, not only from exec. */
		signal(SIGTERM, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		if (sp[1] != CAPTURE_FD && dup2(sp[1], CAPTURE_FD) == -1) {
			warn("dup2");
			_exit(1);
		}
		closefrom(CAPTURE_FD + 1);
		execv(path, argv);
		warn("%s", path);
		_exit(1);
	}
	close(sp[1]);

	for (;;) {
		n = recv(sp[0], &m, sizeof(m), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			err(1, "capture socket");
		if (n == 0)
			break;
		if (capture_log(&m, n) == 0)
			continue;
		if ((size_t)n != sizeof(m.ready) || m.ready.kind != MSG_READY ||
		    m.ready.nifs != (uint32_t)nifs)
			errx(1, "malformed message from the capture process");
		*sockp = sp[0];
		return (pid);
	}
	close(sp[0]);
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	if (WIFSIGNALED(status))
		errx(1, "capture process killed by signal %d", WTERMSIG(status));
	exit(1);
}

/*
 * A message from the capture process: if it is a log line, log it with
 * the capture process's name and return 0; if it is another kind,
 * return -1.  A malformed log line is fatal, as any malformed message.
 */
int
capture_log(const union child_msg *m, size_t len)
{
	size_t	 i;

	if (len < sizeof(m->log.kind) || m->log.kind != MSG_LOG)
		return (-1);
	if (len != sizeof(m->log))
		fatalx("malformed log message from the capture process");
	switch (m->log.pri) {
	case LOG_CRIT:
	case LOG_ERR:
	case LOG_INFO:
	case LOG_DEBUG:
		break;
	default:
		fatalx("malformed log message from the capture process");
	}
	for (i = 0; i < sizeof(m->log.text) && m->log.text[i] != '\0'; i++)
		if (!isprint((unsigned char)m->log.text[i]))
			break;
	if (i == sizeof(m->log.text) || m->log.text[i] != '\0')
		fatalx("malformed log message from the capture process");
	log_child("capture", m->log.pri, m->log.text);
	return (0);
}

/* See the comment at the top. */
int
daemon_start(void)
{
	pid_t	 pid;
	ssize_t	 n;
	int	 fds[2], status;
	char	 c;

	if (pipe(fds) == -1)
		err(1, "pipe");
	switch (pid = fork()) {
	case -1:
		err(1, "fork");
	case 0:
		close(fds[0]);
		if (setsid() == -1)
			err(1, "setsid");
		if (chdir("/") == -1)
			err(1, "chdir /");
		return (fds[1]);
	}
	close(fds[1]);
	do
		n = read(fds[0], &c, 1);
	while (n == -1 && errno == EINTR);
	if (n == 1)
		_exit(0);
	if (waitpid(pid, &status, 0) == pid && WIFSIGNALED(status))
		errx(1, "killed by signal %d", WTERMSIG(status));
	_exit(1);
}

/* The capture process is ready: leave the terminal, free the caller. */
void
daemon_ready(int fd)
{
	int	 null;

	if ((null = open("/dev/null", O_RDWR)) == -1)
		fatal("/dev/null");
	if (dup2(null, STDIN_FILENO) == -1 ||
	    dup2(null, STDOUT_FILENO) == -1 ||
	    dup2(null, STDERR_FILENO) == -1)
		fatal("dup2");
	if (null > STDERR_FILENO)
		close(null);
	log_init(0, LOG_DAEMON);
	if (write(fd, "", 1) != 1)
		fatal("write to the starting process");
	close(fd);
}
