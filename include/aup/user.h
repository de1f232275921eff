/* People: adding, finding, listing, changing and suspending them. */
#ifndef AUP_USER_H
#define AUP_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "aup/config.h"
#include "aup/config.h"
#include "aup/db.h"
#include "aup/error.h"
#include "aup/model.h"

struct aup_user {
	int64_t		id;
	char	       *username;
	enum aup_role	role;
	char	       *first; /* name used day to day */
	char	       *last;
	int		year; /* AUP_YEAR_NONE when not a pupil */
	char	       *class_name;
	char	       *mis_id;
	char	       *email;
	enum aup_status status;
	char	       *status_reason;
	time_t		status_until; /* suspended until; 0: open-ended */
	time_t		created;
	time_t		updated;
	bool		has_password;
	time_t		pw_changed;
	bool		must_change;
	int		failures; /* consecutive failed logins */
	time_t		locked_until;
	time_t		last_login;
	time_t		expires;     /* account end (visitors); 0: none */
	char	       *legal_first; /* as the MIS has them; NULL: the */
	char	       *legal_last;  /* same as first and last */
};

struct aup_user_list {
	struct aup_user *v;
	size_t		 n;
};

/* What `user add` knows; NULL or AUP_YEAR_NONE for what it does not. */
struct aup_user_spec {
	enum aup_role	role;
	const char     *first;
	const char     *last;
	int		year;
	const char     *class_name;
	const char     *mis_id;
	const char     *email;
	const char     *username;    /* NULL: from the role's template */
	const char     *password;    /* NULL: none, or generated below */
	bool		generate;    /* make a passphrase, returned once */
	enum aup_status status;	     /* active (0); leaving or left for the
				      * record of someone going or gone */
	const char     *legal_first; /* when not FIRST and LAST */
	const char     *legal_last;
};

/* Add one person: validate, plan, hash and insert below, in a transaction
 * of its own inside the caller's. */
int aup_user_add(struct aup_db *db, const struct aup_user_spec *spec,
    struct aup_user **out, char **generated, struct aup_err *err);

/*
 * Adding many people at once, in the four steps aup_user_add takes too:
 *
 *   validate  every problem with every field of a spec; pure
 *   plan      the username (template and suffix) and the MIS id checked
 *             against the database and reserved in a batch, so that a
 *             whole file gets unique usernames before any row is written
 *             and a dry run can show them
 *   hash      generate or check the password and hash it; pure and
 *             thread-safe, to run on every core
 *   insert    write the person, their password and the audit entry inside
 *             the caller's transaction (a savepoint of its own)
 */

/* One problem with one field: FIELD is "role", "first", "last", "year",
 * "class", "mis_id", "email", "username", "password" or "status". The
 * message names no option of any face; a face adds its own hint. */
struct aup_problem {
	const char    *field;
	struct aup_err err;
};
struct aup_problems {
	struct aup_problem *v;
	size_t		    n;
};
/* Check every field of SPEC against CFG; every problem goes into OUT, in
 * the order of the fields. Returns how many there are (0: SPEC is valid). */
size_t aup_user_validate(const struct aup_config *cfg,
    const struct aup_user_spec *spec, struct aup_problems *out);
void   aup_problems_free(struct aup_problems *p);

/* The usernames and MIS ids planned so far in one unit of work. */
struct aup_user_batch;
struct aup_user_batch *aup_user_batch_new(void);
void		       aup_user_batch_free(struct aup_user_batch *b);

/* One person ready to insert. */
struct aup_user_plan {
	struct aup_user user;	  /* as stored; id 0 until inserted */
	bool		generate; /* aup_user_hash makes a passphrase */
	char	       *password; /* given, or made by aup_user_hash */
	char	       *phc;	  /* its hash, from aup_user_hash */
};
/* Validate SPEC (failing with its first problem), check its MIS id and
 * choose its username against the database and B (NULL: none), reserving
 * both in B, into P. Reads the database; writes nothing. */
int aup_user_plan(struct aup_db *db, struct aup_user_batch *b,
    const struct aup_user_spec *spec, struct aup_user_plan *p,
    struct aup_err *err);
/* Generate P's passphrase, or check the given password against R's policy
 * for P's names and username, and hash it. No database: thread-safe. */
struct aup_pw_rules;
int  aup_user_hash(const struct aup_pw_rules *r, struct aup_user_plan *p,
     struct aup_err *err);
/* Write P, with its password hash and audit entry, in a level of its own
 * inside the caller's transaction; sets P's id and password state. A
 * username or MIS id someone else took since the plan is refused. */
int  aup_user_insert(struct aup_db *db, struct aup_user_plan *p,
     struct aup_err *err);
/* Free what P holds, wiping the password. */
void aup_user_plan_clear(struct aup_user_plan *p);

/* People other than U who are likely the same person: the same first and
 * last names (compared as folded for sorting, so case and accents aside)
 * and role, and for a pupil the same year. At most 20, oldest first, into
 * OUT (free with aup_user_list_free); none is not an error. */
int aup_user_likely_duplicates(struct aup_db *db, const struct aup_user *u,
    struct aup_user_list *out, struct aup_err *err);

/* REF is a username, id:N or mis:ID. Exit 67 when no one matches. */
int aup_user_find(struct aup_db *db, const char *ref, struct aup_user **out,
    struct aup_err *err);

#define AUP_SEARCH_MAX 256 /* longest search text, in bytes */

struct aup_user_filter {
	int	    role; /* -1: any */
	int	    ks;	  /* -1: any */
	int	    year; /* AUP_YEAR_NONE: any */
	const char *class_name;
	int	    status; /* -1: any */
	const char *search; /* in names, username, MIS id and class,
			     * as folded by aup_utf8_fold */
	/* Only what a list shows: id, username, role, names, year, class,
	 * status, status_until and expires, the rest of each row zero. A
	 * whole school's list is then read from one index, not every row. */
	bool	    brief;
};
void aup_user_filter_init(struct aup_user_filter *f);

/*
 * Lists stream through a cursor. A row is a person as the list query read
 * them: its strings point into the database's row buffer and are valid only
 * during the callback (copy what you keep). Rows come in the order of
 * sort_key (last name, then first name, folded) and then id.
 */
struct aup_user_row {
	int64_t		id;
	const char     *username;
	enum aup_role	role;
	const char     *first;
	const char     *last;
	int		year;	    /* AUP_YEAR_NONE when not a pupil */
	const char     *class_name; /* NULL when none, likewise below */
	const char     *mis_id;
	const char     *email;
	enum aup_status status;
	const char     *status_reason;
	time_t		status_until;
	time_t		created;
	time_t		updated;
	bool		has_password;
	time_t		pw_changed;
	bool		must_change;
	int		failures;
	time_t		locked_until;
	time_t		last_login;
	time_t		expires;
	const char     *sort_key; /* for the cursor */
};

/* Where a page ends: the next page starts after it. */
struct aup_user_cursor {
	char	key[256];
	int64_t id;
};
void aup_user_cursor_set(struct aup_user_cursor *c,
    const struct aup_user_row			*r);

/* Called for each row; a non-zero return stops the query and is returned. */
typedef int (*aup_user_row_fn)(void *arg, const struct aup_user_row *r);

/* The people F selects, after AFTER (NULL: from the start), at most LIMIT
 * of them (0: all), each handed to FN. Every filter and the search use an
 * index. 0, FN's non-zero return, or -1 with ERR set. */
int aup_user_query(struct aup_db *db, const struct aup_user_filter *f,
    const struct aup_user_cursor *after, size_t limit, aup_user_row_fn fn,
    void *arg, struct aup_err *err);
/* How many people F selects. */
int aup_user_count(struct aup_db *db, const struct aup_user_filter *f,
    int64_t *n, struct aup_err *err);
/* R's status as it stands at NOW, as aup_user_status_now. */
enum aup_status aup_user_row_status_now(const struct aup_user_row *r,
    time_t							   now);
/* A copy of R as a person. */
void aup_user_from_row(struct aup_user *u, const struct aup_user_row *r);

/* Everyone F selects, copied into OUT: for lists known to be short. */
int  aup_user_list(struct aup_db *db, const struct aup_user_filter *f,
     struct aup_user_list *out, struct aup_err *err);
void aup_user_list_free(struct aup_user_list *l);

/* Changes for `user edit`: NULL (or set_year false) leaves a field as it is;
 * "" clears class, email, MIS id or a legal name. */
struct aup_user_edit {
	const char *first;
	const char *last;
	const char *legal_first;
	const char *legal_last;
	bool	    set_year;
	int	    year;
	const char *class_name;
	const char *email;
	const char *mis_id;
};
int aup_user_edit(struct aup_db *db, const char *ref,
    const struct aup_user_edit *e, struct aup_err *err);

int aup_user_suspend(struct aup_db *db, const char *ref, const char *reason,
    time_t until, struct aup_err *err);
int aup_user_reactivate(struct aup_db *db, const char *ref,
    struct aup_err *err);
/* Mark REF as leaving for REASON: the start of their way out (import's
 * --retire-missing; the leaver checklist takes them from there). */
int aup_user_mark_leaving(struct aup_db *db, const char *ref,
    const char *reason, struct aup_err *err);

/* Status as it stands now: a suspension whose date has passed is over, an
 * account past its end is expired. */
enum aup_status aup_user_status_now(const struct aup_user *u, time_t now);

/* A deep copy of U into *TO, to free with aup_user_clear. */
void aup_user_copy(struct aup_user *to, const struct aup_user *u);
void aup_user_free(struct aup_user *u);
void aup_user_clear(struct aup_user *u);

/* A username is 1-32 of [a-z0-9._-], starting with a letter or digit. */
bool aup_username_valid(const char *s);

#endif
