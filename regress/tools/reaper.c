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
 * reaper command [arg ...]
 *
 * Run command as a child and reap every process that is orphaned below
 * it until none is left.  libvirtd daemonizes and so do the qemu
 * processes it starts; orphans go to init, and an init that reaps
 * seldom (some containers' init reaps every two seconds) keeps a dead
 * qemu a zombie, so that "virsh destroy", which waits for the pid to
 * vanish, takes seconds.  Started under this, they are reaped at once.
 */

#include <sys/types.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "compat.h"

static void __dead usage(void);

static void __dead
usage(void)
{
	fprintf(stderr, "usage: reaper command [arg ...]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	pid_t	 pid;
	int	 status, rc = 0;

	if (argc < 2)
		usage();
#ifdef __linux__
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == -1)
		err(1, "PR_SET_CHILD_SUBREAPER");
#endif
	switch (pid = fork()) {
	case -1:
		err(1, "fork");
	case 0:
		execvp(argv[1], argv + 1);
		err(127, "%s", argv[1]);
	}
	for (;;) {
		pid_t	 p;

		if ((p = wait(&status)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD)
				err(1, "wait");
			break;
		}
		if (p == pid)
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	}
	return (rc);
}
