/* What every aupctl command shares: the database opened on first use,
 * value parsing with clear usage errors, password input and the hand-over
 * of a new one. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "aup/clock.h"
#include "aup/model.h"
#include "aup/password.h"
#include "aup/slip.h"
#include "aup/user.h"
#include "aup/util.h"
#include "cli.h"

static struct aup_db *
open_db(struct cli *c, int flags)
{
	if (c->db != NULL)
		return c->db;
	if (c->cfg == NULL &&
	    (c->cfg = aup_config_load(c->config_path, &c->err)) == NULL)
		return NULL;
	c->db = aup_db_open(c->cfg, c->db_path, flags, &c->err);
	return c->db;
}

struct aup_db *
cli_db(struct cli *c)
{
	return open_db(c, 0);
}

struct aup_db *
cli_db_create(struct cli *c)
{
	return open_db(c, AUP_DB_CREATE);
}

int
cli_parse_role(struct cli *c, const char *s, int *out)
{
	if ((*out = aup_role_parse(s)) < 0) {
		snprintf(c->err.hint, sizeof c->err.hint, "roles are %s",
		    aup_role_list());
		return cli_usage(c, "unknown role '%s'", s);
	}
	return 0;
}

int
cli_parse_year(struct cli *c, const char *s, int *out)
{
	if ((*out = aup_year_parse(s)) == AUP_YEAR_NONE) {
		aup_strlcpy(c->err.hint,
		    "year groups are N (nursery), R (reception) and 1 to 13",
		    sizeof c->err.hint);
		return cli_usage(c, "'%s' is not a year group", s);
	}
	return 0;
}

int
cli_parse_ks(struct cli *c, const char *s, int *out)
{
	if ((*out = aup_ks_parse(s)) < 0) {
		aup_strlcpy(c->err.hint,
		    "key stages are EYFS, KS1, KS2, KS3, KS4 and KS5",
		    sizeof c->err.hint);
		return cli_usage(c, "unknown key stage '%s'", s);
	}
	return 0;
}

int
cli_parse_academic_year(struct cli *c, const char *s, int *out)
{
	if (aup_academic_year_parse(s, out) != 0) {
		aup_strlcpy(c->err.hint,
		    "write an academic year as 2026-27, 2026/27 or 2026",
		    sizeof c->err.hint);
		return cli_usage(c, "'%s' is not an academic year", s);
	}
	return 0;
}

int
cli_parse_date(struct cli *c, const char *opt, const char *s, time_t *out)
{
	if (aup_date_parse(s, out) != 0) {
		aup_strlcpy(c->err.hint,
		    "write dates as 2026-09-01 or "
		    "2026-09-01T15:30 (local time), or with Z or an offset: "
		    "2026-09-01T15:30Z, 2026-09-01T15:30+01:00",
		    sizeof c->err.hint);
		return cli_usage(c, "--%s '%s' is not a date", opt, s);
	}
	return 0;
}

/* A signal that arrived while a password was being typed. */
static volatile sig_atomic_t prompt_signal;

static void
on_prompt_signal(int sig)
{
	prompt_signal = sig;
}

/* Read one line of at most AUP_PW_MAX bytes from FD; a password ends at a
 * newline, a NUL (pam_exec) or the end of input. A signal caught by the
 * prompt ends it: the prompt's signals are blocked but while waiting for a
 * key (ppoll with the mask WAITING), so one cannot come between the check
 * and the wait and leave the wait blocked. WAITING NULL: no prompt, the
 * mask as it is. */
static int
read_line(int fd, char *buf, size_t size, const sigset_t *waiting)
{
	size_t n = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char ch;
		ssize_t r;

		if (prompt_signal != 0)
			break;
		if (ppoll(&p, 1, NULL, waiting) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || ch == '\n' || ch == '\0')
			break;
		if (n + 1 >= size)
			return -1;
		buf[n++] = ch;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return 0;
}

/*
 * Ask on the terminal FD with echo off. Ctrl-C (or any signal that ends the
 * program) puts the terminal back before the program ends, so it is never
 * left without echo; Ctrl-Z is ignored while a password is typed.
 */
static int
prompt(int fd, const char *what, char *buf, size_t size)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };
	enum { NSIGS = sizeof sigs / sizeof sigs[0] };
	struct sigaction sa = { .sa_handler = on_prompt_signal }, old_sa[NSIGS];
	struct termios old, quiet;
	sigset_t block, orig;
	int rc;

	if (tcgetattr(fd, &old) != 0)
		return -1;
	sigemptyset(&block);
	for (size_t i = 0; i < NSIGS; i++)
		sigaddset(&block, sigs[i]);
	sigprocmask(SIG_BLOCK, &block, &orig);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	sigemptyset(&sa.sa_mask);
	prompt_signal = 0;
	for (size_t i = 0; i < NSIGS; i++) {
		sigaction(sigs[i], NULL, &old_sa[i]);
		if (old_sa[i].sa_handler == SIG_IGN)
			continue; /* ignored by whoever started us */
		sa.sa_handler = sigs[i] == SIGTSTP ? SIG_IGN : on_prompt_signal;
		sigaction(sigs[i], &sa, NULL);
	}
	/*
	 * Echo off before the prompt shows: TCSAFLUSH drops what was typed
	 * before it, so whatever is typed once the prompt is visible is kept.
	 */
	rc = tcsetattr(fd, TCSAFLUSH, &quiet);
	if (rc == 0) {
		(void)!write(fd, what, strlen(what));
		rc = read_line(fd, buf, size, &orig);
		tcsetattr(fd, TCSADRAIN, &old);
	}
	for (size_t i = 0; i < NSIGS; i++)
		sigaction(sigs[i], &old_sa[i], NULL);
	sigprocmask(SIG_SETMASK, &orig, NULL);
	if (prompt_signal != 0) {
		explicit_bzero(buf, size);
		(void)!write(fd, "\n", 1);
		raise(prompt_signal);
		rc = -1;
	}
	return rc;
}

int
cli_read_password(struct cli *c, bool from_stdin, bool confirm, char **out)
{
	char *a = xcalloc(1, AUP_PW_MAX + 2), *b;
	int fd, rc;

	*out = NULL;
	if (from_stdin) {
		if (read_line(STDIN_FILENO, a, AUP_PW_MAX + 1, NULL) != 0) {
			aup_secret_free(a);
			aup_err_set(&c->err, AUP_EX_DATAERR,
			    "the password on "
			    "standard input is longer than %d bytes",
			    AUP_PW_MAX);
			return cli_fail(c);
		}
		*out = a;
		return 0;
	}
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || !isatty(fd)) {
		if (fd >= 0)
			close(fd);
		aup_secret_free(a);
		aup_strlcpy(c->err.hint,
		    "pipe it in with --password-stdin; a "
		    "password is never taken as an argument",
		    sizeof c->err.hint);
		return cli_usage(c, "no terminal to ask for the password on");
	}
	b = xcalloc(1, AUP_PW_MAX + 2);
	rc = prompt(fd, "New password: ", a, AUP_PW_MAX + 1);
	if (rc == 0 && confirm)
		rc = prompt(fd, "Again: ", b, AUP_PW_MAX + 1);
	close(fd);
	if (rc != 0) {
		aup_secret_free(a);
		aup_secret_free(b);
		aup_err_set(&c->err, AUP_EX_IOERR,
		    "could not read the password from the terminal");
		return cli_fail(c);
	}
	if (confirm && strcmp(a, b) != 0) {
		aup_secret_free(a);
		aup_secret_free(b);
		aup_err_set(&c->err, AUP_EX_DATAERR,
		    "the two passwords differ; nothing was changed");
		return cli_fail(c);
	}
	aup_secret_free(b);
	*out = a;
	return 0;
}

/*
 * A new password is made in a unit of work that the hand-over ends, so
 * that it is saved only once it has been handed over: begin the unit
 * (creating the slip file first, when there is one), make the password,
 * then hand it over, which writes and flushes it and only then commits.
 */
int
handover_begin(struct cli *c, struct handover *h, const char *slip)
{
	h->slips = NULL;
	h->path = slip;
	if (aup_tx_begin(c->db, &c->err) != 0)
		return cli_fail(c);
	if (slip != NULL &&
	    (h->slips = aup_slips_open(c->db, slip, AUP_SLIP_TEXT, &c->err)) ==
		NULL) {
		aup_tx_rollback(c->db);
		return cli_fail(c);
	}
	return 0;
}

void
handover_abort(struct cli *c, struct handover *h)
{
	if (h->slips != NULL)
		aup_slips_rollback(h->slips);
	else
		aup_tx_rollback(c->db);
	h->slips = NULL;
}

/* Flush standard output, or say why it could not be written. */
static int
stdout_flushed(struct cli *c)
{
	int e;

	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	e = errno != 0 ? errno : EIO;
	clearerr(stdout);
	return aup_err_set(&c->err, AUP_EX_IOERR,
	    "cannot write the new "
	    "password to standard output: %s; nothing was changed",
	    strerror(e));
}

/*
 * New credentials have one shape wherever they are made: username, name,
 * class, password, as a table, csv, tsv or json like any other output, so
 * that a script can collect them from every command alike. What is said
 * to the person at the keyboard goes to stderr. They are written and
 * flushed (the slip to disk) before the unit of work begun by
 * handover_begin commits; if they cannot be, it is rolled back.
 */
int
hand_over(struct cli *c, struct handover *h, const struct aup_user *u,
    const char *pw)
{
	static const char *const cols[] = {
		"username",
		"name",
		"class",
		"password",
	};
	static const enum cell_type types[] = {
		CELL_KEY,
		CELL_TEXT,
		CELL_STR,
		CELL_KEY,
	};
	struct table *t;
	const char *row[4];
	char name[256];

	if (h->slips != NULL) {
		struct aup_slips *s = h->slips;

		h->slips = NULL;
		if (aup_slips_add(s, u, pw, &c->err) != 0) {
			aup_slips_rollback(s);
			return cli_fail(c);
		}
		if (aup_slips_commit(s, &c->err) != 0)
			return cli_fail(c);
		cli_say(c, "login slip for %s written to %s\n", u->username,
		    h->path);
		return 0;
	}
	snprintf(name, sizeof name, "%s %s", u->first, u->last);
	row[0] = u->username;
	row[1] = name;
	row[2] = u->class_name;
	row[3] = pw;
	t = table_new(cols, types, 4);
	table_row(t, row);
	table_print(c, t, stdout);
	table_free(t);
	if (stdout_flushed(c) != 0) {
		aup_tx_rollback(c->db);
		return cli_fail(c);
	}
	if (aup_tx_commit(c->db, &c->err) != 0) {
		aup_err_hint(&c->err,
		    "the password shown was not saved; nothing was changed");
		return cli_fail(c);
	}
	cli_note(c, "(shown once: give it to %s now)\n", name);
	return 0;
}
