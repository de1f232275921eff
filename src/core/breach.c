/* Breaches of an acceptable use agreement: recorded with the operator and
 * the time, with a suspension when the sanction is one, listed, and counted
 * by term for the governors. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "aup/breach.h"
#include "aup/clock.h"
#include "aup/json.h"
#include "aup/user.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "core.h"

#define NOTE_MAX_BYTES 1000
#define DAY	       (24 * 60 * 60)

static const char categories[] = "ABCD";

static int
refuse(struct aup_err *err, const char *field)
{
	aup_err_field(err, field);
	return -1;
}

int
aup_breach_category_parse(const char *s)
{
	const char *p;

	if (s == NULL || s[0] == '\0' || s[1] != '\0' ||
	    (p = strchr(categories, s[0] & ~0x20)) == NULL)
		return -1;
	return (int)(p - categories);
}

void
aup_breach_filter_init(struct aup_breach_filter *f)
{
	memset(f, 0, sizeof *f);
	f->category = -1;
}

static int
check_breach(const char *category, const char *note, int days,
    struct aup_err *err)
{
	if (aup_breach_category_parse(category) < 0) {
		aup_err_set(err, AUP_EX_USAGE, "unknown breach category '%s'",
		    category != NULL ? category : "");
		aup_err_hint(err,
		    "categories are A (least serious) to D (most), as the "
		    "agreement's sanctions sort them");
		return refuse(err, "category");
	}
	if (note == NULL || *note == '\0' || strlen(note) > NOTE_MAX_BYTES ||
	    !aup_utf8_valid(note)) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "the note must say what happened: one line of at most %d "
		    "bytes",
		    NOTE_MAX_BYTES);
		return refuse(err, "note");
	}
	if (days < 0 || days > AUP_BREACH_DAYS_MAX) {
		aup_err_set(err, AUP_EX_USAGE,
		    "a suspension is 1 to %d days, not %d", AUP_BREACH_DAYS_MAX,
		    days);
		return refuse(err, "suspend_days");
	}
	return 0;
}

/* The log entry of breach ID of U, inside the open transaction. */
static int
breach_log(struct aup_db *db, const struct aup_user *u, int64_t id, char cat,
    const char *note, time_t until, struct aup_err *err)
{
	struct aup_buf b = { 0 };
	struct aup_json j;
	char c[2] = { cat, '\0' }, t[32];
	int rc;

	aup_json_init(&j, &b);
	aup_json_object(&j);
	aup_json_kint(&j, "breach", id);
	aup_json_kstr(&j, "category", c);
	aup_json_kstr(&j, "note", note);
	if (until != 0) {
		aup_time_fmt(until, t, sizeof t);
		aup_json_kstr(&j, "suspended_until", t);
	}
	aup_json_end(&j);
	rc = aup_log_add(db, "aup.breach", u, NULL, b.data, err);
	aup_buf_free(&b);
	return rc;
}

int
aup_breach_record(struct aup_db *db, const char *ref, const char *category,
    const char *note, int suspend_days, int64_t *id, struct aup_err *err)
{
	struct aup_user *u = NULL;
	char cat, ref_id[32], reason[128];
	time_t now = aup_now(), until = 0;
	int64_t bid = 0;
	int rc = -1;

	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0 ||
	    check_breach(category, note, suspend_days, err) != 0)
		return -1;
	cat = categories[aup_breach_category_parse(category)];
	if (suspend_days > 0)
		until = now + (time_t)suspend_days * DAY;
	if (st_begin(db, err) != 0)
		return -1;
	if (aup_user_find(db, ref, &u, err) != 0 ||
	    st_breach_insert(db, u->id, cat, note, now, db->operator, until,
		&bid, err) != 0 ||
	    breach_log(db, u, bid, cat, note, until, err) != 0)
		goto out;
	/* A longer suspension already running is kept, never shortened. */
	if (until != 0 && aup_user_status_now(u, now) == AUP_STATUS_SUSPENDED &&
	    (u->status_until == 0 || u->status_until >= until))
		until = 0;
	if (until != 0) {
		/* Through the one path every suspension takes, so that
		 * check --mark lifts it and auth refuses until then. */
		snprintf(ref_id, sizeof ref_id, "id:%" PRId64, u->id);
		snprintf(reason, sizeof reason,
		    "breach of the acceptable use agreement, category %c "
		    "(breach %" PRId64 ")",
		    cat, bid);
		if (aup_user_suspend(db, ref_id, reason, until, err) != 0)
			goto out;
	}
	if (st_commit(db, err) != 0)
		goto out;
	if (id != NULL)
		*id = bid;
	rc = 0;
out:
	if (rc != 0)
		st_rollback(db);
	aup_user_free(u);
	return rc;
}

int
aup_breach_query(struct aup_db *db, const struct aup_breach_filter *f,
    aup_breach_fn fn, void *arg, struct aup_err *err)
{
	struct aup_user *u = NULL;
	int64_t user_id = 0;
	char cat = 0;

	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	if (f->category >= AUP_BREACH_NCAT)
		return aup_err_set(err, AUP_EX_USAGE,
		    "unknown breach category %d", f->category);
	if (f->category >= 0)
		cat = categories[f->category];
	if (f->user != NULL) {
		if (aup_user_find(db, f->user, &u, err) != 0)
			return -1;
		user_id = u->id;
		aup_user_free(u);
	}
	return st_breach_query(db, f->since, cat, user_id, fn, arg, err);
}

int
aup_breach_walk_user(struct aup_db *db, int64_t user_id, aup_breach_fn fn,
    void *arg, struct aup_err *err)
{
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	return st_breach_walk_user(db, user_id, fn, arg, err);
}

const char *
aup_term_name(enum aup_term t)
{
	static const char *const names[AUP_NTERMS] = { "autumn", "spring",
		"summer" };

	return (unsigned)t < AUP_NTERMS ? names[t] : "?";
}

enum aup_term
aup_term_of(time_t t, int month, int day)
{
	struct tm tm;
	int m;

	localtime_r(&t, &tm);
	/* Months since the year began: a day before the start day in the
	 * start month is the end of the year before. */
	m = (tm.tm_mon + 1 - month + 12) % 12;
	if (m == 0 && tm.tm_mday < day)
		m = 11;
	return m < 4 ? AUP_TERM_AUTUMN :
	    m < 7    ? AUP_TERM_SPRING :
		       AUP_TERM_SUMMER;
}

/* The first moment of academic YEAR, local time. */
static time_t
year_start(int year, int month, int day)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

struct counting {
	long (*counts)[AUP_BREACH_NCAT];
	int month, day;
};

static int
count_one(void *arg, char category, time_t at)
{
	struct counting *c = arg;
	const char *p = strchr(categories, category);

	if (p != NULL && category != '\0')
		c->counts[aup_term_of(at, c->month, c->day)][p - categories]++;
	return 0;
}

int
aup_breach_counts(struct aup_db *db, int year,
    long counts[AUP_NTERMS][AUP_BREACH_NCAT], struct aup_err *err)
{
	const struct aup_config *cfg = db->cfg;
	struct counting c = { counts, cfg->year_start_month,
		cfg->year_start_day };
	struct aup_school sc;

	memset(counts, 0, sizeof(long[AUP_NTERMS][AUP_BREACH_NCAT]));
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	if (year == 0) {
		if (aup_school_get(db, &sc, err) != 0)
			return -1;
		year = sc.academic_year;
		aup_school_clear(&sc);
	}
	return st_breach_between(db, year_start(year, c.month, c.day),
	    year_start(year + 1, c.month, c.day), count_one, &c, err);
}
