/*
 * Import of the roll from an MIS export: read and check every row, match
 * each with the people here by MIS id, plan usernames for the new, hash
 * their passwords on every core, then apply it all in one transaction (a
 * savepoint a row), rolled back at the end of a dry run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/clock.h"
#include "aup/config.h"
#include "aup/import.h"
#include "aup/leaver.h"
#include "aup/json.h"
#include "aup/password.h"
#include "aup/slip.h"
#include "aup/user.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "core.h"
#include "pwstore.h"

#define NF AUP_IMPORT_FIELD_COUNT

/* Headers as MIS exports write them, folded to a-z and 0-9 ("Admission
 * No." is admissionno), the most telling first. */
static const char *const aliases[NF] = {
	[AUP_IMPORT_FIRST] = "legalforename forename legalfirstname firstname "
			     "givenname",
	[AUP_IMPORT_LAST] = "legalsurname surname legallastname lastname "
			    "familyname",
	[AUP_IMPORT_PREFERRED_FIRST] = "preferredforename preferredfirstname "
				       "knownas",
	[AUP_IMPORT_PREFERRED_LAST] = "preferredsurname preferredlastname",
	[AUP_IMPORT_YEAR] = "year yeargroup ncyear curriculumyear",
	[AUP_IMPORT_CLASS] = "reg reggroup registrationgroup regform form "
			     "formgroup tutorgroup class",
	[AUP_IMPORT_MIS_ID] = NULL, /* see ids below */
	[AUP_IMPORT_EMAIL] = "email workemail emailaddress schoolemail",
	[AUP_IMPORT_USERNAME] = "username login",
};
/* The MIS id is the first of these a row has: UPN, then admission number,
 * then the MIS's own id, then a staff code. */
static const char *const ids[] = { "upn", "adno admissionno admissionnumber",
	"misid personid", "staffcode staffid" };
#define NIDS (sizeof ids / sizeof ids[0])
/* As people know them, for "looked for ..." */
static const char *const looked[NF] = {
	[AUP_IMPORT_FIRST] = "Forename, Legal Forename, Preferred Forename, "
			     "First Name",
	[AUP_IMPORT_LAST] = "Surname, Legal Surname, Preferred Surname, "
			    "Last Name",
	[AUP_IMPORT_YEAR] = "Year, Year Group, NC Year",
	[AUP_IMPORT_MIS_ID] = "UPN, Adno, Admission No., MIS ID, Staff Code",
};

const char *
aup_import_action_name(enum aup_import_action a)
{
	static const char *const names[] = { "new", "class-logon", "update",
		"unchanged", "duplicate", "leaver", "invalid", "return" };

	return a < AUP_ROW_ACTION_COUNT ? names[a] : "";
}

/* S folded to its letters and digits, lower case. */
static void
header_key(const char *s, char *out, size_t size)
{
	size_t j = 0;

	aup_name_ascii(s, out, size);
	for (size_t i = 0; out[i] != '\0'; i++)
		if ((out[i] >= 'a' && out[i] <= 'z') ||
		    (out[i] >= '0' && out[i] <= '9'))
			out[j++] = out[i];
	out[j] = '\0';
}

/* Is KEY one of the space-separated WORDS? */
static bool
word_in(const char *words, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = words; p != NULL && *p != '\0';) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, key, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* Where each field is read from: a column index, or -1. */
struct columns {
	int f[NF];
	int id[NIDS];
	size_t n;
};

struct row {
	long line;
	char *v[NF];	 /* NULL when empty */
	long col[NF];	 /* where each starts; the line's for a missing one */
	char *legal[2];	 /* legal first and last, when not the names used */
	char *mis;	 /* the id chosen */
	char *alt[NIDS]; /* every id the row has, the most telling first */
	long mis_col;
	int year;
	bool bad;
	enum aup_import_action action;
	struct aup_user_plan plan;	  /* NEW */
	int64_t id;			  /* someone here */
	struct aup_user_edit edit;	  /* UPDATE: what changes */
	char *reason;			  /* DUPLICATE */
	struct aup_user_plan *class_plan; /* a class logon made for this row */
};

struct import {
	struct aup_db *db;
	const struct aup_import_opts *o;
	struct aup_table *t;
	aup_import_fn fn;
	void *arg;
	struct aup_import_summary *sum;
	struct columns c;
	struct row *rows;
	size_t nrows;
	int final_year;
	struct aup_user_batch *batch;
	char **ids; /* every MIS id in the file, sorted */
	size_t nids;
	char **classes; /* classes given a logon in this import */
	size_t nclasses;
	size_t invalid;
};

static int
emit(struct import *im, const struct aup_import_item *it)
{
	return im->fn != NULL ? im->fn(im->arg, it) : 0;
}

/* Report ROW invalid at COLUMN for the reason in E. */
static int
invalid(struct import *im, struct row *r, long column, const char *reason)
{
	struct aup_import_item it = { .action = AUP_ROW_INVALID,
		.line = r->line,
		.column = column,
		.mis_id = r->mis,
		.reason = reason };
	char name[256];

	snprintf(name, sizeof name, "%s %s",
	    r->v[AUP_IMPORT_FIRST] ? r->v[AUP_IMPORT_FIRST] : "",
	    r->v[AUP_IMPORT_LAST] ? r->v[AUP_IMPORT_LAST] : "");
	it.name = name;
	r->bad = true;
	im->invalid++;
	im->sum->count[AUP_ROW_INVALID]++;
	return emit(im, &it);
}

static int
map_columns(struct import *im, const struct aup_record *h, struct aup_err *err)
{
	const struct aup_import_map *map = NULL;
	const struct aup_config *cfg = aup_db_config(im->db);
	struct columns *c = &im->c;
	bool *used;
	const char *path = aup_table_path(im->t);

	if (im->o->map != NULL &&
	    (map = aup_config_import_map(cfg, im->o->map)) == NULL) {
		aup_err_set(err, AUP_EX_USAGE,
		    "there is no [import.%s] section in the configuration",
		    im->o->map);
		aup_err_hint(err,
		    "add one naming the header of each field; see "
		    "aupctl.ini(5)");
		return -1;
	}
	for (size_t f = 0; f < NF; f++)
		c->f[f] = -1;
	for (size_t i = 0; i < NIDS; i++)
		c->id[i] = -1;
	c->n = h->n;
	used = xcalloc(h->n + 1, sizeof *used);
	for (size_t i = 0; i < h->n; i++) {
		char key[128];

		header_key(h->field[i].text, key, sizeof key);
		for (size_t f = 0; f < NF; f++) {
			bool hit;

			if (map != NULL && map->header[f] != NULL) {
				char want[128];

				header_key(map->header[f], want, sizeof want);
				hit = strcmp(want, key) == 0;
			} else
				hit = aliases[f] != NULL &&
				    word_in(aliases[f], key);
			/* The first column that fits wins, unless a later
			 * one is named by an earlier alias. */
			if (hit && c->f[f] < 0)
				c->f[f] = (int)i, used[i] = true;
		}
		if (map != NULL && map->header[AUP_IMPORT_MIS_ID] != NULL)
			continue;
		for (size_t k = 0; k < NIDS; k++)
			if (c->id[k] < 0 && word_in(ids[k], key))
				c->id[k] = (int)i, used[i] = true;
	}
	if (map != NULL && map->header[AUP_IMPORT_MIS_ID] != NULL)
		c->id[0] = c->f[AUP_IMPORT_MIS_ID];
	for (size_t i = 0; i < h->n; i++)
		if (!used[i] && im->sum->nignored < 16 &&
		    h->field[i].text[0] != '\0')
			im->sum->ignored[im->sum->nignored++] = xstrdup(
			    h->field[i].text);
	free(used);

	/* What must be there. */
	static const enum aup_import_field need[] = { AUP_IMPORT_FIRST,
		AUP_IMPORT_LAST, AUP_IMPORT_YEAR, AUP_IMPORT_MIS_ID };
	for (size_t k = 0; k < sizeof need / sizeof need[0]; k++) {
		enum aup_import_field f = need[k];
		bool have;

		if (f == AUP_IMPORT_YEAR && im->o->role != AUP_ROLE_PUPIL)
			continue;
		if (f == AUP_IMPORT_FIRST)
			have = c->f[f] >= 0 ||
			    c->f[AUP_IMPORT_PREFERRED_FIRST] >= 0;
		else if (f == AUP_IMPORT_LAST)
			have = c->f[f] >= 0 ||
			    c->f[AUP_IMPORT_PREFERRED_LAST] >= 0;
		else if (f == AUP_IMPORT_MIS_ID) {
			have = false;
			for (size_t i = 0; i < NIDS; i++)
				have = have || c->id[i] >= 0;
		} else
			have = c->f[f] >= 0;
		if (have)
			continue;
		if (map != NULL && map->header[f] != NULL)
			aup_err_set(err, AUP_EX_DATAERR,
			    "%s:1: there is no column '%s', which [import.%s] "
			    "names for %s",
			    path, map->header[f], map->name,
			    aup_import_field_name(f));
		else
			aup_err_set(err, AUP_EX_DATAERR,
			    "%s:1: no column for the %s: looked for %s", path,
			    f == AUP_IMPORT_MIS_ID    ? "MIS id" :
				f == AUP_IMPORT_YEAR  ? "year group" :
				f == AUP_IMPORT_FIRST ? "first name" :
							"last name",
			    looked[f]);
		aup_err_hint(err,
		    "name the column in an [import.NAME] section of the "
		    "configuration and use --map NAME");
		aup_err_at(err, 1, 0);
		return -1;
	}
	return 0;
}

/* The value of column I of R (NULL when empty or absent), and where. */
static char *
cell(const struct aup_record *r, int i, long *col)
{
	if (i < 0 || (size_t)i >= r->n) {
		*col = i < 0 ? 0 : (r->n ? r->field[r->n - 1].column : 1);
		return NULL;
	}
	*col = r->field[i].column;
	return r->field[i].text[0] != '\0' ? xstrdup(r->field[i].text) : NULL;
}

static void
row_take(struct import *im, const struct aup_record *rec, struct row *r)
{
	const struct columns *c = &im->c;

	memset(r, 0, sizeof *r);
	r->line = rec->line;
	for (size_t f = 0; f < NF; f++)
		r->v[f] = cell(rec, c->f[f], &r->col[f]);
	/* Day-to-day names are the preferred ones; the legal ones when
	 * there are none, and kept beside them when they differ. */
	if (r->v[AUP_IMPORT_FIRST] != NULL &&
	    r->v[AUP_IMPORT_PREFERRED_FIRST] != NULL &&
	    strcmp(r->v[AUP_IMPORT_FIRST], r->v[AUP_IMPORT_PREFERRED_FIRST]))
		r->legal[0] = xstrdup(r->v[AUP_IMPORT_FIRST]);
	if (r->v[AUP_IMPORT_LAST] != NULL &&
	    r->v[AUP_IMPORT_PREFERRED_LAST] != NULL &&
	    strcmp(r->v[AUP_IMPORT_LAST], r->v[AUP_IMPORT_PREFERRED_LAST]))
		r->legal[1] = xstrdup(r->v[AUP_IMPORT_LAST]);
	if (r->v[AUP_IMPORT_PREFERRED_FIRST] != NULL) {
		free(r->v[AUP_IMPORT_FIRST]);
		r->v[AUP_IMPORT_FIRST] = xstrdup(
		    r->v[AUP_IMPORT_PREFERRED_FIRST]);
		r->col[AUP_IMPORT_FIRST] = r->col[AUP_IMPORT_PREFERRED_FIRST];
	} else if (c->f[AUP_IMPORT_FIRST] < 0)
		r->col[AUP_IMPORT_FIRST] = r->col[AUP_IMPORT_PREFERRED_FIRST];
	if (r->v[AUP_IMPORT_PREFERRED_LAST] != NULL) {
		free(r->v[AUP_IMPORT_LAST]);
		r->v[AUP_IMPORT_LAST] = xstrdup(
		    r->v[AUP_IMPORT_PREFERRED_LAST]);
		r->col[AUP_IMPORT_LAST] = r->col[AUP_IMPORT_PREFERRED_LAST];
	} else if (c->f[AUP_IMPORT_LAST] < 0)
		r->col[AUP_IMPORT_LAST] = r->col[AUP_IMPORT_PREFERRED_LAST];
	for (size_t k = 0, j = 0; k < NIDS; k++) {
		long col;

		if (c->id[k] >= 0 &&
		    (r->alt[j] = cell(rec, c->id[k], &col)) != NULL) {
			if (r->mis == NULL)
				r->mis = xstrdup(r->alt[j]), r->mis_col = col;
			j++;
		}
	}
	if (r->mis == NULL)
		for (size_t k = 0; k < NIDS; k++)
			if (c->id[k] >= 0) {
				(void)cell(rec, c->id[k], &r->mis_col);
				break;
			}
}

static void
row_clear(struct row *r)
{
	for (size_t f = 0; f < NF; f++)
		free(r->v[f]);
	free(r->mis);
	for (size_t k = 0; k < NIDS; k++)
		free(r->alt[k]);
	free(r->legal[0]);
	free(r->legal[1]);
	free(r->reason);
	aup_user_plan_clear(&r->plan);
	if (r->class_plan != NULL) {
		aup_user_plan_clear(r->class_plan);
		free(r->class_plan);
	}
	free((char *)r->edit.first);
	free((char *)r->edit.last);
	free((char *)r->edit.legal_first);
	free((char *)r->edit.legal_last);
	free((char *)r->edit.class_name);
	free((char *)r->edit.email);
}

static void
spec_of(const struct import *im, const struct row *r, struct aup_user_spec *s)
{
	const struct aup_config *cfg = aup_db_config(im->db);

	memset(s, 0, sizeof *s);
	s->role = im->o->role;
	s->first = r->v[AUP_IMPORT_FIRST] ? r->v[AUP_IMPORT_FIRST] : "";
	s->last = r->v[AUP_IMPORT_LAST] ? r->v[AUP_IMPORT_LAST] : "";
	s->year = im->o->role == AUP_ROLE_PUPIL ? r->year : AUP_YEAR_NONE;
	s->class_name = r->v[AUP_IMPORT_CLASS];
	s->mis_id = r->mis;
	s->email = r->v[AUP_IMPORT_EMAIL];
	s->username = r->v[AUP_IMPORT_USERNAME];
	s->legal_first = r->legal[0];
	s->legal_last = r->legal[1];
	s->generate = im->o->role != AUP_ROLE_PUPIL ||
	    r->year >= cfg->individual_from;
}

static int
cmp_mis(const void *a, const void *b)
{
	const struct row *x = *(struct row *const *)a;
	const struct row *y = *(struct row *const *)b;

	int c = strcmp(x->mis, y->mis);

	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/* Every check a row can fail without the database, each reported. */
static int
check_rows(struct import *im)
{
	struct row **by = xreallocarray(NULL, im->nrows + 1, sizeof *by);
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; i < im->nrows && rc == 0; i++) {
		struct row *r = &im->rows[i];
		struct aup_user_spec s;
		struct aup_problems probs;
		const char *y = r->v[AUP_IMPORT_YEAR];
		char why[600];

		r->year = AUP_YEAR_NONE;
		if (im->o->role == AUP_ROLE_PUPIL && y != NULL &&
		    (r->year = aup_year_parse(y)) == AUP_YEAR_NONE) {
			snprintf(why, sizeof why,
			    "'%s' is not a year group (N, R, 1 to 13, "
			    "Year 5, Y5, Reception, Nursery)",
			    y);
			rc = invalid(im, r, r->col[AUP_IMPORT_YEAR], why);
			continue;
		}
		if (r->year != AUP_YEAR_NONE && r->year > im->final_year) {
			snprintf(why, sizeof why,
			    "year %s is past the school's final year, %d",
			    aup_year_name(r->year), im->final_year);
			rc = invalid(im, r, r->col[AUP_IMPORT_YEAR], why);
			continue;
		}
		if (r->mis == NULL) {
			rc = invalid(im, r, r->mis_col,
			    "no MIS id: a row needs one to be matched next time");
			continue;
		}
		spec_of(im, r, &s);
		if (aup_user_validate(aup_db_config(im->db), &s, &probs) > 0) {
			const struct aup_problem *p = &probs.v[0];
			long col = r->mis_col;

			for (size_t f = 0; f < NF; f++)
				if (strcmp(p->field,
					f == AUP_IMPORT_MIS_ID ?
					    "mis_id" :
					    aup_import_field_name(f)) == 0)
					col = f == AUP_IMPORT_MIS_ID ?
					    r->mis_col :
					    r->col[f];
			rc = invalid(im, r, col, p->err.msg);
			aup_problems_free(&probs);
			continue;
		}
		if (im->o->role == AUP_ROLE_PUPIL && !s.generate &&
		    s.class_name == NULL) {
			snprintf(why, sizeof why,
			    "a pupil in year %s needs a class: they log on "
			    "with their class's logon",
			    aup_year_name(r->year));
			rc = invalid(im, r, r->col[AUP_IMPORT_CLASS], why);
			continue;
		}
		by[n++] = r;
	}
	/* The same MIS id twice in the file. */
	qsort(by, n, sizeof *by, cmp_mis);
	for (size_t i = 1, first = 0; i < n && rc == 0; i++) {
		struct row *a = by[first], *b = by[i];
		char why[160];

		/* Each later row of a run of one id names the first. */
		if (strcmp(a->mis, b->mis) != 0) {
			first = i;
			continue;
		}
		snprintf(why, sizeof why, "MIS id %s is also on line %ld",
		    b->mis, a->line);
		rc = invalid(im, b, b->mis_col, why);
	}
	free(by);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
in_file(const struct import *im, const char *mis)
{
	return mis != NULL &&
	    bsearch(&mis, im->ids, im->nids, sizeof *im->ids, cmp_str) != NULL;
}

static bool
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* What of R differs from U, the one here with its MIS id, into R->edit. */
static bool
diff(struct row *r, const struct aup_user *u)
{
	struct aup_user_edit *e = &r->edit;
	const char *first = r->v[AUP_IMPORT_FIRST];
	const char *last = r->v[AUP_IMPORT_LAST];
	const char *cls = r->v[AUP_IMPORT_CLASS];
	const char *email = r->v[AUP_IMPORT_EMAIL];
	bool any = false;

	memset(e, 0, sizeof *e);
	if (!same(first, u->first))
		e->first = xstrdup(first), any = true;
	if (!same(last, u->last))
		e->last = xstrdup(last), any = true;
	if (!same(r->legal[0], u->legal_first))
		e->legal_first = xstrdup(r->legal[0] ? r->legal[0] : ""),
		any = true;
	if (!same(r->legal[1], u->legal_last))
		e->legal_last = xstrdup(r->legal[1] ? r->legal[1] : ""),
		any = true;
	if (r->year != AUP_YEAR_NONE && r->year != u->year)
		e->set_year = true, e->year = r->year, any = true;
	/* A column the file lacks changes nothing; an empty cell clears. */
	if (!same(cls, u->class_name) && r->col[AUP_IMPORT_CLASS] > 0)
		e->class_name = xstrdup(cls ? cls : ""), any = true;
	if (!same(email, u->email) && r->col[AUP_IMPORT_EMAIL] > 0)
		e->email = xstrdup(email ? email : ""), any = true;
	return any;
}

/* Does R's class need a logon made, and can one be planned? Plans it into
 * R->class_plan when so. */
static int
plan_class_logon(struct import *im, struct row *r, struct aup_err *err)
{
	const char *cls = r->v[AUP_IMPORT_CLASS];
	struct aup_user_filter f;
	struct aup_user_spec s;
	int64_t n;

	for (size_t i = 0; i < im->nclasses; i++)
		if (strcasecmp(im->classes[i], cls) == 0)
			return 0;
	aup_user_filter_init(&f);
	f.role = AUP_ROLE_CLASS;
	f.class_name = cls;
	if (aup_user_count(im->db, &f, &n, err) != 0)
		return -1;
	im->classes = xreallocarray(im->classes, im->nclasses + 1,
	    sizeof *im->classes);
	im->classes[im->nclasses++] = xstrdup(cls);
	if (n > 0)
		return 0;
	memset(&s, 0, sizeof s);
	s.role = AUP_ROLE_CLASS;
	s.first = "Class";
	s.last = cls;
	s.year = r->year;
	s.class_name = cls;
	s.generate = true;
	r->class_plan = xcalloc(1, sizeof *r->class_plan);
	return aup_user_plan(im->db, im->batch, &s, r->class_plan, err);
}

/* Probably someone here under another MIS id: the same names (and year)
 * as a person whose id is not in the file. */
static int
find_duplicate(struct import *im, struct row *r, const struct aup_user *u,
    struct aup_err *err)
{
	struct aup_user_list l;

	if (aup_user_likely_duplicates(im->db, u, &l, err) != 0)
		return -1;
	for (size_t i = 0; i < l.n && r->reason == NULL; i++)
		if (!in_file(im, l.v[i].mis_id))
			r->reason = xasprintf(
			    "probably %s (%s %s, MIS id %s), who is not in "
			    "the file",
			    l.v[i].username, l.v[i].first, l.v[i].last,
			    l.v[i].mis_id ? l.v[i].mis_id : "none");
	aup_user_list_free(&l);
	return 0;
}

/* Decide what becomes of each valid row; reads the database, writes
 * nothing. */
static int
plan_rows(struct import *im, struct aup_err *err)
{
	const struct aup_config *cfg = aup_db_config(im->db);

	for (size_t i = 0; i < im->nrows; i++) {
		struct row *r = &im->rows[i];
		struct aup_user *u = NULL;
		struct aup_user_spec s;
		struct aup_err e;
		char ref[64];

		if (r->bad)
			continue;
		/* By UPN, then admission number...: the first that finds. */
		e.code = AUP_EX_NOUSER;
		for (size_t k = 0; k < NIDS && r->alt[k] != NULL && u == NULL;
		     k++) {
			snprintf(ref, sizeof ref, "mis:%s", r->alt[k]);
			if (aup_user_find(im->db, ref, &u, &e) != 0 &&
			    e.code != AUP_EX_NOUSER)
				break;
		}
		if (u != NULL) {
			if (u->role != im->o->role) {
				char why[200];

				snprintf(why, sizeof why,
				    "MIS id %s belongs to %s, a %s here, not a "
				    "%s",
				    r->mis, u->username, aup_role_name(u->role),
				    aup_role_name(im->o->role));
				aup_user_free(u);
				if (invalid(im, r, r->mis_col, why) != 0)
					return -1;
				continue;
			}
			r->id = u->id;
			r->action = diff(r, u) ? AUP_ROW_UPDATE :
						 AUP_ROW_UNCHANGED;
			/* Back before the purge: active again, their username
			 * and history kept; a password reset by leaving is
			 * made anew, for a slip. */
			if (u->status == AUP_STATUS_LEAVING ||
			    u->status == AUP_STATUS_LEFT) {
				r->action = AUP_ROW_RETURN;
				if (u->status == AUP_STATUS_LEFT &&
				    u->has_password) {
					aup_user_copy(&r->plan.user, u);
					r->plan.generate = true;
				}
				aup_user_free(u);
				continue;
			}
			/* A young pupil moved into a class uses its logon:
			 * one is made when the class has none. */
			if (r->action == AUP_ROW_UPDATE &&
			    u->role == AUP_ROLE_PUPIL && !u->has_password &&
			    r->edit.class_name != NULL &&
			    *r->edit.class_name != '\0' &&
			    (r->year != AUP_YEAR_NONE ? r->year : u->year) <
				cfg->individual_from &&
			    plan_class_logon(im, r, err) != 0) {
				aup_user_free(u);
				return -1;
			}
			aup_user_free(u);
			continue;
		}
		if (e.code != AUP_EX_NOUSER) {
			*err = e;
			return -1;
		}
		spec_of(im, r, &s);
		if (aup_user_plan(im->db, im->batch, &s, &r->plan, &e) != 0) {
			long col = r->mis_col;

			if (strcmp(e.field, "username") == 0)
				col = r->col[AUP_IMPORT_USERNAME] > 0 ?
				    r->col[AUP_IMPORT_USERNAME] :
				    r->col[AUP_IMPORT_FIRST];
			else if (strcmp(e.field, "year") == 0)
				col = r->col[AUP_IMPORT_YEAR];
			if (e.code != AUP_EX_DATAERR) {
				*err = e;
				return -1;
			}
			if (invalid(im, r, col, e.msg) != 0)
				return -1;
			continue;
		}
		if (find_duplicate(im, r, &r->plan.user, err) != 0)
			return -1;
		if (r->reason != NULL) {
			r->action = AUP_ROW_DUPLICATE;
			continue;
		}
		r->action = AUP_ROW_NEW;
		if (im->o->role == AUP_ROLE_PUPIL && !s.generate &&
		    plan_class_logon(im, r, err) != 0)
			return -1;
	}
	return 0;
}

/* ---- applying ---- */

static void
item_of_user(struct aup_import_item *it, enum aup_import_action a,
    const struct row *r, const struct aup_user *u, char *name, size_t size)
{
	memset(it, 0, sizeof *it);
	it->action = a;
	it->line = r != NULL ? r->line : 0;
	snprintf(name, size, "%s %s", u->first, u->last);
	it->username = u->username;
	it->mis_id = u->mis_id;
	it->name = name;
	it->class_name = u->class_name;
}

static int
insert(struct import *im, struct row *r, struct aup_user_plan *p,
    enum aup_import_action a, struct aup_slips *slips, struct aup_err *err)
{
	struct aup_import_item it;
	char name[256];
	int rc;

	if (aup_user_insert(im->db, p, err) != 0)
		return -1;
	if (slips != NULL && p->password != NULL) {
		if (aup_slips_add(slips, &p->user, p->password, err) != 0)
			return -1;
		im->sum->passwords++;
	}
	item_of_user(&it, a, r, &p->user, name, sizeof name);
	im->sum->count[a]++;
	rc = emit(im, &it);
	return rc;
}

static int
update(struct import *im, struct row *r, struct aup_err *err)
{
	struct aup_user *old = NULL, *u = NULL;
	struct aup_import_item it;
	char ref[32], name[256];
	int rc = -1;

	snprintf(ref, sizeof ref, "id:%lld", (long long)r->id);
	if (aup_user_find(im->db, ref, &old, err) != 0 ||
	    (r->action == AUP_ROW_UPDATE &&
		user_edit_as(im->db, ref, &r->edit, "import.update", err) !=
		    0) ||
	    aup_user_find(im->db, ref, &u, err) != 0)
		goto out;
	item_of_user(&it, r->action, r, u, name, sizeof name);
	im->sum->count[r->action]++;
	rc = 0;
	if (r->action == AUP_ROW_UNCHANGED) {
		rc = emit(im, &it);
		goto out;
	}
#define FIELD(f, o, n) \
	do { \
		if (rc == 0 && !same(o, n)) { \
			it.field = f, it.old = o, it.now = n; \
			rc = emit(im, &it); \
		} \
	} while (0)
	FIELD("first", old->first, u->first);
	FIELD("last", old->last, u->last);
	FIELD("legal_first", old->legal_first, u->legal_first);
	FIELD("legal_last", old->legal_last, u->legal_last);
	FIELD("year", aup_year_name(old->year), aup_year_name(u->year));
	FIELD("class", old->class_name, u->class_name);
	FIELD("email", old->email, u->email);
#undef FIELD
out:
	aup_user_free(old);
	aup_user_free(u);
	return rc;
}

/* R's person, leaving or left, is back: their details as the file has
 * them, active, their checklist gone if open; a password made anew when
 * leaving reset theirs, onto the slips. */
static int
come_back(struct import *im, struct row *r, struct aup_slips *slips,
    struct aup_err *err)
{
	struct aup_user *u = NULL;
	struct aup_import_item it;
	char ref[32], name[256];
	int rc = -1;

	snprintf(ref, sizeof ref, "id:%lld", (long long)r->id);
	if (aup_tx_begin(im->db, err) != 0)
		return -1;
	if (user_edit_as(im->db, ref, &r->edit, "import.update", err) != 0 ||
	    leaver_drop_open(im->db, r->id, err) != 0 ||
	    user_set_status_as(im->db, ref, AUP_STATUS_ACTIVE, NULL, 0,
		"import.return", err) != 0 ||
	    (r->plan.phc != NULL &&
		pw_install(im->db, r->id, r->plan.phc, true, "import.password",
		    err) != 0) ||
	    aup_user_find(im->db, ref, &u, err) != 0)
		goto out;
	if (slips != NULL && r->plan.password != NULL) {
		if (aup_slips_add(slips, u, r->plan.password, err) != 0)
			goto out;
		im->sum->passwords++;
	}
	if (aup_tx_commit(im->db, err) != 0)
		goto out;
	item_of_user(&it, AUP_ROW_RETURN, r, u, name, sizeof name);
	im->sum->count[AUP_ROW_RETURN]++;
	rc = emit(im, &it);
out:
	if (rc < 0)
		aup_tx_rollback(im->db);
	aup_user_free(u);
	return rc;
}

static int leavers(struct import *im, struct aup_err *err);

static int
apply(struct import *im, struct aup_slips *slips, struct aup_err *err)
{
	for (size_t i = 0; i < im->nrows; i++) {
		struct row *r = &im->rows[i];
		struct aup_import_item it;
		struct aup_err e;
		char name[256];
		int rc = 0;

		if (r->bad)
			continue;
		switch (r->action) {
		case AUP_ROW_NEW:
			if (r->class_plan != NULL)
				rc = insert(im, r, r->class_plan,
				    AUP_ROW_CLASS_LOGON, slips, &e);
			if (rc == 0)
				rc = insert(im, r, &r->plan, AUP_ROW_NEW, slips,
				    &e);
			break;
		case AUP_ROW_UPDATE:
			if (r->class_plan != NULL)
				rc = insert(im, r, r->class_plan,
				    AUP_ROW_CLASS_LOGON, slips, &e);
			if (rc == 0)
				rc = update(im, r, &e);
			break;
		case AUP_ROW_UNCHANGED: rc = update(im, r, &e); break;
		case AUP_ROW_RETURN: rc = come_back(im, r, slips, &e); break;
		case AUP_ROW_DUPLICATE:
			item_of_user(&it, AUP_ROW_DUPLICATE, r, &r->plan.user,
			    name, sizeof name);
			it.username = NULL;
			it.reason = r->reason;
			im->sum->count[AUP_ROW_DUPLICATE]++;
			if ((rc = emit(im, &it)) != 0)
				return rc;
			break;
		default: break;
		}
		if (rc > 0)
			return rc;
		if (rc < 0) {
			/* Each change had its own level, already undone. A
			 * row refused is listed with the rest, and the whole
			 * import stops at the end unless --skip-invalid. */
			if (e.code != AUP_EX_DATAERR) {
				*err = e;
				return -1;
			}
			if (invalid(im, r, r->mis_col, e.msg) != 0)
				return -1;
		}
	}
	return im->o->full_roll ? leavers(im, err) : 0;
}

struct leaver_scan {
	struct import *im;
	int64_t *ids;
	size_t n;
};

static int
leaver_row(void *arg, const struct aup_user_row *u)
{
	struct leaver_scan *ls = arg;

	if (u->status != AUP_STATUS_ACTIVE && u->status != AUP_STATUS_SUSPENDED)
		return 0;
	if (in_file(ls->im, u->mis_id))
		return 0;
	ls->ids = xreallocarray(ls->ids, ls->n + 1, sizeof *ls->ids);
	ls->ids[ls->n++] = u->id;
	return 0;
}

/* The people of the role here, active, whose MIS id is not in the file. */
static int
leavers(struct import *im, struct aup_err *err)
{
	struct leaver_scan ls = { .im = im };
	struct aup_user_filter f;
	char reason[160], day[16];
	int rc = 0;

	aup_user_filter_init(&f);
	f.role = (int)im->o->role;
	if (aup_user_query(im->db, &f, NULL, 0, leaver_row, &ls, err) != 0)
		return -1;
	aup_date_fmt(aup_now(), day, sizeof day);
	snprintf(reason, sizeof reason, "not in the MIS roll imported on %s",
	    day);
	for (size_t i = 0; i < ls.n && rc == 0; i++) {
		struct aup_import_item it;
		struct aup_user *u = NULL;
		char ref[32], name[256];

		snprintf(ref, sizeof ref, "id:%lld", (long long)ls.ids[i]);
		if (aup_user_find(im->db, ref, &u, err) != 0) {
			rc = -1;
			break;
		}
		/* Someone added by hand, with no MIS id, is named but never
		 * retired: no file could have had them. */
		if (im->o->retire_missing && u->mis_id != NULL &&
		    leaver_start_as(im->db, ref, 0, reason, "user.leaving",
			err) != 0) {
			aup_user_free(u);
			rc = -1;
			break;
		}
		item_of_user(&it, AUP_ROW_LEAVER, NULL, u, name, sizeof name);
		it.reason = u->mis_id == NULL ?
		    "has no MIS id, so no row can match them; not retired" :
		    "not in the file";
		im->sum->count[AUP_ROW_LEAVER]++;
		rc = emit(im, &it);
		aup_user_free(u);
	}
	free(ls.ids);
	return rc;
}

static int
log_import(struct import *im, struct aup_err *err)
{
	struct aup_buf b = { 0 };
	struct aup_json j;
	const char *base = strrchr(im->o->path, '/');
	int rc;

	aup_json_init(&j, &b);
	aup_json_object(&j);
	aup_json_kstr(&j, "file", base != NULL ? base + 1 : im->o->path);
	aup_json_kstr(&j, "role", aup_role_name(im->o->role));
	for (int a = 0; a < AUP_ROW_ACTION_COUNT; a++)
		aup_json_kint(&j, aup_import_action_name(a),
		    (int64_t)im->sum->count[a]);
	aup_json_end(&j);
	rc = aup_log_add(im->db, "import", NULL, NULL, b.data, err);
	aup_buf_free(&b);
	return rc;
}

/* ---- the whole ---- */

static int
read_rows(struct import *im, struct aup_err *err)
{
	struct aup_record rec;
	size_t cap = 0;
	int rc;

	if ((rc = aup_table_next(im->t, &rec, err)) <= 0) {
		if (rc == 0)
			aup_err_set(err, AUP_EX_DATAERR, "%s has no header",
			    im->o->path);
		return -1;
	}
	if (map_columns(im, &rec, err) != 0)
		return -1;
	while ((rc = aup_table_next(im->t, &rec, err)) > 0) {
		if (im->nrows == cap) {
			cap = cap ? cap * 2 : 256;
			im->rows = xreallocarray(im->rows, cap,
			    sizeof *im->rows);
		}
		row_take(im, &rec, &im->rows[im->nrows++]);
	}
	im->sum->rows = im->nrows;
	return rc;
}

static int
prepare(struct import *im, struct aup_err *err)
{
	struct aup_school school;

	if (aup_school_get(im->db, &school, err) != 0)
		return -1;
	im->final_year = school.final_year;
	aup_school_clear(&school);
	if ((im->t = aup_table_open(im->o->path, im->o->encoding, err)) == NULL)
		return -1;
	aup_strlcpy(im->sum->encoding, aup_table_encoding(im->t),
	    sizeof im->sum->encoding);
	im->sum->delimiter = aup_table_delimiter(im->t);
	if (read_rows(im, err) != 0)
		return -1;
	if (check_rows(im) != 0)
		return aup_err_set(err, AUP_EX_SOFTWARE, "import stopped");
	im->ids = xreallocarray(NULL, NIDS * im->nrows + 1, sizeof *im->ids);
	for (size_t i = 0; i < im->nrows; i++)
		for (size_t k = 0; k < NIDS && im->rows[i].alt[k] != NULL; k++)
			im->ids[im->nids++] = im->rows[i].alt[k];
	qsort(im->ids, im->nids, sizeof *im->ids, cmp_str);
	return 0;
}

static int
too_many_invalid(struct import *im, struct aup_err *err)
{
	aup_err_set(err, AUP_EX_DATAERR,
	    "%zu of the %zu rows of %s cannot be imported; nothing was "
	    "imported",
	    im->invalid, im->nrows, im->o->path);
	aup_err_hint(err,
	    "correct them in the MIS and export again, or use "
	    "--skip-invalid to import the rest");
	return -1;
}

int
aup_import_run(struct aup_db *db, const struct aup_import_opts *o,
    aup_import_fn fn, void *arg, struct aup_import_summary *sum,
    struct aup_err *err)
{
	struct import im = { .db = db,
		.o = o,
		.fn = fn,
		.arg = arg,
		.sum = sum };
	struct aup_user_plan **hash = NULL;
	struct aup_slips *slips = NULL;
	size_t nhash = 0;
	int rc = -1;

	memset(sum, 0, sizeof *sum);
	if (o->role != AUP_ROLE_PUPIL && o->role != AUP_ROLE_STAFF)
		return aup_err_set(err, AUP_EX_USAGE,
		    "an import is of pupils or of staff");
	if (o->retire_missing && !o->full_roll)
		return aup_err_set(err, AUP_EX_USAGE,
		    "only a full roll can retire those missing from it");
	if (aup_perm(db, AUP_PERM_MANAGE, err) != 0 ||
	    aup_perm(db, aup_perm_pw(o->role), err) != 0)
		return -1;
	im.batch = aup_user_batch_new();
	if (prepare(&im, err) != 0)
		goto out;
	if (im.invalid > 0 && !o->skip_invalid) {
		too_many_invalid(&im, err);
		goto out;
	}
	if (o->retire_missing && im.invalid == im.nrows) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "%s has no one in it to import: as a full roll it would "
		    "retire everyone; nothing was imported",
		    o->path);
		goto out;
	}
	if (plan_rows(&im, err) != 0)
		goto out;
	if (im.invalid > 0 && !o->skip_invalid) {
		too_many_invalid(&im, err);
		goto out;
	}
	hash = xreallocarray(NULL, 2 * im.nrows + 1, sizeof *hash);
	for (size_t i = 0; i < im.nrows; i++) {
		struct row *r = &im.rows[i];

		if (r->bad)
			continue;
		if (r->class_plan != NULL)
			hash[nhash++] = r->class_plan;
		if ((r->action == AUP_ROW_NEW || r->action == AUP_ROW_RETURN) &&
		    r->plan.generate)
			hash[nhash++] = &r->plan;
	}
	if (nhash > 0 && !o->dry_run && o->slips == NULL) {
		aup_err_set(err, AUP_EX_USAGE,
		    "this import makes %zu new passwords and has nowhere to "
		    "put them; nothing was imported",
		    nhash);
		aup_err_hint(err,
		    "name a file for the login slips with --slips FILE "
		    "(.csv for mail merge, .txt to print)");
		goto out;
	}
	/* Hashes are made before the write lock is taken; a dry run makes
	 * none, and its people are planned and written the same. */
	if (o->dry_run)
		for (size_t i = 0; i < nhash; i++)
			hash[i]->generate = false;
	else if (user_hash_all(db, hash, nhash, o->jobs, o->progress,
		     o->progress_arg, err) != 0)
		goto out;
	if (aup_tx_begin(db, err) != 0)
		goto out;
	if (!o->dry_run && o->slips != NULL && nhash > 0 &&
	    (slips = aup_slips_open(db, o->slips, o->slip_format, err)) ==
		NULL) {
		aup_tx_rollback(db);
		goto out;
	}
	rc = apply(&im, slips, err);
	if (rc == 0 && im.invalid > 0 && !o->skip_invalid)
		rc = too_many_invalid(&im, err);
	/* An import that changed nothing leaves no trace in the log. */
	if (rc == 0 &&
	    (sum->count[AUP_ROW_NEW] + sum->count[AUP_ROW_CLASS_LOGON] +
			sum->count[AUP_ROW_UPDATE] +
			sum->count[AUP_ROW_RETURN] >
		    0 ||
		(o->retire_missing && sum->count[AUP_ROW_LEAVER] > 0)))
		rc = log_import(&im, err);
	if (rc != 0 || o->dry_run) {
		aup_slips_end(db, slips, false, err);
		if (rc > 0)
			rc = -1;
		goto out;
	}
	rc = aup_slips_end(db, slips, true, err);
	sum->committed = rc == 0;
out:
	free(hash);
	for (size_t i = 0; i < im.nrows; i++)
		row_clear(&im.rows[i]);
	free(im.rows);
	free(im.ids);
	for (size_t i = 0; i < im.nclasses; i++)
		free(im.classes[i]);
	free(im.classes);
	aup_user_batch_free(im.batch);
	if (im.t != NULL)
		aup_table_close(im.t);
	return rc;
}

void
aup_import_summary_clear(struct aup_import_summary *s)
{
	for (size_t i = 0; i < s->nignored; i++)
		free((char *)s->ignored[i]);
	memset(s, 0, sizeof *s);
}
