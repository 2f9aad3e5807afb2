#include "date.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long year = (long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = year + (*m <= 2);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* Parse the YYYY-MM-DD at the start of text (no terminator check), a year
 * from `min_year` to 9999. */
static int parse_ymd(const char *text, int min_year, day_t *day)
{
	int y, m, d;
	if (strlen(text) < 10 || text[4] != '-' || text[7] != '-' ||
	    digits(text, 4, &y) || digits(text + 5, 2, &m) ||
	    digits(text + 8, 2, &d))
		return -1;
	if (y < min_year || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*day = days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

int date_parse(const char *text, day_t *day)
{
	if (!text || strlen(text) != 10)
		return -1;
	return parse_ymd(text, 1970, day);
}

void date_format(day_t day, char out[static 11])
{
	long y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	char text[32];
	snprintf(text, sizeof(text), "%04ld-%02u-%02u", y, m, d);
	memcpy(out, text, 10);
	out[10] = '\0';
}

int date_parse_timestamp(const char *text, long long *seconds)
{
	day_t day;
	if (!text || parse_ymd(text, 0, &day) != 0)
		return -1;
	const char *p = text + 10;
	int hh = 0, mm = 0, ss = 0, offset = 0;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		if (digits(p + 1, 2, &hh) || p[3] != ':' || digits(p + 4, 2, &mm) ||
		    p[6] != ':' || digits(p + 7, 2, &ss))
			return -1;
		if (hh > 23 || mm > 59 || ss > 60)
			return -1;
		p += 9;
		if (*p == '.') {
			p++;
			if (!isdigit((unsigned char)*p))
				return -1;
			while (isdigit((unsigned char)*p))
				p++;
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			if (digits(p + 1, 2, &oh) || p[3] != ':' ||
			    digits(p + 4, 2, &om) || oh > 23 || om > 59)
				return -1;
			offset = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
			p += 6;
		} else {
			return -1;
		}
	}
	if (*p)
		return -1;
	*seconds = (long long)day * 86400 + hh * 3600 + mm * 60 + ss - offset;
	return 0;
}

int date_today(const char *tz, day_t *day)
{
	time_t now = time(NULL);
	if (now == (time_t)-1)
		return -1;
	/* localtime_r follows TZ; set it for this one call and restore. */
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL;
	setenv("TZ", tz && *tz ? tz : "UTC", 1);
	tzset();
	struct tm tm;
	int rc = localtime_r(&now, &tm) ? 0 : -1;
	if (saved) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
	if (rc == 0)
		*day = days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
				       (unsigned)tm.tm_mday);
	return rc;
}
