/* The JSON writer: commas and brackets in the right places at any depth,
 * and strings escaped so that any text reads back as itself. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aup/json.h"
#include "aup/util.h"

static void
expect_str(const char *in, const char *want)
{
	struct aup_buf b = { 0 };
	struct aup_json j;

	aup_json_init(&j, &b);
	aup_json_str(&j, in);
	assert_string_equal(b.data, want);
	aup_buf_free(&b);
}

static void
test_escapes(void **state)
{
	(void)state;
	expect_str("plain", "\"plain\"");
	expect_str("", "\"\"");
	expect_str(NULL, "null");
	expect_str("say \"hi\"", "\"say \\\"hi\\\"\"");
	expect_str("C:\\temp", "\"C:\\\\temp\"");
	expect_str("a\nb\rc\td", "\"a\\nb\\rc\\td\"");
	/* Every other control character as \u00XX. */
	expect_str("\x01\x08\x0c\x1f", "\"\\u0001\\u0008\\u000c\\u001f\"");
	expect_str("\x7f", "\"\x7f\"");
	/* U+2028 and U+2029 end lines in JavaScript: escaped; other
	 * characters, U+2027 and U+202A beside them, pass as they are. */
	expect_str("a\xe2\x80\xa8"
		   "b\xe2\x80\xa9"
		   "c",
	    "\"a\\u2028b\\u2029c\"");
	expect_str("\xe2\x80\xa7\xe2\x80\xaa", "\"\xe2\x80\xa7\xe2\x80\xaa\"");
	expect_str("Si\xc3\xa2n \xc5\x81ukasz O\xe2\x80\x99Neill",
	    "\"Si\xc3\xa2n \xc5\x81ukasz O\xe2\x80\x99Neill\"");
	/* A cut sequence at the very end is copied, not read past. */
	expect_str("x\xe2\x80", "\"x\xe2\x80\"");
}

static void
test_scalars(void **state)
{
	struct aup_buf b = { 0 };
	struct aup_json j;

	(void)state;
	aup_json_init(&j, &b);
	aup_json_array(&j);
	aup_json_int(&j, 0);
	aup_json_int(&j, -42);
	aup_json_int(&j, INT64_MAX);
	aup_json_bool(&j, true);
	aup_json_bool(&j, false);
	aup_json_null(&j);
	aup_json_raw(&j, "{\"a\":1}", 7);
	aup_json_end(&j);
	assert_string_equal(b.data,
	    "[0,-42,9223372036854775807,true,false,null,{\"a\":1}]");
	aup_buf_free(&b);
}

static void
test_nesting(void **state)
{
	struct aup_buf b = { 0 };
	struct aup_json j;

	(void)state;
	aup_json_init(&j, &b);
	aup_json_object(&j);
	aup_json_kstr(&j, "name", "Amy");
	aup_json_key(&j, "empty");
	aup_json_object(&j);
	aup_json_end(&j);
	aup_json_key(&j, "list");
	aup_json_array(&j);
	aup_json_array(&j);
	aup_json_end(&j);
	aup_json_object(&j);
	aup_json_kint(&j, "n", 1);
	aup_json_kbool(&j, "ok", true);
	aup_json_end(&j);
	aup_json_str(&j, "x");
	aup_json_end(&j);
	aup_json_key(&j, "last");
	aup_json_null(&j);
	aup_json_end(&j);
	assert_int_equal(j.depth, 0);
	assert_string_equal(b.data,
	    "{\"name\":\"Amy\",\"empty\":{},\"list\":"
	    "[[],{\"n\":1,\"ok\":true},\"x\"],\"last\":null}");
	aup_buf_free(&b);
}

static void
test_keys_escaped(void **state)
{
	struct aup_buf b = { 0 };
	struct aup_json j;

	(void)state;
	aup_json_init(&j, &b);
	aup_json_object(&j);
	aup_json_kstr(&j, "a\"b", "c");
	aup_json_end(&j);
	assert_string_equal(b.data, "{\"a\\\"b\":\"c\"}");
	aup_buf_free(&b);
}

static void
test_appends(void **state)
{
	struct aup_buf b = { 0 };
	struct aup_json j;

	(void)state;
	/* Two top-level values in one buffer: each its own writer. */
	aup_buf_puts(&b, "x=");
	aup_json_init(&j, &b);
	aup_json_array(&j);
	aup_json_int(&j, 1);
	aup_json_end(&j);
	assert_string_equal(b.data, "x=[1]");
	aup_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_keys_escaped),
		cmocka_unit_test(test_appends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
