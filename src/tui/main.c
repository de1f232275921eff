/* auptui: open the school's database as aupctl does, then one loop: draw
 * the top view, read a key, hand it to the view. The terminal is restored
 * on every way out: quitting, Ctrl-C, a signal, a fatal error. */
#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aup/config.h"
#include "aup/db.h"
#include "aup/error.h"
#include "tui.h"

static volatile sig_atomic_t curses_on;

static void
restore(void)
{
	if (curses_on) {
		curses_on = 0;
		endwin();
	}
}

/* A signal that ends us: the terminal back first, then die of it. */
static void
on_fatal(int sig)
{
	restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* With $AUPTUI_TRACE naming a file, a line for each key: the milliseconds
 * from reading it to the screen drawn (tests/bench/bench-tui). */
static FILE *trace_file;

static void
trace_key(const struct timespec *t0)
{
	struct timespec t1;

	if (trace_file == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(trace_file, "%.3f\n",
	    (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
		(double)(t1.tv_nsec - t0->tv_nsec) / 1e6);
	fflush(trace_file);
}

static void
usage(FILE *f)
{
	fputs("usage: auptui [--db PATH] [--config PATH] [-h] [--version]\n"
	      "The school office's screens over the aupctl database; see "
	      "auptui(1).\n",
	    f);
}

/* The keys every view has, for help. */
static const struct tui_key common_keys[] = {
	{ '?', "?", "show or hide these keys", NULL, NULL },
	{ 'q', "q, Esc", "go back; quit from the dashboard", NULL, NULL },
	{ 3, "Ctrl-C", "quit", NULL, NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

static int
help_lines(const struct tui_key *k, int y, int rows, int cols)
{
	for (; k->key != 0 && y < rows - 2; k++, y++) {
		attrset(A_BOLD);
		tui_put(y, 2, k->name, 12);
		attrset(A_NORMAL);
		tui_put(y, 14, k->label, cols - 16);
	}
	return y;
}

/* The keys of V, drawn from the table that dispatches them. */
static void
draw_help(struct tui *t, struct view *v)
{
	int y = 2;

	erase();
	tui_frame(t, v, "keys");
	attrset(A_BOLD);
	tui_put(y++, 1, v->ops->title, t->cols - 2);
	attrset(A_NORMAL);
	y = help_lines(v->ops->keys, y + 1, t->rows, t->cols);
	/* A view with a key bar of its own takes every key (a form): the
	 * keys every other view has are not its. */
	if (v->ops->bar_end == NULL)
		help_lines(common_keys, y + 1, t->rows, t->cols);
}

static void
draw(struct tui *t)
{
	struct view *v = &t->stack[t->depth - 1];

	getmaxyx(stdscr, t->rows, t->cols);
	if (t->rows < 24 || t->cols < 80) {
		erase();
		tui_put(0, 0,
		    "auptui needs a terminal of at least 80x24:", t->cols);
		tui_put(1, 0, "make the window larger.", t->cols);
	} else if (t->help) {
		draw_help(t, v);
	} else {
		erase();
		curs_set(0); /* a view that takes text shows it again */
		v->ops->draw(t, v);
	}
	refresh();
}

static void
dispatch(struct tui *t, int ch, bool fkey)
{
	struct view *v = &t->stack[t->depth - 1];

	if ((!fkey && ch == '\r') || (fkey && ch == KEY_ENTER)) {
		ch = '\n';
		fkey = false;
	}
	if (!fkey && ch == 3) {
		t->quit = true;
		return;
	}
	if (t->help) {
		t->help = false;
		return;
	}
	if (v->ops->input != NULL && v->ops->input(t, v, ch, fkey))
		return;
	if (!fkey && ch == '?') {
		t->help = true;
		return;
	}
	if (!fkey && (ch == 'q' || ch == 27)) {
		tui_pop(t);
		return;
	}
	for (const struct tui_key *k = v->ops->keys; k->key != 0; k++)
		if (k->key == ch && (fkey == (ch >= KEY_MIN))) {
			t->status[0] = '\0';
			t->status_err = false;
			k->fn(t, v);
			return;
		}
}

int
main(int argc, char **argv)
{
	const char *db_path = NULL, *config_path = NULL;
	struct aup_config *cfg;
	struct aup_err err = { 0 };
	struct tui t = { 0 };

	setlocale(LC_ALL, "");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("auptui %s\n", AUP_VERSION);
			return 0;
		} else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			db_path = argv[++i];
		} else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config_path = argv[++i];
		} else {
			fprintf(stderr, "auptui: unknown argument '%s'\n",
			    argv[i]);
			usage(stderr);
			return AUP_EX_USAGE;
		}
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("auptui: needs a terminal; aupctl is for scripts\n",
		    stderr);
		return AUP_EX_USAGE;
	}
	if ((cfg = aup_config_load(config_path, &err)) == NULL ||
	    (t.db = aup_db_open(cfg, db_path, 0, &err)) == NULL) {
		fprintf(stderr, "auptui: error: %s\n", err.msg);
		if (err.hint[0] != '\0')
			fprintf(stderr, "auptui: hint: %s\n", err.hint);
		aup_config_free(cfg);
		return err.code != 0 ? err.code : AUP_EX_SOFTWARE;
	}

	if (getenv("AUPTUI_TRACE") != NULL &&
	    (trace_file = fopen(getenv("AUPTUI_TRACE"), "ae")) == NULL) {
		fprintf(stderr, "auptui: cannot write %s\n",
		    getenv("AUPTUI_TRACE"));
		return AUP_EX_CANTCREAT;
	}
	atexit(restore);
	signal(SIGTERM, on_fatal);
	signal(SIGINT, on_fatal); /* raw mode: Ctrl-C is a key, kill -INT not */
	signal(SIGQUIT, on_fatal);
	signal(SIGHUP, on_fatal);
	signal(SIGABRT, on_fatal);
	signal(SIGSEGV, on_fatal);
	initscr();
	curses_on = 1;
	raw();
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (has_colors() && getenv("NO_COLOR") == NULL) {
		t.colour = true;
		start_color();
		use_default_colors();
		init_pair(TUI_C_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(TUI_C_SEL, COLOR_BLACK, COLOR_CYAN);
		init_pair(TUI_C_ERR, COLOR_RED, -1);
		init_pair(TUI_C_KEY, COLOR_BLACK, COLOR_WHITE);
		init_pair(TUI_C_GOOD, COLOR_GREEN, -1);
	}
	getmaxyx(stdscr, t.rows, t.cols);
	dashboard_open(&t);
	do {
		t.again = false;
		draw(&t);
	} while (t.again);
	while (!t.quit && t.depth > 0) {
		struct timespec t0;
		wint_t ch;
		int kind = get_wch(&ch);

		if (kind == ERR)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (kind != KEY_CODE_YES || ch != KEY_RESIZE)
			dispatch(&t, (int)ch, kind == KEY_CODE_YES);
		while (!t.quit && t.depth > 0) {
			t.again = false;
			draw(&t);
			if (!t.again)
				break;
		}
		trace_key(&t0);
	}
	while (t.depth > 0)
		tui_pop(&t);
	restore();
	aup_db_close(t.db);
	aup_config_free(cfg);
	if (trace_file != NULL)
		fclose(trace_file);
	return 0;
}
