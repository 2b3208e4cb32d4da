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

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "wakeupd.h"

/*
 * The domain cache: every defined (or running) domain of every
 * connection, with its state, policies and NIC addresses, kept by the
 * main thread alone.  Two hash tables: MAC -> NIC entry -> domain, so a
 * wake is a lookup and never a listing; UUID -> domain, for copies of
 * one domain on several connections.  Entries of a connection that went
 * down stay, marked by the connection, until it is read again.
 */

#define CACHE_BUCKETS	4096	/* chains stay short up to ~10,000 NICs */

LIST_HEAD(mac_bucket, cache_ent);
LIST_HEAD(dom_bucket, vdom);

static struct mac_bucket	 macs[CACHE_BUCKETS];
static struct dom_bucket	 doms[CACHE_BUCKETS];
static size_t			 nentries;

static size_t	 hash(const uint8_t *, size_t);
static void	 nics_drop(struct vdom *);
static void	 dom_free(struct vdom *);

void
cache_init(void)
{
	size_t	 i;

	for (i = 0; i < CACHE_BUCKETS; i++) {
		LIST_INIT(&macs[i]);
		LIST_INIT(&doms[i]);
	}
	nentries = 0;
}

/* FNV-1a; NIC addresses share prefixes, not tails. */
static size_t
hash(const uint8_t *p, size_t len)
{
	uint32_t	 h = 2166136261U;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619U;
	}
	return (h % CACHE_BUCKETS);
}

struct vdom *
cache_find(struct virt_conn *conn, const unsigned char *uuid)
{
	struct vdom	*d;

	LIST_FOREACH(d, &doms[hash(uuid, 16)], entry)
		if (d->conn == conn && memcmp(d->uuid, uuid, 16) == 0)
			return (d);
	return (NULL);
}

/* Every domain with this UUID, on any connection. */
struct vdom *
cache_uuid_first(const unsigned char *uuid)
{
	struct vdom	*d;

	LIST_FOREACH(d, &doms[hash(uuid, 16)], entry)
		if (memcmp(d->uuid, uuid, 16) == 0)
			return (d);
	return (NULL);
}

struct vdom *
cache_uuid_next(struct vdom *prev)
{
	struct vdom	*d;

	for (d = LIST_NEXT(prev, entry); d != NULL; d = LIST_NEXT(d, entry))
		if (memcmp(d->uuid, prev->uuid, 16) == 0)
			return (d);
	return (NULL);
}

static void
nics_drop(struct vdom *d)
{
	struct cache_ent	*e;
	int			 i;

	for (i = 0; i < d->nnics; i++) {
		e = d->nics[i];
		LIST_REMOVE(e, entry);
		free(e);
		nentries--;
	}
	free(d->nics);
	d->nics = NULL;
	d->nnics = 0;
}

static void
dom_free(struct vdom *d)
{
	nics_drop(d);
	LIST_REMOVE(d, entry);
	explicit_bzero(&d->live, sizeof(d->live));
	explicit_bzero(&d->config, sizeof(d->config));
	conn_dom_release(d->dom);
	free(d->name);
	free(d);
}

/*
 * What a worker read of a domain, applied: a new domain, or new facts
 * about one known.  The record's virDomainPtr passes to the cache.
 * Returns the domain, or NULL when out of memory.
 */
struct vdom *
cache_put(struct virt_conn *conn, struct domrec *r)
{
	struct vdom		*d;
	struct cache_ent	*e;
	char			*name;
	int			 i, j;

	if ((d = cache_find(conn, r->uuid)) == NULL) {
		if ((d = calloc(1, sizeof(*d))) == NULL)
			return (NULL);
		d->conn = conn;
		memcpy(d->uuid, r->uuid, 16);
		LIST_INSERT_HEAD(&doms[hash(r->uuid, 16)], d, entry);
	}
	d->stale = 0;
	if ((name = strdup(r->name)) == NULL)
		return (NULL);
	free(d->name);
	d->name = name;
	d->state = r->state;
	d->reason = r->reason;
	d->active = r->active;
	d->persistent = r->persistent;
	d->live = r->live;
	d->config = r->config;
	conn_dom_release(d->dom);
	d->dom = r->dom;
	r->dom = NULL;

	nics_drop(d);
	if (r->nmacs > 0 &&
	    (d->nics = calloc(r->nmacs, sizeof(*d->nics))) == NULL)
		return (NULL);
	for (i = 0; i < r->nmacs; i++) {
		/* A NIC listed twice, or live and persistent, counts once. */
		for (j = 0; j < i; j++)
			if (memcmp(r->macs[j], r->macs[i], WOL_ADDR_LEN) == 0)
				break;
		if (j < i)
			continue;
		if ((e = calloc(1, sizeof(*e))) == NULL)
			return (NULL);
		memcpy(e->mac, r->macs[i], WOL_ADDR_LEN);
		e->dom = d;
		LIST_INSERT_HEAD(&macs[hash(e->mac, WOL_ADDR_LEN)], e, entry);
		d->nics[d->nnics++] = e;
		nentries++;
	}
	return (d);
}

void
cache_remove(struct virt_conn *conn, const unsigned char *uuid)
{
	struct vdom	*d;

	if ((d = cache_find(conn, uuid)) != NULL)
		dom_free(d);
}

/*
 * Reading a whole connection: mark its domains stale, put what it has
 * now (which clears the mark), then sweep what is still marked.
 */
void
cache_mark_conn(struct virt_conn *conn)
{
	struct vdom	*d;
	size_t		 i;

	for (i = 0; i < CACHE_BUCKETS; i++)
		LIST_FOREACH(d, &doms[i], entry)
			if (d->conn == conn)
				d->stale = 1;
}

void
cache_sweep_conn(struct virt_conn *conn)
{
	struct vdom	*d, *next;
	size_t		 i;

	for (i = 0; i < CACHE_BUCKETS; i++)
		for (d = LIST_FIRST(&doms[i]); d != NULL; d = next) {
			next = LIST_NEXT(d, entry);
			if (d->conn == conn && d->stale)
				dom_free(d);
		}
}

/* Forget a connection's domains' libvirt handles, keeping the rest. */
void
cache_release_conn(struct virt_conn *conn)
{
	struct vdom	*d;
	size_t		 i;

	for (i = 0; i < CACHE_BUCKETS; i++)
		LIST_FOREACH(d, &doms[i], entry)
			if (d->conn == conn) {
				conn_dom_release(d->dom);
				d->dom = NULL;
			}
}

void
cache_clear(void)
{
	struct vdom	*d;
	size_t		 i;

	for (i = 0; i < CACHE_BUCKETS; i++)
		while ((d = LIST_FIRST(&doms[i])) != NULL)
			dom_free(d);
}

size_t
cache_count(void)
{
	return (nentries);
}

size_t
cache_count_conn(struct virt_conn *conn)
{
	struct vdom	*d;
	size_t		 i, n = 0;

	for (i = 0; i < CACHE_BUCKETS; i++)
		LIST_FOREACH(d, &doms[i], entry)
			if (d->conn == conn)
				n += d->nnics;
	return (n);
}

/* The NICs with this MAC, of whatever domains. */
struct cache_ent *
cache_first(const uint8_t *mac)
{
	struct cache_ent	*e;

	LIST_FOREACH(e, &macs[hash(mac, WOL_ADDR_LEN)], entry)
		if (memcmp(e->mac, mac, WOL_ADDR_LEN) == 0)
			return (e);
	return (NULL);
}

struct cache_ent *
cache_next(struct cache_ent *prev)
{
	struct cache_ent	*e;

	for (e = LIST_NEXT(prev, entry); e != NULL; e = LIST_NEXT(e, entry))
		if (memcmp(e->mac, prev->mac, WOL_ADDR_LEN) == 0)
			return (e);
	return (NULL);
}

/* Every NIC once: the one after prev, the first if prev is NULL. */
struct cache_ent *
cache_walk(struct cache_ent *prev)
{
	size_t	 i = 0;

	if (prev != NULL) {
		if (LIST_NEXT(prev, entry) != NULL)
			return (LIST_NEXT(prev, entry));
		i = hash(prev->mac, WOL_ADDR_LEN) + 1;
	}
	for (; i < CACHE_BUCKETS; i++)
		if (!LIST_EMPTY(&macs[i]))
			return (LIST_FIRST(&macs[i]));
	return (NULL);
}
