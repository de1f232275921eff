/* aupctl auth: the login helper for the school's other systems. squid's
 * basic authentication helper protocol (one request a line, optional
 * concurrency channel, URL-encoded fields) and pam_exec expose_authtok. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/password.h"
#include "aup/util.h"
#include "cli.h"

#define LINE_MAX_BYTES	8192

enum { AUTH_PROTOCOL };
static const struct cli_option auth_opts[] = {
	[AUTH_PROTOCOL] = { .name = "protocol", .arg = "squid|pam",
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
				return -1;	/* %00 would cut the field short */
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

static void
squid_request(struct cli *c, char *line, enum squid_mode *mode)
{
	char *tok[3] = { NULL }, *rest = line, *channel = NULL, *user, *pw;
	enum aup_auth_result r;
	int n = 0;

	/* Fields one space apart, empty ones kept; fields after the password
	 * are squid's key_extras, not used. */
	while (rest != NULL && n < 3)
		tok[n++] = strsep(&rest, " ");
	if (*mode == MODE_UNKNOWN && n >= 2 && *tok[0] != '\0') {
		if (!all_digits(tok[0]))
			*mode = MODE_PLAIN;
		else if (n == 3)
			*mode = MODE_CHANNEL;
		/* "12 word" is left open: a digits-only user, or a channel
		 * request short of its password. Answered as the former. */
	}
	if (*mode == MODE_CHANNEL && all_digits(tok[0])) {
		channel = tok[0];
		user = tok[1];
		pw = tok[2];
	} else {
		user = *mode == MODE_CHANNEL ? NULL : tok[0];
		pw = tok[1];
	}
	if (user == NULL || pw == NULL || url_decode(user) != 0 ||
	    url_decode(pw) != 0) {
		reply(channel, "BH", "malformed request: expected 'user "
		    "password'");
		return;
	}
	if (aup_auth(c->db, user, pw, &r, &c->err) != 0) {
		fprintf(stderr, "aupctl: auth: %s\n", c->err.msg);
		reply(channel, "BH", "internal error; see the helper's log");
	} else if (r == AUP_AUTH_OK)
		reply(channel, "OK", NULL);
	else
		reply(channel, "ERR", aup_auth_message(r));
	explicit_bzero(pw, strlen(pw));
}

static int
squid(struct cli *c)
{
	char *line = xmalloc(LINE_MAX_BYTES), channel[24];
	enum squid_mode mode = MODE_UNKNOWN;

	while (fgets(line, LINE_MAX_BYTES, stdin) != NULL) {
		size_t len = strcspn(line, "\r\n");

		if (line[len] == '\0' && !feof(stdin)) {
			/* Longer than any sane request: drop the rest, but
			 * answer on its channel. */
			size_t d = strspn(line, "0123456789");
			int ch;

			while ((ch = getchar()) != EOF && ch != '\n')
				;
			if (mode == MODE_CHANNEL && d > 0 &&
			    d < sizeof channel && line[d] == ' ')
				snprintf(channel, sizeof channel, "%.*s", (int)d,
				    line);
			else
				channel[0] = '\0';
			explicit_bzero(line, LINE_MAX_BYTES);
			reply(channel[0] ? channel : NULL, "BH",
			    "request too long");
			continue;
		}
		line[len] = '\0';
		squid_request(c, line, &mode);
	}
	explicit_bzero(line, LINE_MAX_BYTES);
	free(line);
	return 0;
}

static int
pam(struct cli *c)
{
	const char *user = getenv("PAM_USER"), *type = getenv("PAM_TYPE");
	enum aup_auth_result r;
	char *pw = NULL;
	int rc;

	if (user == NULL || *user == '\0')
		return cli_usage(c, "PAM_USER is not set: run this from pam_exec");
	/* Sessions need nothing from aupctl and must not count as failed
	 * logins; a password change goes through aupctl password set. */
	if (type != NULL && (strcmp(type, "open_session") == 0 ||
	    strcmp(type, "close_session") == 0))
		return 0;
	if (type != NULL && strcmp(type, "password") == 0) {
		aup_err_set(&c->err, AUP_EX_UNAVAILABLE, "passwords are not "
		    "changed through PAM");
		aup_err_hint(&c->err, "use 'aupctl password set USER'; list "
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
		rc = aup_auth(c->db, user, pw, &r, &c->err);
		aup_secret_free(pw);
	}
	if (rc != 0)
		return cli_fail(c);
	if (r == AUP_AUTH_OK)
		return 0;
	fprintf(stderr, "aupctl: auth: %s: %s\n", user, aup_auth_message(r));
	return r == AUP_AUTH_BAD ? AUP_EX_ATTENTION : AUP_EX_UNAVAILABLE;
}

static int
cmd_auth(struct cli *c, struct cli_args *a)
{
	const char *proto = a->val[AUTH_PROTOCOL];

	if (proto != NULL && strcmp(proto, "squid") != 0 &&
	    strcmp(proto, "pam") != 0) {
		aup_strlcpy(c->err.hint, "use --protocol squid or --protocol pam",
		    sizeof c->err.hint);
		return cli_usage(c, "unknown protocol '%s'", proto);
	}
	if (cli_db(c) == NULL)
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
