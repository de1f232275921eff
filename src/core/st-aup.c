/* Storage of agreements: the texts of the form versions signed, the
 * signatures, and the audit's question of who has not signed. */
#include <stdlib.h>
#include <string.h>

#include "aup/aup.h"
#include "storage.h"

static const char sql_form_digest[] = "SELECT digest FROM aup_forms "
				      "WHERE form = ?1 AND version = ?2";
static const char sql_form_body[] = "SELECT body FROM aup_forms "
				    "WHERE form = ?1 AND version = ?2";
static const char sql_form_put[] =
    "INSERT INTO aup_forms (form, version, title, body, digest, stored_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

#define SIG_COLS \
	"s.id, s.user_id, u.username, s.form, s.version, f.title, " \
	"s.academic_year, s.signed_on, s.signer, s.relationship, " \
	"s.self_signed, s.method, s.witness, s.recorded_at"
#define SIG_FROM \
	" FROM aup_signatures s JOIN aup_forms f USING (form, version) " \
	"LEFT JOIN users u ON u.id = s.user_id "

static const char sql_sig_get[] =
    "SELECT " SIG_COLS SIG_FROM
    "WHERE s.user_id = ?1 AND s.academic_year = ?2 AND s.form = ?3";
static const char sql_sig_walk[] =
    "SELECT " SIG_COLS SIG_FROM
    "WHERE s.user_id = ?1 ORDER BY s.academic_year, s.signed_on, s.id";
static const char sql_sig_insert[] =
    "INSERT INTO aup_signatures (user_id, form, version, academic_year, "
    "signed_on, signer, relationship, self_signed, method, witness, "
    "recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
/* A signature for the year, or for a form signed once, any before it. */
static const char sql_sig_valid[] =
    "SELECT signed_on FROM aup_signatures WHERE user_id = ?1 AND form = ?2 "
    "AND academic_year <= ?3 AND (academic_year = ?3 OR ?4) "
    "ORDER BY academic_year DESC LIMIT 1";

int
st_form_digest(struct aup_db *db, const char *form, int version, char **digest,
    struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_form_digest, err);
	int rc;

	*digest = NULL;
	if (s == NULL)
		return -1;
	st_bind(s, "ti", form, version);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*digest = st_col_text(s, 0);
	st_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_fail(db, err, "reading form texts");
	return rc == SQLITE_ROW ? 0 : 1;
}

int
st_form_body(struct aup_db *db, const char *form, int version, char **body,
    struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_form_body, err);
	int rc;

	*body = NULL;
	if (s == NULL)
		return -1;
	st_bind(s, "ti", form, version);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*body = st_col_text(s, 0);
	st_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_fail(db, err, "reading form texts");
	return rc == SQLITE_ROW ? 0 : 1;
}

int
st_form_put(struct aup_db *db, const struct aup_form *f, const char *body,
    const char *digest, time_t now, struct aup_err *err)
{
	return st_exec(db, sql_form_put, "storing a form's text", err, "titttT",
	    f->id, f->version, f->title, body, digest, now);
}

static void
row_sig(sqlite3_stmt *s, struct aup_signature *g)
{
	memset(g, 0, sizeof *g);
	g->id = sqlite3_column_int64(s, 0);
	g->user_id = sqlite3_column_int64(s, 1);
	g->username = st_col_text(s, 2);
	g->form = st_col_text(s, 3);
	g->version = sqlite3_column_int(s, 4);
	g->title = st_col_text(s, 5);
	g->year = sqlite3_column_int(s, 6);
	g->signed_on = (time_t)sqlite3_column_int64(s, 7);
	g->signer = st_col_text(s, 8);
	g->relationship = (enum aup_relationship)aup_relationship_parse(
	    (const char *)sqlite3_column_text(s, 9));
	g->self_signed = sqlite3_column_int(s, 10) != 0;
	g->method = (enum aup_method)aup_method_parse(
	    (const char *)sqlite3_column_text(s, 11));
	g->witness = st_col_text(s, 12);
	g->recorded = (time_t)sqlite3_column_int64(s, 13);
}

int
st_sig_get(struct aup_db *db, int64_t user_id, const char *form, int year,
    struct aup_signature *out, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_sig_get, err);
	int rc;

	if (s == NULL)
		return -1;
	st_bind(s, "Iit", user_id, year, form);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		row_sig(s, out);
	st_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_fail(db, err, "reading signatures");
	return rc == SQLITE_ROW ? 0 : 1;
}

int
st_sig_insert(struct aup_db *db, struct aup_signature *g, struct aup_err *err)
{
	if (st_exec(db, sql_sig_insert, "recording a signature", err,
		"ItiiTttbttT", g->user_id, g->form, g->version, g->year,
		g->signed_on, g->signer, aup_relationship_name(g->relationship),
		g->self_signed, aup_method_name(g->method), g->witness,
		g->recorded) != 0)
		return -1;
	g->id = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

int
st_sig_walk(struct aup_db *db, int64_t user_id, aup_signature_fn fn, void *arg,
    struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_sig_walk, err);
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	st_bind(s, "I", user_id);
	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct aup_signature g;

		row_sig(s, &g);
		stop = fn(arg, &g);
		aup_signature_clear(&g);
	}
	st_done(s);
	if (stop != 0)
		return stop;
	if (rc != SQLITE_DONE)
		return st_fail(db, err, "reading signatures");
	return 0;
}

int
st_sig_valid(struct aup_db *db, int64_t user_id, const char *form, int year,
    bool once, time_t *signed_on, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_sig_valid, err);
	int rc;

	*signed_on = 0;
	if (s == NULL)
		return -1;
	st_bind(s, "Itib", user_id, form, year, once);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*signed_on = (time_t)sqlite3_column_int64(s, 0);
	st_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_fail(db, err, "reading signatures");
	return rc == SQLITE_ROW ? 0 : 1;
}

/*
 * The audit. Each person's agreement is a CASE over their year group (a
 * pupil) or role, whose values are bound from the forms' index, so that the
 * key stages stay where model.c derives them. A person is counted signed
 * when a signature of that form is for the year, or for a form signed once
 * (listed in ?2 as ",id,id,"), for any year up to it. Parameters: ?1 the
 * year, ?2 the forms signed once, ?3.. the year groups N..13, then the
 * roles; then the filter's.
 */
#define DUE_YEARS (AUP_YEAR_MAX - AUP_YEAR_N + 1)
#define P_YEARS	  3
#define P_ROLES	  (P_YEARS + DUE_YEARS)
#define P_FILTER  (P_ROLES + AUP_ROLE_COUNT)

enum { F_ROLE = 1, F_KS = 2, F_CLASS = 4, F_SHAPES = 8 };

static void
due_case(struct aup_buf *b)
{
	aup_buf_puts(b, "CASE WHEN u.role = 'pupil' THEN CASE u.year_group");
	for (int y = AUP_YEAR_N; y <= AUP_YEAR_MAX; y++)
		aup_buf_printf(b, " WHEN %d THEN ?%d", y,
		    P_YEARS + y - AUP_YEAR_N);
	aup_buf_puts(b, " END");
	for (int r = 0; r < AUP_ROLE_COUNT; r++)
		if (r != AUP_ROLE_PUPIL)
			aup_buf_printf(b, " WHEN u.role = '%s' THEN ?%d",
			    aup_role_name((enum aup_role)r), P_ROLES + r);
	aup_buf_puts(b, " END");
}

static int
filter_shape(const struct aup_audit_filter *f)
{
	return (f->role >= 0 ? F_ROLE : 0) | (f->ks >= 0 ? F_KS : 0) |
	    (f->class_name != NULL ? F_CLASS : 0);
}

/* The people the filter takes, read from index IDX alone: their id as
 * uid, role, class, and "due", the form they owe (NULL: none). */
static void
audit_people(struct aup_buf *b, int shape, const char *idx)
{
	aup_buf_puts(b, "SELECT id AS uid, role, class, ");
	due_case(b);
	aup_buf_printf(b,
	    " AS due FROM users u INDEXED BY %s WHERE "
	    "u.status IN ('active', 'suspended', 'leaving')",
	    idx);
	if (shape & F_ROLE)
		aup_buf_printf(b, " AND u.role = ?%d", P_FILTER);
	if (shape & F_KS)
		aup_buf_printf(b,
		    " AND u.role = 'pupil' AND u.year_group BETWEEN ?%d AND ?%d",
		    P_FILTER + 1, P_FILTER + 2);
	if (shape & F_CLASS)
		aup_buf_printf(b, " AND u.class = ?%d COLLATE NOCASE",
		    P_FILTER + 3);
}

static const char signed_expr[] =
    "EXISTS (SELECT 1 FROM aup_signatures s WHERE s.user_id = w.uid "
    "AND s.form = w.due AND s.academic_year <= ?1 AND (s.academic_year = ?1 "
    "OR instr(?2, ',' || s.form || ',') > 0))";

/* The unsigned: people in id order (users_audit), each signature looked
 * up in the order of its index. */
static void
audit_unsigned(struct aup_buf *b, int shape, const char *cols)
{
	aup_buf_printf(b, "SELECT %s FROM (", cols);
	audit_people(b, shape, "users_audit");
	aup_buf_printf(b, ") w WHERE due IS NOT NULL AND NOT %s", signed_expr);
}

static void
bind_due(sqlite3_stmt *s, const struct st_due *d,
    const struct aup_audit_filter *f)
{
	int lo = 0, hi = 0;

	sqlite3_bind_int(s, 1, d->year);
	st_bind_text(s, 2, d->once);
	for (int i = 0; i < DUE_YEARS; i++)
		st_bind_text(s, P_YEARS + i, d->by_year[i]);
	for (int r = 0; r < AUP_ROLE_COUNT; r++)
		if (r != AUP_ROLE_PUPIL)
			st_bind_text(s, P_ROLES + r, d->by_role[r]);
	if (f->role >= 0)
		st_bind_text(s, P_FILTER,
		    aup_role_name((enum aup_role)f->role));
	if (f->ks >= 0) {
		aup_ks_years((enum aup_ks)f->ks, &lo, &hi);
		sqlite3_bind_int(s, P_FILTER + 1, lo);
		sqlite3_bind_int(s, P_FILTER + 2, hi);
	}
	if (f->class_name != NULL)
		st_bind_text(s, P_FILTER + 3, f->class_name);
}

/*
 * The list of the unsigned, in list order: found from the indexes, then
 * only their rows read. Or with COUNTS, signed and total by role and class:
 * everyone counted from the index grouped by role and class, less the
 * unsigned counted the same way. SQLite: INDEXED BY and CROSS JOIN keep
 * the planner to these orders.
 */
static void
audit_sql(struct aup_buf *b, int shape, bool counts)
{
	if (counts) {
		aup_buf_puts(b,
		    "SELECT t.role, t.class, t.n - coalesce(m.n, 0), "
		    "t.n FROM (SELECT role, class, count(*) AS n "
		    "FROM (");
		audit_people(b, shape, "users_audit_group");
		aup_buf_puts(b,
		    ") WHERE due IS NOT NULL GROUP BY role, class) t "
		    "LEFT JOIN (SELECT role, class, count(*) AS n "
		    "FROM (");
		audit_unsigned(b, shape, "role, class");
		aup_buf_puts(b,
		    ") GROUP BY role, class) m ON m.role = t.role "
		    "AND m.class IS t.class");
	} else {
		aup_buf_puts(b, "SELECT " ST_USER_COLS ", x.due FROM (");
		audit_unsigned(b, shape, "uid, due");
		aup_buf_puts(b,
		    ") x CROSS JOIN users u ON u.id = x.uid "
		    "ORDER BY u.sort_key, u.first_key");
	}
}

/* The audit's statement for F's shape, made once per handle, bound. */
static sqlite3_stmt *
audit_stmt(struct aup_db *db, const struct st_due *d,
    const struct aup_audit_filter *f, bool counts, struct aup_err *err)
{
	static const char keys[2][F_SHAPES];
	int shape = filter_shape(f);
	struct aup_buf b = { 0 };
	sqlite3_stmt *s;

	audit_sql(&b, shape, counts);
	s = st_stmt_keyed(db, &keys[counts][shape], b.data, err);
	aup_buf_free(&b);
	if (s != NULL)
		bind_due(s, d, f);
	return s;
}

int
st_audit(struct aup_db *db, const struct st_due *d,
    const struct aup_audit_filter *f, st_audit_fn fn, void *arg,
    struct aup_err *err)
{
	sqlite3_stmt *s = audit_stmt(db, d, f, false, err);
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct aup_user u;

		st_row_user(s, &u);
		stop = fn(arg, &u,
		    (const char *)sqlite3_column_text(s, ST_USER_NCOLS));
		aup_user_clear(&u);
	}
	st_done(s);
	if (stop != 0)
		return stop;
	if (rc != SQLITE_DONE)
		return st_fail(db, err, "auditing signatures");
	return 0;
}

int
st_audit_counts(struct aup_db *db, const struct st_due *d,
    const struct aup_audit_filter *f, st_audit_count_fn fn, void *arg,
    struct aup_err *err)
{
	sqlite3_stmt *s = audit_stmt(db, d, f, true, err);
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		fn(arg, aup_role_parse((const char *)sqlite3_column_text(s, 0)),
		    (const char *)sqlite3_column_text(s, 1),
		    sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3));
	st_done(s);
	if (rc != SQLITE_DONE)
		return st_fail(db, err, "counting signatures");
	return 0;
}

int
st_audit_plan(struct aup_db *db, const struct aup_audit_filter *f, bool counts,
    char **plan, struct aup_err *err)
{
	struct aup_buf b = { 0 };
	int shape = filter_shape(f), rc;

	audit_sql(&b, shape, counts);
	rc = st_explain(db, b.data, plan, err);
	aup_buf_free(&b);
	return rc;
}
