/* Leavers: the exit checklist from [leaver.ROLE], its items ticked one by
 * one, and the finish that resets every credential aupctl holds. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/clock.h"
#include "aup/json.h"
#include "aup/leaver.h"
#include "aup/password.h"
#include "aup/user.h"
#include "aup/util.h"
#include "core.h"

#define DAY 86400

/* The items the tool ticks itself when it finishes: it resets the
 * password, and with it disables the account. */
static bool
tool_item(const char *id)
{
	return strcmp(id, "password") == 0 || strcmp(id, "account") == 0;
}

void
aup_leaver_clear(struct aup_leaver *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nitems; i++) {
		free(l->items[i].id);
		free(l->items[i].label);
		free(l->items[i].by);
		free(l->items[i].note);
	}
	free(l->items);
	free(l->username);
	free(l->first);
	free(l->last);
	free(l->reason);
	free(l->started_by);
	free(l->finished_by);
	free(l->forced);
	memset(l, 0, sizeof *l);
}

/*
 * An item as [leaver.ROLE] writes it, "keys: Keys and fob returned", into
 * its id and label; one with no id before a colon gets one from the first
 * words of its label, in lower case ("Equipment handed back" is
 * "equipment-handed-back").
 */
static void
item_split(const char *s, char **id, char **label)
{
	const char *colon = strchr(s, ':');
	size_t n = 0;
	char buf[32];

	if (colon != NULL && colon > s) {
		const char *p = s;

		while (p < colon &&
		    (islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
			*p == '-'))
			p++;
		if (p == colon) {
			*id = xstrndup(s, (size_t)(colon - s));
			s = colon + 1 + strspn(colon + 1, " \t");
			*label = xstrdup(s);
			return;
		}
	}
	for (const char *p = s; *p != '\0' && n < sizeof buf - 1; p++) {
		if (isalnum((unsigned char)*p))
			buf[n++] = (char)tolower((unsigned char)*p);
		else if (n > 0 && buf[n - 1] != '-')
			buf[n++] = '-';
	}
	while (n > 0 && buf[n - 1] == '-')
		n--;
	buf[n] = '\0';
	*id = xstrdup(n > 0 ? buf : "item");
	*label = xstrdup(s);
}

/* Local midnight of the day T is in. */
static time_t
day_of(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

int
aup_leaver_start(struct aup_db *db, const char *ref, time_t leave_on,
    const char *reason, struct aup_err *err)
{
	return leaver_start_as(db, ref, leave_on, reason, "leaver.start", err);
}

int
leaver_start_as(struct aup_db *db, const char *ref, time_t leave_on,
    const char *reason, const char *action, struct aup_err *err)
{
	const char *const *items;
	struct aup_user *u = NULL;
	char **ids = NULL, **labels = NULL;
	char day[16];
	size_t n = 0;
	time_t on;
	int rc = -1;

	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0 || st_begin(db, err) != 0)
		return -1;
	if (aup_user_find(db, ref, &u, err) != 0)
		goto out;
	if (u->role == AUP_ROLE_CLASS || u->role == AUP_ROLE_VISITOR) {
		(void)core_refuse(err, "user", "%s is a %s: %s", u->username,
		    aup_role_name(u->role),
		    u->role == AUP_ROLE_CLASS ?
			"a class logon does not leave" :
			"a visit ends with 'aupctl visitor end'");
		goto out;
	}
	if (u->status == AUP_STATUS_LEAVING) {
		(void)core_refuse(err, "user", "%s is leaving already",
		    u->username);
		aup_err_hint(err, "see their checklist: aupctl leaver show %s",
		    u->username);
		goto out;
	}
	if (u->status != AUP_STATUS_ACTIVE &&
	    u->status != AUP_STATUS_SUSPENDED) {
		(void)core_refuse(err, "user", "%s is %s", u->username,
		    aup_status_name(u->status));
		goto out;
	}
	items = aup_config_leaver_items(db->cfg, u->role, &n);
	if (n == 0) {
		aup_err_set(err, AUP_EX_CONFIG,
		    "there is no leaver checklist for %s",
		    aup_role_name(u->role));
		aup_err_hint(err, "list its items in [leaver.%s] items",
		    aup_role_name(u->role));
		goto out;
	}
	ids = xcalloc(n, sizeof *ids);
	labels = xcalloc(n, sizeof *labels);
	for (size_t i = 0; i < n; i++)
		item_split(items[i], &ids[i], &labels[i]);
	on = day_of(leave_on != 0 ? leave_on : aup_now());
	aup_date_fmt(on, day, sizeof day);
	if (st_leaver_put(db, u->id, on, reason, aup_now(),
		(const char *const *)ids, (const char *const *)labels, n,
		err) != 0 ||
	    user_set_status_as(db, ref, AUP_STATUS_LEAVING,
		reason != NULL ? reason : "leaving", on + DAY, action,
		err) != 0 ||
	    st_commit(db, err) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		st_rollback(db);
	for (size_t i = 0; ids != NULL && i < n; i++) {
		free(ids[i]);
		free(labels[i]);
	}
	free(ids);
	free(labels);
	aup_user_free(u);
	return rc;
}

/* REF, and their checklist into L, inside the open transaction; with
 * OPEN, one not finished. */
static int
find(struct aup_db *db, const char *ref, bool open, struct aup_user **u,
    struct aup_leaver *l, struct aup_err *err)
{
	int rc;

	memset(l, 0, sizeof *l);
	if (aup_user_find(db, ref, u, err) != 0)
		return -1;
	if ((rc = st_leaver_get(db, (*u)->id, l, err)) < 0)
		return -1;
	if (rc == 1) {
		aup_err_set(err, AUP_EX_NOUSER, "%s has no leaver checklist",
		    (*u)->username);
		aup_err_hint(err, "open one with 'aupctl leaver start %s'",
		    (*u)->username);
		return -1;
	}
	l->user_id = (*u)->id;
	l->username = xstrdup((*u)->username);
	l->first = xstrdup((*u)->first);
	l->last = xstrdup((*u)->last);
	l->role = (*u)->role;
	l->status = (*u)->status;
	if (open && l->finished != 0)
		return core_refuse(err, "user", "%s's checklist is finished",
		    (*u)->username);
	return 0;
}

int
aup_leaver_get(struct aup_db *db, const char *ref, struct aup_leaver *out,
    struct aup_err *err)
{
	struct aup_user *u = NULL;
	int rc;

	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	rc = find(db, ref, false, &u, out, err);
	if (rc != 0)
		aup_leaver_clear(out);
	aup_user_free(u);
	return rc;
}

int
aup_leaver_of(struct aup_db *db, int64_t user_id, struct aup_leaver *out,
    struct aup_err *err)
{
	int rc;

	memset(out, 0, sizeof *out);
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	if ((rc = st_leaver_get(db, user_id, out, err)) != 0)
		aup_leaver_clear(out);
	else
		out->user_id = user_id;
	return rc;
}

/* The ids of L's items, for a message: "equipment, keys, pins". */
static void
item_ids(const struct aup_leaver *l, bool open_only, char *buf, size_t size)
{
	struct aup_buf b = { 0 };

	for (size_t i = 0; i < l->nitems; i++) {
		if (open_only &&
		    (l->items[i].done || tool_item(l->items[i].id)))
			continue;
		aup_buf_printf(&b, "%s%s", b.len > 0 ? ", " : "",
		    l->items[i].id);
	}
	aup_strlcpy(buf, b.data != NULL ? b.data : "", size);
	aup_buf_free(&b);
}

int
aup_leaver_tick(struct aup_db *db, const char *ref, const char *item,
    const char *note, struct aup_err *err)
{
	struct aup_user *u = NULL;
	struct aup_leaver l;
	struct aup_buf after = { 0 };
	struct aup_json j;
	int rc = -1;

	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0 || st_begin(db, err) != 0)
		return -1;
	if (find(db, ref, true, &u, &l, err) != 0)
		goto out;
	if ((rc = st_leaver_tick(db, u->id, item, aup_now(), db->operator, note,
		 err)) == 1) {
		char ids[512];

		for (size_t i = 0; i < l.nitems; i++)
			if (strcmp(l.items[i].id, item) == 0)
				goto out; /* ticked already: 1 */
		item_ids(&l, false, ids, sizeof ids);
		rc = core_refuse(err, "item", "%s's checklist has no item '%s'",
		    u->username, item);
		aup_err_hint(err, "its items are %s", ids);
		goto out;
	}
	if (rc != 0)
		goto out;
	aup_json_init(&j, &after);
	aup_json_object(&j);
	aup_json_kstr(&j, "item", item);
	aup_json_kstr(&j, "note", note);
	aup_json_end(&j);
	if (aup_log_add(db, "leaver.tick", u, NULL, after.data, err) != 0 ||
	    st_commit(db, err) != 0)
		rc = -1;
out:
	if (rc != 0)
		st_rollback(db);
	aup_buf_free(&after);
	aup_leaver_clear(&l);
	aup_user_free(u);
	return rc;
}

/* A hash no password matches: of 32 random bytes that are then forgotten.
 * It costs what any hash does, so a login tried on it looks like any
 * other wrong one. */
static int
unusable_hash(struct aup_db *db, char **phc, struct aup_err *err)
{
	unsigned char b[32];
	char hex[65];
	int rc;

	if (aup_random_bytes(b, sizeof b, err) != 0)
		return -1;
	for (size_t i = 0; i < sizeof b; i++)
		snprintf(hex + 2 * i, 3, "%02x", b[i]);
	rc = aup_pw_hash(db->cfg, hex, phc, err);
	explicit_bzero(b, sizeof b);
	explicit_bzero(hex, sizeof hex);
	return rc;
}

int
aup_leaver_finish(struct aup_db *db, const char *ref, bool force,
    const char *reason, struct aup_err *err)
{
	struct aup_user *u = NULL;
	struct aup_leaver l = { 0 };
	char *phc = NULL, open[512];
	time_t now = aup_now();
	int rc = -1;

	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0)
		return -1;
	if (force && (reason == NULL || *reason == '\0'))
		return aup_err_set(err, AUP_EX_USAGE,
		    "finishing with items open needs a reason");
	/* The hash first: it is slow, and needs no lock. */
	if (unusable_hash(db, &phc, err) != 0 || st_begin(db, err) != 0) {
		free(phc);
		return -1;
	}
	if (find(db, ref, true, &u, &l, err) != 0)
		goto out;
	item_ids(&l, true, open, sizeof open);
	if (open[0] != '\0' && !force) {
		(void)core_refuse(err, "item",
		    "%s's checklist has items open: %s", u->username, open);
		aup_err_hint(err,
		    "tick them with 'aupctl leaver tick %s ITEM', or finish "
		    "with --force --reason TEXT",
		    u->username);
		goto out;
	}
	for (size_t i = 0; i < l.nitems; i++)
		if (!l.items[i].done && tool_item(l.items[i].id) &&
		    st_leaver_tick(db, u->id, l.items[i].id, now, "aupctl",
			NULL, err) < 0)
			goto out;
	if (st_pw_set(db, u->id, phc, now, false, err) != 0 ||
	    st_auth_set(db, u->id, 0, 0, u->last_login, err) != 0 ||
	    st_leaver_finish(db, u->id, now, open[0] != '\0' ? reason : NULL,
		err) != 0 ||
	    user_set_status_as(db, ref, AUP_STATUS_LEFT,
		open[0] != '\0' ? reason : "left", now, "leaver.finish",
		err) != 0 ||
	    st_commit(db, err) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		st_rollback(db);
	free(phc);
	aup_leaver_clear(&l);
	aup_user_free(u);
	return rc;
}

int
aup_leaver_list(struct aup_db *db, bool pending, aup_leaver_fn fn, void *arg,
    struct aup_err *err)
{
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	return st_leaver_list(db, pending, pending ? INT64_MAX : 0, fn, arg,
	    err);
}

int
aup_leaver_stale(struct aup_db *db, time_t before, aup_leaver_fn fn, void *arg,
    struct aup_err *err)
{
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	return st_leaver_list(db, true, before, fn, arg, err);
}
