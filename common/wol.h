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
 * The Wake-on-LAN magic packet and the frames that carry it.  This is
 * the only module that knows the format; it does no I/O.
 */

#ifndef WOL_H
#define WOL_H

#include <sys/types.h>

#include <stdint.h>

#define WOL_ADDR_LEN		6	/* an Ethernet address */
#define WOL_SYNC_LEN		6	/* 0xff x 6 */
#define WOL_COPIES		16	/* the target repeated */
#define WOL_PAYLOAD_LEN		(WOL_SYNC_LEN + WOL_COPIES * WOL_ADDR_LEN)
#define WOL_PW_MAXLEN		6	/* SecureOn: 4 or 6 bytes */
#define WOL_PAYLOAD_MAXLEN	(WOL_PAYLOAD_LEN + WOL_PW_MAXLEN)
#define WOL_ETHERTYPE		0x0842

#define WOL_MAC_STRLEN		18	/* "aa:bb:cc:dd:ee:ff" and NUL */
#define WOL_ADDR_STRLEN		46	/* INET6_ADDRSTRLEN */

/* SecureOn password: len is 0 (none), 4 or 6. */
struct wol_pw {
	uint8_t		 len;
	uint8_t		 buf[WOL_PW_MAXLEN];
};

/* Network layer that carried a magic packet. */
#define WOL_PROTO_ETHER		1	/* EtherType 0x0842 */
#define WOL_PROTO_UDP4		2
#define WOL_PROTO_UDP6		3

/* What a frame carrying a magic packet says, dissected and validated. */
struct wol_frame {
	uint8_t		 dst[WOL_ADDR_LEN];	/* Ethernet destination */
	uint8_t		 src[WOL_ADDR_LEN];	/* Ethernet source */
	int		 vlan;			/* 802.1Q VLAN id, -1 if none */
	int		 proto;			/* WOL_PROTO_* */
	uint8_t		 ipsrc[16];		/* 4 or 16 bytes, by proto */
	uint8_t		 ipdst[16];
	uint16_t	 sport, dport;		/* UDP ports, host order */
	uint8_t		 mac[WOL_ADDR_LEN];	/* the target */
	struct wol_pw	 pw;
};

/* Payloads. */
size_t	 wol_payload_build(uint8_t *, size_t, const uint8_t *,
	    const struct wol_pw *);
int	 wol_payload_parse(const uint8_t *, size_t, uint8_t *,
	    struct wol_pw *, const char **);

/*
 * How a captured packet begins: libpcap's link types (DLT_*), which
 * differ in number between systems, told apart by the caller.  Only
 * Ethernet carries EtherType 0x0842; on the others a magic packet is
 * UDP over IPv4 or IPv6 only.  Numbered without gaps: the tests walk
 * them.
 */
#define WOL_LINK_ETHER		1	/* DLT_EN10MB */
#define WOL_LINK_RAW		2	/* DLT_RAW: the IP header, v4 or v6 */
#define WOL_LINK_IPV4		3	/* DLT_IPV4: the IPv4 header */
#define WOL_LINK_IPV6		4	/* DLT_IPV6: the IPv6 header */
#define WOL_LINK_NULL		5	/* DLT_NULL: address family, host order */
#define WOL_LINK_LOOP		6	/* DLT_LOOP: the same, network order */
#define WOL_LINK_SLL		7	/* DLT_LINUX_SLL: Linux cooked */
#define WOL_LINK_SLL2		8	/* DLT_LINUX_SLL2: Linux cooked v2 */

/* Frames: Ethernet, one optional 802.1Q tag, 0x0842 or IPv4/IPv6 + UDP. */
int	 wol_frame_parse(const uint8_t *, size_t, struct wol_frame *,
	    const char **);
/* Any link type: on those without Ethernet, src and dst 0, vlan -1. */
int	 wol_link_parse(int, const uint8_t *, size_t, struct wol_frame *,
	    const char **);
int	 wol_link_hdrlen(int);
const char *wol_frame_sender(const struct wol_frame *, char *, size_t);

/* Text forms. */
int	 wol_mac_parse(const char *, uint8_t *, const char **);
int	 wol_target_parse(const char *, uint8_t *, const char **);
int	 wol_pw_parse(const char *, struct wol_pw *, const char **);
const char *wol_mac_ntoa(const uint8_t *, char *, size_t);
int	 wol_mac_is_target(const uint8_t *, const char **);

#endif /* WOL_H */
