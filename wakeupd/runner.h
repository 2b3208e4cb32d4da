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
 * The run action's two halves, runner.c (the parent's side) and
 * runproc.c (the run process): the one message between them, and the
 * hosts by their number in the file.
 */

#ifndef RUNNER_H
#define RUNNER_H

#include <sys/types.h>

#include "conf.h"

#define MSG_RUN		0x52554e20	/* "RUN " */
#define RUN_IFNAMSIZ	64		/* as struct iface */

struct run_msg {
	uint32_t	 kind;
	uint32_t	 host;			/* index in the file's hosts */
	uint8_t		 mac[WOL_ADDR_LEN];
	char		 ifname[RUN_IFNAMSIZ];
	char		 from[WOL_ADDR_STRLEN];
};

/* For run as: looked up at start. */
struct run_user {
	uid_t		 uid;
	gid_t		 gid;
};

struct run_hosts {
	struct conf		 *conf;
	struct conf_host	**host;		/* by index */
	struct run_user		 *user;		/* by index */
	int			  n;
};

/* runner.c: the parent's side. */
void	 runner_check(struct conf *, const char *);
void	 runner_start(struct wakeup_conf *);	/* before the privilege drop */
void	 runner_run(const struct conf_host *, const struct wake_msg *,
	    const char *, const char *);
int	 runner_exited(void);
void	 runner_stop(void);

/* runproc.c */
__dead void	 runproc_main(int, struct run_hosts *);

#endif /* RUNNER_H */
