/* Allocation that aborts on out-of-memory, bounded strings, a growable
 * buffer and wiped secrets: the small tools every part of aupctl uses. */
#ifndef AUP_UTIL_H
#define AUP_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copy at most SIZE-1 bytes and terminate; returns strlen(src). */
size_t aup_strlcpy(char *dst, const char *src, size_t size);

/* Parse a whole decimal integer in [MIN, MAX]; 0 on success, -1 otherwise. */
int aup_parse_long(const char *s, long min, long max, long *out);

/* A growable, always NUL-terminated byte buffer. */
struct aup_buf {
	char  *data;
	size_t len;
	size_t cap;
};
void aup_buf_add(struct aup_buf *b, const char *s, size_t n);
void aup_buf_puts(struct aup_buf *b, const char *s);
void aup_buf_printf(struct aup_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* S as a JSON string, escaped by the JSON writer (json.c); NULL: null. */
void  aup_buf_json_str(struct aup_buf *b, const char *s);
char *aup_buf_detach(struct aup_buf *b);
void  aup_buf_free(struct aup_buf *b);

/* S made safe to show in one line of a message, into BUF of SIZE bytes
 * (returned): control characters as \n, \t, \x1b, C1, zero-width and
 * bidirectional controls as \u202e, malformed bytes as \xff; cut short at
 * a whole character. A backslash stays as it is, so safe text is unchanged.
 * At most 4 bytes a byte of S. */
const char *aup_str_safe(const char *s, char *buf, size_t size);

/* Wipe and free a secret (NULL is fine). */
void aup_secret_free(char *s);

/* Constant-time comparison of two byte strings of the same length. */
bool aup_ct_equal(const void *a, const void *b, size_t n);

#endif
