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
#include <sys/stat.h>

#include <net/if.h>

#include <err.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <syslog.h>
#include <unistd.h>

#include <pcap.h>

#include "conf.h"
#include "log.h"
#include "runner.h"
#include "wakeupd.h"

/*
 * wakeupd: wake libvirt domains with Wake-on-LAN.  It runs the capture
 * program, wakeupd-capture, which as root opens and filters every
 * capture handle, then drops to an unprivileged user in a chroot and
 * reads packets; wakeupd keeps root and libvirt and acts on the capture
 * process's fixed-size messages (privsep.c).
 */

static __dead void usage(void);
static void	 chroot_check(const char *);
static int	 configure(const char *, struct wakeup_conf *, char **, int,
		    int, int, const char **);

static __dead void
usage(void)
{
	fprintf(stderr, "usage: wakeupd [-dnopv] [-C program] [-c uri] "
	    "[-F file] [-f filter]\n"
	    "               [-s password] [-u user] [-w seconds] "
	    "[interface ...]\n"
	    "       wakeupd [-v] [-f filter] -r file\n");
	exit(1);
}

/* The chroot must exist, belong to root and be writable by no one else. */
static void
chroot_check(const char *dir)
{
	struct stat	 st;

	if (stat(dir, &st) == -1) {
		if (errno != ENOENT)
			err(1, "%s", dir);
		if (mkdir(dir, 0755) == -1)
			err(1, "mkdir %s", dir);
		if (stat(dir, &st) == -1)
			err(1, "%s", dir);
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		errx(1, "%s: chroot must be a directory owned by root and "
		    "writable only by it", dir);
}

/*
 * The configuration file, if any, and the command line, merged into cf
 * (see conf_merge); ifn receives the interfaces.  With -n the result is
 * printed first.  Returns how many interfaces.
 */
static int
configure(const char *file, struct wakeup_conf *cf, char **argv, int argc,
    int debug, int noaction, const char **ifn)
{
	struct conf	*c;
	int		 n;

	c = conf_load(file);
	if (c == NULL && argc == 0) {
		/*
		 * -d is how a service manager runs us: one line saying what
		 * to set, and a status the systemd unit does not restart on.
		 */
		if (debug)
			errx(EX_CONFIG, "no interface given; for the systemd "
			    "unit, set WAKEUPD_ARGS in /etc/default/wakeupd");
		usage();
	}
	if (c == NULL && argc > WAKEUPD_MAXIFS)
		errx(1, "too many interfaces (at most %d)", WAKEUPD_MAXIFS);
	n = conf_merge(c, cf, argv, argc, ifn);
	if (c == NULL)
		return (n);
	cf->file = c;
	if (noaction)
		conf_print(stdout, cf, ifn, n, c);
	runner_check(c, file != NULL ? file : WAKEUPD_CONF);
	if (n == 0)
		errx(1, "%s: no listen statement and no interface given",
		    file != NULL ? file : WAKEUPD_CONF);
	if (cf->nuris == 0 && c->nhosts == 0)
		errx(1, "%s: no libvirt statement, no -c and no host: nothing "
		    "to serve", file != NULL ? file : WAKEUPD_CONF);
	if (noaction)
		printf("\n");
	return (n);
}

int
main(int argc, char *argv[])
{
	static struct iface	 ifs[WAKEUPD_MAXIFS];
	struct wakeup_conf	 cf;
	const char		*user = WAKEUPD_USER, *errstr, *replay = NULL;
	const char		*capture = WAKEUPD_CAPTURE;
	const char		*file = NULL, *ifn[WAKEUPD_MAXIFS];
	char			*cargv[WAKEUPD_MAXIFS + 10];
	char			 ebuf[PCAP_ERRBUF_SIZE + 64];
	int			 ch, debug = 0, noaction = 0, promisc = 1;
	int			 verbose = 0, daemonopt = 0, sock, ready = -1;
	int			 i, n, nifn;
	pid_t			 pid;

	/* Nothing inherited reaches the capture process. */
	closefrom(STDERR_FILENO + 1);
	compat_setproctitle_init(argc, argv);
	memset(&cf, 0, sizeof(cf));
	cf.window = -1;		/* not given: the file's, or the default */
	cf.ifs = ifs;

	/* Our own messages: glibc's name the full path. */
	opterr = 0;
	while ((ch = getopt(argc, argv, ":C:c:dF:f:nopr:s:u:vw:")) != -1) {
		switch (ch) {
		case 'C':
			capture = optarg;
			break;
		case 'c':
			if (cf.nuris == WAKEUPD_MAXURIS)
				errx(1, "too many URIs (at most %d)",
				    WAKEUPD_MAXURIS);
			cf.uris[cf.nuris++] = optarg;
			break;
		case 'd':
			debug = 1;
			break;
		case 'F':
			file = optarg;
			break;
		case 'f':
			cf.filter = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'o':
			cf.optin = 1;
			break;
		case 'p':
			promisc = 0;
			break;
		case 'r':
			replay = optarg;
			break;
		case 's':
			if (wol_pw_parse(optarg, &cf.pw, &errstr) == -1)
				errx(1, "-s: %s", errstr);
			/* Out of ps(1); the copy in cf is what counts. */
			compat_wipe_arg(optarg);
			break;
		case 'u':
			user = optarg;
			break;
		case 'v':
			verbose++;
			break;
		case 'w':
			cf.window = strtonum(optarg, 0, 3600, &errstr);
			if (errstr != NULL)
				errx(1, "debounce window %s: %s", optarg,
				    errstr);
			break;
		case ':':
			warnx("option requires an argument -- %c", optopt);
			usage();
		default:
			warnx("unknown option -- %c", optopt);
			usage();
		}
		if (ch != 'f' && ch != 'r' && ch != 'v')
			daemonopt = 1;
	}
	argc -= optind;
	argv += optind;

	if (replay != NULL) {
		/* -r reads a file: interfaces and daemon options mean nothing. */
		if (argc != 0 || daemonopt)
			usage();
		log_init(1, LOG_DAEMON);
		log_setverbose(verbose);
		exit(capture_replay(replay, cf.filter) == 0 ? 0 : 1);
	}
	nifn = configure(file, &cf, argv, argc, debug, noaction, ifn);

	log_init(1, LOG_DAEMON);
	log_setverbose(verbose);
	if (geteuid() != 0)
		errx(1, "need root privileges");
	(void)capture_user(user);
	chroot_check(WAKEUPD_CHROOT);
	capture_path_check(capture);

	for (i = 0; i < nifn; i++)
		if (strlcpy(ifs[i].name, ifn[i], sizeof(ifs[i].name)) >=
		    sizeof(ifs[i].name))
			errx(1, "%s: interface name too long", ifn[i]);
	cf.nifs = nifn;
	/* Relay contexts now, as root; with -n, only their interfaces. */
	relay_init(cf.file, file != NULL ? file : WAKEUPD_CONF, noaction);

	if (noaction) {
		for (i = 0; i < cf.nifs; i++) {
			ifs[i].pcap = capture_open(ifs[i].name, cf.filter,
			    promisc, ebuf, sizeof(ebuf));
			if (ifs[i].pcap == NULL)
				errx(1, "%s: %s", ifs[i].name, ebuf);
			pcap_close(ifs[i].pcap);
			ifs[i].pcap = NULL;
		}
		if (report(&cf) == -1)
			exit(1);
		printf("configuration OK\n");
		exit(0);
	}

	/* The capture program's arguments: no password, no URI. */
	n = 0;
	cargv[n++] = "wakeupd";
	if (!promisc)
		cargv[n++] = "-p";
	if (verbose)
		cargv[n++] = "-v";
	if (cf.filter != NULL) {
		cargv[n++] = "-f";
		cargv[n++] = (char *)cf.filter;
	}
	cargv[n++] = "-u";
	cargv[n++] = (char *)user;
	cargv[n++] = "--";
	for (i = 0; i < cf.nifs; i++)
		cargv[n++] = ifs[i].name;
	cargv[n] = NULL;

	/* See privsep.c for the order. */
	if (!debug)
		ready = daemon_start();
	pid = capture_start(capture, cargv, cf.nifs, &sock);
	for (i = 0; i < cf.nifs; i++)
		ifs[i].index = if_nametoindex(ifs[i].name);
	if (!debug)
		daemon_ready(ready);
	parent_main(&cf, sock, pid);
}
