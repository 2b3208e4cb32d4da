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

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "wol.h"

/*
 * Frame dissection.  Every read is checked against the captured length;
 * offsets come from the headers, never from an assumed encapsulation.
 */

#define ETHER_HDR_LEN		14
#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_VLAN		0x8100
#define ETHERTYPE_QINQ		0x88a8
#define VLAN_HDR_LEN		4
#define IPV4_HDR_MINLEN		20
#define IPV6_HDR_LEN		40
#define UDP_HDR_LEN		8
#define IPPROTO_UDP_NUM		17
#define IPV6_MAX_EXTHDRS	8

/* Links without Ethernet: what comes before the IP header. */
#define AF_HDR_LEN		4	/* DLT_NULL, DLT_LOOP */
#define SLL_HDR_LEN		16	/* DLT_LINUX_SLL */
#define SLL2_HDR_LEN		20	/* DLT_LINUX_SLL2 */
#define SLL_OUTGOING		4	/* PACKET_OUTGOING, sent by this host */
#define SLL_HATYPE_LOOPBACK	772	/* ARPHRD_LOOPBACK */
/* Their address families: IPv4 is 2 everywhere, IPv6 is not. */
#define LINK_AF_INET		2
#define LINK_AF_INET6_LINUX	10
#define LINK_AF_INET6_BSD	24	/* OpenBSD, NetBSD */
#define LINK_AF_INET6_FREEBSD	28
#define LINK_AF_INET6_DARWIN	30

struct cursor {
	const uint8_t	*buf;
	size_t		 off;		/* start of the current header */
	size_t		 end;		/* bytes that belong to it and after */
};

static uint16_t	 be16(const uint8_t *);
static int	 parse_ipv4(struct cursor *, struct wol_frame *,
		    const char **);
static int	 parse_ipv6(struct cursor *, struct wol_frame *,
		    const char **);
static int	 parse_udp(struct cursor *, struct wol_frame *,
		    const char **);
static int	 parse_ip(struct cursor *, int, struct wol_frame *,
		    const char **);
static int	 parse_af(uint32_t, struct cursor *, struct wol_frame *,
		    const char **);
static int	 parse_sll(uint16_t, uint16_t, uint16_t, struct cursor *,
		    struct wol_frame *, const char **);

static uint16_t
be16(const uint8_t *p)
{
	return ((uint16_t)(p[0] << 8 | p[1]));
}

static int
parse_ipv4(struct cursor *c, struct wol_frame *f, const char **reason)
{
	const uint8_t	*ip = c->buf + c->off;
	size_t		 avail = c->end - c->off, hlen, tlen;

	if (avail < IPV4_HDR_MINLEN) {
		*reason = "truncated IPv4 header";
		return (-1);
	}
	if ((ip[0] >> 4) != 4) {
		*reason = "IPv4 version not 4";
		return (-1);
	}
	hlen = (ip[0] & 0x0f) * 4;
	tlen = be16(ip + 2);
	if (hlen < IPV4_HDR_MINLEN || hlen > avail) {
		*reason = "bad IPv4 header length";
		return (-1);
	}
	if (tlen < hlen || tlen > avail) {
		*reason = "bad or truncated IPv4 total length";
		return (-1);
	}
	/* More fragments or an offset: the payload is not all here. */
	if (be16(ip + 6) & 0x3fff) {
		*reason = "IPv4 fragment";
		return (-1);
	}
	if (ip[9] != IPPROTO_UDP_NUM) {
		*reason = "IPv4 but not UDP";
		return (-1);
	}
	memcpy(f->ipsrc, ip + 12, 4);
	memcpy(f->ipdst, ip + 16, 4);
	f->proto = WOL_PROTO_UDP4;
	/* Anything past the total length is Ethernet padding. */
	c->end = c->off + tlen;
	c->off += hlen;
	return (parse_udp(c, f, reason));
}

static int
parse_ipv6(struct cursor *c, struct wol_frame *f, const char **reason)
{
	const uint8_t	*ip = c->buf + c->off, *eh;
	size_t		 avail = c->end - c->off, plen, elen;
	int		 nh, i;

	if (avail < IPV6_HDR_LEN) {
		*reason = "truncated IPv6 header";
		return (-1);
	}
	if ((ip[0] >> 4) != 6) {
		*reason = "IPv6 version not 6";
		return (-1);
	}
	plen = be16(ip + 4);
	if (plen > avail - IPV6_HDR_LEN) {
		*reason = "truncated IPv6 payload";
		return (-1);
	}
	memcpy(f->ipsrc, ip + 8, 16);
	memcpy(f->ipdst, ip + 24, 16);
	f->proto = WOL_PROTO_UDP6;
	nh = ip[6];
	c->end = c->off + IPV6_HDR_LEN + plen;
	c->off += IPV6_HDR_LEN;

	/* Hop-by-hop, routing and destination options may come first. */
	for (i = 0; i < IPV6_MAX_EXTHDRS; i++) {
		if (nh == IPPROTO_UDP_NUM)
			return (parse_udp(c, f, reason));
		if (nh != 0 && nh != 43 && nh != 60) {
			*reason = nh == 44 ? "IPv6 fragment" :
			    "IPv6 but not UDP";
			return (-1);
		}
		if (c->end - c->off < 8) {
			*reason = "truncated IPv6 extension header";
			return (-1);
		}
		eh = c->buf + c->off;
		elen = ((size_t)eh[1] + 1) * 8;
		if (elen > c->end - c->off) {
			*reason = "truncated IPv6 extension header";
			return (-1);
		}
		nh = eh[0];
		c->off += elen;
	}
	*reason = "too many IPv6 extension headers";
	return (-1);
}

static int
parse_udp(struct cursor *c, struct wol_frame *f, const char **reason)
{
	const uint8_t	*uh = c->buf + c->off;
	size_t		 avail = c->end - c->off, ulen;

	if (avail < UDP_HDR_LEN) {
		*reason = "truncated UDP header";
		return (-1);
	}
	ulen = be16(uh + 4);
	if (ulen < UDP_HDR_LEN || ulen > avail) {
		*reason = "bad or truncated UDP length";
		return (-1);
	}
	f->sport = be16(uh);
	f->dport = be16(uh + 2);
	c->end = c->off + ulen;
	c->off += UDP_HDR_LEN;
	return (0);
}

/*
 * Dissect an Ethernet frame of len captured bytes: one optional 802.1Q
 * tag, then EtherType 0x0842 or UDP over IPv4 or IPv6, and validate the
 * magic packet it carries.  Returns 0 and fills f, or -1 with *reason.
 */
int
wol_frame_parse(const uint8_t *buf, size_t len, struct wol_frame *f,
    const char **reason)
{
	struct cursor	 c;
	uint16_t	 type;

	memset(f, 0, sizeof(*f));
	f->vlan = -1;
	if (len < ETHER_HDR_LEN) {
		*reason = "truncated Ethernet header";
		return (-1);
	}
	memcpy(f->dst, buf, WOL_ADDR_LEN);
	memcpy(f->src, buf + WOL_ADDR_LEN, WOL_ADDR_LEN);
	type = be16(buf + 12);
	c.buf = buf;
	c.off = ETHER_HDR_LEN;
	c.end = len;

	if (type == ETHERTYPE_QINQ) {
		*reason = "802.1ad service tag";
		return (-1);
	}
	if (type == ETHERTYPE_VLAN) {
		if (len - c.off < VLAN_HDR_LEN) {
			*reason = "truncated 802.1Q tag";
			return (-1);
		}
		f->vlan = be16(buf + c.off) & 0x0fff;
		type = be16(buf + c.off + 2);
		c.off += VLAN_HDR_LEN;
	}
	if (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) {
		*reason = "more than one VLAN tag";
		return (-1);
	}

	switch (type) {
	case WOL_ETHERTYPE:
		f->proto = WOL_PROTO_ETHER;
		break;
	case ETHERTYPE_IPV4:
		if (parse_ipv4(&c, f, reason) == -1)
			return (-1);
		break;
	case ETHERTYPE_IPV6:
		if (parse_ipv6(&c, f, reason) == -1)
			return (-1);
		break;
	default:
		*reason = "EtherType not 0x0842, IPv4 or IPv6";
		return (-1);
	}
	return (wol_payload_parse(buf + c.off, c.end - c.off, f->mac, &f->pw,
	    reason));
}

/*
 * The IP header at the cursor: version 4 or 6 when want is 0, else
 * only that one.
 */
static int
parse_ip(struct cursor *c, int want, struct wol_frame *f,
    const char **reason)
{
	int	 v;

	if (c->end == c->off) {
		*reason = "no IP header";
		return (-1);
	}
	v = c->buf[c->off] >> 4;
	if (want != 0 && v != want) {
		*reason = want == 4 ? "IPv4 version not 4" :
		    "IPv6 version not 6";
		return (-1);
	}
	switch (v) {
	case 4:
		return (parse_ipv4(c, f, reason));
	case 6:
		return (parse_ipv6(c, f, reason));
	default:
		*reason = "IP version not 4 or 6";
		return (-1);
	}
}

/*
 * DLT_NULL and DLT_LOOP: the address family, whose IPv6 value depends
 * on the system that captured.
 */
static int
parse_af(uint32_t af, struct cursor *c, struct wol_frame *f,
    const char **reason)
{
	switch (af) {
	case LINK_AF_INET:
		return (parse_ip(c, 4, f, reason));
	case LINK_AF_INET6_LINUX:
	case LINK_AF_INET6_BSD:
	case LINK_AF_INET6_FREEBSD:
	case LINK_AF_INET6_DARWIN:
		return (parse_ip(c, 6, f, reason));
	default:
		*reason = "address family not IPv4 or IPv6";
		return (-1);
	}
}

/* Linux cooked captures: what the host sent is not heard. */
static int
parse_sll(uint16_t pkttype, uint16_t hatype, uint16_t proto,
    struct cursor *c, struct wol_frame *f, const char **reason)
{
	if (pkttype == SLL_OUTGOING) {
		*reason = "sent by this host";
		return (-1);
	}
	/* On lo, what comes in was sent here: any local user's datagram. */
	if (hatype == SLL_HATYPE_LOOPBACK) {
		*reason = "on the loopback interface";
		return (-1);
	}
	switch (proto) {
	case ETHERTYPE_IPV4:
		return (parse_ip(c, 4, f, reason));
	case ETHERTYPE_IPV6:
		return (parse_ip(c, 6, f, reason));
	default:
		*reason = "protocol not IPv4 or IPv6";
		return (-1);
	}
}

/* The bytes before the IP header on a link without Ethernet, or -1. */
int
wol_link_hdrlen(int link)
{
	switch (link) {
	case WOL_LINK_RAW:
	case WOL_LINK_IPV4:
	case WOL_LINK_IPV6:
		return (0);
	case WOL_LINK_NULL:
	case WOL_LINK_LOOP:
		return (AF_HDR_LEN);
	case WOL_LINK_SLL:
		return (SLL_HDR_LEN);
	case WOL_LINK_SLL2:
		return (SLL2_HDR_LEN);
	default:
		return (-1);
	}
}

/*
 * Dissect a packet of len captured bytes from a link of type link
 * (WOL_LINK_*), and validate the magic packet it carries.  Ethernet is
 * wol_frame_parse; on the other links, the link header (if any), then
 * UDP over IPv4 or IPv6.  Returns 0 and fills f, or -1 with *reason.
 */
int
wol_link_parse(int link, const uint8_t *buf, size_t len,
    struct wol_frame *f, const char **reason)
{
	struct cursor	 c;
	uint32_t	 af;
	int		 hlen, rc;

	if (link == WOL_LINK_ETHER)
		return (wol_frame_parse(buf, len, f, reason));
	memset(f, 0, sizeof(*f));
	f->vlan = -1;
	if ((hlen = wol_link_hdrlen(link)) == -1) {
		*reason = "unknown link type";
		return (-1);
	}
	if (len < (size_t)hlen) {
		*reason = "truncated link header";
		return (-1);
	}
	c.buf = buf;
	c.off = hlen;
	c.end = len;

	switch (link) {
	case WOL_LINK_RAW:
		rc = parse_ip(&c, 0, f, reason);
		break;
	case WOL_LINK_IPV4:
		rc = parse_ip(&c, 4, f, reason);
		break;
	case WOL_LINK_IPV6:
		rc = parse_ip(&c, 6, f, reason);
		break;
	case WOL_LINK_NULL:
		/* The capturing host's order, which need not be ours. */
		memcpy(&af, buf, sizeof(af));
		if ((af & 0xffff0000) != 0)
			af = (af >> 24) | (af >> 8 & 0xff00) |
			    (af << 8 & 0xff0000) | af << 24;
		rc = parse_af(af, &c, f, reason);
		break;
	case WOL_LINK_LOOP:
		af = (uint32_t)buf[0] << 24 | buf[1] << 16 | buf[2] << 8 |
		    buf[3];
		rc = parse_af(af, &c, f, reason);
		break;
	case WOL_LINK_SLL:
		rc = parse_sll(be16(buf), be16(buf + 2), be16(buf + 14), &c, f,
		    reason);
		break;
	default:
		rc = parse_sll(buf[10], be16(buf + 8), be16(buf), &c, f,
		    reason);
		break;
	}
	if (rc == -1)
		return (-1);
	return (wol_payload_parse(buf + c.off, c.end - c.off, f->mac, &f->pw,
	    reason));
}

/* The sender as people know it: its IP address, or its MAC for 0x0842. */
const char *
wol_frame_sender(const struct wol_frame *f, char *buf, size_t len)
{
	switch (f->proto) {
	case WOL_PROTO_UDP4:
		return (inet_ntop(AF_INET, f->ipsrc, buf, len));
	case WOL_PROTO_UDP6:
		return (inet_ntop(AF_INET6, f->ipsrc, buf, len));
	default:
		return (wol_mac_ntoa(f->src, buf, len));
	}
}
