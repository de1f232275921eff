/* The academic year and its rollover: once a year every pupil moves up a
 * year group, the final year leaves, and those who reach the year groups
 * with logins of their own get one. */
#ifndef AUP_YEAR_H
#define AUP_YEAR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "aup/config.h"
#include "aup/db.h"
#include "aup/error.h"
#include "aup/slip.h"

/* Where the school stands: the academic year now and the last rollover. */
struct aup_year_info {
	int    academic_year; /* 2026 for 2026-27 */
	char   label[8];      /* "2026-27" */
	time_t start;	      /* its first day, [school] year_start */
	int    last_year;     /* the last year rolled over; 0: none */
	char   last_label[8];
	time_t last_at;
	char  *last_operator;
	bool   due; /* this academic year's rollover is still to do */
};
int  aup_year_show(struct aup_db *db, struct aup_year_info *out,
     struct aup_err *err);
void aup_year_info_clear(struct aup_year_info *y);

/* The year group after YEAR (N, R, 1 ... 13); AUP_YEAR_NONE after 13. */
int   aup_year_next(int year);
/* CLS as [rollover] classes RULE makes it for the next year: a new string,
 * or NULL for none (CLS NULL, or cleared). Shift raises the number a name
 * starts with ("4A" is "5A", "09X" is "10X"); a name with none stays. */
char *aup_year_class_next(enum aup_rollover_classes rule, const char *cls);

enum aup_year_action {
	AUP_YEAR_PROMOTE, /* up a year group */
	AUP_YEAR_LOGIN,	  /* up, into the year groups with their own login:
			     a password is made */
	AUP_YEAR_LEAVE,	  /* in the final year: leaving */
	AUP_YEAR_ACTION_COUNT
};
/* "promote", "login", "leave". */
const char *aup_year_action_name(enum aup_year_action a);

/* One pupil in the plan; valid only during the callback. */
struct aup_year_item {
	enum aup_year_action action;
	const char	    *username;
	const char	    *name; /* "First Last" */
	int		     from_year;
	const char	    *from_class; /* NULL: none */
	int		     to_year;	 /* LEAVE: as from_year */
	const char	    *to_class;
	const char	    *reason; /* LEAVE: the reason recorded */
};
/* Called for every pupil of the plan, before anything is written; non-zero
 * stops the rollover (nothing written) and is returned. */
typedef int (*aup_year_fn)(void *arg, const struct aup_year_item *it);

struct aup_year_opts {
	bool		     dry_run;
	const char	    *slips; /* file for new passwords, or NULL */
	enum aup_slip_format slip_format;
	int		     jobs; /* hashing threads; 0: one a core */
};

struct aup_year_summary {
	int    academic_year;
	char   label[8];
	size_t pupils; /* in the plan */
	size_t count[AUP_YEAR_ACTION_COUNT];
	size_t passwords; /* made and on slips */
	bool   committed;
};

/*
 * Roll the school over into the academic year of today: plan every active
 * or suspended pupil (each handed to FN), then, in one transaction with a
 * level per pupil, move them up a year group with their class as
 * [rollover] classes says, mark those in the final year (or past it)
 * leaving, and give a generated password (must_change) to those with no
 * password whose new year group has logins of their own. Each change is
 * logged ("year.rollover", "year.leaving", "year.password") with one
 * summary entry ("year.rollover" about no one), and the year recorded, in
 * the same transaction. A dry run is the same run rolled back, passwords
 * unmade. Refused with 65, nothing written, when this academic year was
 * rolled over already; a real run that makes passwords needs O->slips (64
 * otherwise), as an import does.
 */
int aup_year_rollover(struct aup_db *db, const struct aup_year_opts *o,
    aup_year_fn fn, void *arg, struct aup_year_summary *sum,
    struct aup_err *err);

#endif
