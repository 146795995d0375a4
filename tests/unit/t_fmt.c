/* t_fmt.c: localized dates, numbers, plural categories and durations in
 * en, ru, hy, exactly as fmt.c produces them (ru and hy group thousands
 * with U+00A0 NO-BREAK SPACE), and formatting from several threads. */
#include "harness.h"

#include "diag.h"
#include "fmt.h"
#include "sbuf.h"

#include <pthread.h>
#include <stdlib.h>

#define NBSP "\xC2\xA0"

static fmt_set *F;
static struct sbuf S = SBUF_INIT; /* the helpers' result, until the next call */

static const char *date(const char *lang, const char *iso)
{
	struct sbuf *sb = &S;

	sbuf_reset(sb);
	if (fmt_date(F, lang, iso, sb))
		return "(error)";
	return sb->buf;
}

static const char *number(const char *lang, const char *num)
{
	struct sbuf *sb = &S;

	sbuf_reset(sb);
	if (fmt_number(F, lang, num, sb))
		return "(error)";
	return sb->buf;
}

static const char *years(const char *lang, const char *num)
{
	struct sbuf *sb = &S;

	sbuf_reset(sb);
	if (fmt_duration_years(F, lang, num, sb))
		return "(error)";
	return sb->buf;
}

static const char *days(const char *lang, long n)
{
	struct sbuf *sb = &S;

	sbuf_reset(sb);
	if (fmt_duration_days(F, lang, n, sb))
		return "(error)";
	return sb->buf;
}

static const char *plural(const char *lang, const char *num)
{
	const char *c = fmt_plural(F, lang, num);
	return c ? c : "(null)";
}

/* Every thread formats the same dates and numbers many times; all must
 * agree with the single-threaded result. */
static void *worker(void *arg)
{
	struct sbuf sb = SBUF_INIT;
	long bad = 0;

	(void)arg;
	for (int i = 0; i < 300; i++) {
		sbuf_reset(&sb);
		fmt_date(F, "ru", "2020-12-13", &sb);
		bad += strcmp(sb.buf, "13\u00a0декабря 2020\u00a0г.") != 0;
		sbuf_reset(&sb);
		fmt_date(F, "hy", "2023-09-19", &sb);
		bad += strcmp(sb.buf, "19\u00a0սեպտեմբերի 2023\u00a0թ.") != 0;
		sbuf_reset(&sb);
		fmt_duration_days(F, "en", 2175, &sb);
		bad += strcmp(sb.buf, "2,175 days") != 0;
		bad += strcmp(fmt_plural(F, "ru", "22"), "few") != 0;
	}
	sbuf_release(&sb);
	return (void *)bad;
}

int main(void)
{
	struct diag d = DIAG_INIT;
	long n;

	F = fmt_new(&d);
	check(F != NULL);
	if (!F) {
		diag_print(&d, stderr);
		return check_done();
	}

	/* Full dates: British order in en, no comma in hy. */
	check_str(date("en", "2020-12-13"), "13\u00a0December 2020");
	check_str(date("ru", "2020-12-13"), "13\u00a0декабря 2020\u00a0г.");
	check_str(date("hy", "2020-12-13"), "13\u00a0դեկտեմբերի 2020\u00a0թ.");
	check_str(date("en", "2020-09-27"), "27\u00a0September 2020");
	check_str(date("ru", "2023-09-19"), "19\u00a0сентября 2023\u00a0г.");
	check_str(date("hy", "2020-11-10"), "10\u00a0նոյեմբերի 2020\u00a0թ.");
	check_str(date("en", "2020-02-29"), "29\u00a0February 2020");
	/* Month and year: nominative (standalone) month names. */
	check_str(date("en", "2020-12"), "December 2020");
	check_str(date("ru", "2020-12"), "декабрь 2020\u00a0г.");
	check_str(date("hy", "2020-12"), "դեկտեմբեր 2020\u00a0թ.");
	/* Year alone. */
	check_str(date("en", "1958"), "1958");
	check_str(date("ru", "1958"), "1958\u00a0г.");
	check_str(date("hy", "1958"), "1958\u00a0թ.");
	/* Not dates. */
	check_str(date("en", "2021-13-40"), "(error)");
	check_str(date("en", "2021-02-29"), "(error)");
	check_str(date("en", "2021-1-5"), "(error)");
	check_str(date("en", "13.12.2020"), "(error)");
	check_str(date("en", ""), "(error)");
	check_str(date("de", "2020-12-13"), "(error)");

	/* Numbers: grouping and decimal separators. */
	check_str(number("en", "2175"), "2,175");
	check_str(number("ru", "2175"), "2" NBSP "175");
	check_str(number("hy", "2175"), "2" NBSP "175");
	check_str(number("en", "0.5"), "0.5");
	check_str(number("ru", "0.5"), "0,5");
	check_str(number("hy", "12.25"), "12,25");
	check_str(number("ru", "1234567"), "1" NBSP "234" NBSP "567");
	check_str(number("en", "-3"), "-3");
	check_str(number("en", "1e5"), "(error)");
	check_str(number("en", "12,5"), "(error)");
	check_str(number("en", "."), "(error)");

	/* Plural categories (CLDR). */
	check_str(plural("ru", "1"), "one");
	check_str(plural("ru", "3"), "few");
	check_str(plural("ru", "20"), "many");
	check_str(plural("ru", "21"), "one");
	check_str(plural("ru", "11"), "many");
	check_str(plural("ru", "0"), "many");
	check_str(plural("ru", "1.5"), "other");
	check_str(plural("en", "1"), "one");
	check_str(plural("en", "2175"), "other");
	check_str(plural("en", "1.0"), "one"); /* printed "1" */
	check_str(plural("en", "1.5"), "other");
	check_str(plural("hy", "0"), "one");
	check_str(plural("hy", "1"), "one");
	check_str(plural("hy", "2"), "other");
	check_str(plural("hy", "x"), "(null)");
	check_int(fmt_plural_has(F, "ru", "few"), 1);
	check_int(fmt_plural_has(F, "ru", "two"), 0);
	check_int(fmt_plural_has(F, "en", "few"), 0);
	check_int(fmt_plural_has(F, "hy", "other"), 1);

	/* Sentences in years: 1 год, 3 года, 20 лет, 21 год. */
	check_str(years("ru", "1"), "1 год");
	/* A summary's total of many sentences. */
	check_str(years("en", "1110"), "1,110 years");
	check_str(years("ru", "1110"), "1\u00a0110 лет");
	check_str(years("en", "1e9"), "(error)");
	check_str(years("ru", "3"), "3 года");
	check_str(years("ru", "20"), "20 лет");
	check_str(years("ru", "21"), "21 год");
	check_str(years("ru", "0.5"), "6 месяцев");
	check_str(years("ru", "1.5"), "1 год 6 месяцев");
	check_str(years("en", "1"), "1 year");
	check_str(years("en", "15"), "15 years");
	check_str(years("en", "0.25"), "3 months");
	check_str(years("hy", "20"), "20 տարի");
	check_str(years("hy", "0.5"), "6 ամիս");
	check_str(years("en", "life"), "(error)");
	check_str(years("en", "-1"), "(error)");

	/* Days. */
	check_str(days("en", 2175), "2,175 days");
	check_str(days("ru", 2175), "2" NBSP "175 дней");
	check_str(days("hy", 2175), "2" NBSP "175 օր");
	check_str(days("ru", 1), "1 день");
	check_str(days("ru", 22), "22 дня");
	check_str(days("en", 1), "1 day");

	/* Day and age arithmetic. */
	check_int(fmt_days_between("2020-12-13", "2026-11-27", &n), 0);
	check_int(n, 2175);
	check_int(fmt_days_between("2020-12", "2026-11-27", &n), 0);
	check_int(n, 2187);
	check_int(fmt_days_between("2020", "2026-11-27", &n), -1);
	check_int(fmt_days_between("2020-12-13", "2026-11", &n), -1);
	check_int(fmt_age("1955-11-28", "2026-11-27", &n), 0);
	check_int(n, 70);
	check_int(fmt_age("1955-11-27", "2026-11-27", &n), 0);
	check_int(n, 71);
	check_int(fmt_age("1955", "2026-11-27", &n), 0);
	check_int(n, 70);
	check_int(fmt_age("2030-01-01", "2026-11-27", &n), -1);

	/* The set is shared by threads without locks. */
	{
		pthread_t t[4];
		long total = 0;
		for (int i = 0; i < 4; i++)
			pthread_create(&t[i], NULL, worker, NULL);
		for (int i = 0; i < 4; i++) {
			void *r;
			pthread_join(t[i], &r);
			total += (long)r;
		}
		check_int(total, 0);
	}

	fmt_free(F);
	diag_release(&d);
	sbuf_release(&S);
	return check_done();
}
