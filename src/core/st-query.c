/* Storage of lists of people: the queries behind user list and search, the
 * nightly check and password expiry. Each is one statement per purpose,
 * built from the filters that are set (never "?1 IS NULL OR ..."), so
 * that SQLite picks the index that fits; all values are bound. */
#include <stdlib.h>
#include <string.h>

#include "aup/util.h"
#include "storage.h"

/* What a list statement filters on: one bit each, and its shape is the
 * statement's key in the cache. */
enum {
	Q_ROLE = 1 << 0,
	Q_KS = 1 << 1,
	Q_YEAR = 1 << 2,
	Q_CLASS = 1 << 3,
	Q_STATUS = 1 << 4,
	Q_FTS = 1 << 5,	   /* words of three characters or more */
	Q_PREFIX = 1 << 6, /* a shorter word: a prefix of a name */
	Q_AFTER = 1 << 7,
	Q_LIMIT = 1 << 8,
	Q_COUNT = 1 << 9,
	Q_SPARSE = 1 << 10, /* a short word few names start with */
	Q_BRIEF = 1 << 11,
	Q_SHAPES = 1 << 12
};
static const char query_keys[Q_SHAPES];

static const char *const query_terms[] = {
	"u.role = :role",
	"u.year_group BETWEEN :lo AND :hi",
	"u.year_group = :year",
	"u.class = :class COLLATE NOCASE",
	"u.status = :status",
	/* SQLite FTS5: trigram MATCH finds substrings of 3+ characters. */
	"u.id IN (SELECT rowid FROM users_fts WHERE users_fts MATCH :fts)",
	"(u.sort_key >= :p AND u.sort_key < :pend OR "
	"u.first_key >= :p AND u.first_key < :pend)",
	/* SQLite: row values. */
	"(u.sort_key, u.id) > (:akey, :aid)",
};

/* The search, split into the statement's parameters. */
struct search {
	struct aup_buf fts; /* "word" "word": each a substring */
	char prefix[64];
	char prefix_end[64];
	struct aup_buf rest; /* short words checked on each row */
	bool nothing;	     /* text that folds to no word finds no one */
};

static void
search_split(const char *text, struct search *s)
{
	struct aup_buf folded = { 0 };
	char *save = NULL, *w;

	memset(s, 0, sizeof *s);
	aup_utf8_fold(text, &folded);
	s->nothing = *text != '\0' &&
	    strspn(folded.data ? folded.data : "", " ") == folded.len;
	if (folded.data == NULL)
		return;
	for (w = strtok_r(folded.data, " ", &save); w != NULL;
	     w = strtok_r(NULL, " ", &save)) {
		if (aup_utf8_chars(w) >= 3) {
			aup_buf_puts(&s->fts, s->fts.len ? " \"" : "\"");
			for (const char *p = w; *p != '\0'; p++)
				aup_buf_add(&s->fts, p, *p == '"' ? 0 : 1);
			aup_buf_puts(&s->fts, "\"");
		} else if (s->prefix[0] == '\0' && strlen(w) < 63) {
			size_t n = strlen(w);

			memcpy(s->prefix, w, n + 1);
			memcpy(s->prefix_end, w, n + 1);
			/* The first string after every one that starts
			 * with the prefix: its last byte plus one. */
			s->prefix_end[n - 1]++;
		} else {
			aup_buf_puts(&s->rest, " ");
			aup_buf_puts(&s->rest, w);
		}
	}
	aup_buf_free(&folded);
}

static void
search_free(struct search *s)
{
	aup_buf_free(&s->fts);
	aup_buf_free(&s->rest);
}

static unsigned
query_shape(const struct aup_user_filter *f, const struct search *s)
{
	unsigned q = 0;

	q |= f->role >= 0 ? Q_ROLE : 0;
	q |= f->ks >= 0 ? Q_KS : 0;
	q |= f->year != AUP_YEAR_NONE ? Q_YEAR : 0;
	q |= f->class_name != NULL ? Q_CLASS : 0;
	q |= f->status >= 0 ? Q_STATUS : 0;
	q |= s->fts.len > 0 ? Q_FTS : 0;
	q |= s->prefix[0] != '\0' ? Q_PREFIX : 0;
	q |= f->brief ? Q_BRIEF : 0;
	return q;
}

/*
 * The statement of shape Q, built once per handle. A search by itself is
 * steered to the plan that fits it (SQLite: INDEXED BY): a longer search
 * puts its matches in order from users_id_sort and reads only the rows of
 * the page; a page of a short one walks users_sort in order, testing the
 * index's own columns, and stops when the page is full.
 */
static sqlite3_stmt *
query_stmt(struct aup_db *db, unsigned q, struct aup_err *err)
{
	struct aup_buf b = { 0 };
	const char *and = " WHERE ";
	unsigned filters = q & (Q_ROLE | Q_KS | Q_YEAR | Q_CLASS | Q_STATUS);
	bool nest = (q & Q_FTS) && !(q & Q_COUNT);
	const char *cols = q & Q_BRIEF ? ST_USER_BRIEF_COLS : ST_USER_COLS;
	sqlite3_stmt *s;

	if (q & Q_COUNT)
		aup_buf_puts(&b, "SELECT count(*) FROM users u");
	else if (q & Q_SPARSE)
		/* The few names that start with the word, from both indexes
		 * (users_sort holds the sort key itself), the page of them
		 * sorted, and then only the page's rows read: walking
		 * users_sort in order for them would read the whole of it.
		 * (SQLite: NOT INDEXED still looks rows up by rowid.) */
		aup_buf_printf(&b,
		    "SELECT %s, sort_key, search_key "
		    "FROM users u NOT INDEXED WHERE u.id IN (SELECT id FROM "
		    "(SELECT id, sort_key FROM users INDEXED BY users_sort "
		    "WHERE sort_key >= :p AND sort_key < :pend UNION SELECT "
		    "id, sort_key FROM users INDEXED BY users_first WHERE "
		    "first_key >= :p AND first_key < :pend)%s ORDER BY "
		    "sort_key, id LIMIT :limit)",
		    cols,
		    q & Q_AFTER ? " WHERE (sort_key, id) > (:akey, :aid)" : "");
	else if (nest)
		aup_buf_printf(&b,
		    "SELECT %s, sort_key, search_key FROM users WHERE id IN "
		    "(SELECT u.id FROM users u%s",
		    cols, filters ? "" : " INDEXED BY users_id_sort");
	else
		/* A brief list of everyone: SQLite reads users_audit, which
		 * holds all it shows, and no row (search_key only for a
		 * search). */
		aup_buf_printf(&b, "SELECT %s, sort_key, %s FROM users u%s",
		    cols, q & Q_PREFIX ? "search_key" : "NULL",
		    (q & Q_PREFIX) && (q & Q_LIMIT) && !filters ?
			" INDEXED BY users_sort" :
			"");
	if (q & Q_SPARSE)
		and = " AND ";
	for (size_t i = 0; i < sizeof query_terms / sizeof query_terms[0]; i++)
		if ((q & (1u << i)) &&
		    !((q & Q_SPARSE) && (1u << i) == Q_PREFIX)) {
			/* A search narrows far more than a role, key stage,
			 * year or status (each thousands of a school): their
			 * indexes are kept out of its plan with a unary +. */
			bool broad = (1u << i) &
			    (Q_ROLE | Q_KS | Q_YEAR | Q_STATUS);

			aup_buf_printf(&b, "%s%s%s", and,
			    broad && (q & (Q_FTS | Q_PREFIX)) ? "+" : "",
			    query_terms[i]);
			and = " AND ";
		}
	if (!(q & Q_COUNT))
		aup_buf_puts(&b, " ORDER BY u.sort_key, u.id");
	if (q & Q_LIMIT)
		aup_buf_puts(&b, " LIMIT :limit");
	if (nest)
		aup_buf_puts(&b, ") ORDER BY sort_key, id");
	s = st_stmt_keyed(db, &query_keys[q], b.data, err);
	aup_buf_free(&b);
	return s;
}

static void
bind_named(sqlite3_stmt *s, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(s, name);

	if (i > 0)
		st_bind_text(s, i, v);
}

static void
bind_named_int(sqlite3_stmt *s, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(s, name);

	if (i > 0)
		sqlite3_bind_int64(s, i, v);
}

static sqlite3_stmt *
query_prepare(struct aup_db *db, const struct aup_user_filter *f,
    const struct search *srch, unsigned extra, struct aup_err *err)
{
	sqlite3_stmt *s = query_stmt(db, query_shape(f, srch) | extra, err);

	if (s == NULL)
		return NULL;
	if (f->role >= 0)
		bind_named(s, ":role", aup_role_name((enum aup_role)f->role));
	if (f->ks >= 0) {
		int lo, hi;

		aup_ks_years((enum aup_ks)f->ks, &lo, &hi);
		bind_named_int(s, ":lo", lo);
		bind_named_int(s, ":hi", hi);
	}
	if (f->year != AUP_YEAR_NONE)
		bind_named_int(s, ":year", f->year);
	bind_named(s, ":class", f->class_name);
	if (f->status >= 0)
		bind_named(s, ":status",
		    aup_status_name((enum aup_status)f->status));
	bind_named(s, ":fts", srch->fts.data);
	bind_named(s, ":p", srch->prefix);
	bind_named(s, ":pend", srch->prefix_end);
	return s;
}

static void
row_fill(sqlite3_stmt *s, struct aup_user_row *r)
{
	const char *t;

#define TEXT(i) ((const char *)sqlite3_column_text(s, (i)))
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, 0);
	r->username = TEXT(1);
	t = TEXT(2);
	r->role = (enum aup_role)aup_role_parse(t ? t : "");
	r->first = TEXT(3);
	r->last = TEXT(4);
	r->year = st_col_year(s, 5);
	r->class_name = TEXT(6);
	r->mis_id = TEXT(7);
	r->email = TEXT(8);
	t = TEXT(9);
	r->status = (enum aup_status)aup_status_parse(t ? t : "");
	r->status_reason = TEXT(10);
	r->status_until = (time_t)sqlite3_column_int64(s, 11);
	r->created = (time_t)sqlite3_column_int64(s, 12);
	r->updated = (time_t)sqlite3_column_int64(s, 13);
	r->has_password = sqlite3_column_int(s, 14) != 0;
	r->pw_changed = (time_t)sqlite3_column_int64(s, 15);
	r->must_change = sqlite3_column_int(s, 16) != 0;
	r->failures = sqlite3_column_int(s, 17);
	r->locked_until = (time_t)sqlite3_column_int64(s, 18);
	r->last_login = (time_t)sqlite3_column_int64(s, 19);
	r->expires = (time_t)sqlite3_column_int64(s, 20);
	r->sort_key = TEXT(ST_USER_NCOLS);
#undef TEXT
}

/* Do fewer than SPARSE_MAX names start with SRCH's short word, so that
 * finding them by their indexes and sorting them beats walking users_sort
 * in order until a page is full? (Counted no further than that.) */
#define SPARSE_MAX 5000
static const char sql_prefix_count[] =
    "SELECT (SELECT count(*) FROM (SELECT 1 FROM users INDEXED BY "
    "users_sort WHERE sort_key >= ?1 AND sort_key < ?2 LIMIT 5000)) + "
    "(SELECT count(*) FROM (SELECT 1 FROM users INDEXED BY users_first "
    "WHERE first_key >= ?1 AND first_key < ?2 LIMIT 5000))";
_Static_assert(SPARSE_MAX == 5000, "sql_prefix_count's LIMIT");

static bool
prefix_sparse(struct aup_db *db, const struct search *srch)
{
	struct aup_err err;
	sqlite3_stmt *s = st_stmt(db, sql_prefix_count, &err);
	bool sparse = false;

	if (s == NULL)
		return false;
	st_bind(s, "tt", srch->prefix, srch->prefix_end);
	if (sqlite3_step(s) == SQLITE_ROW)
		sparse = sqlite3_column_int64(s, 0) < SPARSE_MAX;
	st_done(s);
	return sparse;
}

/* Do the short words after the first occur in SEARCH_KEY? */
static bool
rest_matches(const struct search *srch, const char *search_key)
{
	char *save = NULL, *w, *words;
	bool ok = true;

	if (srch->rest.len == 0)
		return true;
	if (search_key == NULL)
		return false;
	words = xstrdup(srch->rest.data);
	for (w = strtok_r(words, " ", &save); w != NULL && ok;
	     w = strtok_r(NULL, " ", &save))
		ok = strstr(search_key, w) != NULL;
	free(words);
	return ok;
}

static int
count_row(void *arg, const struct aup_user_row *r)
{
	(void)r;
	(*(int64_t *)arg)++;
	return 0;
}

int
st_user_query(struct aup_db *db, const struct aup_user_filter *f,
    const struct aup_user_cursor *after, size_t limit, aup_user_row_fn fn,
    void *arg, struct aup_err *err)
{
	struct search srch;
	sqlite3_stmt *s;
	unsigned extra = (after != NULL ? Q_AFTER : 0) |
	    (limit > 0 ? Q_LIMIT : 0);
	size_t n = 0;
	int rc, stop = 0;

	search_split(f->search != NULL ? f->search : "", &srch);
	if (srch.nothing) {
		search_free(&srch);
		return 0;
	}
	/* Short words past the first are checked row by row, so the
	 * LIMIT cannot be left to SQLite. */
	if (srch.rest.len > 0)
		extra &= ~(unsigned)Q_LIMIT;
	/* A page of a short word alone: by its indexes when it is rare. */
	if ((extra & Q_LIMIT) && srch.prefix[0] != '\0' && srch.fts.len == 0 &&
	    (query_shape(f, &srch) & ~(unsigned)Q_PREFIX) == 0 &&
	    prefix_sparse(db, &srch))
		extra |= Q_SPARSE;
	s = query_prepare(db, f, &srch, extra, err);
	if (s == NULL) {
		search_free(&srch);
		return -1;
	}
	if (after != NULL) {
		bind_named(s, ":akey", after->key);
		bind_named_int(s, ":aid", after->id);
	}
	bind_named_int(s, ":limit", (int64_t)limit);
	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct aup_user_row r;

		row_fill(s, &r);
		if (!rest_matches(&srch,
			(const char *)sqlite3_column_text(s,
			    ST_USER_NCOLS + 1)))
			continue;
		stop = fn(arg, &r);
		if (limit > 0 && ++n >= limit)
			break;
	}
	st_done(s);
	search_free(&srch);
	if (stop != 0)
		return stop;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_fail(db, err, "listing people");
	return 0;
}

int
st_user_count(struct aup_db *db, const struct aup_user_filter *f, int64_t *n,
    struct aup_err *err)
{
	struct search srch;
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	search_split(f->search != NULL ? f->search : "", &srch);
	if (srch.nothing) {
		search_free(&srch);
		return 0;
	}
	if (srch.rest.len > 0) {
		/* Rare: short words beyond the first; count row by row. */
		search_free(&srch);
		return st_user_query(db, f, NULL, 0, count_row, n, err);
	}
	s = query_prepare(db, f, &srch, Q_COUNT, err);
	search_free(&srch);
	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	st_done(s);
	if (rc != SQLITE_ROW)
		return st_fail(db, err, "counting people");
	return 0;
}

int
st_user_query_plan(struct aup_db *db, const struct aup_user_filter *f,
    bool paged, char **plan, struct aup_err *err)
{
	struct search srch;
	sqlite3_stmt *s;
	int rc;

	*plan = NULL;
	search_split(f->search != NULL ? f->search : "", &srch);
	s = query_prepare(db, f, &srch, paged ? Q_AFTER | Q_LIMIT : 0, err);
	search_free(&srch);
	if (s == NULL)
		return -1;
	rc = st_explain(db, sqlite3_sql(s), plan, err);
	st_done(s);
	return rc;
}

/* The nightly check's lists: each selects only the rows it reports. */
static const char sql_pw_age_list[] =
    "SELECT " ST_USER_COLS " FROM users "
    "WHERE role = ?1 AND status = 'active' AND pw_hash IS NOT NULL AND "
    "pw_changed_at <= ?2 ORDER BY pw_changed_at, id";
/* SQLite: without statistics the planner would rather walk users_sort than
 * sort the few locked rows. */
static const char sql_locked_list[] =
    "SELECT " ST_USER_COLS " FROM users "
    "INDEXED BY users_locked WHERE locked_until > ?1 ORDER BY sort_key, id";
static const char sql_suspension_over_list[] =
    "SELECT " ST_USER_COLS
    " FROM users WHERE status = 'suspended' AND status_until <= ?1 "
    "ORDER BY sort_key, id";

const char *const st_nightly_sql[] = { sql_pw_age_list, sql_locked_list,
	sql_suspension_over_list, NULL };

static int
collect(struct aup_db *db, const char *sql, struct aup_user_list *out,
    struct aup_err *err, const char *types, ...)
{
	sqlite3_stmt *s = st_stmt(db, sql, err);
	size_t cap = 0;
	va_list ap;
	int rc;

	out->v = NULL;
	out->n = 0;
	if (s == NULL)
		return -1;
	va_start(ap, types);
	st_bindv(s, types, ap);
	va_end(ap);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
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
st_pw_age_list(struct aup_db *db, enum aup_role role, time_t cutoff,
    struct aup_user_list *out, struct aup_err *err)
{
	return collect(db, sql_pw_age_list, out, err, "tI", aup_role_name(role),
	    (int64_t)cutoff);
}

static const char sql_role_all[] =
    "SELECT role, count(*) FROM users INDEXED BY users_role GROUP BY role";
static const char sql_role_inactive[] =
    "SELECT role, count(*) FROM users INDEXED BY users_status "
    "WHERE status IN (?1, ?2, ?3, ?4) GROUP BY role";
_Static_assert(AUP_STATUS_ACTIVE == 0 && AUP_STATUS_COUNT == 5,
    "sql_role_inactive binds every status but active");

int
st_role_counts(struct aup_db *db, int64_t active[AUP_ROLE_COUNT],
    struct aup_err *err)
{
	for (int k = 0; k < AUP_ROLE_COUNT; k++)
		active[k] = 0;
	for (int pass = 0; pass < 2; pass++) {
		sqlite3_stmt *s = st_stmt(db,
		    pass == 0 ? sql_role_all : sql_role_inactive, err);
		int rc;

		if (s == NULL)
			return -1;
		if (pass == 1)
			st_bind(s, "tttt", aup_status_name(1),
			    aup_status_name(2), aup_status_name(3),
			    aup_status_name(4));
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			int r = aup_role_parse(
			    (const char *)sqlite3_column_text(s, 0));

			if (r >= 0)
				active[r] += (pass == 0 ? 1 : -1) *
				    sqlite3_column_int64(s, 1);
		}
		st_done(s);
		if (rc != SQLITE_DONE)
			return st_fail(db, err, "counting people by role");
	}
	return 0;
}

int
st_locked_list(struct aup_db *db, time_t now, struct aup_user_list *out,
    struct aup_err *err)
{
	return collect(db, sql_locked_list, out, err, "I", (int64_t)now);
}

int
st_suspension_over_list(struct aup_db *db, time_t now,
    struct aup_user_list *out, struct aup_err *err)
{
	return collect(db, sql_suspension_over_list, out, err, "I",
	    (int64_t)now);
}
