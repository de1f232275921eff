/* The audit log. Each entry's hash is SHA-256 over the previous entry's hash
 * and this entry's fields, length-prefixed so no two entries encode alike;
 * the head of the chain is also kept in meta, so removing the newest entries
 * shows too. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/clock.h"
#include "aup/util.h"
#include "core.h"
#include "sha256.h"

static void
feed(struct sha256 *s, const char *v)
{
	char len[32];

	if (v == NULL) {
		sha256_update(s, "-;", 2);
		return;
	}
	snprintf(len, sizeof len, "%zu:", strlen(v));
	sha256_update(s, len, strlen(len));
	sha256_update(s, v, strlen(v));
}

static void
entry_hash(const char *prev, const struct aup_log_entry *e, char out[65])
{
	struct sha256 s;
	unsigned char d[32];
	char num[64];

	sha256_init(&s);
	feed(&s, prev);
	snprintf(num, sizeof num, "%" PRId64 ",%lld,%" PRId64, e->id,
	    (long long)e->at, e->user_id);
	feed(&s, num);
	feed(&s, e->operator);
	feed(&s, e->action);
	feed(&s, e->subject);
	feed(&s, e->before);
	feed(&s, e->after);
	sha256_final(&s, d);
	sha256_hex(d, out);
}

int
aup_log_add(struct aup_db *db, const char *action, const struct aup_user *user,
    const char *before, const char *after, struct aup_err *err)
{
	struct aup_log_entry e;
	char prev[65], hash[65], head[96];
	int64_t last;

	if (st_log_head(db, &last, prev, err) != 0)
		return -1;
	if (last == 0)
		aup_strlcpy(prev, "0", sizeof prev);
	memset(&e, 0, sizeof e);
	e.id = last + 1;
	e.at = aup_now();
	e.operator = db->operator;
	e.action = (char *)action;
	e.user_id = user != NULL ? user->id : 0;
	e.subject = user != NULL ? user->username : NULL;
	e.before = (char *)before;
	e.after = (char *)after;
	entry_hash(prev, &e, hash);
	if (st_log_insert(db, &e, prev, hash, err) != 0)
		return -1;
	snprintf(head, sizeof head, "%" PRId64 " %s", e.id, hash);
	return st_meta_set(db, "log_head", head, err);
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

int
aup_log_list(struct aup_db *db, int64_t user_id, time_t since,
    struct aup_log_list *out, struct aup_err *err)
{
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	return st_log_list(db, user_id, since, out, err);
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

struct walk {
	char	prev[65];
	int64_t	expect_id;
	int64_t	count;
	int64_t	bad_id;
	char	problem[200];
};

static int
verify_one(void *arg, const struct aup_log_entry *e, const char *prev,
    const char *hash)
{
	struct walk *w = arg;
	char want[65];

	w->count++;
	if (e->id != w->expect_id) {
		w->bad_id = e->id;
		snprintf(w->problem, sizeof w->problem, "entry %" PRId64 " is "
		    "missing (the next one is %" PRId64 ")", w->expect_id, e->id);
		return 1;
	}
	entry_hash(w->prev, e, want);
	if (strcmp(prev, w->prev) != 0 || strlen(hash) != 64 ||
	    !aup_ct_equal(want, hash, 64)) {
		w->bad_id = e->id;
		snprintf(w->problem, sizeof w->problem, "entry %" PRId64 " was "
		    "changed or does not follow entry %" PRId64, e->id,
		    e->id - 1);
		return 1;
	}
	aup_strlcpy(w->prev, hash, sizeof w->prev);
	w->expect_id++;
	return 0;
}

int
aup_log_verify(struct aup_db *db, int64_t *entries, int64_t *bad_id,
    struct aup_err *err)
{
	struct walk w;
	char *head = NULL, want[96];

	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	memset(&w, 0, sizeof w);
	aup_strlcpy(w.prev, "0", sizeof w.prev);
	w.expect_id = 1;
	if (st_log_walk(db, verify_one, &w, err) != 0)
		return -1;
	*entries = w.count;
	*bad_id = w.bad_id;
	if (w.bad_id != 0) {
		aup_err_set(err, AUP_EX_ATTENTION, "audit log: %s", w.problem);
		aup_err_hint(err, "the log was edited outside aupctl; restore "
		    "the database from a backup and find out who changed it");
		return -1;
	}
	if (st_meta_get(db, "log_head", &head, err) != 0)
		return -1;
	if (w.count == 0)
		snprintf(want, sizeof want, "%s", head ? head : "");
	else
		snprintf(want, sizeof want, "%" PRId64 " %s", w.expect_id - 1,
		    w.prev);
	if (head == NULL ? w.count != 0 : strcmp(head, want) != 0) {
		free(head);
		*bad_id = w.expect_id;
		aup_err_set(err, AUP_EX_ATTENTION, "audit log: the newest "
		    "entries were removed (the log ends at entry %" PRId64 ")",
		    w.expect_id - 1);
		aup_err_hint(err, "the log was edited outside aupctl; restore "
		    "the database from a backup and find out who changed it");
		return -1;
	}
	free(head);
	return 0;
}
