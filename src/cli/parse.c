/* aupctl's argument parser, driven by the command table: long options
 * exact (never abbreviated), global options anywhere, required and
 * exclusive options checked, "did you mean" for what is nearly right. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/util.h"
#include "cli.h"

/* Indexed by the G_ enum in cli.h. */
const struct cli_option cli_global_opts[] = {
	[G_DB] = { .name = "db",
	    .arg = "PATH",
	    .help = "the database file (default: $AUPCTL_DB, [database] path, "
		    "~/.local/share/aupctl/aupctl.db)" },
	[G_CONFIG] = { .name = "config",
	    .arg = "PATH",
	    .help = "the configuration file (default: $AUPCTL_CONFIG, "
		    "/etc/aupctl/aupctl.ini)" },
	[G_FORMAT] = { .name = "format",
	    .arg = "table|csv|tsv|json",
	    .help = "output as a table (default), csv, tsv or json" },
	[G_WIDE] = { .name = "wide",
	    .help = "never cut a table to fit the terminal" },
	[G_NO_HEADER] = { .name = "no-header",
	    .help = "leave out the header row (csv, tsv, table)" },
	[G_QUIET] = { .name = "quiet",
	    .short_name = 'q',
	    .help = "say nothing but errors and requested data" },
	[G_HELP] = { .name = "help", .short_name = 'h', .help = "show help" },
	[G_VERSION] = { .name = "version", .help = "show the version" },
	{ 0 },
};

/* Names longer than this are never suggested. */
#define NAME_MAX_LEN 32

/*
 * Damerau-Levenshtein distance (optimal string alignment: insert, delete,
 * change or swap two neighbours) between the LEN bytes of A and B.
 */
static size_t
distance(const char *a, size_t n, const char *b)
{
	size_t d[NAME_MAX_LEN + 1][NAME_MAX_LEN + 1], m = strlen(b);

	if (n > NAME_MAX_LEN || m > NAME_MAX_LEN)
		return (size_t)-1;
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[n][m];
}

bool
cli_suggest(struct cli *c, const char *word, size_t len,
    const char *const *names, size_t n, bool opt)
{
	const char *q = opt ? "" : "'", *dash = opt ? "--" : "";
	size_t best = 3, hits = 0, l;
	bool near[64] = { false };

	/* A near miss is at most two edits away, and fewer than the word is
	 * long ("x" is no slip for "db"); failing that, the word may be the
	 * start of just one name ("pass" for "password"). */
	if (n > sizeof near)
		n = sizeof near;
	for (size_t i = 0; i < n; i++) {
		size_t d = distance(word, len, names[i]);

		if (d < best && d < len)
			best = d;
	}
	for (size_t i = 0; i < n; i++) {
		near[i] = best <= 2 ?
		    distance(word, len, names[i]) == best :
		    len > 0 && strncmp(names[i], word, len) == 0;
		hits += near[i];
	}
	if (hits == 0 || (best > 2 && hits > 1))
		return false;
	l = aup_strlcpy(c->err.hint, "did you mean", sizeof c->err.hint);
	for (size_t i = 0, k = 0; i < n && l < sizeof c->err.hint; i++) {
		if (!near[i])
			continue;
		snprintf(c->err.hint + l, sizeof c->err.hint - l, "%s %s%s%s%s",
		    k++ > 0 ? " or" : "", q, dash, names[i], q);
		l = strlen(c->err.hint);
	}
	if (l + 1 < sizeof c->err.hint)
		aup_strlcpy(c->err.hint + l, "?", sizeof c->err.hint - l);
	return true;
}

static const struct cli_option *
find_long(const struct cli_option *o, const char *name, size_t len)
{
	for (; o != NULL && o->name != NULL; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

static const struct cli_option *
find_short(const struct cli_option *o, int ch)
{
	for (; o != NULL && o->name != NULL; o++)
		if (o->short_name != 0 && o->short_name == ch)
			return o;
	return NULL;
}

static int
parse_format(const char *s)
{
	static const char *const names[] = { "table", "csv", "tsv", "json" };

	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* Option O was given, with value V: one of the command's, or with GLOBAL
 * one of cli_global_opts. */
static int
take(struct cli *c, struct cli_parse *p, const struct cli_option *o,
    bool global, const char *v)
{
	int f;

	if (!global) {
		p->val[o - p->opts] = v != NULL ? v : "1";
		return 0;
	}
	switch (o - cli_global_opts) {
	case G_DB: c->db_path = v; break;
	case G_CONFIG: c->config_path = v; break;
	case G_FORMAT:
		if ((f = parse_format(v)) < 0) {
			aup_strlcpy(c->err.hint, "use table, csv, tsv or json",
			    sizeof c->err.hint);
			return cli_usage(c, "unknown format '%s'", v);
		}
		c->format = (enum cli_format)f;
		break;
	case G_WIDE: c->wide = true; break;
	case G_NO_HEADER: c->no_header = true; break;
	case G_QUIET: c->quiet = true; break;
	case G_HELP: p->help = true; break;
	case G_VERSION: p->version = true; break;
	}
	return 0;
}

/*
 * An unknown --NAME (LEN bytes: what follows '=' is never echoed, so that
 * a mistyped --password=... does not land in a terminal's scrollback).
 */
static int
unknown_long(struct cli *c, const struct cli_parse *p, const char *name,
    size_t len)
{
	const char *names[64];
	const struct cli_option *tabs[] = { p->opts, cli_global_opts };
	size_t n = 0;
	bool prefix = false;

	for (size_t t = 0; t < 2; t++)
		for (const struct cli_option *o = tabs[t]; o && o->name; o++) {
			if (n < sizeof names / sizeof names[0])
				names[n++] = o->name;
			prefix |= len > 0 && strncmp(o->name, name, len) == 0;
		}
	cli_suggest(c, name, len, names, n, true);
	return cli_usage(c, "unknown option --%.*s%s%s%s%s", (int)len, name,
	    p->path ? " for 'aupctl " : "", p->path ? p->path : "",
	    p->path ? "'" : "",
	    prefix ? " (options are never abbreviated)" : "");
}

/* A long option at ARGV[*I]; its value may be the next argument. */
static int
long_opt(struct cli *c, struct cli_parse *p, int argc, char **argv, int *i)
{
	const char *name = argv[*i] + 2, *eq = strchr(name, '=');
	size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
	const struct cli_option *o = find_long(p->opts, name, len);
	bool global = o == NULL;

	if (global && (o = find_long(cli_global_opts, name, len)) == NULL)
		return unknown_long(c, p, name, len);
	if (o->arg == NULL && eq != NULL)
		return cli_usage(c, "option --%s takes no value", o->name);
	if (o->arg == NULL)
		return take(c, p, o, global, NULL);
	if (eq != NULL)
		return take(c, p, o, global, eq + 1);
	if (*i + 1 >= argc)
		return cli_usage(c, "option --%s needs a value", o->name);
	return take(c, p, o, global, argv[++*i]);
}

/* A cluster of short options at ARGV[*I] ("-q", "-qx VALUE", "-xVALUE"). */
static int
short_opts(struct cli *c, struct cli_parse *p, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	int rc;

	for (size_t j = 1; arg[j] != '\0'; j++) {
		const struct cli_option *o = find_short(p->opts, arg[j]);
		bool global = o == NULL;

		if (global && (o = find_short(cli_global_opts, arg[j])) == NULL)
			return cli_usage(c, "unknown option -%c%s%s%s", arg[j],
			    p->path ? " for 'aupctl " : "",
			    p->path ? p->path : "", p->path ? "'" : "");
		if (o->arg == NULL) {
			if ((rc = take(c, p, o, global, NULL)) != 0)
				return rc;
			continue;
		}
		if (arg[j + 1] != '\0')
			return take(c, p, o, global, arg + j + 1);
		if (*i + 1 >= argc)
			return cli_usage(c, "option -%c needs a value", arg[j]);
		return take(c, p, o, global, argv[++*i]);
	}
	return 0;
}

int
cli_parse_argv(struct cli *c, struct cli_parse *p, int argc, char **argv,
    bool stop)
{
	int i, rc;

	p->nargs = 0;
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "--") == 0) {
			if (stop) {
				i++;
				break;
			}
			while (++i < argc)
				p->args[p->nargs++] = argv[i];
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0') {
			if (stop)
				break;
			p->args[p->nargs++] = argv[i];
			continue;
		}
		rc = arg[1] == '-' ? long_opt(c, p, argc, argv, &i) :
				     short_opts(c, p, argc, argv, &i);
		if (rc != 0)
			return rc;
	}
	p->next = i;
	return 0;
}

/* "--a", "--a and --b", "--a, --b and --c": the options in MASK. */
static void
join_opts(char *buf, size_t size, const struct cli_option *opts,
    const bool *mask, size_t n)
{
	size_t total = 0, done = 0;

	for (size_t i = 0; i < n; i++)
		total += mask[i];
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(buf);

		if (!mask[i])
			continue;
		snprintf(buf + l, size - l, "%s--%s",
		    done == 0		  ? "" :
			done + 1 == total ? " and " :
					    ", ",
		    opts[i].name);
		done++;
	}
}

int
cli_check_args(struct cli *c, const char *path, const struct cli_command *cmd,
    const struct cli_args *a)
{
	const struct cli_option *o = cmd->opts;
	bool need[64] = { false }, lack[64] = { false }, missing = false;
	char list[256], gone[256];
	size_t n = 0, l;

	/* Each refusal below is answered with the command's usage line. */
	l = aup_strlcpy(c->err.hint, "usage: ", sizeof c->err.hint);
	cli_usage_line(c->err.hint + l, sizeof c->err.hint - l, path, cmd);
	if (a->argc < cmd->min_args || a->argc > cmd->max_args)
		return cli_usage(c,
		    a->argc < cmd->min_args ? "'aupctl %s' "
					      "needs more arguments" :
					      "'aupctl %s' was given too many "
					      "arguments",
		    path);
	while (o != NULL && o[n].name != NULL && n < sizeof need)
		n++;
	for (size_t i = 0; i < n; i++) {
		need[i] = o[i].required;
		lack[i] = o[i].required && a->val[i] == NULL;
		missing |= lack[i];
	}
	if (missing) {
		join_opts(list, sizeof list, o, need, n);
		join_opts(gone, sizeof gone, o, lack, n);
		return cli_usage(c, "%s needs %s (missing: %s)", path, list,
		    gone);
	}
	for (size_t i = 0; i < n; i++) {
		size_t given = 0;

		for (size_t j = 0; j < n && o[i].excl != 0; j++) {
			need[j] = o[j].excl == o[i].excl;
			given += need[j] && a->val[j] != NULL;
		}
		if (given > 1) {
			join_opts(list, sizeof list, o, need, n);
			return cli_usage(c, "choose one of %s", list);
		}
	}
	c->err.hint[0] = '\0';
	return 0;
}
