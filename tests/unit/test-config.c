/* Reading aupctl.ini: defaults, overrides, per-role policies, and every
 * kind of mistake refused with the file and key named (exit 78). */
#include "fixture.h"

static char path[64];

static struct aup_config *
load(const char *text, struct aup_err *err)
{
	FILE *f;

	snprintf(path, sizeof path, "/tmp/aup-config-test.%d.ini", getpid());
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	aup_err_clear(err);
	return aup_config_read(path, err);
}

static void
test_defaults(void **state)
{
	struct aup_err err;
	struct aup_config *cfg = aup_config_read(NULL, &err);

	(void)state;
	assert_non_null(cfg);
	assert_int_equal(cfg->argon2_t, 2);
	assert_int_equal(cfg->argon2_m, 19456);
	assert_int_equal(cfg->argon2_p, 1);
	assert_int_equal(cfg->year_start_month, 9);
	assert_int_equal(cfg->year_start_day, 1);
	assert_int_equal(cfg->individual_from, 3);
	assert_int_equal(cfg->pw[AUP_ROLE_STAFF].min_length, 12);
	assert_false(cfg->have_operators);
	aup_config_free(cfg);
}

static void
test_overrides(void **state)
{
	struct aup_err err;
	struct aup_config *cfg = load(
	    "; a comment\n[school]\nname = Hill Top School\nyear_start = 08-25\n"
	    "[password.staff]\nmin_length = 14\n"
	    "[password]\nmin_length = 9\nmax_age_days = 90\n"
	    "[argon2]\nm_cost_kib = 65536\n"
	    "[pupils]\nindividual_accounts_from = KS1\n"
	    "[operators]\nmrsbell = office\nhead = auditor\n", &err);

	(void)state;
	assert_non_null(cfg);
	assert_string_equal(cfg->school_name, "Hill Top School");
	assert_int_equal(cfg->year_start_month, 8);
	assert_int_equal(cfg->year_start_day, 25);
	/* The role's own section wins over [password] whatever the order. */
	assert_int_equal(cfg->pw[AUP_ROLE_STAFF].min_length, 14);
	assert_int_equal(cfg->pw[AUP_ROLE_PUPIL].min_length, 9);
	assert_int_equal(cfg->pw[AUP_ROLE_PUPIL].max_age_days, 90);
	assert_int_equal(cfg->argon2_m, 65536);
	assert_int_equal(cfg->individual_from, 1);
	assert_true(cfg->have_operators);
	assert_int_equal(cfg->nops, 2);
	aup_config_free(cfg);
	unlink(path);
}

static void
expect_error(const char *text, const char *needle)
{
	struct aup_err err;
	struct aup_config *cfg = load(text, &err);

	assert_null(cfg);
	assert_int_equal(err.code, AUP_EX_CONFIG);
	assert_non_null(strstr(err.msg, path));
	if (strstr(err.msg, needle) == NULL)
		fail_msg("'%s' not in '%s'", needle, err.msg);
	unlink(path);
}

static void
test_errors(void **state)
{
	(void)state;
	expect_error("[school]\ncolour = blue\n", "school.colour");
	expect_error("[canteen]\nmenu = chips\n", "canteen");
	expect_error("[password.teacher]\nmin_length = 8\n", "password.teacher");
	expect_error("[password.staff]\nblocklist = /x\n", "blocklist");
	expect_error("[argon2]\nt_cost = two\n", "t_cost");
	expect_error("[argon2]\nm_cost_kib = 1\n", "m_cost_kib");
	expect_error("[aup]\nenforce = maybe\n", "enforce");
	expect_error("[school]\nyear_start = 13-01\n", "year_start");
	expect_error("[operators]\nbob = superuser\n", "bob");
	expect_error("[password]\nmin_length = 30\nmax_length = 20\n",
	    "min_length");
	expect_error("[school\nname = x\n", "parse");
	expect_error("colour = blue\n[school]\nname = x\n", "colour");
	/* The line is named too, whatever the case and spacing. */
	expect_error("[school]\nname = x\n\n ; note\n Colour=blue\n",
	    ".ini:5: unknown key 'school.colour'");
	expect_error("[school]\nname = x\n[ Canteen ]\n", ".ini:3: unknown "
	    "section 'canteen'");
	expect_error("[password]\nhistory = 3\n[argon2]\nt_cost=two\n",
	    ".ini:4: [argon2] t_cost = 'two'");
	expect_error("\n\ncolour = blue\n[school]\n", ".ini:3: key 'colour'");
}

static void
test_missing_file(void **state)
{
	struct aup_err err;

	(void)state;
	assert_null(aup_config_read("/nonexistent/aupctl.ini", &err));
	assert_int_equal(err.code, AUP_EX_CONFIG);
	assert_non_null(strstr(err.msg, "/nonexistent/aupctl.ini"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
