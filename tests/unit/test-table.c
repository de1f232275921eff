/* The table reader: encodings detected and forced, delimiters, line breaks,
 * quoting, trimming, the place of every field, and every error placed by
 * path, line and column, for files written into a temporary folder. */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "aup/error.h"
#include "aup/table.h"
#include "aup/utf8.h"
#include "aup/util.h"

struct fx {
	char dir[64];
	char path[128];
	struct aup_err err;
};

static int
setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);

	snprintf(f->dir, sizeof f->dir, "/tmp/aup-table.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	DIR *d = opendir(f->dir);
	struct dirent *e;
	char p[384];

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
		if (unlink(p) != 0)
			rmdir(p);
	}
	if (d != NULL)
		closedir(d);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Write LEN bytes of DATA to NAME in the folder; its path in F->path. */
static const char *
put(struct fx *f, const char *name, const void *data, size_t len)
{
	FILE *fp;

	snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
	fp = fopen(f->path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return f->path;
}

static const char *
puts_file(struct fx *f, const char *name, const char *s)
{
	return put(f, name, s, strlen(s));
}

/* S (UTF-8) as UTF-16, little- or big-endian, after a BOM when BOM. */
static size_t
utf16(const char *s, bool big, bool bom, unsigned char *out)
{
	size_t n = 0;

	if (bom) {
		out[n++] = big ? 0xfe : 0xff;
		out[n++] = big ? 0xff : 0xfe;
	}
	while (*s != '\0') {
		int32_t cp = aup_utf8_next(&s);
		unsigned u[2];
		int k = 1;

		u[0] = (unsigned)cp;
		if (cp >= 0x10000) {
			u[0] = 0xd800 + ((unsigned)(cp - 0x10000) >> 10);
			u[1] = 0xdc00 + ((unsigned)(cp - 0x10000) & 0x3ff);
			k = 2;
		}
		for (int i = 0; i < k; i++) {
			out[n++] = (unsigned char)(big ? u[i] >> 8 : u[i]);
			out[n++] = (unsigned char)(big ? u[i] : u[i] >> 8);
		}
	}
	return n;
}

static struct aup_table *
open_ok(struct fx *f, const char *path, enum aup_encoding enc)
{
	struct aup_table *t = aup_table_open(path, enc, &f->err);

	if (t == NULL)
		fail_msg("open %s: %s", path, f->err.msg);
	return t;
}

/* The next record starts on LINE and holds the fields given, then NULL. */
static struct aup_record
expect_record(struct fx *f, struct aup_table *t, long line, ...)
{
	struct aup_record r;
	const char *want;
	size_t i = 0;
	va_list ap;

	if (aup_table_next(t, &r, &f->err) != 1)
		fail_msg("no record at line %ld: %s", line, f->err.msg);
	assert_int_equal(r.line, line);
	va_start(ap, line);
	while ((want = va_arg(ap, const char *)) != NULL) {
		if (i >= r.n)
			fail_msg("line %ld: %zu fields, wanted more", line,
			    r.n);
		assert_string_equal(r.field[i].text, want);
		i++;
	}
	va_end(ap);
	assert_int_equal(r.n, i);
	return r;
}

static void
expect_end(struct fx *f, struct aup_table *t)
{
	struct aup_record r;

	assert_int_equal(aup_table_next(t, &r, &f->err), 0);
	assert_int_equal(aup_table_next(t, &r, &f->err), 0);
}

static void
expect_place(const struct aup_record *r, size_t i, long line, long column)
{
	assert_true(i < r->n);
	if (r->field[i].line != line || r->field[i].column != column)
		fail_msg("field %zu (\"%s\") at %ld:%ld, not %ld:%ld", i,
		    r->field[i].text, r->field[i].line, r->field[i].column,
		    line, column);
}

/* Opening PATH as ENC fails with CODE and a message "PATH" then WHAT. */
static void
expect_error(struct fx *f, const char *path, enum aup_encoding enc, int code,
    const char *what)
{
	struct aup_table *t;
	char want[512];

	aup_err_clear(&f->err);
	t = aup_table_open(path, enc, &f->err);
	if (t != NULL) {
		aup_table_close(t);
		fail_msg("%s opened, wanted \"%s\"", path, what);
	}
	snprintf(want, sizeof want, "%s%s", path, what);
	if (strncmp(f->err.msg, want, strlen(want)) != 0)
		fail_msg("\"%s\" does not start \"%s\"", f->err.msg, want);
	assert_int_equal(f->err.code, code);
}

static void
test_utf8(void **state)
{
	struct fx *f = *state;
	struct aup_table *t;
	const char *p;

	p = puts_file(f, "plain.csv",
	    "Forename,Surname,Year\nZoë,O’Neill,5\nSiân,Nguyễn,6\n");
	t = open_ok(f, p, AUP_ENC_AUTO);
	assert_string_equal(aup_table_encoding(t), "UTF-8");
	assert_int_equal(aup_table_delimiter(t), ',');
	assert_string_equal(aup_table_path(t), p);
	expect_record(f, t, 1, "Forename", "Surname", "Year", NULL);
	expect_record(f, t, 2, "Zoë", "O’Neill", "5", NULL);
	expect_record(f, t, 3, "Siân", "Nguyễn", "6", NULL);
	expect_end(f, t);
	aup_table_close(t);

	p = puts_file(f, "bom.csv", "\xef\xbb\xbfUPN,Forename\r\nA123,Zoë\r\n");
	t = open_ok(f, p, AUP_ENC_AUTO);
	assert_string_equal(aup_table_encoding(t), "UTF-8 with BOM");
	{
		/* The BOM is no part of the first field, nor a column. */
		struct aup_record r = expect_record(f, t, 1, "UPN", "Forename",
		    NULL);

		expect_place(&r, 0, 1, 1);
		expect_place(&r, 1, 1, 5);
	}
	expect_record(f, t, 2, "A123", "Zoë", NULL);
	expect_end(f, t);
	aup_table_close(t);
}

static void
test_utf16(void **state)
{
	struct fx *f = *state;
	struct aup_table *t;
	struct aup_record r;
	unsigned char b[512];
	const char *text = "UPN\tLegal Forename\tLegal Surname\r\n"
			   "A1\tZoë\tO’Neill 😀\r\n"
			   "A2\t\"Łukasz, Jan\"\tÓ Briain\r\n";
	const char *p;

	/* Excel's "Unicode text": UTF-16LE with a BOM, tab-separated. */
	p = put(f, "le.txt", b, utf16(text, false, true, b));
	t = open_ok(f, p, AUP_ENC_AUTO);
	assert_string_equal(aup_table_encoding(t), "UTF-16LE");
	assert_int_equal(aup_table_delimiter(t), '\t');
	expect_record(f, t, 1, "UPN", "Legal Forename", "Legal Surname", NULL);
	r = expect_record(f, t, 2, "A1", "Zoë", "O’Neill 😀", NULL);
	expect_place(&r, 1, 2, 4);
	expect_place(&r, 2, 2, 8);
	expect_record(f, t, 3, "A2", "Łukasz, Jan", "Ó Briain", NULL);
	expect_end(f, t);
	aup_table_close(t);

	p = put(f, "be.txt", b, utf16(text, true, true, b));
	t = open_ok(f, p, AUP_ENC_AUTO);
	assert_string_equal(aup_table_encoding(t), "UTF-16BE");
	expect_record(f, t, 1, "UPN", "Legal Forename", "Legal Surname", NULL);
	expect_record(f, t, 2, "A1", "Zoë", "O’Neill 😀", NULL);
	expect_record(f, t, 3, "A2", "Łukasz, Jan", "Ó Briain", NULL);
	expect_end(f, t);
	aup_table_close(t);
}

static void
test_single_byte(void **state)
{
	struct fx *f = *state;
	struct aup_table *t;
	struct aup_record r;
	const char *p;

	/* 0x92 is Windows-1252's right single quote, 0x80 its euro. */
	p = puts_file(f, "cp1252.csv",
	    "Forename,Surname,Fee\r\nSe\xe1n,O\x92Neill,\x80 5\r\n"
	    "\x8a\x9a,\x93q\x94,\x85\r\n");
	t = open_ok(f, p, AUP_ENC_AUTO);
	assert_string_equal(aup_table_encoding(t), "Windows-1252");
	expect_record(f, t, 1, "Forename", "Surname", "Fee", NULL);
	r = expect_record(f, t, 2, "Seán", "O’Neill", "€ 5", NULL);
	expect_place(&r, 2, 2, 14);
	expect_record(f, t, 3, "Šš", "“q”", "…", NULL);
	expect_end(f, t);
	aup_table_close(t);

	p = puts_file(f, "latin1.csv",
	    "Name;Year\nRen\xe9"
	    "e;5\n\xc6sa;\xbd\n");
	t = open_ok(f, p, AUP_ENC_AUTO);
	assert_string_equal(aup_table_encoding(t), "ISO-8859-1");
	assert_int_equal(aup_table_delimiter(t), ';');
	expect_record(f, t, 1, "Name", "Year", NULL);
	expect_record(f, t, 2, "Renée", "5", NULL);
	expect_record(f, t, 3, "Æsa", "½", NULL);
	expect_end(f, t);
	aup_table_close(t);
}

static void
test_forced(void **state)
{
	struct fx *f = *state;
	struct aup_table *t;
	unsigned char b[64];
	const char *p;

	/* UTF-8 read as ISO-8859-1, as told: two characters for ë. */
	p = puts_file(f, "zoe.csv", "Zoë\n");
	t = open_ok(f, p, AUP_ENC_LATIN1);
	assert_string_equal(aup_table_encoding(t), "ISO-8859-1");
	expect_record(f, t, 1, "ZoÃ«", NULL);
	aup_table_close(t);

	/* Latin-1 that detection names ISO-8859-1, read as Windows-1252. */
	p = puts_file(f, "zoe1.csv", "Zo\xeb\n");
	t = open_ok(f, p, AUP_ENC_CP1252);
	assert_string_equal(aup_table_encoding(t), "Windows-1252");
	expect_record(f, t, 1, "Zoë", NULL);
	aup_table_close(t);

	/* A BOM is taken off UTF-8 forced, and named. */
	p = puts_file(f, "bom.csv", "\xef\xbb\xbfZoë\n");
	t = open_ok(f, p, AUP_ENC_UTF8);
	assert_string_equal(aup_table_encoding(t), "UTF-8 with BOM");
	expect_record(f, t, 1, "Zoë", NULL);
	aup_table_close(t);

	/* UTF-16 with no BOM is little-endian; a BOM says which. */
	p = put(f, "nobom.txt", b, utf16("Zoë\tSiân\n", false, false, b));
	t = open_ok(f, p, AUP_ENC_UTF16);
	assert_string_equal(aup_table_encoding(t), "UTF-16LE");
	expect_record(f, t, 1, "Zoë", "Siân", NULL);
	aup_table_close(t);
	p = put(f, "be.txt", b, utf16("Zoë\n", true, true, b));
	t = open_ok(f, p, AUP_ENC_UTF16);
	assert_string_equal(aup_table_encoding(t), "UTF-16BE");
	expect_record(f, t, 1, "Zoë", NULL);
	aup_table_close(t);
}

static void
test_forced_invalid(void **state)
{
	struct fx *f = *state;
	static const char odd[] = { 'A', 0, 'B' };
	static const char lone[] = { 'A', 0, 0, (char)0xd8, 'B', 0 };
	static const char low[] = { '\n', 0, 0, (char)0xdc };
	const char *p;

	p = puts_file(f, "a.csv", "Name\nSe\xe1n\n");
	expect_error(f, p, AUP_ENC_UTF8, 65,
	    ":2:3: byte 0xE1 is not valid UTF-8");
	assert_int_equal(f->err.line, 2);
	assert_int_equal(f->err.column, 3);
	assert_string_equal(f->err.field, "encoding");
	assert_non_null(strstr(f->err.hint, "windows-1252"));

	p = puts_file(f, "b.csv", "Name\nZoë\x81\n");
	expect_error(f, p, AUP_ENC_CP1252, 65,
	    ":2:5: byte 0x81 is not valid Windows-1252");
	p = puts_file(f, "c.csv", "x\x92");
	expect_error(f, p, AUP_ENC_LATIN1, 65,
	    ":1:2: byte 0x92 is not valid ISO-8859-1");
	p = put(f, "d.txt", odd, sizeof odd);
	expect_error(f, p, AUP_ENC_UTF16, 65,
	    ":1:2: an odd number of bytes is not valid UTF-16LE");
	p = put(f, "e.txt", lone, sizeof lone);
	expect_error(f, p, AUP_ENC_UTF16, 65,
	    ":1:2: an unpaired surrogate 0xD800 is not valid UTF-16LE");
	p = put(f, "f.txt", low, sizeof low);
	expect_error(f, p, AUP_ENC_UTF16, 65,
	    ":2:1: an unpaired surrogate 0xDC00 is not valid UTF-16LE");

	/* Detected: a BOM says UTF-8; else bytes 0x80-0x9F say Windows-1252,
	 * and one it has no character for is an error. */
	p = puts_file(f, "g.csv",
	    "\xef\xbb\xbf"
	    "a\n\xff");
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":2:1: byte 0xFF is not valid UTF-8");
	p = puts_file(f, "h.csv", "Se\xe1n \x81");
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":1:6: byte 0x81 is not valid UTF-8 or Windows-1252");
}

static void
test_line_breaks(void **state)
{
	static const char *const texts[] = {
		"A,B\n1,2\n\n3,4\n",
		"A,B\r\n1,2\r\n\r\n3,4\r\n",
		"A,B\r1,2\r\r3,4\r",
		"A,B\n1,2\n\n3,4", /* no line break at the end */
		"A,B\n1,2\n  \n3,4\n\n\n",
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct aup_table *t = open_ok(f,
		    puts_file(f, "lb.csv", texts[i]), AUP_ENC_AUTO);
		struct aup_record r;

		expect_record(f, t, 1, "A", "B", NULL);
		expect_record(f, t, 2, "1", "2", NULL);
		/* The blank line 3 is skipped, and counted. */
		r = expect_record(f, t, 4, "3", "4", NULL);
		expect_place(&r, 1, 4, 3);
		expect_end(f, t);
		aup_table_close(t);
	}
}

static void
test_delimiters(void **state)
{
	static const struct {
		const char *text;
		char delim;
		size_t n;
	} cases[] = {
		{ "UPN,Forename,Surname\n", ',', 3 },
		{ "UPN;Forename;Surname,Legal\n", ';', 3 },
		{ "UPN\tForename\tSurname;Legal\n", '\t', 3 },
		{ "UPN\tForename;Surname,Legal\n", ',', 2 }, /* ties: a comma */
		{ "UPN;Forename,Surname\tLegal\n", ',', 2 },
		{ "UPN;Forename,Surname\n", ',', 2 },
		{ "UPN\tForename,Surname\n", ',', 2 },
		{ "UPN\n", ',', 1 },				 /* none */
		{ "\"a,b,c\";d\n", ';', 2 },			 /* quoted */
		{ "\"Name\r\n(legal), first\";Year\n", ';', 2 }, /* likewise */
		{ "\n  \nA;B;C\n", ';', 3 },	/* the first line with text */
		{ "\t\t\nA;B\n", ';', 2 },	/* white space is no text */
		{ "A;B\nC,D,E,F,G\n", ';', 2 }, /* the first line only */
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct aup_table *t = open_ok(f,
		    puts_file(f, "d.csv", cases[i].text), AUP_ENC_AUTO);
		struct aup_record r;

		if (aup_table_delimiter(t) != cases[i].delim)
			fail_msg("\"%s\": '%c', not '%c'", cases[i].text,
			    aup_table_delimiter(t), cases[i].delim);
		assert_int_equal(aup_table_next(t, &r, &f->err), 1);
		assert_int_equal(r.n, cases[i].n);
		aup_table_close(t);
	}
}

static void
test_quoted(void **state)
{
	struct fx *f = *state;
	struct aup_table *t;
	struct aup_record r;
	const char *p;

	p = puts_file(f, "q.csv",
	    "Name,Note,Year\n"
	    "\"Smith, Jo\",\"She said \"\"hi\"\"\",5\n"
	    "\"Multi\nline\r\nnote\",\"x\",6\n"
	    "Last,\"\",7\n"
	    "\"\"\"Quoted\"\"\",  \"a\"  ,8\n");
	t = open_ok(f, p, AUP_ENC_AUTO);
	expect_record(f, t, 1, "Name", "Note", "Year", NULL);
	r = expect_record(f, t, 2, "Smith, Jo", "She said \"hi\"", "5", NULL);
	expect_place(&r, 1, 2, 13);
	expect_place(&r, 2, 2, 31);
	/* A field over three lines: the fields after it are on its last
	 * line, and the next record starts after it. */
	r = expect_record(f, t, 3, "Multi line note", "x", "6", NULL);
	expect_place(&r, 0, 3, 1);
	expect_place(&r, 1, 5, 7);
	expect_place(&r, 2, 5, 11);
	r = expect_record(f, t, 6, "Last", "", "7", NULL);
	expect_place(&r, 1, 6, 6);
	/* The opening quote is where a field starts. */
	r = expect_record(f, t, 7, "\"Quoted\"", "a", "8", NULL);
	expect_place(&r, 1, 7, 16);
	expect_end(f, t);
	aup_table_close(t);
}

static void
test_trim(void **state)
{
	struct fx *f = *state;
	struct aup_table *t;
	struct aup_record r;
	const char *p;

	p = puts_file(f, "t.csv",
	    "  Zoë  ,\t a \t  b ,\xc2\xa0Siân\xc2\xa0\xc2\xa0Jones\xe2\x80\x83,"
	    " \"  q \n\n r  \"\n"
	    "\xc2\xa0 \xe3\x80\x80\n" /* white space only: a blank line */
	    ",,\n");
	t = open_ok(f, p, AUP_ENC_AUTO);
	r = expect_record(f, t, 1, "Zoë", "a b", "Siân Jones", "q r", NULL);
	/* At the first character that is not white space. */
	expect_place(&r, 0, 1, 3);
	expect_place(&r, 1, 1, 11);
	expect_place(&r, 2, 1, 20);
	expect_place(&r, 3, 1, 34);
	/* Empty fields are kept, each at the place after its delimiter. */
	r = expect_record(f, t, 5, "", "", "", NULL);
	expect_place(&r, 0, 5, 1);
	expect_place(&r, 1, 5, 2);
	expect_place(&r, 2, 5, 3);
	expect_end(f, t);
	aup_table_close(t);
}

static void
test_columns(void **state)
{
	struct fx *f = *state;
	struct aup_table *t;
	struct aup_record r;
	unsigned char b[256];
	const char *p;
	/* Characters, not bytes: é decomposed is two, 😀 one. */
	const char *text = "Name,Year,Form\n"
			   "Zoë Ñuñez,5,5A\n"
			   "\"Siân\",6,\"6B\"\n"
			   "Rene\xcc\x81 😀,3,3C\n";

	p = puts_file(f, "c.csv", text);
	t = open_ok(f, p, AUP_ENC_AUTO);
	expect_record(f, t, 1, "Name", "Year", "Form", NULL);
	r = expect_record(f, t, 2, "Zoë Ñuñez", "5", "5A", NULL);
	expect_place(&r, 1, 2, 11);
	expect_place(&r, 2, 2, 13);
	r = expect_record(f, t, 3, "Siân", "6", "6B", NULL);
	expect_place(&r, 0, 3, 1);
	expect_place(&r, 1, 3, 8);
	expect_place(&r, 2, 3, 10);
	r = expect_record(f, t, 4, "Rene\xcc\x81 😀", "3", "3C", NULL);
	expect_place(&r, 1, 4, 9);
	expect_place(&r, 2, 4, 11);
	aup_table_close(t);

	/* The same in UTF-16 and Windows-1252: columns are the text's. */
	p = put(f, "c16.txt", b, utf16(text, false, true, b));
	t = open_ok(f, p, AUP_ENC_AUTO);
	expect_record(f, t, 1, "Name", "Year", "Form", NULL);
	r = expect_record(f, t, 2, "Zoë Ñuñez", "5", "5A", NULL);
	expect_place(&r, 2, 2, 13);
	aup_table_close(t);
	p = puts_file(f, "c1252.csv", "A,B\n\x93Z\xf6\x94,x\n");
	t = open_ok(f, p, AUP_ENC_AUTO);
	expect_record(f, t, 1, "A", "B", NULL);
	r = expect_record(f, t, 2, "“Zö”", "x", NULL);
	expect_place(&r, 1, 2, 6);
	aup_table_close(t);
}

static void
test_quote_errors(void **state)
{
	struct fx *f = *state;
	const char *p;

	p = puts_file(f, "open.csv", "A,B\n1,\"open\n2,3\n4,5\n");
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":2:3: a quoted field is not closed: the quote opened here has "
	    "no closing quote");
	assert_int_equal(f->err.line, 2);
	assert_int_equal(f->err.column, 3);
	p = puts_file(f, "after.csv", "A,B\n1,\"x\"y\n");
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":2:6: text after the closing quote of a field");
	p = puts_file(f, "after2.csv", "A,B\nZoë,\"x\"  \"y\"\n");
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":2:10: text after the closing quote of a field");
	/* Text after a quoted field over two lines: on its second line. */
	p = puts_file(f, "after3.csv", "A,B\n\"Zoë\nÑ\"x,1\n");
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":3:3: text after the closing quote of a field");
	p = puts_file(f, "inner.csv", "A,B\nO\"Neill,2\n");
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":2:2: a quote inside a field that does not start with one");
}

static void
test_text_errors(void **state)
{
	static const char nul[] = "A,B\n1,\0\n";
	struct fx *f = *state;
	unsigned char b[64];
	const char *p;

	p = put(f, "nul.csv", nul, sizeof nul - 1);
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":2:3: a NUL byte (this is not a text file)");
	p = puts_file(f, "bel.csv", "A,B\nZoë\x07,2\n");
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":2:4: a control character U+0007");
	p = puts_file(f, "c1.csv", "A,B\nx\xc2\x85\n");
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":2:2: a control character U+0085");
	p = puts_file(f, "del.csv", "A\x7f");
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":1:2: a control character U+007F");
	/* A control character in UTF-16 too. */
	p = put(f, "esc.txt", b, utf16("A\tB\n\x1b", false, true, b));
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":2:1: a control character U+001B");
	/* UTF-16 with no BOM: NULs, and a hint at what it may be. */
	p = put(f, "le.txt", b, utf16("A\tB\n", false, false, b));
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":1:2: a NUL byte (this is not a text file)");
	assert_non_null(strstr(f->err.hint, "utf-16"));
}

static void
test_file_errors(void **state)
{
	struct fx *f = *state;
	char path[160];
	const char *p;
	int fd;

	p = put(f, "empty.csv", "", 0);
	expect_error(f, p, AUP_ENC_AUTO, 65, ": is empty");
	p = puts_file(f, "blank.csv", "\r\n  \n\t\n");
	expect_error(f, p, AUP_ENC_AUTO, 65, ": is empty");
	p = puts_file(f, "bom.csv", "\xef\xbb\xbf");
	expect_error(f, p, AUP_ENC_AUTO, 65, ": is empty");
	snprintf(path, sizeof path, "%s/dir.csv", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	expect_error(f, path, AUP_ENC_AUTO, 65, ": is a directory");
	snprintf(path, sizeof path, "%s/missing.csv", f->dir);
	expect_error(f, path, AUP_ENC_AUTO, 66, ": No such file");
	p = puts_file(f, "book.xlsx", "PK\x03\x04\x14\x00\x06\x00");
	expect_error(f, p, AUP_ENC_AUTO, 65, ": is a zip file");

	/* Over 64 MiB, as a sparse file. */
	snprintf(path, sizeof path, "%s/big.csv", f->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 64L * 1024 * 1024 + 1), 0);
	close(fd);
	expect_error(f, path, AUP_ENC_AUTO, 65, ": is larger than 64 MiB");
}

static void
test_unreadable(void **state)
{
	struct fx *f = *state;
	const char *p = puts_file(f, "secret.csv", "A,B\n");

	assert_int_equal(chmod(p, 0), 0);
	if (geteuid() == 0)
		skip(); /* root reads it all the same */
	expect_error(f, p, AUP_ENC_AUTO, 66, ": Permission denied");
}

static void
test_long_field(void **state)
{
	static char s[1024 * 1024 + 16];
	struct fx *f = *state;
	size_t n = 1024 * 1024;
	struct aup_table *t;
	const char *p;

	/* Exactly 64 KiB is a field; one byte more is not. */
	memcpy(s, "A,B\n1,", 6);
	memset(s + 6, 'x', 64 * 1024);
	memcpy(s + 6 + 64 * 1024, "\n", 2);
	t = open_ok(f, puts_file(f, "64k.csv", s), AUP_ENC_AUTO);
	expect_record(f, t, 1, "A", "B", NULL);
	aup_table_close(t);
	memset(s + 6, 'x', 64 * 1024 + 1);
	memcpy(s + 6 + 64 * 1024 + 1, "\n", 2);
	p = puts_file(f, "64k1.csv", s);
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":2:3: a field longer than 64 KiB");

	/* A megabyte, quoted, after accented text. */
	memcpy(s, "A,B\nZoë, \"", 11);
	memset(s + 11, 'x', n);
	memcpy(s + 11 + n, "\"\n", 3);
	p = puts_file(f, "1m.csv", s);
	expect_error(f, p, AUP_ENC_AUTO, 65,
	    ":2:6: a field longer than 64 KiB");
}

static void
test_many_fields(void **state)
{
	struct fx *f = *state;
	char *s = xmalloc(2 * 4097 + 8);
	size_t n = 0;

	for (int i = 0; i < 4097; i++) {
		s[n++] = 'a';
		s[n++] = ',';
	}
	s[n - 1] = '\n';
	s[n] = '\0';
	expect_error(f, puts_file(f, "wide.csv", s), AUP_ENC_AUTO, 65,
	    ":1:8193: a record of more than 4096 fields");
	free(s);
}

static void
test_random_bytes(void **state)
{
	struct fx *f = *state;
	uint32_t x = 20260917;
	char *s = xmalloc(4096);
	size_t len = 0;

	for (int round = 0; round < 200; round++) {
		size_t plen;

		len = 1 + (size_t)round * 20;

		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245 + 12345;
			s[i] = (char)(x >> 16);
		}
		aup_err_clear(&f->err);
		put(f, "random.bin", s, len);
		plen = strlen(f->path);
		for (int enc = AUP_ENC_AUTO; enc < AUP_ENC_COUNT; enc++) {
			struct aup_table *t = aup_table_open(f->path,
			    (enum aup_encoding)enc, &f->err);
			struct aup_record r;
			long line, col;

			/* Random text may be readable; it is read whole. */
			if (t != NULL) {
				while (aup_table_next(t, &r, &f->err) == 1)
					;
				aup_table_close(t);
				continue;
			}
			if (f->err.code != 65 ||
			    strncmp(f->err.msg, f->path, plen) != 0 ||
			    (sscanf(f->err.msg + plen, ":%ld:%ld: ", &line,
				 &col) != 2 &&
				strncmp(f->err.msg + plen, ": is ", 5) != 0))
				fail_msg("round %d, encoding %d: %d %s", round,
				    enc, f->err.code, f->err.msg);
		}
	}
	/* Not text, as detected: the first round long enough. */
	put(f, "random.bin", s, len);
	expect_error(f, f->path, AUP_ENC_AUTO, 65, ":");
	assert_true(f->err.line > 0 && f->err.column > 0);
	free(s);
}

static void
test_header_only(void **state)
{
	struct fx *f = *state;
	struct aup_table *t;

	t = open_ok(f, puts_file(f, "h.csv", "UPN,Forename,Surname\r\n"),
	    AUP_ENC_AUTO);
	expect_record(f, t, 1, "UPN", "Forename", "Surname", NULL);
	expect_end(f, t);
	aup_table_close(t);
}

static void
test_encoding_names(void **state)
{
	(void)state;
	assert_int_equal(aup_encoding_parse("utf-8"), AUP_ENC_UTF8);
	assert_int_equal(aup_encoding_parse("UTF8"), AUP_ENC_UTF8);
	assert_int_equal(aup_encoding_parse("UTF-16"), AUP_ENC_UTF16);
	assert_int_equal(aup_encoding_parse("Windows-1252"), AUP_ENC_CP1252);
	assert_int_equal(aup_encoding_parse("cp1252"), AUP_ENC_CP1252);
	assert_int_equal(aup_encoding_parse("ISO-8859-1"), AUP_ENC_LATIN1);
	assert_int_equal(aup_encoding_parse("latin1"), AUP_ENC_LATIN1);
	assert_int_equal(aup_encoding_parse("ebcdic"), -1);
	assert_int_equal(aup_encoding_parse(""), -1);
	assert_string_equal(aup_encoding_list(),
	    "utf-8, utf-16, windows-1252, iso-8859-1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf16, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_byte, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_forced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forced_invalid, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_line_breaks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_delimiters, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_quoted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quote_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_text_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_long_field, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_many_fields, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_random_bytes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_header_only, setup,
		    teardown),
		cmocka_unit_test(test_encoding_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
