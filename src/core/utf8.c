/* UTF-8 text: the one decoder, and on it validation, display width, the
 * search key (accents, case and apostrophes folded away) and the ASCII form
 * of a name that usernames and the password rules are made from. */
#include <string.h>
#include <wchar.h>

#include "aup/utf8.h"
#include "aup/util.h"

/*
 * Latin letters as lower-case ASCII, one entry a code point: Latin-1
 * Supplement, Latin Extended-A and -B, then Latin Extended Additional. An
 * empty entry is a character with no ASCII letter (× ÷ ə ʒ): the search key
 * keeps it, a name's ASCII form drops it. The tables are laid out by hand,
 * eight code points a row as the comments count them.
 */
/* clang-format off */
static const char latin[0x250 - 0xc0][3] = {
	/* 00C0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* 00C8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* 00D0 */ "d", "n", "o", "o", "o", "o", "o", "",
	/* 00D8 */ "o", "u", "u", "u", "u", "y", "th", "ss",
	/* 00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* 00E8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* 00F0 */ "d", "n", "o", "o", "o", "o", "o", "",
	/* 00F8 */ "o", "u", "u", "u", "u", "y", "th", "y",
	/* 0100 */ "a", "a", "a", "a", "a", "a", "c", "c",
	/* 0108 */ "c", "c", "c", "c", "c", "c", "d", "d",
	/* 0110 */ "d", "d", "e", "e", "e", "e", "e", "e",
	/* 0118 */ "e", "e", "e", "e", "g", "g", "g", "g",
	/* 0120 */ "g", "g", "g", "g", "h", "h", "h", "h",
	/* 0128 */ "i", "i", "i", "i", "i", "i", "i", "i",
	/* 0130 */ "i", "i", "ij", "ij", "j", "j", "k", "k",
	/* 0138 */ "k", "l", "l", "l", "l", "l", "l", "l",
	/* 0140 */ "l", "l", "l", "n", "n", "n", "n", "n",
	/* 0148 */ "n", "n", "n", "n", "o", "o", "o", "o",
	/* 0150 */ "o", "o", "oe", "oe", "r", "r", "r", "r",
	/* 0158 */ "r", "r", "s", "s", "s", "s", "s", "s",
	/* 0160 */ "s", "s", "t", "t", "t", "t", "t", "t",
	/* 0168 */ "u", "u", "u", "u", "u", "u", "u", "u",
	/* 0170 */ "u", "u", "u", "u", "w", "w", "y", "y",
	/* 0178 */ "y", "z", "z", "z", "z", "z", "z", "s",
	/* 0180 */ "b", "b", "b", "b", "", "", "", "c",
	/* 0188 */ "c", "d", "d", "d", "d", "", "e", "",
	/* 0190 */ "e", "f", "f", "g", "", "hv", "", "i",
	/* 0198 */ "k", "k", "l", "", "", "n", "n", "o",
	/* 01A0 */ "o", "o", "oi", "oi", "p", "p", "", "",
	/* 01A8 */ "", "", "", "t", "t", "t", "t", "u",
	/* 01B0 */ "u", "", "v", "y", "y", "z", "z", "",
	/* 01B8 */ "", "", "", "", "", "", "", "",
	/* 01C0 */ "", "", "", "", "dz", "dz", "dz", "lj",
	/* 01C8 */ "lj", "lj", "nj", "nj", "nj", "a", "a", "i",
	/* 01D0 */ "i", "o", "o", "u", "u", "u", "u", "u",
	/* 01D8 */ "u", "u", "u", "u", "u", "", "a", "a",
	/* 01E0 */ "a", "a", "ae", "ae", "g", "g", "g", "g",
	/* 01E8 */ "k", "k", "o", "o", "o", "o", "", "",
	/* 01F0 */ "j", "dz", "dz", "dz", "g", "g", "hv", "",
	/* 01F8 */ "n", "n", "a", "a", "ae", "ae", "o", "o",
	/* 0200 */ "a", "a", "a", "a", "e", "e", "e", "e",
	/* 0208 */ "i", "i", "i", "i", "o", "o", "o", "o",
	/* 0210 */ "r", "r", "r", "r", "u", "u", "u", "u",
	/* 0218 */ "s", "s", "t", "t", "", "", "h", "h",
	/* 0220 */ "n", "d", "ou", "ou", "z", "z", "a", "a",
	/* 0228 */ "e", "e", "o", "o", "o", "o", "o", "o",
	/* 0230 */ "o", "o", "y", "y", "l", "n", "t", "j",
	/* 0238 */ "", "", "a", "c", "c", "l", "t", "s",
	/* 0240 */ "z", "", "", "b", "u", "", "e", "e",
	/* 0248 */ "j", "j", "q", "q", "r", "r", "y", "y",
};
static const char latin_additional[0x1f00 - 0x1e00][3] = {
	/* 1E00 */ "a", "a", "b", "b", "b", "b", "b", "b",
	/* 1E08 */ "c", "c", "d", "d", "d", "d", "d", "d",
	/* 1E10 */ "d", "d", "d", "d", "e", "e", "e", "e",
	/* 1E18 */ "e", "e", "e", "e", "e", "e", "f", "f",
	/* 1E20 */ "g", "g", "h", "h", "h", "h", "h", "h",
	/* 1E28 */ "h", "h", "h", "h", "i", "i", "i", "i",
	/* 1E30 */ "k", "k", "k", "k", "k", "k", "l", "l",
	/* 1E38 */ "l", "l", "l", "l", "l", "l", "m", "m",
	/* 1E40 */ "m", "m", "m", "m", "n", "n", "n", "n",
	/* 1E48 */ "n", "n", "n", "n", "o", "o", "o", "o",
	/* 1E50 */ "o", "o", "o", "o", "p", "p", "p", "p",
	/* 1E58 */ "r", "r", "r", "r", "r", "r", "r", "r",
	/* 1E60 */ "s", "s", "s", "s", "s", "s", "s", "s",
	/* 1E68 */ "s", "s", "t", "t", "t", "t", "t", "t",
	/* 1E70 */ "t", "t", "u", "u", "u", "u", "u", "u",
	/* 1E78 */ "u", "u", "u", "u", "v", "v", "v", "v",
	/* 1E80 */ "w", "w", "w", "w", "w", "w", "w", "w",
	/* 1E88 */ "w", "w", "x", "x", "x", "x", "y", "y",
	/* 1E90 */ "z", "z", "z", "z", "z", "z", "h", "t",
	/* 1E98 */ "w", "y", "a", "s", "s", "s", "ss", "",
	/* 1EA0 */ "a", "a", "a", "a", "a", "a", "a", "a",
	/* 1EA8 */ "a", "a", "a", "a", "a", "a", "a", "a",
	/* 1EB0 */ "a", "a", "a", "a", "a", "a", "a", "a",
	/* 1EB8 */ "e", "e", "e", "e", "e", "e", "e", "e",
	/* 1EC0 */ "e", "e", "e", "e", "e", "e", "e", "e",
	/* 1EC8 */ "i", "i", "i", "i", "o", "o", "o", "o",
	/* 1ED0 */ "o", "o", "o", "o", "o", "o", "o", "o",
	/* 1ED8 */ "o", "o", "o", "o", "o", "o", "o", "o",
	/* 1EE0 */ "o", "o", "o", "o", "u", "u", "u", "u",
	/* 1EE8 */ "u", "u", "u", "u", "u", "u", "u", "u",
	/* 1EF0 */ "u", "u", "y", "y", "y", "y", "y", "y",
	/* 1EF8 */ "y", "y", "ll", "ll", "", "", "y", "y",
};
/* clang-format on */

/* Latin capitals of Extended-B and Additional with no ASCII letter, and
 * their small letters, which Unicode does not keep next to them. */
static const uint16_t latin_case[][2] = { { 0x184, 0x185 }, { 0x186, 0x254 },
	{ 0x18f, 0x259 }, { 0x194, 0x263 }, { 0x196, 0x269 }, { 0x19c, 0x26f },
	{ 0x1a6, 0x280 }, { 0x1a7, 0x1a8 }, { 0x1a9, 0x283 }, { 0x1b1, 0x28a },
	{ 0x1b7, 0x292 }, { 0x1b8, 0x1b9 }, { 0x1bc, 0x1bd }, { 0x1ee, 0x1ef },
	{ 0x1f7, 0x1bf }, { 0x21c, 0x21d }, { 0x241, 0x242 }, { 0x245, 0x28c },
	{ 0x1efc, 0x1efd } };

int32_t
aup_utf8_next(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	int32_t cp, min;
	int n;

	if (*s < 0x80) {
		if (*s != '\0')
			(*p)++;
		return *s;
	}
	if ((*s & 0xe0) == 0xc0) {
		n = 1;
		cp = *s & 0x1f;
		min = 0x80;
	} else if ((*s & 0xf0) == 0xe0) {
		n = 2;
		cp = *s & 0x0f;
		min = 0x800;
	} else if ((*s & 0xf8) == 0xf0) {
		n = 3;
		cp = *s & 0x07;
		min = 0x10000;
	} else
		goto bad;
	/* A NUL is not a continuation byte: a truncated sequence stops. */
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		goto bad;
	*p += n + 1;
	return cp;
bad:
	(*p)++;
	return -1;
}

bool
aup_utf8_valid(const char *s)
{
	while (*s != '\0') {
		int32_t cp = aup_utf8_next(&s);

		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return false;
	}
	return true;
}

size_t
aup_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; n++)
		aup_utf8_next(&s);
	return n;
}

int
aup_utf8_char_width(int32_t cp)
{
	int w;

	if (cp < 0)
		return 1;
	w = wcwidth((wchar_t)cp);
	/* Outside a UTF-8 locale wcwidth knows only ASCII: count one. */
	return w < 0 ? 1 : w;
}

size_t
aup_utf8_width(const char *s)
{
	size_t w = 0;

	/* An ASCII byte is one column, printable or not (see above), and
	 * most of a school's names are ASCII alone: no decoding for those. */
	while (*s != '\0') {
		if ((unsigned char)*s < 0x80) {
			w++;
			s++;
		} else {
			w += (size_t)aup_utf8_char_width(aup_utf8_next(&s));
		}
	}
	return w;
}

/* The ASCII letters of a Latin letter CP, or NULL. */
static const char *
latin_ascii(int32_t cp)
{
	const char *a = NULL;

	if (cp >= 0xc0 && cp < 0x250)
		a = latin[cp - 0xc0];
	else if (cp >= 0x1e00 && cp < 0x1f00)
		a = latin_additional[cp - 0x1e00];
	return a != NULL && *a != '\0' ? a : NULL;
}

bool
aup_utf8_space(int32_t cp)
{
	/* C0 controls are white space here: tab, newline and the rest. */
	return cp <= 0x20 || cp == 0x85 || cp == 0xa0 || cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/* Apostrophes, combining marks and invisible characters: gone from the
 * key, so O'Neill, O’Neill and ONeill, or a decomposed â, all agree. */
static bool
is_ignored(int32_t cp)
{
	switch (cp) {
	case 0x27:   /* ' */
	case 0x60:   /* ` */
	case 0xad:   /* soft hyphen */
	case 0xb4:   /* ´ */
	case 0x2bb:  /* ʻ */
	case 0x2bc:  /* ʼ */
	case 0x2018: /* ‘ */
	case 0x2019: /* ’ */
	case 0x201b: /* ‛ */
	case 0x2032: /* ′ */
	case 0x2060: /* word joiner */
	case 0xfeff: /* zero width no-break space */
	case 0xff07: /* ＇ */ return true;
	}
	return cp < 0 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
	    (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200d);
}

/* Lower case by fixed rules rather than towlower(3), which in the C locale
 * leaves everything but ASCII alone. */
static int32_t
lower(int32_t cp)
{
	if ((cp >= 'A' && cp <= 'Z') ||
	    (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2) ||
	    (cp >= 0x410 && cp <= 0x42f) || (cp >= 0xff21 && cp <= 0xff3a))
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 0x50;
	if (cp >= 0x531 && cp <= 0x556)
		return cp + 0x30;
	switch (cp) {
	case 0x386: return 0x3ac;
	case 0x388: return 0x3ad;
	case 0x389: return 0x3ae;
	case 0x38a: return 0x3af;
	case 0x38c: return 0x3cc;
	case 0x38e: return 0x3cd;
	case 0x38f: return 0x3ce;
	case 0x4c0: return 0x4cf;
	}
	/* Cyrillic letters beyond the basic ones come in pairs. */
	if (((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48a && cp <= 0x4bf) ||
		(cp >= 0x4d0 && cp <= 0x52f)) &&
	    cp % 2 == 0)
		return cp + 1;
	if (cp >= 0x4c1 && cp <= 0x4ce && cp % 2 == 1)
		return cp + 1;
	for (size_t i = 0; i < sizeof latin_case / sizeof latin_case[0]; i++)
		if (cp == latin_case[i][0])
			return latin_case[i][1];
	return cp;
}

void
aup_utf8_put(struct aup_buf *out, int32_t cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	aup_buf_add(out, b, n);
}

void
aup_utf8_fold(const char *s, struct aup_buf *out)
{
	size_t start = out->len;
	bool space = false; /* a space is owed before what comes next */

	aup_buf_add(out, "", 0); /* OUT holds a string, if empty */
	while (*s != '\0') {
		int32_t cp = aup_utf8_next(&s);
		const char *a;

		if (is_ignored(cp))
			continue;
		if (aup_utf8_space(cp)) {
			space = out->len > start;
			continue;
		}
		if (space)
			aup_buf_add(out, " ", 1);
		space = false;
		if ((a = latin_ascii(cp)) != NULL)
			aup_buf_puts(out, a);
		else
			aup_utf8_put(out, lower(cp));
	}
}

void
aup_name_ascii(const char *name, char *buf, size_t size)
{
	size_t j = 0;

	if (size == 0)
		return;
	while (*name != '\0' && j + 1 < size) {
		int32_t cp = aup_utf8_next(&name);
		char one[2] = { 0 };
		const char *a = one;
		size_t n;

		if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z'))
			one[0] = (char)cp;
		else if (cp >= 'A' && cp <= 'Z')
			one[0] = (char)lower(cp);
		else if ((a = latin_ascii(cp)) == NULL)
			continue;
		n = strlen(a);
		if (j + n >= size)
			break;
		memcpy(buf + j, a, n);
		j += n;
	}
	buf[j] = '\0';
}
