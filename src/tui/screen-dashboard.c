/* The first screen: the school and its year, people by role, and what needs
 * the office today; each count opens the list behind it. */
#include <curses.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "aup/clock.h"
#include "aup/dashboard.h"
#include "aup/model.h"
#include "aup/util.h"
#include "tui.h"

/* A line of the dashboard: a heading, or a count that opens a list. */
struct item {
	const char *heading; /* a heading line, else NULL */
	const char *label;
	int64_t n;
	int role;		     /* people of this role; -1: any */
	int status;		     /* -1: any */
	void (*open)(struct tui *t); /* a screen of its own, not People */
};
_Static_assert(offsetof(struct item, heading) == 0,
    "tui_menu_step reads a row's heading first");

struct dash {
	struct aup_dashboard d;
	struct item items[24];
	int n, sel;
	bool loaded;
	bool shown; /* a frame is on the screen */
};

static void
add(struct dash *s, const char *heading, const char *label, int64_t n, int role,
    int status, void (*open)(struct tui *t))
{
	s->items[s->n++] = (struct item){ .heading = heading,
		.label = label,
		.n = n,
		.role = role,
		.status = status,
		.open = open };
}

static const char *const role_labels[AUP_ROLE_COUNT] = {
	[AUP_ROLE_PUPIL] = "Pupils",
	[AUP_ROLE_STAFF] = "Staff",
	[AUP_ROLE_GOVERNOR] = "Governors",
	[AUP_ROLE_VOLUNTEER] = "Volunteers",
	[AUP_ROLE_VISITOR] = "Visitors",
	[AUP_ROLE_CLASS] = "Class logons",
};

static int
load(struct tui *t, struct dash *s)
{
	struct aup_err err = { 0 };
	struct aup_dashboard *d = &s->d;
	int64_t all = 0;

	aup_dashboard_clear(d);
	s->n = 0;
	if (aup_dashboard_get(t->db, d, &err) != 0) {
		tui_error(t, &err);
		return -1;
	}
	add(s, "People (active)", NULL, 0, 0, 0, NULL);
	for (int r = 0; r < AUP_ROLE_COUNT; r++) {
		add(s, NULL, role_labels[r], d->by_role[r], r,
		    AUP_STATUS_ACTIVE, NULL);
		all += d->by_role[r];
	}
	add(s, NULL, "Everyone", all, -1, AUP_STATUS_ACTIVE, NULL);
	add(s, "Today", NULL, 0, 0, 0, NULL);
	add(s, NULL, "Agreements not signed this year", d->unsigned_n, -1, -1,
	    audit_open);
	add(s, NULL, "Passwords expired", d->pw_expired, -1, -1, expired_open);
	add(s, NULL, "Passwords expiring soon", d->pw_expiring, -1, -1,
	    expiring_open);
	add(s, NULL, "Locked accounts", d->locked, -1, -1, locked_open);
	add(s, NULL, "Visitors signed in", d->visitors, -1, -1, visitors_open);
	add(s, NULL, "Leaver checklists open", d->leavers, -1, -1,
	    leavers_open);
	s->loaded = true;
	if (s->sel == 0 || s->items[s->sel].heading != NULL)
		s->sel = 1;
	return 0;
}

static void
draw(struct tui *t, struct view *v)
{
	struct dash *s = v->data;
	char right[160], year[8], n[32];
	int y = 2;

	/* The counts read the whole school: the frame goes up first, and the
	 * counts fill it in on the draw that follows at once. */
	if (!s->loaded && !s->shown) {
		tui_frame(t, v, "");
		tui_put(2, 2, "Counting...", t->cols - 4);
		s->shown = true;
		t->again = true;
		return;
	}
	if (!s->loaded)
		load(t, s);
	aup_academic_year_label(s->d.year, year, sizeof year);
	snprintf(right, sizeof right, "%s  %s",
	    s->d.school != NULL ? s->d.school : "", year);
	tui_frame(t, v, right);
	for (int i = 0; i < s->n && y < t->rows - 3; i++, y++) {
		const struct item *it = &s->items[i];

		if (it->heading != NULL) {
			if (i > 0)
				y++;
			attrset(A_BOLD);
			tui_put(y, 2, it->heading, t->cols - 4);
			attrset(A_NORMAL);
			continue;
		}
		if (i == s->sel)
			attrset(tui_attr(t, TUI_C_SEL, A_REVERSE));
		else if (it->n > 0 && it->open != NULL)
			attrset(tui_attr(t, TUI_C_ERR, A_BOLD));
		snprintf(n, sizeof n, "%8lld", (long long)it->n);
		tui_put(y, 4, it->label, 34);
		tui_put(y, 38, n, 10);
		attrset(A_NORMAL);
	}
}

static void
move_by(struct dash *s, int by)
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
	struct dash *s = v->data;
	const struct item *it = &s->items[s->sel];

	s->loaded = false; /* counts again on the way back */
	if (it->open != NULL)
		it->open(t);
	else
		people_open(t, it->role, it->status);
}

static void
key_reload(struct tui *t, struct view *v)
{
	struct dash *s = v->data;

	if (load(t, s) == 0)
		tui_say(t, "counted again");
}

static void
key_people(struct tui *t, struct view *v)
{
	((struct dash *)v->data)->loaded = false;
	people_open(t, -1, -1);
}

static void
key_visitors(struct tui *t, struct view *v)
{
	((struct dash *)v->data)->loaded = false;
	visitors_open(t);
}

static void
key_audit(struct tui *t, struct view *v)
{
	((struct dash *)v->data)->loaded = false;
	audit_open(t);
}

static void
key_leavers(struct tui *t, struct view *v)
{
	((struct dash *)v->data)->loaded = false;
	leavers_open(t);
}

static void
key_import(struct tui *t, struct view *v)
{
	((struct dash *)v->data)->loaded = false;
	import_open(t);
}

static const struct tui_key keys[] = {
	{ KEY_DOWN, "Down", "next count", key_down, NULL },
	{ 'j', "j", "next count", key_down, NULL },
	{ KEY_UP, "Up", "previous count", key_up, NULL },
	{ 'k', "k", "previous count", key_up, NULL },
	{ '\n', "Enter", "open the list behind the count", key_open, "open" },
	{ 'p', "p", "people: everyone", key_people, "people" },
	{ 'v', "v", "visitors", key_visitors, "visitors" },
	{ 'a', "a", "the agreement audit", key_audit, "audit" },
	{ 'l', "l", "leavers: the open exit checklists", key_leavers,
	    "leavers" },
	{ 'i', "i", "import the roll from the MIS", key_import, NULL },
	{ 'g', "g", "count again", key_reload, "recount" },
	{ 0, NULL, NULL, NULL, NULL },
};

static void
dash_free(struct view *v)
{
	struct dash *s = v->data;

	aup_dashboard_clear(&s->d);
	free(s);
}

static const struct view_ops dashboard_ops = {
	.title = "Dashboard",
	.draw = draw,
	.free = dash_free,
	.keys = keys,
};

void
dashboard_open(struct tui *t)
{
	tui_push(t, &dashboard_ops, xcalloc(1, sizeof(struct dash)));
}
