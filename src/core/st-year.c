/* Storage of the academic years rolled over, one row each. */
#include <stdlib.h>

#include "storage.h"

static const char sql_rollover_get[] =
    "SELECT academic_year, at, operator FROM rollovers "
    "WHERE ?1 IS NULL OR academic_year = ?1 "
    "ORDER BY academic_year DESC LIMIT 1";
static const char sql_rollover_add[] =
    "INSERT INTO rollovers (academic_year, at, operator) VALUES (?1, ?2, ?3)";

int
st_rollover_get(struct aup_db *db, int *year, time_t *at, char **op,
    struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_rollover_get, err);
	int rc;

	*op = NULL;
	if (s == NULL)
		return -1;
	st_bind(s, "U", (int64_t)*year);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*year = sqlite3_column_int(s, 0);
		*at = (time_t)sqlite3_column_int64(s, 1);
		*op = st_col_text(s, 2);
	}
	st_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_fail(db, err, "reading the rollovers");
	return rc == SQLITE_ROW ? 0 : 1;
}

int
st_rollover_add(struct aup_db *db, int year, time_t at, const char *op,
    struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_rollover_add, err);
	int rc;

	if (s == NULL)
		return -1;
	st_bind(s, "iIt", year, (int64_t)at, op);
	rc = sqlite3_step(s);
	st_done(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (sqlite3_extended_errcode(db->sql) == SQLITE_CONSTRAINT_PRIMARYKEY)
		return 1;
	return st_fail(db, err, "recording the rollover");
}
