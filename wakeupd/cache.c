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

#include "wakeupd.h"

/*
 * The MAC -> domain cache: every NIC address of every defined domain on
 * every connection, so that a wake is a hash lookup and never a listing.
 * Several entries may share a MAC (the same address on two domains).
 */

#define CACHE_BUCKETS	4096	/* chains stay short up to ~10,000 NICs */

LIST_HEAD(cache_bucket, cache_ent);

static struct cache_bucket	 buckets[CACHE_BUCKETS];
static size_t			 nentries;

static struct cache_bucket *bucket(const uint8_t *);
static size_t	 bucket_index(const uint8_t *);
static void	 ent_free(struct cache_ent *);

void
cache_init(void)
{
	size_t	 i;

	for (i = 0; i < CACHE_BUCKETS; i++)
		LIST_INIT(&buckets[i]);
	nentries = 0;
}

/* FNV-1a over the six bytes; NIC addresses share prefixes, not tails. */
static size_t
bucket_index(const uint8_t *mac)
{
	uint32_t	 h = 2166136261U;
	size_t		 i;

	for (i = 0; i < WOL_ADDR_LEN; i++) {
		h ^= mac[i];
		h *= 16777619U;
	}
	return (h % CACHE_BUCKETS);
}

static struct cache_bucket *
bucket(const uint8_t *mac)
{
	return (&buckets[bucket_index(mac)]);
}

/* Every entry once: the one after prev, the first if prev is NULL. */
struct cache_ent *
cache_walk(struct cache_ent *prev)
{
	size_t	 i = 0;

	if (prev != NULL) {
		if (LIST_NEXT(prev, entry) != NULL)
			return (LIST_NEXT(prev, entry));
		i = bucket_index(prev->mac) + 1;
	}
	for (; i < CACHE_BUCKETS; i++)
		if (!LIST_EMPTY(&buckets[i]))
			return (LIST_FIRST(&buckets[i]));
	return (NULL);
}

int
cache_add(const uint8_t *mac, struct virt_conn *conn,
    const unsigned char *uuid, const char *name, const struct policy *pol)
{
	struct cache_bucket	*b = bucket(mac);
	struct cache_ent	*e;

	/*
	 * One entry per (MAC, domain): a NIC listed twice counts once, and
	 * a refreshed domain keeps its entries and so its debounce time.
	 */
	LIST_FOREACH(e, b, entry)
		if (e->conn == conn && memcmp(e->mac, mac, WOL_ADDR_LEN) == 0 &&
		    memcmp(e->uuid, uuid, sizeof(e->uuid)) == 0) {
			e->stale = 0;
			e->policy = *pol;
			return (0);
		}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return (-1);
	if ((e->name = strdup(name)) == NULL) {
		free(e);
		return (-1);
	}
	memcpy(e->mac, mac, WOL_ADDR_LEN);
	memcpy(e->uuid, uuid, sizeof(e->uuid));
	e->policy = *pol;
	e->conn = conn;
	LIST_INSERT_HEAD(b, e, entry);
	nentries++;
	return (0);
}

static void
ent_free(struct cache_ent *e)
{
	LIST_REMOVE(e, entry);
	explicit_bzero(&e->policy, sizeof(e->policy));
	free(e->name);
	free(e);
	nentries--;
}

void
cache_remove_domain(struct virt_conn *conn, const unsigned char *uuid)
{
	cache_mark_domain(conn, uuid);
	cache_sweep_domain(conn, uuid);
}

/*
 * Refreshing a domain: mark its entries stale, add what its XML says
 * now (which clears the mark of those still there), then sweep.
 */
void
cache_mark_domain(struct virt_conn *conn, const unsigned char *uuid)
{
	struct cache_ent	*e;
	size_t			 i;

	for (i = 0; i < CACHE_BUCKETS; i++)
		LIST_FOREACH(e, &buckets[i], entry)
			if (e->conn == conn &&
			    memcmp(e->uuid, uuid, sizeof(e->uuid)) == 0)
				e->stale = 1;
}

void
cache_sweep_domain(struct virt_conn *conn, const unsigned char *uuid)
{
	struct cache_ent	*e, *next;
	size_t			 i;

	for (i = 0; i < CACHE_BUCKETS; i++)
		for (e = LIST_FIRST(&buckets[i]); e != NULL; e = next) {
			next = LIST_NEXT(e, entry);
			if (e->stale && e->conn == conn &&
			    memcmp(e->uuid, uuid, sizeof(e->uuid)) == 0)
				ent_free(e);
		}
}

void
cache_remove_conn(struct virt_conn *conn)
{
	struct cache_ent	*e, *next;
	size_t			 i;

	for (i = 0; i < CACHE_BUCKETS; i++)
		for (e = LIST_FIRST(&buckets[i]); e != NULL; e = next) {
			next = LIST_NEXT(e, entry);
			if (e->conn == conn)
				ent_free(e);
		}
}

size_t
cache_count(void)
{
	return (nentries);
}

struct cache_ent *
cache_first(const uint8_t *mac)
{
	struct cache_ent	*e;

	LIST_FOREACH(e, bucket(mac), entry)
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
