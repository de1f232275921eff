/* Storage of passwords: the hash, its history, the login counters and the
 * failures counted per client address. */
#include <stdlib.h>

#include "aup/clock.h"
#include "aup/util.h"
#include "storage.h"

static const char sql_pw_get[] = "SELECT pw_hash FROM users WHERE id = ?1";
static const char sql_pw_set[] =
    "UPDATE users SET pw_hash = ?2, "
    "pw_changed_at = ?3, must_change = ?4, failures = 0, "
    "locked_until = NULL, updated_at = ?3 WHERE id = ?1";
static const char sql_must_change[] = "UPDATE users SET must_change = ?2 "
				      "WHERE id = ?1";
static const char sql_hist_add[] = "INSERT INTO pw_history (user_id, hash, "
				   "set_at) VALUES (?1, ?2, ?3)";
static const char sql_hist_trim[] =
    "DELETE FROM pw_history WHERE "
    "user_id = ?1 AND id NOT IN (SELECT id FROM pw_history "
    "WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2)";
static const char sql_hist_list[] =
    "SELECT hash FROM pw_history WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2";
static const char sql_auth_set[] =
    "UPDATE users SET failures = ?2, "
    "locked_until = ?3, last_login_at = ?4 WHERE id = ?1";
/* SQLite: date(?, 'unixepoch'). */
static const char sql_auth_count[] =
    "INSERT INTO auth_counts (day, "
    "user_id, ok, failed) VALUES (date(?1, 'unixepoch'), ?2, ?3, ?4) "
    "ON CONFLICT (day, user_id) DO UPDATE SET ok = ok + excluded.ok, "
    "failed = failed + excluded.failed";
static const char sql_addr_get[] =
    "SELECT failures, locked_until, "
    "last_failure_at FROM auth_addr WHERE addr = ?1";
static const char sql_addr_put[] =
    "INSERT INTO auth_addr (addr, failures, "
    "locked_until, last_failure_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (addr) DO UPDATE SET failures = excluded.failures, "
    "locked_until = excluded.locked_until, "
    "last_failure_at = excluded.last_failure_at";
static const char sql_addr_forget[] = "DELETE FROM auth_addr "
				      "WHERE last_failure_at < ?1";
static const char sql_addr_user_add[] =
    "INSERT OR IGNORE INTO auth_addr_user (addr, user_id) VALUES (?1, ?2)";
static const char sql_addr_user_clear[] = "DELETE FROM auth_addr_user "
					  "WHERE user_id = ?1";

int
st_pw_get(struct aup_db *db, int64_t user_id, char **hash, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_pw_get, err);
	int rc;

	*hash = NULL;
	if (s == NULL)
		return -1;
	st_bind(s, "I", user_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*hash = st_col_text(s, 0);
	st_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_fail(db, err, "reading a password hash");
	return 0;
}

int
st_pw_set(struct aup_db *db, int64_t user_id, const char *hash, time_t changed,
    bool must_change, struct aup_err *err)
{
	return st_exec(db, sql_pw_set, "saving a password hash", err, "ItIb",
	    user_id, hash, (int64_t)changed, (int)must_change);
}

int
st_must_change(struct aup_db *db, int64_t user_id, bool must,
    struct aup_err *err)
{
	return st_exec(db, sql_must_change, "marking a password", err, "Ib",
	    user_id, (int)must);
}

int
st_hist_add(struct aup_db *db, int64_t user_id, const char *hash, time_t at,
    int keep, struct aup_err *err)
{
	if (st_exec(db, sql_hist_add, "keeping password history", err, "ItI",
		user_id, hash, (int64_t)at) != 0)
		return -1;
	return st_exec(db, sql_hist_trim, "trimming password history", err,
	    "Ii", user_id, keep);
}

int
st_hist_list(struct aup_db *db, int64_t user_id, int n, char ***hashes,
    size_t *count, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_hist_list, err);
	int rc;

	*hashes = NULL;
	*count = 0;
	if (s == NULL)
		return -1;
	st_bind(s, "Ii", user_id, n);
	*hashes = xcalloc((size_t)n + 1, sizeof **hashes);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *count < (size_t)n)
		(*hashes)[(*count)++] = st_col_text(s, 0);
	st_done(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return st_fail(db, err, "reading password history");
	return 0;
}

int
st_auth_set(struct aup_db *db, int64_t user_id, int failures,
    time_t locked_until, time_t last_login, struct aup_err *err)
{
	return st_exec(db, sql_auth_set, "recording a login", err, "IiTT",
	    user_id, failures, locked_until, last_login);
}

int
st_auth_count(struct aup_db *db, int64_t user_id, bool ok, struct aup_err *err)
{
	return st_exec(db, sql_auth_count, "counting a login", err, "IIii",
	    (int64_t)aup_now(), user_id, ok ? 1 : 0, ok ? 0 : 1);
}

int
st_addr_get(struct aup_db *db, const char *addr, struct st_addr *a,
    struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_addr_get, err);
	int rc;

	*a = (struct st_addr){ 0 };
	if (s == NULL)
		return -1;
	st_bind(s, "t", addr);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		a->failures = sqlite3_column_int(s, 0);
		a->locked_until = (time_t)sqlite3_column_int64(s, 1);
		a->last_failure = (time_t)sqlite3_column_int64(s, 2);
	}
	st_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_fail(db, err, "reading a client address's failures");
	return 0;
}

int
st_addr_put(struct aup_db *db, const char *addr, const struct st_addr *a,
    struct aup_err *err)
{
	return st_exec(db, sql_addr_put, "counting a client address's failure",
	    err, "tiTI", addr, a->failures, a->locked_until,
	    (int64_t)a->last_failure);
}

int
st_addr_forget(struct aup_db *db, time_t before, struct aup_err *err)
{
	return st_exec(db, sql_addr_forget, "forgetting old client addresses",
	    err, "I", (int64_t)before);
}

int
st_addr_user_add(struct aup_db *db, const char *addr, int64_t user_id,
    struct aup_err *err)
{
	if (st_exec(db, sql_addr_user_add, "noting a failed client address",
		err, "tI", addr, user_id) != 0)
		return -1;
	return sqlite3_changes(db->sql) > 0 ? 1 : 0;
}

int
st_addr_user_clear(struct aup_db *db, int64_t user_id, struct aup_err *err)
{
	return st_exec(db, sql_addr_user_clear,
	    "clearing failed client addresses", err, "I", user_id);
}
