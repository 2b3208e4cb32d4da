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

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "log.h"
#include "conf.h"

/*
 * wakeupd -n: can every URI be reached, and what would be woken and
 * how?  Read-only connections, one domain after another, before any
 * daemon runs; the policy text is the decision's own (decide.c).
 */

static void	 report_domain(virDomainPtr, const struct wakeup_conf *);
static int	 read_xml(virDomainPtr, unsigned int, struct domxml *);
static void	 quiet(void *, virErrorPtr);
static void	 report_hosts(const struct wakeup_conf *);

static void
quiet(void *arg __unused, virErrorPtr err __unused)
{
}

static int
read_xml(virDomainPtr dom, unsigned int flags, struct domxml *d)
{
	char	*xml;
	int	 rc;

	if ((xml = virDomainGetXMLDesc(dom, flags)) == NULL)
		return (-1);
	rc = domxml_parse(xml, d);
	free(xml);
	return (rc);
}

static void
report_domain(virDomainPtr dom, const struct wakeup_conf *cf)
{
	struct domxml	 live, config;
	struct cand	 c;
	struct policy	 pol;
	char		 mac[WOL_MAC_STRLEN];
	const char	*text;
	int		 i, j, conflict;

	memset(&c, 0, sizeof(c));
	if (virDomainGetState(dom, &c.state, &c.reason, 0) == -1)
		c.state = VIR_DOMAIN_NOSTATE;
	c.active = virDomainIsActive(dom) == 1;
	c.persistent = virDomainIsPersistent(dom) == 1;
	printf("\t%s (%s):", virDomainGetName(dom),
	    state_text(c.state, c.reason));
	memset(&live, 0, sizeof(live));
	memset(&config, 0, sizeof(config));
	if (read_xml(dom, 0, c.active ? &live : &config) == -1 ||
	    (c.active && c.persistent &&
	    read_xml(dom, VIR_DOMAIN_XML_INACTIVE, &config) == -1)) {
		printf(" XML unreadable, not woken\n");
		goto done;
	}
	c.live = live.policy;
	c.config = config.policy;
	for (i = 0; i < live.nmacs; i++)
		printf(" %s", wol_mac_ntoa(live.macs[i], mac, sizeof(mac)));
	for (i = 0; i < config.nmacs; i++) {
		for (j = 0; j < live.nmacs; j++)
			if (memcmp(live.macs[j], config.macs[i],
			    WOL_ADDR_LEN) == 0)
				break;
		if (j == live.nmacs)
			printf(" %s", wol_mac_ntoa(config.macs[i], mac,
			    sizeof(mac)));
	}
	if (live.nmacs + config.nmacs == 0) {
		printf(" no NIC, not woken\n");
		goto done;
	}
	conflict = policy_merge(&c, &pol) == PW_CONFLICT;
	text = policy_text(&pol, conflict, cf->optin, cf->pw.len != 0);
	if (pol.allow == POLICY_BAD)
		printf(": not woken: malformed wakeupd metadata: %s\n",
		    pol.why);
	else
		printf(": %s\n", text);
	explicit_bzero(&pol, sizeof(pol));
 done:
	explicit_bzero(&c, sizeof(c));
	explicit_bzero(&live, sizeof(live));
	explicit_bzero(&config, sizeof(config));
}

int
report(struct wakeup_conf *cf)
{
	virConnectPtr	 vc;
	virDomainPtr	*doms;
	const char	*uri;
	char		*name;
	int		 i, j, n, bad = 0;

	virSetErrorFunc(NULL, quiet);
	printf("mode: %s\n", cf->optin ? "opt-in: only domains with "
	    "allow=\"yes\"" : "every domain but those with allow=\"no\"");
	printf("global password: %s\n", cf->pw.len == 0 ? "none" :
	    cf->pw.len == 4 ? "4 bytes" : "6 bytes");
	if (cf->filter != NULL)
		printf("senders: %s\n", cf->filter);
	for (i = 0; i < conf_nconns(cf); i++) {
		uri = cf->nuris > 0 ? cf->uris[i] : NULL;
		if ((vc = virConnectOpenReadOnly(uri)) == NULL) {
			fprintf(stderr, "wakeupd: %s: %s\n",
			    uri != NULL ? uri : "default URI", last_error());
			bad = 1;
			continue;
		}
		name = virConnectGetURI(vc);
		printf("%s:\n", name != NULL ? name : "?");
		free(name);
		if ((n = virConnectListAllDomains(vc, &doms, 0)) == -1) {
			fprintf(stderr, "wakeupd: %s: %s\n",
			    uri != NULL ? uri : "default URI", last_error());
			bad = 1;
		}
		for (j = 0; j < n; j++) {
			report_domain(doms[j], cf);
			virDomainFree(doms[j]);
		}
		if (n >= 0)
			free(doms);
		virConnectClose(vc);
	}
	report_hosts(cf);
	return (bad ? -1 : 0);
}

/* The hosts of the configuration file, as the decision will see them. */
static void
report_hosts(const struct wakeup_conf *cf)
{
	const struct conf_host	*h;
	const struct conf_from	*fr;
	char			 m[WOL_MAC_STRLEN], a[INET6_ADDRSTRLEN];
	int			 n;

	if (cf->file == NULL || cf->file->nhosts == 0)
		return;
	printf("hosts:\n");
	TAILQ_FOREACH(h, &cf->file->hosts, entry) {
		printf("\t%s: %s: ", h->name, wol_mac_ntoa(h->mac, m,
		    sizeof(m)));
		if (h->action == HOST_RELAY)
			printf("relay on %s", h->relay.ifname);
		else
			printf("run %s", h->run.argv[0]);
		if (h->pw.len != 0)
			printf(", with its %d-byte password", h->pw.len);
		else if (cf->pw.len != 0)
			printf(", with the global password");
		n = 0;
		TAILQ_FOREACH(fr, &h->from, entry)
			printf("%s%s/%d", n++ == 0 ? ", from " : " ",
			    inet_ntop(fr->af, fr->addr, a, sizeof(a)),
			    fr->prefix);
		if (n == 0)
			printf(", from any sender");
		printf("\n");
	}
}
