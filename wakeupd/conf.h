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
 * wakeupd.conf(5) as parse.y leaves it: plain structures, every value
 * already checked.  conf.c merges it with the command line and prints it.
 */

#ifndef CONF_H
#define CONF_H

#include <sys/types.h>
#include <sys/queue.h>

#include <stdio.h>

#include "wakeupd.h"

#ifndef WAKEUPD_CONF
#define WAKEUPD_CONF		"/etc/wakeupd.conf"
#endif

#define CONF_IFNAMSIZ		16	/* IFNAMSIZ on Linux and the BSDs */
#define CONF_MAXARGS		64	/* run: path and arguments */
#define CONF_RUN_TIMEOUT	60	/* run: default time limit, seconds */
#define CONF_MAXTIMEOUT		3600
#define CONF_MAXHOSTS		1024
#define CONF_HOSTNAMEMAX	63	/* characters of a host's name */
#define CONF_HOSTNAMECHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
				"abcdefghijklmnopqrstuvwxyz0123456789._-"

/* A sender a host accepts: an address and a prefix length. */
struct conf_from {
	TAILQ_ENTRY(conf_from)	 entry;
	int			 af;		/* AF_INET or AF_INET6 */
	uint8_t			 addr[16];
	int			 prefix;
};

#define RELAY_UDP		1		/* UDP, the default */
#define RELAY_ETHER		2		/* EtherType 0x0842 */

struct conf_relay {
	char			 ifname[CONF_IFNAMSIZ];
	int			 vlan;		/* 1-4094, or 0: untagged */
	int			 proto;		/* RELAY_* */
	int			 to_af;		/* 0: broadcast */
	uint8_t			 to[16];
	int			 port;		/* 0: the default, 9 */
	struct wol_pw		 pw;		/* 0: the one that arrived */
};

struct conf_run {
	char			*user;		/* NULL: root */
	char			*argv[CONF_MAXARGS + 1];
	int			 argc;
	int			 timeout;	/* seconds */
};

#define HOST_RELAY		1
#define HOST_RUN		2

struct conf_host {
	TAILQ_ENTRY(conf_host)	 entry;
	char			*name;
	uint8_t			 mac[WOL_ADDR_LEN];
	int			 has_mac;
	struct wol_pw		 pw;		/* required of senders */
	TAILQ_HEAD(, conf_from)	 from;		/* empty: any sender */
	int			 action;	/* HOST_*, exactly one */
	struct conf_relay	 relay;
	struct conf_run		 run;
	int			 timeout;	/* 0: not given */
};

struct conf {
	char			 ifs[WAKEUPD_MAXIFS][CONF_IFNAMSIZ];
	int			 nifs;
	char			*uris[WAKEUPD_MAXURIS];
	int			 nuris;
	int			 window;	/* -1: not given */
	int			 optin;
	struct wol_pw		 pw;
	char			*filter;	/* senders */
	TAILQ_HEAD(, conf_host)	 hosts;
	int			 nhosts;
	int			 haspw;		/* some file holds a password */
};

/* parse.y */
#define CONF_NOINCLUDE		0x01	/* refuse include (the fuzzer) */
#define CONF_NOCHECK		0x02	/* no ownership or mode check */
int	 parse_config(const char *, FILE *, int, struct conf *, char *,
	    size_t);
void	 conf_free(struct conf *);
int	 conf_needs_quotes(const char *);

/* conf.c */
struct conf *conf_load(const char *);
int	 conf_merge(struct conf *, struct wakeup_conf *, char **, int,
	    const char **);
void	 conf_print(FILE *, const struct wakeup_conf *, const char **, int,
	    const struct conf *);

/* relay.c: the relay action. */
void	 relay_init(const struct conf *, const char *, int);
const char *relay_echo(const struct conf_host *, const struct wake_msg *,
	    int64_t);
const char *relay_send(const struct conf_host *, const struct wake_msg *,
	    int64_t, char *, size_t, int *);

#endif /* CONF_H */
