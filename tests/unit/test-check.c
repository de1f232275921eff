/* The nightly check: its findings filed by kind, each kind named and
 * described for people, the detail dated, --mark acting on what it can. */
#include "fixture.h"

#include "aup/aup.h"
#include "aup/check.h"
#include "aup/password.h"
#include "aup/user.h"

#define DAY 86400
#define T0  ((time_t)1800000000)

static void
test_kind_names(void **state)
{
	static const char *const names[AUP_CHECK_KIND_COUNT] = {
		[AUP_CHECK_PW_EXPIRED] = "password-expired",
		[AUP_CHECK_PW_EXPIRING] = "password-expiring",
		[AUP_CHECK_LOCKED] = "locked",
		[AUP_CHECK_SUSPENSION_OVER] = "suspension-over",
		[AUP_CHECK_UNSIGNED] = "aup-unsigned",
		[AUP_CHECK_LEAVER_STALE] = "leaver-stale",
		[AUP_CHECK_VISIT_OVER] = "visitor-expired",
	};

	(void)state;
	for (int k = 0; k < AUP_CHECK_KIND_COUNT; k++) {
		enum aup_check_kind kind = (enum aup_check_kind)k;

		assert_non_null(names[k]);
		assert_string_equal(aup_check_kind_name(kind), names[k]);
		/* A title for people in each, never an option of a face. */
		assert_true(strlen(aup_check_kind_title(kind, false)) > 0);
		assert_null(strstr(aup_check_kind_title(kind, false), "--"));
		assert_null(strstr(aup_check_kind_title(kind, true), "--"));
	}
	assert_string_equal(aup_check_kind_title(AUP_CHECK_PW_EXPIRED, false),
	    "Expired passwords");
	assert_string_equal(aup_check_kind_title(AUP_CHECK_PW_EXPIRED, true),
	    "Expired passwords (now marked must-change)");
	assert_string_equal(aup_check_kind_title(AUP_CHECK_LOCKED, true),
	    "Accounts locked after failed logins");
	assert_string_equal(aup_check_kind_action(AUP_CHECK_SUSPENSION_OVER),
	    "lift");
	assert_null(aup_check_kind_action(AUP_CHECK_PW_EXPIRING));
	assert_string_equal(aup_check_kind_name(AUP_CHECK_KIND_COUNT),
	    "unknown");
}

/* The count is of people, over every kind. */
static void
test_count(void **state)
{
	struct aup_check_report r;

	(void)state;
	memset(&r, 0, sizeof r);
	assert_int_equal(aup_check_count(&r), 0);
	r.found[AUP_CHECK_PW_EXPIRED].n = 2;
	r.found[AUP_CHECK_KIND_COUNT - 1].n = 3;
	assert_int_equal(aup_check_count(&r), 5);
}

/* The one person found for kind K in R is USERNAME, with DETAIL. */
static void
expect_found(struct fixture *f, const struct aup_check_report *r,
    enum aup_check_kind k, const char *username, const char *detail)
{
	char buf[64];

	if (r->found[k].n != 1)
		fail_msg("%s: %zu found", aup_check_kind_name(k),
		    r->found[k].n);
	assert_string_equal(r->found[k].v[0].username, username);
	aup_check_detail(f->cfg, k, &r->found[k].v[0], aup_now(), buf,
	    sizeof buf);
	assert_string_equal(buf, detail);
}

static void
test_report_by_kind(void **state)
{
	struct fixture *f = *state;
	struct aup_check_report r;
	enum aup_auth_result res;

	f->cfg->pw[AUP_ROLE_STAFF].max_age_days = 90;
	f->cfg->pw[AUP_ROLE_STAFF].warn_days = 14;
	f->cfg->pw[AUP_ROLE_STAFF].lockout_attempts = 3;
	/* The first wait after three failures is lockout_minutes / 32: an hour.
	 */
	f->cfg->pw[AUP_ROLE_STAFF].lockout_minutes = 32 * 60;
	/* Agreements have a test of their own: a grace of a year keeps
	 * everyone's. */
	f->cfg->aup_grace_days = 365;
	aup_clock_set(T0);
	fixture_person(f, AUP_ROLE_STAFF, "Amy", "Smith",
	    "maple-otter-cloud-42");
	assert_int_equal(aup_check_run(f->db, false, &r, &f->err), 0);
	assert_int_equal(aup_check_count(&r), 0);
	aup_check_clear(&r);

	aup_clock_set(T0 + 30 * DAY);
	fixture_person(f, AUP_ROLE_STAFF, "Bob", "Jones",
	    "river-paper-swan-17");
	fixture_person(f, AUP_ROLE_GOVERNOR, "Gil", "Moss", NULL);
	assert_int_equal(aup_user_suspend(f->db, "gmoss", "sanction",
			     T0 + 100 * DAY, &f->err),
	    0);
	aup_clock_set(T0 + 100 * DAY);
	fixture_person(f, AUP_ROLE_STAFF, "Cat", "Wood", "tiger-cloud-lamp-81");
	aup_clock_set(T0 + 110 * DAY);
	for (int i = 0; i < 3; i++)
		assert_int_equal(aup_auth(f->db, "cwood", "wrong", &res,
				     &f->err),
		    0);
	assert_int_equal(aup_check_run(f->db, false, &r, &f->err), 0);
	expect_found(f, &r, AUP_CHECK_PW_EXPIRED, "asmith", "since 2027-04-15");
	expect_found(f, &r, AUP_CHECK_PW_EXPIRING, "bjones", "on 2027-05-15");
	expect_found(f, &r, AUP_CHECK_LOCKED, "cwood",
	    "until 2027-05-05T09:00:00+00:00");
	expect_found(f, &r, AUP_CHECK_SUSPENSION_OVER, "gmoss",
	    "ended 2027-04-25T08:00:00+00:00");
	assert_int_equal(aup_check_count(&r), 4);
	assert_false(r.found[AUP_CHECK_PW_EXPIRED].v[0].must_change);
	aup_check_clear(&r);
	for (int k = 0; k < AUP_CHECK_KIND_COUNT; k++)
		assert_int_equal(r.found[k].n, 0);

	/* Marking acts on the expired password and the ended suspension. */
	assert_int_equal(aup_check_run(f->db, true, &r, &f->err), 0);
	assert_true(r.found[AUP_CHECK_PW_EXPIRED].v[0].must_change);
	aup_check_clear(&r);
	assert_int_equal(aup_check_run(f->db, false, &r, &f->err), 0);
	assert_int_equal(r.found[AUP_CHECK_SUSPENSION_OVER].n, 0);
	assert_int_equal(aup_check_count(&r), 3);
	aup_check_clear(&r);
}

/* The agreements not signed, by role, in R: one role, DETAIL. */
static void
expect_unsigned(struct fixture *f, const struct aup_check_report *r,
    const char *detail)
{
	char buf[128];

	assert_int_equal(r->found[AUP_CHECK_UNSIGNED].n, 0);
	assert_int_equal(r->aup.nroles, 1);
	aup_check_unsigned_detail(f->cfg, &r->aup.roles[0], aup_now(), buf,
	    sizeof buf);
	assert_string_equal(buf, detail);
}

/* Once the grace period of a new year is over, whoever has not signed is
 * counted by role, and with enforcement the detail says their logins are
 * refused. */
static void
test_unsigned_after_grace(void **state)
{
	struct fixture *f = *state;
	struct aup_check_report r;
	struct aup_sign_spec spec = { .user = "asmith",
		.relationship = -1,
		.method = -1 };
	struct aup_signature g;
	bool already;

	f->cfg->pw[AUP_ROLE_STAFF].max_age_days = 0; /* passwords aside */
	aup_clock_set(T0);
	fixture_person(f, AUP_ROLE_STAFF, "Amy", "Smith",
	    "maple-otter-cloud-42");
	/* 2027-01-15, long past the grace of 2026-27. */
	assert_int_equal(aup_check_run(f->db, false, &r, &f->err), 0);
	expect_unsigned(f, &r, "staff: 1 of 1 not signed for 2026-27");
	assert_int_equal(aup_check_count(&r), 1);
	aup_check_clear(&r);
	assert_int_equal(aup_sign(f->db, &spec, &g, &already, &f->err), 0);
	aup_signature_clear(&g);
	assert_int_equal(aup_check_run(f->db, false, &r, &f->err), 0);
	assert_int_equal(aup_check_count(&r), 0);
	aup_check_clear(&r);
	/* The next year: not within its first 30 days, then again. */
	aup_clock_set(T0 + 250 * DAY); /* 2027-09-22 */
	assert_int_equal(aup_check_run(f->db, false, &r, &f->err), 0);
	assert_int_equal(aup_check_count(&r), 0);
	aup_check_clear(&r);
	f->cfg->aup_enforce = true;
	aup_clock_set(T0 + 260 * DAY); /* 2027-10-02 */
	assert_int_equal(aup_check_run(f->db, false, &r, &f->err), 0);
	expect_unsigned(f, &r,
	    "staff: 1 of 1 not signed for 2027-28, logins refused");
	aup_check_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_count),
		cmocka_unit_test_setup_teardown(test_report_by_kind,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_unsigned_after_grace,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
