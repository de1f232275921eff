/* The core's error: a message, a hint, the field it is about and the place
 * in a file, each error starting afresh. */
#include "fixture.h"

#include "aup/user.h"

static void
test_fields(void **state)
{
	struct aup_err e;

	(void)state;
	aup_err_clear(&e);
	assert_string_equal(e.field, "");
	assert_int_equal(e.line, 0);
	assert_int_equal(aup_err_set(&e, AUP_EX_DATAERR, "year %d", 14), -1);
	aup_err_hint(&e, "a year group is N, R or 1 to 13");
	aup_err_field(&e, "year");
	aup_err_at(&e, 12, 5);
	assert_string_equal(e.msg, "year 14");
	assert_string_equal(e.field, "year");
	assert_int_equal(e.line, 12);
	assert_int_equal(e.column, 5);
	/* A new error forgets the last one's hint, field and place. */
	aup_err_set(&e, AUP_EX_USAGE, "other");
	assert_int_equal(e.code, AUP_EX_USAGE);
	assert_string_equal(e.hint, "");
	assert_string_equal(e.field, "");
	assert_int_equal(e.line, 0);
	assert_int_equal(e.column, 0);
	/* NULL clears the field; a long one is cut, not overrun. */
	aup_err_field(&e, "a-field-name-far-longer-than-thirty-two-bytes");
	assert_int_equal(strlen(e.field), sizeof e.field - 1);
	aup_err_field(&e, NULL);
	assert_string_equal(e.field, "");
	aup_err_field(&e, "first");
	aup_err_at(&e, 3, 1);
	aup_err_clear(&e);
	assert_string_equal(e.field, "");
	assert_int_equal(e.line, 0);
	assert_int_equal(e.column, 0);
	/* Every setter takes a NULL error. */
	assert_int_equal(aup_err_set(NULL, 1, "x"), -1);
	aup_err_field(NULL, "x");
	aup_err_at(NULL, 1, 1);
}

/* ERR is about FIELD, and neither its message nor its hint names an
 * option of any face. */
static void
expect_field(const struct aup_err *err, int code, const char *field)
{
	assert_int_equal(err->code, code);
	assert_string_equal(err->field, field);
	if (strstr(err->msg, "--") != NULL || strstr(err->hint, "--") != NULL)
		fail_msg("names an option: %s (%s)", err->msg, err->hint);
}

/* The core's refusals say which field they are about. */
static void
test_user_fields(void **state)
{
	struct fixture *f = *state;
	struct aup_user_spec s;
	struct aup_user_edit e = { .email = "not-an-address" };
	struct aup_user *u;
	char ann[40];

	memset(&s, 0, sizeof s);
	s.role = AUP_ROLE_PUPIL;
	s.first = "Ann";
	s.last = "Bell";
	s.year = AUP_YEAR_NONE;
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	expect_field(&f->err, AUP_EX_DATAERR, "year");
	assert_string_equal(f->err.hint, "a year group is N, R or 1 to 13");
	s.year = 5;
	s.mis_id = "A100";
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), 0);
	aup_strlcpy(ann, u->username, sizeof ann);
	aup_user_free(u);
	s.first = "Bea";
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	expect_field(&f->err, AUP_EX_DATAERR, "mis_id");
	s.mis_id = NULL;
	s.username = ann;
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	expect_field(&f->err, AUP_EX_DATAERR, "username");

	assert_int_equal(aup_user_edit(f->db, ann, &e, &f->err), -1);
	expect_field(&f->err, AUP_EX_DATAERR, "email");
	e.email = NULL;
	e.first = "";
	assert_int_equal(aup_user_edit(f->db, ann, &e, &f->err), -1);
	expect_field(&f->err, AUP_EX_DATAERR, "first");
	e.first = NULL;
	e.set_year = true;
	e.year = AUP_YEAR_NONE;
	assert_int_equal(aup_user_edit(f->db, ann, &e, &f->err), -1);
	expect_field(&f->err, AUP_EX_DATAERR, "year");

	assert_int_equal(aup_user_suspend(f->db, ann, "", 0, &f->err), -1);
	expect_field(&f->err, AUP_EX_USAGE, "reason");
	assert_int_equal(aup_user_suspend(f->db, ann, "why", 1000, &f->err),
	    -1);
	expect_field(&f->err, AUP_EX_DATAERR, "until");
	assert_int_equal(aup_user_find(f->db, "nobody", &u, &f->err), -1);
	expect_field(&f->err, AUP_EX_NOUSER, "user");
	/* A refusal with no field names none. */
	assert_int_equal(aup_user_reactivate(f->db, ann, &f->err), -1);
	expect_field(&f->err, AUP_EX_DATAERR, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test_setup_teardown(test_user_fields, fixture_setup,
		    fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
