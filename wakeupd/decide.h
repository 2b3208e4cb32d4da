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

#ifndef DECIDE_H
#define DECIDE_H

#include <stdint.h>

#include "wol.h"

/*
 * The wake decision: a pure function of the validated packet, every
 * domain that could be concerned, what happened to this MAC before and
 * the options.  No I/O, no clock, no libvirt call: decide.c only.
 */

/*
 * Wake policy, kept with each domain in its libvirt metadata:
 * <wake xmlns="urn:wakeupd:1" allow="yes|no" password="..."/>
 */
#define WAKEUPD_NS		"urn:wakeupd:1"
#define POLICY_DEFAULT		0	/* no metadata */
#define POLICY_YES		1	/* opted in */
#define POLICY_NO		2	/* opted out */
#define POLICY_BAD		3	/* malformed: never woken */
struct policy {
	int		 allow;
	struct wol_pw	 pw;			/* required, if len != 0 */
	char		 why[48];		/* POLICY_BAD: what is wrong */
};

/* A connection as the decision sees it. */
#define CONN_UP			0	/* connected and answering */
#define CONN_DOWN		1	/* was reached; unreachable now */
#define CONN_HUNG		2	/* connected, not answering */

/*
 * One domain concerned by a packet: one with a NIC of that MAC, or a
 * relative, a domain with the UUID of one of those (on another
 * connection, perhaps with another MAC), which counts only for "is a
 * copy active somewhere".  State and reason are libvirt's.
 */
struct cand {
	const char	*uri;		/* the connection's name */
	int		 conn;		/* CONN_* */
	unsigned char	 uuid[16];
	const char	*name;
	int		 state, reason;
	int		 active, persistent;
	struct policy	 live;		/* valid if active */
	struct policy	 config;	/* valid if persistent */
	int		 relative;	/* same UUID only, other MAC */
	int		 acting;	/* an action on it is under way */
	int		 pending;	/* its policy changed, not read yet */
};

/* What wakeupd remembers of one MAC, in and out of decide(). */
struct macrec {
	int64_t		 last_ms;	/* last action or "already up"; 0 never */
	int64_t		 fail_start_ms;	/* first wrong password counted */
	int		 nfail;		/* wrong passwords since then */
	int64_t		 block_until_ms;	/* refused until then */
	int		 level;		/* blocks in a row: 60 s << level */
	int64_t		 last_fail_ms;	/* for forgetting the level */
};

/*
 * Wrong passwords: PWFAIL_MAX in PWFAIL_WINDOW_MS block the MAC for
 * PWBLOCK_MIN_MS, doubling with each block in a row up to
 * PWBLOCK_MAX_MS; PWBLOCK_FORGET_MS without a wrong password, or a wake,
 * forgets the doubling.
 */
#define PWFAIL_MAX		5
#define PWFAIL_WINDOW_MS	60000LL
#define PWBLOCK_MIN_MS		60000LL
#define PWBLOCK_MAX_MS		900000LL
#define PWBLOCK_FORGET_MS	900000LL

struct decide_opts {
	int		 window_s;	/* debounce */
	int		 optin;
	struct wol_pw	 pw;		/* for domains without their own */
};

/* The packet, as much of it as the decision needs. */
struct decide_pkt {
	uint8_t		 mac[WOL_ADDR_LEN];
	struct wol_pw	 pw;
	int		 sender_af;	/* AF_INET, AF_INET6, or 0: none */
	uint8_t		 sender[16];	/* its IP address */
};

#define ACT_NONE		0
#define ACT_START		1
#define ACT_RESUME		2
#define ACT_PMWAKEUP		3
#define ACT_RELAY		4	/* a host of the configuration file */
#define ACT_RUN			5

/* Senders a host accepts: an address and a prefix length. */
struct host_net {
	int		 af;		/* AF_INET or AF_INET6 */
	uint8_t		 addr[16];
	int		 prefix;
};

/* A host of the configuration file, as the decision sees it. */
struct host_cand {
	const char		*name;
	int			 action;	/* ACT_RELAY or ACT_RUN */
	struct wol_pw		 pw;		/* required, if len != 0 */
	const struct host_net	*from;		/* none: any sender */
	int			 nfrom;
};

/* What to log: nothing (debounced), a wake line, or a refusal. */
#define DLOG_QUIET		0
#define DLOG_WAKE		1	/* "wake DOM ...: ACTION[: why]" */
#define DLOG_REFUSE		2	/* "refuse DOM ...: why" */

struct decision {
	int		 action;	/* ACT_* */
	int		 target;	/* index into the candidates, or -1 */
	int		 log;		/* DLOG_* */
	char		 why[160];	/* in words a user understands */
	struct macrec	 next;		/* what to remember of this MAC */
};

void		 decide(const struct decide_pkt *, const struct cand *, int,
		    const struct macrec *, const struct decide_opts *,
		    int64_t, struct decision *);
const char	*action_name(int);
void		 decide_host(const struct decide_pkt *,
		    const struct host_cand *, const struct macrec *,
		    const struct decide_opts *, int64_t, struct decision *);
int		 sender_allowed(const struct host_net *, int, int,
		    const uint8_t *);

/* Policy: the stricter of two, and what a packet must bring. */
#define PW_CONFLICT		(-1)
int		 policy_merge(const struct cand *, struct policy *);
const char	*policy_refusal(const struct policy *, int,
		    const struct decide_opts *, const struct wol_pw *);
const char	*policy_text(const struct policy *, int, int, int);
const char	*state_text(int, int);

#endif /* DECIDE_H */
