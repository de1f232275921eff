/* aupctl operator: who may do what through aupctl, kept in the database. */
#include <stdio.h>
#include <string.h>

#include "aup/operator.h"
#include "aup/util.h"
#include "cli.h"

static const char *const list_cols[] = { "login", "role" };
static const enum cell_type list_types[] = { CELL_STR, CELL_STR };

static int
list_row(void *arg, const char *login, enum aup_op_role role)
{
	const char *row[] = { login, aup_op_role_name(role) };

	table_row(arg, row);
	return 0;
}

static int
operator_list(struct cli *c, struct cli_args *a)
{
	struct table *t;
	int rc;

	(void)a;
	if (cli_db(c) == NULL)
		return cli_fail(c);
	t = table_new(list_cols, list_types, 2);
	if ((rc = aup_operator_list(c->db, list_row, t, &c->err)) == 0) {
		if (table_rows(t) == 0)
			cli_say(c,
			    "no operators recorded: whoever can open the "
			    "database is admin\n");
		else
			table_print(c, t, stdout);
	}
	table_free(t);
	return rc == 0 ? 0 : cli_fail(c);
}

static int
operator_set(struct cli *c, struct cli_args *a)
{
	const char *login = a->argv[0];
	int role = aup_op_role_parse(a->argv[1]);

	if (role < 0) {
		snprintf(c->err.hint, sizeof c->err.hint,
		    "operator roles are %s", aup_op_role_list());
		return cli_usage(c, "unknown operator role '%s'", a->argv[1]);
	}
	if (cli_db(c) == NULL ||
	    aup_operator_set(c->db, login, (enum aup_op_role)role, &c->err) !=
		0)
		return cli_fail(c);
	cli_say(c, "%s is now %s\n", login, a->argv[1]);
	return 0;
}

static int
operator_remove(struct cli *c, struct cli_args *a)
{
	if (cli_db(c) == NULL ||
	    aup_operator_remove(c->db, a->argv[0], &c->err) != 0)
		return cli_fail(c);
	cli_say(c, "%s is no longer an operator\n", a->argv[0]);
	return 0;
}

static const struct cli_command operator_list_entry = {
	.name = "list",
	.summary = "who may do what",
	.exec = operator_list,
};

static const struct cli_command operator_set_entry = {
	.name = "set",
	.summary = "give a login name an operator role (admin only)",
	.args = "LOGIN ROLE",
	.min_args = 2,
	.max_args = 2,
	.exec = operator_set,
};

static const struct cli_command operator_remove_entry = {
	.name = "remove",
	.summary = "take a login name off the operators (admin only)",
	.args = "LOGIN",
	.min_args = 1,
	.max_args = 1,
	.exec = operator_remove,
};

static const struct cli_command *const operator_cmds[] = {
	&operator_list_entry,
	&operator_set_entry,
	&operator_remove_entry,
	NULL,
};

const struct cli_command cmd_operator_entry = {
	.name = "operator",
	.summary = "operators: list, set, remove",
	.subs = operator_cmds,
};
