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

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "wakeupd.h"

/*
 * Read a domain's XML with libxml2 and XPath; never with string search:
 * the addresses of its NICs and the wake policy kept in its metadata.
 */

#define XPATH_MACS	"/domain/devices/interface/mac/@address"
#define XPATH_POLICY	"/domain/metadata/w:wake"

static void	 policy_bad(struct policy *, const char *);
static void	 policy_read(xmlNodePtr, struct policy *);
static xmlXPathObjectPtr eval(xmlXPathContextPtr, const char *);

static void
policy_bad(struct policy *p, const char *why)
{
	explicit_bzero(&p->pw, sizeof(p->pw));
	p->allow = POLICY_BAD;
	(void)strlcpy(p->why, why, sizeof(p->why));
}

/*
 * <wake xmlns="urn:wakeupd:1" allow="yes|no" password="..."/>: anything
 * else in it makes the policy bad, and a bad policy never wakes.
 */
static void
policy_read(xmlNodePtr node, struct policy *p)
{
	xmlAttrPtr	 a;
	xmlChar		*v;
	const char	*errstr;
	int		 ok;

	for (a = node->properties; a != NULL; a = a->next) {
		if ((v = xmlNodeGetContent((xmlNodePtr)a)) == NULL) {
			policy_bad(p, "unreadable attribute");
			return;
		}
		ok = 1;
		if (a->ns != NULL)
			ok = 0;
		else if (strcmp((const char *)a->name, "allow") == 0) {
			if (strcmp((const char *)v, "yes") == 0)
				p->allow = POLICY_YES;
			else if (strcmp((const char *)v, "no") == 0)
				p->allow = POLICY_NO;
			else
				ok = 0;
		} else if (strcmp((const char *)a->name, "password") == 0)
			ok = wol_pw_parse((const char *)v, &p->pw, &errstr) == 0;
		else
			ok = 0;
		if (!ok) {
			char	 why[sizeof(p->why)];

			(void)snprintf(why, sizeof(why), "bad attribute %s",
			    (const char *)a->name);
			explicit_bzero(v, strlen((const char *)v));
			xmlFree(v);
			policy_bad(p, why);
			return;
		}
		explicit_bzero(v, strlen((const char *)v));
		xmlFree(v);
	}
	if (node->children != NULL && xmlFirstElementChild(node) != NULL)
		policy_bad(p, "unexpected child element");
}

static xmlXPathObjectPtr
eval(xmlXPathContextPtr ctx, const char *expr)
{
	return (xmlXPathEvalExpression((const xmlChar *)expr, ctx));
}

/*
 * Fill d from the domain described by xml.  Returns 0, or -1 when the
 * XML does not parse.  Addresses that do not parse are skipped: such a
 * NIC can never match.
 */
int
domxml_parse(const char *xml, struct domxml *d)
{
	xmlDocPtr		 doc;
	xmlXPathContextPtr	 ctx = NULL;
	xmlXPathObjectPtr	 obj = NULL;
	xmlNodeSetPtr		 nodes;
	xmlChar			*text;
	const char		*errstr;
	int			 i, rc = -1;

	memset(d, 0, sizeof(*d));
	d->policy.allow = POLICY_DEFAULT;
	doc = xmlReadMemory(xml, strlen(xml), "domain.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		return (-1);
	if ((ctx = xmlXPathNewContext(doc)) == NULL ||
	    xmlXPathRegisterNs(ctx, (const xmlChar *)"w",
	    (const xmlChar *)WAKEUPD_NS) != 0)
		goto done;

	if ((obj = eval(ctx, XPATH_MACS)) == NULL)
		goto done;
	nodes = obj->nodesetval;
	for (i = 0; nodes != NULL && i < nodes->nodeNr &&
	    d->nmacs < DOMXML_MAXNICS; i++) {
		if ((text = xmlNodeGetContent(nodes->nodeTab[i])) == NULL)
			continue;
		if (wol_mac_parse((const char *)text, d->macs[d->nmacs],
		    &errstr) == 0)
			d->nmacs++;
		xmlFree(text);
	}
	xmlXPathFreeObject(obj);

	if ((obj = eval(ctx, XPATH_POLICY)) == NULL)
		goto done;
	nodes = obj->nodesetval;
	if (nodes != NULL && nodes->nodeNr > 1)
		policy_bad(&d->policy, "more than one wake element");
	else if (nodes != NULL && nodes->nodeNr == 1)
		policy_read(nodes->nodeTab[0], &d->policy);
	rc = 0;
 done:
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return (rc);
}
