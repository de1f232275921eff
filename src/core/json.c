/* The one JSON writer (see aup/json.h): the audit log's before and after,
 * exports and the command line's JSON all escape strings here. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/json.h"
#include "aup/util.h"

void
aup_buf_json_str(struct aup_buf *b, const char *s)
{
	const unsigned char *p, *run;

	if (s == NULL) {
		aup_buf_puts(b, "null");
		return;
	}
	aup_buf_add(b, "\"", 1);
	/* Copy runs of plain bytes whole; escape the rest one by one. */
	for (p = run = (const unsigned char *)s; *p != '\0'; p++) {
		const char *esc = NULL;
		char u[8];

		if (*p == '"')
			esc = "\\\"";
		else if (*p == '\\')
			esc = "\\\\";
		else if (*p == '\n')
			esc = "\\n";
		else if (*p == '\r')
			esc = "\\r";
		else if (*p == '\t')
			esc = "\\t";
		else if (*p < 0x20) {
			snprintf(u, sizeof u, "\\u%04x", *p);
			esc = u;
		} else if (p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0xa8 || p[2] == 0xa9)) {
			/* U+2028, U+2029: valid JSON, but line ends to
			 * JavaScript and to some log viewers. */
			esc = p[2] == 0xa8 ? "\\u2028" : "\\u2029";
		}
		if (esc == NULL)
			continue;
		aup_buf_add(b, (const char *)run, (size_t)(p - run));
		aup_buf_puts(b, esc);
		if (*p == 0xe2)
			p += 2;
		run = p + 1;
	}
	aup_buf_add(b, (const char *)run, (size_t)(p - run));
	aup_buf_add(b, "\"", 1);
}

void
aup_json_init(struct aup_json *j, struct aup_buf *b)
{
	memset(j, 0, sizeof *j);
	j->b = b;
}

/* Before any value: the comma that separates it from the one before. */
static void
value(struct aup_json *j)
{
	if (j->keyed) {
		j->keyed = false;
		return;
	}
	if (j->depth > 0) {
		if (j->more[j->depth - 1])
			aup_buf_add(j->b, ",", 1);
		j->more[j->depth - 1] = true;
	}
}

static void
begin(struct aup_json *j, char o, char c)
{
	value(j);
	if (j->depth == AUP_JSON_DEPTH)
		abort(); /* a caller's bug, like running out of memory */
	aup_buf_add(j->b, &o, 1);
	j->open[j->depth] = c;
	j->more[j->depth] = false;
	j->depth++;
}

void
aup_json_object(struct aup_json *j)
{
	begin(j, '{', '}');
}

void
aup_json_array(struct aup_json *j)
{
	begin(j, '[', ']');
}

void
aup_json_end(struct aup_json *j)
{
	if (j->depth == 0)
		abort();
	j->depth--;
	aup_buf_add(j->b, &j->open[j->depth], 1);
}

void
aup_json_key(struct aup_json *j, const char *key)
{
	value(j);
	aup_buf_json_str(j->b, key);
	aup_buf_add(j->b, ":", 1);
	j->keyed = true;
}

void
aup_json_str(struct aup_json *j, const char *s)
{
	value(j);
	aup_buf_json_str(j->b, s);
}

void
aup_json_int(struct aup_json *j, int64_t v)
{
	value(j);
	aup_buf_printf(j->b, "%" PRId64, v);
}

void
aup_json_bool(struct aup_json *j, bool v)
{
	value(j);
	aup_buf_puts(j->b, v ? "true" : "false");
}

void
aup_json_null(struct aup_json *j)
{
	value(j);
	aup_buf_puts(j->b, "null");
}

void
aup_json_raw(struct aup_json *j, const char *json, size_t len)
{
	value(j);
	aup_buf_add(j->b, json, len);
}

void
aup_json_kstr(struct aup_json *j, const char *key, const char *s)
{
	aup_json_key(j, key);
	aup_json_str(j, s);
}

void
aup_json_kint(struct aup_json *j, const char *key, int64_t v)
{
	aup_json_key(j, key);
	aup_json_int(j, v);
}

void
aup_json_kbool(struct aup_json *j, const char *key, bool v)
{
	aup_json_key(j, key);
	aup_json_bool(j, v);
}
