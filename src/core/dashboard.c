/* The first screen's counts, each read the way the list behind it is, so
 * that a count and its list cannot disagree. */
#include <stdlib.h>
#include <string.h>

#include "aup/aup.h"
#include "aup/clock.h"
#include "aup/dashboard.h"
#include "aup/leaver.h"
#include "aup/password.h"
#include "aup/user.h"
#include "aup/util.h"
#include "aup/visitor.h"
#include "core.h"

static int
count_visit(void *arg, const struct aup_visit *v, const char *password)
{
	(void)v;
	(void)password;
	(*(int64_t *)arg)++;
	return 0;
}

static int
count_leaver(void *arg, const struct aup_leaver_row *r)
{
	(void)r;
	(*(int64_t *)arg)++;
	return 0;
}

int
aup_attention_list(struct aup_db *db, enum aup_check_kind k,
    struct aup_user_list *out, struct aup_err *err)
{
	struct aup_user_list l;
	time_t now = aup_now();
	int warn = 0;

	out->v = NULL;
	out->n = 0;
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	if (k == AUP_CHECK_LOCKED)
		return st_locked_list(db, now, out, err);
	if (k != AUP_CHECK_PW_EXPIRED && k != AUP_CHECK_PW_EXPIRING)
		return aup_err_set(err, AUP_EX_USAGE,
		    "no list of people for that kind of finding");
	/* The widest warn_days of any role; each person is then judged by
	 * their own role's, as check does. */
	for (int r = 0; r < AUP_ROLE_COUNT; r++)
		if (db->cfg->pw[r].warn_days > warn)
			warn = db->cfg->pw[r].warn_days;
	if (aup_pw_expired(db, k == AUP_CHECK_PW_EXPIRING ? warn : 0, false, &l,
		err) != 0)
		return -1;
	out->v = xcalloc(l.n > 0 ? l.n : 1, sizeof *out->v);
	for (size_t i = 0; i < l.n; i++) {
		enum aup_pw_state st = aup_pw_state(db->cfg, &l.v[i], now, 0,
		    NULL);

		if ((k == AUP_CHECK_PW_EXPIRED && st == AUP_PW_EXPIRED) ||
		    (k == AUP_CHECK_PW_EXPIRING && st == AUP_PW_EXPIRING))
			out->v[out->n++] = l.v[i];
		else
			aup_user_clear(&l.v[i]);
	}
	free(l.v);
	return 0;
}

/* How many people aup_attention_list gives for K, into *N. */
static int
attention_count(struct aup_db *db, enum aup_check_kind k, int64_t *n,
    struct aup_err *err)
{
	struct aup_user_list l;

	if (aup_attention_list(db, k, &l, err) != 0)
		return -1;
	*n = (int64_t)l.n;
	aup_user_list_free(&l);
	return 0;
}

int
aup_dashboard_get(struct aup_db *db, struct aup_dashboard *d,
    struct aup_err *err)
{
	struct aup_school s;
	struct aup_audit_filter af = { .role = -1, .ks = -1 };
	struct aup_audit_summary sum;

	memset(d, 0, sizeof *d);
	if (aup_perm(db, AUP_PERM_READ, err) != 0 ||
	    aup_school_get(db, &s, err) != 0)
		return -1;
	d->school = xstrdup(s.name);
	d->year = s.academic_year;
	aup_school_clear(&s);
	if (st_role_counts(db, d->by_role, err) != 0 ||
	    aup_audit_summary(db, &af, &sum, err) != 0)
		goto fail;
	d->owing = sum.total;
	d->unsigned_n = sum.total - sum.signed_n;
	aup_audit_summary_clear(&sum);
	if (attention_count(db, AUP_CHECK_PW_EXPIRED, &d->pw_expired, err) !=
		0 ||
	    attention_count(db, AUP_CHECK_PW_EXPIRING, &d->pw_expiring, err) !=
		0 ||
	    attention_count(db, AUP_CHECK_LOCKED, &d->locked, err) != 0)
		goto fail;
	if (aup_visitor_list(db, AUP_VISITS_ACTIVE, count_visit, &d->visitors,
		err) != 0 ||
	    aup_leaver_list(db, true, count_leaver, &d->leavers, err) != 0)
		goto fail;
	return 0;
fail:
	aup_dashboard_clear(d);
	return -1;
}

void
aup_dashboard_clear(struct aup_dashboard *d)
{
	free(d->school);
	d->school = NULL;
}
