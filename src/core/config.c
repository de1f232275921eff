/* Reading aupctl.ini with iniparser against one schema of sections and keys,
 * on top of built-in defaults. Anything the schema does not know is an error,
 * never silently ignored. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <iniparser/iniparser.h>

#include "aup/config.h"
#include "aup/utf8.h"
#include "aup/util.h"

#define SYSCONF_PATH	"/etc/aupctl/aupctl.ini"

enum ktype { K_INT, K_BOOL, K_STR, K_MONTHDAY, K_YEARFROM };

struct key {
	const char	*section;
	const char	*name;
	enum ktype	 type;
	size_t		 off;
	long		 min, max;
};

#define C(f)	offsetof(struct aup_config, f)
static const struct key keys[] = {
	{ "school", "name", K_STR, C(school_name), 0, 0 },
	{ "school", "final_year", K_INT, C(final_year), 1, 13 },
	{ "school", "year_start", K_MONTHDAY, C(year_start_month), 0, 0 },
	{ "database", "path", K_STR, C(db_path), 0, 0 },
	{ "database", "group", K_STR, C(db_group), 0, 0 },
	{ "argon2", "t_cost", K_INT, C(argon2_t), 1, 64 },
	{ "argon2", "m_cost_kib", K_INT, C(argon2_m), 8, 4194304 },
	{ "argon2", "parallelism", K_INT, C(argon2_p), 1, 64 },
	{ "password", "blocklist", K_STR, C(blocklist), 0, 0 },
	{ "password", "wordlist", K_STR, C(wordlist), 0, 0 },
	{ "pupils", "individual_accounts_from", K_YEARFROM, C(individual_from),
	    0, 0 },
	{ "pupils", "username", K_STR, C(pupil_username), 0, 0 },
	{ "staff", "username", K_STR, C(staff_username), 0, 0 },
	{ "aup", "enforce", K_BOOL, C(aup_enforce), 0, 0 },
	{ "aup", "grace_days", K_INT, C(aup_grace_days), 0, 365 },
};
#undef C

/* Keys of [password] (all roles) and [password.ROLE] (one role). */
#define P(f)	offsetof(struct aup_pw_policy, f)
static const struct key pw_keys[] = {
	{ "password", "min_length", K_INT, P(min_length), 4, 1024 },
	{ "password", "max_length", K_INT, P(max_length), 8, 1024 },
	{ "password", "history", K_INT, P(history), 0, 100 },
	{ "password", "max_age_days", K_INT, P(max_age_days), 0, 3650 },
	{ "password", "warn_days", K_INT, P(warn_days), 0, 365 },
	{ "password", "lockout_attempts", K_INT, P(lockout_attempts), 0, 1000 },
	{ "password", "lockout_minutes", K_INT, P(lockout_minutes), 1, 525600 },
};
#undef P

static const struct aup_pw_policy pw_defaults[AUP_ROLE_COUNT] = {
	[AUP_ROLE_PUPIL] = { 8, 64, 3, 0, 14, 5, 15 },
	[AUP_ROLE_STAFF] = { 12, 128, 5, 180, 14, 5, 15 },
	[AUP_ROLE_GOVERNOR] = { 12, 128, 5, 365, 14, 5, 15 },
	[AUP_ROLE_VOLUNTEER] = { 10, 128, 3, 365, 14, 5, 15 },
	[AUP_ROLE_VISITOR] = { 10, 128, 0, 0, 14, 5, 15 },
	[AUP_ROLE_CLASS] = { 8, 64, 0, 0, 14, 10, 5 },
};

static const char *op_role_names[AUP_OP_COUNT] = {
	"admin", "netmgr", "office", "auditor", "auth",
};

const char *
aup_op_role_name(enum aup_op_role r)
{
	return (unsigned)r < AUP_OP_COUNT ? op_role_names[r] : "?";
}

const char *
aup_datadir(void)
{
	const char *d = getenv("AUPCTL_DATADIR");

	return d != NULL && *d != '\0' ? d : AUP_DATADIR;
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
	cfg->individual_from = 3;	/* KS2 */
	cfg->pupil_username = xstrdup("{yy}{f}{last}");
	cfg->staff_username = xstrdup("{f}{last}");
	cfg->aup_enforce = false;
	cfg->aup_grace_days = 30;
}

/* iniparser reports syntax errors through a printf-like callback; keep the
 * first one for our error instead of letting the library print it. */
static char ini_error[256];

static int
ini_errback(const char *fmt, ...)
{
	va_list ap;
	char *nl;

	if (ini_error[0] != '\0')
		return 0;
	va_start(ap, fmt);
	vsnprintf(ini_error, sizeof ini_error, fmt, ap);
	va_end(ap);
	while ((nl = strchr(ini_error, '\n')) != NULL)
		*nl = ' ';
	return 0;
}

/*
 * "PATH:LINE" of KEY in section SEC (KEY NULL: the [SEC] line itself; SEC
 * "": above any section) in BUF, as iniparser keeps no line numbers; just
 * PATH when it cannot be found. Names compare case-blind, as iniparser's.
 */
static const char *
where(const char *path, const char *sec, const char *key, char *buf,
    size_t size)
{
	FILE *f = fopen(path, "r");
	char line[1024], cur[128] = "";
	int no = 0, found = 0;

	snprintf(buf, size, "%s", path);
	if (f == NULL)
		return buf;
	while (found == 0 && fgets(line, sizeof line, f) != NULL) {
		char *s = line + strspn(line, " \t"), *e;
		size_t n;

		no++;
		if (*s == '[' && (e = strchr(s, ']')) != NULL) {
			s += 1 + strspn(s + 1, " \t");
			while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			snprintf(cur, sizeof cur, "%.*s", (int)(e - s), s);
			if (key == NULL && strcasecmp(cur, sec) == 0)
				found = no;
			continue;
		}
		if (key == NULL || strcasecmp(cur, sec) != 0)
			continue;
		n = strcspn(s, "=");
		if (s[n] == '\0')
			continue;
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == strlen(key) && strncasecmp(s, key, n) == 0)
			found = no;
	}
	fclose(f);
	if (found > 0)
		snprintf(buf, size, "%s:%d", path, found);
	return buf;
}

static int
bad_value(struct aup_err *err, const char *path, const char *sec,
    const char *key, const char *val, const char *want)
{
	char at[PATH_MAX + 16];

	aup_err_set(err, AUP_EX_CONFIG, "%s: [%s] %s = '%s' is not %s",
	    where(path, sec, key, at, sizeof at), sec, key, val, want);
	aup_err_hint(err, "see aupctl.ini(5) for the keys and their values");
	return -1;
}

static int
set_value(void *base, const struct key *k, const char *path, const char *sec,
    const char *val, struct aup_err *err)
{
	char *p = (char *)base + k->off;
	long v;

	switch (k->type) {
	case K_INT:
		if (aup_parse_long(val, k->min, k->max, &v) != 0) {
			char want[64];
			snprintf(want, sizeof want, "a whole number from %ld to %ld",
			    k->min, k->max);
			return bad_value(err, path, sec, k->name, val, want);
		}
		if (k->off == offsetof(struct aup_config, argon2_t) ||
		    k->off == offsetof(struct aup_config, argon2_m) ||
		    k->off == offsetof(struct aup_config, argon2_p))
			*(unsigned *)(void *)p = (unsigned)v;
		else
			*(int *)(void *)p = (int)v;
		return 0;
	case K_BOOL:
		if (strcasecmp(val, "true") == 0 || strcasecmp(val, "yes") == 0 ||
		    strcmp(val, "1") == 0 || strcasecmp(val, "on") == 0)
			*(bool *)(void *)p = true;
		else if (strcasecmp(val, "false") == 0 ||
		    strcasecmp(val, "no") == 0 || strcmp(val, "0") == 0 ||
		    strcasecmp(val, "off") == 0)
			*(bool *)(void *)p = false;
		else
			return bad_value(err, path, sec, k->name, val,
			    "true or false");
		return 0;
	case K_STR:
		if (*val == '\0' || !aup_utf8_valid(val))
			return bad_value(err, path, sec, k->name, val,
			    "a non-empty line of text");
		free(*(char **)(void *)p);
		*(char **)(void *)p = xstrdup(val);
		return 0;
	case K_MONTHDAY: {
		int m, d, n = 0;
		if (sscanf(val, "%2d-%2d%n", &m, &d, &n) != 2 ||
		    val[n] != '\0' || m < 1 || m > 12 || d < 1 || d > 28)
			return bad_value(err, path, sec, k->name, val,
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
			return bad_value(err, path, sec, k->name, val,
			    "a key stage (EYFS, KS1..KS5) or year group");
		*(int *)(void *)p = y;
		return 0;
	}
	}
	return 0;
}

static const struct key *
find_key(const struct key *tab, size_t n, const char *sec, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(tab[i].section, sec) == 0 &&
		    strcmp(tab[i].name, name) == 0)
			return &tab[i];
	return NULL;
}

/* Section SEC, or with KEY its key, is not one aupctl knows. */
static int
unknown(struct aup_err *err, const char *path, const char *sec,
    const char *key)
{
	char at[PATH_MAX + 16];

	where(path, sec, key, at, sizeof at);
	if (key == NULL)
		aup_err_set(err, AUP_EX_CONFIG, "%s: unknown section '%s'", at,
		    sec);
	else
		aup_err_set(err, AUP_EX_CONFIG, "%s: unknown key '%s.%s'", at,
		    sec, key);
	aup_err_hint(err, "see aupctl.ini(5) for the sections and keys aupctl "
	    "knows; remove or correct this one");
	return -1;
}

static int
read_operators(struct aup_config *cfg, dictionary *d, const char *path,
    const char **names, int n, struct aup_err *err)
{
	cfg->have_operators = true;
	cfg->ops = xcalloc((size_t)n, sizeof *cfg->ops);
	for (int i = 0; i < n; i++) {
		const char *login = strchr(names[i], ':') + 1;
		const char *val = iniparser_getstring(d, names[i], "");
		int r = -1;

		for (int j = 0; j < AUP_OP_COUNT; j++)
			if (strcasecmp(val, op_role_names[j]) == 0)
				r = j;
		if (r < 0)
			return bad_value(err, path, "operators", login, val,
			    "an operator role (admin, netmgr, office, auditor, "
			    "auth)");
		cfg->ops[cfg->nops].login = xstrdup(login);
		cfg->ops[cfg->nops++].role = (enum aup_op_role)r;
	}
	return 0;
}

/* One section; PASS 0 does all but [password.ROLE], pass 1 only those, so
 * that a role's own keys override [password] whatever the file's order. */
static int
read_section(struct aup_config *cfg, dictionary *d, const char *path,
    const char *sec, int pass, struct aup_err *err)
{
	int n = iniparser_getsecnkeys(d, sec), role = -1, rc = 0;
	const char **names;
	bool known = false;

	if (strncmp(sec, "password.", 9) == 0) {
		if ((role = aup_role_parse(sec + 9)) < 0)
			return unknown(err, path, sec, NULL);
		if (pass == 0)
			return 0;
		known = true;
	} else if (pass == 1)
		return 0;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].section, sec) == 0)
			known = true;
	if (strcmp(sec, "operators") == 0)
		known = true;
	if (!known)
		return unknown(err, path, sec, NULL);
	/* An [operators] section lists everyone who may do anything: an
	 * empty one lets no one in, it does not fall back to admin. */
	if (strcmp(sec, "operators") == 0)
		cfg->have_operators = true;
	if (n <= 0)
		return 0;
	names = xcalloc((size_t)n, sizeof *names);
	if (iniparser_getseckeys(d, sec, names) == NULL) {
		free(names);
		return 0;
	}
	if (strcmp(sec, "operators") == 0) {
		rc = read_operators(cfg, d, path, names, n, err);
		free(names);
		return rc;
	}
	for (int i = 0; i < n && rc == 0; i++) {
		const char *name = strchr(names[i], ':') + 1;
		const char *val = iniparser_getstring(d, names[i], "");
		const struct key *k;

		if (strcmp(sec, "password") == 0 || role >= 0) {
			k = find_key(pw_keys, sizeof pw_keys / sizeof pw_keys[0],
			    "password", name);
			if (k != NULL) {
				int lo = role >= 0 ? role : 0;
				int hi = role >= 0 ? role : AUP_ROLE_COUNT - 1;
				for (int r = lo; r <= hi && rc == 0; r++)
					rc = set_value(&cfg->pw[r], k, path, sec,
					    val, err);
				continue;
			}
			if (role >= 0) {
				rc = unknown(err, path, sec, name);
				continue;
			}
		}
		k = find_key(keys, sizeof keys / sizeof keys[0], sec, name);
		if (k == NULL) {
			rc = unknown(err, path, sec, name);
			continue;
		}
		rc = set_value(cfg, k, path, sec, val, err);
	}
	free(names);
	return rc;
}

static int
check_policies(const struct aup_config *cfg, struct aup_err *err)
{
	for (int r = 0; r < AUP_ROLE_COUNT; r++) {
		const struct aup_pw_policy *p = &cfg->pw[r];

		if (p->min_length > p->max_length) {
			aup_err_set(err, AUP_EX_CONFIG, "%s: [password.%s] "
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
	dictionary *d;
	int nsec, rc = 0;

	defaults(cfg);
	if (path == NULL)
		return cfg;
	cfg->path = xstrdup(path);
	if (access(path, R_OK) != 0) {
		aup_err_set(err, AUP_EX_CONFIG, "cannot read configuration file "
		    "%s: %s", path, strerror(errno));
		aup_err_hint(err, "check the path given with --config or "
		    "$AUPCTL_CONFIG");
		aup_config_free(cfg);
		return NULL;
	}
	ini_error[0] = '\0';
	iniparser_set_error_callback(ini_errback);
	d = iniparser_load(path);
	if (d == NULL || ini_error[0] != '\0') {
		aup_err_set(err, AUP_EX_CONFIG, "%s: cannot parse: %s", path,
		    ini_error[0] ? ini_error : "unreadable file");
		aup_err_hint(err, "each line is [section], key = value, or a "
		    "comment starting with ; or #");
		if (d != NULL)
			iniparser_freedict(d);
		aup_config_free(cfg);
		return NULL;
	}
	/* iniparser files a key above the first [section] as ":key" and no
	 * section lists it: look for those in the raw dictionary. */
	for (ssize_t i = 0; i < d->size && rc == 0; i++)
		if (d->key[i] != NULL && d->key[i][0] == ':') {
			char at[PATH_MAX + 16];
			aup_err_set(err, AUP_EX_CONFIG, "%s: key '%s' is outside "
			    "any [section]", where(path, "", d->key[i] + 1, at,
			    sizeof at), d->key[i] + 1);
			aup_err_hint(err, "put it under the section it belongs "
			    "to; see aupctl.ini(5)");
			rc = -1;
		}
	nsec = iniparser_getnsec(d);
	for (int pass = 0; pass < 2 && rc == 0; pass++)
		for (int i = 0; i < nsec && rc == 0; i++)
			rc = read_section(cfg, d, path,
			    iniparser_getsecname(d, i), pass, err);
	iniparser_freedict(d);
	if (rc == 0)
		rc = check_policies(cfg, err);
	if (rc != 0) {
		aup_config_free(cfg);
		return NULL;
	}
	return cfg;
}

struct aup_config *
aup_config_load(const char *explicit, struct aup_err *err)
{
	const char *env = getenv("AUPCTL_CONFIG");

	if (explicit != NULL)
		return aup_config_read(explicit, err);
	if (env != NULL && *env != '\0')
		return aup_config_read(env, err);
	if (access(SYSCONF_PATH, F_OK) == 0)
		return aup_config_read(SYSCONF_PATH, err);
	return aup_config_read(NULL, err);
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
	for (size_t i = 0; i < cfg->nops; i++)
		free(cfg->ops[i].login);
	free(cfg->ops);
	free(cfg);
}
