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
 * timeit [-n rounds] [-w warmup] command ...
 *
 * Whole-process wall time of each command, taken in turns: round r runs
 * every command once, starting with command r mod the number of
 * commands, so that none always runs first or always after the same
 * other.  Each command is one argument, split at blanks into its argv
 * (no quoting, no shell: a shell's start would dilute the comparison).
 * Its standard input, output and error are /dev/null.
 *
 * One line per run on stdout: round, command index, wall, user and
 * system time in microseconds.  The warmup rounds (default 1) fill
 * caches and are not printed.  Stops at the first command that fails.
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"

#define ROUNDS_MAX	10000
#define CMDS_MAX	16
#define ARGS_MAX	64

static void __dead usage(void);
static void	 split(char *, char **, size_t);
static long long usec(const struct timespec *, const struct timespec *);
static long long tv_usec(const struct timeval *);
static void	 run(char **, long long *, long long *, long long *);

static void __dead
usage(void)
{
	fprintf(stderr, "usage: timeit [-n rounds] [-w warmup] command ...\n");
	exit(1);
}

static void
split(char *s, char **av, size_t max)
{
	size_t	 n = 0;
	char	*p;

	while ((p = strsep(&s, " \t")) != NULL) {
		if (*p == '\0')
			continue;
		if (n == max - 1)
			errx(1, "more than %zu arguments", max - 1);
		av[n++] = p;
	}
	if (n == 0)
		errx(1, "empty command");
	av[n] = NULL;
}

static long long
usec(const struct timespec *a, const struct timespec *b)
{
	return ((b->tv_sec - a->tv_sec) * 1000000LL +
	    (b->tv_nsec - a->tv_nsec) / 1000);
}

static long long
tv_usec(const struct timeval *tv)
{
	return (tv->tv_sec * 1000000LL + tv->tv_usec);
}

static void
run(char **av, long long *wall, long long *user, long long *sys)
{
	struct timespec	 t0, t1;
	struct rusage	 ru;
	pid_t		 pid;
	int		 status, fd;

	if (clock_gettime(CLOCK_MONOTONIC, &t0) == -1)
		err(1, "clock_gettime");
	switch (pid = fork()) {
	case -1:
		err(1, "fork");
	case 0:
		if ((fd = open("/dev/null", O_RDWR)) == -1)
			err(127, "/dev/null");
		if (dup2(fd, 0) == -1 || dup2(fd, 1) == -1 ||
		    dup2(fd, 2) == -1)
			err(127, "dup2");
		execvp(av[0], av);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) == -1)
		err(1, "wait4");
	if (clock_gettime(CLOCK_MONOTONIC, &t1) == -1)
		err(1, "clock_gettime");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(1, "%s: %s %d", av[0], WIFEXITED(status) ? "exit" :
		    "signal", WIFEXITED(status) ? WEXITSTATUS(status) :
		    WTERMSIG(status));
	*wall = usec(&t0, &t1);
	*user = tv_usec(&ru.ru_utime);
	*sys = tv_usec(&ru.ru_stime);
}

int
main(int argc, char *argv[])
{
	static char	*av[CMDS_MAX][ARGS_MAX];
	const char	*errstr;
	long long	 rounds = 10, warmup = 1, r, wall, user, sys;
	int		 ch, ncmds, i, k;

	while ((ch = getopt(argc, argv, "n:w:")) != -1) {
		switch (ch) {
		case 'n':
			rounds = strtonum(optarg, 1, ROUNDS_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "rounds %s: %s", optarg, errstr);
			break;
		case 'w':
			warmup = strtonum(optarg, 0, ROUNDS_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "warmup %s: %s", optarg, errstr);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (argc > CMDS_MAX)
		errx(1, "more than %d commands", CMDS_MAX);
	ncmds = argc;
	for (i = 0; i < ncmds; i++)
		split(argv[i], av[i], ARGS_MAX);

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (r = -warmup; r < rounds; r++) {
		for (k = 0; k < ncmds; k++) {
			i = (int)(((r + warmup) + k) % ncmds);
			run(av[i], &wall, &user, &sys);
			if (r >= 0)
				printf("%lld %d %lld %lld %lld\n", r, i, wall,
				    user, sys);
		}
	}
	return (0);
}
