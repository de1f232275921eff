/* The one clock of aupctl, which tests can move, and ISO 8601 dates. */
#ifndef AUP_CLOCK_H
#define AUP_CLOCK_H

#include <stddef.h>
#include <time.h>

/* Now, as seconds since the epoch. Processes move it with faketime(1);
 * unit tests with aup_clock_set() (0 returns to the real clock). */
time_t aup_now(void);
void   aup_clock_set(time_t t);

/*
 * Parse an ISO 8601 date or time: "2026-09-01", "2026-09-01T15:30" or
 * "2026-09-01T15:30:00" (a space may stand for the T; fractions of a
 * second are dropped), as local time; or with a zone after the time, "Z"
 * or an offset ("+01:00", "-0500", "+01"), as RFC 3339 gives it. 0 on
 * success, -1 when malformed or not a real day.
 */
int aup_date_parse(const char *s, time_t *out);

/* Format as RFC 3339 with the local offset, "2026-09-01T15:30:00+01:00",
 * for machines and the log; 0 gives "". SIZE must hold 26 bytes. */
void aup_time_fmt(time_t t, char *buf, size_t size);
/* Format for people as "2026-09-01 15:30:00" (local time); 0 gives "". */
void aup_time_fmt_local(time_t t, char *buf, size_t size);
/* Format as "2026-09-01" (local time); 0 gives "". */
void aup_date_fmt(time_t t, char *buf, size_t size);
/* S, a time as aup_time_fmt wrote it (any offset), as people read it here
 * (aup_time_fmt_local); a date alone stays as it is. -1, with S copied
 * unchanged, when S is neither. */
int  aup_time_for_people(const char *s, char *buf, size_t size);

/* The academic year containing T, named by the calendar year it starts in
 * (2026 for 2026-27), for a year that starts on MONTH/DAY. */
int  aup_academic_year(time_t t, int month, int day);
/* An academic year as people write it, "2026-27", "2026/27", "2026-2027"
 * or "2026", into *YEAR (2026); -1 when S is none of these. */
int  aup_academic_year_parse(const char *s, int *year);
/* "2026-27" for 2026; SIZE must hold 8 bytes. */
void aup_academic_year_label(int year, char *buf, size_t size);

#endif
