%{
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
 * wakeupd.conf(5): the grammar and its own lexer, in the manner of the
 * OpenBSD daemons: macros, include, quoted strings, comments, and one
 * error line naming the file and the line.  Every value is checked
 * here; what the grammar accepts is a configuration the daemon can use.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>
#ifdef __linux__
#include <netinet/ether.h>
#else
#include <net/if.h>
#include <netinet/if_ether.h>
#endif

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

#define MAXDEPTH	8		/* include nesting */
#define MAXSTRING	1024
#define MAXMACROS	256

struct file {
	FILE		*fp;
	char		*name;
	int		 lineno;
	int		 nlpending;	/* a newline was returned */
	int		 ungot;		/* a character pushed back, or -1 */
	int		 owned;		/* we opened fp */
	char		*iobuf;		/* its buffer, wiped at the end */
	int		 haspw;
	mode_t		 mode;
};

struct macro {
	char		*name;
	char		*value;
};

static struct file	*files[MAXDEPTH];
static int		 depth;
static int		 eofsent;
static struct macro	 macros[MAXMACROS];
static char		 lexbuf[MAXSTRING];	/* yylex's, wiped at the end */
static int		 nmacros;
static const char	*expand;	/* the macro being read, or NULL */
static int		 expandnext;	/* the character after its name */
static struct conf	*conf;
static struct conf_host	*host;
static int		 flags;
static char		*errbuf;
static size_t		 errlen;
static int		 errors;
static char		**tokens;
static size_t		 ntokens, tokcap;

int		 yyparse(void);
static int	 yylex(void);
static void	 yyerror(const char *);
static void	 conferr(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));
static void	 fileerr(const struct file *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static int	 pushfile(const char *, FILE *);
static int	 popfile(void);
static int	 lgetc(int);
static void	 lungetc(int);
static int	 kwlookup(const char *);
static int	 isword(int);
static int	 macro_set(const char *, const char *);
static const char *macro_get(const char *);
static int	 set_pw(char *, struct wol_pw *);
static int	 set_ifname(const char *, char *);
static int	 set_from(const char *);
static int	 set_mac(const char *);
static int	 host_new(const char *);
static int	 host_end(void);
static int	 add_arg(const char *);
static char	*keep(const char *);
static char	*token_string(const char *);
static int	 token_keep(char *);
static void	 file_free(struct file *);

typedef struct {
	union {
		long long	 number;
		char		*string;
	} v;
} YYSTYPE;
#define YYSTYPE_IS_DECLARED	1

%}

%token	AS DEBOUNCE ETHER FROM HOST INCLUDE LIBVIRT LISTEN MAC ON OPTIN
%token	PASSWORD PORT RELAY RUN SENDERS TIMEOUT TO UDP VLAN ERROR
%token	<v.string>	STRING
%token	<v.number>	NUMBER

%%

grammar		: /* empty */
		| grammar sep
		| grammar stmt sep
		;

sep		: '\n'
		| ';'
		;

optsep		: /* empty */
		| optsep sep
		;

sepl		: sep
		| sepl sep
		;

stmt		: include
		| varset
		| main
		| host
		;

include		: INCLUDE STRING {
			int	 rc;

			if (flags & CONF_NOINCLUDE) {
				conferr("include is not allowed here");
				YYERROR;
			}
			rc = pushfile($2, NULL);
			if (rc == -1)
				YYERROR;
		}
		;

varset		: STRING '=' STRING {
			if (macro_set($1, $3) == -1)
				YYERROR;
		}
		;

main		: LISTEN ON STRING {
			int	 i;

			if (conf->nifs == WAKEUPD_MAXIFS) {
				conferr("too many interfaces (at most %d)",
				    WAKEUPD_MAXIFS);
				YYERROR;
			}
			for (i = 0; i < conf->nifs; i++)
				if (strcmp(conf->ifs[i], $3) == 0)
					break;
			if (i < conf->nifs) {
				conferr("listen on %s: given twice", $3);
				YYERROR;
			}
			if (set_ifname($3, conf->ifs[conf->nifs]) == -1) {
				YYERROR;
			}
			conf->nifs++;
		}
		| DEBOUNCE NUMBER {
			if ($2 < 0 || $2 > 3600) {
				conferr("debounce %lld: want 0 to 3600 "
				    "seconds", $2);
				YYERROR;
			}
			if (conf->window != -1) {
				conferr("debounce given twice");
				YYERROR;
			}
			conf->window = $2;
		}
		| LIBVIRT STRING {
			int	 i;

			for (i = 0; i < conf->nuris; i++)
				if (strcmp(conf->uris[i], $2) == 0)
					break;
			if (i < conf->nuris) {
				conferr("libvirt \"%s\": given twice", $2);
				YYERROR;
			}
			if (conf->nuris == WAKEUPD_MAXURIS) {
				conferr("too many libvirt URIs (at most %d)",
				    WAKEUPD_MAXURIS);
				YYERROR;
			}
			if (*$2 == '\0') {
				conferr("libvirt: empty URI");
				YYERROR;
			}
			if ((conf->uris[conf->nuris] = keep($2)) == NULL)
				YYERROR;
			conf->nuris++;
		}
		| PASSWORD STRING {
			if (conf->pw.len != 0) {
				conferr("password given twice");
				YYERROR;
			}
			if (set_pw($2, &conf->pw) == -1)
				YYERROR;
		}
		| OPTIN {
			conf->optin = 1;
		}
		| SENDERS STRING {
			if (conf->filter != NULL) {
				conferr("senders given twice");
				YYERROR;
			}
			if (*$2 == '\0') {
				conferr("senders: empty filter");
				YYERROR;
			}
			if ((conf->filter = keep($2)) == NULL)
				YYERROR;
		}
		;

host		: HOST STRING {
			if (host_new($2) == -1)
				YYERROR;
		} '{' optsep hostopts '}' {
			if (host_end() == -1)
				YYERROR;
		}
		;

hostopts	: /* empty */
		| hostoptl
		| hostoptl sepl
		;

hostoptl	: hostopt
		| hostoptl sepl hostopt
		;

hostopt		: MAC STRING {
			if (host->has_mac) {
				conferr("host %s: mac given twice",
				    host->name);
				YYERROR;
			}
			if (set_mac($2) == -1)
				YYERROR;
		}
		| PASSWORD STRING {
			if (host->pw.len != 0) {
				conferr("host %s: password given twice",
				    host->name);
				YYERROR;
			}
			if (set_pw($2, &host->pw) == -1)
				YYERROR;
		}
		| FROM fromlist
		| TIMEOUT NUMBER {
			if ($2 < 1 || $2 > CONF_MAXTIMEOUT) {
				conferr("timeout %lld: want 1 to %d seconds",
				    $2, CONF_MAXTIMEOUT);
				YYERROR;
			}
			if (host->timeout != 0) {
				conferr("host %s: timeout given twice",
				    host->name);
				YYERROR;
			}
			host->timeout = $2;
		}
		| RELAY ON STRING {
			if (host->action != 0) {
				conferr("host %s: one relay or run only",
				    host->name);
				YYERROR;
			}
			host->action = HOST_RELAY;
			host->relay.proto = RELAY_UDP;
			if (set_ifname($3, host->relay.ifname) == -1) {
				YYERROR;
			}
		} relayopts
		| RUN {
			if (host->action != 0) {
				conferr("host %s: one relay or run only",
				    host->name);
				YYERROR;
			}
			host->action = HOST_RUN;
		} runas STRING {
			if (*$4 != '/') {
				conferr("run \"%s\": not an absolute path", $4);
				YYERROR;
			}
			if (add_arg($4) == -1)
				YYERROR;
		} runargs
		;

fromlist	: fromaddr
		| fromlist fromaddr
		;

fromaddr	: STRING {
			int	 rc;

			rc = set_from($1);
			if (rc == -1)
				YYERROR;
		}
		;

relayopts	: /* empty */
		| relayopts relayopt
		;

relayopt	: VLAN NUMBER {
			if ($2 < 1 || $2 > 4094) {
				conferr("vlan %lld: want 1 to 4094", $2);
				YYERROR;
			}
			if (host->relay.vlan != 0) {
				conferr("host %s: vlan given twice",
				    host->name);
				YYERROR;
			}
			host->relay.vlan = $2;
		}
		| ETHER {
			host->relay.proto = RELAY_ETHER;
		}
		| UDP {
			host->relay.proto = RELAY_UDP;
		}
		| TO STRING {
			struct conf_relay	*r = &host->relay;

			if (r->to_af != 0) {
				conferr("host %s: relay to given twice",
				    host->name);
				YYERROR;
			}
			if (inet_pton(AF_INET, $2, r->to) == 1)
				r->to_af = AF_INET;
			else if (inet_pton(AF_INET6, $2, r->to) == 1)
				r->to_af = AF_INET6;
			else {
				conferr("relay to %s: not an IPv4 or IPv6 "
				    "address", $2);
				YYERROR;
			}
		}
		| PORT NUMBER {
			if ($2 < 1 || $2 > 65535) {
				conferr("port %lld: want 1 to 65535", $2);
				YYERROR;
			}
			if (host->relay.port != 0) {
				conferr("host %s: port given twice",
				    host->name);
				YYERROR;
			}
			host->relay.port = $2;
		}
		| PASSWORD STRING {
			if (host->relay.pw.len != 0) {
				conferr("host %s: relay password given twice",
				    host->name);
				YYERROR;
			}
			if (set_pw($2, &host->relay.pw) == -1)
				YYERROR;
		}
		;

runas		: /* empty */
		| AS STRING {
			if (*$2 == '\0' || strlen($2) > 32) {
				conferr("run as \"%s\": not a user name", $2);
				YYERROR;
			}
			if ((host->run.user = keep($2)) == NULL)
				YYERROR;
		}
		;

runargs		: /* empty */
		| runargs STRING {
			if (add_arg($2) == -1)
				YYERROR;
		}
		| runargs NUMBER {
			char	 s[32];

			(void)snprintf(s, sizeof(s), "%lld", $2);
			if (add_arg(s) == -1)
				YYERROR;
		}
		;

%%

/* Keywords, sorted for bsearch. */
static const struct keyword {
	const char	*name;
	int		 token;
} keywords[] = {
	{ "as",		AS },
	{ "debounce",	DEBOUNCE },
	{ "ether",	ETHER },
	{ "from",	FROM },
	{ "host",	HOST },
	{ "include",	INCLUDE },
	{ "libvirt",	LIBVIRT },
	{ "listen",	LISTEN },
	{ "mac",	MAC },
	{ "on",		ON },
	{ "opt-in",	OPTIN },
	{ "password",	PASSWORD },
	{ "port",	PORT },
	{ "relay",	RELAY },
	{ "run",	RUN },
	{ "senders",	SENDERS },
	{ "timeout",	TIMEOUT },
	{ "to",		TO },
	{ "udp",	UDP },
	{ "vlan",	VLAN },
};

static int
kwcmp(const void *k, const void *e)
{
	return (strcmp(k, ((const struct keyword *)e)->name));
}

static int
kwlookup(const char *s)
{
	const struct keyword	*kw;

	kw = bsearch(s, keywords, sizeof(keywords) / sizeof(keywords[0]),
	    sizeof(keywords[0]), kwcmp);
	return (kw != NULL ? kw->token : STRING);
}

/*
 * Whether s must be quoted to read back as one string: anything but a
 * word that is neither a keyword nor a number.
 */
int
conf_needs_quotes(const char *s)
{
	const char	*p;

	if (*s == '\0' || strspn(s, "0123456789") == strlen(s))
		return (1);
	for (p = s; *p != '\0'; p++)
		if (!isword((unsigned char)*p))
			return (1);
	return (kwlookup(s) != STRING);
}

/* Only the first error counts: one line, and the parse stops. */
static void
verr(const struct file *f, int withline, const char *fmt, va_list ap)
{
	char	 msg[512];

	if (errors++ > 0)
		return;
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	if (f == NULL)
		(void)snprintf(errbuf, errlen, "%s", msg);
	else if (withline)
		(void)snprintf(errbuf, errlen, "%s:%d: %s", f->name,
		    f->lineno, msg);
	else
		(void)snprintf(errbuf, errlen, "%s: %s", f->name, msg);
}

static void
conferr(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	verr(depth > 0 ? files[depth - 1] : NULL, 1, fmt, ap);
	va_end(ap);
}

static void
fileerr(const struct file *f, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	verr(f, 0, fmt, ap);
	va_end(ap);
}

static void
yyerror(const char *msg)
{
	conferr("%s", msg);
}

/*
 * Open a file, or take fp as it is.  A file of ours must belong to root
 * or to whoever runs us and be writable by no one else; whether others
 * may read it matters only if it holds a password (popfile).
 */
static int
pushfile(const char *name, FILE *fp)
{
	struct file	*f, *cur = depth > 0 ? files[depth - 1] : NULL;
	struct stat	 st;
	const char	*slash;
	char		*path;
	int		 n;

	if (depth == MAXDEPTH) {
		conferr("include %s: nested too deeply", name);
		return (-1);
	}
	/* A relative include is relative to the including file. */
	if (cur != NULL && *name != '/' &&
	    (slash = strrchr(cur->name, '/')) != NULL) {
		n = asprintf(&path, "%.*s/%s", (int)(slash - cur->name),
		    cur->name, name);
	} else
		n = asprintf(&path, "%s", name);
	if (n == -1) {
		conferr("out of memory");
		return (-1);
	}
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		free(path);
		conferr("out of memory");
		return (-1);
	}
	f->name = path;
	f->lineno = 1;
	f->ungot = -1;
	if (fp == NULL) {
		if ((fp = fopen(path, "r")) == NULL) {
			if (cur != NULL)
				conferr("include %s: %s", path,
				    strerror(errno));
			else
				fileerr(f, "%s", strerror(errno));
			goto fail;
		}
		f->owned = 1;
		/* A buffer of ours, for passwords not to stay in the heap. */
		if ((f->iobuf = malloc(BUFSIZ)) == NULL ||
		    setvbuf(fp, f->iobuf, _IOFBF, BUFSIZ) != 0) {
			conferr("out of memory");
			goto fail;
		}
	}
	f->fp = fp;
	if ((flags & CONF_NOCHECK) == 0) {
		if (fstat(fileno(fp), &st) == -1) {
			fileerr(f, "%s", strerror(errno));
			goto fail;
		}
		if (!S_ISREG(st.st_mode)) {
			fileerr(f, "not a regular file");
			goto fail;
		}
		if (st.st_uid != 0 && st.st_uid != getuid()) {
			fileerr(f, "owned by uid %u, want %s",
			    (unsigned int)st.st_uid,
			    getuid() == 0 ? "root" : "root or ourselves");
			goto fail;
		}
		if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
			fileerr(f, "writable by others; chmod go-w it");
			goto fail;
		}
		f->mode = st.st_mode;
	}
	/*
	 * The include statement's own line still needs its newline: the
	 * grammar reads it from here, before line 1.
	 */
	if (cur != NULL) {
		f->ungot = '\n';
		f->lineno = 0;
	}
	files[depth++] = f;
	return (0);
fail:
	if (f->owned)
		fclose(fp);
	file_free(f);
	return (-1);
}

static void
file_free(struct file *f)
{
	if (f->iobuf != NULL) {
		explicit_bzero(f->iobuf, BUFSIZ);
		free(f->iobuf);
	}
	free(f->name);
	free(f);
}

/* Done with the innermost file; -1 if it must be refused. */
static int
popfile(void)
{
	struct file	*f = files[--depth];
	int		 rc = 0;

	if (f->haspw && (f->mode & (S_IRGRP | S_IROTH)) != 0) {
		fileerr(f, "holds passwords and is readable by others; "
		    "chmod 600 it");
		rc = -1;
	}
	if (f->owned)
		fclose(f->fp);
	file_free(f);
	return (rc);
}

/* The next character of the macro being expanded or of the file. */
static int
lgetc(int quoted)
{
	struct file	*f = files[depth - 1];
	int		 c, next;

	if (f->ungot != -1) {
		c = f->ungot;
		f->ungot = -1;
		return (c);
	}
	if (expand != NULL) {
		if (*expand != '\0')
			return ((unsigned char)*expand++);
		expand = NULL;
		return (expandnext);
	}
	for (;;) {
		c = getc(f->fp);
		/* Outside quotes, backslash-newline joins lines. */
		if (c != '\\' || quoted)
			return (c);
		next = getc(f->fp);
		if (next != '\n') {
			if (next != EOF)
				ungetc(next, f->fp);
			return (c);
		}
		f->lineno++;
	}
}

static void
lungetc(int c)
{
	if (c != EOF)
		files[depth - 1]->ungot = c;
}

static int
isword(int c)
{
	return (c != EOF && c != '\0' &&
	    (isalnum(c) || strchr("-_.:/+@%", c) != NULL));
}

static int
yylex(void)
{
	struct file	*f;
	const char	*val, *errstr;
	char		*buf = lexbuf;
	size_t		 n;
	int		 c, token;

again:
	f = files[depth - 1];
	if (f->nlpending) {
		f->nlpending = 0;
		f->lineno++;
	}
	while ((c = lgetc(0)) == ' ' || c == '\t' || c == '\r')
		;
	if (c == '#')
		while ((c = lgetc(0)) != '\n' && c != EOF)
			;
	if (c == EOF) {
		if (ferror(f->fp)) {
			conferr("%s", strerror(errno));
			return (ERROR);
		}
		if (depth > 1) {
			if (popfile() == -1)
				return (ERROR);
			goto again;
		}
		/* A last line without its newline still ends a statement. */
		if (!eofsent) {
			eofsent = 1;
			return ('\n');
		}
		return (0);
	}
	if (c == '\0') {
		conferr("NUL byte in the file");
		return (ERROR);
	}
	if (c == '\n') {
		f->nlpending = 1;
		return ('\n');
	}
	if (c == '$') {
		if (expand != NULL) {
			conferr("a macro inside a macro");
			return (ERROR);
		}
		n = 0;
		while ((c = lgetc(0)) != EOF &&
		    (isalnum(c) || c == '_')) {
			if (n == sizeof(lexbuf) - 1) {
				conferr("macro name too long");
				return (ERROR);
			}
			buf[n++] = c;
		}
		expandnext = c;
		buf[n] = '\0';
		if (n == 0) {
			conferr("$ without a macro name");
			return (ERROR);
		}
		if ((val = macro_get(buf)) == NULL) {
			conferr("macro '%s' not defined", buf);
			return (ERROR);
		}
		expand = val;
		goto again;
	}
	if (c == '"') {
		n = 0;
		for (;;) {
			c = lgetc(1);
			if (c == EOF || c == '\n') {
				conferr("unterminated quoted string");
				return (ERROR);
			}
			if (c == '\0') {
				conferr("NUL byte in the file");
				return (ERROR);
			}
			if (c == '"')
				break;
			if (c == '\\') {
				c = lgetc(1);
				if (c != '"' && c != '\\') {
					conferr("\\ in a quoted string: "
					    "want \\\" or \\\\");
					return (ERROR);
				}
			}
			if (n == sizeof(lexbuf) - 1) {
				conferr("string too long");
				return (ERROR);
			}
			buf[n++] = c;
		}
		buf[n] = '\0';
		if ((yylval.v.string = token_string(buf)) == NULL) {
			conferr("out of memory");
			return (ERROR);
		}
		return (STRING);
	}
	if (isword(c)) {
		n = 0;
		do {
			if (n == sizeof(lexbuf) - 1) {
				conferr("word too long");
				return (ERROR);
			}
			buf[n++] = c;
		} while (isword(c = lgetc(0)));
		lungetc(c);
		buf[n] = '\0';
		if (strspn(buf, "0123456789") == n) {
			yylval.v.number = strtonum(buf, 0, INT_MAX, &errstr);
			if (errstr != NULL) {
				conferr("number %s: %s", buf, errstr);
				return (ERROR);
			}
			return (NUMBER);
		}
		if ((token = kwlookup(buf)) != STRING)
			return (token);
		if ((yylval.v.string = token_string(buf)) == NULL) {
			conferr("out of memory");
			return (ERROR);
		}
		return (STRING);
	}
	if (c == '{' || c == '}' || c == ';' || c == '=')
		return (c);
	if (isprint(c))
		conferr("unexpected character '%c'", c);
	else
		conferr("unexpected byte 0x%02x", c);
	return (ERROR);
}

/* name = "value": names are letters, digits and _, not a keyword. */
static int
macro_set(const char *name, const char *value)
{
	char	*v;
	int	 i;

	if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_") != strlen(name)) {
		conferr("macro name %s: want letters, digits and _", name);
		return (-1);
	}
	if ((v = keep(value)) == NULL)
		return (-1);
	for (i = 0; i < nmacros; i++)
		if (strcmp(macros[i].name, name) == 0) {
			/*
			 * The last definition counts, as in the BSDs.  The
			 * old value may still be being read: x = $x.
			 */
			if (token_keep(macros[i].value) == -1) {
				conferr("out of memory");
				free(v);
				return (-1);
			}
			macros[i].value = v;
			return (0);
		}
	if (nmacros == MAXMACROS) {
		conferr("too many macros (at most %d)", MAXMACROS);
		free(v);
		return (-1);
	}
	if ((macros[nmacros].name = keep(name)) == NULL) {
		free(v);
		return (-1);
	}
	macros[nmacros].value = v;
	nmacros++;
	return (0);
}

static const char *
macro_get(const char *name)
{
	int	 i;

	for (i = 0; i < nmacros; i++)
		if (strcmp(macros[i].name, name) == 0)
			return (macros[i].value);
	return (NULL);
}

/* Wipes s: a password lives in one place. */
static int
set_pw(char *s, struct wol_pw *pw)
{
	const char	*errstr;
	int		 rc;

	files[depth - 1]->haspw = 1;
	conf->haspw = 1;
	rc = wol_pw_parse(s, pw, &errstr);
	if (rc == -1)
		conferr("password: %s", errstr);
	explicit_bzero(s, strlen(s));
	return (rc);
}

static int
set_ifname(const char *s, char *dst)
{
	if (*s == '\0') {
		conferr("empty interface name");
		return (-1);
	}
	if (strlcpy(dst, s, CONF_IFNAMSIZ) >= CONF_IFNAMSIZ) {
		conferr("%s: interface name too long", s);
		return (-1);
	}
	return (0);
}

/* A MAC address, or a name ethers(5) knows. */
static int
set_mac(const char *s)
{
	struct ether_addr	 ea;
	struct conf_host	*h;
	const char		*errstr;
	char			 text[WOL_MAC_STRLEN];

	if (wol_mac_parse(s, host->mac, &errstr) == -1) {
		if (strchr(s, ':') != NULL) {
			conferr("mac %s: %s", s, errstr);
			return (-1);
		}
		if (ether_hostton(s, &ea) != 0) {
			conferr("mac %s: not a MAC address or /etc/ethers "
			    "name", s);
			return (-1);
		}
		memcpy(host->mac, &ea, WOL_ADDR_LEN);
	}
	if (wol_mac_is_target(host->mac, &errstr) == -1) {
		conferr("mac %s: %s", s, errstr);
		return (-1);
	}
	TAILQ_FOREACH(h, &conf->hosts, entry)
		if (h != host && h->has_mac &&
		    memcmp(h->mac, host->mac, WOL_ADDR_LEN) == 0) {
			conferr("mac %s: also host %s", wol_mac_ntoa(host->mac,
			    text, sizeof(text)), h->name);
			return (-1);
		}
	host->has_mac = 1;
	return (0);
}

/* ADDRESS or ADDRESS/PREFIX; no bits set past the prefix. */
static int
set_from(const char *s)
{
	struct conf_from	*fr;
	const char		*errstr;
	char			 addr[64], *slash;
	int			 max, i, bits;

	if (strlcpy(addr, s, sizeof(addr)) >= sizeof(addr)) {
		conferr("from %s: not an address", s);
		return (-1);
	}
	if ((fr = calloc(1, sizeof(*fr))) == NULL) {
		conferr("out of memory");
		return (-1);
	}
	if ((slash = strchr(addr, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, addr, fr->addr) == 1) {
		fr->af = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, fr->addr) == 1) {
		fr->af = AF_INET6;
		max = 128;
	} else {
		conferr("from %s: not an IPv4 or IPv6 address", s);
		free(fr);
		return (-1);
	}
	fr->prefix = max;
	if (slash != NULL) {
		fr->prefix = strtonum(slash, 0, max, &errstr);
		if (errstr != NULL) {
			conferr("from %s: prefix length %s", s, errstr);
			free(fr);
			return (-1);
		}
	}
	for (i = fr->prefix; i < max; i++) {
		bits = fr->addr[i / 8] & (0x80 >> (i % 8));
		if (bits != 0) {
			conferr("from %s: address bits set past the prefix",
			    s);
			free(fr);
			return (-1);
		}
	}
	TAILQ_INSERT_TAIL(&host->from, fr, entry);
	return (0);
}

static int
host_new(const char *name)
{
	struct conf_host	*h;
	size_t			 len = strlen(name);
	const char		*p;

	/*
	 * The name goes into the log, the environment and ps(1): no byte
	 * that could pass for something else there.
	 */
	for (p = name; *p != '\0'; p++)
		if (!isprint((unsigned char)*p))
			break;
	if (len == 0 || len > CONF_HOSTNAMEMAX ||
	    strspn(name, CONF_HOSTNAMECHARS) != len) {
		if (*p == '\0')
			conferr("host \"%s\": want letters, digits, '.', '_' "
			    "and '-', at most %d", name, CONF_HOSTNAMEMAX);
		else
			conferr("host name: want letters, digits, '.', '_' "
			    "and '-', at most %d", CONF_HOSTNAMEMAX);
		return (-1);
	}
	TAILQ_FOREACH(h, &conf->hosts, entry)
		if (strcmp(h->name, name) == 0) {
			conferr("host %s defined twice", name);
			return (-1);
		}
	if (conf->nhosts == CONF_MAXHOSTS) {
		conferr("too many hosts (at most %d)", CONF_MAXHOSTS);
		return (-1);
	}
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		conferr("out of memory");
		return (-1);
	}
	if ((h->name = keep(name)) == NULL) {
		free(h);
		return (-1);
	}
	TAILQ_INIT(&h->from);
	TAILQ_INSERT_TAIL(&conf->hosts, h, entry);
	conf->nhosts++;
	host = h;
	return (0);
}

/* What a host needs: a MAC and exactly one action. */
static int
host_end(void)
{
	if (!host->has_mac) {
		conferr("host %s: no mac", host->name);
		return (-1);
	}
	if (host->action == 0) {
		conferr("host %s: no relay or run", host->name);
		return (-1);
	}
	if (host->timeout != 0 && host->action != HOST_RUN) {
		conferr("host %s: timeout is for run", host->name);
		return (-1);
	}
	if (host->action == HOST_RUN)
		host->run.timeout = host->timeout != 0 ? host->timeout :
		    CONF_RUN_TIMEOUT;
	if (host->action == HOST_RELAY && host->relay.proto == RELAY_ETHER &&
	    (host->relay.to_af != 0 || host->relay.port != 0)) {
		conferr("host %s: relay ether takes no to or port",
		    host->name);
		return (-1);
	}
	host = NULL;
	return (0);
}

static int
add_arg(const char *s)
{
	if (host->run.argc == CONF_MAXARGS) {
		conferr("run: too many arguments (at most %d)",
		    CONF_MAXARGS - 1);
		return (-1);
	}
	if ((host->run.argv[host->run.argc] = keep(s)) == NULL)
		return (-1);
	host->run.argc++;
	return (0);
}

/* A copy of a token's string for the configuration to keep. */
static char *
keep(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		conferr("out of memory");
	return (p);
}

/*
 * The lexer's strings live until the parse ends, whatever the grammar
 * did with them: a syntax error leaks nothing, and nothing is freed
 * twice.  They are wiped, as some are passwords.
 */
static char *
token_string(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		return (NULL);
	if (token_keep(p) == -1) {
		free(p);
		return (NULL);
	}
	return (p);
}

/* p is freed when the parse ends. */
static int
token_keep(char *p)
{
	char	**t;
	size_t	  cap;

	if (ntokens == tokcap) {
		cap = tokcap == 0 ? 64 : tokcap * 2;
		if ((t = reallocarray(tokens, cap, sizeof(*t))) == NULL)
			return (-1);
		tokens = t;
		tokcap = cap;
	}
	tokens[ntokens++] = p;
	return (0);
}

void
conf_free(struct conf *c)
{
	struct conf_host	*h;
	struct conf_from	*fr;
	int			 i;

	while ((h = TAILQ_FIRST(&c->hosts)) != NULL) {
		TAILQ_REMOVE(&c->hosts, h, entry);
		while ((fr = TAILQ_FIRST(&h->from)) != NULL) {
			TAILQ_REMOVE(&h->from, fr, entry);
			free(fr);
		}
		for (i = 0; i < h->run.argc; i++)
			free(h->run.argv[i]);
		free(h->run.user);
		free(h->name);
		explicit_bzero(h, sizeof(*h));
		free(h);
	}
	for (i = 0; i < c->nuris; i++)
		free(c->uris[i]);
	free(c->filter);
	explicit_bzero(c, sizeof(*c));
	TAILQ_INIT(&c->hosts);
	c->window = -1;
}

/*
 * Parse path (or fp, named path) into c.  On error, c is empty and err
 * holds one line: FILE:LINE: problem, or FILE: problem.
 */
int
parse_config(const char *path, FILE *fp, int fl, struct conf *c,
    char *err, size_t errsz)
{
	size_t	 n;
	int	 i, rc;

	memset(c, 0, sizeof(*c));
	TAILQ_INIT(&c->hosts);
	c->window = -1;
	conf = c;
	host = NULL;
	flags = fl;
	errbuf = err;
	errlen = errsz;
	errors = 0;
	depth = 0;
	eofsent = 0;
	nmacros = 0;
	expand = NULL;
	if (errsz > 0)
		err[0] = '\0';

	rc = -1;
	if (pushfile(path, fp) == 0) {
		rc = yyparse();
		/* The top file's mode is checked here, once it is read. */
		while (depth > 0)
			if (popfile() == -1 && rc == 0)
				rc = -1;
	}
	if (rc != 0 || errors > 0) {
		if (errors == 0)
			(void)snprintf(err, errsz, "%s: cannot parse", path);
		conf_free(c);
		rc = -1;
	}
	for (i = 0; i < nmacros; i++) {
		free(macros[i].name);
		explicit_bzero(macros[i].value, strlen(macros[i].value));
		free(macros[i].value);
	}
	explicit_bzero(lexbuf, sizeof(lexbuf));
	nmacros = 0;
	for (n = 0; n < ntokens; n++) {
		explicit_bzero(tokens[n], strlen(tokens[n]));
		free(tokens[n]);
	}
	free(tokens);
	tokens = NULL;
	ntokens = tokcap = 0;
	conf = NULL;
	host = NULL;
	return (rc);
}
