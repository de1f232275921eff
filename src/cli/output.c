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
};

struct table *
table_new(const char *const *cols, const enum cell_type *types, size_t ncols)
{
	struct table *t = xcalloc(1, sizeof *t);

	t->cols = cols;
	t->types = types;
	t->ncols = ncols;
	return t;
}

void
table_row(struct table *t, const char *const *cells)
{
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
put_json_object(FILE *out, const struct table *t, size_t r)
{
	fputc('{', out);
	for (size_t c = 0; c < t->ncols; c++) {
		fprintf(out, "%s\"%s\":", c ? "," : "", t->cols[c]);
		put_json_value(out, t, c, cell(t, r, c));
	}
	fputc('}', out);
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

static void
print_table(struct table *t, FILE *out)
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
	for (size_t c = 0; c < t->ncols; c++) {
		fputs(c ? "  " : "", out);
		put_fitted(out, t->cols[c], w[c], c + 1 < t->ncols);
	}
	fputc('\n', out);
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			fputs(c ? "  " : "", out);
			put_fitted(out, cell(t, r, c), w[c], c + 1 < t->ncols);
		}
		fputc('\n', out);
	}
	free(w);
}

static void
print_sep(struct table *t, FILE *out, char sep)
{
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			fputc(sep, out);
		fputs(t->cols[c], out);
	}
	fputc('\n', out);
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				fputc(sep, out);
			if (sep == ',')
				put_csv(out, cell(t, r, c));
			else
				put_tsv(out, cell(t, r, c));
		}
		fputc('\n', out);
	}
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
