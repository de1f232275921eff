/* Output for people and for machines: a table that fits the terminal and
 * measures names by display width, or csv, tsv and json with a stable
 * header. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "aup/utf8.h"
#include "aup/util.h"
#include "cli.h"

struct table {
	const char *const	*cols;
	const enum cell_type	*types;
	size_t			 ncols;
	char			**cells;	/* nrows x ncols */
	size_t			 nrows;
	/* A streamed table prints its rows as they come (see
	 * table_stream): OUT and FORMAT, whether the header is out, and
	 * the column widths a table settles after its first rows. */
	FILE			*out;
	enum cli_format		 format;
	bool			 started;
	size_t			 streamed;
	size_t			*widths;
};

/* A streamed table in a terminal measures this many rows for its column
 * widths; later rows keep them. */
#define STREAM_MEASURE	500

struct table *
table_new(const char *const *cols, const enum cell_type *types, size_t ncols)
{
	struct table *t = xcalloc(1, sizeof *t);

	t->cols = cols;
	t->types = types;
	t->ncols = ncols;
	return t;
}

static void	stream_row(struct table *t, const char *const *cells);

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
		t->cells[t->nrows * t->ncols + i] = cells[i] ? xstrdup(cells[i]) :
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

static void
put_csv(FILE *out, const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void
put_tsv(FILE *out, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\t')
			fputs("\\t", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (*s == '\r')
			fputs("\\r", out);
		else if (*s == '\\')
			fputs("\\\\", out);
		else
			fputc(*s, out);
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
	if (t->types[c] != CELL_STR) {
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
	return 0;	/* not a terminal: no limit */
}

/* Column widths for T's rows so far, narrowed to fit the terminal. */
static size_t *
table_widths(const struct table *t, FILE *out)
{
	size_t *w = xcalloc(t->ncols, sizeof *w), total = 0, limit;

	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = aup_utf8_width(t->cols[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			const char *v = cell(t, r, c);
			size_t dw = v ? aup_utf8_width(v) : 0;
			if (dw > w[c])
				w[c] = dw;
		}
		total += w[c] + (c ? 2 : 0);
	}
	/* Narrow the widest column until the table fits the terminal. */
	limit = terminal_width(out);
	while (limit > 0 && total > limit) {
		size_t wide = 0;
		for (size_t c = 1; c < t->ncols; c++)
			if (w[c] > w[wide])
				wide = c;
		if (w[wide] <= 4)
			break;
		w[wide]--;
		total--;
	}
	return w;
}

static void
put_table_row(FILE *out, const struct table *t, const size_t *w,
    const char *const *cells)
{
	for (size_t c = 0; c < t->ncols; c++) {
		fputs(c ? "  " : "", out);
		put_fitted(out, cells[c], w[c], c + 1 < t->ncols);
	}
	fputc('\n', out);
}

static void
print_table(struct table *t, FILE *out)
{
	size_t *w = table_widths(t, out);

	put_table_row(out, t, w, (const char *const *)t->cols);
	for (size_t r = 0; r < t->nrows; r++)
		put_table_row(out, t, w, (const char *const *)&t->cells[r *
		    t->ncols]);
	free(w);
}

static void
put_sep_row(FILE *out, const struct table *t, char sep,
    const char *const *cells)
{
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			fputc(sep, out);
		if (sep == ',')
			put_csv(out, cells[c]);
		else
			put_tsv(out, cells[c]);
	}
	fputc('\n', out);
}

static void
print_sep(struct table *t, FILE *out, char sep)
{
	put_sep_row(out, t, sep, (const char *const *)t->cols);
	for (size_t r = 0; r < t->nrows; r++)
		put_sep_row(out, t, sep, (const char *const *)&t->cells[r *
		    t->ncols]);
}

void
table_print(struct cli *c, struct table *t, FILE *out)
{
	switch (c->format) {
	case FMT_TABLE:
		print_table(t, out);
		break;
	case FMT_CSV:
		print_sep(t, out, ',');
		break;
	case FMT_TSV:
		print_sep(t, out, '\t');
		break;
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
			fprintf(out, "%-*s  %s\n", (int)w + 1, t->cols[i], v);
		}
}

void
table_stream(struct cli *c, struct table *t, FILE *out)
{
	t->out = out;
	t->format = c->format;
}

/* Print one row of a streamed table, its header first. */
static void
stream_row(struct table *t, const char *const *cells)
{
	FILE *out = t->out;

	switch (t->format) {
	case FMT_TABLE:
		put_table_row(out, t, t->widths, cells);
		break;
	case FMT_CSV:
	case FMT_TSV:
		if (!t->started)
			put_sep_row(out, t, t->format == FMT_CSV ? ',' : '\t',
			    (const char *const *)t->cols);
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
	put_table_row(t->out, t, t->widths, (const char *const *)t->cols);
	for (size_t r = 0; r < t->nrows; r++)
		put_table_row(t->out, t, t->widths,
		    (const char *const *)&t->cells[r * t->ncols]);
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
	else if (!t->started && (t->format == FMT_CSV ||
	    t->format == FMT_TSV))
		put_sep_row(t->out, t, t->format == FMT_CSV ? ',' : '\t',
		    (const char *const *)t->cols);
	else if (t->format == FMT_JSON)
		fputs(t->started ? "\n]\n" : "[]\n", t->out);
	return t->streamed;
}
