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
 * Run a fuzz target without libFuzzer: feed it each file named, or each
 * file in each directory named, once, in a buffer of exactly the file's
 * size.  Built with the ordinary compiler and flags, so that make test
 * replays the corpus and the crash reproducers everywhere; built with
 * -fsanitize=address,undefined (make asan-test) it checks them as
 * strictly as the fuzzer did.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

#define MAXINPUT	(1024 * 1024)

static void	 run_file(const char *);
static void	 run_dir(const char *);

static unsigned long	 ninputs;

static void
run_file(const char *path)
{
	struct stat	 st;
	uint8_t		*buf;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		err(1, "%s", path);
	if (fstat(fd, &st) == -1)
		err(1, "%s", path);
	if (st.st_size > MAXINPUT)
		errx(1, "%s: larger than %d bytes", path, MAXINPUT);
	/* At least one byte: malloc(0) may return NULL. */
	if ((buf = malloc(st.st_size > 0 ? st.st_size : 1)) == NULL)
		err(1, NULL);
	while (off < (size_t)st.st_size) {
		n = read(fd, buf + off, st.st_size - off);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err(1, "%s", path);
		}
		if (n == 0)
			errx(1, "%s: shrank while read", path);
		off += n;
	}
	close(fd);
	LLVMFuzzerTestOneInput(buf, off);
	free(buf);
	ninputs++;
}

static void
run_dir(const char *path)
{
	DIR		*dp;
	struct dirent	*de;
	struct stat	 st;
	char		 p[PATH_MAX];
	int		 n;

	if ((dp = opendir(path)) == NULL)
		err(1, "%s", path);
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		n = snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
		if (n < 0 || (size_t)n >= sizeof(p))
			errx(1, "%s/%s: path too long", path, de->d_name);
		if (stat(p, &st) == -1)
			err(1, "%s", p);
		if (S_ISREG(st.st_mode))
			run_file(p);
	}
	closedir(dp);
}

int
main(int argc, char *argv[])
{
	struct stat	 st;
	int		 i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s file|directory ...\n", argv[0]);
		return (1);
	}
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1)
			err(1, "%s", argv[i]);
		if (S_ISDIR(st.st_mode))
			run_dir(argv[i]);
		else
			run_file(argv[i]);
	}
	printf("%lu inputs, no finding\n", ninputs);
	return (0);
}
