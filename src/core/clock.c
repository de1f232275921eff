/* The one clock of aupctl and its date formats. Everything that depends on
 * time asks aup_now(), so expiry, rotation and lockout can be tested by
 * moving the clock rather than by waiting. */
#include <stdio.h>
#include <string.h>

#include "aup/clock.h"

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

int
aup_date_parse(const char *s, time_t *out)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	size_t len = strlen(s);

	if (len == 10) {
		if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
			return -1;
	} else if (len == 16 && (s[10] == 'T' || s[10] == ' ')) {
		if (sscanf(s, "%4d-%2d-%2d%*c%2d:%2d%n", &y, &mo, &d, &h, &mi,
		    &n) != 5 || n != 16)
			return -1;
	} else if (len == 19 && (s[10] == 'T' || s[10] == ' ')) {
		if (sscanf(s, "%4d-%2d-%2d%*c%2d:%2d:%2d%n", &y, &mo, &d, &h,
		    &mi, &sec, &n) != 6 || n != 19)
			return -1;
	} else
		return -1;
	if (s[4] != '-' || s[7] != '-' || y < 1970 || y > 9999 || mo < 1 ||
	    mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 ||
	    h < 0 || mi < 0 || sec < 0)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	*out = mktime(&tm);
	/* mktime normalises 2026-02-31 into March: refuse such dates. */
	if (*out == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != mo - 1)
		return -1;
	return 0;
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
	fmt(t, "%Y-%m-%dT%H:%M", buf, size);
}

void
aup_date_fmt(time_t t, char *buf, size_t size)
{
	fmt(t, "%Y-%m-%d", buf, size);
}

int
aup_academic_year(time_t t, int month, int day)
{
	struct tm tm;

	localtime_r(&t, &tm);
	if (tm.tm_mon + 1 < month || (tm.tm_mon + 1 == month && tm.tm_mday < day))
		return tm.tm_year + 1900 - 1;
	return tm.tm_year + 1900;
}
