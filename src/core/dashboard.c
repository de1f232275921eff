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

/* Passwords expired, and expiring within their role's warn_days. */
static int
passwords(struct aup_db *db, struct aup_dashboard *d, time_t now,
    struct aup_err *err)
{
	struct aup_user_list l;
	int warn = 0;

	for (int k = 0; k < AUP_ROLE_COUNT; k++)
		if (db->cfg->pw[k].warn_days > warn)
			warn = db->cfg->pw[k].warn_days;
	if (aup_pw_expired(db, warn, false, &l, err) != 0)
		return -1;
	for (size_t i = 0; i < l.n; i++)
		switch (aup_pw_state(db->cfg, &l.v[i], now, 0, NULL)) {
		case AUP_PW_EXPIRED: d->pw_expired++; break;
		case AUP_PW_EXPIRING: d->pw_expiring++; break;
		default: break;
		}
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
	struct aup_user_list locked;
	time_t now = aup_now();

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
	if (passwords(db, d, now, err) != 0 ||
	    st_locked_list(db, now, &locked, err) != 0)
		goto fail;
	d->locked = (int64_t)locked.n;
	aup_user_list_free(&locked);
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
