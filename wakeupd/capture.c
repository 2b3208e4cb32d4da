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
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap.h>

#include "log.h"
#include "wakeupd.h"

/*
 * The capture side: the only code that touches packets.  It runs in
 * wakeupd-capture, unprivileged in a chroot with nothing but its capture
 * handles and the socket to the parent, and passes on only validated
 * magic packets.  wakeupd itself uses capture_open (-n) and
 * capture_replay (-r).
 */

/*
 * Candidates only, decided in the kernel: EtherType 0x0842, and UDP on
 * any port whose payload starts with the sync stream, over IPv4 (any
 * header length) or IPv6 (directly, or behind one hop-by-hop or
 * destination options header); each also behind one 802.1Q tag.  The
 * vlan alternative comes last because "vlan" moves the offsets of
 * everything after it.
 */
#define CAND_ETHER	"ether proto 0x0842"
#define CAND_UDP4	"(udp and udp[8:4] = 0xffffffff and udp[12:2] = 0xffff)"
#define CAND_UDP6	"(ip6 and ip6[6] = 17 and ip6[48:4] = 0xffffffff " \
			"and ip6[52:2] = 0xffff)"
#define CAND_UDP6_EXT	"(ip6 and (ip6[6] = 0 or ip6[6] = 60) and " \
			"ip6[40] = 17 and " \
			"ip6[56 + ip6[41] * 8 : 4] = 0xffffffff and " \
			"ip6[60 + ip6[41] * 8 : 2] = 0xffff)"
#define CANDIDATES	"(" CAND_ETHER " or " CAND_UDP4 " or " CAND_UDP6 \
			" or " CAND_UDP6_EXT ")"
#define FILTER		CANDIDATES " or (vlan and " CANDIDATES ")"
/* With a senders' expression, it must hold in both alternatives. */
#define FILTER_SENDERS	"((%s) and " CANDIDATES ") or " \
			"(vlan and (%s) and " CANDIDATES ")"

/*
 * On links without Ethernet, the UDP candidates alone, in libpcap's
 * terms, which find the IP header (raw IP, Linux cooked).  Not with
 * link[] offsets: for a cooked socket ("any") libpcap rewrites the
 * program's link-header offsets for the kernel, and an indirect load
 * whose constant is below the cooked header's length comes out wrong
 * (libpcap 1.10: the filter then drops every packet).
 */
#define IP_CANDIDATES	"(" CAND_UDP4 " or " CAND_UDP6 " or " CAND_UDP6_EXT ")"
/*
 * DLT_NULL and DLT_LOOP: libpcap's "ip6" there tests the BSDs' IPv6
 * address family numbers (24, 28, 30) but not Linux's (10), which the
 * dissection accepts; so the version of the IP header, 4 bytes in,
 * tells instead, and the dissection checks the address family.  (A
 * user's -f expression with "ip6" still misses family 10.)
 */
#define AF_UDP4		"(link[4] & 0xf0 = 0x40 and link[4 + 9] = 17 and " \
			"link[4 + 6 : 2] & 0x3fff = 0 and " \
			"link[4 + (link[4] & 0x0f) * 4 + 8 : 4] = 0xffffffff " \
			"and link[4 + (link[4] & 0x0f) * 4 + 12 : 2] = 0xffff)"
#define AF_UDP6		"(link[4] & 0xf0 = 0x60 and link[4 + 6] = 17 and " \
			"link[4 + 48 : 4] = 0xffffffff and " \
			"link[4 + 52 : 2] = 0xffff)"
#define AF_UDP6_EXT	"(link[4] & 0xf0 = 0x60 and " \
			"(link[4 + 6] = 0 or link[4 + 6] = 60) and " \
			"link[4 + 40] = 17 and " \
			"link[4 + 56 + link[4 + 41] * 8 : 4] = 0xffffffff and " \
			"link[4 + 60 + link[4 + 41] * 8 : 2] = 0xffff)"
#define AF_CANDIDATES	"(" AF_UDP4 " or " AF_UDP6 " or " AF_UDP6_EXT ")"

/*
 * The link types wakeupd listens on, and their names in common/: the
 * DLT_ numbers differ between systems (DLT_RAW, DLT_LOOP), and not
 * every libpcap knows every type.
 */
static const struct {
	int	 dlt;
	int	 link;
} links[] = {
	{ DLT_EN10MB,		WOL_LINK_ETHER },
	{ DLT_RAW,		WOL_LINK_RAW },
#ifdef DLT_IPV4
	{ DLT_IPV4,		WOL_LINK_IPV4 },
#endif
#ifdef DLT_IPV6
	{ DLT_IPV6,		WOL_LINK_IPV6 },
#endif
	{ DLT_NULL,		WOL_LINK_NULL },
#ifdef DLT_LOOP
	{ DLT_LOOP,		WOL_LINK_LOOP },
#endif
#ifdef DLT_LINUX_SLL
	{ DLT_LINUX_SLL,	WOL_LINK_SLL },
#endif
#ifdef DLT_LINUX_SLL2
	{ DLT_LINUX_SLL2,	WOL_LINK_SLL2 },
#endif
};

struct capture_ctx {
	int		 sock;
	int		 ifidx;
	int		 link;		/* WOL_LINK_* */
	const char	*ifname;
	size_t		 nframes;	/* replay: frames read */
	struct bpf_program prog;	/* replay: the kernel's filter */
};

static void	 capture_frame(u_char *, const struct pcap_pkthdr *,
		    const u_char *);
static void	 parent_msg(int);

/* The WOL_LINK_* of a pcap handle, or -1 with its name in buf. */
static int
link_of(pcap_t *p, char *buf, size_t len)
{
	const char	*name;
	size_t		 i;
	int		 dlt = pcap_datalink(p);

	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (links[i].dlt == dlt)
			return (links[i].link);
	if ((name = pcap_datalink_val_to_name(dlt)) != NULL)
		snprintf(buf, len, "link type %s", name);
	else
		snprintf(buf, len, "link type %d", dlt);
	return (-1);
}

/* The filter program's text for a link, AND-ed with senders when given. */
static char *
filter_expr(int link, const char *senders)
{
	const char	*cand;
	char		*expr;

	switch (link) {
	case WOL_LINK_ETHER:
		if (senders == NULL)
			return (strdup(FILTER));
		if (asprintf(&expr, FILTER_SENDERS, senders, senders) == -1)
			return (NULL);
		return (expr);
	case WOL_LINK_NULL:
	case WOL_LINK_LOOP:
		cand = AF_CANDIDATES;
		break;
	default:
		cand = IP_CANDIDATES;
		break;
	}
	if (senders == NULL)
		return (strdup(cand));
	if (asprintf(&expr, "(%s) and %s", senders, cand) == -1)
		return (NULL);
	return (expr);
}

/*
 * Open ifname for capture, as root, with the candidate filter for its
 * link type, AND-ed with the senders' pcap-filter(7) expression when
 * given.  A Linux cooked capture ("any") hears inbound packets only.
 * Returns the pcap_t, or NULL with a one-line reason in errbuf.
 */
void *
capture_open(const char *ifname, const char *senders, int promisc,
    char *errbuf, size_t errlen)
{
	struct bpf_program	 prog;
	pcap_t			*p;
	char			 ebuf[PCAP_ERRBUF_SIZE], *expr = NULL;
	int			 link, rc;

	if ((p = pcap_create(ifname, ebuf)) == NULL) {
		snprintf(errbuf, errlen, "%s", ebuf);
		return (NULL);
	}
	if (pcap_set_snaplen(p, WAKEUPD_SNAPLEN) != 0 ||
	    pcap_set_promisc(p, promisc) != 0 ||
	    pcap_set_timeout(p, 100) != 0 ||
	    /* Without it Linux may hold a single frame until a block fills. */
	    pcap_set_immediate_mode(p, 1) != 0 ||
	    pcap_set_buffer_size(p, 256 * 1024) != 0) {
		snprintf(errbuf, errlen, "cannot set capture options");
		goto fail;
	}
	rc = pcap_activate(p);
	if (rc < 0) {
		switch (rc) {
		case PCAP_ERROR_NO_SUCH_DEVICE:
			snprintf(errbuf, errlen, "no such interface");
			break;
		case PCAP_ERROR_PERM_DENIED:
			snprintf(errbuf, errlen,
			    "capture needs root or CAP_NET_RAW");
			break;
		case PCAP_ERROR_IFACE_NOT_UP:
			snprintf(errbuf, errlen, "interface down");
			break;
		default:
			snprintf(errbuf, errlen, "%s", pcap_geterr(p));
			break;
		}
		goto fail;
	}
	if ((link = link_of(p, ebuf, sizeof(ebuf))) == -1) {
		snprintf(errbuf, errlen, "%s: neither Ethernet nor IP", ebuf);
		goto fail;
	}
	/*
	 * Without Ethernet, what the host itself sends there (into a tun,
	 * out any interface: a relayed packet too, a local user's datagram,
	 * traffic forwarded into a tunnel) is not heard: inbound only.
	 */
	if (link != WOL_LINK_ETHER && pcap_setdirection(p, PCAP_D_IN) == -1) {
		snprintf(errbuf, errlen, "cannot capture inbound only: %s",
		    pcap_geterr(p));
		goto fail;
	}
	if ((expr = filter_expr(link, senders)) == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		goto fail;
	}
	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(errbuf, errlen, "sender filter: %s", pcap_geterr(p));
		goto fail;
	}
	rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc == -1 || pcap_setnonblock(p, 1, ebuf) == -1) {
		snprintf(errbuf, errlen, "%s", pcap_geterr(p));
		goto fail;
	}
	free(expr);
	return (p);
 fail:
	free(expr);
	pcap_close(p);
	return (NULL);
}

/*
 * The capture process's user: it must exist, and not be root, which
 * would undo the separation.  Both programs check, each for itself.
 */
struct passwd *
capture_user(const char *user)
{
	struct passwd	*pw;

	if ((pw = getpwnam(user)) == NULL)
		errx(1, "user %s does not exist; create it, see wakeupd(8)",
		    user);
	if (pw->pw_uid == 0)
		errx(1, "user %s has uid 0; the capture process needs an "
		    "unprivileged user", user);
	endpwent();
	return (pw);
}

/*
 * The whole validation path: dissect, validate, and fill a message.
 * Returns 0 with *m filled, or -1 when the frame is to be dropped.
 */
static int
frame_to_msg(const struct capture_ctx *ctx, const struct pcap_pkthdr *h,
    const u_char *bytes, struct wake_msg *m)
{
	struct wol_frame	 f;
	const char		*reason;
	char			 src[WOL_ADDR_STRLEN];

	if (h->caplen < h->len) {
		log_debug("%s: dropped %u-byte frame: longer than snaplen",
		    ctx->ifname, h->len);
		return (-1);
	}
	if (wol_link_parse(ctx->link, bytes, h->caplen, &f, &reason) == -1) {
		/*
		 * The Ethernet source, when there is one, says who sent
		 * it; else the IP source, when the parse got that far.
		 */
		if (ctx->link == WOL_LINK_ETHER) {
			if (h->caplen < 2 * WOL_ADDR_LEN ||
			    wol_mac_ntoa(bytes + WOL_ADDR_LEN, src,
			    sizeof(src)) == NULL)
				strlcpy(src, "?", sizeof(src));
		} else if (f.proto == 0 ||
		    wol_frame_sender(&f, src, sizeof(src)) == NULL)
			strlcpy(src, "?", sizeof(src));
		log_debug("%s: dropped frame from %s: %s", ctx->ifname, src,
		    reason);
		explicit_bzero(&f, sizeof(f));
		return (-1);
	}

	memset(m, 0, sizeof(*m));
	m->kind = MSG_WAKE;
	m->ts_us = (uint64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
	m->ifidx = ctx->ifidx;
	memcpy(m->mac, f.mac, sizeof(m->mac));
	m->pwlen = f.pw.len;
	memcpy(m->pw, f.pw.buf, f.pw.len);
	/*
	 * Who put it on this link: the relay knows its own (relay.c).
	 * A link without Ethernet has no such address.
	 */
	if (ctx->link == WOL_LINK_ETHER) {
		m->has_esrc = 1;
		memcpy(m->esrc, f.src, sizeof(m->esrc));
	}
	switch (f.proto) {
	case WOL_PROTO_UDP4:
		m->sender_af = AF_INET;
		memcpy(m->sender, f.ipsrc, 4);
		break;
	case WOL_PROTO_UDP6:
		m->sender_af = AF_INET6;
		memcpy(m->sender, f.ipsrc, 16);
		break;
	default:
		m->sender_af = 0;
		memcpy(m->sender, f.src, WOL_ADDR_LEN);
		break;
	}
	explicit_bzero(&f, sizeof(f));
	return (0);
}

static void
capture_frame(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture_ctx	*ctx = (struct capture_ctx *)arg;
	struct wake_msg		 msg;

	if (frame_to_msg(ctx, h, bytes, &msg) == -1)
		return;
	if (!known_has(msg.mac)) {
		if (log_getverbose()) {
			char	 mac[WOL_MAC_STRLEN];

			log_debug("%s: no domain has %s, dropped", ctx->ifname,
			    wol_mac_ntoa(msg.mac, mac, sizeof(mac)));
		}
		explicit_bzero(&msg, sizeof(msg));
		return;
	}
	/*
	 * Never wait for the parent (the socket is non-blocking): it may
	 * be sending us the known addresses at this moment.  A full
	 * socket means a flood the parent would debounce anyway, so this
	 * packet goes.  write(2), not send(2): see sandbox.c.
	 */
	if (write(ctx->sock, &msg, sizeof(msg)) == -1) {
		explicit_bzero(&msg, sizeof(msg));
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
			log_debug("%s: parent busy, packet dropped",
			    ctx->ifname);
			return;
		}
		if (errno == EPIPE || errno == ECONNRESET)
			exit(0);
		fatal("send to parent");
	}
	explicit_bzero(&msg, sizeof(msg));
}

/* Replay: what the parent would be told, on stdout. */
static void
replay_frame(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture_ctx	*ctx = (struct capture_ctx *)arg;
	struct wake_msg		 msg;
	char			 mac[WOL_MAC_STRLEN], from[WOL_ADDR_STRLEN];
	const char		*s;

	ctx->nframes++;
	if (pcap_offline_filter(&ctx->prog, h, bytes) == 0) {
		log_debug("frame %zu: not a candidate, dropped by the filter",
		    ctx->nframes);
		return;
	}
	if (frame_to_msg(ctx, h, bytes, &msg) == -1)
		return;
	wol_mac_ntoa(msg.mac, mac, sizeof(mac));
	if (msg.sender_af != 0)
		s = inet_ntop(msg.sender_af, msg.sender, from, sizeof(from));
	else
		s = wol_mac_ntoa(msg.sender, from, sizeof(from));
	printf("frame %zu: wake %s from %s%s\n", ctx->nframes, mac,
	    s != NULL ? s : "?", msg.pwlen == 0 ? "" :
	    msg.pwlen == 4 ? " with 4-byte password" :
	    " with 6-byte password");
	explicit_bzero(&msg, sizeof(msg));
}

/*
 * wakeupd -r: run the frames of a capture file through the kernel
 * filter and the capture child's validation, as a live capture would.
 */
int
capture_replay(const char *file, const char *senders)
{
	struct capture_ctx	 ctx;
	pcap_t			*p;
	char			 ebuf[PCAP_ERRBUF_SIZE], *expr;
	int			 rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.ifname = file;
	if ((p = pcap_open_offline(file, ebuf)) == NULL) {
		/* libpcap names the file when it cannot open it, not else. */
		if (strncmp(ebuf, file, strlen(file)) == 0)
			fprintf(stderr, "wakeupd: %s\n", ebuf);
		else
			fprintf(stderr, "wakeupd: %s: %s\n", file, ebuf);
		return (-1);
	}
	if ((ctx.link = link_of(p, ebuf, sizeof(ebuf))) == -1) {
		fprintf(stderr, "wakeupd: %s: %s: neither Ethernet nor IP\n",
		    file, ebuf);
		pcap_close(p);
		return (-1);
	}
	if ((expr = filter_expr(ctx.link, senders)) == NULL)
		err(1, NULL);
	rc = pcap_compile(p, &ctx.prog, expr, 1, PCAP_NETMASK_UNKNOWN);
	free(expr);
	if (rc == -1) {
		fprintf(stderr, "wakeupd: sender filter: %s\n", pcap_geterr(p));
		pcap_close(p);
		return (-1);
	}
	/* Line by line, so that it interleaves with the debug lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = pcap_loop(p, -1, replay_frame, (u_char *)&ctx);
	if (rc == PCAP_ERROR)
		fprintf(stderr, "wakeupd: %s: %s\n", file, pcap_geterr(p));
	pcap_freecode(&ctx.prog);
	pcap_close(p);
	return (rc == PCAP_ERROR ? -1 : 0);
}

/* The parent's set of known addresses, or its end: then ours. */
static void
parent_msg(int sock)
{
	static struct macs_msg	 m;
	ssize_t			 n;

	n = recv(sock, &m, sizeof(m), MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		log_debug("parent went away, exiting");
		exit(0);
	}
	known_recv(&m, n);
}

/*
 * Say that we are ready, then poll every capture handle and the
 * parent's socket; leave when the parent goes away.  Runs chrooted and
 * unprivileged already, logging through the parent; sandboxes itself
 * before it reads a packet.
 */
__dead void
capture_main(int sock, struct iface *ifs, int nifs, const char *names)
{
	struct pollfd		 pfd[WAKEUPD_MAXIFS + 1];
	struct capture_ctx	 ctx;
	struct ready_msg	 r;
	char			 ebuf[64];
	int			 fl, i, n, link[WAKEUPD_MAXIFS];

	setproctitle("capture %s", names);

	for (i = 0; i < nifs; i++) {
		/* capture_open accepted it. */
		if ((link[i] = link_of(ifs[i].pcap, ebuf, sizeof(ebuf))) == -1)
			fatalx("%s: %s", ifs[i].name, ebuf);
		pfd[i].fd = pcap_get_selectable_fd(ifs[i].pcap);
		if (pfd[i].fd == -1)
			fatalx("%s: no selectable descriptor", ifs[i].name);
		/* Receive only, for good. */
		sandbox_capture_fd(pfd[i].fd);
		pfd[i].events = POLLIN;
	}
	pfd[nifs].fd = sock;
	pfd[nifs].events = POLLIN;
	ctx.sock = sock;
	if ((fl = fcntl(sock, F_GETFL)) == -1 ||
	    fcntl(sock, F_SETFL, fl | O_NONBLOCK) == -1)
		fatal("fcntl O_NONBLOCK");
	/* From here on, only what the loop below needs. */
	sandbox_child(sock);

	memset(&r, 0, sizeof(r));
	r.kind = MSG_READY;
	r.nifs = nifs;
	if (send(sock, &r, sizeof(r), 0) == -1)
		fatal("send to parent");

	for (;;) {
		if (poll(pfd, nifs + 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[nifs].revents != 0)
			parent_msg(sock);
		for (i = 0; i < nifs; i++) {
			if (pfd[i].revents == 0)
				continue;
			ctx.ifidx = i;
			ctx.link = link[i];
			ctx.ifname = ifs[i].name;
			n = pcap_dispatch(ifs[i].pcap, 256, capture_frame,
			    (u_char *)&ctx);
			if (n == PCAP_ERROR)
				fatalx("%s: capture failed: %s", ifs[i].name,
				    pcap_geterr(ifs[i].pcap));
		}
	}
}
