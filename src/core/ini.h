/* Private to the core: an INI file read by iniparser, with the number of
 * every line, for the configuration and the forms index. */
#ifndef AUP_INI_H
#define AUP_INI_H

#include <stdbool.h>
#include <stddef.h>

#include <iniparser/iniparser.h>

#include "aup/error.h"

/* One [section] or key line of the file, found the way iniparser finds it.
 * iniparser keeps no line numbers, keeps one of a key given twice without a
 * word, and keeps only the first of several quoted list items: these lines
 * are how we know all three. */
struct ini_line {
	char *sec; /* lower case; "" above any section */
	char *key; /* lower case; NULL: the [sec] line */
	char *val; /* as written, continuations joined */
	int no;
};

struct ini {
	dictionary *d;
	const char *path;
	const char *doc; /* where its keys are explained, for hints */
	struct ini_line *lines;
	size_t nlines;
	int bad_line;  /* first line iniparser refuses */
	bool too_long; /* ... for its length */
};

/*
 * Read PATH into INI, whose DOC ("aupctl.ini(5)") hints name. Refused with
 * exit 78, naming the line but never echoing it (the file may be one the
 * reader should not see): a line iniparser cannot read, a key outside any
 * [section], a key given twice. A file that cannot be opened is 78 too.
 */
int ini_load(struct ini *ini, const char *path, const char *doc,
    struct aup_err *err);
void ini_free(struct ini *ini);

/* The first line of KEY in section SEC (KEY NULL: the [SEC] line itself);
 * NULL when it cannot be found. Names compare case-blind, as iniparser's. */
const struct ini_line *ini_line_of(const struct ini *ini, const char *sec,
    const char *key);
/* "PATH:LINE" of KEY in SEC, or just PATH when it cannot be found. */
const char *ini_where(const struct ini *ini, const char *sec, const char *key,
    char *buf, size_t size);

#endif
