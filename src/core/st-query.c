/* Storage of lists of people: the queries behind user list, search, the
 * nightly check and password expiry. */
#include <stdlib.h>

#include "aup/util.h"
#include "storage.h"

static const char sql_user_list[] = "SELECT " ST_USER_COLS " FROM users "
    "WHERE (?1 IS NULL OR role = ?1) AND "
    "(?2 IS NULL OR year_group BETWEEN ?2 AND ?3) AND "
    "(?4 IS NULL OR year_group = ?4) AND "
    "(?5 IS NULL OR class = ?5 COLLATE NOCASE) AND "
    "(?6 IS NULL OR status = ?6) AND "
    "(?7 IS NULL OR username LIKE ?7 ESCAPE '\\' OR "
    " first_name LIKE ?7 ESCAPE '\\' OR last_name LIKE ?7 ESCAPE '\\' OR "
    " first_name || ' ' || last_name LIKE ?7 ESCAPE '\\' OR "
    " email LIKE ?7 ESCAPE '\\' OR mis_id LIKE ?7 ESCAPE '\\') "
    "ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE, id";
static const char sql_pw_age_list[] = "SELECT " ST_USER_COLS " FROM users "
    "WHERE role = ?1 AND status = 'active' AND pw_hash IS NOT NULL AND "
    "pw_changed_at <= ?2 ORDER BY pw_changed_at, id";

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
		st_row_user(s, &out->v[out->n++]);
	}
	st_done(s);
	if (rc != SQLITE_DONE) {
		aup_user_list_free(out);
		return st_fail(db, err, "listing people");
	}
	return 0;
}

int
st_user_list(struct aup_db *db, const struct aup_user_filter *f,
    struct aup_user_list *out, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_user_list, err);
	int rc;

	if (s == NULL)
		return -1;
	if (f->role >= 0)
		st_bind_text(s, 1, aup_role_name((enum aup_role)f->role));
	if (f->ks >= 0) {
		int lo, hi;
		aup_ks_years((enum aup_ks)f->ks, &lo, &hi);
		sqlite3_bind_int(s, 2, lo);
		sqlite3_bind_int(s, 3, hi);
	}
	if (f->year != AUP_YEAR_NONE)
		sqlite3_bind_int(s, 4, f->year);
	st_bind_text(s, 5, f->class_name);
	if (f->status >= 0)
		st_bind_text(s, 6, aup_status_name((enum aup_status)f->status));
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
		st_bind_text(s, 7, b.data);
		aup_buf_free(&b);
	}
	rc = collect_users(db, s, out, err);
	return rc;
}

int
st_pw_age_list(struct aup_db *db, enum aup_role role, time_t cutoff,
    struct aup_user_list *out, struct aup_err *err)
{
	sqlite3_stmt *s = st_stmt(db, sql_pw_age_list, err);

	if (s == NULL)
		return -1;
	st_bind_text(s, 1, aup_role_name(role));
	sqlite3_bind_int64(s, 2, (sqlite3_int64)cutoff);
	return collect_users(db, s, out, err);
}

