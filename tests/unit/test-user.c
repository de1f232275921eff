/* People: names to usernames, validation, add/find/edit/suspend, each
 * change logged and nothing written when a change is refused. */
#include "fixture.h"

#include "aup/log.h"
#include "aup/user.h"
#include "aup/utf8.h"

static void
test_name_ascii(void **state)
{
	static const char *const cases[][2] = {
		{ "Zoë", "zoe" }, { "Siân", "sian" }, { "Ó Briain", "obriain" },
		{ "O'Neill", "oneill" }, { "Łukasz", "lukasz" },
		{ "Smith-Jones", "smithjones" }, { "Æthelred", "aethelred" },
		{ "Straße", "strasse" }, { "Ægir Þór", "aegirthor" },
		{ "Đặng", "dng" }, { "李", "" },
		/* Either side of U+0167, where the table once slipped. */
		{ "ŧšţũŽſ", "tstuzs" }, { "Ŧŭ", "tu" },
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		aup_name_ascii(cases[i][0], buf, sizeof buf);
		assert_string_equal(buf, cases[i][1]);
	}
	aup_name_ascii("Bartholomew", buf, 5);
	assert_string_equal(buf, "bart");
}

static void
test_username_valid(void **state)
{
	(void)state;
	assert_true(aup_username_valid("zoneill"));
	assert_true(aup_username_valid("26z.o-n_eill"));
	assert_false(aup_username_valid(""));
	assert_false(aup_username_valid("Zoneill"));
	assert_false(aup_username_valid(".zo"));
	assert_false(aup_username_valid("zo neill"));
	assert_false(aup_username_valid("zoë"));
	assert_false(aup_username_valid("abcdefghijklmnopqrstuvwxyz0123456"));
}

static struct aup_user_spec
spec(enum aup_role role, const char *first, const char *last, int year)
{
	struct aup_user_spec s;

	memset(&s, 0, sizeof s);
	s.role = role;
	s.first = first;
	s.last = last;
	s.year = year;
	return s;
}

static int64_t
log_count(struct fixture *f)
{
	struct aup_log_list l;
	int64_t n;

	assert_int_equal(aup_log_list(f->db, 0, 0, &l, &f->err), 0);
	n = (int64_t)l.n;
	aup_log_list_free(&l);
	return n;
}

static void
test_add_find(void **state)
{
	struct fixture *f = *state;
	struct aup_user_spec s = spec(AUP_ROLE_STAFF, "Zoë", "O'Neill",
	    AUP_YEAR_NONE);
	struct aup_user *u, *v;

	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), 0);
	assert_string_equal(u->username, "zoneill");
	assert_string_equal(u->first, "Zoë");
	/* A second Zoë O'Neill gets a suffix. */
	assert_int_equal(aup_user_add(f->db, &s, &v, NULL, &f->err), 0);
	assert_string_equal(v->username, "zoneill2");
	aup_user_free(v);
	assert_int_equal(aup_user_find(f->db, "zoneill", &v, &f->err), 0);
	assert_int_equal(v->id, u->id);
	aup_user_free(v);
	assert_int_equal(aup_user_find(f->db, "id:2", &v, &f->err), 0);
	assert_string_equal(v->username, "zoneill2");
	aup_user_free(v);
	assert_int_equal(aup_user_find(f->db, "nobody", &v, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_NOUSER);
	assert_int_equal(aup_user_find(f->db, "id:x", &v, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_USAGE);
	aup_user_free(u);
}

static void
test_pupil_rules(void **state)
{
	struct fixture *f = *state;
	struct aup_user_spec s = spec(AUP_ROLE_PUPIL, "Amy", "Khan",
	    AUP_YEAR_NONE);
	struct aup_user *u;
	int64_t before = log_count(f);

	s.mis_id = "A123";
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_DATAERR);
	s.year = 1;
	s.generate = true;
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	assert_non_null(strstr(f->err.msg, "class logon"));
	s.generate = false;
	s.class_name = "1K";
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), 0);
	aup_user_free(u);
	/* The MIS id is unique. */
	s.first = "Ben";
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	assert_non_null(strstr(f->err.msg, "A123"));
	/* Staff have no year group. */
	s = spec(AUP_ROLE_STAFF, "Cat", "Lee", 5);
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	s = spec(AUP_ROLE_STAFF, "Cat", "Lee", AUP_YEAR_NONE);
	s.email = "not-an-address";
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	s.email = NULL;
	s.username = "Bad Name";
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	/* Only the one successful add was logged. */
	assert_int_equal(log_count(f), before + 1);
}

static void
test_list_filters(void **state)
{
	struct fixture *f = *state;
	static const struct { const char *first; int year; } pupils[] = {
		{ "Ann", AUP_YEAR_R }, { "Bob", 2 }, { "Cal", 3 }, { "Dee", 6 },
		{ "Eve", 6 },
	};
	struct aup_user_filter flt;
	struct aup_user_list l;
	struct aup_user_spec s;

	for (size_t i = 0; i < sizeof pupils / sizeof pupils[0]; i++) {
		s = spec(AUP_ROLE_PUPIL, pupils[i].first, "Test", pupils[i].year);
		s.class_name = pupils[i].year == 6 ? "6B" : NULL;
		assert_int_equal(aup_user_add(f->db, &s, NULL, NULL, &f->err), 0);
	}
	s = spec(AUP_ROLE_GOVERNOR, "Gil", "Test", AUP_YEAR_NONE);
	assert_int_equal(aup_user_add(f->db, &s, NULL, NULL, &f->err), 0);
	aup_user_filter_init(&flt);
	flt.ks = AUP_KS_2;
	assert_int_equal(aup_user_list(f->db, &flt, &l, &f->err), 0);
	assert_int_equal(l.n, 3);
	aup_user_list_free(&l);
	flt.ks = -1;
	flt.role = AUP_ROLE_GOVERNOR;
	assert_int_equal(aup_user_list(f->db, &flt, &l, &f->err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].first, "Gil");
	aup_user_list_free(&l);
	aup_user_filter_init(&flt);
	flt.class_name = "6b";
	assert_int_equal(aup_user_list(f->db, &flt, &l, &f->err), 0);
	assert_int_equal(l.n, 2);
	aup_user_list_free(&l);
	aup_user_filter_init(&flt);
	flt.search = "ev";
	assert_int_equal(aup_user_list(f->db, &flt, &l, &f->err), 0);
	assert_int_equal(l.n, 1);
	aup_user_list_free(&l);
	flt.search = "%";
	assert_int_equal(aup_user_list(f->db, &flt, &l, &f->err), 0);
	assert_int_equal(l.n, 0);
	aup_user_list_free(&l);
}

static void
test_edit_suspend(void **state)
{
	struct fixture *f = *state;
	struct aup_user_spec s = spec(AUP_ROLE_PUPIL, "Tom", "Ray", 4);
	struct aup_user_edit e;
	struct aup_user *u;
	struct aup_log_list l;
	time_t until;

	assert_int_equal(aup_user_add(f->db, &s, NULL, NULL, &f->err), 0);
	memset(&e, 0, sizeof e);
	e.set_year = true;
	e.year = 5;
	e.class_name = "5R";
	assert_int_equal(aup_user_edit(f->db, "id:1", &e, &f->err), 0);
	assert_int_equal(aup_user_find(f->db, "id:1", &u, &f->err), 0);
	assert_int_equal(u->year, 5);
	assert_string_equal(u->class_name, "5R");
	aup_user_free(u);
	assert_int_equal(aup_log_list(f->db, 1, 0, &l, &f->err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1].action, "user.edit");
	assert_string_equal(l.v[1].before, "{\"year\":\"4\",\"class\":null}");
	assert_string_equal(l.v[1].after, "{\"year\":\"5\",\"class\":\"5R\"}");
	aup_log_list_free(&l);

	aup_clock_set(1800000000);
	assert_int_equal(aup_user_suspend(f->db, "id:1", "", 0, &f->err), -1);
	until = 1800000000 + 7 * 86400;
	assert_int_equal(aup_user_suspend(f->db, "id:1", "category B", until,
	    &f->err), 0);
	assert_int_equal(aup_user_find(f->db, "id:1", &u, &f->err), 0);
	assert_int_equal(aup_user_status_now(u, aup_now()),
	    AUP_STATUS_SUSPENDED);
	/* When the date passes the suspension is over by itself. */
	assert_int_equal(aup_user_status_now(u, until), AUP_STATUS_ACTIVE);
	aup_user_free(u);
	assert_int_equal(aup_user_suspend(f->db, "id:1", "again", 0, &f->err),
	    -1);
	assert_int_equal(aup_user_reactivate(f->db, "id:1", &f->err), 0);
	assert_int_equal(aup_user_reactivate(f->db, "id:1", &f->err), -1);
}

/* Three adds in one unit of work, the second a duplicate MIS id. */
static int
add_three(struct fixture *f, bool savepoint_per_row)
{
	static const char *const mis[] = { "A100", "A100", "A300" };
	static const char *const last[] = { "One", "Two", "Three" };
	int failed = 0;

	assert_int_equal(aup_tx_begin(f->db, &f->err), 0);
	for (int i = 0; i < 3; i++) {
		struct aup_user_spec s = { .role = AUP_ROLE_STAFF,
		    .first = "Row", .last = last[i], .year = AUP_YEAR_NONE,
		    .mis_id = mis[i] };

		if (savepoint_per_row)
			assert_int_equal(aup_tx_begin(f->db, &f->err), 0);
		if (aup_user_add(f->db, &s, NULL, NULL, &f->err) != 0) {
			failed++;
			if (savepoint_per_row)
				aup_tx_rollback(f->db);
			else
				break;
		} else if (savepoint_per_row)
			assert_int_equal(aup_tx_commit(f->db, &f->err), 0);
	}
	return failed;
}

static size_t
count_people(struct fixture *f)
{
	struct aup_user_filter flt;
	struct aup_user_list l;
	size_t n;

	aup_user_filter_init(&flt);
	assert_int_equal(aup_user_list(f->db, &flt, &l, &f->err), 0);
	n = l.n;
	aup_user_list_free(&l);
	return n;
}

static void
test_three_adds_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	struct aup_user *u = NULL;
	int64_t n, bad;

	assert_int_equal(add_three(f, false), 1);
	assert_int_equal(f->err.code, AUP_EX_DATAERR);
	aup_tx_rollback(f->db);
	assert_int_equal(count_people(f), 0);
	/* The handle is usable afterwards, and the log is whole. */
	assert_int_equal(aup_user_find(f->db, "mis:A100", &u, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_NOUSER);
	assert_int_equal(aup_log_verify(f->db, &n, &bad, &f->err), 0);
}

static void
test_three_adds_savepoint_per_row(void **state)
{
	struct fixture *f = *state;
	struct aup_user *u = NULL;
	int64_t n0, n, bad;

	assert_int_equal(aup_log_verify(f->db, &n0, &bad, &f->err), 0);
	assert_int_equal(add_three(f, true), 1);
	assert_int_equal(aup_tx_commit(f->db, &f->err), 0);
	assert_int_equal(count_people(f), 2);
	assert_int_equal(aup_user_find(f->db, "mis:A100", &u, &f->err), 0);
	assert_string_equal(u->last, "One");
	aup_user_free(u);
	assert_int_equal(aup_user_find(f->db, "mis:A300", &u, &f->err), 0);
	assert_string_equal(u->last, "Three");
	aup_user_free(u);
	assert_int_equal(aup_log_verify(f->db, &n, &bad, &f->err), 0);
	assert_int_equal(n, n0 + 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_ascii),
		cmocka_unit_test(test_username_valid),
		cmocka_unit_test_setup_teardown(test_add_find, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_pupil_rules, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_list_filters,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_three_adds_all_or_nothing,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
		    test_three_adds_savepoint_per_row, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_edit_suspend,
		    fixture_setup, fixture_teardown),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
