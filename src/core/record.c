/* One person as a face shows them (the record) and everything held on them
 * (the subject access export), composed here once for every face. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/breach.h"
#include "aup/clock.h"
#include "aup/consent.h"
#include "aup/json.h"
#include "aup/leaver.h"
#include "aup/log.h"
#include "aup/record.h"
#include "aup/visitor.h"
#include "core.h"

int
aup_user_record(struct aup_db *db, const char *ref, struct aup_user_record *out,
    struct aup_err *err)
{
	struct aup_user *u;
	const struct aup_user *p;

	memset(out, 0, sizeof *out);
	if (aup_user_find(db, ref, &u, err) != 0)
		return -1;
	out->user = *u; /* take over what U holds */
	free(u);
	p = &out->user;
	out->now = aup_now();
	out->status = aup_user_status_now(p, out->now);
	out->pw_state = aup_pw_state(db->cfg, p, out->now, 0, &out->pw_expires);
	out->locked = p->locked_until > out->now;
	out->locked_until = out->locked ? p->locked_until : 0;
	/* A forms index that cannot be read is not this person's problem:
	 * aup sign and audit say what is wrong with it. */
	if (aup_standing(db, p, out->now, &out->aup, err) != 0) {
		memset(&out->aup, 0, sizeof out->aup);
		aup_err_clear(err);
	}
	return 0;
}

void
aup_user_record_clear(struct aup_user_record *r)
{
	if (r == NULL)
		return;
	aup_user_clear(&r->user);
	memset(r, 0, sizeof *r);
}

/* A member KEY with the time T (0: null), as a date alone with DATE. */
static void
ktime(struct aup_json *j, const char *key, time_t t, bool date)
{
	char buf[32];

	aup_json_key(j, key);
	if (t == 0) {
		aup_json_null(j);
		return;
	}
	if (date)
		aup_date_fmt(t, buf, sizeof buf);
	else
		aup_time_fmt(t, buf, sizeof buf);
	aup_json_str(j, buf);
}

static void
export_person(struct aup_json *j, const struct aup_user_record *r)
{
	const struct aup_user *u = &r->user;

	aup_json_key(j, "person");
	aup_json_object(j);
	aup_json_kint(j, "id", u->id);
	aup_json_kstr(j, "username", u->username);
	aup_json_kstr(j, "first", u->first);
	aup_json_kstr(j, "last", u->last);
	aup_json_kstr(j, "legal_first", u->legal_first);
	aup_json_kstr(j, "legal_last", u->legal_last);
	aup_json_kstr(j, "role", aup_role_name(u->role));
	aup_json_kstr(j, "year",
	    u->year == AUP_YEAR_NONE ? NULL : aup_year_name(u->year));
	aup_json_kstr(j, "ks",
	    u->year == AUP_YEAR_NONE ? NULL :
				       aup_ks_name(aup_ks_of_year(u->year)));
	aup_json_kstr(j, "class", u->class_name);
	aup_json_kstr(j, "mis_id", u->mis_id);
	aup_json_kstr(j, "email", u->email);
	aup_json_kstr(j, "status", aup_status_name(r->status));
	aup_json_kstr(j, "status_reason", u->status_reason);
	ktime(j, "status_until", u->status_until, true);
	ktime(j, "account_expires", u->expires, false);
	ktime(j, "created", u->created, false);
	ktime(j, "updated", u->updated, false);
	aup_json_end(j);
}

static void
export_password(struct aup_json *j, const struct aup_user_record *r)
{
	const struct aup_user *u = &r->user;

	aup_json_key(j, "password");
	aup_json_object(j);
	aup_json_kstr(j, "state", aup_pw_state_name(r->pw_state));
	ktime(j, "changed", u->has_password ? u->pw_changed : 0, false);
	ktime(j, "expires", r->pw_expires, true);
	aup_json_kbool(j, "must_change", u->must_change);
	aup_json_kint(j, "failed_logins", u->failures);
	ktime(j, "locked_until", r->locked_until, false);
	ktime(j, "last_login", u->last_login, false);
	aup_json_end(j);
}

/* A before or after of the log: a JSON object as the log keeps it. */
static void
kchange(struct aup_json *j, const char *key, const char *json)
{
	aup_json_key(j, key);
	if (json == NULL || *json == '\0')
		aup_json_null(j);
	else
		aup_json_raw(j, json, strlen(json));
}

static void
export_log(struct aup_json *j, const struct aup_log_list *l)
{
	aup_json_key(j, "log");
	aup_json_array(j);
	for (size_t i = 0; i < l->n; i++) {
		const struct aup_log_entry *e = &l->v[i];

		aup_json_object(j);
		aup_json_kint(j, "id", e->id);
		ktime(j, "at", e->at, false);
		aup_json_kstr(j, "operator", e->operator);
		aup_json_kstr(j, "action", e->action);
		aup_json_kstr(j, "user", e->subject);
		kchange(j, "before", e->before);
		kchange(j, "after", e->after);
		aup_json_kbool(j, "purged", e->purged);
		aup_json_end(j);
	}
	aup_json_end(j);
}

static int
export_signature(void *arg, const struct aup_signature *g)
{
	struct aup_json *j = arg;
	char label[8];

	aup_academic_year_label(g->year, label, sizeof label);
	aup_json_object(j);
	aup_json_kstr(j, "form", g->form);
	aup_json_kint(j, "version", g->version);
	aup_json_kstr(j, "title", g->title);
	aup_json_kstr(j, "academic_year", label);
	ktime(j, "signed_on", g->signed_on, true);
	aup_json_kstr(j, "signer", g->signer);
	aup_json_kstr(j, "relationship",
	    aup_relationship_name(g->relationship));
	aup_json_kbool(j, "self_signed", g->self_signed);
	aup_json_kstr(j, "method", aup_method_name(g->method));
	aup_json_kstr(j, "witness", g->witness);
	ktime(j, "recorded", g->recorded, false);
	aup_json_end(j);
	return 0;
}

static int
export_consent(void *arg, const struct aup_consent_row *c)
{
	struct aup_json *j = arg;
	char label[8];

	aup_academic_year_label(c->academic_year, label, sizeof label);
	aup_json_object(j);
	aup_json_kstr(j, "academic_year", label);
	aup_json_kbool(j, "images", c->images);
	aup_json_kbool(j, "platforms", c->platforms);
	aup_json_kstr(j, "signer", c->signer);
	aup_json_kstr(j, "relationship", c->relationship);
	aup_json_kstr(j, "form", c->form);
	aup_json_key(j, "version");
	if (c->form != NULL)
		aup_json_int(j, c->version);
	else
		aup_json_null(j);
	ktime(j, "recorded", c->recorded_at, false);
	aup_json_kstr(j, "operator", c->operator);
	aup_json_end(j);
	return 0;
}

static int
export_breach(void *arg, const struct aup_breach_row *b)
{
	struct aup_json *j = arg;
	char cat[2] = { b->category, '\0' };

	aup_json_object(j);
	aup_json_kstr(j, "category", cat);
	aup_json_kstr(j, "note", b->note);
	ktime(j, "at", b->at, false);
	aup_json_kstr(j, "operator", b->operator);
	ktime(j, "suspended_until", b->suspended_until, false);
	aup_json_end(j);
	return 0;
}

/* A visit: who it was with, why, its window and logins. */
static int
export_visit(void *arg, const struct aup_visit *v, const char *password)
{
	struct aup_json *j = arg;

	(void)password;
	aup_json_object(j);
	aup_json_kstr(j, "org", v->org);
	aup_json_kstr(j, "host", v->host);
	aup_json_kstr(j, "reason", v->reason);
	ktime(j, "valid_from", v->valid_from, false);
	ktime(j, "expires", v->expires, false);
	aup_json_key(j, "first_login_hours");
	if (v->first_login_hours > 0)
		aup_json_int(j, v->first_login_hours);
	else
		aup_json_null(j);
	ktime(j, "first_login", v->first_login, false);
	aup_json_kint(j, "logins", v->logins);
	aup_json_key(j, "max_logins");
	if (v->max_logins > 0)
		aup_json_int(j, v->max_logins);
	else
		aup_json_null(j);
	ktime(j, "issued", v->issued, false);
	aup_json_kstr(j, "issued_by", v->issued_by);
	ktime(j, "ended", v->ended, false);
	aup_json_kstr(j, "ended_by", v->ended_by);
	aup_json_end(j);
	return 0;
}

/* USER_ID's exit checklist under "leaver", null when they have none. */
static int
export_leaver(struct aup_db *db, struct aup_json *j, int64_t user_id,
    struct aup_err *err)
{
	struct aup_leaver l;
	int rc = aup_leaver_of(db, user_id, &l, err);

	aup_json_key(j, "leaver");
	if (rc != 0) {
		aup_json_null(j);
		return rc < 0 ? -1 : 0;
	}
	aup_json_object(j);
	ktime(j, "leave_on", l.leave_on, true);
	aup_json_kstr(j, "reason", l.reason);
	ktime(j, "started", l.started, false);
	aup_json_kstr(j, "started_by", l.started_by);
	ktime(j, "finished", l.finished, false);
	aup_json_kstr(j, "finished_by", l.finished_by);
	aup_json_kstr(j, "forced", l.forced);
	aup_json_key(j, "items");
	aup_json_array(j);
	for (size_t i = 0; i < l.nitems; i++) {
		const struct aup_leaver_item *it = &l.items[i];

		aup_json_object(j);
		aup_json_kstr(j, "id", it->id);
		aup_json_kstr(j, "label", it->label);
		aup_json_kbool(j, "done", it->done);
		ktime(j, "at", it->at, false);
		aup_json_kstr(j, "by", it->by);
		aup_json_kstr(j, "note", it->note);
		aup_json_end(j);
	}
	aup_json_end(j);
	aup_json_end(j);
	aup_leaver_clear(&l);
	return 0;
}

/* What is held on U beside the person: signatures, consents, breaches and
 * visits, each an array under its name, and the exit checklist. */
static int
export_held(struct aup_db *db, struct aup_json *j, const struct aup_user *u,
    struct aup_err *err)
{
	char ref[32];

	snprintf(ref, sizeof ref, "id:%lld", (long long)u->id);
	aup_json_key(j, "signatures");
	aup_json_array(j);
	if (aup_history(db, ref, export_signature, j, err) != 0)
		return -1;
	aup_json_end(j);
	aup_json_key(j, "consents");
	aup_json_array(j);
	if (aup_consent_walk_user(db, u->id, export_consent, j, err) != 0)
		return -1;
	aup_json_end(j);
	aup_json_key(j, "breaches");
	aup_json_array(j);
	if (aup_breach_walk_user(db, u->id, export_breach, j, err) != 0)
		return -1;
	aup_json_end(j);
	aup_json_key(j, "visits");
	aup_json_array(j);
	if (aup_visitor_of(db, u->id, export_visit, j, err) != 0)
		return -1;
	aup_json_end(j);
	return export_leaver(db, j, u->id, err);
}

int
aup_user_export(struct aup_db *db, const char *ref, struct aup_buf *out,
    struct aup_err *err)
{
	struct aup_user_record r;
	struct aup_log_list l;
	struct aup_json j;
	int rc;

	if (aup_user_record(db, ref, &r, err) != 0)
		return -1;
	if (aup_log_list(db, r.user.id, 0, &l, err) != 0) {
		aup_user_record_clear(&r);
		return -1;
	}
	aup_json_init(&j, out);
	aup_json_object(&j);
	ktime(&j, "as_of", r.now, false);
	export_person(&j, &r);
	export_password(&j, &r);
	rc = export_held(db, &j, &r.user, err);
	export_log(&j, &l);
	aup_json_end(&j);
	aup_log_list_free(&l);
	aup_user_record_clear(&r);
	return rc;
}
