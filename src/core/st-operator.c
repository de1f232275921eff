/* Storage of operators: login name and role, one row each. */
#include <stdlib.h>
#include <string.h>

#include "storage.h"

static const char sql_op_walk[] = "SELECT login, role FROM operators "
				  "ORDER BY login";
static const char sql_op_get[] = "SELECT role FROM operators WHERE login = ?1";
static const char sql_op_count[] = "SELECT count(*) FROM operators "
				   "WHERE ?1 IS NULL OR role = ?1";
static const char sql_op_set[] =
    "INSERT INTO operators (login, role) "
    "VALUES (?1, ?2) ON CONFLICT (login) DO UPDATE SET role = excluded.role";
static const char sql_op_remove[] = "DELETE FROM operators WHERE login = ?1";

int
st_operator_walk(struct aup_db *db, aup_operator_fn fn, void *arg,
    struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_op_walk, err);
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *login = (const char *)sqlite3_column_text(s, 0);
		int role = aup_op_role_parse(
		    (const char *)sqlite3_column_text(s, 1));

		stop = fn(arg, login, (enum aup_op_role)role);
	}
	st_done(s);
	if (stop != 0)
		return stop;
	if (rc != SQLITE_DONE)
		return st_fail(db, err, "reading operators");
	return 0;
}

int
st_operator_get(struct aup_db *db, const char *login, int *role,
    struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_op_get, err);
	int rc;

	*role = -1;
	if (s == NULL)
		return -1;
	st_bind(s, "t", login);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*role = aup_op_role_parse(
		    (const char *)sqlite3_column_text(s, 0));
	st_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_fail(db, err, "reading operators");
	return rc == SQLITE_ROW ? 0 : 1;
}

int
st_operator_count(struct aup_db *db, int role, int64_t *n, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_op_count, err);
	int rc;

	*n = 0;
	if (s == NULL)
		return -1;
	st_bind(s, "t",
	    role < 0 ? NULL : aup_op_role_name((enum aup_op_role)role));
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	st_done(s);
	if (rc != SQLITE_ROW)
		return st_fail(db, err, "counting operators");
	return 0;
}

int
st_operator_set(struct aup_db *db, const char *login, int role,
    struct aup_err *err)
{
	return st_exec(db, sql_op_set, "saving an operator", err, "tt", login,
	    aup_op_role_name((enum aup_op_role)role));
}

int
st_operator_remove(struct aup_db *db, const char *login, struct aup_err *err)
{
	return st_exec(db, sql_op_remove, "removing an operator", err, "t",
	    login);
}
