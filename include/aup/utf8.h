/* UTF-8 text: one decoder, and on it validation, counting, display width,
 * the search key and the ASCII form of a name. */
#ifndef AUP_UTF8_H
#define AUP_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct aup_buf;

/* Decode the character at *P and advance past it. A malformed byte (a stray
 * continuation byte, a truncated or overlong sequence, a surrogate, a value
 * above U+10FFFF) gives a negative value and advances one byte, so decoding
 * goes on with the next. At the terminating NUL returns 0 and stays put. */
int32_t aup_utf8_next(const char **p);

/* True when S is valid UTF-8 with no control characters (C0, DEL, C1). */
bool aup_utf8_valid(const char *s);

/* Characters in S; each malformed byte counts as one. */
size_t aup_utf8_chars(const char *s);

/* Terminal columns of the character CP as aup_utf8_next returned it, by
 * wcwidth(3) where the locale knows it: 2 for wide (CJK), 0 for combining.
 * Outside a UTF-8 locale, and for a malformed byte, 1. */
int aup_utf8_char_width(int32_t cp);

/* Terminal columns of S: the sum of its characters' widths. */
size_t aup_utf8_width(const char *s);

/* True when CP is white space: the C0 controls, space, NO-BREAK SPACE and
 * the other Unicode spaces (what aup_utf8_fold makes one space); also for
 * a malformed byte's negative value. */
bool aup_utf8_space(int32_t cp);

/* Append the character CP (a code point, not a surrogate) to OUT. */
void aup_utf8_put(struct aup_buf *out, int32_t cp);

/*
 * Append the search key of S to OUT: lower case; Latin letters without
 * their diacritics (Siân -> sian, Łukasz -> lukasz, ŵ -> w, ß -> ss,
 * æ -> ae, þ -> th); apostrophes of every kind (' ’ ‘ ʼ ` ´) and combining
 * marks removed (O’Neill -> oneill); each run of white space one space,
 * none at either end; other characters kept, Greek, Cyrillic and Armenian
 * lower-cased. A stored key and a search term are both folded by this
 * function, so a term finds a key whenever the folded term is a substring
 * of it. The result never depends on the locale, so a key written by one
 * process matches a term folded by another. Malformed bytes are dropped.
 * OUT->data is a string afterwards, even when nothing was appended.
 */
void aup_utf8_fold(const char *s, struct aup_buf *out);

/* Lower-case ASCII transliteration of a name part (Zoë -> zoe, O'Neill ->
 * oneill) into BUF of SIZE bytes, always terminated; letters and digits
 * only. Letters are those of aup_utf8_fold, for Latin-1 and Latin
 * Extended-A; other characters are dropped. */
void aup_name_ascii(const char *name, char *buf, size_t size);

#endif
