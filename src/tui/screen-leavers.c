/* Leavers: the exit checklists, the open ones or all of them, oldest
 * started first; Enter opens one (screen-leaver.c). */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/clock.h"
#include "aup/leaver.h"
#include "aup/model.h"
#include "aup/util.h"
#include "tui.h"

struct row {
	int64_t user_id;
	char *username;
	char *name; /* "first last" */
	const char *role;
	char leave_on[16];
	char started[16];
	char open[24]; /* "3 of 7", or "finished" */
};

struct screen {
	struct tui_list ls; /* first: the list's keys find it there */
	struct row *rows;
	size_t cap;
	bool all; /* finished ones too */
	bool loaded;
};

static void
rows_free(struct screen *s)
{
	for (size_t i = 0; i < s->ls.n; i++) {
		free(s->rows[i].username);
		free(s->rows[i].name);
	}
	s->ls.n = 0;
}

/* The core's strings last only for the call: each is copied. */
static int
add_row(void *arg, const struct aup_leaver_row *r)
{
	struct screen *s = arg;
	struct row *w;
	char name[256];

	if (s->ls.n == s->cap) {
		s->cap = s->cap > 0 ? 2 * s->cap : 16;
		s->rows = xreallocarray(s->rows, s->cap, sizeof *s->rows);
	}
	w = &s->rows[s->ls.n++];
	snprintf(name, sizeof name, "%s %s", r->first, r->last);
	w->user_id = r->user_id;
	w->username = xstrdup(r->username);
	w->name = xstrdup(name);
	w->role = aup_role_name(r->role);
	aup_date_fmt(r->leave_on, w->leave_on, sizeof w->leave_on);
	aup_date_fmt(r->started, w->started, sizeof w->started);
	if (r->finished != 0)
		aup_strlcpy(w->open, "finished", sizeof w->open);
	else
		snprintf(w->open, sizeof w->open, "%" PRId64 " of %" PRId64,
		    r->open, r->total);
	return 0;
}

static void
reload(struct tui *t, struct screen *s)
{
	struct aup_err err = { 0 };
	int64_t id = s->ls.sel < s->ls.n ? s->rows[s->ls.sel].user_id : 0;

	rows_free(s);
	s->loaded = true;
	if (aup_leaver_list(t->db, !s->all, add_row, s, &err) != 0)
		tui_error(t, &err);
	/* The same person stays selected when they are still listed. */
	s->ls.sel = 0;
	for (size_t i = 0; i < s->ls.n; i++)
		if (s->rows[i].user_id == id)
			s->ls.sel = i;
}

enum { C_USER, C_NAME, C_ROLE, C_LEAVE, C_OPEN, C_STARTED, NCOL };
static const char *const headers[NCOL] = { "Username", "Name", "Role",
	"Leaving", "Items open", "Started" };
static const int widths[NCOL] = { 14, 0, 9, 10, 10, 10 };

static void
draw(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	size_t body = t->rows > 5 ? (size_t)(t->rows - 4) : 1;
	char right[64];
	int w[NCOL];

	if (!s->loaded)
		reload(t, s);
	/* The selection kept on the screen, whatever its height. */
	tui_list_fit(&s->ls, body);
	snprintf(right, sizeof right, "%s: %zu", s->all ? "all" : "open",
	    s->ls.n);
	tui_frame(t, v, right);
	tui_fit(t->cols, widths, NCOL, C_NAME, C_USER, w);
	attrset(A_BOLD | A_UNDERLINE);
	tui_columns(1, w, headers, NCOL);
	attrset(A_NORMAL);
	for (size_t i = s->ls.top; i < s->ls.n && i < s->ls.top + body; i++) {
		const struct row *r = &s->rows[i];
		const char *cells[NCOL] = { r->username, r->name, r->role,
			r->leave_on, r->open, r->started };

		if (i == s->ls.sel)
			attrset(tui_attr(t, TUI_C_SEL, A_REVERSE));
		tui_columns(2 + (int)(i - s->ls.top), w, cells, NCOL);
		attrset(A_NORMAL);
	}
	if (s->ls.n == 0)
		tui_put(3, 2,
		    s->all ? "No one has a leaver checklist." :
			     "No leaver checklists are open.",
		    t->cols - 4);
}

static void
key_open(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	if (s->ls.n == 0) {
		tui_say(t, "no checklist to open");
		return;
	}
	s->loaded = false; /* what changed there shows on the way back */
	leaver_open(t, s->rows[s->ls.sel].user_id);
}

static void
key_all(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	s->all = !s->all;
	reload(t, s);
	tui_say(t,
	    s->all ? "every checklist, finished ones too" :
		     "the open checklists only");
}

static const struct tui_key keys[] = {
	{ '\n', "Enter", "open the checklist", key_open, "open" },
	{ 'a', "a", "all checklists, or only the open ones", key_all, "all" },
	TUI_LIST_KEYS,
	{ 0, NULL, NULL, NULL, NULL },
};

static void
screen_free(struct view *v)
{
	struct screen *s = v->data;

	rows_free(s);
	free(s->rows);
	free(s);
}

static const struct view_ops leavers_ops = {
	.title = "Leavers",
	.draw = draw,
	.free = screen_free,
	.keys = keys,
};

void
leavers_open(struct tui *t)
{
	tui_push(t, &leavers_ops, xcalloc(1, sizeof(struct screen)));
}
