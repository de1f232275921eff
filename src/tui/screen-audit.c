/* The agreement audit: signed of all owed this year, with a bar, for the
 * school, each role and each class; Enter drills down to the names not
 * signed, where g signs for one after another, as a stack of paper forms
 * comes in. */
#include <curses.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/aup.h"
#include "aup/clock.h"
#include "aup/model.h"
#include "aup/util.h"
#include "tui.h"

/* A line of the summary: a heading, or a count that drills down. */
struct item {
	const char *heading; /* a heading, else NULL */
	char *name;	     /* "staff", "4A", "" (pupils without a class) */
	int role;	     /* the role drilled into; -1: by class */
	int64_t signed_n, total;
};
_Static_assert(offsetof(struct item, heading) == 0,
    "tui_menu_step reads a row's heading first");

struct screen {
	struct aup_audit_summary sum;
	struct item *items;
	int n, sel, top;
	bool loaded;
};

static void
items_free(struct screen *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->items[i].name);
	free(s->items);
	s->items = NULL;
	s->n = 0;
}

static void
add(struct screen *s, const char *heading, const char *name, int role,
    int64_t signed_n, int64_t total)
{
	s->items = xreallocarray(s->items, (size_t)s->n + 1, sizeof *s->items);
	s->items[s->n++] = (struct item){ heading,
		name != NULL ? xstrdup(name) : NULL, role, signed_n, total };
}

static void
load(struct tui *t, struct screen *s)
{
	struct aup_audit_filter f = { .role = -1, .ks = -1 };
	struct aup_err err = { 0 };

	items_free(s);
	aup_audit_summary_clear(&s->sum);
	s->loaded = true;
	if (aup_audit_summary(t->db, &f, &s->sum, &err) != 0) {
		tui_error(t, &err);
		return;
	}
	add(s, NULL, "Everyone", -2, s->sum.signed_n, s->sum.total);
	add(s, "By role", NULL, -1, 0, 0);
	for (size_t i = 0; i < s->sum.nroles; i++)
		add(s, NULL, s->sum.roles[i].name,
		    aup_role_parse(s->sum.roles[i].name),
		    s->sum.roles[i].signed_n, s->sum.roles[i].total);
	if (s->sum.nclasses > 0)
		add(s, "Pupils by class", NULL, -1, 0, 0);
	for (size_t i = 0; i < s->sum.nclasses; i++)
		add(s, NULL, s->sum.classes[i].name, -1,
		    s->sum.classes[i].signed_n, s->sum.classes[i].total);
	if (s->sel >= s->n || s->items[s->sel].heading != NULL)
		s->sel = 0;
}

static void
draw(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	int rows = t->rows - 3, bar = t->cols - 44;
	char right[64], year[8], count[48];

	if (!s->loaded)
		load(t, s);
	aup_academic_year_label(s->sum.year, year, sizeof year);
	snprintf(right, sizeof right, "signed for %s", year);
	tui_frame(t, v, right);
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + rows)
		s->top = s->sel - rows + 1;
	for (int y = 0; y < rows && s->top + y < s->n; y++) {
		const struct item *it = &s->items[s->top + y];
		int pct = it->total > 0 ?
		    (int)(it->signed_n * 100 / it->total) :
		    100;
		int fill = it->total > 0 ?
		    (int)(it->signed_n * bar / it->total) :
		    bar;

		if (it->heading != NULL) {
			attrset(A_BOLD);
			tui_put(1 + y, 2, it->heading, t->cols - 4);
			attrset(A_NORMAL);
			continue;
		}
		if (s->top + y == s->sel)
			attrset(tui_attr(t, TUI_C_SEL, A_REVERSE));
		tui_put(1 + y, 4, it->name[0] != '\0' ? it->name : "(no class)",
		    14);
		snprintf(count, sizeof count, "%7lld of %-7lld %3d%%",
		    (long long)it->signed_n, (long long)it->total, pct);
		tui_put(1 + y, 18, count, 24);
		attrset(A_NORMAL);
		/* The bar: signed, then owed. */
		move(1 + y, 43);
		attrset(tui_attr(t, TUI_C_GOOD, A_BOLD));
		for (int i = 0; i < fill; i++)
			addch('#');
		attrset(A_NORMAL);
		for (int i = fill; i < bar; i++)
			addch('.');
	}
}

static void
move_by(struct screen *s, int by)
{
	s->sel = tui_menu_step(s->items, sizeof *s->items, s->n, s->sel, by);
}

static void
key_down(struct tui *t, struct view *v)
{
	(void)t;
	move_by(v->data, 1);
}

static void
key_up(struct tui *t, struct view *v)
{
	(void)t;
	move_by(v->data, -1);
}

static void
key_open(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	const struct item *it = &s->items[s->sel];

	if (s->n == 0)
		return;
	s->loaded = false; /* signatures made there show on the way back */
	if (it->role == -2)
		unsigned_open(t, -1, NULL);
	else if (it->role >= 0)
		unsigned_open(t, it->role, NULL);
	else
		unsigned_open(t, AUP_ROLE_PUPIL, it->name);
}

static const struct tui_key keys[] = {
	{ '\n', "Enter", "the names not signed", key_open, "names" },
	{ KEY_DOWN, "Down", "next line", key_down, NULL },
	{ KEY_UP, "Up", "previous line", key_up, NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

static void
screen_free(struct view *v)
{
	struct screen *s = v->data;

	items_free(s);
	aup_audit_summary_clear(&s->sum);
	free(s);
}

static const struct view_ops audit_ops = {
	.title = "Agreement audit",
	.draw = draw,
	.free = screen_free,
	.keys = keys,
};

void
audit_open(struct tui *t)
{
	tui_push(t, &audit_ops, xcalloc(1, sizeof(struct screen)));
}

/* The names not signed, of a role or a class: at most UNSIGNED_MAX of
 * them, for a screen to go through, not a whole school to print (aupctl
 * aup audit lists them all). */

#define UNSIGNED_MAX 2000

struct person {
	struct aup_user u;
	char *form;
};

struct names {
	struct tui_list ls; /* first: the list's keys find it there */
	int role;
	char *class_name; /* NULL: any; "": pupils without one */
	struct person *v;
	bool more; /* there were more than UNSIGNED_MAX */
	bool loaded;
};

static void
names_clear(struct names *s)
{
	for (size_t i = 0; i < s->ls.n; i++) {
		aup_user_clear(&s->v[i].u);
		free(s->v[i].form);
	}
	free(s->v);
	s->v = NULL;
	s->ls.n = 0;
}

static int
add_name(void *arg, const struct aup_user *u, const struct aup_form *f)
{
	struct names *s = arg;

	if (s->class_name != NULL && s->class_name[0] == '\0' &&
	    u->class_name != NULL)
		return 0;
	if (s->ls.n == UNSIGNED_MAX) {
		s->more = true;
		return 1;
	}
	if ((s->ls.n & (s->ls.n - 1)) == 0)
		s->v = xreallocarray(s->v, s->ls.n > 0 ? 2 * s->ls.n : 1,
		    sizeof *s->v);
	aup_user_copy(&s->v[s->ls.n].u, u);
	s->v[s->ls.n].form = xstrdup(f->id);
	s->ls.n++;
	return 0;
}

static void
names_load(struct tui *t, struct names *s)
{
	struct aup_audit_filter f = { .role = s->role, .ks = -1 };
	struct aup_err err = { 0 };

	names_clear(s);
	s->more = false;
	s->loaded = true;
	if (s->class_name != NULL && s->class_name[0] != '\0')
		f.class_name = s->class_name;
	if (aup_audit(t->db, &f, add_name, s, &err) < 0)
		tui_error(t, &err);
	if (s->ls.sel >= s->ls.n)
		s->ls.sel = s->ls.n > 0 ? s->ls.n - 1 : 0;
}

static void
names_draw(struct tui *t, struct view *v)
{
	struct names *s = v->data;
	int rows = t->rows - 4;
	static const int w[] = { 14, 30, 9, 6, 12 };
	static const char *const head[] = { "Username", "Name", "Role", "Class",
		"Form" };
	char right[96];

	if (!s->loaded)
		names_load(t, s);
	snprintf(right, sizeof right, "%s%s%s: %zu%s not signed",
	    s->role >= 0 ? aup_role_name(s->role) : "everyone",
	    s->class_name != NULL ? " in " : "",
	    s->class_name == NULL	 ? "" :
		s->class_name[0] != '\0' ? s->class_name :
					   "no class",
	    s->ls.n, s->more ? "+" : "");
	tui_frame(t, v, right);
	attrset(A_BOLD | A_UNDERLINE);
	tui_columns(1, w, head, 5);
	attrset(A_NORMAL);
	if (s->ls.n == 0) {
		tui_put(3, 2, "Everyone here has signed.", t->cols - 4);
		return;
	}
	tui_list_fit(&s->ls, (size_t)rows);
	for (int y = 0; y < rows && s->ls.top + (size_t)y < s->ls.n; y++) {
		const struct person *p = &s->v[s->ls.top + (size_t)y];
		char name[160];
		const char *cells[] = { p->u.username, name,
			aup_role_name(p->u.role),
			p->u.class_name != NULL ? p->u.class_name : "",
			p->form };

		snprintf(name, sizeof name, "%s %s", p->u.first, p->u.last);
		if (s->ls.top + (size_t)y == s->ls.sel)
			attrset(tui_attr(t, TUI_C_SEL, A_REVERSE));
		tui_columns(2 + y, w, cells, 5);
		attrset(A_NORMAL);
	}
	if (s->more && t->status[0] == '\0')
		tui_put(t->rows - 1, 0,
		    "The first 2000 only: pick a class, or run aupctl aup "
		    "audit for every name.",
		    t->cols);
}

/* Sign for the selected person; back here, the list is read again and the
 * selection stays where it was: on the next person in the stack. */
static void
names_sign(struct tui *t, struct view *v)
{
	struct names *s = v->data;

	if (s->ls.n == 0)
		return;
	s->loaded = false;
	sign_open(t, &s->v[s->ls.sel].u);
}

static void
names_open(struct tui *t, struct view *v)
{
	struct names *s = v->data;

	if (s->ls.n == 0)
		return;
	s->loaded = false;
	person_open(t, s->v[s->ls.sel].u.id);
}

static const struct tui_key names_keys[] = {
	{ 'g', "g", "sign for this person; then the next", names_sign, "sign" },
	{ '\n', "Enter", "open the person", names_open, "open" },
	TUI_LIST_KEYS,
	{ 0, NULL, NULL, NULL, NULL },
};

static void
names_free(struct view *v)
{
	struct names *s = v->data;

	names_clear(s);
	free(s->class_name);
	free(s);
}

static const struct view_ops names_ops = {
	.title = "Not signed",
	.draw = names_draw,
	.free = names_free,
	.keys = names_keys,
};

void
unsigned_open(struct tui *t, int role, const char *class_name)
{
	struct names *s = xcalloc(1, sizeof *s);

	s->role = role;
	s->class_name = class_name != NULL ? xstrdup(class_name) : NULL;
	tui_push(t, &names_ops, s);
}
