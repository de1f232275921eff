/* Storage of the audit log: the head, appending, listing and the walk that
 * verification makes over every entry. */
#include <stdlib.h>

#include "aup/util.h"
#include "storage.h"

static const char sql_log_head[] = "SELECT id, hash FROM audit_log "
    "ORDER BY id DESC LIMIT 1";
static const char sql_log_insert[] = "INSERT INTO audit_log (at, operator, "
    "action, user_id, subject, before, after, prev_hash, hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
#define LOG_COLS "id, at, operator, action, user_id, subject, before, " \
    "after, prev_hash, hash"
static const char sql_log_list[] = "SELECT " LOG_COLS " FROM audit_log "
    "WHERE (?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR at >= ?2) "
    "ORDER BY id";
static const char sql_log_all[] = "SELECT " LOG_COLS " FROM audit_log "
    "ORDER BY id";

int
st_log_head(struct aup_db *db, int64_t *id, char hash[65],
    struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_log_head, err);
	int rc;

	*id = 0;
	hash[0] = '\0';
	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const unsigned char *h = sqlite3_column_text(s, 1);
		*id = sqlite3_column_int64(s, 0);
		aup_strlcpy(hash, h ? (const char *)h : "", 65);
	}
	st_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_fail(db, err, "reading the audit log");
	return 0;
}

int
st_log_insert(struct aup_db *db, const struct aup_log_entry *e,
    const char *prev, const char *hash, struct aup_err *err)
{
	return st_exec(db, sql_log_insert, "writing the audit log", err,
	    "TttUttttt", e->at, e->operator, e->action, e->user_id,
	    e->subject, e->before, e->after, prev, hash);
}

static void
row_log(sqlite3_stmt *s, struct aup_log_entry *e)
{
	e->id = sqlite3_column_int64(s, 0);
	e->at = (time_t)sqlite3_column_int64(s, 1);
	e->operator = st_col_text(s, 2);
	e->action = st_col_text(s, 3);
	e->user_id = sqlite3_column_int64(s, 4);
	e->subject = st_col_text(s, 5);
	e->before = st_col_text(s, 6);
	e->after = st_col_text(s, 7);
}

int
st_log_list(struct aup_db *db, int64_t user_id, time_t since,
    struct aup_log_list *out, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_log_list, err);
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	if (s == NULL)
		return -1;
	st_bind(s, "UT", user_id, since);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 64;
			out->v = xreallocarray(out->v, cap, sizeof *out->v);
		}
		row_log(s, &out->v[out->n++]);
	}
	st_done(s);
	if (rc != SQLITE_DONE) {
		aup_log_list_free(out);
		return st_fail(db, err, "reading the audit log");
	}
	return 0;
}

int
st_log_walk(struct aup_db *db, st_log_fn fn, void *arg, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_log_all, err);
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct aup_log_entry e;
		char *prev, *hash;

		row_log(s, &e);
		prev = st_col_text(s, 8);
		hash = st_col_text(s, 9);
		stop = fn(arg, &e, prev ? prev : "", hash ? hash : "");
		free(prev);
		free(hash);
		aup_log_entry_clear(&e);
	}
	st_done(s);
	if (stop == 0 && rc != SQLITE_DONE)
		return st_fail(db, err, "reading the audit log");
	return 0;
}
