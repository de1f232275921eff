/* Storage of the database's own settings: the school, the log's head. */
#include <stdlib.h>

#include "storage.h"

static const char sql_meta_get[] = "SELECT value FROM meta WHERE key = ?1";
static const char sql_meta_set[] =
    "INSERT INTO meta (key, value) "
    "VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

int
st_meta_get(struct aup_db *db, const char *key, char **val, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_meta_get, err);
	int rc;

	*val = NULL;
	if (s == NULL)
		return -1;
	st_bind(s, "t", key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*val = st_col_text(s, 0);
	st_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_fail(db, err, "reading settings");
	return 0;
}

int
st_meta_set(struct aup_db *db, const char *key, const char *val,
    struct aup_err *err)
{
	return st_exec(db, sql_meta_set, "saving settings", err, "tt", key,
	    val);
}
