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
 * sendframe [-c count] interface hex
 *
 * Write one Ethernet frame, given as hex digits (whitespace allowed),
 * count times out interface.  For the tests only: it sends exactly
 * what it is given, so it can send what no tool sends (malformed magic
 * packets, extension headers, 802.1Q tags).
 */

#include <sys/types.h>

#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libnet.h>

#include "compat.h"
#include "unhex.h"

#define FRAME_MIN	14		/* an Ethernet header */
#define FRAME_MAX	1518		/* with an 802.1Q tag, no FCS */
#define COUNT_MAX	100000

static void __dead usage(void);

static void __dead
usage(void)
{
	fprintf(stderr, "usage: sendframe [-c count] interface hex\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	char		 errbuf[LIBNET_ERRBUF_SIZE];
	uint8_t		 frame[FRAME_MAX];
	const char	*errstr;
	libnet_t	*l;
	long long	 count = 1, i;
	ssize_t		 len;
	int		 ch;

	while ((ch = getopt(argc, argv, "c:")) != -1) {
		switch (ch) {
		case 'c':
			count = strtonum(optarg, 1, COUNT_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "count %s: %s", optarg, errstr);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		usage();

	if ((len = unhex(argv[1], frame, sizeof(frame))) == -1)
		errx(1, "frame: not hex, or longer than %d bytes", FRAME_MAX);
	if (len < FRAME_MIN)
		errx(1, "frame: %zd bytes, shorter than an Ethernet header",
		    len);

	/* Advanced mode: libnet writes our bytes and builds nothing. */
	if ((l = libnet_init(LIBNET_LINK_ADV, argv[0], errbuf)) == NULL)
		errx(1, "%s: %s", argv[0], errbuf);
	for (i = 0; i < count; i++) {
		if (libnet_adv_write_link(l, frame, len) != len)
			errx(1, "%s: %s", argv[0], libnet_geterror(l));
	}
	libnet_destroy(l);
	return (0);
}
