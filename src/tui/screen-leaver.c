/* One leaver's exit checklist: who, when and why, then the items, ticked
 * one at a time (with a note if wanted); and finishing it, which resets
 * their password. The core decides what may be ticked and finished. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/clock.h"
#include "aup/leaver.h"
#include "aup/model.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "tui.h"

struct screen {
	struct tui_list ls; /* first: the items; the list's keys find it */
	int64_t id;
	char ref[32];
	struct aup_leaver l;
	bool loaded, ok;
};

static int
load(struct tui *t, struct screen *s)
{
	struct aup_err err = { 0 };

	aup_leaver_clear(&s->l);
	s->loaded = true;
	s->ok = aup_leaver_get(t->db, s->ref, &s->l, &err) == 0;
	if (!s->ok) {
		memset(&s->l, 0, sizeof s->l);
		s->ls.n = 0;
		tui_error(t, &err);
		return -1;
	}
	s->ls.n = s->l.nitems;
	tui_list_fit(&s->ls, s->ls.n);
	return 0;
}

/* Who ticked IT, when, and the note: "by asmith, 2026-11-23: ..." in the
 * list, with the time to the second in FULL. */
static void
ticked(const struct aup_leaver_item *it, bool full, char *buf, size_t size)
{
	char at[32];

	if (full)
		aup_time_fmt_local(it->at, at, sizeof at);
	else
		aup_date_fmt(it->at, at, sizeof at);
	snprintf(buf, size, "by %s, %s%s%s", it->by != NULL ? it->by : "-", at,
	    it->note != NULL && it->note[0] != '\0' ? ": " : "",
	    it->note != NULL ? it->note : "");
}

static void
field(struct tui *t, int y, const char *name, const char *value)
{
	tui_put(y, 3, name, 11);
	tui_put(y, 14, value, t->cols - 15);
}

/* The header: who, the leaving day and why, who opened it, and where it
 * stands. The lines it took. */
static int
draw_header(struct tui *t, const struct aup_leaver *l)
{
	char buf[1200], a[32], b[32];

	snprintf(buf, sizeof buf, "%s %s (%s), %s", l->first, l->last,
	    l->username, aup_role_name(l->role));
	attrset(A_BOLD);
	tui_put(1, 1, buf, t->cols - 2);
	attrset(A_NORMAL);
	aup_date_fmt(l->leave_on, a, sizeof a);
	snprintf(buf, sizeof buf, "%s%s%s", a, l->reason != NULL ? ": " : "",
	    l->reason != NULL ? l->reason : "");
	field(t, 2, "Leaving", buf);
	aup_time_fmt_local(l->started, a, sizeof a);
	snprintf(buf, sizeof buf, "%s by %s", a,
	    l->started_by != NULL ? l->started_by : "-");
	field(t, 3, "Opened", buf);
	if (l->finished != 0) {
		aup_time_fmt_local(l->finished, b, sizeof b);
		snprintf(buf, sizeof buf, "finished %s by %s%s", b,
		    l->finished_by != NULL ? l->finished_by : "-",
		    l->forced != NULL ? ", with items open" : "");
	} else {
		snprintf(buf, sizeof buf, "open: %zu of %zu items to do",
		    l->open, l->nitems);
	}
	if (l->finished == 0 && l->open > 0)
		attrset(tui_attr(t, TUI_C_ERR, A_BOLD));
	else if (l->finished != 0)
		attrset(tui_attr(t, TUI_C_GOOD, A_BOLD));
	field(t, 4, "Checklist", buf);
	attrset(A_NORMAL);
	field(t, 5, "Status", aup_status_name(l->status));
	if (l->forced == NULL)
		return 5;
	field(t, 6, "Why", l->forced);
	return 6;
}

static void
draw(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	const struct aup_leaver *l = &s->l;
	int y, lw = 0, last = t->rows - 3;
	size_t rows;

	if (!s->loaded)
		load(t, s);
	tui_frame(t, v, s->ok ? l->username : "");
	if (!s->ok) {
		tui_put(2, 2, "This checklist cannot be shown.", t->cols - 4);
		return;
	}
	y = draw_header(t, l) + 2;
	attrset(A_BOLD);
	tui_put(y++, 1, "Items", t->cols - 2);
	attrset(A_NORMAL);
	/* Items from Y; under them a blank line and the selected item in
	 * full, which the list may cut short. */
	rows = last - 2 >= y ? (size_t)(last - 2 - y + 1) : 1;
	tui_list_fit(&s->ls, rows);
	for (size_t i = 0; i < l->nitems; i++) {
		int w = (int)aup_utf8_width(l->items[i].label);

		lw = w > lw ? w : lw;
	}
	/* Room for who and when after the longest label; the line at the
	 * bottom has the rest. */
	if (lw > t->cols - 9 - 24)
		lw = t->cols - 9 - 24;
	for (size_t i = s->ls.top; i < l->nitems && i < s->ls.top + rows;
	     i++, y++) {
		const struct aup_leaver_item *it = &l->items[i];
		char done[1200];

		if (i == s->ls.sel)
			attrset(tui_attr(t, TUI_C_SEL, A_REVERSE));
		tui_put(y, 1, it->done ? " [x] " : " [ ] ", 5);
		tui_put(y, 6, it->label, lw + 2);
		if (it->done)
			ticked(it, false, done, sizeof done);
		else
			done[0] = '\0';
		tui_put(y, 8 + lw, done, t->cols - 9 - lw);
		attrset(A_NORMAL);
	}
	if (l->nitems == 0) {
		tui_put(y, 2, "This checklist has no items.", t->cols - 4);
	} else {
		const struct aup_leaver_item *it = &l->items[s->ls.sel];
		char full[1400], done[1200];

		if (it->done)
			ticked(it, true, done, sizeof done);
		snprintf(full, sizeof full, "%s: %s", it->id,
		    it->done ? done : "not done yet");
		tui_put(last, 1, full, t->cols - 2);
	}
}

/* The item selected, or NULL (and a word why) when there is none. */
static const struct aup_leaver_item *
selected(struct tui *t, struct screen *s)
{
	if (!s->ok || s->ls.sel >= s->l.nitems) {
		tui_say(t, "no item to tick");
		return NULL;
	}
	return &s->l.items[s->ls.sel];
}

static void
tick(struct tui *t, struct screen *s, const struct aup_leaver_item *it,
    const char *note)
{
	struct aup_err err = { 0 };
	int rc = aup_leaver_tick(t->db, s->ref, it->id, note, &err);

	if (rc < 0)
		tui_error(t, &err);
	else if (rc == 1)
		tui_say(t,
		    "'%s' was ticked already; a tick cannot be taken back",
		    it->label);
	else
		tui_say(t, "'%s' ticked", it->label);
	s->loaded = false;
}

static void
key_tick(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	const struct aup_leaver_item *it = selected(t, s);

	if (it != NULL)
		tick(t, s, it, NULL);
}

static void
key_note(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	const struct aup_leaver_item *it = selected(t, s);
	char note[400] = "";

	if (it == NULL)
		return;
	/* No note is asked for a tick that cannot be made. */
	if (it->done) {
		tick(t, s, it, NULL);
		return;
	}
	if (!tui_ask(t, "Tick it with the note: ", note, sizeof note))
		return;
	tick(t, s, it, note[0] != '\0' ? note : NULL);
}

/* ERR in the line above the status line, over the key bar, while the
 * status line asks what to do about it. */
static void
show_above(struct tui *t, const struct aup_err *err)
{
	attrset(tui_attr(t, TUI_C_ERR, A_BOLD));
	tui_put(t->rows - 2, 0, err->msg, t->cols);
	attrset(A_NORMAL);
}

static void
key_finish(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	struct aup_err err = { 0 };
	char q[300], reason[400] = "";
	const char *who = s->l.username;

	if (!s->ok)
		return;
	snprintf(q, sizeof q,
	    "Finish %s's checklist? Their password is reset and they can no "
	    "longer log in. (y/n)",
	    who);
	if (!tui_confirm(t, q))
		return;
	if (aup_leaver_finish(t->db, s->ref, false, NULL, &err) == 0)
		goto done;
	/* Items open is the one refusal that a reason can overcome. */
	if (err.code != AUP_EX_DATAERR || strcmp(err.field, "item") != 0) {
		tui_error(t, &err);
		return;
	}
	aup_err_hint(&err,
	    "tick them with Space, or give a reason to finish anyway");
	show_above(t, &err);
	if (!tui_ask(t, "Finish anyway? The reason (Esc: keep it open): ",
		reason, sizeof reason) ||
	    reason[0] == '\0') {
		tui_error(t, &err);
		return;
	}
	snprintf(q, sizeof q,
	    "Finish %s's checklist with items open? Their password is reset. "
	    "(y/n)",
	    who);
	if (!tui_confirm(t, q)) {
		tui_error(t, &err);
		return;
	}
	if (aup_leaver_finish(t->db, s->ref, true, reason, &err) != 0) {
		tui_error(t, &err);
		return;
	}
done:
	tui_say(t,
	    "%s has left: their password can no longer be used, and their "
	    "checklist is finished",
	    who);
	s->loaded = false;
}

static void
key_reload(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	if (load(t, s) == 0)
		tui_say(t, "read again");
}

static const struct tui_key keys[] = {
	{ ' ', "Space", "tick the item", key_tick, "tick" },
	{ 'n', "n", "tick the item with a note", key_note, "note" },
	{ 'f', "f", "finish: the password reset, the status left", key_finish,
	    "finish" },
	{ 'g', "g", "read the checklist again", key_reload, NULL },
	TUI_LIST_KEYS,
	{ 0, NULL, NULL, NULL, NULL },
};

static void
screen_free(struct view *v)
{
	struct screen *s = v->data;

	aup_leaver_clear(&s->l);
	free(s);
}

static const struct view_ops leaver_ops = {
	.title = "Leaver checklist",
	.draw = draw,
	.free = screen_free,
	.keys = keys,
};

void
leaver_open(struct tui *t, int64_t id)
{
	struct screen *s = xcalloc(1, sizeof *s);

	s->id = id;
	snprintf(s->ref, sizeof s->ref, "id:%lld", (long long)id);
	tui_push(t, &leaver_ops, s);
}
