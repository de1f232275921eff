/* An INI file read by iniparser, with the number of every line: iniparser
 * keeps none, so the file is also scanned once as iniparser reads it. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "aup/util.h"
#include "ini.h"

/* iniparser reports syntax errors through a printf-like callback, with the
 * line it could not read in the message. That line may come from a file
 * the reader should not see, so keep only the fact: our own scan of the
 * lines says which one it was, by number. */
static bool ini_failed;

static int
ini_errback(const char *fmt, ...)
{
	(void)fmt;
	ini_failed = true;
	return 0;
}

/* iniparser's line buffer (ASCIILINESZ), less its newline and NUL. */
#define INI_LINE_MAX 1022

static char *
strip(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*e = '\0';
	return s;
}

static char *
lower_dup(const char *s)
{
	char *d = xstrdup(s);

	for (char *p = d; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/* File one logical line TEXT (first physical line NO) under *SEC, as
 * iniparser_line() reads it: comments, [section] and key = value. */
static void
scan_line(struct ini *r, char **sec, char *text, int no)
{
	char *s = strip(text), *eq = NULL;
	size_t n = strlen(s);
	struct ini_line *l;

	if (n == 0 || *s == ';' || *s == '#')
		return;
	if (*s == '[' && s[n - 1] == ']') {
		s[strcspn(s, "]")] = '\0';
		free(*sec);
		*sec = lower_dup(strip(s + 1));
	} else if ((eq = strchr(s, '=')) == NULL || eq == s) {
		if (r->bad_line == 0)
			r->bad_line = no;
		return;
	}
	r->lines = xreallocarray(r->lines, r->nlines + 1, sizeof *r->lines);
	l = &r->lines[r->nlines++];
	l->sec = xstrdup(*sec);
	l->key = NULL;
	l->val = NULL;
	l->no = no;
	if (*s != '[') {
		*eq = '\0';
		l->key = lower_dup(strip(s));
		l->val = xstrdup(strip(eq + 1));
	}
}

/* Read the file's lines once. A line ending in a backslash goes on in the
 * next one, as in iniparser. */
static void
scan_lines(struct ini *r)
{
	FILE *f = fopen(r->path, "r");
	struct aup_buf b = { 0 };
	char *buf = NULL, *sec = xstrdup("");
	size_t cap = 0;
	ssize_t len;
	int no = 0, first = 1;

	if (f == NULL) {
		free(sec);
		return; /* just no line numbers */
	}
	while ((len = getline(&buf, &cap, f)) != -1) {
		if (b.len == 0)
			first = no + 1;
		no++;
		if ((size_t)len - (buf[len - 1] == '\n') > INI_LINE_MAX &&
		    r->bad_line == 0) {
			r->bad_line = no;
			r->too_long = true;
		}
		aup_buf_add(&b, buf, (size_t)len);
		while (b.len > 0 && isspace((unsigned char)b.data[b.len - 1]))
			b.data[--b.len] = '\0';
		if (b.len > 0 && b.data[b.len - 1] == '\\') {
			b.data[--b.len] = '\0';
			continue;
		}
		if (b.len > 0)
			scan_line(r, &sec, b.data, first);
		b.len = 0;
	}
	if (b.len > 0)
		scan_line(r, &sec, b.data, first);
	fclose(f);
	free(buf);
	free(sec);
	aup_buf_free(&b);
}

static void
lines_free(struct ini *r)
{
	for (size_t i = 0; i < r->nlines; i++) {
		free(r->lines[i].sec);
		free(r->lines[i].key);
		free(r->lines[i].val);
	}
	free(r->lines);
}

const struct ini_line *
ini_line_of(const struct ini *r, const char *sec, const char *key)
{
	for (size_t i = 0; i < r->nlines; i++) {
		const struct ini_line *l = &r->lines[i];

		if (strcasecmp(l->sec, sec) != 0)
			continue;
		if (key == NULL ?
			l->key == NULL :
			l->key != NULL && strcasecmp(l->key, key) == 0)
			return l;
	}
	return NULL;
}

const char *
ini_where(const struct ini *r, const char *sec, const char *key, char *buf,
    size_t size)
{
	const struct ini_line *l = ini_line_of(r, sec, key);

	if (l != NULL)
		snprintf(buf, size, "%s:%d", r->path, l->no);
	else
		snprintf(buf, size, "%s", r->path);
	return buf;
}

/* iniparser keeps one of a key given twice; refuse, naming both lines. */
static int
check_twice(const struct ini *r, struct aup_err *err)
{
	for (size_t i = 0; i < r->nlines; i++) {
		const struct ini_line *l = &r->lines[i], *first;

		if (l->key == NULL ||
		    (first = ini_line_of(r, l->sec, l->key)) == l)
			continue;
		aup_err_set(err, AUP_EX_CONFIG,
		    "%s:%d: '%s.%s' is given twice (first at line %d)", r->path,
		    l->no, l->sec, l->key, first->no);
		aup_err_hint(err,
		    "keep one of the two lines; aupctl will "
		    "not guess which one you meant");
		return -1;
	}
	return 0;
}

/* Keys above the first [section]: iniparser files them as ":key" and no
 * section lists them, so look for them in the raw dictionary. */
static int
check_outside(const struct ini *r, struct aup_err *err)
{
	for (ssize_t i = 0; i < r->d->size; i++) {
		char at[PATH_MAX + 16];
		const char *key = r->d->key[i];

		if (key == NULL || key[0] != ':')
			continue;
		aup_err_set(err, AUP_EX_CONFIG,
		    "%s: key '%s' is outside any [section]",
		    ini_where(r, "", key + 1, at, sizeof at), key + 1);
		aup_err_hint(err,
		    "put it under the section it belongs to; see %s", r->doc);
		return -1;
	}
	return 0;
}

/* iniparser refused the file: say which line, never what it holds. */
static void
not_parsed(const struct ini *r, struct aup_err *err)
{
	if (r->bad_line > 0 && r->too_long)
		aup_err_set(err, AUP_EX_CONFIG,
		    "%s:%d: line longer than %d characters", r->path,
		    r->bad_line, INI_LINE_MAX);
	else if (r->bad_line > 0)
		aup_err_set(err, AUP_EX_CONFIG,
		    "%s:%d: not a \"key = "
		    "value\" line",
		    r->path, r->bad_line);
	else
		aup_err_set(err, AUP_EX_CONFIG, "%s: cannot parse this file",
		    r->path);
	aup_err_hint(err,
	    "each line is [section], key = value, or a "
	    "comment starting with ; or #");
}

int
ini_load(struct ini *ini, const char *path, const char *doc,
    struct aup_err *err)
{
	memset(ini, 0, sizeof *ini);
	ini->path = path;
	ini->doc = doc;
	scan_lines(ini);
	ini_failed = false;
	iniparser_set_error_callback(ini_errback);
	ini->d = iniparser_load(path);
	if (ini->d == NULL || ini_failed) {
		not_parsed(ini, err);
		ini_free(ini);
		return -1;
	}
	if (check_outside(ini, err) != 0 || check_twice(ini, err) != 0) {
		ini_free(ini);
		return -1;
	}
	return 0;
}

void
ini_free(struct ini *ini)
{
	if (ini->d != NULL)
		iniparser_freedict(ini->d);
	ini->d = NULL;
	lines_free(ini);
	ini->lines = NULL;
	ini->nlines = 0;
}
