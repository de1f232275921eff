/* Opening the school's database, who is using it, and the whole-database
 * operations: init, check and backup. */
#ifndef AUP_DB_H
#define AUP_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "aup/config.h"
#include "aup/error.h"
#include "aup/operator.h"

struct aup_db;

#define AUP_DB_CREATE 0x1 /* create the file (aupctl init) */

/*
 * Open the database at PATH, else $AUPCTL_DB, else [database] path, else
 * $XDG_DATA_HOME/aupctl/aupctl.db. Applies pending migrations, then finds
 * the operator's role in the database. The config stays owned by the
 * caller and must outlive the handle.
 *
 * A privileged run (see aup_config_load) takes only [database] path, else
 * /var/lib/aupctl/aupctl.db: PATH is refused (78). A database that exists
 * but is closed to the effective user is 77, not "no database".
 */
struct aup_db *aup_db_open(const struct aup_config *cfg, const char *path,
    int flags, struct aup_err *err);
void	       aup_db_close(struct aup_db *db);
/* Close DB and delete its files: for a new database that init could not
 * finish, so that nothing half-made is left behind. */
void	       aup_db_discard(struct aup_db *db);

/* The path aup_db_open would use for PATH; a new string. */
char *aup_db_path_resolve(const struct aup_config *cfg, const char *path);

const char		*aup_db_path(const struct aup_db *db);
const struct aup_config *aup_db_config(const struct aup_db *db);
/* The operator: login name of the real user (SUDO_USER when the real user
 * is root). */
const char		*aup_db_operator(const struct aup_db *db);
/* Their role (enum aup_op_role) as the database said when it opened: admin
 * when it records no operator; -1 when they are not one. */
int			 aup_db_op_role(const struct aup_db *db);

/*
 * A unit of work over many changes. Transactions nest: the outermost is one
 * database transaction, each inner one a savepoint, so a bulk job can give
 * every row its own level and drop one row while keeping the rest. Each
 * aup_ call that changes something opens its own level inside the caller's.
 * A dry run is the real run ended by aup_tx_rollback.
 */
int  aup_tx_begin(struct aup_db *db, struct aup_err *err);
int  aup_tx_commit(struct aup_db *db, struct aup_err *err);
/* Undo the innermost level only. */
void aup_tx_rollback(struct aup_db *db);

/* Record the school in a new database. */
int aup_db_init(struct aup_db *db, const char *school, int final_year,
    struct aup_err *err);

struct aup_school {
	char *name;
	int   final_year;
	int   academic_year; /* 2026 for 2026-27 */
	char  year_label[8]; /* "2026-27" */
};
int  aup_school_get(struct aup_db *db, struct aup_school *out,
     struct aup_err *err);
void aup_school_clear(struct aup_school *s);

struct aup_db_report {
	bool	integrity_ok;
	char	integrity[256]; /* first problem integrity_check found */
	long	fk_violations;
	bool	log_ok;
	int64_t log_entries;
	int64_t log_bad_id; /* first entry that breaks the chain */
	char	log_problem[256];
};
/* Integrity, foreign keys and the audit log chain; returns 0 when the check
 * ran (look at the report), -1 on error. */
int aup_db_check(struct aup_db *db, struct aup_db_report *r,
    struct aup_err *err);
/* Online copy to FILE (created 0600, must not exist). */
int aup_db_backup(struct aup_db *db, const char *file, struct aup_err *err);

#endif
