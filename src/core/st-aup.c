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

/* The one text column SQL selects for FORM and VERSION, into *OUT. */
static int
form_column(struct aup_db *db, const char *sql, const char *form, int version,
    char **out, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql, err);
	int rc;

	*out = NULL;
	if (s == NULL)
		return -1;
	st_bind(s, "ti", form, version);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*out = st_col_text(s, 0);
	st_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_fail(db, err, "reading form texts");
	return rc == SQLITE_ROW ? 0 : 1;
}

int
st_form_digest(struct aup_db *db, const char *form, int version, char **digest,
    struct aup_err *err)
{
	return form_column(db, sql_form_digest, form, version, digest, err);
}

int
st_form_body(struct aup_db *db, const char *form, int version, char **body,
    struct aup_err *err)
{
	return form_column(db, sql_form_body, form, version, body, err);
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
 * The audit. Each person's agreement comes from the forms' index by their
 * year group (a pupil) or role (struct st_due), so the key stages stay
 * where model.c derives them. A person has signed when a signature of that
 * form is for the year, or for a form signed once, for any year up to it.
 * The filter's terms are parameters ?1 (role), ?2 and ?3 (the key stage's
 * years) and ?4 (class).
 */
#define P_FILTER 1

enum { F_ROLE = 1, F_KS = 2, F_CLASS = 4, F_SHAPES = 8 };

static int
filter_shape(const struct aup_audit_filter *f)
{
	return (f->role >= 0 ? F_ROLE : 0) | (f->ks >= 0 ? F_KS : 0) |
	    (f->class_name != NULL ? F_CLASS : 0);
}

/* The filter's terms, on people called u. */
static void
filter_sql(struct aup_buf *b, int shape)
{
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

static void
bind_filter(sqlite3_stmt *s, const struct aup_audit_filter *f)
{
	int lo = 0, hi = 0;

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
 * Who has not signed is found by merging two lists in id order, each read
 * straight off an index: the people (users_audit) and the year's
 * signatures (aup_signatures_year). A lookup per person would cost a
 * descent of the signatures' index each, most of the audit's time. The
 * unsigned go into a temporary table, from which the list reads their rows
 * and the summary its counts. SQLite: INDEXED BY and CROSS JOIN keep the
 * planner to these orders; the table lives in the handle's temp schema.
 */
static const char sql_unsigned_make[] =
    "CREATE TEMP TABLE IF NOT EXISTS audit_unsigned (uid INTEGER PRIMARY "
    "KEY, urole TEXT NOT NULL, uclass TEXT, uyear INTEGER, due TEXT NOT NULL)";
static const char sql_unsigned_clear[] = "DELETE FROM temp.audit_unsigned";
static const char sql_unsigned_add[] =
    "INSERT INTO temp.audit_unsigned VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_sig_year[] = "SELECT user_id, form FROM aup_signatures "
				   "WHERE academic_year = ?1 ORDER BY user_id";
static const char sql_unsigned_list[] =
    "SELECT " ST_USER_COLS ", x.due FROM temp.audit_unsigned x "
    "CROSS JOIN users u ON u.id = x.uid ORDER BY u.sort_key, u.first_key";

/* The people the filter takes, in id order, from users_audit alone. */
static void
people_sql(struct aup_buf *b, int shape)
{
	aup_buf_puts(b,
	    "SELECT id, role, class, year_group FROM users u "
	    "INDEXED BY users_audit WHERE u.status IN ('active', "
	    "'suspended', 'leaving')");
	filter_sql(b, shape);
	aup_buf_puts(b, " ORDER BY id");
}

/* Signed and total by role and class: everyone counted from the index
 * grouped by role and class, less the unsigned found. */
static void
counts_sql(struct aup_buf *b, int shape)
{
	aup_buf_puts(b,
	    "SELECT role, class, year_group, count(*) FROM users u "
	    "INDEXED BY users_audit_group WHERE u.status IN "
	    "('active', 'suspended', 'leaving')");
	filter_sql(b, shape);
	aup_buf_puts(b,
	    " GROUP BY role, class, year_group "
	    "ORDER BY role, class, year_group");
}

/* The unsigned counted in the same groups and order as counts_sql. */
static const char sql_unsigned_counts[] =
    "SELECT urole, uclass, uyear, count(*) FROM temp.audit_unsigned "
    "GROUP BY urole, uclass, uyear ORDER BY urole, uclass, uyear";

/* Order the groups of two rows as SQLite orders them: NULL first, text by
 * bytes, numbers by value. */
static int
group_cmp(sqlite3_stmt *a, sqlite3_stmt *b)
{
	for (int i = 0; i < 3; i++) {
		int ta = sqlite3_column_type(a, i),
		    tb = sqlite3_column_type(b, i);
		int c;

		if (ta == SQLITE_NULL || tb == SQLITE_NULL) {
			if (ta != tb)
				return ta == SQLITE_NULL ? -1 : 1;
			continue;
		}
		if (i == 2)
			c = (sqlite3_column_int(a, i) >
				sqlite3_column_int(b, i)) -
			    (sqlite3_column_int(a, i) <
				sqlite3_column_int(b, i));
		else
			c = strcmp((const char *)sqlite3_column_text(a, i),
			    (const char *)sqlite3_column_text(b, i));
		if (c != 0)
			return c;
	}
	return 0;
}

static const char *
due_of(const struct st_due *d, int role, int year)
{
	if (role < 0)
		return NULL;
	if (role != AUP_ROLE_PUPIL)
		return d->by_role[role];
	if (year < AUP_YEAR_N || year > AUP_YEAR_MAX)
		return NULL;
	return d->by_year[year - AUP_YEAR_N];
}

static bool
signed_once(const struct st_due *d, const char *form)
{
	size_t n = strlen(form);
	const char *p = d->once;

	while ((p = strstr(p, form)) != NULL) {
		if (p[-1] == ',' && p[n] == ',')
			return true;
		p += n;
	}
	return false;
}

/* Fill temp.audit_unsigned for D and F. */
static int
find_unsigned(struct aup_db *db, const struct st_due *d,
    const struct aup_audit_filter *f, struct aup_err *err)
{
	static const char keys[F_SHAPES];
	struct aup_buf b = { 0 };
	sqlite3_stmt *u, *s, *add;
	int rc, src = SQLITE_DONE, fail = 0;
	int64_t sid = 0;

	if (st_exec(db, sql_unsigned_make, "auditing signatures", err, "") !=
		0 ||
	    st_exec(db, sql_unsigned_clear, "auditing signatures", err, "") !=
		0)
		return -1;
	people_sql(&b, filter_shape(f));
	u = st_stmt_keyed(db, &keys[filter_shape(f)], b.data, err);
	aup_buf_free(&b);
	if (u == NULL || (s = st_stmt(db, sql_sig_year, err)) == NULL ||
	    (add = st_stmt(db, sql_unsigned_add, err)) == NULL)
		return -1;
	bind_filter(u, f);
	sqlite3_bind_int(s, 1, d->year);
	if ((src = sqlite3_step(s)) == SQLITE_ROW)
		sid = sqlite3_column_int64(s, 0);
	while ((rc = sqlite3_step(u)) == SQLITE_ROW) {
		int64_t uid = sqlite3_column_int64(u, 0);
		const char *role = (const char *)sqlite3_column_text(u, 1);
		const char *due = due_of(d, aup_role_parse(role),
		    st_col_year(u, 3));
		bool ok = false;
		time_t on;

		if (due == NULL)
			continue;
		while (src == SQLITE_ROW && sid < uid &&
		    (src = sqlite3_step(s)) == SQLITE_ROW)
			sid = sqlite3_column_int64(s, 0);
		while (src == SQLITE_ROW && sid == uid) {
			ok = ok ||
			    strcmp((const char *)sqlite3_column_text(s, 1),
				due) == 0;
			if ((src = sqlite3_step(s)) == SQLITE_ROW)
				sid = sqlite3_column_int64(s, 0);
		}
		if (!ok && signed_once(d, due)) {
			int v = st_sig_valid(db, uid, due, d->year, true, &on,
			    err);

			if (v < 0) {
				fail = 1;
				break;
			}
			ok = v == 0;
		}
		if (ok)
			continue;
		sqlite3_bind_int64(add, 1, uid);
		st_bind_text(add, 2, role);
		st_bind_text(add, 3, (const char *)sqlite3_column_text(u, 2));
		if (sqlite3_column_type(u, 3) == SQLITE_NULL)
			sqlite3_bind_null(add, 4);
		else
			sqlite3_bind_int(add, 4, sqlite3_column_int(u, 3));
		st_bind_text(add, 5, due);
		if (sqlite3_step(add) != SQLITE_DONE) {
			fail = st_fail(db, err, "auditing signatures");
			st_done(add);
			break;
		}
		st_done(add);
	}
	if (fail == 0 && rc != SQLITE_DONE)
		fail = st_fail(db, err, "auditing signatures");
	else if (fail == 0 && src != SQLITE_ROW && src != SQLITE_DONE)
		fail = st_fail(db, err, "reading signatures");
	st_done(u);
	st_done(s);
	return fail != 0 ? -1 : 0;
}

int
st_audit(struct aup_db *db, const struct st_due *d,
    const struct aup_audit_filter *f, st_audit_fn fn, void *arg,
    struct aup_err *err)
{
	sqlite3_stmt *s;
	int rc = SQLITE_DONE, stop = 0;

	/* One transaction: a consistent reading, and the temporary rows
	 * written in one go rather than each in its own. */
	if (st_begin(db, err) != 0)
		return -1;
	if (find_unsigned(db, d, f, err) != 0 ||
	    (s = st_stmt(db, sql_unsigned_list, err)) == NULL) {
		st_rollback(db);
		return -1;
	}
	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct aup_user u;

		st_row_user(s, &u);
		stop = fn(arg, &u,
		    (const char *)sqlite3_column_text(s, ST_USER_NCOLS));
		aup_user_clear(&u);
	}
	st_done(s);
	st_rollback(db);
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
	static const char keys[F_SHAPES];
	struct aup_buf b = { 0 };
	sqlite3_stmt *s, *m;
	int rc, mrc;

	if (st_begin(db, err) != 0)
		return -1;
	if (find_unsigned(db, d, f, err) != 0) {
		st_rollback(db);
		return -1;
	}
	counts_sql(&b, filter_shape(f));
	s = st_stmt_keyed(db, &keys[filter_shape(f)], b.data, err);
	aup_buf_free(&b);
	if (s == NULL) {
		st_rollback(db);
		return -1;
	}
	bind_filter(s, f);
	if ((m = st_stmt(db, sql_unsigned_counts, err)) == NULL) {
		st_done(s);
		st_rollback(db);
		return -1;
	}
	mrc = sqlite3_step(m);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int role = aup_role_parse(
		    (const char *)sqlite3_column_text(s, 0));
		int64_t n = sqlite3_column_int64(s, 3), missing = 0;

		while (mrc == SQLITE_ROW && group_cmp(m, s) < 0)
			mrc = sqlite3_step(m);
		if (mrc == SQLITE_ROW && group_cmp(m, s) == 0)
			missing = sqlite3_column_int64(m, 3);
		/* Those no agreement is for are not counted. */
		if (due_of(d, role, st_col_year(s, 2)) != NULL)
			fn(arg, role, (const char *)sqlite3_column_text(s, 1),
			    n - missing, n);
	}
	st_done(m);
	st_done(s);
	if (rc != SQLITE_DONE) {
		st_fail(db, err, "counting signatures");
		st_rollback(db);
		return -1;
	}
	st_rollback(db);
	return 0;
}

int
st_audit_plan(struct aup_db *db, const struct aup_audit_filter *f, bool counts,
    char **plan, struct aup_err *err)
{
	struct aup_buf b = { 0 };
	int shape = filter_shape(f), rc;

	if (st_exec(db, sql_unsigned_make, "auditing signatures", err, "") != 0)
		return -1;
	if (counts)
		counts_sql(&b, shape);
	else
		people_sql(&b, shape);
	rc = st_explain(db, b.data, plan, err);
	aup_buf_free(&b);
	return rc;
}
