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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "log.h"
#include "wakeupd.h"
#include "conn.h"

/*
 * The threads' side of the libvirt connections (see conn.c): a worker
 * per connection opens it, registers for events and reads domains, one
 * job at a time; each action runs in a thread of its own.  Every call
 * here may block; nothing here touches the cache: results are posted,
 * and the main thread applies them.
 */

static void	 w_open(struct virt_conn *, uint64_t);
static void	 w_close(struct virt_conn *);
static int	 w_list(struct virt_conn *, int, uint64_t);
static int	 w_read(virDomainPtr, struct domrec *);
static int	 w_xml(virDomainPtr, unsigned int, struct domrec *,
		    struct policy *);
static void	 w_refresh(struct virt_conn *, virDomainPtr, uint64_t);

/*
 * libvirtd went away, or keepalive gave up.  libvirt calls this from
 * whichever thread finds out, a worker or an action as well as the
 * event loop: it only posts, and the main thread takes the connection
 * down (apply).
 */
void
closed_cb(virConnectPtr vc __unused, int reason, void *arg)
{
	struct closeref	*cr = arg;
	struct result	*r;

	r = result_new(R_CLOSED, cr->c, cr->gen);
	r->ok = reason == VIR_CONNECT_CLOSE_REASON_KEEPALIVE;
	post(r);
}

struct result *
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

void
post(struct result *r)
{
	char	 b = 0;

	pthread_mutex_lock(&resmtx);
	TAILQ_INSERT_TAIL(&results, r, entry);
	pthread_mutex_unlock(&resmtx);
	/* Full: the main thread has a wake-up pending already. */
	(void)write(respipe[1], &b, 1);
}

void *
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

void *
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
