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
 * tunsend [-c count] [-h seconds] interface hex
 * tunsend -L type interface
 *
 * Write one IP packet, given as hex digits (whitespace allowed), count
 * times into the existing persistent tun device interface, as the far
 * end of a tunnel (a WireGuard peer) would: the kernel sees it arrive
 * on the tun.  With -L, set the tun's link type instead (an ARPHRD_
 * number; the tun must be down): a link that is neither Ethernet nor
 * IP, for a test of what wakeupd refuses.  With -h, hold the tun open
 * for that many seconds after writing (at most 10): while a process
 * holds it the tun has a carrier and sends what the host routes into
 * it.  For the tests only; Linux
 * only (/dev/net/tun).
 */

#include <sys/types.h>
#include <sys/ioctl.h>

#include <net/if.h>
#ifdef __linux__
#include <linux/if_tun.h>
#endif

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "unhex.h"

#define PACKET_MIN	20		/* an IPv4 header */
#define PACKET_MAX	1500
#define COUNT_MAX	100000
#define ARPHRD_MAX	0xffff
#define HOLD_MAX	10

static void __dead usage(void);
static int	 tun_attach(const char *);
static void	 tun_setlink(int, const char *, int);

static void __dead
usage(void)
{
	fprintf(stderr, "usage: tunsend [-c count] [-h seconds] interface "
	    "hex\n"
	    "       tunsend -L type interface\n");
	exit(1);
}

#ifdef __linux__
/* The tun's descriptor: no packet information, the packet is all. */
static int
tun_attach(const char *name)
{
	struct ifreq	 ifr;
	int		 fd;

	memset(&ifr, 0, sizeof(ifr));
	if (strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name)) >=
	    sizeof(ifr.ifr_name))
		errx(1, "%s: interface name too long", name);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if ((fd = open("/dev/net/tun", O_RDWR)) == -1)
		err(1, "/dev/net/tun");
	if (ioctl(fd, TUNSETIFF, &ifr) == -1)
		err(1, "%s: TUNSETIFF", name);
	return (fd);
}

static void
tun_setlink(int fd, const char *name, int type)
{
	if (ioctl(fd, TUNSETLINK, type) == -1)
		err(1, "%s: TUNSETLINK %d", name, type);
}
#else
static int
tun_attach(const char *name)
{
	errx(1, "%s: tunsend runs on Linux only", name);
}

static void
tun_setlink(int fd __unused, const char *name, int type __unused)
{
	errx(1, "%s: tunsend runs on Linux only", name);
}
#endif

int
main(int argc, char *argv[])
{
	uint8_t		 pkt[PACKET_MAX];
	const char	*errstr;
	long long	 count = 1, i, hold = 0;
	ssize_t		 len;
	int		 ch, fd, type = -1;

	while ((ch = getopt(argc, argv, "c:h:L:")) != -1) {
		switch (ch) {
		case 'h':
			hold = strtonum(optarg, 1, HOLD_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "hold %s: %s", optarg, errstr);
			break;
		case 'c':
			count = strtonum(optarg, 1, COUNT_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "count %s: %s", optarg, errstr);
			break;
		case 'L':
			type = strtonum(optarg, 0, ARPHRD_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "link type %s: %s", optarg, errstr);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (type != -1) {
		if (argc != 1)
			usage();
		fd = tun_attach(argv[0]);
		tun_setlink(fd, argv[0], type);
		close(fd);
		return (0);
	}
	if (argc != 2)
		usage();

	if ((len = unhex(argv[1], pkt, sizeof(pkt))) == -1)
		errx(1, "packet: not hex, or longer than %d bytes", PACKET_MAX);
	if (len < PACKET_MIN)
		errx(1, "packet: %zd bytes, shorter than an IP header", len);

	fd = tun_attach(argv[0]);
	for (i = 0; i < count; i++) {
		if (write(fd, pkt, len) != len)
			err(1, "%s: write", argv[0]);
	}
	if (hold > 0)
		sleep(hold);
	close(fd);
	return (0);
}
