/* Bringing the roll in from the school's MIS: a file of pupils or staff
 * read, checked, matched with the people already here by MIS id, and
 * applied in one unit of work. The dry run is the same run rolled back. */
#ifndef AUP_IMPORT_H
#define AUP_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "aup/db.h"
#include "aup/error.h"
#include "aup/model.h"
#include "aup/slip.h"
#include "aup/table.h"

struct aup_import_opts {
	enum aup_role	     role; /* AUP_ROLE_PUPIL or AUP_ROLE_STAFF */
	const char	    *path;
	enum aup_encoding    encoding; /* AUP_ENC_AUTO: detect */
	const char	    *map;      /* an [import.NAME] section, or NULL */
	bool		     dry_run;
	bool		     full_roll;	     /* report who is not in the file */
	bool		     retire_missing; /* and mark them leaving */
	bool		     skip_invalid;   /* import the valid rows only */
	const char	    *slips; /* file for new passwords, or NULL */
	enum aup_slip_format slip_format;
	int		     jobs; /* hashing threads; 0: one a core */
	/* Called now and then while hashing, DONE of TOTAL; may be NULL. */
	void (*progress)(void *arg, size_t done, size_t total);
	void *progress_arg;
};

enum aup_import_action {
	AUP_ROW_NEW,	     /* a new person */
	AUP_ROW_CLASS_LOGON, /* a new class logon for the youngest */
	AUP_ROW_UPDATE,	     /* a field of someone here changed */
	AUP_ROW_UNCHANGED,   /* someone here, as the file has them */
	AUP_ROW_DUPLICATE,   /* probably someone here, under another id */
	AUP_ROW_LEAVER,	     /* here, active, and not in a full roll */
	AUP_ROW_INVALID,     /* a row that cannot be imported */
	AUP_ROW_RETURN,	     /* leaving or left, and back in the file */
	AUP_ROW_ACTION_COUNT
};
/* "new", "class-logon", "update", "unchanged", "duplicate", "leaver",
 * "invalid", "return". */
const char *aup_import_action_name(enum aup_import_action a);

/* One line of the plan, which is also the report: valid only during the
 * callback. A person's update gives one item a changed field. */
struct aup_import_item {
	enum aup_import_action action;
	long		       line;   /* physical line in the file; 0: none */
	long		       column; /* of the problem (invalid); 0: none */
	const char	      *username; /* NULL when none (invalid) */
	const char	      *mis_id;
	const char	      *name; /* "First Last" */
	const char	      *class_name;
	const char *field; /* update: "first", "year"...; else NULL */
	const char *old;
	const char *now;
	const char *reason; /* invalid, duplicate: why */
};
/* Called for each item in file order, leavers last; non-zero stops the
 * import (rolled back) and is returned. */
typedef int (*aup_import_fn)(void *arg, const struct aup_import_item *it);

struct aup_import_summary {
	size_t	    rows; /* records in the file, header aside */
	size_t	    count[AUP_ROW_ACTION_COUNT]; /* people (an update
						       counts once) */
	size_t	    passwords;			 /* made and on slips */
	char	    encoding[32];
	char	    delimiter;
	bool	    committed;
	const char *ignored[16]; /* headers read but not used */
	size_t	    nignored;
};

/*
 * Import O->path as O says, handing each item to FN. Everything happens in
 * one transaction, each row in a savepoint of its own; a dry run rolls it
 * back at the end, so the plan is what the real run does, hashing aside.
 * Invalid rows stop the import with nothing written (65, ERR naming how
 * many; each was an item first) unless O->skip_invalid. A real run that
 * makes passwords needs O->slips (64 otherwise, nothing written): the
 * slips are on disk before the commit and removed if it fails.
 */
int  aup_import_run(struct aup_db *db, const struct aup_import_opts *o,
     aup_import_fn fn, void *arg, struct aup_import_summary *sum,
     struct aup_err *err);
void aup_import_summary_clear(struct aup_import_summary *s);

#endif
