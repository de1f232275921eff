/*
 * The audit log. Each entry's hash is SHA-256 over the previous entry's hash
 * and this entry's fields, length-prefixed so no two entries encode alike;
 * the head of the chain is also kept in meta, so removing the newest entries
 * shows too. Personal values are not among the fields: each sits beside
 * the chain with a salt of its own, and the chain covers only the digest of
 * salt and value, so a purge can erase the value and the salt and the chain
 * still holds (and what is left tells nothing about the person).
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <sha2.h>

#include "aup/clock.h"
#include "aup/json.h"
#include "aup/util.h"
#include "core.h"

#define SALT_BYTES 16
#define HEX_LEN	   (SHA256_DIGEST_STRING_LENGTH) /* with the NUL */

/* The members of a before or after whose values are personal: names,
 * contact details, MIS id, free text (which may say anything about anyone). */
static const char *const personal[] = { "username", "first", "last", "name",
	"legal_first", "legal_last", "email", "mis_id", "reason", "note",
	"signer", NULL };

/* ---- hashing ---- */

static void
feed(SHA2_CTX *c, const char *v)
{
	char len[32];

	if (v == NULL) {
		SHA256Update(c, (const uint8_t *)"-;", 2);
		return;
	}
	snprintf(len, sizeof len, "%zu:", strlen(v));
	SHA256Update(c, (const uint8_t *)len, strlen(len));
	SHA256Update(c, (const uint8_t *)v, strlen(v));
}

static void
value_digest(const char *salt, const char *name, const char *value,
    char out[HEX_LEN])
{
	SHA2_CTX c;

	SHA256Init(&c);
	feed(&c, salt);
	feed(&c, name);
	feed(&c, value);
	SHA256End(&c, out);
}

/* The entry's own fields and each value's name and digest, never a value. */
static void
entry_hash(const char *prev, const struct st_log_row *r, char out[HEX_LEN])
{
	const struct aup_log_entry *e = &r->e;
	SHA2_CTX c;
	char num[96];

	SHA256Init(&c);
	feed(&c, prev);
	snprintf(num, sizeof num, "%" PRId64 ",%lld,%" PRId64 ",%" PRId64,
	    e->id, (long long)e->at, e->user_id, r->nvalues);
	feed(&c, num);
	feed(&c, e->operator);
	feed(&c, e->action);
	feed(&c, e->before);
	feed(&c, e->after);
	for (size_t i = 0; i < r->nv; i++) {
		feed(&c, r->v[i].name);
		feed(&c, r->v[i].digest);
	}
	SHA256End(&c, out);
}

/* Keep VALUE, named NAME, beside entry R under a fresh salt. */
static int
value_add(struct st_log_row *r, const char *name, const char *value,
    struct aup_err *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[SALT_BYTES];
	char salt[2 * SALT_BYTES + 1], digest[HEX_LEN];
	struct st_log_value *v;

	/* Up to 256 bytes, getrandom gives all that was asked or fails. */
	if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
		return aup_err_set(err, AUP_EX_SOFTWARE,
		    "no random numbers from the kernel: %s", strerror(errno));
	for (size_t i = 0; i < sizeof b; i++) {
		salt[2 * i] = hex[b[i] >> 4];
		salt[2 * i + 1] = hex[b[i] & 0xf];
	}
	salt[sizeof salt - 1] = '\0';
	value_digest(salt, name, value, digest);
	r->v = xreallocarray(r->v, r->nv + 1, sizeof *r->v);
	v = &r->v[r->nv];
	memset(v, 0, sizeof *v);
	v->seq = (int64_t)r->nv++;
	v->name = xstrdup(name);
	v->digest = xstrdup(digest);
	v->salt = xstrdup(salt);
	v->value = xstrdup(value);
	return 0;
}

/* ---- reading back the JSON objects the core wrote ---- */

static void
skip_space(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

static int
hex4(const char *s, unsigned *out)
{
	*out = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
		    c >= 'a' && c <= 'f'     ? c - 'a' + 10 :
		    c >= 'A' && c <= 'F'     ? c - 'A' + 10 :
					       -1;
		if (d < 0)
			return -1;
		*out = *out << 4 | (unsigned)d;
	}
	return 0;
}

static void
put_utf8(struct aup_buf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	aup_buf_add(b, u, n);
}

/* The string at *P (at its quote), decoded into OUT unless NULL. */
static int
read_string(const char **p, struct aup_buf *out)
{
	const char *s = *p + 1;
	unsigned cp, lo;

	while (*s != '"') {
		if ((unsigned char)*s < 0x20)
			return -1; /* the end, or a bare control */
		if (*s != '\\') {
			if (out != NULL)
				aup_buf_add(out, s, 1);
			s++;
			continue;
		}
		s++;
		cp = (unsigned char)*s;
		switch (*s) {
		case '"':
		case '\\':
		case '/': break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			if (hex4(s + 1, &cp) != 0 || cp == 0)
				return -1;
			s += 4;
			if (cp >= 0xd800 && cp < 0xdc00) {
				if (s[1] != '\\' || s[2] != 'u' ||
				    hex4(s + 3, &lo) != 0 || lo < 0xdc00 ||
				    lo > 0xdfff)
					return -1;
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				s += 6;
			} else if (cp >= 0xdc00 && cp <= 0xdfff)
				return -1;
			break;
		default: return -1;
		}
		if (out != NULL)
			put_utf8(out, cp);
		s++;
	}
	if (out != NULL)
		aup_buf_add(out, "", 0); /* "" still has data */
	*p = s + 1;
	return 0;
}

/* Step over one value of any kind. */
static int
skip_value(const char **p)
{
	int depth = 0;

	do {
		skip_space(p);
		if (**p == '"') {
			if (read_string(p, NULL) != 0)
				return -1;
		} else if (**p == '{' || **p == '[') {
			depth++;
			(*p)++;
		} else if (**p == '}' || **p == ']') {
			if (--depth < 0)
				return -1;
			(*p)++;
		} else if (**p == ',' || **p == ':') {
			if (depth == 0)
				return -1;
			(*p)++;
		} else if (**p != '\0') {
			/* A number, true, false or null. */
			const char *start = *p;
			while (strchr(",:{}[]\" \t\r\n", **p) == NULL)
				(*p)++;
			if (*p == start)
				return -1;
		} else
			return -1;
	} while (depth > 0);
	return 0;
}

/* FN for each member of the object JSON: its name and its value's text. */
typedef int (
    *member_fn)(void *arg, const char *key, const char *val, size_t len);

static int
each_member(const char *json, member_fn fn, void *arg)
{
	struct aup_buf key = { 0 };
	const char *p = json, *val;
	int rc = -1;

	skip_space(&p);
	if (*p++ != '{')
		return -1;
	skip_space(&p);
	if (*p == '}')
		p++;
	else
		for (;;) {
			key.len = 0;
			skip_space(&p);
			if (*p != '"' || read_string(&p, &key) != 0)
				goto out;
			skip_space(&p);
			if (*p++ != ':')
				goto out;
			skip_space(&p);
			val = p;
			if (skip_value(&p) != 0 ||
			    fn(arg, key.data, val, (size_t)(p - val)) != 0)
				goto out;
			skip_space(&p);
			if (*p == '}') {
				p++;
				break;
			}
			if (*p++ != ',')
				goto out;
		}
	skip_space(&p);
	if (*p == '\0')
		rc = 0;
out:
	aup_buf_free(&key);
	return rc;
}

/* ---- personal values out, and back in ---- */

/* What stands in the entry for the value NAME: {"$value":"after.first"}. */
static void
placeholder(struct aup_json *j, const char *name)
{
	aup_json_object(j);
	aup_json_kstr(j, "$value", name);
	aup_json_end(j);
}

struct side {
	struct aup_json j;
	struct aup_buf b;
	const char *side;	       /* "before", "after" */
	struct st_log_row *r;	       /* splitting: values go here */
	const struct st_log_row *from; /* joining: values come from here */
	bool purged;
	bool failed; /* ERR is set */
	struct aup_err *err;
};

static bool
is_personal(const char *key)
{
	for (size_t i = 0; personal[i] != NULL; i++)
		if (strcmp(key, personal[i]) == 0)
			return true;
	return false;
}

static int
split_member(void *arg, const char *key, const char *val, size_t len)
{
	struct side *s = arg;
	struct aup_buf v = { 0 };
	char *name;
	int rc;

	aup_json_key(&s->j, key);
	if (!is_personal(key) || *val != '"') {
		aup_json_raw(&s->j, val, len);
		return 0;
	}
	if (read_string(&val, &v) != 0)
		return -1;
	name = xasprintf("%s.%s", s->side, key);
	placeholder(&s->j, name);
	rc = value_add(s->r, name, v.data, s->err);
	free(name);
	aup_buf_free(&v);
	s->failed = rc != 0;
	return rc;
}

/* Move the personal values of the object JSON into R; *OUT is what is left
 * for the entry. */
static int
split(struct st_log_row *r, const char *side, const char *json, char **out,
    struct aup_err *err)
{
	struct side s;
	int rc;

	*out = NULL;
	if (json == NULL)
		return 0;
	memset(&s, 0, sizeof s);
	aup_json_init(&s.j, &s.b);
	s.side = side;
	s.r = r;
	s.err = err;
	aup_json_object(&s.j);
	rc = each_member(json, split_member, &s);
	aup_json_end(&s.j);
	if (rc != 0) {
		aup_buf_free(&s.b);
		if (s.failed)
			return -1;
		return aup_err_set(err, AUP_EX_SOFTWARE,
		    "audit log: the %s of %s is not a JSON object", side,
		    r->e.action);
	}
	*out = aup_buf_detach(&s.b);
	return 0;
}

/* The value named NAME in R: 1 found (*VALUE NULL once purged), 0 not. */
static int
value_of(const struct st_log_row *r, const char *name, const char **value)
{
	for (size_t i = 0; i < r->nv; i++)
		if (strcmp(r->v[i].name, name) == 0) {
			*value = r->v[i].value;
			return 1;
		}
	*value = NULL;
	return 0;
}

static int
join_member(void *arg, const char *key, const char *val, size_t len)
{
	struct side *s = arg;
	struct aup_json pj;
	struct aup_buf pb = { 0 };
	const char *value;
	char *name = xasprintf("%s.%s", s->side, key);

	aup_json_init(&pj, &pb);
	placeholder(&pj, name);
	aup_json_key(&s->j, key);
	if (len != pb.len || memcmp(val, pb.data, len) != 0)
		aup_json_raw(&s->j, val, len);
	else if (value_of(s->from, name, &value) && value != NULL)
		aup_json_str(&s->j, value);
	else {
		aup_json_null(&s->j);
		s->purged = true;
	}
	aup_buf_free(&pb);
	free(name);
	return 0;
}

/* The stored object JSON with R's values back in their places. */
static char *
join(const struct st_log_row *r, const char *side, const char *json,
    bool *purged)
{
	struct side s;

	if (json == NULL)
		return NULL;
	memset(&s, 0, sizeof s);
	aup_json_init(&s.j, &s.b);
	s.side = side;
	s.from = r;
	aup_json_object(&s.j);
	if (each_member(json, join_member, &s) != 0) {
		/* Not as aupctl wrote it: show it as it is (verify says
		 * what is wrong). */
		aup_buf_free(&s.b);
		return xstrdup(json);
	}
	aup_json_end(&s.j);
	*purged = *purged || s.purged;
	return aup_buf_detach(&s.b);
}

/* ---- appending ---- */

static int
log_append(struct aup_db *db, const char *action, int64_t user_id,
    const char *subject, const char *before, const char *after, int64_t *id,
    struct aup_err *err)
{
	struct st_log_row r;
	char prev[HEX_LEN], hash[HEX_LEN], head[96];
	int64_t last;
	int rc = -1;

	memset(&r, 0, sizeof r);
	if (st_log_head(db, &last, prev, err) != 0)
		return -1;
	if (last == 0)
		aup_strlcpy(prev, "0", sizeof prev);
	r.e.id = last + 1;
	r.e.at = aup_now();
	r.e.operator= xstrdup(db->operator);
	r.e.action = xstrdup(action);
	r.e.user_id = user_id;
	if ((subject != NULL && value_add(&r, "subject", subject, err) != 0) ||
	    split(&r, "before", before, &r.e.before, err) != 0 ||
	    split(&r, "after", after, &r.e.after, err) != 0)
		goto out;
	r.nvalues = (int64_t)r.nv;
	entry_hash(prev, &r, hash);
	r.prev = xstrdup(prev);
	r.hash = xstrdup(hash);
	if (st_log_insert(db, &r, err) != 0)
		goto out;
	snprintf(head, sizeof head, "%" PRId64 " %s", r.e.id, hash);
	if (st_meta_set(db, "log_head", head, err) != 0)
		goto out;
	if (id != NULL)
		*id = r.e.id;
	rc = 0;
out:
	st_log_row_clear(&r);
	return rc;
}

int
aup_log_add(struct aup_db *db, const char *action, const struct aup_user *user,
    const char *before, const char *after, struct aup_err *err)
{
	return log_append(db, action, user != NULL ? user->id : 0,
	    user != NULL ? user->username : NULL, before, after, NULL, err);
}

int
log_purge_user(struct aup_db *db, int64_t user_id, int64_t *erased,
    struct aup_err *err)
{
	struct aup_buf b = { 0 };
	struct aup_json j;
	int64_t n, id;
	int rc = -1;

	if (st_log_held(db, user_id, &n, err) != 0)
		return -1;
	aup_json_init(&j, &b);
	aup_json_object(&j);
	aup_json_kint(&j, "values", n);
	aup_json_end(&j);
	if (log_append(db, ST_LOG_PURGE, user_id, NULL, NULL, b.data, &id,
		err) == 0 &&
	    st_log_erase(db, user_id, id, err) == 0) {
		if (erased != NULL)
			*erased = n;
		rc = 0;
	}
	aup_buf_free(&b);
	return rc;
}

int
aup_log_purge_user(struct aup_db *db, int64_t user_id, int64_t *erased,
    struct aup_err *err)
{
	if (aup_perm(db, AUP_PERM_ADMIN, err) != 0)
		return -1;
	if (user_id <= 0)
		return aup_err_set(err, AUP_EX_USAGE,
		    "no person has the id %" PRId64, user_id);
	if (st_begin(db, err) != 0)
		return -1;
	if (log_purge_user(db, user_id, erased, err) != 0 ||
	    st_commit(db, err) != 0) {
		st_rollback(db);
		return -1;
	}
	return 0;
}

/* ---- listing ---- */

struct gather {
	struct aup_log_list *out;
	size_t cap;
};

static int
gather_one(void *arg, const struct st_log_row *r)
{
	struct gather *g = arg;
	struct aup_log_entry *e;
	const char *subject;

	if (g->out->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->out->v = xreallocarray(g->out->v, g->cap, sizeof *g->out->v);
	}
	e = &g->out->v[g->out->n++];
	memset(e, 0, sizeof *e);
	e->id = r->e.id;
	e->at = r->e.at;
	e->operator = xstrdup(r->e.operator ? r->e.operator : "");
	e->action = xstrdup(r->e.action ? r->e.action : "");
	e->user_id = r->e.user_id;
	if (value_of(r, "subject", &subject)) {
		if (subject != NULL)
			e->subject = xstrdup(subject);
		else
			e->purged = true;
	}
	e->before = join(r, "before", r->e.before, &e->purged);
	e->after = join(r, "after", r->e.after, &e->purged);
	return 0;
}

int
aup_log_list(struct aup_db *db, int64_t user_id, time_t since,
    struct aup_log_list *out, struct aup_err *err)
{
	struct gather g = { out, 0 };

	out->v = NULL;
	out->n = 0;
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	if (st_log_walk(db, user_id, since, 0, gather_one, &g, err) != 0) {
		aup_log_list_free(out);
		return -1;
	}
	return 0;
}

/* ---- verification ---- */

struct walk {
	struct aup_db *db;
	struct aup_err *err;
	char prev[HEX_LEN];
	int64_t expect_id;
	int64_t count;
	int64_t bad_id;
	char problem[200];
	struct log_anchor *anchors; /* oldest first */
	size_t nanchors;
	size_t next;	  /* the next anchor to meet */
	bool from_anchor; /* the first entry is anchored: take
			   * its link to the one before */
};

static int broken(struct walk *w, int64_t id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
broken(struct walk *w, int64_t id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->problem, sizeof w->problem, fmt, ap);
	va_end(ap);
	w->bad_id = id;
	return 1;
}

/* A value that is gone must have gone by a purge of the entry's person,
 * recorded after the entry. */
static int
purged_rightly(struct walk *w, const struct st_log_row *r,
    const struct st_log_value *v)
{
	int64_t uid = 0;
	int rc;

	if (v->purged_by <= r->e.id || r->e.user_id == 0)
		return 0;
	rc = st_log_purger(w->db, v->purged_by, &uid, w->err);
	if (rc < 0)
		return -1;
	return rc == 0 && uid == r->e.user_id;
}

/* The values found are the ones the entry was written with, by number. */
static bool
values_whole(const struct st_log_row *r)
{
	if (r->nvalues < 0 || r->nv != (size_t)r->nvalues)
		return false;
	for (size_t i = 0; i < r->nv; i++)
		if (r->v[i].seq != (int64_t)i)
			return false;
	return true;
}

static int
verify_one(void *arg, const struct st_log_row *r)
{
	struct walk *w = arg;
	const struct aup_log_entry *e = &r->e;
	char want[HEX_LEN];

	w->count++;
	if (w->from_anchor && w->count == 1)
		aup_strlcpy(w->prev, r->prev, sizeof w->prev);
	if (e->id != w->expect_id)
		return broken(w, e->id,
		    "entry %" PRId64 " is missing (the "
		    "next one is %" PRId64 ")",
		    w->expect_id, e->id);
	if (!values_whole(r))
		return broken(w, e->id,
		    "entry %" PRId64 " has lost or gained "
		    "a personal value outside a purge",
		    e->id);
	entry_hash(w->prev, r, want);
	if (strcmp(r->prev, w->prev) != 0 || strlen(r->hash) != 64 ||
	    !aup_ct_equal(want, r->hash, 64))
		return broken(w, e->id,
		    "entry %" PRId64 " was changed or does "
		    "not follow entry %" PRId64,
		    e->id, e->id - 1);
	for (size_t i = 0; i < r->nv; i++) {
		const struct st_log_value *v = &r->v[i];
		int ok;

		if (v->value != NULL) {
			value_digest(v->salt, v->name, v->value, want);
			if (strlen(v->digest) != 64 ||
			    !aup_ct_equal(want, v->digest, 64))
				return broken(w, e->id,
				    "entry %" PRId64 "'s %s was changed", e->id,
				    v->name);
			continue;
		}
		if ((ok = purged_rightly(w, r, v)) < 0)
			return -1;
		if (!ok)
			return broken(w, e->id,
			    "entry %" PRId64 "'s %s was "
			    "removed outside a purge",
			    e->id, v->name);
	}
	for (; w->next < w->nanchors && w->anchors[w->next].id <= e->id;
	     w->next++) {
		const struct log_anchor *a = &w->anchors[w->next];

		if (a->id == e->id && !aup_ct_equal(a->hash, r->hash, 64))
			return broken(w, e->id,
			    "entry %" PRId64 " is not the "
			    "one anchored on %s: the log was rewritten",
			    e->id, a->when);
	}
	aup_strlcpy(w->prev, r->hash, sizeof w->prev);
	w->expect_id++;
	return 0;
}

/* Verify the whole chain, or with RECENT only what follows the last
 * anchor (whose entry must still be the one anchored). */
static int
verify(struct aup_db *db, bool recent, int64_t *entries, int64_t *bad_id,
    struct aup_err *err)
{
	struct walk w;
	char *head = NULL, *path, want[96];
	int rc = -1;

	*entries = 0;
	*bad_id = 0;
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	memset(&w, 0, sizeof w);
	w.db = db;
	w.err = err;
	aup_strlcpy(w.prev, "0", sizeof w.prev);
	w.expect_id = 1;
	path = aup_log_anchor_path(db);
	if (log_anchors_read(path, &w.anchors, &w.nanchors, err) != 0)
		goto out;
	if (recent && w.nanchors > 0) {
		w.next = w.nanchors - 1;
		w.expect_id = w.anchors[w.next].id;
		w.from_anchor = true;
	}
	if (st_log_walk(db, 0, 0, w.expect_id - 1, verify_one, &w, err) != 0 ||
	    st_meta_get(db, "log_head", &head, err) != 0)
		goto out;
	*entries = w.count;
	*bad_id = w.bad_id;
	snprintf(want, sizeof want, "%" PRId64 " %s", w.expect_id - 1, w.prev);
	if (w.bad_id != 0)
		;
	else if (w.count == 0 && !w.from_anchor)
		broken(&w, 1,
		    "the log is empty, but aupctl init writes its first entry");
	else if (w.next < w.nanchors)
		broken(&w, w.expect_id,
		    "the log ends at entry %" PRId64 ", "
		    "but entry %" PRId64 " was anchored on %s: it was cut "
		    "short",
		    w.expect_id - 1, w.anchors[w.nanchors - 1].id,
		    w.anchors[w.nanchors - 1].when);
	else if (head == NULL || strcmp(head, want) != 0)
		broken(&w, w.expect_id,
		    "the newest entries were removed (the "
		    "log ends at entry %" PRId64 ")",
		    w.expect_id - 1);
	if (w.bad_id != 0) {
		*bad_id = w.bad_id;
		aup_err_set(err, AUP_EX_ATTENTION, "audit log: %s", w.problem);
		aup_err_hint(err,
		    "the log was edited outside aupctl; restore "
		    "the database from a backup and find out who changed it");
		goto out;
	}
	rc = 0;
out:
	free(head);
	free(path);
	free(w.anchors);
	return rc;
}

int
aup_log_verify(struct aup_db *db, int64_t *entries, int64_t *bad_id,
    struct aup_err *err)
{
	return verify(db, false, entries, bad_id, err);
}

int
aup_log_verify_recent(struct aup_db *db, int64_t *entries, int64_t *bad_id,
    struct aup_err *err)
{
	return verify(db, true, entries, bad_id, err);
}
