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

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "wol.h"

static int	 hexval(int);
static int	 parse_groups(const char *, uint8_t *, size_t, int, size_t,
		    size_t);
static int	 parse_dotted(const char *, uint8_t *);

/*
 * Fill buf with the sync stream, sixteen copies of mac and the password,
 * if any.  Returns the payload length, or 0 if buf is too small.
 */
size_t
wol_payload_build(uint8_t *buf, size_t bufsz, const uint8_t *mac,
    const struct wol_pw *pw)
{
	size_t	 len, i;

	len = WOL_PAYLOAD_LEN + (pw != NULL ? pw->len : 0);
	if (bufsz < len || (pw != NULL && pw->len != 0 && pw->len != 4 &&
	    pw->len != 6))
		return (0);
	memset(buf, 0xff, WOL_SYNC_LEN);
	for (i = 0; i < WOL_COPIES; i++)
		memcpy(buf + WOL_SYNC_LEN + i * WOL_ADDR_LEN, mac,
		    WOL_ADDR_LEN);
	if (pw != NULL && pw->len != 0)
		memcpy(buf + WOL_PAYLOAD_LEN, pw->buf, pw->len);
	return (len);
}

/*
 * Validate a payload: exactly 102, 106 or 108 bytes, the sync stream,
 * sixteen identical copies of a unicast address, then the password.
 * Returns 0 and fills mac and pw, or -1 with the reason in *reason.
 */
int
wol_payload_parse(const uint8_t *buf, size_t len, uint8_t *mac,
    struct wol_pw *pw, const char **reason)
{
	const uint8_t	*first;
	size_t		 i;

	if (len < WOL_PAYLOAD_LEN) {
		*reason = "payload too short";
		return (-1);
	}
	if (len != WOL_PAYLOAD_LEN && len != WOL_PAYLOAD_LEN + 4 &&
	    len != WOL_PAYLOAD_LEN + 6) {
		*reason = "payload length not 102, 106 or 108";
		return (-1);
	}
	for (i = 0; i < WOL_SYNC_LEN; i++)
		if (buf[i] != 0xff) {
			*reason = "no sync stream";
			return (-1);
		}
	first = buf + WOL_SYNC_LEN;
	for (i = 1; i < WOL_COPIES; i++)
		if (memcmp(first, first + i * WOL_ADDR_LEN, WOL_ADDR_LEN)
		    != 0) {
			*reason = "target copies differ";
			return (-1);
		}
	if (wol_mac_is_target(first, reason) == -1)
		return (-1);
	memcpy(mac, first, WOL_ADDR_LEN);
	pw->len = len - WOL_PAYLOAD_LEN;
	memset(pw->buf, 0, sizeof(pw->buf));
	memcpy(pw->buf, buf + WOL_PAYLOAD_LEN, pw->len);
	return (0);
}

/* A wakeable NIC has a unicast address that is not all zero. */
int
wol_mac_is_target(const uint8_t *mac, const char **reason)
{
	static const uint8_t	 zero[WOL_ADDR_LEN];
	size_t			 i;

	if (memcmp(mac, zero, WOL_ADDR_LEN) == 0) {
		*reason = "all-zero address";
		return (-1);
	}
	if (mac[0] & 0x01) {
		for (i = 0; i < WOL_ADDR_LEN; i++)
			if (mac[i] != 0xff)
				break;
		*reason = i == WOL_ADDR_LEN ? "broadcast address" :
		    "multicast address";
		return (-1);
	}
	return (0);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

/*
 * Parse s as ngroups groups of minw to maxw hex digits separated by sep
 * (0: no separator) into out.  The whole string must be consumed.
 */
static int
parse_groups(const char *s, uint8_t *out, size_t ngroups, int sep,
    size_t minw, size_t maxw)
{
	uint8_t		 bytes[WOL_ADDR_LEN];
	uint64_t	 v;
	size_t		 g, w, nbytes = 0;
	int		 h;

	memset(bytes, 0, sizeof(bytes));
	for (g = 0; g < ngroups; g++) {
		if (g > 0 && sep != 0 && *s++ != sep)
			return (-1);
		v = 0;
		for (w = 0; w < maxw && (h = hexval(*s)) != -1; w++, s++)
			v = (v << 4) | h;
		if (w < minw)
			return (-1);
		/* A group stands for maxw / 2 bytes, big-endian. */
		for (w = maxw / 2; w > 0; w--) {
			if (nbytes + w - 1 >= WOL_ADDR_LEN)
				return (-1);
			bytes[nbytes + w - 1] = v & 0xff;
			v >>= 8;
		}
		nbytes += maxw / 2;
	}
	if (*s != '\0' || nbytes != WOL_ADDR_LEN)
		return (-1);
	memcpy(out, bytes, WOL_ADDR_LEN);
	return (0);
}

/*
 * An Ethernet address in any of the forms people paste:
 * aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff (one or two digits a group),
 * aabbccddeeff and aabb.ccdd.eeff; case does not matter.
 */
int
wol_mac_parse(const char *s, uint8_t *mac, const char **errstr)
{
	if (parse_groups(s, mac, 6, ':', 1, 2) == 0 ||
	    parse_groups(s, mac, 6, '-', 1, 2) == 0 ||
	    parse_groups(s, mac, 1, 0, 12, 12) == 0 ||
	    parse_groups(s, mac, 3, '.', 4, 4) == 0)
		return (0);
	*errstr = "invalid MAC address";
	return (-1);
}

/* An address that a magic packet can wake. */
int
wol_target_parse(const char *s, uint8_t *mac, const char **errstr)
{
	uint8_t	 m[WOL_ADDR_LEN];

	if (wol_mac_parse(s, m, errstr) == -1)
		return (-1);
	if (wol_mac_is_target(m, errstr) == -1)
		return (-1);
	memcpy(mac, m, WOL_ADDR_LEN);
	return (0);
}

/* a.b.c.d, each part a decimal number 0-255 without a sign. */
static int
parse_dotted(const char *s, uint8_t *out)
{
	uint8_t		 bytes[4];
	unsigned int	 v;
	size_t		 i, w;

	for (i = 0; i < 4; i++) {
		if (i > 0 && *s++ != '.')
			return (-1);
		v = 0;
		for (w = 0; w < 3 && *s >= '0' && *s <= '9'; w++, s++)
			v = v * 10 + (*s - '0');
		if (w == 0 || v > 255)
			return (-1);
		bytes[i] = v;
	}
	if (*s != '\0')
		return (-1);
	memcpy(out, bytes, sizeof(bytes));
	return (0);
}

/* A SecureOn password: six bytes in a MAC form, or four as a.b.c.d. */
int
wol_pw_parse(const char *s, struct wol_pw *pw, const char **errstr)
{
	memset(pw, 0, sizeof(*pw));
	if (parse_dotted(s, pw->buf) == 0) {
		pw->len = 4;
		return (0);
	}
	if (wol_mac_parse(s, pw->buf, errstr) == 0) {
		pw->len = 6;
		return (0);
	}
	memset(pw, 0, sizeof(*pw));
	*errstr = "invalid password, want aa:bb:cc:dd:ee:ff or a.b.c.d";
	return (-1);
}

/* Lower-case colon form. */
const char *
wol_mac_ntoa(const uint8_t *mac, char *buf, size_t len)
{
	int	 n;

	n = snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
	    mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	if (n < 0 || (size_t)n >= len)
		return (NULL);
	return (buf);
}
