/*
 * date: calendar dates and timestamps without the C library's time zone
 * surprises. A date is a day number (days since 1970-01-01); only "today"
 * needs a time zone, and it is asked for once per run.
 */
#ifndef YARDSTICK_DATE_H
#define YARDSTICK_DATE_H

/* A date as days since 1970-01-01 (UTC calendar). */
typedef long day_t;

/* Parse exactly YYYY-MM-DD, a real calendar date from 1970 to 9999.
 * Returns 0, or -1 when the text is not such a date. */
int date_parse(const char *text, day_t *day);

/* Write YYYY-MM-DD (11 bytes with the NUL). */
void date_format(day_t day, char out[static 11]);

/*
 * Parse an RFC 3339 timestamp ("2026-11-20T03:00:00Z", with optional
 * fractional seconds and a +HH:MM offset) or a plain date (midnight UTC)
 * into seconds since the epoch, negative before 1970 (RFC 3339 years run
 * from 0000). Returns 0 or -1.
 */
int date_parse_timestamp(const char *text, long long *seconds);

/*
 * Today's date in time zone `tz` (an IANA name such as "Europe/Berlin").
 * Returns 0, or -1 when the clock cannot be read.
 */
int date_today(const char *tz, day_t *day);

#endif
