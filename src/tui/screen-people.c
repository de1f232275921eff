/* People: the list a page at a time, columns fitted to the width, filters
 * by role, key stage, class and status, and `/` search as you type. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/model.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "tui.h"

struct screen {
	struct people p;
	struct tui_form *pick; /* picking: the form below, and its field */
	int pick_field;
	char class_name[64];
	bool searching;
	bool loaded;
};

/* The rows a page has on a screen of ROWS lines: title, header, key bar
 * and status line take four. */
static size_t
page_rows(int rows)
{
	return rows > 5 ? (size_t)(rows - 4) : 1;
}

static void
reload(struct tui *t, struct screen *s)
{
	struct aup_err err = { 0 };

	if (people_reload(&s->p, &err) != 0)
		tui_error(t, &err);
	s->loaded = true;
}

enum { C_USER, C_NAME, C_ROLE, C_YEAR, C_CLASS, C_STATUS, C_AUP, C_PW, NCOL };
static const char *const headers[NCOL] = { "Username", "Name", "Role", "Year",
	"Class", "Status", "AUP", "Pw age" };
static const int widths[NCOL] = { 14, 0, 9, 8, 6, 9, 4, 6 };

/* What the list shows, for the title bar: "pupil, KS2, 4A, active". */
static void
describe(const struct screen *s, char *buf, size_t size)
{
	const struct aup_user_filter *f = &s->p.f;
	size_t len = 0;

	buf[0] = '\0';
#define PART(...) \
	len += (size_t)snprintf(buf + len, len < size ? size - len : 0, \
	    __VA_ARGS__)
	if (f->role >= 0)
		PART("%s", aup_role_name(f->role));
	if (f->ks >= 0)
		PART("%s%s", len > 0 ? ", " : "", aup_ks_name(f->ks));
	if (s->class_name[0] != '\0')
		PART("%sclass %s", len > 0 ? ", " : "", s->class_name);
	if (f->status >= 0)
		PART("%s%s", len > 0 ? ", " : "", aup_status_name(f->status));
	if (len == 0)
		PART("everyone");
	PART("  page %zu%s", s->p.page + 1, s->p.more ? "+" : "");
#undef PART
}

static void
draw(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	struct aup_err err = { 0 };
	char right[256];
	int w[NCOL];

	if (people_resize(&s->p, page_rows(t->rows), &err) != 0)
		tui_error(t, &err);
	if (!s->loaded)
		reload(t, s);
	describe(s, right, sizeof right);
	tui_frame(t, v, right);
	tui_fit(t->cols, widths, NCOL, C_NAME, C_USER, w);
	attrset(A_BOLD | A_UNDERLINE);
	tui_columns(1, w, headers, NCOL);
	attrset(A_NORMAL);
	for (size_t i = 0; i < s->p.n; i++) {
		const struct people_row *r = &s->p.rows[i];
		const char *cells[NCOL] = { r->username, r->name, r->role,
			r->year, r->class_name, r->status, r->aup, r->pw_age };

		if (i == s->p.sel)
			attrset(tui_attr(t, TUI_C_SEL, A_REVERSE));
		tui_columns(2 + (int)i, w, cells, NCOL);
		attrset(A_NORMAL);
	}
	if (s->p.n == 0)
		tui_put(3, 2,
		    s->p.search[0] != '\0' ? "No one matches the search." :
					     "No one here.",
		    t->cols - 4);
	if (s->searching || s->p.search[0] != '\0') {
		int x = (int)strlen("Search: ");

		attrset(A_BOLD);
		tui_put(t->rows - 1, 0, "Search: ", x);
		attrset(A_NORMAL);
		tui_put(t->rows - 1, x, s->p.search, t->cols - x);
		if (s->searching) {
			curs_set(1);
			move(t->rows - 1, x + (int)aup_utf8_width(s->p.search));
		}
	}
	if (!s->searching)
		curs_set(0);
}

static bool
input(struct tui *t, struct view *v, int ch, bool fkey)
{
	struct screen *s = v->data;

	if (!s->searching)
		return false;
	if (!fkey && ch == 27) { /* Esc: the search is gone */
		s->searching = false;
		s->p.search[0] = '\0';
		reload(t, s);
		return true;
	}
	if (!fkey && ch == '\n') {
		s->searching = false;
		return true;
	}
	if (fkey &&
	    (ch == KEY_UP || ch == KEY_DOWN || ch == KEY_NPAGE ||
		ch == KEY_PPAGE)) {
		s->searching = false;
		return false;
	}
	if (tui_edit(s->p.search, sizeof s->p.search, ch, fkey))
		reload(t, s);
	return true;
}

static void
step(struct tui *t, struct view *v, int by, bool page)
{
	struct screen *s = v->data;
	struct aup_err err = { 0 };
	int rc = page ? people_page(&s->p, by, &err) :
			people_move(&s->p, by, &err);

	if (rc != 0)
		tui_error(t, &err);
}

static void
key_down(struct tui *t, struct view *v)
{
	step(t, v, 1, false);
}

static void
key_up(struct tui *t, struct view *v)
{
	step(t, v, -1, false);
}

static void
key_pgdn(struct tui *t, struct view *v)
{
	step(t, v, 1, true);
}

static void
key_pgup(struct tui *t, struct view *v)
{
	step(t, v, -1, true);
}

static void
key_home(struct tui *t, struct view *v)
{
	reload(t, v->data);
}

static void
key_end(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	struct aup_err err = { 0 };

	if (people_end(&s->p, &err) != 0)
		tui_error(t, &err);
}

static void
key_search(struct tui *t, struct view *v)
{
	(void)t;
	((struct screen *)v->data)->searching = true;
}

static void
key_open(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	const struct people_row *r = people_selected(&s->p);

	if (r == NULL) {
		tui_say(t, "no one to open");
		return;
	}
	s->loaded = false; /* what changed there shows on the way back */
	person_open(t, r->id);
}

/* The next value of a filter: -1 (any), 0, ... N-1, then -1 again. */
static int
cycle(int v, int n)
{
	return v + 1 < n ? v + 1 : -1;
}

static void
key_role(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	s->p.f.role = cycle(s->p.f.role, AUP_ROLE_COUNT);
	reload(t, s);
}

static void
key_ks(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	s->p.f.ks = cycle(s->p.f.ks, AUP_KS_COUNT);
	reload(t, s);
}

static void
key_status(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	s->p.f.status = cycle(s->p.f.status, AUP_STATUS_COUNT);
	reload(t, s);
}

static void
key_class(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	char buf[sizeof s->class_name];

	aup_strlcpy(buf, s->class_name, sizeof buf);
	if (!tui_ask(t, "Class (empty for any): ", buf, sizeof buf))
		return;
	aup_strlcpy(s->class_name, buf, sizeof s->class_name);
	s->p.f.class_name = s->class_name[0] != '\0' ? s->class_name : NULL;
	reload(t, s);
}

static void
key_clear(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	aup_user_filter_init(&s->p.f);
	s->class_name[0] = '\0';
	s->p.search[0] = '\0';
	reload(t, s);
}

static void
key_add(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	s->loaded = false;
	add_open(t, s->p.f.role);
}

static const struct tui_key keys[] = {
	{ '\n', "Enter", "open the person", key_open, "open" },
	{ 'n', "n", "add a new person", key_add, "new" },
	{ '/', "/", "search names, usernames and MIS ids as you type",
	    key_search, "search" },
	{ 'r', "r", "role: the next one, then any", key_role, "role" },
	{ 't', "t", "key stage: the next one, then any", key_ks, "stage" },
	{ 'c', "c", "class", key_class, NULL },
	{ 's', "s", "status: the next one, then any", key_status, "status" },
	{ 'x', "x", "clear the filters and the search", key_clear, NULL },
	{ KEY_DOWN, "Down", "next person", key_down, NULL },
	{ KEY_UP, "Up", "previous person", key_up, NULL },
	{ KEY_NPAGE, "PgDn", "next page", key_pgdn, NULL },
	{ KEY_PPAGE, "PgUp", "previous page", key_pgup, NULL },
	{ KEY_HOME, "Home", "the first person", key_home, NULL },
	{ KEY_END, "End", "the last person", key_end, NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

static void
screen_free(struct view *v)
{
	struct screen *s = v->data;

	people_free(&s->p);
	free(s);
	curs_set(0);
}

static const struct view_ops people_ops = {
	.title = "People",
	.draw = draw,
	.input = input,
	.free = screen_free,
	.keys = keys,
};

/* Picking: Enter takes the selected person's username into the form. */
static void
key_take(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	const struct people_row *r = people_selected(&s->p);

	if (r == NULL) {
		tui_say(t, "no one to pick: search again");
		return;
	}
	tui_form_set(s->pick, s->pick_field, r->username);
	tui_say(t, "%s (%s)", r->name, r->username);
	tui_pop(t); /* S is gone */
}

static const struct tui_key pick_keys[] = {
	{ '\n', "Enter", "take this person", key_take, "take" },
	{ '/', "/", "search names, usernames and MIS ids as you type",
	    key_search, "search" },
	{ KEY_DOWN, "Down", "next person", key_down, NULL },
	{ KEY_UP, "Up", "previous person", key_up, NULL },
	{ KEY_NPAGE, "PgDn", "next page", key_pgdn, NULL },
	{ KEY_PPAGE, "PgUp", "previous page", key_pgup, NULL },
	{ KEY_HOME, "Home", "the first person", key_home, NULL },
	{ KEY_END, "End", "the last person", key_end, NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

static const struct view_ops pick_ops = {
	.title = "Pick a person",
	.draw = draw,
	.input = input,
	.free = screen_free,
	.keys = pick_keys,
};

void
people_pick_open(struct tui *t, int role, struct tui_form *fm, int field)
{
	struct screen *s = xcalloc(1, sizeof *s);

	people_init(&s->p, t->db, page_rows(t->rows));
	s->p.f.role = role;
	s->p.f.status = AUP_STATUS_ACTIVE;
	s->pick = fm;
	s->pick_field = field;
	s->searching = true; /* type the name at once */
	tui_push(t, &pick_ops, s);
}

void
people_open(struct tui *t, int role, int status)
{
	struct screen *s = xcalloc(1, sizeof *s);

	people_init(&s->p, t->db, page_rows(t->rows));
	s->p.f.role = role;
	s->p.f.status = status;
	tui_push(t, &people_ops, s);
}
