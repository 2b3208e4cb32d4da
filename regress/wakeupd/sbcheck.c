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
 * sbcheck MODE: installs the capture process's filter, wakeupd/sandbox.c
 * compiled as it is, with one end of a SOCK_SEQPACKET pair as the
 * parent's socket, then makes the calls of MODE.
 *
 *	ok	what the capture process does: poll, receive, write and
 *		writev to the parent, stderr, fstat, time, memory;
 *		socket(2) must fail with EACCES.  Says "ok" on
 *		standard error (standard output is not allowed), exits 0.
 *	write, writev, sendto, sendmsg, pwrite, sendmmsg
 *		that call on another socket (standing for a capture
 *		socket): the filter must kill the process (SIGSYS).
 *	open	open(2): likewise.
 *
 * regress/wakeupd/t_seccomp_arch.sh runs it natively and, where the
 * kernel runs them, as an i386 program.
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../wakeupd/log.h"
#include "../../wakeupd/wakeupd.h"

static const char	 frame[60] = "\xff\xff\xff\xff\xff\xff";

static int
check_ok(int sock, int peer)
{
	struct pollfd	 pfd;
	struct iovec	 iov[2];
	struct stat	 st;
	struct timespec	 ts;
	char		 buf[64], *p;

	if (write(sock, "one", 3) != 3)
		err(1, "write to the parent");
	iov[0].iov_base = "tw";
	iov[0].iov_len = 2;
	iov[1].iov_base = "o";
	iov[1].iov_len = 1;
	if (writev(sock, iov, 2) != 3)
		err(1, "writev to the parent");
	pfd.fd = sock;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 1000) != 1)
		err(1, "poll");
	if (recv(sock, buf, sizeof(buf), MSG_DONTWAIT) != 2)
		err(1, "recv");
	if (recv(sock, buf, sizeof(buf), MSG_DONTWAIT) != -1 ||
	    errno != EAGAIN)
		errx(1, "recv on an empty socket did not say EAGAIN");
	if (fstat(STDERR_FILENO, &st) == -1)
		err(1, "fstat");
	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1 ||
	    clock_gettime(CLOCK_REALTIME, &ts) == -1 || time(NULL) == -1)
		err(1, "clock_gettime");
	if ((p = malloc(4 << 20)) == NULL)
		err(1, "malloc");
	memset(p, 1, 4 << 20);
	free(p);
	if (socket(AF_INET, SOCK_DGRAM, 0) != -1 || errno != EACCES)
		errx(1, "socket was not refused with EACCES");
	if (read(peer, buf, sizeof(buf)) != 3 || memcmp(buf, "one", 3) != 0 ||
	    read(peer, buf, sizeof(buf)) != 3 || memcmp(buf, "two", 3) != 0)
		errx(1, "the parent did not get what was written");
	/* Standard error: the filter allows no standard output. */
	fprintf(stderr, "sbcheck: ok\n");
	return (0);
}

int
main(int argc, char *argv[])
{
	struct iovec	 iov;
	struct msghdr	 mh;
	struct mmsghdr	 mmh;
	ssize_t		 n;
	int		 sp[2], cap[2];
	const char	*mode;

	if (argc != 2) {
		fprintf(stderr, "usage: sbcheck mode\n");
		return (1);
	}
	mode = argv[1];
	/* cap[0] stands for a capture socket, sp[0] is the parent's. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp) == -1 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, cap) == -1)
		err(1, "socketpair");
	log_init(1, 0);
	log_procname("sbcheck");
	/* What the parent sends, before the filter forbids this write. */
	if (write(sp[1], "in", 2) != 2)
		err(1, "write to the parent's end");
	sandbox_child(sp[0]);
	if (strcmp(mode, "ok") == 0)
		return (check_ok(sp[0], sp[1]));

	iov.iov_base = (void *)frame;
	iov.iov_len = sizeof(frame);
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	memset(&mmh, 0, sizeof(mmh));
	mmh.msg_hdr = mh;
	if (strcmp(mode, "write") == 0)
		n = write(cap[0], frame, sizeof(frame));
	else if (strcmp(mode, "writev") == 0)
		n = writev(cap[0], &iov, 1);
	else if (strcmp(mode, "sendto") == 0)
		n = sendto(cap[0], frame, sizeof(frame), 0, NULL, 0);
	else if (strcmp(mode, "sendmsg") == 0)
		n = sendmsg(cap[0], &mh, 0);
	else if (strcmp(mode, "pwrite") == 0)
		n = pwrite(cap[0], frame, sizeof(frame), 0);
	else if (strcmp(mode, "sendmmsg") == 0)
		n = sendmmsg(cap[0], &mmh, 1, 0);
	else if (strcmp(mode, "open") == 0)
		n = open("/etc/passwd", O_RDONLY);
	else
		errx(1, "%s: unknown mode", mode);
	/* Still alive: the call went through. */
	fprintf(stderr, "sbcheck: %s: not killed, returned %zd\n", mode, n);
	return (2);
}
