/* aupctl year: where the school stands in the academic year, and the
 * rollover into the next, its plan on standard output and its summary on
 * standard error. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "aup/clock.h"
#include "aup/model.h"
#include "aup/year.h"
#include "cli.h"

static const char *const show_cols[] = { "academic_year", "started",
	"last_rollover", "last_rollover_at", "last_rollover_by",
	"rollover_due" };
static const enum cell_type show_types[] = { CELL_STR, CELL_TIME, CELL_STR,
	CELL_TIME, CELL_KEY, CELL_BOOL };
#define NSHOW (sizeof show_cols / sizeof show_cols[0])

static int
year_show(struct cli *c, struct cli_args *a)
{
	struct aup_year_info y;
	struct table *t;
	char start[16], at[32];
	const char *row[NSHOW];

	(void)a;
	if (cli_db(c) == NULL || aup_year_show(c->db, &y, &c->err) != 0)
		return cli_fail(c);
	aup_date_fmt(y.start, start, sizeof start);
	aup_time_fmt(y.last_at, at, sizeof at);
	row[0] = y.label;
	row[1] = start;
	row[2] = y.last_year != 0 ? y.last_label : NULL;
	row[3] = y.last_year != 0 ? at : NULL;
	row[4] = y.last_operator;
	row[5] = y.due ? "true" : "false";
	t = table_new(show_cols, show_types, NSHOW);
	table_row(t, row);
	table_print_record(c, t, stdout);
	table_free(t);
	aup_year_info_clear(&y);
	return 0;
}

enum {
	ROLL_DRY_RUN,
	ROLL_SLIPS,
};
static const struct cli_option rollover_opts[] = {
	[ROLL_DRY_RUN] = { .name = "dry-run",
	    .help = "show what would happen, and change nothing" },
	[ROLL_SLIPS] = { .name = "slips",
	    .arg = "FILE",
	    .help = "write new passwords to FILE (mode 0600): .csv for mail "
		    "merge, else a page of slips to print" },
	{ 0 },
};

static const char *const plan_cols[] = { "username", "name", "from_year",
	"from_class", "to_year", "to_class", "action" };
static const enum cell_type plan_types[] = { CELL_KEY, CELL_TEXT, CELL_STR,
	CELL_STR, CELL_STR, CELL_STR, CELL_STR };
#define NPLAN (sizeof plan_cols / sizeof plan_cols[0])

static int
plan_item(void *arg, const struct aup_year_item *it)
{
	struct table *t = arg;
	const char *cells[NPLAN];

	cells[0] = it->username;
	cells[1] = it->name;
	cells[2] = aup_year_name(it->from_year);
	cells[3] = it->from_class;
	cells[4] = it->action == AUP_YEAR_LEAVE ? NULL :
						  aup_year_name(it->to_year);
	cells[5] = it->action == AUP_YEAR_LEAVE ? NULL : it->to_class;
	cells[6] = aup_year_action_name(it->action);
	table_stream_row(t, cells);
	return 0;
}

static int
year_rollover(struct cli *c, struct cli_args *a)
{
	struct aup_year_opts o = { 0 };
	struct aup_year_summary s;
	struct table *t;
	int rc;

	o.dry_run = a->val[ROLL_DRY_RUN] != NULL;
	o.slips = a->val[ROLL_SLIPS];
	if (o.slips != NULL) {
		const char *dot = strrchr(o.slips, '.');

		o.slip_format = dot != NULL && strcasecmp(dot, ".csv") == 0 ?
		    AUP_SLIP_CSV :
		    AUP_SLIP_TEXT;
	}
	if (cli_db(c) == NULL)
		return cli_fail(c);
	t = table_new(plan_cols, plan_types, NPLAN);
	table_stream(c, t, stdout);
	rc = aup_year_rollover(c->db, &o, plan_item, t, &s, &c->err);
	table_end(t);
	table_free(t);
	if (rc != 0)
		return cli_fail(c);
	cli_note(c,
	    "rollover into %s: %zu pupils: %zu move up, %zu of them to "
	    "logins of their own, %zu leave\n",
	    s.label, s.pupils,
	    s.count[AUP_YEAR_PROMOTE] + s.count[AUP_YEAR_LOGIN],
	    s.count[AUP_YEAR_LOGIN], s.count[AUP_YEAR_LEAVE]);
	if (o.dry_run)
		cli_note(c, "dry run: nothing was changed\n");
	else if (s.passwords > 0)
		cli_note(c, "%zu new passwords are in %s\n", s.passwords,
		    o.slips);
	return 0;
}

static const struct cli_command year_show_entry = {
	.name = "show",
	.summary = "the academic year and the last rollover",
	.exec = year_show,
};

static const struct cli_command year_rollover_entry = {
	.name = "rollover",
	.summary = "move every pupil up a year group, once a year",
	.opts = rollover_opts,
	.exec = year_rollover,
};

static const struct cli_command *const year_cmds[] = {
	&year_show_entry,
	&year_rollover_entry,
	NULL,
};

const struct cli_command cmd_year_entry = {
	.name = "year",
	.summary = "the academic year and its rollover",
	.subs = year_cmds,
};
