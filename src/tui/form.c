/* The forms of the office's screens (add a person, issue a visitor login):
 * the curses form library's fields in a window of their own, a label and a
 * hint or problem beside each, and the keys every form has. A view with a
 * form keeps its struct tui_form first in its data. */
#include <curses.h>
#include <form.h>
#include <stdlib.h>
#include <string.h>

#include "aup/util.h"
#include "tui.h"

#define LABEL_X 2
#define FIELD_X 16
#define NOTE_X	40
#define TOP	3

void
tui_form_init(struct tui_form *fm, const struct tui_field *fields, int n)
{
	memset(fm, 0, sizeof *fm);
	fm->fields = fields;
	fm->n = n;
	fm->f = xcalloc((size_t)n + 1, sizeof *fm->f);
	fm->problem = xcalloc((size_t)n, sizeof *fm->problem);
	for (int i = 0; i < n; i++) {
		fm->f[i] = new_field(1, fields[i].width, 2 * i, 0, 0, 0);
		set_field_back(fm->f[i], A_UNDERLINE);
		field_opts_off(fm->f[i], O_AUTOSKIP);
		/* Longer text scrolls within the field. */
		field_opts_off(fm->f[i], O_STATIC);
		set_max_field(fm->f[i], TUI_FIELD_MAX);
	}
	fm->form = new_form(fm->f);
	/* Backspace at the start of a field stays there, rather than going
	 * on into the field before and deleting what is in it. */
	form_opts_off(fm->form, O_BS_OVERLOAD);
	/* What is typed lives in this window: the screen drawn afresh
	 * around it leaves it be (unposting a form on stdscr would erase
	 * the screen, and posting it again lose what was typed). */
	fm->win = newwin(2 * n - 1, NOTE_X - FIELD_X - 1, TOP, FIELD_X);
	set_form_win(fm->form, fm->win);
	set_form_sub(fm->form, fm->win);
	post_form(fm->form);
}

void
tui_form_clear(struct tui_form *fm)
{
	unpost_form(fm->form);
	free_form(fm->form);
	for (int i = 0; i < fm->n; i++)
		free_field(fm->f[i]);
	free(fm->f);
	free(fm->problem);
	delwin(fm->win);
	curs_set(0);
}

void
tui_form_set(struct tui_form *fm, int i, const char *text)
{
	set_field_buffer(fm->f[i], 0, text);
}

void
tui_form_focus(struct tui_form *fm, int i)
{
	set_current_field(fm->form, fm->f[i]);
}

void
tui_form_value(struct tui_form *fm, int i, char *buf, size_t size)
{
	size_t n;

	form_driver(fm->form, REQ_VALIDATION);
	aup_strlcpy(buf, field_buffer(fm->f[i], 0), size);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	n = strspn(buf, " ");
	memmove(buf, buf + n, strlen(buf + n) + 1);
}

void
tui_form_problem(struct tui_form *fm, const char *name, const char *msg)
{
	for (int i = 0; i < fm->n; i++)
		if (strcmp(fm->fields[i].name, name) == 0 &&
		    fm->problem[i][0] == '\0')
			aup_strlcpy(fm->problem[i], msg, sizeof fm->problem[i]);
}

void
tui_form_problems_clear(struct tui_form *fm)
{
	for (int i = 0; i < fm->n; i++)
		fm->problem[i][0] = '\0';
}

bool
tui_form_show_problems(struct tui *t, struct tui_form *fm)
{
	for (int i = 0; i < fm->n; i++)
		if (fm->problem[i][0] != '\0') {
			tui_say(t, "%s: %s", fm->fields[i].label,
			    fm->problem[i]);
			t->status_err = true;
			tui_form_focus(fm, i);
			return true;
		}
	return false;
}

void
tui_form_draw(struct tui *t, struct tui_form *fm, const char *intro)
{
	tui_put(1, LABEL_X, intro, t->cols - 4);
	for (int i = 0; i < fm->n; i++) {
		int y = TOP + 2 * i;

		tui_put(y, LABEL_X, fm->fields[i].label, FIELD_X - LABEL_X - 1);
		if (fm->problem[i][0] != '\0') {
			attrset(tui_attr(t, TUI_C_ERR, A_BOLD));
			tui_put(y, NOTE_X, fm->problem[i],
			    t->cols - NOTE_X - 1);
			attrset(A_NORMAL);
		} else if (fm->fields[i].hint != NULL) {
			tui_put(y, NOTE_X, fm->fields[i].hint,
			    t->cols - NOTE_X - 1);
		}
	}
	/* The fields over the screen drawn afresh, and the cursor where the
	 * form has it. */
	wnoutrefresh(stdscr);
	touchwin(fm->win);
	wnoutrefresh(fm->win);
	curs_set(1);
	pos_form_cursor(fm->form);
	move(getbegy(fm->win) + getcury(fm->win),
	    getbegx(fm->win) + getcurx(fm->win));
}

bool
tui_form_on_last(const struct tui_form *fm)
{
	return field_index(current_field(fm->form)) == fm->n - 1;
}

void
tui_form_next(struct tui *t, struct view *v)
{
	struct tui_form *fm = v->data;

	(void)t;
	form_driver(fm->form, REQ_NEXT_FIELD);
	form_driver(fm->form, REQ_END_FIELD);
}

void
tui_form_prev(struct tui *t, struct view *v)
{
	struct tui_form *fm = v->data;

	(void)t;
	form_driver(fm->form, REQ_PREV_FIELD);
	form_driver(fm->form, REQ_END_FIELD);
}

void
tui_form_help(struct tui *t, struct view *v)
{
	(void)v;
	t->help = true;
}

void
tui_form_enter(struct tui *t, struct view *v)
{
	if (!tui_form_on_last(v->data)) {
		tui_form_next(t, v);
		return;
	}
	for (const struct tui_key *k = v->ops->keys; k->key != 0; k++)
		if (k->key == KEY_F(2)) {
			k->fn(t, v);
			return;
		}
}

void
tui_form_view_free(struct view *v)
{
	tui_form_clear(v->data);
	free(v->data);
}

bool
tui_form_input(struct tui *t, struct view *v, int ch, bool fkey)
{
	struct tui_form *fm = v->data;
	static const struct {
		int key, req;
	} edits[] = {
		{ KEY_DOWN, REQ_NEXT_FIELD },
		{ KEY_UP, REQ_PREV_FIELD },
		{ KEY_LEFT, REQ_PREV_CHAR },
		{ KEY_RIGHT, REQ_NEXT_CHAR },
		{ KEY_HOME, REQ_BEG_FIELD },
		{ KEY_END, REQ_END_FIELD },
		{ KEY_BACKSPACE, REQ_DEL_PREV },
		{ KEY_DC, REQ_DEL_CHAR },
	};

	/* The view's own keys first: every other key is text here, q and ?
	 * too. */
	for (const struct tui_key *k = v->ops->keys; k->key != 0; k++)
		if (k->key == ch && fkey == (ch >= KEY_MIN)) {
			t->status[0] = '\0';
			t->status_err = false;
			k->fn(t, v);
			return true;
		}
	if (!fkey && (ch == 127 || ch == 8)) {
		form_driver(fm->form, REQ_DEL_PREV);
		return true;
	}
	if (!fkey && ch == 21) { /* Ctrl-U, as in a shell */
		form_driver(fm->form, REQ_CLR_FIELD);
		return true;
	}
	if (fkey) {
		for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++)
			if (edits[i].key == ch)
				form_driver(fm->form, edits[i].req);
		return true;
	}
	if (ch >= 0x20 && ch != 0x7f)
		form_driver_w(fm->form, OK, (wchar_t)ch);
	return true;
}
