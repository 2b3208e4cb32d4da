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

#ifndef WAKEUPD_H
#define WAKEUPD_H

#include <sys/types.h>
#include <sys/queue.h>

#include <stdint.h>
#include <time.h>

#include "compat.h"
#include "wol.h"
#include "decide.h"

#ifndef WAKEUPD_USER
#define WAKEUPD_USER		"_wakeupd"
#endif
#ifndef WAKEUPD_CHROOT
#define WAKEUPD_CHROOT		"/var/empty"
#endif
#ifndef WAKEUPD_CAPTURE
#define WAKEUPD_CAPTURE		"/usr/local/libexec/wakeupd-capture"
#endif

/* The capture program's socket to the parent, as it finds it at exec. */
#define CAPTURE_FD		3

#define WAKEUPD_MAXIFS		32
#define WAKEUPD_MAXURIS		16
#define WAKEUPD_SNAPLEN		256	/* VLAN + IPv6 + UDP + 108, and more */
#define WAKEUPD_WINDOW		5	/* debounce, seconds */

/*
 * The capture process sends three kinds of message, each of a fixed
 * size; the parent checks size, kind and every field.  The main one:
 * a validated magic packet.
 */
#define MSG_WAKE		0x57414b45	/* "WAKE" */

struct wake_msg {
	uint32_t	 kind;
	uint32_t	 pad;
	uint64_t	 ts_us;			/* capture time, microseconds */
	uint32_t	 ifidx;			/* index into the interface list */
	uint8_t		 mac[WOL_ADDR_LEN];
	uint8_t		 pwlen;			/* 0, 4 or 6 */
	uint8_t		 pw[WOL_PW_MAXLEN];
	uint8_t		 sender_af;		/* AF_INET, AF_INET6 or 0 */
	uint8_t		 sender[16];		/* IP address, or MAC if 0 */
	uint8_t		 has_esrc;		/* 1: esrc is set */
	uint8_t		 esrc[WOL_ADDR_LEN];	/* the Ethernet source */
};

/*
 * Once, when every capture handle is open and the capture process has
 * dropped its privileges: it is ready.
 */
#define MSG_READY		0x52454459	/* "REDY" */

struct ready_msg {
	uint32_t	 kind;
	uint32_t	 nifs;
};

/*
 * A log line: sandboxed, the capture process cannot reach syslogd (nor
 * reconnect when syslogd restarts), so the parent logs for it.  The text
 * is NUL-terminated and printable; the priority one that log.c uses.
 */
#define MSG_LOG			0x4c4f4720	/* "LOG " */
#define LOG_MSG_TEXT		1024

struct log_msg {
	uint32_t	 kind;
	int32_t		 pri;
	char		 text[LOG_MSG_TEXT];
};

/* What the parent reads: one message, or one longer than any, refused. */
union child_msg {
	struct wake_msg	 wake;
	struct ready_msg ready;
	struct log_msg	 log;
	uint8_t		 over[sizeof(struct log_msg) + 1];
};

/*
 * The only message the parent sends: the NIC addresses it knows, in
 * parts of MACS_PER_MSG, numbered from 0, each saying the set's size.
 */
#define MSG_MACS		0x4d414353	/* "MACS" */
#define MACS_PER_MSG		170

struct macs_msg {
	uint32_t	 kind;
	uint32_t	 seq;
	uint32_t	 total;
	uint32_t	 count;
	uint8_t		 macs[MACS_PER_MSG][WOL_ADDR_LEN];
};

/* msg.c: is a message from the capture process well formed? */
int	 msg_check(const struct wake_msg *, size_t, int);

/* known_send.c: the parent sends the known addresses. */
void	 known_send(int);
/* known.c: the capture process keeps them. */
void	 known_recv(const struct macs_msg *, size_t);
int	 known_has(const uint8_t *);

struct iface {
	char		 name[64];
	unsigned int	 index;			/* if_nametoindex at start */
	void		*pcap;			/* pcap_t, child only */
};

/* capture.c: the unprivileged side. */
void	*capture_open(const char *, const char *, int, char *, size_t);
int	 capture_replay(const char *, const char *);
struct passwd *capture_user(const char *);
__dead void capture_main(int, struct iface *, int, const char *);

/* sandbox.c: pledge or seccomp for the capture process. */
void	 sandbox_capture_fd(int);
void	 sandbox_child(int);

/* privsep.c: the parent starts the capture program and hears from it. */
void	 capture_path_check(const char *);
pid_t	 capture_start(const char *, char *const [], int, int *);
int	 capture_log(const union child_msg *, size_t);
int	 daemon_start(void);
void	 daemon_ready(int);

/* The configuration of the privileged side. */
struct conf;
struct wakeup_conf {
	const char	*uris[WAKEUPD_MAXURIS];
	int		 nuris;
	struct iface	*ifs;
	int		 nifs;
	int		 window;
	int		 optin;			/* only allow="yes" domains */
	struct wol_pw	 pw;			/* for domains without their own */
	const char	*filter;		/* senders, AND-ed */
	struct conf	*file;			/* hosts; NULL without a file */
};

/*
 * conf.c: how many libvirt connections: the URIs, else the default URI
 * (none with a configuration file).
 */
int	 conf_nconns(const struct wakeup_conf *);

/* loop.c: the privileged process's loop. */
__dead void parent_main(struct wakeup_conf *, int, pid_t);
void	 known_changed(void);
void	 known_flush(void);
int64_t	 mono_ms(void);

/* privdrop.c: what the privileged process keeps of its privileges. */
void	 priv_drop_parent(void);

/* report.c: wakeupd -n. */
int	 report(struct wakeup_conf *);

/* wake.c: a validated packet -> the decision -> an action. */
void	 wake_init(struct wakeup_conf *);
size_t	 wake_host_macs(uint8_t (*)[WOL_ADDR_LEN]);
void	 wake(const struct wake_msg *);
void	 wake_prune(int64_t);
void	 refuse_log(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));

/*
 * What a connection's worker read of one domain: its state and the
 * policy and NIC addresses of its live and persistent XML.
 */
#define DOMREC_MAXNICS		128
struct domrec {
	unsigned char	 uuid[16];
	char		 name[256];
	int		 state, reason;
	int		 active, persistent;
	struct policy	 live, config;
	uint8_t		 macs[DOMREC_MAXNICS][WOL_ADDR_LEN];
	int		 nmacs;
	void		*dom;			/* virDomainPtr, a reference */
};

/* cache.c: every domain of every connection, by MAC and by UUID. */
struct virt_conn;
struct vdom;
struct cache_ent {
	LIST_ENTRY(cache_ent)	 entry;
	uint8_t			 mac[WOL_ADDR_LEN];
	struct vdom		*dom;
};
struct vdom {
	LIST_ENTRY(vdom)	 entry;
	struct virt_conn	*conn;
	unsigned char		 uuid[16];
	char			*name;
	int			 state, reason;
	int			 active, persistent;
	struct policy		 live, config;
	struct cache_ent	**nics;
	int			 nnics;
	void			*dom;		/* virDomainPtr, or NULL */
	uint64_t		 last_ev;	/* event sequence, see conn.c */
	int			 acting;	/* actions under way */
	int			 pending;	/* policy changed, not read */
	int			 stale;
};
void	 cache_init(void);
struct vdom *cache_put(struct virt_conn *, struct domrec *);
struct vdom *cache_find(struct virt_conn *, const unsigned char *);
struct vdom *cache_uuid_first(const unsigned char *);
struct vdom *cache_uuid_next(struct vdom *);
void	 cache_remove(struct virt_conn *, const unsigned char *);
void	 cache_mark_conn(struct virt_conn *);
void	 cache_sweep_conn(struct virt_conn *);
void	 cache_release_conn(struct virt_conn *);
void	 cache_clear(void);
size_t	 cache_count(void);
size_t	 cache_count_conn(struct virt_conn *);
struct cache_ent *cache_first(const uint8_t *);
struct cache_ent *cache_next(struct cache_ent *);
struct cache_ent *cache_walk(struct cache_ent *);

/* conn.c: libvirt connections, each with a worker thread. */
void	 conn_init(struct wakeup_conf *);
void	 conn_results(void);
void	 conn_resync(void);
int	 conn_shutdown(int);
const char *conn_uri(const struct virt_conn *);
int	 conn_status(struct virt_conn *, int64_t);
const char *conn_act(struct vdom *, int, const char *);
void	 conn_dom_release(void *);
const char *last_error(void);

/* domxml.c: what a domain's XML says. */
#define DOMXML_MAXNICS		64
struct domxml {
	uint8_t		 macs[DOMXML_MAXNICS][WOL_ADDR_LEN];
	int		 nmacs;
	struct policy	 policy;
};
int	 domxml_parse(const char *, struct domxml *);

#endif /* WAKEUPD_H */
