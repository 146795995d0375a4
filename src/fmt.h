/* fmt.h: localized dates, numbers, plural categories and durations for the
 * languages of the briefs (en, ru, hy), on top of ICU.
 *
 * A fmt_set is prepared once (fmt_new) and is read-only afterwards, so one
 * set serves every document and every thread:
 *   - numbers, durations: UNumberFormatter objects, which ICU documents as
 *     immutable and safe to share between threads;
 *   - plural rules: UPluralRules, used only through const selection calls;
 *   - dates: a UDateFormat per language and kind is prepared at load, and
 *     each call formats with a private clone (udat_clone), because a
 *     UDateFormat carries a mutable calendar.
 *
 * Date patterns (CLDR's defaults are not what the readers expect):
 *   en  "d MMMM y"        13 December 2020   (not the US "December 13, 2020")
 *   ru  "d MMMM y 'г'."   13 декабря 2020 г. (CLDR's own)
 *   hy  "d MMMM y 'թ'."   13 դեկտեմբերի 2020 թ. (CLDR 42 writes
 *       "13 դեկտեմբերի, 2020 թ."; the comma is not used in Armenian
 *       official usage, so it is dropped)
 * Year and month: "December 2020", "декабрь 2020 г.", "դեկտեմբեր 2020 թ."
 * Year alone: "2020", "2020 г.", "2020 թ.".
 * The day and its month, and the year and "г."/"թ.", are joined by
 * U+00A0 NO-BREAK SPACE, so a line never breaks inside them.
 * Numbers group thousands as CLDR says: "2,175", and with U+00A0 NO-BREAK
 * SPACE in ru and hy ("2 175"); the decimal separator is "." or ",". */
#ifndef DOSSIER_FMT_H
#define DOSSIER_FMT_H

#include <stddef.h>

struct diag;
struct sbuf;

typedef struct fmt_set fmt_set;

/* The languages known to fmt, in fallback order. */
#define FMT_NLANGS 3
extern const char *const fmt_langs[FMT_NLANGS];
/* Index of lang in fmt_langs, or -1. */
int fmt_lang_index(const char *lang);

/* Prepare the formatters of every language. Returns NULL (with an error
 * in d) when ICU lacks the data. Free with fmt_free (NULL is fine). */
fmt_set *fmt_new(struct diag *d);
void fmt_free(fmt_set *f);

/* Append to out the date iso ("YYYY-MM-DD", "YYYY-MM" or "YYYY") in lang:
 * a full date, a month and year, or a year, after the precision of iso.
 * Returns 0, or -1 when iso is not such a date or lang is unknown (out is
 * then unchanged). */
int fmt_date(const fmt_set *f, const char *lang, const char *iso,
	     struct sbuf *out);

/* Append the number num (a decimal string: "2175", "0.5", "-3") in lang,
 * keeping its fraction digits. Returns 0, or -1 when num is not a number. */
int fmt_number(const fmt_set *f, const char *lang, const char *num,
	       struct sbuf *out);

/* The CLDR plural category ("zero", "one", "two", "few", "many", "other")
 * of the decimal string num in lang, as a static string; NULL when num is
 * not a number or lang unknown. The category is that of the number as
 * fmt_number prints it: "1.5" is "other" in ru, and "1.0", printed "1",
 * is "one". */
const char *fmt_plural(const fmt_set *f, const char *lang, const char *num);

/* Whether category is one of the plural categories that lang uses. */
int fmt_plural_has(const fmt_set *f, const char *lang, const char *category);

/* Append a duration given in years (decimal string, e.g. "20", "0.5",
 * "1.5") with unit names: "20 years", "20 лет", "20 տարի"; fractions of a
 * year become months: "6 months", "1 год 6 месяцев". Returns 0 or -1. */
int fmt_duration_years(const fmt_set *f, const char *lang, const char *num,
		       struct sbuf *out);
/* Append a number of days with the unit name: "2,175 days", "2 175 дней". */
int fmt_duration_days(const fmt_set *f, const char *lang, long days,
		      struct sbuf *out);

/* Days from the date a to the date b (both "YYYY-MM-DD"; a "YYYY-MM" counts
 * from the first of the month), in *out. Returns 0 or -1 on a bad date. */
int fmt_days_between(const char *a, const char *b, long *out);
/* Whole years from birth ("YYYY-MM-DD" or "YYYY") to date; -1 on error. */
int fmt_age(const char *birth, const char *date, long *out);

#endif
