/* The core's plain data: freeing people, lists, log entries and
 * signatures, and the names of operator roles and of how agreements are
 * signed. A leaf of the core: it calls nothing above it,
 * so the storage files can use it without a cycle. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aup/aup.h"
#include "aup/log.h"
#include "aup/operator.h"
#include "aup/user.h"
#include "aup/util.h"
#include "core.h"

void
aup_user_clear(struct aup_user *u)
{
	if (u == NULL)
		return;
	free(u->username);
	free(u->first);
	free(u->last);
	free(u->class_name);
	free(u->mis_id);
	free(u->email);
	free(u->status_reason);
	free(u->legal_first);
	free(u->legal_last);
	memset(u, 0, sizeof *u);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

void
aup_user_copy(struct aup_user *to, const struct aup_user *u)
{
	*to = *u;
	to->username = xstrdup(u->username);
	to->first = xstrdup(u->first);
	to->last = xstrdup(u->last);
	to->class_name = dup_or_null(u->class_name);
	to->mis_id = dup_or_null(u->mis_id);
	to->email = dup_or_null(u->email);
	to->status_reason = dup_or_null(u->status_reason);
	to->legal_first = dup_or_null(u->legal_first);
	to->legal_last = dup_or_null(u->legal_last);
}

void
aup_user_free(struct aup_user *u)
{
	aup_user_clear(u);
	free(u);
}

void
aup_user_list_free(struct aup_user_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		aup_user_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
aup_log_entry_clear(struct aup_log_entry *e)
{
	free(e->operator);
	free(e->action);
	free(e->subject);
	free(e->before);
	free(e->after);
	memset(e, 0, sizeof *e);
}

void
aup_log_list_free(struct aup_log_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		aup_log_entry_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static const char *const role_names[AUP_OP_COUNT] = {
	"admin",
	"netmgr",
	"office",
	"auditor",
	"auth",
};

const char *
aup_op_role_name(enum aup_op_role r)
{
	return (unsigned)r < AUP_OP_COUNT ? role_names[r] : "?";
}

int
aup_op_role_parse(const char *s)
{
	for (int i = 0; s != NULL && i < AUP_OP_COUNT; i++)
		if (strcmp(s, role_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
aup_op_role_list(void)
{
	return "admin, netmgr, office, auditor, auth";
}

static const char *const rel_names[] = { "self", "parent", "carer" };
static const char *const method_names[] = { "paper", "screen" };

int
name_index(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; s != NULL && i < n; i++)
		if (strcasecmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
aup_relationship_name(enum aup_relationship r)
{
	return rel_names[r];
}

int
aup_relationship_parse(const char *s)
{
	return name_index(rel_names, 3, s);
}

const char *
aup_method_name(enum aup_method m)
{
	return method_names[m];
}

int
aup_method_parse(const char *s)
{
	return name_index(method_names, 2, s);
}

void
aup_signature_clear(struct aup_signature *s)
{
	free(s->username);
	free(s->form);
	free(s->title);
	free(s->signer);
	free(s->witness);
	memset(s, 0, sizeof *s);
}
