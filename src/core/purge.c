/* The purge: everyone past [retention] removed, each in a savepoint of one
 * transaction, the dry run being the same run rolled back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/clock.h"
#include "aup/purge.h"
#include "aup/user.h"
#include "aup/util.h"
#include "core.h"

#define DAY 86400

static void
cutoffs(const struct aup_db *db, time_t now, time_t *left, time_t *visit)
{
	*left = now - (time_t)db->cfg->retain_left_days * DAY;
	*visit = now - (time_t)db->cfg->retain_visitor_days * DAY;
}

/* A name for the signatures of someone purged that says nothing of them:
 * "anon-" and twelve random hex digits. */
static int
pseudonym(char out[18], struct aup_err *err)
{
	unsigned char b[6];

	if (aup_random_bytes(b, sizeof b, err) != 0)
		return -1;
	snprintf(out, 18, "anon-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
	    b[3], b[4], b[5]);
	return 0;
}

/* Inside the open transaction: remove the person ID, who became due at
 * SINCE, and tell FN. */
static int
purge_one(struct aup_db *db, int64_t id, time_t since, time_t now,
    aup_purge_fn fn, void *arg, struct aup_purge_result *res,
    struct aup_err *err)
{
	struct aup_purge_item it = { .id = id, .since = since };
	struct aup_user *u = NULL;
	char ref[32], pseud[18];
	int rc;

	snprintf(ref, sizeof ref, "id:%lld", (long long)id);
	if (aup_user_find(db, ref, &u, err) != 0)
		return -1;
	it.username = u->username;
	it.first = u->first;
	it.last = u->last;
	it.role = u->role;
	it.status = u->status;
	rc = pseudonym(pseud, err) != 0 ||
		log_purge_user(db, id, &it.log_values, err) != 0 ||
		st_purge_person(db, id, u->username, pseud, now, &it.signatures,
		    err) != 0 ?
	    -1 :
	    0;
	if (rc == 0 && fn != NULL)
		rc = fn(arg, &it);
	if (rc == 0) {
		res->people++;
		res->signatures += it.signatures;
		res->log_values += it.log_values;
	}
	aup_user_free(u);
	return rc;
}

int
aup_purge(struct aup_db *db, bool dry_run, aup_purge_fn fn, void *arg,
    struct aup_purge_result *res, struct aup_err *err)
{
	time_t now = aup_now(), left, visit, *since = NULL;
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = 0;

	memset(res, 0, sizeof *res);
	if (aup_perm(db, AUP_PERM_ADMIN, err) != 0)
		return -1;
	cutoffs(db, now, &left, &visit);
	if (st_begin(db, err) != 0)
		return -1;
	if (st_purge_due(db, left, visit, &ids, &since, &n, err) != 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (st_begin(db, err) != 0) {
			rc = -1;
			break;
		}
		rc = purge_one(db, ids[i], since[i], now, fn, arg, res, err);
		if (rc == 0 && st_commit(db, err) != 0)
			rc = -1;
		else if (rc != 0)
			st_rollback(db);
	}
	free(ids);
	free(since);
	if (rc == 0 && !dry_run && st_commit(db, err) != 0)
		return -1;
	if (rc != 0 || dry_run)
		st_rollback(db);
	if (rc != 0)
		memset(res, 0, sizeof *res);
	return rc;
}

int
aup_purge_due(struct aup_db *db, int64_t *n, struct aup_err *err)
{
	time_t left, visit;

	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	cutoffs(db, aup_now(), &left, &visit);
	return st_purge_due_count(db, left, visit, n, err);
}
