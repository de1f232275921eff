/* Consents and breaches: the terms a breach is counted in, the governors'
 * counts by term and category, the walks over one person for a subject
 * access request, and lists that go by an index. */
#include "fixture.h"

#include "aup/breach.h"
#include "aup/consent.h"
#include "storage.h"

/* Local midnight (the tests run in UTC) of Y-M-D, plus H hours. */
static time_t
when(int y, int m, int d, int h)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static void
test_terms_from_september(void **state)
{
	(void)state;
	assert_int_equal(aup_term_of(when(2026, 9, 1, 0), 9, 1),
	    AUP_TERM_AUTUMN);
	assert_int_equal(aup_term_of(when(2026, 12, 31, 23), 9, 1),
	    AUP_TERM_AUTUMN);
	assert_int_equal(aup_term_of(when(2027, 1, 1, 0), 9, 1),
	    AUP_TERM_SPRING);
	assert_int_equal(aup_term_of(when(2027, 3, 31, 23), 9, 1),
	    AUP_TERM_SPRING);
	assert_int_equal(aup_term_of(when(2027, 4, 1, 0), 9, 1),
	    AUP_TERM_SUMMER);
	assert_int_equal(aup_term_of(when(2027, 8, 31, 23), 9, 1),
	    AUP_TERM_SUMMER);
	assert_string_equal(aup_term_name(AUP_TERM_AUTUMN), "autumn");
	assert_string_equal(aup_term_name(AUP_TERM_SPRING), "spring");
	assert_string_equal(aup_term_name(AUP_TERM_SUMMER), "summer");
}

/* A year that starts on 15 August: the terms move with it, and the days
 * of August before the 15th end the year before. */
static void
test_terms_follow_year_start(void **state)
{
	(void)state;
	assert_int_equal(aup_term_of(when(2026, 8, 14, 12), 8, 15),
	    AUP_TERM_SUMMER);
	assert_int_equal(aup_term_of(when(2026, 8, 15, 0), 8, 15),
	    AUP_TERM_AUTUMN);
	assert_int_equal(aup_term_of(when(2026, 11, 30, 12), 8, 15),
	    AUP_TERM_AUTUMN);
	assert_int_equal(aup_term_of(when(2026, 12, 1, 0), 8, 15),
	    AUP_TERM_SPRING);
	assert_int_equal(aup_term_of(when(2027, 2, 28, 12), 8, 15),
	    AUP_TERM_SPRING);
	assert_int_equal(aup_term_of(when(2027, 3, 1, 0), 8, 15),
	    AUP_TERM_SUMMER);
	/* January as the start: a calendar year. */
	assert_int_equal(aup_term_of(when(2027, 4, 30, 0), 1, 1),
	    AUP_TERM_AUTUMN);
	assert_int_equal(aup_term_of(when(2027, 5, 1, 0), 1, 1),
	    AUP_TERM_SPRING);
	assert_int_equal(aup_term_of(when(2027, 12, 31, 0), 1, 1),
	    AUP_TERM_SUMMER);
}

/* A breach of CAT by REF at T. */
static void
breach_at(struct fixture *f, const char *ref, const char *cat, time_t t)
{
	aup_clock_set(t);
	if (aup_breach_record(f->db, ref, cat, "what happened", 0, NULL,
		&f->err) != 0)
		fail_msg("breach: %s", f->err.msg);
}

static void
test_counts_by_term_and_category(void **state)
{
	struct fixture *f = *state;
	long c[AUP_NTERMS][AUP_BREACH_NCAT];
	static const long want[AUP_NTERMS][AUP_BREACH_NCAT] = {
		{ 2, 0, 1, 0 }, /* autumn */
		{ 0, 1, 0, 0 }, /* spring */
		{ 1, 0, 0, 1 }, /* summer */
	};

	aup_clock_set(when(2026, 8, 1, 9));
	fixture_person(f, AUP_ROLE_PUPIL, "Ann", "Bee", NULL);
	fixture_person(f, AUP_ROLE_STAFF, "Sam", "Tee", NULL);
	/* 2025-26, then 2026-27 term by term, then 2027-28. */
	breach_at(f, "stee", "D", when(2026, 8, 31, 23));
	breach_at(f, "stee", "A", when(2026, 9, 1, 0));
	breach_at(f, "id:1", "a", when(2026, 10, 5, 9));
	breach_at(f, "id:1", "C", when(2026, 12, 31, 23));
	breach_at(f, "id:1", "B", when(2027, 2, 1, 9));
	breach_at(f, "stee", "A", when(2027, 4, 1, 0));
	breach_at(f, "id:1", "D", when(2027, 8, 31, 23));
	breach_at(f, "id:1", "B", when(2027, 9, 1, 0));

	assert_int_equal(aup_breach_counts(f->db, 2026, c, &f->err), 0);
	assert_memory_equal(c, want, sizeof want);
	/* The current year by default: it is 1 September 2027 now. */
	assert_int_equal(aup_breach_counts(f->db, 0, c, &f->err), 0);
	assert_int_equal(c[AUP_TERM_AUTUMN][1], 1);
	assert_int_equal(c[AUP_TERM_AUTUMN][0] + c[AUP_TERM_SPRING][3] +
		c[AUP_TERM_SUMMER][3],
	    0);
	assert_int_equal(aup_breach_counts(f->db, 2025, c, &f->err), 0);
	assert_int_equal(c[AUP_TERM_SUMMER][3], 1);
}

struct seen {
	char what[8][48];
	size_t n;
};

static int
seen_consent(void *arg, const struct aup_consent_row *r)
{
	struct seen *s = arg;

	assert_true(s->n < 8);
	snprintf(s->what[s->n++], sizeof s->what[0], "%d %d%d %s %s",
	    r->academic_year, r->images, r->platforms, r->signer,
	    r->relationship);
	return 0;
}

static int
seen_breach(void *arg, const struct aup_breach_row *r)
{
	struct seen *s = arg;

	assert_true(s->n < 8);
	snprintf(s->what[s->n++], sizeof s->what[0], "%c %s %s", r->category,
	    r->note, r->first);
	return 0;
}

/* What the subject access export reads: one person's, oldest first, and
 * no one else's. */
static void
test_walks_over_one_person(void **state)
{
	struct fixture *f = *state;
	int64_t ann = fixture_person(f, AUP_ROLE_PUPIL, "Ann", "Bee", NULL);
	struct aup_consent_spec s = { .year = 2027,
		.images = true,
		.platforms = false,
		.signer = "Tom Bee",
		.relationship = "carer" };
	struct seen seen = { 0 };

	fixture_person(f, AUP_ROLE_PUPIL, "Cal", "Dee", NULL);
	assert_int_equal(aup_consent_record(f->db, "id:1", &s, &f->err), 0);
	s.year = 2026;
	s.signer = "Mary Bee";
	s.relationship = "parent";
	assert_int_equal(aup_consent_record(f->db, "id:1", &s, &f->err), 0);
	assert_int_equal(aup_consent_record(f->db, "id:1", &s, &f->err), 1);
	assert_int_equal(aup_consent_record(f->db, "id:2", &s, &f->err), 0);
	assert_int_equal(aup_consent_walk_user(f->db, ann, seen_consent, &seen,
			     &f->err),
	    0);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.what[0], "2026 10 Mary Bee parent");
	assert_string_equal(seen.what[1], "2027 10 Tom Bee carer");

	breach_at(f, "id:2", "C", when(2026, 10, 1, 9));
	breach_at(f, "id:1", "B", when(2026, 11, 1, 9));
	breach_at(f, "id:1", "A", when(2026, 10, 1, 9));
	seen.n = 0;
	assert_int_equal(aup_breach_walk_user(f->db, ann, seen_breach, &seen,
			     &f->err),
	    0);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.what[0], "A what happened Ann");
	assert_string_equal(seen.what[1], "B what happened Ann");
}

/* A breach's suspension takes effect at once, through the suspension every
 * other takes; it never shortens a longer one already running. */
static void
test_breach_suspends(void **state)
{
	struct fixture *f = *state;
	time_t now = when(2026, 11, 23, 10);
	struct aup_user *u;
	int64_t id;

	aup_clock_set(now);
	fixture_person(f, AUP_ROLE_PUPIL, "Ann", "Bee", NULL);
	fixture_person(f, AUP_ROLE_PUPIL, "Cal", "Dee", NULL);
	assert_int_equal(aup_breach_record(f->db, "id:1", "d", "hacked", 3, &id,
			     &f->err),
	    0);
	assert_int_equal(aup_user_find(f->db, "id:1", &u, &f->err), 0);
	assert_int_equal(u->status, AUP_STATUS_SUSPENDED);
	assert_int_equal(u->status_until, now + 3 * 24 * 60 * 60);
	assert_string_equal(u->status_reason,
	    "breach of the acceptable use agreement, category D (breach 1)");
	aup_user_free(u);

	assert_int_equal(aup_user_suspend(f->db, "id:2", "until further notice",
			     0, &f->err),
	    0);
	assert_int_equal(aup_breach_record(f->db, "id:2", "B", "rude", 2, &id,
			     &f->err),
	    0);
	assert_int_equal(aup_user_find(f->db, "id:2", &u, &f->err), 0);
	assert_int_equal(u->status, AUP_STATUS_SUSPENDED);
	assert_int_equal(u->status_until, 0);
	assert_string_equal(u->status_reason, "until further notice");
	aup_user_free(u);
	/* A shorter one running is made as long as the breach's. */
	assert_int_equal(aup_user_suspend(f->db, "id:1", "a day", now + 3600,
			     &f->err),
	    0);
	assert_int_equal(aup_breach_record(f->db, "id:1", "C", "again", 2, &id,
			     &f->err),
	    0);
	assert_int_equal(aup_user_find(f->db, "id:1", &u, &f->err), 0);
	assert_int_equal(u->status_until, now + 2 * 24 * 60 * 60);
	aup_user_free(u);
}

/* A plan that reads a whole table rather than searching an index: "SCAN"
 * of a table, or of an index that no filter narrows. ALLOWED is the one
 * walk in order a list may take (NULL: none). */
static void
assert_no_scan(const char *plan, const char *allowed, const char *what)
{
	for (const char *p = plan; (p = strstr(p, "SCAN ")) != NULL; p++)
		if (allowed == NULL ||
		    strncmp(p, allowed, strlen(allowed)) != 0)
			fail_msg("%s scans:\n%s", what, plan);
}

static void
test_lists_use_an_index(void **state)
{
	struct fixture *f = *state;
	struct aup_consent_filter cf;
	char *plan = NULL;
	unsigned shape;

	for (shape = 0; shape < 16; shape++) {
		aup_consent_filter_init(&cf);
		cf.year = 2026;
		cf.class_name = shape & 1 ? "5B" : NULL;
		cf.images = shape & 2 ? 0 : -1;
		cf.platforms = shape & 4 ? 1 : -1;
		cf.missing = (shape & 8) != 0;
		assert_int_equal(st_consent_query_plan(f->db, &cf, &plan,
				     &f->err),
		    0);
		assert_no_scan(plan, NULL, "consents");
		free(plan);
	}
	for (shape = 0; shape < 8; shape++) {
		time_t since = shape & 1 ? when(2026, 9, 1, 0) : 0;
		char cat = shape & 2 ? 'B' : 0;
		int64_t user = shape & 4 ? 1 : 0;

		assert_int_equal(st_breach_query_plan(f->db, since, cat, user,
				     &plan, &f->err),
		    0);
		/* All breaches, or all of one category: newest first from
		 * the index of their times, with nothing to sort. */
		assert_no_scan(plan,
		    since == 0 && user == 0 ?
			"SCAN b USING INDEX aup_breaches_at" :
			NULL,
		    "breaches");
		if (strstr(plan, "TEMP B-TREE") != NULL)
			fail_msg("breaches sorts:\n%s", plan);
		free(plan);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terms_from_september),
		cmocka_unit_test(test_terms_follow_year_start),
		cmocka_unit_test_setup_teardown(
		    test_counts_by_term_and_category, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_walks_over_one_person,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_breach_suspends,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lists_use_an_index,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
