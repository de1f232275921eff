/* Import the roll: a form (the file, picked from a menu of the folder's
 * files, and how to take it), then the plan, which is the real import run
 * and rolled back; then, confirmed, the import itself with a progress bar
 * while the passwords are made, and what it did. */
#include <curses.h>
#include <dirent.h>
#include <limits.h>
#include <menu.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aup/import.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "tui.h"

enum { F_FILE, F_KIND, F_FULL, F_RETIRE, F_SKIP, F_SLIPS, NFIELD };

static const struct tui_field fields[NFIELD] = {
	[F_FILE] = { "File", "file", "the MIS export: F3 picks one", 22 },
	[F_KIND] = { "Who", "kind", "pupils or staff", 8 },
	[F_FULL] = { "Whole roll", "full_roll", "yes: anyone missing is listed",
	    4 },
	[F_RETIRE] = { "Retire", "retire", "yes: and their checklists start",
	    4 },
	[F_SKIP] = { "Skip bad", "skip", "yes: import the good rows only", 4 },
	[F_SLIPS] = { "Slips", "slips", "new passwords go here (0600)", 22 },
};

struct form {
	struct tui_form fm; /* first: the form's keys find it there */
};

#define PLAN_MAX 5000 /* lines of the plan kept to show */

/* The plan, then what was done: lines to read, and the options. */
struct plan {
	struct tui_pager pg; /* first: the lines, and the first shown */
	char **lines;
	size_t cap;
	size_t more; /* lines past PLAN_MAX, not kept */
	struct aup_import_opts o;
	char path[TUI_FIELD_MAX * 4 + 1], slips[TUI_FIELD_MAX * 4 + 1];
	bool ok;   /* the dry run would import: Enter does it */
	bool done; /* it has been imported */
};

static void plan_add(struct plan *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
plan_add(struct plan *p, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	if (p->pg.n == PLAN_MAX) {
		p->more++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (p->pg.n == p->cap) {
		p->cap = p->cap > 0 ? 2 * p->cap : 64;
		p->lines = xreallocarray(p->lines, p->cap, sizeof *p->lines);
	}
	p->lines[p->pg.n++] = xstrdup(buf);
}

static void
plan_clear(struct plan *p)
{
	for (size_t i = 0; i < p->pg.n; i++)
		free(p->lines[i]);
	p->pg.n = 0;
	p->pg.top = 0;
	p->more = 0;
}

static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static int
plan_item(void *arg, const struct aup_import_item *it)
{
	struct plan *p = arg;
	char where[48] = "";

	if (it->line > 0 && it->column > 0)
		snprintf(where, sizeof where, "%ld:%ld", it->line, it->column);
	else if (it->line > 0)
		snprintf(where, sizeof where, "%ld", it->line);
	if (it->action == AUP_ROW_INVALID)
		plan_add(p, "%-8s %-11s %s", where,
		    aup_import_action_name(it->action), or_empty(it->reason));
	else if (it->action == AUP_ROW_UPDATE)
		plan_add(p, "%-8s %-11s %-14s %s: %s -> %s", where,
		    aup_import_action_name(it->action), or_empty(it->username),
		    or_empty(it->field), or_empty(it->old), or_empty(it->now));
	else
		plan_add(p, "%-8s %-11s %-14s %s%s%s%s%s", where,
		    aup_import_action_name(it->action), or_empty(it->username),
		    or_empty(it->name), it->class_name != NULL ? ", " : "",
		    or_empty(it->class_name), it->reason != NULL ? ": " : "",
		    or_empty(it->reason));
	return 0;
}

static void
plan_summary(struct plan *p, const struct aup_import_summary *sum)
{
	plan_add(p, "%zu rows read (%s, '%c'); %s:", sum->rows, sum->encoding,
	    sum->delimiter,
	    sum->committed ? "imported" :
		p->done	   ? "nothing imported" :
			     "would do");
	for (int a = 0; a < AUP_ROW_ACTION_COUNT; a++)
		if (sum->count[a] > 0)
			plan_add(p, "  %-11s %zu", aup_import_action_name(a),
			    sum->count[a]);
	if (sum->passwords > 0)
		plan_add(p, "  %zu new password%s %s %s", sum->passwords,
		    sum->passwords == 1 ? "" : "s",
		    sum->committed ? "on the slips in" :
				     "to go on the slips in",
		    p->slips);
	for (size_t i = 0; i < sum->nignored; i++)
		plan_add(p, "  column '%s' is not used", sum->ignored[i]);
	plan_add(p, " ");
}

/* The progress of the passwords being made, on the status line. */
static void
progress(void *arg, size_t done, size_t total)
{
	struct tui *t = arg;
	int w = t->cols - 30,
	    fill = total > 0 ? (int)(done * (size_t)w / total) : w;
	char buf[32];

	snprintf(buf, sizeof buf, "passwords %zu/%zu ", done, total);
	attrset(A_BOLD);
	tui_put(t->rows - 1, 0, buf, 28);
	attrset(tui_attr(t, TUI_C_GOOD, A_BOLD));
	move(t->rows - 1, 28);
	for (int i = 0; i < fill; i++)
		addch('#');
	attrset(A_NORMAL);
	for (int i = fill; i < w; i++)
		addch('.');
	refresh();
}

/* Run P's import: a dry run unless REAL. */
static void
plan_run(struct tui *t, struct plan *p, bool real)
{
	struct aup_import_summary sum = { 0 };
	struct aup_err err = { 0 };
	int rc;

	plan_clear(p);
	p->o.dry_run = !real;
	p->o.progress = real ? progress : NULL;
	p->o.progress_arg = t;
	rc = aup_import_run(t->db, &p->o, plan_item, p, &sum, &err);
	p->done = real;
	p->ok = rc == 0 && !real;
	if (rc == 0 || sum.rows > 0) {
		char **items = p->lines;
		size_t n = p->pg.n, more = p->more;

		/* The summary first, then the items. */
		p->lines = NULL;
		p->pg.n = p->cap = 0;
		p->more = 0;
		plan_summary(p, &sum);
		for (size_t i = 0; i < n; i++) {
			plan_add(p, "%s", items[i]);
			free(items[i]);
		}
		free(items);
		if (more > 0)
			plan_add(p, "... and %zu lines more", more);
	}
	if (rc != 0)
		tui_error(t, &err);
	else if (real)
		tui_say(t, "imported%s",
		    sum.passwords > 0 ?
			": give out the slips, then keep them safe or shred "
			"them" :
			"");
	else
		tui_say(t, "nothing is written yet: Enter imports it");
	aup_import_summary_clear(&sum);
}

static void
plan_draw(struct tui *t, struct view *v)
{
	struct plan *p = v->data;
	int rows = tui_pager_rows(t);

	tui_frame(t, v, p->done ? "done" : "the plan: nothing written yet");
	tui_pager_fit(t, &p->pg);
	for (int y = 0; y < rows && p->pg.top + (size_t)y < p->pg.n; y++)
		tui_put(1 + y, 1, p->lines[p->pg.top + (size_t)y], t->cols - 2);
}

static void
plan_go(struct tui *t, struct view *v)
{
	struct plan *p = v->data;
	char q[TUI_FIELD_MAX * 4 + 32];

	if (p->done) {
		tui_pop(t);
		return;
	}
	if (!p->ok) {
		tui_say(t,
		    "the file cannot be imported as it is: fix it, or "
		    "set Skip bad to yes");
		t->status_err = true;
		return;
	}
	snprintf(q, sizeof q, "Import %s now? (y/n)", p->path);
	if (!tui_confirm(t, q))
		return;
	plan_run(t, p, true);
}

static const struct tui_key plan_keys[] = {
	{ '\n', "Enter", "import it, as planned; when done, back", plan_go,
	    "import" },
	{ ' ', "Space", "a page down", tui_pager_pgdn, NULL },
	TUI_PAGER_KEYS,
	{ 0, NULL, NULL, NULL, NULL },
};

static void
plan_free(struct view *v)
{
	struct plan *p = v->data;

	plan_clear(p);
	free(p->lines);
	free(p);
}

static const struct view_ops plan_ops = {
	.title = "Import",
	.draw = plan_draw,
	.free = plan_free,
	.keys = plan_keys,
};

/* yes or no in field I, into *OUT; false (a problem beside it) when it is
 * neither. */
static bool
yes_no(struct tui_form *fm, int i, bool *out)
{
	char v[16];

	tui_form_value(fm, i, v, sizeof v);
	if (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0 || v[0] == '\0') {
		*out = strcmp(v, "yes") == 0;
		return true;
	}
	tui_form_problem(fm, fields[i].name, "yes or no");
	return false;
}

static void
form_go(struct tui *t, struct view *v)
{
	struct form *f = v->data;
	struct plan *p = xcalloc(1, sizeof *p);
	char kind[16];
	struct stat st;
	const char *dot;

	tui_form_problems_clear(&f->fm);
	tui_form_value(&f->fm, F_FILE, p->path, sizeof p->path);
	tui_form_value(&f->fm, F_KIND, kind, sizeof kind);
	tui_form_value(&f->fm, F_SLIPS, p->slips, sizeof p->slips);
	if (p->path[0] == '\0')
		tui_form_problem(&f->fm, "file", "which file? F3 picks one");
	else if (stat(p->path, &st) != 0 || !S_ISREG(st.st_mode))
		tui_form_problem(&f->fm, "file", "no such file");
	if (strcmp(kind, "pupils") == 0)
		p->o.role = AUP_ROLE_PUPIL;
	else if (strcmp(kind, "staff") == 0)
		p->o.role = AUP_ROLE_STAFF;
	else
		tui_form_problem(&f->fm, "kind", "pupils or staff");
	yes_no(&f->fm, F_FULL, &p->o.full_roll);
	yes_no(&f->fm, F_RETIRE, &p->o.retire_missing);
	yes_no(&f->fm, F_SKIP, &p->o.skip_invalid);
	if (p->o.retire_missing && !p->o.full_roll)
		tui_form_problem(&f->fm, "retire",
		    "only with the whole roll: set it to yes too");
	if (tui_form_show_problems(t, &f->fm)) {
		free(p);
		return;
	}
	p->o.path = p->path;
	if (p->slips[0] != '\0') {
		p->o.slips = p->slips;
		dot = strrchr(p->slips, '.');
		p->o.slip_format = dot != NULL && strcmp(dot, ".csv") == 0 ?
		    AUP_SLIP_CSV :
		    AUP_SLIP_TEXT;
	}
	if (tui_push(t, &plan_ops, p))
		plan_run(t, p, false);
}

static void
form_cancel(struct tui *t, struct view *v)
{
	(void)v;
	tui_pop(t);
	tui_say(t, "nothing imported");
}

static void
form_pick(struct tui *t, struct view *v)
{
	struct form *f = v->data;
	char path[TUI_FIELD_MAX * 4 + 1];

	tui_form_value(&f->fm, F_FILE, path, sizeof path);
	picker_open(t, &f->fm, F_FILE, path);
}

static const struct tui_key form_keys[] = {
	TUI_FORM_KEYS,
	{ '\n', "Enter", "the next field; on the last, the plan",
	    tui_form_enter, "next/plan" },
	{ KEY_F(2), "F2", "the plan: what importing would do", form_go,
	    "plan" },
	{ KEY_F(3), "F3", "pick the file from a list", form_pick, "pick" },
	{ 27, "Esc", "cancel: nothing is imported", form_cancel, "cancel" },
	{ 0, NULL, NULL, NULL, NULL },
};

static void
form_draw(struct tui *t, struct view *v)
{
	struct form *f = v->data;

	tui_frame(t, v, "from the MIS");
	tui_form_draw(t, &f->fm,
	    "F2 shows what the import would do; nothing is written before "
	    "you confirm.");
}

static const struct view_ops form_ops = {
	.title = "Import the roll",
	.draw = form_draw,
	.input = tui_form_input,
	.free = tui_form_view_free,
	.keys = form_keys,
	.bar_end = "F1 keys",
};

void
import_open(struct tui *t)
{
	struct form *f = xcalloc(1, sizeof *f);
	char slips[64];

	tui_form_init(&f->fm, fields, NFIELD);
	tui_form_set(&f->fm, F_KIND, "pupils");
	tui_form_set(&f->fm, F_FULL, "no");
	tui_form_set(&f->fm, F_RETIRE, "no");
	tui_form_set(&f->fm, F_SKIP, "no");
	strftime(slips, sizeof slips, "slips-%Y-%m-%d.txt",
	    localtime(&(time_t){ time(NULL) }));
	tui_form_set(&f->fm, F_SLIPS, slips);
	tui_form_focus(&f->fm, F_FILE);
	tui_push(t, &form_ops, f);
}

/* The picker: the folder's folders and files in a menu (the curses menu
 * library); Enter goes into a folder or takes a file into the form. */

struct picker {
	struct tui_form *fm; /* the form below, and its field */
	int field;
	char dir[4096];
	char **names; /* "name/" for a folder */
	char **shown; /* the names cut to the window's width */
	ITEM **items;
	MENU *menu;
	WINDOW *win;
	size_t n;
};

static int
by_name(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	bool dx = x[strlen(x) - 1] == '/', dy = y[strlen(y) - 1] == '/';

	if (dx != dy)
		return dx ? -1 : 1;
	return strcmp(x, y);
}

static void
picker_clear(struct picker *s)
{
	if (s->menu != NULL) {
		unpost_menu(s->menu);
		free_menu(s->menu);
	}
	for (size_t i = 0; i < s->n; i++) {
		free_item(s->items[i]);
		free(s->names[i]);
		free(s->shown[i]);
	}
	free(s->items);
	free(s->names);
	free(s->shown);
	s->menu = NULL;
	s->items = NULL;
	s->names = NULL;
	s->shown = NULL;
	s->n = 0;
}

static void
picker_load(struct tui *t, struct picker *s)
{
	DIR *d = opendir(s->dir);
	struct dirent *e;
	size_t cap = 0;

	picker_clear(s);
	if (d == NULL) {
		tui_say(t, "cannot read the folder %s", s->dir);
		t->status_err = true;
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char full[4352];
		struct stat st;

		if ((e->d_name[0] == '.' && strcmp(e->d_name, "..") != 0) ||
		    !aup_utf8_valid(e->d_name))
			continue;
		snprintf(full, sizeof full, "%s/%s", s->dir, e->d_name);
		if (stat(full, &st) != 0 ||
		    !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)))
			continue;
		if (s->n == cap) {
			cap = cap > 0 ? 2 * cap : 32;
			s->names = xreallocarray(s->names, cap,
			    sizeof *s->names);
		}
		s->names[s->n++] = S_ISDIR(st.st_mode) ?
		    xasprintf("%s/", e->d_name) :
		    xstrdup(e->d_name);
	}
	closedir(d);
	qsort(s->names, s->n, sizeof *s->names, by_name);
	s->items = xcalloc(s->n + 1, sizeof *s->items);
	s->shown = xcalloc(s->n + 1, sizeof *s->shown);
	for (size_t i = 0; i < s->n; i++) {
		/* A name longer than the window is cut, on a character, with
		 * a ~: the menu would not show at all otherwise. */
		size_t max = (size_t)getmaxx(s->win) - 2, len;

		s->shown[i] = xstrdup(s->names[i]);
		if (aup_utf8_width(s->shown[i]) > max) {
			len = strlen(s->shown[i]);
			while (len > 0 && aup_utf8_width(s->shown[i]) >= max) {
				while (len > 0 &&
				    ((unsigned char)s->shown[i][--len] &
					0xc0) == 0x80)
					;
				s->shown[i][len] = '\0';
			}
			s->shown[i] = xreallocarray(s->shown[i], len + 2, 1);
			memcpy(s->shown[i] + len, "~", 2);
		}
		s->items[i] = new_item(s->shown[i], "");
	}
	s->menu = new_menu(s->items);
	set_menu_win(s->menu, s->win);
	set_menu_sub(s->menu, s->win);
	set_menu_format(s->menu, getmaxy(s->win), 1);
	set_menu_mark(s->menu, "");
	if (post_menu(s->menu) != E_OK) {
		tui_say(t, "cannot show the folder %s", s->dir);
		t->status_err = true;
	}
}

static void
picker_draw(struct tui *t, struct view *v)
{
	struct picker *s = v->data;

	tui_frame(t, v, s->dir);
	tui_put(1, 2,
	    "Type the start of a name to go to it; Enter opens a folder or "
	    "takes the file.",
	    t->cols - 4);
	if (s->n == 0)
		tui_put(3, 2, "Nothing here.", t->cols - 4);
	wnoutrefresh(stdscr);
	touchwin(s->win);
	wnoutrefresh(s->win);
}

static void
picker_drive(struct tui *t, struct view *v, int req)
{
	struct picker *s = v->data;

	(void)t;
	if (s->menu != NULL)
		menu_driver(s->menu, req);
}

static void
picker_down(struct tui *t, struct view *v)
{
	picker_drive(t, v, REQ_DOWN_ITEM);
}

static void
picker_up(struct tui *t, struct view *v)
{
	picker_drive(t, v, REQ_UP_ITEM);
}

static void
picker_pgdn(struct tui *t, struct view *v)
{
	picker_drive(t, v, REQ_SCR_DPAGE);
}

static void
picker_pgup(struct tui *t, struct view *v)
{
	picker_drive(t, v, REQ_SCR_UPAGE);
}

static void
picker_take(struct tui *t, struct view *v)
{
	struct picker *s = v->data;
	const char *name;
	char path[4352];

	if (s->menu == NULL || current_item(s->menu) == NULL)
		return;
	name = s->names[item_index(current_item(s->menu))];
	if (strcmp(name, "../") == 0) {
		char *slash = strrchr(s->dir, '/');

		if (slash != NULL && slash != s->dir)
			*slash = '\0';
		else
			aup_strlcpy(s->dir, "/", sizeof s->dir);
		picker_load(t, s);
		return;
	}
	snprintf(path, sizeof path, "%s%s%s", s->dir,
	    strcmp(s->dir, "/") == 0 ? "" : "/", name);
	if (name[strlen(name) - 1] == '/') {
		path[strlen(path) - 1] = '\0';
		aup_strlcpy(s->dir, path, sizeof s->dir);
		picker_load(t, s);
		return;
	}
	if (strlen(path) > TUI_FIELD_MAX) {
		tui_say(t,
		    "the path is longer than the field: move the file "
		    "nearer");
		t->status_err = true;
		return;
	}
	tui_form_set(s->fm, s->field, path);
	tui_pop(t);
}

static const struct tui_key picker_keys[] = {
	{ '\n', "Enter", "open the folder, or take the file", picker_take,
	    "take" },
	{ KEY_DOWN, "Down", "the next", picker_down, NULL },
	{ KEY_UP, "Up", "the one before", picker_up, NULL },
	{ KEY_NPAGE, "PgDn", "a page down", picker_pgdn, NULL },
	{ KEY_PPAGE, "PgUp", "a page up", picker_pgup, NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

static void
picker_free(struct view *v)
{
	struct picker *s = v->data;

	picker_clear(s);
	delwin(s->win);
	free(s);
}

/* Letters typed go to the first name that starts with them (the menu's
 * pattern); q and ? stay the keys every screen has. */
static bool
picker_input(struct tui *t, struct view *v, int ch, bool fkey)
{
	struct picker *s = v->data;

	(void)t;
	if (s->menu == NULL)
		return false;
	if (!fkey && (ch == 127 || ch == 8)) {
		menu_driver(s->menu, REQ_BACK_PATTERN);
		return true;
	}
	if (fkey || ch <= 0x20 || ch >= 0x7f || ch == 'q' || ch == '?')
		return false;
	menu_driver(s->menu, ch);
	return true;
}

static const struct view_ops picker_ops = {
	.title = "Pick a file",
	.draw = picker_draw,
	.input = picker_input,
	.free = picker_free,
	.keys = picker_keys,
};

void
picker_open(struct tui *t, struct tui_form *fm, int field, const char *path)
{
	struct picker *s = xcalloc(1, sizeof *s);
	char full[PATH_MAX];
	struct stat st;

	s->fm = fm;
	s->field = field;
	/* The folder of the path in the field, else the current one; as an
	 * absolute path, so that ../ goes up from it. */
	aup_strlcpy(s->dir, path, sizeof s->dir);
	if (path[0] != '\0' && stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
		char *slash = strrchr(s->dir, '/');

		if (slash != NULL)
			*slash = '\0';
		else
			s->dir[0] = '\0';
	}
	if (s->dir[0] == '\0' || realpath(s->dir, full) == NULL) {
		if (getcwd(full, sizeof full) == NULL)
			aup_strlcpy(full, "/", sizeof full);
	}
	aup_strlcpy(s->dir, full, sizeof s->dir);
	s->win = newwin(t->rows - 5, t->cols - 4, 3, 2);
	picker_load(t, s);
	tui_push(t, &picker_ops, s);
}
