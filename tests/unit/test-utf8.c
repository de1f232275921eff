/* UTF-8: the decoder on good and malformed input, validation, display
 * width, the search key and the ASCII form of a name. */
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aup/utf8.h"
#include "aup/util.h"

static void
test_next_valid(void **state)
{
	static const struct {
		const char *s;
		int32_t cp;
		size_t len;
	} cases[] = {
		{ "A", 'A', 1 },
		{ "\x7f", 0x7f, 1 },
		{ "\xc2\x80", 0x80, 2 },
		{ "é", 0xe9, 2 },
		{ "\xdf\xbf", 0x7ff, 2 },
		{ "\xe0\xa0\x80", 0x800, 3 },
		{ "€", 0x20ac, 3 },
		{ "李", 0x674e, 3 },
		{ "\xef\xbf\xbd", 0xfffd, 3 },
		{ "\xf0\x90\x80\x80", 0x10000, 4 },
		{ "😀", 0x1f600, 4 },
		{ "\xf4\x8f\xbf\xbf", 0x10ffff, 4 },
	};
	const char *p = "";

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		p = cases[i].s;
		assert_int_equal(aup_utf8_next(&p), cases[i].cp);
		assert_ptr_equal(p, cases[i].s + cases[i].len);
	}
	/* At the end: 0, and no further. */
	assert_int_equal(aup_utf8_next(&p), 0);
	assert_int_equal(aup_utf8_next(&p), 0);
	assert_ptr_equal(p, cases[sizeof cases / sizeof cases[0] - 1].s + 4);

	p = "Siân";
	assert_int_equal(aup_utf8_next(&p), 'S');
	assert_int_equal(aup_utf8_next(&p), 'i');
	assert_int_equal(aup_utf8_next(&p), 0xe2);
	assert_int_equal(aup_utf8_next(&p), 'n');
	assert_int_equal(aup_utf8_next(&p), 0);
}

static void
test_next_malformed(void **state)
{
	static const char *const cases[] = {
		"\x80", "\xbf",			    /* stray continuation */
		"\xc3", "\xe2\x82", "\xf0\x9f\x98", /* truncated */
		"\xc3"
		"A",
		"\xe2\x82"
		"A",					/* cut short by ASCII */
		"\xc0\xaf", "\xc1\xbf",			/* overlong '/', DEL */
		"\xe0\x80\xaf", "\xe0\x9f\xbf",		/* overlong, 3 bytes */
		"\xf0\x80\x80\xaf", "\xf0\x8f\xbf\xbf", /* overlong, 4 bytes */
		"\xed\xa0\x80", "\xed\xbf\xbf",		/* surrogates */
		"\xf4\x90\x80\x80", "\xf7\xbf\xbf\xbf", /* above U+10FFFF */
		"\xf8\x88\x80\x80\x80", "\xfe", "\xff", /* no such lead */
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *p = cases[i];

		assert_true(aup_utf8_next(&p) < 0);
		assert_ptr_equal(p, cases[i] + 1);
	}
	/* Decoding goes on after a bad byte. */
	{
		const char *p = "\xc3"
				"A\xffé";

		assert_true(aup_utf8_next(&p) < 0);
		assert_int_equal(aup_utf8_next(&p), 'A');
		assert_true(aup_utf8_next(&p) < 0);
		assert_int_equal(aup_utf8_next(&p), 0xe9);
		assert_int_equal(*p, '\0');
	}
}

static void
test_valid(void **state)
{
	(void)state;
	assert_true(aup_utf8_valid(""));
	assert_true(aup_utf8_valid("Siân O’Neill-Jones"));
	assert_true(aup_utf8_valid("李小龍 😀 \xc2\xa0"));
	assert_false(aup_utf8_valid("tab\there"));
	assert_false(aup_utf8_valid("new\nline"));
	assert_false(aup_utf8_valid("del\x7f"));
	assert_false(aup_utf8_valid("c1\xc2\x85"));
	assert_false(aup_utf8_valid("c1\xc2\x9f"));
	assert_false(aup_utf8_valid("bad\xff"));
	assert_false(aup_utf8_valid("cut\xc3"));
	assert_false(aup_utf8_valid("over\xc0\xaf"));
	assert_false(aup_utf8_valid("surrogate\xed\xa0\x80"));
	assert_false(aup_utf8_valid("big\xf4\x90\x80\x80"));
}

static void
test_chars(void **state)
{
	(void)state;
	assert_int_equal(aup_utf8_chars(""), 0);
	assert_int_equal(aup_utf8_chars("Sian"), 4);
	assert_int_equal(aup_utf8_chars("Siân"), 4);
	assert_int_equal(aup_utf8_chars("ëëëëëëë"), 7);
	assert_int_equal(aup_utf8_chars("李小龍😀"), 4);
	assert_int_equal(aup_utf8_chars("\xff\xfe"
					"a"),
	    3);
}

static void
test_width(void **state)
{
	(void)state;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		skip();
	assert_int_equal(aup_utf8_width(""), 0);
	assert_int_equal(aup_utf8_width("Sian Jones"), 10);
	assert_int_equal(aup_utf8_width("Siân Łukasz Zoë"), 15);
	assert_int_equal(aup_utf8_width("李小龍"), 6);
	assert_int_equal(aup_utf8_width("Sia\xcc\x82n"), 4); /* combining */
	assert_int_equal(aup_utf8_width("a\xff"
					"b"),
	    3);
	/* A control character counts one, as wcwidth's -1 does. */
	assert_int_equal(aup_utf8_width("a\tb\x7f"), 4);
	assert_int_equal(aup_utf8_char_width('\t'), 1);
	assert_int_equal(aup_utf8_char_width(0x674e), 2);
	assert_int_equal(aup_utf8_char_width(0x302), 0);
	assert_int_equal(aup_utf8_char_width('a'), 1);
	assert_int_equal(aup_utf8_char_width(-1), 1);

	/* Outside a UTF-8 locale: one column a character. */
	setlocale(LC_CTYPE, "C");
	assert_int_equal(aup_utf8_width("Siân"), 4);
	assert_int_equal(aup_utf8_width("李小龍"), 3);
	assert_int_equal(aup_utf8_width("Sia\xcc\x82n"), 5);
}

static void
assert_fold(const char *s, const char *want)
{
	struct aup_buf b = { 0 };

	aup_utf8_fold(s, &b);
	assert_non_null(b.data);
	if (strcmp(b.data, want) != 0)
		fail_msg("fold(\"%s\") is \"%s\", not \"%s\"", s, b.data, want);
	aup_buf_free(&b);
}

static void
test_fold(void **state)
{
	static const char *const cases[][2] = {
		/* The examples. */
		{ "Siân", "sian" },
		{ "SIÂN", "sian" },
		{ "sian", "sian" },
		{ "Łukasz", "lukasz" },
		{ "O’Neill", "oneill" },
		{ "o'n", "on" },
		/* Welsh. */
		{ "Llŷr Ŵyn", "llyr wyn" },
		{ "Gwenllïan", "gwenllian" },
		{ "ẀẁẂẃẄẅỲỳŶŷ", "wwwwwwyyyy" },
		{ "Dafydd ap Gruffudd", "dafydd ap gruffudd" },
		/* Polish. */
		{ "Małgorzata Wąsowska", "malgorzata wasowska" },
		{ "ŻÓŁĆ Źdźbło Ńę", "zolc zdzblo ne" },
		/* Irish. */
		{ "Seán Ó Súilleabháin", "sean o suilleabhain" },
		{ "Ó Briain", "o briain" },
		{ "Mac Giolla Phádraig", "mac giolla phadraig" },
		/* Turkish: İ and ı are both i. */
		{ "İpek Işık", "ipek isik" },
		{ "Şükrü Çağlar", "sukru caglar" },
		{ "GÜL ÖZTÜRK", "gul ozturk" },
		/* Two letters, letters with a stroke, the rest of Europe. */
		{ "Straße", "strasse" },
		{ "STRAẞE", "strasse" },
		{ "Æthelred", "aethelred" },
		{ "Œdipe", "oedipe" },
		{ "Søren Ødegård", "soren odegard" },
		{ "Ægir Þór", "aegir thor" },
		{ "Đorđe Ħal Ŧŧ", "dorde hal tt" },
		{ "Ĳsbrand", "ijsbrand" },
		{ "Ștefan Țurcanu", "stefan turcanu" },
		{ "Đặng", "dang" },
		{ "Nguyễn Thị Ánh", "nguyen thi anh" },
		{ "Ǎǐǒǔ", "aiou" },
		/* Apostrophes of every kind. */
		{ "O'Neill", "oneill" },
		{ "O‘Neill", "oneill" },
		{ "Oʼneill", "oneill" },
		{ "O`Neill", "oneill" },
		{ "O´Neill", "oneill" },
		{ "D’Arcy-O'Brien", "darcy-obrien" },
		/* White space: one space, none at the ends. */
		{ "  Siân \t\n  Jones  ", "sian jones" },
		{ "Siân\xc2\xa0Jones", "sian jones" },
		{ " \t ", "" },
		{ "", "" },
		/* Kept: digits, hyphens, other scripts (lower-cased). */
		{ "Anne-Marie 10B", "anne-marie 10b" },
		{ "ΣΩΚΡΆΤΗΣ", "σωκράτησ" },
		{ "ЁЛКА Дмитрий", "ёлка дмитрий" },
		{ "ԱՐԱՄ", "արամ" },
		{ "Əliyev", "əliyev" },
		{ "李小龍", "李小龍" },
		{ "a×b", "a×b" },
		/* Decomposed accents, invisible and malformed bytes go. */
		{ "Sia\xcc\x82n", "sian" },
		{ "Si\xc2\xad"
		  "an",
		    "sian" },
		{ "Si\xe2\x80\x8b"
		  "an",
		    "sian" },
		{ "Si\xff"
		  "an",
		    "sian" },
	};
	struct aup_buf b = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_fold(cases[i][0], cases[i][1]);

	/* It appends, and a name and the term typed for it agree. */
	aup_buf_puts(&b, "key:");
	aup_utf8_fold("  O’Neill ", &b);
	assert_string_equal(b.data, "key:oneill");
	b.len = 0;
	aup_utf8_fold("o'n", &b);
	assert_non_null(strstr("oneill", b.data));
	aup_buf_free(&b);
}

/* The transliteration aup_name_ascii had before the UTF-8 module, for
 * U+00C0..U+017F: '*' two letters, '-' dropped. */
static const char old_latin1[] = "aaaaaa*ceeeeiiiidnooooo-ouuuuy**"
				 "aaaaaa*ceeeeiiiidnooooo-ouuuuy*y";
static const char old_latin_ext_a[] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkkllllllllll"
    "nnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

static const char *
old_ascii(unsigned cp)
{
	char c = cp < 0x100 ? old_latin1[cp - 0xc0] :
			      old_latin_ext_a[cp - 0x100];

	if (c == '-')
		return "";
	if (c != '*') {
		static char one[2];

		one[0] = c;
		return one;
	}
	switch (cp) {
	case 0xc6:
	case 0xe6: return "ae";
	case 0xde:
	case 0xfe: return "th";
	case 0xdf: return "ss";
	case 0x132:
	case 0x133: return "ij";
	case 0x152:
	case 0x153: return "oe";
	}
	fail_msg("no old two-letter form for U+%04X", cp);
	return NULL;
}

static void
encode(unsigned cp, char out[5])
{
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		out[2] = '\0';
	} else {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		out[3] = '\0';
	}
}

static void
test_name_ascii(void **state)
{
	/* The expectations test-user.c had for it. */
	static const char *const cases[][2] = {
		{ "Zoë", "zoe" },
		{ "Siân", "sian" },
		{ "Ó Briain", "obriain" },
		{ "O'Neill", "oneill" },
		{ "O’Neill", "oneill" },
		{ "Łukasz", "lukasz" },
		{ "Smith-Jones", "smithjones" },
		{ "Æthelred", "aethelred" },
		{ "Straße", "strasse" },
		{ "Ægir Þór", "aegirthor" },
		{ "Đặng", "dang" },
		{ "Nguyễn", "nguyen" },
		{ "李", "" },
		{ "ŧšţũŽſ", "tstuzs" },
		{ "Ŧŭ", "tu" },
		{ "İpek Işık", "ipekisik" },
		{ "Llŷr", "llyr" },
		{ "Ẁyn", "wyn" },
		{ "Ștefan", "stefan" },
		{ "10B", "10b" },
		{ "a\xff"
		  "b",
		    "ab" },
	};
	char buf[64], want[8];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		aup_name_ascii(cases[i][0], buf, sizeof buf);
		assert_string_equal(buf, cases[i][1]);
	}
	/* Cut short, never half a two-letter form. */
	aup_name_ascii("Bartholomew", buf, 5);
	assert_string_equal(buf, "bart");
	aup_name_ascii("aæ", buf, 3);
	assert_string_equal(buf, "a");
	aup_name_ascii("aæ", buf, 4);
	assert_string_equal(buf, "aae");
	aup_name_ascii("Zoë", buf, 1);
	assert_string_equal(buf, "");
	buf[0] = 'x';
	aup_name_ascii("Zoë", buf, 0);
	assert_int_equal(buf[0], 'x');

	/* Every letter it knew, as it knew it; and the search key agrees. */
	for (unsigned cp = 0xc0; cp <= 0x17f; cp++) {
		char s[5];
		struct aup_buf b = { 0 };

		encode(cp, s);
		aup_name_ascii(s, buf, sizeof buf);
		snprintf(want, sizeof want, "%s", old_ascii(cp));
		if (strcmp(buf, want) != 0)
			fail_msg("U+%04X is \"%s\", was \"%s\"", cp, buf, want);
		aup_utf8_fold(s, &b);
		if (*buf != '\0' && strcmp(b.data, buf) != 0)
			fail_msg("U+%04X folds to \"%s\" but is \"%s\" in a "
				 "name",
			    cp, b.data, buf);
		aup_buf_free(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_valid),
		cmocka_unit_test(test_next_malformed),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_chars),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_name_ascii),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
