/* The storage engine: opening the SQLite file (WAL, foreign keys on,
 * STRICT tables), the schema's forward migrations, prepared statements
 * made once and reused, nestable transactions, integrity and backup. The
 * rest of the SQL lives by noun in st-*.c. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aup/clock.h"
#include "aup/util.h"
#include "storage.h"

#define BUSY_TIMEOUT_MS 5000
#define BUSY_STEP_US	200

/* Whether the effective user may not write PATH or the folder it is in
 * (SQLite writes its -wal and -shm files there, even to read). */
static bool
write_denied(const char *path)
{
	char *copy = xstrdup(path);
	bool denied;

	denied = (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0 &&
		     errno == EACCES) ||
	    (faccessat(AT_FDCWD, dirname(copy), W_OK | X_OK, AT_EACCESS) != 0 &&
		errno == EACCES);
	free(copy);
	return denied;
}

/* Permission denied (77) on DB's file, naming who may write it. */
static int
perm_denied(struct aup_db *db, struct aup_err *err)
{
	struct stat st;
	struct passwd *pw;
	struct group *gr;
	char owner[64], group[64];

	aup_err_set(err, AUP_EX_NOPERM,
	    "permission denied: cannot write to the database %s", db->path);
	if (stat(db->path, &st) != 0) {
		aup_err_hint(err, "its folder is closed to you");
		return -1;
	}
	if ((pw = getpwuid(st.st_uid)) != NULL)
		aup_strlcpy(owner, pw->pw_name, sizeof owner);
	else
		snprintf(owner, sizeof owner, "uid %ld", (long)st.st_uid);
	if ((gr = getgrgid(st.st_gid)) != NULL)
		aup_strlcpy(group, gr->gr_name, sizeof group);
	else
		snprintf(group, sizeof group, "gid %ld", (long)st.st_gid);
	if (st.st_mode & S_IWGRP)
		aup_err_hint(err,
		    "only %s and members of group %s may use it "
		    "(aupctl writes to it even to read); run aupctl as one of "
		    "them",
		    owner, group);
	else
		aup_err_hint(err,
		    "only %s may use it (aupctl writes to it "
		    "even to read); run aupctl as %s",
		    owner, owner);
	return -1;
}

int
st_fail(struct aup_db *db, struct aup_err *err, const char *what)
{
	int rc = sqlite3_extended_errcode(db->sql);

	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
		aup_err_set(err, AUP_EX_TEMPFAIL, "the database %s is busy",
		    db->path);
		aup_err_hint(err,
		    "another aupctl is writing to it; try again in a moment");
		return -1;
	}
	if ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN ||
	    (rc & 0xff) == SQLITE_PERM) {
		if (write_denied(db->path))
			return perm_denied(db, err);
		aup_err_set(err, AUP_EX_CANTCREAT,
		    "cannot write to the database %s: %s", db->path,
		    sqlite3_errmsg(db->sql));
		aup_err_hint(err,
		    "check the permissions of the file and its folder");
		return -1;
	}
	if ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL) {
		aup_err_set(err, AUP_EX_IOERR, "I/O error on %s while %s: %s",
		    db->path, what, sqlite3_errmsg(db->sql));
		return -1;
	}
	if ((rc & 0xff) == SQLITE_NOTADB) {
		aup_err_set(err, AUP_EX_DATAERR, "%s is not an aupctl database",
		    db->path);
		aup_err_hint(err,
		    "check the path given by --db, $AUPCTL_DB or "
		    "[database] path");
		return -1;
	}
	if ((rc & 0xff) == SQLITE_CORRUPT) {
		aup_err_set(err, AUP_EX_DATAERR, "%s is damaged: %s", db->path,
		    sqlite3_errmsg(db->sql));
		aup_err_hint(err,
		    "restore it from a backup (aupctl db backup)");
		return -1;
	}
	return aup_err_set(err, AUP_EX_SOFTWARE, "database error while %s: %s",
	    what, sqlite3_errmsg(db->sql));
}

/* Statements are found by the address of their SQL text (each is a string
 * constant of one st-*.c file) or of a key that stands for a statement
 * built at run time; a short linear search suffices. */
struct st_cached {
	const void *key;
	sqlite3_stmt *s;
};

sqlite3_stmt *
st_stmt(struct aup_db *db, const char *sql, struct aup_err *err)
{
	return st_stmt_keyed(db, sql, sql, err);
}

sqlite3_stmt *
st_stmt_keyed(struct aup_db *db, const void *key, const char *sql,
    struct aup_err *err)
{
	sqlite3_stmt *s;

	for (size_t i = 0; i < db->nstmts; i++)
		if (db->stmts[i].key == key)
			return db->stmts[i].s;
	if (sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
		NULL) != SQLITE_OK) {
		st_fail(db, err, "preparing a statement");
		return NULL;
	}
	db->stmts = xreallocarray(db->stmts, db->nstmts + 1, sizeof *db->stmts);
	db->stmts[db->nstmts].key = key;
	db->stmts[db->nstmts++].s = s;
	return s;
}

void
st_done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

void
st_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

void
st_bindv(sqlite3_stmt *s, const char *types, va_list ap)
{
	/* One letter a parameter: a letter too many would read an argument
	 * that was never passed. */
	if ((int)strlen(types) != sqlite3_bind_parameter_count(s))
		abort();
	for (int i = 1; *types != '\0'; types++, i++) {
		int64_t v;

		switch (*types) {
		case 't': st_bind_text(s, i, va_arg(ap, const char *)); break;
		case 'i':
		case 'b': sqlite3_bind_int(s, i, va_arg(ap, int)); break;
		case 'y':
			v = va_arg(ap, int);
			if (v == AUP_YEAR_NONE)
				sqlite3_bind_null(s, i);
			else
				sqlite3_bind_int(s, i, (int)v);
			break;
		case 'I': sqlite3_bind_int64(s, i, va_arg(ap, int64_t)); break;
		case 'T':
		case 'U':
			v = *types == 'T' ? (int64_t)va_arg(ap, time_t) :
					    va_arg(ap, int64_t);
			if (v == 0)
				sqlite3_bind_null(s, i);
			else
				sqlite3_bind_int64(s, i, v);
			break;
		default: abort(); /* a typo in a storage file */
		}
	}
}

void
st_bind(sqlite3_stmt *s, const char *types, ...)
{
	va_list ap;

	va_start(ap, types);
	st_bindv(s, types, ap);
	va_end(ap);
}

int
st_exec(struct aup_db *db, const char *sql, const char *what,
    struct aup_err *err, const char *types, ...)
{
	sqlite3_stmt *s = st_stmt(db, sql, err);
	va_list ap;

	if (s == NULL)
		return -1;
	va_start(ap, types);
	st_bindv(s, types, ap);
	va_end(ap);
	return st_run(db, s, err, what);
}

char *
st_col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t != NULL ? xstrdup((const char *)t) : NULL;
}

int
st_col_year(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ?
	    AUP_YEAR_NONE :
	    sqlite3_column_int(s, i);
}

int
st_run(struct aup_db *db, sqlite3_stmt *s, struct aup_err *err,
    const char *what)
{
	int rc = sqlite3_step(s);

	st_done(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return st_fail(db, err, what);
	return 0;
}

static int
exec_script(struct aup_db *db, const char *sql, struct aup_err *err,
    const char *what)
{
	/* Only for fixed, literal scripts: pragmas and migrations. */
	if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK)
		return st_fail(db, err, what);
	return 0;
}

static int64_t
monotonic_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Wait for another writer in short steps: SQLite's default handler backs
 * off to tens of milliseconds, far longer than any aupctl transaction, and
 * that wait would fall on every login a helper answers under load. The
 * limit is measured by the clock: a sleep is often longer than asked. */
static int
busy_wait(void *arg, int count)
{
	struct aup_db *db = arg;

	if (count == 0)
		db->busy_since = monotonic_us();
	else if (monotonic_us() - db->busy_since >= BUSY_TIMEOUT_MS * 1000L)
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
			aup_err_set(err, AUP_EX_CANTCREAT,
			    "a database already exists at %s", db->path);
			aup_err_hint(err,
			    "use it as it is, or choose another path");
			aup_err_field(err, "db");
		} else
			aup_err_set(err, AUP_EX_CANTCREAT,
			    "cannot create %s: %s", db->path, strerror(errno));
		return -1;
	}
	if (group != NULL) {
		struct group *gr = getgrnam(group);

		if (gr == NULL || fchown(fd, (uid_t)-1, gr->gr_gid) != 0 ||
		    fchmod(fd, mode) != 0) {
			aup_err_set(err, AUP_EX_CONFIG,
			    "cannot give %s to group "
			    "'%s' from [database] group: %s",
			    db->path, group,
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

	if (sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &s, NULL) !=
	    SQLITE_OK)
		return st_fail(db, err, "reading the schema version");
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > st_nmigrations) {
		aup_err_set(err, AUP_EX_SOFTWARE,
		    "%s was written by a newer "
		    "aupctl (schema %d; this one knows %d)",
		    db->path, version, st_nmigrations);
		aup_err_hint(err, "upgrade aupctl before using this database");
		return -1;
	}
	for (; version < st_nmigrations; version++) {
		char set[64];

		snprintf(set, sizeof set, "PRAGMA user_version = %d",
		    version + 1);
		if (exec_script(db, "BEGIN IMMEDIATE", err, "migrating") != 0)
			return -1;
		if (exec_script(db, st_migrations[version], err,
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
	} else if (faccessat(AT_FDCWD, db->path, F_OK, AT_EACCESS) != 0) {
		aup_err_set(err, AUP_EX_NOINPUT, "no database at %s", db->path);
		aup_err_hint(err, "create one, or say where it is");
		aup_err_field(err, "db");
		return -1;
	}
	if (sqlite3_open_v2(db->path, &db->sql, flags, NULL) != SQLITE_OK) {
		if (db->sql == NULL)
			return aup_err_set(err, AUP_EX_SOFTWARE,
			    "out of memory");
		return st_fail(db, err, "opening");
	}
	sqlite3_extended_result_codes(db->sql, 1);
	sqlite3_busy_handler(db->sql, busy_wait, db);
	/* temp_store: a bulk job gives every row a savepoint, and the
	 * journal behind each is better in memory than in a temporary file
	 * (it halves the time of an insert). SQLite's own pragmas. */
	if (exec_script(db,
		"PRAGMA foreign_keys = ON; "
		"PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
		"PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY",
		err, "opening") != 0)
		return -1;
	return migrate(db, err);
}

void
st_close(struct aup_db *db)
{
	for (size_t i = 0; i < db->nstmts; i++)
		sqlite3_finalize(db->stmts[i].s);
	free(db->stmts);
	db->stmts = NULL;
	db->nstmts = 0;
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

/*
 * Transactions nest: the outermost is BEGIN IMMEDIATE ... COMMIT, each inner
 * one a SAVEPOINT, so a unit of work over many rows can give each row its
 * own savepoint and drop one row without losing the others, and a dry run
 * is the same code ended by a rollback.
 */
static const char sql_begin[] = "BEGIN IMMEDIATE";
static const char sql_commit[] = "COMMIT";
static const char sql_rollback[] = "ROLLBACK";
static const char sql_savepoint[] = "SAVEPOINT aup";
static const char sql_release[] = "RELEASE aup";
static const char sql_rollback_to[] = "ROLLBACK TO aup";

int
st_begin(struct aup_db *db, struct aup_err *err)
{
	if (st_exec(db, db->tx_depth == 0 ? sql_begin : sql_savepoint,
		"starting a transaction", err, "") != 0)
		return -1;
	db->tx_depth++;
	return 0;
}

int
st_commit(struct aup_db *db, struct aup_err *err)
{
	if (db->tx_depth == 0)
		return aup_err_set(err, AUP_EX_SOFTWARE,
		    "commit with no transaction open");
	if (st_exec(db, db->tx_depth == 1 ? sql_commit : sql_release,
		"saving the change", err, "") != 0) {
		st_rollback(db);
		return -1;
	}
	db->tx_depth--;
	return 0;
}

void
st_rollback(struct aup_db *db)
{
	if (db->tx_depth == 0)
		return;
	if (db->tx_depth > 1) {
		/* Undo this level's work; the savepoint itself stays until
		 * released, so release it to leave the outer level as it
		 * was before st_begin. */
		st_exec(db, sql_rollback_to, "rolling back", NULL, "");
		st_exec(db, sql_release, "rolling back", NULL, "");
	} else if (!sqlite3_get_autocommit(db->sql))
		st_exec(db, sql_rollback, "rolling back", NULL, "");
	db->tx_depth--;
}

int
st_tx_depth(const struct aup_db *db)
{
	return db->tx_depth;
}

int
st_explain(struct aup_db *db, const char *sql, char **plan, struct aup_err *err)
{
	struct aup_buf b = { 0 };
	sqlite3_stmt *e;
	char *q = xasprintf("EXPLAIN QUERY PLAN %s", sql);
	int rc;

	*plan = NULL;
	rc = sqlite3_prepare_v2(db->sql, q, -1, &e, NULL);
	free(q);
	if (rc != SQLITE_OK)
		return st_fail(db, err, "explaining a query");
	while (sqlite3_step(e) == SQLITE_ROW)
		aup_buf_printf(&b, "%s\n", sqlite3_column_text(e, 3));
	sqlite3_finalize(e);
	aup_buf_puts(&b, "");
	*plan = aup_buf_detach(&b);
	return 0;
}

int
st_explain_stmt(struct aup_db *db, sqlite3_stmt *s, char **plan,
    struct aup_err *err)
{
	int rc;

	*plan = NULL;
	if (s == NULL)
		return -1;
	rc = st_explain(db, sqlite3_sql(s), plan, err);
	st_done(s);
	return rc;
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
		return st_fail(db, err, "checking integrity");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(s, 0);
		aup_strlcpy(r->integrity, t ? (const char *)t : "",
		    sizeof r->integrity);
		r->integrity_ok = strcmp(r->integrity, "ok") == 0;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return st_fail(db, err, "checking integrity");
	if (sqlite3_prepare_v2(db->sql, "PRAGMA foreign_key_check", -1, &s,
		NULL) != SQLITE_OK)
		return st_fail(db, err, "checking foreign keys");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		r->fk_violations++;
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return st_fail(db, err, "checking foreign keys");
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
			aup_err_hint(err,
			    "a backup never overwrites a file; "
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
