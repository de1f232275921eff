/* Private to the core: storing a new password hash with its history. */
#ifndef AUP_PWSTORE_H
#define AUP_PWSTORE_H

#include "core.h"

/* Check PW for U against policy and (unless FRESH, just generated) its
 * history, and hash it into *PHC: before any transaction, as it is slow. */
int pw_prepare(struct aup_db *db, const struct aup_user *u, const char *pw,
    bool fresh, char **phc, struct aup_err *err);
/* Store PHC as U's password, with history, inside the caller's
 * transaction. */
int pw_store(struct aup_db *db, const struct aup_user *u, const char *phc,
    bool must_change, struct aup_err *err);

/* Store PHC (hashed before) as person ID's password, read afresh and
 * checked again, with a log entry ACTION, in a level of its own inside the
 * caller's transaction; RESET: generated, to be changed at first login. */
int pw_install(struct aup_db *db, int64_t id, const char *phc, bool reset,
    const char *action, struct aup_err *err);

/* What the rules need from outside; see aup_pw_rules_new. */
struct aup_pw_rules {
	const struct aup_config *cfg;
	const struct pw_lists *lists; /* the handle's */
	char *school;
};

/* The blocklist and the passphrase words built into the binary, generated
 * from data/ by embed.py; [password] blocklist and wordlist name files to
 * use instead. */
enum { PW_BUILTIN_BLOCK, PW_BUILTIN_WORDS };
extern const char *const pw_builtin[];
extern const int pw_nbuiltin;

/* aup_pw_rules_new, loading the passphrase words only when WORDS asks. */
struct aup_pw_rules *pw_rules_new(struct aup_db *db, bool words,
    struct aup_err *err);

/* May someone of ROLE in YEAR have a password of their own? Pupils below
 * [pupils] individual_accounts_from use their class logon. */
int pw_allowed(const struct aup_config *cfg, enum aup_role role, int year,
    struct aup_err *err);

#endif
