/* Operators: who may do what through aupctl (spec section 9). They are kept
 * in the database by Unix login name, compared exactly as the system spells
 * it; with none recorded, whoever can open the database is admin. */
#ifndef AUP_OPERATOR_H
#define AUP_OPERATOR_H

#include "aup/error.h"

struct aup_db;

/* Operator roles of spec section 9, plus "auth" for the login helper. */
enum aup_op_role {
	AUP_OP_ADMIN,
	AUP_OP_NETMGR,
	AUP_OP_OFFICE,
	AUP_OP_AUDITOR,
	AUP_OP_AUTH,
	AUP_OP_COUNT
};

const char *aup_op_role_name(enum aup_op_role r);
/* The role named S (exactly, lower case); -1 when there is none. */
int	    aup_op_role_parse(const char *s);
/* "admin, netmgr, office, auditor, auth" */
const char *aup_op_role_list(void);

/* Called for each operator; a non-zero return stops the walk and is
 * returned. */
typedef int (
    *aup_operator_fn)(void *arg, const char *login, enum aup_op_role role);

/* Every operator, in login order (read permission). */
int aup_operator_list(struct aup_db *db, aup_operator_fn fn, void *arg,
    struct aup_err *err);
/* Give LOGIN the role ROLE, adding them when new (admin only). Refused
 * (65) when it would leave operators but no admin. */
int aup_operator_set(struct aup_db *db, const char *login,
    enum aup_op_role role, struct aup_err *err);
/* Take LOGIN off the list (admin only; 67 when not on it). Refused (65)
 * for the last admin while other operators remain. */
int aup_operator_remove(struct aup_db *db, const char *login,
    struct aup_err *err);

#endif
