/* Visitors: the logins that may be used now with the time they have left;
 * a new one issued from a form, the visitor reading and accepting their
 * agreement on screen before it exists, its password shown large once; a
 * visit ended at once. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aup/aup.h"
#include "aup/clock.h"
#include "aup/config.h"
#include "aup/util.h"
#include "aup/visitor.h"
#include "tui.h"

/* A visit as the list shows it. */
struct row {
	int64_t id;
	char *cells[7];
};

enum { C_USER, C_NAME, C_ORG, C_HOST, C_UNTIL, C_LEFT, C_LOGINS, NCOL };
static const char *const headers[NCOL] = { "Username", "Name", "Organisation",
	"Host", "Until", "Left", "Logins" };
static const int widths[NCOL] = { 12, 0, 12, 9, 12, 10, 6 };

struct screen {
	struct tui_list ls; /* first: the list's keys find it there */
	struct row *rows;
	bool all; /* every visit, not only those that may log in */
	bool loaded;
};

static void
rows_free(struct screen *s)
{
	for (size_t i = 0; i < s->ls.n; i++)
		for (int c = 0; c < NCOL; c++)
			free(s->rows[i].cells[c]);
	free(s->rows);
	s->rows = NULL;
	s->ls.n = 0;
}

static int
add_row(void *arg, const struct aup_visit *v, const char *password)
{
	struct screen *s = arg;
	struct row *r;
	char buf[64];

	(void)password;
	s->rows = xreallocarray(s->rows, s->ls.n + 1, sizeof *s->rows);
	r = &s->rows[s->ls.n++];
	r->id = v->user_id;
	r->cells[C_USER] = xstrdup(v->username);
	r->cells[C_NAME] = xasprintf("%s %s", v->first, v->last);
	r->cells[C_ORG] = xstrdup(v->org != NULL ? v->org : "");
	r->cells[C_HOST] = xstrdup(v->host != NULL ? v->host : "");
	if (v->expires == 0 ||
	    strftime(buf, sizeof buf, "%d %b %H:%M",
		localtime(&(time_t){ v->expires })) == 0)
		aup_strlcpy(buf, "-", sizeof buf);
	r->cells[C_UNTIL] = xstrdup(buf);
	aup_visit_left(v, aup_now(), buf, sizeof buf);
	r->cells[C_LEFT] = xstrdup(buf);
	if (v->max_logins > 0)
		snprintf(buf, sizeof buf, "%d/%d", v->logins, v->max_logins);
	else
		snprintf(buf, sizeof buf, "%d", v->logins);
	r->cells[C_LOGINS] = xstrdup(buf);
	return 0;
}

static void
load(struct tui *t, struct screen *s)
{
	struct aup_err err = { 0 };

	rows_free(s);
	s->loaded = true;
	if (aup_visitor_list(t->db, s->all ? AUP_VISITS_ALL : AUP_VISITS_ACTIVE,
		add_row, s, &err) != 0)
		tui_error(t, &err);
	if (s->ls.sel >= s->ls.n)
		s->ls.sel = s->ls.n > 0 ? s->ls.n - 1 : 0;
}

static void
draw(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	int w[NCOL], rows = t->rows - 4;
	size_t top;

	if (!s->loaded)
		load(t, s);
	tui_frame(t, v, s->all ? "every visit" : "may log in now");
	tui_fit(t->cols, widths, NCOL, C_NAME, C_USER, w);
	attrset(A_BOLD | A_UNDERLINE);
	tui_columns(1, w, headers, NCOL);
	attrset(A_NORMAL);
	if (s->ls.n == 0) {
		tui_put(3, 2,
		    s->all ? "No visits are recorded." :
			     "No visitor logins may be used now: i issues one.",
		    t->cols - 4);
		return;
	}
	tui_list_fit(&s->ls, (size_t)rows);
	top = s->ls.top;
	for (int y = 0; y < rows && top + (size_t)y < s->ls.n; y++) {
		if (top + (size_t)y == s->ls.sel)
			attrset(tui_attr(t, TUI_C_SEL, A_REVERSE));
		tui_columns(2 + y, w,
		    (const char *const *)s->rows[top + (size_t)y].cells, NCOL);
		attrset(A_NORMAL);
	}
}

static void
key_all(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	s->all = !s->all;
	load(t, s);
}

static void
key_open(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	if (s->ls.n == 0)
		return;
	s->loaded = false;
	person_open(t, s->rows[s->ls.sel].id);
}

static void
key_end(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	struct aup_err err = { 0 };
	char q[160];
	int rc;

	if (s->ls.n == 0)
		return;
	snprintf(q, sizeof q,
	    "End %s's visit now? They cannot log in again. "
	    "(y/n)",
	    s->rows[s->ls.sel].cells[C_USER]);
	if (!tui_confirm(t, q))
		return;
	if ((rc = aup_visitor_end(t->db, s->rows[s->ls.sel].cells[C_USER],
		 &err)) < 0) {
		tui_error(t, &err);
		return;
	}
	tui_say(t,
	    rc == 1 ? "%s's visit had ended already" : "%s's visit is ended",
	    s->rows[s->ls.sel].cells[C_USER]);
	load(t, s);
}

static void
key_issue(struct tui *t, struct view *v)
{
	((struct screen *)v->data)->loaded = false;
	issue_open(t);
}

static const struct tui_key keys[] = {
	{ 'i', "i", "issue a visitor login", key_issue, "issue" },
	{ 'e', "e", "end the visit now", key_end, "end" },
	{ 'a', "a", "every visit, or only those that may log in now", key_all,
	    "all/now" },
	{ '\n', "Enter", "open the visitor's page", key_open, NULL },
	TUI_LIST_KEYS,
	{ 0, NULL, NULL, NULL, NULL },
};

static void
screen_free(struct view *v)
{
	struct screen *s = v->data;

	rows_free(s);
	free(s);
}

static const struct view_ops visitors_ops = {
	.title = "Visitors",
	.draw = draw,
	.free = screen_free,
	.keys = keys,
};

void
visitors_open(struct tui *t)
{
	tui_push(t, &visitors_ops, xcalloc(1, sizeof(struct screen)));
}

/* Issuing: the form, then the visitor's agreement read on screen. */

enum { F_NAME, F_ORG, F_HOST, F_REASON, F_HOURS, F_MAX, NFIELD };

static const struct tui_field fields[NFIELD] = {
	[F_NAME] = { "Name", "name", "the visitor's first and last name", 22 },
	[F_ORG] = { "Organisation", "org", "their agency or company", 22 },
	[F_HOST] = { "Host", "host", "staff: F3 picks from a list", 14 },
	[F_REASON] = { "Reason", "reason", "cover for 5B, a repair...", 22 },
	[F_HOURS] = { "Hours", "hours", NULL, 4 },
	[F_MAX] = { "Most logins", "max_logins", "empty: no limit", 4 },
};

struct issue {
	struct tui_form fm; /* first: the form's keys find it there */
	char val[NFIELD][TUI_FIELD_MAX * 4 + 1];
	struct aup_visit_spec spec;
};

/* What the reader needs of the form, which the reader outlives. */
struct accepting {
	struct aup_visit_spec spec;
	char val[NFIELD][TUI_FIELD_MAX * 4 + 1];
	struct aup_user u; /* the login made */
	char *password;
};

static int
made(void *arg, const struct aup_visit *v, const char *password)
{
	struct accepting *a = arg;

	a->u.id = v->user_id;
	a->u.username = xstrdup(v->username);
	a->u.first = xstrdup(v->first);
	a->u.last = xstrdup(v->last);
	a->u.role = AUP_ROLE_VISITOR;
	a->password = password != NULL ? xstrdup(password) : NULL;
	return 0;
}

static void
accepting_free(void *arg)
{
	struct accepting *a = arg;

	aup_user_clear(&a->u);
	if (a->password != NULL) {
		explicit_bzero(a->password, strlen(a->password));
		free(a->password);
	}
	free(a);
}

/* The visitor has read to the end: they accept, the login is made. */
static void
accept(struct tui *t, struct view *v, void *arg)
{
	struct accepting *a = arg;
	struct aup_err err = { 0 };
	struct aup_user u;
	char *pw;

	(void)v;
	if (!tui_confirm(t, "Does the visitor accept the agreement? (y/n)"))
		return;
	a->spec.accept_aup = true;
	if (aup_visitor_issue(t->db, &a->spec, made, a, &err) != 0) {
		struct issue *form;

		tui_pop(t); /* back to the form, the core's answer beside its
			       field */
		form = t->stack[t->depth - 1].data;
		if (err.field[0] != '\0')
			tui_form_problem(&form->fm, err.field, err.msg);
		tui_error(t, &err);
		return;
	}
	/* The reader and the form go; the password stays for the screen. */
	u = a->u;
	memset(&a->u, 0, sizeof a->u);
	pw = a->password;
	a->password = NULL;
	tui_pop(t);
	tui_pop(t);
	secret_open(t, &u, pw);
	tui_say(t, "%s %s may log in as %s", u.first, u.last, u.username);
	aup_user_clear(&u);
}

static bool
count_field(struct tui_form *fm, const char *v, const char *name, int *out)
{
	long n;

	*out = 0;
	if (v[0] == '\0')
		return true;
	if (aup_parse_long(v, 1, 100000, &n) != 0) {
		tui_form_problem(fm, name, "a whole number, 1 or more");
		return false;
	}
	*out = (int)n;
	return true;
}

static void
issue_save(struct tui *t, struct view *v)
{
	struct issue *s = v->data;
	const struct aup_form *form;
	struct aup_err err = { 0 };
	struct accepting *a;

	tui_form_problems_clear(&s->fm);
	for (int i = 0; i < NFIELD; i++)
		tui_form_value(&s->fm, i, s->val[i], sizeof s->val[i]);
	if (s->val[F_NAME][0] == '\0')
		tui_form_problem(&s->fm, "name", "the visitor's name is empty");
	a = xcalloc(1, sizeof *a);
	count_field(&s->fm, s->val[F_HOURS], "hours", &a->spec.hours);
	count_field(&s->fm, s->val[F_MAX], "max_logins", &a->spec.max_logins);
	if (tui_form_show_problems(t, &s->fm) ||
	    aup_form_for(t->db, AUP_ROLE_VISITOR, AUP_YEAR_NONE, &form, &err) !=
		0) {
		if (err.msg[0] != '\0')
			tui_error(t, &err);
		free(a);
		return;
	}
	memcpy(a->val, s->val, sizeof a->val);
#define OPT(i) (a->val[i][0] != '\0' ? a->val[i] : NULL)
	a->spec.name = a->val[F_NAME];
	a->spec.org = OPT(F_ORG);
	a->spec.host = OPT(F_HOST);
	a->spec.reason = OPT(F_REASON);
#undef OPT
	if (form == NULL) {
		tui_say(t,
		    "the forms have no agreement for visitors: add one "
		    "to the forms folder's index.ini");
		t->status_err = true;
		free(a);
		return;
	}
	read_open(t, form, "The visitor's agreement",
	    "the visitor accepts: their login is made", accept, a,
	    accepting_free);
	tui_say(t,
	    "Turn the screen to the visitor: they read to the end, "
	    "then Enter.");
}

static void
issue_cancel(struct tui *t, struct view *v)
{
	(void)v;
	tui_pop(t);
	tui_say(t, "no login issued");
}

static void
issue_pick(struct tui *t, struct view *v)
{
	struct issue *s = v->data;

	tui_form_focus(&s->fm, F_HOST);
	people_pick_open(t, AUP_ROLE_STAFF, &s->fm, F_HOST);
}

static const struct tui_key issue_keys[] = {
	TUI_FORM_KEYS,
	{ '\n', "Enter",
	    "the next field; on the last, the visitor reads their agreement",
	    tui_form_enter, "next/go on" },
	{ KEY_F(2), "F2", "go on: the visitor reads their agreement",
	    issue_save, "go on" },
	{ KEY_F(3), "F3", "pick the host from the staff", issue_pick, "host" },
	{ 27, "Esc", "cancel: no login is issued", issue_cancel, "cancel" },
	{ 0, NULL, NULL, NULL, NULL },
};

static void
issue_draw(struct tui *t, struct view *v)
{
	struct issue *s = v->data;

	tui_frame(t, v, "new visitor login");
	tui_form_draw(t, &s->fm,
	    "Fill in, then Enter on the last field or F2: the visitor reads "
	    "their agreement.");
}

static const struct view_ops issue_ops = {
	.title = "Issue a visitor login",
	.draw = issue_draw,
	.input = tui_form_input,
	.free = tui_form_view_free,
	.keys = issue_keys,
	.bar_end = "F1 keys",
};

void
issue_open(struct tui *t)
{
	struct issue *s = xcalloc(1, sizeof *s);
	char hours[16];

	tui_form_init(&s->fm, fields, NFIELD);
	snprintf(hours, sizeof hours, "%d",
	    aup_db_config(t->db)->visitor_default_hours);
	tui_form_set(&s->fm, F_HOURS, hours);
	tui_form_focus(&s->fm, F_NAME);
	tui_push(t, &issue_ops, s);
}
