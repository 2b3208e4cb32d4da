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
 * domxml_parse on any text taken as a domain's XML.  libvirt writes that
 * XML, but the metadata in it is whatever anyone with virsh access set.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <string.h>

#include <libxml/parser.h>

#include "../../wakeupd/wakeupd.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Once, so that libxml2's globals do not count as a leak later. */
	xmlInitParser();
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct wol_pw	 nopw;
	struct domxml			 d;
	char				*xml, text[WOL_MAC_STRLEN];
	int				 rc, i;

	if ((xml = malloc(size + 1)) == NULL)
		return (0);
	memcpy(xml, data, size);
	xml[size] = '\0';

	rc = domxml_parse(xml, &d);
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(d.nmacs >= 0 && d.nmacs <= DOMXML_MAXNICS);
	FUZZ_CHECK(d.policy.allow == POLICY_DEFAULT ||
	    d.policy.allow == POLICY_YES || d.policy.allow == POLICY_NO ||
	    d.policy.allow == POLICY_BAD);
	FUZZ_CHECK(d.policy.pw.len == 0 || d.policy.pw.len == 4 ||
	    d.policy.pw.len == 6);
	FUZZ_CHECK(memchr(d.policy.why, '\0', sizeof(d.policy.why)) != NULL);
	if (d.policy.allow == POLICY_BAD) {
		/* A bad policy keeps no password and says what is wrong. */
		FUZZ_CHECK(memcmp(&d.policy.pw, &nopw, sizeof(nopw)) == 0);
		FUZZ_CHECK(d.policy.why[0] != '\0');
	}
	/* Every address kept is one a NIC can have had: six bytes. */
	for (i = 0; i < d.nmacs; i++)
		FUZZ_CHECK(wol_mac_ntoa(d.macs[i], text, sizeof(text)) != NULL);
	free(xml);
	return (0);
}
