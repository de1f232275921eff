/* Agreements in the core: the audit reads only indexes, in their order;
 * it finds exactly who owes what, a form signed once counts for good, an
 * annual one only for its year; and the summary's counts agree with the
 * list. */
#include <string.h>

#include "fixture.h"

#include "aup/aup.h"
#include "aup/clock.h"
#include "storage.h"

#define T0  ((time_t)1800000000) /* 2027-01-15T08:00:00Z, in 2026-27 */
#define DAY ((time_t)86400)

static void
add(struct fixture *f, enum aup_role role, const char *first, int year,
    const char *cls)
{
	struct aup_user_spec s = { .role = role,
		.first = first,
		.last = "Test",
		.year = year,
		.class_name = cls };

	if (aup_user_add(f->db, &s, NULL, NULL, &f->err) != 0)
		fail_msg("add %s: %s", first, f->err.msg);
}

static void
sign(struct fixture *f, const char *user, const char *signer, int year)
{
	struct aup_sign_spec s = { .user = user,
		.signer = signer,
		.year = year,
		.relationship = -1,
		.method = -1 };
	struct aup_signature g;
	bool already;

	if (aup_sign(f->db, &s, &g, &already, &f->err) != 0)
		fail_msg("sign %s: %s", user, f->err.msg);
	aup_signature_clear(&g);
}

struct seen {
	char names[16][32];
	char forms[16][32];
	size_t n;
};

static int
seen_row(void *arg, const struct aup_user *u, const struct aup_form *fm)
{
	struct seen *s = arg;

	if (s->n < 16) {
		aup_strlcpy(s->names[s->n], u->username, sizeof s->names[0]);
		aup_strlcpy(s->forms[s->n], fm != NULL ? fm->id : "",
		    sizeof s->forms[0]);
		s->n++;
	}
	return 0;
}

static void
audit(struct fixture *f, int year, struct seen *s)
{
	struct aup_audit_filter flt = { .year = year, .role = -1, .ks = -1 };

	memset(s, 0, sizeof *s);
	assert_int_equal(aup_audit(f->db, &flt, seen_row, s, &f->err), 0);
}

static bool
listed(const struct seen *s, const char *name, const char *form)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return form == NULL || strcmp(s->forms[i], form) == 0;
	return false;
}

/* Every filter's shape reads people from one index alone, in its order:
 * the list (shape & 8 clear) from users_audit, the summary's counts from
 * users_audit_count; no walk of the table, no sort. */
static void
test_plans(void **state)
{
	struct fixture *f = *state;

	for (int shape = 0; shape < 16; shape++) {
		struct aup_audit_filter flt = { .role = -1, .ks = -1 };
		char *plan = NULL;

		if (shape & 1)
			flt.role = AUP_ROLE_PUPIL;
		if (shape & 2)
			flt.ks = AUP_KS_2;
		if (shape & 4)
			flt.class_name = "4A";
		assert_int_equal(st_audit_plan(f->db, &flt, shape & 8, &plan,
				     &f->err),
		    0);
		const char *index = shape & 8 ? "users_audit_count" :
						"users_audit";
		const char *at = strstr(plan, "COVERING INDEX ");

		if (at == NULL || strncmp(at + 15, index, strlen(index)) != 0 ||
		    at[15 + strlen(index)] == '_' ||
		    strstr(plan, "TEMP B-TREE") != NULL)
			fail_msg("shape %d: %s", shape, plan);
		free(plan);
	}
}

/* Who owes what: a year 1 pupil the early form, a year 4 pupil the KS2
 * one, staff theirs; a class logon nothing. Annual forms are for their
 * year; the visitors' form, signed once, counts in later years too. */
static void
test_who_owes(void **state)
{
	struct fixture *f = *state;
	struct aup_audit_summary sum;
	struct aup_audit_filter all = { .role = -1, .ks = -1 };
	struct seen s;
	int y = 2026;

	aup_clock_set(T0);
	add(f, AUP_ROLE_STAFF, "Amy", AUP_YEAR_NONE, NULL);
	add(f, AUP_ROLE_PUPIL, "Ben", 1, "1A");
	add(f, AUP_ROLE_PUPIL, "Cai", 4, "4A");
	add(f, AUP_ROLE_VISITOR, "Dot", AUP_YEAR_NONE, NULL);
	add(f, AUP_ROLE_CLASS, "Class", 1, "1A");
	audit(f, y, &s);
	assert_int_equal(s.n, 4);
	assert_true(listed(&s, "atest", "staff"));
	assert_true(listed(&s, "26btest", "pupil-early") ||
	    listed(&s, "25btest", "pupil-early"));
	assert_true(listed(&s, "vdtest", "visitor"));
	assert_false(listed(&s, "class1a", NULL));

	sign(f, "atest", NULL, y);
	sign(f, "vdtest", NULL, y);
	audit(f, y, &s);
	assert_int_equal(s.n, 2);
	assert_false(listed(&s, "atest", NULL));

	/* The next year: staff again, the visitor not. */
	audit(f, y + 1, &s);
	assert_true(listed(&s, "atest", "staff"));
	assert_false(listed(&s, "vdtest", NULL));

	/* The summary agrees with the list, per role and in all. */
	assert_int_equal(
	    aup_audit_summary(f->db,
		&(struct aup_audit_filter){ .year = y, .role = -1, .ks = -1 },
		&sum, &f->err),
	    0);
	assert_int_equal(sum.total, 4);
	assert_int_equal(sum.signed_n, 2);
	assert_int_equal(sum.nroles, 3); /* pupil, staff, visitor */
	assert_string_equal(sum.roles[0].name, "pupil");
	assert_int_equal(sum.roles[0].total, 2);
	assert_int_equal(sum.roles[0].signed_n, 0);
	assert_int_equal(sum.nclasses, 2);
	assert_string_equal(sum.classes[0].name, "1A");
	assert_int_equal(sum.classes[0].total, 1);
	aup_audit_summary_clear(&sum);
	all.year = y + 1;
	assert_int_equal(aup_audit_summary(f->db, &all, &sum, &f->err), 0);
	assert_int_equal(sum.signed_n, 1); /* the visitor, once for good */
	aup_audit_summary_clear(&sum);
}

/* Only the form due counts: a year 2 pupil who signed the early form is
 * listed for KS2's once moved up to year 3, in the same year. */
static void
test_form_follows_key_stage(void **state)
{
	struct fixture *f = *state;
	struct aup_user_edit e = { .set_year = true, .year = 3 };
	struct seen s;
	char name[32];

	aup_clock_set(T0);
	add(f, AUP_ROLE_PUPIL, "Eve", 2, "2A");
	audit(f, 2026, &s);
	assert_int_equal(s.n, 1);
	aup_strlcpy(name, s.names[0], sizeof name);
	sign(f, name, "Pat Test", 2026);
	audit(f, 2026, &s);
	assert_int_equal(s.n, 0);
	assert_int_equal(aup_user_edit(f->db, name, &e, &f->err), 0);
	audit(f, 2026, &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.forms[0], "pupil-ks2");
	sign(f, name, "Pat Test", 2026);
	audit(f, 2026, &s);
	assert_int_equal(s.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plans, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_who_owes, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_form_follows_key_stage,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
