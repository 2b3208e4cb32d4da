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
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "wakeupd.h"

/*
 * What the parent accepts from the capture process, which it does not
 * trust: a message of exactly one known kind and size, every field in
 * range.  Pure, so that regress/fuzz/fuzz_msg.c runs it as loop.c does.
 * A message kind the capture process may send gets a case of its own.
 */

static int	 wake_check(const struct wake_msg *, size_t, int);

static int
wake_check(const struct wake_msg *m, size_t len, int nifs)
{
	const char	*reason;

	if (len != sizeof(*m) || nifs < 0 || m->ifidx >= (uint32_t)nifs ||
	    (m->pwlen != 0 && m->pwlen != 4 && m->pwlen != 6) ||
	    (m->sender_af != 0 && m->sender_af != AF_INET &&
	    m->sender_af != AF_INET6) || m->has_esrc > 1 ||
	    wol_mac_is_target(m->mac, &reason) == -1)
		return (-1);
	return (0);
}

/*
 * A message of len bytes read into m, from a capture process that
 * watches nifs interfaces: 0 if it is well formed, else -1.
 */
int
msg_check(const struct wake_msg *m, size_t len, int nifs)
{
	if (len < sizeof(m->kind))
		return (-1);
	switch (m->kind) {
	case MSG_WAKE:
		return (wake_check(m, len, nifs));
	default:
		return (-1);
	}
}
