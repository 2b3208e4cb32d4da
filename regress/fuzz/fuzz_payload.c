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
 * wol_payload_parse on any bytes: it accepts exactly the payloads that
 * wol_payload_build makes for a wakeable address, and refuses the rest
 * with a reason.
 */

#include <sys/types.h>

#include <string.h>

#include "compat.h"
#include "wol.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		 mac[WOL_ADDR_LEN], again[WOL_PAYLOAD_MAXLEN];
	struct wol_pw	 pw;
	const char	*reason = NULL;
	size_t		 n;
	int		 rc;

	memset(&pw, 0xa5, sizeof(pw));
	rc = wol_payload_parse(data, size, mac, &pw, &reason);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc == -1) {
		FUZZ_CHECK(reason != NULL && *reason != '\0');
		return (0);
	}
	FUZZ_CHECK(size == WOL_PAYLOAD_LEN || size == WOL_PAYLOAD_LEN + 4 ||
	    size == WOL_PAYLOAD_LEN + 6);
	FUZZ_CHECK(pw.len == size - WOL_PAYLOAD_LEN);
	FUZZ_CHECK(wol_mac_is_target(mac, &reason) == 0);

	/* The payload is exactly what the builder makes of what was read. */
	n = wol_payload_build(again, sizeof(again), mac, &pw);
	FUZZ_CHECK(n == size);
	FUZZ_CHECK(memcmp(again, data, size) == 0);
	/* And the builder refuses a buffer one byte short. */
	FUZZ_CHECK(wol_payload_build(again, size - 1, mac, &pw) == 0);
	return (0);
}
