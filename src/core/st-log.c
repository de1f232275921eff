/* Storage of the audit log: the head, appending an entry with its personal
 * values, the walk that listing and verification make, and the purge. */
#include <stdlib.h>
#include <string.h>

#include "aup/util.h"
#include "storage.h"

static const char sql_log_head[] = "SELECT id, hash FROM audit_log "
				   "ORDER BY id DESC LIMIT 1";
static const char sql_log_insert[] =
    "INSERT INTO audit_log (id, at, "
    "operator, action, user_id, before, after, nvalues, prev_hash, hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char sql_value_insert[] =
    "INSERT INTO audit_values (entry_id, seq, name, digest, salt, value) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/* One statement for each way the log is read, each on its index: all of
 * it (or what follows an entry), one person's, and from a time on. */
#define LOG_WALK \
	"SELECT id, at, operator, action, user_id, before, " \
	"after, nvalues, prev_hash, hash FROM audit_log WHERE id > ?3"
static const char sql_log_walk[] = LOG_WALK " ORDER BY id";
static const char sql_log_walk_user[] = LOG_WALK " AND user_id = ?1 "
						 "ORDER BY id";
static const char sql_log_walk_since[] = LOG_WALK " AND at >= ?2 ORDER BY id";
static const char sql_log_walk_user_since[] = LOG_WALK
    " AND user_id = ?1 AND at >= ?2 ORDER BY id";
static const char sql_values[] =
    "SELECT seq, name, digest, salt, value, "
    "purged_by FROM audit_values WHERE entry_id = ?1 ORDER BY seq";
static const char sql_purger[] = "SELECT user_id FROM audit_log "
				 "WHERE id = ?1 AND action = '" ST_LOG_PURGE
				 "'";
#define HELD \
	"value IS NOT NULL AND entry_id IN " \
	"(SELECT id FROM audit_log WHERE user_id = ?1)"
static const char sql_held[] = "SELECT count(*) FROM audit_values WHERE " HELD;
static const char sql_erase[] = "UPDATE audit_values SET salt = NULL, "
				"value = NULL, purged_by = ?2 WHERE " HELD;

int
st_log_head(struct aup_db *db, int64_t *id, char hash[65], struct aup_err *err)
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
st_log_insert(struct aup_db *db, const struct st_log_row *r,
    struct aup_err *err)
{
	const struct aup_log_entry *e = &r->e;

	if (st_exec(db, sql_log_insert, "writing the audit log", err,
		"ITttUttItt", e->id, e->at, e->operator, e->action, e->user_id,
		e->before, e->after, r->nvalues, r->prev, r->hash) != 0)
		return -1;
	for (size_t i = 0; i < r->nv; i++) {
		const struct st_log_value *v = &r->v[i];

		if (st_exec(db, sql_value_insert, "writing the audit log", err,
			"IItttt", e->id, v->seq, v->name, v->digest, v->salt,
			v->value) != 0)
			return -1;
	}
	return 0;
}

void
st_log_row_clear(struct st_log_row *r)
{
	for (size_t i = 0; i < r->nv; i++) {
		free(r->v[i].name);
		free(r->v[i].digest);
		free(r->v[i].salt);
		free(r->v[i].value);
	}
	free(r->v);
	free(r->prev);
	free(r->hash);
	aup_log_entry_clear(&r->e);
	memset(r, 0, sizeof *r);
}

static int
row_values(struct aup_db *db, struct st_log_row *r, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_values, err);
	int rc;

	if (s == NULL)
		return -1;
	st_bind(s, "I", r->e.id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct st_log_value *v;

		r->v = xreallocarray(r->v, r->nv + 1, sizeof *r->v);
		v = &r->v[r->nv++];
		v->seq = sqlite3_column_int64(s, 0);
		v->name = st_col_text(s, 1);
		v->digest = st_col_text(s, 2);
		v->salt = st_col_text(s, 3);
		v->value = st_col_text(s, 4);
		v->purged_by = sqlite3_column_int64(s, 5);
		if (v->name == NULL)
			v->name = xstrdup("");
		if (v->digest == NULL)
			v->digest = xstrdup("");
	}
	st_done(s);
	if (rc != SQLITE_DONE)
		return st_fail(db, err, "reading the audit log");
	return 0;
}

int
st_log_walk(struct aup_db *db, int64_t user_id, time_t since, int64_t after_id,
    st_log_fn fn, void *arg, struct aup_err *err)
{
	const char *sql = user_id != 0 ?
	    (since != 0 ? sql_log_walk_user_since : sql_log_walk_user) :
	    since != 0 ? sql_log_walk_since :
			 sql_log_walk;
	sqlite3_stmt *s = st_stmt(db, sql, err);
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	st_bind(s, "UTI", user_id, since, after_id);
	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct st_log_row r;

		memset(&r, 0, sizeof r);
		r.e.id = sqlite3_column_int64(s, 0);
		r.e.at = (time_t)sqlite3_column_int64(s, 1);
		r.e.operator= st_col_text(s, 2);
		r.e.action = st_col_text(s, 3);
		r.e.user_id = sqlite3_column_int64(s, 4);
		r.e.before = st_col_text(s, 5);
		r.e.after = st_col_text(s, 6);
		r.nvalues = sqlite3_column_int64(s, 7);
		r.prev = st_col_text(s, 8);
		r.hash = st_col_text(s, 9);
		if (r.prev == NULL)
			r.prev = xstrdup("");
		if (r.hash == NULL)
			r.hash = xstrdup("");
		if (row_values(db, &r, err) != 0)
			stop = -1;
		else
			stop = fn(arg, &r);
		st_log_row_clear(&r);
	}
	st_done(s);
	if (stop < 0)
		return -1;
	if (stop == 0 && rc != SQLITE_DONE)
		return st_fail(db, err, "reading the audit log");
	return 0;
}

/* The first column of the one row SQL gives for ?1 = ARG: 0, or 1 when it
 * gives none. */
static int
one_int(struct aup_db *db, const char *sql, int64_t arg, int64_t *out,
    struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql, err);
	int rc;

	if (s == NULL)
		return -1;
	st_bind(s, "I", arg);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	st_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_fail(db, err, "reading the audit log");
	return rc == SQLITE_ROW ? 0 : 1;
}

int
st_log_purger(struct aup_db *db, int64_t id, int64_t *user_id,
    struct aup_err *err)
{
	return one_int(db, sql_purger, id, user_id, err);
}

int
st_log_held(struct aup_db *db, int64_t user_id, int64_t *n, struct aup_err *err)
{
	*n = 0;
	return one_int(db, sql_held, user_id, n, err) < 0 ? -1 : 0;
}

int
st_log_erase(struct aup_db *db, int64_t user_id, int64_t by,
    struct aup_err *err)
{
	return st_exec(db, sql_erase, "purging the audit log", err, "II",
	    user_id, by);
}
