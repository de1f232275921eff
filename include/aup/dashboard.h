/* The counts a face puts on its first screen: the school, its year, and
 * what needs the office's attention today, each the count of a list that
 * the core can give in full. */
#ifndef AUP_DASHBOARD_H
#define AUP_DASHBOARD_H

#include <stdint.h>

#include "aup/check.h"
#include "aup/db.h"
#include "aup/error.h"
#include "aup/model.h"

struct aup_dashboard {
	char   *school;
	int	year; /* the school's academic year: 2026 for 2026-27 */
	int64_t by_role[AUP_ROLE_COUNT]; /* active people */
	int64_t unsigned_n, owing;	 /* this year's agreements: not
					    signed, of all owed */
	int64_t pw_expired, pw_expiring, locked;
	int64_t visitors; /* visitor logins that may log in now */
	int64_t leavers;  /* exit checklists open */
};

int aup_dashboard_get(struct aup_db *db, struct aup_dashboard *out,
    struct aup_err *err);

/* The people behind the counts of passwords expired (K is
 * AUP_CHECK_PW_EXPIRED), expiring within their role's warn_days
 * (AUP_CHECK_PW_EXPIRING) and locked now (AUP_CHECK_LOCKED), in list
 * order, as check finds them; exit 64 for another kind. */
int  aup_attention_list(struct aup_db *db, enum aup_check_kind k,
     struct aup_user_list *out, struct aup_err *err);
void aup_dashboard_clear(struct aup_dashboard *d);

#endif
