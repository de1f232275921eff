/* Everything aupctl says about its own commands, generated from the
 * command table: usage lines, --help, bash completion and the synopsis
 * that the tests hold the man page to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/model.h"
#include "aup/user.h"
#include "aup/util.h"
#include "cli.h"

/* Append to BUF as snprintf would, never past SIZE. */
static void
append(char *buf, size_t size, const char *s1, const char *s2, const char *s3)
{
	size_t l = strlen(buf);

	snprintf(buf + l, size - l, "%s%s%s", s1, s2, s3);
}

/* "--name ARG" (or "-q" for a flag with a short name). */
static void
opt_usage(char *buf, size_t size, const struct cli_option *o)
{
	char s[3] = { '-', (char)o->short_name, '\0' };

	if (o->short_name != 0 && o->arg == NULL)
		append(buf, size, s, "", "");
	else
		append(buf, size, "--", o->name, o->arg ? " " : "");
	if (o->arg != NULL)
		append(buf, size, o->arg, "", "");
}

/*
 * The options of a usage line: required ones bare, the others in
 * brackets, an exclusion group as one bracket of alternatives
 * ("[--password-stdin | --generate-password]").
 */
static void
opts_usage(char *buf, size_t size, const struct cli_option *opts)
{
	for (const struct cli_option *o = opts; o && o->name; o++) {
		bool seen = false;

		for (const struct cli_option *p = opts; p < o && o->excl; p++)
			seen |= p->excl == o->excl;
		if (seen)
			continue;
		append(buf, size, " ", o->required ? "" : "[", "");
		opt_usage(buf, size, o);
		for (const struct cli_option *p = o + 1; o->excl && p->name;
		     p++) {
			if (p->excl != o->excl)
				continue;
			append(buf, size, " | ", "", "");
			opt_usage(buf, size, p);
		}
		if (!o->required)
			append(buf, size, "]", "", "");
	}
}

void
cli_usage_line(char *buf, size_t size, const char *path,
    const struct cli_command *cmd)
{
	snprintf(buf, size, "aupctl %s", path);
	if (cmd->subs != NULL)
		append(buf, size, " SUBCOMMAND [OPTIONS]", "", "");
	else if (cmd->args != NULL)
		append(buf, size, " ", cmd->args, "");
	opts_usage(buf, size, cmd->opts);
}

static void
print_opts(FILE *out, const struct cli_option *o)
{
	for (; o != NULL && o->name != NULL; o++) {
		char lhs[64] = "";

		if (o->short_name != 0)
			snprintf(lhs, sizeof lhs, "-%c, ", o->short_name);
		append(lhs, sizeof lhs, "--", o->name, o->arg ? " " : "");
		append(lhs, sizeof lhs, o->arg ? o->arg : "", "", "");
		/* An option wider than its column has its help below. */
		fprintf(out, "  %-28s%s%s%s\n", lhs,
		    strlen(lhs) > 28 ? "\n                               " :
				       " ",
		    o->help, o->required ? " (required)" : "");
	}
}

/* Each command's path ("user add") and entry, in table order. */
static void
walk(void (*fn)(const char *, const struct cli_command *, void *), void *arg)
{
	for (const struct cli_command *const *k = cli_commands; *k; k++) {
		if ((*k)->hidden)
			continue;
		if ((*k)->subs == NULL) {
			fn((*k)->name, *k, arg);
			continue;
		}
		for (const struct cli_command *const *s = (*k)->subs; *s; s++) {
			char path[64];

			snprintf(path, sizeof path, "%s %s", (*k)->name,
			    (*s)->name);
			fn(path, *s, arg);
		}
	}
}

static void
list_one(const char *path, const struct cli_command *cmd, void *out)
{
	fprintf(out, "  %-22s %s\n", path, cmd->summary);
}

void
cli_help(FILE *out, const char *path, const struct cli_command *cmd)
{
	char usage[1024];

	if (cmd == NULL) {
		snprintf(usage, sizeof usage, "usage: aupctl");
		opts_usage(usage, sizeof usage, cli_global_opts);
		fprintf(out,
		    "%s COMMAND [ARGS]\n\nThe account office of a "
		    "school: people, passwords, the audit log.\n\nCommands:\n",
		    usage);
		walk(list_one, out);
		fprintf(out,
		    "\nGlobal options, before or after the command:\n");
		print_opts(out, cli_global_opts);
		fprintf(out,
		    "\nRun 'aupctl COMMAND --help' for a command's "
		    "options; see aupctl(1).\n");
		return;
	}
	cli_usage_line(usage, sizeof usage, path, cmd);
	fprintf(out, "usage: %s\n\n%s\n", usage, cmd->summary);
	if (cmd->subs != NULL) {
		fprintf(out, "\nSubcommands:\n");
		for (const struct cli_command *const *s = cmd->subs; *s; s++)
			fprintf(out, "  %-12s %s\n", (*s)->name, (*s)->summary);
		return;
	}
	fprintf(out, "\nOptions:\n");
	print_opts(out, cmd->opts);
	fprintf(out,
	    "  %-28s %s\n\nThe global options (--db, --config, "
	    "--format, -q) go before or after\nthe command; see 'aupctl "
	    "--help'.\n",
	    "-h, --help", "show this help");
}

/*
 * Bash completion. What an option's value or a positional argument
 * completes to follows from its metavariable, which means one kind of
 * value wherever it appears (so a new kind needs a new name):
 */
static const struct {
	const char *metavar;
	const char *action; /* shell code, NULL: from the core */
} value_kinds[] = {
	{ "PATH", "kind=file" }, { "FILE", "kind=file" },
	{ "USER", "kind=user" }, { "COMMAND", "kind=command" },
	{ "SUBCOMMAND", "kind=sub" }, { "R", NULL }, /* a role */
	{ "KS", NULL },				     /* a key stage */
	{ "S", NULL },				     /* a status */
	{ "Y", NULL },				     /* a year group */
};

/* The names a core enumeration gives, as a word list. */
static void
core_words(FILE *out, const char *metavar)
{
	if (strcmp(metavar, "R") == 0)
		for (int i = 0; i < AUP_ROLE_COUNT; i++)
			fprintf(out, "%s ", aup_role_name((enum aup_role)i));
	else if (strcmp(metavar, "KS") == 0)
		for (int i = 0; i < AUP_KS_COUNT; i++)
			fprintf(out, "%s ", aup_ks_name((enum aup_ks)i));
	else if (strcmp(metavar, "S") == 0)
		for (int i = 0; i < AUP_STATUS_COUNT; i++)
			fprintf(out, "%s ",
			    aup_status_name((enum aup_status)i));
	else if (strcmp(metavar, "Y") == 0)
		for (int y = AUP_YEAR_N; y <= AUP_YEAR_MAX; y++)
			fprintf(out, "%s ", aup_year_name(y));
}

/* The shell code that completes a value named METAVAR (LEN bytes):
 * alternatives ("squid|pam"), a literal word ("bash"), a kind above, or
 * nothing (free text: a name, a reason, a date). */
static void
value_action(FILE *out, const char *metavar, size_t len)
{
	char m[32];

	snprintf(m, sizeof m, "%.*s", (int)len, metavar);
	for (size_t i = 0; i < sizeof value_kinds / sizeof value_kinds[0];
	     i++) {
		if (strcmp(m, value_kinds[i].metavar) != 0)
			continue;
		if (value_kinds[i].action != NULL) {
			fputs(value_kinds[i].action, out);
			return;
		}
		fputs("words=\"", out);
		core_words(out, m);
		fputs("\"", out);
		return;
	}
	if (strchr(m, '|') != NULL ||
	    strspn(m, "abcdefghijklmnopqrstuvwxyz") == strlen(m)) {
		fputs("words=\"", out);
		for (const char *p = m; *p != '\0'; p++)
			fputc(*p == '|' ? ' ' : *p, out);
		fputs("\"", out);
		return;
	}
	fputs("kind=none", out);
}

static void
words(FILE *out, const struct cli_option *o)
{
	for (; o != NULL && o->name != NULL; o++)
		fprintf(out, "--%s ", o->name);
}

/* A value option's "PATH --name" case, PATH "*" for a global one. */
static void
complete_values(FILE *out, const char *path, const struct cli_option *o)
{
	for (; o != NULL && o->name != NULL; o++) {
		if (o->arg == NULL)
			continue;
		if (strcmp(path, "*") == 0)
			fprintf(out, "    *\" --%s\") ", o->name);
		else
			fprintf(out, "    \"%s --%s\") ", path, o->name);
		value_action(out, o->arg, strlen(o->arg));
		fputs(";;\n", out);
	}
}

static void
complete_values_one(const char *path, const struct cli_command *cmd, void *out)
{
	complete_values(out, path, cmd->opts);
}

static void
complete_opts_one(const char *path, const struct cli_command *cmd, void *out)
{
	fprintf(out, "    \"%s\") words=\"", path);
	words(out, cmd->opts);
	fprintf(out, "\";;\n");
}

/* The positional arguments of a command, by their number: the words of
 * its args ("[COMMAND [SUBCOMMAND]]" is COMMAND, then SUBCOMMAND). */
static void
complete_args_one(const char *path, const struct cli_command *cmd, void *out)
{
	const char *p = cmd->args;
	int n = 0;

	if (p == NULL)
		return;
	fprintf(out, "    \"%s\") case $nargs in", path);
	while (*(p += strspn(p, "[] ")) != '\0') {
		size_t len = strcspn(p, "[] ");

		fprintf(out, " %d) ", n++);
		value_action(out, p, len);
		fputs(";;", out);
		p += len;
	}
	fputs(" esac;;\n", out);
}

/* Every option that takes a value, once, as "|--a|--b|": the walk over
 * the words skips them with their values. */
#define SKIP_SIZE 2048

static void
add_value_opts(char *buf, size_t size, const struct cli_option *o)
{
	for (; o != NULL && o->name != NULL; o++) {
		char pat[64];

		snprintf(pat, sizeof pat, "--%s|", o->name);
		if (o->arg != NULL && strstr(buf, pat) == NULL)
			append(buf, size, pat, "", "");
	}
}

static void
value_opts_one(const char *path, const struct cli_command *cmd, void *buf)
{
	(void)path;
	add_value_opts(buf, SKIP_SIZE, cmd->opts);
}

/* For each group, a case (its name between BEFORE and AFTER) whose words
 * are its subcommands. */
static void
group_cases(FILE *out, const char *before, const char *after)
{
	for (const struct cli_command *const *k = cli_commands; *k; k++) {
		if ((*k)->hidden || (*k)->subs == NULL)
			continue;
		fprintf(out, "%s%s%s", before, (*k)->name, after);
		fputs(" words=\"", out);
		for (const struct cli_command *const *s = (*k)->subs; *s; s++)
			fprintf(out, "%s ", (*s)->name);
		fputs("\";;\n", out);
	}
}

static void
command_names(FILE *out)
{
	for (const struct cli_command *const *k = cli_commands; *k; k++)
		if (!(*k)->hidden)
			fprintf(out, "%s ", (*k)->name);
}

void
cli_completion_bash(FILE *out)
{
	char skip[SKIP_SIZE] = "|";

	add_value_opts(skip, sizeof skip, cli_global_opts);
	walk(value_opts_one, skip);
	skip[strlen(skip) - 1] = '\0';
	fprintf(out,
	    "# bash completion for aupctl, generated by "
	    "'aupctl completion bash':\n"
	    "# commands, options, their values, files and usernames.\n"
	    "_aupctl() {\n"
	    "  local cur=${COMP_WORDS[COMP_CWORD]} prev= i w cmd= sub= "
	    "prev_arg=\n  local nargs=0 words= kind=\n  local -a db=()\n"
	    "  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	    "  # --format=c: bash splits at the '='.\n"
	    "  if [ \"$prev\" = = ] && ((COMP_CWORD > 1)); then "
	    "prev=${COMP_WORDS[COMP_CWORD-2]}; fi\n  [ \"$cur\" = = ] && cur=\n"
	    "  # An option's value is neither a command nor an argument.\n"
	    "  for ((i = 1; i < COMP_CWORD; i++)); do\n    w=${COMP_WORDS[i]}\n"
	    "    case $w in\n      --db=*|--config=*) db+=(\"$w\");;\n"
	    "      %s)\n        [ \"${COMP_WORDS[i+1]}\" = = ] && ((i++))\n"
	    "        case $w in --db|--config) "
	    "db+=(\"$w=${COMP_WORDS[i+1]}\");; esac\n        ((i++));;\n"
	    "      -*) ;;\n      *) if [ -z \"$cmd\" ]; then cmd=$w\n"
	    "         elif [ -z \"$sub\" ] && [[ \" ",
	    skip + 1);
	for (const struct cli_command *const *k = cli_commands; *k; k++)
		if (!(*k)->hidden && (*k)->subs != NULL)
			fprintf(out, "%s ", (*k)->name);
	fprintf(out,
	    "\" == *\" $cmd \"* ]]; then sub=$w\n"
	    "         else ((nargs++)); prev_arg=$w; fi;;\n    esac\n  done\n"
	    "  local path=$cmd${sub:+ $sub}\n  # The value of an option.\n"
	    "  case \"$path $prev\" in\n");
	complete_values(out, "*", cli_global_opts);
	walk(complete_values_one, out);
	fprintf(out,
	    "  esac\n  if [ -z \"$kind$words\" ] && [[ $cur == -* ]]; then\n"
	    "    case \"$path\" in\n");
	walk(complete_opts_one, out);
	fprintf(out, "    esac\n    words=\"$words ");
	words(out, cli_global_opts);
	fprintf(out,
	    "\"\n"
	    "  elif [ -z \"$kind$words\" ]; then\n"
	    "    # A command, a subcommand, or an argument.\n"
	    "    case \"$cmd $sub\" in\n    \" \") words=\"");
	command_names(out);
	fprintf(out, "\";;\n");
	group_cases(out, "    \"", " \")");
	fprintf(out, "    *) case \"$path\" in\n");
	walk(complete_args_one, out);
	fprintf(out,
	    "       esac;;\n    esac\n  fi\n  case $kind in\n"
	    "  file) compopt -o filenames 2>/dev/null\n"
	    "    COMPREPLY=($(compgen -f -- \"$cur\"));;\n"
	    "  user) COMPREPLY=($(\"${COMP_WORDS[0]}\" \"${db[@]}\" "
	    "complete-user -- \"$cur\" 2>/dev/null));;\n"
	    "  command) COMPREPLY=($(compgen -W \"");
	command_names(out);
	fprintf(out,
	    "\" -- \"$cur\"));;\n"
	    "  sub) case $prev_arg in\n");
	group_cases(out, "      ", ")");
	fprintf(out,
	    "    esac\n    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"));;\n"
	    "  none) compopt +o default 2>/dev/null; COMPREPLY=();;\n"
	    "  *) COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"));;\n  esac\n"
	    "}\ncomplete -o default -F _aupctl aupctl\n");
}

/*
 * The usernames that start with a prefix, for the completion script. A
 * school's list is read only so far: with a prefix of three characters or
 * more through the search (which finds it in usernames, among others),
 * otherwise from the top. When more than COMPLETE_MAX people are read the
 * answer could leave someone out, and bash would complete to the wrong
 * one: then it is nothing, until more is typed.
 */
#define COMPLETE_MAX 1000

struct complete_users {
	const char *prefix;
	size_t len;
	size_t read;
	char **names;
	size_t n;
};

static int
complete_user_row(void *arg, const struct aup_user_row *r)
{
	struct complete_users *k = arg;

	k->read++;
	if (strncmp(r->username, k->prefix, k->len) != 0)
		return 0;
	k->names = xreallocarray(k->names, k->n + 1, sizeof *k->names);
	k->names[k->n++] = xstrdup(r->username);
	return 0;
}

static int
cmd_complete_user(struct cli *c, struct cli_args *a)
{
	struct complete_users k = { .prefix = a->argc ? a->argv[0] : "" };
	struct aup_user_filter f;
	char search[64] = "";
	int rc;

	k.len = strlen(k.prefix);
	aup_user_filter_init(&f);
	/* The search takes words; a username's letters and digits before
	 * any '.', '_' or '-' are one. */
	snprintf(search, sizeof search, "%.*s",
	    (int)strspn(k.prefix, "abcdefghijklmnopqrstuvwxyz0123456789"),
	    k.prefix);
	if (strlen(search) >= 3)
		f.search = search;
	if (cli_db(c) == NULL)
		return cli_fail(c);
	rc = aup_user_query(c->db, &f, NULL, COMPLETE_MAX + 1,
	    complete_user_row, &k, &c->err);
	for (size_t i = 0; i < k.n; i++) {
		if (rc == 0 && k.read <= COMPLETE_MAX)
			printf("%s\n", k.names[i]);
		free(k.names[i]);
	}
	free(k.names);
	return rc != 0 ? cli_fail(c) : 0;
}

const struct cli_command cmd_complete_user_entry = {
	.name = "complete-user",
	.summary = "usernames that start with PREFIX, for completion",
	.args = "[PREFIX]",
	.max_args = 1,
	.exec = cmd_complete_user,
	.hidden = true,
};

static void
synopsis_one(const char *path, const struct cli_command *cmd, void *out)
{
	char usage[1024];

	cli_usage_line(usage, sizeof usage, path, cmd);
	fprintf(out, "%s\n", usage);
}

void
cli_synopsis(FILE *out)
{
	walk(synopsis_one, out);
}
