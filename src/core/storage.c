/* The storage module: every line of SQL in aupctl lives here. SQLite in WAL
 * mode with foreign keys on, STRICT tables, a schema version with forward
 * migrations, and each statement prepared once and reused. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "aup/clock.h"
#include "aup/util.h"
#include "core.h"

#define BUSY_TIMEOUT_MS	5000
#define BUSY_STEP_US	200

/* Forward migrations: MIGRATIONS[i] takes user_version i to i + 1. */
static const char *const migrations[] = {
	/* 1: people, passwords, login counters, the audit log. */
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	") STRICT;"
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  username TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('pupil','staff','governor',"
	"    'volunteer','visitor','class')),"
	"  first_name TEXT NOT NULL,"
	"  last_name TEXT NOT NULL,"
	"  year_group INTEGER CHECK (year_group BETWEEN -1 AND 13),"
	"  class TEXT,"
	"  mis_id TEXT UNIQUE,"
	"  email TEXT,"
	"  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active',"
	"    'suspended','leaving','left','expired')),"
	"  status_reason TEXT,"
	"  status_until INTEGER,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  pw_hash TEXT CHECK (pw_hash IS NULL OR pw_hash LIKE '$argon2id$%'),"
	"  pw_changed_at INTEGER,"
	"  must_change INTEGER NOT NULL DEFAULT 0,"
	"  failures INTEGER NOT NULL DEFAULT 0,"
	"  locked_until INTEGER,"
	"  last_login_at INTEGER,"
	"  expires_at INTEGER"
	") STRICT;"
	"CREATE INDEX users_role ON users (role, status);"
	"CREATE INDEX users_year ON users (year_group);"
	"CREATE INDEX users_class ON users (class);"
	"CREATE INDEX users_name ON users (last_name COLLATE NOCASE,"
	"  first_name COLLATE NOCASE);"
	"CREATE TABLE pw_history ("
	"  id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
	"  hash TEXT NOT NULL,"
	"  set_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX pw_history_user ON pw_history (user_id, id);"
	"CREATE TABLE auth_counts ("
	"  day TEXT NOT NULL,"
	"  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
	"  ok INTEGER NOT NULL DEFAULT 0,"
	"  failed INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (day, user_id)"
	") STRICT;"
	"CREATE TABLE audit_log ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  operator TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  user_id INTEGER,"
	"  subject TEXT,"
	"  before TEXT,"
	"  after TEXT,"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL"
	") STRICT;"
	"CREATE INDEX audit_log_user ON audit_log (user_id, id);"
	"CREATE INDEX audit_log_at ON audit_log (at);",
};
#define SCHEMA_VERSION	((int)(sizeof migrations / sizeof migrations[0]))

#define USER_COLS \
	"id, username, role, first_name, last_name, year_group, class, " \
	"mis_id, email, status, status_reason, status_until, created_at, " \
	"updated_at, pw_hash IS NOT NULL, pw_changed_at, must_change, " \
	"failures, locked_until, last_login_at, expires_at"

static const char *const sql_text[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[ST_META_SET] = "INSERT INTO meta (key, value) VALUES (?1, ?2) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[ST_USER_INSERT] = "INSERT INTO users (username, role, first_name, "
	    "last_name, year_group, class, mis_id, email, status, created_at, "
	    "updated_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?10, ?11)",
	[ST_USER_BY_ID] = "SELECT " USER_COLS " FROM users WHERE id = ?1",
	[ST_USER_BY_NAME] = "SELECT " USER_COLS " FROM users "
	    "WHERE username = ?1",
	[ST_USER_BY_MIS] = "SELECT " USER_COLS " FROM users WHERE mis_id = ?1",
	[ST_USER_UPDATE] = "UPDATE users SET first_name = ?2, last_name = ?3, "
	    "year_group = ?4, class = ?5, mis_id = ?6, email = ?7, "
	    "status = ?8, status_reason = ?9, status_until = ?10, "
	    "updated_at = ?11, expires_at = ?12 WHERE id = ?1",
	[ST_USER_LIST] = "SELECT " USER_COLS " FROM users WHERE "
	    "(?1 IS NULL OR role = ?1) AND "
	    "(?2 IS NULL OR year_group BETWEEN ?2 AND ?3) AND "
	    "(?4 IS NULL OR year_group = ?4) AND "
	    "(?5 IS NULL OR class = ?5 COLLATE NOCASE) AND "
	    "(?6 IS NULL OR status = ?6) AND "
	    "(?7 IS NULL OR username LIKE ?7 ESCAPE '\\' OR "
	    " first_name LIKE ?7 ESCAPE '\\' OR last_name LIKE ?7 ESCAPE '\\' OR "
	    " first_name || ' ' || last_name LIKE ?7 ESCAPE '\\' OR "
	    " email LIKE ?7 ESCAPE '\\' OR mis_id LIKE ?7 ESCAPE '\\') "
	    "ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE, id",
	[ST_USERNAME_TAKEN] = "SELECT 1 FROM users WHERE username = ?1",
	[ST_PW_GET] = "SELECT pw_hash FROM users WHERE id = ?1",
	[ST_PW_SET] = "UPDATE users SET pw_hash = ?2, pw_changed_at = ?3, "
	    "must_change = ?4, failures = 0, locked_until = NULL, "
	    "updated_at = ?3 WHERE id = ?1",
	[ST_HIST_ADD] = "INSERT INTO pw_history (user_id, hash, set_at) "
	    "VALUES (?1, ?2, ?3)",
	[ST_HIST_LIST] = "SELECT hash FROM pw_history WHERE user_id = ?1 "
	    "ORDER BY id DESC LIMIT ?2",
	[ST_HIST_TRIM] = "DELETE FROM pw_history WHERE user_id = ?1 AND id NOT "
	    "IN (SELECT id FROM pw_history WHERE user_id = ?1 "
	    "ORDER BY id DESC LIMIT ?2)",
	[ST_AUTH_SET] = "UPDATE users SET failures = ?2, locked_until = ?3, "
	    "last_login_at = ?4 WHERE id = ?1",
	[ST_AUTH_COUNT] = "INSERT INTO auth_counts (day, user_id, ok, failed) "
	    "VALUES (date(?1, 'unixepoch'), ?2, ?3, ?4) "
	    "ON CONFLICT (day, user_id) DO UPDATE SET ok = ok + excluded.ok, "
	    "failed = failed + excluded.failed",
	[ST_PW_AGE_LIST] = "SELECT " USER_COLS " FROM users WHERE role = ?1 "
	    "AND status = 'active' AND pw_hash IS NOT NULL AND "
	    "pw_changed_at <= ?2 ORDER BY pw_changed_at, id",
	[ST_MUST_CHANGE] = "UPDATE users SET must_change = ?2 WHERE id = ?1",
	[ST_LOG_HEAD] = "SELECT id, hash FROM audit_log ORDER BY id DESC "
	    "LIMIT 1",
	[ST_LOG_INSERT] = "INSERT INTO audit_log (at, operator, action, "
	    "user_id, subject, before, after, prev_hash, hash) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_LOG_LIST] = "SELECT id, at, operator, action, user_id, subject, "
	    "before, after, prev_hash, hash FROM audit_log WHERE "
	    "(?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR at >= ?2) "
	    "ORDER BY id",
	[ST_LOG_ALL] = "SELECT id, at, operator, action, user_id, subject, "
	    "before, after, prev_hash, hash FROM audit_log ORDER BY id",
};

static int
sql_fail(struct aup_db *db, struct aup_err *err, const char *what)
{
	int rc = sqlite3_extended_errcode(db->sql);

	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
		aup_err_set(err, AUP_EX_TEMPFAIL, "the database %s is busy",
		    db->path);
		aup_err_hint(err, "another aupctl is writing to it; try again "
		    "in a moment");
		return -1;
	}
	if ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN ||
	    (rc & 0xff) == SQLITE_PERM) {
		aup_err_set(err, AUP_EX_CANTCREAT, "cannot write to the database "
		    "%s: %s", db->path, sqlite3_errmsg(db->sql));
		aup_err_hint(err, "check the permissions of the file and its "
		    "folder");
		return -1;
	}
	if ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL) {
		aup_err_set(err, AUP_EX_IOERR, "I/O error on %s while %s: %s",
		    db->path, what, sqlite3_errmsg(db->sql));
		return -1;
	}
	if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) {
		aup_err_set(err, AUP_EX_DATAERR, "%s is damaged or not an aupctl "
		    "database: %s", db->path, sqlite3_errmsg(db->sql));
		aup_err_hint(err, "restore it from a backup (aupctl db backup)");
		return -1;
	}
	return aup_err_set(err, AUP_EX_SOFTWARE, "database error while %s: %s",
	    what, sqlite3_errmsg(db->sql));
}

static sqlite3_stmt *
stmt(struct aup_db *db, enum st_stmt id, struct aup_err *err)
{
	sqlite3_stmt *s = db->stmts[id];

	if (s == NULL) {
		if (sqlite3_prepare_v3(db->sql, sql_text[id], -1,
		    SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
			sql_fail(db, err, "preparing a statement");
			return NULL;
		}
		db->stmts[id] = s;
	}
	return s;
}

static void
done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

static void
bind_time(sqlite3_stmt *s, int i, time_t t)
{
	if (t == 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, (sqlite3_int64)t);
}

static char *
col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t != NULL ? xstrdup((const char *)t) : NULL;
}

/* Step a statement that returns no rows, then reset it. */
static int
run(struct aup_db *db, sqlite3_stmt *s, struct aup_err *err, const char *what)
{
	int rc = sqlite3_step(s);

	done(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sql_fail(db, err, what);
	return 0;
}

static int
exec_script(struct aup_db *db, const char *sql, struct aup_err *err,
    const char *what)
{
	/* Only for fixed, literal scripts: pragmas and migrations. */
	if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql_fail(db, err, what);
	return 0;
}

/* Wait for another writer in short steps: SQLite's default handler backs
 * off to tens of milliseconds, far longer than any aupctl transaction, and
 * that wait would fall on every login a helper answers under load. */
static int
busy_wait(void *arg, int count)
{
	(void)arg;
	if ((long)count * BUSY_STEP_US >= BUSY_TIMEOUT_MS * 1000L)
		return 0;
	usleep(BUSY_STEP_US);
	return 1;
}

static int
create_file(struct aup_db *db, struct aup_err *err)
{
	const char *group = db->cfg->db_group;
	mode_t mode = group != NULL ? 0660 : 0600;
	int fd;

	fd = open(db->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		if (errno == EEXIST) {
			aup_err_set(err, AUP_EX_CANTCREAT, "a database already "
			    "exists at %s", db->path);
			aup_err_hint(err, "use it as it is, or give another path "
			    "with --db");
		} else
			aup_err_set(err, AUP_EX_CANTCREAT, "cannot create %s: %s",
			    db->path, strerror(errno));
		return -1;
	}
	if (group != NULL) {
		struct group *gr = getgrnam(group);

		if (gr == NULL || fchown(fd, (uid_t)-1, gr->gr_gid) != 0 ||
		    fchmod(fd, mode) != 0) {
			aup_err_set(err, AUP_EX_CONFIG, "cannot give %s to group "
			    "'%s' from [database] group: %s", db->path, group,
			    gr == NULL ? "no such group" : strerror(errno));
			close(fd);
			unlink(db->path);
			return -1;
		}
	}
	close(fd);
	return 0;
}

static int
migrate(struct aup_db *db, struct aup_err *err)
{
	sqlite3_stmt *s;
	int version = 0;

	if (sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &s,
	    NULL) != SQLITE_OK)
		return sql_fail(db, err, "reading the schema version");
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > SCHEMA_VERSION) {
		aup_err_set(err, AUP_EX_SOFTWARE, "%s was written by a newer "
		    "aupctl (schema %d; this one knows %d)", db->path, version,
		    SCHEMA_VERSION);
		aup_err_hint(err, "upgrade aupctl before using this database");
		return -1;
	}
	for (; version < SCHEMA_VERSION; version++) {
		char set[64];

		snprintf(set, sizeof set, "PRAGMA user_version = %d",
		    version + 1);
		if (exec_script(db, "BEGIN IMMEDIATE", err, "migrating") != 0)
			return -1;
		if (exec_script(db, migrations[version], err,
		    "migrating the schema") != 0 ||
		    exec_script(db, set, err, "migrating") != 0) {
			sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		if (exec_script(db, "COMMIT", err, "migrating") != 0)
			return -1;
	}
	return 0;
}

int
st_open(struct aup_db *db, bool create, struct aup_err *err)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	if (create) {
		if (create_file(db, err) != 0)
			return -1;
	} else if (access(db->path, F_OK) != 0) {
		aup_err_set(err, AUP_EX_NOINPUT, "no database at %s", db->path);
		aup_err_hint(err, "create one with 'aupctl init --school NAME', "
		    "or point --db or $AUPCTL_DB at it");
		return -1;
	}
	if (sqlite3_open_v2(db->path, &db->sql, flags, NULL) != SQLITE_OK) {
		if (db->sql == NULL)
			return aup_err_set(err, AUP_EX_SOFTWARE, "out of memory");
		return sql_fail(db, err, "opening");
	}
	sqlite3_extended_result_codes(db->sql, 1);
	sqlite3_busy_handler(db->sql, busy_wait, NULL);
	if (exec_script(db, "PRAGMA foreign_keys = ON; "
	    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
	    "PRAGMA secure_delete = ON", err, "opening") != 0)
		return -1;
	return migrate(db, err);
}

void
st_close(struct aup_db *db)
{
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->stmts[i]);
	sqlite3_close(db->sql);
}

void
st_remove(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };

	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char *f = xasprintf("%s%s", path, suffixes[i]);
		remove(f);
		free(f);
	}
}

int
st_begin(struct aup_db *db, struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_BEGIN, err);

	if (s == NULL)
		return -1;
	if (db->tx_depth++ > 0)
		return 0;
	if (run(db, s, err, "starting a transaction") != 0) {
		db->tx_depth = 0;
		return -1;
	}
	return 0;
}

int
st_commit(struct aup_db *db, struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_COMMIT, err);

	if (s == NULL)
		return -1;
	if (--db->tx_depth > 0)
		return 0;
	if (run(db, s, err, "saving the change") != 0) {
		st_rollback(db);
		return -1;
	}
	return 0;
}

void
st_rollback(struct aup_db *db)
{
	sqlite3_stmt *s = stmt(db, ST_ROLLBACK, NULL);

	db->tx_depth = 0;
	if (s != NULL && !sqlite3_get_autocommit(db->sql))
		run(db, s, NULL, "rolling back");
}

int
st_meta_get(struct aup_db *db, const char *key, char **val,
    struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_META_GET, err);
	int rc;

	*val = NULL;
	if (s == NULL)
		return -1;
	bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*val = col_text(s, 0);
	done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_fail(db, err, "reading settings");
	return 0;
}

int
st_meta_set(struct aup_db *db, const char *key, const char *val,
    struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_META_SET, err);

	if (s == NULL)
		return -1;
	bind_text(s, 1, key);
	bind_text(s, 2, val);
	return run(db, s, err, "saving settings");
}

static void
row_user(sqlite3_stmt *s, struct aup_user *u)
{
	char *t;

	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(s, 0);
	u->username = col_text(s, 1);
	t = col_text(s, 2);
	u->role = (enum aup_role)aup_role_parse(t);
	free(t);
	u->first = col_text(s, 3);
	u->last = col_text(s, 4);
	u->year = sqlite3_column_type(s, 5) == SQLITE_NULL ? AUP_YEAR_NONE :
	    sqlite3_column_int(s, 5);
	u->class_name = col_text(s, 6);
	u->mis_id = col_text(s, 7);
	u->email = col_text(s, 8);
	t = col_text(s, 9);
	u->status = (enum aup_status)aup_status_parse(t);
	free(t);
	u->status_reason = col_text(s, 10);
	u->status_until = (time_t)sqlite3_column_int64(s, 11);
	u->created = (time_t)sqlite3_column_int64(s, 12);
	u->updated = (time_t)sqlite3_column_int64(s, 13);
	u->has_password = sqlite3_column_int(s, 14) != 0;
	u->pw_changed = (time_t)sqlite3_column_int64(s, 15);
	u->must_change = sqlite3_column_int(s, 16) != 0;
	u->failures = sqlite3_column_int(s, 17);
	u->locked_until = (time_t)sqlite3_column_int64(s, 18);
	u->last_login = (time_t)sqlite3_column_int64(s, 19);
	u->expires = (time_t)sqlite3_column_int64(s, 20);
}

static void
bind_year(sqlite3_stmt *s, int i, int year)
{
	if (year == AUP_YEAR_NONE)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int(s, i, year);
}

int
st_user_insert(struct aup_db *db, struct aup_user *u, struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_USER_INSERT, err);

	if (s == NULL)
		return -1;
	bind_text(s, 1, u->username);
	bind_text(s, 2, aup_role_name(u->role));
	bind_text(s, 3, u->first);
	bind_text(s, 4, u->last);
	bind_year(s, 5, u->year);
	bind_text(s, 6, u->class_name);
	bind_text(s, 7, u->mis_id);
	bind_text(s, 8, u->email);
	bind_text(s, 9, aup_status_name(u->status));
	sqlite3_bind_int64(s, 10, (sqlite3_int64)u->created);
	bind_time(s, 11, u->expires);
	if (sqlite3_step(s) != SQLITE_DONE) {
		int rc = sqlite3_extended_errcode(db->sql);
		done(s);
		if (rc == SQLITE_CONSTRAINT_UNIQUE) {
			aup_err_set(err, AUP_EX_DATAERR, "username '%s' or MIS id "
			    "'%s' is already in use", u->username,
			    u->mis_id ? u->mis_id : "");
			return -1;
		}
		return sql_fail(db, err, "adding a person");
	}
	done(s);
	u->id = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

static int
get_user(struct aup_db *db, sqlite3_stmt *s, struct aup_user *u,
    struct aup_err *err)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		row_user(s, u);
	done(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return 1;
	return sql_fail(db, err, "finding a person");
}

int
st_user_get_id(struct aup_db *db, int64_t id, struct aup_user *u,
    struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_USER_BY_ID, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return get_user(db, s, u, err);
}

int
st_user_get_name(struct aup_db *db, const char *name, struct aup_user *u,
    struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_USER_BY_NAME, err);

	if (s == NULL)
		return -1;
	bind_text(s, 1, name);
	return get_user(db, s, u, err);
}

int
st_user_get_mis(struct aup_db *db, const char *mis, struct aup_user *u,
    struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_USER_BY_MIS, err);

	if (s == NULL)
		return -1;
	bind_text(s, 1, mis);
	return get_user(db, s, u, err);
}

int
st_user_update(struct aup_db *db, const struct aup_user *u,
    struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_USER_UPDATE, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, u->id);
	bind_text(s, 2, u->first);
	bind_text(s, 3, u->last);
	bind_year(s, 4, u->year);
	bind_text(s, 5, u->class_name);
	bind_text(s, 6, u->mis_id);
	bind_text(s, 7, u->email);
	bind_text(s, 8, aup_status_name(u->status));
	bind_text(s, 9, u->status_reason);
	bind_time(s, 10, u->status_until);
	sqlite3_bind_int64(s, 11, (sqlite3_int64)u->updated);
	bind_time(s, 12, u->expires);
	rc = sqlite3_step(s);
	done(s);
	if (rc == SQLITE_CONSTRAINT_UNIQUE ||
	    sqlite3_extended_errcode(db->sql) == SQLITE_CONSTRAINT_UNIQUE)
		return aup_err_set(err, AUP_EX_DATAERR, "MIS id '%s' belongs "
		    "to someone else", u->mis_id ? u->mis_id : "");
	if (rc != SQLITE_DONE)
		return sql_fail(db, err, "changing a person");
	return 0;
}

static int
collect_users(struct aup_db *db, sqlite3_stmt *s, struct aup_user_list *out,
    struct aup_err *err)
{
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 64;
			out->v = xreallocarray(out->v, cap, sizeof *out->v);
		}
		row_user(s, &out->v[out->n++]);
	}
	done(s);
	if (rc != SQLITE_DONE) {
		aup_user_list_free(out);
		return sql_fail(db, err, "listing people");
	}
	return 0;
}

int
st_user_list(struct aup_db *db, const struct aup_user_filter *f,
    struct aup_user_list *out, struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_USER_LIST, err);
	int rc;

	if (s == NULL)
		return -1;
	if (f->role >= 0)
		bind_text(s, 1, aup_role_name((enum aup_role)f->role));
	if (f->ks >= 0) {
		int lo, hi;
		aup_ks_years((enum aup_ks)f->ks, &lo, &hi);
		sqlite3_bind_int(s, 2, lo);
		sqlite3_bind_int(s, 3, hi);
	}
	bind_year(s, 4, f->year);
	bind_text(s, 5, f->class_name);
	if (f->status >= 0)
		bind_text(s, 6, aup_status_name((enum aup_status)f->status));
	if (f->search != NULL && *f->search != '\0') {
		struct aup_buf b = { 0 };
		const char *p;

		/* Match anywhere, taking % and _ in the text literally. */
		aup_buf_puts(&b, "%");
		for (p = f->search; *p != '\0'; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				aup_buf_add(&b, "\\", 1);
			aup_buf_add(&b, p, 1);
		}
		aup_buf_puts(&b, "%");
		bind_text(s, 7, b.data);
		aup_buf_free(&b);
	}
	rc = collect_users(db, s, out, err);
	return rc;
}

int
st_username_taken(struct aup_db *db, const char *name, struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_USERNAME_TAKEN, err);
	int rc;

	if (s == NULL)
		return -1;
	bind_text(s, 1, name);
	rc = sqlite3_step(s);
	done(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return sql_fail(db, err, "checking a username");
}

int
st_pw_get(struct aup_db *db, int64_t user_id, char **hash,
    struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_PW_GET, err);
	int rc;

	*hash = NULL;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, user_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*hash = col_text(s, 0);
	done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_fail(db, err, "reading a password hash");
	return 0;
}

int
st_pw_set(struct aup_db *db, int64_t user_id, const char *hash,
    time_t changed, bool must_change, struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_PW_SET, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, user_id);
	bind_text(s, 2, hash);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)changed);
	sqlite3_bind_int(s, 4, must_change);
	return run(db, s, err, "saving a password hash");
}

int
st_must_change(struct aup_db *db, int64_t user_id, bool must,
    struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_MUST_CHANGE, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int(s, 2, must);
	return run(db, s, err, "marking a password");
}

int
st_hist_add(struct aup_db *db, int64_t user_id, const char *hash, time_t at,
    int keep, struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_HIST_ADD, err);
	sqlite3_stmt *t = stmt(db, ST_HIST_TRIM, err);

	if (s == NULL || t == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, user_id);
	bind_text(s, 2, hash);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)at);
	if (run(db, s, err, "keeping password history") != 0)
		return -1;
	sqlite3_bind_int64(t, 1, user_id);
	sqlite3_bind_int(t, 2, keep);
	return run(db, t, err, "trimming password history");
}

int
st_hist_list(struct aup_db *db, int64_t user_id, int n, char ***hashes,
    size_t *count, struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_HIST_LIST, err);
	int rc;

	*hashes = NULL;
	*count = 0;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int(s, 2, n);
	*hashes = xcalloc((size_t)n + 1, sizeof **hashes);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *count < (size_t)n)
		(*hashes)[(*count)++] = col_text(s, 0);
	done(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sql_fail(db, err, "reading password history");
	return 0;
}

int
st_auth_set(struct aup_db *db, int64_t user_id, int failures,
    time_t locked_until, time_t last_login, struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_AUTH_SET, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int(s, 2, failures);
	bind_time(s, 3, locked_until);
	bind_time(s, 4, last_login);
	return run(db, s, err, "recording a login");
}

int
st_auth_count(struct aup_db *db, int64_t user_id, bool ok,
    struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_AUTH_COUNT, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)aup_now());
	sqlite3_bind_int64(s, 2, user_id);
	sqlite3_bind_int(s, 3, ok ? 1 : 0);
	sqlite3_bind_int(s, 4, ok ? 0 : 1);
	return run(db, s, err, "counting a login");
}

int
st_pw_age_list(struct aup_db *db, enum aup_role role, time_t cutoff,
    struct aup_user_list *out, struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_PW_AGE_LIST, err);

	if (s == NULL)
		return -1;
	bind_text(s, 1, aup_role_name(role));
	sqlite3_bind_int64(s, 2, (sqlite3_int64)cutoff);
	return collect_users(db, s, out, err);
}

int
st_log_head(struct aup_db *db, int64_t *id, char hash[65],
    struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_LOG_HEAD, err);
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
	done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_fail(db, err, "reading the audit log");
	return 0;
}

int
st_log_insert(struct aup_db *db, const struct aup_log_entry *e,
    const char *prev, const char *hash, struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_LOG_INSERT, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)e->at);
	bind_text(s, 2, e->operator);
	bind_text(s, 3, e->action);
	if (e->user_id != 0)
		sqlite3_bind_int64(s, 4, e->user_id);
	bind_text(s, 5, e->subject);
	bind_text(s, 6, e->before);
	bind_text(s, 7, e->after);
	bind_text(s, 8, prev);
	bind_text(s, 9, hash);
	return run(db, s, err, "writing the audit log");
}

static void
row_log(sqlite3_stmt *s, struct aup_log_entry *e)
{
	e->id = sqlite3_column_int64(s, 0);
	e->at = (time_t)sqlite3_column_int64(s, 1);
	e->operator = col_text(s, 2);
	e->action = col_text(s, 3);
	e->user_id = sqlite3_column_int64(s, 4);
	e->subject = col_text(s, 5);
	e->before = col_text(s, 6);
	e->after = col_text(s, 7);
}

int
st_log_list(struct aup_db *db, int64_t user_id, time_t since,
    struct aup_log_list *out, struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_LOG_LIST, err);
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	if (s == NULL)
		return -1;
	if (user_id != 0)
		sqlite3_bind_int64(s, 1, user_id);
	bind_time(s, 2, since);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 64;
			out->v = xreallocarray(out->v, cap, sizeof *out->v);
		}
		row_log(s, &out->v[out->n++]);
	}
	done(s);
	if (rc != SQLITE_DONE) {
		aup_log_list_free(out);
		return sql_fail(db, err, "reading the audit log");
	}
	return 0;
}

int
st_log_walk(struct aup_db *db, st_log_fn fn, void *arg, struct aup_err *err)
{
	sqlite3_stmt *s = stmt(db, ST_LOG_ALL, err);
	int rc, stop = 0;

	if (s == NULL)
		return -1;
	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct aup_log_entry e;
		char *prev, *hash;

		row_log(s, &e);
		prev = col_text(s, 8);
		hash = col_text(s, 9);
		stop = fn(arg, &e, prev ? prev : "", hash ? hash : "");
		free(prev);
		free(hash);
		aup_log_entry_clear(&e);
	}
	done(s);
	if (stop == 0 && rc != SQLITE_DONE)
		return sql_fail(db, err, "reading the audit log");
	return 0;
}

int
st_integrity(struct aup_db *db, struct aup_db_report *r, struct aup_err *err)
{
	sqlite3_stmt *s;
	int rc;

	r->integrity_ok = false;
	r->fk_violations = 0;
	if (sqlite3_prepare_v2(db->sql, "PRAGMA integrity_check", -1, &s,
	    NULL) != SQLITE_OK)
		return sql_fail(db, err, "checking integrity");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(s, 0);
		aup_strlcpy(r->integrity, t ? (const char *)t : "",
		    sizeof r->integrity);
		r->integrity_ok = strcmp(r->integrity, "ok") == 0;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return sql_fail(db, err, "checking integrity");
	if (sqlite3_prepare_v2(db->sql, "PRAGMA foreign_key_check", -1, &s,
	    NULL) != SQLITE_OK)
		return sql_fail(db, err, "checking foreign keys");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		r->fk_violations++;
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return sql_fail(db, err, "checking foreign keys");
	return 0;
}

int
st_backup(struct aup_db *db, const char *file, struct aup_err *err)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	int fd, rc;

	fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		aup_err_set(err, AUP_EX_CANTCREAT, "cannot create %s: %s", file,
		    strerror(errno));
		if (errno == EEXIST)
			aup_err_hint(err, "a backup never overwrites a file; "
			    "choose a new name");
		return -1;
	}
	close(fd);
	if (sqlite3_open_v2(file, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		aup_err_set(err, AUP_EX_CANTCREAT, "cannot open %s: %s", file,
		    dst ? sqlite3_errmsg(dst) : "out of memory");
		sqlite3_close(dst);
		unlink(file);
		return -1;
	}
	b = sqlite3_backup_init(dst, "main", db->sql, "main");
	if (b == NULL) {
		aup_err_set(err, AUP_EX_IOERR, "cannot back up to %s: %s", file,
		    sqlite3_errmsg(dst));
		sqlite3_close(dst);
		unlink(file);
		return -1;
	}
	/* Copy in steps so writers are not held off for the whole copy. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		aup_err_set(err, AUP_EX_IOERR, "backup to %s failed: %s", file,
		    sqlite3_errstr(rc));
		sqlite3_close(dst);
		unlink(file);
		return -1;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		unlink(file);
		return aup_err_set(err, AUP_EX_IOERR, "cannot finish %s", file);
	}
	return 0;
}
