/* aupctl purge: the personal data of leavers and visitors past [retention]
 * removed, the people it removed listed once the whole purge has held
 * (standard output), with its sums (standard error). */
#include <inttypes.h>
#include <stdio.h>

#include "aup/clock.h"
#include "aup/purge.h"
#include "cli.h"

enum { PURGE_DRY_RUN };
static const struct cli_option purge_opts[] = {
	[PURGE_DRY_RUN] = { .name = "dry-run",
	    .help = "show whom a purge would remove, and change nothing" },
	{ 0 },
};

static const char *const purge_cols[] = { "id", "username", "first", "last",
	"role", "status", "since", "signatures_kept", "log_values_erased" };
static const enum cell_type purge_types[] = { CELL_NUM, CELL_KEY, CELL_TEXT,
	CELL_TEXT, CELL_STR, CELL_STR, CELL_TIME, CELL_NUM, CELL_NUM };
#define NPURGE (sizeof purge_cols / sizeof purge_cols[0])

static int
purge_row(void *arg, const struct aup_purge_item *it)
{
	char id[24], since[16], sig[24], vals[24];
	const char *row[NPURGE] = { id, it->username, it->first, it->last,
		aup_role_name(it->role), aup_status_name(it->status), since,
		sig, vals };

	snprintf(id, sizeof id, "%" PRId64, it->id);
	aup_date_fmt(it->since, since, sizeof since);
	snprintf(sig, sizeof sig, "%" PRId64, it->signatures);
	snprintf(vals, sizeof vals, "%" PRId64, it->log_values);
	table_row(arg, row);
	return 0;
}

static int
cmd_purge(struct cli *c, struct cli_args *a)
{
	bool dry = a->val[PURGE_DRY_RUN] != NULL;
	struct aup_purge_result res;
	struct table *t;
	int rc;

	if (cli_db(c) == NULL)
		return cli_fail(c);
	/* Held until the end: a purge that fails removes no one, so it
	 * lists no one. */
	t = table_new(purge_cols, purge_types, NPURGE);
	rc = aup_purge(c->db, dry, purge_row, t, &res, &c->err);
	if (rc == 0 && res.people > 0)
		table_print(c, t, stdout);
	table_free(t);
	if (rc != 0)
		return cli_fail(c);
	if (res.people == 0)
		cli_note(c, "no one is past retention: nothing to purge\n");
	else
		cli_note(c,
		    "%s %" PRId64 " %s: %" PRId64 " signatures kept "
		    "under pseudonyms, %" PRId64 " personal values erased "
		    "from the log, usernames retired\n",
		    dry ? "would purge" : "purged", res.people,
		    res.people == 1 ? "person" : "people", res.signatures,
		    res.log_values);
	if (dry)
		cli_note(c, "dry run: nothing was changed\n");
	return 0;
}

const struct cli_command cmd_purge_entry = {
	.name = "purge",
	.summary = "remove personal data past [retention]",
	.opts = purge_opts,
	.exec = cmd_purge,
};
