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

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "conf.h"
#include "runner.h"

/*
 * From a validated packet to an action: gather every domain concerned
 * from the cache, ask decide(), log what it says, and hand an action to
 * the domain's connection.  No libvirt call here, and no policy: that
 * is decide.c's.  What is remembered per MAC (the debounce window and
 * wrong passwords) lives here, between decisions.
 */

#define MAXCANDS	64	/* as decide() takes */
#define MAC_BUCKETS	1024
#define REFUSE_BURST	10	/* refusal lines logged per period */
#define REFUSE_PERIOD	60	/* seconds */

struct macstate {
	LIST_ENTRY(macstate)	 entry;
	uint8_t			 mac[WOL_ADDR_LEN];
	struct macrec		 r;
};

/* A host of the configuration file, and what the decision sees of it. */
struct host {
	const struct conf_host	*h;
	struct host_cand	 c;
	struct host_net		*nets;
};

static LIST_HEAD(, macstate)	 states[MAC_BUCKETS];
static struct wakeup_conf	*conf;
static struct host		*hosts;
static size_t			 nhosts;

static struct macstate *macstate_get(const uint8_t *);
static const char *sender_text(const struct wake_msg *, char *, size_t);
static long long latency_us(const struct wake_msg *);
static int	 add_cand(struct cand *, struct vdom **, int, struct vdom *,
		    int, int64_t);
static struct host *host_find(const uint8_t *);
static void	 wake_host(const struct wake_msg *, struct host *);

void
wake_init(struct wakeup_conf *cf)
{
	const struct conf_host	*h;
	const struct conf_from	*fr;
	struct host		*hp;
	int			 i, n;

	conf = cf;
	for (i = 0; i < MAC_BUCKETS; i++)
		LIST_INIT(&states[i]);
	if (cf->file == NULL || cf->file->nhosts == 0)
		return;
	if ((hosts = calloc(cf->file->nhosts, sizeof(*hosts))) == NULL)
		fatal("calloc");
	TAILQ_FOREACH(h, &cf->file->hosts, entry) {
		hp = &hosts[nhosts++];
		hp->h = h;
		hp->c.name = h->name;
		hp->c.action = h->action == HOST_RELAY ? ACT_RELAY : ACT_RUN;
		hp->c.pw = h->pw;
		n = 0;
		TAILQ_FOREACH(fr, &h->from, entry)
			n++;
		if (n == 0)
			continue;
		if ((hp->nets = calloc(n, sizeof(*hp->nets))) == NULL)
			fatal("calloc");
		TAILQ_FOREACH(fr, &h->from, entry) {
			hp->nets[hp->c.nfrom].af = fr->af;
			memcpy(hp->nets[hp->c.nfrom].addr, fr->addr,
			    sizeof(fr->addr));
			hp->nets[hp->c.nfrom++].prefix = fr->prefix;
		}
		hp->c.from = hp->nets;
	}
}

/* The hosts' addresses, which the capture process must pass on too. */
size_t
wake_host_macs(uint8_t (*macs)[WOL_ADDR_LEN])
{
	size_t	 i;

	if (macs != NULL)
		for (i = 0; i < nhosts; i++)
			memcpy(macs[i], hosts[i].h->mac, WOL_ADDR_LEN);
	return (nhosts);
}

/* The configuration file refuses the same MAC on two hosts. */
static struct host *
host_find(const uint8_t *mac)
{
	size_t	 i;

	for (i = 0; i < nhosts; i++)
		if (memcmp(hosts[i].h->mac, mac, WOL_ADDR_LEN) == 0)
			return (&hosts[i]);
	return (NULL);
}

static struct macstate *
macstate_get(const uint8_t *mac)
{
	struct macstate	*s;
	unsigned int	 h;

	h = ((unsigned int)mac[3] << 16 | mac[4] << 8 | mac[5]) % MAC_BUCKETS;
	LIST_FOREACH(s, &states[h], entry)
		if (memcmp(s->mac, mac, WOL_ADDR_LEN) == 0)
			return (s);
	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal("calloc");
	memcpy(s->mac, mac, WOL_ADDR_LEN);
	LIST_INSERT_HEAD(&states[h], s, entry);
	return (s);
}

/* Forget MACs that have nothing left to remember. */
void
wake_prune(int64_t now)
{
	struct macstate	*s, *next;
	int64_t		 keep;
	int		 i;

	keep = (int64_t)conf->window * 1000 + PWBLOCK_FORGET_MS;
	for (i = 0; i < MAC_BUCKETS; i++)
		for (s = LIST_FIRST(&states[i]); s != NULL; s = next) {
			next = LIST_NEXT(s, entry);
			if (now - s->r.last_ms > keep &&
			    now - s->r.last_fail_ms > keep &&
			    now > s->r.block_until_ms) {
				LIST_REMOVE(s, entry);
				free(s);
			}
		}
}

/* Refusals are logged, but a flood of them must not fill the log. */
void
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

static const char *
sender_text(const struct wake_msg *m, char *buf, size_t len)
{
	const char	*s;

	if (m->sender_af == AF_INET || m->sender_af == AF_INET6)
		s = inet_ntop(m->sender_af, m->sender, buf, len);
	else
		s = wol_mac_ntoa(m->sender, buf, len);
	if (s == NULL)
		(void)strlcpy(buf, "?", len);
	return (buf);
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

/* One more candidate, once; returns the new count. */
static int
add_cand(struct cand *c, struct vdom **dv, int n, struct vdom *d,
    int relative, int64_t now)
{
	int	 i;

	if (n == MAXCANDS)
		return (n);
	for (i = 0; i < n; i++)
		if (dv[i] == d)
			return (n);
	dv[n] = d;
	memset(&c[n], 0, sizeof(c[n]));
	c[n].uri = conn_uri(d->conn);
	c[n].conn = conn_status(d->conn, now);
	memcpy(c[n].uuid, d->uuid, sizeof(c[n].uuid));
	c[n].name = d->name;
	c[n].state = d->state;
	c[n].reason = d->reason;
	c[n].active = d->active;
	c[n].persistent = d->persistent;
	c[n].live = d->live;
	c[n].config = d->config;
	c[n].relative = relative;
	c[n].acting = d->acting > 0;
	c[n].pending = d->pending;
	return (n + 1);
}

/*
 * A validated magic packet for m->mac: the domains with that NIC, and
 * their copies by UUID elsewhere, decided on in one pure function.
 */
void
wake(const struct wake_msg *m)
{
	struct cand		 c[MAXCANDS];
	struct vdom		*dv[MAXCANDS];
	struct cache_ent	*e;
	struct vdom		*d;
	struct macstate		*s;
	struct decide_opts	 o;
	struct decide_pkt	 p;
	struct decision		 dc;
	const char		*ifname, *name, *err;
	char			 mac[WOL_MAC_STRLEN], from[WOL_ADDR_STRLEN];
	char			 prefix[512];
	int64_t			 now = mono_ms();
	int			 n = 0, nmac, i;
	struct host		*hp;

	/* A host of the configuration file comes before any domain. */
	if ((hp = host_find(m->mac)) != NULL) {
		wake_host(m, hp);
		return;
	}
	ifname = conf->ifs[m->ifidx].name;
	wol_mac_ntoa(m->mac, mac, sizeof(mac));
	for (e = cache_first(m->mac); e != NULL; e = cache_next(e))
		n = add_cand(c, dv, n, e->dom, 0, now);
	nmac = n;
	for (i = 0; i < nmac; i++)
		for (d = cache_uuid_first(dv[i]->uuid); d != NULL;
		    d = cache_uuid_next(d))
			n = add_cand(c, dv, n, d, 1, now);
	if (n == 0) {
		/* Only in a race with an event: the child drops unknown ones. */
		log_debug("no domain has %s (on %s)", mac, ifname);
		return;
	}
	if (n == MAXCANDS) {
		/* Perhaps more: a copy left out could be the active one. */
		refuse_log("refuse mac %s on %s: %d or more domains share it "
		    "or their UUIDs; not deciding", mac, ifname, MAXCANDS);
		return;
	}

	memset(&o, 0, sizeof(o));
	o.window_s = conf->window;
	o.optin = conf->optin;
	o.pw = conf->pw;
	memset(&p, 0, sizeof(p));
	memcpy(p.mac, m->mac, sizeof(p.mac));
	p.pw.len = m->pwlen;
	memcpy(p.pw.buf, m->pw, sizeof(p.pw.buf));
	s = macstate_get(m->mac);
	decide(&p, c, n, &s->r, &o, now, &dc);
	s->r = dc.next;
	explicit_bzero(&p, sizeof(p));
	explicit_bzero(&o, sizeof(o));
	explicit_bzero(c, sizeof(c));

	sender_text(m, from, sizeof(from));
	name = dc.target >= 0 ? dv[dc.target]->name : "?";
	switch (dc.log) {
	case DLOG_QUIET:
		log_debug("%s from %s on %s: %s", mac, from, ifname, dc.why);
		return;
	case DLOG_REFUSE:
		refuse_log("refuse %s mac %s on %s from %s: %s", name, mac,
		    ifname, from, dc.why);
		return;
	}
	(void)snprintf(prefix, sizeof(prefix), "wake %s mac %s on %s from %s",
	    name, mac, ifname, from);
	if (dc.action == ACT_NONE) {
		log_info("%s: none: %s", prefix, dc.why);
		return;
	}
	if (log_getverbose())
		log_debug("%s: %lld us from capture to the libvirt call", mac,
		    latency_us(m));
	if ((err = conn_act(dv[dc.target], dc.action, prefix)) != NULL) {
		log_warnx("%s: %s: failed: %s", prefix, action_name(dc.action),
		    err);
		/* Nothing was done: the next packet may try again. */
		s->r.last_ms = 0;
	}
}

/*
 * A packet for a host of the configuration file: its policy, decided on
 * in decide_host(), then its relay or its command.
 */
static void
wake_host(const struct wake_msg *m, struct host *hp)
{
	struct macstate		*s;
	struct decide_opts	 o;
	struct decide_pkt	 p;
	struct decision		 dc;
	const char		*ifname, *err;
	char			 mac[WOL_MAC_STRLEN], from[WOL_ADDR_STRLEN];
	char			 what[128];
	int64_t			 now = mono_ms();
	int			 refused;

	ifname = conf->ifs[m->ifidx].name;
	wol_mac_ntoa(m->mac, mac, sizeof(mac));
	sender_text(m, from, sizeof(from));
	if (hp->c.action == ACT_RELAY &&
	    (err = relay_echo(hp->h, m, now)) != NULL) {
		log_debug("host %s mac %s on %s from %s: our own relay heard "
		    "again (%s), ignored", hp->c.name, mac, ifname, from, err);
		return;
	}

	memset(&o, 0, sizeof(o));
	o.window_s = conf->window;
	o.pw = conf->pw;
	memset(&p, 0, sizeof(p));
	memcpy(p.mac, m->mac, sizeof(p.mac));
	p.pw.len = m->pwlen;
	memcpy(p.pw.buf, m->pw, sizeof(p.pw.buf));
	p.sender_af = m->sender_af;
	memcpy(p.sender, m->sender, sizeof(p.sender));
	s = macstate_get(m->mac);
	decide_host(&p, &hp->c, &s->r, &o, now, &dc);
	s->r = dc.next;
	explicit_bzero(&p, sizeof(p));
	explicit_bzero(&o, sizeof(o));

	switch (dc.log) {
	case DLOG_QUIET:
		log_debug("host %s mac %s on %s from %s: %s", hp->c.name, mac,
		    ifname, from, dc.why);
		return;
	case DLOG_REFUSE:
		refuse_log("refuse host %s mac %s on %s from %s: %s",
		    hp->c.name, mac, ifname, from, dc.why);
		return;
	}
	if (dc.action == ACT_RUN) {
		log_info("wake host %s mac %s on %s from %s: run", hp->c.name,
		    mac, ifname, from);
		/* The run process logs the rest: it never answers. */
		runner_run(hp->h, m, ifname, from);
		return;
	}
	if ((err = relay_send(hp->h, m, now, what, sizeof(what),
	    &refused)) != NULL) {
		/* Rate-limited too: a flood must not fill the log. */
		refuse_log("%s host %s mac %s on %s from %s: %s%s",
		    refused ? "refuse" : "wake", hp->c.name, mac, ifname,
		    from, refused ? "" : "relay failed: ", err);
		/* Nothing was sent: the next packet may try again. */
		s->r.last_ms = 0;
		return;
	}
	log_info("wake host %s mac %s on %s from %s: %s", hp->c.name, mac,
	    ifname, from, what);
}
