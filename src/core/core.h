/* Private to the core: the database handle, the storage module's functions
 * (the only place that speaks SQL) and the operator permission check. */
#ifndef AUP_CORE_H
#define AUP_CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "aup/config.h"
#include "aup/db.h"
#include "aup/error.h"
#include "aup/log.h"
#include "aup/user.h"

struct sqlite3;
struct st_cached;
struct pw_lists;

struct aup_db {
	struct sqlite3			*sql;
	struct st_cached		*stmts;		/* see storage.c */
	size_t				 nstmts;
	char				*path;
	const struct aup_config		*cfg;
	char				*operator;
	int				 op_role;	/* -1: not an operator */
	int				 tx_depth;	/* open transactions */
	int64_t				 busy_since;	/* microseconds */
	struct pw_lists			*pw_lists;	/* see password.c */
};

/* What an operation needs of the operator (spec section 9). */
enum aup_perm {
	AUP_PERM_READ,		/* look at anything */
	AUP_PERM_PEOPLE,	/* add, edit, suspend people */
	AUP_PERM_PW_PUPIL,	/* set or reset pupils', visitors' passwords */
	AUP_PERM_PW_ALL,	/* anyone's password */
	AUP_PERM_AUTH,		/* answer login requests */
	AUP_PERM_MANAGE,	/* create the database, import, back up */
	AUP_PERM_ADMIN,		/* retention and operator matters */
};
int	aup_perm(struct aup_db *db, enum aup_perm need, struct aup_err *err);
/* The permission needed to change the password of someone of ROLE. */
enum aup_perm	aup_perm_pw(enum aup_role role);

/* storage.c: the engine. */
int	st_open(struct aup_db *db, bool create, struct aup_err *err);
void	st_close(struct aup_db *db);
/* Remove the database file at PATH and SQLite's files beside it. */
void	st_remove(const char *path);
int	st_begin(struct aup_db *db, struct aup_err *err);
int	st_commit(struct aup_db *db, struct aup_err *err);
/* Nest: the outermost is a transaction, inner ones savepoints; a rollback
 * undoes only its own level. */
void	st_rollback(struct aup_db *db);
int	st_tx_depth(const struct aup_db *db);

/* st-meta.c */
int	st_meta_get(struct aup_db *db, const char *key, char **val,
	    struct aup_err *err);
int	st_meta_set(struct aup_db *db, const char *key, const char *val,
	    struct aup_err *err);

/* st-user.c */
int	st_user_insert(struct aup_db *db, struct aup_user *u,
	    struct aup_err *err);
/* 0 found, 1 not found, -1 error. */
int	st_user_get_id(struct aup_db *db, int64_t id, struct aup_user *u,
	    struct aup_err *err);
int	st_user_get_name(struct aup_db *db, const char *name,
	    struct aup_user *u, struct aup_err *err);
int	st_user_get_mis(struct aup_db *db, const char *mis, struct aup_user *u,
	    struct aup_err *err);
int	st_user_update(struct aup_db *db, const struct aup_user *u,
	    struct aup_err *err);
int	st_user_list(struct aup_db *db, const struct aup_user_filter *f,
	    struct aup_user_list *out, struct aup_err *err);
/* 1 taken, 0 free, -1 error. */
int	st_username_taken(struct aup_db *db, const char *name,
	    struct aup_err *err);

/* st-password.c: hashes, history, login counters. */
/* The stored PHC string, or NULL in *HASH when there is none. */
int	st_pw_get(struct aup_db *db, int64_t user_id, char **hash,
	    struct aup_err *err);
int	st_pw_set(struct aup_db *db, int64_t user_id, const char *hash,
	    time_t changed, bool must_change, struct aup_err *err);
int	st_must_change(struct aup_db *db, int64_t user_id, bool must,
	    struct aup_err *err);
int	st_hist_add(struct aup_db *db, int64_t user_id, const char *hash,
	    time_t at, int keep, struct aup_err *err);
/* The newest N hashes of the history, newest first. */
int	st_hist_list(struct aup_db *db, int64_t user_id, int n, char ***hashes,
	    size_t *count, struct aup_err *err);
int	st_auth_set(struct aup_db *db, int64_t user_id, int failures,
	    time_t locked_until, time_t last_login, struct aup_err *err);
/* Count a login attempt in the daily counters (not in the audit log). */
int	st_auth_count(struct aup_db *db, int64_t user_id, bool ok,
	    struct aup_err *err);
/* Active people with a password changed before CUTOFF, in role ROLE. */
int	st_pw_age_list(struct aup_db *db, enum aup_role role, time_t cutoff,
	    struct aup_user_list *out, struct aup_err *err);

/* st-log.c: the audit log; appended inside a transaction. */
int	st_log_head(struct aup_db *db, int64_t *id, char hash[65],
	    struct aup_err *err);
int	st_log_insert(struct aup_db *db, const struct aup_log_entry *e,
	    const char *prev, const char *hash, struct aup_err *err);
int	st_log_list(struct aup_db *db, int64_t user_id, time_t since,
	    struct aup_log_list *out, struct aup_err *err);
/* Every entry in order with its stored chain hashes, for verification. */
typedef int (*st_log_fn)(void *arg, const struct aup_log_entry *e,
    const char *prev, const char *hash);
int	st_log_walk(struct aup_db *db, st_log_fn fn, void *arg,
	    struct aup_err *err);

/* storage.c */
int	st_integrity(struct aup_db *db, struct aup_db_report *r,
	    struct aup_err *err);
int	st_backup(struct aup_db *db, const char *file, struct aup_err *err);

/* log.c: append an entry about USER (may be NULL) in the open transaction. */
int	aup_log_add(struct aup_db *db, const char *action,
	    const struct aup_user *user, const char *before, const char *after,
	    struct aup_err *err);
void	aup_log_entry_clear(struct aup_log_entry *e);

/* password.c: free the word lists a handle loaded (NULL is fine). */
void	pw_lists_free(struct pw_lists *l);

/* user.c: read person ID again inside a transaction, into *U; 0, or -1
 * (exit 67 when they were removed meanwhile). */
int	user_reread(struct aup_db *db, int64_t id, struct aup_user *u,
	    struct aup_err *err);

#endif
