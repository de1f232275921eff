/* Passwords: hashes are Argon2id PHC strings; the policy refuses weak ones
 * with the rule named; history, rotation and the login throttle follow the
 * clock. */
#include "fixture.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <sqlite3.h>

#include "aup/log.h"
#include "aup/password.h"
#include "aup/user.h"

static void
test_hash_verify(void **state)
{
	struct fixture *f = *state;
	char *a, *b;

	assert_int_equal(aup_pw_hash(f->cfg, "maple-otter-cloud-42", &a,
			     &f->err),
	    0);
	assert_int_equal(strncmp(a, "$argon2id$v=19$m=64,t=1,p=1$", 28), 0);
	assert_int_equal(aup_pw_verify(a, "maple-otter-cloud-42"), 1);
	assert_int_equal(aup_pw_verify(a, "maple-otter-cloud-43"), 0);
	assert_int_equal(aup_pw_verify("plain", "plain"), -1);
	/* A fresh salt every time. */
	assert_int_equal(aup_pw_hash(f->cfg, "maple-otter-cloud-42", &b,
			     &f->err),
	    0);
	assert_string_not_equal(a, b);
	assert_false(aup_pw_outdated(f->cfg, a));
	f->cfg->argon2_t = 2;
	assert_true(aup_pw_outdated(f->cfg, a));
	free(a);
	free(b);
}

/* The rules expect_reject has seen refuse a password. */
static bool rules_seen[AUP_PW_RULE_COUNT];

/* PW is refused by RULE, with WHY in the reason; the error says the same
 * reason and is about the password. */
static void
expect_reject(struct fixture *f, const struct aup_user *u, enum aup_role r,
    const char *pw, enum aup_pw_rule rule, const char *why)
{
	struct aup_pw_verdict v;
	char msg[256];

	aup_err_clear(&f->err);
	if (aup_pw_check(f->db, u, r, pw, &v, &f->err) == 0)
		fail_msg("'%s' was accepted", pw);
	assert_int_equal(f->err.code, AUP_EX_DATAERR);
	if (v.rule != rule)
		fail_msg("'%s': wanted rule %s, got %s (%s)", pw,
		    aup_pw_rule_name(rule), aup_pw_rule_name(v.rule), v.reason);
	if (strstr(v.reason, why) == NULL)
		fail_msg("'%s': wanted '%s' in '%s'", pw, why, v.reason);
	snprintf(msg, sizeof msg, "password not accepted: %s", v.reason);
	assert_string_equal(f->err.msg, msg);
	assert_string_equal(f->err.field, "password");
	rules_seen[rule] = true;
}

static void
test_policy(void **state)
{
	struct fixture *f = *state;
	struct aup_user *u = fixture_add(f, AUP_ROLE_STAFF, "Zoë", "O'Neill",
	    NULL);
	struct aup_pw_verdict v;

	expect_reject(f, NULL, AUP_ROLE_STAFF, "password1",
	    AUP_PW_RULE_BLOCKLIST, "common");
	expect_reject(f, NULL, AUP_ROLE_STAFF, "tiger-moon",
	    AUP_PW_RULE_TOO_SHORT,
	    "too short: staff passwords need at least 12 characters");
	expect_reject(f, NULL, AUP_ROLE_PUPIL, "password1",
	    AUP_PW_RULE_BLOCKLIST, "common");
	expect_reject(f, NULL, AUP_ROLE_PUPIL, "12345678",
	    AUP_PW_RULE_BLOCKLIST, "common");
	expect_reject(f, NULL, AUP_ROLE_STAFF, "qwertyuiop",
	    AUP_PW_RULE_BLOCKLIST, "common");
	expect_reject(f, NULL, AUP_ROLE_PUPIL, "qwertyuiop",
	    AUP_PW_RULE_BLOCKLIST, "common");
	expect_reject(f, NULL, AUP_ROLE_STAFF, "aaaaaaaaaaaa",
	    AUP_PW_RULE_REPEATED, "same character");
	expect_reject(f, NULL, AUP_ROLE_STAFF, "blue-fish-1234-x",
	    AUP_PW_RULE_SEQUENCE, "in order");
	expect_reject(f, NULL, AUP_ROLE_STAFF, "tiger-zxcvb-moon",
	    AUP_PW_RULE_KEYBOARD, "keyboard");
	expect_reject(f, NULL, AUP_ROLE_STAFF, "abcxyzabcxyz",
	    AUP_PW_RULE_PATTERN, "repeated");
	expect_reject(f, NULL, AUP_ROLE_STAFF, "football2026!",
	    AUP_PW_RULE_BLOCKLIST_ADDED, "common");
	expect_reject(f, u, AUP_ROLE_STAFF, "zoneill2026xy",
	    AUP_PW_RULE_USERNAME, "your username");
	expect_reject(f, u, AUP_ROLE_STAFF, "my-name-is-zoe-oneill",
	    AUP_PW_RULE_NAME, "your name");
	expect_reject(f, u, AUP_ROLE_STAFF, "zoe-plays-the-tuba",
	    AUP_PW_RULE_NAME, "your name");
	expect_reject(f, NULL, AUP_ROLE_STAFF, "riverside-primary-1",
	    AUP_PW_RULE_SCHOOL, "school");
	expect_reject(f, NULL, AUP_ROLE_STAFF, "go-riverside-go",
	    AUP_PW_RULE_SCHOOL, "school");
	expect_reject(f, NULL, AUP_ROLE_STAFF, "tab\there-otter-cloud",
	    AUP_PW_RULE_TEXT, "not valid text");
	f->cfg->pw[AUP_ROLE_STAFF].max_length = 20;
	expect_reject(f, NULL, AUP_ROLE_STAFF, "maple-otter-cloud-river-42",
	    AUP_PW_RULE_TOO_LONG,
	    "too long: staff passwords may have at most 20 characters");
	assert_int_equal(aup_pw_check(f->db, NULL, AUP_ROLE_STAFF,
			     "primary-otter-cloud", &v, &f->err),
	    0);
	assert_int_equal(v.rule, AUP_PW_RULE_NONE);
	assert_string_equal(v.reason, "");
	assert_int_equal(aup_pw_check(f->db, u, AUP_ROLE_STAFF,
			     "maple-otter-cloud-42", NULL, &f->err),
	    0);
	/* Length counts characters, not bytes. */
	expect_reject(f, NULL, AUP_ROLE_PUPIL, "ëëëëëëë", AUP_PW_RULE_TOO_SHORT,
	    "too short");
	/* Every rule but the history (test_history) was seen above. */
	for (int k = AUP_PW_RULE_NONE + 1; k < AUP_PW_RULE_COUNT; k++)
		if (k != AUP_PW_RULE_REUSED && !rules_seen[k])
			fail_msg("no test refuses a password for rule %s",
			    aup_pw_rule_name((enum aup_pw_rule)k));
	aup_user_free(u);
}

/* Each rule has a name of its own for machines. */
static void
test_rule_names(void **state)
{
	(void)state;
	for (int a = 0; a < AUP_PW_RULE_COUNT; a++) {
		const char *n = aup_pw_rule_name((enum aup_pw_rule)a);

		assert_string_not_equal(n, "unknown");
		for (int b = 0; b < a; b++)
			assert_string_not_equal(n,
			    aup_pw_rule_name((enum aup_pw_rule)b));
	}
	assert_string_equal(aup_pw_rule_name(AUP_PW_RULE_TOO_SHORT),
	    "too-short");
	assert_string_equal(aup_pw_rule_name(AUP_PW_RULE_REUSED), "reused");
	assert_string_equal(aup_pw_rule_name(AUP_PW_RULE_COUNT), "unknown");
}

static void
test_history(void **state)
{
	struct fixture *f = *state;
	struct aup_user *u = fixture_add(f, AUP_ROLE_STAFF, "Amy", "Smith",
	    "maple-otter-cloud-42");

	assert_int_equal(aup_pw_set(f->db, "asmith", "river-paper-swan-17",
			     &f->err),
	    0);
	assert_int_equal(aup_pw_set(f->db, "asmith", "maple-otter-cloud-42",
			     &f->err),
	    -1);
	assert_string_equal(f->err.msg,
	    "password not accepted: it is one of "
	    "the last 5 passwords of asmith");
	assert_string_equal(f->err.field, "password");
	/* With history 1 only the current one is remembered. */
	f->cfg->pw[AUP_ROLE_STAFF].history = 1;
	assert_int_equal(aup_pw_set(f->db, "asmith", "maple-otter-cloud-42",
			     &f->err),
	    0);
	aup_user_free(u);
}

static void
test_generate(void **state)
{
	struct fixture *f = *state;
	char *pw;

	for (int r = 0; r < AUP_ROLE_COUNT; r++) {
		assert_int_equal(aup_pw_generate(f->db, NULL, (enum aup_role)r,
				     &pw, &f->err),
		    0);
		assert_true(strlen(pw) >= (size_t)f->cfg->pw[r].min_length);
		assert_int_equal(aup_pw_check(f->db, NULL, (enum aup_role)r, pw,
				     NULL, &f->err),
		    0);
		aup_secret_free(pw);
	}
	f->cfg->pw[AUP_ROLE_STAFF].min_length = 30;
	assert_int_equal(aup_pw_generate(f->db, NULL, AUP_ROLE_STAFF, &pw,
			     &f->err),
	    0);
	assert_true(strlen(pw) >= 30);
	aup_secret_free(pw);
}

/* "ter" is in about one word in 55 of the list: without the person's names
 * taken into account, some of 500 passphrases would contain it. */
static void
test_generate_avoids_names(void **state)
{
	struct fixture *f = *state;
	char first[] = "Eve", last[] = "Ter", username[] = "eter";
	struct aup_user u = { .role = AUP_ROLE_STAFF,
		.first = first,
		.last = last,
		.username = username };
	char *pw;

	for (int i = 0; i < 500; i++) {
		assert_int_equal(aup_pw_generate(f->db, &u, u.role, &pw,
				     &f->err),
		    0);
		assert_null(strstr(pw, "ter"));
		assert_null(strstr(pw, "eve"));
		assert_int_equal(aup_pw_check(f->db, &u, u.role, pw, NULL,
				     &f->err),
		    0);
		aup_secret_free(pw);
	}
}

static void
test_rotation(void **state)
{
	struct fixture *f = *state;
	time_t t0 = 1800000000, exp;
	struct aup_user *u;
	struct aup_user_list l;

	aup_clock_set(t0);
	u = fixture_add(f, AUP_ROLE_STAFF, "Amy", "Smith",
	    "maple-otter-cloud-42");
	fixture_person(f, AUP_ROLE_PUPIL, "Ben", "Ng", "maple-otter-42");
	assert_int_equal(aup_pw_state(f->cfg, u, t0, 0, &exp), AUP_PW_OK);
	assert_int_equal(exp, t0 + 180 * 86400);
	assert_int_equal(aup_pw_state(f->cfg, u, t0 + 170 * 86400, 0, NULL),
	    AUP_PW_EXPIRING);
	assert_int_equal(aup_pw_state(f->cfg, u, t0 + 180 * 86400, 0, NULL),
	    AUP_PW_EXPIRED);
	aup_clock_set(t0 + 100 * 86400);
	assert_int_equal(aup_pw_expired(f->db, 0, false, &l, &f->err), 0);
	assert_int_equal(l.n, 0);
	aup_user_list_free(&l);
	assert_int_equal(aup_pw_expired(f->db, 90, false, &l, &f->err), 0);
	assert_int_equal(l.n, 1);
	aup_user_list_free(&l);
	/* Pupils' passwords never expire by default. */
	aup_clock_set(t0 + 400 * 86400);
	assert_int_equal(aup_pw_expired(f->db, 0, true, &l, &f->err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].username, "asmith");
	assert_true(l.v[0].must_change);
	aup_user_list_free(&l);
	aup_user_free(u);
}

/* One try of USER with PW from ADDR (or NULL); its result. */
static enum aup_auth_result
try_auth(struct fixture *f, const char *user, const char *pw, const char *addr)
{
	enum aup_auth_result r;

	if (aup_auth_from(f->db, user, pw, addr, &r, &f->err) != 0)
		fail_msg("auth %s: %s", user, f->err.msg);
	return r;
}

/* USER's failed logins and the end of their wait, as the office sees
 * them. */
static void
expect_count(struct fixture *f, const char *user, int failures,
    time_t locked_until)
{
	struct aup_user *u;

	assert_int_equal(aup_user_find(f->db, user, &u, &f->err), 0);
	assert_int_equal(u->failures, failures);
	assert_int_equal(u->locked_until, locked_until);
	aup_user_free(u);
}

/* How many entries of the audit log have ACTION. */
static size_t
count_log(struct fixture *f, const char *action)
{
	struct aup_log_list l;
	size_t n = 0;

	assert_int_equal(aup_log_list(f->db, 0, 0, &l, &f->err), 0);
	for (size_t i = 0; i < l.n; i++)
		n += strcmp(l.v[i].action, action) == 0;
	aup_log_list_free(&l);
	return n;
}

#define PW "maple-otter-cloud-42"

static void
test_throttle(void **state)
{
	struct fixture *f = *state;
	time_t t0 = 1800000000, t;

	/* 3 attempts, 32 minutes: waits of 60 s, 120 s ... 1920 s. */
	f->cfg->pw[AUP_ROLE_STAFF].lockout_attempts = 3;
	f->cfg->pw[AUP_ROLE_STAFF].lockout_minutes = 32;
	aup_clock_set(t0);
	aup_user_free(fixture_add(f, AUP_ROLE_STAFF, "Amy", "Smith", PW));
	assert_int_equal(try_auth(f, "asmith", PW, NULL), AUP_AUTH_OK);
	assert_int_equal(try_auth(f, "nobody", "x", NULL), AUP_AUTH_BAD);
	assert_int_equal(try_auth(f, "asmith", "wrong", NULL), AUP_AUTH_BAD);
	assert_int_equal(try_auth(f, "asmith", "wrong", NULL), AUP_AUTH_BAD);
	expect_count(f, "asmith", 2, 0);
	/* The third failure is still a wrong password, and starts the
	 * wait: lockout_minutes / 32. */
	assert_int_equal(try_auth(f, "asmith", "wrong", NULL), AUP_AUTH_BAD);
	expect_count(f, "asmith", 3, t0 + 60);
	assert_int_equal(count_log(f, "auth.throttle"), 1);
	/* While it waits, even the right password is refused, unchecked
	 * and not counted: the wire says the same as for a wrong one. */
	aup_clock_set(t0 + 59);
	assert_int_equal(try_auth(f, "asmith", PW, NULL), AUP_AUTH_LOCKED);
	assert_int_equal(try_auth(f, "asmith", "wrong", NULL), AUP_AUTH_LOCKED);
	expect_count(f, "asmith", 3, t0 + 60);
	assert_string_equal(aup_auth_message(AUP_AUTH_LOCKED),
	    aup_auth_message(AUP_AUTH_BAD));
	/* Each failure after a wait doubles it, up to lockout_minutes. */
	t = t0 + 60;
	for (int k = 1; k <= 5; k++) {
		aup_clock_set(t);
		assert_int_equal(try_auth(f, "asmith", "wrong", NULL),
		    AUP_AUTH_BAD);
		expect_count(f, "asmith", 3 + k, t + (60 << k));
		t += 60 << k;
	}
	assert_int_equal(count_log(f, "auth.lock"), 1);
	aup_clock_set(t);
	assert_int_equal(try_auth(f, "asmith", "wrong", NULL), AUP_AUTH_BAD);
	expect_count(f, "asmith", 9, t + 32 * 60);
	/* The ceiling is logged once, not at each failure. */
	assert_int_equal(count_log(f, "auth.lock"), 1);
	assert_int_equal(count_log(f, "auth.throttle"), 1);
	/* After the wait the right password is let in, and the count
	 * starts again. */
	aup_clock_set(t + 32 * 60);
	assert_int_equal(try_auth(f, "asmith", PW, NULL), AUP_AUTH_OK);
	expect_count(f, "asmith", 0, 0);
	assert_int_equal(try_auth(f, "asmith", "wrong", NULL), AUP_AUTH_BAD);
	assert_int_equal(try_auth(f, "asmith", "wrong", NULL), AUP_AUTH_BAD);
	assert_int_equal(try_auth(f, "asmith", PW, NULL), AUP_AUTH_OK);
	expect_count(f, "asmith", 0, 0);
}

static void
test_throttle_address(void **state)
{
	struct fixture *f = *state;
	const char *staff[] = { "asmith", "bjones", "cwood", "dlee" };
	time_t t0 = 1800000000;

	for (int r = 0; r < AUP_ROLE_COUNT; r++) {
		f->cfg->pw[r].lockout_attempts = 3;
		f->cfg->pw[r].lockout_minutes = 32;
	}
	aup_clock_set(t0);
	aup_user_free(fixture_add(f, AUP_ROLE_STAFF, "Amy", "Smith", PW));
	aup_user_free(fixture_add(f, AUP_ROLE_STAFF, "Ben", "Jones", PW));
	aup_user_free(fixture_add(f, AUP_ROLE_STAFF, "Cat", "Wood", PW));
	aup_user_free(fixture_add(f, AUP_ROLE_STAFF, "Dan", "Lee", PW));
	/* One machine tries every teacher, and one of them again and
	 * again: the machine is throttled, the accounts count one failure
	 * each. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(try_auth(f, staff[i], "wrong", "10.0.0.66"),
		    i < 3 ? AUP_AUTH_BAD : AUP_AUTH_LOCKED);
	assert_int_equal(try_auth(f, "nobody", "wrong", "10.0.0.66"),
	    AUP_AUTH_LOCKED);
	aup_clock_set(t0 + 60);
	assert_int_equal(try_auth(f, "asmith", "wrong", "10.0.0.66"),
	    AUP_AUTH_BAD);
	expect_count(f, "asmith", 1, 0);
	expect_count(f, "bjones", 1, 0);
	expect_count(f, "dlee", 0, 0);
	/* The right password from that machine waits too; from the staff
	 * room it is let in at once. */
	assert_int_equal(try_auth(f, "bjones", PW, "10.0.0.66"),
	    AUP_AUTH_LOCKED);
	assert_int_equal(try_auth(f, "bjones", PW, "10.0.0.7"), AUP_AUTH_OK);
	assert_int_equal(try_auth(f, "asmith", PW, "10.0.0.8"), AUP_AUTH_OK);
	/* Failures from three machines do throttle the account. */
	aup_clock_set(t0 + 120);
	assert_int_equal(try_auth(f, "cwood", "wrong", "10.0.1.1"),
	    AUP_AUTH_BAD);
	assert_int_equal(try_auth(f, "cwood", "wrong", "10.0.1.2"),
	    AUP_AUTH_BAD);
	expect_count(f, "cwood", 3, t0 + 120 + 60);
	assert_int_equal(try_auth(f, "cwood", PW, "10.0.1.3"), AUP_AUTH_LOCKED);
	/* An address is forgotten after twice the longest lock without a
	 * failure. */
	aup_clock_set(t0 + 2 * 32 * 60 + 121);
	assert_int_equal(try_auth(f, "dlee", "wrong", "10.0.0.66"),
	    AUP_AUTH_BAD);
	assert_int_equal(try_auth(f, "dlee", PW, "10.0.0.66"), AUP_AUTH_OK);
	assert_int_equal(count_log(f, "auth.throttle"), 2);
}

static void
test_unlock(void **state)
{
	struct fixture *f = *state;
	time_t t0 = 1800000000;

	f->cfg->pw[AUP_ROLE_STAFF].lockout_attempts = 2;
	f->cfg->pw[AUP_ROLE_STAFF].lockout_minutes = 15;
	aup_clock_set(t0);
	aup_user_free(fixture_add(f, AUP_ROLE_STAFF, "Amy", "Smith", PW));
	assert_int_equal(aup_user_unlock(f->db, "asmith", &f->err), 1);
	assert_int_equal(count_log(f, "user.unlock"), 0);
	for (int i = 0; i < 2; i++)
		try_auth(f, "asmith", "wrong", "10.0.0.66");
	try_auth(f, "asmith", "wrong", "10.0.0.67");
	expect_count(f, "asmith", 2, t0 + 29);
	assert_int_equal(try_auth(f, "asmith", PW, "10.0.0.9"),
	    AUP_AUTH_LOCKED);
	assert_int_equal(aup_user_unlock(f->db, "asmith", &f->err), 0);
	expect_count(f, "asmith", 0, 0);
	assert_int_equal(count_log(f, "user.unlock"), 1);
	/* The addresses it had failed from count afresh. */
	try_auth(f, "asmith", "wrong", "10.0.0.68");
	expect_count(f, "asmith", 1, 0);
	assert_int_equal(try_auth(f, "asmith", PW, "10.0.0.9"), AUP_AUTH_OK);
	assert_int_equal(aup_user_unlock(f->db, "nobody", &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_NOUSER);
}

static void
test_secure_process(void **state)
{
	struct rlimit rl;

	(void)state;
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
	assert_int_equal(aup_secure_process(NULL), 0);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 0);
	assert_int_equal(rl.rlim_max, 0);
}

static void
test_auth_refusals(void **state)
{
	struct fixture *f = *state;
	enum aup_auth_result r;
	time_t t0 = 1800000000;

	aup_clock_set(t0);
	fixture_person(f, AUP_ROLE_STAFF, "Amy", "Smith",
	    "maple-otter-cloud-42");
	assert_int_equal(aup_user_suspend(f->db, "asmith", "sanction", 0,
			     &f->err),
	    0);
	assert_int_equal(aup_auth(f->db, "asmith", "maple-otter-cloud-42", &r,
			     &f->err),
	    0);
	assert_int_equal(r, AUP_AUTH_INACTIVE);
	assert_int_equal(aup_user_reactivate(f->db, "asmith", &f->err), 0);
	aup_clock_set(t0 + 181 * 86400);
	assert_int_equal(aup_auth(f->db, "asmith", "maple-otter-cloud-42", &r,
			     &f->err),
	    0);
	assert_int_equal(r, AUP_AUTH_PW_EXPIRED);
}

/* The hash stored for USER, read past the core as an attacker with the file
 * would see it. */
static char *
stored_hash(struct fixture *f, const char *user)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *h;

	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY,
			     NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
			     "SELECT pw_hash FROM users WHERE username = ?1",
			     -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_non_null(sqlite3_column_text(st, 0));
	h = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return h;
}

static void
test_rehash(void **state)
{
	struct fixture *f = *state;
	enum aup_auth_result r;
	struct aup_user *u;
	char *before, *after, *again;

	fixture_person(f, AUP_ROLE_STAFF, "Amy", "Smith",
	    "maple-otter-cloud-42");
	before = stored_hash(f, "asmith");
	assert_non_null(strstr(before, "$m=64,"));
	/* A login at the old cost re-hashes the password at the new one. */
	f->cfg->argon2_m = 128;
	assert_int_equal(aup_auth(f->db, "asmith", "maple-otter-cloud-42", &r,
			     &f->err),
	    0);
	assert_int_equal(r, AUP_AUTH_OK);
	after = stored_hash(f, "asmith");
	assert_string_not_equal(after, before);
	assert_non_null(strstr(after, "$m=128,"));
	assert_int_equal(aup_pw_verify(after, "maple-otter-cloud-42"), 1);
	/* The new hash verifies, is kept (no second re-hash at the same
	 * cost), and the next set must not treat it as a new password. */
	assert_int_equal(aup_auth(f->db, "asmith", "maple-otter-cloud-42", &r,
			     &f->err),
	    0);
	assert_int_equal(r, AUP_AUTH_OK);
	again = stored_hash(f, "asmith");
	assert_string_equal(again, after);
	assert_int_equal(aup_user_find(f->db, "asmith", &u, &f->err), 0);
	assert_true(u->has_password);
	aup_user_free(u);
	free(before);
	free(after);
	free(again);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hash_verify, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test(test_rule_names),
		cmocka_unit_test_setup_teardown(test_policy, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_history, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_generate, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_generate_avoids_names,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_rotation, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_throttle, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_throttle_address,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_unlock, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_auth_refusals,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_rehash, fixture_setup,
		    fixture_teardown),
		/* Last: it makes the test process undumpable for good. */
		cmocka_unit_test(test_secure_process),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
