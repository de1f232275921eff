/* Breaches of an acceptable use agreement, by the schools' sanction
 * categories A (a warning) to D (suspension of access and referral), and
 * their counts by term for the governors. */
#ifndef AUP_BREACH_H
#define AUP_BREACH_H

#include <stdint.h>
#include <time.h>

#include "aup/db.h"
#include "aup/error.h"

#define AUP_BREACH_NCAT	    4 /* A, B, C, D */
#define AUP_BREACH_DAYS_MAX 366

/* Category 'A'..'D' (either case) as 0..3; -1 when C is none of them. */
int aup_breach_category_parse(const char *s);

/*
 * Record that person REF breached their agreement: CATEGORY 'A'..'D' and a
 * one-line NOTE of what happened, with the operator and the time. With
 * SUSPEND_DAYS > 0 (at most AUP_BREACH_DAYS_MAX) the person is suspended
 * until now plus that many days in the same transaction, as
 * aup_user_suspend does it, the reason naming the category, unless a
 * suspension that lasts as long or longer is running already; the
 * breach's id goes to *ID (may be NULL). Needs the office role or above.
 */
int aup_breach_record(struct aup_db *db, const char *ref, const char *category,
    const char *note, int suspend_days, int64_t *id, struct aup_err *err);

/* A breach as a list shows it. Strings point into the database's row
 * buffer and are valid only during the callback. */
struct aup_breach_row {
	int64_t	    id;
	int64_t	    user_id;
	const char *username;
	const char *first;
	const char *last;
	char	    category; /* 'A'..'D' */
	const char *note;
	time_t	    at;
	const char *operator;
	time_t	    suspended_until; /* 0: no suspension */
};

/* Called for each row; a non-zero return stops the walk and is returned. */
typedef int (*aup_breach_fn)(void *arg, const struct aup_breach_row *r);

struct aup_breach_filter {
	time_t	    since;    /* 0: from the first */
	int	    category; /* 0..3; -1: any */
	const char *user;     /* a person's ref; NULL: anyone */
};
void aup_breach_filter_init(struct aup_breach_filter *f);

/* The breaches F selects, newest first, each handed to FN; streamed from
 * an index. */
int aup_breach_query(struct aup_db *db, const struct aup_breach_filter *f,
    aup_breach_fn fn, void *arg, struct aup_err *err);

/* Every breach recorded for person USER_ID, oldest first (for the subject
 * access export). */
int aup_breach_walk_user(struct aup_db *db, int64_t user_id, aup_breach_fn fn,
    void *arg, struct aup_err *err);

/* Terms of an academic year, by month from the year's start ([school]
 * year_start): autumn its first four months (September to December),
 * spring the next three, summer the rest. */
enum aup_term { AUP_TERM_AUTUMN, AUP_TERM_SPRING, AUP_TERM_SUMMER };
#define AUP_NTERMS 3
const char   *aup_term_name(enum aup_term t); /* "autumn", ... */
/* The term T falls in, for a year that starts on MONTH/DAY. */
enum aup_term aup_term_of(time_t t, int month, int day);

/* The breaches of academic YEAR (2026 for 2026-27; 0: the current one)
 * counted by term and category (0..3 for A..D) into COUNTS. */
int aup_breach_counts(struct aup_db *db, int year,
    long counts[AUP_NTERMS][AUP_BREACH_NCAT], struct aup_err *err);

#endif
