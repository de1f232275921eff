/* The nightly check run by cron: expired and expiring passwords, accounts
 * locked now, suspensions that have run out and, counted by role,
 * agreements not signed once the year's grace period is over; the
 * database's integrity and its audit log chain, whose head it anchors. Visitors
 * and leavers join this report as those parts of aupctl arrive. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/aup.h"
#include "aup/check.h"
#include "aup/clock.h"
#include "aup/dashboard.h"
#include "aup/leaver.h"
#include "aup/log.h"
#include "aup/password.h"
#include "aup/purge.h"
#include "aup/util.h"
#include "aup/visitor.h"
#include "core.h"

static const struct {
	const char *name;
	const char *title;
	const char *marked; /* the title after a marking run */
	const char *action;
} kinds[AUP_CHECK_KIND_COUNT] = {
	[AUP_CHECK_PW_EXPIRED] = { "password-expired", "Expired passwords",
	    "Expired passwords (now marked must-change)", NULL },
	[AUP_CHECK_PW_EXPIRING] = { "password-expiring",
	    "Passwords expiring soon", NULL, NULL },
	[AUP_CHECK_LOCKED] = { "locked", "Accounts locked after failed logins",
	    NULL, NULL },
	[AUP_CHECK_SUSPENSION_OVER] = { "suspension-over",
	    "Suspensions that have ended",
	    "Suspensions that had ended (now lifted)", "lift" },
	[AUP_CHECK_UNSIGNED] = { "aup-unsigned",
	    "Agreements not signed this year, grace period over", NULL, NULL },
	[AUP_CHECK_LEAVER_STALE] = { "leaver-stale",
	    "Leaver checklists open too long", NULL, NULL },
	[AUP_CHECK_VISIT_OVER] = { "visitor-expired",
	    "Visitor logins whose time or logins are up",
	    "Visitor logins whose time or logins were up (now ended)", "end" },
};

static bool
kind_valid(enum aup_check_kind k)
{
	return (int)k >= 0 && k < AUP_CHECK_KIND_COUNT;
}

const char *
aup_check_kind_name(enum aup_check_kind k)
{
	return kind_valid(k) ? kinds[k].name : "unknown";
}

const char *
aup_check_kind_title(enum aup_check_kind k, bool marked)
{
	if (!kind_valid(k))
		return "Unknown";
	return marked && kinds[k].marked != NULL ? kinds[k].marked :
						   kinds[k].title;
}

const char *
aup_check_kind_action(enum aup_check_kind k)
{
	return kind_valid(k) ? kinds[k].action : NULL;
}

void
aup_check_detail(const struct aup_config *cfg, enum aup_check_kind k,
    const struct aup_user *u, time_t now, char *buf, size_t size)
{
	char d[32];
	time_t end;

	switch (k) {
	case AUP_CHECK_PW_EXPIRED:
	case AUP_CHECK_PW_EXPIRING:
		aup_pw_state(cfg, u, now, 0, &end);
		aup_date_fmt(end, d, sizeof d);
		snprintf(buf, size, "%s %s",
		    k == AUP_CHECK_PW_EXPIRED ? "since" : "on", d);
		break;
	case AUP_CHECK_LOCKED:
		aup_time_fmt(u->locked_until, d, sizeof d);
		snprintf(buf, size, "until %s", d);
		break;
	case AUP_CHECK_SUSPENSION_OVER:
		aup_time_fmt(u->status_until, d, sizeof d);
		snprintf(buf, size, "ended %s", d);
		break;
	case AUP_CHECK_VISIT_OVER:
		if (u->expires != 0 && u->expires <= now) {
			aup_time_fmt(u->expires, d, sizeof d);
			snprintf(buf, size, "expired %s", d);
		} else
			aup_strlcpy(buf, "its logins used", size);
		break;
	case AUP_CHECK_LEAVER_STALE:
		/* Access ends with the leaving day: until is the day after. */
		aup_date_fmt(u->status_until - 86400, d, sizeof d);
		snprintf(buf, size, "leaving on %s, items open", d);
		break;
	default: aup_strlcpy(buf, "", size); break;
	}
}

void
aup_check_unsigned_detail(const struct aup_config *cfg,
    const struct aup_audit_count *c, time_t now, char *buf, size_t size)
{
	char y[32];

	aup_academic_year_label(aup_academic_year(now, cfg->year_start_month,
				    cfg->year_start_day),
	    y, sizeof y);
	snprintf(buf, size, "%s: %lld of %lld not signed for %s%s", c->name,
	    (long long)(c->total - c->signed_n), (long long)c->total, y,
	    cfg->aup_enforce ? ", logins refused" : "");
}

struct stale {
	struct aup_db *db;
	struct aup_user_list *out;
	struct aup_err *err;
};

/* U onto L, whose room doubles when its count reaches a power of two. */
static void
push(struct aup_user_list *l, const struct aup_user *u)
{
	if ((l->n & (l->n - 1)) == 0)
		l->v = xreallocarray(l->v, l->n > 0 ? 2 * l->n : 1,
		    sizeof *l->v);
	l->v[l->n++] = *u;
}

/* Expired passwords into R; with MARK, the ones not yet marked get
 * must_change, counted in R->acted. */
static int
expired(struct aup_db *db, bool mark, struct aup_check_report *r,
    struct aup_err *err)
{
	struct aup_user_list pw;
	size_t unmarked = 0;

	if (aup_pw_expired(db, 0, false, &pw, err) != 0)
		return -1;
	for (size_t i = 0; i < pw.n; i++)
		if (!pw.v[i].must_change)
			unmarked++;
	if (mark && unmarked > 0) {
		aup_user_list_free(&pw);
		if (aup_pw_expired(db, 0, true, &pw, err) != 0)
			return -1;
		r->acted[AUP_CHECK_PW_EXPIRED] = unmarked;
	}
	for (size_t i = 0; i < pw.n; i++)
		push(&r->found[AUP_CHECK_PW_EXPIRED], &pw.v[i]);
	free(pw.v);
	return 0;
}

/* A stale checklist's person onto the list ARG. */
static int
stale_one(void *arg, const struct aup_leaver_row *r)
{
	struct stale *s = arg;
	struct aup_user *u;
	char ref[32];

	snprintf(ref, sizeof ref, "id:%lld", (long long)r->user_id);
	if (aup_user_find(s->db, ref, &u, s->err) != 0)
		return -1;
	push(s->out, u);
	free(u);
	return 0;
}

struct visits_over {
	struct aup_db *db;
	time_t now;
	struct aup_user_list *out;
	struct aup_err *err;
};

/* A visit over but not ended: its person onto the list. */
static int
visit_over_one(void *arg, const struct aup_visit *v)
{
	struct visits_over *o = arg;
	struct aup_user *u;
	char ref[32];

	if (!aup_visit_over(v, o->now) || v->status != AUP_STATUS_ACTIVE)
		return 0;
	snprintf(ref, sizeof ref, "id:%lld", (long long)v->user_id);
	if (aup_user_find(o->db, ref, &u, o->err) != 0)
		return -1;
	push(o->out, u);
	free(u);
	return 0;
}

/* Past the grace period of the year, its agreements signed and owed by
 * role and class into *OUT; before it, nothing. The names are the audit's
 * to list: a school's unsigned run to thousands in the year's first
 * weeks. */
static int
unsigned_after_grace(struct aup_db *db, time_t now,
    struct aup_audit_summary *out, struct aup_err *err)
{
	struct aup_audit_filter f = { .role = -1, .ks = -1 };

	if (now < aup_grace_end(db->cfg, now))
		return 0;
	return aup_audit_summary(db, &f, out, err);
}

int
aup_check_run(struct aup_db *db, bool mark, struct aup_check_report *r,
    struct aup_err *err)
{
	time_t now = aup_now();

	memset(r, 0, sizeof *r);
	if (aup_perm(db, mark ? AUP_PERM_MANAGE : AUP_PERM_READ, err) != 0)
		return -1;
	if (expired(db, mark, r, err) != 0)
		goto fail;

	if (aup_attention_list(db, AUP_CHECK_PW_EXPIRING,
		&r->found[AUP_CHECK_PW_EXPIRING], err) != 0 ||
	    aup_attention_list(db, AUP_CHECK_LOCKED,
		&r->found[AUP_CHECK_LOCKED], err) != 0 ||
	    st_suspension_over_list(db, now,
		&r->found[AUP_CHECK_SUSPENSION_OVER], err) != 0 ||
	    unsigned_after_grace(db, now, &r->aup, err) != 0 ||
	    aup_leaver_stale(db,
		now - (time_t)db->cfg->leaver_stale_days * 86400, stale_one,
		&(struct stale){ db, &r->found[AUP_CHECK_LEAVER_STALE], err },
		err) != 0 ||
	    aup_purge_due(db, &r->purge_due, err) != 0 ||
	    st_visit_walk(db, 0, true, visit_over_one,
		&(struct visits_over){ db, now, &r->found[AUP_CHECK_VISIT_OVER],
		    err },
		err) != 0)
		goto fail;
	if (mark) {
		const struct aup_user_list *l =
		    &r->found[AUP_CHECK_SUSPENSION_OVER];

		for (size_t i = 0; i < l->n; i++) {
			char ref[32];

			snprintf(ref, sizeof ref, "id:%lld",
			    (long long)l->v[i].id);
			if (aup_user_reactivate(db, ref, err) != 0)
				goto fail;
			r->acted[AUP_CHECK_SUSPENSION_OVER]++;
		}
		l = &r->found[AUP_CHECK_VISIT_OVER];
		for (size_t i = 0; i < l->n; i++) {
			if (aup_tx_begin(db, err) != 0 ||
			    visit_end_as(db, l->v[i].id, "check", err) < 0 ||
			    aup_tx_commit(db, err) != 0) {
				aup_tx_rollback(db);
				goto fail;
			}
			r->acted[AUP_CHECK_VISIT_OVER]++;
		}
	}
	/* Last, so that the anchored head holds what marking logged; never
	 * anchor a chain that is broken. */
	if (db_check(db, &r->db, true, err) != 0 ||
	    (r->db.log_ok && aup_log_anchor(db, &r->anchored, err) != 0))
		goto fail;
	return 0;
fail:
	aup_check_clear(r);
	return -1;
}

size_t
aup_check_count(const struct aup_check_report *r)
{
	size_t n = 0;

	for (int k = 0; k < AUP_CHECK_KIND_COUNT; k++)
		n += r->found[k].n;
	return n + (size_t)(r->aup.total - r->aup.signed_n) +
	    (size_t)r->purge_due;
}

bool
aup_check_db_ok(const struct aup_check_report *r)
{
	return r->db.integrity_ok && r->db.fk_violations == 0 && r->db.log_ok;
}

void
aup_check_clear(struct aup_check_report *r)
{
	for (int k = 0; k < AUP_CHECK_KIND_COUNT; k++)
		aup_user_list_free(&r->found[k]);
	aup_audit_summary_clear(&r->aup);
}
