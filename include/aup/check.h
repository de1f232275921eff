/* The nightly check: everything that needs someone's attention today. */
#ifndef AUP_CHECK_H
#define AUP_CHECK_H

#include <stdbool.h>

#include "aup/db.h"
#include "aup/error.h"
#include "aup/user.h"

struct aup_check_report {
	struct aup_user_list	expired;	/* passwords past max age */
	struct aup_user_list	expiring;	/* within warn_days */
	struct aup_user_list	locked;		/* locked out now */
	struct aup_user_list	suspension_over; /* suspended until a past date */
};

/* Fill R. With MARK, expired passwords get must_change and suspensions that
 * have run out are lifted (each logged). */
int	aup_check_run(struct aup_db *db, bool mark, struct aup_check_report *r,
	    struct aup_err *err);
/* Number of people needing attention in R. */
size_t	aup_check_count(const struct aup_check_report *r);
void	aup_check_clear(struct aup_check_report *r);

#endif
