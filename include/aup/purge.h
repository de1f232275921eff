/* Retention: the personal data of people who left and of visitors whose
 * login ended, removed once [retention] says it has been kept long enough.
 * What is kept: that a signature was given (under a pseudonym), the audit
 * log's chain (its personal values erased through the log's own purge, so
 * log --verify still passes) and the username on the retired list, so
 * that no one else is given it within [import] reuse_days. */
#ifndef AUP_PURGE_H
#define AUP_PURGE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "aup/db.h"
#include "aup/error.h"
#include "aup/model.h"

/* One person a purge removes, and what it removed of theirs. */
struct aup_purge_item {
	int64_t		id;
	const char     *username;
	const char     *first;
	const char     *last;
	enum aup_role	role;
	enum aup_status status;	    /* left, or expired (a visitor) */
	time_t		since;	    /* when they left or the visit ended */
	int64_t		signatures; /* kept under a pseudonym */
	int64_t		log_values; /* personal values erased from the log */
};

struct aup_purge_result {
	int64_t people;
	int64_t signatures;
	int64_t log_values;
};

/* Called for each person purged, in id order; a non-zero return stops the
 * purge, and nothing is removed. */
typedef int (*aup_purge_fn)(void *arg, const struct aup_purge_item *it);

/* Remove everyone past retention at the clock's now, as one transaction
 * with a savepoint a person; with DRY_RUN, the same run rolled back. Needs
 * the admin operator role (exit 77). */
int aup_purge(struct aup_db *db, bool dry_run, aup_purge_fn fn, void *arg,
    struct aup_purge_result *res, struct aup_err *err);

/* How many people a purge would remove now, for check. */
int aup_purge_due(struct aup_db *db, int64_t *n, struct aup_err *err);

#endif
