/* aupctl auth: the login helper for the school's other systems. squid's
 * basic authentication helper protocol (one request a line, optional
 * concurrency channel, URL-encoded fields, the client address as the first
 * key_extras field) and pam_exec expose_authtok. Requests are read with
 * read(2) into a buffer of our own, wiped after each, never into stdio's. */
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aup/password.h"
#include "aup/util.h"
#include "cli.h"

#define LINE_MAX_BYTES 8192

enum { AUTH_PROTOCOL };
static const struct cli_option auth_opts[] = {
	[AUTH_PROTOCOL] = { .name = "protocol",
	    .arg = "squid|pam",
	    .help = "squid (default): requests on stdin, answers on stdout; "
		    "pam: for pam_exec expose_authtok" },
	{ 0 },
};

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Decode %XX escapes in place (RFC 1738, as squid sends them). */
static int
url_decode(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++) {
		if (*s == '%') {
			int hi = hexval((unsigned char)s[1]), lo;
			if (hi < 0 || (lo = hexval((unsigned char)s[2])) < 0)
				return -1;
			if (hi == 0 && lo == 0)
				return -1; /* %00 would cut the field short */
			*w++ = (char)(hi << 4 | lo);
			s += 2;
		} else
			*w++ = *s;
	}
	*w = '\0';
	return 0;
}

static void
reply(const char *channel, const char *word, const char *msg)
{
	if (channel != NULL)
		printf("%s ", channel);
	if (msg != NULL)
		printf("%s message=\"%s\"\n", word, msg);
	else
		printf("%s\n", word);
	fflush(stdout);
}

/* A client address as given (squid's %>a, PAM_RHOST) in its canonical
 * form in BUF, or NULL when S is not an IPv4 or IPv6 address. */
static const char *
client_addr(const char *s, char *buf, size_t size)
{
	unsigned char a[16];

	if (s == NULL)
		return NULL;
	if (inet_pton(AF_INET, s, a) == 1)
		return inet_ntop(AF_INET, a, buf, (socklen_t)size);
	if (inet_pton(AF_INET6, s, a) == 1)
		return inet_ntop(AF_INET6, a, buf, (socklen_t)size);
	return NULL;
}

/*
 * Whether squid sends a concurrency channel id first is its configuration,
 * fixed for the helper's life: the first request that shows it tells.
 * Three or more fields led by a number mean channels ("0 user password");
 * two or more led by anything else mean none. A username of
 * digits only with key_extras and no concurrency would read as a channel;
 * squid never mixes the two.
 */
enum squid_mode { MODE_UNKNOWN, MODE_PLAIN, MODE_CHANNEL };

static bool
all_digits(const char *s)
{
	return *s != '\0' && s[strspn(s, "0123456789")] == '\0';
}

/* The channel id at the start of LINE, into BUF, for a request answered
 * without being parsed; NULL when there is none. */
static const char *
line_channel(const char *line, enum squid_mode mode, char *buf, size_t size)
{
	size_t d = strspn(line, "0123456789");

	if (mode != MODE_CHANNEL || d == 0 || d >= size || line[d] != ' ')
		return NULL;
	snprintf(buf, size, "%.*s", (int)d, line);
	return buf;
}

static void
squid_request(struct cli *c, char *line, enum squid_mode *mode)
{
	char *tok[4] = { NULL }, *rest = line, *channel = NULL, *user, *pw;
	char *extra, addr[INET6_ADDRSTRLEN];
	enum aup_auth_result r;
	int n = 0;

	/* Fields one space apart, empty ones kept; of the fields after the
	 * password (squid's key_extras) the first may be the client's
	 * address (%>a). */
	while (rest != NULL && n < 4)
		tok[n++] = strsep(&rest, " ");
	if (*mode == MODE_UNKNOWN && n >= 2 && *tok[0] != '\0') {
		if (!all_digits(tok[0]))
			*mode = MODE_PLAIN;
		else if (n >= 3)
			*mode = MODE_CHANNEL;
		/* "12 word" is left open: a digits-only user, or a channel
		 * request short of its password. Answered as the former. */
	}
	if (*mode == MODE_CHANNEL && all_digits(tok[0])) {
		channel = tok[0];
		user = tok[1];
		pw = tok[2];
		extra = tok[3];
	} else {
		user = *mode == MODE_CHANNEL ? NULL : tok[0];
		pw = tok[1];
		extra = tok[2];
		if (extra != NULL && (rest = strchr(extra, ' ')) != NULL)
			*rest = '\0';
	}
	if (user == NULL || pw == NULL || url_decode(user) != 0 ||
	    url_decode(pw) != 0) {
		reply(channel, "BH",
		    "malformed request: expected 'user password'");
		return;
	}
	/* Extras that are not an address are someone else's business. */
	if (extra != NULL && url_decode(extra) != 0)
		extra = NULL;
	if (aup_auth_from(c->db, user, pw,
		client_addr(extra, addr, sizeof addr), &r, &c->err) != 0) {
		char safe[4 * sizeof c->err.msg];

		fprintf(stderr, "aupctl: auth: %s\n",
		    aup_str_safe(c->err.msg, safe, sizeof safe));
		reply(channel, "BH", "internal error; see the helper's log");
	} else if (r == AUP_AUTH_OK)
		reply(channel, "OK", NULL);
	else
		reply(channel, "ERR", aup_auth_message(r));
}

/*
 * Requests as they arrive, one line at a time, in a buffer no one else
 * copies: BUF holds LEN bytes read and not yet answered. A line that does
 * not fit is answered and the rest of it dropped (SKIP).
 */
struct reader {
	char buf[LINE_MAX_BYTES];
	size_t len;
	bool eof;
	bool skip;
};

enum { LINE_OK, LINE_LONG, LINE_END };

/* The next line, terminated in place at *LINE, *N bytes long (a NUL in it
 * shows as strlen(*LINE) < *N); LINE_LONG gives its start. */
static int
next_line(struct reader *r, char **line, size_t *n)
{
	for (;;) {
		char *nl = memchr(r->buf, '\n', r->len);
		ssize_t got;

		if (r->skip) {
			if (nl != NULL) {
				r->skip = false;
				*n = (size_t)(nl - r->buf);
				return LINE_END; /* dropped as a line */
			}
			explicit_bzero(r->buf, r->len);
			r->len = 0;
		} else if (nl == NULL && r->len == sizeof r->buf) {
			r->buf[r->len - 1] = '\0';
			*line = r->buf;
			*n = r->len;
			r->skip = true;
			return LINE_LONG;
		} else if (nl != NULL || (r->eof && r->len > 0)) {
			*n = nl != NULL ? (size_t)(nl - r->buf) : r->len;
			r->buf[*n] = '\0';
			*line = r->buf;
			return LINE_OK;
		}
		if (r->eof)
			return -1;
		got = read(STDIN_FILENO, r->buf + r->len,
		    sizeof r->buf - r->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			r->eof = true;
		else
			r->len += (size_t)got;
	}
}

/* Drop the line of N bytes just answered (and its newline), wiping it. */
static void
consume(struct reader *r, size_t n)
{
	size_t used = n < r->len ? n + 1 : r->len;

	memmove(r->buf, r->buf + used, r->len - used);
	explicit_bzero(r->buf + r->len - used, used);
	r->len -= used;
}

static int
squid(struct cli *c)
{
	struct reader *r = xcalloc(1, sizeof *r);
	enum squid_mode mode = MODE_UNKNOWN;
	char channel[24], *line;
	size_t n, len;
	int kind;

	while ((kind = next_line(r, &line, &n)) >= 0) {
		if (kind == LINE_END) {
			consume(r, n);
			continue;
		}
		if (kind == LINE_LONG) {
			/* Longer than any sane request: answered on its
			 * channel, the rest dropped as it comes. */
			reply(line_channel(line, mode, channel, sizeof channel),
			    "BH", "request too long");
			explicit_bzero(r->buf, r->len);
			r->len = 0;
			continue;
		}
		len = n;
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (strlen(line) != len)
			/* A NUL: answered alone, the framing kept. */
			reply(line_channel(line, mode, channel, sizeof channel),
			    "BH",
			    "malformed request: expected 'user password'");
		else
			squid_request(c, line, &mode);
		consume(r, n);
	}
	explicit_bzero(r, sizeof *r);
	free(r);
	return 0;
}

static int
pam(struct cli *c)
{
	const char *user = getenv("PAM_USER"), *type = getenv("PAM_TYPE");
	char addr[INET6_ADDRSTRLEN], safe[4 * 256 + 1];
	enum aup_auth_result r;
	char *pw = NULL;
	int rc;

	if (user == NULL || *user == '\0')
		return cli_usage(c,
		    "PAM_USER is not set: run this from pam_exec");
	/* Sessions need nothing from aupctl and must not count as failed
	 * logins; a password change goes through aupctl password set. */
	if (type != NULL &&
	    (strcmp(type, "open_session") == 0 ||
		strcmp(type, "close_session") == 0))
		return 0;
	if (type != NULL && strcmp(type, "password") == 0) {
		aup_err_set(&c->err, AUP_EX_UNAVAILABLE,
		    "passwords are not changed through PAM");
		aup_err_hint(&c->err,
		    "use 'aupctl password set USER'; list "
		    "aupctl only under auth and account in the PAM stack");
		return cli_fail(c);
	}
	if (type != NULL && *type != '\0' && strcmp(type, "auth") != 0 &&
	    strcmp(type, "account") != 0)
		return cli_usage(c, "unknown PAM_TYPE '%s'", type);
	if (type != NULL && strcmp(type, "account") == 0)
		rc = aup_auth_account(c->db, user, &r, &c->err);
	else {
		if ((rc = cli_read_password(c, true, false, &pw)) != 0)
			return rc;
		rc = aup_auth_from(c->db, user, pw,
		    client_addr(getenv("PAM_RHOST"), addr, sizeof addr), &r,
		    &c->err);
		aup_secret_free(pw);
	}
	if (rc != 0)
		return cli_fail(c);
	if (r == AUP_AUTH_OK)
		return 0;
	/* PAM_USER is whatever was typed at a login prompt. */
	fprintf(stderr, "aupctl: auth: %s: %s\n",
	    aup_str_safe(user, safe, sizeof safe), aup_auth_message(r));
	return r == AUP_AUTH_BAD || r == AUP_AUTH_LOCKED ? AUP_EX_ATTENTION :
							   AUP_EX_UNAVAILABLE;
}

static int
cmd_auth(struct cli *c, struct cli_args *a)
{
	const char *proto = a->val[AUTH_PROTOCOL];

	if (proto != NULL && strcmp(proto, "squid") != 0 &&
	    strcmp(proto, "pam") != 0) {
		aup_strlcpy(c->err.hint,
		    "use --protocol squid or --protocol pam",
		    sizeof c->err.hint);
		return cli_usage(c, "unknown protocol '%s'", proto);
	}
	/* Refused at the start, not with BH to every request. */
	if (cli_db(c) == NULL || aup_auth_permitted(c->db, &c->err) != 0)
		return cli_fail(c);
	if (proto != NULL && strcmp(proto, "pam") == 0)
		return pam(c);
	return squid(c);
}

const struct cli_command cmd_auth_entry = {
	.name = "auth",
	.summary = "authentication helper for squid and PAM",
	.opts = auth_opts,
	.exec = cmd_auth,
};
