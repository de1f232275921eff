/* What each operator role may do: the one check every change and every
 * read makes first. A leaf of the core. */
#include "aup/operator.h"
#include "core.h"

/* Which permissions each operator role holds. */
static const unsigned perms[AUP_OP_COUNT] = {
	[AUP_OP_ADMIN] = 0x7f,
	[AUP_OP_NETMGR] = 0x7f & ~(1u << AUP_PERM_ADMIN),
	[AUP_OP_OFFICE] = 1u << AUP_PERM_READ | 1u << AUP_PERM_PEOPLE |
	    1u << AUP_PERM_PW_PUPIL,
	[AUP_OP_AUDITOR] = 1u << AUP_PERM_READ,
	[AUP_OP_AUTH] = 1u << AUP_PERM_AUTH,
};

int
aup_perm(struct aup_db *db, enum aup_perm need, struct aup_err *err)
{
	if (db->op_role < 0) {
		aup_err_set(err, AUP_EX_NOPERM,
		    "'%s' is not an aupctl operator", db->operator);
		aup_err_hint(err,
		    "an admin can run 'aupctl operator set %s ROLE'",
		    db->operator);
		return -1;
	}
	if (perms[db->op_role] & (1u << need))
		return 0;
	aup_err_set(err, AUP_EX_NOPERM, "operator '%s' (%s) may not do this",
	    db->operator, aup_op_role_name((enum aup_op_role)db->op_role));
	aup_err_hint(err, "ask someone with the %s role",
	    need == AUP_PERM_ADMIN ? "admin" :
		need == AUP_PERM_PEOPLE || need == AUP_PERM_PW_PUPIL ?
				     "office, netmgr or admin" :
				     "netmgr or admin");
	return -1;
}

enum aup_perm
aup_perm_pw(enum aup_role role)
{
	return role == AUP_ROLE_PUPIL || role == AUP_ROLE_VISITOR ||
		role == AUP_ROLE_CLASS ?
	    AUP_PERM_PW_PUPIL :
	    AUP_PERM_PW_ALL;
}
