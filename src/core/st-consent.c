/* Storage of parents' consents: one row per pupil and academic year, and
 * the list of pupils with theirs, one statement per shape of filter so that
 * SQLite picks the index that fits. */
#include <stdlib.h>
#include <string.h>

#include "aup/consent.h"
#include "storage.h"

static const char sql_consent_get[] =
    "SELECT images, platforms, signer, relationship, form, version "
    "FROM aup_consents "
    "WHERE academic_year = ?1 AND user_id = ?2";
/* A consent given again replaces the last, with the form it was given
 * on. */
static const char sql_consent_put[] =
    "INSERT INTO aup_consents (user_id, academic_year, images, platforms, "
    "signer, relationship, recorded_at, operator, form, version) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
    "ON CONFLICT (academic_year, user_id) DO UPDATE SET "
    "images = excluded.images, platforms = excluded.platforms, "
    "signer = excluded.signer, relationship = excluded.relationship, "
    "form = excluded.form, version = excluded.version, "
    "recorded_at = excluded.recorded_at, operator = excluded.operator";

#define CONSENT_COLS \
	"c.academic_year, c.images, c.platforms, c.signer, c.relationship, " \
	"c.form, c.version, c.recorded_at, c.operator"
#define PUPIL_COLS \
	"u.id, u.username, u.first_name, u.last_name, u.year_group, u.class"

static const char sql_consent_user[] =
    "SELECT " PUPIL_COLS ", " CONSENT_COLS " FROM aup_consents c "
    "JOIN users u ON u.id = c.user_id WHERE c.user_id = ?1 "
    "ORDER BY c.academic_year";

void
st_consent_clear(struct st_consent *c)
{
	free(c->signer);
	free(c->relationship);
	free(c->form);
	memset(c, 0, sizeof *c);
}

int
st_consent_get(struct aup_db *db, int64_t user_id, int year,
    struct st_consent *c, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_consent_get, err);
	int rc;

	memset(c, 0, sizeof *c);
	if (s == NULL)
		return -1;
	st_bind(s, "iI", year, user_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		c->images = sqlite3_column_int(s, 0) != 0;
		c->platforms = sqlite3_column_int(s, 1) != 0;
		c->signer = st_col_text(s, 2);
		c->relationship = st_col_text(s, 3);
		c->form = st_col_text(s, 4);
		c->version = sqlite3_column_int(s, 5);
	}
	st_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_fail(db, err, "reading a consent");
	return rc == SQLITE_ROW ? 0 : 1;
}

int
st_consent_put(struct aup_db *db, int64_t user_id, int year,
    const struct st_consent *c, time_t at, const char *operator,
    struct aup_err * err)
{
	return st_exec(db, sql_consent_put, "saving a consent", err,
	    "IibbttIttU", user_id, year, c->images, c->platforms, c->signer,
	    c->relationship, (int64_t)at, operator, c->form,
	    (int64_t)(c->form != NULL ? c->version : 0));
}

/* What a list filters on: one bit each; the shape keys the cache. */
enum {
	C_CLASS = 1 << 0,
	C_IMAGES = 1 << 1,
	C_PLATFORMS = 1 << 2,
	C_MISSING = 1 << 3,
	C_SHAPES = 1 << 4
};
static const char consent_keys[C_SHAPES];

static const char *const consent_terms[] = {
	"u.class = :class COLLATE NOCASE",
	"c.images = :images",
	"c.platforms = :platforms",
	"c.user_id IS NULL",
};

/* Pupils on roll, in name order, with their consent for :year if any;
 * each filter narrows the pupils through the index that fits it. */
static sqlite3_stmt *
consent_stmt(struct aup_db *db, const struct aup_consent_filter *f,
    struct aup_err *err)
{
	unsigned q = (f->class_name != NULL ? C_CLASS : 0) |
	    (f->images >= 0 ? C_IMAGES : 0) |
	    (f->platforms >= 0 ? C_PLATFORMS : 0) |
	    (f->missing ? C_MISSING : 0);
	struct aup_buf b = { 0 };
	sqlite3_stmt *s;

	aup_buf_puts(&b,
	    "SELECT " PUPIL_COLS ", " CONSENT_COLS " FROM users u "
	    "LEFT JOIN aup_consents c ON c.academic_year = :year AND "
	    "c.user_id = u.id WHERE u.role = 'pupil' AND "
	    "u.status IN ('active', 'suspended')");
	for (size_t i = 0; i < sizeof consent_terms / sizeof *consent_terms;
	     i++)
		if (q & (1u << i))
			aup_buf_printf(&b, " AND %s", consent_terms[i]);
	aup_buf_puts(&b, " ORDER BY u.sort_key, u.id");
	s = st_stmt_keyed(db, &consent_keys[q], b.data, err);
	aup_buf_free(&b);
	if (s == NULL)
		return NULL;
	sqlite3_bind_int(s, sqlite3_bind_parameter_index(s, ":year"), f->year);
	if (q & C_CLASS)
		st_bind_text(s, sqlite3_bind_parameter_index(s, ":class"),
		    f->class_name);
	if (q & C_IMAGES)
		sqlite3_bind_int(s, sqlite3_bind_parameter_index(s, ":images"),
		    f->images);
	if (q & C_PLATFORMS)
		sqlite3_bind_int(s,
		    sqlite3_bind_parameter_index(s, ":platforms"),
		    f->platforms);
	return s;
}

static void
row_fill(sqlite3_stmt *s, struct aup_consent_row *r)
{
#define TEXT(i) ((const char *)sqlite3_column_text(s, (i)))
	memset(r, 0, sizeof *r);
	r->user_id = sqlite3_column_int64(s, 0);
	r->username = TEXT(1);
	r->first = TEXT(2);
	r->last = TEXT(3);
	r->year_group = st_col_year(s, 4);
	r->class_name = TEXT(5);
	r->recorded = sqlite3_column_type(s, 6) != SQLITE_NULL;
	if (!r->recorded)
		return;
	r->academic_year = sqlite3_column_int(s, 6);
	r->images = sqlite3_column_int(s, 7) != 0;
	r->platforms = sqlite3_column_int(s, 8) != 0;
	r->signer = TEXT(9);
	r->relationship = TEXT(10);
	r->form = TEXT(11);
	r->version = sqlite3_column_int(s, 12);
	r->recorded_at = (time_t)sqlite3_column_int64(s, 13);
	r->operator= TEXT(14);
#undef TEXT
}

/* Hand each row of S to FN, then reset S. */
static int
walk(struct aup_db *db, sqlite3_stmt *s,
    int (*fn)(void *, const struct aup_consent_row *), void *arg, int year,
    struct aup_err *err)
{
	int rc, stop = 0;

	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct aup_consent_row r;

		row_fill(s, &r);
		if (!r.recorded)
			r.academic_year = year;
		stop = fn(arg, &r);
	}
	st_done(s);
	if (stop != 0)
		return stop;
	if (rc != SQLITE_DONE)
		return st_fail(db, err, "listing consents");
	return 0;
}

int
st_consent_query(struct aup_db *db, const struct aup_consent_filter *f,
    int (*fn)(void *, const struct aup_consent_row *), void *arg,
    struct aup_err *err)
{
	sqlite3_stmt *s = consent_stmt(db, f, err);

	if (s == NULL)
		return -1;
	return walk(db, s, fn, arg, f->year, err);
}

int
st_consent_query_plan(struct aup_db *db, const struct aup_consent_filter *f,
    char **plan, struct aup_err *err)
{
	return st_explain_stmt(db, consent_stmt(db, f, err), plan, err);
}

int
st_consent_walk_user(struct aup_db *db, int64_t user_id,
    int (*fn)(void *, const struct aup_consent_row *), void *arg,
    struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_consent_user, err);

	if (s == NULL)
		return -1;
	st_bind(s, "I", user_id);
	return walk(db, s, fn, arg, 0, err);
}
