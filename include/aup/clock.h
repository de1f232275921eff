/* The one clock of aupctl, which tests can move, and ISO 8601 dates. */
#ifndef AUP_CLOCK_H
#define AUP_CLOCK_H

#include <stddef.h>
#include <time.h>

/* Now, as seconds since the epoch. Processes move it with faketime(1);
 * unit tests with aup_clock_set() (0 returns to the real clock). */
time_t	aup_now(void);
void	aup_clock_set(time_t t);

/* Parse "2026-09-01", "2026-09-01T15:30" or "2026-09-01T15:30:00" (a space
 * may stand for the T) as local time. 0 on success, -1 when malformed. */
int	aup_date_parse(const char *s, time_t *out);

/* Format as "2026-09-01T15:30" (local time); 0 gives "". */
void	aup_time_fmt(time_t t, char *buf, size_t size);
/* Format as "2026-09-01" (local time); 0 gives "". */
void	aup_date_fmt(time_t t, char *buf, size_t size);

/* The academic year containing T, named by the calendar year it starts in
 * (2026 for 2026-27), for a year that starts on MONTH/DAY. */
int	aup_academic_year(time_t t, int month, int day);

#endif
