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
 * Magic packets built with libnet and written at the link layer out one
 * interface: wakeup(8) and wakeupd(8)'s relay share this.  Errors are
 * reported, never fatal: the caller decides.  Not linked into the
 * capture program.
 */

#ifndef SEND_H
#define SEND_H

#include <sys/types.h>

#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>

#include "wol.h"

#define SEND_ERRLEN		256
#define SEND_PORT		9	/* the default UDP port */

struct libnet_context;

struct wol_sender {
	struct libnet_context	*l;
	char			 ifname[64];
	uint8_t			 ifmac[WOL_ADDR_LEN];
	struct in_addr		 in4;		/* 0.0.0.0 when it has none */
	struct in6_addr		 in6;		/* link-local, or :: */
	int			 proto;		/* WOL_PROTO_* */
	int			 unicast;	/* to the target's address */
	int			 vlan;		/* 802.1Q id, 0 if none */
	uint16_t		 port;
	struct in_addr		 dst4;
	struct in6_addr		 dst6;
	uint8_t			 edst[WOL_ADDR_LEN];
	int32_t			 udp, ip, link;	/* libnet_ptag_t */
	uint32_t		 plen;		/* payload the IP block has */
	char			 err[SEND_ERRLEN];
};

int	 wol_send_iface(struct wol_sender *, const char *);
int	 wol_send_dest(struct wol_sender *, int, const char *);
int	 wol_send_open(struct wol_sender *, int);
int	 wol_send_build(struct wol_sender *, const uint8_t *,
	    const struct wol_pw *);
int	 wol_send_print(struct wol_sender *, FILE *, size_t *);
int	 wol_send_write(struct wol_sender *, size_t *);
void	 wol_send_reset(struct wol_sender *);
void	 wol_send_wipe(struct wol_sender *, const uint8_t *, int);
void	 wol_send_close(struct wol_sender *);

#endif /* SEND_H */
