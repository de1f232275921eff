/* Text from outside made safe to show in a message: a name, PAM_USER or an
 * option value echoed in an error must not end the line, move the cursor or
 * turn text around, so that it cannot forge a line of a log. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "aup/utf8.h"
#include "aup/util.h"

/* Characters that change how the text around them reads: zero-width ones,
 * the bidirectional marks, embeddings, overrides and isolates, the BOM. */
static int
invisible(int32_t cp)
{
	return (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) ||
	    cp == 0xfeff;
}

const char *
aup_str_safe(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	if (size == 0)
		return buf;
	for (const char *p = s != NULL ? s : ""; *p != '\0';) {
		const char *start = p;
		int32_t cp = aup_utf8_next(&p);
		char esc[16];
		const char *out = esc;
		size_t len;

		if (cp == '\n')
			out = "\\n";
		else if (cp == '\r')
			out = "\\r";
		else if (cp == '\t')
			out = "\\t";
		else if (cp < 0)
			snprintf(esc, sizeof esc, "\\x%02x",
			    (unsigned char)*start);
		else if (cp < 0x20 || cp == 0x7f)
			snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
		else if ((cp >= 0x80 && cp < 0xa0) || invisible(cp))
			snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
		else
			out = NULL;
		len = out != NULL ? strlen(out) : (size_t)(p - start);
		if (n + len >= size)
			break; /* never half a character or half an escape */
		memcpy(buf + n, out != NULL ? out : start, len);
		n += len;
	}
	buf[n] = '\0';
	return buf;
}
