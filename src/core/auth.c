/* The login decision behind `aupctl auth`: who may log in now, a throttle
 * after repeated failures (per account and per client address), and
 * re-hashing when the configured cost changes. Each attempt is counted per
 * user and day rather than logged, so a brute force cannot flood the audit
 * log; only a throttle starting and reaching its ceiling are logged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/aup.h"
#include "aup/clock.h"
#include "aup/json.h"
#include "aup/password.h"
#include "aup/util.h"
#include "core.h"

/* The first wait after lockout_attempts failures, as a part of the
 * longest (lockout_minutes): doubled per failure, it reaches the longest
 * after 5 more failures. */
#define THROTTLE_STEPS 5

const char *
aup_auth_message(enum aup_auth_result r)
{
	switch (r) {
	case AUP_AUTH_OK: return "OK";
	case AUP_AUTH_BAD:
	case AUP_AUTH_LOCKED:
		/* The same words, so that no one learns which it was. */
		return "wrong username or password, or too many tries; wait "
		       "and try again";
	case AUP_AUTH_INACTIVE:
		return "account not active; see the school office";
	case AUP_AUTH_PW_EXPIRED: return "password expired; ask for a new one";
	case AUP_AUTH_UNSIGNED: return "acceptable use agreement not signed";
	}
	return "refused";
}

int
aup_auth_permitted(struct aup_db *db, struct aup_err *err)
{
	return aup_perm(db, AUP_PERM_AUTH, err);
}

static enum aup_auth_result account_state(struct aup_db *db,
    const struct aup_user *u, time_t now);

/* A hash that no password matches, at the configured cost, made once. */
static const char *
dummy_hash(struct aup_db *db)
{
	static char *dummy;

	if (dummy == NULL)
		(void)aup_pw_hash(db->cfg, "no-such-user-dummy", &dummy, NULL);
	return dummy;
}

/* Spend the time of one verify where there is no hash to verify, or no
 * verify may be done (throttled), so that response times do not tell which
 * usernames exist or which accounts are throttled. */
static void
dummy_verify(struct aup_db *db, const char *pw)
{
	const char *dummy = dummy_hash(db);

	if (dummy != NULL)
		(void)aup_pw_verify(dummy, pw);
}

/* The wait after FAILURES failures under ATTEMPTS and MINUTES: none before
 * ATTEMPTS, then MINUTES / 2^THROTTLE_STEPS (rounded up), doubling per
 * failure, at most MINUTES (the hard lock). */
static time_t
throttle_delay(int failures, int attempts, int minutes)
{
	time_t ceiling = (time_t)minutes * 60;
	time_t first = (ceiling + (1 << THROTTLE_STEPS) - 1) >> THROTTLE_STEPS;
	int k;

	if (attempts <= 0 || failures < attempts)
		return 0;
	k = failures - attempts;
	if (k >= 30 || first << k >= ceiling)
		return ceiling;
	return first << k;
}

/* The throttle of client addresses, which are anyone's: the strictest
 * number of attempts of any role, and the longest lock. */
static void
addr_policy(const struct aup_config *cfg, int *attempts, int *minutes)
{
	*attempts = 0;
	*minutes = 1;
	for (int r = 0; r < AUP_ROLE_COUNT; r++) {
		const struct aup_pw_policy *p = &cfg->pw[r];

		if (p->lockout_attempts > 0 &&
		    (*attempts == 0 || p->lockout_attempts < *attempts))
			*attempts = p->lockout_attempts;
		if (p->lockout_minutes > *minutes)
			*minutes = p->lockout_minutes;
	}
}

/*
 * Log a throttle of USER (or, with USER NULL, of ADDR) when it starts and
 * when it reaches its ceiling, each once: not every failure, so a brute
 * force cannot flood the log.
 */
static int
log_throttle(struct aup_db *db, const struct aup_user *user, const char *addr,
    int failures, int attempts, int minutes, time_t until, struct aup_err *err)
{
	time_t delay = throttle_delay(failures, attempts, minutes);
	time_t before = throttle_delay(failures - 1, attempts, minutes);
	struct aup_buf b = { 0 };
	struct aup_json j;
	char when[32];
	int rc;

	if (delay == 0 || (before != 0 && before == delay) ||
	    (before != 0 && delay < (time_t)minutes * 60))
		return 0;
	aup_time_fmt(until, when, sizeof when);
	aup_json_init(&j, &b);
	aup_json_object(&j);
	if (user == NULL)
		aup_json_kstr(&j, "address", addr);
	aup_json_kstr(&j, "locked_until", when);
	aup_json_kint(&j, "failures", failures);
	aup_json_end(&j);
	rc = aup_log_add(db, before == 0 ? "auth.throttle" : "auth.lock", user,
	    NULL, b.data, err);
	aup_buf_free(&b);
	return rc;
}

/* Count a failure from ADDR (any username): its own throttle, forgotten
 * once it has been quiet for twice the longest lock. */
static int
addr_failure(struct aup_db *db, const char *addr, time_t now,
    struct aup_err *err)
{
	struct st_addr a;
	int attempts, minutes;
	time_t forget;

	addr_policy(db->cfg, &attempts, &minutes);
	forget = now - 2 * (time_t)minutes * 60;
	if (st_addr_forget(db, forget, err) != 0 ||
	    st_addr_get(db, addr, &a, err) != 0)
		return -1;
	a.failures++;
	a.last_failure = now;
	a.locked_until = throttle_delay(a.failures, attempts, minutes);
	if (a.locked_until != 0)
		a.locked_until += now;
	if (st_addr_put(db, addr, &a, err) != 0)
		return -1;
	return log_throttle(db, NULL, addr, a.failures, attempts, minutes,
	    a.locked_until, err);
}

/* Count a failure against U, once per client address ADDR when known. */
static int
user_failure(struct aup_db *db, const struct aup_user *u, const char *addr,
    time_t now, struct aup_err *err)
{
	const struct aup_pw_policy *pol = &db->cfg->pw[u->role];
	time_t until;
	int rc, failures = u->failures + 1;

	if (addr != NULL && (rc = st_addr_user_add(db, addr, u->id, err)) <= 0)
		return rc;
	until = throttle_delay(failures, pol->lockout_attempts,
	    pol->lockout_minutes);
	if (until != 0)
		until += now;
	if (st_auth_set(db, u->id, failures, until, u->last_login, err) != 0)
		return -1;
	return log_throttle(db, u, NULL, failures, pol->lockout_attempts,
	    pol->lockout_minutes, until, err);
}

static bool
same_hash(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/*
 * Count one attempt by person ID (0: no such person) from ADDR (or NULL)
 * with password PW, which matched the hash VERIFIED (MATCH) or not (NULL:
 * not checked, since throttled or without a password when read), and
 * decide RESULT. All inside one transaction on a fresh read, since other
 * helpers and commands write too: a throttle set meanwhile refuses, and if
 * the hash changed since it was verified (a new password, or another
 * helper's re-hash) PW is verified again against the stored one. NEWHASH,
 * a re-hash of PW at the configured cost, is stored only when the login is
 * granted against the very hash it replaces. A right password for an
 * account that may not log in now is neither a failure nor a login; a try
 * refused while throttled is neither checked nor counted as a failure.
 */
static int
record(struct aup_db *db, int64_t id, const char *addr, const char *pw,
    const char *verified, bool match, const char *newhash,
    enum aup_auth_result *result, struct aup_err *err)
{
	struct aup_user u = { 0 };
	struct st_addr a = { 0 };
	char *stored = NULL;
	time_t now = aup_now();
	bool stale = false, granted = false, throttled;

	*result = AUP_AUTH_BAD;
	if (st_begin(db, err) != 0)
		return -1;
	if (id != 0 &&
	    (user_reread(db, id, &u, err) != 0 ||
		st_pw_get(db, id, &stored, err) != 0))
		goto fail;
	if (addr != NULL && st_addr_get(db, addr, &a, err) != 0)
		goto fail;
	throttled = a.locked_until > now || (id != 0 && u.locked_until > now);
	if (throttled) {
		*result = AUP_AUTH_LOCKED;
		match = false;
	} else if (id != 0 && !same_hash(stored, verified)) {
		stale = true;
		match = stored != NULL && aup_pw_verify(stored, pw) == 1;
	}
	if (match) {
		*result = account_state(db, &u, now);
		granted = *result == AUP_AUTH_OK;
	}
	if (granted &&
	    (st_auth_set(db, id, 0, 0, now, err) != 0 ||
		st_addr_user_clear(db, id, err) != 0 ||
		(u.role == AUP_ROLE_VISITOR &&
		    st_visit_login(db, id, now, err) != 0)))
		goto fail;
	if (!match && !throttled &&
	    ((addr != NULL && addr_failure(db, addr, now, err) != 0) ||
		(id != 0 && user_failure(db, &u, addr, now, err) != 0)))
		goto fail;
	if (id != 0 && st_auth_count(db, id, granted, err) != 0)
		goto fail;
	if (granted && !stale && newhash != NULL &&
	    (st_pw_set(db, id, newhash, u.pw_changed, u.must_change, err) !=
		    0 ||
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
	/* A visitor's within their window and their logins. */
	if (u->role == AUP_ROLE_VISITOR && !visit_may_login(db, u->id, now))
		return AUP_AUTH_INACTIVE;
	/* A leaver's access ends with their leaving day. */
	if (st == AUP_STATUS_LEAVING && u->status_until != 0 &&
	    u->status_until <= now)
		return AUP_AUTH_INACTIVE;
	if (aup_pw_state(db->cfg, u, now, 0, NULL) == AUP_PW_EXPIRED)
		return AUP_AUTH_PW_EXPIRED;
	if (db->cfg->aup_enforce) {
		struct aup_standing a;
		struct aup_err e;

		/* A database that cannot say refuses, as any doubt does. */
		if (aup_standing(db, u, now, &a, &e) != 0 || a.enforced)
			return AUP_AUTH_UNSIGNED;
	}
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
aup_auth_from(struct aup_db *db, const char *user, const char *pw,
    const char *addr, enum aup_auth_result *result, struct aup_err *err)
{
	struct aup_user u = { 0 };
	struct st_addr a = { 0 };
	char *hash = NULL, *newhash = NULL;
	const char *verified = NULL; /* the hash PW was checked against */
	time_t now = aup_now();
	int rc, match = 0;
	bool found;

	*result = AUP_AUTH_BAD;
	if (aup_perm(db, AUP_PERM_AUTH, err) != 0)
		return -1;
	/* Made before any answer, so the first answer of every kind costs
	 * the same. */
	(void)dummy_hash(db);
	if ((rc = st_user_get_name(db, user, &u, err)) < 0)
		return -1;
	found = rc == 0;
	rc = -1;
	if ((found && st_pw_get(db, u.id, &hash, err) != 0) ||
	    (addr != NULL && st_addr_get(db, addr, &a, err) != 0))
		goto out;
	/* Unknown, without a password, or throttled: the same verify, the
	 * same time, against a hash that nothing matches. */
	if (hash == NULL || a.locked_until > now || u.locked_until > now)
		dummy_verify(db, pw);
	else if ((match = aup_pw_verify(hash, pw)) < 0) {
		aup_err_set(err, AUP_EX_SOFTWARE,
		    "the stored hash of %s is malformed", u.username);
		goto out;
	} else
		verified = hash;
	/* Re-hash before the write lock is taken: Argon2 is the slow part. */
	if (match == 1 && account_state(db, &u, now) == AUP_AUTH_OK &&
	    aup_pw_outdated(db->cfg, hash) &&
	    aup_pw_hash(db->cfg, pw, &newhash, err) != 0)
		goto out;
	if ((found || addr != NULL) &&
	    record(db, found ? u.id : 0, addr, pw, verified, match == 1,
		newhash, result, err) != 0)
		goto out;
	rc = 0;
out:
	aup_secret_free(newhash);
	free(hash);
	aup_user_clear(&u);
	return rc;
}

int
aup_auth(struct aup_db *db, const char *user, const char *pw,
    enum aup_auth_result *result, struct aup_err *err)
{
	return aup_auth_from(db, user, pw, NULL, result, err);
}

int
aup_user_unlock(struct aup_db *db, const char *ref, struct aup_err *err)
{
	struct aup_user *found, u = { 0 };
	struct aup_buf b = { 0 };
	struct aup_json j;
	char when[32];
	time_t now = aup_now();
	int rc = -1;

	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0 ||
	    aup_user_find(db, ref, &found, err) != 0)
		return -1;
	if (st_begin(db, err) != 0)
		goto out;
	if (user_reread(db, found->id, &u, err) != 0)
		goto fail;
	if (u.failures == 0 && u.locked_until <= now) {
		st_rollback(db);
		rc = 1;
		goto out;
	}
	aup_time_fmt(u.locked_until > now ? u.locked_until : 0, when,
	    sizeof when);
	aup_json_init(&j, &b);
	aup_json_object(&j);
	aup_json_kint(&j, "failures", u.failures);
	aup_json_kstr(&j, "locked_until", when[0] != '\0' ? when : NULL);
	aup_json_end(&j);
	if (st_auth_set(db, u.id, 0, 0, u.last_login, err) != 0 ||
	    st_addr_user_clear(db, u.id, err) != 0 ||
	    aup_log_add(db, "user.unlock", &u, b.data, NULL, err) != 0 ||
	    st_commit(db, err) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	st_rollback(db);
out:
	aup_buf_free(&b);
	aup_user_clear(&u);
	aup_user_free(found);
	return rc;
}
