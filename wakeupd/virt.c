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
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "log.h"
#include "wakeupd.h"

/*
 * The privileged side: libvirt connections, the MAC -> domain cache kept
 * current by libvirt's events, and the wake itself.  It never looks at
 * a packet, only at the fixed-size messages of the capture child.  One
 * event loop, libvirt's default implementation, runs it all.
 */

#define BACKOFF_MIN	1	/* seconds before reconnecting */
#define BACKOFF_MAX	30
#define REFUSE_BURST	10	/* refusal lines logged per period */
#define REFUSE_PERIOD	60	/* seconds */
#define KEEPALIVE_IVL	5
#define KEEPALIVE_CNT	3
#define NEVENTS		4	/* see events[] */
#define IFCHECK_MS	5000	/* how often to look for deleted interfaces */

struct virt_conn {
	TAILQ_ENTRY(virt_conn)	 entry;
	const char		*uri;		/* NULL: libvirt's default */
	virConnectPtr		 conn;
	int			 cb[NEVENTS];	/* event callback ids, or -1 */
	int			 timer;		/* reconnect, -1 if none */
	int			 backoff;
};

TAILQ_HEAD(, virt_conn)	 conns = TAILQ_HEAD_INITIALIZER(conns);

static struct wakeup_conf	*conf;
static pid_t			 child_pid;
static int			 sigpipe[2] = { -1, -1 };
static int			 quit;
static int			 exit_status;
static int			 child_sock = -1;
static int			 child_gone;		/* its socket closed */
static int			 known_timer = -1;

static const char *conn_name(struct virt_conn *);
static int	 conn_open(struct virt_conn *);
static void	 conn_close(struct virt_conn *);
static void	 conn_retry(struct virt_conn *, int);
static void	 conn_retry_cb(int, void *);
static void	 conn_closed_cb(virConnectPtr, int, void *);
static int	 conn_build(struct virt_conn *);
static void	 domain_refresh(struct virt_conn *, virDomainPtr);
static int	 lifecycle_cb(virConnectPtr, virDomainPtr, int, int, void *);
static void	 device_cb(virConnectPtr, virDomainPtr, const char *, void *);
static void	 metadata_cb(virConnectPtr, virDomainPtr, int, const char *,
		    void *);
static const char *policy_refusal(const struct cache_ent *,
		    const struct wake_msg *);
static const char *policy_text(const struct policy *, int, int);
static void	 refuse_log(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));
static void	 msg_cb(int, int, int, void *);
static int	 msg_check(const struct wake_msg *);
static void	 wake(const struct wake_msg *);
static int	 wake_act(virDomainPtr, int, const char **);
static void	 signal_cb(int, int, int, void *);
static void	 known_changed(void);
static void	 ifcheck_cb(int, void *);
static void	 known_cb(int, void *);
static void	 child_exited(int);
static void	 child_status(int);
static void	 signal_handler(int);
static void	 quiet_error(void *, virErrorPtr);
static const char *state_name(int);
static const char *sender_text(const struct wake_msg *, char *, size_t);

/*
 * What keeps the cache current without listing: domains defined,
 * undefined, started and stopped, NICs added and removed, and the
 * metadata where the policy lives.
 */
static const struct {
	int				 id;
	virConnectDomainEventGenericCallback cb;
	const char			*what;
} events[NEVENTS] = {
	{ VIR_DOMAIN_EVENT_ID_LIFECYCLE,
	    VIR_DOMAIN_EVENT_CALLBACK(lifecycle_cb), "lifecycle" },
	{ VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
	    VIR_DOMAIN_EVENT_CALLBACK(device_cb), "device-added" },
	{ VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
	    VIR_DOMAIN_EVENT_CALLBACK(device_cb), "device-removed" },
	{ VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
	    VIR_DOMAIN_EVENT_CALLBACK(metadata_cb), "metadata-change" },
};

static const char *
conn_name(struct virt_conn *c)
{
	return (c->uri != NULL ? c->uri : "default URI");
}

/*
 * The cache may have changed: send the child the known addresses once
 * this turn of the loop is over, however many events it held.
 */
static void
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

/* libvirt prints errors itself unless told not to; we log them. */
static void
quiet_error(void *arg __unused, virErrorPtr err __unused)
{
}

static const char *
last_error(void)
{
	const char	*m = virGetLastErrorMessage();

	return (m != NULL ? m : "unknown error");
}

static const char *
state_name(int state)
{
	switch (state) {
	case VIR_DOMAIN_RUNNING:	return ("running");
	case VIR_DOMAIN_BLOCKED:	return ("blocked");
	case VIR_DOMAIN_PAUSED:		return ("paused");
	case VIR_DOMAIN_SHUTDOWN:	return ("shutting down");
	case VIR_DOMAIN_SHUTOFF:	return ("shut off");
	case VIR_DOMAIN_CRASHED:	return ("crashed");
	case VIR_DOMAIN_PMSUSPENDED:	return ("pmsuspended");
	default:			return ("no state");
	}
}

/*
 * Open one connection: keepalive, close callback, events, then the
 * cache from every defined domain.  On failure, retry later.
 */
static int
conn_open(struct virt_conn *c)
{
	int	 i;

	c->conn = virConnectOpen(c->uri);
	if (c->conn == NULL) {
		log_warnx("%s: %s", conn_name(c), last_error());
		return (-1);
	}
	/* Only remote transports have keepalive; local ones say so. */
	if (virConnectSetKeepAlive(c->conn, KEEPALIVE_IVL, KEEPALIVE_CNT) == -1)
		log_debug("%s: keepalive: %s", conn_name(c), last_error());
	if (virConnectRegisterCloseCallback(c->conn, conn_closed_cb, c, NULL)
	    == -1)
		log_debug("%s: close callback: %s", conn_name(c),
		    last_error());
	for (i = 0; i < NEVENTS; i++) {
		c->cb[i] = virConnectDomainEventRegisterAny(c->conn, NULL,
		    events[i].id, events[i].cb, c, NULL);
		if (c->cb[i] == -1)
			log_warnx("%s: no %s events (%s)", conn_name(c),
			    events[i].what, last_error());
	}
	if (conn_build(c) == -1) {
		conn_close(c);
		return (-1);
	}
	/* Also when there is no domain at all: then nothing is known. */
	known_changed();
	c->backoff = BACKOFF_MIN;
	return (0);
}

static void
conn_close(struct virt_conn *c)
{
	int	 i;

	cache_remove_conn(c);
	known_changed();
	if (c->conn == NULL)
		return;
	for (i = 0; i < NEVENTS; i++) {
		if (c->cb[i] != -1)
			virConnectDomainEventDeregisterAny(c->conn, c->cb[i]);
		c->cb[i] = -1;
	}
	virConnectUnregisterCloseCallback(c->conn, conn_closed_cb);
	virConnectClose(c->conn);
	c->conn = NULL;
}

/* Schedule a reconnect in secs seconds (0: on the next loop). */
static void
conn_retry(struct virt_conn *c, int secs)
{
	if (c->timer != -1)
		virEventUpdateTimeout(c->timer, secs * 1000);
	else
		c->timer = virEventAddTimeout(secs * 1000, conn_retry_cb, c,
		    NULL);
	if (c->timer == -1)
		fatalx("%s: cannot add a timer", conn_name(c));
}

static void
conn_retry_cb(int timer __unused, void *arg)
{
	struct virt_conn	*c = arg;

	virEventRemoveTimeout(c->timer);
	c->timer = -1;
	conn_close(c);
	if (conn_open(c) == 0) {
		log_info("%s: connected, %zu NICs known", conn_name(c),
		    cache_count());
		return;
	}
	log_warnx("%s: unreachable, retrying in %d s", conn_name(c),
	    c->backoff);
	conn_retry(c, c->backoff);
	c->backoff = c->backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX :
	    c->backoff * 2;
}

/* libvirtd went away: tear down outside this callback, then reconnect. */
static void
conn_closed_cb(virConnectPtr vc __unused, int reason, void *arg)
{
	struct virt_conn	*c = arg;

	log_warnx("%s: connection closed (%s), reconnecting", conn_name(c),
	    reason == VIR_CONNECT_CLOSE_REASON_KEEPALIVE ? "keepalive" :
	    reason == VIR_CONNECT_CLOSE_REASON_EOF ? "end of file" :
	    "error");
	conn_retry(c, 0);
}

/* Fill the cache with the NICs of every domain, active or not. */
static int
conn_build(struct virt_conn *c)
{
	virDomainPtr	*doms = NULL;
	int		 i, n;

	cache_remove_conn(c);
	n = virConnectListAllDomains(c->conn, &doms, 0);
	if (n == -1) {
		log_warnx("%s: listing domains: %s", conn_name(c),
		    last_error());
		return (-1);
	}
	for (i = 0; i < n; i++) {
		domain_refresh(c, doms[i]);
		virDomainFree(doms[i]);
	}
	free(doms);
	log_debug("%s: %d domains", conn_name(c), n);
	return (0);
}

/*
 * Read a domain's XML again: its policy and NICs from the live XML and,
 * for a running persistent domain, the NICs of the next-boot XML too,
 * so that a NIC in either counts.  Entries still there keep their
 * debounce time; those gone are dropped.
 */
static void
domain_refresh(struct virt_conn *c, virDomainPtr dom)
{
	struct domxml	 d;
	struct policy	 pol;
	unsigned char	 uuid[VIR_UUID_BUFLEN];
	const char	*name;
	char		*xml;
	int		 i, pass, flags;

	if (virDomainGetUUID(dom, uuid) == -1)
		return;
	cache_mark_domain(c, uuid);
	if ((name = virDomainGetName(dom)) == NULL)
		goto sweep;
	memset(&pol, 0, sizeof(pol));
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1 && (virDomainIsActive(dom) != 1 ||
		    virDomainIsPersistent(dom) != 1))
			break;
		flags = pass == 0 ? 0 : VIR_DOMAIN_XML_INACTIVE;
		/* Gone since the event was sent: its entries go. */
		if ((xml = virDomainGetXMLDesc(dom, flags)) == NULL)
			break;
		i = domxml_parse(xml, &d);
		free(xml);
		if (i == -1) {
			log_warnx("%s: domain %s: XML does not parse",
			    conn_name(c), name);
			break;
		}
		if (pass == 0) {
			pol = d.policy;
			if (pol.allow == POLICY_BAD)
				log_warnx("%s: domain %s: wakeupd metadata: %s; "
				    "it will not be woken", conn_name(c), name,
				    pol.why);
		}
		for (i = 0; i < d.nmacs; i++)
			if (cache_add(d.macs[i], c, uuid, name, &pol) == -1)
				fatal("cache_add");
		explicit_bzero(&d, sizeof(d));
	}
	explicit_bzero(&pol, sizeof(pol));
 sweep:
	cache_sweep_domain(c, uuid);
	known_changed();
}

static int
lifecycle_cb(virConnectPtr vc __unused, virDomainPtr dom, int event,
    int detail __unused, void *arg)
{
	struct virt_conn	*c = arg;
	unsigned char		 uuid[VIR_UUID_BUFLEN];

	switch (event) {
	case VIR_DOMAIN_EVENT_UNDEFINED:
		if (virDomainGetUUID(dom, uuid) == 0)
			cache_remove_domain(c, uuid);
		known_changed();
		log_debug("%s: domain %s undefined", conn_name(c),
		    virDomainGetName(dom));
		break;
	case VIR_DOMAIN_EVENT_DEFINED:
	case VIR_DOMAIN_EVENT_STARTED:
	case VIR_DOMAIN_EVENT_STOPPED:
		/* A transient domain that stopped is gone: refresh drops it. */
		domain_refresh(c, dom);
		log_debug("%s: domain %s changed, %zu NICs known",
		    conn_name(c), virDomainGetName(dom), cache_count());
		break;
	}
	return (0);
}

static void
device_cb(virConnectPtr vc __unused, virDomainPtr dom,
    const char *alias __unused, void *arg)
{
	domain_refresh(arg, dom);
}

/* Metadata is where the policy lives: a change takes effect at once. */
static void
metadata_cb(virConnectPtr vc __unused, virDomainPtr dom, int type __unused,
    const char *nsuri __unused, void *arg)
{
	domain_refresh(arg, dom);
	log_debug("domain %s: metadata changed", virDomainGetName(dom));
}

/*
 * Why this domain may not be woken by this packet, or NULL if it may.
 * Passwords are compared in constant time and never logged.
 */
static const char *
policy_refusal(const struct cache_ent *e, const struct wake_msg *m)
{
	const struct wol_pw	*need = NULL;

	switch (e->policy.allow) {
	case POLICY_NO:
		return ("not allowed: opted out");
	case POLICY_BAD:
		return ("not allowed: malformed wakeupd metadata");
	case POLICY_DEFAULT:
		if (conf->optin)
			return ("not allowed: not opted in");
		break;
	}
	if (e->policy.pw.len != 0)
		need = &e->policy.pw;
	else if (conf->pw.len != 0)
		need = &conf->pw;
	if (need == NULL)
		return (NULL);
	if (m->pwlen == 0)
		return ("missing password");
	if (m->pwlen != need->len ||
	    timingsafe_bcmp(m->pw, need->buf, need->len) != 0)
		return ("wrong password");
	return (NULL);
}

/* Refusals are logged, but a flood of them must not fill the log. */
static void
refuse_log(const char *fmt, ...)
{
	static struct timespec	 start;
	static int		 count, suppressed;
	struct timespec		 now;
	va_list			 ap;
	char			 buf[512];

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (start.tv_sec == 0 || now.tv_sec - start.tv_sec >= REFUSE_PERIOD) {
		if (suppressed > 0)
			log_warnx("%d more refusals in %d s not logged",
			    suppressed, REFUSE_PERIOD);
		start = now;
		count = suppressed = 0;
	}
	if (count >= REFUSE_BURST) {
		suppressed++;
		return;
	}
	count++;
	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_warnx("%s", buf);
}

static int
msg_check(const struct wake_msg *m)
{
	const char	*reason;

	if (m->kind != MSG_WAKE || m->ifidx >= (uint32_t)conf->nifs ||
	    (m->pwlen != 0 && m->pwlen != 4 && m->pwlen != 6) ||
	    (m->sender_af != 0 && m->sender_af != AF_INET &&
	    m->sender_af != AF_INET6) ||
	    wol_mac_is_target(m->mac, &reason) == -1)
		return (-1);
	return (0);
}

static void
msg_cb(int watch __unused, int fd, int events, void *arg __unused)
{
	struct wake_msg	 m;
	ssize_t		 n;
	int		 i;

	/* A few messages a turn, so that libvirt's own events get a turn. */
	for (i = 0; i < 64; i++) {
		n = recv(fd, &m, sizeof(m), MSG_DONTWAIT);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR))
			return;
		if (n == -1)
			fatal("capture socket");
		if (n == 0) {
			/*
			 * It has exited, or sent an empty message, which reads
			 * the same: say how it ended once it is reaped.
			 */
			child_gone = 1;
			quit = 1;
			exit_status = 1;
			return;
		}
		if ((size_t)n != sizeof(m) || msg_check(&m) == -1) {
			explicit_bzero(&m, sizeof(m));
			fatalx("malformed message from the capture process");
		}
		wake(&m);
		explicit_bzero(&m, sizeof(m));
	}
	(void)events;
}

static const char *
sender_text(const struct wake_msg *m, char *buf, size_t len)
{
	const char	*s;

	if (m->sender_af == AF_INET || m->sender_af == AF_INET6)
		s = inet_ntop(m->sender_af, m->sender, buf, len);
	else
		s = wol_mac_ntoa(m->sender, buf, len);
	return (s != NULL ? s : "?");
}

/* From the capture timestamp to now: the decision latency. */
static long long
latency_us(const struct wake_msg *m)
{
	struct timespec	 now;

	clock_gettime(CLOCK_REALTIME, &now);
	return ((long long)now.tv_sec * 1000000 + now.tv_nsec / 1000 -
	    (long long)m->ts_us);
}

/* In 64 bits: an int wraps after 24.8 days and would debounce for ever. */
static long long
elapsed_ms(const struct timespec *then, const struct timespec *now)
{
	return ((long long)(now->tv_sec - then->tv_sec) * 1000 +
	    (now->tv_nsec - then->tv_nsec) / 1000000);
}

/*
 * A validated magic packet for m->mac: find the domains with that NIC,
 * debounce, and wake the one domain that can be woken.
 */
static void
wake(const struct wake_msg *m)
{
	struct cache_ent	*e, *target = NULL;
	struct timespec		 now;
	virDomainPtr		 dom, tdom = NULL;
	const char		*ifname, *result = NULL, *why;
	char			 mac[WOL_MAC_STRLEN], from[WOL_ADDR_STRLEN];
	int			 state, reason, nwakeable = 0, nallowed = 0;
	int			 tstate = 0;

	ifname = conf->ifs[m->ifidx].name;
	wol_mac_ntoa(m->mac, mac, sizeof(mac));
	/* Only in a race with an event: the child drops unknown ones. */
	if ((e = cache_first(m->mac)) == NULL) {
		log_debug("no domain has %s (on %s)", mac, ifname);
		return;
	}
	sender_text(m, from, sizeof(from));
	clock_gettime(CLOCK_MONOTONIC, &now);
	for (; e != NULL; e = cache_next(e))
		if ((e->last.tv_sec != 0 || e->last.tv_nsec != 0) &&
		    elapsed_ms(&e->last, &now) < conf->window * 1000LL) {
			log_debug("%s from %s on %s: within %d s of the last "
			    "wake, ignored", mac, from, ifname, conf->window);
			return;
		}

	/* Of the domains with this NIC that allow it, one may be woken. */
	for (e = cache_first(m->mac); e != NULL; e = cache_next(e)) {
		if ((why = policy_refusal(e, m)) != NULL) {
			refuse_log("refuse %s mac %s on %s from %s: %s",
			    e->name, mac, ifname, from, why);
			continue;
		}
		nallowed++;
		if (e->conn->conn == NULL)
			continue;
		dom = virDomainLookupByUUID(e->conn->conn, e->uuid);
		if (dom == NULL)
			continue;
		if (virDomainGetState(dom, &state, &reason, 0) == -1) {
			virDomainFree(dom);
			continue;
		}
		switch (state) {
		case VIR_DOMAIN_SHUTOFF:
		case VIR_DOMAIN_CRASHED:
		case VIR_DOMAIN_PAUSED:
		case VIR_DOMAIN_PMSUSPENDED:
			nwakeable++;
			if (tdom != NULL)
				virDomainFree(tdom);
			tdom = dom;
			target = e;
			tstate = state;
			break;
		default:
			if (target == NULL)
				target = e, tstate = state;
			virDomainFree(dom);
			break;
		}
	}
	if (nallowed == 0)
		return;
	if (target == NULL) {
		log_warnx("%s from %s on %s: its domains are gone or their "
		    "libvirtd unreachable", mac, from, ifname);
		return;
	}
	/*
	 * Only a packet that reached a domain opens the window: refused
	 * ones, or ones while libvirtd is away, hold back none that follow.
	 */
	for (e = cache_first(m->mac); e != NULL; e = cache_next(e))
		e->last = now;
	if (nwakeable > 1) {
		refuse_log("refuse %s mac %s on %s from %s: ambiguous: %d "
		    "domains with this MAC can be woken", target->name, mac,
		    ifname, from, nwakeable);
		virDomainFree(tdom);
		return;
	}
	if (nwakeable == 0) {
		log_info("wake %s mac %s on %s from %s: none: %s",
		    target->name, mac, ifname, from, state_name(tstate));
		return;
	}
	if (log_getverbose())
		log_debug("%s: %lld us from capture to the libvirt call", mac,
		    latency_us(m));
	if (wake_act(tdom, tstate, &result) == 0)
		log_info("wake %s mac %s on %s from %s: %s: ok", target->name,
		    mac, ifname, from, result);
	else
		log_warnx("wake %s mac %s on %s from %s: %s: failed: %s",
		    target->name, mac, ifname, from, result, last_error());
	virDomainFree(tdom);
}

/* Shut off or crashed: start (restoring a managed save); and so on. */
static int
wake_act(virDomainPtr dom, int state, const char **action)
{
	switch (state) {
	case VIR_DOMAIN_PAUSED:
		*action = "resume";
		return (virDomainResume(dom));
	case VIR_DOMAIN_PMSUSPENDED:
		*action = "pmwakeup";
		return (virDomainPMWakeup(dom, 0));
	default:
		*action = "start";
		return (virDomainCreate(dom));
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
			log_info("exiting on signal %d", sigs[i]);
			quit = 1;
			break;
		case SIGCHLD:
			chld = 1;
			break;
		}
	}
	if (chld && !quit)
		child_exited(WNOHANG);
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
virt_main(struct wakeup_conf *cf, int sock, pid_t child)
{
	struct virt_conn	*c;
	struct sigaction	 sa;
	int			 i, j, status;

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
	    sigaction(SIGCHLD, &sa, NULL) == -1)
		fatal("sigaction");

	virSetErrorFunc(NULL, quiet_error);
	if (virEventRegisterDefaultImpl() == -1)
		fatalx("libvirt event loop: %s", last_error());
	if (virEventAddHandle(sigpipe[0], VIR_EVENT_HANDLE_READABLE,
	    signal_cb, NULL, NULL) == -1 ||
	    virEventAddHandle(sock, VIR_EVENT_HANDLE_READABLE, msg_cb, NULL,
	    NULL) == -1)
		fatalx("libvirt event loop: cannot watch descriptors");

	if (virEventAddTimeout(IFCHECK_MS, ifcheck_cb, NULL, NULL) == -1)
		fatalx("cannot add a timer");
	cache_init();
	for (i = 0; i < (conf->nuris > 0 ? conf->nuris : 1); i++) {
		if ((c = calloc(1, sizeof(*c))) == NULL)
			fatal("calloc");
		c->uri = conf->nuris > 0 ? conf->uris[i] : NULL;
		c->timer = -1;
		for (j = 0; j < NEVENTS; j++)
			c->cb[j] = -1;
		c->backoff = BACKOFF_MIN;
		TAILQ_INSERT_TAIL(&conns, c, entry);
		if (conn_open(c) == -1) {
			log_warnx("%s: unreachable, retrying in %d s",
			    conn_name(c), c->backoff);
			conn_retry(c, c->backoff);
			c->backoff *= 2;
		}
	}
	log_info("ready: %d interface%s, %d URI%s, %zu NICs known",
	    conf->nifs, conf->nifs == 1 ? "" : "s",
	    conf->nuris > 0 ? conf->nuris : 1,
	    conf->nuris > 1 ? "s" : "", cache_count());

	while (!quit)
		if (virEventRunDefaultImpl() == -1)
			fatalx("libvirt event loop: %s", last_error());

	TAILQ_FOREACH(c, &conns, entry)
		conn_close(c);
	if (child_pid != -1) {
		/* The closed socket ends it even where SIGTERM is ignored. */
		close(child_sock);
		kill(child_pid, SIGTERM);
		if (waitpid(child_pid, &status, 0) == child_pid && child_gone)
			child_status(status);
	}
	exit(exit_status);
}

/* What -n says of a domain's policy under the global options. */
static const char *
policy_text(const struct policy *p, int optin, int globalpw)
{
	switch (p->allow) {
	case POLICY_NO:
		return ("not woken: opted out");
	case POLICY_BAD:
		return ("not woken: malformed wakeupd metadata");
	case POLICY_DEFAULT:
		if (optin)
			return ("not woken: not opted in");
		break;
	}
	if (p->pw.len != 0)
		return (p->pw.len == 4 ? "woken with its 4-byte password" :
		    "woken with its 6-byte password");
	if (globalpw)
		return ("woken with the global password");
	return ("woken by any magic packet");
}

/*
 * wakeupd -n: can every URI be reached, and what would be woken and how?
 */
int
virt_check(struct wakeup_conf *cf)
{
	virConnectPtr	 vc;
	virDomainPtr	*doms;
	struct domxml	 d;
	const char	*uri;
	char		*xml, *name, mac[WOL_MAC_STRLEN];
	int		 i, j, k, n, state, reason, bad = 0;

	virSetErrorFunc(NULL, quiet_error);
	printf("mode: %s\n", cf->optin ? "opt-in: only domains with "
	    "allow=\"yes\"" : "every domain but those with allow=\"no\"");
	printf("global password: %s\n", cf->pw.len == 0 ? "none" :
	    cf->pw.len == 4 ? "4 bytes" : "6 bytes");
	if (cf->filter != NULL)
		printf("senders: %s\n", cf->filter);
	for (i = 0; i < (cf->nuris > 0 ? cf->nuris : 1); i++) {
		uri = cf->nuris > 0 ? cf->uris[i] : NULL;
		if ((vc = virConnectOpenReadOnly(uri)) == NULL) {
			fprintf(stderr, "wakeupd: %s: %s\n",
			    uri != NULL ? uri : "default URI", last_error());
			bad = 1;
			continue;
		}
		name = virConnectGetURI(vc);
		printf("%s:\n", name != NULL ? name : "?");
		free(name);
		if ((n = virConnectListAllDomains(vc, &doms, 0)) == -1) {
			fprintf(stderr, "wakeupd: %s: %s\n",
			    uri != NULL ? uri : "default URI", last_error());
			bad = 1;
		}
		for (j = 0; j < n; j++) {
			if (virDomainGetState(doms[j], &state, &reason, 0) == -1)
				state = VIR_DOMAIN_NOSTATE;
			printf("\t%s (%s):", virDomainGetName(doms[j]),
			    state_name(state));
			if ((xml = virDomainGetXMLDesc(doms[j], 0)) == NULL ||
			    domxml_parse(xml, &d) == -1) {
				printf(" XML unreadable, not woken\n");
				free(xml);
				virDomainFree(doms[j]);
				continue;
			}
			free(xml);
			for (k = 0; k < d.nmacs; k++)
				printf(" %s", wol_mac_ntoa(d.macs[k], mac,
				    sizeof(mac)));
			if (d.nmacs == 0)
				printf(" no NIC, not woken\n");
			else if (d.policy.allow == POLICY_BAD)
				printf(": not woken: malformed wakeupd "
				    "metadata: %s\n", d.policy.why);
			else
				printf(": %s\n", policy_text(&d.policy,
				    cf->optin, cf->pw.len != 0));
			explicit_bzero(&d, sizeof(d));
			virDomainFree(doms[j]);
		}
		if (n >= 0)
			free(doms);
		virConnectClose(vc);
	}
	return (bad ? -1 : 0);
}
