/* Errors of the aupctl core: a message, an optional hint and the exit code
 * (sysexits.h) that a face shows, with the field and the place in a file the
 * error is about; the core itself never prints or exits. Its messages and
 * hints name no option of any face: a face adds its own hint from FIELD. */
#ifndef AUP_ERROR_H
#define AUP_ERROR_H

enum aup_exit {
	AUP_EX_OK = 0,
	AUP_EX_ATTENTION = 1, /* a query found something that needs attention */
	AUP_EX_USAGE = 64,
	AUP_EX_DATAERR = 65,
	AUP_EX_NOINPUT = 66,
	AUP_EX_NOUSER = 67,
	AUP_EX_UNAVAILABLE = 69,
	AUP_EX_SOFTWARE = 70,
	AUP_EX_CANTCREAT = 73,
	AUP_EX_IOERR = 74,
	AUP_EX_TEMPFAIL = 75,
	AUP_EX_NOPERM = 77,
	AUP_EX_CONFIG = 78,
};

struct aup_err {
	int  code;
	char msg[512];
	char hint[512];
	char field[32]; /* what it is about: "year", "first", "reason",
			   "user" (a reference), "db"; "" for none */
	int  line;	/* in file input, from 1; 0 for none */
	int  column;	/* likewise */
};

/* Fill ERR (which may be NULL) and return -1, so that callers can write
 * "return aup_err_set(err, ...)". The hint, field and place are cleared:
 * set them after. */
int aup_err_set(struct aup_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void aup_err_hint(struct aup_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The field ERR is about, or "" (NULL) for none. */
void aup_err_field(struct aup_err *err, const char *field);
/* Where in file input: LINE and COLUMN from 1 (0: not known). */
void aup_err_at(struct aup_err *err, int line, int column);
void aup_err_clear(struct aup_err *err);

#endif
