/* Everything about one person as it stands now, for a face to show, and all
 * the data held on them, for a subject access request. */
#ifndef AUP_RECORD_H
#define AUP_RECORD_H

#include <stdbool.h>
#include <time.h>

#include "aup/aup.h"
#include "aup/db.h"
#include "aup/error.h"
#include "aup/password.h"
#include "aup/user.h"
#include "aup/util.h"

struct aup_user_record {
	struct aup_user	    user;   /* as stored */
	time_t		    now;    /* as of */
	enum aup_status	    status; /* as it stands now: a
				       suspension past its date
				       is over */
	enum aup_pw_state   pw_state;
	time_t		    pw_expires;	  /* 0: never, or no password */
	bool		    locked;	  /* locked out now */
	time_t		    locked_until; /* when locked; else 0 */
	struct aup_standing aup;	  /* this year's agreement; its form
					     NULL when none is due, or the
					     forms cannot be read */
};

/* The record of REF (a username, id:N or mis:ID) at the clock's now. */
int  aup_user_record(struct aup_db *db, const char *ref,
     struct aup_user_record *out, struct aup_err *err);
/* The record of U, read already, at NOW; a copy: U stays the caller's. */
void aup_user_record_of(const struct aup_config *cfg, const struct aup_user *u,
    time_t now, struct aup_user_record *out);
void aup_user_record_clear(struct aup_user_record *r);

/*
 * All data held on REF as one JSON object appended to OUT:
 *
 *   as_of     when it was made
 *   person    the details and status ("id", "username", "first", ...)
 *   password  its state and dates, must-change, failed logins, lock and
 *             last login: never a hash
 *   log       every audit log entry about them, oldest first, with the
 *             fields before and after each change as nested objects
 *
 * Times are local, as "2026-09-01T15:30"; a value not held is null.
 */
int aup_user_export(struct aup_db *db, const char *ref, struct aup_buf *out,
    struct aup_err *err);

#endif
