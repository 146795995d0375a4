/* rdate.c: the roster's dates (day, month or year precision): parsing,
 * comparing, day counts, and the report date (--date or
 * SOURCE_DATE_EPOCH). */
#include "record.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --- dates -------------------------------------------------------------- */

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int mdays(int y, int m)
{
	static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : n[m - 1];
}

static int digits(const char *s, int n)
{
	int i, v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int rdate_parse(const char *s, unsigned allowed, struct rdate *out)
{
	size_t n = strlen(s);
	struct rdate r = { 0, 0, 0 };

	if (n != 4 && n != 7 && n != 10)
		return -1;
	if ((r.y = digits(s, 4)) < 1000)
		return -1;
	if (n == 4) {
		if (!(allowed & RDATE_YEAR))
			return -1;
	} else {
		if (s[4] != '-' || (r.m = digits(s + 5, 2)) < 1 || r.m > 12)
			return -1;
		if (n == 7) {
			if (!(allowed & RDATE_MONTH))
				return -1;
		} else {
			if (!(allowed & RDATE_DAY) || s[7] != '-')
				return -1;
			if ((r.d = digits(s + 8, 2)) < 1 || r.d > mdays(r.y, r.m))
				return -1;
		}
	}
	*out = r;
	return 0;
}

long rdate_days(const struct rdate *a)
{
	/* Days from civil, after H. Hinnant's well-known algorithm. */
	int y = a->y, m = a->m ? a->m : 1, d = a->d ? a->d : 1;
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int rdate_cmp(const struct rdate *a, const struct rdate *b)
{
	long x = rdate_days(a), y = rdate_days(b);
	return x < y ? -1 : x > y;
}

long rdate_last_days(const struct rdate *a)
{
	struct rdate e = *a;
	if (!e.m) {
		e.m = 12;
		e.d = 31;
	} else if (!e.d) {
		e.d = mdays(e.y, e.m);
	}
	return rdate_days(&e);
}

int rdate_before(const struct rdate *a, const struct rdate *b)
{
	return rdate_last_days(a) < rdate_days(b);
}

int rdate_today(const char *date, struct rdate *out)
{
	const char *sde;
	time_t t;
	struct tm tm;

	if (date)
		return rdate_parse(date, RDATE_DAY, out);
	sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		long long v;
		errno = 0;
		v = strtoll(sde, &end, 10);
		if (errno || *end || v < 0)
			return -1;
		t = (time_t)v;
	} else {
		t = time(NULL);
	}
	gmtime_r(&t, &tm);
	out->y = tm.tm_year + 1900;
	out->m = tm.tm_mon + 1;
	out->d = tm.tm_mday;
	return 0;
}
