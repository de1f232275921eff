/* The one JSON writer: a stream of values into a struct aup_buf, with the
 * commas and the closing brackets kept track of, so a caller says only what
 * to write. */
#ifndef AUP_JSON_H
#define AUP_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "aup/util.h"

#define AUP_JSON_DEPTH 32

struct aup_json {
	struct aup_buf *b;
	int		depth;
	char		open[AUP_JSON_DEPTH]; /* '}' or ']' to close with */
	bool		more[AUP_JSON_DEPTH]; /* a value is already in */
	bool		keyed;		      /* a key waits for its value */
};

/* Write into B, appending to what it holds. */
void aup_json_init(struct aup_json *j, struct aup_buf *b);
void aup_json_object(struct aup_json *j);
void aup_json_array(struct aup_json *j);
/* Close the innermost open object or array. */
void aup_json_end(struct aup_json *j);
/* A member's name, inside an object; its value follows. */
void aup_json_key(struct aup_json *j, const char *key);
/* A string; NULL writes null. Control characters, U+2028 and U+2029 are
 * escaped, so the text is safe inside JavaScript too. */
void aup_json_str(struct aup_json *j, const char *s);
void aup_json_int(struct aup_json *j, int64_t v);
void aup_json_bool(struct aup_json *j, bool v);
void aup_json_null(struct aup_json *j);
/* A value that is already JSON text (one whole value, trusted). */
void aup_json_raw(struct aup_json *j, const char *json, size_t len);

/* Shorthands for a member of an object: key then value. */
void aup_json_kstr(struct aup_json *j, const char *key, const char *s);
void aup_json_kint(struct aup_json *j, const char *key, int64_t v);
void aup_json_kbool(struct aup_json *j, const char *key, bool v);

#endif
