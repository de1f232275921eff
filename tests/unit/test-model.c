/* Year groups, key stages and roles (dates: test-clock.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

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
	/* As MIS exports write them. */
	assert_int_equal(aup_year_parse("N1"), AUP_YEAR_N);
	assert_int_equal(aup_year_parse("N2"), AUP_YEAR_N);
	assert_int_equal(aup_year_parse("Nursery"), AUP_YEAR_N);
	assert_int_equal(aup_year_parse("Rec"), AUP_YEAR_R);
	assert_int_equal(aup_year_parse("Year 5"), 5);
	assert_int_equal(aup_year_parse("N3"), AUP_YEAR_NONE);
}

static void
test_key_stages(void **state)
{
	static const struct {
		int year;
		enum aup_ks ks;
	} cases[] = {
		{ AUP_YEAR_N, AUP_KS_EYFS },
		{ AUP_YEAR_R, AUP_KS_EYFS },
		{ 1, AUP_KS_1 },
		{ 2, AUP_KS_1 },
		{ 3, AUP_KS_2 },
		{ 6, AUP_KS_2 },
		{ 7, AUP_KS_3 },
		{ 9, AUP_KS_3 },
		{ 10, AUP_KS_4 },
		{ 11, AUP_KS_4 },
		{ 12, AUP_KS_5 },
		{ 13, AUP_KS_5 },
		{ AUP_YEAR_NONE, AUP_KS_NONE },
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_year_parse),
		cmocka_unit_test(test_key_stages),
		cmocka_unit_test(test_roles),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
