/* Signing agreements, the rule of who signs, and the annual audit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sha2.h>

#include "aup/aup.h"
#include "aup/clock.h"
#include "aup/json.h"
#include "aup/table.h"
#include "aup/util.h"
#include "core.h"

/* The start of academic year YEAR, at midnight local time. */
static time_t
year_start(const struct aup_config *cfg, int year)
{
	struct tm tm = { .tm_year = year - 1900,
		.tm_mon = cfg->year_start_month - 1,
		.tm_mday = cfg->year_start_day,
		.tm_isdst = -1 };

	return mktime(&tm);
}

time_t
aup_grace_end(const struct aup_config *cfg, time_t now)
{
	int year = aup_academic_year(now, cfg->year_start_month,
	    cfg->year_start_day);

	return year_start(cfg, year) + (time_t)cfg->aup_grace_days * 86400;
}
/* Who signs for U, by F's rule: fills G's signer, relationship and
 * self_signed from SPEC, or refuses naming the field to correct. */
static int
signer_rule(const struct aup_form *f, const struct aup_user *u,
    const struct aup_sign_spec *spec, struct aup_signature *g,
    struct aup_err *err)
{
	int rel = spec->relationship;
	const char *ks = aup_ks_name(aup_ks_of_year(u->year));

	if (f->signer == AUP_SIGNER_SELF) {
		if (rel >= 0 && rel != AUP_REL_SELF)
			return core_refuse(err, "relationship",
			    "%s signs the '%s' agreement themselves: a parent "
			    "or carer cannot sign it for them",
			    u->username, f->id);
		g->relationship = AUP_REL_SELF;
		g->self_signed = true;
		g->signer = spec->signer != NULL ?
		    xstrdup(spec->signer) :
		    xasprintf("%s %s", u->first, u->last);
		return 0;
	}
	if (rel == AUP_REL_SELF) {
		if (f->signer == AUP_SIGNER_PARENT)
			return core_refuse(err, "relationship",
			    "a %s pupil cannot sign for themselves: a parent "
			    "or carer signs the '%s' agreement for them",
			    ks, f->id);
		return core_refuse(err, "relationship",
		    "a %s pupil signs the '%s' agreement and a parent or "
		    "carer countersigns it: record the parent or carer",
		    ks, f->id);
	}
	if (spec->signer == NULL)
		return core_refuse(err, "signer",
		    "the '%s' agreement is signed by a parent or carer: give "
		    "the name they signed with",
		    f->id);
	g->relationship = rel >= 0 ? (enum aup_relationship)rel :
				     AUP_REL_PARENT;
	g->self_signed = f->signer == AUP_SIGNER_SELF_PARENT;
	g->signer = xstrdup(spec->signer);
	return 0;
}

/* The form SPEC names, or U's agreement; one that is for U. */
static int
form_of(struct aup_db *db, const struct aup_sign_spec *spec,
    const struct aup_user *u, const struct aup_form **f, struct aup_err *err)
{
	if (spec->form == NULL) {
		if (aup_form_for(db, u->role, u->year, f, err) != 0)
			return -1;
		if (*f == NULL)
			return core_refuse(err, "form",
			    "no agreement in the forms index is for %s (%s)",
			    u->username, aup_role_name(u->role));
		return 0;
	}
	if (aup_form_find(db, spec->form, f, err) != 0)
		return -1;
	if ((*f)->kind == AUP_FORM_CONSENT) {
		(void)core_refuse(err, "form",
		    "'%s' is a consent form, not an agreement", (*f)->id);
		aup_err_hint(err, "record consents with 'aupctl aup consent'");
		return -1;
	}
	if (!form_is_for(*f, u->role, u->year))
		return core_refuse(err, "form",
		    "the '%s' agreement is not for %s", (*f)->id, u->username);
	return 0;
}

static void
hex_digest(const char *text, char out[SHA256_DIGEST_STRING_LENGTH])
{
	SHA256Data((const uint8_t *)text, strlen(text), out);
}

int
aup_form_keep(struct aup_db *db, const struct aup_form *f, struct aup_err *err)
{
	char digest[SHA256_DIGEST_STRING_LENGTH], *stored = NULL, *text = NULL;
	int rc;

	if (aup_form_text(f, &text, err) != 0)
		return -1;
	hex_digest(text, digest);
	rc = st_form_digest(db, f->id, f->version, &stored, err);
	if (rc == 1)
		rc = st_form_put(db, f, text, digest, aup_now(), err);
	else if (rc == 0 && strcmp(stored, digest) != 0) {
		aup_err_set(err, AUP_EX_CONFIG,
		    "the text of form '%s' (%s) is not the text of version %d "
		    "that was signed",
		    f->id, f->path, f->version);
		aup_err_hint(err,
		    "raise its version in the forms index, so that both "
		    "texts are kept, or put back the signed text");
		rc = -1;
	}
	free(stored);
	free(text);
	return rc;
}

static void
sign_log_after(const struct aup_signature *g, struct aup_buf *b)
{
	struct aup_json j;
	char day[16], label[8];

	aup_date_fmt(g->signed_on, day, sizeof day);
	aup_academic_year_label(g->year, label, sizeof label);
	aup_json_init(&j, b);
	aup_json_object(&j);
	aup_json_kstr(&j, "form", g->form);
	aup_json_kint(&j, "version", g->version);
	aup_json_kstr(&j, "year", label);
	aup_json_kstr(&j, "signed_on", day);
	aup_json_kstr(&j, "signer", g->signer);
	aup_json_kstr(&j, "relationship",
	    aup_relationship_name(g->relationship));
	aup_json_kbool(&j, "self_signed", g->self_signed);
	aup_json_kstr(&j, "method", aup_method_name(g->method));
	aup_json_end(&j);
}

/* The day and year of SPEC, checked: not in the future, the year not
 * after the next one. */
static int
sign_when(const struct aup_config *cfg, const struct aup_sign_spec *spec,
    struct aup_signature *g, struct aup_err *err)
{
	time_t now = aup_now();
	int current = aup_academic_year(now, cfg->year_start_month,
	    cfg->year_start_day);
	char label[8];

	g->signed_on = spec->date != 0 ? spec->date : now;
	if (g->signed_on > now) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "the date signed is in the future");
		aup_err_field(err, "date");
		return -1;
	}
	g->year = spec->year != 0 ?
	    spec->year :
	    aup_academic_year(g->signed_on, cfg->year_start_month,
		cfg->year_start_day);
	if (g->year > current + 1 || g->year < 1970) {
		aup_academic_year_label(g->year, label, sizeof label);
		aup_err_set(err, AUP_EX_DATAERR,
		    "%s is not this academic year, the next or an earlier one",
		    label);
		aup_err_field(err, "year");
		return -1;
	}
	return 0;
}

int
aup_sign(struct aup_db *db, const struct aup_sign_spec *spec,
    struct aup_signature *out, bool *already, struct aup_err *err)
{
	struct aup_user *u = NULL;
	const struct aup_form *f;
	struct aup_signature g = { 0 };
	struct aup_buf after = { 0 };
	enum aup_status st;
	int rc = -1;

	*already = false;
	memset(out, 0, sizeof *out);
	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0 ||
	    aup_user_find(db, spec->user, &u, err) != 0)
		return -1;
	st = aup_user_status_now(u, aup_now());
	if (st == AUP_STATUS_LEFT || st == AUP_STATUS_EXPIRED) {
		(void)core_refuse(err, "user",
		    "%s is %s: there is nothing to sign for", u->username,
		    aup_status_name(st));
		goto out;
	}
	if (form_of(db, spec, u, &f, err) != 0 ||
	    sign_when(db->cfg, spec, &g, err) != 0 ||
	    signer_rule(f, u, spec, &g, err) != 0)
		goto out;
	g.user_id = u->id;
	g.username = xstrdup(u->username);
	g.form = xstrdup(f->id);
	g.title = xstrdup(f->title);
	g.version = f->version;
	g.method = spec->method >= 0 ? (enum aup_method)spec->method :
				       AUP_METHOD_PAPER;
	g.witness = xstrdup(db->operator);
	g.recorded = aup_now();
	if (st_begin(db, err) != 0)
		goto out;
	if ((rc = st_sig_get(db, u->id, f->id, g.year, out, err)) == 0) {
		*already = true;
		st_rollback(db);
		goto out;
	}
	sign_log_after(&g, &after);
	if (rc < 0 || aup_form_keep(db, f, err) != 0 ||
	    st_sig_insert(db, &g, err) != 0 ||
	    aup_log_add(db, "aup.sign", u, NULL, after.data, err) != 0 ||
	    st_commit(db, err) != 0) {
		st_rollback(db);
		rc = -1;
		goto out;
	}
	*out = g;
	memset(&g, 0, sizeof g);
	rc = 0;
out:
	aup_buf_free(&after);
	aup_signature_clear(&g);
	aup_user_free(u);
	return rc;
}

int
aup_history(struct aup_db *db, const char *ref, aup_signature_fn fn, void *arg,
    struct aup_err *err)
{
	struct aup_user *u = NULL;
	int rc;

	if (aup_perm(db, AUP_PERM_READ, err) != 0 ||
	    aup_user_find(db, ref, &u, err) != 0)
		return -1;
	rc = st_sig_walk(db, u->id, fn, arg, err);
	aup_user_free(u);
	return rc;
}

int
aup_signed_text(struct aup_db *db, const char *form, int version, char **text,
    struct aup_err *err)
{
	int rc;

	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	if ((rc = st_form_body(db, form, version, text, err)) == 1)
		return aup_err_set(err, AUP_EX_NOUSER,
		    "no one has signed version %d of '%s'", version, form);
	return rc;
}

/* What each kind of person owes for YEAR, from the forms. */
static int
due_get(struct aup_db *db, int year, struct st_due *d, struct aup_err *err)
{
	const struct aup_form *v;
	struct aup_buf once = { 0 };
	size_t n;

	memset(d, 0, sizeof *d);
	d->year = year;
	if (aup_forms(db, &v, &n, err) != 0)
		return -1;
	aup_buf_puts(&once, ",");
	for (size_t i = 0; i < n; i++)
		if (v[i].kind == AUP_FORM_AGREEMENT && !v[i].annual)
			aup_buf_printf(&once, "%s,", v[i].id);
	d->once = aup_buf_detach(&once);
	for (int y = AUP_YEAR_N; y <= AUP_YEAR_MAX; y++) {
		const struct aup_form *f;

		if (aup_form_for(db, AUP_ROLE_PUPIL, y, &f, err) != 0)
			return -1;
		d->by_year[y - AUP_YEAR_N] = f != NULL ? f->id : NULL;
	}
	for (int r = 0; r < AUP_ROLE_COUNT; r++) {
		const struct aup_form *f;

		if (r == AUP_ROLE_PUPIL)
			continue;
		if (aup_form_for(db, (enum aup_role)r, AUP_YEAR_NONE, &f,
			err) != 0)
			return -1;
		d->by_role[r] = f != NULL ? f->id : NULL;
	}
	return 0;
}

static int
audit_year(struct aup_db *db, const struct aup_audit_filter *f)
{
	return f->year != 0 ?
	    f->year :
	    aup_academic_year(aup_now(), db->cfg->year_start_month,
		db->cfg->year_start_day);
}

struct audit_walk {
	struct aup_db *db;
	aup_audit_fn fn;
	void *arg;
};

static int
audit_row(void *arg, const struct aup_user *u, const char *form)
{
	struct audit_walk *w = arg;
	const struct aup_form *f = NULL;
	struct aup_err ignore;

	(void)aup_form_find(w->db, form, &f, &ignore);
	return w->fn(w->arg, u, f);
}

int
aup_audit(struct aup_db *db, const struct aup_audit_filter *f, aup_audit_fn fn,
    void *arg, struct aup_err *err)
{
	struct audit_walk w = { db, fn, arg };
	struct st_due d;
	int rc;

	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	if ((rc = due_get(db, audit_year(db, f), &d, err)) == 0)
		rc = st_audit(db, &d, f, audit_row, &w, err);
	free(d.once);
	return rc;
}

/* The summary as the audit's walk counts it: by role in an array, by
 * class in a table of open addressing (a school has thousands of classes
 * and a person's class is looked up for each), sorted at the end. */
struct tally {
	struct aup_audit_count roles[AUP_ROLE_COUNT];
	struct aup_audit_count *class; /* CAP slots; name NULL: empty */
	size_t cap, n;
	int64_t signed_n, total;
};

static size_t
hash(const char *s)
{
	size_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static struct aup_audit_count *
class_slot(struct tally *t, const char *name)
{
	size_t i;

	if (2 * (t->n + 1) > t->cap) {
		struct tally old = *t;

		t->cap = t->cap > 0 ? 2 * t->cap : 64;
		t->class = xcalloc(t->cap, sizeof *t->class);
		for (size_t j = 0; j < old.cap; j++) {
			if (old.class[j].name == NULL)
				continue;
			i = hash(old.class[j].name) & (t->cap - 1);
			while (t->class[i].name != NULL)
				i = (i + 1) & (t->cap - 1);
			t->class[i] = old.class[j];
		}
		free(old.class);
	}
	i = hash(name) & (t->cap - 1);
	while (t->class[i].name != NULL && strcmp(t->class[i].name, name) != 0)
		i = (i + 1) & (t->cap - 1);
	if (t->class[i].name == NULL) {
		t->class[i].name = xstrdup(name);
		t->n++;
	}
	return &t->class[i];
}

static void
tally_add(void *arg, int role, const char *class_name, bool signed_ok)
{
	struct tally *t = arg;
	struct aup_audit_count *c;

	if (role < 0)
		return;
	t->roles[role].total++;
	t->roles[role].signed_n += signed_ok;
	t->total++;
	t->signed_n += signed_ok;
	if (role != AUP_ROLE_PUPIL)
		return;
	c = class_slot(t, class_name != NULL ? class_name : "");
	c->total++;
	c->signed_n += signed_ok;
}

static int
by_name(const void *a, const void *b)
{
	const struct aup_audit_count *x = a, *y = b;

	return strcasecmp(x->name, y->name);
}

/* T into OUT: the roles with people in role order, the classes by name. */
static void
tally_end(struct tally *t, struct aup_audit_summary *out)
{
	for (int r = 0; r < AUP_ROLE_COUNT; r++) {
		if (t->roles[r].total == 0)
			continue;
		out->roles = xreallocarray(out->roles, out->nroles + 1,
		    sizeof *out->roles);
		out->roles[out->nroles] = t->roles[r];
		out->roles[out->nroles++].name = xstrdup(
		    aup_role_name((enum aup_role)r));
	}
	out->classes = xcalloc(t->n > 0 ? t->n : 1, sizeof *out->classes);
	for (size_t i = 0; i < t->cap; i++)
		if (t->class[i].name != NULL)
			out->classes[out->nclasses++] = t->class[i];
	qsort(out->classes, out->nclasses, sizeof *out->classes, by_name);
	out->signed_n = t->signed_n;
	out->total = t->total;
	free(t->class);
}

int
aup_audit_summary(struct aup_db *db, const struct aup_audit_filter *f,
    struct aup_audit_summary *out, struct aup_err *err)
{
	struct tally t = { 0 };
	struct st_due d;
	int rc;

	memset(out, 0, sizeof *out);
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	out->year = audit_year(db, f);
	if ((rc = due_get(db, out->year, &d, err)) == 0)
		rc = st_audit_counts(db, &d, f, tally_add, &t, err);
	free(d.once);
	tally_end(&t, out);
	if (rc != 0) {
		aup_audit_summary_clear(out);
		return -1;
	}
	return 0;
}

void
aup_audit_summary_clear(struct aup_audit_summary *s)
{
	for (size_t i = 0; i < s->nroles; i++)
		free(s->roles[i].name);
	for (size_t i = 0; i < s->nclasses; i++)
		free(s->classes[i].name);
	free(s->roles);
	free(s->classes);
	memset(s, 0, sizeof *s);
}

int
aup_standing(struct aup_db *db, const struct aup_user *u, time_t now,
    struct aup_standing *out, struct aup_err *err)
{
	const struct aup_config *cfg = db->cfg;
	int rc;

	memset(out, 0, sizeof *out);
	out->year = aup_academic_year(now, cfg->year_start_month,
	    cfg->year_start_day);
	out->grace_ends = aup_grace_end(cfg, now);
	if (aup_form_for(db, u->role, u->year, &out->form, err) != 0)
		return -1;
	if (out->form == NULL)
		return 0;
	rc = st_sig_valid(db, u->id, out->form->id, out->year,
	    !out->form->annual, &out->signed_on, err);
	if (rc < 0)
		return -1;
	out->signed_ok = rc == 0;
	out->enforced = cfg->aup_enforce && now >= out->grace_ends &&
	    !out->signed_ok;
	return 0;
}

/* The columns of a batch of signatures, by header (case-blind). */
enum { B_USER, B_SIGNER, B_REL, B_DATE, B_FORM, B_METHOD, B_NCOLS };
static const char *const batch_cols[B_NCOLS] = { "username", "signer",
	"relationship", "date", "form", "method" };

/* Which column of HEAD is each of batch_cols, or -1. */
static int
batch_header(const struct aup_record *head, const char *path, int *col,
    struct aup_err *err)
{
	for (int c = 0; c < B_NCOLS; c++)
		col[c] = -1;
	for (size_t i = 0; i < head->n; i++) {
		int c = name_index(batch_cols, B_NCOLS, head->field[i].text);

		if (c < 0 || col[c] >= 0) {
			aup_err_set(err, AUP_EX_DATAERR,
			    "%s:%ld:%ld: '%s' is %s column", path,
			    head->field[i].line, head->field[i].column,
			    head->field[i].text, c < 0 ? "not a" : "a second");
			aup_err_hint(err,
			    "the first line names the columns: username, "
			    "signer, relationship, date, and form and method "
			    "if needed");
			return -1;
		}
		col[c] = (int)i;
	}
	if (col[B_USER] < 0) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "%s:%ld: the first line names no username column", path,
		    head->line);
		aup_err_hint(err,
		    "start the file with a line like "
		    "username,signer,relationship,date");
		return -1;
	}
	return 0;
}

static const char *
cell(const struct aup_record *r, const int *col, int c)
{
	if (col[c] < 0 || (size_t)col[c] >= r->n ||
	    *r->field[col[c]].text == '\0')
		return NULL;
	return r->field[col[c]].text;
}

/* Where the problem in ERR is, from the field it names: its cell, else the
 * row's first. */
static void
batch_place(const struct aup_record *r, const int *col, struct aup_err *err)
{
	static const char *const field_col[B_NCOLS] = { "user", "signer",
		"relationship", "date", "form", "method" };
	int c = name_index(field_col, B_NCOLS, err->field);
	const struct aup_field *f = c >= 0 && col[c] >= 0 &&
		(size_t)col[c] < r->n ?
	    &r->field[col[c]] :
	    &r->field[0];

	aup_err_at(err, (int)f->line, (int)f->column);
}

/* Read row R into SPEC, or say which cell is wrong. */
static int
batch_spec(const struct aup_record *r, const int *col,
    struct aup_sign_spec *spec, struct aup_err *err)
{
	const char *v;

	memset(spec, 0, sizeof *spec);
	spec->relationship = spec->method = -1;
	spec->user = cell(r, col, B_USER);
	spec->signer = cell(r, col, B_SIGNER);
	spec->form = cell(r, col, B_FORM);
	if (spec->user == NULL)
		return core_refuse(err, "user", "no username");
	if ((v = cell(r, col, B_REL)) != NULL &&
	    (spec->relationship = aup_relationship_parse(v)) < 0)
		return core_refuse(err, "relationship",
		    "'%s' is not self, parent or carer", v);
	if ((v = cell(r, col, B_METHOD)) != NULL &&
	    (spec->method = aup_method_parse(v)) < 0)
		return core_refuse(err, "method", "'%s' is not paper or screen",
		    v);
	if ((v = cell(r, col, B_DATE)) != NULL &&
	    aup_date_parse(v, &spec->date) != 0)
		return core_refuse(err, "date",
		    "'%s' is not a date like 2026-09-14", v);
	return 0;
}

int
aup_sign_batch(struct aup_db *db, const char *path, bool dry_run,
    aup_batch_fn fn, void *arg, struct aup_err *err)
{
	struct aup_table *t;
	struct aup_record r;
	int col[B_NCOLS], rc;
	size_t bad = 0, rows = 0;

	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0 ||
	    (t = aup_table_open(path, AUP_ENC_AUTO, err)) == NULL)
		return -1;
	if ((rc = aup_table_next(t, &r, err)) <= 0) {
		if (rc == 0)
			aup_err_set(err, AUP_EX_DATAERR, "%s: empty", path);
		aup_table_close(t);
		return -1;
	}
	if (batch_header(&r, path, col, err) != 0 || st_begin(db, err) != 0) {
		aup_table_close(t);
		return -1;
	}
	while ((rc = aup_table_next(t, &r, err)) == 1) {
		struct aup_batch_row row = { .line = r.line };
		struct aup_sign_spec spec;
		struct aup_err e = { 0 };
		struct aup_signature g;

		rows++;
		row.username = cell(&r, col, B_USER);
		if (batch_spec(&r, col, &spec, &e) != 0 ||
		    aup_sign(db, &spec, &g, &row.already, &e) != 0) {
			batch_place(&r, col, &e);
			row.problem = &e;
			bad++;
			fn(arg, &row);
			continue;
		}
		row.sig = &g;
		fn(arg, &row);
		aup_signature_clear(&g);
	}
	aup_table_close(t);
	if (rc < 0 || bad > 0 || rows == 0 || dry_run) {
		st_rollback(db);
		if (rc < 0)
			return -1;
		if (bad > 0)
			return aup_err_set(err, AUP_EX_DATAERR,
			    "%zu of %zu rows could not be signed: nothing was "
			    "recorded",
			    bad, rows);
		if (rows == 0)
			return aup_err_set(err, AUP_EX_DATAERR,
			    "%s: no rows under the header", path);
		return 0;
	}
	return st_commit(db, err);
}
