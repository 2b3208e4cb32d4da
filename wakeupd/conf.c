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
 * wakeupd.conf and the command line: which file is read, how the two
 * combine, and -n's printout of the result in the file's own syntax.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

static void	 print_string(FILE *, const char *);
static void	 print_word(FILE *, const char *);
static void	 print_host(FILE *, const struct conf_host *);

/*
 * The file named by -F, which must exist, or WAKEUPD_CONF if it
 * exists: without it, the command line alone is the configuration, as
 * before there was a file.  Any error is one line and exit 1.
 */
struct conf *
conf_load(const char *path)
{
	struct conf	*c;
	char		 ebuf[1024];

	if (path == NULL) {
		if (access(WAKEUPD_CONF, F_OK) == -1 && errno == ENOENT)
			return (NULL);
		path = WAKEUPD_CONF;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		err(1, NULL);
	if (parse_config(path, NULL, 0, c, ebuf, sizeof(ebuf)) == -1)
		errx(1, "%s", ebuf);
	return (c);
}

/*
 * The command line and the file: interfaces and URIs add up (one given
 * in both counts once); -w, -s, -o and -f, when given, replace the
 * file's debounce, password, opt-in and senders.  ifn receives the
 * interface names, the file's first; returns how many.
 */
int
conf_merge(struct conf *c, struct wakeup_conf *cf, char **argv, int argc,
    const char **ifn)
{
	int	 i, j, n = 0;

	if (c != NULL) {
		for (i = 0; i < c->nifs; i++)
			ifn[n++] = c->ifs[i];
		for (i = 0; i < c->nuris; i++) {
			for (j = 0; j < cf->nuris; j++)
				if (strcmp(cf->uris[j], c->uris[i]) == 0)
					break;
			if (j < cf->nuris)
				continue;
			if (cf->nuris == WAKEUPD_MAXURIS)
				errx(1, "too many URIs (at most %d)",
				    WAKEUPD_MAXURIS);
			cf->uris[cf->nuris++] = c->uris[i];
		}
		if (cf->window == -1)
			cf->window = c->window;
		if (cf->pw.len == 0)
			cf->pw = c->pw;
		explicit_bzero(&c->pw, sizeof(c->pw));
		if (c->optin)
			cf->optin = 1;
		if (cf->filter == NULL)
			cf->filter = c->filter;
	}
	if (cf->window == -1)
		cf->window = WAKEUPD_WINDOW;
	for (i = 0; i < argc; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(ifn[j], argv[i]) == 0)
				break;
		if (j < n)
			continue;
		if (n == WAKEUPD_MAXIFS)
			errx(1, "too many interfaces (at most %d)",
			    WAKEUPD_MAXIFS);
		ifn[n++] = argv[i];
	}
	return (n);
}

/*
 * The libvirt connections to open: the URIs given; without any, the
 * default URI, unless a configuration file is in use, which serves
 * libvirt only where it or -c names a URI.
 */
int
conf_nconns(const struct wakeup_conf *cf)
{
	if (cf->nuris > 0)
		return (cf->nuris);
	return (cf->file != NULL ? 0 : 1);
}

static void
print_string(FILE *fp, const char *s)
{
	putc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			putc('\\', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}

/* A word as it is, or quoted when it would not read back as itself. */
static void
print_word(FILE *fp, const char *s)
{
	if (conf_needs_quotes(s))
		print_string(fp, s);
	else
		fputs(s, fp);
}

static void
print_host(FILE *fp, const struct conf_host *h)
{
	const struct conf_from	*fr;
	const struct conf_relay	*r = &h->relay;
	char			 a[INET6_ADDRSTRLEN], m[WOL_MAC_STRLEN];
	int			 i;

	fprintf(fp, "host ");
	print_string(fp, h->name);
	fprintf(fp, " {\n\tmac %s\n", wol_mac_ntoa(h->mac, m, sizeof(m)));
	if (h->pw.len != 0)
		fprintf(fp, "\tpassword \"********\"\n");
	TAILQ_FOREACH(fr, &h->from, entry)
		fprintf(fp, "\tfrom %s/%d\n", inet_ntop(fr->af, fr->addr, a,
		    sizeof(a)), fr->prefix);
	if (h->action == HOST_RELAY) {
		fprintf(fp, "\trelay on ");
		print_word(fp, r->ifname);
		if (r->vlan != 0)
			fprintf(fp, " vlan %d", r->vlan);
		fprintf(fp, " %s", r->proto == RELAY_ETHER ? "ether" : "udp");
		if (r->to_af != 0)
			fprintf(fp, " to %s", inet_ntop(r->to_af, r->to, a,
			    sizeof(a)));
		if (r->port != 0)
			fprintf(fp, " port %d", r->port);
		if (r->pw.len != 0)
			fprintf(fp, " password \"********\"");
		fprintf(fp, "\n");
	} else {
		fprintf(fp, "\trun");
		if (h->run.user != NULL) {
			fprintf(fp, " as ");
			print_string(fp, h->run.user);
		}
		for (i = 0; i < h->run.argc; i++) {
			putc(' ', fp);
			print_string(fp, h->run.argv[i]);
		}
		fprintf(fp, "\n\ttimeout %d\n", h->run.timeout);
	}
	fprintf(fp, "}\n");
}

/* -n: the effective configuration, as a file would say it. */
void
conf_print(FILE *fp, const struct wakeup_conf *cf, const char **ifn,
    int nifn, const struct conf *c)
{
	const struct conf_host	*h;
	int			 i;

	for (i = 0; i < nifn; i++) {
		fprintf(fp, "listen on ");
		print_word(fp, ifn[i]);
		fprintf(fp, "\n");
	}
	fprintf(fp, "debounce %d\n", cf->window);
	if (cf->optin)
		fprintf(fp, "opt-in\n");
	if (cf->pw.len != 0)
		fprintf(fp, "password \"********\"\n");
	if (cf->filter != NULL) {
		fprintf(fp, "senders ");
		print_string(fp, cf->filter);
		fprintf(fp, "\n");
	}
	for (i = 0; i < cf->nuris; i++) {
		fprintf(fp, "libvirt ");
		print_string(fp, cf->uris[i]);
		fprintf(fp, "\n");
	}
	if (c == NULL)
		return;
	TAILQ_FOREACH(h, &c->hosts, entry) {
		fprintf(fp, "\n");
		print_host(fp, h);
	}
}
