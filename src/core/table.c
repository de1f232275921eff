/* The reader of the tables schools' systems export: the file read whole, its
 * encoding found and converted to UTF-8, then cut into records by libcsv
 * with the physical line and column of every field kept for messages. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <csv.h>

#include "aup/table.h"
#include "aup/utf8.h"
#include "aup/util.h"

#define TABLE_MAX  ((size_t)64 * 1024 * 1024) /* bytes of a file */
#define FIELD_MAX  ((size_t)64 * 1024)	      /* bytes of a field */
#define FIELDS_MAX 4096			      /* fields of a record */

/* How the bytes of a file are read. */
enum source { SRC_UTF8, SRC_UTF16LE, SRC_UTF16BE, SRC_CP1252, SRC_LATIN1 };

static const char *const source_name[] = { "UTF-8", "UTF-16LE", "UTF-16BE",
	"Windows-1252", "ISO-8859-1" };

/* Windows-1252's characters for the bytes 0x80-0x9F; 0 where it has none. */
static const uint16_t cp1252[32] = { 0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026,
	0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0, 0,
	0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122,
	0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178 };

static const struct {
	const char *name;
	enum aup_encoding enc;
} encodings[] = {
	{ "utf-8", AUP_ENC_UTF8 },
	{ "utf8", AUP_ENC_UTF8 },
	{ "utf-16", AUP_ENC_UTF16 },
	{ "utf16", AUP_ENC_UTF16 },
	{ "windows-1252", AUP_ENC_CP1252 },
	{ "cp1252", AUP_ENC_CP1252 },
	{ "iso-8859-1", AUP_ENC_LATIN1 },
	{ "latin1", AUP_ENC_LATIN1 },
};

/* A place in the text: line and column (in characters) from 1. */
struct place {
	long line;
	long column;
	bool cr; /* just past a CR, so that a LF ends no further line */
};

/* A field of the record being read: its text in the record's buffer. */
struct cell {
	size_t off;
	long line;
	long column;
};

struct aup_table {
	char *path;
	const char *encoding;
	char delim;
	char *data;	     /* the file as read */
	struct aup_buf conv; /* its text as UTF-8, when it was not */
	const char *text;    /* the text: in DATA past a BOM, or CONV's */
	size_t len;

	/* The parser: the next byte to read and its place; the bytes before
	 * FED are libcsv's already. */
	struct csv_parser csv;
	size_t pos;
	size_t fed;
	struct place at;
	bool ended;	     /* csv_fini called */
	bool fired;	     /* libcsv handed over a field or record */
	bool failed;	     /* an error, ERR set: reading stops */
	bool checking;	     /* a first reading, for errors: fields not kept */
	bool special[256];   /* bytes libcsv may act on */
	struct aup_err *err; /* for the callbacks */

	/* The field being read: where it may start (past the delimiter or
	 * line break before it) and, once seen, where it does (its first
	 * character that is not white space, or its opening quote). */
	struct place raw;
	struct place start;
	size_t start_pos;
	bool started;

	/* The record being read: its fields' text, each NUL-terminated. */
	struct aup_buf buf;
	struct cell *cell;
	size_t ncell;
	size_t cellcap;
	long line;
	bool whole;
	bool blank; /* its first field is white space only */

	struct aup_field *field; /* what aup_table_next hands out */
	size_t fieldcap;
};

int
aup_encoding_parse(const char *s)
{
	for (size_t i = 0; i < sizeof encodings / sizeof encodings[0]; i++)
		if (strcasecmp(s, encodings[i].name) == 0)
			return (int)encodings[i].enc;
	return -1;
}

const char *
aup_encoding_list(void)
{
	return "utf-8, utf-16, windows-1252, iso-8859-1";
}

static void
place_step(struct place *at, int32_t cp)
{
	if (cp == '\n' && at->cr) {
		at->cr = false;
		return;
	}
	at->cr = cp == '\r';
	if (cp == '\r' || cp == '\n') {
		at->line++;
		at->column = 1;
	} else
		at->column++;
}

/* The place of byte OFF of the text, counted again from its start: an
 * error's, so once. */
static struct place
place_of(const struct aup_table *t, size_t off)
{
	struct place at = { 1, 1, false };

	for (size_t i = 0; i < off; i++)
		if (((unsigned char)t->text[i] & 0xc0) != 0x80)
			place_step(&at, (unsigned char)t->text[i]);
	return at;
}

static int fail_at(const struct aup_table *t, struct aup_err *err,
    const struct place *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A data error at AT: "PATH:LINE:COLUMN: what". */
static int
fail_at(const struct aup_table *t, struct aup_err *err, const struct place *at,
    const char *fmt, ...)
{
	char what[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	aup_err_set(err, AUP_EX_DATAERR, "%s:%ld:%ld: %s", t->path, at->line,
	    at->column, what);
	aup_err_at(err, (int)at->line, (int)at->column);
	return -1;
}

/* PATH whole into *OUT (NUL-terminated), at most TABLE_MAX bytes. */
static int
read_whole(const char *path, char **out, size_t *outlen, struct aup_err *err)
{
	struct stat st;
	size_t len = 0, cap = 65536;
	char *data = NULL;
	ssize_t n = 0;
	int fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return aup_err_set(err, AUP_EX_NOINPUT, "%s: %s", path,
		    strerror(errno));
	if (fstat(fd, &st) == -1) {
		saved = errno;
		close(fd);
		return aup_err_set(err, AUP_EX_IOERR, "%s: %s", path,
		    strerror(saved));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return aup_err_set(err, AUP_EX_DATAERR, "%s: is a directory",
		    path);
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (size_t)st.st_size < TABLE_MAX ? (size_t)st.st_size + 1 :
						       TABLE_MAX + 1;
	data = xmalloc(cap + 1);
	for (;;) {
		if (len == cap) {
			if (cap > TABLE_MAX)
				break;
			cap = cap < TABLE_MAX / 2 ? cap * 2 : TABLE_MAX + 1;
			data = xreallocarray(data, cap + 1, 1);
		}
		n = read(fd, data + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	saved = errno;
	close(fd);
	if (n == -1) {
		free(data);
		if (saved == EISDIR)
			return aup_err_set(err, AUP_EX_DATAERR,
			    "%s: is a directory", path);
		return aup_err_set(err, AUP_EX_IOERR, "%s: %s", path,
		    strerror(saved));
	}
	if (len > TABLE_MAX) {
		free(data);
		return aup_err_set(err, AUP_EX_DATAERR,
		    "%s: is larger than 64 MiB", path);
	}
	if (len == 0) {
		free(data);
		return aup_err_set(err, AUP_EX_DATAERR, "%s: is empty", path);
	}
	data[len] = '\0';
	*out = data;
	*outlen = len;
	return 0;
}

static unsigned
utf16_unit(enum source src, const unsigned char *s)
{
	return src == SRC_UTF16LE ? (unsigned)(s[0] | s[1] << 8) :
				    (unsigned)(s[0] << 8 | s[1]);
}

/*
 * The character at *I of RAW (LEN bytes and a NUL) read as SRC, with *I
 * moved past it; or -1 for bytes that are not valid in SRC, with *BAD the
 * byte or UTF-16 unit, or -2 for a last byte that is half a UTF-16 unit.
 */
static int32_t
decode(enum source src, const unsigned char *raw, size_t len, size_t *i,
    unsigned *bad)
{
	const unsigned char *s = raw + *i;
	const char *p = (const char *)s;
	int32_t cp;
	unsigned u, v;

	switch (src) {
	case SRC_UTF8:
		if (*s == '\0') {
			(*i)++;
			return 0;
		}
		cp = aup_utf8_next(&p);
		*i += (size_t)(p - (const char *)s);
		*bad = *s;
		return cp;
	case SRC_UTF16LE:
	case SRC_UTF16BE:
		if (len - *i < 2) {
			*i = len;
			return -2;
		}
		*bad = u = utf16_unit(src, s);
		*i += 2;
		if (u < 0xd800 || u > 0xdfff)
			return (int32_t)u;
		if (u > 0xdbff || len - *i < 2)
			return -1;
		v = utf16_unit(src, s + 2);
		if (v < 0xdc00 || v > 0xdfff)
			return -1;
		*i += 2;
		return (int32_t)(0x10000 + ((u - 0xd800) << 10) + (v - 0xdc00));
	case SRC_CP1252:
	case SRC_LATIN1:
		(*i)++;
		*bad = *s;
		if (*s < 0x80 || *s >= 0xa0)
			return *s;
		if (src == SRC_LATIN1 || cp1252[*s - 0x80] == 0)
			return -1;
		return cp1252[*s - 0x80];
	}
	return -1;
}

static bool
is_utf8(const unsigned char *raw, size_t len)
{
	size_t i = 0;
	unsigned bad;

	while (i < len)
		if (raw[i] < 0x80)
			i++;
		else if (decode(SRC_UTF8, raw, len, &i, &bad) < 0)
			return false;
	return true;
}

static bool
is_control(int32_t cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
	    cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

static int
bad_bytes(const struct aup_table *t, struct aup_err *err,
    const struct place *at, enum source src, bool guessed, int32_t why,
    unsigned bad)
{
	if (why == -2)
		fail_at(t, err, at, "an odd number of bytes is not valid %s",
		    source_name[src]);
	else if (src == SRC_UTF16LE || src == SRC_UTF16BE)
		fail_at(t, err, at,
		    "an unpaired surrogate 0x%04X is not valid %s", bad,
		    source_name[src]);
	else if (guessed && src == SRC_CP1252)
		fail_at(t, err, at,
		    "byte 0x%02X is not valid UTF-8 or Windows-1252", bad);
	else
		fail_at(t, err, at, "byte 0x%02X is not valid %s", bad,
		    source_name[src]);
	aup_err_field(err, "encoding");
	if (src == SRC_LATIN1)
		aup_err_hint(err,
		    "it may be Windows-1252, which has characters for "
		    "bytes 0x80-0x9F");
	else
		aup_err_hint(err,
		    "save it as UTF-8, or say which encoding it is in: %s",
		    aup_encoding_list());
	return -1;
}

/*
 * Read the LEN bytes of RAW as SRC into T's text, in place when they are
 * UTF-8 already, every character checked: text holds no NUL and no control
 * character but tab and line breaks. GUESSED: SRC was detected, not given.
 */
static int
convert(struct aup_table *t, const unsigned char *raw, size_t len,
    enum source src, bool guessed, struct aup_err *err)
{
	struct place at = { 1, 1, false };
	bool wide = src == SRC_UTF16LE || src == SRC_UTF16BE;
	bool copy = src == SRC_CP1252 || src == SRC_LATIN1;
	size_t i = 0, from = 0; /* RAW's ASCII from FROM to I: not copied yet */

	/* Room for the text at once, with what UTF-8 makes of a byte (or of
	 * a UTF-16 unit) at most: a buffer that grows as it goes is copied
	 * and wiped at each step. */
	if (src != SRC_UTF8) {
		t->conv.cap = (wide ? len / 2 * 3 : len * 3) + 1;
		t->conv.data = xmalloc(t->conv.cap);
		t->conv.data[0] = '\0';
	}
	while (i < len) {
		unsigned bad = 0;
		int32_t cp;

		/* Printable ASCII, most of a table, is itself but in UTF-16. */
		if (!wide && raw[i] >= 0x20 && raw[i] < 0x7f) {
			i++;
			at.column++;
			at.cr = false;
			continue;
		}
		if (copy)
			aup_buf_add(&t->conv, (const char *)raw + from,
			    i - from);
		cp = decode(src, raw, len, &i, &bad);
		from = i;
		if (cp < 0)
			return bad_bytes(t, err, &at, src, guessed, cp, bad);
		if (cp == 0) {
			fail_at(t, err, &at,
			    "a NUL byte (this is not a text file)");
			/* UTF-16 without a byte order mark holds a NUL in
			 * every other byte. */
			if (guessed && src == SRC_UTF8 && len >= 2 &&
			    raw[0] != 0 && raw[1] == 0)
				aup_err_hint(err,
				    "it may be UTF-16 with no byte order mark: "
				    "read it as utf-16");
			else
				aup_err_hint(err,
				    "save the table as CSV or tab-separated text");
			return -1;
		}
		if (is_control(cp)) {
			fail_at(t, err, &at,
			    "a control character U+%04X, which text does not "
			    "hold",
			    (unsigned)cp);
			aup_err_hint(err,
			    "save the table as CSV or tab-separated text");
			return -1;
		}
		if (wide && cp < 0x80)
			t->conv.data[t->conv.len++] = (char)cp;
		else if (src != SRC_UTF8)
			aup_utf8_put(&t->conv, cp);
		place_step(&at, cp);
	}
	if (copy)
		aup_buf_add(&t->conv, (const char *)raw + from, i - from);
	if (wide)
		t->conv.data[t->conv.len] = '\0';
	if (src == SRC_UTF8) {
		t->text = (const char *)raw;
		t->len = len;
	} else {
		t->text = t->conv.data != NULL ? t->conv.data : "";
		t->len = t->conv.len;
	}
	return 0;
}

/* Of comma, semicolon and tab, the one the first line that is not blank
 * holds most of outside quotes; a comma on a tie or when it holds none. */
static char
find_delimiter(const char *s, size_t len)
{
	static const char cand[] = { ',', ';', '\t' };
	size_t n[3] = { 0 };
	bool quoted = false, text = false;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		if (quoted)
			continue;
		if (s[i] == '\r' || s[i] == '\n') {
			if (text)
				break;
			n[0] = n[1] = n[2] = 0;
			continue;
		}
		if (s[i] != ' ' && s[i] != '\t')
			text = true;
		for (size_t k = 0; k < 3; k++)
			n[k] += s[i] == cand[k];
	}
	if (n[1] > n[0] && n[1] > n[2])
		return ';';
	if (n[2] > n[0] && n[2] > n[1])
		return '\t';
	return ',';
}

/* Move past the character at *S (of valid text); whether it is white
 * space. ASCII, most of a table, is seen to here. */
static inline bool
pass_char(const char **s)
{
	unsigned char c = (unsigned char)**s;

	if (c < 0x80) {
		(*s)++;
		return c <= ' ';
	}
	return aup_utf8_space(aup_utf8_next(s));
}

static bool
all_white(const char *s)
{
	while (*s != '\0')
		if (!pass_char(&s))
			return false;
	return true;
}

/* Append S to B without white space at either end and each run of it
 * within one space (a line break in a quoted field too). */
static void
put_trimmed(struct aup_buf *b, const char *s)
{
	size_t from = b->len;
	bool gap = false;

	while (*s != '\0') {
		const char *word = s;

		if (pass_char(&s)) {
			gap = true;
			continue;
		}
		while (*s != '\0') {
			const char *p = s;

			if (pass_char(&p))
				break;
			s = p;
		}
		if (gap && b->len > from)
			aup_buf_add(b, " ", 1);
		gap = false;
		aup_buf_add(b, word, (size_t)(s - word));
	}
}

static int
too_long(struct aup_table *t, struct aup_err *err, const struct place *at)
{
	fail_at(t, err, at, "a field longer than 64 KiB");
	if (t->started && t->text[t->start_pos] == '"')
		aup_err_hint(err,
		    "a quoted field runs on to its closing quote: is the "
		    "quote here closed?");
	t->failed = true;
	return -1;
}

static void
on_field(void *s, size_t len, void *data)
{
	struct aup_table *t = data;
	const struct place *at = t->started ? &t->start : &t->raw;
	struct cell *c;

	t->fired = true;
	if (t->failed)
		return;
	if (len > FIELD_MAX) {
		too_long(t, t->err, at);
		return;
	}
	if (t->ncell == FIELDS_MAX) {
		fail_at(t, t->err, at, "a record of more than %d fields",
		    FIELDS_MAX);
		t->failed = true;
		return;
	}
	if (t->ncell == 0)
		t->line = at->line;
	if (t->checking) {
		if (t->ncell++ == 0)
			t->blank = s == NULL || all_white(s);
		return;
	}
	if (t->ncell == t->cellcap) {
		t->cellcap = t->cellcap ? t->cellcap * 2 : 32;
		t->cell = xreallocarray(t->cell, t->cellcap, sizeof *t->cell);
	}
	c = &t->cell[t->ncell++];
	c->off = t->buf.len;
	c->line = at->line;
	c->column = at->column;
	put_trimmed(&t->buf, s != NULL ? s : "");
	aup_buf_add(&t->buf, "", 1);
}

static void
on_record(int c, void *data)
{
	struct aup_table *t = data;

	(void)c;
	t->fired = true;
	if (t->failed)
		return;
	/* A blank line: one field, empty once trimmed. */
	if (t->ncell == 1 &&
	    (t->checking ? t->blank : t->buf.data[t->cell[0].off] == '\0')) {
		t->ncell = 0;
		t->buf.len = 0;
		return;
	}
	t->whole = true;
}

static int
parse_error(struct aup_table *t, struct aup_err *err, size_t off)
{
	int code = csv_error(&t->csv);
	struct place at = place_of(t, off);

	t->failed = true;
	if (code != CSV_EPARSE)
		return aup_err_set(err, AUP_EX_SOFTWARE, "%s: %s", t->path,
		    csv_strerror(code));
	if (t->started && t->text[t->start_pos] == '"') {
		fail_at(t, err, &at, "text after the closing quote of a field");
		aup_err_hint(err,
		    "a quote inside a quoted field is written twice (\"\")");
	} else {
		fail_at(t, err, &at,
		    "a quote inside a field that does not start with one");
		aup_err_hint(err,
		    "put the whole field in quotes and write this quote "
		    "twice (\"\")");
	}
	return -1;
}

static bool
white_at(const char *p)
{
	unsigned char c = (unsigned char)*p;

	if (c < 0x80)
		return c == ' ' || c == '\t';
	/* Inside a character whose first byte was white space. */
	if ((c & 0xc0) == 0x80)
		return true;
	return aup_utf8_space(aup_utf8_next(&p));
}

/*
 * Read on to the end of the next record that is not blank (1), or of the
 * text (0). Bytes go to libcsv in runs that end at a byte it may act on (a
 * delimiter, quote or line break), so that a field it hands over ends at
 * the last byte given, whose place is known.
 */
static int
parse(struct aup_table *t, struct aup_err *err)
{
	const unsigned char *s = (const unsigned char *)t->text;

	if (t->failed)
		return aup_err_set(err, AUP_EX_SOFTWARE,
		    "%s: reading stopped at an error", t->path);
	t->err = err;
	t->whole = false;
	t->ncell = 0;
	t->buf.len = 0;
	while (!t->whole && t->pos < t->len) {
		unsigned char c;

		/* The bytes within a field that libcsv only gathers, at once
		 * up to the last, which is fed below. */
		if (t->started) {
			size_t end = t->start_pos + FIELD_MAX + 1, i = t->pos;
			long column = t->at.column;

			if (end > t->len - 1)
				end = t->len - 1;
			for (; i < end && !t->special[s[i]]; i++)
				column += (s[i] & 0xc0) != 0x80;
			if (i > t->pos) {
				t->pos = i;
				t->at.column = column;
				t->at.cr = false;
			}
		}
		c = s[t->pos];
		if (!t->started) {
			if (c != t->delim && c != '\r' && c != '\n' &&
			    !white_at(t->text + t->pos)) {
				t->started = true;
				t->start = t->at;
				t->start_pos = t->pos;
			}
		} else if (t->pos - t->start_pos > FIELD_MAX)
			return too_long(t, err, &t->start);
		if (t->special[c] || t->pos + 1 == t->len) {
			size_t n = t->pos + 1 - t->fed;
			size_t done = csv_parse(&t->csv, s + t->fed, n,
			    on_field, on_record, t);

			if (t->failed)
				return -1;
			if (done != n)
				return parse_error(t, err, t->fed + done);
			t->fed = t->pos + 1;
		}
		if ((c & 0xc0) != 0x80)
			place_step(&t->at, c);
		t->pos++;
		if (t->fired) {
			t->fired = false;
			t->started = false;
			t->raw = t->at;
		} else if (!t->started && (c == '\r' || c == '\n'))
			t->raw = t->at;
	}
	if (!t->whole && !t->ended) {
		t->ended = true;
		if (csv_fini(&t->csv, on_field, on_record, t) != 0) {
			fail_at(t, err, &t->start,
			    "a quoted field is not closed: the quote opened "
			    "here has no closing quote");
			aup_err_hint(err,
			    "a quote inside a quoted field is written twice "
			    "(\"\")");
			t->failed = true;
			return -1;
		}
		if (t->failed)
			return -1;
	}
	return t->whole ? 1 : 0;
}

static void *
csv_realloc(void *p, size_t size)
{
	return xreallocarray(p, size, 1);
}

static void
parse_reset(struct aup_table *t)
{
	static const struct place first = { 1, 1, false };

	csv_free(&t->csv);
	csv_init(&t->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_delim(&t->csv, (unsigned char)t->delim);
	csv_set_realloc_func(&t->csv, csv_realloc);
	csv_set_blk_size(&t->csv, 4096);
	t->pos = t->fed = 0;
	t->at = t->raw = t->start = first;
	t->ended = t->fired = t->failed = t->started = t->whole = false;
	t->ncell = 0;
	memset(t->special, 0, sizeof t->special);
	t->special[(unsigned char)t->delim] = true;
	t->special['"'] = t->special['\r'] = t->special['\n'] = true;
}

/* Refuse a spreadsheet's own file by its signature: what a person means
 * is its table saved as text. */
static int
check_workbook(const char *path, const unsigned char *raw, size_t len,
    struct aup_err *err)
{
	const char *what = NULL;

	if (len >= 4 && memcmp(raw, "PK\x03\x04", 4) == 0)
		what = "a zip file (an .xlsx or .ods workbook?)";
	else if (len >= 8 &&
	    memcmp(raw, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
		what = "an Excel 97-2003 workbook (.xls)";
	if (what == NULL)
		return 0;
	aup_err_set(err, AUP_EX_DATAERR, "%s: is %s, not text", path, what);
	aup_err_hint(err, "save the table as CSV or tab-separated text");
	return -1;
}

static bool
has_c1(const unsigned char *raw, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (raw[i] >= 0x80 && raw[i] < 0xa0)
			return true;
	return false;
}

struct aup_table *
aup_table_open(const char *path, enum aup_encoding enc, struct aup_err *err)
{
	struct aup_table *t;
	const unsigned char *raw;
	size_t len = 0, skip = 0;
	enum source src;
	bool bom8, le, be;
	long records = 0;
	int rc;
	char *data = NULL;

	if ((int)enc < 0 || enc >= AUP_ENC_COUNT) {
		aup_err_set(err, AUP_EX_SOFTWARE, "%s: no encoding %d", path,
		    (int)enc);
		return NULL;
	}
	if (read_whole(path, &data, &len, err) != 0)
		return NULL;
	raw = (const unsigned char *)data;
	if (check_workbook(path, raw, len, err) != 0) {
		free(data);
		return NULL;
	}
	t = xcalloc(1, sizeof *t);
	t->path = xstrdup(path);
	t->data = data;
	bom8 = len >= 3 && memcmp(raw, "\xef\xbb\xbf", 3) == 0;
	le = len >= 2 && raw[0] == 0xff && raw[1] == 0xfe;
	be = len >= 2 && raw[0] == 0xfe && raw[1] == 0xff;
	switch (enc) {
	case AUP_ENC_UTF16:
		src = be ? SRC_UTF16BE : SRC_UTF16LE;
		skip = le || be ? 2 : 0;
		break;
	case AUP_ENC_CP1252: src = SRC_CP1252; break;
	case AUP_ENC_LATIN1: src = SRC_LATIN1; break;
	case AUP_ENC_UTF8:
	default:
		src = SRC_UTF8;
		skip = bom8 ? 3 : 0;
		if (enc == AUP_ENC_UTF8 || bom8)
			break;
		if (le || be) {
			src = le ? SRC_UTF16LE : SRC_UTF16BE;
			skip = 2;
		} else if (!is_utf8(raw, len))
			src = has_c1(raw, len) ? SRC_CP1252 : SRC_LATIN1;
		break;
	}
	t->encoding = src == SRC_UTF8 && skip > 0 ? "UTF-8 with BOM" :
						    source_name[src];
	if (convert(t, raw + skip, len - skip, src, enc == AUP_ENC_AUTO, err) !=
	    0)
		goto fail;
	t->delim = find_delimiter(t->text, t->len);

	/* Read it all once now, so that every error is open's. */
	parse_reset(t);
	t->checking = true;
	while ((rc = parse(t, err)) == 1)
		records++;
	t->checking = false;
	if (rc < 0)
		goto fail;
	if (records == 0) {
		aup_err_set(err, AUP_EX_DATAERR, "%s: is empty", path);
		if (t->len > 0)
			aup_err_hint(err, "it holds nothing but white space");
		goto fail;
	}
	parse_reset(t);
	return t;
fail:
	aup_table_close(t);
	return NULL;
}

int
aup_table_next(struct aup_table *t, struct aup_record *r, struct aup_err *err)
{
	int rc = parse(t, err);

	if (rc <= 0)
		return rc;
	if (t->ncell > t->fieldcap) {
		t->fieldcap = t->cellcap;
		t->field = xreallocarray(t->field, t->fieldcap,
		    sizeof *t->field);
	}
	for (size_t i = 0; i < t->ncell; i++) {
		t->field[i].text = t->buf.data + t->cell[i].off;
		t->field[i].line = t->cell[i].line;
		t->field[i].column = t->cell[i].column;
	}
	r->field = t->field;
	r->n = t->ncell;
	r->line = t->line;
	return 1;
}

const char *
aup_table_encoding(const struct aup_table *t)
{
	return t->encoding;
}

char
aup_table_delimiter(const struct aup_table *t)
{
	return t->delim;
}

const char *
aup_table_path(const struct aup_table *t)
{
	return t->path;
}

void
aup_table_close(struct aup_table *t)
{
	if (t == NULL)
		return;
	csv_free(&t->csv);
	aup_buf_free(&t->conv);
	aup_buf_free(&t->buf);
	free(t->cell);
	free(t->field);
	free(t->data);
	free(t->path);
	free(t);
}
