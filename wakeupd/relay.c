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

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "send.h"

/*
 * The relay action: a new magic packet, built from the validated MAC
 * and password with the libnet code wakeup(8) uses (common/send.c),
 * written out another interface.  Packet bytes are never forwarded.
 * The libnet contexts, one per interface, are opened at start, while
 * the privilege to open them is held; writing on them later needs none.
 * Every relay builds its frame anew, from the interface's addresses as
 * they are then and the host's options.
 *
 * No loops: a frame for a relayed host whose Ethernet source is one of
 * our relay interfaces is our own relay heard again, and so is any
 * packet for that host within RELAY_ECHO_MS of relaying it.  A global
 * budget bounds what we put on other segments: RELAY_BURST relays at
 * once, then RELAY_RATE a second.
 */

#define RELAY_BURST	20
#define RELAY_RATE	5	/* a second */
#define RELAY_ECHO_MS	1000

struct relayif {
	struct wol_sender	 s;		/* its libnet context */
};

struct relay {
	const struct conf_host	*h;
	struct relayif		*rif;
	int64_t			 last_ms;	/* last relayed; 0 never */
};

static struct relayif	*ifs;
static int		 nifs;
static struct relay	*relays;
static int		 nrelays;
static int64_t		 tokens_ms;		/* the budget, as time */

static struct relay	*relay_find(const struct conf_host *);
static struct relayif	*relayif_get(const char *, const char *,
			    const char *, int);
static int		 relay_dest(struct wol_sender *,
			    const struct conf_relay *);

static struct relay *
relay_find(const struct conf_host *h)
{
	int	 i;

	for (i = 0; i < nrelays; i++)
		if (relays[i].h == h)
			return (&relays[i]);
	return (NULL);
}

/* The interface's context, opened the first time (unless checking). */
static struct relayif *
relayif_get(const char *ifname, const char *file, const char *host,
    int check)
{
	struct relayif	*r;
	int		 i;

	for (i = 0; i < nifs; i++)
		if (strcmp(ifs[i].s.ifname, ifname) == 0)
			return (&ifs[i]);
	r = &ifs[nifs];
	memset(r, 0, sizeof(*r));
	if (wol_send_iface(&r->s, ifname) == -1 ||
	    (!check && wol_send_open(&r->s, 0) == -1)) {
		warnx("%s: host %s: relay on %s", file, host, r->s.err);
		return (NULL);
	}
	nifs++;
	return (r);
}

/* The host's options, onto its interface's sender. */
static int
relay_dest(struct wol_sender *s, const struct conf_relay *cr)
{
	char	 to[INET6_ADDRSTRLEN];
	int	 proto;

	s->vlan = cr->vlan;
	s->port = cr->port != 0 ? cr->port : SEND_PORT;
	s->unicast = 0;
	if (cr->proto == RELAY_ETHER)
		proto = WOL_PROTO_ETHER;
	else
		proto = cr->to_af == AF_INET6 ? WOL_PROTO_UDP6 : WOL_PROTO_UDP4;
	if (cr->to_af != 0 &&
	    inet_ntop(cr->to_af, cr->to, to, sizeof(to)) == NULL) {
		(void)strlcpy(s->err, "relay to: bad address", sizeof(s->err));
		return (-1);
	}
	return (wol_send_dest(s, proto, cr->to_af != 0 ? to : NULL));
}

/*
 * At start, as root: every relay's interface must exist, be up and be
 * Ethernet, and each host's options must make a frame.  With check
 * (wakeupd -n) nothing is opened.  Exits 1 with one line on the first
 * that is not.
 */
void
relay_init(const struct conf *c, const char *file, int check)
{
	const struct conf_host	*h;
	struct relay		*r;
	int			 n = 0;

	if (c == NULL)
		return;
	TAILQ_FOREACH(h, &c->hosts, entry)
		if (h->action == HOST_RELAY)
			n++;
	if (n == 0)
		return;
	if ((relays = calloc(n, sizeof(*relays))) == NULL ||
	    (ifs = calloc(n, sizeof(*ifs))) == NULL)
		err(1, NULL);
	TAILQ_FOREACH(h, &c->hosts, entry) {
		if (h->action != HOST_RELAY)
			continue;
		r = &relays[nrelays++];
		r->h = h;
		if ((r->rif = relayif_get(h->relay.ifname, file, h->name,
		    check)) == NULL)
			exit(1);
		if (relay_dest(&r->rif->s, &h->relay) == -1)
			errx(1, "%s: host %s: %s", file, h->name,
			    r->rif->s.err);
	}
	tokens_ms = 0;
}

/*
 * Is this packet for host h our own relay heard again?  Its Ethernet
 * source is one of our relay interfaces, or we relayed for h a moment
 * ago.  Returns why, or NULL.
 */
const char *
relay_echo(const struct conf_host *h, const struct wake_msg *m,
    int64_t now)
{
	struct relay	*r;
	int		 i;

	if (m->has_esrc)
		for (i = 0; i < nifs; i++)
			if (memcmp(ifs[i].s.ifmac, m->esrc,
			    WOL_ADDR_LEN) == 0)
				return ("sent from our relay interface");
	if ((r = relay_find(h)) != NULL && r->last_ms != 0 &&
	    now - r->last_ms < RELAY_ECHO_MS)
		return ("within a second of relaying it");
	return (NULL);
}

/*
 * Relay for host h the packet m that its policy accepted: its own
 * password if the host names one, else the one that arrived.  Returns
 * NULL, or why nothing was sent; *refused says whether that was the
 * budget.  What it sent goes in what.
 */
const char *
relay_send(const struct conf_host *h, const struct wake_msg *m,
    int64_t now, char *what, size_t whatlen, int *refused)
{
	static char		 err[SEND_ERRLEN + 32];
	const struct conf_relay	*cr = &h->relay;
	struct wol_sender	*s;
	struct relay		*r;
	struct wol_pw		 pw;
	size_t			 len;
	int			 rv;

	*refused = 0;
	if ((r = relay_find(h)) == NULL)
		return ("no relay set up for this host");
	/* The budget: RELAY_BURST tokens, one back every 1000/RATE ms. */
	if (tokens_ms < now - RELAY_BURST * (1000 / RELAY_RATE))
		tokens_ms = now - RELAY_BURST * (1000 / RELAY_RATE);
	if (tokens_ms + 1000 / RELAY_RATE > now) {
		*refused = 1;
		(void)snprintf(err, sizeof(err), "over the relay limit (%d at "
		    "once, %d a second)", RELAY_BURST, RELAY_RATE);
		return (err);
	}

	memset(&pw, 0, sizeof(pw));
	if (cr->pw.len != 0)
		pw = cr->pw;
	else {
		pw.len = m->pwlen;
		memcpy(pw.buf, m->pw, m->pwlen);
	}
	/* A new frame, from the interface as it is now. */
	s = &r->rif->s;
	wol_send_reset(s);
	rv = wol_send_iface(s, cr->ifname);
	if (rv == 0)
		rv = relay_dest(s, cr);
	if (rv == 0)
		rv = wol_send_build(s, m->mac, &pw);
	if (rv == 0)
		rv = wol_send_write(s, &len);
	wol_send_wipe(s, m->mac, pw.len);
	explicit_bzero(&pw, sizeof(pw));
	if (rv == -1) {
		(void)strlcpy(err, s->err, sizeof(err));
		return (err);
	}
	tokens_ms += 1000 / RELAY_RATE;
	r->last_ms = now;
	if (cr->vlan != 0)
		(void)snprintf(what, whatlen, "relay on %s vlan %d, %zu bytes",
		    cr->ifname, cr->vlan, len);
	else
		(void)snprintf(what, whatlen, "relay on %s, %zu bytes",
		    cr->ifname, len);
	return (NULL);
}
