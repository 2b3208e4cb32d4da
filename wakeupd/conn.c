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

/*
 * The libvirt connections.  Every blocking libvirt call runs off the
 * main thread: each connection has a worker thread that opens it,
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
#define KEEPALIVE_IVL	5
#define KEEPALIVE_CNT	3
#define HUNG_MS		10000	/* a job this long: "not answering" */
#define MAXACTS		32	/* actions in progress at once */
#define MAXACTS_CONN	8	/* of them on one connection */
#define NEVENTS		4	/* see events[] */
#define READY_MS	10000	/* "ready" without a slow connection */

#define J_OPEN		1
#define J_REFRESH	2
#define J_RESYNC	3
#define J_CLOSE		4
#define J_QUIT		5

struct job {
	TAILQ_ENTRY(job)	 entry;
	int			 kind;
	virDomainPtr		 dom;		/* J_REFRESH */
	uint64_t		 seq;		/* event sequence when asked */
};

#define R_BEGIN		1	/* a listing starts */
#define R_DOM		2
#define R_GONE		3
#define R_END		4	/* the listing is complete */
#define R_OPENED	5
#define R_OPENFAIL	6
#define R_ACTED		7
#define R_CLOSED	8	/* from the close callback, any thread */

struct result {
	TAILQ_ENTRY(result)	 entry;
	int			 kind;
	struct virt_conn	*c;
	uint64_t		 gen;		/* the connection it came from */
	uint64_t		 seq;
	int			 full;		/* R_BEGIN/R_END: after an open */
	int			 ok;		/* R_ACTED */
	int			 failed;	/* R_END: the listing failed */
	int			 action;
	unsigned char		 uuid[16];
	struct domrec		*rec;		/* R_DOM */
	char			 text[512];	/* error, or R_ACTED's prefix */
	char			 err[256];
};

/*
 * What the close callback knows: which connection, which opening.  Set
 * before the callback is registered; libvirt calls it no more once it
 * is unregistered, so one per connection serves every opening.
 */
struct closeref {
	struct virt_conn	*c;
	uint64_t		 gen;
};

struct virt_conn {
	TAILQ_ENTRY(virt_conn)	 entry;
	const char		*uri;		/* NULL: libvirt's default */

	/* Main thread only. */
	int			 up;		/* connected and read */
	int			 timer;		/* reconnect, -1 if none */
	int			 backoff;
	uint64_t		 gen;		/* what the cache holds */
	int			 resync;	/* one is queued */
	uint64_t		 closed_gen;	/* the last connection closed */
	int			 nacts;		/* actions running, under resmtx */
	int			 tried;		/* the first open has ended */

	/* Shared, under mtx. */
	pthread_mutex_t		 mtx;
	pthread_cond_t		 cv;
	TAILQ_HEAD(, job)	 jobs;
	int64_t			 busy_since;	/* ms; 0 when idle */

	/* The worker only. */
	pthread_t		 thread;
	virConnectPtr		 vc;
	uint64_t		 wgen;
	int			 cb[NEVENTS];
	struct closeref		 cref;
};

struct act {
	virDomainPtr		 dom;
	struct virt_conn	*c;
	uint64_t		 gen;
	int			 action;
	char			 prefix[512];
};

static TAILQ_HEAD(, virt_conn)	 conns = TAILQ_HEAD_INITIALIZER(conns);
static pthread_mutex_t		 resmtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t		 rescv = PTHREAD_COND_INITIALIZER;
static TAILQ_HEAD(, result)	 results = TAILQ_HEAD_INITIALIZER(results);
static int			 respipe[2] = { -1, -1 };
static int			 nacts;		/* under resmtx */
static int			 nworkers;	/* under resmtx */
static uint64_t			 evseq;		/* main thread */
static struct wakeup_conf	*conf;
static int			 ready;

static void	 ready_cb(int, void *);
static void	 ready_check(struct virt_conn *, int);

static void	*worker(void *);
static void	*act_thread(void *);
static void	 job_add(struct virt_conn *, int, virDomainPtr, uint64_t,
		    int);
static void	 post(struct result *);
static struct result *result_new(int, struct virt_conn *, uint64_t);
static void	 w_open(struct virt_conn *, uint64_t);
static void	 w_close(struct virt_conn *);
static int	 w_list(struct virt_conn *, int, uint64_t);
static int	 w_read(virDomainPtr, struct domrec *);
static int	 w_xml(virDomainPtr, unsigned int, struct domrec *,
		    struct policy *);
static void	 w_refresh(struct virt_conn *, virDomainPtr, uint64_t);
static void	 apply(struct result *);
static void	 apply_dom(struct virt_conn *, struct result *);
static void	 conn_down(struct virt_conn *, const char *);
static void	 conn_retry(struct virt_conn *);
static void	 conn_retry_cb(int, void *);
static void	 closed_cb(virConnectPtr, int, void *);
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

static const struct {
	int				 id;
	virConnectDomainEventGenericCallback cb;
	const char			*what;
} events[NEVENTS] = {
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

	for (i = 0; i < (conf->nuris > 0 ? conf->nuris : 1); i++) {
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
	log_info("ready: %d interface%s, %d URI%s, %zu NICs known%s%s",
	    conf->nifs, conf->nifs == 1 ? "" : "s",
	    conf->nuris > 0 ? conf->nuris : 1, conf->nuris > 1 ? "s" : "",
	    cache_count(), slow != NULL ? "; still connecting to " : "",
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

/*
 * libvirtd went away, or keepalive gave up.  libvirt calls this from
 * whichever thread finds out, a worker or an action as well as the
 * event loop: it only posts, and the main thread takes the connection
 * down (apply).
 */
static void
closed_cb(virConnectPtr vc __unused, int reason, void *arg)
{
	struct closeref	*cr = arg;
	struct result	*r;

	r = result_new(R_CLOSED, cr->c, cr->gen);
	r->ok = reason == VIR_CONNECT_CLOSE_REASON_KEEPALIVE;
	post(r);
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

/* -------------------------------------------------------------------
 * The threads' side: blocking libvirt calls, results posted.
 */

static struct result *
result_new(int kind, struct virt_conn *c, uint64_t gen)
{
	struct result	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("calloc");
	r->kind = kind;
	r->c = c;
	r->gen = gen;
	return (r);
}

static void
post(struct result *r)
{
	char	 b = 0;

	pthread_mutex_lock(&resmtx);
	TAILQ_INSERT_TAIL(&results, r, entry);
	pthread_mutex_unlock(&resmtx);
	/* Full: the main thread has a wake-up pending already. */
	(void)write(respipe[1], &b, 1);
}

static void *
worker(void *arg)
{
	struct virt_conn	*c = arg;
	struct job		*j;
	int			 quit = 0;

	while (!quit) {
		pthread_mutex_lock(&c->mtx);
		while ((j = TAILQ_FIRST(&c->jobs)) == NULL)
			pthread_cond_wait(&c->cv, &c->mtx);
		TAILQ_REMOVE(&c->jobs, j, entry);
		c->busy_since = mono_ms();
		pthread_mutex_unlock(&c->mtx);

		switch (j->kind) {
		case J_OPEN:
			w_open(c, j->seq);
			break;
		case J_REFRESH:
			w_refresh(c, j->dom, j->seq);
			j->dom = NULL;
			break;
		case J_RESYNC:
			if (c->vc != NULL)
				w_list(c, 0, j->seq);
			break;
		case J_CLOSE:
			w_close(c);
			break;
		case J_QUIT:
			w_close(c);
			quit = 1;
			break;
		}
		if (j->dom != NULL)
			virDomainFree(j->dom);
		free(j);
		pthread_mutex_lock(&c->mtx);
		c->busy_since = 0;
		pthread_mutex_unlock(&c->mtx);
	}
	/* Jobs queued behind the last one hold domain references. */
	pthread_mutex_lock(&c->mtx);
	while ((j = TAILQ_FIRST(&c->jobs)) != NULL) {
		TAILQ_REMOVE(&c->jobs, j, entry);
		if (j->dom != NULL)
			virDomainFree(j->dom);
		free(j);
	}
	pthread_mutex_unlock(&c->mtx);
	pthread_mutex_lock(&resmtx);
	nworkers--;
	pthread_cond_broadcast(&rescv);
	pthread_mutex_unlock(&resmtx);
	return (NULL);
}

/* Open: keepalive, close callback, events, then every domain. */
static void
w_open(struct virt_conn *c, uint64_t seq)
{
	struct result	*r;
	int		 i;

	w_close(c);
	if ((c->vc = virConnectOpen(c->uri)) == NULL) {
		r = result_new(R_OPENFAIL, c, 0);
		(void)strlcpy(r->err, last_error(), sizeof(r->err));
		post(r);
		return;
	}
	c->wgen++;
	/* Only remote transports have keepalive; local ones say so. */
	if (virConnectSetKeepAlive(c->vc, KEEPALIVE_IVL, KEEPALIVE_CNT) == -1)
		log_debug("%s: keepalive: %s", conn_uri(c), last_error());
	c->cref.c = c;
	c->cref.gen = c->wgen;
	if (virConnectRegisterCloseCallback(c->vc, closed_cb, &c->cref,
	    NULL) == -1)
		log_debug("%s: close callback: %s", conn_uri(c),
		    last_error());
	for (i = 0; i < NEVENTS; i++) {
		c->cb[i] = virConnectDomainEventRegisterAny(c->vc, NULL,
		    events[i].id, events[i].cb, c, NULL);
		if (c->cb[i] == -1)
			log_warnx("%s: no %s events (%s)", conn_uri(c),
			    events[i].what, last_error());
	}
	if (w_list(c, 1, seq) == -1) {
		r = result_new(R_OPENFAIL, c, 0);
		(void)snprintf(r->err, sizeof(r->err), "cannot list domains: "
		    "%s", last_error());
		w_close(c);
		post(r);
		return;
	}
	post(result_new(R_OPENED, c, c->wgen));
}

static void
w_close(struct virt_conn *c)
{
	int	 i;

	if (c->vc == NULL)
		return;
	for (i = 0; i < NEVENTS; i++) {
		if (c->cb[i] != -1)
			virConnectDomainEventDeregisterAny(c->vc, c->cb[i]);
		c->cb[i] = -1;
	}
	virConnectUnregisterCloseCallback(c->vc, closed_cb);
	virConnectClose(c->vc);
	c->vc = NULL;
}

/*
 * Every domain of the connection, as one listing the cache replaces.
 * A listing that fails ends with R_END all the same (with nothing to
 * sweep), so that the next one is asked for.
 */
static int
w_list(struct virt_conn *c, int full, uint64_t seq)
{
	virDomainPtr	*doms;
	struct result	*r;
	int		 i, n, rc, failed;

	if ((n = virConnectListAllDomains(c->vc, &doms, 0)) == -1) {
		log_warnx("%s: cannot list domains: %s", conn_uri(c),
		    last_error());
		if (!full) {
			r = result_new(R_END, c, c->wgen);
			r->failed = 1;
			post(r);
		}
		return (-1);
	}
	r = result_new(R_BEGIN, c, c->wgen);
	r->full = full;
	post(r);
	for (i = 0; i < n; i++) {
		r = result_new(R_DOM, c, c->wgen);
		r->seq = seq;
		if ((r->rec = calloc(1, sizeof(*r->rec))) == NULL)
			fatal("calloc");
		if ((rc = w_read(doms[i], r->rec)) == 0) {
			r->rec->dom = doms[i];
			doms[i] = NULL;
			post(r);
			continue;
		}
		free(r->rec);
		free(r);
		if (rc == 1)		/* gone since the listing */
			continue;
		/*
		 * Not read: the connection is failing.  What was not read
		 * must not look undefined: end without a sweep.
		 */
		log_warnx("%s: cannot read domain %s: %s", conn_uri(c),
		    virDomainGetName(doms[i]), last_error());
		break;
	}
	failed = i < n;
	for (i = 0; i < n; i++)
		if (doms[i] != NULL)
			virDomainFree(doms[i]);
	free(doms);
	r = result_new(R_END, c, c->wgen);
	r->full = full;
	r->failed = failed;
	post(r);
	return (failed ? -1 : 0);
}

static void
w_refresh(struct virt_conn *c, virDomainPtr dom, uint64_t seq)
{
	struct result	*r;
	int		 rc;

	r = result_new(R_DOM, c, c->wgen);
	r->seq = seq;
	if ((r->rec = calloc(1, sizeof(*r->rec))) == NULL)
		fatal("calloc");
	rc = w_read(dom, r->rec);
	if (rc == 0) {
		r->rec->dom = dom;
		post(r);
		return;
	}
	if (rc == 1) {
		r->kind = R_GONE;
		memcpy(r->uuid, r->rec->uuid, sizeof(r->uuid));
		free(r->rec);
		r->rec = NULL;
		post(r);
	} else {
		free(r->rec);
		free(r);
	}
	virDomainFree(dom);
}

/*
 * Read one domain: state, whether it runs and is defined, and the NICs
 * and policy of its live and persistent XML.  Returns 0, 1 when the
 * domain is gone, -1 on another error.
 */
static int
w_read(virDomainPtr dom, struct domrec *r)
{
	const char	*name;
	int		 e;

	memset(r, 0, sizeof(*r));
	if (virDomainGetUUID(dom, r->uuid) == -1)
		return (-1);
	if ((name = virDomainGetName(dom)) != NULL)
		(void)strlcpy(r->name, name, sizeof(r->name));
	if (virDomainGetState(dom, &r->state, &r->reason, 0) == -1 ||
	    (r->active = virDomainIsActive(dom)) == -1 ||
	    (r->persistent = virDomainIsPersistent(dom)) == -1) {
		e = virGetLastErrorCode();
		return (e == VIR_ERR_NO_DOMAIN ? 1 : -1);
	}
	/* Inactive, the plain XML is the persistent definition. */
	if ((e = w_xml(dom, 0, r, r->active ? &r->live : &r->config)) != 0)
		return (e);
	if (r->active && r->persistent)
		return (w_xml(dom, VIR_DOMAIN_XML_INACTIVE, r, &r->config));
	return (0);
}

/* One XML of a domain: as w_read() returns. */
static int
w_xml(virDomainPtr dom, unsigned int flags, struct domrec *r,
    struct policy *pol)
{
	struct domxml	 d;
	char		*xml;
	int		 i;

	if ((xml = virDomainGetXMLDesc(dom, flags)) == NULL)
		return (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN ? 1 : -1);
	if (domxml_parse(xml, &d) == -1) {
		/* Unreadable: never woken. */
		pol->allow = POLICY_BAD;
		(void)strlcpy(pol->why, "XML does not parse",
		    sizeof(pol->why));
		free(xml);
		return (0);
	}
	free(xml);
	*pol = d.policy;
	for (i = 0; i < d.nmacs && r->nmacs < DOMREC_MAXNICS; i++)
		memcpy(r->macs[r->nmacs++], d.macs[i], WOL_ADDR_LEN);
	explicit_bzero(&d, sizeof(d));
	return (0);
}

static void *
act_thread(void *arg)
{
	struct act	*a = arg;
	struct virt_conn *a_c;
	struct result	*r;
	int		 rc;

	switch (a->action) {
	case ACT_RESUME:
		rc = virDomainResume(a->dom);
		break;
	case ACT_PMWAKEUP:
		rc = virDomainPMWakeup(a->dom, 0);
		break;
	default:
		/* Restores a managed-save image when there is one. */
		rc = virDomainCreate(a->dom);
		break;
	}
	r = result_new(R_ACTED, a->c, a->gen);
	r->ok = rc == 0;
	r->action = a->action;
	/* Before any other call, which would reset the error. */
	if (rc != 0)
		(void)strlcpy(r->err, last_error(), sizeof(r->err));
	(void)virDomainGetUUID(a->dom, r->uuid);
	(void)strlcpy(r->text, a->prefix, sizeof(r->text));
	virDomainFree(a->dom);
	a_c = a->c;
	free(a);
	post(r);
	pthread_mutex_lock(&resmtx);
	nacts--;
	a_c->nacts--;
	pthread_cond_broadcast(&rescv);
	pthread_mutex_unlock(&resmtx);
	return (NULL);
}
