/* Roles, year groups, key stages and status: names and conversions. The key
 * stage is always derived from the year group, never stored. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "aup/model.h"
#include "aup/util.h"

static const char *role_names[AUP_ROLE_COUNT] = {
	"pupil",
	"staff",
	"governor",
	"volunteer",
	"visitor",
	"class",
};

static const char *status_names[AUP_STATUS_COUNT] = {
	"active",
	"suspended",
	"leaving",
	"left",
	"expired",
};

static const char *ks_names[AUP_KS_COUNT] = {
	"EYFS",
	"KS1",
	"KS2",
	"KS3",
	"KS4",
	"KS5",
};

/* First and last year group of each key stage. */
static const int ks_years[AUP_KS_COUNT][2] = {
	{ AUP_YEAR_N, AUP_YEAR_R },
	{ 1, 2 },
	{ 3, 6 },
	{ 7, 9 },
	{ 10, 11 },
	{ 12, 13 },
};

static int
lookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcasecmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *
aup_role_name(enum aup_role r)
{
	return (unsigned)r < AUP_ROLE_COUNT ? role_names[r] : "?";
}

int
aup_role_parse(const char *s)
{
	return lookup(role_names, AUP_ROLE_COUNT, s);
}

const char *
aup_role_list(void)
{
	return "pupil, staff, governor, volunteer, visitor, class";
}

const char *
aup_status_name(enum aup_status s)
{
	return (unsigned)s < AUP_STATUS_COUNT ? status_names[s] : "?";
}

int
aup_status_parse(const char *s)
{
	return lookup(status_names, AUP_STATUS_COUNT, s);
}

const char *
aup_status_list(void)
{
	return "active, suspended, leaving, left, expired";
}

const char *
aup_year_name(int year)
{
	static const char *names[] = { "N", "R", "1", "2", "3", "4", "5", "6",
		"7", "8", "9", "10", "11", "12", "13" };

	if (year < AUP_YEAR_N || year > AUP_YEAR_MAX)
		return "";
	return names[year + 1];
}

int
aup_year_parse(const char *s)
{
	char buf[32];
	size_t i, j = 0;
	long v;

	/* Fold case and drop spaces, so "Year 7", "Y7" and "7" agree. */
	for (i = 0; s[i] != '\0' && j < sizeof buf - 1; i++)
		if (!isspace((unsigned char)s[i]))
			buf[j++] = (char)tolower((unsigned char)s[i]);
	if (s[i] != '\0')
		return AUP_YEAR_NONE;
	buf[j] = '\0';
	/* SIMS writes the two nursery years N1 and N2: both are N here. */
	if (strcmp(buf, "n") == 0 || strcmp(buf, "nursery") == 0 ||
	    strcmp(buf, "yearn") == 0 || strcmp(buf, "n1") == 0 ||
	    strcmp(buf, "n2") == 0)
		return AUP_YEAR_N;
	if (strcmp(buf, "r") == 0 || strcmp(buf, "reception") == 0 ||
	    strcmp(buf, "rec") == 0 || strcmp(buf, "yearr") == 0)
		return AUP_YEAR_R;
	if (strncmp(buf, "year", 4) == 0)
		memmove(buf, buf + 4, strlen(buf + 4) + 1);
	else if (buf[0] == 'y')
		memmove(buf, buf + 1, strlen(buf + 1) + 1);
	if (aup_parse_long(buf, 1, AUP_YEAR_MAX, &v) != 0 || buf[0] == '+' ||
	    buf[0] == '0')
		return AUP_YEAR_NONE;
	return (int)v;
}

enum aup_ks
aup_ks_of_year(int year)
{
	for (int k = 0; k < AUP_KS_COUNT; k++)
		if (year >= ks_years[k][0] && year <= ks_years[k][1])
			return (enum aup_ks)k;
	return AUP_KS_NONE;
}

const char *
aup_ks_name(enum aup_ks ks)
{
	return (unsigned)ks < AUP_KS_COUNT ? ks_names[ks] : "";
}

int
aup_ks_parse(const char *s)
{
	int k = lookup(ks_names, AUP_KS_COUNT, s);

	if (k < 0 && strlen(s) == 1 && s[0] >= '1' && s[0] <= '5')
		k = s[0] - '0';
	return k;
}

void
aup_ks_years(enum aup_ks ks, int *lo, int *hi)
{
	*lo = ks_years[ks][0];
	*hi = ks_years[ks][1];
}
