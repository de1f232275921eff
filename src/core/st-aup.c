/* Storage of agreements: the texts of the form versions signed, the
 * signatures, and the audit's question of who has not signed. */
#include <stdint.h>
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
 * Who has not signed: the year's signatures are read first, straight off
 * their index (aup_signatures_year), into a table by person id of the
 * forms each signed; then the people from an index that holds every
 * column needed, so that no row of the table is read and nothing is
 * sorted. The list walks users_audit, which holds the names, in list
 * order, and audit_unsigned keeps SQLite from reading the names of those
 * who have signed; the counts walk the narrow users_audit_count in its
 * own order. The table costs four bytes a person id; a lookup of the
 * signatures per person would cost a descent of their index each, and
 * the list's people read from the table in name order a page each:
 * those were most of the audit's time.
 */
static const char sql_max_id[] = "SELECT max(id) FROM users";
static const char sql_sig_year[] = "SELECT user_id, form FROM aup_signatures "
				   "WHERE academic_year = ?1 AND user_id "
				   "IS NOT NULL";

/* The people's columns, as people_sql selects them. */
enum {
	P_ID,
	P_ROLE,
	P_CLASS,
	P_YEAR,
	P_STATUS,
	P_USERNAME,
	P_FIRST,
	P_LAST,
};

/* The walk's state, to the list's SQL filter: parameter P_WALK. */
#define P_WALK (P_FILTER + 4)

/* The people the filter takes, from one index alone: for the list, in
 * list order with every column above, from users_audit, only those
 * audit_unsigned lets through; for counting, only P_ID to P_YEAR in any
 * order, from the narrow users_audit_count. Both take the active,
 * suspended and leaving: the counting index has status first, so an IN
 * is three runs of it; users_audit has it inside, where an IN would
 * probe a table for every entry and the two statuses left out (the
 * schema allows five) are two comparisons. */
_Static_assert(AUP_STATUS_COUNT == 5, "people_sql's statuses left out");

static void
people_sql(struct aup_buf *b, int shape, bool counting)
{
	aup_buf_printf(b,
	    "SELECT id, role, class, year_group%s FROM users u "
	    "INDEXED BY %s WHERE %s",
	    counting ? "" : ", status, username, first_name, last_name",
	    counting ? "users_audit_count" : "users_audit",
	    counting ? "u.status IN ('active', 'suspended', 'leaving')" :
		       "u.status <> 'left' AND u.status <> 'expired'");
	filter_sql(b, shape);
	if (!counting)
		aup_buf_printf(b,
		    " AND audit_unsigned(?%d, u.id, u.role, u.year_group) "
		    "ORDER BY sort_key, id",
		    P_WALK);
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

/* The forms anyone owes, each a bit of struct signed_by's masks: there are
 * at most as many as year groups and roles. */
#define DUE_MAX (AUP_YEAR_MAX - AUP_YEAR_N + 1 + AUP_ROLE_COUNT)

struct signed_by {
	const char *form[DUE_MAX];
	int nform;
	uint32_t *mask; /* by person id: the forms signed, a bit each */
	int64_t max_id;
};

/* The bit of FORM in S, 0 when no one owes it. */
static uint32_t
form_bit(const struct signed_by *s, const char *form)
{
	for (int i = 0; i < s->nform; i++)
		if (strcmp(s->form[i], form) == 0)
			return (uint32_t)1 << i;
	return 0;
}

/* Who signed which of D's forms for its year, into S. */
static int
signed_read(struct aup_db *db, const struct st_due *d, struct signed_by *s,
    struct aup_err *err)
{
	const char *all[DUE_MAX];
	sqlite3_stmt *q;
	int rc, n = 0;

	memset(s, 0, sizeof *s);
	for (int y = 0; y <= AUP_YEAR_MAX - AUP_YEAR_N; y++)
		all[n++] = d->by_year[y];
	for (int r = 0; r < AUP_ROLE_COUNT; r++)
		all[n++] = d->by_role[r];
	for (int i = 0; i < n; i++)
		if (all[i] != NULL && form_bit(s, all[i]) == 0)
			s->form[s->nform++] = all[i];
	if ((q = st_stmt(db, sql_max_id, err)) == NULL)
		return -1;
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		s->max_id = sqlite3_column_int64(q, 0);
	st_done(q);
	if (rc != SQLITE_ROW)
		return st_fail(db, err, "reading signatures");
	s->mask = xcalloc((size_t)s->max_id + 1, sizeof *s->mask);
	if ((q = st_stmt(db, sql_sig_year, err)) == NULL)
		return -1;
	sqlite3_bind_int(q, 1, d->year);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0);

		if (id > 0 && id <= s->max_id)
			s->mask[id] |= form_bit(s,
			    (const char *)sqlite3_column_text(q, 1));
	}
	st_done(q);
	return rc == SQLITE_DONE ? 0 : st_fail(db, err, "reading signatures");
}

/* What a person owes, by role and year group (slot 0: none, then N, R,
 * 1 ... 13): the form, its bit in struct signed_by's masks and whether it
 * is signed once; worked out for each role and year group, not for each
 * of a school's people. */
#define YEAR_SLOTS (AUP_YEAR_MAX - AUP_YEAR_N + 2)

struct owed {
	const char *form;
	uint32_t bit;
	bool once;
};

static void
owed_table(const struct st_due *d, const struct signed_by *s,
    struct owed t[AUP_ROLE_COUNT][YEAR_SLOTS])
{
	for (int r = 0; r < AUP_ROLE_COUNT; r++)
		for (int y = 0; y < YEAR_SLOTS; y++) {
			struct owed *o = &t[r][y];

			o->form = due_of(d, r,
			    y == 0 ? AUP_YEAR_NONE : AUP_YEAR_N + y - 1);
			o->bit = o->form != NULL ? form_bit(s, o->form) : 0;
			o->once = o->form != NULL && signed_once(d, o->form);
		}
}

static const struct owed *
owed_of(struct owed t[AUP_ROLE_COUNT][YEAR_SLOTS], int role, int year)
{
	if (role < 0)
		return NULL;
	return &t[role][year >= AUP_YEAR_N && year <= AUP_YEAR_MAX ?
		year - AUP_YEAR_N + 1 :
		0];
}

/* What a walk reads before the people: who signed what, and what each
 * role and year group owes. */
struct walk {
	struct signed_by sb;
	struct owed owed[AUP_ROLE_COUNT][YEAR_SLOTS];
};

/* Has person UID signed form O this year, by W's table? */
static bool
signed_this_year(const struct walk *w, int64_t uid, const struct owed *o)
{
	return uid <= w->sb.max_id && (w->sb.mask[uid] & o->bit) != 0;
}

/*
 * audit_unsigned(WALK, ID, ROLE, YEAR): 0 when the person has signed what
 * they owe this year or owes nothing, else 1. The list's SQL asks it of
 * every person, so that SQLite reads the names of only those it lets
 * through, which are few in a school that has mostly signed: a third of
 * the list's time went on the names of people who had signed. A form
 * signed once (in an earlier year) is for the walk to look up, so those
 * are let through. WALK comes bound as a pointer, which SQL cannot make;
 * and the function is for direct use only, never from the schema.
 */
static const char walk_type[] = "aup_audit_walk";

static void
audit_unsigned(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct walk *w = sqlite3_value_pointer(argv[0], walk_type);
	const char *role = (const char *)sqlite3_value_text(argv[2]);
	int64_t uid = sqlite3_value_int64(argv[1]);
	const struct owed *o;

	(void)argc;
	if (w == NULL) {
		sqlite3_result_error(cx, "audit_unsigned: no walk", -1);
		return;
	}
	o = owed_of(w->owed, aup_role_parse(role != NULL ? role : ""),
	    sqlite3_value_type(argv[3]) == SQLITE_NULL ?
		AUP_YEAR_NONE :
		sqlite3_value_int(argv[3]));
	sqlite3_result_int(cx,
	    o != NULL && o->form != NULL && !signed_this_year(w, uid, o));
}

/* audit_unsigned on DB's connection, once. */
static int
audit_fn_register(struct aup_db *db, struct aup_err *err)
{
	if (db->audit_fn)
		return 0;
	if (sqlite3_create_function_v2(db->sql, "audit_unsigned", 4,
		SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, audit_unsigned, NULL,
		NULL, NULL) != SQLITE_OK)
		return st_fail(db, err, "preparing the audit");
	db->audit_fn = true;
	return 0;
}

/* Called for each person the audit looks at, with the people's statement
 * on their row: their form DUE and whether it is signed (OK). */
typedef int (
    *walk_fn)(void *arg, sqlite3_stmt *u, int role, const char *due, bool ok);

/* The people D and F take, in list order (COUNTING: in any order, with
 * the columns up to P_YEAR), calling FN for each: 0 done, -1 error, else
 * what FN stopped with. One transaction: a consistent reading. */
static int
audit_walk(struct aup_db *db, const struct st_due *d,
    const struct aup_audit_filter *f, bool counting, walk_fn fn, void *arg,
    struct aup_err *err)
{
	static const char keys[2][F_SHAPES];
	struct walk w = { 0 };
	struct aup_buf b = { 0 };
	sqlite3_stmt *u;
	int rc = SQLITE_DONE, stop = 0;

	if (audit_fn_register(db, err) != 0 || st_begin(db, err) != 0)
		return -1;
	people_sql(&b, filter_shape(f), counting);
	u = st_stmt_keyed(db, &keys[counting][filter_shape(f)], b.data, err);
	aup_buf_free(&b);
	if (u == NULL || signed_read(db, d, &w.sb, err) != 0) {
		free(w.sb.mask);
		st_rollback(db);
		return -1;
	}
	owed_table(d, &w.sb, w.owed);
	bind_filter(u, f);
	if (!counting)
		sqlite3_bind_pointer(u, P_WALK, &w, walk_type, NULL);
	while (stop == 0 && (rc = sqlite3_step(u)) == SQLITE_ROW) {
		int64_t uid = sqlite3_column_int64(u, P_ID);
		int role = aup_role_parse(
		    (const char *)sqlite3_column_text(u, P_ROLE));
		const struct owed *o = owed_of(w.owed, role,
		    st_col_year(u, P_YEAR));
		bool ok;
		time_t on;

		if (o == NULL || o->form == NULL)
			continue;
		ok = signed_this_year(&w, uid, o);
		if (!ok && o->once) {
			int v = st_sig_valid(db, uid, o->form, d->year, true,
			    &on, err);

			if (v < 0) {
				stop = -1;
				break;
			}
			ok = v == 0;
		}
		stop = fn(arg, u, role, o->form, ok);
	}
	if (stop == 0 && rc != SQLITE_DONE)
		stop = st_fail(db, err, "auditing signatures");
	st_done(u); /* unbinds the walk */
	free(w.sb.mask);
	st_rollback(db);
	return stop;
}

struct list_walk {
	st_audit_fn fn;
	void *arg;
};

/* An unsigned person, as much of them as the audit shows, to the list's
 * function. */
static int
list_one(void *arg, sqlite3_stmt *s, int role, const char *due, bool ok)
{
	struct list_walk *w = arg;
	struct aup_user u = { 0 };
	int stop;

	if (ok)
		return 0;
	u.id = sqlite3_column_int64(s, P_ID);
	u.role = (enum aup_role)role;
	u.class_name = st_col_text(s, P_CLASS);
	u.year = st_col_year(s, P_YEAR);
	u.status = (enum aup_status)aup_status_parse(
	    (const char *)sqlite3_column_text(s, P_STATUS));
	u.username = st_col_text(s, P_USERNAME);
	u.first = st_col_text(s, P_FIRST);
	u.last = st_col_text(s, P_LAST);
	stop = w->fn(w->arg, &u, due);
	aup_user_clear(&u);
	return stop;
}

int
st_audit(struct aup_db *db, const struct st_due *d,
    const struct aup_audit_filter *f, st_audit_fn fn, void *arg,
    struct aup_err *err)
{
	struct list_walk w = { fn, arg };

	return audit_walk(db, d, f, false, list_one, &w, err);
}

struct count_walk {
	st_audit_count_fn fn;
	void *arg;
};

static int
count_one(void *arg, sqlite3_stmt *u, int role, const char *due, bool ok)
{
	struct count_walk *w = arg;

	(void)due;
	w->fn(w->arg, role, (const char *)sqlite3_column_text(u, P_CLASS), ok);
	return 0;
}

int
st_audit_counts(struct aup_db *db, const struct st_due *d,
    const struct aup_audit_filter *f, st_audit_count_fn fn, void *arg,
    struct aup_err *err)
{
	struct count_walk w = { fn, arg };

	return audit_walk(db, d, f, true, count_one, &w, err);
}

int
st_audit_plan(struct aup_db *db, const struct aup_audit_filter *f,
    bool counting, char **plan, struct aup_err *err)
{
	struct aup_buf b = { 0 };
	int rc;

	if (audit_fn_register(db, err) != 0)
		return -1;
	people_sql(&b, filter_shape(f), counting);
	rc = st_explain(db, b.data, plan, err);
	aup_buf_free(&b);
	return rc;
}
