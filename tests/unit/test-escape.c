/* aup_str_safe: text from outside shown on one line, whatever it holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "aup/util.h"

static void
expect_safe(const char *in, const char *want)
{
	char buf[128];

	assert_string_equal(aup_str_safe(in, buf, sizeof buf), want);
	/* Safe text stays as it is. */
	assert_string_equal(aup_str_safe(want, buf, sizeof buf), want);
}

static void
test_controls(void **state)
{
	(void)state;
	expect_safe("asmith", "asmith");
	expect_safe("", "");
	/* A newline in PAM_USER cannot start a forged line of a log. */
	expect_safe("x\naupctl: auth: asmith: OK",
	    "x\\naupctl: auth: asmith: OK");
	expect_safe("a\rb\tc", "a\\rb\\tc");
	expect_safe("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m");
	expect_safe("bell\x07"
		    "del\x7f",
	    "bell\\x07del\\x7f");
	/* C1 controls, and characters that hide or turn text around. */
	expect_safe("a\xc2\x85z", "a\\u0085z");
	expect_safe("txt.\xe2\x80\xaegpj", "txt.\\u202egpj");
	expect_safe("zero\xe2\x80\x8bwidth", "zero\\u200bwidth");
	expect_safe("\xef\xbb\xbf"
		    "bom",
	    "\\ufeffbom");
	/* A malformed byte is shown, not passed on. */
	expect_safe("bad\xff", "bad\\xff");
	/* Letters of every script are kept; a backslash too. */
	expect_safe("Zoë O’Neill Łukasz Ναταλία", "Zoë O’Neill Łukasz Ναταλία");
	expect_safe("C:\\x", "C:\\x");
}

static void
test_short_buffer(void **state)
{
	char buf[6];

	(void)state;
	/* Never half an escape or half a character. */
	assert_string_equal(aup_str_safe("ab\ncd", buf, 4), "ab");
	assert_string_equal(aup_str_safe("ab\ncd", buf, 5), "ab\\n");
	assert_string_equal(aup_str_safe("aé", buf, 3), "a");
	assert_string_equal(aup_str_safe(NULL, buf, sizeof buf), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_short_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
