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
#include <sys/socket.h>

#include <stdio.h>
#include <string.h>

/* The state and reason numbers only: nothing here calls libvirt. */
#include <libvirt/libvirt.h>

#include "compat.h"
#include "decide.h"

/*
 * The wake decision, as one pure function; regress/wakeupd/test_decide
 * runs it through a table.  The rules, in the order they apply:
 *
 *  1. Within the debounce window of the last action on this MAC,
 *     nothing, quietly: a burst of packets makes one action.
 *  2. While the MAC is blocked for wrong passwords, refuse.
 *  3. Policy: of each domain, the stricter of its live and persistent
 *     policy; a domain may be woken only if it allows this packet, and
 *     not while a change to its policy is being read.
 *     Wrong passwords are counted and block the MAC (see decide.h).
 *  4. A domain with this MAC that runs (or is shutting down, or is
 *     being started or resumed right now) means the host is up:
 *     nothing, and the window opens.
 *  5. What can be done: resume what a user paused; wake what is
 *     pmsuspended; start what is shut off, but never while any copy
 *     with this MAC or UUID is active anywhere, or may be, on a
 *     connection that is down or not answering.  A crashed domain is
 *     kept for inspection.  Exactly one candidate: act; several: refuse
 *     as ambiguous; none: refuse, saying why.
 */

#define R_OK		0
#define R_BAD		1
#define R_NO		2
#define R_NOTIN		3
#define R_CONFLICT	4
#define R_MISSING	5
#define R_WRONG		6
#define R_PENDING	7

static const char *const refusals[] = {
	[R_OK] = "allowed",
	[R_BAD] = "not allowed: malformed wakeupd metadata",
	[R_NO] = "not allowed: opted out",
	[R_NOTIN] = "not allowed: not opted in",
	[R_CONFLICT] = ("not allowed: its live and persistent policies name "
	    "different passwords"),
	[R_MISSING] = "missing password",
	[R_WRONG] = "wrong password",
	[R_PENDING] = "its wakeupd policy changed and is being read again",
};

static int	 policy_check(const struct policy *, int,
		    const struct decide_opts *, const struct wol_pw *);
static int	 strictness(int);
static const char *conn_text(int);
static int	 is_up(const struct cand *);
static void	 pw_failed(struct macrec *, int64_t, char *, size_t);
static int	 preamble(struct decision *, const struct macrec *,
		    const struct decide_opts *, int64_t);
static void	 acted(struct decision *, const struct decide_pkt *,
		    int64_t);

const char *
action_name(int action)
{
	switch (action) {
	case ACT_START:		return ("start");
	case ACT_RESUME:	return ("resume");
	case ACT_PMWAKEUP:	return ("pmwakeup");
	case ACT_RELAY:		return ("relay");
	case ACT_RUN:		return ("run");
	default:		return ("none");
	}
}

/* Why a domain is as it is, for the log: "paused by a user". */
const char *
state_text(int state, int reason)
{
	switch (state) {
	case VIR_DOMAIN_RUNNING:	return ("running");
	case VIR_DOMAIN_BLOCKED:	return ("running (blocked)");
	case VIR_DOMAIN_SHUTDOWN:	return ("shutting down");
	case VIR_DOMAIN_SHUTOFF:	return ("shut off");
	case VIR_DOMAIN_PMSUSPENDED:	return ("pmsuspended");
	case VIR_DOMAIN_CRASHED:
		return (reason == VIR_DOMAIN_CRASHED_PANICKED ?
		    "crashed (panicked)" : "crashed");
	case VIR_DOMAIN_PAUSED:
		break;
	default:
		return ("in no known state");
	}
	switch (reason) {
	case VIR_DOMAIN_PAUSED_USER:
		return ("paused by a user");
	case VIR_DOMAIN_PAUSED_MIGRATION:
		return ("paused for a migration");
	case VIR_DOMAIN_PAUSED_SAVE:
		return ("paused while being saved");
	case VIR_DOMAIN_PAUSED_DUMP:
		return ("paused for a core dump");
	case VIR_DOMAIN_PAUSED_IOERROR:
		return ("paused on a disk I/O error");
	case VIR_DOMAIN_PAUSED_WATCHDOG:
		return ("paused by its watchdog");
	case VIR_DOMAIN_PAUSED_FROM_SNAPSHOT:
		return ("paused from a snapshot");
	case VIR_DOMAIN_PAUSED_SHUTTING_DOWN:
		return ("paused while shutting down");
	case VIR_DOMAIN_PAUSED_SNAPSHOT:
		return ("paused for a snapshot");
	case VIR_DOMAIN_PAUSED_CRASHED:
		return ("paused after a guest crash");
	case VIR_DOMAIN_PAUSED_STARTING_UP:
		return ("paused while starting up");
	case VIR_DOMAIN_PAUSED_POSTCOPY:
		return ("paused in a post-copy migration");
	case VIR_DOMAIN_PAUSED_POSTCOPY_FAILED:
		return ("paused after a failed post-copy migration");
	default:
		return ("paused for an unknown reason");
	}
}

static const char *
conn_text(int conn)
{
	return (conn == CONN_DOWN ? "unreachable" : "not answering");
}

static int
is_up(const struct cand *c)
{
	return (c->state == VIR_DOMAIN_RUNNING ||
	    c->state == VIR_DOMAIN_BLOCKED || c->state == VIR_DOMAIN_SHUTDOWN);
}

/* Opt-in yes < no metadata < opted out < malformed. */
static int
strictness(int allow)
{
	switch (allow) {
	case POLICY_YES:	return (0);
	case POLICY_DEFAULT:	return (1);
	case POLICY_NO:		return (2);
	default:		return (3);
	}
}

/*
 * The policy that applies to a domain: the stricter of its live one (if
 * it runs) and its persistent one (if it is defined), so that a change
 * made with --config counts at once.  Returns PW_CONFLICT when both name
 * a password and they differ, else 0.
 */
int
policy_merge(const struct cand *c, struct policy *out)
{
	const struct policy	*a = NULL, *b = NULL;

	memset(out, 0, sizeof(*out));
	out->allow = POLICY_DEFAULT;
	if (c->active)
		a = &c->live;
	if (c->persistent)
		b = &c->config;
	if (a == NULL) {
		a = b;
		b = NULL;
	}
	if (a == NULL)
		return (0);
	*out = *a;
	if (b == NULL)
		return (0);
	if (strictness(b->allow) > strictness(out->allow)) {
		out->allow = b->allow;
		memcpy(out->why, b->why, sizeof(out->why));
	}
	if (out->pw.len == 0)
		out->pw = b->pw;
	else if (b->pw.len != 0 && (b->pw.len != out->pw.len ||
	    timingsafe_bcmp(b->pw.buf, out->pw.buf, out->pw.len) != 0))
		return (PW_CONFLICT);
	return (0);
}

/* May a packet with password pw wake a domain of policy p?  R_*. */
static int
policy_check(const struct policy *p, int conflict,
    const struct decide_opts *o, const struct wol_pw *pw)
{
	const struct wol_pw	*need = NULL;

	switch (p->allow) {
	case POLICY_BAD:
		return (R_BAD);
	case POLICY_NO:
		return (R_NO);
	case POLICY_DEFAULT:
		if (o->optin)
			return (R_NOTIN);
		break;
	}
	if (conflict)
		return (R_CONFLICT);
	if (p->pw.len != 0)
		need = &p->pw;
	else if (o->pw.len != 0)
		need = &o->pw;
	if (need == NULL)
		return (R_OK);
	if (pw->len == 0)
		return (R_MISSING);
	if (pw->len != need->len ||
	    timingsafe_bcmp(pw->buf, need->buf, need->len) != 0)
		return (R_WRONG);
	return (R_OK);
}

/* Why a policy refuses packets, or NULL; for callers outside decide(). */
const char *
policy_refusal(const struct policy *p, int conflict,
    const struct decide_opts *o, const struct wol_pw *pw)
{
	int	 r = policy_check(p, conflict, o, pw);

	return (r == R_OK ? NULL : refusals[r]);
}

/* What wakeupd -n says of a merged policy under the global options. */
const char *
policy_text(const struct policy *p, int conflict, int optin, int globalpw)
{
	switch (p->allow) {
	case POLICY_NO:
		return ("not woken: opted out");
	case POLICY_BAD:
		return ("not woken: malformed wakeupd metadata");
	case POLICY_DEFAULT:
		if (optin)
			return ("not woken: not opted in");
		break;
	}
	if (conflict)
		return ("not woken: its live and persistent policies name "
		    "different passwords");
	if (p->pw.len != 0)
		return (p->pw.len == 4 ? "woken with its 4-byte password" :
		    "woken with its 6-byte password");
	if (globalpw)
		return ("woken with the global password");
	return ("woken by any magic packet");
}

/* Count a wrong password; enough of them in a row block the MAC. */
static void
pw_failed(struct macrec *r, int64_t now, char *why, size_t len)
{
	int64_t	 block;

	if (r->nfail == 0 || now - r->fail_start_ms >= PWFAIL_WINDOW_MS) {
		r->fail_start_ms = now;
		r->nfail = 0;
	}
	r->nfail++;
	r->last_fail_ms = now;
	if (r->nfail < PWFAIL_MAX)
		return;
	block = PWBLOCK_MIN_MS << (r->level < 8 ? r->level : 8);
	if (block > PWBLOCK_MAX_MS)
		block = PWBLOCK_MAX_MS;
	r->block_until_ms = now + block;
	if (r->level < 8)
		r->level++;
	r->nfail = 0;
	r->fail_start_ms = 0;
	(void)snprintf(why + strlen(why), len - strlen(why),
	    "; %d wrong in %lld s: refused for %lld s", PWFAIL_MAX,
	    PWFAIL_WINDOW_MS / 1000, (long long)(block / 1000));
}

/*
 * Rules 1 and 2, for domains and hosts alike: a long quiet spell forgets
 * earlier blocks; within the debounce window nothing, quietly; while the
 * MAC is blocked for wrong passwords, refuse.  Returns 1 when that
 * decides.
 */
static int
preamble(struct decision *d, const struct macrec *mr,
    const struct decide_opts *o, int64_t now)
{
	d->next = *mr;
	if (d->next.level > 0 && now >= d->next.block_until_ms &&
	    now - d->next.last_fail_ms >= PWBLOCK_FORGET_MS)
		d->next.level = 0;
	if (d->next.last_ms != 0 &&
	    now - d->next.last_ms < (int64_t)o->window_s * 1000) {
		d->log = DLOG_QUIET;
		(void)snprintf(d->why, sizeof(d->why),
		    "within %d s of the last wake, ignored", o->window_s);
		return (1);
	}
	if (now < d->next.block_until_ms) {
		d->log = DLOG_REFUSE;
		(void)snprintf(d->why, sizeof(d->why), "too many wrong "
		    "passwords: refused for another %lld s",
		    (long long)((d->next.block_until_ms - now + 999) / 1000));
		return (1);
	}
	return (0);
}

/* An action is taken: the window opens; the right password forgets. */
static void
acted(struct decision *d, const struct decide_pkt *p, int64_t now)
{
	d->log = DLOG_WAKE;
	d->next.last_ms = now;
	/* The right password: the owner is here, forget the count. */
	if (p->pw.len != 0) {
		d->next.nfail = 0;
		d->next.fail_start_ms = 0;
		d->next.level = 0;
	}
}

/* Is the sender in one of the networks?  No IP sender never is. */
int
sender_allowed(const struct host_net *nets, int n, int af,
    const uint8_t *addr)
{
	int	 i, bits, len;

	for (i = 0; i < n; i++) {
		if (nets[i].af != af || (af != AF_INET && af != AF_INET6))
			continue;
		len = af == AF_INET ? 32 : 128;
		bits = nets[i].prefix;
		if (bits < 0 || bits > len)
			continue;
		if (memcmp(nets[i].addr, addr, bits / 8) != 0)
			continue;
		if (bits % 8 != 0 && ((nets[i].addr[bits / 8] ^
		    addr[bits / 8]) & (0xff00 >> (bits % 8) & 0xff)) != 0)
			continue;
		return (1);
	}
	return (0);
}

/*
 * A host of the configuration file: debounce and block as for domains;
 * then its senders, then its password (or the global one); then its
 * action.  A sender it does not accept is refused before the password
 * is looked at, so that it counts no wrong password against the owner.
 */
void
decide_host(const struct decide_pkt *p, const struct host_cand *h,
    const struct macrec *mr, const struct decide_opts *o, int64_t now,
    struct decision *d)
{
	const struct wol_pw	*need = NULL;

	memset(d, 0, sizeof(*d));
	d->action = ACT_NONE;
	d->target = 0;
	if (preamble(d, mr, o, now))
		return;
	d->log = DLOG_REFUSE;
	if (h->nfrom > 0 &&
	    !sender_allowed(h->from, h->nfrom, p->sender_af, p->sender)) {
		(void)strlcpy(d->why, p->sender_af == 0 ? "not allowed: "
		    "no IP sender (an Ethernet frame), and the host names "
		    "its senders" : "not allowed: sender not in the host's "
		    "from list", sizeof(d->why));
		return;
	}
	if (h->pw.len != 0)
		need = &h->pw;
	else if (o->pw.len != 0)
		need = &o->pw;
	if (need != NULL && p->pw.len == 0) {
		(void)strlcpy(d->why, refusals[R_MISSING], sizeof(d->why));
		return;
	}
	if (need != NULL && (p->pw.len != need->len ||
	    timingsafe_bcmp(p->pw.buf, need->buf, need->len) != 0)) {
		(void)strlcpy(d->why, refusals[R_WRONG], sizeof(d->why));
		pw_failed(&d->next, now, d->why, sizeof(d->why));
		return;
	}
	d->action = h->action;
	acted(d, p, now);
}

void
decide(const struct decide_pkt *p, const struct cand *c, int n,
    const struct macrec *mr, const struct decide_opts *o, int64_t now,
    struct decision *d)
{
	struct policy	 pol;
	const char	*first_why = NULL;
	char		 why[sizeof(d->why)];
	int		 i, j, r, conflict, nallowed = 0, nact = 0;
	int		 first = -1, wrong = 0, act[2] = { ACT_NONE, ACT_NONE };
	int		 acti[2] = { -1, -1 }, urisdiffer = 0;
	int		 allowed[64];

	memset(d, 0, sizeof(*d));
	d->next = *mr;
	d->action = ACT_NONE;
	d->target = -1;
	d->log = DLOG_QUIET;
	for (i = 0; i < n; i++)
		if (!c[i].relative) {
			if (first == -1)
				first = i;
			else if (strcmp(c[i].uri, c[first].uri) != 0)
				urisdiffer = 1;
		}
	if (first == -1 || n > (int)(sizeof(allowed) / sizeof(allowed[0]))) {
		(void)strlcpy(d->why, first == -1 ? "no domain has this MAC" :
		    "too many domains with this MAC", sizeof(d->why));
		d->log = first == -1 ? DLOG_QUIET : DLOG_REFUSE;
		d->target = first;
		return;
	}

	/* 1. and 2. */
	d->target = first;
	if (preamble(d, mr, o, now))
		return;

	/* 3. Policy. */
	for (i = 0; i < n; i++) {
		allowed[i] = 0;
		if (c[i].relative)
			continue;
		conflict = policy_merge(&c[i], &pol) == PW_CONFLICT;
		r = c[i].pending ? R_PENDING :
		    policy_check(&pol, conflict, o, &p->pw);
		explicit_bzero(&pol, sizeof(pol));
		if (r == R_OK) {
			allowed[i] = 1;
			nallowed++;
			continue;
		}
		if (r == R_WRONG)
			wrong = 1;
		if (first_why == NULL) {
			first_why = refusals[r];
			d->target = i;
		}
	}
	if (nallowed == 0) {
		d->log = DLOG_REFUSE;
		(void)strlcpy(d->why, first_why, sizeof(d->why));
		if (wrong)
			pw_failed(&d->next, now, d->why, sizeof(d->why));
		return;
	}

	/* 4. Up already, or on its way: nothing to do. */
	for (i = 0; i < n; i++)
		if (!c[i].relative && (is_up(&c[i]) || c[i].acting)) {
			d->log = DLOG_WAKE;
			d->target = i;
			d->next.last_ms = now;
			(void)snprintf(d->why, sizeof(d->why), "%s%s%s",
			    c[i].acting ? "being woken already" :
			    state_text(c[i].state, c[i].reason),
			    urisdiffer ? " on " : "", urisdiffer ? c[i].uri : "");
			return;
		}

	/* 5. What can be done, and to which domain. */
	first_why = NULL;
	why[0] = '\0';
	for (i = 0; i < n; i++) {
		int	 a = ACT_NONE;

		if (!allowed[i])
			continue;
		if (c[i].conn != CONN_UP) {
			(void)snprintf(why, sizeof(why), "%s is %s", c[i].uri,
			    conn_text(c[i].conn));
		} else if (c[i].state == VIR_DOMAIN_PAUSED) {
			if (c[i].reason == VIR_DOMAIN_PAUSED_USER)
				a = ACT_RESUME;
			else
				(void)snprintf(why, sizeof(why),
				    "%s: not resumed; resume it by hand",
				    state_text(c[i].state, c[i].reason));
		} else if (c[i].state == VIR_DOMAIN_PMSUSPENDED) {
			a = ACT_PMWAKEUP;
		} else if (c[i].state == VIR_DOMAIN_CRASHED) {
			(void)snprintf(why, sizeof(why), "%s: kept for "
			    "inspection; destroy it to let a packet start it",
			    state_text(c[i].state, c[i].reason));
		} else if (c[i].state == VIR_DOMAIN_SHUTOFF && !c[i].active) {
			a = ACT_START;
			for (j = 0; j < n && a == ACT_START; j++) {
				if (j == i)
					continue;
				if (c[j].active || c[j].acting) {
					(void)snprintf(why, sizeof(why),
					    "not started: a copy is active on "
					    "%s (%s, %s)", c[j].uri, c[j].name,
					    c[j].acting ? "being woken" :
					    state_text(c[j].state,
					    c[j].reason));
					a = ACT_NONE;
				} else if (c[j].conn != CONN_UP) {
					(void)snprintf(why, sizeof(why),
					    "not started: a copy may be active "
					    "on %s, which is %s", c[j].uri,
					    conn_text(c[j].conn));
					a = ACT_NONE;
				}
			}
		} else {
			(void)snprintf(why, sizeof(why), "%s",
			    state_text(c[i].state, c[i].reason));
		}
		if (a != ACT_NONE) {
			if (nact < 2) {
				act[nact] = a;
				acti[nact] = i;
			}
			nact++;
		} else if (first_why == NULL) {
			first_why = why;
			d->target = i;
			(void)strlcpy(d->why, why, sizeof(d->why));
		}
	}
	if (nact == 1) {
		d->action = act[0];
		d->target = acti[0];
		acted(d, p, now);
		return;
	}
	d->log = DLOG_REFUSE;
	if (nact > 1) {
		d->target = acti[0];
		d->next.last_ms = now;
		(void)snprintf(d->why, sizeof(d->why), "ambiguous: %d domains "
		    "with this MAC can be woken (%s on %s, %s on %s%s)", nact,
		    c[acti[0]].name, c[acti[0]].uri, c[acti[1]].name,
		    c[acti[1]].uri, nact > 2 ? ", ..." : "");
	}
}
