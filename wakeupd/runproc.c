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
#ifdef __linux__
#include <sys/syscall.h>
#endif

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "runner.h"

/*
 * The run process, which runner.c forks before the parent drops its
 * privileges and which keeps them.  It checks every field of the
 * parent's requests, runs the host's argv from the configuration (never
 * a shell) in a session of its own, logs its output and how it ended,
 * and ends its process group at the host's time limit or once it has
 * exited; one command per host at a time.  What a command left holding
 * its pipe is read on, apart from the host's command.  At the parent's
 * end it ends what still runs.
 */

#define RUN_GRACE_MS	2000	/* from SIGTERM to SIGKILL */
#define RUN_STOP_MS	1000	/* after SIGKILL, at stop, before leaving */
#define RUN_TICK_MS	100	/* how often to look for a group's end */
#define RUN_SETTLE_MS	1000	/* from a command's exit to ending its group */
#define RUN_LINEMAX	200	/* longer output lines are cut */
#define RUN_MAXLINES	50	/* output lines logged per command */
#define RUN_MAXDRAIN	64	/* pipes read after their command exited */

/* A command's output pipe and the line being read from it. */
struct out {
	int		 fd;		/* or -1 */
	int		 host;		/* index in rh */
	uint64_t	 seq;		/* drains: the oldest goes first */
	char		 line[RUN_LINEMAX + 1];
	size_t		 len;
	int		 cut;		/* the rest of a long line: dropped */
	int		 nlines;
};

/* A command that runs, or whose process group is being ended. */
struct cmd {
	pid_t		 pid;		/* and process group; 0: none */
	struct out	 out;		/* until it is reaped */
	int		 reaped;	/* the group may live on */
	int		 term;		/* SIGTERM sent to the group */
	int		 timedout;
	int		 stopping;
	int64_t		 deadline;	/* the time limit, or once reaped, when
					   what is left in the group ends */
	int64_t		 kill;		/* SIGKILL, once term */
};

static struct run_hosts	*rh;
static struct cmd	*cmds;
/*
 * The pipes of commands that have exited but left a process that holds
 * them (a daemon that kept its standard output): read to their end, so
 * that its writes do not get SIGPIPE, apart from the commands so that
 * the host can run again at once.
 */
static struct out	 drains[RUN_MAXDRAIN];
static uint64_t		 drainseq;
static int		 sigfd[2] = { -1, -1 };

static int	 proc_setup(int);
static void	 proc_done(int64_t, int64_t);
static void	 proc_signal(int);
static void	 proc_request(int, int *);
static void	 msg_string(const char *, size_t, const char *);
static void	 cmd_start(int, const struct run_msg *);
static __dead void cmd_exec(const struct conf_host *, const struct run_user *,
		    const struct run_msg *, int);
static int	 env_set(char *, size_t, const char *, const char *);
static void	 out_read(struct out *);
static void	 out_line(struct out *, int);
static void	 out_close(struct out *);
static void	 out_drain(struct out *);
static void	 cmd_reaped(int, int);
static int	 cmd_killpg(struct cmd *, int);
static void	 cmd_term(struct cmd *, int64_t);
static int	 cmd_timers(int64_t);
static void	 reap(void);

static void
proc_signal(int sig)
{
	int		 saved = errno;
	unsigned char	 c = sig;

	(void)write(sigfd[1], &c, 1);
	errno = saved;
}

/*
 * The run process's descriptors, signals and name; returns its socket, now
 * descriptor 3.
 */
static int
proc_setup(int sock)
{
	struct sigaction	 sa;
	sigset_t		 none;
	int			 i;

	setproctitle("[run]");
	log_procname("wakeupd[run]");

	/*
	 * Standard descriptors open (on /dev/null if they were not), so
	 * that no pipe of a command's becomes one of them.
	 */
	while ((i = open("/dev/null", O_RDWR)) != -1 && i <= STDERR_FILENO)
		;
	if (i > STDERR_FILENO)
		close(i);

	/* Only our socket and the standard descriptors, and syslog's. */
	closelog();
	if (sock != 3) {
		if (dup2(sock, 3) == -1)
			fatal("dup2");
		close(sock);
		sock = 3;
	}
	closefrom(4);
	log_reopen();

	if (pipe(sigfd) == -1)
		fatal("pipe");
	for (i = 0; i < 2; i++)
		if (fcntl(sigfd[i], F_SETFL, O_NONBLOCK) == -1 ||
		    fcntl(sigfd[i], F_SETFD, FD_CLOEXEC) == -1)
			fatal("fcntl");
	if (fcntl(sock, F_SETFD, FD_CLOEXEC) == -1)
		fatal("fcntl");
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = proc_signal;
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGCHLD, &sa, NULL) == -1)
		fatal("sigaction");
	/*
	 * ^C in the foreground and a hangup are the parent's to act on: it
	 * closes our socket.
	 */
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	if (sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGHUP, &sa, NULL) == -1 ||
	    sigaction(SIGPIPE, &sa, NULL) == -1)
		fatal("sigaction");
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	return (sock);
}

/*
 * Stopping since stop_at was set: exit once every command and its
 * group has ended, or at stop_at whatever is left.
 */
static void
proc_done(int64_t now, int64_t stop_at)
{
	int	 i, left = 0;

	for (i = 0; i < rh->n; i++) {
		if (cmds[i].pid == 0)
			continue;
		left++;
		if (now >= stop_at && !cmds[i].reaped)
			log_warnx("host %s: pid %ld has not ended; leaving it",
			    rh->host[i]->name, (long)cmds[i].pid);
	}
	if (left == 0 || now >= stop_at)
		exit(0);
}

__dead void
runproc_main(int sock, struct run_hosts *hosts)
{
	struct pollfd		*pfd;
	unsigned char		 sigs[64];
	int64_t			 now, stop_at = 0;
	ssize_t			 n;
	int			 i, j, np, timeout, stopping = 0;

	rh = hosts;
	sock = proc_setup(sock);
	if ((cmds = calloc(rh->n, sizeof(*cmds))) == NULL ||
	    (pfd = calloc(rh->n + 2 + RUN_MAXDRAIN, sizeof(*pfd))) == NULL)
		fatal("calloc");
	for (i = 0; i < rh->n; i++)
		cmds[i].out.fd = -1;
	for (i = 0; i < RUN_MAXDRAIN; i++)
		drains[i].fd = -1;

	for (;;) {
		now = mono_ms();
		if (stopping)
			proc_done(now, stop_at);
		timeout = cmd_timers(now);
		if (stopping && (timeout == -1 || timeout > stop_at - now))
			timeout = stop_at - now;

		np = 0;
		pfd[np].fd = sigfd[0];
		pfd[np++].events = POLLIN;
		pfd[np].fd = stopping ? -1 : sock;
		pfd[np++].events = POLLIN;
		for (i = 0; i < rh->n; i++) {
			pfd[np].fd = cmds[i].out.fd;
			pfd[np++].events = POLLIN;
		}
		for (i = 0; i < RUN_MAXDRAIN; i++) {
			pfd[np].fd = drains[i].fd;
			pfd[np++].events = POLLIN;
		}
		if (poll(pfd, np, timeout) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}

		if (pfd[0].revents & POLLIN) {
			n = read(sigfd[0], sigs, sizeof(sigs));
			for (j = 0; j < n; j++)
				if (sigs[j] == SIGTERM)
					stopping = 1;
			reap();
		}
		if (!stopping && (pfd[1].revents & (POLLIN | POLLHUP)))
			proc_request(sock, &stopping);
		if (stopping && stop_at == 0) {
			now = mono_ms();
			for (i = 0; i < rh->n; i++)
				if (cmds[i].pid != 0) {
					cmds[i].stopping = 1;
					cmd_term(&cmds[i], now);
				}
			stop_at = now + RUN_GRACE_MS + RUN_STOP_MS;
		}
		for (i = 0; i < rh->n; i++)
			if (cmds[i].out.fd != -1 && pfd[i + 2].revents != 0)
				out_read(&cmds[i].out);
		for (i = 0; i < RUN_MAXDRAIN; i++)
			if (drains[i].fd != -1 &&
			    pfd[rh->n + 2 + i].revents != 0)
				out_read(&drains[i]);
	}
}

/*
 * A request from the parent, or its end (*stopping).  The parent is
 * the more trusted side, but a message that is not exactly right is
 * fatal here as it is there.
 */
static void
proc_request(int sock, int *stopping)
{
	union {
		struct run_msg	 m;
		uint8_t		 over[sizeof(struct run_msg) + 1];
	}		 u;
	struct run_msg	*m = &u.m;
	ssize_t		 n;

	/* One byte more than a message: a longer one is seen as such. */
	n = recv(sock, &u, sizeof(u), MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	if (n == -1 && errno != ECONNRESET)
		fatal("recv");
	if (n <= 0) {
		*stopping = 1;
		return;
	}
	if ((size_t)n != sizeof(*m) || m->kind != MSG_RUN ||
	    m->host >= (uint32_t)rh->n ||
	    rh->host[m->host]->action != HOST_RUN)
		fatalx("malformed message from the parent");
	msg_string(m->ifname, sizeof(m->ifname), "interface");
	msg_string(m->from, sizeof(m->from), "sender");
	cmd_start(m->host, m);
}

/* A NUL-terminated, printable, non-empty string, or fatal. */
static void
msg_string(const char *s, size_t size, const char *what)
{
	size_t	 i;

	for (i = 0; i < size && s[i] != '\0'; i++)
		if (!isprint((unsigned char)s[i]))
			break;
	if (i == 0 || i == size || s[i] != '\0')
		fatalx("malformed %s in a message from the parent", what);
}

static void
cmd_start(int i, const struct run_msg *m)
{
	const struct conf_host	*h = rh->host[i];
	struct cmd		*c = &cmds[i];
	sigset_t		 all, old;
	int			 p[2];
	pid_t			 pid;

	if (c->pid != 0) {
		/* As wake.c's refusals: a flood must not fill the log. */
		refuse_log("host %s: still running (pid %ld): not run again",
		    h->name, (long)c->pid);
		return;
	}
	if (pipe(p) == -1) {
		log_warn("host %s: pipe", h->name);
		return;
	}
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if ((pid = fork()) == 0)
		cmd_exec(h, &rh->user[i], m, p[1]);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(p[1]);
	if (pid == -1) {
		log_warn("host %s: fork", h->name);
		close(p[0]);
		return;
	}
	if (fcntl(p[0], F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(p[0], F_SETFD, FD_CLOEXEC) == -1)
		fatal("fcntl");
	memset(c, 0, sizeof(*c));
	c->pid = pid;
	c->out.fd = p[0];
	c->out.host = i;
	c->deadline = mono_ms() + (int64_t)h->run.timeout * 1000;
	log_info("host %s: %s started (pid %ld)", h->name, h->run.argv[0],
	    (long)pid);
}

/*
 * The command's process: a session and process group of its own (the
 * time limit ends the group), every signal at its default and none
 * blocked, /dev/null in, our pipe out, no other descriptor, the
 * configured user, and an environment of exactly four variables.  An
 * error goes to the pipe, which the run process logs, and exits 127 as a
 * shell's command not found.
 */
static __dead void
cmd_exec(const struct conf_host *h, const struct run_user *u,
    const struct run_msg *m, int out)
{
	char		 mac[WOL_MAC_STRLEN], e_mac[16 + WOL_MAC_STRLEN];
	char		 e_host[16 + CONF_HOSTNAMEMAX + 1];
	char		 e_iface[16 + RUN_IFNAMSIZ];
	char		 e_from[16 + WOL_ADDR_STRLEN];
	char		*env[5];
	const char	*what;
	sigset_t	 none;
	int		 sig, null;

	what = "setsid";
	if (setsid() == -1)
		goto fail;
	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
#if defined(__linux__) && defined(SYS_rt_sigaction)
	/*
	 * The C library keeps the signals between 32 and SIGRTMIN to itself
	 * and will not set them, so one that whoever started wakeupd
	 * ignored would stay ignored across exec.  The kernel sets them:
	 * an all-zero struct sigaction is SIG_DFL with no flags and an
	 * empty mask in every architecture's layout.
	 */
	for (sig = 32; sig < SIGRTMIN; sig++) {
		uint64_t	 dfl[8];

		memset(dfl, 0, sizeof(dfl));
		(void)syscall(SYS_rt_sigaction, sig, dfl, NULL,
		    (size_t)(_NSIG / 8));
	}
#endif
	sigemptyset(&none);
	what = "sigprocmask";
	if (sigprocmask(SIG_SETMASK, &none, NULL) == -1)
		goto fail;
	what = "/dev/null";
	if ((null = open("/dev/null", O_RDONLY)) == -1)
		goto fail;
	what = "dup2";
	if (dup2(null, STDIN_FILENO) == -1 ||
	    dup2(out, STDOUT_FILENO) == -1 ||
	    dup2(out, STDERR_FILENO) == -1)
		goto fail;
	closefrom(STDERR_FILENO + 1);
	if (h->run.user != NULL) {
		what = h->run.user;
		if (initgroups(h->run.user, u->gid) == -1 ||
		    setresgid(u->gid, u->gid, u->gid) == -1 ||
		    setresuid(u->uid, u->uid, u->uid) == -1)
			goto fail;
	}
	what = "chdir /";
	if (chdir("/") == -1)
		goto fail;

	what = "environment";
	errno = ENAMETOOLONG;
	if (env_set(e_mac, sizeof(e_mac), "WAKEUPD_MAC",
	    wol_mac_ntoa(m->mac, mac, sizeof(mac))) == -1 ||
	    env_set(e_host, sizeof(e_host), "WAKEUPD_HOST", h->name) == -1 ||
	    env_set(e_iface, sizeof(e_iface), "WAKEUPD_IFACE",
	    m->ifname) == -1 ||
	    env_set(e_from, sizeof(e_from), "WAKEUPD_FROM", m->from) == -1)
		goto fail;
	env[0] = e_mac;
	env[1] = e_host;
	env[2] = e_iface;
	env[3] = e_from;
	env[4] = NULL;
	what = h->run.argv[0];
	execve(h->run.argv[0], h->run.argv, env);
 fail:
	dprintf(STDERR_FILENO, "%s: %s\n", what, strerror(errno));
	_exit(127);
}

/* NAME=VALUE into buf, or -1 if it does not fit. */
static int
env_set(char *buf, size_t size, const char *name, const char *value)
{
	int	 n;

	n = snprintf(buf, size, "%s=%s", name, value);
	return (n < 0 || (size_t)n >= size ? -1 : 0);
}

/* Read what a command wrote, and log it line by line. */
static void
out_read(struct out *o)
{
	char	 buf[4096];
	ssize_t	 n, i;
	int	 reads;

	/* A bounded number of reads a turn: the other commands' turn. */
	for (reads = 0; reads < 16; reads++) {
		n = read(o->fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			out_close(o);
			return;
		}
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				if (!o->cut)
					out_line(o, 0);
				o->len = 0;
				o->cut = 0;
				continue;
			}
			if (o->cut)
				continue;
			if (o->len == RUN_LINEMAX) {
				out_line(o, 1);
				o->len = 0;
				o->cut = 1;
				continue;
			}
			o->line[o->len++] = buf[i];
		}
	}
}

/*
 * One line of output, its bytes made printable as \xNN (and a
 * backslash as two), up to so many per command.
 */
static void
out_line(struct out *o, int cut)
{
	const char	*name = rh->host[o->host]->name;
	char		 text[RUN_LINEMAX * 4 + 1];
	unsigned char	 ch;
	size_t		 i, len = 0;

	if (o->nlines > RUN_MAXLINES)
		return;
	if (o->nlines++ == RUN_MAXLINES) {
		log_info("host %s: further output not logged", name);
		return;
	}
	for (i = 0; i < o->len; i++) {
		ch = o->line[i];
		if (ch == '\\') {
			text[len++] = '\\';
			text[len++] = '\\';
		} else if (isprint(ch))
			text[len++] = ch;
		else {
			text[len++] = '\\';
			text[len++] = 'x';
			text[len++] = "0123456789abcdef"[ch >> 4];
			text[len++] = "0123456789abcdef"[ch & 0xf];
		}
	}
	text[len] = '\0';
	log_info("host %s: %s%s", name, text, cut ? " (cut)" : "");
}

/* The end of the output: what is left of a line, then the pipe. */
static void
out_close(struct out *o)
{
	if (o->fd == -1)
		return;
	if (o->len > 0 && !o->cut)
		out_line(o, 0);
	o->len = 0;
	close(o->fd);
	o->fd = -1;
}

/*
 * The command has exited but its pipe is still open: read on, among
 * the drains.  Past RUN_MAXDRAIN the oldest is closed, and what still
 * writes to it gets SIGPIPE.
 */
static void
out_drain(struct out *o)
{
	struct out	*d = NULL;
	int		 i;

	for (i = 0; i < RUN_MAXDRAIN; i++) {
		if (drains[i].fd == -1) {
			d = &drains[i];
			break;
		}
		if (d == NULL || drains[i].seq < d->seq)
			d = &drains[i];
	}
	if (d->fd != -1) {
		log_warnx("host %s: more than %d exited commands' output "
		    "open: its output no longer read",
		    rh->host[d->host]->name, RUN_MAXDRAIN);
		out_close(d);
	}
	*d = *o;
	d->seq = ++drainseq;
	o->fd = -1;
	o->len = 0;
}

/*
 * Signal c's process group.  Until its leader is reaped, the leader's
 * pid, which is the group's number, is ours.  After, the number is held
 * only while the group has a process, so look first and forget the group
 * once it has none.  What is left is the time between the look and the
 * signal: the group's last process would have to exit and its number be
 * taken by a new group's leader within it, after the pids have wrapped
 * round to exactly that number; as with any kill(2) by number, accepted.
 */
static int
cmd_killpg(struct cmd *c, int sig)
{
	/* Gone only when there is no such group, not when refused. */
	if (c->reaped && killpg(c->pid, 0) == -1 && errno == ESRCH) {
		c->pid = 0;
		return (-1);
	}
	return (killpg(c->pid, sig));
}

/* SIGTERM to the command's group, and SIGKILL after the grace. */
static void
cmd_term(struct cmd *c, int64_t now)
{
	if (c->term)
		return;
	if (cmd_killpg(c, SIGTERM) == -1 && c->pid == 0)
		return;
	c->term = 1;
	c->kill = now + RUN_GRACE_MS;
}

/*
 * The time limits and the groups being ended.  Returns how long poll
 * may wait, in milliseconds, or -1.
 */
static int
cmd_timers(int64_t now)
{
	struct cmd	*c;
	int64_t		 next = -1, t;
	int		 i;

	for (i = 0; i < rh->n; i++) {
		c = &cmds[i];
		if (c->pid == 0)
			continue;
		/* The group's last process has gone: done. */
		if (c->reaped && cmd_killpg(c, 0) == -1)
			continue;
		if (!c->term && now >= c->deadline) {
			if (c->reaped)
				log_info("host %s: ending what %s left in its "
				    "process group", rh->host[i]->name,
				    rh->host[i]->run.argv[0]);
			else
				c->timedout = 1;
			cmd_term(c, now);
		}
		if (c->term && now >= c->kill) {
			(void)cmd_killpg(c, SIGKILL);
			if (c->reaped) {
				c->pid = 0;
				continue;
			}
		}
		if (c->reaped)
			t = RUN_TICK_MS;	/* for the group's end */
		else if (!c->term)
			t = c->deadline - now;
		else if (now < c->kill)
			t = c->kill - now;
		else
			t = RUN_TICK_MS;	/* killed: waiting for it */
		if (next == -1 || t < next)
			next = t;
	}
	return (next);
}

/* Every command that has exited, logged. */
static void
reap(void)
{
	pid_t	 pid;
	int	 status, i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < rh->n; i++)
			if (cmds[i].pid == pid && !cmds[i].reaped)
				break;
		if (i < rh->n)
			cmd_reaped(i, status);
	}
}

static void
cmd_reaped(int i, int status)
{
	const struct conf_host	*h = rh->host[i];
	struct cmd		*c = &cmds[i];
	const char		*path = h->run.argv[0];

	/* What it wrote before it exited is in the pipe: log it first. */
	if (c->out.fd != -1)
		out_read(&c->out);
	/* A process it left behind may hold the pipe: read on, apart. */
	if (c->out.fd != -1)
		out_drain(&c->out);
	if (c->timedout)
		log_warnx("host %s: %s killed after %d s (time limit)",
		    h->name, path, h->run.timeout);
	else if (WIFSIGNALED(status))
		log_warnx("host %s: %s killed by signal %d%s", h->name, path,
		    WTERMSIG(status), c->stopping ? " (wakeupd stopping)" : "");
	else if (WEXITSTATUS(status) != 0)
		log_warnx("host %s: %s exited %d", h->name, path,
		    WEXITSTATUS(status));
	else
		log_info("host %s: %s exited 0", h->name, path);
	/*
	 * What it left in its group ends, a while after, so that a daemon
	 * forked just before it exited has called setsid(2).  An empty
	 * group is forgotten at once; one that the time limit or the stop
	 * is ending goes on to its SIGKILL.
	 */
	c->reaped = 1;
	if (!c->term && cmd_killpg(c, 0) == 0)
		c->deadline = mono_ms() + RUN_SETTLE_MS;
}
