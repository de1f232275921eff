/* Visitors' temporary logins: issued with their window and the visitor
 * agreement accepted on screen, listed with the time they have left, and
 * ended; auth asks visit_may_login and counts each login. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/aup.h"
#include "aup/clock.h"
#include "aup/json.h"
#include "aup/slip.h"
#include "aup/user.h"
#include "aup/util.h"
#include "aup/visitor.h"
#include "core.h"

#define HOUR 3600

bool
aup_visit_over(const struct aup_visit *v, time_t now)
{
	return v->ended != 0 || v->status != AUP_STATUS_ACTIVE ||
	    (v->expires != 0 && v->expires <= now) ||
	    (v->max_logins > 0 && v->logins >= v->max_logins);
}

/* The window of SPEC into *FROM and *UNTIL (0: from the first login),
 * refused beyond [visitor] max_hours. */
static int
window(struct aup_db *db, const struct aup_visit_spec *s, time_t *from,
    time_t *until, struct aup_err *err)
{
	const struct aup_config *cfg = db->cfg;
	long hours;

	*from = s->from != 0 ? s->from : aup_now();
	if (s->first_login_hours > 0) {
		if (s->hours > 0 || s->until != 0)
			return core_refuse(err, "hours",
			    "give one of --hours, --until and "
			    "--hours-from-first-login");
		hours = s->first_login_hours;
		*until = 0;
	} else if (s->until != 0) {
		if (s->hours > 0)
			return core_refuse(err, "hours",
			    "give --hours or --until, not both");
		if (s->until <= *from)
			return core_refuse(err, "until",
			    "the visit would end before it starts");
		hours = (long)((s->until - *from + HOUR - 1) / HOUR);
		*until = s->until;
	} else {
		hours = s->hours > 0 ? s->hours : cfg->visitor_default_hours;
		*until = *from + (time_t)hours * HOUR;
	}
	if (hours > cfg->visitor_max_hours) {
		(void)core_refuse(err, "hours",
		    "a visitor login lasts at most %d hours ([visitor] "
		    "max_hours), not %ld",
		    cfg->visitor_max_hours, hours);
		aup_err_hint(err,
		    "for someone here for longer, add them as a volunteer or "
		    "member of staff ('aupctl user add --role volunteer')");
		return -1;
	}
	return 0;
}

/* SPEC's name split into first and last, refused when it is one word. */
static int
split_name(const char *name, char **first, char **last, struct aup_err *err)
{
	const char *sp;
	size_t n;

	while (*name == ' ')
		name++;
	n = strlen(name);
	while (n > 0 && name[n - 1] == ' ')
		n--;
	sp = memrchr(name, ' ', n);
	if (sp == NULL)
		return core_refuse(err, "name",
		    "'%s' is one name: give the visitor's first and last name",
		    name);
	*first = xstrndup(name, (size_t)(sp - name));
	*last = xstrndup(sp + 1, n - (size_t)(sp - name) - 1);
	return 0;
}

/* The host: active staff, into *ID (0 when none is given). */
static int
host_of(struct aup_db *db, const char *ref, int64_t *id, struct aup_err *err)
{
	struct aup_user *h;
	int rc = 0;

	*id = 0;
	if (ref == NULL)
		return 0;
	if (aup_user_find(db, ref, &h, err) != 0) {
		aup_err_field(err, "host");
		return -1;
	}
	if (h->role != AUP_ROLE_STAFF ||
	    aup_user_status_now(h, aup_now()) != AUP_STATUS_ACTIVE)
		rc = core_refuse(err, "host",
		    "the host must be an active member of staff; %s is %s %s",
		    h->username, aup_status_name(h->status),
		    aup_role_name(h->role));
	else
		*id = h->id;
	aup_user_free(h);
	return rc;
}

/* A visit as read, to a caller's function with its new password. */
struct told {
	aup_visit_fn fn;
	void *arg;
	const char *password;
};

static int
tell(void *arg, const struct aup_visit *v)
{
	struct told *t = arg;

	return t->fn(t->arg, v, t->password);
}

struct issue {
	struct aup_db *db;
	const struct aup_visit_spec *s;
	struct aup_slips *slips;
	aup_visit_fn fn;
	void *arg;
};

/* One login, number I of the spec's (0 for a single one). */
static int
issue_one(struct issue *is, int i, const char *first, const char *last,
    int64_t host, time_t from, time_t until, struct aup_err *err)
{
	const struct aup_visit_spec *s = is->s;
	struct aup_user_spec us = { .role = AUP_ROLE_VISITOR,
		.year = AUP_YEAR_NONE,
		.generate = true };
	struct aup_sign_spec sign = { .relationship = AUP_REL_SELF,
		.method = AUP_METHOD_SCREEN };
	struct aup_user *u = NULL;
	struct aup_signature g = { 0 };
	char *pw = NULL, *numbered = NULL, username[40], ref[32];
	struct aup_buf after = { 0 };
	struct aup_json j;
	bool already;
	int rc = -1;

	us.first = first;
	us.last = last;
	if (i > 0) {
		numbered = xasprintf("%s %d", last, i);
		us.last = numbered;
		snprintf(username, sizeof username, "%s%d", s->prefix, i);
		us.username = username;
	}
	if (aup_user_add(is->db, &us, &u, &pw, err) != 0)
		goto out;
	snprintf(ref, sizeof ref, "id:%lld", (long long)u->id);
	sign.user = ref;
	if (st_visit_put(is->db, u->id, s->org, host, s->reason, from, until,
		s->first_login_hours, s->max_logins, aup_now(), err) != 0 ||
	    aup_sign(is->db, &sign, &g, &already, err) != 0)
		goto out;
	aup_json_init(&j, &after);
	aup_json_object(&j);
	aup_json_kstr(&j, "org", s->org);
	aup_json_kstr(&j, "reason", s->reason);
	aup_json_kint(&j, "host", host);
	aup_json_kint(&j, "valid_from", (int64_t)from);
	aup_json_kint(&j, "expires", (int64_t)until);
	aup_json_kint(&j, "first_login_hours", s->first_login_hours);
	aup_json_kint(&j, "max_logins", s->max_logins);
	aup_json_end(&j);
	if (aup_log_add(is->db, "visitor.issue", u, NULL, after.data, err) !=
		0 ||
	    (is->slips != NULL && aup_slips_add(is->slips, u, pw, err) != 0))
		goto out;
	rc = 0;
	if (is->fn != NULL) {
		struct told t = { is->fn, is->arg, pw };

		rc = st_visit_walk(is->db, u->id, false, tell, &t, err);
	}
out:
	aup_signature_clear(&g);
	aup_buf_free(&after);
	aup_secret_free(pw);
	free(numbered);
	aup_user_free(u);
	return rc;
}

int
aup_visitor_issue(struct aup_db *db, const struct aup_visit_spec *s,
    aup_visit_fn fn, void *arg, struct aup_err *err)
{
	struct issue is = { db, s, NULL, fn, arg };
	char *first = NULL, *last = NULL;
	int64_t host;
	time_t from, until;
	int n = s->count > 0 ? s->count : 1, rc = 0;

	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0)
		return -1;
	if (!s->accept_aup) {
		(void)core_refuse(err, "accept_aup",
		    "the visitor must read and accept the visitors' "
		    "agreement first");
		aup_err_hint(err,
		    "show it with 'aupctl aup show visitor', "
		    "then give --accept-aup");
		return -1;
	}
	if (n > 200)
		return core_refuse(err, "count",
		    "at most 200 logins at once, not %d", n);
	if (n > 1 && (s->prefix == NULL || *s->prefix == '\0'))
		return core_refuse(err, "prefix",
		    "several logins need a --prefix for their usernames");
	if (s->max_logins < 0)
		return core_refuse(err, "max_logins",
		    "--max-logins is a number of logins, 1 or more");
	if (window(db, s, &from, &until, err) != 0 ||
	    split_name(s->name != NULL ? s->name : "", &first, &last, err) != 0)
		return -1;
	if (aup_tx_begin(db, err) != 0)
		goto fail;
	if (host_of(db, s->host, &host, err) != 0)
		rc = -1;
	if (rc == 0 && s->slips != NULL &&
	    (is.slips = aup_slips_open(db, s->slips, s->slip_format, err)) ==
		NULL)
		rc = -1;
	for (int i = 0; rc == 0 && i < n; i++)
		rc = issue_one(&is, n > 1 ? i + 1 : 0, first, last, host, from,
		    until, err);
	if (aup_slips_end(db, is.slips, rc == 0, err) != 0 && rc == 0)
		rc = -1;
	free(first);
	free(last);
	return rc;
fail:
	free(first);
	free(last);
	return -1;
}

/* The time V has left at NOW, for people: "1h 20m", "from first login",
 * "ended". */
void
aup_visit_left(const struct aup_visit *v, time_t now, char *buf, size_t size)
{
	time_t left = v->expires - now;

	if (aup_visit_over(v, now))
		aup_strlcpy(buf, "ended", size);
	else if (v->valid_from > now)
		aup_strlcpy(buf, "not yet", size);
	else if (v->expires == 0)
		snprintf(buf, size, "%dh from first login",
		    v->first_login_hours);
	else if (left >= 86400)
		snprintf(buf, size, "%lldd %lldh", (long long)(left / 86400),
		    (long long)(left % 86400 / 3600));
	else
		snprintf(buf, size, "%lldh %02lldm", (long long)(left / 3600),
		    (long long)(left % 3600 / 60));
}

struct listing {
	enum aup_visit_which which;
	time_t now;
	aup_visit_fn fn;
	void *arg;
};

static int
list_one(void *arg, const struct aup_visit *v)
{
	struct listing *l = arg;
	bool over = aup_visit_over(v, l->now);

	if ((l->which == AUP_VISITS_ACTIVE && over) ||
	    (l->which == AUP_VISITS_EXPIRED && !over))
		return 0;
	return l->fn(l->arg, v, NULL);
}

/* The visits WHICH, of USER_ID (0: everyone's), to FN. */
static int
walk(struct aup_db *db, int64_t user_id, enum aup_visit_which which,
    aup_visit_fn fn, void *arg, struct aup_err *err)
{
	struct listing l = { which, aup_now(), fn, arg };

	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	return st_visit_walk(db, user_id, which == AUP_VISITS_ACTIVE, list_one,
	    &l, err);
}

int
aup_visitor_list(struct aup_db *db, enum aup_visit_which which, aup_visit_fn fn,
    void *arg, struct aup_err *err)
{
	return walk(db, 0, which, fn, arg, err);
}

int
aup_visitor_of(struct aup_db *db, int64_t user_id, aup_visit_fn fn, void *arg,
    struct aup_err *err)
{
	return walk(db, user_id, AUP_VISITS_ALL, fn, arg, err);
}

int
visit_end_as(struct aup_db *db, int64_t id, const char *by, struct aup_err *err)
{
	struct aup_user u = { 0 };
	int rc;

	if ((rc = st_visit_end(db, id, aup_now(), by, err)) != 0)
		return rc;
	if (user_reread(db, id, &u, err) != 0)
		return -1;
	rc = aup_log_add(db, "visitor.end", &u, NULL, NULL, err);
	aup_user_clear(&u);
	return rc;
}

int
aup_visitor_end(struct aup_db *db, const char *ref, struct aup_err *err)
{
	struct aup_user *u = NULL;
	int rc = -1;

	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0 ||
	    aup_tx_begin(db, err) != 0)
		return -1;
	if (aup_user_find(db, ref, &u, err) == 0) {
		if (u->role != AUP_ROLE_VISITOR)
			rc = core_refuse(err, "user", "%s is %s, not a visitor",
			    u->username, aup_role_name(u->role));
		else
			rc = visit_end_as(db, u->id, db->operator, err);
	}
	if (rc >= 0 && aup_tx_commit(db, err) != 0)
		rc = -1;
	if (rc < 0)
		aup_tx_rollback(db);
	aup_user_free(u);
	return rc;
}

struct may {
	time_t now;
	bool found, ok;
};

static int
may_one(void *arg, const struct aup_visit *v)
{
	struct may *m = arg;

	m->found = true;
	m->ok = v->ended == 0 && v->valid_from <= m->now &&
	    (v->max_logins == 0 || v->logins < v->max_logins);
	return 0;
}

int
visit_may_login(struct aup_db *db, int64_t id, time_t now)
{
	struct may m = { now, false, false };
	struct aup_err e;

	if (st_visit_walk(db, id, false, may_one, &m, &e) != 0)
		return 0;
	return !m.found || m.ok;
}
