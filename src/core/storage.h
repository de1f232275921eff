/* Private to the storage files (storage.c and st-*.c), the only code that
 * speaks SQL: the one shape of prepare (once), bind, step and reset. */
#ifndef AUP_STORAGE_H
#define AUP_STORAGE_H

#include <stdarg.h>

#include <sqlite3.h>

#include "aup/utf8.h"
#include "aup/util.h"
#include "core.h"

/* The schema: st_migrations[i] takes user_version i to i + 1 (generated
 * from migrations/ at build time). */
extern const char *const st_migrations[];
extern const int st_nmigrations;

/* The prepared statement for SQL, a string constant of the caller's, made
 * once per handle and kept until it closes. NULL with ERR set. */
sqlite3_stmt *st_stmt(struct aup_db *db, const char *sql, struct aup_err *err);
/* The same for SQL built at run time, kept under KEY: the address of
 * something static that stands for that statement's shape. */
sqlite3_stmt *st_stmt_keyed(struct aup_db *db, const void *key, const char *sql,
    struct aup_err *err);
/* Reset S for its next use and drop its bindings. */
void st_done(sqlite3_stmt *s);
/* Turn the handle's last SQLite error into ERR, while doing WHAT. */
int st_fail(struct aup_db *db, struct aup_err *err, const char *what);

/*
 * Bind the values after TYPES to S from parameter 1 on, one letter each:
 * 't' text (NULL binds NULL), 'i' int, 'I' int64_t, 'b' bool (as int),
 * 'T' time_t (0 binds NULL), 'U' int64_t id (0 binds NULL), 'y' year group
 * (AUP_YEAR_NONE binds NULL).
 */
void st_bind(sqlite3_stmt *s, const char *types, ...);
void st_bindv(sqlite3_stmt *s, const char *types, va_list ap);
/* Prepare SQL, bind as st_bind, step once and reset: for statements that
 * return no rows. */
int st_exec(struct aup_db *db, const char *sql, const char *what,
    struct aup_err *err, const char *types, ...);
/* Step S once, then reset it, for statements that return no rows. */
int st_run(struct aup_db *db, sqlite3_stmt *s, struct aup_err *err,
    const char *what);

void st_bind_text(sqlite3_stmt *s, int i, const char *v);
char *st_col_text(sqlite3_stmt *s, int i);
/* A column holding a year group, a time or an id; NULL reads as none. */
int st_col_year(sqlite3_stmt *s, int i);

/* The plan SQLite makes for SQL, one line a step (EXPLAIN QUERY PLAN). */
int st_explain(struct aup_db *db, const char *sql, char **plan,
    struct aup_err *err);
/* The same for the statement S as prepared and bound (NULL: ERR is set
 * already), which is then reset. */
int st_explain_stmt(struct aup_db *db, sqlite3_stmt *s, char **plan,
    struct aup_err *err);
/* st-query.c: the nightly check's statements, NULL-terminated. */
extern const char *const st_nightly_sql[];

/* st-user.c: a person from a row of USER_COLS. */
#define ST_USER_COLS \
	"id, username, role, first_name, last_name, year_group, class, " \
	"mis_id, email, status, status_reason, status_until, created_at, " \
	"updated_at, pw_hash IS NOT NULL, pw_changed_at, must_change, " \
	"failures, locked_until, last_login_at, expires_at, legal_first, " \
	"legal_last"
#define ST_USER_NCOLS 23 /* the columns above; what follows them is 23 on */
/* The same places, with only the columns of a brief list (struct
 * aup_user_filter), which users_audit holds: the rest NULL. */
#define ST_USER_BRIEF_COLS \
	"id, username, role, first_name, last_name, year_group, class, " \
	"NULL, NULL, status, NULL, status_until, NULL, NULL, NULL, NULL, " \
	"NULL, NULL, NULL, NULL, expires_at, NULL, NULL"
void st_row_user(sqlite3_stmt *s, struct aup_user *u);

#endif
