/* The audit log: every change, appended in the change's own transaction and
 * chained by SHA-256 so that an edited or deleted entry shows. Personal
 * values are kept beside the chain, which covers only a salted digest of
 * each, so that a purge can erase one person and the chain still holds. */
#ifndef AUP_LOG_H
#define AUP_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "aup/db.h"
#include "aup/error.h"

struct aup_log_entry {
	int64_t id;
	time_t	at;
	char   *operator;
	char   *action;	 /* "user.add", "password.reset", ... */
	int64_t user_id; /* 0: not about one person */
	char   *subject; /* username, kept when the person is gone;
			  * NULL once purged */
	char   *before;	 /* JSON object of changed fields, or NULL; */
	char   *after;	 /* a purged value reads null */
	bool	purged;	 /* a purge has erased some of its values */
};

struct aup_log_list {
	struct aup_log_entry *v;
	size_t		      n;
};

/* USER_ID 0: everyone; SINCE 0: from the start. */
int  aup_log_list(struct aup_db *db, int64_t user_id, time_t since,
     struct aup_log_list *out, struct aup_err *err);
void aup_log_list_free(struct aup_log_list *l);

/*
 * Erase the personal values (subject, names, email, MIS id, reasons) of
 * every entry about person USER_ID, who may be gone from the database, in
 * one transaction with an entry "log.purge" of its own that names no one.
 * The number of values erased goes to *ERASED (may be NULL). Needs admin.
 */
int aup_log_purge_user(struct aup_db *db, int64_t user_id, int64_t *erased,
    struct aup_err *err);

/*
 * Anchor the log: append its head (entry id and hash, with the time) to
 * the anchor file beside the database (aup_log_anchor_path), unless the
 * last anchor is that head already (*ADDED says which). The nightly check
 * does this; verification then checks every anchored head is still in the
 * chain, so a truncated or recomputed log shows.
 */
int   aup_log_anchor(struct aup_db *db, bool *added, struct aup_err *err);
char *aup_log_anchor_path(const struct aup_db *db);

/* 0 when the chain is whole; -1 with exit 1 and the first bad entry named
 * when an entry or a personal value was edited, removed or added outside
 * aupctl, when the log is empty or ends before its stored head, or when an
 * anchored head is no longer in the chain. */
int aup_log_verify(struct aup_db *db, int64_t *entries, int64_t *bad_id,
    struct aup_err *err);
/* The same for what follows the last anchor: the anchored entry must still
 * be the one anchored, and every entry after it follow on. What the
 * nightly check runs, so its time grows with a day's changes, not with
 * the whole log; *ENTRIES counts the entries checked. */
int aup_log_verify_recent(struct aup_db *db, int64_t *entries, int64_t *bad_id,
    struct aup_err *err);

#endif
