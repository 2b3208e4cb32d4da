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

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "wakeupd.h"

/*
 * Read a domain's XML with libxml2 and XPath; never with string search.
 */

#define XPATH_MACS	"/domain/devices/interface/mac/@address"

/*
 * Store up to max NIC addresses of the domain described by xml in macs.
 * Returns how many, or -1 when the XML does not parse.  Addresses that
 * do not parse are skipped: such a NIC can never match.
 */
int
domxml_macs(const char *xml, uint8_t (*macs)[WOL_ADDR_LEN], int max)
{
	xmlDocPtr		 doc;
	xmlXPathContextPtr	 ctx = NULL;
	xmlXPathObjectPtr	 obj = NULL;
	xmlNodeSetPtr		 nodes;
	xmlChar			*text;
	const char		*errstr;
	int			 i, n = -1;

	doc = xmlReadMemory(xml, strlen(xml), "domain.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		return (-1);
	if ((ctx = xmlXPathNewContext(doc)) == NULL)
		goto done;
	if ((obj = xmlXPathEvalExpression((const xmlChar *)XPATH_MACS, ctx))
	    == NULL)
		goto done;
	n = 0;
	nodes = obj->nodesetval;
	for (i = 0; nodes != NULL && i < nodes->nodeNr && n < max; i++) {
		if ((text = xmlNodeGetContent(nodes->nodeTab[i])) == NULL)
			continue;
		if (wol_mac_parse((const char *)text, macs[n], &errstr) == 0)
			n++;
		xmlFree(text);
	}
 done:
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return (n);
}
