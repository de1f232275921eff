/* The aupctl command line: commands are data (one table per group), parsed
 * and documented from the same table, over the core library. */
#ifndef AUP_CLI_H
#define AUP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "aup/config.h"
#include "aup/db.h"
#include "aup/error.h"

struct cli;

struct cli_option {
	const char	*name;		/* long name, without -- */
	int		 short_name;	/* 0: none */
	const char	*arg;		/* metavariable; NULL: a flag */
	const char	*help;
};

struct cli_args {
	const struct cli_option	*opts;
	const char	**val;		/* per option: value, "1" for a flag */
	int		  argc;		/* positional arguments */
	char		**argv;
};

struct cli_command {
	const char			*name;
	const char			*summary;
	const char			*usage;	/* arguments after the name */
	const struct cli_option		*opts;	/* NULL-terminated, or NULL */
	int				 min_args, max_args;
	int				(*exec)(struct cli *, struct cli_args *);
	const struct cli_command	*subs;	/* a group: NULL-terminated */
};

enum cli_format { FMT_TABLE, FMT_CSV, FMT_TSV, FMT_JSON };

struct cli {
	const char		*db_path;
	const char		*config_path;
	enum cli_format		 format;
	bool			 quiet;
	struct aup_config	*cfg;
	struct aup_db		*db;
	struct aup_err		 err;
};

extern const struct cli_command cli_commands[];
extern const struct cli_command cmd_user_group[];
extern const struct cli_command cmd_password_group[];
extern const struct cli_command cmd_db_group[];

/* Value of option NAME, or NULL when not given. */
const char	*cli_opt(const struct cli *c, const struct cli_args *a,
		    const char *name);

/* Open the database on first use; NULL with c->err filled. */
struct aup_db	*cli_db(struct cli *c);
struct aup_db	*cli_db_create(struct cli *c);

/* Report c->err on stderr and return its exit code. */
int		 cli_fail(struct cli *c);
/* A usage error: message, hint, exit 64. */
int		 cli_usage(struct cli *c, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* A message for people (stderr in machine formats, nothing with -q). */
void		 cli_say(struct cli *c, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* Parse option values shared by commands; each returns 0 or a usage exit. */
int		 cli_parse_role(struct cli *c, const char *s, int *out);
int		 cli_parse_year(struct cli *c, const char *s, int *out);
int		 cli_parse_date(struct cli *c, const char *opt, const char *s,
		    time_t *out);

/* Read a password: from stdin with --password-stdin (one line), else from
 * the terminal with echo off, twice when CONFIRM. Wiped by the caller with
 * aup_secret_free. */
int		 cli_read_password(struct cli *c, bool from_stdin, bool confirm,
		    char **out);

/* Output: a table of rows, printed in the chosen format. */
/* CELL_JSON: JSON text, nested as it is in JSON output. */
enum cell_type { CELL_STR, CELL_NUM, CELL_BOOL, CELL_JSON };
struct table;
struct table	*table_new(const char *const *cols, const enum cell_type *types,
		    size_t ncols);
/* Append a row of NCOLS cells; NULL cells are empty (null in JSON). */
void		 table_row(struct table *t, const char *const *cells);
void		 table_print(struct cli *c, struct table *t, FILE *out);
/* One record (key, value pairs) as "key: value" lines, one csv row, or one
 * JSON object. */
void		 table_print_record(struct cli *c, struct table *t, FILE *out);
void		 table_free(struct table *t);
size_t		 table_rows(const struct table *t);

/* Hand a new password over once: to the slip file SLIP created as FD, or
 * on standard output. */
struct aup_user;
int		 hand_over(struct cli *c, const struct aup_user *u,
		    const char *pw, const char *slip, int fd);
struct aup_log_list;
struct table	*log_table(const struct aup_log_list *l);

/* Help for a command, generated from its table entry. */
void		 cli_help(FILE *out, const char *path,
		    const struct cli_command *cmd);

#endif
