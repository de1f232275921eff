/* aupctl password: set, reset, check and the expiry report. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "aup/clock.h"
#include "aup/password.h"
#include "aup/user.h"
#include "aup/util.h"
#include "cli.h"

enum { SET_PASSWORD_STDIN };
static const struct cli_option set_opts[] = {
	[SET_PASSWORD_STDIN] = { .name = "password-stdin",
	    .help = "read the password from standard input (otherwise asked "
		    "twice on the terminal)" },
	{ 0 },
};

static int
pw_set(struct cli *c, struct cli_args *a)
{
	char *pw = NULL;
	int rc;

	if (cli_db(c) == NULL)
		return cli_fail(c);
	if ((rc = cli_read_password(c, a->val[SET_PASSWORD_STDIN] != NULL, true,
		 &pw)) != 0)
		return rc;
	rc = aup_pw_set(c->db, a->argv[0], pw, &c->err);
	aup_secret_free(pw);
	if (rc != 0)
		return cli_fail(c);
	cli_say(c, "password of %s changed\n", a->argv[0]);
	return 0;
}

enum { RESET_SLIP };
static const struct cli_option reset_opts[] = {
	[RESET_SLIP] = { .name = "slip",
	    .arg = "FILE",
	    .help = "write the login slip to FILE (mode 0600) instead of "
		    "showing the password" },
	{ 0 },
};

static int
pw_reset(struct cli *c, struct cli_args *a)
{
	struct handover h;
	struct aup_user *u = NULL;
	char *pw = NULL;
	int rc;

	if (cli_db(c) == NULL)
		return cli_fail(c);
	if ((rc = handover_begin(c, &h, a->val[RESET_SLIP])) != 0)
		return rc;
	if (aup_pw_reset(c->db, a->argv[0], &pw, &c->err) != 0 ||
	    aup_user_find(c->db, a->argv[0], &u, &c->err) != 0) {
		aup_secret_free(pw);
		handover_abort(c, &h);
		return cli_fail(c);
	}
	rc = hand_over(c, &h, u, pw);
	aup_secret_free(pw);
	aup_user_free(u);
	return rc;
}

enum { CHECK_USER, CHECK_ROLE };
static const struct cli_option check_opts[] = {
	[CHECK_USER] = { .name = "user",
	    .arg = "USER",
	    .help = "check against this person's role and names" },
	[CHECK_ROLE] = { .name = "role",
	    .arg = "R",
	    .help = "check against this role's policy (default: staff)" },
	{ 0 },
};

static int
pw_check(struct cli *c, struct cli_args *a)
{
	const char *ref = a->val[CHECK_USER], *role = a->val[CHECK_ROLE];
	struct aup_user *u = NULL;
	struct aup_pw_verdict v;
	int r = AUP_ROLE_STAFF, rc;
	char *pw = NULL;

	if (role != NULL && cli_parse_role(c, role, &r) != 0)
		return AUP_EX_USAGE;
	if (cli_db(c) == NULL)
		return cli_fail(c);
	if (ref != NULL && aup_user_find(c->db, ref, &u, &c->err) != 0)
		return cli_fail(c);
	/* A pipe gives the password; a terminal asks once. */
	if ((rc = cli_read_password(c, !isatty(STDIN_FILENO), false, &pw)) !=
	    0) {
		aup_user_free(u);
		return rc;
	}
	rc = aup_pw_check(c->db, u, (enum aup_role)r, pw, &v, &c->err);
	aup_secret_free(pw);
	aup_user_free(u);
	if (rc != 0) {
		/* A rejection is the answer to the question, not a failure. */
		if (v.rule == AUP_PW_RULE_NONE)
			return cli_fail(c);
		printf("rejected: %s\n", v.reason);
		if (c->err.hint[0] && !c->quiet)
			printf("hint: %s\n", c->err.hint);
		return AUP_EX_ATTENTION;
	}
	printf("accepted\n");
	return 0;
}

enum { EXPIRED_WITHIN, EXPIRED_MARK };
static const struct cli_option expired_opts[] = {
	[EXPIRED_WITHIN] = { .name = "within",
	    .arg = "DAYS",
	    .help = "also list passwords expiring within DAYS" },
	[EXPIRED_MARK] = { .name = "mark",
	    .help = "make people with an expired password change it "
		    "(must_change)" },
	{ 0 },
};

static int
pw_expired(struct cli *c, struct cli_args *a)
{
	static const char *const cols[] = { "username", "first", "last", "role",
		"state", "changed", "expires" };
	static const enum cell_type types[] = { CELL_KEY, CELL_TEXT, CELL_TEXT,
		CELL_STR, CELL_STR, CELL_TIME, CELL_TIME };
	const char *within = a->val[EXPIRED_WITHIN];
	struct aup_user_list l;
	struct table *t;
	time_t now = aup_now();
	long days = 0;
	size_t found;

	if (within != NULL && aup_parse_long(within, 0, 3650, &days) != 0)
		return cli_usage(c,
		    "--within takes a number of days from 0 to 3650");
	if (cli_db(c) == NULL ||
	    aup_pw_expired(c->db, (int)days, a->val[EXPIRED_MARK] != NULL, &l,
		&c->err) != 0)
		return cli_fail(c);
	t = table_new(cols, types, 7);
	for (size_t i = 0; i < l.n; i++) {
		const struct aup_user *u = &l.v[i];
		char changed[32], expires[32];
		time_t end;
		enum aup_pw_state st = aup_pw_state(aup_db_config(c->db), u,
		    now, (int)days, &end);
		const char *row[7];

		aup_date_fmt(u->pw_changed, changed, sizeof changed);
		aup_date_fmt(end, expires, sizeof expires);
		row[0] = u->username;
		row[1] = u->first;
		row[2] = u->last;
		row[3] = aup_role_name(u->role);
		row[4] = aup_pw_state_name(st);
		row[5] = changed;
		row[6] = expires;
		table_row(t, row);
	}
	if (l.n == 0 && c->format == FMT_TABLE)
		cli_say(c, "no passwords %s\n",
		    days ? "expired or expiring" : "expired");
	else
		table_print(c, t, stdout);
	table_free(t);
	found = l.n;
	aup_user_list_free(&l);
	return found > 0 ? AUP_EX_ATTENTION : 0;
}

static const struct cli_command pw_set_entry = {
	.name = "set",
	.summary = "set a password, after the policy check",
	.args = "USER",
	.opts = set_opts,
	.min_args = 1,
	.max_args = 1,
	.exec = pw_set,
};

static const struct cli_command pw_reset_entry = {
	.name = "reset",
	.summary = "give a new generated password, to be changed at first "
		   "login",
	.args = "USER",
	.opts = reset_opts,
	.min_args = 1,
	.max_args = 1,
	.exec = pw_reset,
};

static const struct cli_command pw_check_entry = {
	.name = "check",
	.summary = "say whether policy accepts a password read on stdin, and "
		   "why not",
	.opts = check_opts,
	.exec = pw_check,
};

static const struct cli_command pw_expired_entry = {
	.name = "expired",
	.summary = "expired (and soon expiring) passwords",
	.opts = expired_opts,
	.exec = pw_expired,
};

static const struct cli_command *const password_cmds[] = {
	&pw_set_entry,
	&pw_reset_entry,
	&pw_check_entry,
	&pw_expired_entry,
	NULL,
};

const struct cli_command cmd_password_entry = {
	.name = "password",
	.summary = "set, reset, check passwords; expiry",
	.subs = password_cmds,
};
