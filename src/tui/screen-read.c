/* A form's text in a pager that must be read to its end before Enter goes
 * on: signing an agreement, a visitor accepting theirs. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/aup.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "tui.h"

#define NKEYS 10

struct reader {
	struct tui_pager pg; /* first: the lines, and the first shown */
	const struct aup_form *form;
	char *text;
	char **lines; /* TEXT wrapped to WIDTH */
	int width;
	bool read; /* the end has been on the screen */
	char done_hint[128];
	tui_read_fn accept;
	void *arg;
	void (*arg_free)(void *arg);
	struct view_ops ops; /* the title and Enter's words are the user's */
	struct tui_key keys[NKEYS];
};

static void
lines_free(struct reader *s)
{
	for (size_t i = 0; i < s->pg.n; i++)
		free(s->lines[i]);
	free(s->lines);
	s->lines = NULL;
	s->pg.n = 0;
}

static void
push_line(struct reader *s, const char *p, size_t len, size_t *cap)
{
	if (s->pg.n == *cap) {
		*cap = *cap > 0 ? 2 * *cap : 64;
		s->lines = xreallocarray(s->lines, *cap, sizeof *s->lines);
	}
	s->lines[s->pg.n++] = xstrndup(p, len);
}

/* TEXT's lines broken at spaces to fit WIDTH columns. */
static void
wrap(struct reader *s, int width)
{
	size_t cap = 0;

	lines_free(s);
	s->width = width;
	for (const char *line = s->text; *line != '\0';) {
		const char *end = strchr(line, '\n');
		const char *stop = end != NULL ? end : line + strlen(line);

		do {
			const char *p = line, *brk = NULL;
			int w = 0;

			while (p < stop) {
				const char *c = p;
				int32_t cp = aup_utf8_next(&p);
				int cw = aup_utf8_char_width(cp);

				if (w + cw > width) {
					p = c; /* it goes on the next line */
					break;
				}
				w += cw;
				if (cp == ' ')
					brk = c;
			}
			if (p < stop && brk != NULL && brk > line)
				p = brk;
			push_line(s, line, (size_t)(p - line), &cap);
			line = p;
			while (line < stop && *line == ' ')
				line++;
		} while (line < stop);
		line = end != NULL ? end + 1 : stop;
	}
}

static void
draw(struct tui *t, struct view *v)
{
	struct reader *s = v->data;
	int rows = tui_pager_rows(t);
	char right[96];

	if (s->width != t->cols - 4)
		wrap(s, t->cols - 4);
	if (tui_pager_fit(t, &s->pg))
		s->read = true;
	snprintf(right, sizeof right, "%s v%d  %zu%%", s->form->id,
	    s->form->version,
	    s->pg.n > 0 ? (s->pg.top + (size_t)rows >= s->pg.n ?
				  100 :
				  (s->pg.top + (size_t)rows) * 100 / s->pg.n) :
			  100);
	tui_frame(t, v, right);
	for (int y = 0; y < rows && s->pg.top + (size_t)y < s->pg.n; y++) {
		if (s->pg.top + (size_t)y == 0) /* the form's title */
			attrset(A_BOLD);
		tui_put(1 + y, 2, s->lines[s->pg.top + (size_t)y], t->cols - 4);
		attrset(A_NORMAL);
	}
	if (t->status[0] == '\0')
		tui_put(t->rows - 1, 0,
		    s->read ? s->done_hint :
			      "Read it to the end (Space, PgDn) to go on.",
		    t->cols);
}

static void
key_accept(struct tui *t, struct view *v)
{
	struct reader *s = v->data;

	if (!s->read) {
		tui_say(t, "read it to its end first (Space, PgDn)");
		return;
	}
	s->accept(t, v, s->arg);
}

static const struct tui_key keys[] = {
	{ '\n', "Enter", NULL, key_accept, NULL },
	{ ' ', "Space", "a page down", tui_pager_pgdn, "page" },
	TUI_PAGER_KEYS,
	{ 0, NULL, NULL, NULL, NULL },
};
_Static_assert(sizeof keys / sizeof keys[0] <= NKEYS, "NKEYS is too few");

static void
reader_free(struct view *v)
{
	struct reader *s = v->data;

	lines_free(s);
	free(s->text);
	if (s->arg_free != NULL)
		s->arg_free(s->arg);
	free(s);
}

void
read_open(struct tui *t, const struct aup_form *f, const char *title,
    const char *enter, tui_read_fn accept, void *arg, void (*arg_free)(void *))
{
	struct aup_err err = { 0 };
	struct reader *s;
	char *text;

	if (aup_form_text(f, &text, &err) != 0) {
		tui_error(t, &err);
		if (arg_free != NULL)
			arg_free(arg);
		return;
	}
	s = xcalloc(1, sizeof *s);
	s->form = f;
	s->text = text;
	s->accept = accept;
	s->arg = arg;
	s->arg_free = arg_free;
	snprintf(s->done_hint, sizeof s->done_hint,
	    "Read to the end: Enter to %s.", enter);
	memcpy(s->keys, keys, sizeof keys);
	s->keys[0].label = enter;
	s->keys[0].bar = "go on";
	s->ops = (struct view_ops){ .title = title,
		.draw = draw,
		.free = reader_free,
		.keys = s->keys };
	tui_push(t, &s->ops, s);
}
