/* Passwords: Argon2id hashing through libargon2, the strength policy
 * (length, names, blocklist, patterns), history, rotation, lockout and
 * generated passphrases. A password is held only in wiped buffers. */
#include <argon2.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "aup/clock.h"
#include "aup/password.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "core.h"
#include "pwstore.h"

#define SALT_LEN 16
#define HASH_LEN 32
#define DAY	 86400

/* ---- randomness and hashing ---- */

int
aup_random_bytes(void *buf, size_t n, struct aup_err *err)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t r = getrandom(p, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return aup_err_set(err, AUP_EX_SOFTWARE,
			    "no random numbers from the kernel: %s",
			    strerror(errno));
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* A uniform number below N, without modulo bias. */
static int
random_below(uint32_t n, uint32_t *out, struct aup_err *err)
{
	uint32_t r, limit = UINT32_MAX - UINT32_MAX % n;

	do {
		if (aup_random_bytes(&r, sizeof r, err) != 0)
			return -1;
	} while (r >= limit);
	*out = r % n;
	return 0;
}

int
aup_pw_hash(const struct aup_config *cfg, const char *pw, char **phc,
    struct aup_err *err)
{
	unsigned char salt[SALT_LEN];
	size_t len = argon2_encodedlen(cfg->argon2_t, cfg->argon2_m,
	    cfg->argon2_p, SALT_LEN, HASH_LEN, Argon2_id);
	char *out;
	int rc;

	*phc = NULL;
	if (aup_random_bytes(salt, sizeof salt, err) != 0)
		return -1;
	out = xmalloc(len);
	rc = argon2id_hash_encoded(cfg->argon2_t, cfg->argon2_m, cfg->argon2_p,
	    pw, strlen(pw), salt, sizeof salt, HASH_LEN, out, len);
	explicit_bzero(salt, sizeof salt);
	if (rc != ARGON2_OK) {
		free(out);
		return aup_err_set(err,
		    rc == ARGON2_MEMORY_ALLOCATION_ERROR ? AUP_EX_UNAVAILABLE :
							   AUP_EX_SOFTWARE,
		    "cannot hash a password: %s", argon2_error_message(rc));
	}
	*phc = out;
	return 0;
}

int
aup_pw_verify(const char *phc, const char *pw)
{
	int rc;

	if (phc == NULL || strncmp(phc, "$argon2id$", 10) != 0)
		return -1;
	rc = argon2id_verify(phc, pw, strlen(pw));
	if (rc == ARGON2_OK)
		return 1;
	return rc == ARGON2_VERIFY_MISMATCH ? 0 : -1;
}

bool
aup_pw_outdated(const struct aup_config *cfg, const char *phc)
{
	unsigned m, t, p;

	if (sscanf(phc, "$argon2id$v=19$m=%u,t=%u,p=%u$", &m, &t, &p) != 3)
		return true;
	return m != cfg->argon2_m || t != cfg->argon2_t || p != cfg->argon2_p;
}

/* ---- word lists ---- */

struct wordlist {
	char *path; /* NULL until loaded */
	char **v;
	size_t n;
};

/* The blocklist and the passphrase words, loaded once per handle and never
 * changed afterwards, so that threads can read them at once. */
struct pw_lists {
	struct wordlist block, words;
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
wordlist_clear(struct wordlist *wl)
{
	for (size_t i = 0; i < wl->n; i++)
		free(wl->v[i]);
	free(wl->v);
	free(wl->path);
	memset(wl, 0, sizeof *wl);
}

/* Load a list of one word a line, lower-cased and sorted, from the file
 * CONFIGURED or else the copy built into the binary, BUILTIN; KEY is its
 * [password] key. */
static int
wordlist_load(struct wordlist *wl, const char *configured, int builtin,
    const char *what, const char *key, struct aup_err *err)
{
	const char *text = pw_builtin[builtin];
	FILE *f;
	char line[256];
	size_t cap = 0;

	if (configured != NULL)
		f = fopen(configured, "re");
	else /* "r" never writes to the buffer */
		f = fmemopen((char *)text, strlen(text), "r");
	if (f == NULL) {
		aup_err_set(err,
		    configured != NULL ? AUP_EX_NOINPUT : AUP_EX_SOFTWARE,
		    "cannot read the %s %s: %s", what,
		    configured != NULL ? configured : "built in",
		    strerror(errno));
		if (configured != NULL)
			aup_err_hint(err,
			    "check [password] %s in the "
			    "configuration, or remove it to use the list "
			    "built into aupctl",
			    key);
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		size_t len = strcspn(line, "\r\n");

		line[len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		for (size_t i = 0; i < len; i++)
			line[i] = (char)tolower((unsigned char)line[i]);
		if (wl->n == cap) {
			cap = cap ? cap * 2 : 1024;
			wl->v = xreallocarray(wl->v, cap, sizeof *wl->v);
		}
		wl->v[wl->n++] = xstrdup(line);
	}
	fclose(f);
	qsort(wl->v, wl->n, sizeof *wl->v, cmp_str);
	wl->path = xstrdup(
	    configured != NULL ? configured : "built into aupctl");
	return 0;
}

void
pw_lists_free(struct pw_lists *l)
{
	if (l == NULL)
		return;
	wordlist_clear(&l->block);
	wordlist_clear(&l->words);
	free(l);
}

/*
 * The handle's lists, each loaded on its first use (a helper checks many
 * passwords, an import hashes thousands) and never changed afterwards; the
 * passphrase words only when WORDS asks for them.
 */
static const struct pw_lists *
pw_lists_get(struct aup_db *db, bool words, struct aup_err *err)
{
	struct pw_lists *l;

	if (db->pw_lists == NULL)
		db->pw_lists = xcalloc(1, sizeof *db->pw_lists);
	l = db->pw_lists;
	if (l->block.path == NULL &&
	    wordlist_load(&l->block, db->cfg->blocklist, PW_BUILTIN_BLOCK,
		"blocklist", "blocklist", err) != 0)
		return NULL;
	if (!words || l->words.path != NULL)
		return l;
	if (wordlist_load(&l->words, db->cfg->wordlist, PW_BUILTIN_WORDS,
		"word list", "wordlist", err) != 0)
		return NULL;
	if (l->words.n < 256) {
		aup_err_set(err, AUP_EX_CONFIG,
		    "the word list (%s) has only "
		    "%zu words; passphrases need at least 256",
		    l->words.path, l->words.n);
		wordlist_clear(&l->words);
		return NULL;
	}
	return l;
}

/* Fill R for DB with the school's name as it is now. */
static int
rules_init(struct aup_db *db, struct aup_pw_rules *r, bool words,
    struct aup_err *err)
{
	struct aup_school school;

	memset(r, 0, sizeof *r);
	r->cfg = db->cfg;
	if ((r->lists = pw_lists_get(db, words, err)) == NULL ||
	    aup_school_get(db, &school, err) != 0)
		return -1;
	r->school = school.name;
	return 0;
}

struct aup_pw_rules *
pw_rules_new(struct aup_db *db, bool words, struct aup_err *err)
{
	struct aup_pw_rules *r = xcalloc(1, sizeof *r);

	if (rules_init(db, r, words, err) != 0) {
		aup_pw_rules_free(r);
		return NULL;
	}
	return r;
}

struct aup_pw_rules *
aup_pw_rules_new(struct aup_db *db, struct aup_err *err)
{
	return pw_rules_new(db, true, err);
}

void
aup_pw_rules_free(struct aup_pw_rules *r)
{
	if (r == NULL)
		return;
	free(r->school);
	free(r);
}

static bool
wordlist_has(const struct wordlist *wl, const char *s)
{
	return bsearch(&s, wl->v, wl->n, sizeof *wl->v, cmp_str) != NULL;
}

/* ---- the strength policy ---- */

/* Does the folded password contain NAME (folded, 3+ letters)? */
static bool
contains_name(const char *folded, const char *name)
{
	char n[128];

	if (name == NULL)
		return false;
	aup_name_ascii(name, n, sizeof n);
	return strlen(n) >= 3 && strstr(folded, n) != NULL;
}

static const char *const keyboard_rows[] = {
	"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm",
	"qazwsxedcrfvtgbyhnujmikolp", /* columns, top to bottom */
};

/* The first pattern rule PW breaks, or AUP_PW_RULE_NONE. PW is lower-case
 * here. */
static enum aup_pw_rule
pattern_rule(const char *pw)
{
	size_t len = strlen(pw), run = 1, up = 1, down = 1;

	for (size_t i = 1; i < len; i++) {
		run = pw[i] == pw[i - 1] ? run + 1 : 1;
		up = pw[i] == pw[i - 1] + 1 ? up + 1 : 1;
		down = pw[i] == pw[i - 1] - 1 ? down + 1 : 1;
		if (run >= 4)
			return AUP_PW_RULE_REPEATED;
		if ((up >= 4 || down >= 4) && isalnum((unsigned char)pw[i]))
			return AUP_PW_RULE_SEQUENCE;
	}
	for (size_t p = 1; p <= len / 2; p++) {
		size_t i;
		if (len % p != 0)
			continue;
		for (i = p; i < len && pw[i] == pw[i - p]; i++)
			;
		if (i == len)
			return AUP_PW_RULE_PATTERN;
	}
	for (size_t r = 0; r < sizeof keyboard_rows / sizeof *keyboard_rows;
	     r++) {
		const char *row = keyboard_rows[r];
		size_t rl = strlen(row);

		for (size_t i = 0; i + 4 <= rl; i++) {
			char fwd[5], back[5];
			memcpy(fwd, row + i, 4);
			fwd[4] = '\0';
			for (int k = 0; k < 4; k++)
				back[k] = fwd[3 - k];
			back[4] = '\0';
			if (strstr(pw, fwd) != NULL || strstr(pw, back) != NULL)
				return AUP_PW_RULE_KEYBOARD;
		}
	}
	return AUP_PW_RULE_NONE;
}

/* The rules: a name for machines and, where it needs no numbers, the
 * reason in plain words. */
static const struct {
	const char *name;
	const char *reason;
} pw_rules[AUP_PW_RULE_COUNT] = {
	[AUP_PW_RULE_NONE] = { "none", "" },
	[AUP_PW_RULE_TEXT] = { "text",
	    "it has control characters or is not valid text" },
	[AUP_PW_RULE_NAME] = { "name", "it contains your name" },
	[AUP_PW_RULE_USERNAME] = { "username", "it contains your username" },
	[AUP_PW_RULE_SCHOOL] = { "school", "it contains the school's name" },
	[AUP_PW_RULE_BLOCKLIST] = { "blocklist",
	    "it is on the list of "
	    "passwords that are common or have been leaked" },
	[AUP_PW_RULE_BLOCKLIST_ADDED] = { "blocklist-added",
	    "it is a common password with numbers or symbols added" },
	[AUP_PW_RULE_TOO_SHORT] = { "too-short", "it is too short" },
	[AUP_PW_RULE_TOO_LONG] = { "too-long", "it is too long" },
	[AUP_PW_RULE_REPEATED] = { "repeated",
	    "it has the same character four or more times in a row" },
	[AUP_PW_RULE_SEQUENCE] = { "sequence",
	    "it has a run of letters or numbers in order, like abcd or 1234" },
	[AUP_PW_RULE_KEYBOARD] = { "keyboard",
	    "it has a run of keys next to "
	    "each other on the keyboard, like qwerty" },
	[AUP_PW_RULE_PATTERN] = { "pattern",
	    "it is the same few characters repeated" },
	[AUP_PW_RULE_REUSED] = { "reused", "it was used before" },
};

const char *
aup_pw_rule_name(enum aup_pw_rule rule)
{
	if ((int)rule < 0 || rule >= AUP_PW_RULE_COUNT)
		return "unknown";
	return pw_rules[rule].name;
}

/* Refuse a password for breaking RULE, said in ERR and V (may be NULL);
 * WHY, when not NULL, says it with the numbers. */
static int
reject(struct aup_err *err, struct aup_pw_verdict *v, enum aup_pw_rule rule,
    const char *why)
{
	if (why == NULL)
		why = pw_rules[rule].reason;
	if (v != NULL) {
		v->rule = rule;
		aup_strlcpy(v->reason, why, sizeof v->reason);
	}
	aup_err_set(err, AUP_EX_DATAERR, "password not accepted: %s", why);
	aup_err_hint(err, "%s",
	    rule == AUP_PW_RULE_REUSED ?
		"choose a password not used before" :
		"try three or four unrelated words, "
		"like a short sentence only you would think of");
	aup_err_field(err, "password");
	return -1;
}

/* Is PW one of the last [password] history passwords of U? */
static int
history_check(struct aup_db *db, const struct aup_user *u, const char *pw,
    struct aup_err *err)
{
	int keep = db->cfg->pw[u->role].history, rc = 0;
	char **old = NULL;
	size_t nold = 0;

	if (keep == 0)
		return 0;
	if (st_hist_list(db, u->id, keep, &old, &nold, err) != 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < nold; i++)
		if (aup_pw_verify(old[i], pw) == 1) {
			char why[160];

			snprintf(why, sizeof why,
			    "it is one of the last %d passwords of %s", keep,
			    u->username);
			rc = reject(err, NULL, AUP_PW_RULE_REUSED, why);
		}
	for (size_t i = 0; i < nold; i++)
		free(old[i]);
	free(old);
	return rc;
}

/* Words of a school's name too common to count as its name. */
static bool
generic_word(const char *w)
{
	static const char *const words[] = { "school", "primary", "academy",
		"college", "junior", "infant", "infants", "church", "saint",
		"catholic", "community", "nursery", "secondary", "grammar",
		"england", "high" };

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(w, words[i]) == 0)
			return true;
	return false;
}

/* Does the folded password contain the school's name, or a distinctive
 * word of it (five letters or more: "Riverside" of "Riverside Primary")? */
static bool
contains_school(const char *folded, const char *school)
{
	char *copy, *save = NULL;
	bool hit = contains_name(folded, school);

	copy = xstrdup(school);
	for (char *w = strtok_r(copy, " -'", &save); w != NULL && !hit;
	     w = strtok_r(NULL, " -'", &save)) {
		char f[64];

		aup_name_ascii(w, f, sizeof f);
		if (strlen(f) >= 5 && !generic_word(f) && strstr(folded, f))
			hit = true;
	}
	free(copy);
	return hit;
}

/* The rules in the order a person finds most useful to hear about:
 * what the password is made of first, then its length, then patterns. */
int
aup_pw_rules_check(const struct aup_pw_rules *r, const struct aup_user *u,
    enum aup_role role, const char *pw, struct aup_pw_verdict *v,
    struct aup_err *err)
{
	const struct aup_config *cfg = r->cfg;
	const struct aup_pw_policy *pol;
	const struct wordlist *bl = &r->lists->block;
	char *lower, *folded, msg[160];
	size_t n, len = strlen(pw);
	enum aup_pw_rule rule;
	int rc = -1;

	if (v != NULL) {
		v->rule = AUP_PW_RULE_NONE;
		v->reason[0] = '\0';
	}
	if (u != NULL)
		role = u->role;
	pol = &cfg->pw[role];
	if (!aup_utf8_valid(pw))
		return reject(err, v, AUP_PW_RULE_TEXT, NULL);
	n = aup_utf8_chars(pw);
	lower = xstrdup(pw);
	for (size_t i = 0; i < len; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	folded = xmalloc(len * 2 + 1);
	aup_name_ascii(pw, folded, len * 2 + 1);
	if (u != NULL && contains_name(folded, u->username)) {
		reject(err, v, AUP_PW_RULE_USERNAME, NULL);
		goto out;
	}
	if (u != NULL &&
	    (contains_name(folded, u->first) ||
		contains_name(folded, u->last))) {
		reject(err, v, AUP_PW_RULE_NAME, NULL);
		goto out;
	}
	if (contains_school(folded, r->school)) {
		reject(err, v, AUP_PW_RULE_SCHOOL, NULL);
		goto out;
	}
	if (wordlist_has(bl, lower)) {
		reject(err, v, AUP_PW_RULE_BLOCKLIST, NULL);
		goto out;
	}
	/* "football2026": a listed word with digits or symbols added. */
	for (size_t end = len;
	     end > 0 && !isalpha((unsigned char)lower[end - 1]); end--)
		lower[end - 1] = '\0';
	if (strlen(lower) >= 4 && strlen(lower) < len &&
	    wordlist_has(bl, lower)) {
		reject(err, v, AUP_PW_RULE_BLOCKLIST_ADDED, NULL);
		goto out;
	}
	if (n < (size_t)pol->min_length) {
		snprintf(msg, sizeof msg,
		    "it is too short: %s passwords need at least %d characters",
		    aup_role_name(role), pol->min_length);
		reject(err, v, AUP_PW_RULE_TOO_SHORT, msg);
		goto out;
	}
	if (n > (size_t)pol->max_length) {
		snprintf(msg, sizeof msg,
		    "it is too long: %s passwords may have "
		    "at most %d characters",
		    aup_role_name(role), pol->max_length);
		reject(err, v, AUP_PW_RULE_TOO_LONG, msg);
		goto out;
	}
	if ((rule = pattern_rule(folded[0] ? folded : pw)) !=
		AUP_PW_RULE_NONE ||
	    (rule = pattern_rule(pw)) != AUP_PW_RULE_NONE) {
		reject(err, v, rule, NULL);
		goto out;
	}
	rc = 0;
out:
	aup_secret_free(lower);
	explicit_bzero(folded, len * 2 + 1);
	free(folded);
	return rc;
}

int
aup_pw_check(struct aup_db *db, const struct aup_user *u, enum aup_role role,
    const char *pw, struct aup_pw_verdict *v, struct aup_err *err)
{
	struct aup_pw_rules r;
	int rc = -1;

	if (v != NULL) {
		v->rule = AUP_PW_RULE_NONE;
		v->reason[0] = '\0';
	}
	if (rules_init(db, &r, false, err) == 0)
		rc = aup_pw_rules_check(&r, u, role, pw, v, err);
	free(r.school);
	return rc;
}

/* ---- storing, with history ---- */

/*
 * Everything slow before the write lock: the policy check, the history
 * (one verify per old hash) unless FRESH says PW was just generated, and
 * the Argon2 hash itself, returned in *PHC.
 */
int
pw_prepare(struct aup_db *db, const struct aup_user *u, const char *pw,
    bool fresh, char **phc, struct aup_err *err)
{
	*phc = NULL;
	if (aup_pw_check(db, u, u->role, pw, NULL, err) != 0 ||
	    (!fresh && u->id != 0 && history_check(db, u, pw, err) != 0))
		return -1;
	return aup_pw_hash(db->cfg, pw, phc, err);
}

int
pw_store(struct aup_db *db, const struct aup_user *u, const char *phc,
    bool must_change, struct aup_err *err)
{
	int keep = db->cfg->pw[u->role].history;
	time_t now = aup_now();

	if (st_pw_set(db, u->id, phc, now, must_change, err) != 0)
		return -1;
	return keep > 0 ? st_hist_add(db, u->id, phc, now, keep, err) : 0;
}

/* May the operator give U a password, and may U have one? */
static int
pw_may_set(struct aup_db *db, const struct aup_user *u, struct aup_err *err)
{
	if (aup_perm(db, aup_perm_pw(u->role), err) != 0)
		return -1;
	return pw_allowed(db->cfg, u->role, u->year, err);
}

/*
 * Set (or, with RESET, reset) U's password with a log entry, in one
 * transaction; the checks and the hash come before it. Inside, the person
 * is read afresh and checked again (cheaply): an edit that landed while
 * the hash was made, such as a move to a year without passwords, wins.
 */
int
pw_install(struct aup_db *db, int64_t id, const char *phc, bool reset,
    const char *action, struct aup_err *err)
{
	struct aup_user now = { 0 };
	char after[64];
	int rc = -1;

	if (st_begin(db, err) != 0)
		return -1;
	snprintf(after, sizeof after, "{\"must_change\":%s}",
	    reset ? "true" : "false");
	if (user_reread(db, id, &now, err) != 0 ||
	    pw_may_set(db, &now, err) != 0 ||
	    pw_store(db, &now, phc, reset, err) != 0 ||
	    aup_log_add(db, action, &now, NULL, after, err) != 0 ||
	    st_commit(db, err) != 0)
		st_rollback(db);
	else
		rc = 0;
	aup_user_clear(&now);
	return rc;
}

static int
pw_change(struct aup_db *db, const struct aup_user *u, const char *pw,
    bool reset, struct aup_err *err)
{
	char *phc = NULL;
	int rc = -1;

	if (pw_prepare(db, u, pw, reset, &phc, err) == 0)
		rc = pw_install(db, u->id, phc, reset,
		    reset ? "password.reset" : "password.set", err);
	free(phc);
	return rc;
}

int
aup_pw_set(struct aup_db *db, const char *ref, const char *pw,
    struct aup_err *err)
{
	struct aup_user *u = NULL;
	int rc = -1;

	if (aup_user_find(db, ref, &u, err) != 0)
		return -1;
	if (pw_may_set(db, u, err) == 0)
		rc = pw_change(db, u, pw, false, err);
	aup_user_free(u);
	return rc;
}

int
aup_pw_reset(struct aup_db *db, const char *ref, char **pw, struct aup_err *err)
{
	struct aup_user *u = NULL;
	int rc = -1;

	*pw = NULL;
	if (aup_user_find(db, ref, &u, err) != 0)
		return -1;
	if (pw_may_set(db, u, err) == 0 &&
	    aup_pw_generate(db, u, u->role, pw, err) == 0 &&
	    (rc = pw_change(db, u, *pw, true, err)) != 0) {
		aup_secret_free(*pw);
		*pw = NULL;
	}
	aup_user_free(u);
	return rc;
}

int
aup_pw_generate(struct aup_db *db, const struct aup_user *u, enum aup_role role,
    char **pw, struct aup_err *err)
{
	struct aup_pw_rules r;
	int rc = -1;

	*pw = NULL;
	if (rules_init(db, &r, true, err) == 0)
		rc = aup_pw_rules_generate(&r, u, role, pw, err);
	free(r.school);
	return rc;
}

int
aup_pw_rules_generate(const struct aup_pw_rules *r, const struct aup_user *u,
    enum aup_role role, char **pw, struct aup_err *err)
{
	const struct wordlist *wl = &r->lists->words;
	struct aup_err ignore;

	*pw = NULL;
	if (wl->n == 0)
		return aup_err_set(err, AUP_EX_SOFTWARE,
		    "the word list was not loaded with these rules");
	if (u != NULL)
		role = u->role;
	/* Three or more words and two digits: about 37 bits from 1,200 words,
	 * far beyond what lockout lets anyone try online. */
	for (int attempt = 0; attempt < 100; attempt++) {
		struct aup_buf b = { 0 };
		uint32_t k, d;
		int words = 0;

		while (words < 3 ||
		    b.len + 3 < (size_t)r->cfg->pw[role].min_length) {
			if (random_below((uint32_t)wl->n, &k, err) != 0) {
				aup_buf_free(&b);
				return -1;
			}
			if (words++ > 0)
				aup_buf_puts(&b, "-");
			aup_buf_puts(&b, wl->v[k]);
		}
		/* Two digits, leaving out numbers children snigger at. */
		do {
			if (random_below(90, &d, err) != 0) {
				aup_buf_free(&b);
				return -1;
			}
		} while (d + 10 == 69 || d + 10 == 88);
		aup_buf_printf(&b, "-%u", d + 10);
		if (aup_pw_rules_check(r, u, role, b.data, NULL, &ignore) ==
		    0) {
			*pw = aup_buf_detach(&b);
			return 0;
		}
		explicit_bzero(b.data, b.len);
		aup_buf_free(&b);
		if (ignore.code != AUP_EX_DATAERR) {
			*err = ignore;
			return -1;
		}
	}
	return aup_err_set(err, AUP_EX_CONFIG,
	    "cannot make a passphrase that passes the %s password policy",
	    aup_role_name(role));
}

/* ---- rotation ---- */

enum aup_pw_state
aup_pw_state(const struct aup_config *cfg, const struct aup_user *u, time_t now,
    int within, time_t *expires)
{
	const struct aup_pw_policy *pol = &cfg->pw[u->role];
	int warn = pol->warn_days > within ? pol->warn_days : within;
	time_t end;

	if (expires != NULL)
		*expires = 0;
	if (!u->has_password)
		return AUP_PW_NONE;
	if (pol->max_age_days == 0)
		return AUP_PW_OK;
	end = u->pw_changed + (time_t)pol->max_age_days * DAY;
	if (expires != NULL)
		*expires = end;
	if (now >= end)
		return AUP_PW_EXPIRED;
	if (now >= end - (time_t)warn * DAY)
		return AUP_PW_EXPIRING;
	return AUP_PW_OK;
}

const char *
aup_pw_state_name(enum aup_pw_state s)
{
	static const char *names[] = { "none", "ok", "expiring", "expired" };

	return names[s];
}

int
aup_pw_expired(struct aup_db *db, int within, bool mark,
    struct aup_user_list *out, struct aup_err *err)
{
	const struct aup_config *cfg = db->cfg;
	time_t now = aup_now();
	size_t cap = 0;

	out->v = NULL;
	out->n = 0;
	if (aup_perm(db, mark ? AUP_PERM_MANAGE : AUP_PERM_READ, err) != 0)
		return -1;
	for (int r = 0; r < AUP_ROLE_COUNT; r++) {
		struct aup_user_list l;
		int age = cfg->pw[r].max_age_days;
		time_t cutoff = now - (time_t)(age - within) * DAY;

		if (age == 0)
			continue;
		if (st_pw_age_list(db, (enum aup_role)r, cutoff, &l, err) !=
		    0) {
			aup_user_list_free(out);
			return -1;
		}
		for (size_t i = 0; i < l.n; i++) {
			if (out->n == cap) {
				cap = cap ? cap * 2 : 64;
				out->v = xreallocarray(out->v, cap,
				    sizeof *out->v);
			}
			out->v[out->n++] = l.v[i];
		}
		free(l.v);
	}
	if (!mark)
		return 0;
	for (size_t i = 0; i < out->n; i++) {
		struct aup_user *u = &out->v[i];

		if (u->must_change ||
		    aup_pw_state(cfg, u, now, 0, NULL) != AUP_PW_EXPIRED)
			continue;
		if (st_begin(db, err) != 0)
			goto fail;
		if (st_must_change(db, u->id, true, err) != 0 ||
		    aup_log_add(db, "password.expire", u,
			"{\"must_change\":false}", "{\"must_change\":true}",
			err) != 0 ||
		    st_commit(db, err) != 0) {
			st_rollback(db);
			goto fail;
		}
		u->must_change = true;
	}
	return 0;
fail:
	aup_user_list_free(out);
	return -1;
}

bool
aup_own_login(const struct aup_config *cfg, enum aup_role role, int year)
{
	return role != AUP_ROLE_PUPIL || year >= cfg->individual_from;
}

int
pw_allowed(const struct aup_config *cfg, enum aup_role role, int year,
    struct aup_err *err)
{
	if (aup_own_login(cfg, role, year))
		return 0;
	aup_err_set(err, AUP_EX_DATAERR,
	    "pupils in %s use their class logon "
	    "and have no password of their own",
	    aup_ks_name(aup_ks_of_year(year)));
	aup_err_hint(err,
	    "set the password of the class account instead, or "
	    "change [pupils] individual_accounts_from");
	return -1;
}
