/* The person record and the subject access export: everything about one
 * person as it stands now, and all data held on them as JSON that reads
 * back, with the log's before and after nested and never a hash. */
#include "fixture.h"

#include <sqlite3.h>

#include "aup/json.h"
#include "aup/password.h"
#include "aup/record.h"
#include "aup/user.h"

#define DAY 86400
#define T0  ((time_t)1800000000)

static void
test_record(void **state)
{
	struct fixture *f = *state;
	struct aup_user_record r;
	enum aup_auth_result res;

	f->cfg->pw[AUP_ROLE_STAFF].max_age_days = 90;
	f->cfg->pw[AUP_ROLE_STAFF].warn_days = 14;
	f->cfg->pw[AUP_ROLE_STAFF].lockout_attempts = 3;
	f->cfg->pw[AUP_ROLE_STAFF].lockout_minutes = 32;
	aup_clock_set(T0);
	fixture_person(f, AUP_ROLE_STAFF, "Amy", "Smith",
	    "maple-otter-cloud-42");
	fixture_person(f, AUP_ROLE_STAFF, "Gil", "Moss", NULL);

	assert_int_equal(aup_user_record(f->db, "asmith", &r, &f->err), 0);
	assert_string_equal(r.user.username, "asmith");
	assert_string_equal(r.user.first, "Amy");
	assert_int_equal(r.now, T0);
	assert_int_equal(r.status, AUP_STATUS_ACTIVE);
	assert_int_equal(r.pw_state, AUP_PW_OK);
	assert_int_equal(r.pw_expires, T0 + 90 * DAY);
	assert_false(r.locked);
	assert_int_equal(r.locked_until, 0);
	aup_user_record_clear(&r);
	assert_null(r.user.username);

	/* Expiring, then made to wait after three failures (the first wait
	 * is lockout_minutes / 32), as of the clock. */
	aup_clock_set(T0 + 80 * DAY);
	for (int i = 0; i < 3; i++)
		assert_int_equal(aup_auth(f->db, "asmith", "wrong", &res,
				     &f->err),
		    0);
	assert_int_equal(res, AUP_AUTH_BAD);
	assert_int_equal(aup_user_record(f->db, "id:1", &r, &f->err), 0);
	assert_int_equal(r.pw_state, AUP_PW_EXPIRING);
	assert_true(r.locked);
	assert_int_equal(r.locked_until, T0 + 80 * DAY + 60);
	aup_user_record_clear(&r);
	/* A lock that has run out is no lock. */
	aup_clock_set(T0 + 80 * DAY + 11 * 60);
	assert_int_equal(aup_user_record(f->db, "asmith", &r, &f->err), 0);
	assert_false(r.locked);
	assert_int_equal(r.locked_until, 0);
	aup_user_record_clear(&r);

	/* Status as it stands now: a suspension past its date is over. */
	assert_int_equal(aup_user_suspend(f->db, "gmoss", "sanction",
			     T0 + 85 * DAY, &f->err),
	    0);
	assert_int_equal(aup_user_record(f->db, "gmoss", &r, &f->err), 0);
	assert_int_equal(r.status, AUP_STATUS_SUSPENDED);
	assert_int_equal(r.pw_state, AUP_PW_NONE);
	assert_int_equal(r.pw_expires, 0);
	aup_user_record_clear(&r);
	aup_clock_set(T0 + 86 * DAY);
	assert_int_equal(aup_user_record(f->db, "gmoss", &r, &f->err), 0);
	assert_int_equal(r.status, AUP_STATUS_ACTIVE);
	assert_int_equal(r.user.status, AUP_STATUS_SUSPENDED);
	aup_user_record_clear(&r);

	assert_int_equal(aup_user_record(f->db, "nobody", &r, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_NOUSER);
	assert_string_equal(f->err.field, "user");
	assert_null(r.user.username);
}

/* JSON read back by SQLite's own parser. */
struct doc {
	sqlite3 *sql;
	const char *json;
};

/* The text at PATH in D, or NULL when it is null or missing. */
static char *
json_at(struct doc *d, const char *fn, const char *path)
{
	sqlite3_stmt *st;
	char q[64];
	char *v = NULL;

	snprintf(q, sizeof q, "SELECT %s(?1, ?2)", fn);
	assert_int_equal(sqlite3_prepare_v2(d->sql, q, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, d->json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static void
expect_at(struct doc *d, const char *fn, const char *path, const char *want)
{
	char *v = json_at(d, fn, path);

	if (want == NULL) {
		if (v != NULL)
			fail_msg("%s: wanted null, got '%s'", path, v);
		return;
	}
	if (v == NULL)
		fail_msg("%s: wanted '%s', got null", path, want);
	if (strcmp(v, want) != 0)
		fail_msg("%s: wanted '%s', got '%s'", path, want, v);
	free(v);
}

static void
test_export(void **state)
{
	struct fixture *f = *state;
	struct aup_user_edit e = { .last = "Smith-Jones",
		.email = "amy@riverside.example" };
	struct aup_buf b = { 0 };
	struct doc d;

	aup_clock_set(T0);
	fixture_person(f, AUP_ROLE_STAFF, "Amy", "Smith",
	    "maple-otter-cloud-42");
	fixture_person(f, AUP_ROLE_STAFF, "Bob", "Jones", NULL);
	assert_int_equal(aup_user_edit(f->db, "asmith", &e, &f->err), 0);
	assert_int_equal(aup_pw_set(f->db, "asmith", "river-paper-swan-17",
			     &f->err),
	    0);
	assert_int_equal(aup_user_edit(f->db, "bjones", &e, &f->err), 0);

	/* Appends to what the buffer holds. */
	aup_buf_puts(&b, "[");
	assert_int_equal(aup_user_export(f->db, "asmith", &b, &f->err), 0);
	aup_buf_puts(&b, "]");
	assert_int_equal(sqlite3_open(":memory:", &d.sql), SQLITE_OK);
	d.json = b.data;
	expect_at(&d, "json_type", "$", "array");
	expect_at(&d, "json_extract", "$[0].person.username", "asmith");
	expect_at(&d, "json_extract", "$[0].person.last", "Smith-Jones");
	expect_at(&d, "json_extract", "$[0].person.role", "staff");
	expect_at(&d, "json_extract", "$[0].person.status", "active");
	expect_at(&d, "json_extract", "$[0].person.year", NULL);
	expect_at(&d, "json_extract", "$[0].person.created",
	    "2027-01-15T08:00:00+00:00");
	expect_at(&d, "json_extract", "$[0].password.state", "ok");
	expect_at(&d, "json_type", "$[0].password.must_change", "false");
	expect_at(&d, "json_extract", "$[0].password.failed_logins", "0");
	expect_at(&d, "json_extract", "$[0].password.expires", "2027-07-14");
	/* Only the person's own entries, oldest first. */
	expect_at(&d, "json_array_length", "$[0].log", "3");
	expect_at(&d, "json_extract", "$[0].log[0].action", "user.add");
	expect_at(&d, "json_type", "$[0].log[0].before", "null");
	expect_at(&d, "json_type", "$[0].log[0].after", "object");
	expect_at(&d, "json_extract", "$[0].log[0].after.first", "Amy");
	/* Before and after are objects, not JSON inside a string. */
	expect_at(&d, "json_extract", "$[0].log[1].action", "user.edit");
	expect_at(&d, "json_type", "$[0].log[1].before", "object");
	expect_at(&d, "json_extract", "$[0].log[1].before.last", "Smith");
	expect_at(&d, "json_extract", "$[0].log[1].after.last", "Smith-Jones");
	expect_at(&d, "json_extract", "$[0].log[1].after.email",
	    "amy@riverside.example");
	expect_at(&d, "json_extract", "$[0].log[1].user", "asmith");
	expect_at(&d, "json_type", "$[0].log[1].purged", "false");
	expect_at(&d, "json_extract", "$[0].log[2].action", "password.set");
	/* A password is never in it, nor its hash. */
	assert_null(strstr(b.data, "argon2"));
	assert_null(strstr(b.data, "river-paper-swan-17"));
	assert_null(strstr(b.data, "bjones"));
	sqlite3_close(d.sql);
	aup_buf_free(&b);

	assert_int_equal(aup_user_export(f->db, "nobody", &b, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_NOUSER);
	assert_null(b.data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_export, fixture_setup,
		    fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
