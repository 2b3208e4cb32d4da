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
#include <sys/wait.h>

#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "conf.h"
#include "log.h"
#include "runner.h"

/*
 * The privileged process's loop: libvirt's default event loop, on the
 * main thread, watching the capture process's socket, the signals, the
 * threads' results and a few timers.  Nothing here blocks: libvirt's
 * calls run in conn.c's threads.
 */

#define IFCHECK_MS	5000	/* how often to look for deleted interfaces */
#define RESYNC_MS	30000	/* read every domain again (see wakeupd.8) */
#define PRUNE_MS	60000
#define QUIT_GRACE_MS	2000	/* for the threads, at exit */

static struct wakeup_conf	*conf;
static pid_t			 child_pid;
static int			 sigpipe[2] = { -1, -1 };
static int			 quit;
static int			 signalled;		/* TERM or INT */
static int			 exit_status;
static int			 child_sock = -1;
static int			 child_gone;		/* its socket closed */
static int			 known_timer = -1;

static void	 known_cb(int, void *);
static void	 ifcheck_cb(int, void *);
static void	 resync_cb(int, void *);
static void	 prune_cb(int, void *);
static void	 msg_cb(int, int, int, void *);
static void	 signal_cb(int, int, int, void *);
static void	 signal_handler(int);
static void	 child_exited(int);
static void	 child_status(int);
static void	 quiet_error(void *, virErrorPtr);

int64_t
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/*
 * The cache may have changed: send the child the known addresses once
 * this turn of the loop is over, however many changes it held.
 */
void
known_changed(void)
{
	if (known_timer == -1)
		known_timer = virEventAddTimeout(0, known_cb, NULL, NULL);
	if (known_timer == -1)
		fatalx("cannot add a timer");
}

static void
known_cb(int timer __unused, void *arg __unused)
{
	known_flush();
}

/* Send the known addresses now, if they changed. */
void
known_flush(void)
{
	if (known_timer == -1)
		return;
	virEventRemoveTimeout(known_timer);
	known_timer = -1;
	known_send(child_sock);
}

/*
 * An interface that was deleted cannot be captured again, and libpcap
 * does not always say so: look for it, and leave for the service
 * manager to start us again when it is back.
 */
static void
ifcheck_cb(int timer __unused, void *arg __unused)
{
	int	 i;

	for (i = 0; i < conf->nifs; i++)
		if (if_nametoindex(conf->ifs[i].name) != conf->ifs[i].index) {
			log_warnx("%s: interface disappeared, exiting",
			    conf->ifs[i].name);
			quit = 1;
			exit_status = 1;
		}
}

static void
resync_cb(int timer __unused, void *arg __unused)
{
	conn_resync();
}

static void
prune_cb(int timer __unused, void *arg __unused)
{
	wake_prune(mono_ms());
}

/* libvirt prints errors itself unless told not to; we log them. */
static void
quiet_error(void *arg __unused, virErrorPtr err __unused)
{
}

static void
msg_cb(int watch __unused, int fd, int events __unused, void *arg __unused)
{
	union child_msg	 m;
	ssize_t		 n;
	int		 i;

	/* A few messages a turn, so that libvirt's own events get a turn. */
	for (i = 0; i < 64; i++) {
		n = recv(fd, &m, sizeof(m), MSG_DONTWAIT);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR))
			return;
		if (n == -1 && errno != ECONNRESET)
			fatal("capture socket");
		if (n <= 0) {
			/*
			 * It has exited (ECONNRESET: with our messages still
			 * unread), or sent an empty message, which reads the
			 * same: say how it ended once it is reaped.
			 */
			child_gone = 1;
			quit = 1;
			exit_status = 1;
			return;
		}
		if (capture_log(&m, n) == 0)
			continue;
		if (msg_check(&m.wake, n, conf->nifs) == -1) {
			explicit_bzero(&m, sizeof(m));
			fatalx("malformed message from the capture process");
		}
		wake(&m.wake);
		explicit_bzero(&m, sizeof(m));
	}
}

static void
signal_handler(int sig)
{
	int		 saved = errno;
	unsigned char	 c = sig;

	(void)write(sigpipe[1], &c, 1);
	errno = saved;
}

static void
signal_cb(int watch __unused, int fd, int events __unused, void *arg __unused)
{
	unsigned char	 sigs[64];
	ssize_t		 n, i;
	int		 chld = 0;

	if ((n = read(fd, sigs, sizeof(sigs))) <= 0)
		return;
	for (i = 0; i < n; i++) {
		switch (sigs[i]) {
		case SIGTERM:
		case SIGINT:
			if (!signalled)
				log_info("exiting on signal %d", sigs[i]);
			quit = signalled = 1;
			break;
		case SIGCHLD:
			chld = 1;
			break;
		case SIGHUP:
			log_warnx("SIGHUP: nothing is read again; restart "
			    "wakeupd for a new configuration");
			break;
		}
	}
	if (chld && !quit) {
		child_exited(WNOHANG);
		if (runner_exited()) {
			quit = 1;
			exit_status = 1;
		}
	}
}

/* Log how the capture process ended, waiting for it unless nohang. */
static void
child_exited(int flags)
{
	int	 status;

	if (child_pid == -1 || waitpid(child_pid, &status, flags) != child_pid)
		return;
	child_pid = -1;
	child_status(status);
	quit = 1;
	exit_status = 1;
}

static void
child_status(int status)
{
	if (WIFSIGNALED(status))
		log_warnx("capture process killed by signal %d%s, exiting",
		    WTERMSIG(status), WTERMSIG(status) == SIGSYS ?
		    " (a system call outside its sandbox)" : "");
	else
		log_warnx("capture process exited with status %d, exiting",
		    WEXITSTATUS(status));
}

__dead void
parent_main(struct wakeup_conf *cf, int sock, pid_t child)
{
	struct sigaction	 sa;
	sigset_t		 set;
	int			 i, status;

	conf = cf;
	child_pid = child;
	child_sock = sock;
	setproctitle("[priv]");
	signal(SIGPIPE, SIG_IGN);
	if (pipe(sigpipe) == -1)
		fatal("pipe");
	for (i = 0; i < 2; i++)
		if (fcntl(sigpipe[i], F_SETFL, O_NONBLOCK) == -1 ||
		    fcntl(sigpipe[i], F_SETFD, FD_CLOEXEC) == -1)
			fatal("fcntl");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = signal_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGHUP, &sa, NULL) == -1 ||
	    sigaction(SIGCHLD, &sa, NULL) == -1)
		fatal("sigaction");

	/* With the privileges we have, and before any thread. */
	runner_start(conf);
	/* Before any thread: capabilities are per thread. */
	priv_drop_parent();
	/* libvirt before any thread; the threads take no signals. */
	if (virInitialize() == -1)
		fatalx("libvirt: %s", last_error());
	virSetErrorFunc(NULL, quiet_error);
	if (virEventRegisterDefaultImpl() == -1)
		fatalx("libvirt event loop: %s", last_error());
	if (virEventAddHandle(sigpipe[0], VIR_EVENT_HANDLE_READABLE,
	    signal_cb, NULL, NULL) == -1 ||
	    virEventAddHandle(sock, VIR_EVENT_HANDLE_READABLE, msg_cb, NULL,
	    NULL) == -1)
		fatalx("libvirt event loop: cannot watch descriptors");
	if (virEventAddTimeout(IFCHECK_MS, ifcheck_cb, NULL, NULL) == -1 ||
	    virEventAddTimeout(RESYNC_MS, resync_cb, NULL, NULL) == -1 ||
	    virEventAddTimeout(PRUNE_MS, prune_cb, NULL, NULL) == -1)
		fatalx("cannot add a timer");

	cache_init();
	wake_init(conf);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	log_threaded();
	conn_init(conf);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	while (!quit)
		if (virEventRunDefaultImpl() == -1)
			fatalx("libvirt event loop: %s", last_error());

	if (child_pid != -1) {
		/* The closed socket ends it even where SIGTERM is ignored. */
		close(child_sock);
		kill(child_pid, SIGTERM);
		/* Asked to stop: its end is no failure (wakeupd-capture.c). */
		if (waitpid(child_pid, &status, 0) == child_pid && child_gone &&
		    !signalled)
			child_status(status);
	}
	/* Its commands end as at their time limit, within a bound. */
	runner_stop();
	if (signalled)
		exit_status = 0;
	/*
	 * A thread stuck in a call to a host that does not answer cannot be
	 * stopped: leave without waiting for it, and without running
	 * libvirt's destructors under its feet.
	 */
	if (conn_shutdown(QUIT_GRACE_MS) == -1) {
		log_debug("a libvirt call is still waiting; leaving it");
		_exit(exit_status);
	}
	exit(exit_status);
}
