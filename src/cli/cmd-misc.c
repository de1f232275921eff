/* aupctl init, log, db and check: the database as a whole and the nightly
 * job. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/check.h"
#include "aup/clock.h"
#include "aup/log.h"
#include "aup/password.h"
#include "aup/user.h"
#include "aup/util.h"
#include "cli.h"

enum { INIT_SCHOOL, INIT_FINAL_YEAR };
static const struct cli_option init_opts[] = {
	[INIT_SCHOOL] = { .name = "school",
	    .arg = "NAME",
	    .help = "the school's name (default: [school] name)" },
	[INIT_FINAL_YEAR] = { .name = "final-year",
	    .arg = "N",
	    .help = "the oldest year group taught: 6 for a primary, 11 or 13 "
		    "for a secondary (default: [school] final_year, or 6)" },
	{ 0 },
};

static int
cmd_init(struct cli *c, struct cli_args *a)
{
	const char *school = a->val[INIT_SCHOOL];
	const char *fy = a->val[INIT_FINAL_YEAR];
	long final = 0;

	if (fy != NULL && aup_parse_long(fy, 1, 13, &final) != 0)
		return cli_usage(c,
		    "--final-year takes a year group from 1 to 13");
	if (c->cfg == NULL &&
	    (c->cfg = aup_config_load(c->config_path, &c->err)) == NULL)
		return cli_fail(c);
	if (school == NULL)
		school = c->cfg->school_name;
	if (school == NULL) {
		aup_strlcpy(c->err.hint,
		    "aupctl init --school \"Name of "
		    "School\"",
		    sizeof c->err.hint);
		return cli_usage(c, "the school needs a name");
	}
	if (final == 0)
		final = c->cfg->final_year ? c->cfg->final_year : 6;
	if (cli_db_create(c) == NULL)
		return cli_fail(c);
	if (aup_db_init(c->db, school, (int) final, &c->err) != 0) {
		int rc = cli_fail(c);

		aup_db_discard(c->db);
		c->db = NULL;
		return rc;
	}
	cli_say(c, "created %s for %s\n", aup_db_path(c->db), school);
	return 0;
}

enum { LOG_USER, LOG_SINCE, LOG_VERIFY };
static const struct cli_option log_opts[] = {
	[LOG_USER] = { .name = "user",
	    .arg = "USER",
	    .help = "only entries about this person" },
	[LOG_SINCE] = { .name = "since",
	    .arg = "D",
	    .help = "only entries from the date D on" },
	[LOG_VERIFY] = { .name = "verify",
	    .help = "check the hash chain instead of listing" },
	{ 0 },
};

static int
cmd_log(struct cli *c, struct cli_args *a)
{
	const char *ref = a->val[LOG_USER], *since = a->val[LOG_SINCE];
	struct aup_log_list l;
	struct table *t;
	int64_t uid = 0;
	time_t from = 0;

	if (since != NULL && cli_parse_date(c, "since", since, &from) != 0)
		return AUP_EX_USAGE;
	if (cli_db(c) == NULL)
		return cli_fail(c);
	if (a->val[LOG_VERIFY] != NULL) {
		int64_t n, bad;
		if (aup_log_verify(c->db, &n, &bad, &c->err) != 0)
			return cli_fail(c);
		cli_say(c,
		    "audit log verified: %" PRId64 " entries, chain intact\n",
		    n);
		return 0;
	}
	if (ref != NULL) {
		struct aup_user *u;
		if (aup_user_find(c->db, ref, &u, &c->err) != 0)
			return cli_fail(c);
		uid = u->id;
		aup_user_free(u);
	}
	if (aup_log_list(c->db, uid, from, &l, &c->err) != 0)
		return cli_fail(c);
	t = log_table(&l);
	table_print(c, t, stdout);
	table_free(t);
	aup_log_list_free(&l);
	return 0;
}

static int
db_backup(struct cli *c, struct cli_args *a)
{
	if (cli_db(c) == NULL || aup_db_backup(c->db, a->argv[0], &c->err) != 0)
		return cli_fail(c);
	cli_say(c, "backed up %s to %s\n", aup_db_path(c->db), a->argv[0]);
	return 0;
}

/* The database's part of a report as db check prints it: every line, or
 * with PROBLEMS only the ones that failed. */
static void
db_report_print(const struct aup_db_report *r, bool problems)
{
	if (!problems || !r->integrity_ok)
		printf("integrity:    %s\n",
		    r->integrity_ok ? "ok" : r->integrity);
	if (!problems || r->fk_violations != 0) {
		if (r->fk_violations != 0)
			printf("foreign keys: %ld broken references\n",
			    r->fk_violations);
		else
			printf("foreign keys: ok\n");
	}
	if (r->log_ok && !problems)
		printf("audit log:    ok (%" PRId64 " entries)\n",
		    r->log_entries);
	else if (!r->log_ok)
		printf("audit log:    %s\n", r->log_problem);
}

static bool
db_report_ok(const struct aup_db_report *r)
{
	return r->integrity_ok && r->fk_violations == 0 && r->log_ok;
}

static int
db_check(struct cli *c, struct cli_args *a)
{
	struct aup_db_report r;
	bool ok;

	(void)a;
	if (cli_db(c) == NULL || aup_db_check(c->db, &r, &c->err) != 0)
		return cli_fail(c);
	ok = db_report_ok(&r);
	if (!c->quiet || !ok)
		db_report_print(&r, false);
	return ok ? 0 : AUP_EX_ATTENTION;
}

static const struct cli_command db_backup_entry = {
	.name = "backup",
	.summary = "copy the database while it is in use",
	.args = "FILE",
	.min_args = 1,
	.max_args = 1,
	.exec = db_backup,
};

static const struct cli_command db_check_entry = {
	.name = "check",
	.summary = "integrity, foreign keys and the audit log chain",
	.exec = db_check,
};

static const struct cli_command *const db_cmds[] = {
	&db_backup_entry,
	&db_check_entry,
	NULL,
};

const struct cli_command cmd_db_entry = {
	.name = "db",
	.summary = "backup and integrity check",
	.subs = db_cmds,
};

enum { CHECK_MARK };
static const struct cli_option check_opts[] = {
	[CHECK_MARK] = { .name = "mark",
	    .help = "act on what is found: expired passwords must change, "
		    "ended suspensions are lifted" },
	{ 0 },
};

static const char *const check_cols[] = { "issue", "username", "first", "last",
	"detail" };
static const enum cell_type check_types[] = { CELL_STR, CELL_KEY, CELL_TEXT,
	CELL_TEXT, CELL_STR };

/* The findings of kind K in R as rows of T. */
static void
check_rows(struct table *t, const struct aup_check_report *r,
    enum aup_check_kind k, const struct aup_config *cfg)
{
	const struct aup_user_list *l = &r->found[k];
	time_t now = aup_now();

	for (size_t i = 0; i < l->n; i++) {
		const struct aup_user *u = &l->v[i];
		char detail[64];
		const char *row[5];

		aup_check_detail(cfg, k, u, now, detail, sizeof detail);
		row[0] = aup_check_kind_name(k);
		row[1] = u->username;
		row[2] = u->first;
		row[3] = u->last;
		row[4] = detail;
		table_row(t, row);
	}
}

/* The agreements not signed, a row a role, as rows of T for machines. */
static void
check_unsigned_rows(struct table *t, const struct aup_check_report *r,
    const struct aup_config *cfg)
{
	time_t now = aup_now();

	for (size_t i = 0; i < r->aup.nroles; i++) {
		const struct aup_audit_count *c = &r->aup.roles[i];
		char detail[128];
		const char *row[5] = { aup_check_kind_name(AUP_CHECK_UNSIGNED),
			"", "", "", detail };

		if (c->signed_n == c->total)
			continue;
		aup_check_unsigned_detail(cfg, c, now, detail, sizeof detail);
		table_row(t, row);
	}
}

/* The same for people: the kind's title, the count, a line a role and
 * where the names are. */
static void
check_unsigned_section(const struct aup_check_report *r,
    const struct aup_config *cfg)
{
	int64_t n = r->aup.total - r->aup.signed_n;
	time_t now = aup_now();

	if (n == 0)
		return;
	printf("%s (%lld):\n", aup_check_kind_title(AUP_CHECK_UNSIGNED, false),
	    (long long)n);
	for (size_t i = 0; i < r->aup.nroles; i++) {
		char detail[128];

		if (r->aup.roles[i].signed_n == r->aup.roles[i].total)
			continue;
		aup_check_unsigned_detail(cfg, &r->aup.roles[i], now, detail,
		    sizeof detail);
		printf("  %s\n", detail);
	}
	printf("  (aupctl aup audit lists them, --summary by class)\n\n");
}

/* People past retention: a row for machines, a line for people. */
static void
check_purge(struct table *t, const struct aup_check_report *r)
{
	char detail[96];
	const char *row[5] = { "purge-due", "", "", "", detail };

	if (r->purge_due == 0)
		return;
	snprintf(detail, sizeof detail, "%lld past [retention]: aupctl purge",
	    (long long)r->purge_due);
	if (t != NULL)
		table_row(t, row);
	else
		printf("People past their retention, to purge (%lld): aupctl "
		       "purge --dry-run lists them\n\n",
		    (long long)r->purge_due);
}

/* A section of the report for people: the kind's title, its count and a
 * table; what --mark would do is offered when it was not given. MARKED:
 * --mark changed something in it. */
static void
check_section(const struct aup_check_report *r, enum aup_check_kind k,
    bool marked, const struct aup_config *cfg)
{
	const char *action = aup_check_kind_action(k);
	struct cli tc = { .format = FMT_TABLE };
	struct table *t;

	if (r->found[k].n == 0)
		return;
	printf("%s", aup_check_kind_title(k, marked));
	if (!marked && action != NULL)
		printf(" (%s with --mark)", action);
	printf(" (%zu):\n", r->found[k].n);
	t = table_new(check_cols, check_types, 5);
	check_rows(t, r, k, cfg);
	table_print(&tc, t, stdout);
	table_free(t);
	putchar('\n');
}

/* The database's problems as rows of T, for machines. */
static void
check_db_rows(struct table *t, const struct aup_db_report *r)
{
	char n[32];
	const char *row[5] = { NULL, "", "", "", NULL };

	if (!r->integrity_ok) {
		row[0] = "integrity";
		row[4] = r->integrity;
		table_row(t, row);
	}
	if (r->fk_violations != 0) {
		snprintf(n, sizeof n, "%ld broken references",
		    r->fk_violations);
		row[0] = "foreign-keys";
		row[4] = n;
		table_row(t, row);
	}
	if (!r->log_ok) {
		row[0] = "audit-log";
		row[4] = r->log_problem;
		table_row(t, row);
	}
}

static int
cmd_check(struct cli *c, struct cli_args *a)
{
	struct aup_check_report r;
	bool mark = a->val[CHECK_MARK] != NULL, db_ok;
	const struct aup_config *cfg;
	size_t n;

	if (cli_db(c) == NULL || aup_check_run(c->db, mark, &r, &c->err) != 0)
		return cli_fail(c);
	cfg = aup_db_config(c->db);
	n = aup_check_count(&r);
	db_ok = aup_check_db_ok(&r);
	if (c->format != FMT_TABLE) {
		struct table *t = table_new(check_cols, check_types, 5);

		check_db_rows(t, &r.db);
		for (int k = 0; k < AUP_CHECK_KIND_COUNT; k++)
			check_rows(t, &r, (enum aup_check_kind)k, cfg);
		check_unsigned_rows(t, &r, cfg);
		check_purge(t, &r);
		table_print(c, t, stdout);
		table_free(t);
	} else if (n == 0 && db_ok)
		cli_say(c, "nothing needs attention\n");
	else {
		if (!db_ok) {
			printf("The database failed its check (see aupctl db "
			       "check):\n");
			db_report_print(&r.db, true);
			putchar('\n');
		}
		for (int k = 0; k < AUP_CHECK_KIND_COUNT; k++)
			check_section(&r, (enum aup_check_kind)k,
			    mark && r.acted[k] > 0, cfg);
		check_unsigned_section(&r, cfg);
		check_purge(NULL, &r);
	}
	aup_check_clear(&r);
	return n > 0 || !db_ok ? AUP_EX_ATTENTION : 0;
}

const struct cli_command cmd_init_entry = {
	.name = "init",
	.summary = "create the database",
	.opts = init_opts,
	.exec = cmd_init,
};

const struct cli_command cmd_check_entry = {
	.name = "check",
	.summary = "the nightly job: what needs attention",
	.opts = check_opts,
	.exec = cmd_check,
};

const struct cli_command cmd_log_entry = {
	.name = "log",
	.summary = "the audit log",
	.opts = log_opts,
	.exec = cmd_log,
};
