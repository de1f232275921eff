/* aupctl import: the roll from the MIS, as a plan on standard output (and
 * in --report), problems and the summary on standard error. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aup/import.h"
#include "aup/util.h"
#include "cli.h"

enum {
	IMP_DRY_RUN,
	IMP_FULL_ROLL,
	IMP_RETIRE_MISSING,
	IMP_SKIP_INVALID,
	IMP_SLIPS,
	IMP_REPORT,
	IMP_MAP,
	IMP_ENCODING,
	IMP_JOBS,
};
static const struct cli_option import_opts[] = {
	[IMP_DRY_RUN] = { .name = "dry-run",
	    .help = "show what would happen, and change nothing" },
	[IMP_FULL_ROLL] = { .name = "full-roll",
	    .help = "the file is everyone: list who is missing from it" },
	[IMP_RETIRE_MISSING] = { .name = "retire-missing",
	    .help = "with --full-roll: mark those missing as leaving" },
	[IMP_SKIP_INVALID] = { .name = "skip-invalid",
	    .help = "import the valid rows and list the others" },
	[IMP_SLIPS] = { .name = "slips",
	    .arg = "FILE",
	    .help = "write new passwords to FILE (mode 0600): .csv for mail "
		    "merge, else a page of slips to print" },
	[IMP_REPORT] = { .name = "report",
	    .arg = "FILE",
	    .help = "write the plan to FILE as CSV (mode 0600)" },
	[IMP_MAP] = { .name = "map",
	    .arg = "NAME",
	    .help = "read the columns named in [import.NAME]" },
	[IMP_ENCODING] = { .name = "encoding",
	    .arg = "E",
	    .help = "the file's encoding: utf-8, utf-16, windows-1252 or "
		    "iso-8859-1 (default: detected)" },
	[IMP_JOBS] = { .name = "jobs",
	    .arg = "N",
	    .help = "hash passwords on N threads (default: one a core)" },
	{ 0 },
};

static const char *const plan_cols[] = { "line", "action", "username", "mis_id",
	"name", "class", "field", "old", "new", "reason" };
static const enum cell_type plan_types[] = { CELL_NUM, CELL_STR, CELL_KEY,
	CELL_KEY, CELL_TEXT, CELL_STR, CELL_STR, CELL_TEXT, CELL_TEXT,
	CELL_TEXT };
#define NPLAN (sizeof plan_cols / sizeof plan_cols[0])

struct import_out {
	struct cli *c;
	struct table *plan;   /* standard output: what changes */
	struct cli report_c;  /* a copy of C that writes CSV */
	struct table *report; /* --report: every row */
	FILE *report_f;
	const char *path;
	bool bar; /* a progress bar is on the terminal */
	time_t started;
};

static int
item(void *arg, const struct aup_import_item *it)
{
	struct import_out *o = arg;
	char line[24];
	const char *cells[NPLAN];

	snprintf(line, sizeof line, "%ld", it->line);
	cells[0] = it->line > 0 ? line : NULL;
	cells[1] = aup_import_action_name(it->action);
	cells[2] = it->username;
	cells[3] = it->mis_id;
	cells[4] = it->name;
	cells[5] = it->class_name;
	cells[6] = it->field;
	cells[7] = it->old;
	cells[8] = it->now;
	cells[9] = it->reason;
	if (it->action == AUP_ROW_INVALID && it->column > 0)
		fprintf(stderr, "%s:%ld:%ld: %s\n", o->path, it->line,
		    it->column, it->reason);
	else if (it->action == AUP_ROW_INVALID)
		fprintf(stderr, "%s:%ld: %s\n", o->path, it->line, it->reason);
	else if (it->action != AUP_ROW_UNCHANGED)
		table_stream_row(o->plan, cells);
	if (o->report != NULL)
		table_stream_row(o->report, cells);
	return 0;
}

static void
progress(void *arg, size_t done, size_t total)
{
	struct import_out *o = arg;
	double secs = difftime(time(NULL), o->started);
	double rate = secs > 0 ? (double)done / secs : 0;
	long left = rate > 0 ? (long)((double)(total - done) / rate) : 0;
	int width = 30, fill = total ? (int)(width * done / total) : width;

	if (!o->bar)
		return;
	fprintf(stderr,
	    "\rpasswords [%.*s%*s] %zu/%zu  %.0f/s  %ld:%02ld left ", fill,
	    "##############################", width - fill, "", done, total,
	    rate, left / 60, left % 60);
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* The report goes to a file of its own beside FILE, renamed over FILE
 * once whole, so that a report is never half-written. */
static int
report_open(struct cli *c, struct import_out *o, const char *file, char **tmp)
{
	int fd;

	*tmp = xasprintf("%s.XXXXXX", file);
	if ((fd = mkstemp(*tmp)) < 0 || fchmod(fd, 0600) != 0 ||
	    (o->report_f = fdopen(fd, "w")) == NULL) {
		aup_err_set(&c->err, AUP_EX_CANTCREAT, "cannot create %s: %s",
		    file, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(*tmp);
		}
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	o->report_c = *c;
	o->report_c.format = FMT_CSV;
	o->report_c.no_header = false;
	o->report = table_new(plan_cols, plan_types, NPLAN);
	table_stream(&o->report_c, o->report, o->report_f);
	return 0;
}

static int
report_close(struct cli *c, struct import_out *o, const char *file, char *tmp,
    bool keep)
{
	int rc = 0;

	if (o->report == NULL)
		return 0;
	table_end(o->report);
	table_free(o->report);
	o->report = NULL;
	if (keep &&
	    (fflush(o->report_f) != 0 || fsync(fileno(o->report_f)) != 0 ||
		rename(tmp, file) != 0)) {
		aup_err_set(&c->err, AUP_EX_IOERR, "cannot write %s: %s", file,
		    strerror(errno));
		rc = -1;
	}
	fclose(o->report_f);
	if (!keep || rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

static void
summary(struct cli *c, const struct aup_import_opts *io,
    const struct aup_import_summary *s)
{
	const char *delim = s->delimiter == '\t' ? "tab" :
	    s->delimiter == ';'			 ? "semicolon" :
						   "comma";

	cli_note(c,
	    "%s (%s, %s-separated): %zu rows: %zu new, %zu class logons, "
	    "%zu updated, %zu unchanged, %zu probable duplicates, %zu "
	    "probable leavers, %zu invalid\n",
	    io->path, s->encoding, delim, s->rows, s->count[AUP_ROW_NEW],
	    s->count[AUP_ROW_CLASS_LOGON], s->count[AUP_ROW_UPDATE],
	    s->count[AUP_ROW_UNCHANGED], s->count[AUP_ROW_DUPLICATE],
	    s->count[AUP_ROW_LEAVER], s->count[AUP_ROW_INVALID]);
	if (s->count[AUP_ROW_RETURN] > 0)
		cli_note(c,
		    "%zu back after leaving: active again, their usernames "
		    "and history kept\n",
		    s->count[AUP_ROW_RETURN]);
	if (s->nignored > 0) {
		char list[512] = "";

		for (size_t i = 0; i < s->nignored; i++) {
			size_t n = strlen(list);
			snprintf(list + n, sizeof list - n, "%s%s",
			    i ? ", " : "", s->ignored[i]);
		}
		cli_note(c, "columns not read: %s\n", list);
	}
	if (s->count[AUP_ROW_DUPLICATE] > 0)
		cli_note(c,
		    "hint: a probable duplicate was not added; if it is the "
		    "same person, give them the new MIS id with 'aupctl user "
		    "edit USER --mis-id ID' and import again\n");
	if (io->dry_run)
		cli_note(c, "dry run: nothing was changed\n");
	else if (s->committed && s->passwords > 0)
		cli_note(c, "%zu new passwords are in %s\n", s->passwords,
		    io->slips);
	else if (s->committed && s->count[AUP_ROW_UNCHANGED] == s->rows &&
	    s->count[AUP_ROW_LEAVER] == 0)
		cli_note(c,
		    "nothing to change: the people here match the file\n");
}

static int
import_run(struct cli *c, struct cli_args *a, enum aup_role role)
{
	struct aup_import_opts io = { .role = role };
	struct aup_import_summary s;
	struct import_out o = { .c = c };
	char *tmp = NULL;
	long jobs = 0;
	int rc;

	io.path = a->argv[0];
	io.dry_run = a->val[IMP_DRY_RUN] != NULL;
	io.full_roll = a->val[IMP_FULL_ROLL] != NULL;
	io.retire_missing = a->val[IMP_RETIRE_MISSING] != NULL;
	io.skip_invalid = a->val[IMP_SKIP_INVALID] != NULL;
	io.slips = a->val[IMP_SLIPS];
	io.map = a->val[IMP_MAP];
	if (io.retire_missing && !io.full_roll)
		return cli_usage(c, "--retire-missing needs --full-roll");
	if (io.slips != NULL) {
		const char *dot = strrchr(io.slips, '.');

		io.slip_format = dot != NULL && strcasecmp(dot, ".csv") == 0 ?
		    AUP_SLIP_CSV :
		    AUP_SLIP_TEXT;
	}
	if (a->val[IMP_ENCODING] != NULL &&
	    (int)(io.encoding = aup_encoding_parse(a->val[IMP_ENCODING])) < 0)
		return cli_usage(c, "unknown encoding '%s': use one of %s",
		    a->val[IMP_ENCODING], aup_encoding_list());
	if (a->val[IMP_JOBS] != NULL &&
	    aup_parse_long(a->val[IMP_JOBS], 1, 256, &jobs) != 0)
		return cli_usage(c, "--jobs takes a number from 1 to 256");
	io.jobs = (int)jobs;
	o.path = io.path;
	o.bar = !c->quiet && isatty(STDERR_FILENO);
	o.started = time(NULL);
	io.progress = progress;
	io.progress_arg = &o;
	if (cli_db(c) == NULL)
		return cli_fail(c);
	if (a->val[IMP_REPORT] != NULL &&
	    report_open(c, &o, a->val[IMP_REPORT], &tmp) != 0)
		return cli_fail(c);
	o.plan = table_new(plan_cols, plan_types, NPLAN);
	table_stream(c, o.plan, stdout);
	rc = aup_import_run(c->db, &io, item, &o, &s, &c->err);
	table_end(o.plan);
	table_free(o.plan);
	/* The report says what was planned, even of a run that stopped. */
	if (report_close(c, &o, a->val[IMP_REPORT], tmp,
		rc == 0 || s.count[AUP_ROW_INVALID] > 0) != 0 &&
	    rc == 0)
		rc = -1;
	if (rc == 0 || s.rows > 0)
		summary(c, &io, &s);
	aup_import_summary_clear(&s);
	return rc == 0 ? 0 : cli_fail(c);
}

static int
import_pupils(struct cli *c, struct cli_args *a)
{
	return import_run(c, a, AUP_ROLE_PUPIL);
}

static int
import_staff(struct cli *c, struct cli_args *a)
{
	return import_run(c, a, AUP_ROLE_STAFF);
}

static const struct cli_command import_pupils_entry = {
	.name = "pupils",
	.summary = "bring in the pupils of an MIS export",
	.args = "FILE",
	.opts = import_opts,
	.min_args = 1,
	.max_args = 1,
	.exec = import_pupils,
};

static const struct cli_command import_staff_entry = {
	.name = "staff",
	.summary = "bring in the staff of an MIS export",
	.args = "FILE",
	.opts = import_opts,
	.min_args = 1,
	.max_args = 1,
	.exec = import_staff,
};

static const struct cli_command *const import_cmds[] = {
	&import_pupils_entry,
	&import_staff_entry,
	NULL,
};

const struct cli_command cmd_import_entry = {
	.name = "import",
	.summary = "bring in the roll from the school's MIS (CSV)",
	.subs = import_cmds,
};
