/* What every screen shares: the stack of views, the title and key bars,
 * the status line (errors go there, never over the screen), text by display
 * width, and the one-line questions. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/utf8.h"
#include "aup/util.h"
#include "tui.h"

bool
tui_push(struct tui *t, const struct view_ops *ops, void *data)
{
	if (t->depth == TUI_DEPTH) {
		ops->free(&(struct view){ ops, data });
		tui_say(t, "too many screens open: go back first");
		return false;
	}
	t->stack[t->depth++] = (struct view){ ops, data };
	t->help = false;
	return true;
}

void
tui_pop(struct tui *t)
{
	struct view *v = &t->stack[--t->depth];

	v->ops->free(v);
	t->help = false;
	if (t->depth == 0)
		t->quit = true;
}

void
tui_say(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->status, sizeof t->status, fmt, ap);
	va_end(ap);
	t->status_err = false;
}

void
tui_error(struct tui *t, const struct aup_err *err)
{
	snprintf(t->status, sizeof t->status, "%s%s%s", err->msg,
	    err->hint[0] != '\0' ? " - " : "", err->hint);
	t->status_err = true;
}

int
tui_attr(struct tui *t, int pair, int fallback)
{
	return t->colour ? (int)COLOR_PAIR(pair) : fallback;
}

void
tui_put(int y, int x, const char *s, int width)
{
	const char *p = s != NULL ? s : "";
	int used = 0;

	move(y, x);
	while (*p != '\0') {
		const char *c = p;
		int32_t cp = aup_utf8_next(&p);
		int w = aup_utf8_char_width(cp);

		if (used + w > width)
			break;
		if (cp < 0x20 || cp == 0x7f || cp < 0)
			addch('?');
		else
			addnstr(c, (int)(p - c));
		used += w;
	}
	for (; used < width; used++)
		addch(' ');
}

void
tui_fit(int cols, const int *widths, int n, int name, int user, int *w)
{
	int fixed = 0;

	for (int i = 0; i < n; i++) {
		fixed += widths[i] + 1;
		w[i] = widths[i];
	}
	w[name] = cols - 1 - fixed;
	if (w[name] > 40) {
		w[user] += (w[name] - 40) / 3;
		w[name] = 40 + (w[name] - 40) * 2 / 3;
	}
}

void
tui_columns(int y, const int *w, const char *const *cells, int n)
{
	int x = 1;

	for (int i = 0; i < n; i++) {
		tui_put(y, x, cells[i], w[i]);
		x += w[i] + 1;
	}
}

void
tui_frame(struct tui *t, struct view *v, const char *right)
{
	char bar[512];
	size_t len = 0;
	int rw = right != NULL ? (int)aup_utf8_width(right) : 0;

	attrset(tui_attr(t, TUI_C_TITLE, A_REVERSE) | A_BOLD);
	tui_put(0, 0, " auptui", t->cols);
	tui_put(0, 8, v->ops->title, t->cols - 8 - rw - 1);
	if (rw > 0 && rw < t->cols - 10)
		tui_put(0, t->cols - rw - 1, right, rw + 1);
	attrset(A_NORMAL);

	/* The keys of the view that the bar names, then the ones every view
	 * has. */
	bar[0] = '\0';
	for (const struct tui_key *k = v->ops->keys; k->key != 0; k++)
		if (k->bar != NULL && len < sizeof bar)
			len += (size_t)snprintf(bar + len, sizeof bar - len,
			    "%s %s  ", k->name, k->bar);
	if (len < sizeof bar && v->ops->bar_end != NULL)
		snprintf(bar + len, sizeof bar - len, "%s", v->ops->bar_end);
	else if (len < sizeof bar)
		snprintf(bar + len, sizeof bar - len, "? keys  q %s",
		    t->depth > 1 ? "back" : "quit");
	attrset(tui_attr(t, TUI_C_KEY, A_REVERSE));
	tui_put(t->rows - 2, 0, bar, t->cols);
	attrset(t->status_err ? tui_attr(t, TUI_C_ERR, A_BOLD) : (int)A_NORMAL);
	tui_put(t->rows - 1, 0, t->status, t->cols);
	attrset(A_NORMAL);
}

int
tui_pager_rows(const struct tui *t)
{
	return t->rows - 3;
}

bool
tui_pager_fit(const struct tui *t, struct tui_pager *p)
{
	size_t rows = (size_t)tui_pager_rows(t);

	if (p->top + rows > p->n)
		p->top = p->n > rows ? p->n - rows : 0;
	return p->top + rows >= p->n;
}

static void
pager_by(struct tui *t, struct view *v, long by)
{
	struct tui_pager *p = v->data;
	long top = (long)p->top + by;
	long max = (long)p->n - tui_pager_rows(t);

	if (top > max)
		top = max;
	p->top = top > 0 ? (size_t)top : 0;
}

void
tui_pager_down(struct tui *t, struct view *v)
{
	pager_by(t, v, 1);
}

void
tui_pager_up(struct tui *t, struct view *v)
{
	pager_by(t, v, -1);
}

void
tui_pager_pgdn(struct tui *t, struct view *v)
{
	pager_by(t, v, tui_pager_rows(t) - 1);
}

void
tui_pager_pgup(struct tui *t, struct view *v)
{
	pager_by(t, v, -(tui_pager_rows(t) - 1));
}

void
tui_pager_home(struct tui *t, struct view *v)
{
	(void)t;
	((struct tui_pager *)v->data)->top = 0;
}

void
tui_pager_end(struct tui *t, struct view *v)
{
	pager_by(t, v, (long)((struct tui_pager *)v->data)->n);
}

void
tui_list_fit(struct tui_list *l, size_t rows)
{
	if (l->sel >= l->n)
		l->sel = l->n > 0 ? l->n - 1 : 0;
	if (rows == 0)
		rows = 1;
	if (l->top + rows > l->n) /* no room left empty below the last */
		l->top = l->n > rows ? l->n - rows : 0;
	if (l->sel < l->top)
		l->top = l->sel;
	else if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
}

static void
list_by(struct view *v, long by)
{
	struct tui_list *l = v->data;
	long to = (long)l->sel + by;

	if (to >= (long)l->n)
		to = (long)l->n - 1;
	l->sel = to > 0 ? (size_t)to : 0;
}

void
tui_list_down(struct tui *t, struct view *v)
{
	(void)t;
	list_by(v, 1);
}

void
tui_list_up(struct tui *t, struct view *v)
{
	(void)t;
	list_by(v, -1);
}

void
tui_list_pgdn(struct tui *t, struct view *v)
{
	list_by(v, t->rows - 5);
}

void
tui_list_pgup(struct tui *t, struct view *v)
{
	list_by(v, -(t->rows - 5));
}

void
tui_list_home(struct tui *t, struct view *v)
{
	(void)t;
	((struct tui_list *)v->data)->sel = 0;
}

void
tui_list_end(struct tui *t, struct view *v)
{
	list_by(v, (long)((struct tui_list *)v->data)->n);
	(void)t;
}

bool
tui_edit(char *buf, size_t size, int ch, bool fkey)
{
	size_t len = strlen(buf);

	if ((fkey && ch == KEY_BACKSPACE) ||
	    (!fkey && (ch == 127 || ch == 8))) {
		if (len == 0)
			return false;
		/* Back over continuation bytes to the start of the character.
		 */
		while (len > 0 && ((unsigned char)buf[--len] & 0xc0) == 0x80)
			;
		buf[len] = '\0';
		return true;
	}
	if (fkey || ch < 0x20 || ch == 0x7f) {
		return false;
	} else {
		struct aup_buf b = { 0 };
		bool ok;

		aup_utf8_put(&b, ch);
		ok = len + b.len < size;
		if (ok)
			memcpy(buf + len, b.data, b.len + 1);
		aup_buf_free(&b);
		return ok;
	}
}

bool
tui_ask(struct tui *t, const char *prompt, char *buf, size_t size)
{
	int pw = (int)aup_utf8_width(prompt);

	curs_set(1);
	for (;;) {
		wint_t ch;
		int kind;

		attrset(A_BOLD);
		tui_put(t->rows - 1, 0, prompt, pw);
		attrset(A_NORMAL);
		tui_put(t->rows - 1, pw, buf, t->cols - pw);
		move(t->rows - 1,
		    pw + (int)aup_utf8_width(buf) < t->cols ?
			pw + (int)aup_utf8_width(buf) :
			t->cols - 1);
		refresh();
		kind = get_wch(&ch);
		if (kind == ERR)
			continue;
		if (kind == OK && ch == 27) {
			curs_set(0);
			t->status[0] = '\0';
			return false;
		}
		if ((kind == OK && (ch == '\n' || ch == '\r')) ||
		    (kind == KEY_CODE_YES && ch == KEY_ENTER)) {
			curs_set(0);
			t->status[0] = '\0';
			return true;
		}
		tui_edit(buf, size, (int)ch, kind == KEY_CODE_YES);
	}
}

bool
tui_confirm(struct tui *t, const char *question)
{
	attrset(tui_attr(t, TUI_C_ERR, A_BOLD));
	tui_put(t->rows - 1, 0, question, t->cols);
	attrset(A_NORMAL);
	refresh();
	for (;;) {
		wint_t ch;
		int kind = get_wch(&ch);

		if (kind == KEY_CODE_YES && ch == KEY_RESIZE)
			continue;
		if (kind == ERR)
			continue;
		t->status[0] = '\0';
		return kind == OK && (ch == 'y' || ch == 'Y');
	}
}
