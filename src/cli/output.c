/* Output for people and for machines: a table that fits the terminal and
 * measures names by display width, or csv, tsv and json with a stable
 * header. What a table may cut to fit is a property of each column: free
 * text first, short words next, never a key or a time. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "aup/clock.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "cli.h"

struct table {
	const char *const *cols;
	const enum cell_type *types;
	size_t ncols;
	char **cells; /* nrows x ncols */
	size_t nrows;
	/* How it is printed (from the global options), and for a streamed
	 * table (see table_stream) OUT, whether the header is out, and the
	 * column widths a table settles after its first rows. */
	enum cli_format format;
	bool wide, no_header;
	FILE *out;
	bool started;
	size_t streamed;
	size_t *widths;
};

/* A streamed table in a terminal measures this many rows for its column
 * widths; later rows keep them. */
#define STREAM_MEASURE 500

struct table *
table_new(const char *const *cols, const enum cell_type *types, size_t ncols)
{
	struct table *t = xcalloc(1, sizeof *t);

	t->cols = cols;
	t->types = types;
	t->ncols = ncols;
	return t;
}

static void stream_row(struct table *t, const char *const *cells);

void
table_row(struct table *t, const char *const *cells)
{
	if (t->out != NULL && (t->format != FMT_TABLE || t->widths != NULL)) {
		stream_row(t, cells);
		return;
	}
	t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncols,
	    sizeof *t->cells);
	for (size_t i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = cells[i] ?
		    xstrdup(cells[i]) :
		    NULL;
	t->nrows++;
}

size_t
table_rows(const struct table *t)
{
	return t->nrows;
}

void
table_free(struct table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->widths);
	free(t);
}

static const char *
cell(const struct table *t, size_t r, size_t c)
{
	return t->cells[r * t->ncols + c];
}

/*
 * A cell a spreadsheet would read as a formula (it begins with = + - or @)
 * is written with a ' first, as OWASP advises against CSV injection, so a
 * name like =HYPERLINK(...) stays text. Numbers are left as they are: a
 * negative one is a number, not a formula.
 */
static bool
formula(const struct table *t, size_t c, const char *s)
{
	return s != NULL && t->types[c] != CELL_NUM && s[0] != '\0' &&
	    strchr("=+-@", s[0]) != NULL;
}

/* A cell a character at a time, without a lock each: put_sep_row holds the
 * stream's lock for the row (a whole school's list is millions of them). */
static void
put_csv(FILE *out, const char *s, bool guard)
{
	bool quote;

	if (s == NULL)
		return;
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		putc_unlocked('"', out);
	if (guard)
		putc_unlocked('\'', out);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putc_unlocked('"', out);
		putc_unlocked(*s, out);
	}
	if (quote)
		putc_unlocked('"', out);
}

/* The letter a backslash puts for C in tsv, or 0 when C stands as it is. */
static char
tsv_escape(char c)
{
	switch (c) {
	case '\t': return 't';
	case '\n': return 'n';
	case '\r': return 'r';
	case '\\': return '\\';
	default: return 0;
	}
}

static void
put_tsv(FILE *out, const char *s, bool guard)
{
	if (guard)
		putc_unlocked('\'', out);
	for (; s != NULL && *s != '\0'; s++) {
		char e = tsv_escape(*s);

		if (e != 0) {
			putc_unlocked('\\', out);
			putc_unlocked(e, out);
		} else {
			putc_unlocked(*s, out);
		}
	}
}

static void
put_json_value(FILE *out, const struct table *t, size_t c, const char *v)
{
	struct aup_buf b = { 0 };

	if (v == NULL || *v == '\0') {
		fputs("null", out);
		return;
	}
	if (t->types[c] == CELL_NUM || t->types[c] == CELL_BOOL ||
	    t->types[c] == CELL_JSON) {
		fputs(v, out);
		return;
	}
	aup_buf_json_str(&b, v);
	fputs(b.data, out);
	aup_buf_free(&b);
}

static void
put_json_cells(FILE *out, const struct table *t, const char *const *cells)
{
	fputc('{', out);
	for (size_t c = 0; c < t->ncols; c++) {
		fprintf(out, "%s\"%s\":", c ? "," : "", t->cols[c]);
		put_json_value(out, t, c, cells[c]);
	}
	fputc('}', out);
}

static void
put_json_object(FILE *out, const struct table *t, size_t r)
{
	put_json_cells(out, t, (const char *const *)&t->cells[r * t->ncols]);
}

static void
put_fitted(FILE *out, const char *s, size_t width, bool pad)
{
	size_t w = 0;
	const char *p = s ? s : "";

	if (aup_utf8_width(p) <= width) {
		fputs(p, out);
		w = aup_utf8_width(p);
	} else {
		/* Cut to WIDTH - 1 columns and mark the cut. */
		while (*p != '\0') {
			const char *q = p;
			int cw = aup_utf8_char_width(aup_utf8_next(&q));
			if (w + (size_t)cw > width - 1)
				break;
			fwrite(p, 1, (size_t)(q - p), out);
			w += (size_t)cw;
			p = q;
		}
		fputs("\xe2\x80\xa6", out);
		w++;
	}
	while (pad && w++ < width)
		fputc(' ', out);
}

static size_t
terminal_width(FILE *out)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	long v;

	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (isatty(fileno(out)) && env != NULL &&
	    aup_parse_long(env, 20, 10000, &v) == 0)
		return (size_t)v;
	return 0; /* not a terminal: no limit */
}

/* The text a table shows for V in column C: a time as people read it
 * here, with its seconds; anything else as it is. */
static const char *
shown(const struct table *t, size_t c, const char *v, char *buf, size_t size)
{
	if (v == NULL)
		return "";
	if (t->types[c] != CELL_TIME)
		return v;
	aup_time_for_people(v, buf, size);
	return buf;
}

/* How readily a column gives up width to fit the terminal: free text
 * first, then short words; never a key (username, id, password), a time
 * or a number, which would be wrong rather than short once cut. */
static int
cut_rank(enum cell_type type)
{
	switch (type) {
	case CELL_TEXT:
	case CELL_JSON: return 2;
	case CELL_STR: return 1;
	default: return 0;
	}
}

/* A column is never cut below this many display columns. */
#define CUT_MIN 6

/* Column widths for T's rows so far, narrowed to fit the terminal unless
 * the table is wide or OUT is not a terminal. */
static size_t *
table_widths(const struct table *t, FILE *out)
{
	size_t *w = xcalloc(t->ncols, sizeof *w), total = 0, limit;
	char buf[64];

	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = t->no_header ? 0 : aup_utf8_width(t->cols[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t dw = aup_utf8_width(
			    shown(t, c, cell(t, r, c), buf, sizeof buf));
			if (dw > w[c])
				w[c] = dw;
		}
		total += w[c] + (c ? 2 : 0);
	}
	/* Narrow the widest column of the most readily cut kind until the
	 * table fits, or nothing more may be cut. */
	limit = t->wide ? 0 : terminal_width(out);
	for (int rank = 2; rank > 0 && limit > 0 && total > limit; rank--) {
		while (total > limit) {
			size_t widest = t->ncols;

			for (size_t c = 0; c < t->ncols; c++)
				if (cut_rank(t->types[c]) == rank &&
				    w[c] > CUT_MIN &&
				    (widest == t->ncols || w[c] > w[widest]))
					widest = c;
			if (widest == t->ncols)
				break;
			w[widest]--;
			total--;
		}
	}
	return w;
}

/* One row of a table: CELLS as shown (HEADER: the column names). */
static void
put_table_row(FILE *out, const struct table *t, const size_t *w,
    const char *const *cells, bool header)
{
	char buf[64];

	for (size_t c = 0; c < t->ncols; c++) {
		fputs(c ? "  " : "", out);
		put_fitted(out,
		    header ? cells[c] : shown(t, c, cells[c], buf, sizeof buf),
		    w[c], c + 1 < t->ncols);
	}
	fputc('\n', out);
}

static void
put_table_header(FILE *out, const struct table *t, const size_t *w)
{
	if (!t->no_header)
		put_table_row(out, t, w, (const char *const *)t->cols, true);
}

static void
print_table(struct table *t, FILE *out)
{
	size_t *w = table_widths(t, out);

	put_table_header(out, t, w);
	for (size_t r = 0; r < t->nrows; r++)
		put_table_row(out, t, w,
		    (const char *const *)&t->cells[r * t->ncols], false);
	free(w);
}

static void
put_sep_row(FILE *out, const struct table *t, char sep,
    const char *const *cells)
{
	flockfile(out);
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			putc_unlocked(sep, out);
		if (sep == ',')
			put_csv(out, cells[c], formula(t, c, cells[c]));
		else
			put_tsv(out, cells[c], formula(t, c, cells[c]));
	}
	putc_unlocked('\n', out);
	funlockfile(out);
}

static void
put_sep_header(FILE *out, const struct table *t, char sep)
{
	if (!t->no_header)
		put_sep_row(out, t, sep, (const char *const *)t->cols);
}

static void
print_sep(struct table *t, FILE *out, char sep)
{
	put_sep_header(out, t, sep);
	for (size_t r = 0; r < t->nrows; r++)
		put_sep_row(out, t, sep,
		    (const char *const *)&t->cells[r * t->ncols]);
}

/* Take the output settings of C's global options. */
static void
settle(struct table *t, const struct cli *c)
{
	t->format = c->format;
	t->wide = c->wide;
	t->no_header = c->no_header;
}

void
table_print(struct cli *c, struct table *t, FILE *out)
{
	settle(t, c);
	switch (c->format) {
	case FMT_TABLE: print_table(t, out); break;
	case FMT_CSV: print_sep(t, out, ','); break;
	case FMT_TSV: print_sep(t, out, '\t'); break;
	case FMT_JSON:
		fputc('[', out);
		for (size_t r = 0; r < t->nrows; r++) {
			fputs(r ? ",\n" : "\n", out);
			put_json_object(out, t, r);
		}
		fputs(t->nrows ? "\n]\n" : "]\n", out);
		break;
	}
}

void
table_print_record(struct cli *c, struct table *t, FILE *out)
{
	size_t w = 0;
	char buf[64];

	settle(t, c);
	if (c->format != FMT_TABLE) {
		if (c->format == FMT_JSON) {
			if (t->nrows > 0)
				put_json_object(out, t, 0);
			else
				fputs("{}", out);
			fputc('\n', out);
		} else
			table_print(c, t, out);
		return;
	}
	for (size_t i = 0; i < t->ncols; i++)
		if (strlen(t->cols[i]) > w)
			w = strlen(t->cols[i]);
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t i = 0; i < t->ncols; i++) {
			const char *v = cell(t, r, i);
			if (v == NULL || *v == '\0')
				continue;
			fprintf(out, "%-*s  %s\n", (int)w + 1, t->cols[i],
			    shown(t, i, v, buf, sizeof buf));
		}
}

void
table_stream(struct cli *c, struct table *t, FILE *out)
{
	t->out = out;
	settle(t, c);
}

/* Print one row of a streamed table, its header first. */
static void
stream_row(struct table *t, const char *const *cells)
{
	FILE *out = t->out;

	switch (t->format) {
	case FMT_TABLE: put_table_row(out, t, t->widths, cells, false); break;
	case FMT_CSV:
	case FMT_TSV:
		if (!t->started)
			put_sep_header(out, t,
			    t->format == FMT_CSV ? ',' : '\t');
		put_sep_row(out, t, t->format == FMT_CSV ? ',' : '\t', cells);
		break;
	case FMT_JSON:
		fputs(t->started ? ",\n" : "[\n", out);
		put_json_cells(out, t, cells);
		break;
	}
	t->started = true;
	t->streamed++;
}

/* A terminal table waits for its first rows to measure; once it has them
 * it prints them and streams the rest. */
static void
stream_flush(struct table *t)
{
	if (t->format != FMT_TABLE || t->widths != NULL)
		return;
	t->widths = table_widths(t, t->out);
	put_table_header(t->out, t, t->widths);
	for (size_t r = 0; r < t->nrows; r++)
		put_table_row(t->out, t, t->widths,
		    (const char *const *)&t->cells[r * t->ncols], false);
	t->streamed += t->nrows;
	t->started = true;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	t->nrows = 0;
}

void
table_stream_row(struct table *t, const char *const *cells)
{
	table_row(t, cells);
	if (t->format == FMT_TABLE && t->widths == NULL &&
	    t->nrows >= STREAM_MEASURE)
		stream_flush(t);
}

size_t
table_end(struct table *t)
{
	if (t->format == FMT_TABLE && t->widths == NULL && t->nrows > 0)
		stream_flush(t);
	else if (!t->started && (t->format == FMT_CSV || t->format == FMT_TSV))
		put_sep_header(t->out, t, t->format == FMT_CSV ? ',' : '\t');
	else if (t->format == FMT_JSON)
		fputs(t->started ? "\n]\n" : "[]\n", t->out);
	return t->streamed;
}
