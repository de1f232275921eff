/* Year groups, key stages, roles and the date helpers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "aup/clock.h"
#include "aup/model.h"

static void
test_year_parse(void **state)
{
	(void)state;
	assert_int_equal(aup_year_parse("N"), AUP_YEAR_N);
	assert_int_equal(aup_year_parse("reception"), AUP_YEAR_R);
	assert_int_equal(aup_year_parse("R"), AUP_YEAR_R);
	assert_int_equal(aup_year_parse("7"), 7);
	assert_int_equal(aup_year_parse("Y7"), 7);
	assert_int_equal(aup_year_parse("Year 13"), 13);
	assert_int_equal(aup_year_parse("14"), AUP_YEAR_NONE);
	assert_int_equal(aup_year_parse("0"), AUP_YEAR_NONE);
	assert_int_equal(aup_year_parse("07"), AUP_YEAR_NONE);
	assert_int_equal(aup_year_parse("+7"), AUP_YEAR_NONE);
	assert_int_equal(aup_year_parse(""), AUP_YEAR_NONE);
	assert_int_equal(aup_year_parse("seven"), AUP_YEAR_NONE);
}

static void
test_key_stages(void **state)
{
	static const struct { int year; enum aup_ks ks; } cases[] = {
		{ AUP_YEAR_N, AUP_KS_EYFS }, { AUP_YEAR_R, AUP_KS_EYFS },
		{ 1, AUP_KS_1 }, { 2, AUP_KS_1 }, { 3, AUP_KS_2 },
		{ 6, AUP_KS_2 }, { 7, AUP_KS_3 }, { 9, AUP_KS_3 },
		{ 10, AUP_KS_4 }, { 11, AUP_KS_4 }, { 12, AUP_KS_5 },
		{ 13, AUP_KS_5 }, { AUP_YEAR_NONE, AUP_KS_NONE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(aup_ks_of_year(cases[i].year), cases[i].ks);
	assert_int_equal(aup_ks_parse("ks2"), AUP_KS_2);
	assert_int_equal(aup_ks_parse("EYFS"), AUP_KS_EYFS);
	assert_int_equal(aup_ks_parse("KS6"), -1);
	assert_string_equal(aup_ks_name(AUP_KS_5), "KS5");
}

static void
test_roles(void **state)
{
	(void)state;
	assert_int_equal(aup_role_parse("Staff"), AUP_ROLE_STAFF);
	assert_int_equal(aup_role_parse("class"), AUP_ROLE_CLASS);
	assert_int_equal(aup_role_parse("teacher"), -1);
	assert_int_equal(aup_status_parse("suspended"), AUP_STATUS_SUSPENDED);
	assert_int_equal(aup_status_parse("gone"), -1);
}

static void
test_dates(void **state)
{
	time_t t;
	char buf[32];

	(void)state;
	assert_int_equal(aup_date_parse("2026-09-01", &t), 0);
	aup_date_fmt(t, buf, sizeof buf);
	assert_string_equal(buf, "2026-09-01");
	assert_int_equal(aup_date_parse("2026-09-01T15:30", &t), 0);
	aup_time_fmt(t, buf, sizeof buf);
	assert_string_equal(buf, "2026-09-01T15:30");
	assert_int_equal(aup_date_parse("2026-02-31", &t), -1);
	assert_int_equal(aup_date_parse("2026-9-1", &t), -1);
	assert_int_equal(aup_date_parse("2026-09-01T25:00", &t), -1);
	assert_int_equal(aup_date_parse("yesterday", &t), -1);
	/* The academic year turns on 1 September by default. */
	aup_date_parse("2026-08-31", &t);
	assert_int_equal(aup_academic_year(t, 9, 1), 2025);
	aup_date_parse("2026-09-01", &t);
	assert_int_equal(aup_academic_year(t, 9, 1), 2026);
}

static void
test_clock_moves(void **state)
{
	(void)state;
	aup_clock_set(1000);
	assert_int_equal(aup_now(), 1000);
	aup_clock_set(0);
	assert_true(aup_now() > 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_year_parse),
		cmocka_unit_test(test_key_stages),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_clock_moves),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
