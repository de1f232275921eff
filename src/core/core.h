/* Private to the core: the database handle, the storage module's functions
 * (the only place that speaks SQL) and the operator permission check. */
#ifndef AUP_CORE_H
#define AUP_CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "aup/config.h"
#include "aup/db.h"
#include "aup/error.h"
#include "aup/leaver.h"
#include "aup/log.h"
#include "aup/operator.h"
#include "aup/user.h"

struct sqlite3;
struct st_cached;
struct pw_lists;
struct forms;

struct aup_db {
	struct sqlite3 *sql;
	struct st_cached *stmts; /* see storage.c */
	size_t nstmts;
	char *path;
	const struct aup_config *cfg;
	char *operator;
	int op_role;		   /* -1: not an operator; from
				      the operators table at open */
	int tx_depth;		   /* open transactions */
	int64_t busy_since;	   /* microseconds */
	struct pw_lists *pw_lists; /* see password.c */
	struct forms *forms;	   /* see forms.c */
	bool audit_fn;		   /* st-aup.c's SQL function registered */
};

/* config.c: who runs aupctl, as the kernel says, and where the system
 * configuration is; a test may fill one of its own. */
#define AUP_SYSCONF "/etc/aupctl/aupctl.ini"
struct run_ids {
	uid_t ruid, euid;
	gid_t rgid, egid;
	const char *sudo_user; /* $SUDO_USER; NULL when unset or empty */
	const char *sysconf;   /* AUP_SYSCONF */
	uid_t sysconf_owner;   /* who must own it: root */
};
void run_ids_get(struct run_ids *ids);
/* Real and effective ids differ, or root runs on behalf of SUDO_USER. */
bool run_privileged(const struct run_ids *ids);
/* aup_config_load for IDS. */
struct aup_config *config_load_as(const struct run_ids *ids,
    const char *explicit, struct aup_err *err);

/* What an operation needs of the operator (spec section 9). */
enum aup_perm {
	AUP_PERM_READ,	   /* look at anything */
	AUP_PERM_PEOPLE,   /* add, edit, suspend people */
	AUP_PERM_PW_PUPIL, /* set or reset pupils', visitors' passwords */
	AUP_PERM_PW_ALL,   /* anyone's password */
	AUP_PERM_AUTH,	   /* answer login requests */
	AUP_PERM_MANAGE,   /* create the database, import, back up */
	AUP_PERM_ADMIN,	   /* retention and operator matters */
};
int aup_perm(struct aup_db *db, enum aup_perm need, struct aup_err *err);
/* Refuse bad input (exit 65) about FIELD, the message as aup_err_set
 * takes it; -1. */
#define core_refuse(err, field, ...) \
	(aup_err_set((err), AUP_EX_DATAERR, __VA_ARGS__), \
	    aup_err_field((err), (field)), -1)
/* password.c: N bytes from getrandom(2) into BUF. */
int aup_random_bytes(void *buf, size_t n, struct aup_err *err);
/* The permission needed to change the password of someone of ROLE. */
enum aup_perm aup_perm_pw(enum aup_role role);

/* operator.c: the role of LOGIN for a handle being opened, into *ROLE:
 * admin when no operator is recorded, -1 when LOGIN is not one; 0 or -1
 * on error. */
int operator_role_of(struct aup_db *db, const char *login, int *role,
    struct aup_err *err);
/* In init's transaction: the one who runs it becomes admin (init's own
 * log entry says so). */
int operator_init(struct aup_db *db, struct aup_err *err);

/* storage.c: the engine. */
int st_open(struct aup_db *db, bool create, struct aup_err *err);
void st_close(struct aup_db *db);
/* Remove the database file at PATH and SQLite's files beside it. */
void st_remove(const char *path);
int st_begin(struct aup_db *db, struct aup_err *err);
int st_commit(struct aup_db *db, struct aup_err *err);
/* Nest: the outermost is a transaction, inner ones savepoints; a rollback
 * undoes only its own level. */
void st_rollback(struct aup_db *db);
int st_tx_depth(const struct aup_db *db);

/* st-meta.c */
int st_meta_get(struct aup_db *db, const char *key, char **val,
    struct aup_err *err);
int st_meta_set(struct aup_db *db, const char *key, const char *val,
    struct aup_err *err);

/* st-operator.c: operators by login, compared byte for byte. */
/* Each operator in login order; FN returns 0 to go on, else stops. */
int st_operator_walk(struct aup_db *db, aup_operator_fn fn, void *arg,
    struct aup_err *err);
/* 0 with *ROLE, 1 when LOGIN is not an operator, -1 on error. */
int st_operator_get(struct aup_db *db, const char *login, int *role,
    struct aup_err *err);
int st_operator_count(struct aup_db *db, int role, int64_t *n,
    struct aup_err *err); /* ROLE -1: all */
int st_operator_set(struct aup_db *db, const char *login, int role,
    struct aup_err *err);
int st_operator_remove(struct aup_db *db, const char *login,
    struct aup_err *err);

/* st-user.c */
int st_user_insert(struct aup_db *db, struct aup_user *u, struct aup_err *err);
/* 0 found, 1 not found, -1 error. */
int st_user_get_id(struct aup_db *db, int64_t id, struct aup_user *u,
    struct aup_err *err);
int st_user_get_name(struct aup_db *db, const char *name, struct aup_user *u,
    struct aup_err *err);
int st_user_get_mis(struct aup_db *db, const char *mis, struct aup_user *u,
    struct aup_err *err);
int st_user_update(struct aup_db *db, const struct aup_user *u,
    struct aup_err *err);
/* 1 taken, 0 free, -1 error. */
int st_username_taken(struct aup_db *db, const char *name, struct aup_err *err);
/* Up to 20 people other than U (by id) with U's names (as sorted) and
 * role, and with SAME_YEAR U's year too. */
int st_user_same(struct aup_db *db, const struct aup_user *u, bool same_year,
    struct aup_user_list *out, struct aup_err *err);

/* st-query.c: lists of people, see aup_user_query. */
int st_user_query(struct aup_db *db, const struct aup_user_filter *f,
    const struct aup_user_cursor *after, size_t limit, aup_user_row_fn fn,
    void *arg, struct aup_err *err);
int st_user_count(struct aup_db *db, const struct aup_user_filter *f,
    int64_t *n, struct aup_err *err);
/* The plan SQLite makes for F's list (PAGED: a page after a cursor), one
 * line a step: for the test that every filter uses an index. */
int st_user_query_plan(struct aup_db *db, const struct aup_user_filter *f,
    bool paged, char **plan, struct aup_err *err);
/* Active people of ROLE whose password was changed before CUTOFF. */
int st_pw_age_list(struct aup_db *db, enum aup_role role, time_t cutoff,
    struct aup_user_list *out, struct aup_err *err);
/* How many people of each role are active: everyone of the role, counted
 * on users_role, less those of another status, found on users_status. */
int st_role_counts(struct aup_db *db, int64_t active[AUP_ROLE_COUNT],
    struct aup_err *err);
/* People locked out at NOW, and those suspended until a time before NOW. */
int st_locked_list(struct aup_db *db, time_t now, struct aup_user_list *out,
    struct aup_err *err);
int st_suspension_over_list(struct aup_db *db, time_t now,
    struct aup_user_list *out, struct aup_err *err);

/* st-consent.c: parents' consents, one row per pupil and academic year. */
struct aup_consent_row;
struct aup_consent_filter;
struct st_consent {
	bool images, platforms;
	char *signer;
	char *relationship;
	char *form; /* the consent form given on, NULL if none */
	int version;
};
void st_consent_clear(struct st_consent *c);
/* 0 found, 1 none recorded, -1 error. */
int st_consent_get(struct aup_db *db, int64_t user_id, int year,
    struct st_consent *c, struct aup_err *err);
/* Insert or replace the row of USER_ID and YEAR. */
int st_consent_put(struct aup_db *db, int64_t user_id, int year,
    const struct st_consent *c, time_t at, const char *operator,
    struct aup_err * err);
/* aup_consent_query for F, its year set; the plan it makes, one step a
 * line, for the test that every filter uses an index. */
int st_consent_query(struct aup_db *db, const struct aup_consent_filter *f,
    int (*fn)(void *, const struct aup_consent_row *), void *arg,
    struct aup_err *err);
int st_consent_query_plan(struct aup_db *db, const struct aup_consent_filter *f,
    char **plan, struct aup_err *err);
int st_consent_walk_user(struct aup_db *db, int64_t user_id,
    int (*fn)(void *, const struct aup_consent_row *), void *arg,
    struct aup_err *err);

/* st-breach.c: breaches of an agreement. */
struct aup_breach_row;
int st_breach_insert(struct aup_db *db, int64_t user_id, char category,
    const char *note, time_t at, const char *operator, time_t suspended_until,
    int64_t *id, struct aup_err *err);
/* Newest first: from SINCE (0: all), of CATEGORY ('A'..'D'; 0: any), about
 * USER_ID (0: anyone). */
int st_breach_query(struct aup_db *db, time_t since, char category,
    int64_t user_id, int (*fn)(void *, const struct aup_breach_row *),
    void *arg, struct aup_err *err);
int st_breach_query_plan(struct aup_db *db, time_t since, char category,
    int64_t user_id, char **plan, struct aup_err *err);
/* USER_ID's, oldest first. */
int st_breach_walk_user(struct aup_db *db, int64_t user_id,
    int (*fn)(void *, const struct aup_breach_row *), void *arg,
    struct aup_err *err);
/* Category and time of each breach from FROM up to (not at) TO. */
int st_breach_between(struct aup_db *db, time_t from, time_t to,
    int (*fn)(void *, char category, time_t at), void *arg,
    struct aup_err *err);

/* st-password.c: hashes, history, login counters. */
/* The stored PHC string, or NULL in *HASH when there is none. */
int st_pw_get(struct aup_db *db, int64_t user_id, char **hash,
    struct aup_err *err);
int st_pw_set(struct aup_db *db, int64_t user_id, const char *hash,
    time_t changed, bool must_change, struct aup_err *err);
int st_must_change(struct aup_db *db, int64_t user_id, bool must,
    struct aup_err *err);
int st_hist_add(struct aup_db *db, int64_t user_id, const char *hash, time_t at,
    int keep, struct aup_err *err);
/* The newest N hashes of the history, newest first. */
int st_hist_list(struct aup_db *db, int64_t user_id, int n, char ***hashes,
    size_t *count, struct aup_err *err);
int st_auth_set(struct aup_db *db, int64_t user_id, int failures,
    time_t locked_until, time_t last_login, struct aup_err *err);
/* Count a login attempt in the daily counters (not in the audit log). */
int st_auth_count(struct aup_db *db, int64_t user_id, bool ok,
    struct aup_err *err);
/* Failed logins from one client address (no row reads as all zero). */
struct st_addr {
	int failures;
	time_t locked_until;
	time_t last_failure;
};
int st_addr_get(struct aup_db *db, const char *addr, struct st_addr *a,
    struct aup_err *err);
int st_addr_put(struct aup_db *db, const char *addr, const struct st_addr *a,
    struct aup_err *err);
/* Drop the addresses whose last failure came before BEFORE. */
int st_addr_forget(struct aup_db *db, time_t before, struct aup_err *err);
/* Note that ADDR failed against USER_ID: 1 the first time since their last
 * success, 0 when it had already, -1 error. */
int st_addr_user_add(struct aup_db *db, const char *addr, int64_t user_id,
    struct aup_err *err);
int st_addr_user_clear(struct aup_db *db, int64_t user_id, struct aup_err *err);

/* st-log.c: the audit log as stored; appended inside a transaction. */
struct st_log_value {
	int64_t seq;  /* 0, 1, ... within its entry */
	char *name;   /* "subject", "before.first", ... */
	char *digest; /* hex SHA-256 of salt, name and value */
	char *salt;   /* NULL, as VALUE, once purged */
	char *value;
	int64_t purged_by; /* the log.purge entry that erased it, or 0 */
};
struct st_log_row {
	struct aup_log_entry e; /* before, after as stored; no subject */
	int64_t nvalues;	/* as written */
	char *prev;
	char *hash;
	struct st_log_value *v; /* as found, in seq order */
	size_t nv;
};
void st_log_row_clear(struct st_log_row *r);
int st_log_head(struct aup_db *db, int64_t *id, char hash[65],
    struct aup_err *err);
/* Append R with the id R->e.id and its values. */
int st_log_insert(struct aup_db *db, const struct st_log_row *r,
    struct aup_err *err);
/* Each entry in id order (about USER_ID unless 0, from SINCE unless 0,
 * after entry AFTER_ID) with its values; FN returns 0 to go on, 1 to stop,
 * -1 to fail (ERR set). */
typedef int (*st_log_fn)(void *arg, const struct st_log_row *r);
int st_log_walk(struct aup_db *db, int64_t user_id, time_t since,
    int64_t after_id, st_log_fn fn, void *arg, struct aup_err *err);
/* The action of a purge's own entry. */
#define ST_LOG_PURGE "log.purge"
/* log.c: inside the open transaction, erase the personal values the log
 * holds on USER_ID, logged as a purge; their number into *ERASED. */
int log_purge_user(struct aup_db *db, int64_t user_id, int64_t *erased,
    struct aup_err *err);
/* 0 with *USER_ID when entry ID is a purge's entry, 1 when not. */
int st_log_purger(struct aup_db *db, int64_t id, int64_t *user_id,
    struct aup_err *err);
/* How many values of entries about USER_ID are still held. */
int st_log_held(struct aup_db *db, int64_t user_id, int64_t *n,
    struct aup_err *err);
/* Erase them, marked as purged by entry BY. */
int st_log_erase(struct aup_db *db, int64_t user_id, int64_t by,
    struct aup_err *err);

/* st-aup.c: form texts as signed, signatures, the audit. 0 found, 1 not
 * found, -1 error where a thing is looked for. */
struct aup_form;
struct aup_signature;
struct aup_audit_filter;
int st_form_digest(struct aup_db *db, const char *form, int version,
    char **digest, struct aup_err *err);
int st_form_body(struct aup_db *db, const char *form, int version, char **body,
    struct aup_err *err);
int st_form_put(struct aup_db *db, const struct aup_form *f, const char *body,
    const char *digest, time_t now, struct aup_err *err);
int st_sig_get(struct aup_db *db, int64_t user_id, const char *form, int year,
    struct aup_signature *out, struct aup_err *err);
int st_sig_insert(struct aup_db *db, struct aup_signature *g,
    struct aup_err *err);
int st_sig_walk(struct aup_db *db, int64_t user_id,
    int (*fn)(void *, const struct aup_signature *), void *arg,
    struct aup_err *err);
/* A signature by USER_ID of FORM for YEAR, or with ONCE for any year up to
 * it; its day into *SIGNED_ON. */
int st_sig_valid(struct aup_db *db, int64_t user_id, const char *form, int year,
    bool once, time_t *signed_on, struct aup_err *err);
/* leaver.c: aup_leaver_start, its change of status logged as ACTION (the
 * rollover's "year.leaving"). */
int leaver_start_as(struct aup_db *db, const char *ref, time_t leave_on,
    const char *reason, const char *action, struct aup_err *err);
/* st-leaver.c: open USER_ID's checklist (one they had goes) with the N
 * items IDS and LABELS; read it into L (1: none); tick ITEM (1: no such
 * open item); finish it (FORCED: why, if items were open); list them,
 * with OPEN_ONLY the open ones started before BEFORE. */
int st_leaver_put(struct aup_db *db, int64_t user_id, time_t leave_on,
    const char *reason, time_t now, const char *const *ids,
    const char *const *labels, size_t n, struct aup_err *err);
int st_leaver_get(struct aup_db *db, int64_t user_id, struct aup_leaver *l,
    struct aup_err *err);
int st_leaver_tick(struct aup_db *db, int64_t user_id, const char *item,
    time_t now, const char *by, const char *note, struct aup_err *err);
int st_leaver_finish(struct aup_db *db, int64_t user_id, time_t now,
    const char *forced, struct aup_err *err);
int st_leaver_list(struct aup_db *db, bool open_only, time_t before,
    aup_leaver_fn fn, void *arg, struct aup_err *err);
/* st-leaver.c: USER_ID's checklist gone if it is open (they are back). */
int leaver_drop_open(struct aup_db *db, int64_t user_id, struct aup_err *err);
/* st-visitor.c: a visit recorded, with the person's expiry EXPIRES (0:
 * from the first login); a login counted (opening a window that starts at
 * the first); a visit ended (1: it was already); visits walked: USER_ID's,
 * or with OPEN_ONLY those not ended, else all. */
int st_visit_put(struct aup_db *db, int64_t user_id, const char *org,
    int64_t host_id, const char *reason, time_t from, time_t expires,
    int first_login_hours, int max_logins, time_t now, struct aup_err *err);
int st_visit_login(struct aup_db *db, int64_t user_id, time_t now,
    struct aup_err *err);
int st_visit_end(struct aup_db *db, int64_t user_id, time_t now, const char *by,
    struct aup_err *err);
struct aup_visit;
int st_visit_walk(struct aup_db *db, int64_t user_id, bool open_only,
    int (*fn)(void *, const struct aup_visit *), void *arg,
    struct aup_err *err);
/* visitor.c: may visitor ID log in at NOW, by their visit's start, end and
 * login count (1; 1 too for a visitor with no visit recorded); end ID's
 * visit, logged, BY naming who ("check" for the nightly job). */
int visit_may_login(struct aup_db *db, int64_t id, time_t now);
int visit_end_as(struct aup_db *db, int64_t id, const char *by,
    struct aup_err *err);
/* st-purge.c: who is past retention (left before LEFT_BEFORE, visits
 * ended before VISIT_BEFORE), ids and when each became due, in id order;
 * their number; removing one person (signatures kept under PSEUDONYM,
 * their number into *SIGNATURES; the username retired). */
int st_purge_due(struct aup_db *db, time_t left_before, time_t visit_before,
    int64_t **ids, time_t **since, size_t *n, struct aup_err *err);
int st_purge_due_count(struct aup_db *db, time_t left_before,
    time_t visit_before, int64_t *n, struct aup_err *err);
int st_purge_person(struct aup_db *db, int64_t id, const char *username,
    const char *pseudonym, time_t now, int64_t *signatures,
    struct aup_err *err);
/* aup.c: F's text is kept the first time its version is signed (or a
 * consent given on it); a text that changed under a signed version is
 * refused (exit 78, with a hint to raise the version). */
int aup_form_keep(struct aup_db *db, const struct aup_form *f,
    struct aup_err *err);
/* The agreement each kind of person owes for YEAR: by year group (N..13)
 * for pupils, by role for the others (NULL: none); ONCE lists the forms
 * signed once as ",id,id,". */
struct st_due {
	int year;
	const char *by_year[AUP_YEAR_MAX - AUP_YEAR_N + 1];
	const char *by_role[AUP_ROLE_COUNT];
	char *once;
};
typedef int (
    *st_audit_fn)(void *arg, const struct aup_user *u, const char *form);
int st_audit(struct aup_db *db, const struct st_due *d,
    const struct aup_audit_filter *f, st_audit_fn fn, void *arg,
    struct aup_err *err);
/* Each person the audit looks at, with whether they have signed. */
typedef void (*st_audit_count_fn)(void *arg, int role, const char *class_name,
    bool signed_ok);
int st_audit_counts(struct aup_db *db, const struct st_due *d,
    const struct aup_audit_filter *f, st_audit_count_fn fn, void *arg,
    struct aup_err *err);
/* The plan of the audit's reading of the people for F (COUNTING: the
 * summary's), for the index test. */
int st_audit_plan(struct aup_db *db, const struct aup_audit_filter *f,
    bool counting, char **plan, struct aup_err *err);
/* st-year.c: the academic years rolled over. The one of *YEAR (0: the
 * latest), with when and by whom: 0 found, 1 none, -1 error. */
int st_rollover_get(struct aup_db *db, int *year, time_t *at, char **op,
    struct aup_err *err);
/* Record YEAR: 0, 1 when it is there already, -1 error. */
int st_rollover_add(struct aup_db *db, int year, time_t at, const char *op,
    struct aup_err *err);

/* storage.c */
int st_integrity(struct aup_db *db, struct aup_db_report *r,
    struct aup_err *err);
int st_backup(struct aup_db *db, const char *file, struct aup_err *err);

/* user.c: aup_user_edit, logged as ACTION ("import.update"). */
int user_edit_as(struct aup_db *db, const char *ref,
    const struct aup_user_edit *e, const char *action, struct aup_err *err);
/* user.c: aup_user_mark_leaving, logged as ACTION. */
int user_mark_leaving_as(struct aup_db *db, const char *ref, const char *reason,
    const char *action, struct aup_err *err);
/* user.c: REF's status to TO, with REASON and UNTIL (0: none), logged as
 * ACTION; the caller has checked that the change is allowed. */
int user_set_status_as(struct aup_db *db, const char *ref, enum aup_status to,
    const char *reason, time_t until, const char *action, struct aup_err *err);

/* user-hash.c: aup_user_hash each of the N plans V on JOBS threads (0:
 * one a core), calling PROGRESS (may be NULL) now and then with how many
 * are done; the first failure stops them all. */
int user_hash_all(struct aup_db *db, struct aup_user_plan **v, size_t n,
    int jobs, void (*progress)(void *arg, size_t done, size_t total),
    void *progress_arg, struct aup_err *err);

/* log.c: append an entry about USER (may be NULL) in the open transaction.
 * BEFORE and AFTER are JSON objects (aup_json); the values of the members
 * log.c counts as personal (names, email, MIS id, reasons) go beside the
 * chain, as does USER's username. */
int aup_log_add(struct aup_db *db, const char *action,
    const struct aup_user *user, const char *before, const char *after,
    struct aup_err *err);
void aup_log_entry_clear(struct aup_log_entry *e);

/* db.c: aup_db_check, or with NIGHTLY what the nightly check runs: the
 * log chain from its last anchor, without reading every page. */
int db_check(struct aup_db *db, struct aup_db_report *r, bool nightly,
    struct aup_err *err);

/* anchor.c: the log's heads as anchored, oldest first. */
struct log_anchor {
	int64_t id;
	char hash[65];
	char when[40];
};
int log_anchors_read(const char *path, struct log_anchor **out, size_t *n,
    struct aup_err *err);

/* user-list.c: a stored STATUS as it stands at NOW (see
 * aup_user_status_now). */
enum aup_status user_status_at(enum aup_status status, time_t until,
    time_t expires, time_t now);

/* types.c: the index of S in the N NAMES, compared case-blind; -1 when
 * it is none of them (or NULL). */
int name_index(const char *const *names, size_t n, const char *s);

/* forms.c: the forms a handle read, and whether F is for someone of ROLE
 * in year group YEAR. */
struct aup_form;
struct forms {
	struct aup_form *v;
	size_t n;
};
void forms_free(struct forms *fs);
bool form_is_for(const struct aup_form *f, enum aup_role role, int year);

/* password.c: free the word lists a handle loaded (NULL is fine). */
void pw_lists_free(struct pw_lists *l);

/* user.c: read person ID again inside a transaction, into *U; 0, or -1
 * (exit 67 when they were removed meanwhile). */
int user_reread(struct aup_db *db, int64_t id, struct aup_user *u,
    struct aup_err *err);

#endif
