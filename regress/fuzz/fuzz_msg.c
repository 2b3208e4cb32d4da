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

/*
 * The parent's side of the socketpair, against a compromised capture
 * process: a sequence of messages of any size, kind and content goes
 * through msg_check() as loop.c's msg_cb() sends it, and each accepted
 * one on, as wake() does, to decide() with candidates of every state,
 * policy and connection, and what was remembered of its MAC.  A refused
 * message ends the sequence, as it ends wakeupd.  No libvirt call.
 *
 * The input: a header, then the messages.
 *	byte 0		interfaces: 1 + b % WAKEUPD_MAXIFS
 *	byte 1		options: bit 0 opt-in; bits 1-2 global password
 *			(pws[] below); bits 3-5 debounce window, seconds
 *	byte 2		candidates: b % (MAXC + 1), 4 bytes each:
 *	  0		bits 0-1 which of four MACs it has (the message's
 *			mac[5] & 3 picks the domains concerned); bit 2 a
 *			relative; bits 3-4 its connection (CONN_*, 3 is up);
 *			bits 5-6 its URI; bit 7 persistent
 *	  1		its state and reason (states[] below)
 *	  2, 3		live and persistent policy: bits 0-1 allow, bits
 *			2-3 password (pws[])
 *	each message	a size byte: below 0xc0 a whole struct wake_msg,
 *			else 2 * (b - 0xc0) bytes (0 to 126, as a child
 *			may send); then that many bytes, or what is left.
 * Each message is read into a buffer of exactly its size, so that ASan
 * sees a read past what was received.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>

#include <string.h>

#include <libvirt/libvirt.h>

#include "compat.h"
#include "wol.h"
#include "wakeupd.h"
#include "fuzz.h"

#define MAXC		6
#define MAXMACS		8
#define T0_MS		1000000LL

static const struct {
	int	 state, reason, active;
} states[16] = {
	{ VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, 1 },
	{ VIR_DOMAIN_BLOCKED, 0, 1 },
	{ VIR_DOMAIN_SHUTDOWN, 0, 1 },
	{ VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, 0 },
	{ VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED, 1 },
	{ VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, 1 },
	{ VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_IOERROR, 1 },
	{ VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_MIGRATION, 1 },
	{ VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SAVE, 1 },
	{ VIR_DOMAIN_PAUSED, 99, 1 },
	{ VIR_DOMAIN_PMSUSPENDED, 0, 1 },
	{ VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED, 1 },
	{ VIR_DOMAIN_CRASHED, 0, 0 },
	{ VIR_DOMAIN_NOSTATE, 0, 0 },
	{ 42, 0, 1 },
	{ VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, 0 },
};

/* The passwords policies name, and a message may bring. */
static const struct wol_pw pws[4] = {
	{ 0, { 0 } },
	{ 4, { 192, 0, 2, 1 } },
	{ 6, { 1, 2, 3, 4, 5, 6 } },
	{ 6, { 9, 9, 9, 9, 9, 9 } },
};
static const int allows[4] = {
	POLICY_DEFAULT, POLICY_YES, POLICY_NO, POLICY_BAD
};
static const char *const uris[4] = {
	"qemu:///system", "qemu+ssh://b/system", "qemu+tls://c/system",
	"test:///default"
};
static const char *const names[MAXC] = { "d0", "d1", "d2", "d3", "d4", "d5" };

struct macmem {
	uint8_t		 mac[WOL_ADDR_LEN];
	struct macrec	 r;
};

static void	 policy_set(struct policy *, uint8_t);
static int	 cands_for(const struct wake_msg *, const struct cand *,
		    const uint8_t *, int, struct cand *);
static struct macrec *macrec_get(struct macmem *, int *, const uint8_t *);
static int	 is_up(const struct cand *);
static void	 check_msg(const struct wake_msg *, size_t, int, int);
static void	 check_decision(const struct decide_pkt *, const struct cand *,
		    int, const struct macrec *, const struct decide_opts *,
		    int64_t, const struct decision *);

static void
policy_set(struct policy *p, uint8_t b)
{
	memset(p, 0, sizeof(*p));
	p->allow = allows[b & 3];
	p->pw = pws[(b >> 2) & 3];
	if (p->allow == POLICY_BAD)
		(void)strlcpy(p->why, "bad attribute x", sizeof(p->why));
}

/* The domains concerned by m's MAC: those of its group. */
static int
cands_for(const struct wake_msg *m, const struct cand *all,
    const uint8_t *group, int nall, struct cand *c)
{
	int	 i, n = 0;

	for (i = 0; i < nall; i++)
		if (group[i] == (m->mac[5] & 3))
			c[n++] = all[i];
	return (n);
}

static struct macrec *
macrec_get(struct macmem *mm, int *nmm, const uint8_t *mac)
{
	int	 i;

	for (i = 0; i < *nmm; i++)
		if (memcmp(mm[i].mac, mac, WOL_ADDR_LEN) == 0)
			return (&mm[i].r);
	if (*nmm == MAXMACS)
		i = 0;
	else
		i = (*nmm)++;
	memset(&mm[i], 0, sizeof(mm[i]));
	memcpy(mm[i].mac, mac, WOL_ADDR_LEN);
	return (&mm[i].r);
}

/* What msg_check() accepted is what wake() may rely on, and only that. */
static void
check_msg(const struct wake_msg *m, size_t len, int nifs, int ok)
{
	const char	*reason;
	int		 want;

	want = len == sizeof(*m) && m->kind == MSG_WAKE &&
	    m->ifidx < (uint32_t)nifs &&
	    (m->pwlen == 0 || m->pwlen == 4 || m->pwlen == 6) &&
	    (m->sender_af == 0 || m->sender_af == AF_INET ||
	    m->sender_af == AF_INET6) && m->has_esrc <= 1 &&
	    wol_mac_is_target(m->mac, &reason) == 0;
	FUZZ_CHECK(ok == (want ? 0 : -1));
}

static int
is_up(const struct cand *c)
{
	return (c->state == VIR_DOMAIN_RUNNING ||
	    c->state == VIR_DOMAIN_BLOCKED || c->state == VIR_DOMAIN_SHUTDOWN);
}

/* The rules of decide.c's comment, seen from outside. */
static void
check_decision(const struct decide_pkt *p, const struct cand *c, int n,
    const struct macrec *prev, const struct decide_opts *o, int64_t now,
    const struct decision *d)
{
	const struct cand	*t;
	struct policy		 pol;
	struct decision		 again;
	int			 i, conflict, direct = 0, up = 0;

	FUZZ_CHECK(d->action >= ACT_NONE && d->action <= ACT_PMWAKEUP);
	FUZZ_CHECK(d->log == DLOG_QUIET || d->log == DLOG_WAKE ||
	    d->log == DLOG_REFUSE);
	FUZZ_CHECK(d->target >= -1 && d->target < n);
	FUZZ_CHECK(memchr(d->why, '\0', sizeof(d->why)) != NULL);
	FUZZ_CHECK(d->next.level >= 0 && d->next.level <= 8);
	FUZZ_CHECK(d->next.nfail >= 0 && d->next.nfail < PWFAIL_MAX);
	FUZZ_CHECK(d->next.block_until_ms >= prev->block_until_ms);
	FUZZ_CHECK(d->next.block_until_ms <= now + PWBLOCK_MAX_MS ||
	    d->next.block_until_ms == prev->block_until_ms);

	/* Pure: the same question, the same answer. */
	decide(p, c, n, prev, o, now, &again);
	FUZZ_CHECK(memcmp(&again, d, sizeof(again)) == 0);

	for (i = 0; i < n; i++)
		if (!c[i].relative) {
			direct++;
			up |= is_up(&c[i]);
		}
	if (direct == 0)
		FUZZ_CHECK(d->action == ACT_NONE && d->log == DLOG_QUIET);
	/* 1. Debounced: nothing, quietly, and nothing remembered anew. */
	if (prev->last_ms != 0 && now - prev->last_ms <
	    (int64_t)o->window_s * 1000) {
		FUZZ_CHECK(d->action == ACT_NONE && d->log == DLOG_QUIET);
		FUZZ_CHECK(d->next.last_ms == prev->last_ms &&
		    d->next.nfail == prev->nfail &&
		    d->next.block_until_ms == prev->block_until_ms);
	}
	if (d->log == DLOG_WAKE && d->action == ACT_NONE)
		FUZZ_CHECK(up && d->next.last_ms == now);
	if (d->action == ACT_NONE)
		return;

	/* An action: allowed, not debounced, not blocked, on a domain. */
	FUZZ_CHECK(d->log == DLOG_WAKE && d->target >= 0);
	FUZZ_CHECK(prev->last_ms == 0 ||
	    now - prev->last_ms >= (int64_t)o->window_s * 1000);
	FUZZ_CHECK(now >= prev->block_until_ms);
	FUZZ_CHECK(d->next.last_ms == now);
	FUZZ_CHECK(!up);
	t = &c[d->target];
	FUZZ_CHECK(!t->relative && t->conn == CONN_UP);
	conflict = policy_merge(t, &pol) == PW_CONFLICT;
	FUZZ_CHECK(policy_refusal(&pol, conflict, o, &p->pw) == NULL);
	switch (d->action) {
	case ACT_START:
		FUZZ_CHECK(t->state == VIR_DOMAIN_SHUTOFF && !t->active);
		for (i = 0; i < n; i++)
			FUZZ_CHECK(&c[i] == t ||
			    (!c[i].active && c[i].conn == CONN_UP));
		break;
	case ACT_RESUME:
		FUZZ_CHECK(t->state == VIR_DOMAIN_PAUSED &&
		    t->reason == VIR_DOMAIN_PAUSED_USER);
		break;
	case ACT_PMWAKEUP:
		FUZZ_CHECK(t->state == VIR_DOMAIN_PMSUSPENDED);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cand		 all[MAXC], c[MAXC];
	uint8_t			 group[MAXC];
	struct macmem		 mm[MAXMACS];
	struct iface		*ifs;
	struct wake_msg		*m;
	struct macrec		*r, prev;
	struct decide_opts	 o;
	struct decide_pkt	 p;
	struct decision		 dc;
	char			 from[WOL_ADDR_STRLEN], mac[WOL_MAC_STRLEN];
	const char		*s;
	size_t			 off, len;
	int64_t			 now = T0_MS;
	int			 nifs, nall, n, nmm = 0, i, ok;

	if (size < 3)
		return (0);
	nifs = 1 + data[0] % WAKEUPD_MAXIFS;
	memset(&o, 0, sizeof(o));
	o.optin = data[1] & 1;
	o.pw = pws[(data[1] >> 1) & 3];
	o.window_s = (data[1] >> 3) & 7;
	nall = data[2] % (MAXC + 1);
	off = 3;
	if (size - off < (size_t)nall * 4)
		return (0);
	memset(all, 0, sizeof(all));
	for (i = 0; i < nall; i++, off += 4) {
		group[i] = data[off] & 3;
		all[i].relative = (data[off] >> 2) & 1;
		all[i].conn = (data[off] >> 3) & 3;
		if (all[i].conn == 3)
			all[i].conn = CONN_UP;
		all[i].uri = uris[(data[off] >> 5) & 3];
		all[i].persistent = data[off] >> 7;
		all[i].uuid[0] = i;
		all[i].name = names[i];
		all[i].state = states[data[off + 1] & 15].state;
		all[i].reason = states[data[off + 1] & 15].reason;
		all[i].active = states[data[off + 1] & 15].active;
		policy_set(&all[i].live, data[off + 2]);
		policy_set(&all[i].config, data[off + 3]);
	}
	/* Exactly as many as configured: an index past them is ASan's. */
	if ((ifs = calloc(nifs, sizeof(*ifs))) == NULL)
		abort();
	for (i = 0; i < nifs; i++)
		(void)snprintf(ifs[i].name, sizeof(ifs[i].name), "wa%d", i);

	while (off < size) {
		len = data[off] < 0xc0 ? sizeof(*m) :
		    2 * (size_t)(data[off] - 0xc0);
		off++;
		if (len > size - off)
			len = size - off;
		if ((m = malloc(len > 0 ? len : 1)) == NULL)
			abort();
		memcpy(m, data + off, len);
		off += len;

		ok = msg_check(m, len, nifs);
		check_msg(m, len, nifs, ok);
		if (ok == -1) {
			/* loop.c: fatalx, and wakeupd is gone. */
			free(m);
			break;
		}

		/* wake(): the interface, the sender, the packet. */
		FUZZ_CHECK(strncmp(ifs[m->ifidx].name, "wa", 2) == 0);
		if (m->sender_af == AF_INET || m->sender_af == AF_INET6)
			s = inet_ntop(m->sender_af, m->sender, from,
			    sizeof(from));
		else
			s = wol_mac_ntoa(m->sender, from, sizeof(from));
		FUZZ_CHECK(s != NULL);
		FUZZ_CHECK(wol_mac_ntoa(m->mac, mac, sizeof(mac)) != NULL);
		memset(&p, 0, sizeof(p));
		memcpy(p.mac, m->mac, sizeof(p.mac));
		p.pw.len = m->pwlen;
		memcpy(p.pw.buf, m->pw, sizeof(p.pw.buf));

		/* Time goes on between messages, by seconds or by hours. */
		if (m->ts_us & (1ULL << 63))
			now += m->ts_us % 7200000;
		else
			now += m->ts_us % 65536;
		n = cands_for(m, all, group, nall, c);
		r = macrec_get(mm, &nmm, m->mac);
		prev = *r;
		decide(&p, c, n, &prev, &o, now, &dc);
		check_decision(&p, c, n, &prev, &o, now, &dc);
		*r = dc.next;
		explicit_bzero(&p, sizeof(p));
		explicit_bzero(m, len);
		free(m);
	}
	free(ifs);
	return (0);
}
