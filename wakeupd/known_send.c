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
 * The known addresses, the parent's half: what the capture process is
 * told to pass on (see known.c, its half).
 */

static int	 mac_cmp(const void *, const void *);

static int
mac_cmp(const void *a, const void *b)
{
	return (memcmp(a, b, WOL_ADDR_LEN));
}

/*
 * Send the hosts' and the cache's addresses as one set, sorted here: qsort(3)
 * may ask the kernel how much memory there is, which the child's
 * sandbox does not allow.
 */
void
known_send(int sock)
{
	struct macs_msg		 m;
	struct cache_ent	*e;
	uint8_t			(*all)[WOL_ADDR_LEN];
	size_t			 total = 0, n = 0, sent = 0, i;

	n = wake_host_macs(NULL);
	if ((all = calloc(cache_count() + n + 1, WOL_ADDR_LEN)) == NULL)
		fatal("calloc");
	n = wake_host_macs(all);
	for (e = cache_walk(NULL); e != NULL; e = cache_walk(e))
		memcpy(all[n++], e->mac, WOL_ADDR_LEN);
	qsort(all, n, WOL_ADDR_LEN, mac_cmp);
	for (i = 0; i < n; i++)		/* a MAC on two domains: once */
		if (total == 0 || memcmp(all[total - 1], all[i],
		    WOL_ADDR_LEN) != 0)
			memmove(all[total++], all[i], WOL_ADDR_LEN);

	memset(&m, 0, sizeof(m));
	m.kind = MSG_MACS;
	m.total = total;
	do {
		m.count = total - sent < MACS_PER_MSG ? total - sent :
		    MACS_PER_MSG;
		memcpy(m.macs, all[sent], m.count * WOL_ADDR_LEN);
		if (send(sock, &m, sizeof(m), 0) == -1) {
			free(all);
			if (errno == EPIPE || errno == ECONNRESET)
				return;		/* the child is gone: SIGCHLD */
			fatal("send to the capture process");
		}
		sent += m.count;
		m.seq++;
	} while (sent < total);
	free(all);
	log_debug("sent %zu known addresses to the capture process", total);
}
