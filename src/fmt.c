/* fmt.c: localized dates, numbers, plurals and durations (see fmt.h). */
#include "fmt.h"
#include "diag.h"
#include "sbuf.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/udat.h>
#include <unicode/unumberformatter.h>
#include <unicode/upluralrules.h>
#include <unicode/ustring.h>

const char *const fmt_langs[FMT_NLANGS] = { "en", "ru", "hy" };

enum { D_FULL, D_MONTH, D_YEAR, D_KINDS };

/* Date patterns per language and kind; see fmt.h for the choices. */
static const UChar *const date_patterns[FMT_NLANGS][D_KINDS] = {
	{ u"d\u00a0MMMM y", u"MMMM y", u"y" },
	{ u"d\u00a0MMMM y\u00a0'г'.", u"LLLL y\u00a0'г'.", u"y\u00a0'г'." },
	{ u"d\u00a0MMMM y\u00a0'թ'.", u"LLLL y\u00a0'թ'.", u"y\u00a0'թ'." },
};

static const char *const plural_names[] = { "zero", "one", "two", "few",
					     "many", "other" };

struct fmt_lang {
	UDateFormat *date[D_KINDS];
	UNumberFormatter *number, *years, *months, *days;
	UPluralRules *plural;
	unsigned plural_mask; /* bit i: plural_names[i] is used */
};

struct fmt_set {
	struct fmt_lang l[FMT_NLANGS];
};

int fmt_lang_index(const char *lang)
{
	for (int i = 0; lang && i < FMT_NLANGS; i++)
		if (!strcmp(lang, fmt_langs[i]))
			return i;
	return -1;
}

static UNumberFormatter *open_number(const UChar *skeleton, const char *loc,
				     UErrorCode *e)
{
	return unumf_openForSkeletonAndLocale(skeleton, -1, loc, e);
}

fmt_set *fmt_new(struct diag *d)
{
	fmt_set *f = xcalloc(1, sizeof(*f));
	struct diag_loc nowhere = { NULL, 0, 0 };

	for (int i = 0; i < FMT_NLANGS; i++) {
		struct fmt_lang *l = &f->l[i];
		const char *loc = fmt_langs[i];
		UErrorCode e = U_ZERO_ERROR;
		UEnumeration *kw;
		const char *k;

		for (int k2 = 0; k2 < D_KINDS; k2++)
			l->date[k2] = udat_open(UDAT_PATTERN, UDAT_PATTERN, loc,
						u"UTC", -1, date_patterns[i][k2],
						-1, &e);
		l->number = open_number(u"", loc, &e);
		l->years = open_number(
			u"measure-unit/duration-year unit-width-full-name", loc, &e);
		l->months = open_number(
			u"measure-unit/duration-month unit-width-full-name", loc, &e);
		l->days = open_number(
			u"measure-unit/duration-day unit-width-full-name", loc, &e);
		l->plural = uplrules_open(loc, &e);
		if (U_FAILURE(e)) {
			if (d)
				diag_error(d, nowhere,
					   "cannot prepare ICU formatters for '%s': %s",
					   loc, u_errorName(e));
			fmt_free(f);
			return NULL;
		}
		/* Remember which categories the language uses, for the lint. */
		kw = uplrules_getKeywords(l->plural, &e);
		while (U_SUCCESS(e) && (k = uenum_next(kw, NULL, &e)) != NULL)
			for (size_t j = 0; j < ARRAY_SIZE(plural_names); j++)
				if (!strcmp(k, plural_names[j]))
					l->plural_mask |= 1u << j;
		uenum_close(kw);
	}
	return f;
}

void fmt_free(fmt_set *f)
{
	if (!f)
		return;
	for (int i = 0; i < FMT_NLANGS; i++) {
		struct fmt_lang *l = &f->l[i];
		for (int k = 0; k < D_KINDS; k++)
			if (l->date[k])
				udat_close(l->date[k]);
		if (l->number)
			unumf_close(l->number);
		if (l->years)
			unumf_close(l->years);
		if (l->months)
			unumf_close(l->months);
		if (l->days)
			unumf_close(l->days);
		if (l->plural)
			uplrules_close(l->plural);
	}
	free(f);
}

static const struct fmt_lang *lang_of(const fmt_set *f, const char *lang)
{
	int i = fmt_lang_index(lang);
	return f && i >= 0 ? &f->l[i] : NULL;
}

static void add_uchars(struct sbuf *out, const UChar *u, int32_t n)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t need = 0;

	u_strToUTF8(NULL, 0, &need, u, n, &e);
	e = U_ZERO_ERROR;
	sbuf_grow(out, (size_t)need + 1);
	u_strToUTF8(out->buf + out->len, (int32_t)(out->cap - out->len), NULL,
		    u, n, &e);
	/* The UTF-16 is ICU's own formatting of our patterns and digits, and
	 * the room was measured by the first call: the conversion fails only
	 * if ICU gave malformed UTF-16, not on anything the environment or
	 * the input can do. */
	if (U_FAILURE(e))
		BUG("u_strToUTF8 of ICU's formatted text: %s", u_errorName(e));
	/* sbuf_setlen only shortens; the bytes are written in place. */
	out->len += (size_t)need;
	out->buf[out->len] = '\0';
}

/* Digits at s, exactly n of them; their value in *v. */
static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

/* Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD"; missing parts are 1. Returns
 * the kind (D_YEAR, D_MONTH, D_FULL) or -1. */
static int parse_iso(const char *s, int *y, int *m, int *d)
{
	size_t n = strlen(s);

	*m = *d = 1;
	if (n != 4 && n != 7 && n != 10)
		return -1;
	if (digits(s, 4, y) || *y < 1)
		return -1;
	if (n == 4)
		return D_YEAR;
	if (s[4] != '-' || digits(s + 5, 2, m) || *m < 1 || *m > 12)
		return -1;
	if (n == 7)
		return D_MONTH;
	if (s[7] != '-' || digits(s + 8, 2, d) || *d < 1 ||
	    *d > days_in_month(*y, *m))
		return -1;
	return D_FULL;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static long days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int fmt_date(const fmt_set *f, const char *lang, const char *iso,
	     struct sbuf *out)
{
	const struct fmt_lang *l = lang_of(f, lang);
	int y, m, d, kind;
	UErrorCode e = U_ZERO_ERROR;
	UDateFormat *df;
	UChar buf[128];
	int32_t n;

	if (!l || !iso || (kind = parse_iso(iso, &y, &m, &d)) < 0)
		return -1;
	/* A private clone: udat_format mutates the formatter's calendar. */
	df = udat_clone(l->date[kind], &e);
	n = udat_format(df, (UDate)days_from_civil(y, m, d) * 86400000.0, buf,
			(int32_t)ARRAY_SIZE(buf), NULL, &e);
	udat_close(df);
	if (U_FAILURE(e))
		return -1;
	add_uchars(out, buf, n);
	return 0;
}

/* A decimal number: optional minus, digits, optional fraction. */
static int is_number(const char *s)
{
	const char *p = s;

	if (!s)
		return 0;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0' && p - s < 40;
}

static int format_decimal(const UNumberFormatter *nf, const char *num,
			  struct sbuf *out)
{
	UErrorCode e = U_ZERO_ERROR;
	UFormattedNumber *r = unumf_openResult(&e);
	UChar buf[128];
	int32_t n;

	unumf_formatDecimal(nf, num, -1, r, &e);
	n = unumf_resultToString(r, buf, (int32_t)ARRAY_SIZE(buf), &e);
	unumf_closeResult(r);
	if (U_FAILURE(e))
		return -1;
	add_uchars(out, buf, n);
	return 0;
}

int fmt_number(const fmt_set *f, const char *lang, const char *num,
	       struct sbuf *out)
{
	const struct fmt_lang *l = lang_of(f, lang);

	if (!l || !is_number(num))
		return -1;
	return format_decimal(l->number, num, out);
}

const char *fmt_plural(const fmt_set *f, const char *lang, const char *num)
{
	const struct fmt_lang *l = lang_of(f, lang);
	UErrorCode e = U_ZERO_ERROR;
	UFormattedNumber *r;
	char kw[16];
	UChar ukw[16];
	const char *res = NULL;

	if (!l || !is_number(num))
		return NULL;
	/* Select on the formatted number, so visible fraction digits count. */
	r = unumf_openResult(&e);
	unumf_formatDecimal(l->number, num, -1, r, &e);
	uplrules_selectFormatted(l->plural, r, ukw, (int32_t)ARRAY_SIZE(ukw), &e);
	unumf_closeResult(r);
	if (U_FAILURE(e))
		return NULL;
	u_strToUTF8(kw, (int32_t)sizeof(kw), NULL, ukw, -1, &e);
	if (U_FAILURE(e))
		return NULL;
	kw[sizeof(kw) - 1] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(plural_names); i++)
		if (!strcmp(kw, plural_names[i]))
			res = plural_names[i];
	return res;
}

int fmt_plural_has(const fmt_set *f, const char *lang, const char *category)
{
	const struct fmt_lang *l = lang_of(f, lang);

	for (size_t i = 0; l && category && i < ARRAY_SIZE(plural_names); i++)
		if (!strcmp(category, plural_names[i]))
			return (l->plural_mask >> i) & 1;
	return 0;
}

static int format_int(const UNumberFormatter *nf, long v, struct sbuf *out)
{
	char num[24];
	snprintf(num, sizeof(num), "%ld", v);
	return format_decimal(nf, num, out);
}

int fmt_duration_years(const fmt_set *f, const char *lang, const char *num,
		       struct sbuf *out)
{
	const struct fmt_lang *l = lang_of(f, lang);
	double y;
	long months;

	if (!l || !is_number(num) || *num == '-')
		return -1;
	y = strtod(num, NULL);
	/* Summaries add sentences up: allow large totals, not absurd ones. */
	if (!(y <= 1e7))
		return -1;
	/* Whole months: 0.5 year is "6 months", 1.5 is "1 year 6 months". */
	months = lround(y * 12);
	if (months % 12 == 0)
		return format_int(l->years, months / 12, out);
	if (months >= 12) {
		if (format_int(l->years, months / 12, out))
			return -1;
		sbuf_addch(out, ' ');
	}
	return format_int(l->months, months % 12, out);
}

int fmt_duration_days(const fmt_set *f, const char *lang, long days,
		      struct sbuf *out)
{
	const struct fmt_lang *l = lang_of(f, lang);

	return l ? format_int(l->days, days, out) : -1;
}

int fmt_days_between(const char *a, const char *b, long *out)
{
	int y1, m1, d1, y2, m2, d2, ka;

	if (!a || !b)
		return -1;
	ka = parse_iso(a, &y1, &m1, &d1);
	if (ka < 0 || ka == D_YEAR || parse_iso(b, &y2, &m2, &d2) != D_FULL)
		return -1;
	*out = days_from_civil(y2, m2, d2) - days_from_civil(y1, m1, d1);
	return 0;
}

int fmt_age(const char *birth, const char *date, long *out)
{
	int y1, m1, d1, y2, m2, d2, k;

	if (!birth || !date || (k = parse_iso(birth, &y1, &m1, &d1)) < 0 ||
	    parse_iso(date, &y2, &m2, &d2) != D_FULL)
		return -1;
	*out = y2 - y1;
	/* With only the year known, count the birthday as not yet reached. */
	if (k == D_YEAR || m2 < m1 || (m2 == m1 && d2 < d1))
		(*out)--;
	return *out < 0 ? -1 : 0;
}
