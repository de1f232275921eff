/* Parents' and carers' consents for pupils, one set per academic year:
 * recorded (again: replaced, the log keeping what it was) and listed. */
#include <stdlib.h>
#include <string.h>

#include "aup/aup.h"
#include "aup/clock.h"
#include "aup/consent.h"
#include "aup/json.h"
#include "aup/user.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "core.h"

#define SIGNER_MAX_BYTES 100

void
aup_consent_filter_init(struct aup_consent_filter *f)
{
	memset(f, 0, sizeof *f);
	f->images = -1;
	f->platforms = -1;
}

/* Refuse the value of FIELD: ERR is already set; name the field. */
static int
refuse(struct aup_err *err, const char *field)
{
	aup_err_field(err, field);
	return -1;
}

/* YEAR as given, or the current academic year for 0. */
static int
year_or_current(struct aup_db *db, int year, int *out, struct aup_err *err)
{
	struct aup_school sc;

	if (year != 0) {
		if (year < 1970 || year > 9998) {
			aup_err_set(err, AUP_EX_USAGE,
			    "%d is not an academic year", year);
			return refuse(err, "year");
		}
		*out = year;
		return 0;
	}
	if (aup_school_get(db, &sc, err) != 0)
		return -1;
	*out = sc.academic_year;
	aup_school_clear(&sc);
	return 0;
}

static int
check_spec(const struct aup_consent_spec *s, struct aup_err *err)
{
	const char *rel = s->relationship;

	if (rel == NULL ||
	    (strcmp(rel, "parent") != 0 && strcmp(rel, "carer") != 0)) {
		aup_err_set(err, AUP_EX_USAGE,
		    "the relationship '%s' is not parent or carer",
		    rel != NULL ? rel : "");
		aup_err_hint(err, "a consent is given by a parent or a carer");
		return refuse(err, "relationship");
	}
	if (s->signer == NULL || *s->signer == '\0' ||
	    strlen(s->signer) > SIGNER_MAX_BYTES ||
	    !aup_utf8_valid(s->signer)) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "the signer must be a name: one line of at most %d bytes",
		    SIGNER_MAX_BYTES);
		return refuse(err, "signer");
	}
	return 0;
}

static void
json_consent(struct aup_buf *b, int year, const struct st_consent *c)
{
	struct aup_json j;
	char label[8];

	aup_academic_year_label(year, label, sizeof label);
	aup_json_init(&j, b);
	aup_json_object(&j);
	aup_json_kstr(&j, "academic_year", label);
	aup_json_kbool(&j, "images", c->images);
	aup_json_kbool(&j, "platforms", c->platforms);
	aup_json_kstr(&j, "signer", c->signer);
	aup_json_kstr(&j, "relationship", c->relationship);
	if (c->form != NULL) {
		aup_json_kstr(&j, "form", c->form);
		aup_json_kint(&j, "version", c->version);
	}
	aup_json_end(&j);
}

static bool
consent_same(const struct st_consent *a, const struct st_consent *b)
{
	return a->images == b->images && a->platforms == b->platforms &&
	    strcmp(a->signer, b->signer) == 0 &&
	    strcmp(a->relationship, b->relationship) == 0;
}

/* Inside the open transaction: U's consent for YEAR becomes NEW. */
static int
consent_save(struct aup_db *db, const struct aup_user *u, int year,
    const struct st_consent *new, struct aup_err *err)
{
	struct st_consent old;
	struct aup_buf before = { 0 }, after = { 0 };
	int rc;

	if (u->role != AUP_ROLE_PUPIL) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "%s is %s, not a pupil: consents are a parent's or "
		    "carer's for a pupil",
		    u->username, aup_role_name(u->role));
		return refuse(err, "user");
	}
	if (u->status == AUP_STATUS_LEFT) {
		aup_err_set(err, AUP_EX_DATAERR, "%s has left the school",
		    u->username);
		return refuse(err, "user");
	}
	if ((rc = st_consent_get(db, u->id, year, &old, err)) < 0)
		return -1;
	if (rc == 0 && consent_same(&old, new)) {
		st_consent_clear(&old);
		return 1;
	}
	if (rc == 0)
		json_consent(&before, year, &old);
	json_consent(&after, year, new);
	rc = st_consent_put(db, u->id, year, new, aup_now(), db->operator,
		 err) == 0 &&
		aup_log_add(db, "aup.consent", u, before.data, after.data,
		    err) == 0 ?
	    0 :
	    -1;
	st_consent_clear(&old);
	aup_buf_free(&before);
	aup_buf_free(&after);
	return rc;
}

/* The consent form of the forms' index into C, its text kept as a signed
 * agreement's is; none when the school's forms have none. */
static int
consent_form(struct aup_db *db, struct st_consent *c, struct aup_err *err)
{
	const struct aup_form *v;
	size_t n;

	if (aup_forms(db, &v, &n, err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (v[i].kind == AUP_FORM_CONSENT) {
			c->form = xstrdup(v[i].id);
			c->version = v[i].version;
			return aup_form_keep(db, &v[i], err);
		}
	return 0;
}

int
aup_consent_record(struct aup_db *db, const char *ref,
    const struct aup_consent_spec *s, struct aup_err *err)
{
	struct st_consent c = { s->images, s->platforms, NULL, NULL, NULL, 0 };
	struct aup_user *u = NULL;
	int year, rc;

	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0 ||
	    check_spec(s, err) != 0 ||
	    year_or_current(db, s->year, &year, err) != 0 ||
	    st_begin(db, err) != 0)
		return -1;
	c.signer = xstrdup(s->signer);
	c.relationship = xstrdup(s->relationship);
	rc = aup_user_find(db, ref, &u, err);
	if (rc == 0 && (rc = consent_form(db, &c, err)) == 0)
		rc = consent_save(db, u, year, &c, err);
	if (rc == 0 && st_commit(db, err) != 0)
		rc = -1;
	if (rc != 0)
		st_rollback(db);
	st_consent_clear(&c);
	aup_user_free(u);
	return rc;
}

int
aup_consent_query(struct aup_db *db, const struct aup_consent_filter *f,
    aup_consent_fn fn, void *arg, struct aup_err *err)
{
	struct aup_consent_filter q = *f;

	if (aup_perm(db, AUP_PERM_READ, err) != 0 ||
	    year_or_current(db, f->year, &q.year, err) != 0)
		return -1;
	if (f->missing && (f->images >= 0 || f->platforms >= 0)) {
		aup_err_set(err, AUP_EX_USAGE,
		    "pupils with no consent recorded have no answer to "
		    "filter on");
		aup_err_hint(err, "ask for the missing, or for an answer");
		return -1;
	}
	return st_consent_query(db, &q, fn, arg, err);
}

int
aup_consent_walk_user(struct aup_db *db, int64_t user_id, aup_consent_fn fn,
    void *arg, struct aup_err *err)
{
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	return st_consent_walk_user(db, user_id, fn, arg, err);
}
