/* A stand-in for utf8.c's folding while that module is written. */
#include <stdlib.h>
#include <string.h>

#include "storage.h"

void
aup_utf8_fold(const char *s, struct aup_buf *out)
{
	char buf[256];

	if (s == NULL)
		return;
	for (const char *w = s; *w != '\0';) {
		size_t n = strcspn(w, " ");
		char *part = xstrndup(w, n);

		aup_name_ascii(part, buf, sizeof buf);
		free(part);
		if (buf[0] != '\0') {
			if (out->len > 0 && out->data[out->len - 1] != ' ')
				aup_buf_puts(out, " ");
			aup_buf_puts(out, buf);
		}
		w += n;
		w += strspn(w, " ");
	}
	aup_buf_puts(out, "");
}

size_t
aup_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}
