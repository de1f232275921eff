/* The one clock of aupctl and its date formats. Everything that depends on
 * time asks aup_now(), so expiry, rotation and lockout can be tested by
 * moving the clock rather than by waiting. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/clock.h"
#include "aup/util.h"

static time_t fixed_now;

time_t
aup_now(void)
{
	return fixed_now != 0 ? fixed_now : time(NULL);
}

void
aup_clock_set(time_t t)
{
	fixed_now = t;
}

/* N digits of S as a number; -1 when they are not all digits. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to Y-M-D in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil), so that a time with an offset needs
 * neither timegm nor the TZ variable. */
static long long
days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * The zone at the end of a time: "Z", "+01:00", "+0100" or "+01" (minus
 * too), as seconds east of UTC in *OFF. -1 when S is not one of them.
 */
static int
parse_zone(const char *s, long *off)
{
	int sign, h, m = 0;
	size_t len = strlen(s);

	if (len == 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*off = 0;
		return 0;
	}
	if (s[0] != '+' && s[0] != '-')
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	if ((h = digits(s + 1, 2)) < 0)
		return -1;
	if (len == 6 && s[3] == ':')
		m = digits(s + 4, 2);
	else if (len == 5)
		m = digits(s + 3, 2);
	else if (len != 3)
		return -1;
	if (m < 0 || m > 59 || h > 23)
		return -1;
	*off = sign * (h * 3600L + m * 60L);
	return 0;
}

int
aup_date_parse(const char *s, time_t *out)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	const char *p = s + 10;
	long off = 0;
	bool zone = false;

	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-' ||
	    (y = digits(s, 4)) < 0 || (mo = digits(s + 5, 2)) < 0 ||
	    (d = digits(s + 8, 2)) < 0)
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		if ((h = digits(p + 1, 2)) < 0 || p[3] != ':' ||
		    (mi = digits(p + 4, 2)) < 0)
			return -1;
		p += 6;
		if (*p == ':') {
			if ((sec = digits(p + 1, 2)) < 0)
				return -1;
			p += 3;
			/* Fractions of a second are allowed and dropped. */
			if (*p == '.' && p[1] >= '0' && p[1] <= '9')
				for (p++; *p >= '0' && *p <= '9'; p++)
					;
		}
		if (*p != '\0') {
			if (parse_zone(p, &off) != 0)
				return -1;
			zone = true;
		}
	} else if (*p != '\0')
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
		return -1;
	if (zone) {
		*out = (time_t)(days_from_civil(y, mo, d) * 86400 + h * 3600LL +
		    mi * 60LL + sec - off);
		return 0;
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	*out = mktime(&tm);
	return *out == (time_t)-1 ? -1 : 0;
}

static void
fmt(time_t t, const char *format, char *buf, size_t size)
{
	struct tm tm;

	if (t == 0 || localtime_r(&t, &tm) == NULL) {
		if (size > 0)
			buf[0] = '\0';
		return;
	}
	if (strftime(buf, size, format, &tm) == 0 && size > 0)
		buf[0] = '\0';
}

void
aup_time_fmt(time_t t, char *buf, size_t size)
{
	size_t l;

	/* strftime's %z is "+0100"; RFC 3339 wants "+01:00". */
	fmt(t, "%Y-%m-%dT%H:%M:%S%z", buf, size);
	l = strlen(buf);
	if (l == 24 && size >= 26) {
		memmove(buf + 23, buf + 22, 3);
		buf[22] = ':';
	} else if (size > 0)
		buf[0] = '\0';
}

void
aup_time_fmt_local(time_t t, char *buf, size_t size)
{
	fmt(t, "%Y-%m-%d %H:%M:%S", buf, size);
}

void
aup_date_fmt(time_t t, char *buf, size_t size)
{
	fmt(t, "%Y-%m-%d", buf, size);
}

int
aup_time_for_people(const char *s, char *buf, size_t size)
{
	time_t t;

	if (strlen(s) > 10 && aup_date_parse(s, &t) == 0) {
		aup_time_fmt_local(t, buf, size);
		return 0;
	}
	aup_strlcpy(buf, s, size);
	return strlen(s) == 10 && aup_date_parse(s, &t) == 0 ? 0 : -1;
}

int
aup_academic_year(time_t t, int month, int day)
{
	struct tm tm;

	localtime_r(&t, &tm);
	if (tm.tm_mon + 1 < month ||
	    (tm.tm_mon + 1 == month && tm.tm_mday < day))
		return tm.tm_year + 1900 - 1;
	return tm.tm_year + 1900;
}

int
aup_academic_year_parse(const char *s, int *year)
{
	long y, next;
	char *end;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	y = strtol(s, &end, 10);
	if (errno != 0 || end - s != 4 || y < 1970 || y > 9998)
		return -1;
	if (*end == '\0') {
		*year = (int)y;
		return 0;
	}
	if (*end != '-' && *end != '/')
		return -1;
	s = end + 1;
	if (!isdigit((unsigned char)*s))
		return -1;
	next = strtol(s, &end, 10);
	if (*end != '\0' || (end - s != 2 && end - s != 4) ||
	    next != (end - s == 2 ? (y + 1) % 100 : y + 1))
		return -1;
	*year = (int)y;
	return 0;
}

void
aup_academic_year_label(int year, char *buf, size_t size)
{
	snprintf(buf, size, "%d-%02d", year, (year + 1) % 100);
}
