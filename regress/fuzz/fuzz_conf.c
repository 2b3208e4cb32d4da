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
 * wakeupd.conf: any bytes through parse.y's lexer and grammar, without
 * include and without the file checks.  What parses is printed as -n
 * prints it; without passwords (printed masked) that text must parse
 * again and print the same.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fuzz.h"

#define FUZZ_FLAGS	(CONF_NOINCLUDE | CONF_NOCHECK)

static char	*print(struct conf *, size_t *);

/* The configuration as -n prints it, in a buffer of ours. */
static char *
print(struct conf *c, size_t *len)
{
	struct wakeup_conf	 cf;
	const char		*ifn[WAKEUPD_MAXIFS];
	char			*buf = NULL;
	FILE			*fp;
	int			 n;

	memset(&cf, 0, sizeof(cf));
	cf.window = -1;
	n = conf_merge(c, &cf, NULL, 0, ifn);
	FUZZ_CHECK(n == c->nifs);
	FUZZ_CHECK(cf.window >= 0 && cf.window <= 3600);
	if ((fp = open_memstream(&buf, len)) == NULL)
		abort();
	conf_print(fp, &cf, ifn, n, c);
	if (fclose(fp) != 0)
		abort();
	return (buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	 c1, c2;
	char		 err[1024], *t1, *t2;
	size_t		 l1, l2;
	FILE		*fp;
	int		 rc;

	/* fmemopen(3) may refuse an empty buffer. */
	if (size == 0)
		return (0);
	if ((fp = fmemopen((void *)data, size, "r")) == NULL)
		abort();
	memset(err, 'x', sizeof(err));
	rc = parse_config("fuzz.conf", fp, FUZZ_FLAGS, &c1, err, sizeof(err));
	fclose(fp);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc == -1) {
		/* One line that names the file. */
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
		FUZZ_CHECK(strncmp(err, "fuzz.conf", 9) == 0);
		FUZZ_CHECK(strchr(err, '\n') == NULL);
		return (0);
	}
	FUZZ_CHECK(c1.nifs >= 0 && c1.nifs <= WAKEUPD_MAXIFS);
	FUZZ_CHECK(c1.nuris >= 0 && c1.nuris <= WAKEUPD_MAXURIS);
	if (c1.haspw) {
		t1 = print(&c1, &l1);
		FUZZ_CHECK(strstr(t1, "password \"********\"") != NULL);
		free(t1);
		conf_free(&c1);
		return (0);
	}
	t1 = print(&c1, &l1);
	conf_free(&c1);
	if ((fp = fmemopen(t1, l1, "r")) == NULL)
		abort();
	rc = parse_config("printed", fp, FUZZ_FLAGS, &c2, err, sizeof(err));
	fclose(fp);
	if (rc == -1)
		fprintf(stderr, "%s\n", err);
	FUZZ_CHECK(rc == 0);
	t2 = print(&c2, &l2);
	conf_free(&c2);
	FUZZ_CHECK(l1 == l2 && memcmp(t1, t2, l1) == 0);
	free(t1);
	free(t2);
	return (0);
}
