/* auptui: the office's curses face. A stack of views, each a struct of
 * functions with a table of keys from which both dispatch and `?` help are
 * drawn; the models behind the views need no terminal (people.c). */
#ifndef AUP_TUI_H
#define AUP_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "aup/db.h"
#include "aup/error.h"
#include "aup/user.h"

struct tui;
struct view;

/* A key of a view: what it is called in help, what it does, and what the
 * bottom line calls it (NULL: it is not there). */
struct tui_key {
	int key; /* a character or a KEY_ code */
	const char *name;
	const char *label;
	void (*fn)(struct tui *t, struct view *v);
	const char *bar;
};

struct view_ops {
	const char *title;
	void (*draw)(struct tui *t, struct view *v);
	/* Called first with every key while the view takes text (a search):
	 * true when it took the key. May be NULL. */
	bool (*input)(struct tui *t, struct view *v, int ch, bool fkey);
	void (*free)(struct view *v);
	const struct tui_key *keys; /* ends with a zero key */
	/* The end of the key bar; NULL: "? keys  q back" (or quit). */
	const char *bar_end;
};

struct view {
	const struct view_ops *ops;
	void *data;
};

#define TUI_DEPTH 8

struct tui {
	struct aup_db *db;
	struct view stack[TUI_DEPTH];
	int depth;
	char status[1100]; /* the status line's message */
	bool status_err;
	bool colour;
	bool help; /* the help of the top view is shown */
	bool quit;
	bool again; /* draw once more at once: a view drew a first frame and
		       has more to show */
	int rows, cols;
};

/* tui.c: the stack, the status line and drawing helpers. */
/* False when the stack is full: DATA is freed then, by OPS's free. */
bool tui_push(struct tui *t, const struct view_ops *ops, void *data);
void tui_pop(struct tui *t);
void tui_say(struct tui *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tui_error(struct tui *t, const struct aup_err *err);
/* Draw S at Y, X in at most WIDTH columns by display width, padded with
 * spaces to WIDTH; a character that does not fit is left out. */
void tui_put(int y, int x, const char *s, int width);
/* The widths W of N columns on a screen COLS wide, from WIDTHS: column
 * NAME (width 0 in WIDTHS) takes what is left, and past 40 shares it with
 * column USER. */
void tui_fit(int cols, const int *widths, int n, int name, int user, int *w);
/* N CELLS at Y, from column 1, each in its width W[i] and a space after. */
void tui_columns(int y, const int *w, const char *const *cells, int n);
/* The title bar (line 0) and the key bar with the status line (last two
 * lines) of view V. */
void tui_frame(struct tui *t, struct view *v, const char *right);
/* Ask a yes/no QUESTION on the status line: true for y. */
bool tui_confirm(struct tui *t, const char *question);
/* Read a line of text on the status line after PROMPT into BUF (SIZE
 * bytes, UTF-8); false when Esc cancelled it. */
bool tui_ask(struct tui *t, const char *prompt, char *buf, size_t size);
/* The colour pairs, when there is colour. */
enum { TUI_C_TITLE = 1, TUI_C_SEL, TUI_C_ERR, TUI_C_KEY, TUI_C_GOOD };
int tui_attr(struct tui *t, int pair, int fallback);

/* A view that scrolls lines keeps this first in its data: N lines, the
 * first shown TOP, in the screen's rows but the title, key bar and status
 * line. Its keys are TUI_PAGER_KEYS, in the view's table. */
struct tui_pager {
	size_t top, n;
};
int tui_pager_rows(const struct tui *t);
/* TOP kept so that the last page is full; true when the end is shown. */
bool tui_pager_fit(const struct tui *t, struct tui_pager *p);
void tui_pager_down(struct tui *t, struct view *v);
void tui_pager_up(struct tui *t, struct view *v);
void tui_pager_pgdn(struct tui *t, struct view *v);
void tui_pager_pgup(struct tui *t, struct view *v);
void tui_pager_home(struct tui *t, struct view *v);
void tui_pager_end(struct tui *t, struct view *v);
#define TUI_PAGER_KEYS \
	{ KEY_NPAGE, "PgDn", "a page down", tui_pager_pgdn, NULL }, \
	    { KEY_PPAGE, "PgUp", "a page up", tui_pager_pgup, NULL }, \
	    { KEY_DOWN, "Down", "a line down", tui_pager_down, NULL }, \
	    { KEY_UP, "Up", "a line up", tui_pager_up, NULL }, \
	    { KEY_HOME, "Home", "the top", tui_pager_home, NULL }, \
	{ \
		KEY_END, "End", "the end", tui_pager_end, NULL \
	}

/* A menu of headings and choices (the dashboard, the audit's summary):
 * rows of SIZE bytes whose first member is `const char *heading`, NULL on
 * a choice. The choice BY rows from SEL, one at a time, passing over the
 * headings; SEL when there is none that way. */
int tui_menu_step(const void *rows, size_t size, int n, int sel, int by);

/* A list with a selection keeps this first in its view's data: N rows,
 * SEL selected, TOP the first shown. Its keys are TUI_LIST_KEYS. */
struct tui_list {
	size_t n, sel, top;
};
/* SEL within N, and TOP so that SEL is among the ROWS shown and no rows
 * are left empty after the last. */
void tui_list_fit(struct tui_list *l, size_t rows);
void tui_list_down(struct tui *t, struct view *v);
void tui_list_up(struct tui *t, struct view *v);
void tui_list_pgdn(struct tui *t, struct view *v);
void tui_list_pgup(struct tui *t, struct view *v);
void tui_list_home(struct tui *t, struct view *v);
void tui_list_end(struct tui *t, struct view *v);
#define TUI_LIST_KEYS \
	{ KEY_DOWN, "Down", "the next", tui_list_down, NULL }, \
	    { KEY_UP, "Up", "the one before", tui_list_up, NULL }, \
	    { KEY_NPAGE, "PgDn", "a page down", tui_list_pgdn, NULL }, \
	    { KEY_PPAGE, "PgUp", "a page up", tui_list_pgup, NULL }, \
	    { KEY_HOME, "Home", "the first", tui_list_home, NULL }, \
	{ \
		KEY_END, "End", "the last", tui_list_end, NULL \
	}

/* form.c: a form's fields, each with its label, the name the core gives
 * its problems ("first", "host"), a hint, and its width. */
struct tui_field {
	const char *label, *name, *hint;
	int width;
};
#define TUI_FIELD_MAX 254 /* characters in a field (an email's most) */
struct tui_form {
	const struct tui_field *fields;
	int n;
	struct _win_st *win;
	struct fieldnode **f;
	struct formnode *form;
	char (*problem)[320]; /* beside each field; "" for none */
};
void tui_form_init(struct tui_form *fm, const struct tui_field *fields, int n);
void tui_form_clear(struct tui_form *fm);
void tui_form_set(struct tui_form *fm, int i, const char *text);
void tui_form_focus(struct tui_form *fm, int i);
/* Field I's text, trimmed, into BUF of SIZE (TUI_FIELD_MAX * 4 + 1). */
void tui_form_value(struct tui_form *fm, int i, char *buf, size_t size);
/* MSG beside the field the core calls NAME, unless it has one. */
void tui_form_problem(struct tui_form *fm, const char *name, const char *msg);
void tui_form_problems_clear(struct tui_form *fm);
/* The first problem on the status line and its field current: false
 * when there is none. */
bool tui_form_show_problems(struct tui *t, struct tui_form *fm);
void tui_form_draw(struct tui *t, struct tui_form *fm, const char *intro);
bool tui_form_on_last(const struct tui_form *fm);
/* Keys for a form view's table, and its input hook: the table's keys,
 * then editing, and every other key is text. */
void tui_form_next(struct tui *t, struct view *v);
void tui_form_prev(struct tui *t, struct view *v);
void tui_form_help(struct tui *t, struct view *v);
/* Enter: the next field, or on the last, what the view's F2 does. */
void tui_form_enter(struct tui *t, struct view *v);
/* A form view's free, when its data holds nothing more to free. */
void tui_form_view_free(struct view *v);
#define TUI_FORM_KEYS \
	{ '\t', "Tab", "the next field", tui_form_next, NULL }, \
	    { KEY_BTAB, "Shift-Tab", "the field before", tui_form_prev, \
		    NULL }, \
	{ \
		KEY_F(1), "F1", "these keys", tui_form_help, NULL \
	}
bool tui_form_input(struct tui *t, struct view *v, int ch, bool fkey);

/* Edit BUF (SIZE bytes, UTF-8) by CH: a character appended, Backspace
 * taking the last character off. True when BUF changed. */
bool tui_edit(char *buf, size_t size, int ch, bool fkey);

/* people.c: the people list as pages from the core, never loaded whole. */
struct people_row {
	int64_t id;
	char *username;
	char *name; /* "first last" */
	char *role;
	char *year; /* "Y5 KS2", "" for no year group */
	char *class_name;
	char *status; /* as it stands now */
	char *aup;    /* "yes", "no", "-" when none is due */
	char *pw_age; /* "12d", "-" with no password */
};

struct people {
	struct aup_db *db;
	struct aup_user_filter f;
	char search[AUP_SEARCH_MAX + 1];
	struct aup_user_cursor *starts; /* page K starts after starts[K-1] */
	size_t nstarts, page;
	struct people_row *rows;
	size_t n, sel, page_size;
	bool more; /* a page follows this one */
};
void people_init(struct people *p, struct aup_db *db, size_t page_size);
void people_free(struct people *p);
/* The first page for the filter and search as they are now. */
int people_reload(struct people *p, struct aup_err *err);
/* Move the selection; pages turn at either end. */
int people_move(struct people *p, int by, struct aup_err *err);
int people_page(struct people *p, int by, struct aup_err *err);
int people_end(struct people *p, struct aup_err *err);
/* A new page size (the screen's height changed): reload from the top. */
int people_resize(struct people *p, size_t page_size, struct aup_err *err);
const struct people_row *people_selected(const struct people *p);

/* Views. */
void dashboard_open(struct tui *t);
void people_open(struct tui *t, int role, int status);
/* The active people of ROLE, searched as you type: Enter puts the
 * username of the one picked into field FIELD of FM (a form below). */
void people_pick_open(struct tui *t, int role, struct tui_form *fm, int field);
void person_open(struct tui *t, int64_t id);
/* ROLE: the role filled in, -1 for none. */
void add_open(struct tui *t, int role);
void edit_open(struct tui *t, const struct aup_user *u);
void sign_open(struct tui *t, const struct aup_user *u);
/* A pupil U's consents for this year, asked on the status line; SIGNER and
 * REL (enum aup_relationship) the defaults, SIGNER may be NULL. */
void consent_ask(struct tui *t, const struct aup_user *u, const char *signer,
    int rel);
void visitors_open(struct tui *t);
void audit_open(struct tui *t);
void import_open(struct tui *t);
/* A file picked from a menu of folders and files, into field FIELD of FM
 * (a form below it on the stack), starting in PATH's folder. */
void picker_open(struct tui *t, struct tui_form *fm, int field,
    const char *path);
/* screen-attention.c: the people behind the check's counts. */
void expired_open(struct tui *t);
void expiring_open(struct tui *t);
void locked_open(struct tui *t);
/* The names not signed of ROLE (-1: any) and CLASS_NAME (NULL: any, "":
 * pupils without a class). */
void unsigned_open(struct tui *t, int role, const char *class_name);
void issue_open(struct tui *t);
/* screen-read.c: form F's text under TITLE, read to its end before Enter
 * (ENTER says what it does: "record the signature") calls ACCEPT with ARG.
 * ACCEPT may pop the reader (tui_pop), which frees ARG with ARG_FREE:
 * take what it needs first. */
struct aup_form;
typedef void (*tui_read_fn)(struct tui *t, struct view *v, void *arg);
void read_open(struct tui *t, const struct aup_form *f, const char *title,
    const char *enter, tui_read_fn accept, void *arg, void (*arg_free)(void *));
void secret_open(struct tui *t, const struct aup_user *u, char *password);
void leavers_open(struct tui *t);
/* The exit checklist of the person with this ID. */
void leaver_open(struct tui *t, int64_t id);

#endif
