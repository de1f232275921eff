/*
 * The year rollover: plan every pupil's move up a year group (or out, from
 * the final year), hash the passwords of those reaching their own logins
 * on every core, then apply it all in one transaction, a level a pupil,
 * rolled back at the end of a dry run.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/clock.h"
#include "aup/leaver.h"
#include "aup/json.h"
#include "aup/password.h"
#include "aup/user.h"
#include "aup/util.h"
#include "aup/year.h"
#include "core.h"
#include "pwstore.h"

const char *
aup_year_action_name(enum aup_year_action a)
{
	static const char *const names[] = { "promote", "login", "leave" };

	return a < AUP_YEAR_ACTION_COUNT ? names[a] : "";
}

int
aup_year_next(int year)
{
	if (year < AUP_YEAR_N || year >= AUP_YEAR_MAX)
		return AUP_YEAR_NONE;
	return year + 1;
}

char *
aup_year_class_next(enum aup_rollover_classes rule, const char *cls)
{
	size_t digits = 0;
	long n;
	char num[16];

	if (cls == NULL || *cls == '\0' || rule == AUP_CLASSES_CLEAR)
		return NULL;
	if (rule == AUP_CLASSES_KEEP)
		return xstrdup(cls);
	while (isdigit((unsigned char)cls[digits]))
		digits++;
	if (digits == 0 || digits >= sizeof num)
		return xstrdup(cls);
	memcpy(num, cls, digits);
	num[digits] = '\0';
	if (aup_parse_long(num, 0, 999999, &n) != 0)
		return xstrdup(cls);
	/* "09X" keeps its width, "9X" needs none. */
	return xasprintf("%0*ld%s", cls[0] == '0' ? (int)digits : 0, n + 1,
	    cls + digits);
}

/* The first day of academic year AY, local midnight. */
static time_t
year_start(const struct aup_config *cfg, int ay)
{
	struct tm tm = { 0 };

	tm.tm_year = ay - 1900;
	tm.tm_mon = cfg->year_start_month - 1;
	tm.tm_mday = cfg->year_start_day;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

void
aup_year_info_clear(struct aup_year_info *y)
{
	free(y->last_operator);
	memset(y, 0, sizeof *y);
}

int
aup_year_show(struct aup_db *db, struct aup_year_info *out, struct aup_err *err)
{
	struct aup_school school;
	int last = 0, rc;

	memset(out, 0, sizeof *out);
	if (aup_perm(db, AUP_PERM_READ, err) != 0 ||
	    aup_school_get(db, &school, err) != 0)
		return -1;
	out->academic_year = school.academic_year;
	aup_strlcpy(out->label, school.year_label, sizeof out->label);
	aup_school_clear(&school);
	out->start = year_start(db->cfg, out->academic_year);
	if ((rc = st_rollover_get(db, &last, &out->last_at, &out->last_operator,
		 err)) < 0)
		return -1;
	if (rc == 0) {
		out->last_year = last;
		aup_academic_year_label(last, out->last_label,
		    sizeof out->last_label);
	}
	out->due = out->last_year < out->academic_year;
	return 0;
}

/* One pupil's part in the rollover. */
struct step {
	int64_t id;
	size_t seq; /* in the list's order */
	char *username;
	char *name;
	int from, to;
	char *from_class, *to_class;
	enum aup_year_action action;
	struct aup_user_plan pw; /* LOGIN: the person as they will be */
};

struct rollover {
	struct aup_db *db;
	const struct aup_year_opts *o;
	struct aup_year_summary *sum;
	int final_year;
	struct step *v;
	size_t n, cap;
};

static void
step_clear(struct step *s)
{
	free(s->username);
	free(s->name);
	free(s->from_class);
	free(s->to_class);
	aup_user_plan_clear(&s->pw);
}

/* "Year 6", "Reception", "Nursery": as the leaving reason says it. */
static void
year_words(int year, char *buf, size_t size)
{
	if (year == AUP_YEAR_N)
		aup_strlcpy(buf, "Nursery", size);
	else if (year == AUP_YEAR_R)
		aup_strlcpy(buf, "Reception", size);
	else
		snprintf(buf, size, "Year %s", aup_year_name(year));
}

/* Plan pupil R, when active or suspended. */
static int
plan_row(void *arg, const struct aup_user_row *r)
{
	struct rollover *ro = arg;
	const struct aup_config *cfg = ro->db->cfg;
	struct step *s;

	if ((r->status != AUP_STATUS_ACTIVE &&
		r->status != AUP_STATUS_SUSPENDED) ||
	    r->year == AUP_YEAR_NONE)
		return 0;
	if (ro->n == ro->cap) {
		ro->cap = ro->cap ? ro->cap * 2 : 256;
		ro->v = xreallocarray(ro->v, ro->cap, sizeof *ro->v);
	}
	s = &ro->v[ro->n++];
	memset(s, 0, sizeof *s);
	s->id = r->id;
	s->seq = ro->n - 1;
	s->username = xstrdup(r->username);
	s->name = xasprintf("%s %s", r->first, r->last);
	s->from = r->year;
	s->from_class = r->class_name ? xstrdup(r->class_name) : NULL;
	if (r->year >= ro->final_year ||
	    aup_year_next(r->year) == AUP_YEAR_NONE) {
		s->action = AUP_YEAR_LEAVE;
		s->to = s->from;
		s->to_class = r->class_name ? xstrdup(r->class_name) : NULL;
		return 0;
	}
	s->to = aup_year_next(r->year);
	s->to_class = aup_year_class_next(cfg->rollover_classes, r->class_name);
	s->action = AUP_YEAR_PROMOTE;
	if (r->has_password || s->to < cfg->individual_from)
		return 0;
	/* Into the year groups with logins of their own, and none yet. */
	s->action = AUP_YEAR_LOGIN;
	aup_user_from_row(&s->pw.user, r);
	s->pw.user.year = s->to;
	free(s->pw.user.class_name);
	s->pw.user.class_name = s->to_class ? xstrdup(s->to_class) : NULL;
	s->pw.generate = true;
	return 0;
}

/* Oldest year group first, then by class, then in the list's order (by
 * name). */
static int
cmp_step(const void *a, const void *b)
{
	const struct step *x = a, *y = b;
	int c;

	if (x->from != y->from)
		return x->from > y->from ? -1 : 1;
	c = strcmp(x->from_class ? x->from_class : "",
	    y->from_class ? y->from_class : "");
	if (c != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
item_of(const struct step *s, const char *reason, struct aup_year_item *it)
{
	memset(it, 0, sizeof *it);
	it->action = s->action;
	it->username = s->username;
	it->name = s->name;
	it->from_year = s->from;
	it->from_class = s->from_class;
	it->to_year = s->to;
	it->to_class = s->to_class;
	it->reason = reason;
}

static void
leave_reason(const struct rollover *ro, const struct step *s, char *buf,
    size_t size)
{
	char words[16];

	year_words(s->from, words, sizeof words);
	snprintf(buf, size, "left after %s (rollover %s)", words,
	    ro->sum->label);
}

/* The plan was read before the transaction: is S's pupil still as it
 * found them? */
static int
still_planned(struct aup_db *db, const struct step *s, struct aup_err *err)
{
	struct aup_user u = { 0 };
	bool same;

	if (user_reread(db, s->id, &u, err) != 0)
		return -1;
	same = u.year == s->from &&
	    (u.status == AUP_STATUS_ACTIVE ||
		u.status == AUP_STATUS_SUSPENDED) &&
	    (s->action != AUP_YEAR_LOGIN || !u.has_password);
	aup_user_clear(&u);
	if (same)
		return 0;
	aup_err_set(err, AUP_EX_TEMPFAIL,
	    "someone changed them while the rollover was planned");
	aup_err_hint(err, "run the rollover again");
	return -1;
}

/* Apply step S in a level of its own; its password on SLIPS. */
static int
apply_step(struct rollover *ro, struct step *s, struct aup_slips *slips,
    struct aup_err *err)
{
	struct aup_db *db = ro->db;
	char ref[32], reason[96];
	struct aup_user_edit e;
	bool class_changes;

	snprintf(ref, sizeof ref, "id:%lld", (long long)s->id);
	if (aup_tx_begin(db, err) != 0)
		return -1;
	if (still_planned(db, s, err) != 0)
		goto fail;
	if (s->action == AUP_YEAR_LEAVE) {
		leave_reason(ro, s, reason, sizeof reason);
		if (leaver_start_as(db, ref, 0, reason, "year.leaving", err) !=
		    0)
			goto fail;
		return aup_tx_commit(db, err);
	}
	memset(&e, 0, sizeof e);
	e.set_year = true;
	e.year = s->to;
	class_changes = (s->from_class == NULL) != (s->to_class == NULL) ||
	    (s->from_class != NULL && strcmp(s->from_class, s->to_class) != 0);
	if (class_changes)
		e.class_name = s->to_class != NULL ? s->to_class : "";
	if (user_edit_as(db, ref, &e, "year.promote", err) != 0)
		goto fail;
	if (s->action == AUP_YEAR_LOGIN && s->pw.phc != NULL) {
		if (pw_install(db, s->id, s->pw.phc, true, "year.password",
			err) != 0 ||
		    (slips != NULL &&
			aup_slips_add(slips, &s->pw.user, s->pw.password,
			    err) != 0))
			goto fail;
		ro->sum->passwords++;
	}
	return aup_tx_commit(db, err);
fail:
	aup_tx_rollback(db);
	return -1;
}

static int
log_rollover(struct rollover *ro, struct aup_err *err)
{
	struct aup_buf b = { 0 };
	struct aup_json j;
	int rc;

	aup_json_init(&j, &b);
	aup_json_object(&j);
	aup_json_kstr(&j, "academic_year", ro->sum->label);
	for (int a = 0; a < AUP_YEAR_ACTION_COUNT; a++)
		aup_json_kint(&j, aup_year_action_name(a),
		    (int64_t)ro->sum->count[a]);
	aup_json_end(&j);
	rc = aup_log_add(ro->db, "year.rollover", NULL, NULL, b.data, err);
	aup_buf_free(&b);
	return rc;
}

/* Refuse a second rollover of the academic year in SUM. */
static int
done_already(struct rollover *ro, const char *op, time_t at,
    struct aup_err *err)
{
	char day[16], next[16];

	aup_date_fmt(at, day, sizeof day);
	aup_date_fmt(year_start(ro->db->cfg, ro->sum->academic_year + 1), next,
	    sizeof next);
	aup_err_set(err, AUP_EX_DATAERR,
	    "%s was rolled over already, on %s by %s; a school rolls over "
	    "once a year",
	    ro->sum->label, day, op != NULL ? op : "someone");
	aup_err_hint(err,
	    "the next rollover is due on %s; 'aupctl year show' says where "
	    "the school stands",
	    next);
	return -1;
}

static int
plan(struct rollover *ro, struct aup_err *err)
{
	struct aup_user_filter f;
	struct aup_school school;
	char *op = NULL;
	time_t at = 0;
	int year, rc;

	if (aup_school_get(ro->db, &school, err) != 0)
		return -1;
	ro->final_year = school.final_year;
	ro->sum->academic_year = school.academic_year;
	aup_strlcpy(ro->sum->label, school.year_label, sizeof ro->sum->label);
	aup_school_clear(&school);
	year = ro->sum->academic_year;
	if ((rc = st_rollover_get(ro->db, &year, &at, &op, err)) < 0)
		return -1;
	if (rc == 0) {
		done_already(ro, op, at, err);
		free(op);
		return -1;
	}
	aup_user_filter_init(&f);
	f.role = AUP_ROLE_PUPIL;
	if (aup_user_query(ro->db, &f, NULL, 0, plan_row, ro, err) != 0)
		return -1;
	if (ro->n > 1)
		qsort(ro->v, ro->n, sizeof *ro->v, cmp_step);
	ro->sum->pupils = ro->n;
	return 0;
}

/* Write it all inside the open transaction. */
static int
apply(struct rollover *ro, struct aup_slips *slips, struct aup_err *err)
{
	struct aup_db *db = ro->db;
	int rc;

	rc = st_rollover_add(db, ro->sum->academic_year, aup_now(),
	    aup_db_operator(db), err);
	if (rc != 0) {
		/* Someone else's rollover landed since the plan. */
		if (rc > 0)
			done_already(ro, NULL, aup_now(), err);
		return -1;
	}
	for (size_t i = 0; i < ro->n; i++) {
		struct step *s = &ro->v[i];
		struct aup_err e;

		if (apply_step(ro, s, slips, &e) != 0) {
			/* The pupil's name first: the core's message is about
			 * a field, not whose. */
			*err = e;
			snprintf(err->msg, sizeof err->msg,
			    "cannot roll %.64s over: %.400s; nothing was "
			    "changed",
			    s->username, e.msg);
			return -1;
		}
		ro->sum->count[s->action]++;
	}
	return log_rollover(ro, err);
}

int
aup_year_rollover(struct aup_db *db, const struct aup_year_opts *o,
    aup_year_fn fn, void *arg, struct aup_year_summary *sum,
    struct aup_err *err)
{
	struct rollover ro = { .db = db, .o = o, .sum = sum };
	struct aup_user_plan **hash = NULL;
	struct aup_slips *slips = NULL;
	size_t nhash = 0;
	int rc = -1;

	memset(sum, 0, sizeof *sum);
	if (aup_perm(db, AUP_PERM_MANAGE, err) != 0 ||
	    aup_perm(db, aup_perm_pw(AUP_ROLE_PUPIL), err) != 0)
		return -1;
	if (plan(&ro, err) != 0)
		goto out;
	hash = xreallocarray(NULL, ro.n + 1, sizeof *hash);
	for (size_t i = 0; i < ro.n; i++)
		if (ro.v[i].action == AUP_YEAR_LOGIN)
			hash[nhash++] = &ro.v[i].pw;
	if (nhash > 0 && !o->dry_run && o->slips == NULL) {
		aup_err_set(err, AUP_EX_USAGE,
		    "this rollover makes %zu new passwords and has nowhere to "
		    "put them; nothing was changed",
		    nhash);
		aup_err_hint(err,
		    "name a file for the login slips with --slips FILE "
		    "(.csv for mail merge, .txt to print)");
		goto out;
	}
	/* The plan, whole, before anything is written. */
	for (size_t i = 0; i < ro.n && fn != NULL; i++) {
		struct aup_year_item it;
		char reason[96];

		if (ro.v[i].action == AUP_YEAR_LEAVE)
			leave_reason(&ro, &ro.v[i], reason, sizeof reason);
		item_of(&ro.v[i],
		    ro.v[i].action == AUP_YEAR_LEAVE ? reason : NULL, &it);
		if ((rc = fn(arg, &it)) != 0)
			goto out;
	}
	rc = -1;
	/* Hashes are made before the write lock is taken; a dry run makes
	 * none, and its pupils are moved the same. */
	if (!o->dry_run &&
	    user_hash_all(db, hash, nhash, o->jobs, NULL, NULL, err) != 0)
		goto out;
	if (aup_tx_begin(db, err) != 0)
		goto out;
	if (!o->dry_run && o->slips != NULL && nhash > 0 &&
	    (slips = aup_slips_open(db, o->slips, o->slip_format, err)) ==
		NULL) {
		aup_tx_rollback(db);
		goto out;
	}
	rc = apply(&ro, slips, err);
	if (rc != 0 || o->dry_run) {
		aup_slips_end(db, slips, false, err);
		goto out;
	}
	rc = aup_slips_end(db, slips, true, err);
	sum->committed = rc == 0;
out:
	free(hash);
	for (size_t i = 0; i < ro.n; i++)
		step_clear(&ro.v[i]);
	free(ro.v);
	return rc;
}
