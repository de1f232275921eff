/* The forms folder: index.ini, read with its line numbers, and one text
 * file per form. Read once per handle; a bad index stops everything that
 * needs a form with the file and line to correct (exit 78). */
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "aup/aup.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "core.h"
#include "ini.h"

#define ID_CHARS      "abcdefghijklmnopqrstuvwxyz0123456789-"
#define FORM_TEXT_MAX (1024 * 1024) /* no agreement is longer */

static const char *const signer_names[] = { "self", "parent", "self+parent" };

const char *
aup_signer_name(enum aup_signer s)
{
	return signer_names[s];
}

struct forms_reader {
	struct ini ini;
	const char *dir;
	struct aup_err *err;
};

static int bad(struct forms_reader *r, const char *sec, const char *key,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A mistake in the index, at the line of KEY in SEC: exit 78. */
static int
bad(struct forms_reader *r, const char *sec, const char *key, const char *fmt,
    ...)
{
	char at[PATH_MAX + 16], what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	aup_err_set(r->err, AUP_EX_CONFIG, "%s: [%s] %s%s%s",
	    ini_where(&r->ini, sec, key, at, sizeof at), sec,
	    key != NULL ? key : "", key != NULL ? ": " : "", what);
	aup_err_hint(r->err,
	    "the head of the shipped forms/index.ini explains each key");
	return -1;
}

/* Each item of the comma-separated VAL through PARSE into SET. */
static int
parse_set(struct forms_reader *r, const char *sec, const char *key,
    const char *val, int (*parse)(const char *), bool *set, const char *want)
{
	char *copy = xstrdup(val), *save = NULL;
	int rc = 0;

	for (char *t = strtok_r(copy, ",", &save); t != NULL && rc == 0;
	     t = strtok_r(NULL, ",", &save)) {
		char item[64];
		size_t n;
		int i;

		t += strspn(t, " \t");
		n = strlen(t);
		while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
			t[--n] = '\0';
		aup_strlcpy(item, t, sizeof item);
		if ((i = parse(item)) < 0)
			rc = bad(r, sec, key, want, item);
		else
			set[i] = true;
	}
	free(copy);
	return rc;
}

static const char *
get(struct forms_reader *r, const char *sec, const char *key)
{
	char full[256];

	snprintf(full, sizeof full, "%s:%s", sec, key);
	return iniparser_getstring(r->ini.d, full, NULL);
}

static const char *const form_keys[] = { "version", "title", "kind", "roles",
	"key_stages", "signer", "renew", "file" };

static int
read_form(struct forms_reader *r, const char *sec, struct aup_form *f)
{
	const char *v;
	int n = iniparser_getsecnkeys(r->ini.d, sec), i;
	const char **keys;
	long version;

	if (*sec == '\0' || strspn(sec, ID_CHARS) != strlen(sec))
		return bad(r, sec, NULL,
		    "a form's id is lower-case letters, digits and -");
	keys = xcalloc(n > 0 ? (size_t)n : 1, sizeof *keys);
	if (n > 0 && iniparser_getseckeys(r->ini.d, sec, keys) != NULL)
		for (i = 0; i < n; i++) {
			const char *k = keys[i] + strlen(sec) + 1;

			if (name_index(form_keys,
				sizeof form_keys / sizeof form_keys[0],
				k) < 0) {
				bad(r, sec, k,
				    "unknown key (the keys are version, title, "
				    "kind, roles, key_stages, signer, renew, "
				    "file)");
				free(keys);
				return -1;
			}
		}
	free(keys);
	f->id = xstrdup(sec);
	v = get(r, sec, "version");
	if (v == NULL || aup_parse_long(v, 1, 1000000, &version) != 0)
		return bad(r, sec, "version",
		    "'%s' is not a whole number from 1",
		    v != NULL ? v : "(missing)");
	f->version = (int)version;
	if ((v = get(r, sec, "title")) == NULL || *v == '\0' ||
	    !aup_utf8_valid(v))
		return bad(r, sec, "title", "a form needs a title");
	f->title = xstrdup(v);
	if ((v = get(r, sec, "kind")) == NULL || strcmp(v, "agreement") == 0)
		f->kind = AUP_FORM_AGREEMENT;
	else if (strcmp(v, "consent") == 0)
		f->kind = AUP_FORM_CONSENT;
	else
		return bad(r, sec, "kind", "'%s' is not agreement or consent",
		    v);
	if ((v = get(r, sec, "roles")) == NULL)
		return bad(r, sec, "roles", "say whom the form is for");
	if (parse_set(r, sec, "roles", v, aup_role_parse, f->roles,
		"'%s' is not a role") != 0)
		return -1;
	if ((v = get(r, sec, "key_stages")) == NULL) {
		for (i = 0; i < AUP_KS_COUNT; i++)
			f->ks[i] = true;
	} else if (parse_set(r, sec, "key_stages", v, aup_ks_parse, f->ks,
		       "'%s' is not a key stage (EYFS, KS1..KS5)") != 0)
		return -1;
	v = get(r, sec, "signer");
	if (v == NULL || (i = name_index(signer_names, 3, v)) < 0)
		return bad(r, sec, "signer",
		    "'%s' is not self, parent or self+parent",
		    v != NULL ? v : "(missing)");
	f->signer = (enum aup_signer)i;
	v = get(r, sec, "renew");
	if (v == NULL || (strcmp(v, "annual") != 0 && strcmp(v, "once") != 0))
		return bad(r, sec, "renew", "'%s' is not annual or once",
		    v != NULL ? v : "(missing)");
	f->annual = strcmp(v, "annual") == 0;
	v = get(r, sec, "file");
	if (v == NULL || *v == '\0' || strchr(v, '/') != NULL || *v == '.')
		return bad(r, sec, "file",
		    "'%s' is not the name of a file in the forms folder",
		    v != NULL ? v : "(missing)");
	f->path = xasprintf("%s/%s", r->dir, v);
	if (access(f->path, R_OK) != 0)
		return bad(r, sec, "file", "cannot read %s", f->path);
	return 0;
}

static void
form_clear(struct aup_form *f)
{
	free(f->id);
	free(f->title);
	free(f->path);
}

void
forms_free(struct forms *fs)
{
	if (fs == NULL)
		return;
	for (size_t i = 0; i < fs->n; i++)
		form_clear(&fs->v[i]);
	free(fs->v);
	free(fs);
}

/* Two agreements for the same people would make the choice a guess. */
static int
check_overlap(struct forms_reader *r, const struct forms *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		for (size_t j = i + 1; j < fs->n; j++) {
			const struct aup_form *a = &fs->v[i], *b = &fs->v[j];

			if (a->kind != AUP_FORM_AGREEMENT ||
			    b->kind != AUP_FORM_AGREEMENT)
				continue;
			for (int ro = 0; ro < AUP_ROLE_COUNT; ro++)
				for (int k = 0; k < AUP_KS_COUNT; k++) {
					if (!a->roles[ro] || !b->roles[ro] ||
					    (ro == AUP_ROLE_PUPIL &&
						(!a->ks[k] || !b->ks[k])))
						continue;
					return bad(r, b->id, NULL,
					    "is for the same people as "
					    "[%s]: say which is for whom "
					    "with roles and key_stages",
					    a->id);
				}
		}
	return 0;
}

static int
forms_load(const struct aup_config *cfg, struct forms **out,
    struct aup_err *err)
{
	struct forms_reader r = { .err = err };
	struct forms *fs = xcalloc(1, sizeof *fs);
	char *dir = cfg->aup_forms != NULL ?
	    xstrdup(cfg->aup_forms) :
	    xasprintf("%s/forms", aup_datadir());
	char *index = xasprintf("%s/index.ini", dir);
	int nsec, rc = 0;

	r.dir = dir;
	if (access(index, R_OK) != 0) {
		aup_err_set(err, AUP_EX_CONFIG,
		    "cannot read the forms index %s: %s", index,
		    strerror(errno));
		aup_err_hint(err,
		    "set [aup] forms in aupctl.ini to a folder laid out like "
		    "the shipped forms/");
		rc = -1;
	} else if ((rc = ini_load(&r.ini, index, "the forms index's head",
			err)) == 0) {
		nsec = iniparser_getnsec(r.ini.d);
		fs->v = xcalloc(nsec > 0 ? (size_t)nsec : 1, sizeof *fs->v);
		for (int i = 0; i < nsec && rc == 0; i++)
			rc = read_form(&r, iniparser_getsecname(r.ini.d, i),
			    &fs->v[fs->n++]);
		if (rc == 0 && fs->n == 0)
			rc = bad(&r, "", NULL, "no forms in the index");
		if (rc == 0)
			rc = check_overlap(&r, fs);
		ini_free(&r.ini);
	}
	free(index);
	free(dir);
	if (rc != 0) {
		forms_free(fs);
		return -1;
	}
	*out = fs;
	return 0;
}

int
aup_forms(struct aup_db *db, const struct aup_form **v, size_t *n,
    struct aup_err *err)
{
	if (db->forms == NULL && forms_load(db->cfg, &db->forms, err) != 0)
		return -1;
	*v = db->forms->v;
	*n = db->forms->n;
	return 0;
}

int
aup_form_find(struct aup_db *db, const char *id, const struct aup_form **out,
    struct aup_err *err)
{
	const struct aup_form *v;
	struct aup_buf b = { 0 };
	size_t n;

	if (aup_forms(db, &v, &n, err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0) {
			*out = &v[i];
			return 0;
		}
	for (size_t i = 0; i < n; i++)
		aup_buf_printf(&b, "%s%s", i > 0 ? ", " : "", v[i].id);
	aup_err_set(err, AUP_EX_DATAERR, "no form '%s'", id);
	aup_err_hint(err, "the forms are %s ('aupctl aup forms')", b.data);
	aup_err_field(err, "form");
	aup_buf_free(&b);
	return -1;
}

bool
form_is_for(const struct aup_form *f, enum aup_role role, int year)
{
	enum aup_ks ks = aup_ks_of_year(year);

	if (!f->roles[role])
		return false;
	return role != AUP_ROLE_PUPIL || (ks != AUP_KS_NONE && f->ks[ks]);
}

int
aup_form_for(struct aup_db *db, enum aup_role role, int year,
    const struct aup_form **out, struct aup_err *err)
{
	const struct aup_form *v;
	size_t n;

	*out = NULL;
	if (aup_forms(db, &v, &n, err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (v[i].kind == AUP_FORM_AGREEMENT &&
		    form_is_for(&v[i], role, year)) {
			*out = &v[i];
			break;
		}
	return 0;
}

/* Printable UTF-8 in lines: tabs and line ends are the only controls. */
static bool
text_ok(const char *s)
{
	while (*s != '\0') {
		int32_t cp = aup_utf8_next(&s);

		if (cp == '\n' || cp == '\t' || cp == '\r')
			continue;
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return false;
	}
	return true;
}

int
aup_form_text(const struct aup_form *f, char **text, struct aup_err *err)
{
	FILE *fp = fopen(f->path, "re");
	struct aup_buf b = { 0 };
	char chunk[8192];
	size_t got;

	if (fp == NULL)
		return aup_err_set(err, AUP_EX_CONFIG, "cannot read %s: %s",
		    f->path, strerror(errno));
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0 &&
	    b.len <= FORM_TEXT_MAX)
		aup_buf_add(&b, chunk, got);
	fclose(fp);
	if (b.len > FORM_TEXT_MAX || b.len == 0 ||
	    memchr(b.data, '\0', b.len) != NULL || !text_ok(b.data)) {
		aup_buf_free(&b);
		return aup_err_set(err, AUP_EX_CONFIG,
		    "%s is not a form's text: plain UTF-8, not empty, at most "
		    "1 MiB",
		    f->path);
	}
	*text = aup_buf_detach(&b);
	return 0;
}
