/* Add a person: a form (the curses form library) whose fields the core
 * checks as aupctl user add does, each problem shown beside its field; on
 * success the person's page, with their new password shown once on top. */
#include <curses.h>
#include <form.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/model.h"
#include "aup/password.h"
#include "aup/user.h"
#include "aup/util.h"
#include "tui.h"

enum { F_ROLE, F_FIRST, F_LAST, F_YEAR, F_CLASS, F_MIS, F_EMAIL, NFIELD };

static const struct {
	const char *label, *problem, *hint;
	int width;
} fields[NFIELD] = {
	[F_ROLE] = { "Role", "role", "pupil, staff, governor, volunteer", 10 },
	[F_FIRST] = { "First name", "first", NULL, 22 },
	[F_LAST] = { "Last name", "last", NULL, 22 },
	[F_YEAR] = { "Year group", "year", "pupils: N, R or 1 to 13", 4 },
	[F_CLASS] = { "Class", "class", "as the MIS has it: 4A", 8 },
	[F_MIS] = { "MIS id", "mis_id", "if the MIS has them", 16 },
	[F_EMAIL] = { "Email", "email", NULL, 22 },
};

#define LABEL_X 2
#define FIELD_X 16
#define NOTE_X	40
#define TOP	3

struct screen {
	FIELD *f[NFIELD + 1];
	FORM *form;
	WINDOW *win; /* the fields, in a window of their own: what is typed
			lives there, and the screen drawn afresh around it
			leaves it be */
	char problem[NFIELD][320]; /* beside each field; "" for none */
};

/* Field I's text, trimmed, into BUF. */
static void
value(struct screen *s, int i, char *buf, size_t size)
{
	size_t n;

	aup_strlcpy(buf, field_buffer(s->f[i], 0), size);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	n = strspn(buf, " ");
	memmove(buf, buf + n, strlen(buf + n) + 1);
}

static void
draw(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	tui_frame(t, v, "new person");
	tui_put(1, LABEL_X,
	    "Tab or Enter: the next field.  Enter on the last field, or F2: "
	    "add.",
	    t->cols - 4);
	for (int i = 0; i < NFIELD; i++) {
		int y = TOP + 2 * i;

		tui_put(y, LABEL_X, fields[i].label, FIELD_X - LABEL_X - 1);
		if (s->problem[i][0] != '\0') {
			attrset(tui_attr(t, TUI_C_ERR, A_BOLD));
			tui_put(y, NOTE_X, s->problem[i], t->cols - NOTE_X - 1);
			attrset(A_NORMAL);
		} else if (fields[i].hint != NULL) {
			tui_put(y, NOTE_X, fields[i].hint,
			    t->cols - NOTE_X - 1);
		}
	}
	/* The fields over the screen drawn afresh, and the cursor where the
	 * form has it. */
	wnoutrefresh(stdscr);
	touchwin(s->win);
	wnoutrefresh(s->win);
	curs_set(1);
	pos_form_cursor(s->form);
	move(getbegy(s->win) + getcury(s->win),
	    getbegx(s->win) + getcurx(s->win));
}

/* Check the fields with the core, each problem beside its field; add the
 * person when there is none. */
static void
save(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	char val[NFIELD][256];
	struct aup_user_spec spec = { .year = AUP_YEAR_NONE };
	struct aup_problems probs = { 0 };
	struct aup_user *u = NULL;
	struct aup_err err = { 0 };
	char *pw = NULL;
	int role;

	form_driver(s->form, REQ_VALIDATION);
	for (int i = 0; i < NFIELD; i++) {
		value(s, i, val[i], sizeof val[i]);
		s->problem[i][0] = '\0';
	}
	role = aup_role_parse(val[F_ROLE]);
	spec.role = role >= 0 ? (enum aup_role)role : AUP_ROLE_PUPIL;
	spec.first = val[F_FIRST];
	spec.last = val[F_LAST];
	if (val[F_YEAR][0] != '\0' &&
	    (spec.year = aup_year_parse(val[F_YEAR])) == AUP_YEAR_NONE)
		snprintf(s->problem[F_YEAR], sizeof s->problem[F_YEAR],
		    "'%s' is not a year group", val[F_YEAR]);
	spec.class_name = val[F_CLASS][0] != '\0' ? val[F_CLASS] : NULL;
	spec.mis_id = val[F_MIS][0] != '\0' ? val[F_MIS] : NULL;
	spec.email = val[F_EMAIL][0] != '\0' ? val[F_EMAIL] : NULL;
	if (role < 0)
		snprintf(s->problem[F_ROLE], sizeof s->problem[F_ROLE],
		    "'%s' is not a role", val[F_ROLE]);
	aup_user_validate(aup_db_config(t->db), &spec, &probs);
	for (size_t k = 0; k < probs.n; k++)
		for (int i = 0; i < NFIELD; i++)
			if (strcmp(probs.v[k].field, fields[i].problem) == 0 &&
			    s->problem[i][0] == '\0')
				aup_strlcpy(s->problem[i], probs.v[k].err.msg,
				    sizeof s->problem[i]);
	aup_problems_free(&probs);
	for (int i = 0; i < NFIELD; i++)
		if (s->problem[i][0] != '\0') {
			tui_say(t, "%s: %s", fields[i].label, s->problem[i]);
			t->status_err = true;
			set_current_field(s->form, s->f[i]);
			return;
		}
	spec.generate = aup_own_login(aup_db_config(t->db), spec.role,
	    spec.year);
	if (aup_user_add(t->db, &spec, &u, &pw, &err) != 0) {
		tui_error(t, &err);
		if (err.field[0] != '\0')
			for (int i = 0; i < NFIELD; i++)
				if (strcmp(err.field, fields[i].problem) == 0)
					aup_strlcpy(s->problem[i], err.msg,
					    sizeof s->problem[i]);
		return;
	}
	tui_pop(t);
	person_open(t, u->id);
	if (pw != NULL)
		secret_open(t, u, pw);
	tui_say(t, "%s %s added as %s%s", u->first, u->last, u->username,
	    pw == NULL ? "; they log in with their class logon" : "");
	aup_user_free(u);
}

static void
cancel(struct tui *t, struct view *v)
{
	(void)v;
	tui_pop(t);
	tui_say(t, "nothing added");
}

static void
next_field(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	(void)t;
	form_driver(s->form, REQ_NEXT_FIELD);
	form_driver(s->form, REQ_END_FIELD);
}

static void
prev_field(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	(void)t;
	form_driver(s->form, REQ_PREV_FIELD);
	form_driver(s->form, REQ_END_FIELD);
}

/* Enter: the next field, or on the last one, add. */
static void
enter(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	if (field_index(current_field(s->form)) == NFIELD - 1)
		save(t, v);
	else
		next_field(t, v);
}

static void
show_help(struct tui *t, struct view *v)
{
	(void)v;
	t->help = true;
}

static const struct tui_key keys[] = {
	{ '\t', "Tab", "the next field", next_field, NULL },
	{ KEY_BTAB, "Shift-Tab", "the field before", prev_field, NULL },
	{ '\n', "Enter", "the next field; on the last, add the person", enter,
	    "next/add" },
	{ KEY_F(2), "F2", "add the person", save, "add" },
	{ 27, "Esc", "cancel: nothing is added", cancel, "cancel" },
	{ KEY_F(1), "F1", "these keys", show_help, NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

/* Every key goes to the form: letters are text here, q and ? too. */
static bool
input(struct tui *t, struct view *v, int ch, bool fkey)
{
	struct screen *s = v->data;
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

	for (const struct tui_key *k = keys; k->key != 0; k++)
		if (k->key == ch && fkey == (ch >= KEY_MIN)) {
			t->status[0] = '\0';
			t->status_err = false;
			k->fn(t, v);
			return true;
		}
	if (!fkey && (ch == 127 || ch == 8)) {
		form_driver(s->form, REQ_DEL_PREV);
		return true;
	}
	if (fkey) {
		for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++)
			if (edits[i].key == ch)
				form_driver(s->form, edits[i].req);
		return true;
	}
	if (ch >= 0x20 && ch != 0x7f)
		form_driver_w(s->form, OK, (wchar_t)ch);
	return true;
}

static void
screen_free(struct view *v)
{
	struct screen *s = v->data;

	unpost_form(s->form);
	free_form(s->form);
	for (int i = 0; i < NFIELD; i++)
		free_field(s->f[i]);
	delwin(s->win);
	free(s);
	curs_set(0);
}

static const struct view_ops add_ops = {
	.title = "Add a person",
	.draw = draw,
	.input = input,
	.free = screen_free,
	.keys = keys,
	.bar_end = "F1 keys",
};

void
add_open(struct tui *t, int role)
{
	struct screen *s = xcalloc(1, sizeof *s);

	for (int i = 0; i < NFIELD; i++) {
		s->f[i] = new_field(1, fields[i].width, 2 * i, 0, 0, 0);
		set_field_back(s->f[i], A_UNDERLINE);
		field_opts_off(s->f[i], O_AUTOSKIP);
		/* Longer text scrolls within the field. */
		field_opts_off(s->f[i], O_STATIC);
		set_max_field(s->f[i], 60); /* up to 240 bytes */
	}
	s->f[NFIELD] = NULL;
	if (role >= 0)
		set_field_buffer(s->f[F_ROLE], 0, aup_role_name(role));
	s->form = new_form(s->f);
	s->win = newwin(2 * NFIELD - 1, NOTE_X - FIELD_X - 1, TOP, FIELD_X);
	set_form_win(s->form, s->win);
	set_form_sub(s->form, s->win);
	post_form(s->form);
	set_current_field(s->form, s->f[role >= 0 ? F_FIRST : F_ROLE]);
	tui_push(t, &add_ops, s);
}
