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
 * The text forms people type or paste: wol_mac_parse, wol_target_parse
 * and wol_pw_parse on any string, checked against each other and
 * against a round trip through wol_mac_ntoa.
 */

#include <sys/types.h>

#include <string.h>

#include "compat.h"
#include "wol.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct wol_pw	 nopw;
	struct wol_pw			 pw;
	uint8_t				 m1[WOL_ADDR_LEN], m2[WOL_ADDR_LEN];
	uint8_t				 m3[WOL_ADDR_LEN];
	char				*s, text[WOL_MAC_STRLEN];
	const char			*errstr, *why;
	int				 rm, rt, rp;

	/* A C string of exactly these bytes, so ASan sees its end. */
	if ((s = malloc(size + 1)) == NULL)
		return (0);
	memcpy(s, data, size);
	s[size] = '\0';

	errstr = NULL;
	rm = wol_mac_parse(s, m1, &errstr);
	FUZZ_CHECK(rm == 0 || rm == -1);
	if (rm == 0) {
		FUZZ_CHECK(strlen(s) <= 17);
		FUZZ_CHECK(strspn(s, "0123456789abcdefABCDEF:-.") ==
		    strlen(s));
		FUZZ_CHECK(wol_mac_ntoa(m1, text, sizeof(text)) == text);
		FUZZ_CHECK(strlen(text) == WOL_MAC_STRLEN - 1);
		FUZZ_CHECK(wol_mac_parse(text, m3, &errstr) == 0);
		FUZZ_CHECK(memcmp(m1, m3, WOL_ADDR_LEN) == 0);
		FUZZ_CHECK(wol_mac_ntoa(m1, text, sizeof(text) - 1) == NULL);
	} else
		FUZZ_CHECK(errstr != NULL && *errstr != '\0');

	errstr = NULL;
	rt = wol_target_parse(s, m2, &errstr);
	FUZZ_CHECK(rt == 0 || rt == -1);
	if (rt == 0) {
		FUZZ_CHECK(rm == 0);
		FUZZ_CHECK(memcmp(m1, m2, WOL_ADDR_LEN) == 0);
		FUZZ_CHECK(wol_mac_is_target(m2, &why) == 0);
	} else {
		FUZZ_CHECK(errstr != NULL && *errstr != '\0');
		FUZZ_CHECK(rm == -1 || wol_mac_is_target(m1, &why) == -1);
	}

	errstr = NULL;
	memset(&pw, 0xa5, sizeof(pw));
	rp = wol_pw_parse(s, &pw, &errstr);
	FUZZ_CHECK(rp == 0 || rp == -1);
	if (rp == 0) {
		FUZZ_CHECK(pw.len == 4 || pw.len == 6);
		if (pw.len == 6)
			FUZZ_CHECK(rm == 0 &&
			    memcmp(pw.buf, m1, WOL_ADDR_LEN) == 0);
		else
			FUZZ_CHECK(strspn(s, "0123456789.") == strlen(s) &&
			    strlen(s) <= 15);
	} else {
		FUZZ_CHECK(errstr != NULL && *errstr != '\0');
		/* Nothing of a refused password is left behind. */
		FUZZ_CHECK(memcmp(&pw, &nopw, sizeof(pw)) == 0);
		FUZZ_CHECK(rm == -1);
	}
	free(s);
	return (0);
}
