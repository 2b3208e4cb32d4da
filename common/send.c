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
#include <sys/ioctl.h>
#include <sys/socket.h>
#if defined(__OpenBSD__) || defined(__FreeBSD__)
#include <sys/time.h>
#include <net/bpf.h>
#endif

#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

/* OS-specific: link-layer addresses. */
#ifdef __linux__
#include <linux/filter.h>
#include <net/if_arp.h>
#include <netpacket/packet.h>
#else
#include <net/if_dl.h>
#include <net/if_types.h>
#endif

#include <errno.h>
#include <ifaddrs.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libnet.h>

#include "compat.h"
#include "send.h"

#define HOP_LIMIT		64	/* IPv4 TTL and IPv6 hop limit */

static int	 fail(struct wol_sender *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static int	 ifa_ether(const struct ifaddrs *, uint8_t *);
static int	 read_nothing(int);

static int
fail(struct wol_sender *s, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	s->err[strcspn(s->err, "\n")] = '\0';
	return (-1);
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
 * these errors come out the same for everyone, and a long-lived sender
 * may call this again to follow address changes.
 */
int
wol_send_iface(struct wol_sender *s, const char *name)
{
	struct ifaddrs		*ifap, *ifa;
	const struct in6_addr	*a6;
	int			 found = 0, up = 0, ether = 0, have4 = 0;
	int			 have6 = 0;

	if (strlcpy(s->ifname, name, sizeof(s->ifname)) >= sizeof(s->ifname))
		return (fail(s, "%s: interface name too long", name));
	memset(&s->in4, 0, sizeof(s->in4));
	memset(&s->in6, 0, sizeof(s->in6));
	if (getifaddrs(&ifap) == -1)
		return (fail(s, "getifaddrs: %s", strerror(errno)));
	for (ifa = ifap; ifa != NULL; ifa = ifa->ifa_next) {
		if (strcmp(ifa->ifa_name, name) != 0)
			continue;
		found = 1;
		if (ifa->ifa_flags & IFF_UP)
			up = 1;
		if (!ether && ifa_ether(ifa, s->ifmac))
			ether = 1;
		if (ifa->ifa_addr == NULL)
			continue;
		if (!have4 && ifa->ifa_addr->sa_family == AF_INET) {
			s->in4 = ((struct sockaddr_in *)
			    ifa->ifa_addr)->sin_addr;
			have4 = 1;
		}
		if (!have6 && ifa->ifa_addr->sa_family == AF_INET6) {
			a6 = &((struct sockaddr_in6 *)
			    ifa->ifa_addr)->sin6_addr;
			if (IN6_IS_ADDR_LINKLOCAL(a6)) {
				s->in6 = *a6;
				/* KAME stacks keep the scope in bytes 2-3. */
				s->in6.s6_addr[2] = 0;
				s->in6.s6_addr[3] = 0;
				have6 = 1;
			}
		}
	}
	freeifaddrs(ifap);
	if (!found)
		return (fail(s, "%s: no such interface", name));
	if (!up)
		return (fail(s, "%s: interface down", name));
	if (!ether)
		return (fail(s, "%s: no Ethernet address", name));
	return (0);
}

/*
 * The IP destination, given or the default, and the Ethernet
 * destination that goes with it when the frame is not unicast.
 */
int
wol_send_dest(struct wol_sender *s, int proto, const char *daddr)
{
	s->proto = proto;
	if (s->port == 0)
		s->port = SEND_PORT;
	memset(s->edst, 0xff, sizeof(s->edst));
	if (proto == WOL_PROTO_UDP6) {
		if (inet_pton(AF_INET6, daddr != NULL ? daddr : "ff02::1",
		    &s->dst6) != 1)
			return (fail(s, "%s: invalid IPv6 address", daddr));
		/* RFC 2464: multicast maps to 33:33 and the low 32 bits. */
		if (IN6_IS_ADDR_MULTICAST(&s->dst6)) {
			s->edst[0] = s->edst[1] = 0x33;
			memcpy(s->edst + 2, s->dst6.s6_addr + 12, 4);
		}
	} else if (proto == WOL_PROTO_UDP4) {
		if (inet_pton(AF_INET, daddr != NULL ? daddr :
		    "255.255.255.255", &s->dst4) != 1)
			return (fail(s, "%s: invalid IPv4 address", daddr));
	}
	return (0);
}

/*
 * libnet's link-layer descriptor is only ever written to, but it would
 * take in a copy of every frame (on Linux, a packet socket for every
 * protocol on every interface; on the BSDs, bpf on the interface) for a
 * long-lived sender to hold unread: a filter that accepts none.
 */
static int
read_nothing(int fd)
{
#if defined(__linux__)
	struct sock_filter	 insn = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog	 prog = { 1, &insn };

	return (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog)));
#elif defined(__OpenBSD__) || defined(__FreeBSD__)
	struct bpf_insn		 insn = BPF_STMT(BPF_RET | BPF_K, 0);
	struct bpf_program	 prog = { 1, &insn };

	return (ioctl(fd, BIOCSETF, &prog));
#else
	(void)fd;
	return (0);
#endif
}

/*
 * The libnet context: link-layer injection, which needs root or
 * CAP_NET_RAW now and nothing later; or none at all for a dry run.
 */
int
wol_send_open(struct wol_sender *s, int dryrun)
{
	char	 errbuf[LIBNET_ERRBUF_SIZE];

	/* The advanced mode, for wol_send_write()'s own copy of the frame. */
	s->l = libnet_init(dryrun ? LIBNET_NONE : LIBNET_LINK_ADV, s->ifname,
	    errbuf);
	if (s->l == NULL) {
		/* libnet closes its descriptor on failure, so errno is lost. */
		if (strstr(errbuf, "CAP_NET_RAW") != NULL ||
		    strstr(errbuf, "ermission denied") != NULL ||
		    strstr(errbuf, "not permitted") != NULL)
			return (fail(s, "%s: root or CAP_NET_RAW needed",
			    s->ifname));
		return (fail(s, "%s: %s", s->ifname, errbuf));
	}
	if (!dryrun && read_nothing(libnet_getfd(s->l)) == -1) {
		fail(s, "%s: read filter: %s", s->ifname, strerror(errno));
		wol_send_close(s);
		return (-1);
	}
	s->udp = s->ip = s->link = 0;
	s->plen = 0;
	return (0);
}

/*
 * Forget the frame built: the next wol_send_build() builds every block
 * anew, from the addresses and options as they are then.
 */
void
wol_send_reset(struct wol_sender *s)
{
	libnet_clear_packet(s->l);
	s->udp = s->ip = s->link = 0;
	s->plen = 0;
}

/*
 * Build the frame for one target.  The first call creates the protocol
 * blocks; later calls pass their tags back so libnet rewrites them in
 * place, which keeps one context good for any number of targets.
 */
int
wol_send_build(struct wol_sender *s, const uint8_t *mac,
    const struct wol_pw *pw)
{
	uint8_t			 payload[WOL_PAYLOAD_MAXLEN];
	struct libnet_in6_addr	 src6, dst6;
	const uint8_t		*edst, *lpayload = NULL;
	uint32_t		 n, lpayload_s = 0;
	uint16_t		 type = WOL_ETHERTYPE;
	libnet_t		*l = s->l;

	if ((n = wol_payload_build(payload, sizeof(payload), mac, pw)) == 0)
		return (fail(s, "cannot build the magic packet"));
	edst = s->unicast ? mac : s->edst;

	if (s->proto == WOL_PROTO_ETHER) {
		lpayload = payload;
		lpayload_s = n;
	} else {
		s->udp = libnet_build_udp(s->port, s->port, LIBNET_UDP_H + n,
		    0, payload, n, l, s->udp);
		if (s->udp == -1)
			goto bad;
	}
	/*
	 * Only the payload differs between targets, so the IP block is built
	 * once (again in place only when the payload's length changes, with
	 * a password of another length), and the Ethernet one once unless it
	 * carries the payload or the target's address (unicast); libnet
	 * still fills in every frame's checksums.
	 */
	if (s->proto == WOL_PROTO_UDP4) {
		type = ETHERTYPE_IP;
		if (s->ip == 0 || s->plen != n)
			s->ip = libnet_build_ipv4(LIBNET_IPV4_H +
			    LIBNET_UDP_H + n, 0, 0, 0, HOP_LIMIT, IPPROTO_UDP,
			    0, s->in4.s_addr, s->dst4.s_addr, NULL, 0, l,
			    s->ip);
	} else if (s->proto == WOL_PROTO_UDP6) {
		type = ETHERTYPE_IPV6;
		memcpy(&src6, &s->in6, sizeof(src6));
		memcpy(&dst6, &s->dst6, sizeof(dst6));
		if (s->ip == 0 || s->plen != n)
			s->ip = libnet_build_ipv6(0, 0, LIBNET_UDP_H + n,
			    IPPROTO_UDP, HOP_LIMIT, src6, dst6, NULL, 0, l,
			    s->ip);
	}
	s->plen = n;
	if (s->ip == -1)
		goto bad;

	if (s->link != 0 && s->proto != WOL_PROTO_ETHER && !s->unicast) {
		explicit_bzero(payload, sizeof(payload));
		return (0);
	}
	if (s->vlan != 0)
		s->link = libnet_build_802_1q(edst, s->ifmac, ETHERTYPE_VLAN,
		    0, 0, s->vlan, type, lpayload, lpayload_s, l, s->link);
	else
		s->link = libnet_build_ethernet(edst, s->ifmac, type,
		    lpayload, lpayload_s, l, s->link);
	explicit_bzero(payload, sizeof(payload));
	if (s->link == -1)
		goto bad;
	return (0);
bad:
	explicit_bzero(payload, sizeof(payload));
	return (fail(s, "%s: %s", s->ifname, libnet_geterror(l)));
}

/* Dry run: the whole frame as one line of hex; len gets its length. */
int
wol_send_print(struct wol_sender *s, FILE *fp, size_t *len)
{
	uint8_t		*pkt;
	uint32_t	 n, i;

	if (libnet_pblock_coalesce(s->l, &pkt, &n) == -1)
		return (fail(s, "%s: %s", s->ifname, libnet_geterror(s->l)));
	for (i = 0; i < n; i++)
		fprintf(fp, "%02x", pkt[i]);
	putc('\n', fp);
	explicit_bzero(pkt, n);
	libnet_adv_free_packet(s->l, pkt);
	*len = n;
	return (0);
}

/*
 * Write the frame built last; len gets what was written.  The frame is
 * put together here rather than in libnet_write(), which would free it
 * with the password still in it.
 */
int
wol_send_write(struct wol_sender *s, size_t *len)
{
	uint8_t		*pkt;
	uint32_t	 n;
	int		 c;

	if (libnet_adv_cull_packet(s->l, &pkt, &n) == -1)
		return (fail(s, "%s: %s", s->ifname, libnet_geterror(s->l)));
	c = libnet_adv_write_link(s->l, pkt, n);
	explicit_bzero(pkt, n);
	libnet_adv_free_packet(s->l, pkt);
	if (c == -1 || (uint32_t)c != n)
		return (fail(s, "%s: write failed: %s", s->ifname,
		    libnet_geterror(s->l)));
	*len = n;
	return (0);
}

/*
 * Leave no password in libnet's blocks: rebuild with zeros of the same
 * length as the last one.
 */
void
wol_send_wipe(struct wol_sender *s, const uint8_t *mac, int pwlen)
{
	struct wol_pw	 zero;

	memset(&zero, 0, sizeof(zero));
	zero.len = pwlen;
	if (s->l != NULL && s->link != 0 && pwlen != 0)
		(void)wol_send_build(s, mac, &zero);
}

void
wol_send_close(struct wol_sender *s)
{
	if (s->l != NULL)
		libnet_destroy(s->l);
	s->l = NULL;
}
