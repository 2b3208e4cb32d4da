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

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "runner.h"

/*
 * The run action, the parent's side.  The parent drops its privileges
 * before its first thread starts, and a command it runs (qm start, a
 * VM) needs the ones the daemon had: so the parent forks a helper
 * first, the run process (runproc.c), which keeps them, and sends it
 * one fixed-size request per command to run, never waiting for it.
 */

#define RUN_STOP_WAIT_MS	5000	/* the run process's own bound is 3 s */

static struct run_hosts	 hosts;
static pid_t		 run_pid = -1;
static int		 run_sock = -1;

static int	 host_index(const struct conf_host *);
static void	 secrets_wipe(struct wakeup_conf *);

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
	hosts.conf = c;
	if ((hosts.host = calloc(c->nhosts, sizeof(*hosts.host))) == NULL ||
	    (hosts.user = calloc(c->nhosts, sizeof(*hosts.user))) == NULL)
		err(1, NULL);
	TAILQ_FOREACH(h, &c->hosts, entry) {
		if (i == c->nhosts)
			errx(1, "%s: more hosts than counted", file);
		hosts.host[i] = h;
		if (h->action == HOST_RUN && h->run.user != NULL) {
			errno = 0;
			if ((pw = getpwnam(h->run.user)) == NULL)
				errx(1, "%s: host %s: run as %s: %s", file,
				    h->name, h->run.user, errno != 0 ?
				    strerror(errno) : "no such user");
			hosts.user[i].uid = pw->pw_uid;
			hosts.user[i].gid = pw->pw_gid;
		}
		i++;
	}
	hosts.n = i;
}

/*
 * Fork the runner, if some host runs a command; it keeps the privileges
 * we have now.  Signals are blocked across the fork so that none
 * reaches the runner before it has its own handlers.
 */
void
runner_start(struct wakeup_conf *cf)
{
	struct conf	*c = cf->file;
	sigset_t	 all, old;
	int		 sp[2], i;

	if (c == NULL || c != hosts.conf)
		return;
	for (i = 0; i < hosts.n; i++)
		if (hosts.host[i]->action == HOST_RUN)
			break;
	if (i == hosts.n)
		return;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) == -1)
		fatal("socketpair");
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	switch (run_pid = fork()) {
	case -1:
		fatal("fork");
	case 0:
		close(sp[0]);
		secrets_wipe(cf);
		runproc_main(sp[1], &hosts);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(sp[1]);
	run_sock = sp[0];
	log_debug("run process %ld started", (long)run_pid);
}

/*
 * Ask the runner to run h's command; never wait for it.  from is the
 * sender as wake.c logs it.
 */
void
runner_run(const struct conf_host *h, const struct wake_msg *wm,
    const char *ifname, const char *from)
{
	struct run_msg	 m;
	int		 i, j;

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
	/* The run process takes printable text only: an odd name, as '?'. */
	for (j = 0; m.ifname[j] != '\0'; j++)
		if ((unsigned char)m.ifname[j] < 0x20 ||
		    (unsigned char)m.ifname[j] > 0x7e)
			m.ifname[j] = '?';
	if (strlcpy(m.from, from, sizeof(m.from)) >= sizeof(m.from)) {
		log_warnx("host %s: %s: sender too long: not run", h->name,
		    from);
		return;
	}
	if (send(run_sock, &m, sizeof(m), MSG_DONTWAIT | MSG_NOSIGNAL) == -1) {
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
 * at their time limit; it exits within RUN_STOP_WAIT_MS or less, which
 * we wait, and then kill it: a stop must end.
 */
void
runner_stop(void)
{
	int64_t	 until;
	pid_t	 pid;
	int	 status;

	if (run_sock != -1) {
		close(run_sock);
		run_sock = -1;
	}
	if (run_pid == -1)
		return;
	kill(run_pid, SIGTERM);
	until = mono_ms() + RUN_STOP_WAIT_MS;
	while (((pid = waitpid(run_pid, &status, WNOHANG)) == 0 ||
	    (pid == -1 && errno == EINTR)) && mono_ms() < until)
		(void)poll(NULL, 0, 50);
	if (pid == 0 || (pid == -1 && errno == EINTR)) {
		log_warnx("run process %ld has not ended: killed",
		    (long)run_pid);
		kill(run_pid, SIGKILL);
		while (waitpid(run_pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	run_pid = -1;
}

/*
 * In the runner, which is forked without exec and so has a copy of all
 * we hold: the passwords are the parent's business.
 */
static void
secrets_wipe(struct wakeup_conf *cf)
{
	struct conf_host	*h;

	explicit_bzero(&cf->pw, sizeof(cf->pw));
	explicit_bzero(&cf->file->pw, sizeof(cf->file->pw));
	TAILQ_FOREACH(h, &cf->file->hosts, entry) {
		explicit_bzero(&h->pw, sizeof(h->pw));
		explicit_bzero(&h->relay.pw, sizeof(h->relay.pw));
	}
}

static int
host_index(const struct conf_host *h)
{
	int	 i;

	for (i = 0; i < hosts.n; i++)
		if (hosts.host[i] == h)
			return (i);
	return (-1);
}
