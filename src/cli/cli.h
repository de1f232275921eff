/* The aupctl command line: commands are data (one table per group), parsed
 * and documented from the same table, over the core library. */
#ifndef AUP_CLI_H
#define AUP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "aup/config.h"
#include "aup/db.h"
#include "aup/error.h"

struct cli;

/*
 * An option of a command. A command declares its options as an array
 * indexed by its own enum ([ADD_ROLE] = { .name = "role", ... }) ended by
 * an empty entry, and reads them back by the same enum (a->val[ADD_ROLE]),
 * so that a misspelt option is a compile error, never "not given".
 */
struct cli_option {
	const char *name; /* long name, without -- */
	int short_name;	  /* 0: none */
	const char *arg;  /* metavariable; NULL: a flag. It also
			     says how completion finds values
			     (help.c): R a role, USER a username,
			     FILE a file, "a|b" the choices */
	const char *help;
	bool required; /* refused by the parser without it */
	int excl;      /* > 0: at most one of the options that
			  share this number */
};

struct cli_args {
	const char **val; /* by option: its value, "1" for a flag
			     given, NULL when not given */
	int argc;	  /* positional arguments */
	char **argv;
};

/*
 * A command, tmux style: one constant entry beside its function. A group
 * (user, password, db) has subcommands instead of a function. Usage lines,
 * --help, bash completion and the man page's synopsis all come from here.
 */
struct cli_command {
	const char *name;
	const char *summary;
	const char *args;	       /* positionals, for usage */
	const struct cli_option *opts; /* ended by { 0 }, or NULL */
	int min_args, max_args;
	int (*exec)(struct cli *, struct cli_args *);
	const struct cli_command *const *subs; /* a group: NULL-terminated */
	bool hidden;			       /* for the tests, not listed */
};

enum cli_format { FMT_TABLE, FMT_CSV, FMT_TSV, FMT_JSON };

struct cli {
	const char *db_path;
	const char *config_path;
	enum cli_format format;
	bool quiet;
	bool wide;	/* never cut a table to fit */
	bool no_header; /* csv, tsv, table: no header */
	struct aup_config *cfg;
	struct aup_db *db;
	struct aup_err err;
	/* The command being run, for hints about its options. */
	const struct cli_option *opts;
	const char **val;
};

extern const struct cli_command *const cli_commands[];
extern const struct cli_option cli_global_opts[];
extern const struct cli_command cmd_init_entry, cmd_user_entry;
extern const struct cli_command cmd_password_entry, cmd_check_entry;
extern const struct cli_command cmd_auth_entry, cmd_log_entry, cmd_db_entry;
extern const struct cli_command cmd_complete_user_entry;

/* The global options, indexed as cli_global_opts. */
enum {
	G_DB,
	G_CONFIG,
	G_FORMAT,
	G_WIDE,
	G_NO_HEADER,
	G_QUIET,
	G_HELP,
	G_VERSION,
};

/* How a parse of the arguments went: OK, a usage error reported (exit 64,
 * in *RC), or help or version asked for. */
struct cli_parse {
	const char *path;	       /* "user add"; NULL: no command yet */
	const struct cli_option *opts; /* the command's; NULL: globals only */
	const char **val;	       /* per command option */
	char **args;		       /* positional arguments, in order */
	int nargs;
	int next; /* with STOP: the first positional */
	bool help, version;
};
/* Parse ARGV against P->opts and the global options, which may come
 * anywhere. With STOP, end at the first positional argument (the command
 * name); otherwise collect them all. Returns 0 or a usage exit (64). */
int cli_parse_argv(struct cli *c, struct cli_parse *p, int argc, char **argv,
    bool stop);
/* What the table declares beyond single options: required ones, exclusion
 * groups and the number of arguments. 0 or a usage exit. */
int cli_check_args(struct cli *c, const char *path,
    const struct cli_command *cmd, const struct cli_args *a);
/* Fill c->err.hint with "did you mean ...?" when the LEN bytes of WORD
 * are close to one of the N NAMES: commands ('user') or, with OPT, long
 * options (--search). False when none is. */
bool cli_suggest(struct cli *c, const char *word, size_t len,
    const char *const *names, size_t n, bool opt);
/* The usage line of CMD at PATH: "aupctl PATH ARGS OPTIONS". */
void cli_usage_line(char *buf, size_t size, const char *path,
    const struct cli_command *cmd);

/* Open the database on first use; NULL with c->err filled. */
struct aup_db *cli_db(struct cli *c);
struct aup_db *cli_db_create(struct cli *c);

/* Report c->err on stderr and return its exit code. When the error is
 * about a field the command has an option for, and it was not given, the
 * hint says to give it. */
int cli_fail(struct cli *c);
/* A usage error: message, hint, exit 64. */
int cli_usage(struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A message for people (stderr in machine formats, nothing with -q). */
void cli_say(struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A note beside the data (stderr in every format, nothing with -q), so
 * that standard output holds only what was asked for. */
void cli_note(struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parse option values shared by commands; each returns 0 or a usage exit. */
int cli_parse_role(struct cli *c, const char *s, int *out);
int cli_parse_year(struct cli *c, const char *s, int *out);
int cli_parse_ks(struct cli *c, const char *s, int *out);
int cli_parse_date(struct cli *c, const char *opt, const char *s, time_t *out);
/* An academic year as aup_academic_year_parse reads it (2026 for 2026-27). */
int cli_parse_academic_year(struct cli *c, const char *s, int *out);

/* Read a password: from stdin with --password-stdin (one line), else from
 * the terminal with echo off, twice when CONFIRM. Wiped by the caller with
 * aup_secret_free. */
int cli_read_password(struct cli *c, bool from_stdin, bool confirm, char **out);

/*
 * Output: a table of rows, printed in the chosen format. A column's type
 * says how it is written in JSON and what a terminal table may cut to fit:
 *
 * CELL_TEXT	free text (names, reasons, summaries): cut first
 * CELL_STR	a short word (role, status, class): cut only after the text
 * CELL_KEY	what identifies (username, id:, password): never cut
 * CELL_TIME	a time as aup_time_fmt writes it (RFC 3339, for machines) or a
 *		date: shown in a table as local time with its seconds; never cut
 * CELL_NUM, CELL_BOOL	numbers, true/false: bare in JSON; never cut
 * CELL_JSON	JSON text, nested as it is in JSON output; cut as text
 */
enum cell_type {
	CELL_STR,
	CELL_NUM,
	CELL_BOOL,
	CELL_JSON,
	CELL_KEY,
	CELL_TIME,
	CELL_TEXT,
};
struct table;
struct table *table_new(const char *const *cols, const enum cell_type *types,
    size_t ncols);
/* Append a row of NCOLS cells; NULL cells are empty (null in JSON). */
void table_row(struct table *t, const char *const *cells);
void table_print(struct cli *c, struct table *t, FILE *out);
/* One record (key, value pairs) as "key: value" lines, one csv row, or one
 * JSON object. */
void table_print_record(struct cli *c, struct table *t, FILE *out);
void table_free(struct table *t);
/* Print T's rows to OUT as they are added with table_stream_row, so a list
 * of any length needs no more memory than a row (a terminal table measures
 * its first rows for the column widths); table_end finishes the output and
 * says how many rows there were. */
void table_stream(struct cli *c, struct table *t, FILE *out);
void table_stream_row(struct table *t, const char *const *cells);
size_t table_end(struct table *t);
size_t table_rows(const struct table *t);

/*
 * Hand a new password over once, before it is saved: handover_begin opens
 * the unit of work (and creates the slip file SLIP, when given, before
 * anything changes); the password is made inside it; hand_over writes it to
 * the slip (flushed to disk) or to standard output as a row of username,
 * name, class and password in the chosen format (flushed), and only then
 * commits. If the writing fails the unit is rolled back, exit 74. A unit
 * that made no password ends with handover_abort.
 */
struct aup_user;
struct aup_slips;
struct handover {
	struct aup_slips *slips; /* NULL: standard output */
	const char *path;	 /* the slip file */
};
int handover_begin(struct cli *c, struct handover *h, const char *slip);
int hand_over(struct cli *c, struct handover *h, const struct aup_user *u,
    const char *pw);
void handover_abort(struct cli *c, struct handover *h);
struct aup_log_list;
struct table *log_table(const struct aup_log_list *l);

/* Help for a command or group, generated from its table entry; CMD NULL:
 * the list of commands. */
void cli_help(FILE *out, const char *path, const struct cli_command *cmd);
/* The bash completion script and the synopsis lines, from the table. */
void cli_completion_bash(FILE *out);
void cli_synopsis(FILE *out);

/* What is held on one person, each as a table streamed to standard
 * output, its number of rows into *N: the signatures of REF (cmd-sign.c),
 * the consents and the breaches of USER_ID (cmd-aup.c). */
int cli_signatures(struct cli *c, const char *ref, size_t *n);
int cli_consents_of(struct cli *c, int64_t user_id, size_t *n);
int cli_breaches_of(struct cli *c, int64_t user_id, size_t *n);
/* cmd-visitor.c, cmd-leaver.c: USER_ID's visit and exit checklist, their
 * rows counted in N; for people, nothing at all when there are none. */
int cli_visits_of(struct cli *c, int64_t user_id, size_t *n);
int cli_checklist_of(struct cli *c, int64_t user_id, size_t *n);

#endif
