/* Operators: who may do what through aupctl, kept in the database so that
 * no one can choose their own role by choosing a file. Every change is in
 * one transaction with its audit log entry. */
#include <stdlib.h>
#include <string.h>

#include "aup/json.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "core.h"

/* Unix allows longer names than useradd makes, but none this long. */
#define LOGIN_MAX 256

int
aup_operator_list(struct aup_db *db, aup_operator_fn fn, void *arg,
    struct aup_err *err)
{
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	return st_operator_walk(db, fn, arg, err);
}

/* A login name as the system could spell it: text without white space,
 * control characters, ':' (passwd's separator) or '/'. */
static int
check_login(const char *login, struct aup_err *err)
{
	size_t n = login != NULL ? strlen(login) : 0;

	if (n == 0 || n > LOGIN_MAX)
		return aup_err_set(err, AUP_EX_DATAERR,
		    "a login name has 1 to %d characters", LOGIN_MAX);
	if (!aup_utf8_valid(login) || strpbrk(login, " \t:/") != NULL) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "that is not a login name: it "
		    "holds white space, ':', '/' or control characters");
		aup_err_hint(err,
		    "give the Unix login name exactly as 'id -un' prints it");
		return -1;
	}
	return 0;
}

/* {"login":LOGIN,"role":ROLE}, or NULL for ROLE -1 (not an operator). */
static char *
entry_json(const char *login, int role)
{
	struct aup_buf b = { 0 };
	struct aup_json j;

	if (role < 0)
		return NULL;
	aup_json_init(&j, &b);
	aup_json_object(&j);
	aup_json_kstr(&j, "login", login);
	aup_json_kstr(&j, "role", aup_op_role_name((enum aup_op_role)role));
	aup_json_end(&j);
	return aup_buf_detach(&b);
}

/* The change of LOGIN from role OLD to TO (-1: none), in the open
 * transaction, with its log entry; refused when it would leave operators
 * and no admin among them. */
static int
change(struct aup_db *db, const char *login, int old, int to,
    struct aup_err *err)
{
	char *before = entry_json(login, old), *after = entry_json(login, to);
	int64_t admins, all;
	int rc;

	rc = to < 0 ? st_operator_remove(db, login, err) :
		      st_operator_set(db, login, to, err);
	if (rc == 0)
		rc = st_operator_count(db, AUP_OP_ADMIN, &admins, err);
	if (rc == 0)
		rc = st_operator_count(db, -1, &all, err);
	if (rc == 0 && admins == 0 && all > 0) {
		if (old == AUP_OP_ADMIN)
			aup_err_set(err, AUP_EX_DATAERR,
			    "'%s' is the last "
			    "admin, and operators without an admin could never "
			    "be changed again",
			    login);
		else
			aup_err_set(err, AUP_EX_DATAERR,
			    "there would be "
			    "operators but no admin, and they could never be "
			    "changed again");
		aup_err_hint(err,
		    "make someone admin first (aupctl operator "
		    "set LOGIN admin), or remove the other operators before "
		    "the last admin");
		rc = -1;
	}
	if (rc == 0)
		rc = aup_log_add(db,
		    to < 0 ? "operator.remove" : "operator.set", NULL, before,
		    after, err);
	free(before);
	free(after);
	return rc;
}

int
aup_operator_set(struct aup_db *db, const char *login, enum aup_op_role role,
    struct aup_err *err)
{
	int old;

	if (aup_perm(db, AUP_PERM_ADMIN, err) != 0 ||
	    check_login(login, err) != 0)
		return -1;
	if ((unsigned)role >= AUP_OP_COUNT)
		return aup_err_set(err, AUP_EX_USAGE, "no such operator role");
	if (st_begin(db, err) != 0)
		return -1;
	if (st_operator_get(db, login, &old, err) < 0 ||
	    (old != (int)role && change(db, login, old, (int)role, err) != 0) ||
	    st_commit(db, err) != 0) {
		st_rollback(db);
		return -1;
	}
	return 0;
}

int
aup_operator_remove(struct aup_db *db, const char *login, struct aup_err *err)
{
	int old, rc;

	if (aup_perm(db, AUP_PERM_ADMIN, err) != 0)
		return -1;
	if (st_begin(db, err) != 0)
		return -1;
	rc = st_operator_get(db, login, &old, err);
	if (rc == 1) {
		aup_err_set(err, AUP_EX_NOUSER, "'%s' is not an operator",
		    login);
		aup_err_hint(err,
		    "'aupctl operator list' shows who is; names "
		    "are compared exactly, capitals included");
	}
	if (rc != 0 || change(db, login, old, -1, err) != 0 ||
	    st_commit(db, err) != 0) {
		st_rollback(db);
		return -1;
	}
	return 0;
}

/* The role of LOGIN for a handle being opened: -1 when there are
 * operators and LOGIN is not one of them; admin when there are none. */
int
operator_role_of(struct aup_db *db, const char *login, int *role,
    struct aup_err *err)
{
	int64_t all;
	int rc;

	if ((rc = st_operator_get(db, login, role, err)) <= 0)
		return rc;
	if (st_operator_count(db, -1, &all, err) != 0)
		return -1;
	*role = all == 0 ? AUP_OP_ADMIN : -1;
	return 0;
}

int
operator_init(struct aup_db *db, struct aup_err *err)
{
	db->op_role = AUP_OP_ADMIN;
	return st_operator_set(db, db->operator, AUP_OP_ADMIN, err);
}
