/* The purge: who is past retention, what goes of them and what stays, the
 * dry run that changes nothing, and the log that still verifies. */
#include "fixture.h"

#include "aup/aup.h"
#include "aup/check.h"
#include "aup/purge.h"
#include "core.h"
#include "storage.h"

#define DAY 86400
#define NOW 1800000000 /* 2027-01-15 */

/* Put person ID at STATUS since DAYS ago, as the leaver and visitor
 * workflows leave them. */
static void
set_gone(struct fixture *f, int64_t id, const char *status, int days,
    bool visitor)
{
	assert_int_equal(st_exec(f->db,
			     visitor ? "UPDATE users SET status = ?1, "
				       "expires_at = ?2 WHERE id = ?3" :
				       "UPDATE users SET status = ?1, "
				       "status_until = ?2 WHERE id = ?3",
			     "test", &f->err, "tII", status,
			     (int64_t)(NOW - days * DAY), id),
	    0);
}

static int64_t
count(struct fixture *f, const char *sql, int64_t id)
{
	sqlite3_stmt *s = st_stmt(f->db, sql, &f->err);
	int64_t n = -1;

	assert_non_null(s);
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	st_done(s);
	return n;
}

struct seen {
	int n;
	char names[4][32];
};

static int
seen_one(void *arg, const struct aup_purge_item *it)
{
	struct seen *s = arg;

	if (s->n < 4)
		aup_strlcpy(s->names[s->n], it->username, sizeof s->names[0]);
	s->n++;
	return 0;
}

static void
test_purge(void **state)
{
	struct fixture *f = *state;
	struct aup_sign_spec spec = { .user = "asmith",
		.relationship = -1,
		.method = -1 };
	struct aup_signature g;
	struct aup_purge_result res;
	struct seen s = { 0 };
	struct aup_check_report r;
	int64_t a, b, c, v, n, entries, bad;
	bool already;

	aup_clock_set(NOW - 500 * DAY);
	a = fixture_person(f, AUP_ROLE_STAFF, "Amy", "Smith", NULL);
	assert_int_equal(aup_sign(f->db, &spec, &g, &already, &f->err), 0);
	aup_signature_clear(&g);
	b = fixture_person(f, AUP_ROLE_STAFF, "Ben", "Jones", NULL);
	c = fixture_person(f, AUP_ROLE_STAFF, "Cal", "Dee", NULL);
	v = fixture_person(f, AUP_ROLE_VISITOR, "Vic", "Vale", NULL);
	aup_clock_set(NOW);
	set_gone(f, a, "left", 400, false);  /* past 365 days */
	set_gone(f, b, "left", 100, false);  /* within */
	set_gone(f, v, "expired", 40, true); /* past 30 days */
	(void)c;

	assert_int_equal(aup_purge_due(f->db, &n, &f->err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(aup_check_run(f->db, false, &r, &f->err), 0);
	assert_int_equal(r.purge_due, 2);
	aup_check_clear(&r);

	/* The dry run says whom, and changes nothing. */
	assert_int_equal(aup_purge(f->db, true, seen_one, &s, &res, &f->err),
	    0);
	assert_int_equal(res.people, 2);
	assert_int_equal(res.signatures, 1);
	assert_true(res.log_values > 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.names[0], "asmith");
	assert_string_equal(s.names[1], "vvvale");
	assert_int_equal(count(f, "SELECT count(*) FROM users WHERE id = ?1",
			     a),
	    1);
	assert_int_equal(aup_purge_due(f->db, &n, &f->err), 0);
	assert_int_equal(n, 2);

	/* The real one: they go; the signature stays under a pseudonym, the
	 * username on the retired list, and the log verifies. */
	assert_int_equal(aup_purge(f->db, false, NULL, NULL, &res, &f->err), 0);
	assert_int_equal(res.people, 2);
	assert_int_equal(count(f, "SELECT count(*) FROM users WHERE id = ?1",
			     a),
	    0);
	assert_int_equal(count(f, "SELECT count(*) FROM users WHERE id = ?1",
			     v),
	    0);
	assert_int_equal(count(f, "SELECT count(*) FROM users WHERE id = ?1",
			     b),
	    1);
	assert_int_equal(count(f,
			     "SELECT count(*) FROM aup_signatures WHERE "
			     "user_id IS NULL AND signer IS NULL AND "
			     "pseudonym LIKE 'anon-____________' AND ?1",
			     1),
	    1);
	assert_int_equal(count(f,
			     "SELECT count(*) FROM retired_usernames WHERE "
			     "username IN ('asmith', 'vvvale') AND ?1",
			     1),
	    2);
	assert_int_equal(count(f,
			     "SELECT count(*) FROM audit_values v JOIN "
			     "audit_log l ON l.id = v.entry_id WHERE "
			     "l.user_id = ?1 AND v.value IS NOT NULL",
			     a),
	    0);
	assert_int_equal(aup_log_verify(f->db, &entries, &bad, &f->err), 0);
	assert_int_equal(aup_purge_due(f->db, &n, &f->err), 0);
	assert_int_equal(n, 0);

	/* Ben's time comes. */
	aup_clock_set(NOW + 300 * DAY);
	assert_int_equal(aup_purge(f->db, false, NULL, NULL, &res, &f->err), 0);
	assert_int_equal(res.people, 1);
	assert_int_equal(aup_log_verify(f->db, &entries, &bad, &f->err), 0);
}

/* A purge that stops half way removes no one. */
static int
stop_second(void *arg, const struct aup_purge_item *it)
{
	int *n = arg;

	(void)it;
	return ++*n == 2 ? 1 : 0;
}

static void
test_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	struct aup_purge_result res;
	int64_t a, b, n;
	int calls = 0;

	aup_clock_set(NOW - 500 * DAY);
	a = fixture_person(f, AUP_ROLE_STAFF, "Amy", "Smith", NULL);
	b = fixture_person(f, AUP_ROLE_STAFF, "Ben", "Jones", NULL);
	aup_clock_set(NOW);
	set_gone(f, a, "left", 400, false);
	set_gone(f, b, "left", 400, false);
	n = fixture_log_count(f);
	assert_int_not_equal(aup_purge(f->db, false, stop_second, &calls, &res,
				 &f->err),
	    0);
	assert_int_equal(res.people, 0);
	assert_int_equal(count(f,
			     "SELECT count(*) FROM users WHERE id IN "
			     "(?1, ?1 + 1)",
			     a),
	    2);
	assert_int_equal(fixture_log_count(f), n);
}

/* Only admin purges: a network manager may not (their role keeps
 * retention out), though they may see how many are due. */
static void
test_admin_only(void **state)
{
	struct fixture *f = *state;
	struct aup_purge_result res;
	int64_t n;

	f->db->op_role = AUP_OP_NETMGR;
	assert_int_equal(aup_purge(f->db, true, NULL, NULL, &res, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_NOPERM);
	assert_int_equal(aup_purge_due(f->db, &n, &f->err), 0);
	f->db->op_role = AUP_OP_ADMIN;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_purge, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_all_or_nothing,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_admin_only, fixture_setup,
		    fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
