/* aupctl: the table of commands, the walk from the arguments to the one
 * that runs, and the error report every command shares. */
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/password.h"
#include "aup/util.h"
#include "cli.h"

/* This face's hints for fields of the core's errors that no option of the
 * command names. */
static const struct {
	const char *field;
	int code;
	const char *hint;
} field_hints[] = {
	{ "user", AUP_EX_NOUSER,
	    "look them up with 'aupctl user list --search TEXT'" },
	{ "db", AUP_EX_NOINPUT,
	    "create one with 'aupctl init --school NAME', "
	    "or point --db or $AUPCTL_DB at it" },
	{ "db", AUP_EX_CANTCREAT,
	    "use it as it is, or give another path with --db" },
};

/* Name the option of the command being run that c->err is about. */
static void
field_hint(struct cli *c)
{
	struct aup_err *e = &c->err;
	const struct cli_option *o;
	struct aup_buf b = { 0 };
	char name[sizeof e->field];

	if (e->field[0] == '\0')
		return;
	for (size_t i = 0; i < sizeof field_hints / sizeof *field_hints; i++)
		if (strcmp(field_hints[i].field, e->field) == 0 &&
		    field_hints[i].code == e->code) {
			aup_strlcpy(e->hint, field_hints[i].hint,
			    sizeof e->hint);
			return;
		}
	/* The option of the field's name, "mis_id" written --mis-id. */
	aup_strlcpy(name, e->field, sizeof name);
	for (char *p = name; *p != '\0'; p++)
		if (*p == '_')
			*p = '-';
	for (o = c->opts; o != NULL && o->name != NULL; o++)
		if (strcmp(o->name, name) == 0)
			break;
	if (o == NULL || o->name == NULL || c->val[o - c->opts] != NULL)
		return; /* no such option, or given: the core says */
	aup_buf_printf(&b, "give --%s%s%s", o->name, o->arg ? " " : "",
	    o->arg ? o->arg : "");
	if (e->hint[0] != '\0' || o->help != NULL)
		aup_buf_printf(&b, ": %s", e->hint[0] ? e->hint : o->help);
	aup_strlcpy(e->hint, b.data, sizeof e->hint);
	aup_buf_free(&b);
}

/* Messages echo what was typed (names, option values, PAM_USER): each is
 * shown on one line, whatever it holds. */
int
cli_fail(struct cli *c)
{
	char safe[4 * sizeof c->err.msg];

	if (c->err.code == 0)
		c->err.code = AUP_EX_SOFTWARE;
	field_hint(c);
	fprintf(stderr, "aupctl: error: %s\n",
	    c->err.msg[0] ? aup_str_safe(c->err.msg, safe, sizeof safe) :
			    "unknown error");
	if (c->err.hint[0] != '\0')
		fprintf(stderr, "aupctl: hint: %s\n",
		    aup_str_safe(c->err.hint, safe, sizeof safe));
	return c->err.code;
}

int
cli_usage(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err.msg, sizeof c->err.msg, fmt, ap);
	va_end(ap);
	c->err.code = AUP_EX_USAGE;
	if (c->err.hint[0] == '\0')
		aup_strlcpy(c->err.hint, "see 'aupctl --help' or aupctl(1)",
		    sizeof c->err.hint);
	return cli_fail(c);
}

void
cli_say(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!c->quiet)
		vfprintf(c->format == FMT_TABLE ? stdout : stderr, fmt, ap);
	va_end(ap);
}

void
cli_note(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!c->quiet)
		vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* The entry named WORD in TAB; NULL, with a suggestion in the hint when
 * one is close, when there is none. */
static const struct cli_command *
find(struct cli *c, const struct cli_command *const *tab, const char *word)
{
	const char *names[64];
	size_t n = 0;

	for (; *tab != NULL; tab++) {
		if (strcmp((*tab)->name, word) == 0)
			return *tab;
		if (!(*tab)->hidden && n < sizeof names / sizeof names[0])
			names[n++] = (*tab)->name;
	}
	cli_suggest(c, word, strlen(word), names, n, false);
	return NULL;
}

/* After a parse: show help or the version when asked for, and say so. */
static bool
answered(const struct cli_parse *p, const char *path,
    const struct cli_command *cmd)
{
	if (p->help)
		cli_help(stdout, path, cmd);
	else if (p->version)
		printf("aupctl %s\n", AUP_VERSION);
	return p->help || p->version;
}

static int
count_opts(const struct cli_option *o)
{
	int n = 0;

	while (o != NULL && o[n].name != NULL)
		n++;
	return n;
}

/* The commands that hold a password in memory, which must not end up in a
 * core dump. */
static bool
handles_passwords(const char *path)
{
	static const char *const paths[] = { "auth", "password set",
		"password reset", "password check", "user add",
		"year rollover" };

	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (strcmp(path, paths[i]) == 0)
			return true;
	return false;
}

/* Run the command named in ARGV (after the global options in front). */
static int
run(struct cli *c, int argc, char **argv)
{
	const struct cli_command *cmd, *group;
	struct cli_parse p = { 0 };
	struct cli_args a;
	char path[64];
	int rc;

	if (argc == 0) {
		cli_help(stderr, NULL, NULL);
		return AUP_EX_USAGE;
	}
	if ((cmd = find(c, cli_commands, argv[0])) == NULL) {
		if (c->err.hint[0] == '\0')
			aup_strlcpy(c->err.hint,
			    "'aupctl --help' lists the commands",
			    sizeof c->err.hint);
		return cli_usage(c, "unknown command '%s'", argv[0]);
	}
	aup_strlcpy(path, cmd->name, sizeof path);
	argc--;
	argv++;
	if (cmd->subs != NULL) {
		/* Global options may come between a group and its
		 * subcommand too. */
		group = cmd;
		p.path = path;
		if ((rc = cli_parse_argv(c, &p, argc, argv, true)) != 0)
			return rc;
		if (answered(&p, path, group))
			return 0;
		if (p.next == argc) {
			cli_help(stderr, path, group);
			return AUP_EX_USAGE;
		}
		argc -= p.next;
		argv += p.next;
		if ((cmd = find(c, group->subs, argv[0])) == NULL) {
			if (c->err.hint[0] == '\0')
				snprintf(c->err.hint, sizeof c->err.hint,
				    "'aupctl %s --help' lists them",
				    group->name);
			return cli_usage(c, "unknown subcommand '%s %s'",
			    group->name, argv[0]);
		}
		snprintf(path, sizeof path, "%s %s", group->name, cmd->name);
		argc--;
		argv++;
	}
	p = (struct cli_parse){
		.path = path,
		.opts = cmd->opts,
		.val = xcalloc((size_t)count_opts(cmd->opts) + 1,
		    sizeof *p.val),
		.args = xcalloc((size_t)argc + 1, sizeof *p.args),
	};
	rc = cli_parse_argv(c, &p, argc, argv, false);
	a = (struct cli_args){ .val = p.val, .argc = p.nargs, .argv = p.args };
	if (rc == 0 && !answered(&p, path, cmd) &&
	    (rc = cli_check_args(c, path, cmd, &a)) == 0) {
		c->opts = cmd->opts;
		c->val = p.val;
		if (handles_passwords(path) && aup_secure_process(&c->err) != 0)
			rc = cli_fail(c);
		else
			rc = cmd->exec(c, &a);
		c->opts = NULL;
		c->val = NULL;
	}
	free(p.val);
	free(p.args);
	return rc;
}

static int
cmd_help(struct cli *c, struct cli_args *a)
{
	char **v;
	int rc;

	if (a->argc == 0) {
		cli_help(stdout, NULL, NULL);
		return 0;
	}
	/* "help user add" is "user add --help". */
	v = xcalloc((size_t)a->argc + 2, sizeof *v);
	for (int i = 0; i < a->argc; i++)
		v[i] = a->argv[i];
	v[a->argc] = (char *)"--help";
	rc = run(c, a->argc + 1, v);
	free(v);
	return rc;
}

static int
cmd_completion(struct cli *c, struct cli_args *a)
{
	if (strcmp(a->argv[0], "bash") != 0) {
		aup_strlcpy(c->err.hint, "aupctl completion bash",
		    sizeof c->err.hint);
		return cli_usage(c, "no completion for '%s', only for bash",
		    a->argv[0]);
	}
	cli_completion_bash(stdout);
	return 0;
}

static int
cmd_synopsis(struct cli *c, struct cli_args *a)
{
	(void)c;
	(void)a;
	cli_synopsis(stdout);
	return 0;
}

static const struct cli_command cmd_help_entry = {
	.name = "help",
	.summary = "help on a command, as COMMAND --help gives it",
	.args = "[COMMAND [SUBCOMMAND]]",
	.max_args = 2,
	.exec = cmd_help,
};

static const struct cli_command cmd_completion_entry = {
	.name = "completion",
	.summary = "print a bash completion script",
	.args = "bash",
	.min_args = 1,
	.max_args = 1,
	.exec = cmd_completion,
};

/* The man page's synopsis lines, which the tests compare with aupctl(1). */
static const struct cli_command cmd_synopsis_entry = {
	.name = "synopsis",
	.summary = "the usage line of every command",
	.exec = cmd_synopsis,
	.hidden = true,
};

extern const struct cli_command cmd_operator_entry;
extern const struct cli_command cmd_import_entry;
extern const struct cli_command cmd_aup_entry;
extern const struct cli_command cmd_year_entry;
extern const struct cli_command cmd_leaver_entry;
extern const struct cli_command cmd_visitor_entry;
extern const struct cli_command cmd_purge_entry;

const struct cli_command *const cli_commands[] = {
	&cmd_init_entry,
	&cmd_user_entry,
	&cmd_password_entry,
	&cmd_import_entry,
	&cmd_aup_entry,
	&cmd_year_entry,
	&cmd_visitor_entry,
	&cmd_leaver_entry,
	&cmd_check_entry,
	&cmd_auth_entry,
	&cmd_log_entry,
	&cmd_db_entry,
	&cmd_operator_entry,
	&cmd_purge_entry,
	&cmd_help_entry,
	&cmd_completion_entry,
	&cmd_synopsis_entry,
	&cmd_complete_user_entry,
	NULL,
};

int
main(int argc, char **argv)
{
	struct cli c;
	struct cli_parse p = { 0 };
	int rc;

	/*
	 * A closed pipe is a write error to handle, never a death: dying of
	 * SIGPIPE while a transaction is open would lose the password it
	 * makes. A closed standard stream stays unwritable, so nothing
	 * opened later takes its place.
	 */
	signal(SIGPIPE, SIG_IGN);
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDONLY) != fd)
			return AUP_EX_SOFTWARE;
	setlocale(LC_ALL, "");
	memset(&c, 0, sizeof c);
	if ((rc = cli_parse_argv(&c, &p, argc - 1, argv + 1, true)) != 0)
		return rc;
	if (answered(&p, NULL, NULL))
		return 0;
	rc = run(&c, argc - 1 - p.next, argv + 1 + p.next);
	aup_db_close(c.db);
	aup_config_free(c.cfg);
	return rc;
}
