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
