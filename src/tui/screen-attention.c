/* The people behind a dashboard count that the check finds: passwords
 * expired or expiring, accounts locked; Enter opens one, where a new
 * password or an unlock is a key away. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

#include "aup/check.h"
#include "aup/clock.h"
#include "aup/dashboard.h"
#include "aup/util.h"
#include "tui.h"

struct screen {
	struct tui_list ls; /* first: the list's keys find it there */
	enum aup_check_kind kind;
	struct aup_user_list l;
	bool loaded;
};

static void
load(struct tui *t, struct screen *s)
{
	struct aup_err err = { 0 };

	aup_user_list_free(&s->l);
	s->loaded = true;
	if (aup_attention_list(t->db, s->kind, &s->l, &err) != 0)
		tui_error(t, &err);
	s->ls.n = s->l.n;
	tui_list_fit(&s->ls, s->ls.n);
}

static void
draw(struct tui *t, struct view *v)
{
	static const int w[] = { 14, 30, 9, 22 };
	static const char *const head[] = { "Username", "Name", "Role",
		"When" };
	struct screen *s = v->data;
	size_t rows = (size_t)(t->rows - 4);
	char right[64];

	if (!s->loaded)
		load(t, s);
	snprintf(right, sizeof right, "%zu", s->l.n);
	tui_frame(t, v, right);
	attrset(A_BOLD);
	tui_put(1, 1, aup_check_kind_title(s->kind, false), t->cols - 2);
	attrset(A_BOLD | A_UNDERLINE);
	tui_columns(2, w, head, 4);
	attrset(A_NORMAL);
	if (s->l.n == 0) {
		tui_put(4, 2, "No one.", t->cols - 4);
		return;
	}
	rows--;
	tui_list_fit(&s->ls, rows);
	for (size_t y = 0; y < rows && s->ls.top + y < s->l.n; y++) {
		const struct aup_user *u = &s->l.v[s->ls.top + y];
		char name[160], when[64];
		const char *cells[] = { u->username, name,
			aup_role_name(u->role), when };

		snprintf(name, sizeof name, "%s %s", u->first, u->last);
		aup_check_detail(aup_db_config(t->db), s->kind, u, aup_now(),
		    when, sizeof when);
		if (s->ls.top + y == s->ls.sel)
			attrset(tui_attr(t, TUI_C_SEL, A_REVERSE));
		tui_columns(3 + (int)y, w, cells, 4);
		attrset(A_NORMAL);
	}
}

static void
key_open(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	if (s->l.n == 0)
		return;
	s->loaded = false;
	person_open(t, s->l.v[s->ls.sel].id);
}

static const struct tui_key keys[] = {
	{ '\n', "Enter", "open the person", key_open, "open" },
	TUI_LIST_KEYS,
	{ 0, NULL, NULL, NULL, NULL },
};

static void
screen_free(struct view *v)
{
	struct screen *s = v->data;

	aup_user_list_free(&s->l);
	free(s);
}

static const struct view_ops attention_ops = {
	.title = "Needs attention",
	.draw = draw,
	.free = screen_free,
	.keys = keys,
};

static void
open_kind(struct tui *t, enum aup_check_kind k)
{
	struct screen *s = xcalloc(1, sizeof *s);

	s->kind = k;
	tui_push(t, &attention_ops, s);
}

void
expired_open(struct tui *t)
{
	open_kind(t, AUP_CHECK_PW_EXPIRED);
}

void
expiring_open(struct tui *t)
{
	open_kind(t, AUP_CHECK_PW_EXPIRING);
}

void
locked_open(struct tui *t)
{
	open_kind(t, AUP_CHECK_LOCKED);
}
