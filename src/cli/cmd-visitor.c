/* aupctl visitor: temporary logins for visitors and supply staff, issued
 * with their credentials shown once, listed with the time they have left,
 * and ended. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "aup/clock.h"
#include "aup/util.h"
#include "aup/visitor.h"
#include "cli.h"

enum {
	ISSUE_NAME,
	ISSUE_ORG,
	ISSUE_HOST,
	ISSUE_REASON,
	ISSUE_FROM,
	ISSUE_HOURS,
	ISSUE_UNTIL,
	ISSUE_FIRST,
	ISSUE_MAX,
	ISSUE_COUNT,
	ISSUE_PREFIX,
	ISSUE_ACCEPT,
	ISSUE_SLIP,
};
static const struct cli_option issue_opts[] = {
	[ISSUE_NAME] = { .name = "name",
	    .arg = "NAME",
	    .help = "the visitor's first and last name",
	    .required = true },
	[ISSUE_ORG] = { .name = "org",
	    .arg = "ORG",
	    .help = "their organisation (agency, company)" },
	[ISSUE_HOST] = { .name = "host",
	    .arg = "USER",
	    .help = "the member of staff hosting them" },
	[ISSUE_REASON] = { .name = "reason",
	    .arg = "TEXT",
	    .help = "why they are here" },
	[ISSUE_FROM] = { .name = "from",
	    .arg = "WHEN",
	    .help = "when the login starts (default: now)" },
	[ISSUE_HOURS] = { .name = "hours",
	    .arg = "N",
	    .help = "how long it lasts (default: [visitor] default_hours)",
	    .excl = 1 },
	[ISSUE_UNTIL] = { .name = "until",
	    .arg = "WHEN",
	    .help = "when it ends",
	    .excl = 1 },
	[ISSUE_FIRST] = { .name = "hours-from-first-login",
	    .arg = "N",
	    .help = "it lasts N hours from the first login (not with "
		    "--hours or --until)" },
	[ISSUE_MAX] = { .name = "max-logins",
	    .arg = "N",
	    .help = "it ends after N logins" },
	[ISSUE_COUNT] = { .name = "count",
	    .arg = "N",
	    .help = "make N logins at once (with --prefix)" },
	[ISSUE_PREFIX] = { .name = "prefix",
	    .arg = "P",
	    .help = "their usernames: P1, P2, ..." },
	[ISSUE_ACCEPT] = { .name = "accept-aup",
	    .help = "the visitor has read and accepted the visitors' "
		    "agreement (aupctl aup show visitor)",
	    .required = true },
	[ISSUE_SLIP] = { .name = "slip",
	    .arg = "FILE",
	    .help = "write the login(s) to FILE (mode 0600): .csv for mail "
		    "merge, else slips to print" },
	{ 0 },
};

static const char *const visit_cols[] = { "username", "first", "last", "org",
	"host", "reason", "valid_from", "expires", "logins", "max_logins",
	"left", "status", "password" };
static const enum cell_type visit_types[] = { CELL_KEY, CELL_TEXT, CELL_TEXT,
	CELL_TEXT, CELL_KEY, CELL_TEXT, CELL_TIME, CELL_TIME, CELL_NUM,
	CELL_NUM, CELL_STR, CELL_STR, CELL_KEY };
#define NVISIT (sizeof visit_cols / sizeof visit_cols[0])

struct visit_out {
	struct table *t;
	bool password; /* the column is shown */
};

static int
visit_row(void *arg, const struct aup_visit *v, const char *pw)
{
	struct visit_out *o = arg;
	char from[32], until[32], logins[16], max[16], left[32];
	const char *row[NVISIT] = { v->username, v->first, v->last, v->org,
		v->host, v->reason, from, until, logins,
		v->max_logins > 0 ? max : NULL, left,
		aup_visit_over(v, aup_now()) ? "expired" : "active", pw };

	aup_time_fmt(v->valid_from, from, sizeof from);
	aup_time_fmt(v->expires, until, sizeof until);
	snprintf(logins, sizeof logins, "%d", v->logins);
	snprintf(max, sizeof max, "%d", v->max_logins);
	aup_visit_left(v, aup_now(), left, sizeof left);
	table_row(o->t, row);
	return 0;
}

static int
opt_count(struct cli *c, const char *opt, const char *v, long max, int *out)
{
	long n;

	if (v == NULL)
		return 0;
	if (aup_parse_long(v, 1, max, &n) != 0)
		return cli_usage(c, "--%s is a number from 1 to %ld", opt, max);
	*out = (int)n;
	return 0;
}

static int
visitor_issue(struct cli *c, struct cli_args *a)
{
	struct aup_visit_spec s = { 0 };
	struct visit_out o;
	const char *v;
	int rc;

	s.name = a->val[ISSUE_NAME];
	s.org = a->val[ISSUE_ORG];
	s.host = a->val[ISSUE_HOST];
	s.reason = a->val[ISSUE_REASON];
	s.prefix = a->val[ISSUE_PREFIX];
	s.accept_aup = a->val[ISSUE_ACCEPT] != NULL;
	if ((v = a->val[ISSUE_FROM]) != NULL &&
	    cli_parse_date(c, "--from", v, &s.from) != 0)
		return AUP_EX_USAGE;
	if ((v = a->val[ISSUE_UNTIL]) != NULL &&
	    cli_parse_date(c, "--until", v, &s.until) != 0)
		return AUP_EX_USAGE;
	if ((rc = opt_count(c, "hours", a->val[ISSUE_HOURS], 100000,
		 &s.hours)) != 0 ||
	    (rc = opt_count(c, "hours-from-first-login", a->val[ISSUE_FIRST],
		 100000, &s.first_login_hours)) != 0 ||
	    (rc = opt_count(c, "max-logins", a->val[ISSUE_MAX], 100000,
		 &s.max_logins)) != 0 ||
	    (rc = opt_count(c, "count", a->val[ISSUE_COUNT], 200, &s.count)) !=
		0)
		return rc;
	if ((v = a->val[ISSUE_SLIP]) != NULL) {
		const char *dot = strrchr(v, '.');

		s.slips = v;
		s.slip_format = dot != NULL && strcasecmp(dot, ".csv") == 0 ?
		    AUP_SLIP_CSV :
		    AUP_SLIP_TEXT;
	}
	if (cli_db(c) == NULL)
		return cli_fail(c);
	/* Held until the end: logins that were not all made are none. */
	o.t = table_new(visit_cols, visit_types, NVISIT);
	o.password = true;
	rc = aup_visitor_issue(c->db, &s, visit_row, &o, &c->err);
	if (rc == 0) {
		if (c->format == FMT_TABLE)
			printf("The password is shown this once: give it to "
			       "the visitor%s.\n\n",
			    s.slips != NULL ? ", or the slips" : "");
		/* One login is one record: an object in JSON. */
		if (table_rows(o.t) == 1)
			table_print_record(c, o.t, stdout);
		else
			table_print(c, o.t, stdout);
	}
	table_free(o.t);
	return rc != 0 ? cli_fail(c) : 0;
}

enum { LIST_ACTIVE, LIST_EXPIRED, LIST_ALL };
static const struct cli_option list_opts[] = {
	[LIST_ACTIVE] = { .name = "active",
	    .help = "those who may log in (the default)",
	    .excl = 1 },
	[LIST_EXPIRED] = { .name = "expired",
	    .help = "those whose time or logins are up, or that were ended",
	    .excl = 1 },
	[LIST_ALL] = { .name = "all", .help = "every visit", .excl = 1 },
	{ 0 },
};

static int
visitor_list(struct cli *c, struct cli_args *a)
{
	enum aup_visit_which w = a->val[LIST_EXPIRED] != NULL ?
	    AUP_VISITS_EXPIRED :
	    a->val[LIST_ALL] != NULL ? AUP_VISITS_ALL :
				       AUP_VISITS_ACTIVE;
	struct visit_out o = { table_new(visit_cols, visit_types, NVISIT - 1),
		false };
	int rc;

	if (cli_db(c) == NULL) {
		table_free(o.t);
		return cli_fail(c);
	}
	rc = aup_visitor_list(c->db, w, visit_row, &o, &c->err);
	if (rc == 0 && table_rows(o.t) == 0)
		cli_say(c, "no %svisitor logins\n",
		    w == AUP_VISITS_ACTIVE	? "active " :
			w == AUP_VISITS_EXPIRED ? "expired " :
						  "");
	else if (rc == 0)
		table_print(c, o.t, stdout);
	table_free(o.t);
	return rc != 0 ? cli_fail(c) : 0;
}

int
cli_visits_of(struct cli *c, int64_t user_id, size_t *n)
{
	struct visit_out o = { table_new(visit_cols, visit_types, NVISIT - 1),
		false };
	int rc = aup_visitor_of(c->db, user_id, visit_row, &o, &c->err);

	*n = table_rows(o.t);
	if (rc == 0 && (*n > 0 || c->format != FMT_TABLE))
		table_print(c, o.t, stdout);
	table_free(o.t);
	return rc;
}

static int
visitor_end(struct cli *c, struct cli_args *a)
{
	int rc;

	if (cli_db(c) == NULL)
		return cli_fail(c);
	if ((rc = aup_visitor_end(c->db, a->argv[0], &c->err)) < 0)
		return cli_fail(c);
	cli_say(c,
	    rc == 1 ? "%s's visit had ended already\n" :
		      "%s's visit is ended: they can no longer log in\n",
	    a->argv[0]);
	return 0;
}

static const struct cli_command visitor_issue_entry = {
	.name = "issue",
	.summary = "a temporary login, or several",
	.opts = issue_opts,
	.exec = visitor_issue,
};

static const struct cli_command visitor_list_entry = {
	.name = "list",
	.summary = "visitor logins and the time they have left",
	.opts = list_opts,
	.exec = visitor_list,
};

static const struct cli_command visitor_end_entry = {
	.name = "end",
	.summary = "end a visitor's login now",
	.args = "USER",
	.min_args = 1,
	.max_args = 1,
	.exec = visitor_end,
};

static const struct cli_command *const visitor_cmds[] = {
	&visitor_issue_entry,
	&visitor_list_entry,
	&visitor_end_entry,
	NULL,
};

const struct cli_command cmd_visitor_entry = {
	.name = "visitor",
	.summary = "visitors' temporary logins",
	.subs = visitor_cmds,
};
