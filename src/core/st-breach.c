/* Storage of breaches of an agreement: recorded once, never changed, listed
 * newest first from the index of their times (or of their person's). */
#include <stdlib.h>
#include <string.h>

#include "aup/breach.h"
#include "storage.h"

static const char sql_breach_insert[] =
    "INSERT INTO aup_breaches (user_id, category, note, at, operator, "
    "suspended_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_breach_between[] =
    "SELECT category, at FROM aup_breaches WHERE at >= ?1 AND at < ?2";

#define BREACH_COLS \
	"b.id, b.user_id, u.username, u.first_name, u.last_name, " \
	"b.category, b.note, b.at, b.operator, b.suspended_until"
static const char sql_breach_user[] =
    "SELECT " BREACH_COLS " FROM aup_breaches b JOIN users u ON "
    "u.id = b.user_id WHERE b.user_id = ?1 ORDER BY b.at, b.id";

int
st_breach_insert(struct aup_db *db, int64_t user_id, char category,
    const char *note, time_t at, const char *operator, time_t suspended_until,
    int64_t *id, struct aup_err *err)
{
	char cat[2] = { category, '\0' };

	if (st_exec(db, sql_breach_insert, "recording a breach", err, "IttItT",
		user_id, cat, note, (int64_t)at, operator,
		suspended_until) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

/* What a list filters on: one bit each; the shape keys the cache. */
enum {
	B_SINCE = 1 << 0,
	B_CATEGORY = 1 << 1,
	B_USER = 1 << 2,
	B_SHAPES = 1 << 3
};
static const char breach_keys[B_SHAPES];

static const char *const breach_terms[] = {
	"b.at >= :since",
	"b.category = :category",
	"b.user_id = :user",
};

static sqlite3_stmt *
breach_stmt(struct aup_db *db, time_t since, char category, int64_t user_id,
    struct aup_err *err)
{
	unsigned q = (since != 0 ? B_SINCE : 0) |
	    (category != 0 ? B_CATEGORY : 0) | (user_id != 0 ? B_USER : 0);
	char cat[2] = { category, '\0' };
	const char *and = " WHERE ";
	struct aup_buf b = { 0 };
	sqlite3_stmt *s;

	aup_buf_puts(&b,
	    "SELECT " BREACH_COLS " FROM aup_breaches b "
	    "JOIN users u ON u.id = b.user_id");
	for (size_t i = 0; i < sizeof breach_terms / sizeof *breach_terms; i++)
		if (q & (1u << i)) {
			aup_buf_printf(&b, "%s%s", and, breach_terms[i]);
			and = " AND ";
		}
	aup_buf_puts(&b, " ORDER BY b.at DESC, b.id DESC");
	s = st_stmt_keyed(db, &breach_keys[q], b.data, err);
	aup_buf_free(&b);
	if (s == NULL)
		return NULL;
	if (q & B_SINCE)
		sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":since"),
		    (int64_t)since);
	if (q & B_CATEGORY)
		st_bind_text(s, sqlite3_bind_parameter_index(s, ":category"),
		    cat);
	if (q & B_USER)
		sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":user"),
		    user_id);
	return s;
}

static int
walk(struct aup_db *db, sqlite3_stmt *s,
    int (*fn)(void *, const struct aup_breach_row *), void *arg,
    struct aup_err *err)
{
	int rc, stop = 0;

	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct aup_breach_row r;
		const char *cat;

#define TEXT(i) ((const char *)sqlite3_column_text(s, (i)))
		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(s, 0);
		r.user_id = sqlite3_column_int64(s, 1);
		r.username = TEXT(2);
		r.first = TEXT(3);
		r.last = TEXT(4);
		cat = TEXT(5);
		r.category = cat != NULL ? cat[0] : '?';
		r.note = TEXT(6);
		r.at = (time_t)sqlite3_column_int64(s, 7);
		r.operator= TEXT(8);
		r.suspended_until = (time_t)sqlite3_column_int64(s, 9);
#undef TEXT
		stop = fn(arg, &r);
	}
	st_done(s);
	if (stop != 0)
		return stop;
	if (rc != SQLITE_DONE)
		return st_fail(db, err, "listing breaches");
	return 0;
}

int
st_breach_query(struct aup_db *db, time_t since, char category, int64_t user_id,
    int (*fn)(void *, const struct aup_breach_row *), void *arg,
    struct aup_err *err)
{
	sqlite3_stmt *s = breach_stmt(db, since, category, user_id, err);

	if (s == NULL)
		return -1;
	return walk(db, s, fn, arg, err);
}

int
st_breach_query_plan(struct aup_db *db, time_t since, char category,
    int64_t user_id, char **plan, struct aup_err *err)
{
	return st_explain_stmt(db,
	    breach_stmt(db, since, category, user_id, err), plan, err);
}

int
st_breach_walk_user(struct aup_db *db, int64_t user_id,
    int (*fn)(void *, const struct aup_breach_row *), void *arg,
    struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_breach_user, err);

	if (s == NULL)
		return -1;
	st_bind(s, "I", user_id);
	return walk(db, s, fn, arg, err);
}

int
st_breach_between(struct aup_db *db, time_t from, time_t to,
    int (*fn)(void *, char category, time_t at), void *arg, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_breach_between, err);
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	st_bind(s, "II", (int64_t)from, (int64_t)to);
	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *cat = (const char *)sqlite3_column_text(s, 0);

		stop = fn(arg, cat != NULL ? cat[0] : '?',
		    (time_t)sqlite3_column_int64(s, 1));
	}
	st_done(s);
	if (stop != 0)
		return stop;
	if (rc != SQLITE_DONE)
		return st_fail(db, err, "counting breaches");
	return 0;
}
