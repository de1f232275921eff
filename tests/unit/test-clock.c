/* The clock and the date formats: ISO 8601 in, RFC 3339 out, in and out of
 * summer time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "aup/clock.h"

/* The zone of a school in England, spelt so that no tz database is
 * needed: GMT in winter, BST (+01:00) from March to October. */
#define LONDON "GMT0BST,M3.5.0/1,M10.5.0"

static void
zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static time_t
parsed(const char *s)
{
	time_t t = 0;

	assert_int_equal(aup_date_parse(s, &t), 0);
	return t;
}

static void
test_local_forms(void **state)
{
	char buf[32];

	(void)state;
	zone("UTC");
	aup_date_fmt(parsed("2026-09-01"), buf, sizeof buf);
	assert_string_equal(buf, "2026-09-01");
	assert_int_equal(parsed("2026-09-01T15:30"), 1788276600);
	assert_int_equal(parsed("2026-09-01 15:30"), 1788276600);
	assert_int_equal(parsed("2026-09-01T15:30:09"), 1788276609);
	assert_int_equal(parsed("2026-09-01T15:30:09.75"), 1788276609);
	/* Without a zone a time is the school's local time. */
	zone(LONDON);
	assert_int_equal(parsed("2026-09-01T15:30"), 1788276600 - 3600);
	assert_int_equal(parsed("2026-11-23T13:00"),
	    parsed("2026-11-23T13:00Z"));
}

static void
test_zones(void **state)
{
	(void)state;
	zone(LONDON);
	/* The issue's own examples, and every spelling of an offset. */
	assert_int_equal(parsed("2026-11-23T13:00Z"), 1795438800);
	assert_int_equal(parsed("2026-11-23T13:00z"), 1795438800);
	assert_int_equal(parsed("2026-11-23T13:00:00Z"), 1795438800);
	assert_int_equal(parsed("2026-11-23T14:00+01:00"), 1795438800);
	assert_int_equal(parsed("2026-11-23T14:00+0100"), 1795438800);
	assert_int_equal(parsed("2026-11-23T14:00+01"), 1795438800);
	assert_int_equal(parsed("2026-11-23T07:30-05:30"), 1795438800);
	assert_int_equal(parsed("2026-11-23T13:00:00.5+00:00"), 1795438800);
	/* An offset crosses midnight and the end of a leap February. */
	assert_int_equal(parsed("2028-03-01T00:30+01:00"),
	    parsed("2028-02-29T23:30Z"));
}

static void
test_refused(void **state)
{
	static const char *const bad[] = { "", "yesterday", "2026-9-1",
		"2026-02-31", "2027-02-29", "2026-13-01", "2026-09-01T25:00",
		"2026-09-01T15:60", "2026-09-01T15:30:61", "2026-09-01T15",
		"2026-09-01T", "2026-09-01Z", "2026-09-01T15:30Y",
		"2026-09-01T15:30+1", "2026-09-01T15:30+01:0",
		"2026-09-01T15:30+24:00", "2026-09-01T15:30+01:60",
		"2026-09-01T15:30Z ", "1969-12-31", "2026-09-01x",
		"+026-09-01" };
	time_t t;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (aup_date_parse(bad[i], &t) != -1)
			fail_msg("'%s' was taken as a date", bad[i]);
	assert_int_equal(aup_date_parse("2028-02-29", &t), 0);
}

static void
test_rfc3339_out(void **state)
{
	char buf[32];

	(void)state;
	zone("UTC");
	aup_time_fmt(1795438800, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-23T13:00:00+00:00");
	zone(LONDON);
	aup_time_fmt(1795438800, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-23T13:00:00+00:00");
	aup_time_fmt(1788276609, buf, sizeof buf);
	assert_string_equal(buf, "2026-09-01T16:30:09+01:00");
	/* What it writes it reads back to the same second. */
	assert_int_equal(parsed(buf), 1788276609);
	zone("EST5");
	aup_time_fmt(1795438800, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-23T08:00:00-05:00");
	assert_int_equal(parsed(buf), 1795438800);
	/* No time is an empty string; a buffer too short is empty too. */
	aup_time_fmt(0, buf, sizeof buf);
	assert_string_equal(buf, "");
	aup_time_fmt(1795438800, buf, 25);
	assert_string_equal(buf, "");
}

static void
test_for_people(void **state)
{
	char buf[32];

	(void)state;
	zone(LONDON);
	aup_time_fmt_local(1788276609, buf, sizeof buf);
	assert_string_equal(buf, "2026-09-01 16:30:09");
	/* A machine time from anywhere reads in local time, seconds kept. */
	assert_int_equal(aup_time_for_people("2026-09-01T10:30:09-05:00", buf,
			     sizeof buf),
	    0);
	assert_string_equal(buf, "2026-09-01 16:30:09");
	assert_int_equal(aup_time_for_people("2026-09-01", buf, sizeof buf), 0);
	assert_string_equal(buf, "2026-09-01");
	assert_int_equal(aup_time_for_people("soon", buf, sizeof buf), -1);
	assert_string_equal(buf, "soon");
}

static void
test_academic_year(void **state)
{
	(void)state;
	zone("UTC");
	/* The academic year turns on 1 September by default. */
	assert_int_equal(aup_academic_year(parsed("2026-08-31"), 9, 1), 2025);
	assert_int_equal(aup_academic_year(parsed("2026-09-01"), 9, 1), 2026);
}

static void
test_academic_year_names(void **state)
{
	static const char *const good[] = { "2026", "2026-27", "2026/27",
		"2026-2027" };
	static const char *const bad[] = { "", "26-27", "2026-28", "2026-2028",
		"2026-", "2026-27x", "20266", "x2026", "2026 " };
	char buf[8];
	int y;

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		y = 0;
		assert_int_equal(aup_academic_year_parse(good[i], &y), 0);
		assert_int_equal(y, 2026);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(aup_academic_year_parse(bad[i], &y), -1);
	assert_int_equal(aup_academic_year_parse("2099-00", &y), 0);
	assert_int_equal(y, 2099);
	aup_academic_year_label(2099, buf, sizeof buf);
	assert_string_equal(buf, "2099-00");
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
		cmocka_unit_test(test_local_forms),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_rfc3339_out),
		cmocka_unit_test(test_for_people),
		cmocka_unit_test(test_academic_year),
		cmocka_unit_test(test_academic_year_names),
		cmocka_unit_test(test_clock_moves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
