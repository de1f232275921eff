/* aupctl user: add, list, show, edit, suspend, reactivate and export. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/clock.h"
#include "aup/log.h"
#include "aup/password.h"
#include "aup/record.h"
#include "aup/user.h"
#include "aup/util.h"
#include "cli.h"

static const char *const list_cols[] = { "id", "username", "first", "last",
	"role", "year", "ks", "class", "status" };
static const enum cell_type list_types[] = { CELL_NUM, CELL_KEY, CELL_TEXT,
	CELL_TEXT, CELL_STR, CELL_STR, CELL_STR, CELL_STR, CELL_STR };
#define NLIST (sizeof list_cols / sizeof list_cols[0])

/*
 * The columns a list row and a full record begin with, the same in both:
 * id (formatted into ID) to class, from a person read whole (U) or a list
 * row (R). Returns how many were filled.
 */
static size_t
person_cells(const char **row, char *id, size_t idsize,
    const struct aup_user *u, const struct aup_user_row *r)
{
	snprintf(id, idsize, "%" PRId64, u ? u->id : r->id);
	row[0] = id;
	row[1] = u ? u->username : r->username;
	row[2] = u ? u->first : r->first;
	row[3] = u ? u->last : r->last;
	row[4] = aup_role_name(u ? u->role : r->role);
	row[5] = aup_year_name(u ? u->year : r->year);
	row[6] = aup_ks_name(aup_ks_of_year(u ? u->year : r->year));
	row[7] = u ? u->class_name : r->class_name;
	return 8;
}

static int
list_row(void *arg, const struct aup_user_row *r)
{
	char id[24];
	const char *row[NLIST];
	size_t n = person_cells(row, id, sizeof id, NULL, r);

	row[n] = aup_status_name(aup_user_row_status_now(r, aup_now()));
	table_stream_row(arg, row);
	return 0;
}

static const char *const show_cols[] = { "id", "username", "first", "last",
	"role", "year", "ks", "class", "mis_id", "email", "status",
	"status_reason", "status_until", "created", "updated", "password",
	"password_changed", "password_expires", "must_change", "failed_logins",
	"locked_until", "last_login", "account_expires", "legal_first",
	"legal_last", "aup_year", "aup_form", "aup", "aup_signed" };
static const enum cell_type show_types[] = { CELL_NUM, CELL_KEY, CELL_TEXT,
	CELL_TEXT, CELL_STR, CELL_STR, CELL_STR, CELL_STR, CELL_KEY, CELL_KEY,
	CELL_STR, CELL_TEXT, CELL_TIME, CELL_TIME, CELL_TIME, CELL_STR,
	CELL_TIME, CELL_TIME, CELL_BOOL, CELL_NUM, CELL_TIME, CELL_TIME,
	CELL_TIME, CELL_TEXT, CELL_TEXT, CELL_STR, CELL_STR, CELL_STR,
	CELL_TIME };
#define NSHOW (sizeof show_cols / sizeof show_cols[0])

/* The person record as a one-row table: a printer of the core's record. */
static struct table *
record_table(const struct aup_user_record *r)
{
	const struct aup_user *u = &r->user;
	struct table *t = table_new(show_cols, show_types, NSHOW);
	char id[24], fails[16], until[32], created[32], updated[32];
	char changed[32], expires[32], locked[32], login[32], acct[32];
	char aup_year[8], aup_signed[16];
	const char *row[NSHOW];

	snprintf(fails, sizeof fails, "%d", u->failures);
	aup_time_fmt(u->status_until, until, sizeof until);
	aup_time_fmt(u->created, created, sizeof created);
	aup_time_fmt(u->updated, updated, sizeof updated);
	aup_time_fmt(u->pw_changed, changed, sizeof changed);
	aup_date_fmt(r->pw_expires, expires, sizeof expires);
	aup_time_fmt(r->locked_until, locked, sizeof locked);
	aup_time_fmt(u->last_login, login, sizeof login);
	aup_time_fmt(u->expires, acct, sizeof acct);
	person_cells(row, id, sizeof id, u, NULL);
	row[8] = u->mis_id;
	row[9] = u->email;
	row[10] = aup_status_name(r->status);
	row[11] = u->status_reason;
	row[12] = until;
	row[13] = created;
	row[14] = updated;
	row[15] = aup_pw_state_name(r->pw_state);
	row[16] = changed;
	row[17] = expires;
	row[18] = u->must_change ? "true" : "false";
	row[19] = fails;
	row[20] = locked;
	row[21] = login;
	row[22] = acct;
	row[23] = u->legal_first;
	row[24] = u->legal_last;
	aup_academic_year_label(r->aup.year, aup_year, sizeof aup_year);
	aup_date_fmt(r->aup.signed_on, aup_signed, sizeof aup_signed);
	row[25] = r->aup.form != NULL ? aup_year : NULL;
	row[26] = r->aup.form != NULL ? r->aup.form->id : NULL;
	row[27] = r->aup.form == NULL ? "none due" :
	    r->aup.signed_ok	      ? "signed" :
	    r->aup.enforced	      ? "not signed: logins refused" :
					"not signed";
	row[28] = aup_signed;
	table_row(t, row);
	return t;
}

/* Print the record of REF. */
static int
show_record(struct cli *c, const char *ref)
{
	struct aup_user_record r;
	struct table *t;

	if (aup_user_record(c->db, ref, &r, &c->err) != 0)
		return cli_fail(c);
	t = record_table(&r);
	table_print_record(c, t, stdout);
	table_free(t);
	aup_user_record_clear(&r);
	return 0;
}

enum {
	ADD_ROLE,
	ADD_FIRST,
	ADD_LAST,
	ADD_YEAR,
	ADD_CLASS,
	ADD_MIS_ID,
	ADD_EMAIL,
	ADD_USERNAME,
	ADD_PASSWORD_STDIN,
	ADD_GENERATE,
	ADD_SLIP,
};
static const struct cli_option add_opts[] = {
	[ADD_ROLE] = { .name = "role",
	    .arg = "R",
	    .required = true,
	    .help = "pupil, staff, governor, volunteer, visitor or class" },
	[ADD_FIRST] = { .name = "first",
	    .arg = "F",
	    .required = true,
	    .help = "first name (as used day to day)" },
	[ADD_LAST] = { .name = "last",
	    .arg = "L",
	    .required = true,
	    .help = "last name" },
	[ADD_YEAR] = { .name = "year",
	    .arg = "Y",
	    .help = "year group: N, R or 1-13 (pupils, class logons)" },
	[ADD_CLASS] = { .name = "class",
	    .arg = "C",
	    .help = "class or registration group" },
	[ADD_MIS_ID] = { .name = "mis-id",
	    .arg = "ID",
	    .help = "the MIS id (UPN or admission number)" },
	[ADD_EMAIL] = { .name = "email", .arg = "E", .help = "email address" },
	[ADD_USERNAME] = { .name = "username",
	    .arg = "U",
	    .help = "username (default: from the role's template)" },
	[ADD_PASSWORD_STDIN] = { .name = "password-stdin",
	    .excl = 1,
	    .help = "read the password from standard input" },
	[ADD_GENERATE] = { .name = "generate-password",
	    .excl = 1,
	    .help = "make a passphrase, shown once" },
	[ADD_SLIP] = { .name = "slip",
	    .arg = "FILE",
	    .help = "with --generate-password: write the login slip to FILE "
		    "(mode 0600) instead of showing the password" },
	{ 0 },
};

/* Warn, on stderr (unless -q), when U is likely someone already there. */
static void
add_warn_duplicates(struct cli *c, const struct aup_user *u)
{
	struct aup_user_list l;
	struct aup_err err;

	if (c->quiet || aup_user_likely_duplicates(c->db, u, &l, &err) != 0 ||
	    l.n == 0)
		return;
	fprintf(stderr, "aupctl: warning: %s may be the same person as",
	    u->username);
	for (size_t i = 0; i < l.n && i < 3; i++)
		fprintf(stderr, "%s %s", i > 0 ? "," : "", l.v[i].username);
	fprintf(stderr, "%s (same names and role%s)\n", l.n > 3 ? ", ..." : "",
	    u->role == AUP_ROLE_PUPIL ? ", same year" : "");
	fprintf(stderr,
	    "aupctl: hint: compare them with 'aupctl user show "
	    "%s'; a person should have one account\n",
	    l.v[0].username);
	aup_user_list_free(&l);
}

static int
user_add(struct cli *c, struct cli_args *a)
{
	struct aup_user_spec s;
	struct aup_user *u = NULL;
	const char *year = a->val[ADD_YEAR], *slip = a->val[ADD_SLIP];
	char *pw = NULL, *generated = NULL;
	struct handover h;
	int r, rc;

	memset(&s, 0, sizeof s);
	if (cli_parse_role(c, a->val[ADD_ROLE], &r) != 0)
		return AUP_EX_USAGE;
	s.role = (enum aup_role)r;
	s.year = AUP_YEAR_NONE;
	if (year != NULL && cli_parse_year(c, year, &s.year) != 0)
		return AUP_EX_USAGE;
	if (slip != NULL && a->val[ADD_GENERATE] == NULL)
		return cli_usage(c, "--slip goes with --generate-password");
	s.first = a->val[ADD_FIRST];
	s.last = a->val[ADD_LAST];
	s.class_name = a->val[ADD_CLASS];
	s.mis_id = a->val[ADD_MIS_ID];
	s.email = a->val[ADD_EMAIL];
	s.username = a->val[ADD_USERNAME];
	s.generate = a->val[ADD_GENERATE] != NULL;
	if (cli_db(c) == NULL)
		return cli_fail(c);
	if (a->val[ADD_PASSWORD_STDIN] != NULL &&
	    (rc = cli_read_password(c, true, false, &pw)) != 0)
		return rc;
	s.password = pw;
	/* A generated password is saved only once it is handed over. */
	if (s.generate && (rc = handover_begin(c, &h, slip)) != 0) {
		aup_secret_free(pw);
		return rc;
	}
	rc = aup_user_add(c->db, &s, &u, &generated, &c->err);
	aup_secret_free(pw);
	if (rc != 0) {
		if (s.generate)
			handover_abort(c, &h);
		return cli_fail(c);
	}
	add_warn_duplicates(c, u);
	if (s.generate) {
		rc = hand_over(c, &h, u, generated);
		aup_secret_free(generated);
	} else if (c->format == FMT_TABLE)
		cli_say(c, "added %s: %s %s (%s)\n", u->username, u->first,
		    u->last, aup_role_name(u->role));
	else {
		char ref[32];

		snprintf(ref, sizeof ref, "id:%" PRId64, u->id);
		rc = show_record(c, ref);
	}
	aup_user_free(u);
	return rc;
}

enum { LIST_ROLE, LIST_KS, LIST_YEAR, LIST_CLASS, LIST_STATUS, LIST_SEARCH };
static const struct cli_option list_opts[] = {
	[LIST_ROLE] = { .name = "role", .arg = "R", .help = "only this role" },
	[LIST_KS] = { .name = "ks",
	    .arg = "KS",
	    .help = "only this key stage: EYFS, KS1 .. KS5" },
	[LIST_YEAR] = { .name = "year",
	    .arg = "Y",
	    .help = "only this year group" },
	[LIST_CLASS] = { .name = "class",
	    .arg = "C",
	    .help = "only this class" },
	[LIST_STATUS] = { .name = "status",
	    .arg = "S",
	    .help = "only active, suspended, leaving, left or expired" },
	[LIST_SEARCH] = { .name = "search",
	    .arg = "TEXT",
	    .help = "names, username, MIS id or class containing TEXT" },
	{ 0 },
};

static int
user_list(struct cli *c, struct cli_args *a)
{
	struct aup_user_filter f;
	struct table *t;
	const char *v;
	size_t n;
	int rc;

	aup_user_filter_init(&f);
	if ((v = a->val[LIST_ROLE]) != NULL &&
	    cli_parse_role(c, v, &f.role) != 0)
		return AUP_EX_USAGE;
	if ((v = a->val[LIST_KS]) != NULL && cli_parse_ks(c, v, &f.ks) != 0)
		return AUP_EX_USAGE;
	if ((v = a->val[LIST_YEAR]) != NULL &&
	    cli_parse_year(c, v, &f.year) != 0)
		return AUP_EX_USAGE;
	if ((v = a->val[LIST_STATUS]) != NULL &&
	    (f.status = aup_status_parse(v)) < 0) {
		snprintf(c->err.hint, sizeof c->err.hint, "statuses are %s",
		    aup_status_list());
		return cli_usage(c, "unknown status '%s'", v);
	}
	f.class_name = a->val[LIST_CLASS];
	f.search = a->val[LIST_SEARCH];
	f.brief = true; /* list_row shows no more */
	t = table_new(list_cols, list_types, NLIST);
	table_stream(c, t, stdout);
	rc = cli_db(c) == NULL ?
	    -1 :
	    aup_user_query(c->db, &f, NULL, 0, list_row, t, &c->err);
	n = table_end(t);
	table_free(t);
	if (rc != 0)
		return cli_fail(c);
	if (n == 0 && c->format == FMT_TABLE)
		cli_say(c, "no one matches\n");
	return 0;
}

static int
user_show(struct cli *c, struct cli_args *a)
{
	if (cli_db(c) == NULL)
		return cli_fail(c);
	return show_record(c, a->argv[0]);
}

enum { EDIT_FIRST, EDIT_LAST, EDIT_YEAR, EDIT_CLASS, EDIT_EMAIL, EDIT_MIS_ID };
static const struct cli_option edit_opts[] = {
	[EDIT_FIRST] = { .name = "first",
	    .arg = "F",
	    .help = "new first name" },
	[EDIT_LAST] = { .name = "last", .arg = "L", .help = "new last name" },
	[EDIT_YEAR] = { .name = "year", .arg = "Y", .help = "new year group" },
	[EDIT_CLASS] = { .name = "class",
	    .arg = "C",
	    .help = "new class (\"\" clears it)" },
	[EDIT_EMAIL] = { .name = "email",
	    .arg = "E",
	    .help = "new email address (\"\" clears it)" },
	[EDIT_MIS_ID] = { .name = "mis-id",
	    .arg = "ID",
	    .help = "new MIS id (\"\" clears it)" },
	{ 0 },
};

static int
user_edit(struct cli *c, struct cli_args *a)
{
	struct aup_user_edit e;
	const char *year = a->val[EDIT_YEAR];

	memset(&e, 0, sizeof e);
	e.first = a->val[EDIT_FIRST];
	e.last = a->val[EDIT_LAST];
	e.class_name = a->val[EDIT_CLASS];
	e.email = a->val[EDIT_EMAIL];
	e.mis_id = a->val[EDIT_MIS_ID];
	if (year != NULL) {
		e.set_year = true;
		if (cli_parse_year(c, year, &e.year) != 0)
			return AUP_EX_USAGE;
	}
	if (!e.first && !e.last && !year && !e.class_name && !e.email &&
	    !e.mis_id)
		return cli_usage(c,
		    "nothing to change: give --first, --last, "
		    "--year, --class, --email or --mis-id");
	if (cli_db(c) == NULL ||
	    aup_user_edit(c->db, a->argv[0], &e, &c->err) != 0)
		return cli_fail(c);
	cli_say(c, "updated %s\n", a->argv[0]);
	return 0;
}

enum { SUSPEND_REASON, SUSPEND_UNTIL };
static const struct cli_option suspend_opts[] = {
	[SUSPEND_REASON] = { .name = "reason",
	    .arg = "TEXT",
	    .required = true,
	    .help = "why (kept in the log)" },
	[SUSPEND_UNTIL] = { .name = "until",
	    .arg = "DATE",
	    .help = "end of the suspension (default: until reactivated)" },
	{ 0 },
};

static int
user_suspend(struct cli *c, struct cli_args *a)
{
	const char *until = a->val[SUSPEND_UNTIL];
	time_t t = 0;

	if (until != NULL && cli_parse_date(c, "until", until, &t) != 0)
		return AUP_EX_USAGE;
	if (cli_db(c) == NULL ||
	    aup_user_suspend(c->db, a->argv[0], a->val[SUSPEND_REASON], t,
		&c->err) != 0)
		return cli_fail(c);
	cli_say(c, "suspended %s%s%s\n", a->argv[0], until ? " until " : "",
	    until ? until : "");
	return 0;
}

static int
user_reactivate(struct cli *c, struct cli_args *a)
{
	if (cli_db(c) == NULL ||
	    aup_user_reactivate(c->db, a->argv[0], &c->err) != 0)
		return cli_fail(c);
	cli_say(c, "reactivated %s\n", a->argv[0]);
	return 0;
}

/* The audit log as a table; shared with `aupctl log`. Before and after are
 * JSON objects, nested in JSON output; a purged value reads null. */
struct table *
log_table(const struct aup_log_list *l)
{
	static const char *const cols[] = { "id", "at", "operator", "action",
		"user", "before", "after", "purged" };
	static const enum cell_type types[] = { CELL_NUM, CELL_TIME, CELL_KEY,
		CELL_KEY, CELL_KEY, CELL_JSON, CELL_JSON, CELL_BOOL };
	struct table *t = table_new(cols, types, 8);

	for (size_t i = 0; i < l->n; i++) {
		const struct aup_log_entry *e = &l->v[i];
		char id[24], at[32];
		const char *row[8];

		snprintf(id, sizeof id, "%" PRId64, e->id);
		aup_time_fmt(e->at, at, sizeof at);
		row[0] = id;
		row[1] = at;
		row[2] = e->operator;
		row[3] = e->action;
		row[4] = e->subject;
		row[5] = e->before;
		row[6] = e->after;
		row[7] = e->purged ? "true" : "false";
		table_row(t, row);
	}
	return t;
}

/* Before a table of the export: a heading for people, a blank line for
 * machines. */
static void
heading(struct cli *c, const char *what, const char *username)
{
	if (c->format == FMT_TABLE)
		printf("\n%s %s:\n", what, username);
	else
		putchar('\n');
}

/* After a table of N rows: for people, "none" when it had none. */
static void
none(struct cli *c, size_t n)
{
	if (c->format == FMT_TABLE && n == 0)
		puts("none");
}

/* The export's tables of what is held beside the record. */
static int
export_held(struct cli *c, const struct aup_user *u)
{
	char ref[32];
	size_t n;

	snprintf(ref, sizeof ref, "id:%lld", (long long)u->id);
	heading(c, "Agreements signed by or for", u->username);
	if (cli_signatures(c, ref, &n) != 0)
		return -1;
	none(c, n);
	heading(c, "Parents' consents for", u->username);
	if (cli_consents_of(c, u->id, &n) != 0)
		return -1;
	none(c, n);
	heading(c, "Breaches of the agreement by", u->username);
	if (cli_breaches_of(c, u->id, &n) != 0)
		return -1;
	none(c, n);
	heading(c, "Visits of", u->username);
	if (cli_visits_of(c, u->id, &n) != 0)
		return -1;
	none(c, n);
	heading(c, "Exit checklist of", u->username);
	if (cli_checklist_of(c, u->id, &n) != 0)
		return -1;
	none(c, n);
	return 0;
}

/*
 * The subject access export: in JSON the core's document as it is; for
 * people and spreadsheets, the record, what is held beside it (signatures,
 * consents, breaches, visits, the exit checklist) and the log as tables.
 */
static int
user_export(struct cli *c, struct cli_args *a)
{
	struct aup_user_record r;
	struct aup_log_list l;
	struct table *person, *log;
	int rc;

	if (cli_db(c) == NULL)
		return cli_fail(c);
	if (c->format == FMT_JSON) {
		struct aup_buf b = { 0 };

		if (aup_user_export(c->db, a->argv[0], &b, &c->err) != 0) {
			aup_buf_free(&b);
			return cli_fail(c);
		}
		puts(b.data);
		aup_buf_free(&b);
		return 0;
	}
	if (aup_user_record(c->db, a->argv[0], &r, &c->err) != 0)
		return cli_fail(c);
	if (aup_log_list(c->db, r.user.id, 0, &l, &c->err) != 0) {
		aup_user_record_clear(&r);
		return cli_fail(c);
	}
	person = record_table(&r);
	log = log_table(&l);
	if (c->format == FMT_TABLE)
		printf("Everything aupctl holds on %s %s (%s), as of today. "
		       "Password hashes are never shown.\n\n",
		    r.user.first, r.user.last, r.user.username);
	table_print_record(c, person, stdout);
	rc = export_held(c, &r.user);
	if (rc == 0) {
		heading(c, "Changes recorded about", r.user.username);
		table_print(c, log, stdout);
	}
	table_free(person);
	table_free(log);
	aup_log_list_free(&l);
	aup_user_record_clear(&r);
	return rc != 0 ? cli_fail(c) : 0;
}

static const struct cli_command user_add_entry = {
	.name = "add",
	.summary = "add one person",
	.opts = add_opts,
	.exec = user_add,
};

static const struct cli_command user_list_entry = {
	.name = "list",
	.summary = "list people, filtered",
	.opts = list_opts,
	.exec = user_list,
};

static const struct cli_command user_show_entry = {
	.name = "show",
	.summary = "everything about one person",
	.args = "USER",
	.min_args = 1,
	.max_args = 1,
	.exec = user_show,
};

static const struct cli_command user_edit_entry = {
	.name = "edit",
	.summary = "change a person's details",
	.args = "USER",
	.opts = edit_opts,
	.min_args = 1,
	.max_args = 1,
	.exec = user_edit,
};

static const struct cli_command user_suspend_entry = {
	.name = "suspend",
	.summary = "take access away for a while (a sanction)",
	.args = "USER",
	.opts = suspend_opts,
	.min_args = 1,
	.max_args = 1,
	.exec = user_suspend,
};

static const struct cli_command user_reactivate_entry = {
	.name = "reactivate",
	.summary = "end a suspension",
	.args = "USER",
	.min_args = 1,
	.max_args = 1,
	.exec = user_reactivate,
};

static const struct cli_command user_export_entry = {
	.name = "export",
	.summary = "all data held on one person (subject access request)",
	.args = "USER",
	.min_args = 1,
	.max_args = 1,
	.exec = user_export,
};

static int
user_unlock(struct cli *c, struct cli_args *a)
{
	int rc;

	if (cli_db(c) == NULL ||
	    (rc = aup_user_unlock(c->db, a->argv[0], &c->err)) < 0)
		return cli_fail(c);
	cli_say(c, rc == 0 ? "unlocked %s\n" : "%s was not locked\n",
	    a->argv[0]);
	return 0;
}

static const struct cli_command user_unlock_entry = {
	.name = "unlock",
	.summary = "lift the lock and throttle after failed logins",
	.args = "USER",
	.min_args = 1,
	.max_args = 1,
	.exec = user_unlock,
};

static const struct cli_command *const user_cmds[] = {
	&user_add_entry,
	&user_list_entry,
	&user_show_entry,
	&user_edit_entry,
	&user_suspend_entry,
	&user_reactivate_entry,
	&user_unlock_entry,
	&user_export_entry,
	NULL,
};

const struct cli_command cmd_user_entry = {
	.name = "user",
	.summary = "people: add, list, show, edit, suspend, reactivate, "
		   "unlock, export",
	.subs = user_cmds,
};
