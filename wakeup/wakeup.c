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
 * wakeup: send Wake-on-LAN magic packets, built with libnet and written
 * at the link layer out one interface.
 */

#include <sys/types.h>

/* ether_hostton(3). */
#ifdef __linux__
#include <netinet/ether.h>
#else
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/if_ether.h>
#endif
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "send.h"
#include "wol.h"

#define DEFAULT_INTERVAL	1000	/* milliseconds between rounds */
#define MAX_COUNT		1000
#define MAX_INTERVAL		60000

struct targets {
	uint8_t		(*mac)[WOL_ADDR_LEN];
	size_t		 n, cap;
};

/* What to send, and how. */
struct opts {
	int		 dryrun;	/* -n */
	int		 verbose;	/* -v */
};

__dead static void	 usage(void);
static int		 parse_target(const char *, uint8_t *, const char **);
static void		 add_target(struct targets *, const uint8_t *);
static void		 read_targets(const char *, struct targets *);
static void		 run(struct wol_sender *, const struct opts *,
			    const struct targets *, const struct wol_pw *,
			    long long, long long);
static void		 pause_ms(long long);

__dead static void
usage(void)
{
	fprintf(stderr,
	    "usage: wakeup [-6enuv] [-c count] [-d address] [-f file] "
	    "[-i interval]\n"
	    "              [-p port] [-s password] [-t vlan] interface "
	    "[target ...]\n");
	exit(1);
}

/*
 * A MAC address in any form common/ accepts, or a name from
 * /etc/ethers.  Text with a colon is only ever a MAC address; text
 * made of hex digits, '-' and '.' alone that is not found in
 * /etc/ethers was most likely meant as one too.
 */
static int
parse_target(const char *s, uint8_t *mac, const char **errstr)
{
	struct ether_addr	 ea;

	if (wol_mac_parse(s, mac, errstr) == 0)
		return (wol_mac_is_target(mac, errstr));
	if (strchr(s, ':') != NULL)
		return (-1);
	if (ether_hostton(s, &ea) != 0) {
		if (strspn(s, "0123456789abcdefABCDEF-.") != strlen(s))
			*errstr = "not a MAC address or /etc/ethers name";
		return (-1);
	}
	memcpy(mac, &ea, WOL_ADDR_LEN);
	return (wol_mac_is_target(mac, errstr));
}

static void
add_target(struct targets *t, const uint8_t *mac)
{
	void	*p;
	size_t	 cap;

	if (t->n == t->cap) {
		cap = t->cap == 0 ? 16 : t->cap * 2;
		if ((p = reallocarray(t->mac, cap, sizeof(*t->mac))) == NULL)
			err(1, NULL);
		t->mac = p;
		t->cap = cap;
	}
	memcpy(t->mac[t->n++], mac, WOL_ADDR_LEN);
}

/*
 * One target a line, the first field; blank lines and lines starting
 * with '#' are skipped, and so is anything after the first field.
 */
static void
read_targets(const char *path, struct targets *t)
{
	FILE		*fp;
	const char	*name, *errstr;
	char		*line = NULL, *p;
	size_t		 linesz = 0;
	ssize_t		 len;
	unsigned long	 lineno = 0;
	uint8_t		 mac[WOL_ADDR_LEN];

	if (strcmp(path, "-") == 0) {
		fp = stdin;
		name = "stdin";
	} else {
		if ((fp = fopen(path, "r")) == NULL)
			err(1, "%s", path);
		name = path;
	}
	while ((len = getline(&line, &linesz, fp)) != -1) {
		lineno++;
		p = line + strspn(line, " \t\r\n");
		if (*p == '\0' || *p == '#')
			continue;
		p[strcspn(p, " \t\r\n")] = '\0';
		if (parse_target(p, mac, &errstr) == -1)
			errx(1, "%s:%lu: %s: %s", name, lineno, p, errstr);
		add_target(t, mac);
	}
	if (ferror(fp))
		err(1, "%s", name);
	free(line);
	if (fp != stdin)
		fclose(fp);
}

/*
 * Every target, count times over, interval milliseconds between the
 * rounds (a dry run does not wait).  The first failed write ends it.
 */
static void
run(struct wol_sender *s, const struct opts *o, const struct targets *t,
    const struct wol_pw *pw, long long count, long long interval)
{
	char			 mstr[WOL_MAC_STRLEN], a[WOL_ADDR_STRLEN];
	long long		 r;
	size_t			 i, len;
	int			 rv;

	if (o->verbose) {
		if (s->proto == WOL_PROTO_UDP6)
			inet_ntop(AF_INET6, &s->in6, a, sizeof(a));
		else
			inet_ntop(AF_INET, &s->in4, a, sizeof(a));
		fprintf(stderr, "wakeup: %s: source %s%s%s, %zu target%s, "
		    "%lld round%s\n", s->ifname,
		    wol_mac_ntoa(s->ifmac, mstr, sizeof(mstr)),
		    s->proto == WOL_PROTO_ETHER ? "" : " ",
		    s->proto == WOL_PROTO_ETHER ? "" : a, t->n,
		    t->n == 1 ? "" : "s", count, count == 1 ? "" : "s");
	}

	for (r = 0; r < count; r++) {
		if (r > 0 && !o->dryrun && interval > 0)
			pause_ms(interval);
		for (i = 0; i < t->n; i++) {
			if (wol_send_build(s, t->mac[i], pw) == -1)
				errx(1, "%s", s->err);
			rv = o->dryrun ? wol_send_print(s, stdout, &len) :
			    wol_send_write(s, &len);
			if (rv == -1)
				errx(1, "%s", s->err);
			if (o->verbose)
				fprintf(stderr, "wakeup: %s: %s %s, %zu "
				    "bytes\n", s->ifname,
				    o->dryrun ? "built" : "sent",
				    wol_mac_ntoa(t->mac[i], mstr, sizeof(mstr)),
				    len);
		}
	}
}

static void
pause_ms(long long ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1)
		if (errno != EINTR)
			err(1, "nanosleep");
}

int
main(int argc, char *argv[])
{
	struct wol_sender	 s;
	struct opts		 o;
	struct targets		 t;
	struct wol_pw		 pw;
	const char		*errstr, *file = NULL, *daddr = NULL;
	long long		 count = 1, interval = DEFAULT_INTERVAL;
	size_t			 i;
	uint8_t			 mac[WOL_ADDR_LEN];
	int			 ch, ip6 = 0, ether = 0, pflag = 0;

	memset(&s, 0, sizeof(s));
	memset(&o, 0, sizeof(o));
	memset(&t, 0, sizeof(t));
	memset(&pw, 0, sizeof(pw));
	s.port = SEND_PORT;

	/* getopt's own messages differ by libc; these are the same anywhere. */
	while ((ch = getopt(argc, argv, ":6c:d:ef:i:np:s:t:uv")) != -1) {
		switch (ch) {
		case '6':
			ip6 = 1;
			break;
		case 'c':
			count = strtonum(optarg, 1, MAX_COUNT, &errstr);
			if (errstr != NULL)
				errx(1, "count %s: %s", optarg, errstr);
			break;
		case 'd':
			daddr = optarg;
			break;
		case 'e':
			ether = 1;
			break;
		case 'f':
			file = optarg;
			break;
		case 'i':
			interval = strtonum(optarg, 0, MAX_INTERVAL, &errstr);
			if (errstr != NULL)
				errx(1, "interval %s: %s", optarg, errstr);
			break;
		case 'n':
			o.dryrun = 1;
			break;
		case 'p':
			s.port = strtonum(optarg, 1, 65535, &errstr);
			if (errstr != NULL)
				errx(1, "port %s: %s", optarg, errstr);
			pflag = 1;
			break;
		case 's':
			if (wol_pw_parse(optarg, &pw, &errstr) == -1)
				errx(1, "%s: %s", optarg, errstr);
			/* Keep the password out of ps(1). */
			explicit_bzero(optarg, strlen(optarg));
			break;
		case 't':
			s.vlan = strtonum(optarg, 1, 4094, &errstr);
			if (errstr != NULL)
				errx(1, "VLAN id %s: %s", optarg, errstr);
			break;
		case 'u':
			s.unicast = 1;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case ':':
			warnx("option requires an argument -- %c", optopt);
			usage();
		default:
			warnx("unknown option -- %c", optopt);
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || (argc < 2 && file == NULL))
		usage();

	if (ether && (ip6 || daddr != NULL || pflag))
		errx(1, "-e cannot be used with -6, -d or -p");
	if (wol_send_dest(&s, ether ? WOL_PROTO_ETHER : ip6 ? WOL_PROTO_UDP6 :
	    WOL_PROTO_UDP4, daddr) == -1)
		errx(1, "%s", s.err);

	/* Every target is checked before anything is sent. */
	if (file != NULL)
		read_targets(file, &t);
	for (i = 1; i < (size_t)argc; i++) {
		if (parse_target(argv[i], mac, &errstr) == -1)
			errx(1, "%s: %s", argv[i], errstr);
		add_target(&t, mac);
	}
	if (t.n == 0)
		errx(1, "%s: no targets", strcmp(file, "-") == 0 ? "stdin" :
		    file);

	if (wol_send_iface(&s, argv[0]) == -1 ||
	    wol_send_open(&s, o.dryrun) == -1)
		errx(1, "%s", s.err);
	/* Every name is resolved already: not even /etc/ethers is needed. */
	if (pledge("stdio", NULL) == -1)
		err(1, "pledge");

	run(&s, &o, &t, &pw, count, interval);

	wol_send_wipe(&s, t.mac[0], pw.len);
	explicit_bzero(&pw, sizeof(pw));
	wol_send_close(&s);
	free(t.mac);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return (0);
}
