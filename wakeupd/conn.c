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

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "log.h"
#include "wakeupd.h"
#include "conn.h"

/*
 * The libvirt connections, the main thread's side; worker.c is the
 * threads'.  Every blocking libvirt call runs off the main thread:
 * each connection has a worker thread that opens it,
 * registers for events and reads domains, one job at a time; each
 * action runs in a thread of its own.  The main thread runs libvirt's
 * event loop, so the event callbacks below run there; so does
 * conn_results(), which applies what the threads found to the cache.
 * The cache and the connection's state belong to the main thread; the
 * threads only post results.  A hung connection holds up its own worker
 * and nothing else.
 *
 *	main thread			worker (one per connection)
 *	event: lifecycle etc.	--job-->	read the domain
 *	timer: resync, reconnect --job-->	list and read every domain
 *	conn_results()		<--result--	what it read, or what failed
 *	conn_act()		--thread-->	start/resume/pmwakeup
 */

#define BACKOFF_MIN	1	/* seconds before reconnecting */
#define BACKOFF_MAX	30
#define HUNG_MS		10000	/* a job this long: "not answering" */
#define MAXACTS		32	/* actions in progress at once */
#define MAXACTS_CONN	8	/* of them on one connection */
#define READY_MS	10000	/* "ready" without a slow connection */

static TAILQ_HEAD(, virt_conn)	 conns = TAILQ_HEAD_INITIALIZER(conns);
pthread_mutex_t			 resmtx = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t			 rescv = PTHREAD_COND_INITIALIZER;
struct resultq			 results = TAILQ_HEAD_INITIALIZER(results);
int				 respipe[2] = { -1, -1 };
int				 nacts;		/* under resmtx */
int				 nworkers;	/* under resmtx */
static uint64_t			 evseq;		/* main thread */
static struct wakeup_conf	*conf;
static int			 ready;

static void	 ready_cb(int, void *);
static void	 ready_check(struct virt_conn *, int);

static void	 job_add(struct virt_conn *, int, virDomainPtr, uint64_t,
		    int);
static void	 apply(struct result *);
static void	 apply_dom(struct virt_conn *, struct result *);
static void	 conn_down(struct virt_conn *, const char *);
static void	 conn_retry(struct virt_conn *);
static void	 conn_retry_cb(int, void *);
static void	 results_cb(int, int, int, void *);
static int	 lifecycle_cb(virConnectPtr, virDomainPtr, int, int, void *);
static void	 device_cb(virConnectPtr, virDomainPtr, const char *, void *);
static void	 metadata_cb(virConnectPtr, virDomainPtr, int, const char *,
		    void *);
static void	 event_seen(struct virt_conn *, virDomainPtr);
static void	 policy_changed(struct virt_conn *, virDomainPtr);
static void	 event_state(struct vdom *, int, int);

/*
 * What keeps the cache current between listings: domains defined,
 * undefined, started and stopped, NICs added and removed, and the
 * metadata where the policy lives.  Changes made with --config only
 * raise no event: the periodic listing (conn_resync) sees them.
 */
/*
 * libvirt takes every event's callback as one generic type.  Its own
 * VIR_DOMAIN_EVENT_CALLBACK casts directly, which clang 19 warns of
 * (-Wcast-function-type-mismatch, in -Wextra); by way of void (*)(void),
 * the type that stands for any function, gcc and clang take the cast.
 */
#define EVENT_CB(cb) \
	((virConnectDomainEventGenericCallback)(void (*)(void))(cb))

const struct event_reg events[NEVENTS] = {
	{ VIR_DOMAIN_EVENT_ID_LIFECYCLE,
	    EVENT_CB(lifecycle_cb), "lifecycle" },
	{ VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
	    EVENT_CB(device_cb), "device-added" },
	{ VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
	    EVENT_CB(device_cb), "device-removed" },
	{ VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
	    EVENT_CB(metadata_cb), "metadata-change" },
};

const char *
conn_uri(const struct virt_conn *c)
{
	return (c->uri != NULL ? c->uri : "default URI");
}

const char *
last_error(void)
{
	const char	*m = virGetLastErrorMessage();

	return (m != NULL ? m : "unknown error");
}

/* -------------------------------------------------------------------
 * The main thread's side.
 */

void
conn_init(struct wakeup_conf *cf)
{
	struct virt_conn	*c;
	int			 i, j;

	conf = cf;
	if (pipe(respipe) == -1)
		fatal("pipe");
	for (i = 0; i < 2; i++)
		if (fcntl(respipe[i], F_SETFL, O_NONBLOCK) == -1 ||
		    fcntl(respipe[i], F_SETFD, FD_CLOEXEC) == -1)
			fatal("fcntl");
	if (virEventAddHandle(respipe[0], VIR_EVENT_HANDLE_READABLE,
	    results_cb, NULL, NULL) == -1)
		fatalx("libvirt event loop: cannot watch descriptors");
	if (virEventAddTimeout(READY_MS, ready_cb, NULL, NULL) == -1)
		fatalx("cannot add a timer");

	for (i = 0; i < conf_nconns(conf); i++) {
		if ((c = calloc(1, sizeof(*c))) == NULL)
			fatal("calloc");
		c->uri = conf->nuris > 0 ? conf->uris[i] : NULL;
		c->timer = -1;
		c->backoff = BACKOFF_MIN;
		for (j = 0; j < NEVENTS; j++)
			c->cb[j] = -1;
		TAILQ_INIT(&c->jobs);
		if (pthread_mutex_init(&c->mtx, NULL) != 0 ||
		    pthread_cond_init(&c->cv, NULL) != 0)
			fatalx("pthread_mutex_init");
		TAILQ_INSERT_TAIL(&conns, c, entry);
		job_add(c, J_OPEN, NULL, evseq, 0);
		if ((errno = pthread_create(&c->thread, NULL, worker, c)) != 0)
			fatal("pthread_create");
		pthread_mutex_lock(&resmtx);
		nworkers++;
		pthread_mutex_unlock(&resmtx);
	}
	/* Hosts of the configuration file only: nothing to wait for. */
	if (conf_nconns(conf) == 0)
		ready_check(NULL, 0);
}

/*
 * "ready" once every connection has been tried (the tests wait for it),
 * or after READY_MS when one is slow: the others are served meanwhile.
 */
static void
ready_check(struct virt_conn *c, int force)
{
	struct virt_conn	*o;
	const char		*slow = NULL;

	if (c != NULL)
		c->tried = 1;
	if (ready)
		return;
	TAILQ_FOREACH(o, &conns, entry)
		if (!o->tried && slow == NULL)
			slow = conn_uri(o);
	if (slow != NULL && !force)
		return;
	ready = 1;
	/* What the capture process passes on, before anything is said. */
	known_flush();
	log_info("ready: %d interface%s, %d URI%s, %zu NICs known, %zu "
	    "host%s%s%s", conf->nifs, conf->nifs == 1 ? "" : "s",
	    conf_nconns(conf), conf_nconns(conf) == 1 ? "" : "s",
	    cache_count(), wake_host_macs(NULL),
	    wake_host_macs(NULL) == 1 ? "" : "s",
	    slow != NULL ? "; still connecting to " : "",
	    slow != NULL ? slow : "");
}

static void
ready_cb(int timer, void *arg __unused)
{
	virEventRemoveTimeout(timer);
	ready_check(NULL, 1);
}

/*
 * The connection as the decision sees it: up, down (its domains are
 * known from before), or up but not answering (a job runs too long).
 */
int
conn_status(struct virt_conn *c, int64_t now)
{
	int64_t	 busy;

	if (!c->up)
		return (CONN_DOWN);
	pthread_mutex_lock(&c->mtx);
	busy = c->busy_since;
	pthread_mutex_unlock(&c->mtx);
	if (busy != 0 && now - busy >= HUNG_MS)
		return (CONN_HUNG);
	return (CONN_UP);
}

static void
job_add(struct virt_conn *c, int kind, virDomainPtr dom, uint64_t seq,
    int first)
{
	unsigned char	 a[VIR_UUID_BUFLEN], b[VIR_UUID_BUFLEN];
	struct job	*j, *o = NULL;

	/*
	 * A read of a domain already asked for and not begun serves this
	 * event too: a host starting hundreds of domains queues one read
	 * each, not one per event.
	 */
	if (kind == J_REFRESH && virDomainGetUUID(dom, a) == 0) {
		pthread_mutex_lock(&c->mtx);
		TAILQ_FOREACH(j, &c->jobs, entry)
			if (j->kind == J_REFRESH &&
			    virDomainGetUUID(j->dom, b) == 0 &&
			    memcmp(a, b, sizeof(a)) == 0) {
				if (seq > j->seq)
					j->seq = seq;
				break;
			}
		pthread_mutex_unlock(&c->mtx);
		if (j != NULL) {
			virDomainFree(dom);
			return;
		}
	}
	if ((j = calloc(1, sizeof(*j))) == NULL)
		fatal("calloc");
	j->kind = kind;
	j->dom = dom;
	j->seq = seq;
	pthread_mutex_lock(&c->mtx);
	/* A read for an event goes before a listing not yet begun. */
	if (kind == J_REFRESH && !first)
		TAILQ_FOREACH(o, &c->jobs, entry)
			if (o->kind == J_RESYNC)
				break;
	if (first)
		TAILQ_INSERT_HEAD(&c->jobs, j, entry);
	else if (o != NULL)
		TAILQ_INSERT_BEFORE(o, j, entry);
	else
		TAILQ_INSERT_TAIL(&c->jobs, j, entry);
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mtx);
}

/* Read this domain again, e.g. after an action failed on stale facts. */
static void
conn_refresh(struct vdom *d)
{
	if (d->dom == NULL || virDomainRef(d->dom) == -1)
		return;
	job_add(d->conn, J_REFRESH, d->dom, evseq, 0);
}

/* Every minute or so: what no event reports (--config changes). */
void
conn_resync(void)
{
	struct virt_conn	*c;

	TAILQ_FOREACH(c, &conns, entry)
		if (c->up && !c->resync) {
			c->resync = 1;
			job_add(c, J_RESYNC, NULL, evseq, 0);
		}
}

/*
 * Act on a domain, in a thread of its own: a restore from a managed
 * save may take minutes and holds nothing else up.  The one libvirt
 * call between the packet and the action.
 */
const char *
conn_act(struct vdom *d, int action, const char *prefix)
{
	struct act	*a;
	pthread_t	 t;
	pthread_attr_t	 attr;
	int		 busy;

	if (d->dom == NULL)
		return ("its connection is being read again");
	pthread_mutex_lock(&resmtx);
	busy = nacts >= MAXACTS || d->conn->nacts >= MAXACTS_CONN;
	if (!busy) {
		nacts++;
		d->conn->nacts++;
	}
	pthread_mutex_unlock(&resmtx);
	if (busy)
		return ("too many actions under way");
	if ((a = calloc(1, sizeof(*a))) == NULL)
		fatal("calloc");
	a->dom = d->dom;
	a->c = d->conn;
	a->gen = d->conn->gen;
	a->action = action;
	(void)strlcpy(a->prefix, prefix, sizeof(a->prefix));
	if (virDomainRef(a->dom) == -1)
		goto fail;
	if (pthread_attr_init(&attr) != 0)
		goto fail_ref;
	(void)pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	errno = pthread_create(&t, &attr, act_thread, a);
	pthread_attr_destroy(&attr);
	if (errno != 0)
		goto fail_ref;
	/* Until its result: a copy being woken, for the decision. */
	d->acting++;
	return (NULL);
 fail_ref:
	virDomainFree(a->dom);
 fail:
	free(a);
	pthread_mutex_lock(&resmtx);
	nacts--;
	d->conn->nacts--;
	pthread_mutex_unlock(&resmtx);
	return ("cannot start a thread");
}

void
conn_dom_release(void *dom)
{
	if (dom != NULL)
		virDomainFree(dom);
}

static void
results_cb(int watch __unused, int fd, int events __unused,
    void *arg __unused)
{
	char	 buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	conn_results();
}

/* Apply, in order, what the threads posted. */
void
conn_results(void)
{
	TAILQ_HEAD(, result)	 todo = TAILQ_HEAD_INITIALIZER(todo);
	struct result		*r;

	pthread_mutex_lock(&resmtx);
	TAILQ_CONCAT(&todo, &results, entry);
	pthread_mutex_unlock(&resmtx);
	while ((r = TAILQ_FIRST(&todo)) != NULL) {
		TAILQ_REMOVE(&todo, r, entry);
		apply(r);
		if (r->rec != NULL) {
			conn_dom_release(r->rec->dom);
			explicit_bzero(r->rec, sizeof(*r->rec));
			free(r->rec);
		}
		free(r);
	}
}

static void
apply(struct result *r)
{
	struct virt_conn	*c = r->c;
	struct vdom		*d;

	switch (r->kind) {
	case R_BEGIN:
		if (r->full) {
			/* A new connection: the old one's handles are dead. */
			cache_release_conn(c);
			c->gen = r->gen;
		}
		if (r->gen == c->gen)
			cache_mark_conn(c);
		break;
	case R_DOM:
		if (r->gen == c->gen)
			apply_dom(c, r);
		break;
	case R_GONE:
		if (r->gen != c->gen)
			break;
		if ((d = cache_find(c, r->uuid)) != NULL &&
		    d->last_ev <= r->seq) {
			log_debug("%s: domain %s is gone", conn_uri(c),
			    d->name);
			cache_remove(c, r->uuid);
			known_changed();
		}
		break;
	case R_END:
		if (!r->full)
			c->resync = 0;
		if (r->gen != c->gen || r->failed)
			break;
		cache_sweep_conn(c);
		known_changed();
		break;
	case R_CLOSED:
		if (r->gen > c->closed_gen)
			c->closed_gen = r->gen;
		if (r->gen == c->gen)
			conn_down(c, r->ok ? "not answering (keepalive)" :
			    "connection closed");
		break;
	case R_OPENED:
		/* Closed again while it was being read: the retry reads it. */
		if (r->gen != c->gen || r->gen <= c->closed_gen)
			break;
		c->up = 1;
		c->resync = 0;
		c->backoff = BACKOFF_MIN;
		log_info("%s: connected, %zu NICs known", conn_uri(c),
		    cache_count_conn(c));
		ready_check(c, 0);
		break;
	case R_OPENFAIL:
		log_warnx("%s: %s; unreachable, retrying in %d s", conn_uri(c),
		    r->err, c->backoff);
		conn_retry(c);
		ready_check(c, 0);
		break;
	case R_ACTED:
		if (r->gen == c->gen && (d = cache_find(c, r->uuid)) != NULL &&
		    d->acting > 0)
			d->acting--;
		if (r->ok)
			log_info("%s: %s: ok", r->text, action_name(r->action));
		else {
			log_warnx("%s: %s: failed: %s", r->text,
			    action_name(r->action), r->err);
			/* Perhaps the cache was behind: read it again. */
			if (r->gen == c->gen &&
			    (d = cache_find(c, r->uuid)) != NULL)
				conn_refresh(d);
		}
		break;
	}
}

/*
 * A domain as read.  When an event came after the read was asked for,
 * the event's state is the newer and stays (a read for that event is
 * queued behind this one); the rest is taken.
 */
static void
apply_dom(struct virt_conn *c, struct result *r)
{
	struct vdom	*d;
	int		 state = 0, reason = 0, active = 0, keep = 0;
	int		 wasbad = 0;

	if ((d = cache_find(c, r->rec->uuid)) != NULL) {
		keep = d->last_ev > r->seq;
		state = d->state;
		reason = d->reason;
		active = d->active;
		wasbad = d->live.allow == POLICY_BAD ||
		    d->config.allow == POLICY_BAD;
	}
	if ((d = cache_put(c, r->rec)) == NULL)
		fatal("cache");
	if (keep) {
		d->state = state;
		d->reason = reason;
		d->active = active;
	} else
		d->pending = 0;
	if (!wasbad && (d->live.allow == POLICY_BAD ||
	    d->config.allow == POLICY_BAD))
		log_warnx("%s: domain %s: wakeupd metadata: %s; it will not "
		    "be woken", conn_uri(c), d->name,
		    d->config.allow == POLICY_BAD ? d->config.why :
		    d->live.why);
	known_changed();
}

/* Down: keep its domains (they may run), forget its handles, retry. */
static void
conn_down(struct virt_conn *c, const char *why)
{
	if (c->up)
		log_warnx("%s: %s; its domains stay known until it is back",
		    conn_uri(c), why);
	c->up = 0;
	job_add(c, J_CLOSE, NULL, 0, 0);
	conn_retry(c);
}

static void
conn_retry(struct virt_conn *c)
{
	if (c->timer == -1)
		c->timer = virEventAddTimeout(c->backoff * 1000,
		    conn_retry_cb, c, NULL);
	if (c->timer == -1)
		fatalx("%s: cannot add a timer", conn_uri(c));
	c->backoff = c->backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX :
	    c->backoff * 2;
}

static void
conn_retry_cb(int timer __unused, void *arg)
{
	struct virt_conn	*c = arg;

	virEventRemoveTimeout(c->timer);
	c->timer = -1;
	job_add(c, J_OPEN, NULL, evseq, 0);
}

/* An event for a domain: note it, and have the worker read it anew. */
static void
event_seen(struct virt_conn *c, virDomainPtr dom)
{
	unsigned char	 uuid[VIR_UUID_BUFLEN];
	struct vdom	*d;

	evseq++;
	if (virDomainGetUUID(dom, uuid) == 0 &&
	    (d = cache_find(c, uuid)) != NULL)
		d->last_ev = evseq;
	if (virDomainRef(dom) == 0)
		job_add(c, J_REFRESH, dom, evseq, 0);
}

/*
 * What a lifecycle event says of the state, at once, before the read:
 * only what it says for sure.  A pause says nothing of who paused (a
 * save job's pause reads like a user's), so its reason is unknown until
 * the read tells: no resume before that.
 */
static void
event_state(struct vdom *d, int event, int detail)
{
	switch (event) {
	case VIR_DOMAIN_EVENT_STARTED:
	case VIR_DOMAIN_EVENT_RESUMED:
		d->state = VIR_DOMAIN_RUNNING;
		d->reason = 0;
		d->active = 1;
		break;
	case VIR_DOMAIN_EVENT_SUSPENDED:
		d->state = VIR_DOMAIN_PAUSED;
		d->reason = VIR_DOMAIN_PAUSED_UNKNOWN;
		d->active = 1;
		break;
	case VIR_DOMAIN_EVENT_STOPPED:
		d->state = VIR_DOMAIN_SHUTOFF;
		d->reason = 0;
		d->active = 0;
		break;
	case VIR_DOMAIN_EVENT_SHUTDOWN:
		d->state = VIR_DOMAIN_SHUTDOWN;
		d->reason = 0;
		break;
	case VIR_DOMAIN_EVENT_PMSUSPENDED:
		d->state = VIR_DOMAIN_PMSUSPENDED;
		d->reason = 0;
		break;
	case VIR_DOMAIN_EVENT_CRASHED:
		d->state = VIR_DOMAIN_CRASHED;
		d->reason = detail == VIR_DOMAIN_EVENT_CRASHED_PANICKED ?
		    VIR_DOMAIN_CRASHED_PANICKED : 0;
		break;
	}
}

static int
lifecycle_cb(virConnectPtr vc __unused, virDomainPtr dom, int event,
    int detail, void *arg)
{
	struct virt_conn	*c = arg;
	unsigned char		 uuid[VIR_UUID_BUFLEN];
	struct domrec		*r;
	struct vdom		*d;

	if (virDomainGetUUID(dom, uuid) == -1)
		return (0);
	/*
	 * A domain not read yet that becomes active (started here, or
	 * migrated in) is a copy that runs: known at once by its UUID,
	 * with no NIC until the read, so that no copy elsewhere starts.
	 */
	if ((d = cache_find(c, uuid)) == NULL &&
	    event != VIR_DOMAIN_EVENT_STOPPED &&
	    event != VIR_DOMAIN_EVENT_UNDEFINED &&
	    event != VIR_DOMAIN_EVENT_DEFINED) {
		if ((r = calloc(1, sizeof(*r))) == NULL)
			fatal("calloc");
		memcpy(r->uuid, uuid, sizeof(r->uuid));
		(void)strlcpy(r->name, virDomainGetName(dom) != NULL ?
		    virDomainGetName(dom) : "?", sizeof(r->name));
		r->state = VIR_DOMAIN_RUNNING;
		r->active = 1;
		if ((d = cache_put(c, r)) == NULL)
			fatal("cache");
		free(r);
	}
	if (d != NULL)
		event_state(d, event, detail);
	/* A new definition may bring a new policy. */
	if (event == VIR_DOMAIN_EVENT_DEFINED)
		policy_changed(c, dom);
	log_debug("%s: domain %s: lifecycle event %d/%d", conn_uri(c),
	    virDomainGetName(dom), event, detail);
	event_seen(c, dom);
	return (0);
}

static void
device_cb(virConnectPtr vc __unused, virDomainPtr dom,
    const char *alias __unused, void *arg)
{
	event_seen(arg, dom);
}

/*
 * Metadata is where the policy lives: a change takes effect at once.
 * Until the read, no packet wakes the domain under its old policy.
 */
static void
metadata_cb(virConnectPtr vc __unused, virDomainPtr dom, int type __unused,
    const char *nsuri __unused, void *arg)
{
	log_debug("domain %s: metadata changed", virDomainGetName(dom));
	policy_changed(arg, dom);
	event_seen(arg, dom);
}

static void
policy_changed(struct virt_conn *c, virDomainPtr dom)
{
	unsigned char	 uuid[VIR_UUID_BUFLEN];
	struct vdom	*d;

	if (virDomainGetUUID(dom, uuid) == 0 &&
	    (d = cache_find(c, uuid)) != NULL)
		d->pending = 1;
}

/*
 * Ask every worker to close its connection and end, and wait for them
 * and the actions in progress at most ms milliseconds.  Returns 0 when
 * all have ended; -1 when one is stuck in a call that does not return
 * (a host that does not answer), which the caller leaves behind.
 */
int
conn_shutdown(int ms)
{
	struct virt_conn	*c;
	struct timespec		 until;
	int			 rc = 0;

	TAILQ_FOREACH(c, &conns, entry)
		job_add(c, J_QUIT, NULL, 0, 1);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&resmtx);
	while ((nworkers > 0 || nacts > 0) && rc == 0)
		if (pthread_cond_timedwait(&rescv, &resmtx, &until) ==
		    ETIMEDOUT)
			rc = -1;
	pthread_mutex_unlock(&resmtx);
	if (rc == 0) {
		TAILQ_FOREACH(c, &conns, entry)
			pthread_join(c->thread, NULL);
		conn_results();		/* free what is left */
		cache_clear();
	}
	return (rc);
}
