/* Storage of visits: the record of each temporary login and its window. */
#include <stdlib.h>
#include <string.h>

#include "aup/visitor.h"
#include "storage.h"

static const char sql_put[] =
    "INSERT INTO visits (user_id, org, host_id, reason, valid_from, "
    "first_login_hours, max_logins, issued_at, issued_by) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char sql_expires[] = "UPDATE users SET expires_at = ?2 "
				  "WHERE id = ?1";
/* A login: counted, and a window that opens at the first one opened. */
static const char sql_login[] =
    "UPDATE visits SET logins = logins + 1, first_login_at = "
    "coalesce(first_login_at, ?2) WHERE user_id = ?1";
static const char sql_login_window[] =
    "UPDATE users SET expires_at = ?2 + 3600 * (SELECT first_login_hours "
    "FROM visits WHERE user_id = ?1) WHERE id = ?1 AND expires_at IS NULL "
    "AND (SELECT first_login_hours FROM visits WHERE user_id = ?1) > 0";
static const char sql_end[] =
    "UPDATE visits SET ended_at = ?2, ended_by = ?3 WHERE user_id = ?1 "
    "AND ended_at IS NULL";
static const char sql_end_user[] =
    "UPDATE users SET status = 'expired', updated_at = ?2, expires_at = "
    "min(coalesce(expires_at, ?2), ?2) WHERE id = ?1";

#define VISIT_COLS \
	"SELECT v.user_id, u.username, u.first_name, u.last_name, v.org, " \
	"h.username, v.reason, u.status, v.valid_from, u.expires_at, " \
	"v.first_login_hours, v.first_login_at, v.max_logins, v.logins, " \
	"v.issued_at, v.issued_by, v.ended_at, v.ended_by FROM visits v " \
	"JOIN users u ON u.id = v.user_id " \
	"LEFT JOIN users h ON h.id = v.host_id "
static const char sql_get[] = VISIT_COLS "WHERE v.user_id = ?1";
/* Newest first. The open ones read from visits_open. */
static const char sql_all[] = VISIT_COLS
    "ORDER BY v.valid_from DESC, v.user_id DESC";
static const char sql_open[] = VISIT_COLS
    "WHERE v.ended_at IS NULL ORDER BY v.ended_at, v.valid_from DESC, "
    "v.user_id DESC";

int
st_visit_put(struct aup_db *db, int64_t user_id, const char *org,
    int64_t host_id, const char *reason, time_t from, time_t expires,
    int first_login_hours, int max_logins, time_t now, struct aup_err *err)
{
	if (st_exec(db, sql_put, "recording a visit", err, "ItUtIiiIt", user_id,
		org, host_id, reason, (int64_t)from, first_login_hours,
		max_logins, (int64_t)now, db->operator) != 0)
		return -1;
	return st_exec(db, sql_expires, "recording a visit", err, "IT", user_id,
	    expires);
}

int
st_visit_login(struct aup_db *db, int64_t user_id, time_t now,
    struct aup_err *err)
{
	if (st_exec(db, sql_login, "counting a visitor's login", err, "II",
		user_id, (int64_t)now) != 0)
		return -1;
	return st_exec(db, sql_login_window, "counting a visitor's login", err,
	    "II", user_id, (int64_t)now);
}

int
st_visit_end(struct aup_db *db, int64_t user_id, time_t now, const char *by,
    struct aup_err *err)
{
	int n;

	if (st_exec(db, sql_end, "ending a visit", err, "IIt", user_id,
		(int64_t)now, by) != 0)
		return -1;
	if ((n = sqlite3_changes(db->sql)) == 0)
		return 1;
	return st_exec(db, sql_end_user, "ending a visit", err, "II", user_id,
	    (int64_t)now);
}

static int
int_or_zero(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ?
	    0 :
	    sqlite3_column_int(s, i);
}

static void
row_visit(sqlite3_stmt *s, struct aup_visit *v)
{
	memset(v, 0, sizeof *v);
	v->user_id = sqlite3_column_int64(s, 0);
	v->username = (const char *)sqlite3_column_text(s, 1);
	v->first = (const char *)sqlite3_column_text(s, 2);
	v->last = (const char *)sqlite3_column_text(s, 3);
	v->org = (const char *)sqlite3_column_text(s, 4);
	v->host = (const char *)sqlite3_column_text(s, 5);
	v->reason = (const char *)sqlite3_column_text(s, 6);
	v->status = (enum aup_status)aup_status_parse(
	    (const char *)sqlite3_column_text(s, 7));
	v->valid_from = (time_t)sqlite3_column_int64(s, 8);
	v->expires = (time_t)sqlite3_column_int64(s, 9);
	v->first_login_hours = int_or_zero(s, 10);
	v->first_login = (time_t)sqlite3_column_int64(s, 11);
	v->max_logins = int_or_zero(s, 12);
	v->logins = sqlite3_column_int(s, 13);
	v->issued = (time_t)sqlite3_column_int64(s, 14);
	v->issued_by = (const char *)sqlite3_column_text(s, 15);
	v->ended = (time_t)sqlite3_column_int64(s, 16);
	v->ended_by = (const char *)sqlite3_column_text(s, 17);
}

int
st_visit_walk(struct aup_db *db, int64_t user_id, bool open_only,
    int (*fn)(void *, const struct aup_visit *), void *arg, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db,
	    user_id != 0  ? sql_get :
		open_only ? sql_open :
			    sql_all,
	    err);
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	if (user_id != 0)
		st_bind(s, "I", user_id);
	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct aup_visit v;

		row_visit(s, &v);
		stop = fn(arg, &v);
	}
	st_done(s);
	if (stop != 0)
		return stop;
	return rc == SQLITE_DONE ? 0 : st_fail(db, err, "reading visits");
}
