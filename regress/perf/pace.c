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
 * pace [-c count] [-r rate] [-t seconds] interface file
 *
 * Write the Ethernet frames of file, one line of hex each, in turn and
 * over again out interface, rate frames a second, until count frames
 * are sent or seconds have passed, whichever comes first; then print
 * "sent N frames in S s" on stdout.  For the benchmarks only: a load of
 * known rate, bounded in count and in time.  Blank lines and lines
 * starting with '#' are skipped.
 *
 * The schedule is absolute: frame k is due at k / rate seconds after
 * the start, so oversleeping makes a short burst, never a lower rate.
 */

#include <sys/types.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libnet.h>

#include "compat.h"
#include "../tools/unhex.h"

#define FRAME_MIN	14		/* an Ethernet header */
#define FRAME_MAX	1518		/* with an 802.1Q tag, no FCS */
#define FRAMES_MAX	4096		/* lines in file */
#define COUNT_MAX	10000000
#define RATE_MAX	1000000
#define SECONDS_MAX	120
#define BURST_MAX	1024

struct frame {
	uint8_t		*buf;
	size_t		 len;
};

static void __dead usage(void);
static size_t	 read_frames(const char *, struct frame *, size_t);
static double	 elapsed(const struct timespec *);
static void	 sleep_until(const struct timespec *, double);

static void __dead
usage(void)
{
	fprintf(stderr, "usage: pace [-c count] [-r rate] [-t seconds] "
	    "interface file\n");
	exit(1);
}

static size_t
read_frames(const char *path, struct frame *f, size_t max)
{
	FILE		*fp;
	char		*line = NULL, *p;
	uint8_t		 buf[FRAME_MAX];
	size_t		 linesz = 0, n = 0;
	ssize_t		 len;
	unsigned long	 lineno = 0;

	if ((fp = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	while (getline(&line, &linesz, fp) != -1) {
		lineno++;
		p = line + strspn(line, " \t\r\n");
		if (*p == '\0' || *p == '#')
			continue;
		if (n == max)
			errx(1, "%s: more than %zu frames", path, max);
		if ((len = unhex(p, buf, sizeof(buf))) == -1)
			errx(1, "%s:%lu: not hex, or longer than %d bytes",
			    path, lineno, FRAME_MAX);
		if (len < FRAME_MIN)
			errx(1, "%s:%lu: %zd bytes, shorter than an Ethernet "
			    "header", path, lineno, len);
		if ((f[n].buf = malloc(len)) == NULL)
			err(1, NULL);
		memcpy(f[n].buf, buf, len);
		f[n].len = len;
		n++;
	}
	if (ferror(fp))
		err(1, "%s", path);
	free(line);
	fclose(fp);
	if (n == 0)
		errx(1, "%s: no frames", path);
	return (n);
}

static double
elapsed(const struct timespec *start)
{
	struct timespec	 now;

	if (clock_gettime(CLOCK_MONOTONIC, &now) == -1)
		err(1, "clock_gettime");
	return ((now.tv_sec - start->tv_sec) +
	    (now.tv_nsec - start->tv_nsec) / 1e9);
}

/* Sleep until at seconds after start. */
static void
sleep_until(const struct timespec *start, double at)
{
	struct timespec	 ts;
	double		 d = at - elapsed(start);

	if (d <= 0)
		return;
	ts.tv_sec = (time_t)d;
	ts.tv_nsec = (long)((d - ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1)
		if (errno != EINTR)
			err(1, "nanosleep");
}

int
main(int argc, char *argv[])
{
	static struct frame	 frames[FRAMES_MAX];
	char			 errbuf[LIBNET_ERRBUF_SIZE];
	struct timespec		 start;
	const char		*errstr;
	libnet_t		*l;
	long long		 count = 1, rate = 0, secs = 10, sent = 0;
	long long		 due;
	double			 t, limit;
	size_t			 nframes, i = 0;
	int			 ch;

	while ((ch = getopt(argc, argv, "c:r:t:")) != -1) {
		switch (ch) {
		case 'c':
			count = strtonum(optarg, 1, COUNT_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "count %s: %s", optarg, errstr);
			break;
		case 'r':
			rate = strtonum(optarg, 0, RATE_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "rate %s: %s", optarg, errstr);
			break;
		case 't':
			secs = strtonum(optarg, 1, SECONDS_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "seconds %s: %s", optarg, errstr);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		usage();

	nframes = read_frames(argv[1], frames, FRAMES_MAX);
	/* Advanced mode: libnet writes our bytes and builds nothing. */
	if ((l = libnet_init(LIBNET_LINK_ADV, argv[0], errbuf)) == NULL)
		errx(1, "%s: %s", argv[0], errbuf);

	limit = secs;
	if (clock_gettime(CLOCK_MONOTONIC, &start) == -1)
		err(1, "clock_gettime");
	while (sent < count && (t = elapsed(&start)) < limit) {
		/* Rate 0: as fast as the interface takes them. */
		due = rate == 0 ? count : (long long)(t * rate) + 1;
		if (due > count)
			due = count;
		/* A look at the clock at least every BURST_MAX frames. */
		if (due - sent > BURST_MAX)
			due = sent + BURST_MAX;
		for (; sent < due; sent++) {
			if (libnet_adv_write_link(l, frames[i].buf,
			    frames[i].len) != (int)frames[i].len)
				errx(1, "%s: %s", argv[0], libnet_geterror(l));
			i = (i + 1) % nframes;
		}
		if (rate != 0 && sent < count)
			sleep_until(&start, (double)sent / rate);
	}
	t = elapsed(&start);
	libnet_destroy(l);
	for (i = 0; i < nframes; i++)
		free(frames[i].buf);
	printf("sent %lld frames in %.6f s\n", sent, t);
	return (0);
}
