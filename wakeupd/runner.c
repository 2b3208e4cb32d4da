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

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"

/*
 * The run action.  The parent drops its privileges before its first
 * thread starts, and a command it runs (qm start, a VM) needs the ones
 * the daemon had: so the parent forks this helper first, the runner,
 * which keeps them, and sends it one fixed-size request per command to
 * run.  The parent never waits for it.  The runner checks every field,
 * runs the host's argv from the configuration (never a shell) in a
 * session of its own, logs its output and how it ended, and ends its
 * process group at the host's time limit.  Both halves live here.
 */

#define MSG_RUN		0x52554e20	/* "RUN " */
#define RUN_IFNAMSIZ	64		/* as struct iface */

struct run_msg {
	uint32_t	 kind;
	uint32_t	 host;			/* index in the file's hosts */
	uint8_t		 mac[WOL_ADDR_LEN];
	char		 ifname[RUN_IFNAMSIZ];
	char		 from[WOL_ADDR_STRLEN];
};

#define RUN_GRACE_MS	2000	/* from SIGTERM to SIGKILL */
#define RUN_STOP_MS	1000	/* after SIGKILL, at stop, before leaving */
#define RUN_TICK_MS	100	/* how often to look for a group's end */
#define RUN_LINEMAX	200	/* longer output lines are cut */
#define RUN_MAXLINES	50	/* output lines logged per command */

/* A command that runs, or whose process group is being ended. */
struct cmd {
	pid_t		 pid;		/* and process group; 0: none */
	int		 fd;		/* its output, or -1 */
	int		 reaped;	/* the group may live on */
	int		 term;		/* SIGTERM sent to the group */
	int		 timedout;
	int		 stopping;
	int64_t		 deadline;	/* the time limit */
	int64_t		 kill;		/* SIGKILL, once term */
	char		 line[RUN_LINEMAX + 1];
	size_t		 len;
	int		 cut;		/* the rest of a long line: dropped */
	int		 nlines;
};

struct runuser {
	uid_t		 uid;
	gid_t		 gid;
};

static struct conf	 *run_conf;
static struct conf_host **run_hosts;	/* by index */
static struct runuser	 *run_users;	/* by index, for run as */
static int		  run_nhosts;
static pid_t		  run_pid = -1;
static int		  run_sock = -1;

/* The runner's own. */
static struct cmd	 *cmds;
static int		  sigfd[2] = { -1, -1 };

static __dead void runner_main(int);
static int	 runner_setup(int);
static void	 runner_done(int64_t, int64_t);
static void	 runner_signal(int);
static void	 runner_request(int, int *);
static void	 msg_string(const char *, size_t, const char *);
static void	 cmd_start(int, const struct run_msg *);
static __dead void cmd_exec(const struct conf_host *, const struct runuser *,
		    const struct run_msg *, int);
static void	 cmd_output(const struct conf_host *, struct cmd *);
static void	 cmd_line(const struct conf_host *, struct cmd *, int);
static void	 cmd_close(const struct conf_host *, struct cmd *);
static void	 cmd_reaped(int, int);
static void	 cmd_term(struct cmd *, int64_t);
static int	 cmd_timers(int64_t);
static void	 reap(void);
static int	 host_index(const struct conf_host *);

/*
 * At start, before the daemon detaches: the hosts in their order, and
 * the users their commands run as, so that an unknown user is a
 * start-up error on the terminal.
 */
void
runner_check(struct conf *c, const char *file)
{
	struct conf_host	*h;
	struct passwd		*pw;
	int			 i = 0;

	if (c == NULL || c->nhosts == 0)
		return;
	run_conf = c;
	if ((run_hosts = calloc(c->nhosts, sizeof(*run_hosts))) == NULL ||
	    (run_users = calloc(c->nhosts, sizeof(*run_users))) == NULL)
		err(1, NULL);
	TAILQ_FOREACH(h, &c->hosts, entry) {
		if (i == c->nhosts)
			errx(1, "%s: more hosts than counted", file);
		run_hosts[i] = h;
		if (h->action == HOST_RUN && h->run.user != NULL) {
			errno = 0;
			if ((pw = getpwnam(h->run.user)) == NULL)
				errx(1, "%s: host %s: run as %s: %s", file,
				    h->name, h->run.user, errno != 0 ?
				    strerror(errno) : "no such user");
			run_users[i].uid = pw->pw_uid;
			run_users[i].gid = pw->pw_gid;
		}
		i++;
	}
	run_nhosts = i;
}

/*
 * Fork the runner, if some host runs a command; it keeps the privileges
 * we have now.  Signals are blocked across the fork so that none
 * reaches the runner before it has its own handlers.
 */
void
runner_start(struct conf *c)
{
	sigset_t	 all, old;
	int		 sp[2], i;

	if (c == NULL || c != run_conf)
		return;
	for (i = 0; i < run_nhosts; i++)
		if (run_hosts[i]->action == HOST_RUN)
			break;
	if (i == run_nhosts)
		return;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp) == -1)
		fatal("socketpair");
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	switch (run_pid = fork()) {
	case -1:
		fatal("fork");
	case 0:
		close(sp[0]);
		runner_main(sp[1]);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(sp[1]);
	run_sock = sp[0];
	if (fcntl(run_sock, F_SETFD, FD_CLOEXEC) == -1)
		fatal("fcntl");
	log_debug("run process %ld started", (long)run_pid);
}

/* Ask the runner to run h's command; never wait for it. */
void
runner_run(const struct conf_host *h, const struct wake_msg *wm,
    const char *ifname)
{
	struct run_msg	 m;
	const char	*s;
	int		 i;

	if ((i = host_index(h)) == -1 || h->action != HOST_RUN ||
	    run_sock == -1) {
		log_warnx("host %s: no run process: not run", h->name);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.kind = MSG_RUN;
	m.host = i;
	memcpy(m.mac, wm->mac, sizeof(m.mac));
	if (strlcpy(m.ifname, ifname, sizeof(m.ifname)) >= sizeof(m.ifname)) {
		log_warnx("host %s: %s: interface name too long: not run",
		    h->name, ifname);
		return;
	}
	if (wm->sender_af == AF_INET || wm->sender_af == AF_INET6)
		s = inet_ntop(wm->sender_af, wm->sender, m.from,
		    sizeof(m.from));
	else
		s = wol_mac_ntoa(wm->sender, m.from, sizeof(m.from));
	if (s == NULL)
		(void)strlcpy(m.from, "?", sizeof(m.from));
	if (send(run_sock, &m, sizeof(m), MSG_DONTWAIT) == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			log_warnx("host %s: the run process is busy: not run",
			    h->name);
		else if (errno == EPIPE || errno == ECONNRESET)
			log_warnx("host %s: the run process is gone: not run",
			    h->name);	/* SIGCHLD says more */
		else
			log_warn("host %s: send to the run process", h->name);
	}
}

/*
 * Has the runner ended?  Then say how, once: the caller exits, as when
 * the capture process ends.  Returns 1 if it has.
 */
int
runner_exited(void)
{
	int	 status;

	if (run_pid == -1 || waitpid(run_pid, &status, WNOHANG) != run_pid)
		return (0);
	run_pid = -1;
	if (WIFSIGNALED(status))
		log_warnx("run process killed by signal %d, exiting",
		    WTERMSIG(status));
	else
		log_warnx("run process exited with status %d, exiting",
		    WEXITSTATUS(status));
	return (1);
}

/*
 * At exit: the closed socket tells the runner to end its commands as
 * at their time limit; it exits within a bound, so we wait for it.
 */
void
runner_stop(void)
{
	int	 status;

	if (run_sock != -1) {
		close(run_sock);
		run_sock = -1;
	}
	if (run_pid == -1)
		return;
	kill(run_pid, SIGTERM);
	while (waitpid(run_pid, &status, 0) == -1 && errno == EINTR)
		;
	run_pid = -1;
}

static int
host_index(const struct conf_host *h)
{
	int	 i;

	for (i = 0; i < run_nhosts; i++)
		if (run_hosts[i] == h)
			return (i);
	return (-1);
}

/* The runner. */

static void
runner_signal(int sig)
{
	int		 saved = errno;
	unsigned char	 c = sig;

	(void)write(sigfd[1], &c, 1);
	errno = saved;
}

/*
 * The runner's descriptors, signals and name; returns its socket, now
 * descriptor 3.
 */
static int
runner_setup(int sock)
{
	struct sigaction	 sa;
	struct conf_host	*h;
	sigset_t		 none;
	int			 i;

	setproctitle("[run]");
	log_procname("wakeupd[run]");

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

	/* The secrets are the parent's business. */
	TAILQ_FOREACH(h, &run_conf->hosts, entry)
		explicit_bzero(&h->pw, sizeof(h->pw));

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
	sa.sa_handler = runner_signal;
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
runner_done(int64_t now, int64_t stop_at)
{
	int	 i, left = 0;

	for (i = 0; i < run_nhosts; i++) {
		if (cmds[i].pid == 0)
			continue;
		left++;
		if (now >= stop_at && !cmds[i].reaped)
			log_warnx("host %s: pid %ld has not ended; leaving it",
			    run_hosts[i]->name, (long)cmds[i].pid);
	}
	if (left == 0 || now >= stop_at)
		exit(0);
}

static __dead void
runner_main(int sock)
{
	struct pollfd		*pfd;
	unsigned char		 sigs[64];
	int64_t			 now, stop_at = 0;
	ssize_t			 n;
	int			 i, j, np, timeout, stopping = 0;

	sock = runner_setup(sock);
	if ((cmds = calloc(run_nhosts, sizeof(*cmds))) == NULL ||
	    (pfd = calloc(run_nhosts + 2, sizeof(*pfd))) == NULL)
		fatal("calloc");
	for (i = 0; i < run_nhosts; i++)
		cmds[i].fd = -1;

	for (;;) {
		now = mono_ms();
		if (stopping)
			runner_done(now, stop_at);
		timeout = cmd_timers(now);
		if (stopping && (timeout == -1 || timeout > stop_at - now))
			timeout = stop_at - now;

		np = 0;
		pfd[np].fd = sigfd[0];
		pfd[np++].events = POLLIN;
		pfd[np].fd = stopping ? -1 : sock;
		pfd[np++].events = POLLIN;
		for (i = 0; i < run_nhosts; i++) {
			pfd[np].fd = cmds[i].fd;
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
			runner_request(sock, &stopping);
		if (stopping && stop_at == 0) {
			now = mono_ms();
			for (i = 0; i < run_nhosts; i++)
				if (cmds[i].pid != 0 && !cmds[i].reaped) {
					cmds[i].stopping = 1;
					cmd_term(&cmds[i], now);
				}
			stop_at = now + RUN_GRACE_MS + RUN_STOP_MS;
		}
		for (i = 0; i < run_nhosts; i++)
			if (cmds[i].fd != -1 && pfd[i + 2].revents != 0)
				cmd_output(run_hosts[i], &cmds[i]);
	}
}

/*
 * A request from the parent, or its end (*stopping).  The parent is
 * the more trusted side, but a message that is not exactly right is
 * fatal here as it is there.
 */
static void
runner_request(int sock, int *stopping)
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
	    m->host >= (uint32_t)run_nhosts ||
	    run_hosts[m->host]->action != HOST_RUN)
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
	const struct conf_host	*h = run_hosts[i];
	struct cmd		*c = &cmds[i];
	sigset_t		 all, old;
	int			 p[2];
	pid_t			 pid;

	if (c->pid != 0) {
		log_warnx("host %s: still running (pid %ld): not run again",
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
		cmd_exec(h, &run_users[i], m, p[1]);
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
	c->fd = p[0];
	c->deadline = mono_ms() + (int64_t)h->run.timeout * 1000;
	log_info("host %s: %s started (pid %ld)", h->name, h->run.argv[0],
	    (long)pid);
}

/*
 * The command's process: a session and process group of its own (the
 * time limit ends the group), every signal at its default and none
 * blocked, /dev/null in, our pipe out, no other descriptor, the
 * configured user, and an environment of exactly four variables.  An
 * error goes to the pipe, which the runner logs, and exits 127 as a
 * shell's command not found.
 */
static __dead void
cmd_exec(const struct conf_host *h, const struct runuser *u,
    const struct run_msg *m, int out)
{
	char		 mac[WOL_MAC_STRLEN], e_mac[32], e_host[1024];
	char		 e_iface[32 + RUN_IFNAMSIZ], e_from[32 + WOL_ADDR_STRLEN];
	char		*env[5];
	const char	*what;
	sigset_t	 none;
	int		 sig, null;

	what = "setsid";
	if (setsid() == -1)
		goto fail;
	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
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

	(void)snprintf(e_mac, sizeof(e_mac), "WAKEUPD_MAC=%s",
	    wol_mac_ntoa(m->mac, mac, sizeof(mac)));
	(void)snprintf(e_host, sizeof(e_host), "WAKEUPD_HOST=%s", h->name);
	(void)snprintf(e_iface, sizeof(e_iface), "WAKEUPD_IFACE=%s",
	    m->ifname);
	(void)snprintf(e_from, sizeof(e_from), "WAKEUPD_FROM=%s", m->from);
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

/* Read what the command wrote, and log it line by line. */
static void
cmd_output(const struct conf_host *h, struct cmd *c)
{
	char	 buf[4096];
	ssize_t	 n, i;
	int	 reads;

	/* A bounded number of reads a turn: the other commands' turn. */
	for (reads = 0; reads < 16; reads++) {
		n = read(c->fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			cmd_close(h, c);
			return;
		}
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				if (!c->cut)
					cmd_line(h, c, 0);
				c->len = 0;
				c->cut = 0;
				continue;
			}
			if (c->cut)
				continue;
			if (c->len == RUN_LINEMAX) {
				cmd_line(h, c, 1);
				c->len = 0;
				c->cut = 1;
				continue;
			}
			c->line[c->len++] = buf[i];
		}
	}
}

/*
 * One line of output, its bytes made printable as \xNN (and a
 * backslash as two), up to so many per command.
 */
static void
cmd_line(const struct conf_host *h, struct cmd *c, int cut)
{
	char		 text[RUN_LINEMAX * 4 + 1];
	unsigned char	 ch;
	size_t		 i, o = 0;

	if (c->nlines > RUN_MAXLINES)
		return;
	if (c->nlines++ == RUN_MAXLINES) {
		log_info("host %s: further output not logged", h->name);
		return;
	}
	for (i = 0; i < c->len; i++) {
		ch = c->line[i];
		if (ch == '\\') {
			text[o++] = '\\';
			text[o++] = '\\';
		} else if (isprint(ch))
			text[o++] = ch;
		else
			o += snprintf(text + o, sizeof(text) - o, "\\x%02x",
			    ch);
	}
	text[o] = '\0';
	log_info("host %s: %s%s", h->name, text, cut ? " (cut)" : "");
}

/* The end of the output: what is left of a line, then the pipe. */
static void
cmd_close(const struct conf_host *h, struct cmd *c)
{
	if (c->fd == -1)
		return;
	if (c->len > 0 && !c->cut)
		cmd_line(h, c, 0);
	c->len = 0;
	close(c->fd);
	c->fd = -1;
}

/* SIGTERM to the command's group, and SIGKILL after the grace. */
static void
cmd_term(struct cmd *c, int64_t now)
{
	if (c->term)
		return;
	(void)killpg(c->pid, SIGTERM);
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

	for (i = 0; i < run_nhosts; i++) {
		c = &cmds[i];
		if (c->pid == 0)
			continue;
		if (!c->term && now >= c->deadline) {
			c->timedout = 1;
			cmd_term(c, now);
		}
		if (c->term && now >= c->kill) {
			(void)killpg(c->pid, SIGKILL);
			if (c->reaped) {
				c->pid = 0;
				continue;
			}
		}
		if (c->reaped) {
			/* The group's last process has gone: done. */
			if (killpg(c->pid, 0) == -1 && errno == ESRCH) {
				c->pid = 0;
				continue;
			}
			t = RUN_TICK_MS;
		} else if (!c->term)
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
		for (i = 0; i < run_nhosts; i++)
			if (cmds[i].pid == pid && !cmds[i].reaped)
				break;
		if (i < run_nhosts)
			cmd_reaped(i, status);
	}
}

static void
cmd_reaped(int i, int status)
{
	const struct conf_host	*h = run_hosts[i];
	struct cmd		*c = &cmds[i];
	const char		*path = h->run.argv[0];

	/* What it wrote before it exited is in the pipe: log it first. */
	if (c->fd != -1)
		cmd_output(h, c);
	/* A process it left behind may hold the pipe: not waited for. */
	cmd_close(h, c);
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
	c->reaped = 1;
	if (!c->term)
		c->pid = 0;
}
