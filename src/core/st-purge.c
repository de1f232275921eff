/* Storage of the purge: who is past retention, and what is removed of a
 * person and what kept. */
#include <stdlib.h>

#include "aup/purge.h"
#include "storage.h"

/* Past retention: people who left before ?1, visitors whose login ended
 * before ?2. When someone left is when their status last changed to left:
 * the leaver's checklist records it as their status_until; a visitor's
 * end is when their login expired. */
#define DUE_WHERE \
	"(status = 'left' AND coalesce(status_until, updated_at) < ?1) OR " \
	"(role = 'visitor' AND status = 'expired' AND " \
	"coalesce(expires_at, status_until, updated_at) < ?2)"

static const char sql_due[] =
    "SELECT id, CASE status WHEN 'left' THEN coalesce(status_until, "
    "updated_at) ELSE coalesce(expires_at, status_until, updated_at) END "
    "FROM users WHERE " DUE_WHERE " ORDER BY id";
static const char sql_due_count[] =
    "SELECT count(*) FROM users WHERE " DUE_WHERE;
static const char sql_sig_hide[] =
    "UPDATE aup_signatures SET pseudonym = ?2, signer = NULL, "
    "user_id = NULL WHERE user_id = ?1";
static const char sql_retire[] =
    "INSERT INTO retired_usernames (username, retired_at) VALUES (?1, ?2) "
    "ON CONFLICT (username) DO UPDATE SET retired_at = excluded.retired_at";
static const char sql_remove[] = "DELETE FROM users WHERE id = ?1";

int
st_purge_due(struct aup_db *db, time_t left_before, time_t visit_before,
    int64_t **ids, time_t **since, size_t *n, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_due, err);
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*since = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	st_bind(s, "II", (int64_t)left_before, (int64_t)visit_before);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap > 0 ? 2 * cap : 64;
			*ids = xreallocarray(*ids, cap, sizeof **ids);
			*since = xreallocarray(*since, cap, sizeof **since);
		}
		(*ids)[*n] = sqlite3_column_int64(s, 0);
		(*since)[(*n)++] = (time_t)sqlite3_column_int64(s, 1);
	}
	st_done(s);
	if (rc != SQLITE_DONE) {
		free(*ids);
		free(*since);
		*ids = NULL;
		*since = NULL;
		*n = 0;
		return st_fail(db, err, "finding whom to purge");
	}
	return 0;
}

int
st_purge_due_count(struct aup_db *db, time_t left_before, time_t visit_before,
    int64_t *n, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_due_count, err);
	int rc;

	if (s == NULL)
		return -1;
	st_bind(s, "II", (int64_t)left_before, (int64_t)visit_before);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	st_done(s);
	return rc == SQLITE_ROW ? 0 :
				  st_fail(db, err, "counting whom to purge");
}

int
st_purge_person(struct aup_db *db, int64_t id, const char *username,
    const char *pseudonym, time_t now, int64_t *signatures, struct aup_err *err)
{
	if (st_exec(db, sql_sig_hide, "keeping signatures", err, "It", id,
		pseudonym) != 0)
		return -1;
	*signatures = sqlite3_changes64(db->sql);
	if (st_exec(db, sql_retire, "retiring a username", err, "tI", username,
		(int64_t)now) != 0 ||
	    st_exec(db, sql_remove, "removing a person", err, "I", id) != 0)
		return -1;
	return 0;
}
