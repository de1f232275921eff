/* Storage of leavers' checklists and their items. */
#include <stdlib.h>
#include <string.h>

#include "aup/leaver.h"
#include "storage.h"

static const char sql_drop[] = "DELETE FROM leaver_checklists "
			       "WHERE user_id = ?1";
static const char sql_drop_open[] =
    "DELETE FROM leaver_checklists "
    "WHERE user_id = ?1 AND finished_at IS NULL";
static const char sql_put[] =
    "INSERT INTO leaver_checklists (user_id, leave_on, reason, started_at, "
    "started_by) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_item_put[] = "INSERT INTO leaver_items (user_id, seq, "
				   "item, label) VALUES (?1, ?2, ?3, ?4)";
static const char sql_get[] =
    "SELECT leave_on, reason, started_at, started_by, finished_at, "
    "finished_by, forced_reason FROM leaver_checklists WHERE user_id = ?1";
static const char sql_items[] = "SELECT item, label, done_at, done_by, note "
				"FROM leaver_items WHERE user_id = ?1 "
				"ORDER BY seq";
static const char sql_tick[] =
    "UPDATE leaver_items SET done_at = ?3, done_by = ?4, note = ?5 "
    "WHERE user_id = ?1 AND item = ?2 AND done_at IS NULL";
static const char sql_finish[] =
    "UPDATE leaver_checklists SET finished_at = ?2, finished_by = ?3, "
    "forced_reason = ?4 WHERE user_id = ?1";

#define ROW_COLS \
	"SELECT c.user_id, u.username, u.first_name, u.last_name, u.role, " \
	"c.leave_on, c.started_at, c.finished_at, " \
	"(SELECT count(*) FROM leaver_items i WHERE i.user_id = c.user_id " \
	"AND i.done_at IS NULL), (SELECT count(*) FROM leaver_items i " \
	"WHERE i.user_id = c.user_id) FROM leaver_checklists c " \
	"JOIN users u ON u.id = c.user_id "
static const char sql_list_all[] = ROW_COLS "ORDER BY c.started_at, c.user_id";
/* The open ones, from leaver_open in its order. */
static const char sql_list_open[] = ROW_COLS
    "WHERE c.finished_at IS NULL AND c.started_at < ?1 "
    "ORDER BY c.finished_at, c.started_at";

int
st_leaver_put(struct aup_db *db, int64_t user_id, time_t leave_on,
    const char *reason, time_t now, const char *const *ids,
    const char *const *labels, size_t n, struct aup_err *err)
{
	if (st_exec(db, sql_drop, "opening a checklist", err, "I", user_id) !=
		0 ||
	    st_exec(db, sql_put, "opening a checklist", err, "IItIt", user_id,
		(int64_t)leave_on, reason, (int64_t)now, db->operator) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (st_exec(db, sql_item_put, "opening a checklist", err,
			"Iitt", user_id, (int)i, ids[i], labels[i]) != 0)
			return -1;
	return 0;
}

int
st_leaver_get(struct aup_db *db, int64_t user_id, struct aup_leaver *l,
    struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_get, err);
	size_t cap = 0;
	int rc;

	if (s == NULL)
		return -1;
	st_bind(s, "I", user_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		l->leave_on = (time_t)sqlite3_column_int64(s, 0);
		l->reason = st_col_text(s, 1);
		l->started = (time_t)sqlite3_column_int64(s, 2);
		l->started_by = st_col_text(s, 3);
		l->finished = (time_t)sqlite3_column_int64(s, 4);
		l->finished_by = st_col_text(s, 5);
		l->forced = st_col_text(s, 6);
	}
	st_done(s);
	if (rc == SQLITE_DONE)
		return 1;
	if (rc != SQLITE_ROW || (s = st_stmt(db, sql_items, err)) == NULL)
		return st_fail(db, err, "reading a checklist");
	st_bind(s, "I", user_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct aup_leaver_item *it;

		if (l->nitems == cap) {
			cap = cap > 0 ? 2 * cap : 8;
			l->items = xreallocarray(l->items, cap,
			    sizeof *l->items);
		}
		it = &l->items[l->nitems++];
		it->id = st_col_text(s, 0);
		it->label = st_col_text(s, 1);
		it->at = (time_t)sqlite3_column_int64(s, 2);
		it->done = sqlite3_column_type(s, 2) != SQLITE_NULL;
		it->by = st_col_text(s, 3);
		it->note = st_col_text(s, 4);
		l->open += !it->done;
	}
	st_done(s);
	return rc == SQLITE_DONE ? 0 : st_fail(db, err, "reading a checklist");
}

int
st_leaver_tick(struct aup_db *db, int64_t user_id, const char *item, time_t now,
    const char *by, const char *note, struct aup_err *err)
{
	if (st_exec(db, sql_tick, "ticking an item", err, "ItItt", user_id,
		item, (int64_t)now, by, note) != 0)
		return -1;
	return sqlite3_changes(db->sql) > 0 ? 0 : 1;
}

int
st_leaver_finish(struct aup_db *db, int64_t user_id, time_t now,
    const char *forced, struct aup_err *err)
{
	return st_exec(db, sql_finish, "finishing a checklist", err, "IItt",
	    user_id, (int64_t)now, db->operator, forced);
}

int
st_leaver_list(struct aup_db *db, bool open_only, time_t before,
    aup_leaver_fn fn, void *arg, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, open_only ? sql_list_open : sql_list_all,
	    err);
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	if (open_only)
		st_bind(s, "I", (int64_t)before);
	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct aup_leaver_row r = {
			.user_id = sqlite3_column_int64(s, 0),
			.username = (const char *)sqlite3_column_text(s, 1),
			.first = (const char *)sqlite3_column_text(s, 2),
			.last = (const char *)sqlite3_column_text(s, 3),
			.role = (enum aup_role)aup_role_parse(
			    (const char *)sqlite3_column_text(s, 4)),
			.leave_on = (time_t)sqlite3_column_int64(s, 5),
			.started = (time_t)sqlite3_column_int64(s, 6),
			.finished = (time_t)sqlite3_column_int64(s, 7),
			.open = sqlite3_column_int64(s, 8),
			.total = sqlite3_column_int64(s, 9),
		};

		stop = fn(arg, &r);
	}
	st_done(s);
	if (stop != 0)
		return stop;
	return rc == SQLITE_DONE ? 0 : st_fail(db, err, "listing checklists");
}

int
leaver_drop_open(struct aup_db *db, int64_t user_id, struct aup_err *err)
{
	return st_exec(db, sql_drop_open, "closing a checklist", err, "I",
	    user_id);
}
