/* Visitors: temporary logins for supply staff, contractors and guests,
 * recorded with who they are, their organisation, the member of staff
 * hosting them and why; each ends by itself when its window closes or its
 * logins are used, before any sweep runs. */
#ifndef AUP_VISITOR_H
#define AUP_VISITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "aup/db.h"
#include "aup/error.h"
#include "aup/model.h"
#include "aup/slip.h"

struct aup_visit_spec {
	const char *name;      /* "Jo Bloggs": first and last name */
	const char *org;       /* may be NULL */
	const char *host;      /* a USER reference: active staff; may be NULL */
	const char *reason;    /* may be NULL */
	time_t	    from;      /* 0: now */
	int	    hours;     /* 0: [visitor] default_hours, unless UNTIL */
	time_t	    until;     /* 0: FROM plus HOURS */
	int first_login_hours; /* > 0: the window opens at the first login */
	int max_logins;	       /* 0: no limit */
	int count;	       /* logins to make; 0 is 1 */
	const char	    *prefix; /* with COUNT > 1: usernames PREFIX1... */
	bool		     accept_aup; /* the visitor read and accepted it */
	const char	    *slips;	 /* NULL: none */
	enum aup_slip_format slip_format;
};

struct aup_visit {
	int64_t		user_id;
	const char     *username;
	const char     *first;
	const char     *last;
	const char     *org;
	const char     *host; /* the host's username; NULL: none */
	const char     *reason;
	enum aup_status status;
	time_t		valid_from;
	time_t		expires;	   /* 0: opens at the first login */
	int		first_login_hours; /* 0: none */
	time_t		first_login;
	int		max_logins, logins;
	time_t		issued;
	const char     *issued_by;
	time_t		ended;
	const char     *ended_by;
};

/* Called for each visit; PASSWORD is the new one when issuing, else NULL.
 * A non-zero return stops the walk (when issuing: nothing is kept). */
typedef int (
    *aup_visit_fn)(void *arg, const struct aup_visit *v, const char *password);

/* Issue SPEC's login(s), all or none, each with the visitor agreement
 * recorded as signed on screen by the visitor and witnessed by the
 * operator. Refused (65) without ACCEPT_AUP, for a window longer than
 * [visitor] max_hours, a host who is not active staff. */
int aup_visitor_issue(struct aup_db *db, const struct aup_visit_spec *spec,
    aup_visit_fn fn, void *arg, struct aup_err *err);

enum aup_visit_which { AUP_VISITS_ACTIVE, AUP_VISITS_EXPIRED, AUP_VISITS_ALL };
/* The visits, newest first: ACTIVE those that may log in now (or will,
 * from a later start or their first login), EXPIRED those that ended or
 * whose time or logins are up. */
int  aup_visitor_list(struct aup_db *db, enum aup_visit_which which,
     aup_visit_fn fn, void *arg, struct aup_err *err);
/* USER_ID's visit, if they have one, to FN. */
int  aup_visitor_of(struct aup_db *db, int64_t user_id, aup_visit_fn fn,
     void *arg, struct aup_err *err);
/* The time V has left at NOW, for people: "1h 20m", "2d 3h", "8h from
 * first login", "not yet", "ended". */
void aup_visit_left(const struct aup_visit *v, time_t now, char *buf,
    size_t size);
/* Is V over at NOW: ended, its time or its logins up? */
bool aup_visit_over(const struct aup_visit *v, time_t now);

/* End REF's visit now: 1 when it had ended already. */
int aup_visitor_end(struct aup_db *db, const char *ref, struct aup_err *err);

#endif
