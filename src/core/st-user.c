/* Storage of people: one row each, with the sort and search keys that the
 * storage module derives from their names and keeps in step. */
#include <stdlib.h>
#include <string.h>

#include "aup/clock.h"
#include "aup/util.h"
#include "storage.h"

static const char sql_user_insert[] =
    "INSERT INTO users (username, role, "
    "first_name, last_name, year_group, class, mis_id, email, status, "
    "created_at, updated_at, expires_at, sort_key, first_key, search_key, "
    "legal_first, legal_last) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, "
    "?15, ?16)";
static const char sql_user_by_id[] = "SELECT " ST_USER_COLS " FROM users "
				     "WHERE id = ?1";
static const char sql_user_by_name[] = "SELECT " ST_USER_COLS " FROM users "
				       "WHERE username = ?1";
static const char sql_user_by_mis[] = "SELECT " ST_USER_COLS " FROM users "
				      "WHERE mis_id = ?1";
static const char sql_user_update[] =
    "UPDATE users SET first_name = ?2, "
    "last_name = ?3, year_group = ?4, class = ?5, mis_id = ?6, email = ?7, "
    "status = ?8, status_reason = ?9, status_until = ?10, updated_at = ?11, "
    "expires_at = ?12, sort_key = ?13, first_key = ?14, search_key = ?15, "
    "legal_first = ?16, legal_last = ?17 WHERE id = ?1";
/* Taken: someone has it, or held it until fewer than ?2 seconds ago. */
static const char sql_username_taken[] =
    "SELECT 1 FROM users WHERE username = ?1 "
    "UNION ALL SELECT 1 FROM retired_usernames "
    "WHERE username = ?1 AND retired_at > ?2 LIMIT 1";
/* The same names, as folded into sort_key (indexed), role and, when ?3 is
 * not NULL, year. */
static const char sql_user_same[] =
    "SELECT " ST_USER_COLS " FROM users "
    "WHERE sort_key = ?1 AND role = ?2 AND (?3 IS NULL OR year_group = ?3) "
    "AND id IS NOT ?4 ORDER BY id LIMIT 20";

/* The keys of U: SORT "last first" and FIRST folded, SEARCH every name a
 * person might be looked up by, folded the way search terms are. */
struct keys {
	struct aup_buf sort, first, search;
};

static void
keys_make(struct keys *k, const struct aup_user *u)
{
	const char *parts[] = { u->first, u->last, u->legal_first,
		u->legal_last, u->username, u->mis_id, u->class_name };

	memset(k, 0, sizeof *k);
	aup_utf8_fold(u->last, &k->sort);
	aup_buf_puts(&k->sort, " ");
	aup_utf8_fold(u->first, &k->sort);
	aup_utf8_fold(u->first, &k->first);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		size_t start;

		if (parts[i] == NULL || *parts[i] == '\0')
			continue;
		if (k->search.len > 0)
			aup_buf_puts(&k->search, " ");
		start = k->search.len;
		aup_utf8_fold(parts[i], &k->search);
		/* "Ó Briain" is also found as obriain, "Smith-Jones" as
		 * smithjones. */
		if (i < 4 && strpbrk(k->search.data + start, " -") != NULL) {
			char *joined = xstrdup(k->search.data + start);
			aup_buf_puts(&k->search, " ");
			for (const char *p = joined; *p != '\0'; p++)
				if (*p != ' ' && *p != '-')
					aup_buf_add(&k->search, p, 1);
			free(joined);
		}
	}
	/* Never NULL, even for an empty name. */
	aup_buf_puts(&k->sort, "");
	aup_buf_puts(&k->first, "");
	aup_buf_puts(&k->search, "");
}

static void
keys_free(struct keys *k)
{
	aup_buf_free(&k->sort);
	aup_buf_free(&k->first);
	aup_buf_free(&k->search);
}

void
st_row_user(sqlite3_stmt *s, struct aup_user *u)
{
	char *t;

	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(s, 0);
	u->username = st_col_text(s, 1);
	t = st_col_text(s, 2);
	u->role = (enum aup_role)aup_role_parse(t);
	free(t);
	u->first = st_col_text(s, 3);
	u->last = st_col_text(s, 4);
	u->year = st_col_year(s, 5);
	u->class_name = st_col_text(s, 6);
	u->mis_id = st_col_text(s, 7);
	u->email = st_col_text(s, 8);
	t = st_col_text(s, 9);
	u->status = (enum aup_status)aup_status_parse(t);
	free(t);
	u->status_reason = st_col_text(s, 10);
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
	u->legal_first = st_col_text(s, 21);
	u->legal_last = st_col_text(s, 22);
}

int
st_user_insert(struct aup_db *db, struct aup_user *u, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_user_insert, err);
	struct keys k;
	int rc;

	if (s == NULL)
		return -1;
	keys_make(&k, u);
	st_bind(s, "ttttyttttITttttt", u->username, aup_role_name(u->role),
	    u->first, u->last, u->year, u->class_name, u->mis_id, u->email,
	    aup_status_name(u->status), (int64_t)u->created, u->expires,
	    k.sort.data, k.first.data, k.search.data, u->legal_first,
	    u->legal_last);
	keys_free(&k);
	rc = sqlite3_step(s);
	st_done(s);
	if (rc != SQLITE_DONE) {
		if (sqlite3_extended_errcode(db->sql) ==
		    SQLITE_CONSTRAINT_UNIQUE)
			return aup_err_set(err, AUP_EX_DATAERR,
			    "username '%s' or MIS id '%s' is already in use",
			    u->username, u->mis_id ? u->mis_id : "");
		return st_fail(db, err, "adding a person");
	}
	u->id = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

static int
get_user(struct aup_db *db, const char *sql, struct aup_user *u,
    struct aup_err *err, const char *types, ...)
{
	sqlite3_stmt *s = st_stmt(db, sql, err);
	va_list ap;
	int rc;

	if (s == NULL)
		return -1;
	va_start(ap, types);
	st_bindv(s, types, ap);
	va_end(ap);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		st_row_user(s, u);
	st_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return 1;
	return st_fail(db, err, "finding a person");
}

int
st_user_get_id(struct aup_db *db, int64_t id, struct aup_user *u,
    struct aup_err *err)
{
	return get_user(db, sql_user_by_id, u, err, "I", id);
}

int
st_user_get_name(struct aup_db *db, const char *name, struct aup_user *u,
    struct aup_err *err)
{
	return get_user(db, sql_user_by_name, u, err, "t", name);
}

int
st_user_get_mis(struct aup_db *db, const char *mis, struct aup_user *u,
    struct aup_err *err)
{
	return get_user(db, sql_user_by_mis, u, err, "t", mis);
}

int
st_user_update(struct aup_db *db, const struct aup_user *u, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_user_update, err);
	struct keys k;
	int rc;

	if (s == NULL)
		return -1;
	keys_make(&k, u);
	st_bind(s, "IttytttttTITttttt", u->id, u->first, u->last, u->year,
	    u->class_name, u->mis_id, u->email, aup_status_name(u->status),
	    u->status_reason, u->status_until, (int64_t)u->updated, u->expires,
	    k.sort.data, k.first.data, k.search.data, u->legal_first,
	    u->legal_last);
	keys_free(&k);
	rc = sqlite3_step(s);
	st_done(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (sqlite3_extended_errcode(db->sql) == SQLITE_CONSTRAINT_UNIQUE)
		return aup_err_set(err, AUP_EX_DATAERR,
		    "MIS id '%s' belongs to someone else",
		    u->mis_id ? u->mis_id : "");
	return st_fail(db, err, "changing a person");
}

int
st_username_taken(struct aup_db *db, const char *name, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_username_taken, err);
	int rc;

	if (s == NULL)
		return -1;
	st_bind(s, "tI", name,
	    (int64_t)(aup_now() - (time_t)db->cfg->reuse_days * 86400));
	rc = sqlite3_step(s);
	st_done(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return st_fail(db, err, "checking a username");
}

int
st_user_same(struct aup_db *db, const struct aup_user *u, bool same_year,
    struct aup_user_list *out, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_user_same, err);
	struct keys k;
	int rc;

	out->v = NULL;
	out->n = 0;
	if (s == NULL)
		return -1;
	keys_make(&k, u);
	st_bind(s, "ttyU", k.sort.data, aup_role_name(u->role),
	    same_year ? u->year : AUP_YEAR_NONE, u->id);
	keys_free(&k);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
		st_row_user(s, &out->v[out->n++]);
	}
	st_done(s);
	if (rc == SQLITE_DONE)
		return 0;
	aup_user_list_free(out);
	return st_fail(db, err, "looking for the same person");
}
