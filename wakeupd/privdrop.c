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
 * The privileged process's own privileges, once the capture process
 * runs: what it keeps is what talking to libvirt and ending its child
 * need.  It stays uid 0, which libvirtd's socket asks of a client with
 * full access, but on Linux it keeps a single capability, CAP_KILL (to
 * signal the capture process, which runs as another user), in its
 * effective, permitted and bounding sets, so that neither it nor what
 * it executes (ssh for qemu+ssh:// URIs) can open a packet socket,
 * load a module or read another user's files.  Capabilities are per
 * thread: this runs before the first thread starts.  On OpenBSD it
 * pledges what libvirt's client needs.  This file is the one place in
 * the parent that tests for the operating system.
 */

#include <sys/types.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#endif

#include <string.h>
#include <unistd.h>

#include "log.h"
#include "wakeupd.h"

#if defined(__linux__)

#define KEEP_CAP	CAP_KILL

void
priv_drop_parent(void)
{
	struct __user_cap_header_struct	 hdr;
	struct __user_cap_data_struct	 data[2];
	int				 cap, in;

	/*
	 * The bounding set first: dropping from it needs CAP_SETPCAP, which
	 * is dropped last, with the rest (the systemd unit grants it for
	 * this).  Only what is in the set is dropped: a unit's set holds
	 * just what it grants.
	 */
	for (cap = 0; (in = prctl(PR_CAPBSET_READ, cap, 0, 0, 0)) >= 0; cap++)
		if (in == 1 && cap != KEEP_CAP &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1)
			fatal("cannot drop capability %d from the bounding "
			    "set", cap);
	memset(&hdr, 0, sizeof(hdr));
	memset(data, 0, sizeof(data));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	data[KEEP_CAP / 32].effective = 1U << (KEEP_CAP % 32);
	data[KEEP_CAP / 32].permitted = 1U << (KEEP_CAP % 32);
	if (syscall(SYS_capset, &hdr, data) == -1)
		fatal("capset");
	log_debug("privileged process: capabilities dropped but CAP_KILL");
}

#elif defined(__OpenBSD__)

void
priv_drop_parent(void)
{
	/*
	 * libvirt's client: its configuration and certificates (rpath),
	 * local and remote connections (unix, inet, dns), ssh for
	 * qemu+ssh:// (proc, exec); the capture process to signal (proc).
	 */
	if (pledge("stdio rpath unix inet dns proc exec", NULL) == -1)
		fatal("pledge");
}

#else

void
priv_drop_parent(void)
{
}

#endif
