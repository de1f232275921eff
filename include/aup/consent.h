/* Parents' and carers' consents for a pupil, one set a year: digital images
 * of the pupil, and their data sent to learning platforms. */
#ifndef AUP_CONSENT_H
#define AUP_CONSENT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "aup/db.h"
#include "aup/error.h"
#include "aup/model.h"

/* What a parent or carer said for one pupil and year. */
struct aup_consent_spec {
	int	    year; /* academic year (2026 for 2026-27); 0: the
			   * current one */
	bool	    images;
	bool	    platforms;
	const char *signer;	  /* the parent's or carer's name */
	const char *relationship; /* "parent" or "carer" */
};

/*
 * Record S for the pupil REF, replacing what was recorded for that year
 * (the log keeps both). Needs the office role or above. 0 recorded, 1 the
 * same as recorded already (nothing written), -1 with ERR set: 67 no such
 * person, 65 not a pupil or a pupil who has left, a signer that is not a
 * name or a relationship not parent or carer (field "signer",
 * "relationship").
 */
int aup_consent_record(struct aup_db *db, const char *ref,
    const struct aup_consent_spec *s, struct aup_err *err);

/*
 * A row of a list: a pupil and what was recorded for them. Strings point
 * into the database's row buffer and are valid only during the callback.
 */
struct aup_consent_row {
	int64_t	    user_id;
	const char *username;
	const char *first;
	const char *last;
	int	    year_group;
	const char *class_name; /* NULL: none */
	int	    academic_year;
	bool	    recorded; /* false: none for the year (the rest empty) */
	bool	    images;
	bool	    platforms;
	const char *signer;
	const char *relationship;
	const char *form;    /* the form and version it was given on; */
	int	    version; /* NULL and 0 when not known */
	time_t	    recorded_at;
	const char *operator;
};

/* Called for each row; a non-zero return stops the walk and is returned. */
typedef int (*aup_consent_fn)(void *arg, const struct aup_consent_row *r);

/* -1: either; 0 or 1: only those who said no (0) or yes (1). */
struct aup_consent_filter {
	int	    year; /* 0: the current academic year */
	const char *class_name;
	int	    images;
	int	    platforms;
	bool	    missing; /* only pupils with none recorded */
};
void aup_consent_filter_init(struct aup_consent_filter *f);

/*
 * The pupils on roll (active or suspended) that F selects, with their
 * consents for F's year, in name order (last, first), each handed to FN:
 * with MISSING those with none recorded, else everyone, a pupil with none
 * recorded unless IMAGES or PLATFORMS asks for an answer. Streams from an
 * index; MISSING with IMAGES or PLATFORMS is a usage error.
 */
int aup_consent_query(struct aup_db *db, const struct aup_consent_filter *f,
    aup_consent_fn fn, void *arg, struct aup_err *err);

/* Every consent recorded for person USER_ID, oldest year first (for the
 * subject access export). */
int aup_consent_walk_user(struct aup_db *db, int64_t user_id, aup_consent_fn fn,
    void *arg, struct aup_err *err);

#endif
