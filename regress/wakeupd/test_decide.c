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
 * wakeupd's wake decision, compiled from wakeupd/decide.c: one table of
 * situations with the action, target, kind of log line and reason each
 * must give, then sequences for the wrong-password backoff and the
 * debounce window.  Rows marked "was:" failed with the decision of
 * wakeupd 0.1 (virt.c's wake()), which this replaces.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libvirt/libvirt.h>

#include "compat.h"
#include "unit.h"
#include "decide.h"

#define U1	"qemu:///system"
#define U2	"qemu+ssh://b/system"
#define U3	"qemu+tls://c/system"

#define RUN	VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, 1
#define OFF	VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, 0
#define PUSER	VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, 1
#define PIOERR	VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_IOERROR, 1
#define PSAVE	VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SAVE, 1
#define PSNAP	VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SNAPSHOT, 1
#define PMIGR	VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_MIGRATION, 1
#define PWDOG	VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_WATCHDOG, 1
#define PMS	VIR_DOMAIN_PMSUSPENDED, 0, 1
#define CRASH	VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED, 1
#define DOWNST	VIR_DOMAIN_SHUTDOWN, 0, 1

/* Policies. */
#define PNONE	{ POLICY_DEFAULT, { 0, { 0 } }, "" }
#define PYES	{ POLICY_YES, { 0, { 0 } }, "" }
#define PNO	{ POLICY_NO, { 0, { 0 } }, "" }
#define PBAD	{ POLICY_BAD, { 0, { 0 } }, "bad attribute x" }
#define PPW6	{ POLICY_DEFAULT, { 6, { 1, 2, 3, 4, 5, 6 } }, "" }
#define PPW6B	{ POLICY_DEFAULT, { 6, { 9, 9, 9, 9, 9, 9 } }, "" }
#define PPW4	{ POLICY_YES, { 4, { 192, 0, 2, 1 } }, "" }

#define UUA	{ 0xa }
#define UUB	{ 0xb }
#define UUC	{ 0xc }

/*
 * A candidate: uri, conn, uuid, name, state, reason, active,
 * persistent, live, config, relative.
 */
#define CAND(u, cn, id, nm, st, pe, lv, cf, rel) \
	{ u, cn, id, nm, st, pe, lv, cf, rel, 0, 0 }
#define CANDACT(u, cn, id, nm, st, pe, lv, cf, rel) \
	{ u, cn, id, nm, st, pe, lv, cf, rel, 1, 0 }
#define CANDPEND(u, cn, id, nm, st, pe, lv, cf, rel) \
	{ u, cn, id, nm, st, pe, lv, cf, rel, 0, 1 }

struct row {
	const char	*name;
	int		 n;
	struct cand	 c[4];
	int		 pwlen;		/* the packet's: 0, 4 or 6 */
	uint8_t		 pw[6];
	int		 optin;
	int		 globalpw;	/* 6 bytes 1..6 */
	int		 action;
	int		 target;
	int		 log;
	const char	*why;		/* a substring of the reason, or NULL */
	int		 opens_window;
};

static const struct row rows[] = {
	/* Rule 4 and 5: copies on several hosts, and clones. */
	{ "same domain running on U1, shut off on U2: not started "
	  "(was: started a second copy)", 2, {
	    CAND(U1, CONN_UP, UUA, "vm", RUN, 1, PNONE, PNONE, 0),
	    CAND(U2, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_WAKE, "running on " U1, 1 },
	{ "clone with the MAC running, original shut off: not started "
	  "(was: started)", 2, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0),
	    CAND(U1, CONN_UP, UUB, "clone", RUN, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 1, DLOG_WAKE, "running", 1 },
	{ "same UUID with another MAC running on U2: not started "
	  "(was: started)", 2, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0),
	    CAND(U2, CONN_UP, UUA, "vm", RUN, 1, PNONE, PNONE, 1) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE,
	  "a copy is active on " U2 " (vm, running)", 0 },
	{ "paused by a user on U1, shut off on U2: resume, not start", 2, {
	    CAND(U1, CONN_UP, UUA, "vm", PUSER, 1, PNONE, PNONE, 0),
	    CAND(U2, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_RESUME, 0, DLOG_WAKE, NULL, 1 },
	{ "pmsuspended on U2, shut off on U1: pmwakeup, not start "
	  "(was: ambiguous)", 2, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0),
	    CAND(U2, CONN_UP, UUA, "vm", PMS, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_PMWAKEUP, 1, DLOG_WAKE, NULL, 1 },
	{ "known copy on an unreachable U2: not started, U2 named "
	  "(was: started)", 2, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0),
	    CAND(U2, CONN_DOWN, UUA, "vm", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE,
	  "a copy may be active on " U2 ", which is unreachable", 0 },
	{ "known copy on a U3 that does not answer: not started", 2, {
	    CAND(U3, CONN_HUNG, UUA, "vm", OFF, 1, PNONE, PNONE, 0),
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE,
	  U3 " is not answering", 0 },
	{ "copy on a U3 that does not answer blocks a start on U1", 2, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0),
	    CAND(U3, CONN_HUNG, UUA, "vm", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE,
	  "may be active on " U3 ", which is not answering", 0 },
	{ "a copy being started (managed-save restore under way) blocks "
	  "the start of another", 2, {
	    CANDACT(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 1),
	    CAND(U2, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 1, DLOG_REFUSE,
	  "a copy is active on " U1 " (vm, being woken)", 0 },
	{ "the domain itself being started: none, no second call", 1, {
	    CANDACT(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_WAKE, "being woken already", 1 },
	{ "relative on an unreachable U2 blocks too", 2, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0),
	    CAND(U2, CONN_DOWN, UUA, "vm", OFF, 1, PNONE, PNONE, 1) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE, "unreachable", 0 },
	{ "only copy on an unreachable U2: refused, U2 named", 1, {
	    CAND(U2, CONN_DOWN, UUA, "vm", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE,
	  U2 " is unreachable", 0 },
	{ "both shut off, both allowed: ambiguous", 2, {
	    CAND(U1, CONN_UP, UUA, "a", OFF, 1, PNONE, PNONE, 0),
	    CAND(U2, CONN_UP, UUB, "b", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE, "ambiguous: 2 domains",
	  1 },
	{ "both shut off, one opted out: the other starts", 2, {
	    CAND(U1, CONN_UP, UUA, "a", OFF, 1, PNONE, PNO, 0),
	    CAND(U2, CONN_UP, UUA, "a", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_START, 1, DLOG_WAKE, NULL, 1 },
	{ "single shut off domain: start", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_START, 0, DLOG_WAKE, NULL, 1 },
	{ "running: none, window opens", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", RUN, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_WAKE, "running", 1 },
	{ "shutting down: none", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", DOWNST, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_WAKE, "shutting down", 1 },

	/* Rule 5: pauses, crashes. */
	{ "paused by a user: resume", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PUSER, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_RESUME, 0, DLOG_WAKE, NULL, 1 },
	{ "paused on an I/O error: not resumed (was: resumed)", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PIOERR, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE,
	  "paused on a disk I/O error: not resumed", 0 },
	{ "paused for a save job: not resumed (was: resumed)", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PSAVE, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE,
	  "paused while being saved", 0 },
	{ "paused for a snapshot: not resumed (was: resumed)", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PSNAP, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE, "for a snapshot", 0 },
	{ "paused for a migration: not resumed (was: resumed)", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PMIGR, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE, "for a migration", 0 },
	{ "paused by its watchdog: not resumed (was: resumed)", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PWDOG, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE, "by its watchdog", 0 },
	{ "paused by a user on a U2 that does not answer: refused", 1, {
	    CAND(U2, CONN_HUNG, UUA, "vm", PUSER, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE,
	  U2 " is not answering", 0 },
	{ "crashed (on_crash=preserve): kept (was: start, which fails)", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", CRASH, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE,
	  "crashed (panicked): kept for inspection", 0 },
	{ "crashed copy blocks the start of another", 2, {
	    CAND(U1, CONN_UP, UUA, "vm", CRASH, 1, PNONE, PNONE, 0),
	    CAND(U2, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE, "kept for inspection",
	  0 },
	{ "pmsuspended: pmwakeup", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PMS, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_PMWAKEUP, 0, DLOG_WAKE, NULL, 1 },
	{ "undefined while running (transient now), paused: resume "
	  "(was: forgotten)", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PUSER, 0, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_RESUME, 0, DLOG_WAKE, NULL, 1 },

	/* Rule 3: live and persistent policy. */
	{ "paused, allow=no set with --config: refused (was: resumed)", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PUSER, 1, PNONE, PNO, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE, "opted out", 0 },
	{ "paused, password set with --config, none sent: refused "
	  "(was: resumed)", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PUSER, 1, PNONE, PPW6, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE, "missing password", 0 },
	{ "paused, password set with --config, sent: resumed", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PUSER, 1, PNONE, PPW6, 0) },
	  6, { 1, 2, 3, 4, 5, 6 }, 0, 0, ACT_RESUME, 0, DLOG_WAKE, NULL, 1 },
	{ "live and persistent passwords differ: refused", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PUSER, 1, PPW6B, PPW6, 0) },
	  6, { 1, 2, 3, 4, 5, 6 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE,
	  "name different passwords", 0 },
	{ "live allow=no, persistent yes: refused", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PUSER, 1, PNO, PYES, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE, "opted out", 0 },
	{ "shut off: only the persistent policy counts", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNO, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_START, 0, DLOG_WAKE, NULL, 1 },
	{ "transient: only the live policy counts", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PUSER, 0, PNONE, PNO, 0) },
	  0, { 0 }, 0, 0, ACT_RESUME, 0, DLOG_WAKE, NULL, 1 },
	{ "policy changed, not read yet: refused, never the old policy", 1, {
	    CANDPEND(U1, CONN_UP, UUA, "vm", PUSER, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE, "being read again", 0 },
	{ "malformed metadata: never", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PBAD, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE, "malformed", 0 },
	{ "opt-in: no metadata refused", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 1, 0, ACT_NONE, 0, DLOG_REFUSE, "not opted in", 0 },
	{ "opt-in: allow=yes starts", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PYES, 0) },
	  0, { 0 }, 1, 0, ACT_START, 0, DLOG_WAKE, NULL, 1 },
	{ "opt-in: live yes, persistent none: the stricter refuses", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", PUSER, 1, PYES, PNONE, 0) },
	  0, { 0 }, 1, 0, ACT_NONE, 0, DLOG_REFUSE, "not opted in", 0 },
	{ "4-byte password right: start", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PPW4, 0) },
	  4, { 192, 0, 2, 1 }, 0, 0, ACT_START, 0, DLOG_WAKE, NULL, 1 },
	{ "4-byte password wrong: refused", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PPW4, 0) },
	  4, { 192, 0, 2, 2 }, 0, 0, ACT_NONE, 0, DLOG_REFUSE,
	  "wrong password", 0 },
	{ "global password, none sent: refused", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 1, ACT_NONE, 0, DLOG_REFUSE, "missing password", 0 },
	{ "global password sent: start", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0) },
	  6, { 1, 2, 3, 4, 5, 6 }, 0, 1, ACT_START, 0, DLOG_WAKE, NULL, 1 },
	{ "own password beats the global one", 1, {
	    CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PPW6B, 0) },
	  6, { 1, 2, 3, 4, 5, 6 }, 0, 1, ACT_NONE, 0, DLOG_REFUSE,
	  "wrong password", 0 },
	{ "opted-out running copy still means up", 2, {
	    CAND(U1, CONN_UP, UUA, "vm", RUN, 1, PNO, PNO, 0),
	    CAND(U2, CONN_UP, UUA, "vm", OFF, 1, PNONE, PNONE, 0) },
	  0, { 0 }, 0, 0, ACT_NONE, 0, DLOG_WAKE, "running", 1 },
};


static void	 test_rows(void);
static void	 test_backoff(void);
static void	 test_window(void);
static void	 test_texts(void);
static void	 test_hosts(void);
static void	 test_senders(void);

static void
opts_init(struct decide_opts *o, int optin, int globalpw)
{
	static const uint8_t	 g[6] = { 1, 2, 3, 4, 5, 6 };

	memset(o, 0, sizeof(*o));
	o->window_s = 5;
	o->optin = optin;
	if (globalpw) {
		o->pw.len = 6;
		memcpy(o->pw.buf, g, 6);
	}
}

static void
test_rows(void)
{
	struct decide_opts	 o;
	struct decide_pkt	 p;
	struct macrec		 mr;
	struct decision		 d;
	const struct row	*r;
	size_t			 i;
	int64_t			 now = 1000000;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		r = &rows[i];
		opts_init(&o, r->optin, r->globalpw);
		memset(&p, 0, sizeof(p));
		p.pw.len = r->pwlen;
		memcpy(p.pw.buf, r->pw, sizeof(r->pw));
		memset(&mr, 0, sizeof(mr));
		decide(&p, r->c, r->n, &mr, &o, now, &d);
		if (d.action != r->action || d.target != r->target ||
		    d.log != r->log) {
			ok(0, "decide: %s: got %s on %d, log %d (%s); want %s "
			    "on %d, log %d", r->name, action_name(d.action),
			    d.target, d.log, d.why, action_name(r->action),
			    r->target, r->log);
			continue;
		}
		if (r->why != NULL && strstr(d.why, r->why) == NULL) {
			ok(0, "decide: %s: reason '%s', want '%s' in it",
			    r->name, d.why, r->why);
			continue;
		}
		if ((d.next.last_ms == now) != r->opens_window) {
			ok(0, "decide: %s: window %s", r->name,
			    r->opens_window ? "not opened" : "opened");
			continue;
		}
		ok(1, "decide: %s", r->name);
	}
}

/*
 * Wrong passwords, one sequence: each step is a packet at time t
 * (seconds) with the right or a wrong password; what it must give.
 */
struct step {
	int		 t;
	int		 pw;		/* 0 none, 1 right, 2 wrong */
	int		 action;
	const char	*why;
};

static const struct step backoff[] = {
	{ 0, 2, ACT_NONE, "wrong password" },
	{ 1, 2, ACT_NONE, "wrong password" },
	{ 2, 0, ACT_NONE, "missing password" },	/* not counted */
	{ 3, 2, ACT_NONE, "wrong password" },
	{ 4, 2, ACT_NONE, "wrong password" },
	{ 5, 2, ACT_NONE, "5 wrong in 60 s: refused for 60 s" },
	/* The right password during the block: refused (was: woken). */
	{ 6, 1, ACT_NONE, "refused for another 59 s" },
	{ 64, 1, ACT_NONE, "refused for another 1 s" },
	{ 65, 1, ACT_START, NULL },
	/* Five wrong again soon after: the block doubles. */
	{ 100, 2, ACT_NONE, "wrong password" },
	{ 101, 2, ACT_NONE, "wrong password" },
	{ 102, 2, ACT_NONE, "wrong password" },
	{ 103, 2, ACT_NONE, "wrong password" },
	{ 104, 2, ACT_NONE, "refused for 60 s" },	/* level was reset */
	{ 170, 2, ACT_NONE, "wrong password" },
	{ 171, 2, ACT_NONE, "wrong password" },
	{ 172, 2, ACT_NONE, "wrong password" },
	{ 173, 2, ACT_NONE, "wrong password" },
	{ 174, 2, ACT_NONE, "refused for 120 s" },
	{ 300, 2, ACT_NONE, "wrong password" },
	{ 301, 2, ACT_NONE, "wrong password" },
	{ 302, 2, ACT_NONE, "wrong password" },
	{ 303, 2, ACT_NONE, "wrong password" },
	{ 304, 2, ACT_NONE, "refused for 240 s" },
	/* Spread out, 4 a minute: never blocked. */
	{ 600, 2, ACT_NONE, "wrong password" },
	{ 615, 2, ACT_NONE, "wrong password" },
	{ 630, 2, ACT_NONE, "wrong password" },
	{ 645, 2, ACT_NONE, "wrong password" },
	{ 661, 2, ACT_NONE, "wrong password" },
	{ 662, 1, ACT_START, NULL },
};

static void
test_backoff(void)
{
	struct cand		 c = CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE,
				    PPW6, 0);
	struct decide_opts	 o;
	struct decide_pkt	 p;
	struct macrec		 mr;
	struct decision		 d;
	size_t			 i;
	int			 k;
	int64_t			 t, last = 0;
	int			 good = 1;

	opts_init(&o, 0, 0);
	o.window_s = 0;
	memset(&mr, 0, sizeof(mr));
	for (i = 0; i < sizeof(backoff) / sizeof(backoff[0]); i++) {
		memset(&p, 0, sizeof(p));
		if (backoff[i].pw != 0) {
			p.pw.len = 6;
			memcpy(p.pw.buf, backoff[i].pw == 1 ?
			    (const uint8_t *)"\1\2\3\4\5\6" :
			    (const uint8_t *)"\1\2\3\4\5\7", 6);
		}
		decide(&p, &c, 1, &mr, &o, (int64_t)backoff[i].t * 1000, &d);
		mr = d.next;
		ok(d.action == backoff[i].action && (backoff[i].why == NULL ||
		    strstr(d.why, backoff[i].why) != NULL),
		    "backoff: t=%d s %s password: %s (%s)", backoff[i].t,
		    backoff[i].pw == 0 ? "no" : backoff[i].pw == 1 ? "right" :
		    "wrong", action_name(d.action), d.why);
	}

	/* Hammered for hours: a block never exceeds 15 minutes. */
	memset(&mr, 0, sizeof(mr));
	p.pw.len = 6;
	memcpy(p.pw.buf, "\1\2\3\4\5\7", 6);
	for (t = 0; t < 6 * 3600 * 1000LL; t += 1000) {
		decide(&p, &c, 1, &mr, &o, t, &d);
		mr = d.next;
		if (mr.block_until_ms - t > PWBLOCK_MAX_MS)
			good = 0;
		if (mr.block_until_ms > t)
			last = mr.block_until_ms;
	}
	ok(good && last - t <= PWBLOCK_MAX_MS,
	    "backoff: 6 h of wrong passwords, no block over %lld s",
	    PWBLOCK_MAX_MS / 1000);
	/* Then the owner, once the last block is over, wakes it. */
	memcpy(p.pw.buf, "\1\2\3\4\5\6", 6);
	decide(&p, &c, 1, &mr, &o, last, &d);
	ok(d.action == ACT_START, "backoff: owner wakes when the block "
	    "ends (%s)", d.why);
	/* And a quiet spell forgets the doubling. */
	mr = d.next;
	mr.level = 4;
	mr.last_fail_ms = last;
	p.pw.buf[5] = 7;
	for (k = 0; k < PWFAIL_MAX; k++) {
		decide(&p, &c, 1, &mr, &o, last + PWBLOCK_FORGET_MS + 1000,
		    &d);
		mr = d.next;
	}
	ok(strstr(d.why, "refused for 60 s") != NULL,
	    "backoff: forgotten after %lld s quiet (%s)",
	    PWBLOCK_FORGET_MS / 1000, d.why);
}

static void
test_window(void)
{
	struct cand		 c[2] = {
		CAND(U1, CONN_UP, UUA, "vm", OFF, 1, PNONE, PPW6, 0),
		CAND(U1, CONN_UP, UUB, "other", OFF, 1, PNONE, PNO, 0),
	};
	struct decide_opts	 o;
	struct decide_pkt	 p;
	struct macrec		 mr;
	struct decision		 d;

	opts_init(&o, 0, 0);
	memset(&mr, 0, sizeof(mr));
	memset(&p, 0, sizeof(p));
	decide(&p, c, 2, &mr, &o, 1000, &d);
	ok(d.log == DLOG_REFUSE && d.next.last_ms == 0,
	    "window: a refusal does not open it");
	p.pw.len = 6;
	memcpy(p.pw.buf, "\1\2\3\4\5\6", 6);
	decide(&p, c, 2, &d.next, &o, 1100, &d);
	ok(d.action == ACT_START && d.target == 0,
	    "window: the right password then starts");
	mr = d.next;
	decide(&p, c, 2, &mr, &o, 1100 + 4999, &d);
	ok(d.action == ACT_NONE && d.log == DLOG_QUIET,
	    "window: quiet within 5 s");
	decide(&p, c, 2, &mr, &o, 1100 + 5000, &d);
	ok(d.action == ACT_START, "window: acts again after 5 s");
	decide(&p, c, 0, &mr, &o, 100000, &d);
	ok(d.action == ACT_NONE && d.log == DLOG_QUIET && d.target == -1,
	    "window: no candidate, nothing");
}

static void
test_texts(void)
{
	struct cand	 c = CAND(U1, CONN_UP, UUA, "vm", PUSER, 1, PPW6B,
			    PPW6, 0);
	struct policy	 p;

	ok(policy_merge(&c, &p) == PW_CONFLICT, "merge: differing passwords");
	ok(strstr(policy_text(&p, 1, 0, 0), "different passwords") != NULL,
	    "-n: says the passwords differ");
	c.live = c.config;
	ok(policy_merge(&c, &p) == 0 && p.pw.len == 6, "merge: same password");
	ok(strcmp(policy_text(&p, 0, 0, 0), "woken with its 6-byte password")
	    == 0, "-n: 6-byte password");
	memset(&c.live, 0, sizeof(c.live));
	c.live.allow = POLICY_NO;
	ok(policy_merge(&c, &p) == 0 && p.allow == POLICY_NO &&
	    p.pw.len == 6, "merge: stricter allow, password kept");
	ok(strcmp(state_text(VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER),
	    "paused by a user") == 0, "text: paused by a user");
	ok(strcmp(state_text(VIR_DOMAIN_PAUSED, 99),
	    "paused for an unknown reason") == 0, "text: unknown reason");
}

/*
 * Hosts of the configuration file: senders, then password (the host's or
 * the global one), then the action; debounce and the wrong-password
 * block as for domains.
 */
static const struct host_net nets[] = {
	{ AF_INET, { 192, 0, 2, 0 }, 24 },
	{ AF_INET6, { 0x20, 0x01, 0x0d, 0xb8 }, 32 },
};

#define PW_RIGHT	1
#define PW_WRONG	2
static const struct {
	const char	*what;
	int		 action;	/* ACT_RELAY or ACT_RUN */
	int		 hostpw;	/* the host names 1-6 */
	int		 globalpw;	/* the global 1-6 */
	int		 from;		/* the host names nets[] */
	int		 af;		/* the sender */
	uint8_t		 sender[16];
	int		 pw;		/* 0, PW_RIGHT, PW_WRONG */
	int		 want;		/* ACT_* */
	int		 log;		/* DLOG_* */
	const char	*why;
} hrows[] = {
	{ "relay, no policy", ACT_RELAY, 0, 0, 0, AF_INET,
	    { 198, 51, 100, 1 }, 0, ACT_RELAY, DLOG_WAKE, "" },
	{ "run, no policy", ACT_RUN, 0, 0, 0, 0, { 0 }, 0, ACT_RUN,
	    DLOG_WAKE, "" },
	{ "from: an IPv4 sender in it", ACT_RELAY, 0, 0, 1, AF_INET,
	    { 192, 0, 2, 77 }, 0, ACT_RELAY, DLOG_WAKE, "" },
	{ "from: an IPv4 sender out of it", ACT_RELAY, 0, 0, 1, AF_INET,
	    { 192, 0, 3, 77 }, 0, ACT_NONE, DLOG_REFUSE, "from list" },
	{ "from: an IPv6 sender in it", ACT_RUN, 0, 0, 1, AF_INET6,
	    { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	    0, ACT_RUN, DLOG_WAKE, "" },
	{ "from: an IPv6 sender out of it", ACT_RUN, 0, 0, 1, AF_INET6,
	    { 0x20, 0x01, 0x0d, 0xb9 }, 0, ACT_NONE, DLOG_REFUSE,
	    "from list" },
	{ "from: an Ethernet frame has no IP sender", ACT_RELAY, 0, 0, 1, 0,
	    { 192, 0, 2, 77 }, 0, ACT_NONE, DLOG_REFUSE, "no IP sender" },
	{ "host password, right", ACT_RELAY, 1, 0, 0, AF_INET,
	    { 192, 0, 2, 1 }, PW_RIGHT, ACT_RELAY, DLOG_WAKE, "" },
	{ "host password, missing", ACT_RELAY, 1, 0, 0, AF_INET,
	    { 192, 0, 2, 1 }, 0, ACT_NONE, DLOG_REFUSE, "missing password" },
	{ "host password, wrong", ACT_RUN, 1, 0, 0, AF_INET,
	    { 192, 0, 2, 1 }, PW_WRONG, ACT_NONE, DLOG_REFUSE,
	    "wrong password" },
	{ "global password applies to hosts", ACT_RELAY, 0, 1, 0, AF_INET,
	    { 192, 0, 2, 1 }, 0, ACT_NONE, DLOG_REFUSE, "missing password" },
	{ "global password, right", ACT_RELAY, 0, 1, 0, AF_INET,
	    { 192, 0, 2, 1 }, PW_RIGHT, ACT_RELAY, DLOG_WAKE, "" },
	{ "a sender not allowed is not asked for a password", ACT_RELAY, 1,
	    0, 1, AF_INET, { 203, 0, 113, 9 }, PW_WRONG, ACT_NONE,
	    DLOG_REFUSE, "from list" },
	{ "a password the host does not need is no reason to refuse",
	    ACT_RUN, 0, 0, 0, AF_INET, { 192, 0, 2, 1 }, PW_WRONG, ACT_RUN,
	    DLOG_WAKE, "" },
};

static void
host_pkt(struct decide_pkt *p, int af, const uint8_t *sender, int pw)
{
	memset(p, 0, sizeof(*p));
	p->sender_af = af;
	memcpy(p->sender, sender, sizeof(p->sender));
	if (pw != 0) {
		p->pw.len = 6;
		memcpy(p->pw.buf, pw == PW_RIGHT ? "\1\2\3\4\5\6" :
		    "\1\2\3\4\5\7", 6);
	}
}

static void
test_hosts(void)
{
	struct host_cand	 h;
	struct decide_opts	 o;
	struct decide_pkt	 p;
	struct macrec		 mr;
	struct decision		 d;
	size_t			 i;
	int			 k;

	for (i = 0; i < sizeof(hrows) / sizeof(hrows[0]); i++) {
		memset(&h, 0, sizeof(h));
		h.name = "nas";
		h.action = hrows[i].action;
		if (hrows[i].hostpw) {
			h.pw.len = 6;
			memcpy(h.pw.buf, "\1\2\3\4\5\6", 6);
		}
		if (hrows[i].from) {
			h.from = nets;
			h.nfrom = 2;
		}
		opts_init(&o, 0, hrows[i].globalpw);
		host_pkt(&p, hrows[i].af, hrows[i].sender, hrows[i].pw);
		memset(&mr, 0, sizeof(mr));
		decide_host(&p, &h, &mr, &o, 1000000, &d);
		ok(d.action == hrows[i].want && d.log == hrows[i].log &&
		    strstr(d.why, hrows[i].why) != NULL &&
		    (d.action == ACT_NONE) == (d.next.last_ms == 0),
		    "host: %s: %s (%s)", hrows[i].what, action_name(d.action),
		    d.why);
	}

	/* The debounce window, and a refusal does not open it. */
	memset(&h, 0, sizeof(h));
	h.name = "nas";
	h.action = ACT_RELAY;
	h.pw.len = 6;
	memcpy(h.pw.buf, "\1\2\3\4\5\6", 6);
	opts_init(&o, 0, 0);
	memset(&mr, 0, sizeof(mr));
	host_pkt(&p, AF_INET, nets[0].addr, PW_WRONG);
	decide_host(&p, &h, &mr, &o, 10000, &d);
	mr = d.next;
	host_pkt(&p, AF_INET, nets[0].addr, PW_RIGHT);
	decide_host(&p, &h, &mr, &o, 11000, &d);
	mr = d.next;
	ok(d.action == ACT_RELAY && mr.nfail == 0,
	    "host: the right password after a wrong one relays and forgets "
	    "the count (%s)", d.why);
	decide_host(&p, &h, &mr, &o, 15999, &d);
	ok(d.action == ACT_NONE && d.log == DLOG_QUIET,
	    "host: within the window, quietly nothing (%s)", d.why);
	decide_host(&p, &h, &d.next, &o, 16000, &d);
	ok(d.action == ACT_RELAY, "host: after the window, again (%s)",
	    d.why);

	/* Five wrong passwords block the MAC, the right one included. */
	memset(&mr, 0, sizeof(mr));
	host_pkt(&p, AF_INET, nets[0].addr, PW_WRONG);
	for (k = 0; k < PWFAIL_MAX; k++) {
		decide_host(&p, &h, &mr, &o, 20000 + k * 1000, &d);
		mr = d.next;
	}
	ok(strstr(d.why, "refused for 60 s") != NULL,
	    "host: %d wrong passwords block (%s)", PWFAIL_MAX, d.why);
	host_pkt(&p, AF_INET, nets[0].addr, PW_RIGHT);
	decide_host(&p, &h, &mr, &o, 30000, &d);
	ok(d.action == ACT_NONE && strstr(d.why, "too many wrong") != NULL,
	    "host: blocked, the right password too (%s)", d.why);
	decide_host(&p, &h, &mr, &o, 20000 + 4000 + PWBLOCK_MIN_MS, &d);
	ok(d.action == ACT_RELAY, "host: after the block, the right one "
	    "relays (%s)", d.why);
}

/* Prefixes, bit by bit. */
static void
test_senders(void)
{
	static const struct {
		int	 af;
		uint8_t	 net[16];
		int	 prefix;
		uint8_t	 addr[16];
		int	 want;
	} t[] = {
		{ AF_INET, { 192, 0, 2, 0 }, 24, { 192, 0, 2, 255 }, 1 },
		{ AF_INET, { 192, 0, 2, 0 }, 25, { 192, 0, 2, 128 }, 0 },
		{ AF_INET, { 192, 0, 2, 128 }, 25, { 192, 0, 2, 200 }, 1 },
		{ AF_INET, { 192, 0, 2, 64 }, 26, { 192, 0, 2, 127 }, 1 },
		{ AF_INET, { 192, 0, 2, 64 }, 26, { 192, 0, 2, 128 }, 0 },
		{ AF_INET, { 192, 0, 2, 7 }, 32, { 192, 0, 2, 7 }, 1 },
		{ AF_INET, { 192, 0, 2, 7 }, 32, { 192, 0, 2, 6 }, 0 },
		{ AF_INET, { 0 }, 0, { 203, 0, 113, 1 }, 1 },
		{ AF_INET, { 10, 0, 0, 0 }, 7, { 11, 1, 1, 1 }, 1 },
		{ AF_INET, { 10, 0, 0, 0 }, 8, { 11, 1, 1, 1 }, 0 },
		{ AF_INET6, { 0x20, 0x01, 0x0d, 0xb8 }, 33,
		    { 0x20, 0x01, 0x0d, 0xb8, 0x80 }, 0 },
		{ AF_INET6, { 0x20, 0x01, 0x0d, 0xb8 }, 33,
		    { 0x20, 0x01, 0x0d, 0xb8, 0x7f }, 1 },
		{ AF_INET6, { 0xfe, 0x80 }, 10, { 0xfe, 0xbf, 1 }, 1 },
		{ AF_INET6, { 0xfe, 0x80 }, 10, { 0xfe, 0xc0, 1 }, 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct host_net	 n;

		n.af = t[i].af;
		memcpy(n.addr, t[i].net, sizeof(n.addr));
		n.prefix = t[i].prefix;
		ok(sender_allowed(&n, 1, t[i].af, t[i].addr) == t[i].want,
		    "senders: row %zu: %s", i, t[i].want ? "in" : "out");
	}
	{
		struct host_net	 n = { AF_INET, { 0 }, 0 };

		ok(!sender_allowed(&n, 1, AF_INET6, t[10].addr),
		    "senders: an IPv4 network holds no IPv6 sender");
		ok(!sender_allowed(&n, 1, 0, t[0].addr),
		    "senders: no IP sender is in no network");
	}
}

int
main(void)
{
	test_rows();
	test_backoff();
	test_window();
	test_texts();
	test_hosts();
	test_senders();
	printf("test_decide: %d passed, %d failed\n", passes, failures);
	return (failures != 0);
}
