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
#include <sys/socket.h>

#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

/* OS-specific: link-layer addresses and ether_hostton(3). */
#ifdef __linux__
#include <net/if_arp.h>
#include <netinet/ether.h>
#include <netpacket/packet.h>
#else
#include <net/if_dl.h>
#include <net/if_types.h>
#include <netinet/if_ether.h>
#endif

#include <err.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libnet.h>

#include "compat.h"
#include "wol.h"

#define DEFAULT_PORT		9
#define DEFAULT_INTERVAL	1000	/* milliseconds between rounds */
#define MAX_COUNT		1000
#define MAX_INTERVAL		60000
#define HOP_LIMIT		64	/* IPv4 TTL and IPv6 hop limit */

struct iface {
	const char	*name;
	uint8_t		 mac[WOL_ADDR_LEN];
	struct in_addr	 in4;		/* 0.0.0.0 when it has none */
	struct in6_addr	 in6;		/* link-local, or :: */
};

struct targets {
	uint8_t		(*mac)[WOL_ADDR_LEN];
	size_t		 n, cap;
};

/* What to send, and the libnet context that builds and sends it. */
struct sender {
	libnet_t	*l;
	struct iface	 ifc;
	int		 proto;		/* WOL_PROTO_* */
	int		 unicast;	/* -u */
	int		 dryrun;	/* -n */
	int		 verbose;	/* -v */
	int		 vlan;		/* -t, 0 if none */
	uint16_t	 port;
	struct in_addr	 dst4;
	struct in6_addr	 dst6;
	uint8_t		 edst[WOL_ADDR_LEN];	/* Ethernet destination */
	struct wol_pw	 pw;
	libnet_ptag_t	 udp, ip, link;	/* built once, rebuilt in place */
	/* libnet's count of failed writes: uint64_t before 1.3, int64_t since. */
	int64_t		 errors;
};

__dead static void	 usage(void);
static int		 parse_target(const char *, uint8_t *, const char **);
static void		 add_target(struct targets *, const uint8_t *);
static void		 read_targets(const char *, struct targets *);
static int		 ifa_ether(const struct ifaddrs *, uint8_t *);
static void		 iface_lookup(const char *, struct iface *);
static void		 set_destination(struct sender *, int, const char *);
static void		 frame_build(struct sender *, const uint8_t *,
			    const struct wol_pw *);
static size_t		 frame_print(struct sender *);
static size_t		 frame_write(struct sender *);
static void		 run(struct sender *, const struct targets *,
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

/* OS-specific: is this getifaddrs(3) entry an Ethernet address? */
static int
ifa_ether(const struct ifaddrs *ifa, uint8_t *mac)
{
#ifdef __linux__
	const struct sockaddr_ll	*sll;

	if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_PACKET)
		return (0);
	sll = (const struct sockaddr_ll *)ifa->ifa_addr;
	if (sll->sll_hatype != ARPHRD_ETHER || sll->sll_halen != WOL_ADDR_LEN)
		return (0);
	memcpy(mac, sll->sll_addr, WOL_ADDR_LEN);
	return (1);
#else
	const struct sockaddr_dl	*sdl;

	if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_LINK)
		return (0);
	sdl = (const struct sockaddr_dl *)ifa->ifa_addr;
	/*
	 * The interface types that carry Ethernet frames, from the
	 * drivers' sources: IFT_ETHER for physical ports and for
	 * OpenBSD's trunk(4) (if_trunk.c), aggr(4) (if_aggr.c) and
	 * vport(4) (if_veb.c) and FreeBSD's lagg(4) (if_lagg.c), all of
	 * which ether_ifattach(); IFT_L2VLAN for vlan(4) on both
	 * (if_vlan.c); IFT_BRIDGE for bridge(4) on FreeBSD, which has an
	 * Ethernet address (if_bridge.c).  OpenBSD's bridge(4), veb(4)
	 * and tpmr(4) are IFT_BRIDGE with no address and are refused
	 * below for it: send through a vport(4) or a member.  The
	 * members of a trunk or lagg become IFT_IEEE8023ADLAG and are
	 * refused: name the trunk, which spreads the frame as it should.
	 */
	if ((sdl->sdl_type != IFT_ETHER && sdl->sdl_type != IFT_L2VLAN &&
	    sdl->sdl_type != IFT_BRIDGE) || sdl->sdl_alen != WOL_ADDR_LEN)
		return (0);
	memcpy(mac, LLADDR(sdl), WOL_ADDR_LEN);
	return (1);
#endif
}

/*
 * The interface must exist, be up and have an Ethernet address; its
 * first IPv4 address and an IPv6 link-local address, if it has them,
 * become the source addresses.  getifaddrs(3) needs no privilege, so
 * these errors come out the same for everyone.
 */
static void
iface_lookup(const char *name, struct iface *ifc)
{
	struct ifaddrs		*ifap, *ifa;
	const struct in6_addr	*a6;
	int			 found = 0, up = 0, ether = 0, have4 = 0;
	int			 have6 = 0;

	memset(ifc, 0, sizeof(*ifc));
	ifc->name = name;
	if (getifaddrs(&ifap) == -1)
		err(1, "getifaddrs");
	for (ifa = ifap; ifa != NULL; ifa = ifa->ifa_next) {
		if (strcmp(ifa->ifa_name, name) != 0)
			continue;
		found = 1;
		if (ifa->ifa_flags & IFF_UP)
			up = 1;
		if (!ether && ifa_ether(ifa, ifc->mac))
			ether = 1;
		if (ifa->ifa_addr == NULL)
			continue;
		if (!have4 && ifa->ifa_addr->sa_family == AF_INET) {
			ifc->in4 = ((struct sockaddr_in *)
			    ifa->ifa_addr)->sin_addr;
			have4 = 1;
		}
		if (!have6 && ifa->ifa_addr->sa_family == AF_INET6) {
			a6 = &((struct sockaddr_in6 *)
			    ifa->ifa_addr)->sin6_addr;
			if (IN6_IS_ADDR_LINKLOCAL(a6)) {
				ifc->in6 = *a6;
				/* KAME stacks keep the scope in bytes 2-3. */
				ifc->in6.s6_addr[2] = 0;
				ifc->in6.s6_addr[3] = 0;
				have6 = 1;
			}
		}
	}
	freeifaddrs(ifap);
	if (!found)
		errx(1, "%s: no such interface", name);
	if (!up)
		errx(1, "%s: interface down", name);
	if (!ether)
		errx(1, "%s: no Ethernet address", name);
}

/*
 * The IP destination, given or the default, and the Ethernet
 * destination that goes with it when the frame is not unicast.
 */
static void
set_destination(struct sender *s, int proto, const char *daddr)
{
	s->proto = proto;
	memset(s->edst, 0xff, sizeof(s->edst));
	if (proto == WOL_PROTO_UDP6) {
		if (inet_pton(AF_INET6, daddr != NULL ? daddr : "ff02::1",
		    &s->dst6) != 1)
			errx(1, "%s: invalid IPv6 address", daddr);
		/* RFC 2464: multicast maps to 33:33 and the low 32 bits. */
		if (IN6_IS_ADDR_MULTICAST(&s->dst6)) {
			s->edst[0] = s->edst[1] = 0x33;
			memcpy(s->edst + 2, s->dst6.s6_addr + 12, 4);
		}
	} else if (proto == WOL_PROTO_UDP4) {
		if (inet_pton(AF_INET, daddr != NULL ? daddr :
		    "255.255.255.255", &s->dst4) != 1)
			errx(1, "%s: invalid IPv4 address", daddr);
	}
}

/*
 * Build the frame for one target.  The first call creates the protocol
 * blocks; later calls pass their tags back so libnet rewrites them in
 * place, which keeps one context good for any number of targets.
 */
static void
frame_build(struct sender *s, const uint8_t *mac, const struct wol_pw *pw)
{
	uint8_t			 payload[WOL_PAYLOAD_MAXLEN];
	struct libnet_in6_addr	 src6, dst6;
	const uint8_t		*edst, *lpayload = NULL;
	uint32_t		 n, lpayload_s = 0;
	uint16_t		 type = WOL_ETHERTYPE;
	libnet_t		*l = s->l;

	if ((n = wol_payload_build(payload, sizeof(payload), mac, pw)) == 0)
		errx(1, "cannot build the magic packet");
	edst = s->unicast ? mac : s->edst;

	if (s->proto == WOL_PROTO_ETHER) {
		lpayload = payload;
		lpayload_s = n;
	} else {
		s->udp = libnet_build_udp(s->port, s->port, LIBNET_UDP_H + n,
		    0, payload, n, l, s->udp);
		if (s->udp == -1)
			errx(1, "%s: %s", s->ifc.name, libnet_geterror(l));
	}
	/*
	 * Only the payload differs between targets, so the IP block is built
	 * once, and the Ethernet one once unless it carries the payload or
	 * the target's address (-u); libnet still fills in every frame's
	 * checksums.
	 */
	if (s->proto == WOL_PROTO_UDP4) {
		type = ETHERTYPE_IP;
		if (s->ip == 0)
			s->ip = libnet_build_ipv4(LIBNET_IPV4_H +
			    LIBNET_UDP_H + n, 0, 0, 0, HOP_LIMIT, IPPROTO_UDP,
			    0, s->ifc.in4.s_addr, s->dst4.s_addr, NULL, 0, l, 0);
	} else if (s->proto == WOL_PROTO_UDP6) {
		type = ETHERTYPE_IPV6;
		memcpy(&src6, &s->ifc.in6, sizeof(src6));
		memcpy(&dst6, &s->dst6, sizeof(dst6));
		if (s->ip == 0)
			s->ip = libnet_build_ipv6(0, 0, LIBNET_UDP_H + n,
			    IPPROTO_UDP, HOP_LIMIT, src6, dst6, NULL, 0, l, 0);
	}
	if (s->ip == -1)
		errx(1, "%s: %s", s->ifc.name, libnet_geterror(l));

	if (s->link != 0 && s->proto != WOL_PROTO_ETHER && !s->unicast) {
		explicit_bzero(payload, sizeof(payload));
		return;
	}
	if (s->vlan != 0)
		s->link = libnet_build_802_1q(edst, s->ifc.mac, ETHERTYPE_VLAN,
		    0, 0, s->vlan, type, lpayload, lpayload_s, l, s->link);
	else
		s->link = libnet_build_ethernet(edst, s->ifc.mac, type,
		    lpayload, lpayload_s, l, s->link);
	explicit_bzero(payload, sizeof(payload));
	if (s->link == -1)
		errx(1, "%s: %s", s->ifc.name, libnet_geterror(l));
}

/* Dry run: the whole frame as one line of hex on stdout. */
static size_t
frame_print(struct sender *s)
{
	uint8_t		*pkt;
	uint32_t	 len, i;

	if (libnet_pblock_coalesce(s->l, &pkt, &len) == -1)
		errx(1, "%s: %s", s->ifc.name, libnet_geterror(s->l));
	for (i = 0; i < len; i++)
		printf("%02x", pkt[i]);
	putchar('\n');
	explicit_bzero(pkt, len);
	libnet_adv_free_packet(s->l, pkt);
	return (len);
}

static size_t
frame_write(struct sender *s)
{
	struct libnet_stats	 st;
	char			*e;
	int			 n;

	n = libnet_write(s->l);
	libnet_stats(s->l, &st);
	if (n == -1 || (int64_t)st.packet_errors != s->errors) {
		e = libnet_geterror(s->l);
		e[strcspn(e, "\n")] = '\0';
		errx(1, "%s: write failed: %s", s->ifc.name, e);
	}
	return (n);
}

/*
 * Every target, count times over, interval milliseconds between the
 * rounds (a dry run does not wait).  The first failed write ends it.
 */
static void
run(struct sender *s, const struct targets *t, long long count,
    long long interval)
{
	struct libnet_stats	 st;
	char			 mstr[WOL_MAC_STRLEN], a[WOL_ADDR_STRLEN];
	long long		 r;
	size_t			 i, len;

	if (s->verbose) {
		if (s->proto == WOL_PROTO_UDP6)
			inet_ntop(AF_INET6, &s->ifc.in6, a, sizeof(a));
		else
			inet_ntop(AF_INET, &s->ifc.in4, a, sizeof(a));
		fprintf(stderr, "wakeup: %s: source %s%s%s, %zu target%s, "
		    "%lld round%s\n", s->ifc.name,
		    wol_mac_ntoa(s->ifc.mac, mstr, sizeof(mstr)),
		    s->proto == WOL_PROTO_ETHER ? "" : " ",
		    s->proto == WOL_PROTO_ETHER ? "" : a, t->n,
		    t->n == 1 ? "" : "s", count, count == 1 ? "" : "s");
	}

	libnet_stats(s->l, &st);
	s->errors = (int64_t)st.packet_errors;
	for (r = 0; r < count; r++) {
		if (r > 0 && !s->dryrun && interval > 0)
			pause_ms(interval);
		for (i = 0; i < t->n; i++) {
			frame_build(s, t->mac[i], &s->pw);
			len = s->dryrun ? frame_print(s) : frame_write(s);
			if (s->verbose)
				fprintf(stderr, "wakeup: %s: %s %s, %zu "
				    "bytes\n", s->ifc.name,
				    s->dryrun ? "built" : "sent",
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
	struct sender		 s;
	struct targets		 t;
	const char		*errstr, *file = NULL, *daddr = NULL;
	char			 errbuf[LIBNET_ERRBUF_SIZE];
	long long		 count = 1, interval = DEFAULT_INTERVAL;
	size_t			 i;
	uint8_t			 mac[WOL_ADDR_LEN];
	int			 ch, ip6 = 0, ether = 0, pflag = 0;

	memset(&s, 0, sizeof(s));
	memset(&t, 0, sizeof(t));
	s.port = DEFAULT_PORT;

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
			s.dryrun = 1;
			break;
		case 'p':
			s.port = strtonum(optarg, 1, 65535, &errstr);
			if (errstr != NULL)
				errx(1, "port %s: %s", optarg, errstr);
			pflag = 1;
			break;
		case 's':
			if (wol_pw_parse(optarg, &s.pw, &errstr) == -1)
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
			s.verbose = 1;
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
	set_destination(&s, ether ? WOL_PROTO_ETHER : ip6 ? WOL_PROTO_UDP6 :
	    WOL_PROTO_UDP4, daddr);

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

	iface_lookup(argv[0], &s.ifc);

	s.l = libnet_init(s.dryrun ? LIBNET_NONE : LIBNET_LINK, argv[0],
	    errbuf);
	if (s.l == NULL) {
		/* libnet closes its descriptor on failure, so errno is lost. */
		if (strstr(errbuf, "CAP_NET_RAW") != NULL ||
		    strstr(errbuf, "ermission denied") != NULL ||
		    strstr(errbuf, "not permitted") != NULL)
			errx(1, "%s: root or CAP_NET_RAW needed", argv[0]);
		errbuf[strcspn(errbuf, "\n")] = '\0';
		errx(1, "%s: %s", argv[0], errbuf);
	}
	/* Every name is resolved already: not even /etc/ethers is needed. */
	if (pledge("stdio", NULL) == -1)
		err(1, "pledge");

	run(&s, &t, count, interval);

	/* Leave no password in libnet's blocks either: same length, zeros. */
	if (s.pw.len != 0) {
		explicit_bzero(s.pw.buf, sizeof(s.pw.buf));
		frame_build(&s, t.mac[0], &s.pw);
	}
	libnet_destroy(s.l);
	free(t.mac);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return (0);
}
