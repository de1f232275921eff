/* The nightly check run by cron: expired and expiring passwords, accounts
 * locked now and suspensions that have run out. Visitors, AUPs and leavers
 * join this report as those parts of aupctl arrive. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/check.h"
#include "aup/clock.h"
#include "aup/password.h"
#include "aup/util.h"
#include "core.h"

static void
push(struct aup_user_list *l, const struct aup_user *u)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = *u;
}

int
aup_check_run(struct aup_db *db, bool mark, struct aup_check_report *r,
    struct aup_err *err)
{
	struct aup_user_list pw;
	time_t now = aup_now();

	memset(r, 0, sizeof *r);
	if (aup_perm(db, mark ? AUP_PERM_MANAGE : AUP_PERM_READ, err) != 0)
		return -1;
	if (aup_pw_expired(db, 0, mark, &pw, err) != 0)
		return -1;
	for (size_t i = 0; i < pw.n; i++)
		push(&r->expired, &pw.v[i]);
	free(pw.v);

	/* Expiring: the widest warn_days of any role, then each person is
	 * judged by their own role's. */
	int warn = 0;
	for (int k = 0; k < AUP_ROLE_COUNT; k++)
		if (db->cfg->pw[k].warn_days > warn)
			warn = db->cfg->pw[k].warn_days;
	if (aup_pw_expired(db, warn, false, &pw, err) != 0)
		goto fail;
	for (size_t i = 0; i < pw.n; i++) {
		if (aup_pw_state(db->cfg, &pw.v[i], now, 0, NULL) ==
		    AUP_PW_EXPIRING)
			push(&r->expiring, &pw.v[i]);
		else
			aup_user_clear(&pw.v[i]);
	}
	free(pw.v);

	if (st_locked_list(db, now, &r->locked, err) != 0 ||
	    st_suspension_over_list(db, now, &r->suspension_over, err) != 0)
		goto fail;
	if (mark)
		for (size_t i = 0; i < r->suspension_over.n; i++) {
			char ref[32];

			snprintf(ref, sizeof ref, "id:%lld",
			    (long long)r->suspension_over.v[i].id);
			if (aup_user_reactivate(db, ref, err) != 0)
				goto fail;
		}
	return 0;
fail:
	aup_check_clear(r);
	return -1;
}

size_t
aup_check_count(const struct aup_check_report *r)
{
	return r->expired.n + r->expiring.n + r->locked.n +
	    r->suspension_over.n;
}

void
aup_check_clear(struct aup_check_report *r)
{
	aup_user_list_free(&r->expired);
	aup_user_list_free(&r->expiring);
	aup_user_list_free(&r->locked);
	aup_user_list_free(&r->suspension_over);
}
