/* Reading aupctl.ini with iniparser against one table of sections (plain,
 * per role, or named) and their keys, on top of built-in defaults. Anything
 * the schema does not know, and any key given twice, is an error. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aup/config.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "core.h"
#include "ini.h"

/* The file being read into CFG. */
struct reader {
	struct aup_config *cfg;
	struct ini ini;
	struct aup_err *err;
};

enum ktype {
	K_INT,
	K_UINT,
	K_BOOL,
	K_STR,
	K_MONTHDAY,
	K_YEARFROM,
	K_LIST,
	K_CLASSES
};

struct key {
	const char *name;
	enum ktype type;
	bool per_role; /* in the role's struct */
	size_t off;
	long min, max;
};

/* What may follow a section's name: nothing ([password]), a role
 * ([password.staff]) or a name of the school's choosing ([import.sims]). */
#define S_PLAIN 0x1
#define S_ROLE	0x2
#define S_NAMED 0x4
/* iniparser has made section names lower case. */
#define NAME_CHARS "abcdefghijklmnopqrstuvwxyz0123456789-_"

struct section {
	const char *name;
	int forms; /* S_PLAIN | S_ROLE | S_NAMED */
	const struct key *keys;
	size_t nkeys;
	/* Per-role keys live in an array of AUP_ROLE_COUNT structs at
	 * ROLE_OFF; a plain section sets them for every role. */
	size_t role_off, role_size;
	/* A named section's keys live in what NAMED returns. */
	void *(*named)(struct aup_config *, const char *);
	/* A section aupctl no longer reads: why, and what to do instead. */
	const char *moved;
};

#define C(f)	offsetof(struct aup_config, f)
#define P(f)	offsetof(struct aup_pw_policy, f)
#define M(f)	offsetof(struct aup_import_map, header[f])
#define KEYS(t) .keys = (t), .nkeys = sizeof(t) / sizeof(t)[0]

static const struct key school_keys[] = {
	{ "name", K_STR, false, C(school_name), 0, 0 },
	{ "final_year", K_INT, false, C(final_year), 1, 13 },
	{ "year_start", K_MONTHDAY, false, C(year_start_month), 0, 0 },
};

static const struct key database_keys[] = {
	{ "path", K_STR, false, C(db_path), 0, 0 },
	{ "group", K_STR, false, C(db_group), 0, 0 },
};

/* Argon2 itself takes up to 4 TiB, but one hash of more than 1 GiB would
 * stop a school server; m_cost_kib must also be 8 x parallelism. */
#define ARGON2_M_MAX 1048576

static const struct key argon2_keys[] = {
	{ "t_cost", K_UINT, false, C(argon2_t), 1, 64 },
	{ "m_cost_kib", K_UINT, false, C(argon2_m), 8, ARGON2_M_MAX },
	{ "parallelism", K_UINT, false, C(argon2_p), 1, 64 },
};

/* [password] sets the per-role keys for every role, [password.ROLE] for
 * one; the two files belong to [password] alone. */
static const struct key password_keys[] = {
	{ "blocklist", K_STR, false, C(blocklist), 0, 0 },
	{ "wordlist", K_STR, false, C(wordlist), 0, 0 },
	{ "min_length", K_INT, true, P(min_length), 4, 1024 },
	{ "max_length", K_INT, true, P(max_length), 8, 1024 },
	{ "history", K_INT, true, P(history), 0, 100 },
	{ "max_age_days", K_INT, true, P(max_age_days), 0, 3650 },
	{ "warn_days", K_INT, true, P(warn_days), 0, 365 },
	{ "lockout_attempts", K_INT, true, P(lockout_attempts), 0, 1000 },
	{ "lockout_minutes", K_INT, true, P(lockout_minutes), 1, 525600 },
};

static const struct key pupils_keys[] = {
	{ "individual_accounts_from", K_YEARFROM, false, C(individual_from), 0,
	    0 },
	{ "username", K_STR, false, C(pupil_username), 0, 0 },
};

static const struct key staff_keys[] = {
	{ "username", K_STR, false, C(staff_username), 0, 0 },
};

static const struct key visitor_keys[] = {
	{ "default_hours", K_INT, false, C(visitor_default_hours), 1, 8760 },
	{ "max_hours", K_INT, false, C(visitor_max_hours), 1, 8760 },
	{ "username", K_STR, false, C(visitor_username), 0, 0 },
};

static const struct key print_keys[] = {
	{ "command", K_STR, false, C(print_command), 0, 0 },
};

static const struct key aup_keys[] = {
	{ "enforce", K_BOOL, false, C(aup_enforce), 0, 0 },
	{ "grace_days", K_INT, false, C(aup_grace_days), 0, 365 },
	{ "forms", K_STR, false, C(aup_forms), 0, 0 },
};

static const struct key rollover_keys[] = {
	{ "classes", K_CLASSES, false, C(rollover_classes), 0, 0 },
};

static const struct key log_keys[] = {
	{ "anchor", K_STR, false, C(log_anchor), 0, 0 },
	{ "syslog", K_BOOL, false, C(log_syslog), 0, 0 },
};

static const struct key leaver_keys[] = {
	{ "items", K_LIST, true, 0, 0, 0 },
	{ "stale_days", K_INT, false, C(leaver_stale_days), 1, 3650 },
};

/* How long personal data is kept once it is no longer needed: purge. */
static const struct key retention_keys[] = {
	{ "left_days", K_INT, false, C(retain_left_days), 0, 36500 },
	{ "visitor_days", K_INT, false, C(retain_visitor_days), 0, 36500 },
};

static const struct key import_plain_keys[] = {
	{ "reuse_days", K_INT, false, C(reuse_days), 0, 36500 },
};

/* Indexed by enum aup_import_field, which they name. */
#define F(f, n) [f] = { n, K_STR, false, M(f), 0, 0 }
static const struct key import_keys[] = {
	F(AUP_IMPORT_FIRST, "first"),
	F(AUP_IMPORT_LAST, "last"),
	F(AUP_IMPORT_PREFERRED_FIRST, "preferred_first"),
	F(AUP_IMPORT_PREFERRED_LAST, "preferred_last"),
	F(AUP_IMPORT_YEAR, "year"),
	F(AUP_IMPORT_CLASS, "class"),
	F(AUP_IMPORT_MIS_ID, "mis_id"),
	F(AUP_IMPORT_EMAIL, "email"),
	F(AUP_IMPORT_USERNAME, "username"),
};
#undef F

static void *import_map_add(struct aup_config *, const char *);

static const struct section sections[] = {
	{ .name = "school", .forms = S_PLAIN, KEYS(school_keys) },
	{ .name = "database", .forms = S_PLAIN, KEYS(database_keys) },
	{ .name = "argon2", .forms = S_PLAIN, KEYS(argon2_keys) },
	{ .name = "password",
	    .forms = S_PLAIN | S_ROLE,
	    KEYS(password_keys),
	    .role_off = C(pw),
	    .role_size = sizeof(struct aup_pw_policy) },
	{ .name = "pupils", .forms = S_PLAIN, KEYS(pupils_keys) },
	{ .name = "staff", .forms = S_PLAIN, KEYS(staff_keys) },
	{ .name = "visitor", .forms = S_PLAIN, KEYS(visitor_keys) },
	{ .name = "aup", .forms = S_PLAIN, KEYS(aup_keys) },
	{ .name = "print", .forms = S_PLAIN, KEYS(print_keys) },
	{ .name = "log", .forms = S_PLAIN, KEYS(log_keys) },
	{ .name = "rollover", .forms = S_PLAIN, KEYS(rollover_keys) },
	{ .name = "retention", .forms = S_PLAIN, KEYS(retention_keys) },
	{ .name = "leaver",
	    .forms = S_PLAIN | S_ROLE,
	    KEYS(leaver_keys),
	    .role_off = C(leaver),
	    .role_size = sizeof(struct aup_list) },
	{ .name = "import", .forms = S_PLAIN, KEYS(import_plain_keys) },
	{ .name = "import",
	    .forms = S_NAMED,
	    KEYS(import_keys),
	    .named = import_map_add },
	/* Operators live in the database now; a file that still lists
	 * them must not look as if it did something. */
	{ .name = "operators",
	    .forms = S_PLAIN,
	    .moved =
		"operators are kept "
		"in the database now: run 'aupctl operator set LOGIN ROLE' for "
		"each line of it, then remove the section (see aupctl(1))" },
};
#undef C
#undef P
#undef M
#undef KEYS

static const struct aup_pw_policy pw_defaults[AUP_ROLE_COUNT] = {
	[AUP_ROLE_PUPIL] = { 8, 64, 3, 0, 14, 5, 15 },
	[AUP_ROLE_STAFF] = { 12, 128, 5, 180, 14, 5, 15 },
	[AUP_ROLE_GOVERNOR] = { 12, 128, 5, 365, 14, 5, 15 },
	[AUP_ROLE_VOLUNTEER] = { 10, 128, 3, 365, 14, 5, 15 },
	[AUP_ROLE_VISITOR] = { 10, 128, 0, 0, 14, 5, 15 },
	[AUP_ROLE_CLASS] = { 8, 64, 0, 0, 14, 10, 5 },
};

/* The leaver checklists of the product's section 2, until [leaver.ROLE]
 * says otherwise, each item "id: label". The tool ticks password and
 * account itself when it finishes. Visitors expire by themselves; class
 * logons never leave. */
#define LEAVER_MAX 8
static const char *const leaver_defaults[AUP_ROLE_COUNT][LEAVER_MAX] = {
	[AUP_ROLE_PUPIL] = { "account: Account disabled",
	    "images: Images held of the pupil deleted",
	    "work: Work archived or handed over" },
	[AUP_ROLE_STAFF] = { "equipment: Equipment returned",
	    "keys: Keys and fob returned", "pins: Door and alarm PINs reset",
	    "password: Network password reset", "email: Email disabled",
	    "images: Images of pupils removed from personal devices",
	    "media: Personal data on removable media returned" },
	[AUP_ROLE_GOVERNOR] = { "equipment: Equipment returned",
	    "password: Network password reset", "email: Email disabled",
	    "images: Images of pupils removed from personal devices",
	    "media: Personal data on removable media returned" },
	[AUP_ROLE_VOLUNTEER] = { "equipment: Equipment returned",
	    "keys: Keys and fob returned", "pins: Door and alarm PINs reset",
	    "password: Network password reset",
	    "images: Images of pupils removed from personal devices" },
};

const char *
aup_import_field_name(enum aup_import_field f)
{
	return (unsigned)f < AUP_IMPORT_FIELD_COUNT ? import_keys[f].name : "?";
}

/*
 * $AUPCTL_DATADIR; else the source tree when this binary runs from the build
 * directory it was built in (AUP_BUILDDIR, AUP_SRCDIR: see meson.build), so
 * that an uninstalled aupctl finds forms/ without any setting; else the
 * installed data directory.
 */
const char *
aup_datadir(void)
{
	const char *d = getenv("AUPCTL_DATADIR");
	char exe[PATH_MAX];
	size_t blen = strlen(AUP_BUILDDIR);
	struct run_ids ids;
	ssize_t n;

	/* A privileged run refuses the variable when it loads the
	 * configuration; never follow it, whatever the caller did first. */
	run_ids_get(&ids);
	if (run_privileged(&ids))
		return AUP_DATADIR;
	if (d != NULL && *d != '\0')
		return d;
	/* An aupctl still in its build folder uses the source tree's. */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0 && (size_t)n > blen &&
	    strncmp(exe, AUP_BUILDDIR, blen) == 0 && exe[blen] == '/')
		return AUP_SRCDIR;
	return AUP_DATADIR;
}

static void
list_add(struct aup_list *l, const char *s, size_t n)
{
	l->items = xreallocarray(l->items, l->n + 1, sizeof *l->items);
	l->items[l->n++] = xstrndup(s, n);
}

static void
list_free(struct aup_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

static void
defaults(struct aup_config *cfg)
{
	cfg->year_start_month = 9;
	cfg->year_start_day = 1;
	cfg->argon2_t = 2;
	cfg->argon2_m = 19456;
	cfg->argon2_p = 1;
	memcpy(cfg->pw, pw_defaults, sizeof cfg->pw);
	cfg->individual_from = 3; /* KS2 */
	cfg->reuse_days = 365;
	cfg->retain_left_days = 365;
	cfg->leaver_stale_days = 30;
	cfg->retain_visitor_days = 30;
	cfg->pupil_username = xstrdup("{yy}{f}{last}");
	cfg->staff_username = xstrdup("{f}{last}");
	cfg->visitor_username = xstrdup("v{f}{last}");
	cfg->print_command = xstrdup("lp");
	cfg->visitor_default_hours = 8;
	cfg->visitor_max_hours = 72;
	cfg->aup_enforce = false;
	cfg->aup_grace_days = 30;
	for (int r = 0; r < AUP_ROLE_COUNT; r++)
		for (int i = 0; i < LEAVER_MAX && leaver_defaults[r][i]; i++)
			list_add(&cfg->leaver[r], leaver_defaults[r][i],
			    strlen(leaver_defaults[r][i]));
}

/*
 * Split a list value S as written: items separated by commas, each trimmed,
 * each perhaps in "double" or 'single' quotes (which may then hold commas,
 * ; and #); outside quotes ; or # starts a comment, as in iniparser. An
 * empty item is an error, so an empty value is too. On error WHY says why.
 */
static int
list_parse(const char *s, struct aup_list *out, char *why, size_t size)
{
	struct aup_list l = { 0 };
	const char *b, *e;

	for (;;) {
		s += strspn(s, " \t");
		if (*s == '"' || *s == '\'') {
			b = s + 1;
			if ((e = strchr(b, *s)) == NULL) {
				snprintf(why, size,
				    "item %zu has no closing quote", l.n + 1);
				goto fail;
			}
			s = e + 1 + strspn(e + 1, " \t");
			if (*s != '\0' && strchr(",;#", *s) == NULL) {
				snprintf(why, size,
				    "item %zu goes on after its closing quote",
				    l.n + 1);
				goto fail;
			}
		} else {
			b = s;
			s += strcspn(s, ",;#");
			for (e = s; e > b && isspace((unsigned char)e[-1]); e--)
				;
		}
		if (e == b) {
			snprintf(why, size, "item %zu is empty", l.n + 1);
			goto fail;
		}
		list_add(&l, b, (size_t)(e - b));
		if (!aup_utf8_valid(l.items[l.n - 1])) {
			snprintf(why, size, "item %zu is not a line of text",
			    l.n);
			goto fail;
		}
		if (*s != ',')
			break;
		s++;
	}
	list_free(out);
	*out = l;
	return 0;
fail:
	list_free(&l);
	return -1;
}

static int
bad_value(const struct reader *r, const char *sec, const char *key,
    const char *val, const char *want)
{
	char at[PATH_MAX + 16];

	aup_err_set(r->err, AUP_EX_CONFIG, "%s: [%s] %s = '%s' is not %s",
	    ini_where(&r->ini, sec, key, at, sizeof at), sec, key, val, want);
	aup_err_hint(r->err, "see aupctl.ini(5) for the keys and their values");
	return -1;
}

static int
set_value(const struct reader *r, void *base, const struct key *k,
    const char *sec, const char *val)
{
	char *p = (char *)base + k->off, want[128];
	long v;

	switch (k->type) {
	case K_INT:
	case K_UINT:
		if (aup_parse_long(val, k->min, k->max, &v) != 0) {
			snprintf(want, sizeof want,
			    "a whole number from %ld to %ld", k->min, k->max);
			return bad_value(r, sec, k->name, val, want);
		}
		if (k->type == K_UINT)
			*(unsigned *)(void *)p = (unsigned)v;
		else
			*(int *)(void *)p = (int)v;
		return 0;
	case K_BOOL:
		if (strcasecmp(val, "true") == 0 ||
		    strcasecmp(val, "yes") == 0 || strcmp(val, "1") == 0 ||
		    strcasecmp(val, "on") == 0)
			*(bool *)(void *)p = true;
		else if (strcasecmp(val, "false") == 0 ||
		    strcasecmp(val, "no") == 0 || strcmp(val, "0") == 0 ||
		    strcasecmp(val, "off") == 0)
			*(bool *)(void *)p = false;
		else
			return bad_value(r, sec, k->name, val, "true or false");
		return 0;
	case K_STR:
		if (*val == '\0' || !aup_utf8_valid(val))
			return bad_value(r, sec, k->name, val,
			    "a non-empty line of text");
		free(*(char **)(void *)p);
		*(char **)(void *)p = xstrdup(val);
		return 0;
	case K_MONTHDAY: {
		int m, d, n = 0;
		if (sscanf(val, "%2d-%2d%n", &m, &d, &n) != 2 ||
		    val[n] != '\0' || m < 1 || m > 12 || d < 1 || d > 28)
			return bad_value(r, sec, k->name, val,
			    "a month and day like 09-01 (day 1 to 28)");
		*(int *)(void *)p = m;
		*((int *)(void *)p + 1) = d;
		return 0;
	}
	case K_YEARFROM: {
		int y = AUP_YEAR_NONE, ks = aup_ks_parse(val);
		if (ks >= 0) {
			int hi;
			aup_ks_years((enum aup_ks)ks, &y, &hi);
		} else
			y = aup_year_parse(val);
		if (y == AUP_YEAR_NONE)
			return bad_value(r, sec, k->name, val,
			    "a key stage (EYFS, KS1..KS5) or year group");
		*(int *)(void *)p = y;
		return 0;
	}
	case K_CLASSES: {
		static const char *const names[] = { "shift", "keep", "clear" };
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strcasecmp(val, names[i]) == 0) {
				*(enum aup_rollover_classes *)(void *)p =
				    (enum aup_rollover_classes)i;
				return 0;
			}
		return bad_value(r, sec, k->name, val, "shift, keep or clear");
	}
	case K_LIST: {
		char why[64];
		if (list_parse(val, (struct aup_list *)(void *)p, why,
			sizeof why) != 0) {
			snprintf(want, sizeof want,
			    "a list of items separated by commas (%s)", why);
			return bad_value(r, sec, k->name, val, want);
		}
		return 0;
	}
	}
	return 0;
}

/* "[leaver.ROLE]": how section S is written in form FORM. */
static const char *
form_name(const struct section *s, int form, char *buf, size_t size)
{
	snprintf(buf, size, "[%s%s]", s->name,
	    form == S_ROLE	? ".ROLE" :
		form == S_NAMED ? ".NAME" :
				  "");
	return buf;
}

/* Section SEC is not one aupctl knows; WHY (may be NULL) says more. */
static int
unknown_section(const struct reader *r, const char *sec, const char *why)
{
	char at[PATH_MAX + 16];

	aup_err_set(r->err, AUP_EX_CONFIG, "%s: unknown section '%s'%s%s",
	    ini_where(&r->ini, sec, NULL, at, sizeof at), sec,
	    why != NULL ? ": " : "", why != NULL ? why : "");
	aup_err_hint(r->err,
	    "see aupctl.ini(5) for the sections and keys "
	    "aupctl knows; remove or correct this one");
	return -1;
}

/* KEY is not one of section SEC (written in form FORM of S). */
static int
unknown_key(const struct reader *r, const struct section *s, int form,
    const char *sec, const char *key)
{
	char at[PATH_MAX + 16], fn[64];
	struct aup_buf b = { 0 };

	aup_err_set(r->err, AUP_EX_CONFIG, "%s: unknown key '%s.%s'",
	    ini_where(&r->ini, sec, key, at, sizeof at), sec, key);
	for (size_t i = 0; i < s->nkeys; i++)
		if (form != S_ROLE || s->keys[i].per_role)
			aup_buf_printf(&b, "%s%s", b.len > 0 ? ", " : "",
			    s->keys[i].name);
	aup_err_hint(r->err, "the keys of %s are %s; see aupctl.ini(5)",
	    form_name(s, form, fn, sizeof fn), b.data);
	aup_buf_free(&b);
	return -1;
}

/*
 * The schema's section for SEC, with FORM (S_PLAIN, S_ROLE or S_NAMED)
 * and, for S_ROLE, *ROLE; NULL with the error filled when SEC is not one.
 */
static const struct section *
find_section(const struct reader *r, const char *sec, int *form, int *role)
{
	const struct section *s = NULL;
	const char *suffix = NULL;
	char fn[64], why[192];

	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		size_t n = strlen(sections[i].name);

		/* [import] and [import.NAME] are two sections of one
		 * name: the plain one has no suffix. */
		if (strncmp(sec, sections[i].name, n) == 0 &&
		    (sec[n] == '\0' || sec[n] == '.') &&
		    (s == NULL ||
			(sec[n] == '\0') ==
			    ((sections[i].forms & S_PLAIN) != 0))) {
			s = &sections[i];
			suffix = sec[n] == '.' ? sec + n + 1 : NULL;
		}
	}
	*role = -1;
	if (s == NULL) {
		unknown_section(r, sec, NULL);
		return NULL;
	}
	if (suffix == NULL && (s->forms & S_PLAIN)) {
		*form = S_PLAIN;
		return s;
	}
	*form = s->forms & S_ROLE ? S_ROLE :
	    s->forms & S_NAMED	  ? S_NAMED :
				    S_PLAIN;
	if (suffix != NULL && *form == S_ROLE &&
	    (*role = aup_role_parse(suffix)) >= 0)
		return s;
	if (suffix != NULL && *form == S_NAMED && *suffix != '\0' &&
	    strspn(suffix, NAME_CHARS) == strlen(suffix))
		return s;
	form_name(s, *form, fn, sizeof fn);
	if (*form == S_ROLE)
		snprintf(why, sizeof why, "write %s, where ROLE is one of %s",
		    fn, aup_role_list());
	else if (*form == S_NAMED)
		snprintf(why, sizeof why,
		    "write %s, where NAME is letters, digits, - and _", fn);
	else
		snprintf(why, sizeof why, "write %s", fn);
	unknown_section(r, sec, why);
	return NULL;
}

static const struct key *
find_key(const struct section *s, const char *name)
{
	for (size_t i = 0; i < s->nkeys; i++)
		if (strcmp(s->keys[i].name, name) == 0)
			return &s->keys[i];
	return NULL;
}

static void *
import_map_add(struct aup_config *cfg, const char *name)
{
	struct aup_import_map *m;

	cfg->imports = xreallocarray(cfg->imports, cfg->nimports + 1,
	    sizeof *cfg->imports);
	m = &cfg->imports[cfg->nimports++];
	memset(m, 0, sizeof *m);
	m->name = xstrdup(name);
	return m;
}

/* Key K of section S (in FORM, for ROLE) is VAL: set it where it lives. */
static int
apply_key(const struct reader *r, const struct section *s, int form, int role,
    void *named, const char *sec, const struct key *k, const char *val)
{
	int lo = 0, hi = AUP_ROLE_COUNT - 1, rc = 0;

	if (form == S_NAMED)
		return set_value(r, named, k, sec, val);
	if (!k->per_role)
		return set_value(r, r->cfg, k, sec, val);
	if (form == S_ROLE)
		lo = hi = role;
	for (int i = lo; i <= hi && rc == 0; i++)
		rc = set_value(r,
		    (char *)r->cfg + s->role_off + (size_t)i * s->role_size, k,
		    sec, val);
	return rc;
}

/* One section; PASS 0 does all but [X.ROLE], pass 1 only those, so that a
 * role's own keys override [X] whatever the file's order. */
static int
read_section(struct reader *r, const char *sec, int pass)
{
	int n = iniparser_getsecnkeys(r->ini.d, sec), form, role, rc = 0;
	const struct section *s;
	const char **names;
	void *named = NULL;

	if ((s = find_section(r, sec, &form, &role)) == NULL)
		return -1;
	if (s->moved != NULL) {
		char at[PATH_MAX + 16];

		aup_err_set(r->err, AUP_EX_CONFIG,
		    "%s: section [%s] is no longer read",
		    ini_where(&r->ini, sec, NULL, at, sizeof at), sec);
		aup_err_hint(r->err, "%s", s->moved);
		return -1;
	}
	if ((form == S_ROLE) != (pass == 1))
		return 0;
	if (form == S_NAMED)
		named = s->named(r->cfg, sec + strlen(s->name) + 1);
	if (n <= 0)
		return 0;
	names = xcalloc((size_t)n, sizeof *names);
	if (iniparser_getseckeys(r->ini.d, sec, names) == NULL) {
		free(names);
		return 0;
	}
	for (int i = 0; i < n && rc == 0; i++) {
		const char *name = names[i] + strlen(sec) + 1;
		const char *val = iniparser_getstring(r->ini.d, names[i], "");
		const struct key *k = find_key(s, name);
		const struct ini_line *l;

		if (k == NULL || (form == S_ROLE && !k->per_role)) {
			rc = unknown_key(r, s, form, sec, name);
			continue;
		}
		/* iniparser keeps only the first of several quoted items. */
		if (k->type == K_LIST &&
		    (l = ini_line_of(&r->ini, sec, name)) != NULL)
			val = l->val;
		rc = apply_key(r, s, form, role, named, sec, k, val);
	}
	free(names);
	return rc;
}

static int
check_policies(const struct aup_config *cfg, struct aup_err *err)
{
	/* libargon2 refuses less at hash time, which would be exit 70 on
	 * the first password set rather than 78 now. */
	if (cfg->argon2_m < 8 * cfg->argon2_p) {
		aup_err_set(err, AUP_EX_CONFIG,
		    "%s: [argon2] m_cost_kib %u is "
		    "less than 8 KiB per lane of parallelism %u",
		    cfg->path, cfg->argon2_m, cfg->argon2_p);
		aup_err_hint(err,
		    "raise [argon2] m_cost_kib to at least %u, or "
		    "lower parallelism",
		    8 * cfg->argon2_p);
		return -1;
	}
	for (int r = 0; r < AUP_ROLE_COUNT; r++) {
		const struct aup_pw_policy *p = &cfg->pw[r];

		if (p->min_length > p->max_length) {
			aup_err_set(err, AUP_EX_CONFIG,
			    "%s: [password.%s] "
			    "min_length %d is more than max_length %d",
			    cfg->path, aup_role_name((enum aup_role)r),
			    p->min_length, p->max_length);
			return -1;
		}
	}
	return 0;
}

struct aup_config *
aup_config_read(const char *path, struct aup_err *err)
{
	struct aup_config *cfg = xcalloc(1, sizeof *cfg);
	struct reader r = { .cfg = cfg, .err = err };
	int nsec, rc = 0;

	defaults(cfg);
	if (path == NULL)
		return cfg;
	cfg->path = xstrdup(path);
	if (access(path, R_OK) != 0) {
		aup_err_set(err, AUP_EX_CONFIG,
		    "cannot read configuration file %s: %s", path,
		    strerror(errno));
		aup_err_hint(err,
		    "check the path given with --config or $AUPCTL_CONFIG");
		aup_config_free(cfg);
		return NULL;
	}
	if (ini_load(&r.ini, path, "aupctl.ini(5)", err) != 0) {
		aup_config_free(cfg);
		return NULL;
	}
	nsec = iniparser_getnsec(r.ini.d);
	for (int pass = 0; pass < 2 && rc == 0; pass++)
		for (int i = 0; i < nsec && rc == 0; i++)
			rc = read_section(&r, iniparser_getsecname(r.ini.d, i),
			    pass);
	ini_free(&r.ini);
	if (rc == 0)
		rc = check_policies(cfg, err);
	if (rc != 0) {
		aup_config_free(cfg);
		return NULL;
	}
	return cfg;
}

void
run_ids_get(struct run_ids *ids)
{
	ids->ruid = getuid();
	ids->euid = geteuid();
	ids->rgid = getgid();
	ids->egid = getegid();
	ids->sudo_user = getenv("SUDO_USER");
	if (ids->sudo_user != NULL && *ids->sudo_user == '\0')
		ids->sudo_user = NULL;
	ids->sysconf = AUP_SYSCONF;
	ids->sysconf_owner = 0;
}

bool
run_privileged(const struct run_ids *ids)
{
	return ids->ruid != ids->euid || ids->rgid != ids->egid ||
	    (ids->ruid == 0 && ids->sudo_user != NULL);
}

/* What a privileged run refuses, so that the caller cannot choose what
 * it reads or where it writes: the option or variable, or NULL. */
static const char *
chosen_path(const char *explicit)
{
	static const char *const vars[] = {
		"AUPCTL_CONFIG",
		"AUPCTL_DB",
		"AUPCTL_DATADIR",
	};

	if (explicit != NULL)
		return "--config";
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && *v != '\0')
			return vars[i];
	}
	return NULL;
}

/* PATH (and its folder) may be trusted by a privileged run: owned by
 * OWNER and writable by no one else. 0, or -1 with ERR set. */
static int
trusted(const char *path, uid_t owner, struct aup_err *err)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	struct stat st;
	int rc = 0;

	if (slash != NULL)
		*slash = '\0';
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != owner || (st.st_mode & 022) != 0)
		rc = -1;
	else if (slash != NULL && *dir != '\0' &&
	    (stat(dir, &st) != 0 || st.st_uid != owner ||
		(st.st_mode & 022) != 0))
		rc = -1;
	free(dir);
	if (rc != 0) {
		aup_err_set(err, AUP_EX_CONFIG,
		    "%s is not safe for a "
		    "privileged run: it and its folder must be owned by root "
		    "and writable by no one else",
		    path);
		aup_err_hint(err, "chown root:root %s; chmod 0644 %s", path,
		    path);
	}
	return rc;
}

struct aup_config *
config_load_as(const struct run_ids *ids, const char *explicit,
    struct aup_err *err)
{
	const char *env = getenv("AUPCTL_CONFIG"), *chosen;
	struct aup_config *cfg;

	if (!run_privileged(ids)) {
		if (explicit != NULL)
			return aup_config_read(explicit, err);
		if (env != NULL && *env != '\0')
			return aup_config_read(env, err);
		if (access(ids->sysconf, F_OK) == 0)
			return aup_config_read(ids->sysconf, err);
		return aup_config_read(NULL, err);
	}
	if ((chosen = chosen_path(explicit)) != NULL) {
		aup_err_set(err, AUP_EX_CONFIG,
		    "%s is refused in a privileged "
		    "run (under sudo, setuid or setgid)",
		    chosen);
		aup_err_hint(err,
		    "a privileged run reads only %s and the "
		    "database it names; unset %s",
		    ids->sysconf, *chosen == '-' ? "the option" : chosen);
		return NULL;
	}
	if (access(ids->sysconf, F_OK) != 0)
		cfg = aup_config_read(NULL, err);
	else if (trusted(ids->sysconf, ids->sysconf_owner, err) != 0)
		return NULL;
	else
		cfg = aup_config_read(ids->sysconf, err);
	if (cfg != NULL)
		cfg->privileged = true;
	return cfg;
}

struct aup_config *
aup_config_load(const char *explicit, struct aup_err *err)
{
	struct run_ids ids;

	run_ids_get(&ids);
	return config_load_as(&ids, explicit, err);
}

const struct aup_import_map *
aup_config_import_map(const struct aup_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nimports; i++)
		if (strcasecmp(cfg->imports[i].name, name) == 0)
			return &cfg->imports[i];
	return NULL;
}

const char *const *
aup_config_leaver_items(const struct aup_config *cfg, enum aup_role role,
    size_t *n)
{
	if ((unsigned)role >= AUP_ROLE_COUNT) {
		*n = 0;
		return NULL;
	}
	*n = cfg->leaver[role].n;
	return (const char *const *)cfg->leaver[role].items;
}

void
aup_config_free(struct aup_config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->path);
	free(cfg->school_name);
	free(cfg->db_path);
	free(cfg->db_group);
	free(cfg->blocklist);
	free(cfg->wordlist);
	free(cfg->pupil_username);
	free(cfg->staff_username);
	free(cfg->visitor_username);
	free(cfg->print_command);
	free(cfg->aup_forms);
	free(cfg->log_anchor);
	for (int r = 0; r < AUP_ROLE_COUNT; r++)
		list_free(&cfg->leaver[r]);
	for (size_t i = 0; i < cfg->nimports; i++) {
		free(cfg->imports[i].name);
		for (int f = 0; f < AUP_IMPORT_FIELD_COUNT; f++)
			free(cfg->imports[i].header[f]);
	}
	free(cfg->imports);
	free(cfg);
}
