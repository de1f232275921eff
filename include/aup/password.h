/* Passwords: Argon2id hashing, the strength policy, history, rotation,
 * lockout, generated passphrases and the login decision. */
#ifndef AUP_PASSWORD_H
#define AUP_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "aup/config.h"
#include "aup/db.h"
#include "aup/error.h"
#include "aup/user.h"

#define AUP_PW_MAX 1024 /* longest password read from anywhere */

/* Hash PW as an Argon2id PHC string with the configured cost; pure and
 * thread-safe. */
int  aup_pw_hash(const struct aup_config *cfg, const char *pw, char **phc,
     struct aup_err *err);
/* 1 match, 0 no match, -1 malformed hash. Constant time in the library. */
int  aup_pw_verify(const char *phc, const char *pw);
/* True when PHC was made with a cost other than the configured one. */
bool aup_pw_outdated(const struct aup_config *cfg, const char *phc);

/* The rules of the strength policy, in the order they are checked; a
 * password is refused for the first it breaks. */
enum aup_pw_rule {
	AUP_PW_RULE_NONE,	     /* accepted */
	AUP_PW_RULE_TEXT,	     /* control characters, not UTF-8 */
	AUP_PW_RULE_USERNAME,	     /* contains the person's username */
	AUP_PW_RULE_NAME,	     /* ... their first or last name */
	AUP_PW_RULE_SCHOOL,	     /* ... the school's name, or a
					distinctive word of it */
	AUP_PW_RULE_BLOCKLIST,	     /* common or leaked */
	AUP_PW_RULE_BLOCKLIST_ADDED, /* ... with digits or symbols added */
	AUP_PW_RULE_TOO_SHORT,	     /* under the role's min_length */
	AUP_PW_RULE_TOO_LONG,	     /* over its max_length */
	AUP_PW_RULE_REPEATED,	     /* one character four times in a row */
	AUP_PW_RULE_SEQUENCE,	     /* abcd, 4321 */
	AUP_PW_RULE_PATTERN,	     /* one short pattern repeated */
	AUP_PW_RULE_KEYBOARD,	     /* qwer, asdf */
	AUP_PW_RULE_REUSED,	     /* one of the last history passwords
					(set and reset only) */
	AUP_PW_RULE_COUNT
};
/* "too-short", "blocklist", ...: a name for machines. */
const char *aup_pw_rule_name(enum aup_pw_rule rule);

/* Why a password was refused. */
struct aup_pw_verdict {
	enum aup_pw_rule rule;	      /* AUP_PW_RULE_NONE: accepted */
	char		 reason[160]; /* in plain words: "it is too
					 short: staff passwords need
					 at least 12 characters" */
};

/* Would policy accept PW for U (or, with U NULL, for anyone of ROLE)? The
 * history is not consulted here, so that no one can test guesses at a
 * current password with it; set and reset check it.
 * 0 yes; -1 with exit 65 and the rule that failed in V (may be NULL) and,
 * as "password not accepted: REASON", in ERR (field "password"). */
int aup_pw_check(struct aup_db *db, const struct aup_user *u,
    enum aup_role role, const char *pw, struct aup_pw_verdict *v,
    struct aup_err *err);

/*
 * What the rules read from outside the password: the configuration, the
 * school's name, the blocklist and the word list. Made once (the lists are
 * the handle's, loaded once), read-only afterwards, so that several threads
 * can generate, check and hash with one at the same time. DB must outlive
 * it; it holds the school's name as it was when made.
 */
struct aup_pw_rules;
struct aup_pw_rules *aup_pw_rules_new(struct aup_db *db, struct aup_err *err);
void		     aup_pw_rules_free(struct aup_pw_rules *r);
/* aup_pw_check and aup_pw_generate without the database: thread-safe. */
int aup_pw_rules_check(const struct aup_pw_rules *r, const struct aup_user *u,
    enum aup_role role, const char *pw, struct aup_pw_verdict *v,
    struct aup_err *err);
int aup_pw_rules_generate(const struct aup_pw_rules *r,
    const struct aup_user *u, enum aup_role role, char **pw,
    struct aup_err *err);

/* Set REF's password to PW after the policy and history checks. */
int  aup_pw_set(struct aup_db *db, const char *ref, const char *pw,
     struct aup_err *err);
/* Does someone of ROLE in year group YEAR have a login and password of
 * their own? Not young pupils, below [pupils] individual_accounts_from:
 * they use their class logon. */
bool aup_own_login(const struct aup_config *cfg, enum aup_role role, int year);
/* Give REF a generated passphrase, returned once in *PW; must_change. */
int  aup_pw_reset(struct aup_db *db, const char *ref, char **pw,
     struct aup_err *err);
/* A passphrase for U (or, with U NULL, anyone) of ROLE, long enough for
 * its policy and free of U's names. */
int  aup_pw_generate(struct aup_db *db, const struct aup_user *u,
     enum aup_role role, char **pw, struct aup_err *err);

/* Password age for U at NOW. */
enum aup_pw_state {
	AUP_PW_NONE, /* no password of their own */
	AUP_PW_OK,
	AUP_PW_EXPIRING, /* within the role's warn_days, or WITHIN */
	AUP_PW_EXPIRED,
};
enum aup_pw_state aup_pw_state(const struct aup_config *cfg,
    const struct aup_user *u, time_t now, int within, time_t *expires);
const char	 *aup_pw_state_name(enum aup_pw_state s);

/* People whose password has expired or, with WITHIN > 0 days, will. With
 * MARK, expired ones get must_change set (logged). */
int aup_pw_expired(struct aup_db *db, int within, bool mark,
    struct aup_user_list *out, struct aup_err *err);

/* The login decision for the auth helper. On the wire a locked account, an
 * unknown user and a wrong password look and time the same: see
 * aup_auth_message. */
enum aup_auth_result {
	AUP_AUTH_OK,
	AUP_AUTH_BAD,	   /* unknown user or wrong password */
	AUP_AUTH_LOCKED,   /* refused unchecked: too many failures of the
			      account or the client address, for now */
	AUP_AUTH_INACTIVE, /* suspended, left, expired */
	AUP_AUTH_PW_EXPIRED,
	AUP_AUTH_UNSIGNED, /* AUP not signed where enforced */
};
/* What to tell the client: the same words for BAD and LOCKED. */
const char *aup_auth_message(enum aup_auth_result r);
/* May this process answer login requests (the operator's auth role)? 0, or
 * -1 with exit 77. */
int	    aup_auth_permitted(struct aup_db *db, struct aup_err *err);
/*
 * Decide whether USER may log in with PW, counting a failure for the
 * throttle: after the role's lockout_attempts failures in a row each
 * further try waits, lockout_minutes / 32 at first, doubling per failure
 * up to lockout_minutes (the hard lock). ADDR, the client's address or
 * NULL, is throttled by its own count, and an account counts one failure
 * per address, so that one machine slows itself down, not the accounts it
 * tries. Refused tries while throttled are not counted, and are verified
 * against a dummy hash so they take the time of a real answer. Returns 0
 * with *RESULT set, or -1 on an internal error.
 */
int	    aup_auth_from(struct aup_db *db, const char *user, const char *pw,
	    const char *addr, enum aup_auth_result *result, struct aup_err *err);
/* aup_auth_from with no address. */
int	    aup_auth(struct aup_db *db, const char *user, const char *pw,
	    enum aup_auth_result *result, struct aup_err *err);
/* The account side alone (PAM's account stack): may USER log in now? */
int	    aup_auth_account(struct aup_db *db, const char *user,
	    enum aup_auth_result *result, struct aup_err *err);
/* Lift REF's lock and throttle (office and up; logged). 0 lifted, 1 there
 * was none (nothing logged), -1 error. */
int aup_user_unlock(struct aup_db *db, const char *ref, struct aup_err *err);

/* Keep this process's memory, which holds passwords, out of core dumps
 * and debuggers: not dumpable, core size 0. */
int aup_secure_process(struct aup_err *err);

#endif
