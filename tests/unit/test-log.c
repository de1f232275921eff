/* The audit log's hash chain notices an edited, a deleted and a truncated
 * entry; the test edits the file behind aupctl's back with SQLite. */
#include "fixture.h"

#include <sqlite3.h>

#include "aup/log.h"
#include "aup/user.h"

static void
add_people(struct fixture *f, int n)
{
	for (int i = 0; i < n; i++) {
		struct aup_user_spec s;
		char first[16];

		memset(&s, 0, sizeof s);
		snprintf(first, sizeof first, "Person%d", i);
		s.role = AUP_ROLE_VOLUNTEER;
		s.first = first;
		s.last = "Test";
		s.year = AUP_YEAR_NONE;
		assert_int_equal(aup_user_add(f->db, &s, NULL, NULL, &f->err),
		    0);
	}
}

static void
tamper(struct fixture *f, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_intact(void **state)
{
	struct fixture *f = *state;
	int64_t n, bad;

	add_people(f, 5);
	assert_int_equal(aup_log_verify(f->db, &n, &bad, &f->err), 0);
	assert_int_equal(n, 6);	/* init and five adds */
	assert_int_equal(bad, 0);
}

static void
expect_broken(struct fixture *f, int64_t want_bad)
{
	int64_t n, bad;

	assert_int_equal(aup_log_verify(f->db, &n, &bad, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_ATTENTION);
	assert_int_equal(bad, want_bad);
}

static void
test_edited(void **state)
{
	struct fixture *f = *state;

	add_people(f, 5);
	tamper(f, "UPDATE audit_log SET operator = 'someone' WHERE id = 3");
	expect_broken(f, 3);
}

static void
test_deleted(void **state)
{
	struct fixture *f = *state;

	add_people(f, 5);
	tamper(f, "DELETE FROM audit_log WHERE id = 4");
	expect_broken(f, 5);
}

static void
test_truncated(void **state)
{
	struct fixture *f = *state;

	add_people(f, 5);
	tamper(f, "DELETE FROM audit_log WHERE id = 6");
	expect_broken(f, 6);
}

static void
test_rechained_edit(void **state)
{
	struct fixture *f = *state;

	/* Changing an entry and its own stored hash still breaks the next
	 * entry's link. */
	add_people(f, 3);
	tamper(f, "UPDATE audit_log SET after = '{}', hash = 'x' WHERE id = 2");
	expect_broken(f, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_intact, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_edited, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_deleted, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_rechained_edit,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
