/* aupctl leaver: a leaver's exit checklist, opened, ticked, shown, listed
 * and finished. */
#include <inttypes.h>
#include <stdio.h>

#include "aup/clock.h"
#include "aup/leaver.h"
#include "cli.h"

enum { START_DATE, START_REASON };
static const struct cli_option start_opts[] = {
	[START_DATE] = { .name = "date",
	    .arg = "D",
	    .help = "the leaving day, access ending with it (default: today)" },
	[START_REASON] = { .name = "reason",
	    .arg = "TEXT",
	    .help = "why they leave" },
	{ 0 },
};

static int
leaver_start(struct cli *c, struct cli_args *a)
{
	const char *v = a->val[START_DATE];
	time_t on = 0;
	char day[16];

	if (v != NULL && cli_parse_date(c, "--date", v, &on) != 0)
		return AUP_EX_USAGE;
	if (cli_db(c) == NULL ||
	    aup_leaver_start(c->db, a->argv[0], on, a->val[START_REASON],
		&c->err) != 0)
		return cli_fail(c);
	aup_date_fmt(on != 0 ? on : aup_now(), day, sizeof day);
	cli_say(c,
	    "%s is leaving on %s: their checklist is open (aupctl leaver "
	    "show %s)\n",
	    a->argv[0], day, a->argv[0]);
	return 0;
}

enum { TICK_NOTE };
static const struct cli_option tick_opts[] = {
	[TICK_NOTE] = { .name = "note",
	    .arg = "TEXT",
	    .help = "what was done, for the record" },
	{ 0 },
};

static int
leaver_tick(struct cli *c, struct cli_args *a)
{
	int rc;

	if (cli_db(c) == NULL)
		return cli_fail(c);
	rc = aup_leaver_tick(c->db, a->argv[0], a->argv[1], a->val[TICK_NOTE],
	    &c->err);
	if (rc < 0)
		return cli_fail(c);
	cli_say(c,
	    rc == 1 ? "%s: '%s' was ticked already\n" : "%s: '%s' ticked\n",
	    a->argv[0], a->argv[1]);
	return 0;
}

static const char *const item_cols[] = { "item", "label", "done", "at", "by",
	"note" };
static const enum cell_type item_types[] = { CELL_KEY, CELL_TEXT, CELL_BOOL,
	CELL_TIME, CELL_KEY, CELL_TEXT };
#define NITEM (sizeof item_cols / sizeof item_cols[0])

/* L's items, as a table. */
static struct table *
items_table(const struct aup_leaver *l)
{
	struct table *t = table_new(item_cols, item_types, NITEM);

	for (size_t i = 0; i < l->nitems; i++) {
		const struct aup_leaver_item *it = &l->items[i];
		char at[32];
		const char *row[NITEM] = { it->id, it->label,
			it->done ? "true" : "false", at, it->by, it->note };

		aup_time_fmt(it->at, at, sizeof at);
		table_row(t, row);
	}
	return t;
}

int
cli_checklist_of(struct cli *c, int64_t user_id, size_t *n)
{
	struct aup_leaver l;
	struct table *t;
	int rc = aup_leaver_of(c->db, user_id, &l, &c->err);

	if (rc < 0)
		return -1;
	t = items_table(&l);
	*n = l.nitems;
	if (*n > 0 || c->format != FMT_TABLE)
		table_print(c, t, stdout);
	table_free(t);
	aup_leaver_clear(&l);
	return 0;
}

static int
leaver_show(struct cli *c, struct cli_args *a)
{
	struct aup_leaver l;
	struct table *t;
	char on[16], started[32], finished[32];

	if (cli_db(c) == NULL ||
	    aup_leaver_get(c->db, a->argv[0], &l, &c->err) != 0)
		return cli_fail(c);
	aup_date_fmt(l.leave_on, on, sizeof on);
	aup_time_fmt_local(l.started, started, sizeof started);
	aup_time_fmt_local(l.finished, finished, sizeof finished);
	if (c->format == FMT_TABLE)
		printf("%s %s (%s), %s, leaving on %s%s%s: %s\n"
		       "opened %s by %s%s%s%s%s\n\n",
		    l.first, l.last, l.username, aup_role_name(l.role), on,
		    l.reason != NULL ? ", " : "",
		    l.reason != NULL ? l.reason : "",
		    l.finished != 0 ? "finished" :
			l.open > 0  ? "open" :
				      "every item done",
		    started, l.started_by, l.finished != 0 ? "; finished " : "",
		    l.finished != 0 ? finished : "",
		    l.forced != NULL ? " with items open: " : "",
		    l.forced != NULL ? l.forced : "");
	t = items_table(&l);
	table_print(c, t, stdout);
	table_free(t);
	aup_leaver_clear(&l);
	return 0;
}

enum { LIST_PENDING };
static const struct cli_option list_opts[] = {
	[LIST_PENDING] = { .name = "pending",
	    .help = "only the checklists not finished" },
	{ 0 },
};

static const char *const list_cols[] = { "username", "first", "last", "role",
	"leave_on", "started", "finished", "open", "items" };
static const enum cell_type list_types[] = { CELL_KEY, CELL_TEXT, CELL_TEXT,
	CELL_STR, CELL_TIME, CELL_TIME, CELL_TIME, CELL_NUM, CELL_NUM };
#define NLIST (sizeof list_cols / sizeof list_cols[0])

static int
list_row(void *arg, const struct aup_leaver_row *r)
{
	char on[16], started[32], finished[32], open[24], total[24];
	const char *row[NLIST] = { r->username, r->first, r->last,
		aup_role_name(r->role), on, started, finished, open, total };

	aup_date_fmt(r->leave_on, on, sizeof on);
	aup_time_fmt(r->started, started, sizeof started);
	aup_time_fmt(r->finished, finished, sizeof finished);
	snprintf(open, sizeof open, "%" PRId64, r->open);
	snprintf(total, sizeof total, "%" PRId64, r->total);
	table_stream_row(arg, row);
	return 0;
}

static int
leaver_list(struct cli *c, struct cli_args *a)
{
	struct table *t;
	size_t n;
	int rc;

	if (cli_db(c) == NULL)
		return cli_fail(c);
	t = table_new(list_cols, list_types, NLIST);
	table_stream(c, t, stdout);
	rc = aup_leaver_list(c->db, a->val[LIST_PENDING] != NULL, list_row, t,
	    &c->err);
	n = table_end(t);
	table_free(t);
	if (rc != 0)
		return cli_fail(c);
	if (n == 0)
		cli_say(c, "no leaver checklists%s\n",
		    a->val[LIST_PENDING] != NULL ? " open" : "");
	return 0;
}

enum { FINISH_FORCE, FINISH_REASON };
static const struct cli_option finish_opts[] = {
	[FINISH_FORCE] = { .name = "force",
	    .help = "finish with items still open (needs --reason)" },
	[FINISH_REASON] = { .name = "reason",
	    .arg = "TEXT",
	    .help = "why items are left open" },
	{ 0 },
};

static int
leaver_finish(struct cli *c, struct cli_args *a)
{
	bool force = a->val[FINISH_FORCE] != NULL;

	if (force && a->val[FINISH_REASON] == NULL)
		return cli_usage(c, "--force needs --reason TEXT");
	if (!force && a->val[FINISH_REASON] != NULL)
		return cli_usage(c, "--reason goes with --force");
	if (cli_db(c) == NULL ||
	    aup_leaver_finish(c->db, a->argv[0], force, a->val[FINISH_REASON],
		&c->err) != 0)
		return cli_fail(c);
	cli_say(c,
	    "%s has left: their password can no longer be used, and their "
	    "checklist is finished\n",
	    a->argv[0]);
	return 0;
}

static const struct cli_command leaver_start_entry = {
	.name = "start",
	.summary = "open a leaver's checklist",
	.args = "USER",
	.opts = start_opts,
	.min_args = 1,
	.max_args = 1,
	.exec = leaver_start,
};

static const struct cli_command leaver_tick_entry = {
	.name = "tick",
	.summary = "tick an item of a leaver's checklist",
	.args = "USER ITEM",
	.opts = tick_opts,
	.min_args = 2,
	.max_args = 2,
	.exec = leaver_tick,
};

static const struct cli_command leaver_show_entry = {
	.name = "show",
	.summary = "a leaver's checklist",
	.args = "USER",
	.min_args = 1,
	.max_args = 1,
	.exec = leaver_show,
};

static const struct cli_command leaver_finish_entry = {
	.name = "finish",
	.summary = "finish a checklist: credentials reset, status left",
	.args = "USER",
	.opts = finish_opts,
	.min_args = 1,
	.max_args = 1,
	.exec = leaver_finish,
};

static const struct cli_command leaver_list_entry = {
	.name = "list",
	.summary = "the leavers' checklists",
	.opts = list_opts,
	.exec = leaver_list,
};

static const struct cli_command *const leaver_cmds[] = {
	&leaver_start_entry,
	&leaver_tick_entry,
	&leaver_show_entry,
	&leaver_finish_entry,
	&leaver_list_entry,
	NULL,
};

const struct cli_command cmd_leaver_entry = {
	.name = "leaver",
	.summary = "leavers' exit checklists",
	.subs = leaver_cmds,
};
