/* The year rollover: the next year group, the class rule, the plan, the
 * dry run writing nothing, and once a year only. */
#include "fixture.h"

#include <sys/stat.h>

#include "aup/log.h"
#include "aup/year.h"

static void
test_year_next(void **state)
{
	(void)state;
	assert_int_equal(aup_year_next(AUP_YEAR_N), AUP_YEAR_R);
	assert_int_equal(aup_year_next(AUP_YEAR_R), 1);
	assert_int_equal(aup_year_next(1), 2);
	assert_int_equal(aup_year_next(12), 13);
	assert_int_equal(aup_year_next(13), AUP_YEAR_NONE);
	assert_int_equal(aup_year_next(AUP_YEAR_NONE), AUP_YEAR_NONE);
}

/* The class RULE makes of CLS is WANT (NULL: none). */
static void
class_is(enum aup_rollover_classes rule, const char *cls, const char *want)
{
	char *got = aup_year_class_next(rule, cls);

	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
}

static void
test_class_rule(void **state)
{
	(void)state;
	class_is(AUP_CLASSES_SHIFT, "4A", "5A");
	class_is(AUP_CLASSES_SHIFT, "10X", "11X");
	class_is(AUP_CLASSES_SHIFT, "9X", "10X");
	class_is(AUP_CLASSES_SHIFT, "09X", "10X");
	class_is(AUP_CLASSES_SHIFT, "01A", "02A");
	class_is(AUP_CLASSES_SHIFT, "3", "4");
	class_is(AUP_CLASSES_SHIFT, "4 Oak", "5 Oak");
	class_is(AUP_CLASSES_SHIFT, "Kestrel", "Kestrel");
	class_is(AUP_CLASSES_SHIFT, "RB", "RB");
	class_is(AUP_CLASSES_SHIFT, "Y4A", "Y4A");
	class_is(AUP_CLASSES_SHIFT, NULL, NULL);
	class_is(AUP_CLASSES_SHIFT, "", NULL);
	class_is(AUP_CLASSES_KEEP, "4A", "4A");
	class_is(AUP_CLASSES_KEEP, NULL, NULL);
	class_is(AUP_CLASSES_CLEAR, "4A", NULL);
}

static void
at(const char *when)
{
	time_t t;

	assert_int_equal(aup_date_parse(when, &t), 0);
	aup_clock_set(t);
}

/* Add a pupil in YEAR and CLS, with a generated password when PW. */
static char *
pupil(struct fixture *f, const char *first, int year, const char *cls, bool pw)
{
	struct aup_user_spec s;
	struct aup_user *u;
	char *name;

	memset(&s, 0, sizeof s);
	s.role = AUP_ROLE_PUPIL;
	s.first = first;
	s.last = "Test";
	s.year = year;
	s.class_name = cls;
	s.generate = pw;
	if (aup_user_add(f->db, &s, &u, NULL, &f->err) != 0)
		fail_msg("add %s: %s", first, f->err.msg);
	name = xstrdup(u->username);
	aup_user_free(u);
	return name;
}

static struct aup_user *
find(struct fixture *f, const char *name)
{
	struct aup_user *u;

	if (aup_user_find(f->db, name, &u, &f->err) != 0)
		fail_msg("find %s: %s", name, f->err.msg);
	return u;
}

#define NSEEN 16
struct seen {
	struct {
		char username[40];
		enum aup_year_action action;
		int from, to;
		char to_class[16];
		char reason[96];
	} v[NSEEN];
	size_t n;
};

static int
seen_item(void *arg, const struct aup_year_item *it)
{
	struct seen *s = arg;

	assert_true(s->n < NSEEN);
	aup_strlcpy(s->v[s->n].username, it->username,
	    sizeof s->v[s->n].username);
	s->v[s->n].action = it->action;
	s->v[s->n].from = it->from_year;
	s->v[s->n].to = it->to_year;
	aup_strlcpy(s->v[s->n].to_class, it->to_class ? it->to_class : "",
	    sizeof s->v[s->n].to_class);
	aup_strlcpy(s->v[s->n].reason, it->reason ? it->reason : "",
	    sizeof s->v[s->n].reason);
	s->n++;
	return 0;
}

/* The index of NAME in S; fails when NAME is not there. */
static size_t
seen_at(const struct seen *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].username, name) == 0)
			return i;
	fail_msg("%s is not in the plan", name);
	return 0;
}

static void
test_plan_and_dry_run(void **state)
{
	struct fixture *f = *state;
	struct aup_year_opts o = { .dry_run = true };
	struct aup_year_summary sum;
	struct seen s = { .n = 0 };
	struct aup_user *u;
	char *one, *two, *four, *six, *gone;
	int64_t logged;
	size_t i;

	at("2026-08-20T10:00");
	one = pupil(f, "One", 1, "1A", false);
	two = pupil(f, "Two", 2, "2B", false);
	four = pupil(f, "Four", 4, "4A", true);
	six = pupil(f, "Six", 6, "6A", true);
	gone = pupil(f, "Gone", 3, "3C", true);
	assert_int_equal(aup_user_mark_leaving(f->db, gone, "moved", &f->err),
	    0);
	fixture_person(f, AUP_ROLE_STAFF, "Sta", "Ff", NULL);
	at("2026-09-01T10:00");
	logged = fixture_log_count(f);

	assert_int_equal(aup_year_rollover(f->db, &o, seen_item, &s, &sum,
			     &f->err),
	    0);
	/* Pupils only, the one already leaving left out, oldest first. */
	assert_int_equal(s.n, 4);
	assert_string_equal(s.v[0].username, six);
	assert_int_equal(s.v[0].action, AUP_YEAR_LEAVE);
	assert_int_equal(s.v[0].to, 6);
	assert_string_equal(s.v[0].reason,
	    "left after Year 6 (rollover 2026-27)");
	i = seen_at(&s, four);
	assert_int_equal(s.v[i].action, AUP_YEAR_PROMOTE);
	assert_int_equal(s.v[i].to, 5);
	assert_string_equal(s.v[i].to_class, "5A");
	i = seen_at(&s, two);
	assert_int_equal(s.v[i].action, AUP_YEAR_LOGIN);
	assert_int_equal(s.v[i].to, 3);
	assert_string_equal(s.v[i].to_class, "3B");
	i = seen_at(&s, one);
	assert_int_equal(s.v[i].action, AUP_YEAR_PROMOTE);
	assert_int_equal(s.v[i].from, 1);
	assert_int_equal(s.v[i].to, 2);
	assert_int_equal(sum.academic_year, 2026);
	assert_string_equal(sum.label, "2026-27");
	assert_int_equal(sum.count[AUP_YEAR_PROMOTE], 2);
	assert_int_equal(sum.count[AUP_YEAR_LOGIN], 1);
	assert_int_equal(sum.count[AUP_YEAR_LEAVE], 1);
	assert_false(sum.committed);

	/* The dry run wrote nothing: not the people, not the log, not the
	 * year. */
	u = find(f, one);
	assert_int_equal(u->year, 1);
	assert_string_equal(u->class_name, "1A");
	aup_user_free(u);
	u = find(f, six);
	assert_int_equal(u->status, AUP_STATUS_ACTIVE);
	aup_user_free(u);
	u = find(f, two);
	assert_false(u->has_password);
	aup_user_free(u);
	assert_int_equal(fixture_log_count(f), logged);
	s.n = 0;
	assert_int_equal(aup_year_rollover(f->db, &o, seen_item, &s, &sum,
			     &f->err),
	    0);
	assert_int_equal(s.n, 4);

	free(one);
	free(two);
	free(four);
	free(six);
	free(gone);
}

static void
test_once_a_year(void **state)
{
	struct fixture *f = *state;
	struct aup_year_opts o = { .slips = NULL };
	struct aup_year_summary sum;
	struct aup_year_info y;
	struct aup_user *u;
	char slips[128], *two, *six;
	int64_t logged;

	at("2026-08-20T10:00");
	two = pupil(f, "Two", 2, "2B", false);
	six = pupil(f, "Six", 6, "6A", true);
	assert_int_equal(aup_year_show(f->db, &y, &f->err), 0);
	assert_int_equal(y.academic_year, 2025);
	assert_true(y.due);
	assert_int_equal(y.last_year, 0);
	aup_year_info_clear(&y);

	at("2026-09-01T10:00");
	/* A password to make and nowhere to put it: refused, nothing
	 * written. */
	logged = fixture_log_count(f);
	assert_int_equal(aup_year_rollover(f->db, &o, NULL, NULL, &sum,
			     &f->err),
	    -1);
	assert_int_equal(f->err.code, AUP_EX_USAGE);
	assert_int_equal(fixture_log_count(f), logged);

	snprintf(slips, sizeof slips, "%s/slips.csv", f->dir);
	o.slips = slips;
	o.slip_format = AUP_SLIP_CSV;
	assert_int_equal(aup_year_rollover(f->db, &o, NULL, NULL, &sum,
			     &f->err),
	    0);
	assert_true(sum.committed);
	assert_int_equal(sum.passwords, 1);
	u = find(f, two);
	assert_int_equal(u->year, 3);
	assert_string_equal(u->class_name, "3B");
	assert_true(u->has_password);
	assert_true(u->must_change);
	aup_user_free(u);
	u = find(f, six);
	assert_int_equal(u->status, AUP_STATUS_LEAVING);
	assert_int_equal(u->year, 6);
	aup_user_free(u);
	/* Two moves, a password, a leaver and the summary. */
	assert_int_equal(fixture_log_count(f), logged + 4);
	unlink(slips);

	assert_int_equal(aup_year_show(f->db, &y, &f->err), 0);
	assert_int_equal(y.academic_year, 2026);
	assert_int_equal(y.last_year, 2026);
	assert_string_equal(y.last_label, "2026-27");
	assert_false(y.due);
	aup_year_info_clear(&y);

	/* Again the same academic year, even at its very end: refused. */
	at("2027-08-31T23:00");
	assert_int_equal(aup_year_rollover(f->db, &o, NULL, NULL, &sum,
			     &f->err),
	    -1);
	assert_int_equal(f->err.code, AUP_EX_DATAERR);
	assert_non_null(strstr(f->err.msg, "2026-27 was rolled over already"));
	u = find(f, two);
	assert_int_equal(u->year, 3);
	aup_user_free(u);

	/* The next one moves them on. */
	at("2027-09-01T10:00");
	assert_int_equal(aup_year_rollover(f->db, &o, NULL, NULL, &sum,
			     &f->err),
	    0);
	u = find(f, two);
	assert_int_equal(u->year, 4);
	assert_string_equal(u->class_name, "4B");
	aup_user_free(u);
	unlink(slips);
	free(two);
	free(six);
}

struct meddle {
	struct fixture *f;
	const char *name;
};

/* Between the plan and the writing, someone moves a pupil by hand. */
static int
meddle_item(void *arg, const struct aup_year_item *it)
{
	struct meddle *m = arg;
	struct aup_user_edit e = { .set_year = true, .year = 4 };

	if (strcmp(it->username, m->name) == 0)
		assert_int_equal(aup_user_edit(m->f->db, m->name, &e,
				     &m->f->err),
		    0);
	return 0;
}

static void
test_changed_meanwhile(void **state)
{
	struct fixture *f = *state;
	struct aup_year_opts o = { .dry_run = false };
	struct aup_year_summary sum;
	struct aup_year_info y;
	struct aup_user *u;
	char *one, *three;
	struct meddle m = { f, NULL };

	at("2026-09-01T10:00");
	one = pupil(f, "One", 1, "1A", false);
	three = pupil(f, "Three", 3, "3A", true);
	m.name = three;
	assert_int_equal(aup_year_rollover(f->db, &o, meddle_item, &m, &sum,
			     &f->err),
	    -1);
	assert_int_equal(f->err.code, AUP_EX_TEMPFAIL);
	assert_non_null(strstr(f->err.msg, three));
	/* Nothing of the rollover was written, the year not recorded. */
	u = find(f, one);
	assert_int_equal(u->year, 1);
	aup_user_free(u);
	u = find(f, three);
	assert_int_equal(u->year, 4);
	aup_user_free(u);
	assert_int_equal(aup_year_show(f->db, &y, &f->err), 0);
	assert_true(y.due);
	aup_year_info_clear(&y);
	free(one);
	free(three);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_year_next),
		cmocka_unit_test(test_class_rule),
		cmocka_unit_test_setup_teardown(test_plan_and_dry_run,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_once_a_year, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_changed_meanwhile,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
