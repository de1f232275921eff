/* People: validation of their details, usernames, and the changes an office
 * makes to them, each in a transaction with its audit log entry. */
#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/clock.h"
#include "aup/json.h"
#include "aup/password.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "core.h"
#include "pwstore.h"

#define NAME_MAX_BYTES 100
#define USERNAME_MAX   32
/* A username made from a template fits a Windows logon name, suffix and
 * all. */
#define USERNAME_MADE_MAX 20

bool
aup_username_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > USERNAME_MAX || !isalnum((unsigned char)s[0]))
		return false;
	for (; *s != '\0'; s++)
		if (!(islower((unsigned char)*s) ||
			isdigit((unsigned char)*s) || *s == '.' || *s == '_' ||
			*s == '-'))
			return false;
	return true;
}

void
aup_user_filter_init(struct aup_user_filter *f)
{
	memset(f, 0, sizeof *f);
	f->role = -1;
	f->ks = -1;
	f->year = AUP_YEAR_NONE;
	f->status = -1;
}

enum aup_status
aup_user_status_now(const struct aup_user *u, time_t now)
{
	return user_status_at(u->status, u->status_until, u->expires, now);
}

/* Refuse the value of FIELD: ERR is already set; name the field. */
static int
refuse(struct aup_err *err, const char *field)
{
	aup_err_field(err, field);
	return -1;
}

/* A character that shows as nothing but space: a name of only these is
 * blank. */
static bool
is_blank(int32_t cp)
{
	return cp == ' ' || cp == 0xa0 || cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f || cp == 0x205f ||
	    cp == 0x3000;
}

/* A character that is invisible (zero width) or changes the direction of
 * the text around it (bidirectional controls): in a name it makes two
 * names that look alike differ, or a list read wrongly. */
static bool
is_hidden(int32_t cp)
{
	return (cp >= 0x200b && cp <= 0x200f) || cp == 0x2060 || cp == 0xfeff ||
	    cp == 0x061c || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

/* Field checks shared by add and edit; each names its field in ERR. */
static int
check_name(const char *what, const char *v, struct aup_err *err)
{
	const char *p = v;
	bool blank = true;
	int32_t cp;

	if (v == NULL || *v == '\0') {
		aup_err_set(err, AUP_EX_DATAERR, "the %s name is empty", what);
		return refuse(err, what);
	}
	if (strlen(v) > NAME_MAX_BYTES || !aup_utf8_valid(v)) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "the %s name '%s' is not a "
		    "name (at most %d bytes of text, no control characters)",
		    what, v, NAME_MAX_BYTES);
		return refuse(err, what);
	}
	while ((cp = aup_utf8_next(&p)) > 0) {
		if (is_hidden(cp)) {
			/* Not echoed: it would hide or reorder the message. */
			aup_err_set(err, AUP_EX_DATAERR,
			    "the %s name holds an "
			    "invisible or direction-changing character "
			    "(U+%04" PRIX32 ")",
			    what, (uint32_t)cp);
			return refuse(err, what);
		}
		blank = blank && is_blank(cp);
	}
	if (blank) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "the %s name is only white space", what);
		return refuse(err, what);
	}
	return 0;
}

static int
check_token(const char *field, const char *what, const char *v, size_t max,
    struct aup_err *err)
{
	if (v == NULL || *v == '\0')
		return 0;
	if (strlen(v) > max) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "%s '%s' is longer than %zu characters", what, v, max);
		return refuse(err, field);
	}
	for (const char *p = v; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f) {
			aup_err_set(err, AUP_EX_DATAERR,
			    "%s '%s' may hold "
			    "only letters, digits and punctuation, no spaces",
			    what, v);
			return refuse(err, field);
		}
	return 0;
}

static int
check_email(const char *v, struct aup_err *err)
{
	const char *at;

	if (v == NULL || *v == '\0')
		return 0;
	if (check_token("email", "email", v, 254, err) != 0)
		return -1;
	at = strchr(v, '@');
	if (at == NULL || at == v || strchr(at + 1, '@') != NULL ||
	    strchr(at, '.') == NULL || at[strlen(at) - 1] == '.') {
		aup_err_set(err, AUP_EX_DATAERR, "'%s' is not an email address",
		    v);
		aup_err_hint(err, "write it as name@school.example");
		return refuse(err, "email");
	}
	return 0;
}

static int
check_class(const char *v, struct aup_err *err)
{
	if (v == NULL || *v == '\0')
		return 0;
	if (strlen(v) > 32 || !aup_utf8_valid(v)) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "class '%s' is not a class name (at most 32 bytes of text)",
		    v);
		return refuse(err, "class");
	}
	return 0;
}

static int
check_year(enum aup_role role, int year, struct aup_err *err)
{
	if (role == AUP_ROLE_PUPIL && year == AUP_YEAR_NONE) {
		aup_err_set(err, AUP_EX_DATAERR, "a pupil needs a year group");
		aup_err_hint(err, "a year group is N, R or 1 to 13");
		return refuse(err, "year");
	}
	if (year != AUP_YEAR_NONE && role != AUP_ROLE_PUPIL &&
	    role != AUP_ROLE_CLASS) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "a year group is only for "
		    "pupils and class logons, not for %s",
		    aup_role_name(role));
		return refuse(err, "year");
	}
	return 0;
}

/* Does the username template TPL use the name NAME ("first": {first} or
 * {f})? */
static bool
template_uses(const char *tpl, const char *name)
{
	char whole[16], initial[4];

	snprintf(whole, sizeof whole, "{%s}", name);
	snprintf(initial, sizeof initial, "{%c}", name[0]);
	return strstr(tpl, whole) != NULL || strstr(tpl, initial) != NULL;
}

/*
 * Expand the role's username template for a new person into OUT. A name
 * the template uses must keep a letter or digit in a-z and 0-9, or the
 * username would say nothing of the person ("Мария Иванова" would be
 * "user"): then -1, with ERR asking for a username.
 */
static int
template_username(const struct aup_config *cfg, const struct aup_user_spec *s,
    char *out, size_t size, struct aup_err *err)
{
	const char *tpl = s->role == AUP_ROLE_PUPIL ? cfg->pupil_username :
	    s->role == AUP_ROLE_VISITOR		    ? cfg->visitor_username :
						      cfg->staff_username;
	char first[64], last[64];
	struct aup_buf b = { 0 };
	bool class_logon = s->role == AUP_ROLE_CLASS && s->class_name != NULL;

	aup_name_ascii(s->first, first, sizeof first);
	aup_name_ascii(s->last, last, sizeof last);
	if (class_logon) {
		aup_name_ascii(s->class_name, first, sizeof first);
		tpl = "class{first}";
	}
	if ((first[0] == '\0' && template_uses(tpl, "first")) ||
	    (last[0] == '\0' && template_uses(tpl, "last"))) {
		if (class_logon)
			aup_err_set(err, AUP_EX_DATAERR,
			    "no username can be "
			    "made from the class '%s', which has no letters "
			    "a-z; give a username",
			    s->class_name);
		else
			aup_err_set(err, AUP_EX_DATAERR,
			    "no username can be "
			    "made from '%s %s': %s no letters a-z; give a "
			    "username",
			    s->first, s->last,
			    first[0] == '\0' && last[0] == '\0' ?
				"the names have" :
				"one name has");
		aup_err_hint(err,
		    "a username is 1 to 32 of a-z, 0-9, '.', '_' "
		    "and '-', such as the name as it is written in Latin "
		    "letters");
		return -1;
	}
	for (const char *p = tpl; *p != '\0'; p++) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		size_t n = end ? (size_t)(end - p - 1) : 0;

		if (end == NULL) {
			if (islower((unsigned char)*p) ||
			    isdigit((unsigned char)*p) || *p == '.' ||
			    *p == '_' || *p == '-')
				aup_buf_add(&b, p, 1);
			continue;
		}
		if (n == 5 && strncmp(p + 1, "first", 5) == 0)
			aup_buf_puts(&b, first);
		else if (n == 4 && strncmp(p + 1, "last", 4) == 0)
			aup_buf_puts(&b, last);
		else if (n == 1 && p[1] == 'f')
			aup_buf_add(&b, first, first[0] ? 1 : 0);
		else if (n == 1 && p[1] == 'l')
			aup_buf_add(&b, last, last[0] ? 1 : 0);
		else if (n == 2 && strncmp(p + 1, "yy", 2) == 0) {
			/* The year they started Reception, as two digits. */
			int ay = aup_academic_year(aup_now(),
			    cfg->year_start_month, cfg->year_start_day);
			int yr = s->year != AUP_YEAR_NONE ? s->year : 0;
			aup_buf_printf(&b, "%02d",
			    ((ay - yr) % 100 + 100) % 100);
		} else if (n == 3 && strncmp(p + 1, "mis", 3) == 0 &&
		    s->mis_id != NULL) {
			char mis[64];
			aup_name_ascii(s->mis_id, mis, sizeof mis);
			aup_buf_puts(&b, mis);
		}
		p = end;
	}
	if (b.len == 0 || !isalnum((unsigned char)b.data[0])) {
		aup_buf_free(&b);
		aup_buf_puts(&b, "user");
	}
	aup_strlcpy(out, b.data,
	    size < USERNAME_MADE_MAX + 1 ? size : USERNAME_MADE_MAX + 1);
	aup_buf_free(&b);
	return 0;
}

/*
 * A set of strings, each with a number and a string: a batch's reserved
 * usernames, the next suffix to try after each template base, and the MIS
 * ids with the username each is planned for. Open addressing, FNV-1a.
 */
struct strmap_entry {
	char *key;
	char *val;
	long num;
};
struct strmap {
	struct strmap_entry *v;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

static size_t
strmap_slot(const struct strmap *m, const char *key)
{
	uint64_t h = 14695981039346656037u;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	for (size_t i = (size_t)h & (m->cap - 1);; i = (i + 1) & (m->cap - 1))
		if (m->v[i].key == NULL || strcmp(m->v[i].key, key) == 0)
			return i;
}

static struct strmap_entry *
strmap_find(const struct strmap *m, const char *key)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	i = strmap_slot(m, key);
	return m->v[i].key != NULL ? &m->v[i] : NULL;
}

/* The entry for KEY, made (with num 0, val NULL) if there is none. */
static struct strmap_entry *
strmap_put(struct strmap *m, const char *key)
{
	size_t i;

	if ((m->n + 1) * 4 > m->cap * 3) {
		struct strmap old = *m;

		m->cap = old.cap ? old.cap * 2 : 64;
		m->v = xcalloc(m->cap, sizeof *m->v);
		for (size_t j = 0; j < old.cap; j++)
			if (old.v[j].key != NULL)
				m->v[strmap_slot(m, old.v[j].key)] = old.v[j];
		free(old.v);
	}
	i = strmap_slot(m, key);
	if (m->v[i].key == NULL) {
		m->v[i].key = xstrdup(key);
		m->n++;
	}
	return &m->v[i];
}

static void
strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->v[i].key);
		free(m->v[i].val);
	}
	free(m->v);
	memset(m, 0, sizeof *m);
}

struct aup_user_batch {
	struct strmap names; /* usernames planned */
	struct strmap bases; /* template base: next suffix to try */
	struct strmap mis;   /* MIS id: the username planned */
	int final_year;	     /* the school's; 0 until read */
};

/* A pupil's YEAR may not be above the school's final year, read into
 * *CACHE (when not NULL) the first time. */
static int
check_final_year(struct aup_db *db, int *cache, enum aup_role role, int year,
    struct aup_err *err)
{
	struct aup_school school;
	int final;

	if (role != AUP_ROLE_PUPIL || year == AUP_YEAR_NONE)
		return 0;
	if (cache != NULL && *cache > 0)
		final = *cache;
	else {
		if (aup_school_get(db, &school, err) != 0)
			return -1;
		final = school.final_year;
		aup_school_clear(&school);
		if (cache != NULL)
			*cache = final;
	}
	if (year <= final)
		return 0;
	aup_err_set(err, AUP_EX_DATAERR,
	    "year %s is above the school's final year, %d", aup_year_name(year),
	    final);
	aup_err_hint(err,
	    "the school's final year was given when the database "
	    "was made; [school] final_year in the configuration sets another");
	return -1;
}

struct aup_user_batch *
aup_user_batch_new(void)
{
	return xcalloc(1, sizeof(struct aup_user_batch));
}

void
aup_user_batch_free(struct aup_user_batch *b)
{
	if (b == NULL)
		return;
	strmap_free(&b->names);
	strmap_free(&b->bases);
	strmap_free(&b->mis);
	free(b);
}

/* 1 when NAME is neither in the database nor planned in B, 0 when it is
 * taken, -1 on error. */
static int
username_free(struct aup_db *db, const struct aup_user_batch *b,
    const char *name, struct aup_err *err)
{
	int taken;

	if (b != NULL && strmap_find(&b->names, name) != NULL)
		return 0;
	taken = st_username_taken(db, name, err);
	return taken < 0 ? -1 : !taken;
}

/* The username for S: the one given, or the role's template with the first
 * free numeric suffix from 2, counting on from where B last stopped. */
static int
choose_username(struct aup_db *db, struct aup_user_batch *b,
    const struct aup_user_spec *s, char *out, size_t size, struct aup_err *err)
{
	char base[USERNAME_MAX + 1];
	struct strmap_entry *e;
	long i = 1;
	int rc;

	if (s->username != NULL) {
		if ((rc = username_free(db, b, s->username, err)) <= 0) {
			if (rc == 0) {
				aup_err_set(err, AUP_EX_DATAERR,
				    "username '%s' is already in use",
				    s->username);
				aup_err_field(err, "username");
			}
			return -1;
		}
		aup_strlcpy(out, s->username, size);
		return 0;
	}
	if (template_username(db->cfg, s, base, sizeof base, err) != 0)
		return -1;
	if (b != NULL && (e = strmap_find(&b->bases, base)) != NULL)
		i = e->num;
	/* A suffix takes the base's last letters, never the length. */
	if (size > USERNAME_MADE_MAX + 1)
		size = USERNAME_MADE_MAX + 1;
	for (;; i++) {
		char suffix[8] = "";

		if (i >= 100000)
			return aup_err_set(err, AUP_EX_DATAERR,
			    "every username from %s to %s99999 is taken", base,
			    base);
		if (i > 1)
			snprintf(suffix, sizeof suffix, "%ld", i);
		snprintf(out, size, "%.*s%s", (int)(size - 1 - strlen(suffix)),
		    base, suffix);
		if ((rc = username_free(db, b, out, err)) < 0)
			return -1;
		if (rc == 1)
			break;
	}
	if (b != NULL)
		strmap_put(&b->bases, base)->num = i + 1;
	return 0;
}

static void
json_user(struct aup_buf *b, const struct aup_user *u)
{
	struct aup_json j;

	aup_json_init(&j, b);
	aup_json_object(&j);
	aup_json_kstr(&j, "username", u->username);
	aup_json_kstr(&j, "role", aup_role_name(u->role));
	aup_json_kstr(&j, "first", u->first);
	aup_json_kstr(&j, "last", u->last);
	if (u->year != AUP_YEAR_NONE)
		aup_json_kstr(&j, "year", aup_year_name(u->year));
	if (u->class_name != NULL)
		aup_json_kstr(&j, "class", u->class_name);
	if (u->mis_id != NULL)
		aup_json_kstr(&j, "mis_id", u->mis_id);
	if (u->email != NULL)
		aup_json_kstr(&j, "email", u->email);
	if (u->legal_first != NULL)
		aup_json_kstr(&j, "legal_first", u->legal_first);
	if (u->legal_last != NULL)
		aup_json_kstr(&j, "legal_last", u->legal_last);
	aup_json_end(&j);
}

static char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

static void
problem_add(struct aup_problems *out, const char *field,
    const struct aup_err *e)
{
	out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
	out->v[out->n].field = field;
	out->v[out->n].err = *e;
	aup_err_field(&out->v[out->n].err, field);
	out->n++;
}

void
aup_problems_free(struct aup_problems *p)
{
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

size_t
aup_user_validate(const struct aup_config *cfg, const struct aup_user_spec *s,
    struct aup_problems *out)
{
	struct aup_err e;
	bool role_ok = (int)s->role >= 0 && s->role < AUP_ROLE_COUNT, names_ok;

	out->v = NULL;
	out->n = 0;
	aup_err_clear(&e);
	if (!role_ok) {
		aup_err_set(&e, AUP_EX_DATAERR, "there is no role number %d",
		    (int)s->role);
		aup_err_hint(&e, "a role is one of %s", aup_role_list());
		problem_add(out, "role", &e);
	}
	if (check_name("first", s->first, &e) != 0)
		problem_add(out, "first", &e);
	if (check_name("last", s->last, &e) != 0)
		problem_add(out, "last", &e);
	if (s->legal_first != NULL && *s->legal_first != '\0' &&
	    check_name("first", s->legal_first, &e) != 0)
		problem_add(out, "first", &e);
	if (s->legal_last != NULL && *s->legal_last != '\0' &&
	    check_name("last", s->legal_last, &e) != 0)
		problem_add(out, "last", &e);
	names_ok = out->n == (role_ok ? 0 : 1);
	if (role_ok && check_year(s->role, s->year, &e) != 0)
		problem_add(out, "year", &e);
	if (check_class(s->class_name, &e) != 0)
		problem_add(out, "class", &e);
	else if (s->role == AUP_ROLE_CLASS &&
	    (s->class_name == NULL || *s->class_name == '\0')) {
		aup_err_set(&e, AUP_EX_DATAERR, "a class logon needs a class");
		problem_add(out, "class", &e);
	}
	if (check_token("mis_id", "MIS id", s->mis_id, 32, &e) != 0)
		problem_add(out, "mis_id", &e);
	if (check_email(s->email, &e) != 0)
		problem_add(out, "email", &e);
	if (s->username != NULL && !aup_username_valid(s->username)) {
		aup_err_set(&e, AUP_EX_DATAERR, "username '%s' is not allowed",
		    s->username);
		aup_err_hint(&e,
		    "use 1 to 32 of a-z, 0-9, '.', '_' and '-', "
		    "starting with a letter or digit");
		problem_add(out, "username", &e);
	} else if (s->username == NULL && role_ok && names_ok &&
	    check_class(s->class_name, &e) == 0) {
		char base[USERNAME_MAX + 1];

		if (template_username(cfg, s, base, sizeof base, &e) != 0)
			problem_add(out, "username", &e);
	}
	if (s->password != NULL && s->generate) {
		aup_err_set(&e, AUP_EX_DATAERR,
		    "a password was given and one was to be made: choose one");
		problem_add(out, "password", &e);
	} else if (role_ok && (s->password != NULL || s->generate) &&
	    pw_allowed(cfg, s->role, s->year, &e) != 0)
		problem_add(out, "password", &e);
	if (s->status != AUP_STATUS_ACTIVE && s->status != AUP_STATUS_LEAVING &&
	    s->status != AUP_STATUS_LEFT) {
		aup_err_set(&e, AUP_EX_DATAERR,
		    "a new person is active, leaving or left");
		problem_add(out, "status", &e);
	}
	return out->n;
}

void
aup_user_plan_clear(struct aup_user_plan *p)
{
	aup_user_clear(&p->user);
	aup_secret_free(p->password);
	free(p->phc);
	memset(p, 0, sizeof *p);
}

int
aup_user_plan(struct aup_db *db, struct aup_user_batch *b,
    const struct aup_user_spec *s, struct aup_user_plan *p, struct aup_err *err)
{
	struct aup_problems probs;
	struct aup_user *u = &p->user;
	struct strmap_entry *e = NULL;
	char username[USERNAME_MAX + 1];

	memset(p, 0, sizeof *p);
	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0)
		return -1;
	if (aup_user_validate(db->cfg, s, &probs) > 0) {
		*err = probs.v[0].err;
		aup_problems_free(&probs);
		return -1;
	}
	if ((s->password != NULL || s->generate) &&
	    aup_perm(db, aup_perm_pw(s->role), err) != 0)
		return -1;
	if (check_final_year(db, b != NULL ? &b->final_year : NULL, s->role,
		s->year, err) != 0)
		return -1;
	if (s->mis_id != NULL && *s->mis_id != '\0') {
		struct aup_user other;
		int rc;

		if (b != NULL &&
		    (e = strmap_find(&b->mis, s->mis_id)) != NULL) {
			aup_err_set(err, AUP_EX_DATAERR,
			    "MIS id %s already "
			    "belongs to %s, planned earlier in this batch",
			    s->mis_id, e->val);
			return refuse(err, "mis_id");
		}
		if ((rc = st_user_get_mis(db, s->mis_id, &other, err)) == 0) {
			aup_err_set(err, AUP_EX_DATAERR,
			    "MIS id %s already belongs to %s", s->mis_id,
			    other.username);
			aup_err_field(err, "mis_id");
			aup_user_clear(&other);
		}
		if (rc <= 0)
			return -1;
	}
	if (choose_username(db, b, s, username, sizeof username, err) != 0)
		return -1;
	u->username = xstrdup(username);
	u->role = s->role;
	u->first = xstrdup(s->first);
	u->last = xstrdup(s->last);
	u->year = s->year;
	u->class_name = nonempty(s->class_name);
	u->mis_id = nonempty(s->mis_id);
	u->email = nonempty(s->email);
	u->legal_first = nonempty(s->legal_first);
	u->legal_last = nonempty(s->legal_last);
	u->status = s->status;
	p->generate = s->generate;
	p->password = s->password != NULL ? xstrdup(s->password) : NULL;
	if (b != NULL) {
		strmap_put(&b->names, username);
		if (u->mis_id != NULL) {
			e = strmap_put(&b->mis, u->mis_id);
			e->val = xstrdup(username);
		}
	}
	return 0;
}

int
aup_user_hash(const struct aup_pw_rules *r, struct aup_user_plan *p,
    struct aup_err *err)
{
	struct aup_user *u = &p->user;

	free(p->phc);
	p->phc = NULL;
	if (p->generate) {
		aup_secret_free(p->password);
		p->password = NULL;
		if (aup_pw_rules_generate(r, u, u->role, &p->password, err) !=
		    0)
			return -1;
	} else if (p->password == NULL)
		return 0;
	else if (aup_pw_rules_check(r, u, u->role, p->password, NULL, err) != 0)
		return -1;
	return aup_pw_hash(r->cfg, p->password, &p->phc, err);
}

/* aup_user_insert; 1 (with ERR set) when P's username was taken since the
 * plan, so that aup_user_add can plan again. */
static int
user_insert(struct aup_db *db, struct aup_user_plan *p, struct aup_err *err)
{
	struct aup_user *u = &p->user, other;
	struct aup_buf b = { 0 };
	char *after;
	time_t now = aup_now();
	int rc;

	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0)
		return -1;
	if ((p->generate || p->password != NULL) && p->phc == NULL)
		return aup_err_set(err, AUP_EX_SOFTWARE,
		    "the password of %s was not hashed before the insert",
		    u->username);
	if (st_begin(db, err) != 0)
		return -1;
	/* The plan read outside this transaction: check again inside it. */
	if (u->mis_id != NULL &&
	    (rc = st_user_get_mis(db, u->mis_id, &other, err)) <= 0) {
		if (rc == 0) {
			aup_err_set(err, AUP_EX_DATAERR,
			    "MIS id %s already belongs to %s", u->mis_id,
			    other.username);
			aup_err_field(err, "mis_id");
			aup_user_clear(&other);
		}
		goto rollback;
	}
	if ((rc = st_username_taken(db, u->username, err)) != 0) {
		if (rc < 0)
			goto rollback;
		aup_err_set(err, AUP_EX_DATAERR,
		    "username '%s' is already in use", u->username);
		aup_err_field(err, "username");
		st_rollback(db);
		return 1;
	}
	u->created = u->updated = now;
	if (st_user_insert(db, u, err) != 0)
		goto rollback;
	json_user(&b, u);
	after = aup_buf_detach(&b);
	if (aup_log_add(db, "user.add", u, NULL, after, err) != 0) {
		free(after);
		goto rollback;
	}
	free(after);
	if (p->phc != NULL && pw_store(db, u, p->phc, p->generate, err) != 0)
		goto rollback;
	if (st_commit(db, err) != 0)
		goto fail;
	if (p->phc != NULL) {
		u->has_password = true;
		u->must_change = p->generate;
		u->pw_changed = now;
	}
	return 0;

rollback:
	st_rollback(db);
fail:
	u->id = 0;
	return -1;
}

int
aup_user_insert(struct aup_db *db, struct aup_user_plan *p, struct aup_err *err)
{
	return user_insert(db, p, err) == 0 ? 0 : -1;
}

int
aup_user_add(struct aup_db *db, const struct aup_user_spec *s,
    struct aup_user **out, char **generated, struct aup_err *err)
{
	struct aup_pw_rules *r = NULL;
	struct aup_user_plan p;
	int rc = -1;

	if (out != NULL)
		*out = NULL;
	if (generated != NULL)
		*generated = NULL;
	memset(&p, 0, sizeof p);
	/* The password is checked and hashed before the write lock; the plan
	 * is checked again inside it (cheaply). Should someone take the
	 * planned username meanwhile, plan again and it is skipped. */
	for (int attempt = 0; attempt < 5 && rc != 0; attempt++) {
		aup_user_plan_clear(&p);
		if (aup_user_plan(db, NULL, s, &p, err) != 0)
			break;
		if (r == NULL && (s->password != NULL || s->generate) &&
		    (r = pw_rules_new(db, s->generate, err)) == NULL)
			break;
		if (r != NULL && aup_user_hash(r, &p, err) != 0)
			break;
		if ((rc = user_insert(db, &p, err)) < 0 ||
		    (rc > 0 && s->username != NULL))
			break;
	}
	aup_pw_rules_free(r);
	if (rc != 0) {
		aup_user_plan_clear(&p);
		return -1;
	}
	if (generated != NULL && p.generate) {
		*generated = p.password;
		p.password = NULL;
	}
	if (out != NULL) {
		*out = xmalloc(sizeof **out);
		**out = p.user;
		memset(&p.user, 0, sizeof p.user);
	}
	aup_user_plan_clear(&p);
	return 0;
}

int
aup_user_likely_duplicates(struct aup_db *db, const struct aup_user *u,
    struct aup_user_list *out, struct aup_err *err)
{
	out->v = NULL;
	out->n = 0;
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	return st_user_same(db, u, u->role == AUP_ROLE_PUPIL, out, err);
}

/* A field that changed, as a member of both BEFORE and AFTER. */
static void
diff_str(struct aup_json *before, struct aup_json *after, const char *field,
    const char *old, const char *cur)
{
	if ((old == NULL && cur == NULL) ||
	    (old != NULL && cur != NULL && strcmp(old, cur) == 0))
		return;
	aup_json_kstr(before, field, old);
	aup_json_kstr(after, field, cur);
}

/* Save U (changed from OLD) with a log entry ACTION, inside the caller's
 * transaction. Returns 1 when nothing changed. */
static int
save_changes(struct aup_db *db, const char *action, const struct aup_user *old,
    struct aup_user *u, struct aup_err *err)
{
	struct aup_buf before = { 0 }, after = { 0 };
	struct aup_json jb, ja;
	char ub[32], ua[32];
	int rc = -1;

	aup_json_init(&jb, &before);
	aup_json_init(&ja, &after);
	aup_json_object(&jb);
	aup_json_object(&ja);
	diff_str(&jb, &ja, "first", old->first, u->first);
	diff_str(&jb, &ja, "last", old->last, u->last);
	diff_str(&jb, &ja, "legal_first", old->legal_first, u->legal_first);
	diff_str(&jb, &ja, "legal_last", old->legal_last, u->legal_last);
	diff_str(&jb, &ja, "year",
	    old->year == AUP_YEAR_NONE ? NULL : aup_year_name(old->year),
	    u->year == AUP_YEAR_NONE ? NULL : aup_year_name(u->year));
	diff_str(&jb, &ja, "class", old->class_name, u->class_name);
	diff_str(&jb, &ja, "mis_id", old->mis_id, u->mis_id);
	diff_str(&jb, &ja, "email", old->email, u->email);
	diff_str(&jb, &ja, "status", aup_status_name(old->status),
	    aup_status_name(u->status));
	diff_str(&jb, &ja, "reason", old->status_reason, u->status_reason);
	aup_time_fmt(old->status_until, ub, sizeof ub);
	aup_time_fmt(u->status_until, ua, sizeof ua);
	diff_str(&jb, &ja, "until", ub[0] ? ub : NULL, ua[0] ? ua : NULL);
	if (after.len == 1) {
		rc = 1;
		goto out;
	}
	aup_json_end(&jb);
	aup_json_end(&ja);
	u->updated = aup_now();
	if (st_user_update(db, u, err) == 0 &&
	    aup_log_add(db, action, u, before.data, after.data, err) == 0)
		rc = 0;
out:
	aup_buf_free(&before);
	aup_buf_free(&after);
	return rc;
}

static void
replace(char **field, const char *v)
{
	if (v == NULL)
		return;
	free(*field);
	*field = nonempty(v);
}

/* Changes a MODIFY function makes to U, a copy of the stored OLD; 0, or
 * -1 with ERR set to refuse. */
typedef int (*user_modify_fn)(struct aup_db *db, const struct aup_user *old,
    struct aup_user *u, const void *arg, struct aup_err *err);

/*
 * Change the person REF: read, MODIFY and write back with a log entry
 * ACTION, all in one transaction, so that nothing someone else wrote
 * meanwhile (a suspension, a password) is undone by a stale copy.
 */
static int
user_modify(struct aup_db *db, const char *ref, const char *action,
    user_modify_fn modify, const void *arg, struct aup_err *err)
{
	struct aup_user *old = NULL, u = { 0 };
	int rc = -1;

	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0 || st_begin(db, err) != 0)
		return -1;
	if (aup_user_find(db, ref, &old, err) != 0)
		goto out;
	aup_user_copy(&u, old);
	if (modify(db, old, &u, arg, err) != 0 ||
	    save_changes(db, action, old, &u, err) < 0 ||
	    st_commit(db, err) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		st_rollback(db);
	aup_user_clear(&u);
	aup_user_free(old);
	return rc;
}

static int
edit_fields(struct aup_db *db, const struct aup_user *old, struct aup_user *u,
    const void *arg, struct aup_err *err)
{
	const struct aup_user_edit *e = arg;

	if ((e->first != NULL && check_name("first", e->first, err) != 0) ||
	    (e->last != NULL && check_name("last", e->last, err) != 0) ||
	    (e->legal_first != NULL && *e->legal_first != '\0' &&
		check_name("first", e->legal_first, err) != 0) ||
	    (e->legal_last != NULL && *e->legal_last != '\0' &&
		check_name("last", e->legal_last, err) != 0) ||
	    (e->set_year && check_year(old->role, e->year, err) != 0) ||
	    check_class(e->class_name, err) != 0 ||
	    check_token("mis_id", "MIS id", e->mis_id, 32, err) != 0 ||
	    check_email(e->email, err) != 0)
		return -1;
	if (e->set_year &&
	    (check_final_year(db, NULL, old->role, e->year, err) != 0 ||
		(old->has_password &&
		    pw_allowed(db->cfg, old->role, e->year, err) != 0)))
		return refuse(err, "year");
	if (e->first != NULL)
		replace(&u->first, e->first);
	if (e->last != NULL)
		replace(&u->last, e->last);
	if (e->set_year)
		u->year = e->year;
	replace(&u->legal_first, e->legal_first);
	replace(&u->legal_last, e->legal_last);
	replace(&u->class_name, e->class_name);
	replace(&u->mis_id, e->mis_id);
	replace(&u->email, e->email);
	return 0;
}

int
aup_user_edit(struct aup_db *db, const char *ref, const struct aup_user_edit *e,
    struct aup_err *err)
{
	return user_modify(db, ref, "user.edit", edit_fields, e, err);
}

int
user_edit_as(struct aup_db *db, const char *ref, const struct aup_user_edit *e,
    const char *action, struct aup_err *err)
{
	return user_modify(db, ref, action, edit_fields, e, err);
}

static int
leaving(struct aup_db *db, const struct aup_user *old, struct aup_user *u,
    const void *arg, struct aup_err *err)
{
	(void)db;
	if (old->status != AUP_STATUS_ACTIVE &&
	    old->status != AUP_STATUS_SUSPENDED)
		return aup_err_set(err, AUP_EX_DATAERR, "%s is %s already",
		    old->username, aup_status_name(old->status));
	u->status = AUP_STATUS_LEAVING;
	u->status_until = 0;
	free(u->status_reason);
	u->status_reason = xstrdup(arg);
	return 0;
}

int
aup_user_mark_leaving(struct aup_db *db, const char *ref, const char *reason,
    struct aup_err *err)
{
	return user_modify(db, ref, "user.leaving", leaving, reason, err);
}

int
user_mark_leaving_as(struct aup_db *db, const char *ref, const char *reason,
    const char *action, struct aup_err *err)
{
	return user_modify(db, ref, action, leaving, reason, err);
}

struct status_change {
	enum aup_status to;
	const char *reason;
	time_t until;
};

static int
set_status(struct aup_db *db, const struct aup_user *old, struct aup_user *u,
    const void *arg, struct aup_err *err)
{
	const struct status_change *c = arg;

	(void)db;
	(void)old;
	(void)err;
	u->status = c->to;
	free(u->status_reason);
	u->status_reason = c->reason != NULL ? xstrdup(c->reason) : NULL;
	u->status_until = c->until;
	return 0;
}

int
user_set_status_as(struct aup_db *db, const char *ref, enum aup_status to,
    const char *reason, time_t until, const char *action, struct aup_err *err)
{
	struct status_change c = { to, reason, until };

	return user_modify(db, ref, action, set_status, &c, err);
}

struct suspension {
	const char *reason;
	time_t until;
};

static int
suspend(struct aup_db *db, const struct aup_user *old, struct aup_user *u,
    const void *arg, struct aup_err *err)
{
	const struct suspension *s = arg;

	enum aup_status now = aup_user_status_now(old, aup_now());

	(void)db;
	/* Suspending someone suspended changes the reason and the end, with
	 * no moment of access in between. */
	if (now != AUP_STATUS_ACTIVE && now != AUP_STATUS_SUSPENDED)
		return aup_err_set(err, AUP_EX_DATAERR, "%s is %s, not active",
		    old->username, aup_status_name(now));
	u->status = AUP_STATUS_SUSPENDED;
	replace(&u->status_reason, s->reason);
	u->status_until = s->until;
	return 0;
}

int
aup_user_suspend(struct aup_db *db, const char *ref, const char *reason,
    time_t until, struct aup_err *err)
{
	struct suspension s = { reason, until };

	if (aup_perm(db, AUP_PERM_PEOPLE, err) != 0)
		return -1;
	if (reason == NULL || *reason == '\0') {
		aup_err_set(err, AUP_EX_USAGE, "a suspension needs a reason");
		aup_err_hint(err,
		    "say why, in a few words; it is kept in the log");
		return refuse(err, "reason");
	}
	if (strpbrk(reason, "\n\r") != NULL) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "the reason may not hold a line break");
		aup_err_hint(err, "give it on one line");
		return refuse(err, "reason");
	}
	if (!aup_utf8_valid(reason)) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "the reason holds control characters or is not valid text");
		return refuse(err, "reason");
	}
	if (until != 0 && until <= aup_now()) {
		aup_err_set(err, AUP_EX_DATAERR,
		    "the suspension would end before it starts");
		aup_err_hint(err, "give a date in the future");
		return refuse(err, "until");
	}
	return user_modify(db, ref, "user.suspend", suspend, &s, err);
}

static int
reactivate(struct aup_db *db, const struct aup_user *old, struct aup_user *u,
    const void *arg, struct aup_err *err)
{
	(void)db;
	(void)arg;
	if (old->status != AUP_STATUS_SUSPENDED)
		return aup_err_set(err, AUP_EX_DATAERR,
		    "%s is %s, not suspended", old->username,
		    aup_status_name(old->status));
	u->status = AUP_STATUS_ACTIVE;
	free(u->status_reason);
	u->status_reason = NULL;
	u->status_until = 0;
	return 0;
}

int
aup_user_reactivate(struct aup_db *db, const char *ref, struct aup_err *err)
{
	return user_modify(db, ref, "user.reactivate", reactivate, NULL, err);
}
