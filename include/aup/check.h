/* The nightly check: everything that needs someone's attention today, by
 * kind, each kind with a name and a description in plain words. */
#ifndef AUP_CHECK_H
#define AUP_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "aup/aup.h"
#include "aup/db.h"
#include "aup/error.h"
#include "aup/user.h"

/* What the check looks for. Visitors and leavers add kinds. */
enum aup_check_kind {
	AUP_CHECK_PW_EXPIRED,	   /* passwords past max age */
	AUP_CHECK_PW_EXPIRING,	   /* within warn_days */
	AUP_CHECK_LOCKED,	   /* locked out now */
	AUP_CHECK_SUSPENSION_OVER, /* suspended until a past date */
	AUP_CHECK_UNSIGNED,	/* agreements not signed, past grace: counted */
	AUP_CHECK_LEAVER_STALE, /* checklists open past [leaver] stale_days */
	AUP_CHECK_VISIT_OVER,	/* visitors whose time or logins are up */
	AUP_CHECK_KIND_COUNT
};

/* "password-expired", "locked", ...: a name for machines. */
const char *aup_check_kind_name(enum aup_check_kind k);
/* A heading for people: "Expired passwords"; with MARKED, as it reads
 * once a marking run has changed something in it ("Expired passwords (now
 * marked must-change)"). */
const char *aup_check_kind_title(enum aup_check_kind k, bool marked);
/* What a marking run would do about K, as a verb ("lift"), for a face to
 * offer; NULL when there is nothing to offer. */
const char *aup_check_kind_action(enum aup_check_kind k);
/* The detail of U's finding of kind K at NOW, with its date: "since
 * 2030-04-01", "until 2030-01-01T10:10", "ended 2030-04-25". */
void aup_check_detail(const struct aup_config *cfg, enum aup_check_kind k,
    const struct aup_user *u, time_t now, char *buf, size_t size);

/* The detail of the agreements of C (a role) not signed at NOW: "staff: 3
 * of 40 not signed for 2026-27, logins refused". */
void aup_check_unsigned_detail(const struct aup_config *cfg,
    const struct aup_audit_count *c, time_t now, char *buf, size_t size);

/* What the check found. AUP_CHECK_UNSIGNED is counted in AUP, not listed
 * in FOUND: past the grace period, the year's agreements signed and total
 * by role (its total is 0 before); aup audit lists the names. So is what
 * a purge would remove, in PURGE_DUE; purge --dry-run lists them. */
struct aup_check_report {
	struct aup_user_list	 found[AUP_CHECK_KIND_COUNT];
	struct aup_audit_summary aup;
	int64_t		     purge_due; /* people past [retention] (purge.h) */
	size_t		     acted[AUP_CHECK_KIND_COUNT]; /* changed by MARK */
	struct aup_db_report db;       /* integrity and the audit log chain */
	bool		     anchored; /* a new head went to the anchors */
};

/* Fill R. With MARK, expired passwords get must_change and suspensions that
 * have run out are lifted (each logged; R->acted counts them). The database
 * is checked (aup_db_check), and when its log chain is whole the log's head
 * is anchored (aup_log_anchor). */
int    aup_check_run(struct aup_db *db, bool mark, struct aup_check_report *r,
       struct aup_err *err);
/* Number of people needing attention in R. */
size_t aup_check_count(const struct aup_check_report *r);
/* Whether R's database passed: integrity, foreign keys, the log chain. */
bool   aup_check_db_ok(const struct aup_check_report *r);
void   aup_check_clear(struct aup_check_report *r);

#endif
