/* Lists of people: the cursor every face pages through, counts, and the
 * short lists copied whole, and finding one person. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "aup/util.h"
#include "core.h"

enum aup_status
user_status_at(enum aup_status status, time_t until, time_t expires, time_t now)
{
	if (status == AUP_STATUS_SUSPENDED && until != 0 && until <= now)
		return AUP_STATUS_ACTIVE;
	if (status == AUP_STATUS_ACTIVE && expires != 0 && expires <= now)
		return AUP_STATUS_EXPIRED;
	return status;
}

enum aup_status
aup_user_row_status_now(const struct aup_user_row *r, time_t now)
{
	return user_status_at(r->status, r->status_until, r->expires, now);
}

void
aup_user_cursor_set(struct aup_user_cursor *c, const struct aup_user_row *r)
{
	aup_strlcpy(c->key, r->sort_key != NULL ? r->sort_key : "",
	    sizeof c->key);
	c->id = r->id;
}

static int
check_filter(const struct aup_user_filter *f, struct aup_err *err)
{
	if (f->search != NULL && strlen(f->search) > AUP_SEARCH_MAX)
		return aup_err_set(err, AUP_EX_USAGE,
		    "the search text is longer than %d characters",
		    AUP_SEARCH_MAX);
	return 0;
}

int
aup_user_query(struct aup_db *db, const struct aup_user_filter *f,
    const struct aup_user_cursor *after, size_t limit, aup_user_row_fn fn,
    void *arg, struct aup_err *err)
{
	if (aup_perm(db, AUP_PERM_READ, err) != 0 || check_filter(f, err) != 0)
		return -1;
	return st_user_query(db, f, after, limit, fn, arg, err);
}

int
aup_user_count(struct aup_db *db, const struct aup_user_filter *f, int64_t *n,
    struct aup_err *err)
{
	*n = 0;
	if (aup_perm(db, AUP_PERM_READ, err) != 0 || check_filter(f, err) != 0)
		return -1;
	return st_user_count(db, f, n, err);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
aup_user_from_row(struct aup_user *u, const struct aup_user_row *r)
{
	memset(u, 0, sizeof *u);
	u->id = r->id;
	u->username = dup_or_null(r->username);
	u->role = r->role;
	u->first = dup_or_null(r->first);
	u->last = dup_or_null(r->last);
	u->year = r->year;
	u->class_name = dup_or_null(r->class_name);
	u->mis_id = dup_or_null(r->mis_id);
	u->email = dup_or_null(r->email);
	u->status = r->status;
	u->status_reason = dup_or_null(r->status_reason);
	u->status_until = r->status_until;
	u->created = r->created;
	u->updated = r->updated;
	u->has_password = r->has_password;
	u->pw_changed = r->pw_changed;
	u->must_change = r->must_change;
	u->failures = r->failures;
	u->locked_until = r->locked_until;
	u->last_login = r->last_login;
	u->expires = r->expires;
}

struct collect {
	struct aup_user_list *out;
	size_t cap;
};

static int
collect_row(void *arg, const struct aup_user_row *r)
{
	struct collect *c = arg;

	if (c->out->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->out->v = xreallocarray(c->out->v, c->cap, sizeof *c->out->v);
	}
	aup_user_from_row(&c->out->v[c->out->n++], r);
	return 0;
}

int
aup_user_list(struct aup_db *db, const struct aup_user_filter *f,
    struct aup_user_list *out, struct aup_err *err)
{
	struct collect c = { out, 0 };

	out->v = NULL;
	out->n = 0;
	if (aup_user_query(db, f, NULL, 0, collect_row, &c, err) != 0) {
		aup_user_list_free(out);
		return -1;
	}
	return 0;
}

int
user_reread(struct aup_db *db, int64_t id, struct aup_user *u,
    struct aup_err *err)
{
	int rc = st_user_get_id(db, id, u, err);

	if (rc > 0)
		aup_err_set(err, AUP_EX_NOUSER,
		    "person id:%" PRId64 " was "
		    "removed while this ran; nothing was changed",
		    id);
	return rc == 0 ? 0 : -1;
}

int
aup_user_find(struct aup_db *db, const char *ref, struct aup_user **out,
    struct aup_err *err)
{
	struct aup_user *u;
	int rc;

	*out = NULL;
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	u = xcalloc(1, sizeof *u);
	if (strncmp(ref, "id:", 3) == 0) {
		long id;
		if (aup_parse_long(ref + 3, 1, INT64_MAX, &id) != 0) {
			free(u);
			return aup_err_set(err, AUP_EX_USAGE,
			    "'%s' is not a valid id: reference (id:N)", ref);
		}
		rc = st_user_get_id(db, id, u, err);
	} else if (strncmp(ref, "mis:", 4) == 0)
		rc = st_user_get_mis(db, ref + 4, u, err);
	else
		rc = st_user_get_name(db, ref, u, err);
	if (rc != 0) {
		free(u);
		if (rc > 0) {
			aup_err_set(err, AUP_EX_NOUSER, "no such user: %s",
			    ref);
			aup_err_hint(err, "search the list of people for them");
			aup_err_field(err, "user");
		}
		return -1;
	}
	*out = u;
	return 0;
}
