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
 * Between conn.c (the main thread's side of the libvirt connections)
 * and worker.c (the threads': blocking calls, results posted): what
 * they share.  Private to those two files.
 */

#ifndef CONN_H
#define CONN_H

#include <pthread.h>

#define KEEPALIVE_IVL	5
#define KEEPALIVE_CNT	3
#define NEVENTS		4	/* see events[] */

#define J_OPEN		1
#define J_REFRESH	2
#define J_RESYNC	3
#define J_CLOSE		4
#define J_QUIT		5

struct job {
	TAILQ_ENTRY(job)	 entry;
	int			 kind;
	virDomainPtr		 dom;		/* J_REFRESH */
	uint64_t		 seq;		/* event sequence when asked */
};

#define R_BEGIN		1	/* a listing starts */
#define R_DOM		2
#define R_GONE		3
#define R_END		4	/* the listing is complete */
#define R_OPENED	5
#define R_OPENFAIL	6
#define R_ACTED		7
#define R_CLOSED	8	/* from the close callback, any thread */

struct result {
	TAILQ_ENTRY(result)	 entry;
	int			 kind;
	struct virt_conn	*c;
	uint64_t		 gen;		/* the connection it came from */
	uint64_t		 seq;
	int			 full;		/* R_BEGIN/R_END: after an open */
	int			 ok;		/* R_ACTED */
	int			 failed;	/* R_END: the listing failed */
	int			 action;
	unsigned char		 uuid[16];
	struct domrec		*rec;		/* R_DOM */
	char			 text[512];	/* error, or R_ACTED's prefix */
	char			 err[256];
};

/*
 * What the close callback knows: which connection, which opening.  Set
 * before the callback is registered; libvirt calls it no more once it
 * is unregistered, so one per connection serves every opening.
 */
struct closeref {
	struct virt_conn	*c;
	uint64_t		 gen;
};

struct virt_conn {
	TAILQ_ENTRY(virt_conn)	 entry;
	const char		*uri;		/* NULL: libvirt's default */

	/* Main thread only. */
	int			 up;		/* connected and read */
	int			 timer;		/* reconnect, -1 if none */
	int			 backoff;
	uint64_t		 gen;		/* what the cache holds */
	int			 resync;	/* one is queued */
	uint64_t		 closed_gen;	/* the last connection closed */
	int			 nacts;		/* actions running, under resmtx */
	int			 tried;		/* the first open has ended */

	/* Shared, under mtx. */
	pthread_mutex_t		 mtx;
	pthread_cond_t		 cv;
	TAILQ_HEAD(, job)	 jobs;
	int64_t			 busy_since;	/* ms; 0 when idle */

	/* The worker only. */
	pthread_t		 thread;
	virConnectPtr		 vc;
	uint64_t		 wgen;
	int			 cb[NEVENTS];
	struct closeref		 cref;
};

struct act {
	virDomainPtr		 dom;
	struct virt_conn	*c;
	uint64_t		 gen;
	int			 action;
	char			 prefix[512];
};

/* The events wakeupd asks for, and the callbacks (conn.c) it gives. */
struct event_reg {
	int				 id;
	virConnectDomainEventGenericCallback cb;
	const char			*what;
};
extern const struct event_reg	 events[NEVENTS];

/* The results' queue and the counts, under resmtx. */
TAILQ_HEAD(resultq, result);
extern pthread_mutex_t		 resmtx;
extern pthread_cond_t		 rescv;
extern struct resultq		 results;
extern int			 respipe[2];
extern int			 nacts;
extern int			 nworkers;

/* worker.c */
void		*worker(void *);
void		*act_thread(void *);
struct result	*result_new(int, struct virt_conn *, uint64_t);
void		 post(struct result *);
void		 closed_cb(virConnectPtr, int, void *);

#endif /* CONN_H */
