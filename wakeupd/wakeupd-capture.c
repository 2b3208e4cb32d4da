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

#include <err.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <pcap.h>

#include "log.h"
#include "wakeupd.h"

/*
 * wakeupd-capture: the capture process, which wakeupd(8) starts with
 * fork and exec, so that the process that reads packets has an address
 * space of its own, laid out afresh, that maps libpcap and the packet
 * format and nothing of the parent's (libvirt, its TLS and XML
 * libraries).  libpcap cannot take a handle over across exec: this
 * program opens and filters its own while it is root, then changes its
 * root, drops to the user, sends its log lines to the parent from then
 * on, sandboxes itself and says it is ready.  Until then its errors go
 * to the standard error it inherited, one line each, as wakeupd's own.
 */

static __dead void usage(void);
static void	 drop_privileges(const struct passwd *);

static __dead void
usage(void)
{
	fprintf(stderr, "usage: wakeupd-capture [-pv] [-f filter] -u user "
	    "interface ...\n");
	exit(1);
}

static void
drop_privileges(const struct passwd *pw)
{
	if (chroot(WAKEUPD_CHROOT) == -1)
		err(1, "chroot %s", WAKEUPD_CHROOT);
	if (chdir("/") == -1)
		err(1, "chdir /");
	if (setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		err(1, "cannot drop privileges to %s", pw->pw_name);
}

int
main(int argc, char *argv[])
{
	static struct iface	 ifs[WAKEUPD_MAXIFS];
	struct passwd		*pw;
	struct stat		 st;
	const char		*filter = NULL, *user = NULL;
	char			 ebuf[PCAP_ERRBUF_SIZE + 64], names[256];
	int			 ch, promisc = 1, verbose = 0, devnull, i;

	/*
	 * wakeupd ends us by closing the socket; the signals that a whole
	 * process group gets (systemctl stop, ^C in the foreground) are
	 * its to act on, so that it alone says how the daemon ended.
	 */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	compat_setproctitle_init(argc, argv);
	log_init(1, LOG_DAEMON);

	while ((ch = getopt(argc, argv, "f:pu:v")) != -1) {
		switch (ch) {
		case 'f':
			filter = optarg;
			break;
		case 'p':
			promisc = 0;
			break;
		case 'u':
			user = optarg;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 || user == NULL)
		usage();
	if (argc > WAKEUPD_MAXIFS)
		errx(1, "too many interfaces (at most %d)", WAKEUPD_MAXIFS);
	log_setverbose(verbose);

	if (fstat(CAPTURE_FD, &st) == -1 || !S_ISSOCK(st.st_mode))
		errx(1, "descriptor %d is not a socket: wakeupd(8) runs this "
		    "program", CAPTURE_FD);
	if (geteuid() != 0)
		errx(1, "need root privileges");
	pw = capture_user(user);

	names[0] = '\0';
	for (i = 0; i < argc; i++) {
		if (strlcpy(ifs[i].name, argv[i], sizeof(ifs[i].name)) >=
		    sizeof(ifs[i].name))
			errx(1, "%s: interface name too long", argv[i]);
		ifs[i].pcap = capture_open(argv[i], filter, promisc, ebuf,
		    sizeof(ebuf));
		if (ifs[i].pcap == NULL)
			errx(1, "%s: %s", argv[i], ebuf);
		if (i > 0)
			(void)strlcat(names, " ", sizeof(names));
		(void)strlcat(names, argv[i], sizeof(names));
	}

	/* What stands in for the terminal once we are ready. */
	if ((devnull = open("/dev/null", O_RDWR)) == -1)
		err(1, "/dev/null");
	drop_privileges(pw);

	log_tosock(CAPTURE_FD);
	if (dup2(devnull, STDIN_FILENO) == -1 ||
	    dup2(devnull, STDOUT_FILENO) == -1 ||
	    dup2(devnull, STDERR_FILENO) == -1)
		fatal("dup2");
	if (devnull > STDERR_FILENO)
		close(devnull);
	capture_main(CAPTURE_FD, ifs, argc, names);
}
