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

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "wakeupd.h"

/*
 * The known addresses, the capture process's half.  The parent sends
 * every NIC address in its cache, sorted and each once, whenever the
 * cache changes, in fixed-size parts (known_send.c); the capture process
 * keeps the latest complete set and passes on only packets for an
 * address in it.  A flood of magic packets for unknown addresses then
 * stops in the unprivileged process.  Until the first set arrives,
 * everything is passed on.
 */

#define KNOWN_MAX	(1 << 20)	/* addresses in one set */

static uint8_t	(*known)[WOL_ADDR_LEN];	/* sorted; NULL: no set yet */
static size_t	  nknown;
static uint8_t	(*pending)[WOL_ADDR_LEN];	/* the set being received */
static size_t	  npending, ptotal;
static uint32_t	  pseq;

static int	 mac_cmp(const void *, const void *);

static int
mac_cmp(const void *a, const void *b)
{
	return (memcmp(a, b, WOL_ADDR_LEN));
}

/*
 * Take one part of a set; fatal on anything malformed, since
 * only the parent writes to this socket.
 */
void
known_recv(const struct macs_msg *m, size_t len)
{
	size_t	 i;

	if (len != sizeof(*m) || m->kind != MSG_MACS ||
	    m->count > MACS_PER_MSG || m->total > KNOWN_MAX)
		fatalx("malformed message from the parent");
	if (m->seq == 0) {
		free(pending);
		ptotal = m->total;
		npending = 0;
		pseq = 0;
		if ((pending = calloc(ptotal > 0 ? ptotal : 1,
		    WOL_ADDR_LEN)) == NULL)
			fatal("calloc");
	}
	if (pending == NULL || m->seq != pseq || m->total != ptotal ||
	    npending + m->count > ptotal)
		fatalx("malformed set of addresses from the parent");
	memcpy(pending[npending], m->macs, m->count * WOL_ADDR_LEN);
	npending += m->count;
	pseq++;
	if (npending < ptotal)
		return;
	/* bsearch(3) needs the order the parent promised. */
	for (i = 1; i < npending; i++)
		if (mac_cmp(pending[i - 1], pending[i]) >= 0)
			fatalx("unsorted set of addresses from the parent");
	free(known);
	known = pending;
	nknown = npending;
	pending = NULL;
	log_debug("%zu known addresses", nknown);
}

/* May a packet for mac matter to the parent? */
int
known_has(const uint8_t *mac)
{
	if (known == NULL)
		return (1);
	return (bsearch(mac, known, nknown, WOL_ADDR_LEN, mac_cmp) != NULL);
}
