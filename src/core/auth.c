/* The login decision behind `aupctl auth`: who may log in now, lockout after
 * repeated failures, and re-hashing when the configured cost changes. Each
 * attempt is counted per user and day rather than logged, so a brute force
 * cannot flood the audit log; only a lock being set is logged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/clock.h"
#include "aup/password.h"
#include "aup/util.h"
#include "core.h"

const char *
aup_auth_message(enum aup_auth_result r)
{
	switch (r) {
	case AUP_AUTH_OK:
		return "OK";
	case AUP_AUTH_BAD:
		return "wrong username or password";
	case AUP_AUTH_LOCKED:
		return "account locked after too many failed logins; try later";
	case AUP_AUTH_INACTIVE:
		return "account not active; see the school office";
	case AUP_AUTH_PW_EXPIRED:
		return "password expired; ask for a new one";
	case AUP_AUTH_UNSIGNED:
		return "acceptable use agreement not signed";
	}
	return "refused";
}

static enum aup_auth_result account_state(struct aup_db *db,
    const struct aup_user *u, time_t now);

/* Spend the time of one verify for an unknown user, so that response times
 * do not tell which usernames exist. */
static void
dummy_verify(struct aup_db *db, const char *pw)
{
	static char *dummy;

	if (dummy == NULL && aup_pw_hash(db->cfg, "no-such-user-dummy", &dummy,
	    NULL) != 0)
		return;
	(void)aup_pw_verify(dummy, pw);
}

/*
 * Count one attempt by user ID with password PW, which matched the hash
 * VERIFIED (MATCH) or not, and decide RESULT. All inside one transaction
 * on a fresh read, since other helpers and commands write too: a lock set
 * meanwhile refuses, and if the hash changed since it was verified (a new
 * password, or another helper's re-hash) PW is verified again against the
 * stored one. NEWHASH, a re-hash of PW at the configured cost, is stored
 * only when the login is granted against the very hash it replaces. A
 * right password for an account that may not log in now is neither a
 * failure for lockout nor a login.
 */
static int
record(struct aup_db *db, int64_t id, const char *pw, const char *verified,
    bool match, const char *newhash, enum aup_auth_result *result,
    struct aup_err *err)
{
	const struct aup_pw_policy *pol;
	struct aup_user u = { 0 };
	char *stored = NULL;
	time_t now = aup_now(), locked;
	bool stale, granted;
	int failures;

	if (st_begin(db, err) != 0)
		return -1;
	if (user_reread(db, id, &u, err) != 0 ||
	    st_pw_get(db, id, &stored, err) != 0)
		goto fail;
	stale = stored == NULL || strcmp(stored, verified) != 0;
	if (stale)
		match = stored != NULL && aup_pw_verify(stored, pw) == 1;
	pol = &db->cfg->pw[u.role];
	*result = match ? account_state(db, &u, now) : AUP_AUTH_BAD;
	if (!match && u.locked_until > now)
		*result = AUP_AUTH_LOCKED;
	granted = *result == AUP_AUTH_OK;
	locked = u.locked_until > now ? u.locked_until : 0;
	failures = granted ? 0 : match || locked ? u.failures :
	    u.failures + 1;
	if (!match && locked == 0 && pol->lockout_attempts > 0 &&
	    failures >= pol->lockout_attempts) {
		char after[96], until[32];

		locked = now + (time_t)pol->lockout_minutes * 60;
		failures = 0;
		*result = AUP_AUTH_LOCKED;
		aup_time_fmt(locked, until, sizeof until);
		snprintf(after, sizeof after, "{\"locked_until\":\"%s\","
		    "\"failures\":%d}", until, pol->lockout_attempts);
		if (aup_log_add(db, "auth.lock", &u, NULL, after, err) != 0)
			goto fail;
	}
	if (st_auth_set(db, u.id, failures, locked, granted ? now :
	    u.last_login, err) != 0 || st_auth_count(db, u.id, granted,
	    err) != 0)
		goto fail;
	if (granted && !stale && newhash != NULL && (st_pw_set(db, u.id,
	    newhash, u.pw_changed, u.must_change, err) != 0 ||
	    aup_log_add(db, "password.rehash", &u, NULL, NULL, err) != 0))
		goto fail;
	if (st_commit(db, err) != 0)
		goto fail;
	free(stored);
	aup_user_clear(&u);
	return 0;
fail:
	st_rollback(db);
	*result = AUP_AUTH_BAD;
	free(stored);
	aup_user_clear(&u);
	return -1;
}

/* May U log in now, password aside? */
static enum aup_auth_result
account_state(struct aup_db *db, const struct aup_user *u, time_t now)
{
	enum aup_status st = aup_user_status_now(u, now);

	if (u->locked_until > now)
		return AUP_AUTH_LOCKED;
	if (st != AUP_STATUS_ACTIVE && st != AUP_STATUS_LEAVING)
		return AUP_AUTH_INACTIVE;
	if (aup_pw_state(db->cfg, u, now, 0, NULL) == AUP_PW_EXPIRED)
		return AUP_AUTH_PW_EXPIRED;
	/* AUP enforcement ([aup] enforce) joins here once signatures are
	 * recorded (the AUP issue); until then no one is refused for it. */
	return AUP_AUTH_OK;
}

int
aup_auth_account(struct aup_db *db, const char *user,
    enum aup_auth_result *result, struct aup_err *err)
{
	struct aup_user u;
	int rc;

	*result = AUP_AUTH_BAD;
	if (aup_perm(db, AUP_PERM_AUTH, err) != 0)
		return -1;
	if ((rc = st_user_get_name(db, user, &u, err)) != 0)
		return rc < 0 ? -1 : 0;
	*result = u.has_password ? account_state(db, &u, aup_now()) :
	    AUP_AUTH_BAD;
	aup_user_clear(&u);
	return 0;
}

int
aup_auth(struct aup_db *db, const char *user, const char *pw,
    enum aup_auth_result *result, struct aup_err *err)
{
	struct aup_user u;
	char *hash = NULL, *newhash = NULL;
	time_t now = aup_now();
	int rc, match;

	*result = AUP_AUTH_BAD;
	if (aup_perm(db, AUP_PERM_AUTH, err) != 0)
		return -1;
	rc = st_user_get_name(db, user, &u, err);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		dummy_verify(db, pw);
		return 0;
	}
	if (u.locked_until > now) {
		*result = AUP_AUTH_LOCKED;
		aup_user_clear(&u);
		return 0;
	}
	if (st_pw_get(db, u.id, &hash, err) != 0) {
		aup_user_clear(&u);
		return -1;
	}
	if (hash == NULL) {
		dummy_verify(db, pw);
		aup_user_clear(&u);
		return 0;
	}
	rc = -1;
	match = aup_pw_verify(hash, pw);
	if (match < 0) {
		aup_err_set(err, AUP_EX_SOFTWARE, "the stored hash of %s is "
		    "malformed", u.username);
		goto out;
	}
	/* Re-hash before the write lock is taken: Argon2 is the slow part. */
	if (match == 1 && account_state(db, &u, now) == AUP_AUTH_OK &&
	    aup_pw_outdated(db->cfg, hash) &&
	    aup_pw_hash(db->cfg, pw, &newhash, err) != 0)
		goto out;
	if (record(db, u.id, pw, hash, match == 1, newhash, result,
	    err) != 0)
		goto out;
	rc = 0;
out:
	free(hash);
	free(newhash);
	aup_user_clear(&u);
	return rc;
}
