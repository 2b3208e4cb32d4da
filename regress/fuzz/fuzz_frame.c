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
 * wol_frame_parse on any bytes taken as a captured Ethernet frame, as
 * the capture child hands them over, and wol_link_parse on the same
 * bytes taken as a packet of each other link type (raw IP, null, loop,
 * Linux cooked).  The input is the frame itself, so that the corpus
 * that was made for Ethernet keeps its meaning; the seed corpus holds
 * one valid frame of every encapsulation and link type, so the engine
 * starts behind each EtherType and link header rather than having to
 * find it.
 */

#include <sys/types.h>

#include <string.h>

#include "compat.h"
#include "wol.h"
#include "fuzz.h"

#define ETHER_HDR_LEN	14
#define VLAN_HDR_LEN	4

static void	 link_one(int, const uint8_t *, size_t);

/* One link type without Ethernet. */
static void
link_one(int link, const uint8_t *data, size_t size)
{
	static const uint8_t	 zero[WOL_ADDR_LEN];
	struct wol_frame	 f;
	uint8_t			 payload[WOL_PAYLOAD_MAXLEN];
	char			 who[WOL_ADDR_STRLEN];
	const char		*reason = NULL;
	size_t			 n;
	int			 rc;

	rc = wol_link_parse(link, data, size, &f, &reason);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc == -1) {
		FUZZ_CHECK(reason != NULL && *reason != '\0');
		return;
	}
	FUZZ_CHECK(wol_link_hdrlen(link) >= 0);
	FUZZ_CHECK(size >= (size_t)wol_link_hdrlen(link) + 20 + 8 +
	    WOL_PAYLOAD_LEN);
	/* No Ethernet header, no Ethernet addresses, no tag, no 0x0842. */
	FUZZ_CHECK(memcmp(f.dst, zero, WOL_ADDR_LEN) == 0);
	FUZZ_CHECK(memcmp(f.src, zero, WOL_ADDR_LEN) == 0);
	FUZZ_CHECK(f.vlan == -1);
	FUZZ_CHECK(f.proto == WOL_PROTO_UDP4 || f.proto == WOL_PROTO_UDP6);
	FUZZ_CHECK(link != WOL_LINK_IPV4 || f.proto == WOL_PROTO_UDP4);
	FUZZ_CHECK(link != WOL_LINK_IPV6 || f.proto == WOL_PROTO_UDP6);
	/* The IP version is the first thing after the link header. */
	FUZZ_CHECK(data[wol_link_hdrlen(link)] >> 4 ==
	    (f.proto == WOL_PROTO_UDP4 ? 4 : 6));
	FUZZ_CHECK(f.pw.len == 0 || f.pw.len == 4 || f.pw.len == 6);
	FUZZ_CHECK(wol_mac_is_target(f.mac, &reason) == 0);
	FUZZ_CHECK(wol_frame_sender(&f, who, sizeof(who)) != NULL);
	n = wol_payload_build(payload, sizeof(payload), f.mac, &f.pw);
	FUZZ_CHECK(n == (size_t)WOL_PAYLOAD_LEN + f.pw.len);
	FUZZ_CHECK(memmem(data, size, payload, n) != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int			 link;
	struct wol_frame	 f;
	uint8_t			 payload[WOL_PAYLOAD_MAXLEN];
	char			 who[WOL_ADDR_STRLEN];
	const char		*reason = NULL;
	size_t			 n, hlen;
	int			 rc;

	for (link = WOL_LINK_RAW; link <= WOL_LINK_SLL2; link++)
		link_one(link, data, size);

	/* Ethernet, by both names. */
	rc = wol_link_parse(WOL_LINK_ETHER, data, size, &f, &reason);
	FUZZ_CHECK(rc == wol_frame_parse(data, size, &f, &reason));
	if (rc == -1) {
		FUZZ_CHECK(reason != NULL && *reason != '\0');
		return (0);
	}

	FUZZ_CHECK(size >= ETHER_HDR_LEN + WOL_PAYLOAD_LEN);
	FUZZ_CHECK(memcmp(f.dst, data, WOL_ADDR_LEN) == 0);
	FUZZ_CHECK(memcmp(f.src, data + WOL_ADDR_LEN, WOL_ADDR_LEN) == 0);
	FUZZ_CHECK(f.vlan >= -1 && f.vlan <= 4095);
	FUZZ_CHECK(f.proto == WOL_PROTO_ETHER || f.proto == WOL_PROTO_UDP4 ||
	    f.proto == WOL_PROTO_UDP6);
	FUZZ_CHECK(f.pw.len == 0 || f.pw.len == 4 || f.pw.len == 6);
	FUZZ_CHECK(wol_mac_is_target(f.mac, &reason) == 0);
	FUZZ_CHECK(wol_frame_sender(&f, who, sizeof(who)) != NULL);

	/* The magic packet it reports is really in the frame. */
	n = wol_payload_build(payload, sizeof(payload), f.mac, &f.pw);
	FUZZ_CHECK(n == (size_t)WOL_PAYLOAD_LEN + f.pw.len);
	FUZZ_CHECK(memmem(data, size, payload, n) != NULL);

	/* EtherType 0x0842: the payload is all that follows the header(s). */
	if (f.proto == WOL_PROTO_ETHER) {
		hlen = ETHER_HDR_LEN + (f.vlan == -1 ? 0 : VLAN_HDR_LEN);
		FUZZ_CHECK(size == hlen + n);
		FUZZ_CHECK(memcmp(data + hlen, payload, n) == 0);
	}
	return (0);
}
