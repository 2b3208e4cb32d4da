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
 * Known answers, text forms, rejections and round trips for common/,
 * and wol_frame_parse and wol_link_parse on frames built here byte by
 * byte.
 */

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "unit.h"
#include "wol.h"

#define MAXFRAME	1600

/* How to build a test frame. */
struct spec {
	int		 vlan;		/* -1: untagged */
	uint16_t	 outer;		/* TPID of the tag, 0x8100 by default */
	int		 proto;		/* WOL_PROTO_* */
	size_t		 ip4opts;	/* IPv4 option bytes, a multiple of 4 */
	uint16_t	 ip4frag;	/* flags and fragment offset */
	const uint8_t	*ip6ext;	/* extension header types, 0-ended */
	size_t		 ip6next;	/* how many of them */
	const uint8_t	*payload;
	size_t		 paylen;
	size_t		 padding;	/* junk after the IP datagram */
};


static const uint8_t	 MAC1[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t	 DST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t	 SRC[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x0a };
static const uint8_t	 IP4SRC[4] = { 192, 0, 2, 1 };
static const uint8_t	 IP4DST[4] = { 192, 0, 2, 255 };
static const uint8_t	 IP6SRC[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
			    0, 0, 0, 0, 0, 0, 0, 0x01 };
static const uint8_t	 IP6DST[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
			    0, 0, 0, 0, 0, 0, 0, 0x01 };

static size_t	 unhex(const char *, uint8_t *, size_t);
static const char *esc(const char *);
static int	 parse(const uint8_t *, size_t, struct wol_frame *,
		    const char **);
static int	 parse_link(int, const uint8_t *, size_t, struct wol_frame *,
		    const char **);
static size_t	 build_link(uint8_t *, const char *, int, const uint8_t *,
		    size_t);
static size_t	 put16(uint8_t *, uint16_t);
static size_t	 build(uint8_t *, const struct spec *);
static void	 spec_init(struct spec *, int, const uint8_t *, size_t);
static void	 test_payload_vectors(void);
static void	 test_payload_parse(void);
static void	 test_mac_forms(void);
static void	 test_mac_rejects(void);
static void	 test_targets(void);
static void	 test_passwords(void);
static void	 test_ntoa(void);
static void	 test_frames(void);
static void	 test_frame_rejects(void);
static void	 test_truncations(void);
static void	 test_junk(void);
static void	 test_links(void);
static void	 test_link_truncations(void);
static void	 test_closefrom(void);

/* A test name safe to print on one line. */
static const char *
esc(const char *s)
{
	static char	 buf[256];
	size_t		 n = 0;

	for (; *s != '\0' && n + 5 < sizeof(buf); s++) {
		if (*s >= ' ' && *s <= '~')
			buf[n++] = *s;
		else
			n += snprintf(buf + n, sizeof(buf) - n, "\\x%02x",
			    (unsigned char)*s);
	}
	buf[n] = '\0';
	return (buf);
}

/*
 * wol_frame_parse on a copy in a buffer of exactly len bytes, so that a
 * memory checker sees any read past the end.
 */
static int
parse(const uint8_t *fr, size_t len, struct wol_frame *f, const char **e)
{
	uint8_t	*p;
	int	 r;

	if ((p = malloc(len == 0 ? 1 : len)) == NULL)
		abort();
	memcpy(p, fr, len);
	r = wol_frame_parse(p, len, f, e);
	free(p);
	return (r);
}

/* The same for wol_link_parse. */
static int
parse_link(int link, const uint8_t *fr, size_t len, struct wol_frame *f,
    const char **e)
{
	uint8_t	*p;
	int	 r;

	if ((p = malloc(len == 0 ? 1 : len)) == NULL)
		abort();
	memcpy(p, fr, len);
	r = wol_link_parse(link, p, len, f, e);
	free(p);
	return (r);
}

/* Hex text (spaces ignored) into buf; returns the byte count. */
static size_t
unhex(const char *s, uint8_t *buf, size_t bufsz)
{
	size_t		 n = 0;
	unsigned int	 v;

	while (*s != '\0') {
		if (*s == ' ') {
			s++;
			continue;
		}
		if (n == bufsz || sscanf(s, "%2x", &v) != 1)
			abort();
		buf[n++] = v;
		s += 2;
	}
	return (n);
}

static size_t
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return (2);
}

static void
spec_init(struct spec *sp, int proto, const uint8_t *payload, size_t len)
{
	memset(sp, 0, sizeof(*sp));
	sp->vlan = -1;
	sp->outer = 0x8100;
	sp->proto = proto;
	sp->payload = payload;
	sp->paylen = len;
}

/* Lay out a frame as sp says, with consistent lengths.  Returns its size. */
static size_t
build(uint8_t *b, const struct spec *sp)
{
	size_t		 n = 0, ulen, iphl, i;
	uint16_t	 type;

	memcpy(b, DST, 6);
	memcpy(b + 6, SRC, 6);
	n = 12;
	if (sp->vlan >= 0) {
		n += put16(b + n, sp->outer);
		n += put16(b + n, sp->vlan);
	}
	type = sp->proto == WOL_PROTO_ETHER ? 0x0842 :
	    sp->proto == WOL_PROTO_UDP4 ? 0x0800 : 0x86dd;
	n += put16(b + n, type);
	if (sp->proto == WOL_PROTO_ETHER) {
		memcpy(b + n, sp->payload, sp->paylen);
		return (n + sp->paylen + sp->padding);
	}

	ulen = 8 + sp->paylen;
	if (sp->proto == WOL_PROTO_UDP4) {
		iphl = 20 + sp->ip4opts;
		b[n] = 0x40 | (iphl / 4);
		b[n + 1] = 0;
		put16(b + n + 2, iphl + ulen);
		put16(b + n + 4, 0x1234);
		put16(b + n + 6, sp->ip4frag);
		b[n + 8] = 64;
		b[n + 9] = 17;
		put16(b + n + 10, 0);
		memcpy(b + n + 12, IP4SRC, 4);
		memcpy(b + n + 16, IP4DST, 4);
		/* Options: NOPs, then end of list. */
		memset(b + n + 20, 1, sp->ip4opts);
		if (sp->ip4opts > 0)
			b[n + iphl - 1] = 0;
		n += iphl;
	} else {
		b[n] = 0x60;
		b[n + 1] = b[n + 2] = b[n + 3] = 0;
		put16(b + n + 4, sp->ip6next * 8 + ulen);
		b[n + 6] = sp->ip6next > 0 ? sp->ip6ext[0] : 17;
		b[n + 7] = 64;
		memcpy(b + n + 8, IP6SRC, 16);
		memcpy(b + n + 24, IP6DST, 16);
		n += 40;
		/* Eight-byte extension headers, each padded with PadN. */
		for (i = 0; i < sp->ip6next; i++) {
			b[n] = i + 1 < sp->ip6next ? sp->ip6ext[i + 1] : 17;
			b[n + 1] = 0;
			b[n + 2] = 1;
			b[n + 3] = 4;
			memset(b + n + 4, 0, 4);
			n += 8;
		}
	}
	n += put16(b + n, 40000);
	n += put16(b + n, 9);
	n += put16(b + n, ulen);
	n += put16(b + n, 0);
	memcpy(b + n, sp->payload, sp->paylen);
	n += sp->paylen;
	memset(b + n, 0xee, sp->padding);
	return (n + sp->padding);
}

/*
 * A packet on a link without Ethernet: the link header hdr (hex), then
 * the IP packet of the frame that build() makes for proto and payload.
 */
static size_t
build_link(uint8_t *b, const char *hdr, int proto, const uint8_t *pl,
    size_t pn)
{
	uint8_t		 fr[MAXFRAME];
	struct spec	 sp;
	size_t		 h, n;

	h = unhex(hdr, b, 32);
	spec_init(&sp, proto, pl, pn);
	n = build(fr, &sp);
	memcpy(b + h, fr + 14, n - 14);
	return (h + n - 14);
}

/* Exact bytes for given MACs and passwords. */
static void
test_payload_vectors(void)
{
	static const struct {
		const char	*mac, *pw, *hex;
	} v[] = {
		{ "00:11:22:33:44:55", NULL,
		    "ffffffffffff" "001122334455001122334455001122334455"
		    "001122334455001122334455001122334455001122334455"
		    "001122334455001122334455001122334455001122334455"
		    "001122334455001122334455001122334455001122334455"
		    "001122334455" },
		{ "52:54:00:ab:cd:ef", "1.2.3.4",
		    "ffffffffffff" "525400abcdef525400abcdef525400abcdef"
		    "525400abcdef525400abcdef525400abcdef525400abcdef"
		    "525400abcdef525400abcdef525400abcdef525400abcdef"
		    "525400abcdef525400abcdef525400abcdef525400abcdef"
		    "525400abcdef" "01020304" },
		{ "02:00:00:00:00:01", "a0:b1:c2:d3:e4:f5",
		    "ffffffffffff" "020000000001020000000001020000000001"
		    "020000000001020000000001020000000001020000000001"
		    "020000000001020000000001020000000001020000000001"
		    "020000000001020000000001020000000001020000000001"
		    "020000000001" "a0b1c2d3e4f5" },
		{ "fe:ff:ff:ff:ff:ff", "255.0.128.9",
		    "ffffffffffff" "feffffffffff" "feffffffffff" "feffffffffff"
		    "feffffffffff" "feffffffffff" "feffffffffff" "feffffffffff"
		    "feffffffffff" "feffffffffff" "feffffffffff" "feffffffffff"
		    "feffffffffff" "feffffffffff" "feffffffffff" "feffffffffff"
		    "feffffffffff" "ff008009" },
	};
	uint8_t		 want[WOL_PAYLOAD_MAXLEN], got[WOL_PAYLOAD_MAXLEN];
	uint8_t		 mac[6];
	struct wol_pw	 pw;
	const char	*e;
	size_t		 i, wn, gn;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		wn = unhex(v[i].hex, want, sizeof(want));
		memset(&pw, 0, sizeof(pw));
		if (wol_mac_parse(v[i].mac, mac, &e) == -1 ||
		    (v[i].pw != NULL && wol_pw_parse(v[i].pw, &pw, &e) == -1)) {
			ok(0, "vector %s %s: parse", v[i].mac,
			    v[i].pw ? v[i].pw : "");
			continue;
		}
		memset(got, 0xaa, sizeof(got));
		gn = wol_payload_build(got, sizeof(got), mac, &pw);
		ok(gn == wn && memcmp(got, want, wn) == 0,
		    "payload vector %s password %s (%zu bytes)", v[i].mac,
		    v[i].pw ? v[i].pw : "none", gn);
	}

	/* No password at all: NULL is the same as an empty one. */
	gn = wol_payload_build(got, sizeof(got), MAC1, NULL);
	wn = unhex(v[0].hex, want, sizeof(want));
	ok(gn == 102 && memcmp(got, want, wn) == 0, "payload with NULL pw");

	gn = wol_payload_build(got, WOL_PAYLOAD_LEN - 1, MAC1, NULL);
	ok(gn == 0, "payload build: buffer too small");
	memset(&pw, 0, sizeof(pw));
	pw.len = 6;
	gn = wol_payload_build(got, WOL_PAYLOAD_LEN + 5, MAC1, &pw);
	ok(gn == 0, "payload build: no room for the password");
	pw.len = 5;
	gn = wol_payload_build(got, sizeof(got), MAC1, &pw);
	ok(gn == 0, "payload build: password length 5");
}

static void
test_payload_parse(void)
{
	uint8_t		 buf[WOL_PAYLOAD_MAXLEN + 8], mac[6];
	struct wol_pw	 pw, in;
	const char	*e, *want;
	size_t		 n, i, lens[] = { 0, 4, 6 };
	int		 r;

	/* Round trips with 0, 4 and 6 password bytes. */
	for (i = 0; i < 3; i++) {
		memset(&in, 0, sizeof(in));
		in.len = lens[i];
		memcpy(in.buf, "\x11\x22\x33\x44\x55\x66", lens[i]);
		n = wol_payload_build(buf, sizeof(buf), MAC1, &in);
		memset(&pw, 0xcc, sizeof(pw));
		r = wol_payload_parse(buf, n, mac, &pw, &e);
		ok(r == 0 && memcmp(mac, MAC1, 6) == 0 && pw.len == in.len &&
		    memcmp(pw.buf, in.buf, sizeof(pw.buf)) == 0,
		    "payload round trip, password %zu bytes", lens[i]);
	}

	/* Lengths other than 102, 106 and 108. */
	n = wol_payload_build(buf, sizeof(buf), MAC1, NULL);
	memset(buf + n, 0x42, 8);
	for (i = 0; i <= 110; i++) {
		if (i == 102 || i == 106 || i == 108)
			continue;
		r = wol_payload_parse(buf, i, mac, &pw, &e);
		want = i < 102 ? "payload too short" :
		    "payload length not 102, 106 or 108";
		if (r != -1 || strcmp(e, want) != 0) {
			ok(0, "payload length %zu rejected", i);
			break;
		}
	}
	if (i > 110)
		ok(1, "payload lengths 0-110 except 102/106/108 rejected");

	/* Only 15 copies, then a password's worth: still too short. */
	ok(wol_payload_parse(buf, WOL_SYNC_LEN + 15 * 6, mac, &pw, &e) == -1 &&
	    strcmp(e, "payload too short") == 0, "15 copies rejected");

	/* Each sync byte in turn. */
	for (i = 0; i < WOL_SYNC_LEN; i++) {
		n = wol_payload_build(buf, sizeof(buf), MAC1, NULL);
		buf[i] = 0xfe;
		r = wol_payload_parse(buf, n, mac, &pw, &e);
		ok(r == -1 && strcmp(e, "no sync stream") == 0,
		    "sync byte %zu wrong", i);
	}

	/* One differing copy, at every position, in every byte. */
	for (i = WOL_SYNC_LEN + 6; i < WOL_PAYLOAD_LEN; i++) {
		n = wol_payload_build(buf, sizeof(buf), MAC1, NULL);
		buf[i] ^= 0x01;
		r = wol_payload_parse(buf, n, mac, &pw, &e);
		if (r != -1 || strcmp(e, "target copies differ") != 0)
			break;
	}
	ok(i == WOL_PAYLOAD_LEN, "one differing copy rejected, bytes 12-101");

	/* A differing first copy: the other fifteen disagree with it. */
	n = wol_payload_build(buf, sizeof(buf), MAC1, NULL);
	buf[WOL_SYNC_LEN + 5] = 0x56;
	ok(wol_payload_parse(buf, n, mac, &pw, &e) == -1 &&
	    strcmp(e, "target copies differ") == 0, "differing first copy");

	/* All 0xff: sync stream and broadcast target. */
	memset(buf, 0xff, WOL_PAYLOAD_LEN);
	ok(wol_payload_parse(buf, WOL_PAYLOAD_LEN, mac, &pw, &e) == -1 &&
	    strcmp(e, "broadcast address") == 0, "all-0xff target rejected");

	n = wol_payload_build(buf, sizeof(buf),
	    (const uint8_t *)"\x01\x00\x5e\x00\x00\x01", NULL);
	ok(wol_payload_parse(buf, n, mac, &pw, &e) == -1 &&
	    strcmp(e, "multicast address") == 0, "multicast target rejected");

	n = wol_payload_build(buf, sizeof(buf),
	    (const uint8_t *)"\0\0\0\0\0\0", NULL);
	ok(wol_payload_parse(buf, n, mac, &pw, &e) == -1 &&
	    strcmp(e, "all-zero address") == 0, "all-zero target rejected");
}

/* Every text form that wol_mac_parse accepts. */
static void
test_mac_forms(void)
{
	static const struct {
		const char	*s;
		uint8_t		 mac[6];
	} v[] = {
		{ "00:11:22:33:44:55", { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 } },
		{ "aa:bb:cc:dd:ee:ff", { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff } },
		{ "AA:BB:CC:DD:EE:FF", { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff } },
		{ "Aa:bB:cC:Dd:eE:fF", { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff } },
		{ "0:1:2:3:4:5", { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05 } },
		{ "0:11:2:33:a:bc", { 0x00, 0x11, 0x02, 0x33, 0x0a, 0xbc } },
		{ "00-11-22-33-44-55", { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 } },
		{ "a-b-c-d-e-f", { 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f } },
		{ "AA-bb-0C-d-EE-f0", { 0xaa, 0xbb, 0x0c, 0x0d, 0xee, 0xf0 } },
		{ "001122334455", { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 } },
		{ "AABBCCDDEEFF", { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff } },
		{ "0011.2233.4455", { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 } },
		{ "aAbB.cCdD.eEfF", { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff } },
		{ "ff:ff:ff:ff:ff:ff", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
		{ "00:00:00:00:00:00", { 0, 0, 0, 0, 0, 0 } },
	};
	uint8_t		 mac[6];
	const char	*e;
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(mac, 0x99, sizeof(mac));
		r = wol_mac_parse(v[i].s, mac, &e);
		ok(r == 0 && memcmp(mac, v[i].mac, 6) == 0, "MAC form \"%s\"",
		    v[i].s);
	}
}

static void
test_mac_rejects(void)
{
	static const char *bad[] = {
		"", " ", "0", "00:11:22:33:44", "00:11:22:33:44:55:66",
		"00:11:22:33:44:555", "000:11:22:33:44:55", "00:11:22:33:44:",
		":00:11:22:33:44", "00::22:33:44:55", "00:11:22:33:44:5g",
		"g0:11:22:33:44:55", "00:11:22-33:44:55", "00-11-22-33-44:55",
		" 00:11:22:33:44:55", "00:11:22:33:44:55 ",
		"00:11:22:33:44:55\n", "00:11:22:33:44:55:", "0011223344",
		"00112233445", "0011223344556",
		"00112233445566", "0011.2233.445", "0011.2233.44556",
		"001.12233.4455", "0011.2233", "0011.2233.4455.6677",
		"00.11.22.33.44.55", "0011:2233:4455", "0011-2233-4455",
		"0x11:22:33:44:55:66", "+0:11:22:33:44:55", "-0:11:22:33:44:55",
		"00 11 22 33 44 55", "00:11:22:33:44:55x", "aabbccddeeffgg",
		"00_11_22_33_44_55", "1.2.3.4", "host.example",
	};
	uint8_t		 mac[6], keep[6];
	const char	*e;
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(mac, 0x99, sizeof(mac));
		memset(keep, 0x99, sizeof(keep));
		e = NULL;
		r = wol_mac_parse(bad[i], mac, &e);
		ok(r == -1 && e != NULL &&
		    strcmp(e, "invalid MAC address") == 0 &&
		    memcmp(mac, keep, 6) == 0, "MAC rejected \"%s\"",
		    esc(bad[i]));
	}
}

static void
test_targets(void)
{
	static const struct {
		const char	*s, *why;
	} bad[] = {
		{ "ff:ff:ff:ff:ff:ff", "broadcast address" },
		{ "FFFF.FFFF.FFFF", "broadcast address" },
		{ "01:00:5e:00:00:01", "multicast address" },
		{ "33:33:00:00:00:01", "multicast address" },
		{ "ff:ff:ff:ff:ff:fe", "multicast address" },
		{ "00:00:00:00:00:00", "all-zero address" },
		{ "000000000000", "all-zero address" },
		{ "zz:zz", "invalid MAC address" },
	};
	static const char *good[] = {
		"00:11:22:33:44:55", "02:00:00:00:00:00", "00:00:00:00:00:01",
		"fe:ff:ff:ff:ff:ff", "52-54-00-12-34-56",
	};
	uint8_t		 mac[6], keep[6];
	const char	*e;
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(mac, 0x99, sizeof(mac));
		memset(keep, 0x99, sizeof(keep));
		e = NULL;
		r = wol_target_parse(bad[i].s, mac, &e);
		ok(r == -1 && e != NULL && strcmp(e, bad[i].why) == 0 &&
		    memcmp(mac, keep, 6) == 0, "target rejected \"%s\": %s",
		    bad[i].s, e != NULL ? e : "(null)");
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(wol_target_parse(good[i], mac, &e) == 0,
		    "target accepted \"%s\"", good[i]);
}

static void
test_passwords(void)
{
	static const struct {
		const char	*s, *hex;
	} good[] = {
		{ "1.2.3.4", "01020304" },
		{ "0.0.0.0", "00000000" },
		{ "255.255.255.255", "ffffffff" },
		{ "010.001.000.099", "0a010063" },
		{ "a0:b1:c2:d3:e4:f5", "a0b1c2d3e4f5" },
		{ "A0-B1-C2-D3-E4-F5", "a0b1c2d3e4f5" },
		{ "a0b1c2d3e4f5", "a0b1c2d3e4f5" },
		{ "a0b1.c2d3.e4f5", "a0b1c2d3e4f5" },
		/* Any six bytes will do, even ones that wake nothing. */
		{ "ff:ff:ff:ff:ff:ff", "ffffffffffff" },
		{ "00:00:00:00:00:00", "000000000000" },
	};
	static const char *bad[] = {
		"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "1..2.3",
		".1.2.3", "1.2.3.", "-1.2.3.4", "+1.2.3.4", "1.2.3.4 ",
		" 1.2.3.4", "0001.2.3.4", "1.2.3.0x4", "a.b.c.d", "1,2,3,4",
		"aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00", "secret", "aabbccdd",
	};
	struct wol_pw	 pw;
	uint8_t		 want[WOL_PW_MAXLEN];
	const char	*e;
	size_t		 i, n;
	int		 r;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(want, 0, sizeof(want));
		n = unhex(good[i].hex, want, sizeof(want));
		memset(&pw, 0x99, sizeof(pw));
		r = wol_pw_parse(good[i].s, &pw, &e);
		ok(r == 0 && pw.len == n && memcmp(pw.buf, want, 6) == 0,
		    "password \"%s\"", good[i].s);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&pw, 0x99, sizeof(pw));
		e = NULL;
		r = wol_pw_parse(bad[i], &pw, &e);
		ok(r == -1 && e != NULL && strcmp(e, "invalid password, "
		    "want aa:bb:cc:dd:ee:ff or a.b.c.d") == 0 && pw.len == 0 &&
		    memcmp(pw.buf, "\0\0\0\0\0\0", 6) == 0,
		    "password rejected \"%s\"", bad[i]);
	}
}

static void
test_ntoa(void)
{
	static const char *forms[] = {
		"00:11:22:33:44:55", "AA-BB-CC-DD-EE-FF", "0a0b0c0d0e0f",
		"dead.beef.cafe", "1:2:3:4:5:6",
	};
	static const char *want[] = {
		"00:11:22:33:44:55", "aa:bb:cc:dd:ee:ff", "0a:0b:0c:0d:0e:0f",
		"de:ad:be:ef:ca:fe", "01:02:03:04:05:06",
	};
	char		 buf[WOL_MAC_STRLEN], small[WOL_MAC_STRLEN - 1];
	uint8_t		 mac[6], again[6];
	const char	*e, *s;
	size_t		 i;
	unsigned int	 b;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		s = NULL;
		if (wol_mac_parse(forms[i], mac, &e) == 0)
			s = wol_mac_ntoa(mac, buf, sizeof(buf));
		ok(s != NULL && strcmp(s, want[i]) == 0 &&
		    wol_mac_parse(s, again, &e) == 0 &&
		    memcmp(mac, again, 6) == 0,
		    "round trip \"%s\" -> \"%s\"", forms[i], s ? s : "(null)");
	}

	/* Every byte value survives text and back. */
	for (b = 0; b < 256; b++) {
		memset(mac, b, sizeof(mac));
		mac[5] = 255 - b;
		if (wol_mac_ntoa(mac, buf, sizeof(buf)) == NULL ||
		    wol_mac_parse(buf, again, &e) == -1 ||
		    memcmp(mac, again, 6) != 0)
			break;
	}
	ok(b == 256, "round trip of every byte value");

	ok(wol_mac_ntoa(MAC1, small, sizeof(small)) == NULL,
	    "ntoa: buffer one byte short");
}

static void
test_frames(void)
{
	static const uint8_t ext1[] = { 0 };
	static const uint8_t ext3[] = { 0, 60, 43 };
	uint8_t		 pl[WOL_PAYLOAD_MAXLEN], fr[MAXFRAME];
	char		 who[WOL_ADDR_STRLEN];
	struct wol_frame f;
	struct wol_pw	 pw;
	struct spec	 sp;
	const char	*e = NULL;
	size_t		 n, pn;
	int		 r;

	memset(&pw, 0, sizeof(pw));
	pw.len = 6;
	memcpy(pw.buf, "\xa0\xb1\xc2\xd3\xe4\xf5", 6);
	pn = wol_payload_build(pl, sizeof(pl), MAC1, NULL);

	spec_init(&sp, WOL_PROTO_ETHER, pl, pn);
	n = build(fr, &sp);
	r = parse(fr, n, &f, &e);
	ok(r == 0 && f.proto == WOL_PROTO_ETHER && f.vlan == -1 &&
	    memcmp(f.mac, MAC1, 6) == 0 && memcmp(f.dst, DST, 6) == 0 &&
	    memcmp(f.src, SRC, 6) == 0 && f.pw.len == 0 && n == 116,
	    "frame 0x0842");
	ok(wol_frame_sender(&f, who, sizeof(who)) != NULL &&
	    strcmp(who, "02:00:5e:10:00:0a") == 0, "sender of 0x0842 is %s",
	    who);

	sp.vlan = 5;
	n = build(fr, &sp);
	r = parse(fr, n, &f, &e);
	ok(r == 0 && f.proto == WOL_PROTO_ETHER && f.vlan == 5 &&
	    memcmp(f.mac, MAC1, 6) == 0, "frame 802.1Q 5, 0x0842");

	/* Priority and CFI bits are not part of the VLAN id. */
	sp.vlan = 0xf000 | 4094;
	n = build(fr, &sp);
	r = parse(fr, n, &f, &e);
	ok(r == 0 && f.vlan == 4094, "frame 802.1Q PCP 7 DEI 1 VID 4094");

	pn = wol_payload_build(pl, sizeof(pl), MAC1, &pw);
	spec_init(&sp, WOL_PROTO_UDP4, pl, pn);
	n = build(fr, &sp);
	r = parse(fr, n, &f, &e);
	ok(r == 0 && f.proto == WOL_PROTO_UDP4 && f.vlan == -1 &&
	    memcmp(f.ipsrc, IP4SRC, 4) == 0 &&
	    memcmp(f.ipdst, IP4DST, 4) == 0 && f.sport == 40000 &&
	    f.dport == 9 && memcmp(f.mac, MAC1, 6) == 0 &&
	    f.pw.len == 6 && memcmp(f.pw.buf, pw.buf, 6) == 0,
	    "frame IPv4 UDP with password");
	ok(wol_frame_sender(&f, who, sizeof(who)) != NULL &&
	    strcmp(who, "192.0.2.1") == 0, "sender of IPv4 is %s", who);

	sp.ip4opts = 4;
	n = build(fr, &sp);
	r = parse(fr, n, &f, &e);
	ok(r == 0 && f.proto == WOL_PROTO_UDP4 && f.dport == 9 &&
	    f.pw.len == 6, "frame IPv4 with 4 bytes of options");

	sp.ip4opts = 40;
	sp.vlan = 1;
	n = build(fr, &sp);
	r = parse(fr, n, &f, &e);
	ok(r == 0 && f.proto == WOL_PROTO_UDP4 && f.vlan == 1 &&
	    memcmp(f.mac, MAC1, 6) == 0, "frame 802.1Q, IPv4 with 40 bytes "
	    "of options");

	/* Don't fragment is no fragment. */
	spec_init(&sp, WOL_PROTO_UDP4, pl, pn);
	sp.ip4frag = 0x4000;
	n = build(fr, &sp);
	ok(parse(fr, n, &f, &e) == 0, "frame IPv4 with DF");

	/* Ethernet padding after the datagram is not payload. */
	pn = wol_payload_build(pl, sizeof(pl), MAC1, NULL);
	spec_init(&sp, WOL_PROTO_UDP4, pl, pn);
	sp.padding = 18;
	n = build(fr, &sp);
	r = parse(fr, n, &f, &e);
	ok(r == 0 && f.pw.len == 0, "frame IPv4 with trailing padding");

	spec_init(&sp, WOL_PROTO_UDP6, pl, pn);
	n = build(fr, &sp);
	r = parse(fr, n, &f, &e);
	ok(r == 0 && f.proto == WOL_PROTO_UDP6 &&
	    memcmp(f.ipsrc, IP6SRC, 16) == 0 &&
	    memcmp(f.ipdst, IP6DST, 16) == 0 && f.dport == 9 &&
	    memcmp(f.mac, MAC1, 6) == 0, "frame IPv6 UDP");
	ok(wol_frame_sender(&f, who, sizeof(who)) != NULL &&
	    strcmp(who, "fe80::1") == 0, "sender of IPv6 is %s", who);

	sp.ip6ext = ext1;
	sp.ip6next = 1;
	n = build(fr, &sp);
	r = parse(fr, n, &f, &e);
	ok(r == 0 && f.proto == WOL_PROTO_UDP6 && memcmp(f.mac, MAC1, 6) == 0,
	    "frame IPv6 with hop-by-hop options");

	sp.ip6ext = ext3;
	sp.ip6next = 3;
	sp.vlan = 100;
	sp.padding = 3;
	n = build(fr, &sp);
	r = parse(fr, n, &f, &e);
	ok(r == 0 && f.proto == WOL_PROTO_UDP6 && f.vlan == 100 &&
	    memcmp(f.mac, MAC1, 6) == 0, "frame 802.1Q, IPv6 with hop-by-hop, "
	    "destination and routing headers");
}

/* Frames that carry no valid magic packet, and why. */
static void
test_frame_rejects(void)
{
	static const uint8_t ext_frag[] = { 44 };
	static const uint8_t ext_many[] = { 0, 60, 60, 60, 60, 60, 60, 60, 60 };
	static const uint8_t ext_tcp[] = { 60 };
	uint8_t		 pl[WOL_PAYLOAD_MAXLEN], fr[MAXFRAME];
	struct wol_frame f;
	struct spec	 sp;
	const char	*e;
	size_t		 n, pn, ip;
	int		 r;

	pn = wol_payload_build(pl, sizeof(pl), MAC1, NULL);

#define REJECT(what, why) do {						\
	e = NULL;							\
	r = parse(fr, n, &f, &e);				\
	ok(r == -1 && e != NULL && strcmp(e, why) == 0,			\
	    "reject %s: %s", what, r == 0 ? "(accepted)" : e);		\
} while (0)

	spec_init(&sp, WOL_PROTO_UDP4, pl, pn);
	n = build(fr, &sp);
	ip = 14;
	fr[12] = 0x08;
	fr[13] = 0x06;
	REJECT("ARP EtherType", "EtherType not 0x0842, IPv4 or IPv6");

	sp.vlan = 5;
	sp.outer = 0x8100;
	n = build(fr, &sp);
	fr[16] = 0x81;
	fr[17] = 0x00;
	REJECT("two 802.1Q tags", "more than one VLAN tag");
	fr[16] = 0x88;
	fr[17] = 0xa8;
	REJECT("802.1Q then 802.1ad", "more than one VLAN tag");
	sp.outer = 0x88a8;
	n = build(fr, &sp);
	REJECT("802.1ad outer tag", "802.1ad service tag");

	spec_init(&sp, WOL_PROTO_UDP4, pl, pn);
	sp.ip4frag = 0x2000;
	n = build(fr, &sp);
	REJECT("IPv4 first fragment (MF)", "IPv4 fragment");
	sp.ip4frag = 0x000d;
	n = build(fr, &sp);
	REJECT("IPv4 last fragment (offset)", "IPv4 fragment");
	sp.ip4frag = 0x2001;
	n = build(fr, &sp);
	REJECT("IPv4 middle fragment", "IPv4 fragment");

	spec_init(&sp, WOL_PROTO_UDP4, pl, pn);
	n = build(fr, &sp);
	fr[ip + 9] = 6;
	REJECT("IPv4 TCP", "IPv4 but not UDP");
	n = build(fr, &sp);
	fr[ip] = 0x65;
	REJECT("IPv4 version 6", "IPv4 version not 4");
	n = build(fr, &sp);
	fr[ip] = 0x44;
	REJECT("IPv4 header length 16", "bad IPv4 header length");
	n = build(fr, &sp);
	fr[ip] = 0x4f;
	/* The UDP header is then read from inside the payload. */
	REJECT("IPv4 header length 60", "payload too short");
	n = build(fr, &sp);
	put16(fr + ip + 2, 19);
	REJECT("IPv4 total length below header",
	    "bad or truncated IPv4 total length");
	n = build(fr, &sp);
	put16(fr + ip + 2, 20 + 8 + pn + 1);
	REJECT("IPv4 total length past the frame",
	    "bad or truncated IPv4 total length");
	n = build(fr, &sp);
	put16(fr + ip + 2, 20 + 8 + pn - 1);
	REJECT("IPv4 total length one short", "bad or truncated UDP length");
	n = build(fr, &sp);
	put16(fr + ip + 20 + 4, 7);
	REJECT("UDP length 7", "bad or truncated UDP length");
	n = build(fr, &sp);
	put16(fr + ip + 20 + 4, 8 + pn + 1);
	REJECT("UDP length past the datagram", "bad or truncated UDP length");
	n = build(fr, &sp);
	put16(fr + ip + 20 + 4, 8 + pn - 1);
	REJECT("UDP length one short", "payload too short");

	spec_init(&sp, WOL_PROTO_UDP6, pl, pn);
	n = build(fr, &sp);
	fr[ip] = 0x40;
	REJECT("IPv6 version 4", "IPv6 version not 6");
	n = build(fr, &sp);
	fr[ip + 6] = 6;
	REJECT("IPv6 TCP", "IPv6 but not UDP");
	n = build(fr, &sp);
	put16(fr + ip + 4, 8 + pn + 1);
	REJECT("IPv6 payload length past the frame",
	    "truncated IPv6 payload");
	sp.ip6ext = ext_frag;
	sp.ip6next = 1;
	n = build(fr, &sp);
	REJECT("IPv6 fragment header", "IPv6 fragment");
	sp.ip6ext = ext_many;
	sp.ip6next = sizeof(ext_many);
	n = build(fr, &sp);
	REJECT("nine IPv6 extension headers",
	    "too many IPv6 extension headers");
	sp.ip6ext = ext_tcp;
	sp.ip6next = 1;
	n = build(fr, &sp);
	fr[ip + 40] = 6;
	REJECT("IPv6 destination options then TCP", "IPv6 but not UDP");
	n = build(fr, &sp);
	fr[ip + 41] = 200;
	REJECT("IPv6 extension header longer than the packet",
	    "truncated IPv6 extension header");

	/* Payloads that are not magic packets, under each encapsulation. */
	spec_init(&sp, WOL_PROTO_ETHER, pl, pn);
	n = build(fr, &sp);
	fr[14 + 6 + 6 * 7 + 2] ^= 0x10;
	REJECT("0x0842 one differing copy", "target copies differ");
	spec_init(&sp, WOL_PROTO_UDP4, pl, pn);
	n = build(fr, &sp);
	fr[ip + 28] = 0;
	REJECT("IPv4 no sync stream", "no sync stream");
	spec_init(&sp, WOL_PROTO_UDP6, pl, pn - 6);
	n = build(fr, &sp);
	REJECT("IPv6 15 copies", "payload too short");
	memset(pl, 0xff, WOL_PAYLOAD_LEN);
	spec_init(&sp, WOL_PROTO_ETHER, pl, WOL_PAYLOAD_LEN);
	n = build(fr, &sp);
	REJECT("0x0842 all-0xff target", "broadcast address");
	spec_init(&sp, WOL_PROTO_UDP4, pl, WOL_PAYLOAD_LEN);
	n = build(fr, &sp);
	REJECT("IPv4 all-0xff target", "broadcast address");
#undef REJECT
}

/*
 * Cut each kind of frame at every length short of whole: all must be
 * refused.  A 0x0842 frame has no length field, so it is only tested
 * without a password (cutting two bytes off a six-byte password leaves
 * a valid four-byte one).
 */
static void
test_truncations(void)
{
	static const uint8_t ext1[] = { 0 };
	uint8_t		 pl[WOL_PAYLOAD_MAXLEN], fr[MAXFRAME];
	struct wol_pw	 pw;
	struct wol_frame f;
	struct spec	 sp;
	const char	*e, *kind[] = { "0x0842", "IPv4", "IPv6",
			    "802.1Q 0x0842", "802.1Q IPv4", "802.1Q IPv6 ext" };
	size_t		 n, pn, cut, k;

	memset(&pw, 0, sizeof(pw));
	pw.len = 4;
	memcpy(pw.buf, "\1\2\3\4", 4);
	for (k = 0; k < 6; k++) {
		pn = wol_payload_build(pl, sizeof(pl), MAC1,
		    k % 3 == 0 ? NULL : &pw);
		spec_init(&sp, k % 3 == 0 ? WOL_PROTO_ETHER :
		    k % 3 == 1 ? WOL_PROTO_UDP4 : WOL_PROTO_UDP6, pl, pn);
		if (k >= 3) {
			sp.vlan = 7;
			sp.ip6ext = ext1;
			sp.ip6next = k == 5;
		}
		n = build(fr, &sp);
		if (parse(fr, n, &f, &e) == -1) {
			ok(0, "truncation base frame %s: %s", kind[k], e);
			continue;
		}
		for (cut = 0; cut < n; cut++)
			if (parse(fr, cut, &f, &e) != -1)
				break;
		ok(cut == n, "%s frame cut at every length 0-%zu refused",
		    kind[k], n - 1);
	}
}

/* Random bytes and random damage: no crash, no false positives. */
static void
test_junk(void)
{
	uint8_t		 pl[WOL_PAYLOAD_MAXLEN], fr[MAXFRAME], good[MAXFRAME];
	struct wol_frame f;
	struct spec	 sp;
	const char	*e;
	uint32_t	 x = 0x2545f491;
	size_t		 i, j, n, gn, pn, accepted = 0;

#define RND() (x ^= x << 13, x ^= x >> 17, x ^= x << 5, x)
	for (i = 0; i < 20000; i++) {
		n = RND() % 200;
		for (j = 0; j < n; j++)
			fr[j] = RND();
		if (parse(fr, n, &f, &e) == 0)
			accepted++;
	}
	ok(accepted == 0, "20000 random frames refused (%zu accepted)",
	    accepted);

	/*
	 * Flip one random bit of a good IPv4 frame: the result is either
	 * refused or, when the bit was in a field the parser does not
	 * judge, still carries the same target.
	 */
	pn = wol_payload_build(pl, sizeof(pl), MAC1, NULL);
	spec_init(&sp, WOL_PROTO_UDP4, pl, pn);
	gn = build(good, &sp);
	accepted = 0;
	for (i = 0; i < 20000; i++) {
		memcpy(fr, good, gn);
		j = RND() % gn;
		fr[j] ^= 1 << (RND() % 8);
		if (parse(fr, RND() % 4 == 0 ? RND() % gn : gn, &f,
		    &e) == 0 && memcmp(f.mac, MAC1, 6) != 0)
			accepted++;
	}
	ok(accepted == 0, "20000 damaged frames: no wrong target (%zu)",
	    accepted);
#undef RND
}

/* Each link type's header, good and bad, in front of IPv4 and IPv6. */
#define SLL_SRC		"02005e10000a0000"	/* address, 8 bytes */
static const struct link_case {
	const char	*name;
	int		 link;
	const char	*hdr;		/* hex */
	int		 proto;		/* WOL_PROTO_UDP4 or _UDP6 inside */
	const char	*why;		/* NULL: accepted */
} link_cases[] = {
	{ "Ethernet", WOL_LINK_ETHER, "ffffffffffff 02005e10000a 0800",
	    WOL_PROTO_UDP4, NULL },
	{ "Ethernet, IPv6 as IPv4", WOL_LINK_ETHER,
	    "ffffffffffff 02005e10000a 0800", WOL_PROTO_UDP6,
	    "IPv4 version not 4" },
	{ "raw IPv4", WOL_LINK_RAW, "", WOL_PROTO_UDP4, NULL },
	{ "raw IPv6", WOL_LINK_RAW, "", WOL_PROTO_UDP6, NULL },
	{ "ipv4 IPv4", WOL_LINK_IPV4, "", WOL_PROTO_UDP4, NULL },
	{ "ipv4 IPv6", WOL_LINK_IPV4, "", WOL_PROTO_UDP6,
	    "IPv4 version not 4" },
	{ "ipv6 IPv6", WOL_LINK_IPV6, "", WOL_PROTO_UDP6, NULL },
	{ "ipv6 IPv4", WOL_LINK_IPV6, "", WOL_PROTO_UDP4,
	    "IPv6 version not 6" },
	{ "null 2, IPv4", WOL_LINK_NULL, "02000000", WOL_PROTO_UDP4, NULL },
	{ "null 2 other order", WOL_LINK_NULL, "00000002", WOL_PROTO_UDP4,
	    NULL },
	{ "null 10 (Linux), IPv6", WOL_LINK_NULL, "0a000000",
	    WOL_PROTO_UDP6, NULL },
	{ "null 24 (OpenBSD), IPv6", WOL_LINK_NULL, "18000000",
	    WOL_PROTO_UDP6, NULL },
	{ "null 28 (FreeBSD), IPv6", WOL_LINK_NULL, "1c000000",
	    WOL_PROTO_UDP6, NULL },
	{ "null 30 (Darwin), IPv6", WOL_LINK_NULL, "1e000000",
	    WOL_PROTO_UDP6, NULL },
	{ "null 24, IPv4 inside", WOL_LINK_NULL, "18000000", WOL_PROTO_UDP4,
	    "IPv6 version not 6" },
	{ "null 2, IPv6 inside", WOL_LINK_NULL, "02000000", WOL_PROTO_UDP6,
	    "IPv4 version not 4" },
	{ "null 23", WOL_LINK_NULL, "17000000", WOL_PROTO_UDP6,
	    "address family not IPv4 or IPv6" },
	{ "null 0", WOL_LINK_NULL, "00000000", WOL_PROTO_UDP4,
	    "address family not IPv4 or IPv6" },
	{ "null 0x01000002", WOL_LINK_NULL, "02000001", WOL_PROTO_UDP4,
	    "address family not IPv4 or IPv6" },
	{ "loop 2, IPv4", WOL_LINK_LOOP, "00000002", WOL_PROTO_UDP4, NULL },
	{ "loop 30, IPv6", WOL_LINK_LOOP, "0000001e", WOL_PROTO_UDP6, NULL },
	{ "loop 28, IPv6", WOL_LINK_LOOP, "0000001c", WOL_PROTO_UDP6, NULL },
	{ "loop 2 in host order", WOL_LINK_LOOP, "02000000", WOL_PROTO_UDP4,
	    "address family not IPv4 or IPv6" },
	{ "loop 17", WOL_LINK_LOOP, "00000011", WOL_PROTO_UDP4,
	    "address family not IPv4 or IPv6" },
	{ "sll IPv4 to us", WOL_LINK_SLL, "0000 0001 0006" SLL_SRC "0800",
	    WOL_PROTO_UDP4, NULL },
	{ "sll IPv4 broadcast", WOL_LINK_SLL, "0001 0001 0006" SLL_SRC "0800",
	    WOL_PROTO_UDP4, NULL },
	{ "sll IPv6 multicast, tun", WOL_LINK_SLL,
	    "0002 fffe 0000 0000000000000000 86dd", WOL_PROTO_UDP6, NULL },
	{ "sll IPv4 labelled IPv6", WOL_LINK_SLL,
	    "0000 0001 0006" SLL_SRC "86dd", WOL_PROTO_UDP4,
	    "IPv6 version not 6" },
	{ "sll ARP", WOL_LINK_SLL, "0000 0001 0006" SLL_SRC "0806",
	    WOL_PROTO_UDP4, "protocol not IPv4 or IPv6" },
	{ "sll 0x0842", WOL_LINK_SLL, "0000 0001 0006" SLL_SRC "0842",
	    WOL_PROTO_UDP4, "protocol not IPv4 or IPv6" },
	{ "sll 802.1Q", WOL_LINK_SLL, "0000 0001 0006" SLL_SRC "8100",
	    WOL_PROTO_UDP4, "protocol not IPv4 or IPv6" },
	{ "sll sent by this host", WOL_LINK_SLL,
	    "0004 0001 0006" SLL_SRC "0800", WOL_PROTO_UDP4,
	    "sent by this host" },
	{ "sll2 IPv4", WOL_LINK_SLL2,
	    "0800 0000 00000002 0001 00 06" SLL_SRC, WOL_PROTO_UDP4, NULL },
	{ "sll2 IPv6", WOL_LINK_SLL2,
	    "86dd 0000 00000007 fffe 01 00 0000000000000000",
	    WOL_PROTO_UDP6, NULL },
	{ "sll2 LLDP", WOL_LINK_SLL2,
	    "88cc 0000 00000002 0001 00 06" SLL_SRC, WOL_PROTO_UDP4,
	    "protocol not IPv4 or IPv6" },
	{ "sll2 sent by this host", WOL_LINK_SLL2,
	    "86dd 0000 00000002 0001 04 06" SLL_SRC, WOL_PROTO_UDP6,
	    "sent by this host" },
	{ "sll to us on lo", WOL_LINK_SLL,
	    "0000 0304 0006" SLL_SRC "0800", WOL_PROTO_UDP4,
	    "on the loopback interface" },
	{ "sll2 to us on lo", WOL_LINK_SLL2,
	    "0800 0000 00000001 0304 00 06" SLL_SRC, WOL_PROTO_UDP4,
	    "on the loopback interface" },
	{ "unknown link type", 99, "", WOL_PROTO_UDP4, "unknown link type" },
};

/* Good and bad link headers, table-driven. */
static void
test_links(void)
{
	static const uint8_t zero[6];
	const struct link_case *lc;
	uint8_t		 pl[WOL_PAYLOAD_MAXLEN], fr[MAXFRAME];
	char		 who[WOL_ADDR_STRLEN];
	struct wol_frame f;
	struct wol_pw	 pw;
	const char	*e, *want;
	size_t		 i, n, pn;
	int		 r, good, ether;

	memset(&pw, 0, sizeof(pw));
	pw.len = 4;
	memcpy(pw.buf, "\x0a\x0b\x0c\x0d", 4);
	pn = wol_payload_build(pl, sizeof(pl), MAC1, &pw);
	for (i = 0; i < sizeof(link_cases) / sizeof(link_cases[0]); i++) {
		lc = &link_cases[i];
		n = build_link(fr, lc->hdr, lc->proto, pl, pn);
		e = NULL;
		memset(&f, 0x99, sizeof(f));
		r = parse_link(lc->link, fr, n, &f, &e);
		if (lc->why != NULL) {
			ok(r == -1 && e != NULL && strcmp(e, lc->why) == 0,
			    "link %s refused: %s", lc->name,
			    r == 0 ? "(accepted)" : e);
			continue;
		}
		ether = lc->link == WOL_LINK_ETHER;
		want = lc->proto == WOL_PROTO_UDP4 ? "192.0.2.1" : "fe80::1";
		good = r == 0 && f.proto == lc->proto && f.vlan == -1 &&
		    memcmp(f.ipsrc, lc->proto == WOL_PROTO_UDP4 ? IP4SRC :
		    IP6SRC, lc->proto == WOL_PROTO_UDP4 ? 4 : 16) == 0 &&
		    f.sport == 40000 && f.dport == 9 &&
		    memcmp(f.mac, MAC1, 6) == 0 && f.pw.len == 4 &&
		    memcmp(f.pw.buf, pw.buf, 4) == 0 &&
		    memcmp(f.src, ether ? SRC : zero, 6) == 0 &&
		    memcmp(f.dst, ether ? DST : zero, 6) == 0 &&
		    wol_frame_sender(&f, who, sizeof(who)) != NULL &&
		    strcmp(who, want) == 0;
		ok(good, "link %s: %s", lc->name, r == 0 ? "accepted" : e);
	}

	/* Shorter than the link header; nothing after it. */
	ok(parse_link(WOL_LINK_NULL, fr, 3, &f, &e) == -1 &&
	    strcmp(e, "truncated link header") == 0, "null, 3 bytes refused");
	ok(parse_link(WOL_LINK_SLL, fr, 15, &f, &e) == -1 &&
	    strcmp(e, "truncated link header") == 0, "sll, 15 bytes refused");
	ok(parse_link(WOL_LINK_SLL2, fr, 19, &f, &e) == -1 &&
	    strcmp(e, "truncated link header") == 0,
	    "sll2, 19 bytes refused");
	ok(parse_link(WOL_LINK_RAW, fr, 0, &f, &e) == -1 &&
	    strcmp(e, "no IP header") == 0, "raw, empty packet refused");
	n = build_link(fr, "00000002", WOL_PROTO_UDP4, pl, pn);
	ok(parse_link(WOL_LINK_LOOP, fr, 4, &f, &e) == -1 &&
	    strcmp(e, "no IP header") == 0, "loop, header only refused");
	fr[4] = 0x55;
	ok(parse_link(WOL_LINK_RAW, fr + 4, n - 4, &f, &e) == -1 &&
	    strcmp(e, "IP version not 4 or 6") == 0, "raw, IP version 5");

	/* The link header's size, where there is one of fixed size. */
	ok(wol_link_hdrlen(WOL_LINK_RAW) == 0 &&
	    wol_link_hdrlen(WOL_LINK_IPV4) == 0 &&
	    wol_link_hdrlen(WOL_LINK_IPV6) == 0 &&
	    wol_link_hdrlen(WOL_LINK_NULL) == 4 &&
	    wol_link_hdrlen(WOL_LINK_LOOP) == 4 &&
	    wol_link_hdrlen(WOL_LINK_SLL) == 16 &&
	    wol_link_hdrlen(WOL_LINK_SLL2) == 20 &&
	    wol_link_hdrlen(WOL_LINK_ETHER) == -1 &&
	    wol_link_hdrlen(0) == -1, "link header lengths");
}

/* Every good link packet cut at every length short of whole: refused. */
static void
test_link_truncations(void)
{
	const struct link_case *lc;
	uint8_t		 pl[WOL_PAYLOAD_MAXLEN], fr[MAXFRAME];
	uint32_t	 x = 0x9e3779b9;
	struct wol_frame f;
	const char	*e;
	size_t		 i, j, n, pn, cut, accepted;

	pn = wol_payload_build(pl, sizeof(pl), MAC1, NULL);
	for (i = 0; i < sizeof(link_cases) / sizeof(link_cases[0]); i++) {
		lc = &link_cases[i];
		if (lc->why != NULL)
			continue;
		n = build_link(fr, lc->hdr, lc->proto, pl, pn);
		for (cut = 0; cut < n; cut++)
			if (parse_link(lc->link, fr, cut, &f, &e) != -1)
				break;
		ok(cut == n, "link %s cut at every length 0-%zu refused",
		    lc->name, n - 1);
	}

	/* Random bytes as each link type: none is a magic packet. */
#define RND() (x ^= x << 13, x ^= x >> 17, x ^= x << 5, x)
	for (i = WOL_LINK_ETHER; i <= WOL_LINK_SLL2; i++) {
		accepted = 0;
		for (j = 0; j < 5000; j++) {
			n = RND() % 200;
			for (cut = 0; cut < n; cut++)
				fr[cut] = RND();
			if (parse_link(i, fr, n, &f, &e) == 0)
				accepted++;
		}
		ok(accepted == 0, "link type %zu: 5000 random packets "
		    "refused (%zu accepted)", i, accepted);
	}
#undef RND
}

static int
fd_open(int fd)
{
	return (fcntl(fd, F_GETFD) != -1);
}

/*
 * closefrom, and on Linux each way the compat one has: descriptors
 * below the mark stay, those from it up go, the highest too.
 */
static void
test_closefrom(void)
{
	const char	*how[] = { "closefrom", "close_range", "/proc/self/fd",
			    "the loop", "compat_closefrom" };
	size_t		 i;
	int		 base = 100, high = 900, rc, good;

	for (i = 0; i < sizeof(how) / sizeof(how[0]); i++) {
		if (dup2(2, base - 1) == -1 || dup2(2, base) == -1 ||
		    dup2(2, base + 3) == -1 || dup2(2, high) == -1) {
			ok(0, "%s: dup2: %s", how[i], strerror(errno));
			continue;
		}
		rc = 0;
		switch (i) {
		case 0:
			closefrom(base);
			break;
#ifdef __linux__
		case 1:
			rc = compat_closefrom_range(base);
			break;
		case 2:
			rc = compat_closefrom_proc(base);
			break;
		case 3:
			compat_closefrom_loop(base);
			break;
		case 4:
			compat_closefrom(base);
			break;
#endif
		default:
			closefrom(base);
			break;
		}
		good = rc == 0 && fd_open(base - 1) && !fd_open(base) &&
		    !fd_open(base + 3) && !fd_open(high) && fd_open(2);
		ok(good, "%s: closes from %d up, keeps below (rc %d)",
		    how[i], base, rc);
		close(base - 1);
		close(base);
		close(base + 3);
		close(high);
	}
}

int
main(void)
{
	test_payload_vectors();
	test_payload_parse();
	test_mac_forms();
	test_mac_rejects();
	test_targets();
	test_passwords();
	test_ntoa();
	test_frames();
	test_frame_rejects();
	test_truncations();
	test_junk();
	test_links();
	test_link_truncations();
	test_closefrom();
	printf("test_wol: %d passed, %d failed\n", passes, failures);
	return (failures != 0);
}
