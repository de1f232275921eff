/* People: validation of their details, usernames, and the changes an office
 * makes to them, each in a transaction with its audit log entry. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/clock.h"
#include "aup/json.h"
#include "aup/password.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "core.h"
#include "pwstore.h"

#define NAME_MAX_BYTES	100
#define USERNAME_MAX	32

bool
aup_username_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > USERNAME_MAX || !isalnum((unsigned char)s[0]))
		return false;
	for (; *s != '\0'; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
		    *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

void
aup_user_clear(struct aup_user *u)
{
	if (u == NULL)
		return;
	free(u->username);
	free(u->first);
	free(u->last);
	free(u->class_name);
	free(u->mis_id);
	free(u->email);
	free(u->status_reason);
	memset(u, 0, sizeof *u);
}

void
aup_user_free(struct aup_user *u)
{
	aup_user_clear(u);
	free(u);
}

void
aup_user_list_free(struct aup_user_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		aup_user_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
aup_user_filter_init(struct aup_user_filter *f)
{
	memset(f, 0, sizeof *f);
	f->role = -1;
	f->ks = -1;
	f->year = AUP_YEAR_NONE;
	f->status = -1;
}

enum aup_status
aup_user_status_now(const struct aup_user *u, time_t now)
{
	return user_status_at(u->status, u->status_until, u->expires, now);
}

/* Field checks shared by add and edit. */
static int
check_name(const char *what, const char *v, struct aup_err *err)
{
	if (v == NULL || *v == '\0')
		return aup_err_set(err, AUP_EX_DATAERR, "the %s name is empty",
		    what);
	if (strlen(v) > NAME_MAX_BYTES || !aup_utf8_valid(v))
		return aup_err_set(err, AUP_EX_DATAERR, "the %s name '%s' is "
		    "not a name (at most %d bytes of text, no control "
		    "characters)", what, v, NAME_MAX_BYTES);
	return 0;
}

static int
check_token(const char *what, const char *v, size_t max, struct aup_err *err)
{
	if (v == NULL || *v == '\0')
		return 0;
	if (strlen(v) > max)
		return aup_err_set(err, AUP_EX_DATAERR, "%s '%s' is longer than "
		    "%zu characters", what, v, max);
	for (const char *p = v; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return aup_err_set(err, AUP_EX_DATAERR, "%s '%s' may "
			    "hold only letters, digits and punctuation, no "
			    "spaces", what, v);
	return 0;
}

static int
check_email(const char *v, struct aup_err *err)
{
	const char *at;

	if (v == NULL || *v == '\0')
		return 0;
	if (check_token("email", v, 254, err) != 0)
		return -1;
	at = strchr(v, '@');
	if (at == NULL || at == v || strchr(at + 1, '@') != NULL ||
	    strchr(at, '.') == NULL || at[strlen(at) - 1] == '.') {
		aup_err_set(err, AUP_EX_DATAERR, "'%s' is not an email address",
		    v);
		aup_err_hint(err, "write it as name@school.example");
		return -1;
	}
	return 0;
}

static int
check_class(const char *v, struct aup_err *err)
{
	if (v == NULL || *v == '\0')
		return 0;
	if (strlen(v) > 32 || !aup_utf8_valid(v))
		return aup_err_set(err, AUP_EX_DATAERR, "class '%s' is not a "
		    "class name (at most 32 bytes of text)", v);
	return 0;
}

static int
check_year(enum aup_role role, int year, struct aup_err *err)
{
	if (role == AUP_ROLE_PUPIL && year == AUP_YEAR_NONE) {
		aup_err_set(err, AUP_EX_DATAERR, "a pupil needs a year group");
		aup_err_hint(err, "give --year N, R or 1 to 13");
		return -1;
	}
	if (year != AUP_YEAR_NONE && role != AUP_ROLE_PUPIL &&
	    role != AUP_ROLE_CLASS)
		return aup_err_set(err, AUP_EX_DATAERR, "a year group is only "
		    "for pupils and class logons, not for %s",
		    aup_role_name(role));
	return 0;
}

int
pw_allowed(const struct aup_config *cfg, enum aup_role role,
    int year, struct aup_err *err)
{
	if (role != AUP_ROLE_PUPIL || year >= cfg->individual_from)
		return 0;
	aup_err_set(err, AUP_EX_DATAERR, "pupils in %s use their class logon "
	    "and have no password of their own",
	    aup_ks_name(aup_ks_of_year(year)));
	aup_err_hint(err, "set the password of the class account instead, or "
	    "change [pupils] individual_accounts_from");
	return -1;
}

/* Expand the role's username template for a new person. */
static void
template_username(struct aup_db *db, const struct aup_user_spec *s,
    char *out, size_t size)
{
	const struct aup_config *cfg = db->cfg;
	const char *tpl = s->role == AUP_ROLE_PUPIL ? cfg->pupil_username :
	    cfg->staff_username;
	char first[64], last[64];
	struct aup_buf b = { 0 };

	aup_name_ascii(s->first, first, sizeof first);
	aup_name_ascii(s->last, last, sizeof last);
	if (s->role == AUP_ROLE_CLASS && s->class_name != NULL) {
		aup_name_ascii(s->class_name, first, sizeof first);
		tpl = "class{first}";
	}
	for (const char *p = tpl; *p != '\0'; p++) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		size_t n = end ? (size_t)(end - p - 1) : 0;

		if (end == NULL) {
			if (islower((unsigned char)*p) || isdigit((unsigned char)*p)
			    || *p == '.' || *p == '_' || *p == '-')
				aup_buf_add(&b, p, 1);
			continue;
		}
		if (n == 5 && strncmp(p + 1, "first", 5) == 0)
			aup_buf_puts(&b, first);
		else if (n == 4 && strncmp(p + 1, "last", 4) == 0)
			aup_buf_puts(&b, last);
		else if (n == 1 && p[1] == 'f')
			aup_buf_add(&b, first, first[0] ? 1 : 0);
		else if (n == 1 && p[1] == 'l')
			aup_buf_add(&b, last, last[0] ? 1 : 0);
		else if (n == 2 && strncmp(p + 1, "yy", 2) == 0) {
			/* The year they started Reception, as two digits. */
			int ay = aup_academic_year(aup_now(),
			    cfg->year_start_month, cfg->year_start_day);
			int yr = s->year != AUP_YEAR_NONE ? s->year : 0;
			aup_buf_printf(&b, "%02d", ((ay - yr) % 100 + 100) % 100);
		} else if (n == 3 && strncmp(p + 1, "mis", 3) == 0 &&
		    s->mis_id != NULL) {
			char mis[64];
			aup_name_ascii(s->mis_id, mis, sizeof mis);
			aup_buf_puts(&b, mis);
		}
		p = end;
	}
	if (b.len == 0 || !isalnum((unsigned char)b.data[0])) {
		aup_buf_free(&b);
		aup_buf_puts(&b, "user");
	}
	/* Leave room for a numeric suffix. */
	aup_strlcpy(out, b.data, size < USERNAME_MAX - 3 ? size :
	    USERNAME_MAX - 3);
	aup_buf_free(&b);
}

static int
choose_username(struct aup_db *db, const struct aup_user_spec *s, char *out,
    size_t size, struct aup_err *err)
{
	char base[USERNAME_MAX + 1];
	int taken;

	if (s->username != NULL) {
		if (!aup_username_valid(s->username)) {
			aup_err_set(err, AUP_EX_DATAERR, "username '%s' is not "
			    "allowed", s->username);
			aup_err_hint(err, "use 1 to 32 of a-z, 0-9, '.', '_' and "
			    "'-', starting with a letter or digit");
			return -1;
		}
		if ((taken = st_username_taken(db, s->username, err)) != 0) {
			if (taken > 0)
				aup_err_set(err, AUP_EX_DATAERR, "username '%s' "
				    "is already in use", s->username);
			return -1;
		}
		aup_strlcpy(out, s->username, size);
		return 0;
	}
	template_username(db, s, base, sizeof base);
	aup_strlcpy(out, base, size);
	for (int i = 2; (taken = st_username_taken(db, out, err)) == 1 &&
	    i < 100000; i++) {
		char suffix[8];
		snprintf(suffix, sizeof suffix, "%d", i);
		snprintf(out, size, "%.*s%s", (int)(size - 1 - strlen(suffix)),
		    base, suffix);
	}
	return taken < 0 ? -1 : 0;
}

static void
json_user(struct aup_buf *b, const struct aup_user *u)
{
	struct aup_json j;

	aup_json_init(&j, b);
	aup_json_object(&j);
	aup_json_kstr(&j, "username", u->username);
	aup_json_kstr(&j, "role", aup_role_name(u->role));
	aup_json_kstr(&j, "first", u->first);
	aup_json_kstr(&j, "last", u->last);
	if (u->year != AUP_YEAR_NONE)
		aup_json_kstr(&j, "year", aup_year_name(u->year));
	if (u->class_name != NULL)
		aup_json_kstr(&j, "class", u->class_name);
	if (u->mis_id != NULL)
		aup_json_kstr(&j, "mis_id", u->mis_id);
	if (u->email != NULL)
		aup_json_kstr(&j, "email", u->email);
	aup_json_end(&j);
}

static char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

int
aup_user_add(struct aup_db *db, const struct aup_user_spec *s,
    struct aup_user **out, char **generated, struct aup_err *err)
{
	struct aup_user *u;
	char username[USERNAME_MAX + 1], *pw = NULL, *phc = NULL, *after;
	const char *given;
	struct aup_buf b = { 0 };
	time_t now = aup_now();

	if (out != NULL)
		*out = NULL;
	if (generated != NULL)
		*generated = NULL;
	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0)
		return -1;
	if (check_name("first", s->first, err) != 0 ||
	    check_name("last", s->last, err) != 0 ||
	    check_year(s->role, s->year, err) != 0 ||
	    check_class(s->class_name, err) != 0 ||
	    check_token("MIS id", s->mis_id, 32, err) != 0 ||
	    check_email(s->email, err) != 0)
		return -1;
	if (s->role == AUP_ROLE_CLASS &&
	    (s->class_name == NULL || *s->class_name == '\0'))
		return aup_err_set(err, AUP_EX_DATAERR, "a class logon needs "
		    "--class");
	if ((s->password != NULL || s->generate) &&
	    (pw_allowed(db->cfg, s->role, s->year, err) != 0 ||
	    aup_perm(db, aup_perm_pw(s->role), err) != 0))
		return -1;

	u = xcalloc(1, sizeof *u);
	u->role = s->role;
	u->first = xstrdup(s->first);
	u->last = xstrdup(s->last);
	u->year = s->year;
	u->class_name = nonempty(s->class_name);
	u->mis_id = nonempty(s->mis_id);
	u->email = nonempty(s->email);
	u->status = AUP_STATUS_ACTIVE;
	u->created = u->updated = now;
	/* The password is checked against the names and hashed before the
	 * write lock; the chosen username is checked inside it (cheap). */
	u->username = nonempty(s->username);
	if (s->generate && aup_pw_generate(db, u, s->role, &pw, err) != 0)
		goto fail;
	given = pw != NULL ? pw : s->password;
	if (given != NULL && pw_prepare(db, u, given, true, &phc, err) != 0)
		goto fail;
	free(u->username);
	u->username = NULL;
	if (st_begin(db, err) != 0)
		goto fail;
	if (u->mis_id != NULL) {
		struct aup_user other;
		int rc = st_user_get_mis(db, u->mis_id, &other, err);
		if (rc == 0) {
			aup_err_set(err, AUP_EX_DATAERR, "MIS id %s already "
			    "belongs to %s", u->mis_id, other.username);
			aup_user_clear(&other);
		}
		if (rc <= 0)
			goto rollback;
	}
	if (choose_username(db, s, username, sizeof username, err) != 0)
		goto rollback;
	u->username = xstrdup(username);
	if (given != NULL && aup_pw_check(db, u, u->role, given, err) != 0) {
		/* A passphrase that happens to hold the new username: make
		 * another, now that the username is known (rare). */
		if (pw == NULL)
			goto rollback;
		aup_secret_free(pw);
		free(phc);
		phc = NULL;
		if (aup_pw_generate(db, u, u->role, &pw, err) != 0 ||
		    pw_prepare(db, u, pw, true, &phc, err) != 0)
			goto rollback;
		given = pw;
	}
	if (st_user_insert(db, u, err) != 0)
		goto rollback;
	json_user(&b, u);
	after = aup_buf_detach(&b);
	if (aup_log_add(db, "user.add", u, NULL, after, err) != 0) {
		free(after);
		goto rollback;
	}
	free(after);
	if (phc != NULL && pw_store(db, u, phc, pw != NULL, err) != 0)
		goto rollback;
	if (st_commit(db, err) != 0)
		goto fail;
	if (phc != NULL) {
		u->has_password = true;
		u->must_change = pw != NULL;
		u->pw_changed = now;
	}
	free(phc);
	if (generated != NULL)
		*generated = pw;
	else
		aup_secret_free(pw);
	if (out != NULL)
		*out = u;
	else
		aup_user_free(u);
	return 0;

rollback:
	st_rollback(db);
fail:
	free(phc);
	aup_secret_free(pw);
	aup_user_free(u);
	return -1;
}

int
user_reread(struct aup_db *db, int64_t id, struct aup_user *u,
    struct aup_err *err)
{
	int rc = st_user_get_id(db, id, u, err);

	if (rc > 0)
		aup_err_set(err, AUP_EX_NOUSER, "person id:%" PRId64 " was "
		    "removed while this ran; nothing was changed", id);
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
			return aup_err_set(err, AUP_EX_USAGE, "'%s' is not a "
			    "valid id: reference (id:N)", ref);
		}
		rc = st_user_get_id(db, id, u, err);
	} else if (strncmp(ref, "mis:", 4) == 0)
		rc = st_user_get_mis(db, ref + 4, u, err);
	else
		rc = st_user_get_name(db, ref, u, err);
	if (rc != 0) {
		free(u);
		if (rc > 0) {
			aup_err_set(err, AUP_EX_NOUSER, "no such user: %s", ref);
			aup_err_hint(err, "look them up with 'aupctl user list "
			    "--search TEXT'");
		}
		return -1;
	}
	*out = u;
	return 0;
}

/* A field that changed, as a member of both BEFORE and AFTER. */
static void
diff_str(struct aup_json *before, struct aup_json *after, const char *field,
    const char *old, const char *new)
{
	if ((old == NULL && new == NULL) ||
	    (old != NULL && new != NULL && strcmp(old, new) == 0))
		return;
	aup_json_kstr(before, field, old);
	aup_json_kstr(after, field, new);
}

/* Save U (changed from OLD) with a log entry ACTION, inside the caller's
 * transaction. Returns 1 when nothing changed. */
static int
save_changes(struct aup_db *db, const char *action, const struct aup_user *old,
    struct aup_user *u, struct aup_err *err)
{
	struct aup_buf before = { 0 }, after = { 0 };
	struct aup_json jb, ja;
	char ub[32], ua[32];
	int rc = -1;

	aup_json_init(&jb, &before);
	aup_json_init(&ja, &after);
	aup_json_object(&jb);
	aup_json_object(&ja);
	diff_str(&jb, &ja, "first", old->first, u->first);
	diff_str(&jb, &ja, "last", old->last, u->last);
	diff_str(&jb, &ja, "year", old->year == AUP_YEAR_NONE ? NULL :
	    aup_year_name(old->year), u->year == AUP_YEAR_NONE ? NULL :
	    aup_year_name(u->year));
	diff_str(&jb, &ja, "class", old->class_name, u->class_name);
	diff_str(&jb, &ja, "mis_id", old->mis_id, u->mis_id);
	diff_str(&jb, &ja, "email", old->email, u->email);
	diff_str(&jb, &ja, "status", aup_status_name(old->status),
	    aup_status_name(u->status));
	diff_str(&jb, &ja, "reason", old->status_reason, u->status_reason);
	aup_date_fmt(old->status_until, ub, sizeof ub);
	aup_date_fmt(u->status_until, ua, sizeof ua);
	diff_str(&jb, &ja, "until", ub[0] ? ub : NULL, ua[0] ? ua : NULL);
	if (after.len == 1) {
		rc = 1;
		goto out;
	}
	aup_json_end(&jb);
	aup_json_end(&ja);
	u->updated = aup_now();
	if (st_user_update(db, u, err) == 0 &&
	    aup_log_add(db, action, u, before.data, after.data, err) == 0)
		rc = 0;
out:
	aup_buf_free(&before);
	aup_buf_free(&after);
	return rc;
}

static void
replace(char **field, const char *v)
{
	if (v == NULL)
		return;
	free(*field);
	*field = nonempty(v);
}

/* A deep copy of U into *TO. */
static void
user_copy(struct aup_user *to, const struct aup_user *u)
{
	*to = *u;
	to->username = xstrdup(u->username);
	to->first = xstrdup(u->first);
	to->last = xstrdup(u->last);
	to->class_name = nonempty(u->class_name);
	to->mis_id = nonempty(u->mis_id);
	to->email = nonempty(u->email);
	to->status_reason = nonempty(u->status_reason);
}

/* Changes a MODIFY function makes to U, a copy of the stored OLD; 0, or
 * -1 with ERR set to refuse. */
typedef int (*user_modify_fn)(struct aup_db *db, const struct aup_user *old,
    struct aup_user *u, const void *arg, struct aup_err *err);

/*
 * Change the person REF: read, MODIFY and write back with a log entry
 * ACTION, all in one transaction, so that nothing someone else wrote
 * meanwhile (a suspension, a password) is undone by a stale copy.
 */
static int
user_modify(struct aup_db *db, const char *ref, const char *action,
    user_modify_fn modify, const void *arg, struct aup_err *err)
{
	struct aup_user *old = NULL, u = { 0 };
	int rc = -1;

	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0 || st_begin(db, err) != 0)
		return -1;
	if (aup_user_find(db, ref, &old, err) != 0)
		goto out;
	user_copy(&u, old);
	if (modify(db, old, &u, arg, err) != 0 ||
	    save_changes(db, action, old, &u, err) < 0 ||
	    st_commit(db, err) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		st_rollback(db);
	aup_user_clear(&u);
	aup_user_free(old);
	return rc;
}

static int
edit_fields(struct aup_db *db, const struct aup_user *old, struct aup_user *u,
    const void *arg, struct aup_err *err)
{
	const struct aup_user_edit *e = arg;

	if ((e->first != NULL && check_name("first", e->first, err) != 0) ||
	    (e->last != NULL && check_name("last", e->last, err) != 0) ||
	    (e->set_year && check_year(old->role, e->year, err) != 0) ||
	    check_class(e->class_name, err) != 0 ||
	    check_token("MIS id", e->mis_id, 32, err) != 0 ||
	    check_email(e->email, err) != 0)
		return -1;
	if (e->set_year && old->has_password &&
	    pw_allowed(db->cfg, old->role, e->year, err) != 0)
		return -1;
	if (e->first != NULL)
		replace(&u->first, e->first);
	if (e->last != NULL)
		replace(&u->last, e->last);
	if (e->set_year)
		u->year = e->year;
	replace(&u->class_name, e->class_name);
	replace(&u->mis_id, e->mis_id);
	replace(&u->email, e->email);
	return 0;
}

int
aup_user_edit(struct aup_db *db, const char *ref, const struct aup_user_edit *e,
    struct aup_err *err)
{
	return user_modify(db, ref, "user.edit", edit_fields, e, err);
}

struct suspension {
	const char	*reason;
	time_t		 until;
};

static int
suspend(struct aup_db *db, const struct aup_user *old, struct aup_user *u,
    const void *arg, struct aup_err *err)
{
	const struct suspension *s = arg;

	(void)db;
	if (aup_user_status_now(old, aup_now()) != AUP_STATUS_ACTIVE)
		return aup_err_set(err, AUP_EX_DATAERR, "%s is %s, not active",
		    old->username, aup_status_name(old->status));
	u->status = AUP_STATUS_SUSPENDED;
	replace(&u->status_reason, s->reason);
	u->status_until = s->until;
	return 0;
}

int
aup_user_suspend(struct aup_db *db, const char *ref, const char *reason,
    time_t until, struct aup_err *err)
{
	struct suspension s = { reason, until };

	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0)
		return -1;
	if (reason == NULL || *reason == '\0' || !aup_utf8_valid(reason))
		return aup_err_set(err, AUP_EX_USAGE, "a suspension needs a "
		    "reason (--reason TEXT)");
	if (until != 0 && until <= aup_now())
		return aup_err_set(err, AUP_EX_DATAERR, "the suspension would "
		    "end before it starts; give a date in the future");
	return user_modify(db, ref, "user.suspend", suspend, &s, err);
}

static int
reactivate(struct aup_db *db, const struct aup_user *old, struct aup_user *u,
    const void *arg, struct aup_err *err)
{
	(void)db;
	(void)arg;
	if (old->status != AUP_STATUS_SUSPENDED)
		return aup_err_set(err, AUP_EX_DATAERR, "%s is %s, not "
		    "suspended", old->username, aup_status_name(old->status));
	u->status = AUP_STATUS_ACTIVE;
	free(u->status_reason);
	u->status_reason = NULL;
	u->status_until = 0;
	return 0;
}

int
aup_user_reactivate(struct aup_db *db, const char *ref, struct aup_err *err)
{
	return user_modify(db, ref, "user.reactivate", reactivate, NULL, err);
}
