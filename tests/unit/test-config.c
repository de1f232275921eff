/* Reading aupctl.ini: defaults, overrides, per-role and named sections,
 * lists, and every kind of mistake refused with the file and key named
 * (exit 78). */
#include <sys/stat.h>

#include "fixture.h"
#include "core.h"

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
	assert_int_equal(cfg->reuse_days, 365);
	assert_int_equal(cfg->pw[AUP_ROLE_STAFF].min_length, 12);
	assert_false(cfg->privileged);
	aup_config_free(cfg);
}

/* [log]: where the nightly check anchors the log, and whether to syslog. */
static void
test_log_keys(void **state)
{
	struct aup_err err;
	struct aup_config *cfg = aup_config_read(NULL, &err);

	(void)state;
	assert_null(cfg->log_anchor);
	assert_false(cfg->log_syslog);
	aup_config_free(cfg);
	cfg = load("[log]\nanchor = /srv/anchors\nsyslog = yes\n", &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->log_anchor, "/srv/anchors");
	assert_true(cfg->log_syslog);
	aup_config_free(cfg);
	assert_null(load("[log]\nsyslog = often\n", &err));
	assert_int_equal(err.code, AUP_EX_CONFIG);
	assert_non_null(strstr(err.msg, "syslog"));
	unlink(path);
}

/* An uninstalled binary (this test, in the build directory) finds the data
 * that stays on disk in the source tree, with no setting at all; the
 * environment overrides it. */
static void
test_datadir(void **state)
{
	char forms[4096];

	(void)state;
	assert_int_equal(unsetenv("AUPCTL_DATADIR"), 0);
	snprintf(forms, sizeof forms, "%s/forms/.keep", aup_datadir());
	assert_int_equal(access(forms, R_OK), 0);
	assert_int_equal(setenv("AUPCTL_DATADIR", "/elsewhere", 1), 0);
	assert_string_equal(aup_datadir(), "/elsewhere");
	assert_int_equal(unsetenv("AUPCTL_DATADIR"), 0);
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
	    "[import]\nreuse_days = 30\n[import.sims]\nfirst = Forename\n",
	    &err);

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
	/* [import] and [import.NAME] side by side. */
	assert_int_equal(cfg->reuse_days, 30);
	assert_non_null(aup_config_import_map(cfg, "sims"));
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
	expect_error("[password.teacher]\nmin_length = 8\n",
	    "password.teacher");
	expect_error("[password.staff]\nblocklist = /x\n", "blocklist");
	expect_error("[argon2]\nt_cost = two\n", "t_cost");
	expect_error("[argon2]\nm_cost_kib = 1\n", "m_cost_kib");
	expect_error("[aup]\nenforce = maybe\n", "enforce");
	expect_error("[school]\nyear_start = 13-01\n", "year_start");
	expect_error("[password]\nmin_length = 30\nmax_length = 20\n",
	    "min_length");
	expect_error("[school\nname = x\n",
	    ".ini:1: not a \"key = value\" line");
	expect_error("colour = blue\n[school]\nname = x\n", "colour");
	/* The line is named too, whatever the case and spacing. */
	expect_error("[school]\nname = x\n\n ; note\n Colour=blue\n",
	    ".ini:5: unknown key 'school.colour'");
	expect_error("[school]\nname = x\n[ Canteen ]\n",
	    ".ini:3: unknown section 'canteen'");
	expect_error("[password]\nhistory = 3\n[argon2]\nt_cost=two\n",
	    ".ini:4: [argon2] t_cost = 'two'");
	expect_error("\n\ncolour = blue\n[school]\n", ".ini:3: key 'colour'");
}

/* As expect_error, and the hint holds HINT too. */
static void
expect_hint(const char *text, const char *needle, const char *hint)
{
	struct aup_err err;
	struct aup_config *cfg = load(text, &err);

	assert_null(cfg);
	assert_int_equal(err.code, AUP_EX_CONFIG);
	if (strstr(err.msg, needle) == NULL)
		fail_msg("'%s' not in '%s'", needle, err.msg);
	if (strstr(err.hint, hint) == NULL)
		fail_msg("'%s' not in hint '%s'", hint, err.hint);
	unlink(path);
}

/* Every role has its own [password.ROLE], which wins over [password] for
 * that role alone, whichever comes first in the file. */
static void
test_role_sections(void **state)
{
	struct aup_err err;
	struct aup_config *def = aup_config_read(NULL, &err);

	(void)state;
	for (int role = 0; role < AUP_ROLE_COUNT; role++) {
		const char *name = aup_role_name((enum aup_role)role);
		struct aup_config *cfg;
		char text[256];

		snprintf(text, sizeof text,
		    "[password.%s]\nmin_length = 20\n"
		    "lockout_minutes = 7\n[password]\nmin_length = 9\n"
		    "max_length = 99\n",
		    name);
		cfg = load(text, &err);
		if (cfg == NULL)
			fail_msg("[password.%s]: %s", name, err.msg);
		for (int r = 0; r < AUP_ROLE_COUNT; r++) {
			assert_int_equal(cfg->pw[r].min_length,
			    r == role ? 20 : 9);
			assert_int_equal(cfg->pw[r].max_length, 99);
			assert_int_equal(cfg->pw[r].lockout_minutes,
			    r == role ? 7 : def->pw[r].lockout_minutes);
		}
		aup_config_free(cfg);
		unlink(path);
	}
	aup_config_free(def);
}

static void
assert_items(const struct aup_config *cfg, enum aup_role role,
    const char **want, size_t nwant)
{
	size_t n;
	const char *const *items = aup_config_leaver_items(cfg, role, &n);

	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(items[i], want[i]);
}

static void
test_leaver_lists(void **state)
{
	const char *staff[] = { "Laptop returned", "Badge, lanyard",
		"Keys; all of them", "O'Neill's fob" };
	const char *pupil[] = { "Tablet returned", "Images deleted" };
	const char *dflt[] = { "equipment: Equipment returned",
		"password: Network password reset", "email: Email disabled",
		"images: Images of pupils removed from personal devices",
		"media: Personal data on removable media returned" };
	struct aup_err err;
	struct aup_config *cfg = aup_config_read(NULL, &err);
	size_t n;

	(void)state;
	/* Built in: one checklist per role that leaves, none for the rest. */
	aup_config_leaver_items(cfg, AUP_ROLE_PUPIL, &n);
	assert_int_equal(n, 3);
	aup_config_leaver_items(cfg, AUP_ROLE_STAFF, &n);
	assert_int_equal(n, 7);
	assert_items(cfg, AUP_ROLE_GOVERNOR, dflt, 5);
	assert_int_equal(cfg->leaver_stale_days, 30);
	assert_null(aup_config_leaver_items(cfg, AUP_ROLE_CLASS, &n));
	assert_int_equal(n, 0);
	aup_config_free(cfg);

	/* Quotes keep commas, ; and #; outside them ; starts a comment;
	 * a trailing backslash goes on to the next line. */
	cfg = load("[leaver.staff]\n"
		   "items =  Laptop returned , \"Badge, lanyard\",\t\\\n"
		   "   'Keys; all of them', O'Neill's fob ; not an item\n"
		   "[leaver.pupil]\nitems = Tablet returned,Images deleted\n",
	    &err);
	if (cfg == NULL)
		fail_msg("%s", err.msg);
	assert_items(cfg, AUP_ROLE_STAFF, staff, 4);
	assert_items(cfg, AUP_ROLE_PUPIL, pupil, 2);
	assert_items(cfg, AUP_ROLE_GOVERNOR, dflt, 5);
	aup_config_free(cfg);
	unlink(path);

	/* A list of one is a list. */
	cfg = load("[leaver.visitor]\nitems = \"Badge returned\"\n", &err);
	assert_non_null(cfg);
	assert_items(cfg, AUP_ROLE_VISITOR,
	    (const char *[]){ "Badge returned" }, 1);
	aup_config_free(cfg);
	unlink(path);
}

static void
test_list_errors(void **state)
{
	(void)state;
	expect_error("[leaver.staff]\nitems = Laptop,,Keys\n",
	    ".ini:2: [leaver.staff] items = 'Laptop,,Keys' is not a list of "
	    "items separated by commas (item 2 is empty)");
	expect_error("[leaver.staff]\nitems = Laptop, Keys,\n",
	    "item 3 is empty");
	expect_error("[leaver.staff]\nitems = ,Laptop\n", "item 1 is empty");
	expect_error("[leaver.staff]\nitems =\n", "item 1 is empty");
	expect_error("[leaver.staff]\nitems = \"\", Keys\n", "item 1 is empty");
	expect_error("[leaver.staff]\nitems = Keys, \"Laptop\n",
	    "item 2 has no closing quote");
	expect_error("[leaver.staff]\nitems = \"Laptop\" bag, Keys\n",
	    "item 1 goes on after its closing quote");
}

static void
test_import_maps(void **state)
{
	struct aup_err err;
	struct aup_config *cfg =
	    load("[import.sims]\nfirst = Forename\n"
		 "last = Surname\npreferred_first = Preferred Forename\n"
		 "preferred_last = Preferred Surname\nyear = NC Year\n"
		 "class = Reg Group\nmis_id = UPN\nemail = Email\n"
		 "username = Login\n"
		 "[import.arbor-2026]\nLast = \"Legal Surname\"\n",
		&err);
	const char *want[AUP_IMPORT_FIELD_COUNT] = { "Forename", "Surname",
		"Preferred Forename", "Preferred Surname", "NC Year",
		"Reg Group", "UPN", "Email", "Login" };
	const char *names[AUP_IMPORT_FIELD_COUNT] = { "first", "last",
		"preferred_first", "preferred_last", "year", "class", "mis_id",
		"email", "username" };
	const struct aup_import_map *m;

	(void)state;
	if (cfg == NULL)
		fail_msg("%s", err.msg);
	assert_non_null(m = aup_config_import_map(cfg, "SIMS"));
	assert_string_equal(m->name, "sims");
	for (int f = 0; f < AUP_IMPORT_FIELD_COUNT; f++) {
		assert_string_equal(m->header[f], want[f]);
		assert_string_equal(aup_import_field_name(
					(enum aup_import_field)f),
		    names[f]);
	}
	assert_non_null(m = aup_config_import_map(cfg, "arbor-2026"));
	assert_string_equal(m->header[AUP_IMPORT_LAST], "Legal Surname");
	assert_null(m->header[AUP_IMPORT_FIRST]);
	assert_null(aup_config_import_map(cfg, "bromcom"));
	aup_config_free(cfg);
	unlink(path);

	cfg = aup_config_read(NULL, &err);
	assert_null(aup_config_import_map(cfg, "sims"));
	aup_config_free(cfg);
}

/* Named sections: an unknown suffix names the valid ones; an unknown key
 * names the keys the section takes. */
static void
test_named_errors(void **state)
{
	(void)state;
	expect_error("[school]\nname = x\n[leaver.wizard]\nitems = Wand\n",
	    ".ini:3: unknown section 'leaver.wizard': write [leaver.ROLE], "
	    "where ROLE is one of pupil, staff, governor, volunteer, visitor, "
	    "class");
	/* [leaver] sets every role's items, and stale_days. */
	expect_error("[leaver]\nstale_days = 0\n", "stale_days");
	/* [import] is the plain section, with keys of its own. */
	expect_error("[import]\nfirst = Forename\n",
	    "unknown key 'import.first'");
	expect_error("[import]\nreuse_days = -1\n", "reuse_days");
	expect_error("[import.my map]\nfirst = Forename\n",
	    "unknown section 'import.my map'");
	expect_error("[import.]\nfirst = Forename\n", "'import.'");
	expect_error("[school.main]\nname = x\n",
	    "unknown section 'school.main': write [school]");
	expect_hint("[import.sims]\nfirst = Forename\nforenames = Forename\n",
	    ".ini:3: unknown key 'import.sims.forenames'",
	    "the keys of "
	    "[import.NAME] are first, last, preferred_first, preferred_last, "
	    "year, class, mis_id, email, username");
	expect_hint("[leaver.staff]\ncolour = blue\n",
	    "unknown key 'leaver.staff.colour'",
	    "the keys of [leaver.ROLE] are items;");
	/* A role section takes only the keys that are per role. */
	expect_hint("[password.pupil]\nwordlist = /x\n",
	    "unknown key 'password.pupil.wordlist'",
	    "[password.ROLE] are min_length, max_length,");
	expect_error("[import.sims]\nfirst =\n",
	    "[import.sims] first = '' is not a non-empty line of text");
}

/* iniparser would keep one of the two without a word. */
static void
test_given_twice(void **state)
{
	(void)state;
	expect_error("[password]\nhistory = 3\n\n; the office asked\n"
		     "[school]\nname = x\n[password]\nmin_length = 9\n"
		     "min_length = 10\n",
	    ".ini:9: 'password.min_length' is given twice (first at line 8)");
	expect_error("[school]\n Name = x\n[aup]\nenforce = no\n[School]\n"
		     "name=y\n",
	    ".ini:6: 'school.name' is given twice (first at line 2)");
	expect_error("[leaver.staff]\nitems = a, \\\n  b\nitems = c\n",
	    ".ini:4: 'leaver.staff.items' is given twice (first at line 2)");
}

/* A syntax error names the line by number and never shows what it holds:
 * the file may be one the reader may not see. */
static void
test_syntax_error_quiet(void **state)
{
	struct aup_err err;
	char long_line[2048];

	(void)state;
	assert_null(
	    load("[school]\nname = x\n\nroot:$6$hidden-hash:19000:0\n", &err));
	assert_int_equal(err.code, AUP_EX_CONFIG);
	assert_non_null(strstr(err.msg, ".ini:4: not a \"key = value\" line"));
	assert_null(strstr(err.msg, "hidden"));
	assert_null(strstr(err.hint, "hidden"));
	unlink(path);

	memset(long_line, 'z', sizeof long_line);
	memcpy(long_line, "[school]\nname = ", 15);
	long_line[sizeof long_line - 2] = '\n';
	long_line[sizeof long_line - 1] = '\0';
	assert_null(load(long_line, &err));
	assert_non_null(strstr(err.msg, ".ini:2: line longer than"));
	assert_null(strstr(err.msg, "zzz"));
	unlink(path);
}

/* [operators] is gone to the database; a file that has one says where. */
static void
test_operators_moved(void **state)
{
	(void)state;
	expect_hint("[school]\nname = x\n[operators]\nbob = office\n",
	    ".ini:3: section [operators] is no longer read",
	    "aupctl operator set LOGIN ROLE");
	expect_hint("[operators]\n", "[operators] is no longer read",
	    "aupctl operator set");
}

/* Argon2's own limits, caught when read (78), not when hashing (70). */
static void
test_argon2_limits(void **state)
{
	struct aup_err err;
	struct aup_config *cfg;

	(void)state;
	expect_error("[argon2]\nm_cost_kib = 16\nparallelism = 4\n",
	    "[argon2] m_cost_kib 16 is less than 8 KiB per lane");
	expect_error("[argon2]\nm_cost_kib = 1048577\n", "m_cost_kib");
	cfg = load("[argon2]\nm_cost_kib = 32\nparallelism = 4\n", &err);
	assert_non_null(cfg);
	aup_config_free(cfg);
	cfg = load("[argon2]\nm_cost_kib = 1048576\n", &err);
	assert_non_null(cfg);
	aup_config_free(cfg);
	unlink(path);
}

/* The ids of an ordinary run, with the system file at SYSCONF owned by
 * whoever runs the test (root in a real run). */
static struct run_ids
plain_ids(const char *sysconf)
{
	struct run_ids ids = {
		.ruid = 1000,
		.euid = 1000,
		.rgid = 1000,
		.egid = 1000,
		.sysconf = sysconf,
		.sysconf_owner = getuid(),
	};

	return ids;
}

static void
test_privileged(void **state)
{
	struct run_ids ids = plain_ids("/nonexistent/aupctl.ini");

	(void)state;
	assert_false(run_privileged(&ids));
	ids.egid = 999; /* setgid */
	assert_true(run_privileged(&ids));
	ids = plain_ids(NULL);
	ids.euid = 0; /* setuid root */
	assert_true(run_privileged(&ids));
	ids = plain_ids(NULL);
	ids.sudo_user = "mallory"; /* not root: not sudo */
	assert_false(run_privileged(&ids));
	ids.ruid = ids.euid = 0; /* sudo */
	assert_true(run_privileged(&ids));
	ids.sudo_user = NULL; /* root itself */
	assert_false(run_privileged(&ids));
}

/* A privileged run refuses what its caller chose, naming it. */
static void
expect_refused(const char *explicit, const char *var, const char *needle)
{
	struct run_ids ids = plain_ids("/nonexistent/aupctl.ini");
	struct aup_config *cfg;
	struct aup_err err;

	ids.egid = 999;
	if (var != NULL)
		setenv(var, "/tmp/mine", 1);
	aup_err_clear(&err);
	cfg = config_load_as(&ids, explicit, &err);
	if (var != NULL)
		unsetenv(var);
	assert_null(cfg);
	assert_int_equal(err.code, AUP_EX_CONFIG);
	if (strstr(err.msg, needle) == NULL)
		fail_msg("'%s' not in '%s'", needle, err.msg);
}

static void
test_privileged_refuses(void **state)
{
	struct run_ids ids = plain_ids("/nonexistent/aupctl.ini");
	struct aup_config *cfg;
	struct aup_err err;

	(void)state;
	unsetenv("AUPCTL_CONFIG");
	unsetenv("AUPCTL_DB");
	unsetenv("AUPCTL_DATADIR");
	expect_refused("/tmp/mine.ini", NULL, "--config is refused");
	expect_refused(NULL, "AUPCTL_CONFIG", "AUPCTL_CONFIG is refused");
	expect_refused(NULL, "AUPCTL_DB", "AUPCTL_DB is refused");
	expect_refused(NULL, "AUPCTL_DATADIR", "AUPCTL_DATADIR is refused");
	/* An ordinary run takes them all. */
	setenv("AUPCTL_DB", "/tmp/mine.db", 1);
	cfg = config_load_as(&ids, NULL, &err);
	unsetenv("AUPCTL_DB");
	assert_non_null(cfg);
	assert_false(cfg->privileged);
	aup_config_free(cfg);
	/* No system file: the defaults, privileged. */
	ids.egid = 999;
	assert_non_null(cfg = config_load_as(&ids, NULL, &err));
	assert_true(cfg->privileged);
	aup_config_free(cfg);
}

/* The system file counts only when it and its folder are the owner's
 * alone. */
static void
test_privileged_sysconf(void **state)
{
	char dir[64], file[96];
	struct run_ids ids;
	struct aup_config *cfg;
	struct aup_err err;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof dir, "/tmp/aup-sysconf.XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(file, sizeof file, "%s/aupctl.ini", dir);
	assert_non_null(f = fopen(file, "w"));
	fputs("[school]\nname = From Etc\n", f);
	fclose(f);
	ids = plain_ids(file);
	ids.egid = 999;

	assert_int_equal(chmod(file, 0644), 0);
	assert_non_null(cfg = config_load_as(&ids, NULL, &err));
	assert_string_equal(cfg->school_name, "From Etc");
	assert_true(cfg->privileged);
	aup_config_free(cfg);

	assert_int_equal(chmod(file, 0664), 0); /* group may write */
	assert_null(config_load_as(&ids, NULL, &err));
	assert_int_equal(err.code, AUP_EX_CONFIG);
	assert_non_null(strstr(err.msg, "not safe for a privileged run"));
	assert_int_equal(chmod(file, 0646), 0); /* others may write */
	assert_null(config_load_as(&ids, NULL, &err));
	assert_int_equal(chmod(file, 0644), 0);
	assert_int_equal(chmod(dir, 0775), 0); /* its folder */
	assert_null(config_load_as(&ids, NULL, &err));
	assert_int_equal(chmod(dir, 0755), 0);
	ids.sysconf_owner = getuid() + 1; /* someone else's */
	assert_null(config_load_as(&ids, NULL, &err));

	unlink(file);
	rmdir(dir);
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
		cmocka_unit_test(test_role_sections),
		cmocka_unit_test(test_leaver_lists),
		cmocka_unit_test(test_list_errors),
		cmocka_unit_test(test_import_maps),
		cmocka_unit_test(test_named_errors),
		cmocka_unit_test(test_given_twice),
		cmocka_unit_test(test_syntax_error_quiet),
		cmocka_unit_test(test_operators_moved),
		cmocka_unit_test(test_argon2_limits),
		cmocka_unit_test(test_privileged),
		cmocka_unit_test(test_privileged_refuses),
		cmocka_unit_test(test_privileged_sysconf),
		cmocka_unit_test(test_datadir),
		cmocka_unit_test(test_log_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
