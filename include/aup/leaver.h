/* A leaver's exit checklist: opened with a leaving date (access ends with
 * that day), ticked item by item with who and when, and finished, which
 * resets the person's credentials so that no password can match again. */
#ifndef AUP_LEAVER_H
#define AUP_LEAVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "aup/db.h"
#include "aup/error.h"
#include "aup/model.h"

struct aup_leaver_item {
	char  *id;    /* "keys" */
	char  *label; /* "Keys and fob returned" */
	bool   done;
	time_t at; /* ticked when */
	char  *by; /* by whom (an operator, or "aupctl" for the tool) */
	char  *note;
};

struct aup_leaver {
	int64_t			user_id;
	char		       *username;
	char		       *first;
	char		       *last;
	enum aup_role		role;
	enum aup_status		status;
	time_t			leave_on; /* the leaving day */
	char		       *reason;
	time_t			started;
	char		       *started_by;
	time_t			finished; /* 0: open */
	char		       *finished_by;
	char		       *forced; /* why, when finished with items open */
	struct aup_leaver_item *items;
	size_t			nitems;
	size_t			open; /* items not done */
};
void aup_leaver_clear(struct aup_leaver *l);

/* Open REF's checklist from [leaver.ROLE]: status leaving, access until
 * the end of LEAVE_ON (0: today), REASON may be NULL. Refused (65) for a
 * class logon or a visitor, someone already leaving or left. */
int aup_leaver_start(struct aup_db *db, const char *ref, time_t leave_on,
    const char *reason, struct aup_err *err);
/* Tick ITEM (its id) of REF's open checklist, with NOTE (may be NULL): 0,
 * 1 when it was ticked already (nothing changes), 65 unknown item. */
int aup_leaver_tick(struct aup_db *db, const char *ref, const char *item,
    const char *note, struct aup_err *err);
/* REF's checklist into OUT; exit 67 when they have none. */
int aup_leaver_get(struct aup_db *db, const char *ref, struct aup_leaver *out,
    struct aup_err *err);
/* USER_ID's checklist into OUT, its items and dates only (no person's
 * fields): 0, or 1 when they have none (OUT empty). */
int aup_leaver_of(struct aup_db *db, int64_t user_id, struct aup_leaver *out,
    struct aup_err *err);
/* Finish REF's checklist: refused (65) while items are open unless FORCE
 * with REASON. The password is replaced by the hash of a secret no one
 * keeps, lockouts cleared, the tool ticks the password item, and the
 * person's status becomes left. */
int aup_leaver_finish(struct aup_db *db, const char *ref, bool force,
    const char *reason, struct aup_err *err);

/* A checklist in a list. */
struct aup_leaver_row {
	int64_t	      user_id;
	const char   *username;
	const char   *first;
	const char   *last;
	enum aup_role role;
	time_t	      leave_on;
	time_t	      started;
	time_t	      finished; /* 0: open */
	int64_t	      open, total;
};
typedef int (*aup_leaver_fn)(void *arg, const struct aup_leaver_row *r);
/* Every checklist (PENDING: the open ones), oldest started first. */
int aup_leaver_list(struct aup_db *db, bool pending, aup_leaver_fn fn,
    void *arg, struct aup_err *err);
/* The open checklists started before BEFORE (the check's stale ones). */
int aup_leaver_stale(struct aup_db *db, time_t before, aup_leaver_fn fn,
    void *arg, struct aup_err *err);

#endif
