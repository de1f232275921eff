/* Reading a table of text from a file as schools' systems write them: CSV
 * or tab-separated, in the encodings spreadsheets save, with every field
 * placed by its physical line and column for error messages. */
#ifndef AUP_TABLE_H
#define AUP_TABLE_H

#include <stddef.h>

#include "aup/error.h"

enum aup_encoding {
	AUP_ENC_AUTO,	/* detect (the default) */
	AUP_ENC_UTF8,	/* with or without a byte order mark */
	AUP_ENC_UTF16,	/* LE or BE, by its byte order mark (LE without) */
	AUP_ENC_CP1252, /* Windows-1252 */
	AUP_ENC_LATIN1, /* ISO-8859-1 */
	AUP_ENC_COUNT
};

/* "utf-8", "utf-16", "windows-1252", "iso-8859-1" (case-blind; also
 * "utf8", "cp1252", "latin1"): -1 if unknown. */
int	    aup_encoding_parse(const char *s);
/* Names for people: "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE",
 * "Windows-1252", "ISO-8859-1". */
const char *aup_encoding_list(void); /* "utf-8, utf-16, ..." for hints */

/* One field: its text (UTF-8, trimmed, inner runs of white space one
 * space) and where it starts in the file, 1-based; COLUMN counts
 * characters, not bytes. */
struct aup_field {
	const char *text;
	long	    line;
	long	    column;
};

/* One record: its fields and the physical line it starts on. A quoted field
 * may hold line breaks, so the next record may start lines further on. */
struct aup_record {
	struct aup_field *field;
	size_t		  n;
	long		  line;
};

struct aup_table;

/*
 * Open PATH and read it whole (at most 64 MiB): the encoding detected (a
 * byte order mark; valid UTF-8; else Windows-1252 when it holds bytes
 * 0x80-0x9F, else ISO-8859-1) unless ENC forces one, converted to UTF-8;
 * the delimiter (comma, semicolon or tab) the one the first line holds
 * most of outside quotes, comma on a tie. CRLF or LF; quoted fields may
 * hold delimiters, doubled quotes and line breaks.
 *
 * Errors (ERR's message starts "PATH:LINE:COLUMN: " where there is a
 * place): 66 no such file or not readable, 65 a directory, an empty file,
 * a NUL byte or a byte that is not text, bytes not in the encoding forced,
 * a quote not closed or text after a closing quote, a field over 64 KiB,
 * a file over the limit; 74 a read error.
 */
struct aup_table *aup_table_open(const char *path, enum aup_encoding enc,
    struct aup_err *err);
/* The next record into R (valid until the next call): 1, 0 at the end, -1
 * with ERR set. Blank lines are skipped. */
int		  aup_table_next(struct aup_table *t, struct aup_record *r,
		  struct aup_err *err);
/* "UTF-8 with BOM", "Windows-1252"...: what was read. */
const char	 *aup_table_encoding(const struct aup_table *t);
/* ',', ';' or '\t'. */
char		  aup_table_delimiter(const struct aup_table *t);
const char	 *aup_table_path(const struct aup_table *t);
void		  aup_table_close(struct aup_table *t);

#endif
