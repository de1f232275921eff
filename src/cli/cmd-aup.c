/* aupctl aup: acceptable use agreements. Parents' consents and breaches
 * here; the group's table lists the subcommands of the other files too. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "aup/breach.h"
#include "aup/clock.h"
#include "aup/consent.h"
#include "aup/model.h"
#include "aup/util.h"
#include "cli.h"

/* yes or no, for option OPT, into *OUT (1 or 0). */
static int
parse_yes_no(struct cli *c, const char *opt, const char *s, int *out)
{
	if (strcmp(s, "yes") == 0 || strcmp(s, "no") == 0) {
		*out = s[0] == 'y';
		return 0;
	}
	aup_strlcpy(c->err.hint, "answer yes or no", sizeof c->err.hint);
	return cli_usage(c, "--%s '%s' is not yes or no", opt, s);
}

enum {
	CONSENT_IMAGES,
	CONSENT_PLATFORMS,
	CONSENT_SIGNER,
	CONSENT_RELATIONSHIP,
	CONSENT_YEAR,
};
static const struct cli_option consent_opts[] = {
	[CONSENT_IMAGES] = { .name = "images",
	    .arg = "yes|no",
	    .required = true,
	    .help = "may photographs and videos of the pupil be taken and "
		    "used" },
	[CONSENT_PLATFORMS] = { .name = "platforms",
	    .arg = "yes|no",
	    .required = true,
	    .help = "may the pupil's data go to learning platforms" },
	[CONSENT_SIGNER] = { .name = "signer",
	    .arg = "NAME",
	    .required = true,
	    .help = "the parent or carer who gave them" },
	[CONSENT_RELATIONSHIP] = { .name = "relationship",
	    .arg = "parent|carer",
	    .required = true,
	    .help = "the signer's relationship to the pupil" },
	[CONSENT_YEAR] = { .name = "year",
	    .arg = "Y",
	    .help = "academic year, as 2026-27 (default: the current one)" },
	{ 0 },
};

static int
aup_consent(struct cli *c, struct cli_args *a)
{
	struct aup_consent_spec s;
	const char *year = a->val[CONSENT_YEAR];
	int images, platforms, rc;
	char label[8];

	memset(&s, 0, sizeof s);
	if (parse_yes_no(c, "images", a->val[CONSENT_IMAGES], &images) != 0 ||
	    parse_yes_no(c, "platforms", a->val[CONSENT_PLATFORMS],
		&platforms) != 0 ||
	    (year != NULL && cli_parse_academic_year(c, year, &s.year) != 0))
		return AUP_EX_USAGE;
	s.images = images;
	s.platforms = platforms;
	s.signer = a->val[CONSENT_SIGNER];
	s.relationship = a->val[CONSENT_RELATIONSHIP];
	if (cli_db(c) == NULL ||
	    (rc = aup_consent_record(c->db, a->argv[0], &s, &c->err)) < 0)
		return cli_fail(c);
	if (s.year == 0) {
		struct aup_school sc;

		if (aup_school_get(c->db, &sc, &c->err) != 0)
			return cli_fail(c);
		s.year = sc.academic_year;
		aup_school_clear(&sc);
	}
	aup_academic_year_label(s.year, label, sizeof label);
	if (rc == 1)
		cli_say(c, "%s's consents for %s are as given already\n",
		    a->argv[0], label);
	else
		cli_say(c,
		    "recorded %s's consents for %s: images %s, "
		    "platforms %s\n",
		    a->argv[0], label, images ? "yes" : "no",
		    platforms ? "yes" : "no");
	return 0;
}

enum {
	CONSENTS_CLASS,
	CONSENTS_IMAGES,
	CONSENTS_PLATFORMS,
	CONSENTS_MISSING,
	CONSENTS_YEAR,
};
static const struct cli_option consents_opts[] = {
	[CONSENTS_CLASS] = { .name = "class",
	    .arg = "C",
	    .help = "only this class" },
	[CONSENTS_IMAGES] = { .name = "images",
	    .arg = "yes|no",
	    .help = "only pupils whose parents answered this for images" },
	[CONSENTS_PLATFORMS] = { .name = "platforms",
	    .arg = "yes|no",
	    .help = "only pupils whose parents answered this for learning "
		    "platforms" },
	[CONSENTS_MISSING] = { .name = "missing",
	    .help = "only pupils with no consents recorded" },
	[CONSENTS_YEAR] = { .name = "year",
	    .arg = "Y",
	    .help = "academic year, as 2026-27 (default: the current one)" },
	{ 0 },
};

static const char *const consent_cols[] = { "username", "first", "last", "year",
	"class", "academic_year", "images", "platforms", "signer",
	"relationship", "recorded" };
static const enum cell_type consent_types[] = { CELL_KEY, CELL_TEXT, CELL_TEXT,
	CELL_STR, CELL_STR, CELL_STR, CELL_STR, CELL_STR, CELL_TEXT, CELL_STR,
	CELL_TIME };
#define NCONSENT (sizeof consent_cols / sizeof consent_cols[0])

static int
consent_row(void *arg, const struct aup_consent_row *r)
{
	const char *row[NCONSENT];
	char label[8], at[32];

	aup_academic_year_label(r->academic_year, label, sizeof label);
	aup_time_fmt(r->recorded_at, at, sizeof at);
	row[0] = r->username;
	row[1] = r->first;
	row[2] = r->last;
	row[3] = aup_year_name(r->year_group);
	row[4] = r->class_name;
	row[5] = label;
	row[6] = !r->recorded ? NULL : r->images ? "yes" : "no";
	row[7] = !r->recorded ? NULL : r->platforms ? "yes" : "no";
	row[8] = r->signer;
	row[9] = r->relationship;
	row[10] = r->recorded ? at : NULL;
	table_stream_row(arg, row);
	return 0;
}

int
cli_consents_of(struct cli *c, int64_t user_id, size_t *n)
{
	struct table *t = table_new(consent_cols, consent_types, NCONSENT);
	int rc;

	table_stream(c, t, stdout);
	rc = aup_consent_walk_user(c->db, user_id, consent_row, t, &c->err);
	*n = table_end(t);
	table_free(t);
	return rc;
}

static int
aup_consents(struct cli *c, struct cli_args *a)
{
	struct aup_consent_filter f;
	const char *v;
	struct table *t;
	size_t n;
	int rc;

	aup_consent_filter_init(&f);
	if (((v = a->val[CONSENTS_IMAGES]) != NULL &&
		parse_yes_no(c, "images", v, &f.images) != 0) ||
	    ((v = a->val[CONSENTS_PLATFORMS]) != NULL &&
		parse_yes_no(c, "platforms", v, &f.platforms) != 0) ||
	    ((v = a->val[CONSENTS_YEAR]) != NULL &&
		cli_parse_academic_year(c, v, &f.year) != 0))
		return AUP_EX_USAGE;
	f.class_name = a->val[CONSENTS_CLASS];
	f.missing = a->val[CONSENTS_MISSING] != NULL;
	if (cli_db(c) == NULL)
		return cli_fail(c);
	t = table_new(consent_cols, consent_types, NCONSENT);
	table_stream(c, t, stdout);
	rc = aup_consent_query(c->db, &f, consent_row, t, &c->err);
	n = table_end(t);
	table_free(t);
	if (rc != 0)
		return cli_fail(c);
	if (n == 0 && c->format == FMT_TABLE)
		cli_say(c, "no one matches\n");
	return 0;
}

enum { BREACH_CATEGORY, BREACH_NOTE, BREACH_SUSPEND_DAYS };
static const struct cli_option breach_opts[] = {
	[BREACH_CATEGORY] = { .name = "category",
	    .arg = "A|B|C|D",
	    .required = true,
	    .help = "the sanction category, A (least serious) to D" },
	[BREACH_NOTE] = { .name = "note",
	    .arg = "TEXT",
	    .required = true,
	    .help = "what happened, on one line" },
	[BREACH_SUSPEND_DAYS] = { .name = "suspend-days",
	    .arg = "N",
	    .help = "suspend the person's access for N days from now" },
	{ 0 },
};

static int
aup_breach(struct cli *c, struct cli_args *a)
{
	const char *days = a->val[BREACH_SUSPEND_DAYS];
	char until[32];
	int64_t id;
	long n = 0;

	if (days != NULL &&
	    aup_parse_long(days, 1, AUP_BREACH_DAYS_MAX, &n) != 0) {
		snprintf(c->err.hint, sizeof c->err.hint,
		    "give a whole number of days from 1 to %d",
		    AUP_BREACH_DAYS_MAX);
		return cli_usage(c,
		    "--suspend-days '%s' is not a number of days", days);
	}
	if (cli_db(c) == NULL ||
	    aup_breach_record(c->db, a->argv[0], a->val[BREACH_CATEGORY],
		a->val[BREACH_NOTE], (int)n, &id, &c->err) != 0)
		return cli_fail(c);
	snprintf(until, sizeof until, "; suspended for %ld day%s", n,
	    n == 1 ? "" : "s");
	cli_say(c, "recorded breach %" PRId64 " (category %c) for %s%s\n", id,
	    "ABCD"[aup_breach_category_parse(a->val[BREACH_CATEGORY])],
	    a -> argv[0], n > 0 ? until : "");
	return 0;
}

enum { BREACHES_SINCE, BREACHES_CATEGORY, BREACHES_USER };
static const struct cli_option breaches_opts[] = {
	[BREACHES_SINCE] = { .name = "since",
	    .arg = "D",
	    .help = "only breaches from the date D on" },
	[BREACHES_CATEGORY] = { .name = "category",
	    .arg = "A|B|C|D",
	    .help = "only this category" },
	[BREACHES_USER] = { .name = "user",
	    .arg = "USER",
	    .help = "only this person's" },
	{ 0 },
};

static const char *const breach_cols[] = { "id", "at", "username", "first",
	"last", "category", "note", "operator", "suspended_until" };
static const enum cell_type breach_types[] = { CELL_NUM, CELL_TIME, CELL_KEY,
	CELL_TEXT, CELL_TEXT, CELL_STR, CELL_TEXT, CELL_KEY, CELL_TIME };
#define NBREACH (sizeof breach_cols / sizeof breach_cols[0])

static int
breach_row(void *arg, const struct aup_breach_row *r)
{
	const char *row[NBREACH];
	char id[24], at[32], until[32], cat[2] = { r->category, '\0' };

	snprintf(id, sizeof id, "%" PRId64, r->id);
	aup_time_fmt(r->at, at, sizeof at);
	aup_time_fmt(r->suspended_until, until, sizeof until);
	row[0] = id;
	row[1] = at;
	row[2] = r->username;
	row[3] = r->first;
	row[4] = r->last;
	row[5] = cat;
	row[6] = r->note;
	row[7] = r->operator;
	row[8] = until[0] != '\0' ? until : NULL;
	table_stream_row(arg, row);
	return 0;
}

int
cli_breaches_of(struct cli *c, int64_t user_id, size_t *n)
{
	struct table *t = table_new(breach_cols, breach_types, NBREACH);
	int rc;

	table_stream(c, t, stdout);
	rc = aup_breach_walk_user(c->db, user_id, breach_row, t, &c->err);
	*n = table_end(t);
	table_free(t);
	return rc;
}

static int
aup_breaches(struct cli *c, struct cli_args *a)
{
	struct aup_breach_filter f;
	const char *v;
	struct table *t;
	size_t n;
	int rc;

	aup_breach_filter_init(&f);
	if ((v = a->val[BREACHES_SINCE]) != NULL &&
	    cli_parse_date(c, "since", v, &f.since) != 0)
		return AUP_EX_USAGE;
	if ((v = a->val[BREACHES_CATEGORY]) != NULL &&
	    (f.category = aup_breach_category_parse(v)) < 0) {
		aup_strlcpy(c->err.hint, "categories are A, B, C and D",
		    sizeof c->err.hint);
		return cli_usage(c, "unknown breach category '%s'", v);
	}
	f.user = a->val[BREACHES_USER];
	if (cli_db(c) == NULL)
		return cli_fail(c);
	t = table_new(breach_cols, breach_types, NBREACH);
	table_stream(c, t, stdout);
	rc = aup_breach_query(c->db, &f, breach_row, t, &c->err);
	n = table_end(t);
	table_free(t);
	if (rc != 0)
		return cli_fail(c);
	if (n == 0 && c->format == FMT_TABLE)
		cli_say(c, "no breaches recorded%s\n",
		    f.since || f.category >= 0 || f.user ? " that match" : "");
	return 0;
}

static const struct cli_command aup_consent_entry = {
	.name = "consent",
	.summary = "record a parent's or carer's consents for a pupil",
	.args = "USER",
	.opts = consent_opts,
	.min_args = 1,
	.max_args = 1,
	.exec = aup_consent,
};

static const struct cli_command aup_consents_entry = {
	.name = "consents",
	.summary = "pupils and their consents for the year",
	.opts = consents_opts,
	.exec = aup_consents,
};

static const struct cli_command aup_breach_entry = {
	.name = "breach",
	.summary = "record a breach of the agreement, and its suspension",
	.args = "USER",
	.opts = breach_opts,
	.min_args = 1,
	.max_args = 1,
	.exec = aup_breach,
};

static const struct cli_command aup_breaches_entry = {
	.name = "breaches",
	.summary = "breaches recorded, newest first",
	.opts = breaches_opts,
	.exec = aup_breaches,
};

/* cmd-sign.c */
extern const struct cli_command cmd_aup_forms_entry, cmd_aup_show_entry,
    cmd_aup_sign_entry, cmd_aup_audit_entry, cmd_aup_history_entry;

static const struct cli_command *const aup_cmds[] = {
	&cmd_aup_forms_entry,
	&cmd_aup_show_entry,
	&cmd_aup_sign_entry,
	&cmd_aup_audit_entry,
	&cmd_aup_history_entry,
	&aup_consent_entry,
	&aup_consents_entry,
	&aup_breach_entry,
	&aup_breaches_entry,
	NULL,
};

const struct cli_command cmd_aup_entry = {
	.name = "aup",
	.summary = "agreements: forms, signatures, audit, consents, breaches",
	.subs = aup_cmds,
};
