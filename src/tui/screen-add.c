/* Add or edit a person: a form (the curses form library) whose fields the core
 * checks as aupctl user add does, each problem shown beside its field; on
 * success the person's page, with their new password shown once on top. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/model.h"
#include "aup/password.h"
#include "aup/user.h"
#include "aup/util.h"
#include "tui.h"

enum { F_ROLE, F_FIRST, F_LAST, F_YEAR, F_CLASS, F_MIS, F_EMAIL, NFIELD };

static const struct tui_field fields[NFIELD] = {
	[F_ROLE] = { "Role", "role", "pupil, staff, governor, volunteer", 10 },
	[F_FIRST] = { "First name", "first", NULL, 22 },
	[F_LAST] = { "Last name", "last", NULL, 22 },
	[F_YEAR] = { "Year group", "year", "pupils: N, R or 1 to 13", 4 },
	[F_CLASS] = { "Class", "class", "as the MIS has it: 4A", 8 },
	[F_MIS] = { "MIS id", "mis_id", "if the MIS has them", 16 },
	[F_EMAIL] = { "Email", "email", NULL, 22 },
};

struct screen {
	struct tui_form fm; /* first: the form's keys find it there */
};

static void
draw(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	tui_frame(t, v, "new person");
	tui_form_draw(t, &s->fm,
	    "Tab or Enter: the next field.  Enter on the last field, or F2: "
	    "add.");
}

/* Check the fields with the core, each problem beside its field; add the
 * person when there is none. */
static void
save(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	char val[NFIELD][TUI_FIELD_MAX * 4 + 1], msg[TUI_FIELD_MAX * 4 + 64];
	struct aup_user_spec spec = { .year = AUP_YEAR_NONE };
	struct aup_problems probs = { 0 };
	struct aup_user *u = NULL;
	struct aup_err err = { 0 };
	char *pw = NULL;
	int role;

	tui_form_problems_clear(&s->fm);
	for (int i = 0; i < NFIELD; i++)
		tui_form_value(&s->fm, i, val[i], sizeof val[i]);
	role = aup_role_parse(val[F_ROLE]);
	if (role < 0) {
		snprintf(msg, sizeof msg, "'%s' is not a role", val[F_ROLE]);
		tui_form_problem(&s->fm, "role", msg);
	}
	spec.role = role >= 0 ? (enum aup_role)role : AUP_ROLE_PUPIL;
	spec.first = val[F_FIRST];
	spec.last = val[F_LAST];
	if (val[F_YEAR][0] != '\0' &&
	    (spec.year = aup_year_parse(val[F_YEAR])) == AUP_YEAR_NONE) {
		snprintf(msg, sizeof msg, "'%s' is not a year group",
		    val[F_YEAR]);
		tui_form_problem(&s->fm, "year", msg);
	}
	spec.class_name = val[F_CLASS][0] != '\0' ? val[F_CLASS] : NULL;
	spec.mis_id = val[F_MIS][0] != '\0' ? val[F_MIS] : NULL;
	spec.email = val[F_EMAIL][0] != '\0' ? val[F_EMAIL] : NULL;
	aup_user_validate(aup_db_config(t->db), &spec, &probs);
	for (size_t k = 0; k < probs.n; k++)
		tui_form_problem(&s->fm, probs.v[k].field, probs.v[k].err.msg);
	aup_problems_free(&probs);
	if (tui_form_show_problems(t, &s->fm))
		return;
	spec.generate = aup_own_login(aup_db_config(t->db), spec.role,
	    spec.year);
	if (aup_user_add(t->db, &spec, &u, &pw, &err) != 0) {
		tui_error(t, &err);
		if (err.field[0] != '\0')
			tui_form_problem(&s->fm, err.field, err.msg);
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

static const struct tui_key keys[] = {
	TUI_FORM_KEYS,
	{ '\n', "Enter", "the next field; on the last, add the person",
	    tui_form_enter, "next/add" },
	{ KEY_F(2), "F2", "add the person", save, "add" },
	{ 27, "Esc", "cancel: nothing is added", cancel, "cancel" },
	{ 0, NULL, NULL, NULL, NULL },
};

static const struct view_ops add_ops = {
	.title = "Add a person",
	.draw = draw,
	.input = tui_form_input,
	.free = tui_form_view_free,
	.keys = keys,
	.bar_end = "F1 keys",
};

void
add_open(struct tui *t, int role)
{
	struct screen *s = xcalloc(1, sizeof *s);

	tui_form_init(&s->fm, fields, NFIELD);
	if (role >= 0)
		tui_form_set(&s->fm, F_ROLE, aup_role_name(role));
	tui_form_focus(&s->fm, role >= 0 ? F_FIRST : F_ROLE);
	tui_push(t, &add_ops, s);
}

/* Edit a person: the same fields but the role, filled in from the record;
 * the core checks the change as aupctl user edit does. */

enum { E_FIRST, E_LAST, E_YEAR, E_CLASS, E_MIS, E_EMAIL, NEDIT };

static const struct tui_field edit_fields[NEDIT] = {
	[E_FIRST] = { "First name", "first", NULL, 22 },
	[E_LAST] = { "Last name", "last", NULL, 22 },
	[E_YEAR] = { "Year group", "year", "pupils: N, R or 1 to 13", 4 },
	[E_CLASS] = { "Class", "class", "empty: none", 8 },
	[E_MIS] = { "MIS id", "mis_id", "empty: none", 16 },
	[E_EMAIL] = { "Email", "email", "empty: none", 22 },
};

struct editing {
	struct tui_form fm; /* first: the form's keys find it there */
	char ref[32];
	char username[64];
};

static void
edit_draw(struct tui *t, struct view *v)
{
	struct editing *s = v->data;

	tui_frame(t, v, s->username);
	tui_form_draw(t, &s->fm,
	    "Change what is wrong; F2 (or Enter on the last field) saves.");
}

static void
edit_save(struct tui *t, struct view *v)
{
	struct editing *s = v->data;
	char val[NEDIT][TUI_FIELD_MAX * 4 + 1];
	struct aup_user_edit e = { 0 };
	struct aup_err err = { 0 };

	tui_form_problems_clear(&s->fm);
	for (int i = 0; i < NEDIT; i++)
		tui_form_value(&s->fm, i, val[i], sizeof val[i]);
	e.first = val[E_FIRST];
	e.last = val[E_LAST];
	if (val[E_YEAR][0] != '\0') {
		e.set_year = true;
		if ((e.year = aup_year_parse(val[E_YEAR])) == AUP_YEAR_NONE)
			tui_form_problem(&s->fm, "year",
			    "not a year group: N, R or 1 to 13");
	}
	e.class_name = val[E_CLASS];
	e.mis_id = val[E_MIS];
	e.email = val[E_EMAIL];
	if (tui_form_show_problems(t, &s->fm))
		return;
	if (aup_user_edit(t->db, s->ref, &e, &err) != 0) {
		tui_error(t, &err);
		if (err.field[0] != '\0')
			tui_form_problem(&s->fm, err.field, err.msg);
		return;
	}
	tui_pop(t); /* S is gone */
	tui_say(t, "saved");
}

static void
edit_cancel(struct tui *t, struct view *v)
{
	(void)v;
	tui_pop(t);
	tui_say(t, "nothing changed");
}

static const struct tui_key edit_keys[] = {
	TUI_FORM_KEYS,
	{ '\n', "Enter", "the next field; on the last, save", tui_form_enter,
	    "next/save" },
	{ KEY_F(2), "F2", "save the changes", edit_save, "save" },
	{ 27, "Esc", "cancel: nothing changes", edit_cancel, "cancel" },
	{ 0, NULL, NULL, NULL, NULL },
};

static const struct view_ops edit_ops = {
	.title = "Edit a person",
	.draw = edit_draw,
	.input = tui_form_input,
	.free = tui_form_view_free,
	.keys = edit_keys,
	.bar_end = "F1 keys",
};

void
edit_open(struct tui *t, const struct aup_user *u)
{
	struct editing *s = xcalloc(1, sizeof *s);

	tui_form_init(&s->fm, edit_fields, NEDIT);
	tui_form_set(&s->fm, E_FIRST, u->first);
	tui_form_set(&s->fm, E_LAST, u->last);
	if (u->year != AUP_YEAR_NONE)
		tui_form_set(&s->fm, E_YEAR, aup_year_name(u->year));
	tui_form_set(&s->fm, E_CLASS,
	    u->class_name != NULL ? u->class_name : "");
	tui_form_set(&s->fm, E_MIS, u->mis_id != NULL ? u->mis_id : "");
	tui_form_set(&s->fm, E_EMAIL, u->email != NULL ? u->email : "");
	tui_form_focus(&s->fm, E_FIRST);
	snprintf(s->ref, sizeof s->ref, "id:%lld", (long long)u->id);
	aup_strlcpy(s->username, u->username, sizeof s->username);
	tui_push(t, &edit_ops, s);
}
