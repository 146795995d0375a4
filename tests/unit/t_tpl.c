/* t_tpl.c: the layouts. The real layouts load and pass the lint; texts
 * expand with formatted placeholders, fallbacks, marks, markup and
 * footnotes; conditions and rules choose the right variants and arguments;
 * the Russian texts agree with the person's sex;
 * and the deliberately broken layouts of tests/golden/layouts-broken/ give
 * the diagnostics written in their `expect` files (DOSSIER_BLESS=1 rewrites
 * those files from the actual output, to be reviewed before keeping). */
#include "harness.h"

#include "diag.h"
#include "sbuf.h"
#include "tpl.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBSP "\xC2\xA0"

/* Facts as "name=value" pairs. */
struct facts {
	const char *kv[48];
};

static const char *get(void *ctx, const char *name)
{
	struct facts *f = ctx;
	size_t n = strlen(name);

	for (size_t i = 0; i < ARRAY_SIZE(f->kv) && f->kv[i]; i++)
		if (!strncmp(f->kv[i], name, n) && f->kv[i][n] == '=')
			return f->kv[i] + n + 1;
	return NULL;
}

static tpl_set *S;
static struct diag D = DIAG_INIT;
static struct sbuf T = SBUF_INIT;

/* The plain text of key in lang for the facts, or "(error)". */
static const char *text(const char *lang, const char *key, struct facts *fx)
{
	struct tpl_facts f = { get, fx };
	struct tpl_spans sp = TPL_SPANS_INIT;
	int r = tpl_expand(S, lang, key, &f, NULL, &sp, &D);

	sbuf_reset(&T);
	if (r < 0)
		sbuf_addstr(&T, "(error)");
	else
		tpl_spans_text(&sp, &T);
	tpl_spans_release(&sp);
	return T.buf;
}

static const char *rules(struct facts *fx)
{
	struct tpl_facts f = { get, fx };
	const char **ids;
	size_t n = tpl_rules(S, &f, &ids);

	sbuf_reset(&T);
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&T, "%s%s", i ? " " : "", ids[i]);
	free(ids);
	return T.buf;
}

static int cond(const char *expr, struct facts *fx)
{
	struct tpl_facts f = { get, fx };
	return tpl_cond(S, expr, &f, &D);
}

static void test_load_and_lint(void)
{
	struct diag d = DIAG_INIT;

	check_int(tpl_lint(S, &d), 0);
	check_int(d.nerrors, 0);
	check_int(d.nwarnings, 0);
	if (d.n)
		diag_print(&d, stderr);
	diag_release(&d);
	check_int(tpl_nlangs(S), 3);
	check_str(tpl_lang(S, 0), "en");
	check_str(tpl_lang(S, 2), "hy");
	check_int(tpl_has(S, "hy", "arg.hostage"), 1);
	check_int(tpl_has(S, "hy", "arg.nothing"), 0);
	/* Every key the composer needs is in every language. */
	for (size_t i = 0; tpl_required_keys[i]; i++)
		for (size_t l = 0; l < tpl_nlangs(S); l++)
			check(tpl_has(S, tpl_lang(S, l), tpl_required_keys[i]));
}

static void test_conditions(void)
{
	struct facts f = { { "category=pow", "status=on_trial",
			     "detained_on=2020-12-13", "health_ru=болен",
			     "sentence_years=15", NULL } };

	check_int(cond("category = pow", &f), 1);
	check_int(cond("category != pow", &f), 0);
	check_int(cond("category = civilian or status = on_trial", &f), 1);
	check_int(cond("category = civilian or status = held and health", &f), 0);
	check_int(cond("(category = civilian or status = on_trial) and health", &f), 1);
	check_int(cond("status in (awaiting_trial, on_trial, convicted)", &f), 1);
	check_int(cond("status in (held)", &f), 0);
	check_int(cond("health", &f), 1); /* any language */
	check_int(cond("not health", &f), 0);
	check_int(cond("!charges", &f), 1);
	check_int(cond("charges = x", &f), 0);
	check_int(cond("charges != x", &f), 1);
	check_int(cond("detained_on >= 2020-09 and detained_on < 2021", &f), 1);
	check_int(cond("detained_on < 2020-12-13", &f), 0);
	check_int(cond("detained_on <= 2020-12-13", &f), 1);
	check_int(cond("sentence_years > 9", &f), 1); /* numerically */
	check_int(cond("sentence_years >= 20", &f), 0);
	check_int(cond("category = \"pow\"", &f), 1);
	check_int(D.nerrors, 0);
	check_int(cond("category =", &f), -1);
	check_int(cond("(category = pow", &f), -1);
	check_int(cond("category = pow pow", &f), -1);
	check_int(cond("", &f), -1);
	check_int(D.nerrors, 4);
	diag_clear(&D);
}

static void test_formats(void)
{
	struct facts f = { { "category=pow", "status=convicted",
			     "detained_on=2020-12-13", "as_of=2026-11-27",
			     "days_detained=2175", "birth_date=2005-03-01",
			     "age=21", "sentence_years=20", "acknowledged=no",
			     "id=r-7", "page=2", "pages=5", NULL } };

	check_str(text("en", "facts.duration", &f), "2,175 days as of 27\u00a0November 2026");
	check_str(text("ru", "facts.duration", &f),
		  "2" NBSP "175 дней по состоянию на 27\u00a0ноября 2026\u00a0г.");
	check_str(text("hy", "facts.duration", &f),
		  "2" NBSP "175 օր՝ 27\u00a0նոյեմբերի 2026\u00a0թ. դրությամբ");
	check_str(text("ru", "identity.birth_date", &f), "1\u00a0марта 2005\u00a0г. (21 год)");
	f.kv[6] = "age=3";
	check_str(text("ru", "identity.birth_date", &f), "1\u00a0марта 2005\u00a0г. (3 года)");
	f.kv[6] = "age=20";
	check_str(text("ru", "identity.birth_date", &f), "1\u00a0марта 2005\u00a0г. (20 лет)");
	check_str(text("en", "identity.birth_date", &f), "1\u00a0March 2005 (age 20)");
	check_str(text("hy", "identity.birth_date", &f), "1\u00a0մարտի 2005\u00a0թ. (20 տարեկան)");
	check_str(text("ru", "facts.sentence", &f), "20 лет лишения свободы");
	check_str(text("en", "facts.sentence", &f), "20 years of imprisonment");
	check_str(text("hy", "facts.sentence", &f), "ազատազրկում 20 տարի ժամկետով");
	f.kv[7] = "sentence_years=life";
	check_str(text("ru", "facts.sentence", &f), "пожизненное лишение свободы");
	f.kv[7] = "sentence_years=0.5";
	check_str(text("ru", "facts.sentence", &f), "6 месяцев лишения свободы");
	check_str(text("en", "identity.status", &f), "convicted");
	check_str(text("ru", "facts.acknowledged", &f), "нет");
	check_str(text("hy", "identity.category", &f), "ռազմագերի");
	check_str(text("en", "doc.footer.page", &f), "Page 2 of 5");
	check_str(text("ru", "doc.footer.page", &f), "Страница 2 из 5");
	check_str(text("hy", "doc.footer.record", &f), "Տեղեկանք №" NBSP "r-7");
	check_str(text("en", "doc.footer.record", &f), "Ref. r-7");
	check_str(text("en", "doc.as_of", &f), "Facts as of 27\u00a0November 2026");
	/* Variants: missing people were last seen, not detained. */
	check_str(text("en", "facts.detained.label", &f), "Detained");
	f.kv[0] = "category=missing";
	check_str(text("en", "facts.detained.label", &f), "Detained or last seen");
	/* Found in detention: released and accounted for; fate unknown: disclosed. */
	check_str(text("en", "requests.release", &f),
		  "to inform the family of this person’s detention and whereabouts, and to release this person without delay");
	f.kv[1] = "status=missing";
	check_str(text("en", "requests.release", &f),
		  "to disclose the fate and whereabouts of this person and to inform the family[0]");
	/* A status with no request: the text is empty. */
	f.kv[1] = "status=released";
	f.kv[0] = "category=pow";
	check_str(text("en", "requests.release", &f), "");
	/* A value its format cannot take is an error at the layout line. */
	f.kv[2] = "detained_on=2020-13-01";
	check_int(D.nerrors, 0);
	check_str(text("en", "facts.detained", &f), "(error)");
	check_int(D.nerrors, 1);
	check(D.n == 1 && D.v[0].file && strstr(D.v[0].file, "layouts/en/brief.lay") &&
	      D.v[0].line > 0 && strstr(D.v[0].msg, "is not a date"));
	diag_clear(&D);
	check_str(text("en", "no.such.key", &f), "(error)");
	check_str(text("de", "doc.title", &f), "(error)");
	check_int(D.nerrors, 2);
	diag_clear(&D);
}

static void test_fallbacks(void)
{
	struct facts f = { { "circumstances_ru=Взят в плен.", "name_hy=Վահե Ծատուրյան",
			     "detained_place_en=Hadrut", "detained_on=2020-11",
			     "url=https://example.org/a", NULL } };
	struct tpl_facts tf = { get, &f };
	struct tpl_spans sp = TPL_SPANS_INIT;
	char *nm;
	int how;
	const char *from;

	/* A localized field from another language, with the mark. */
	check_int(tpl_expand(S, "en", "circumstances", &tf, NULL, &sp, &D), 3);
	check(sp.n == 3 && !strcmp(sp.v[0].text, "Взят в плен.") &&
	      sp.v[0].style == TPL_FALLBACK);
	check(sp.n == 3 && !strcmp(sp.v[2].text, "[in Russian in the source]") &&
	      sp.v[2].style == (TPL_MARK | TPL_ITALIC));
	tpl_spans_release(&sp);
	check_str(text("ru", "circumstances", &f), "Взят в плен.");
	check_str(text("hy", "facts.detained", &f),
		  "նոյեմբեր 2020\u00a0թ., Hadrut [սկզբնաղբյուրում՝ անգլերեն]");

	/* Names: transliterated with a mark, or as written in their script. */
	check_str(text("en", "identity.name", &f), "Vahe Tsaturyan (transliterated)");
	check_str(text("ru", "identity.name", &f), "Ваге Цатурян (транслитерация)");
	check_str(text("hy", "identity.name", &f), "Վահե Ծատուրյան");
	nm = tpl_name(S, "ru", &tf, &how, &from);
	check_str(nm, "Ваге Цатурян");
	check_int(how, 1);
	check_str(from, "hy");
	free(nm);
	f.kv[1] = "name_en=Hayk Vardanyan";
	check_str(text("hy", "identity.name", &f), "Հայկ Վարդանյան (տառադարձված)");
	check_str(text("ru", "identity.name", &f), "Айк Варданян (транслитерация)");
	nm = tpl_name(S, "hy", &tf, &how, &from);
	check_str(nm, "Հայկ Վարդանյան");
	check_int(how, 1);
	check_str(from, "en");
	free(nm);
	/* Into Armenian from Russian usage when only Cyrillic is given. */
	f.kv[1] = "name_ru=Геворк Саакян";
	check_str(text("hy", "identity.name", &f), "Գևորգ Սահակյան (տառադարձված)");
	nm = tpl_name(S, "hy", &tf, &how, &from);
	check_int(how, 1);
	check_str(from, "ru");
	free(nm);
	f.kv[1] = "x=y";
	check(tpl_name(S, "en", &tf, &how, &from) == NULL);

	/* A link. */
	check_int(tpl_expand(S, "en", "sources.item", &tf, NULL, &sp, &D), 1);
	check(sp.n == 1 && sp.v[0].uri && !strcmp(sp.v[0].uri, "https://example.org/a") &&
	      !strcmp(sp.v[0].text, "https://example.org/a"));
	tpl_spans_release(&sp);
}

static void test_rules(void)
{
	struct facts f = { { NULL } };
	static const struct {
		const char *category, *status, *detained_on, *ack, *health, *want;
	} cases[] = {
		{ "pow", "held", "2020-11-02", "yes", NULL,
		  "pow-release pow-status trilateral ep-2021 icj-2021 ep-2025 treatment" },
		{ "pow", "convicted", "2020-12-13", "yes", "sick",
		  "pow-release pow-119 pow-status trilateral ep-2021 icj-2021 ep-2025 fair-trial pow-trial treatment health" },
		{ "pow", "held", "2023-09-20", "no", NULL,
		  "pow-release pow-status unacknowledged trilateral ep-2025 treatment" },
		{ "civilian", "held", "2020-10-20", "unknown", NULL,
		  "civilian trilateral ep-2021 icj-2021 ep-2025 treatment" },
		{ "civilian", "awaiting_trial", "2020-12", NULL, NULL,
		  "civilian trilateral ep-2021 icj-2021 ep-2025 fair-trial treatment" },
		{ "hostage", "on_trial", "2023-09-28", "yes", NULL,
		  "hostage ep-2025 fair-trial treatment" },
		{ "political", "convicted", "2023-09-29", "yes", "heart",
		  "political ep-2025 fair-trial treatment health" },
		{ "political", "on_trial", "2020-12-01", "yes", NULL,
		  "political icj-2021 ep-2025 fair-trial treatment" },
		{ "missing", "missing", "2020-10-15", "no", NULL,
		  "missing unacknowledged trilateral" },
		{ "pow", "missing", "2020-10-15", "unknown", NULL,
		  "missing trilateral" },
		{ "pow", "released", "2020-11-01", "yes", "sick", "released" },
		{ "civilian", "deceased", "2020-11-01", "yes", NULL, "deceased trilateral" },
	};
	char cat[32], st[32], det[32], ack[32], h[32];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t k = 0;
		snprintf(cat, sizeof(cat), "category=%s", cases[i].category);
		snprintf(st, sizeof(st), "status=%s", cases[i].status);
		snprintf(det, sizeof(det), "detained_on=%s", cases[i].detained_on);
		f.kv[k++] = "as_of=2026-11-27";
		f.kv[k++] = cat;
		f.kv[k++] = st;
		f.kv[k++] = det;
		if (cases[i].ack) {
			snprintf(ack, sizeof(ack), "acknowledged=%s", cases[i].ack);
			f.kv[k++] = ack;
		}
		if (cases[i].health) {
			snprintf(h, sizeof(h), "health_hy=%s", cases[i].health);
			f.kv[k++] = h;
		}
		f.kv[k] = NULL;
		check_str(rules(&f), cases[i].want);
	}
	{
		size_t n;
		const char *const *keys = tpl_rule_cites(S, "hostage", &n);
		check_int(n, 4);
		check(keys && !strcmp(keys[0], "cihl-96") && !strcmp(keys[3], "cihl-128"));
		check(tpl_rule_cites(S, "nothing", &n) == NULL);
	}
}

/* The footnotes of a whole set of arguments agree across languages, and
 * their references read as citations.lay says. */
static void test_notes(void)
{
	struct facts f = { { "category=pow", "status=convicted",
			     "detained_on=2020-12-13", "acknowledged=no",
			     "health_en=diabetes", NULL } };
	struct tpl_facts tf = { get, &f };
	struct tpl_notes notes[3] = { TPL_NOTES_INIT, TPL_NOTES_INIT, TPL_NOTES_INIT };
	const char **ids;
	size_t n = tpl_rules(S, &tf, &ids);
	struct tpl_spans sp = TPL_SPANS_INIT;
	int bad = 0;

	check(n >= 8);
	for (size_t l = 0; l < 3; l++) {
		for (size_t i = 0; i < n; i++)
			bad += tpl_expandf(S, tpl_lang(S, l), &tf, &notes[l], &sp, &D,
					   "arg.%s", ids[i]) <= 0;
		bad += tpl_expand(S, tpl_lang(S, l), "requests.icrc", &tf, &notes[l],
				  &sp, &D) <= 0;
	}
	check_int(bad, 0);
	check(notes[0].n > 20);
	check_int(notes[1].n, notes[0].n);
	check_int(notes[2].n, notes[0].n);
	for (size_t k = 0; k < notes[0].n; k++) {
		check_str(notes[1].keys[k], notes[0].keys[k]);
		check_str(notes[2].keys[k], notes[0].keys[k]);
	}
	check_str(notes[0].keys[0], "gc3-118");
	/* A repeated citation keeps its number. */
	tpl_spans_release(&sp);
	tpl_expand(S, "en", "requests.icrc", &tf, &notes[0], &sp, &D);
	check(sp.n == 2 && sp.v[1].cite && !strcmp(sp.v[1].cite, "cihl-124") &&
	      sp.v[1].note == (int)notes[0].n && !strcmp(sp.v[0].text, "to grant the International Committee of the Red Cross regular access to this person"));
	tpl_spans_release(&sp);

	tpl_citation(S, "en", "gc3-118", &sp, &D);
	tpl_spans_text(&sp, &T);
	tpl_spans_release(&sp);
	sbuf_reset(&T);
	tpl_citation(S, "en", "gc3-118", &sp, &D);
	tpl_spans_text(&sp, &T);
	check_str(T.buf, "Geneva Convention (III) relative to the Treatment of Prisoners of War, 12" NBSP "August 1949, Article" NBSP "118(1).");
	tpl_spans_release(&sp);
	sbuf_reset(&T);
	tpl_citation(S, "ru", "cihl-99", &sp, &D);
	tpl_spans_text(&sp, &T);
	check_str(T.buf, "МККК, «Обычное международное гуманитарное право», том I: Нормы (2005), норма" NBSP "99.");
	/* A title in «» is not also set in italics. */
	for (size_t i = 0; i < sp.n; i++)
		check(!(sp.v[i].style & TPL_ITALIC));
	tpl_spans_release(&sp);
	check_int(D.nerrors, 0);
	check_int(tpl_citation(S, "en", "iccpr-7", &sp, &D), -1);
	diag_clear(&D);
	for (size_t l = 0; l < 3; l++)
		tpl_notes_release(&notes[l]);
	free(ids);
}

/* The summary report: figures with plurals, groups that appear only
 * when the roster has people in them, facts of context by date, rows of
 * the tables and charts. */
static void test_summary(void)
{
	struct facts f = { { "as_of=2026-11-27", "total=14", "count_pow=3",
			     "count_hostage=0", "count_political=22",
			     "count_missing=1", "left_out=2", "fixed_sentences=5",
			     "sentence_total_years=87.5", "sentence_median_years=19",
			     "count_detained=11", "days_median=1175",
			     "days_max=2211", "quarter=4", "year=2020", NULL } };

	for (size_t i = 0; tpl_summary_keys[i]; i++)
		for (size_t l = 0; l < tpl_nlangs(S); l++)
			check(tpl_has(S, tpl_lang(S, l), tpl_summary_keys[i]));
	check_str(text("en", "summary.doc.total", &f), "14 people in this report");
	check_str(text("ru", "summary.doc.total", &f), "14 человек в отчёте");
	check_str(text("hy", "summary.doc.total", &f), "Զեկույցում՝ 14 անձ");
	check(!strncmp(text("ru", "summary.group.political", &f),
		       "В отчёте — 22 бывших должностных лица, задержанных по политическим мотивам.",
		       strlen("В отчёте — 22 бывших должностных лица, задержанных по политическим мотивам.")));
	check(!strncmp(text("en", "summary.group.missing", &f),
		       "1 person in this report had been reported missing;",
		       strlen("1 person in this report had been reported missing;")));
	/* No hostages in the roster: no heading, no paragraph. */
	check_str(text("en", "summary.group.hostage.heading", &f), "");
	check_str(text("ru", "summary.group.hostage", &f), "");
	check_str(text("en", "summary.group.pow.heading", &f), "Prisoners of war");
	check_str(text("en", "summary.figures.sentence_total", &f),
		  "87 years 6 months (5 sentences)");
	check_str(text("ru", "summary.figures.days_max", &f), "2" NBSP "211 дней");
	check_str(text("hy", "summary.figures.sentence_median", &f), "19 տարի");
	check_str(text("ru", "summary.left_out.intro", &f),
		  "2 записи не вошли в этот отчёт; каждая приведена с номером строки в списке и причиной.");
	check_str(text("en", "summary.chart.time.quarter", &f), "Q4 2020");
	check_str(text("ru", "summary.chart.time.quarter", &f), "IV" NBSP "кв." NBSP "2020" NBSP "г.");
	check_str(text("hy", "summary.chart.time.quarter", &f), "2020" NBSP "թ. IV եռամսյակ");
	/* Facts of context only once they had happened. */
	check(strstr(text("en", "summary.context.trials", &f), "On 5" NBSP "February 2026") != NULL);
	f.kv[0] = "as_of=2025-06-01";
	check(strstr(text("en", "summary.context.trials", &f), "5\u00a0February") == NULL);
	check(strstr(text("en", "summary.context.trials", &f), "17" NBSP "January 2025") != NULL);
	f.kv[0] = "as_of=2022-01-01";
	check_str(text("hy", "summary.context.trials", &f), "");
	check_str(text("ru", "summary.context.2023", &f), "");
	/* Without a roster to speak of: the optional figures are empty. */
	f.kv[6] = "left_out=0";
	f.kv[7] = "fixed_sentences=0";
	check_str(text("en", "summary.figures.sentence_total", &f), "");
	check_str(text("hy", "summary.left_out.heading", &f), "");
	check_int(D.nerrors, 0);
	diag_clear(&D);
}

/* Code points of a UTF-8 string; 0 on a bad sequence. */
static size_t cps(const char *s, uint32_t *max_letter)
{
	size_t n = 0;
	uint32_t cp;
	int k;

	for (; *s; s += k, n++) {
		if (!(k = utf8_decode((const unsigned char *)s, strlen(s), &cp)))
			return 0;
		/* Letters must be in Latin, Latin-1 or Latin Extended-A; the
		 * typographic punctuation of the English texts (’ “ ” –) is in
		 * General Punctuation, which the fonts have as well. */
		if (!(cp >= 0x2000 && cp <= 0x206F) && cp > *max_letter)
			*max_letter = cp;
	}
	return n;
}

/* The pseudo-locale: English texts accented and about 40% longer, record
 * values as they are. */
static void test_pseudo(void)
{
	struct facts f = { { "category=pow", "status=convicted",
			     "detained_on=2020-12-13", "as_of=2026-11-27",
			     "days_detained=2175", "name_en=Hayk Vardanyan",
			     "sentence_years=1.5", "circumstances_en=Taken near Hadrut.",
			     "acknowledged=no", "page=2", "pages=5", "id=r-7", NULL } };
	struct tpl_facts tf = { get, &f };
	struct tpl_spans sp = TPL_SPANS_INIT;
	struct tpl_notes notes = TPL_NOTES_INIT;
	uint32_t max = 0;
	char *en;
	int how;
	const char *from;
	char *nm;

	check_int(tpl_has_lang(S, "xx"), 1);
	check_int(tpl_has_lang(S, "de"), 0);
	check_int(tpl_has(S, "xx", "doc.title"), 1);
	check_int(tpl_ntexts(S, "xx"), tpl_ntexts(S, "en"));
	check_int(tpl_nlangs(S), 3); /* not a language to fall back on */
	check_str(text("xx", "identity.heading", &f), "Ŧĥê þêŕšöñ ~~~");
	check_str(text("xx", "identity.status.label", &f), "Šţåţûš ~~");
	/* Placeholders: the name and record texts unaccented, dates and
	 * numbers formatted as in English, then accented. */
	/* A text that is a placeholder alone has no words to lengthen. */
	check_str(text("xx", "identity.name", &f), "Hayk Vardanyan");
	check_str(text("xx", "facts.duration", &f),
		  "2,175 ðåýš åš öf 27\u00a0Ñövêmbêŕ 2026 ~~~~~~~~");
	check_str(text("xx", "circumstances", &f), "Taken near Hadrut.");
	check_str(text("xx", "facts.sentence", &f),
		  "1 ýêåŕ 6 möñţĥš öf îmþŕîšöñmêñţ ~~~~~~");
	check_str(text("xx", "identity.status", &f), "çöñvîçţêð ~~~");
	check_str(text("xx", "doc.footer.page", &f), "Þåĝê 2 öf 5 ~~~");
	nm = tpl_name(S, "xx", &tf, &how, &from);
	check_str(nm, "Hayk Vardanyan");
	free(nm);
	/* An empty variant stays empty. */
	f.kv[1] = "status=released";
	check_str(text("xx", "requests.release", &f), "");
	f.kv[1] = "status=convicted";
	/* Long texts: about 40% longer, in the fonts' Latin ranges, with
	 * the same footnotes as English. */
	for (size_t i = 0; i < 3; i++) {
		static const char *const keys[] = { "arg.pow-release", "arg.hostage",
						    "arg.icj-2021" };
		size_t a, b;
		double r;
		en = xstrdup(text("en", keys[i], &f));
		a = cps(en, &(uint32_t){ 0 });
		b = cps(text("xx", keys[i], &f), &max);
		r = a ? (double)b / (double)a : 0;
		check(r >= 1.3 && r <= 1.5);
		if (r < 1.3 || r > 1.5)
			fprintf(stderr, "%s: ratio %.2f\n", keys[i], r);
		free(en);
	}
	check(max > 0x7F && max <= 0x17F);
	/* The filler of a long text can break across lines. */
	check(strstr(text("xx", "arg.pow-release", &f), "~~~~~~~~ ~~~~~~~~ ~") != NULL);
	check(strstr(text("xx", "arg.pow-release", &f), "~~~~~~~~~") == NULL);
	check_int(tpl_expand(S, "xx", "arg.pow-release", &tf, &notes, &sp, &D), 9);
	check(notes.n == 4 && !strcmp(notes.keys[0], "gc3-118") &&
	      !strcmp(notes.keys[3], "cihl-128"));
	tpl_spans_release(&sp);
	tpl_notes_release(&notes);
	/* Citations too; a link keeps its address. */
	tpl_citation(S, "xx", "gc3-118", &sp, &D);
	sbuf_reset(&T);
	tpl_spans_text(&sp, &T);
	check(!strncmp(T.buf, "Ĝêñêvå Çöñvêñţîöñ (ÎÎÎ)", strlen("Ĝêñêvå Çöñvêñţîöñ (ÎÎÎ)")));
	tpl_spans_release(&sp);
	f.kv[5] = "url=https://example.org/a";
	check_int(tpl_expand(S, "xx", "sources.item", &tf, NULL, &sp, &D), 1);
	check(sp.n == 1 && !strcmp(sp.v[0].uri, "https://example.org/a"));
	tpl_spans_release(&sp);
	check_int(D.nerrors, 0);
	diag_clear(&D);
}

/* Markup, escapes and footnotes, on the small layouts of the broken cases. */
static void test_markup(void)
{
	struct diag d = DIAG_INIT;
	tpl_set *s = tpl_load("tests/golden/layouts-broken/base", &d);
	struct facts f = { { "id=r1", "status=convicted", NULL } };
	struct tpl_facts tf = { get, &f };
	struct tpl_spans sp = TPL_SPANS_INIT;
	struct tpl_notes notes = TPL_NOTES_INIT;

	check(s != NULL);
	if (!s) {
		diag_print(&d, stderr);
		diag_release(&d);
		return;
	}
	check_int(tpl_lint(s, &d), 0);
	check_int(d.nwarnings, 0);
	check_int(tpl_expand(s, "en", "test.markup", &tf, &notes, &sp, &d), 7);
	if (sp.n == 7) {
		check_str(sp.v[0].text, "text");
		check_int(sp.v[0].style, TPL_BOLD);
		check_str(sp.v[1].text, " and ");
		check_int(sp.v[1].style, 0);
		check_str(sp.v[2].text, "text");
		check_int(sp.v[2].style, TPL_ITALIC);
		check_str(sp.v[3].text, " ");
		check_str(sp.v[4].text, "text r1");
		check_str(sp.v[4].uri, "https://example.org/r1");
		check_str(sp.v[5].text, " {x}");
		check(sp.v[5].uri == NULL);
		check_str(sp.v[6].cite, "k-v");
		check_int(sp.v[6].note, 1);
	}
	tpl_spans_release(&sp);
	check_int(tpl_expand(s, "ru", "test.markup", &tf, &notes, &sp, &d), 7);
	check(sp.n == 7 && sp.v[6].cite && !strcmp(sp.v[6].cite, "k-v") &&
	      sp.v[6].note == 1 && !strcmp(sp.v[6].text, "1"));
	tpl_spans_release(&sp);
	check_str((tpl_expand(s, "hy", "test.status", &tf, NULL, &sp, &d),
		   sp.n ? sp.v[0].text : ""), "տեքստ convicted");
	tpl_spans_release(&sp);
	tpl_notes_release(&notes);
	tpl_free(s);
	diag_release(&d);
}

/* Copy base and a case over it into a fresh folder; load, lint, and
 * compare the findings with the case's expect file. */
static void test_case(const char *name)
{
	char tmp[] = "/tmp/t_tpl.XXXXXX";
	struct sbuf cmd = SBUF_INIT, got = SBUF_INIT, want = SBUF_INIT, path = SBUF_INIT;
	struct diag d = DIAG_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	tpl_set *s;

	if (!mkdtemp(tmp)) {
		check(!"mkdtemp");
		return;
	}
	sbuf_addf(&cmd, "mkdir -p %s/layouts && cp -R tests/golden/layouts-broken/base/. %s/layouts/ && "
		  "cp -R tests/golden/layouts-broken/%s/. %s/layouts/ && rm -f %s/layouts/expect",
		  tmp, tmp, name, tmp, tmp);
	check_int(system(cmd.buf), 0);
	sbuf_reset(&path);
	sbuf_addf(&path, "%s/layouts", tmp);
	s = tpl_load(path.buf, &d);
	if (s)
		tpl_lint(s, &d);
	tpl_free(s);
	fp = open_memstream(&buf, &len);
	diag_print(&d, fp);
	fclose(fp);
	/* Paths as a user would see them: layouts/... */
	for (char *p = buf; *p;) {
		char *q = strstr(p, tmp);
		if (!q) {
			sbuf_addstr(&got, p);
			break;
		}
		sbuf_add(&got, p, (size_t)(q - p));
		p = q + strlen(tmp) + 1;
	}
	free(buf);
	sbuf_reset(&path);
	sbuf_addf(&path, "tests/golden/layouts-broken/%s/expect", name);
	if (getenv("DOSSIER_BLESS")) {
		fp = fopen(path.buf, "w");
		if (fp) {
			fputs(got.buf, fp);
			fclose(fp);
		}
	}
	fp = fopen(path.buf, "r");
	if (fp) {
		char chunk[4096];
		size_t n;
		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			sbuf_add(&want, chunk, n);
		fclose(fp);
	}
	check(want.len > 0);
	if (strcmp(got.buf, want.buf))
		fprintf(stderr, "case %s: diagnostics differ\n--- want\n%s--- got\n%s",
			name, want.buf, got.buf);
	/* the findings are the golden ones; a broken case finds something,
	 * and its errors are those of the file (exit 1 of layouts check) */
	check(!strcmp(got.buf, want.buf));
	check(d.n > 0);
	check_int(d.nerrors > 0, strstr(want.buf, ": error: ") != NULL);
	sbuf_reset(&cmd);
	sbuf_addf(&cmd, "rm -rf %s", tmp);
	check_int(system(cmd.buf), 0);
	sbuf_release(&cmd);
	sbuf_release(&got);
	sbuf_release(&want);
	sbuf_release(&path);
	diag_release(&d);
}

/* A copy of the shipped layouts in a fresh folder, altered by a shell
 * command run inside it ($L is the copy); loaded into *d. Returns the set
 * or NULL, and the message of the first error in msg. */
static tpl_set *load_altered(const char *alter, struct diag *d, const char **msg)
{
	char tmp[] = "/tmp/t_tpl.XXXXXX";
	struct sbuf cmd = SBUF_INIT, path = SBUF_INIT;
	tpl_set *s;

	*msg = "";
	if (!mkdtemp(tmp)) {
		check(!"mkdtemp");
		return NULL;
	}
	sbuf_addf(&cmd, "cp -R layouts %s/layouts && cd %s && L=layouts && %s",
		  tmp, tmp, alter);
	check_int(system(cmd.buf), 0);
	sbuf_addf(&path, "%s/layouts", tmp);
	s = tpl_load(path.buf, d);
	if (d->n)
		*msg = d->v[0].msg;
	sbuf_reset(&cmd);
	sbuf_addf(&cmd, "rm -rf %s", tmp);
	check_int(system(cmd.buf), 0);
	sbuf_release(&cmd);
	sbuf_release(&path);
	return s;
}

/* Layouts cannot bring other files into a document: symlinks that lead
 * out of the folder, FIFOs and devices are refused (and nothing waits on a
 * FIFO); the load fails. */
static void test_refused(void)
{
	static const struct {
		const char *alter, *file, *msg;
	} cases[] = {
		{ "ln -sf /etc/passwd $L/en/brief.lay", "/layouts/en/brief.lay",
		  "refused: the file lies outside the layouts folder" },
		{ "mkfifo $L/ru/extra.lay", "/layouts/ru/extra.lay",
		  "refused: not a regular file (a FIFO)" },
		{ "mkdir $L/hy/dir.lay", "/layouts/hy/dir.lay",
		  "refused: not a regular file (a folder)" },
		{ "mv $L/hy hy && ln -s ../hy $L/hy", "/layouts/hy",
		  "refused: the folder lies outside the layouts folder" },
		{ "mv $L/translit tr && ln -s ../tr $L/translit", "/layouts/translit",
		  "refused: the folder lies outside the layouts folder" },
		{ "ln -sf /etc/passwd $L/translit/en-hy.txt", "/layouts/translit/en-hy.txt",
		  "refused: the file lies outside the layouts folder" },
		{ "ln -sf /dev/zero $L/rules.lay", "/layouts/rules.lay",
		  "refused: the file lies outside the layouts folder" },
		{ "truncate -s 5M $L/en/big.lay", "/layouts/en/big.lay",
		  "refused: larger than 4 MiB" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct diag d = DIAG_INIT;
		const char *msg;
		tpl_set *s = load_altered(cases[i].alter, &d, &msg);
		size_t fl = strlen(cases[i].file);

		check(s == NULL);
		check_int(d.nerrors, 1);
		check_str(msg, cases[i].msg);
		check(d.n && d.v[0].file && strlen(d.v[0].file) >= fl &&
		      !strcmp(d.v[0].file + strlen(d.v[0].file) - fl, cases[i].file));
		tpl_free(s);
		diag_release(&d);
	}
	/* A symlink that stays inside the folder is followed. */
	{
		struct diag d = DIAG_INIT;
		const char *msg;
		tpl_set *s = load_altered("mv $L/en/summary.lay $L/en/summary.txt && "
					  "ln -s summary.txt $L/en/summary.lay", &d, &msg);
		check(s != NULL);
		check_int(d.nerrors, 0);
		tpl_free(s);
		diag_release(&d);
	}
}

/* Without rules into Armenian, a name given only in Latin letters is
 * printed as written, with the mark of its script. */
static void test_no_rules(void)
{
	struct diag d = DIAG_INIT;
	const char *msg;
	tpl_set *s = load_altered("rm $L/translit/en-hy.txt $L/translit/ru-hy.txt", &d, &msg);
	struct facts fx = { { "name_en=Hayk Vardanyan", NULL } };
	struct tpl_facts f = { get, &fx };
	struct tpl_spans sp = TPL_SPANS_INIT;
	struct sbuf out = SBUF_INIT;

	check(s != NULL);
	if (s) {
		check_int(tpl_expand(s, "hy", "identity.name", &f, NULL, &sp, &d) >= 0, 1);
		tpl_spans_text(&sp, &out);
		check_str(out.buf, "Hayk Vardanyan (սկզբնաղբյուրում՝ լատինատառ)");
	}
	tpl_spans_release(&sp);
	sbuf_release(&out);
	tpl_free(s);
	diag_release(&d);
}

/* ---- select ------------------------------------------------------------- */

/* The small layouts of tests/golden/layouts-broken/base, with the lines
 * en, ru and hy (NULL: none) added at the end of each language's
 * brief.lay, from line 90 on; loaded, and linted when they load (the
 * findings in d). NULL when they do not load. */
static tpl_set *load_with(const char *en, const char *ru, const char *hy,
			  struct diag *d)
{
	const char *const add[] = { en, ru, hy }, *const lang[] = { "en", "ru", "hy" };
	char tmp[] = "/tmp/t_tpl.XXXXXX";
	struct sbuf cmd = SBUF_INIT;
	tpl_set *s;

	if (!mkdtemp(tmp)) {
		check(!"mkdtemp");
		return NULL;
	}
	sbuf_addf(&cmd, "cp -R tests/golden/layouts-broken/base/. %s/", tmp);
	check_int(system(cmd.buf), 0);
	for (size_t i = 0; i < 3; i++) {
		FILE *fp;
		if (!add[i])
			continue;
		sbuf_reset(&cmd);
		sbuf_addf(&cmd, "%s/%s/brief.lay", tmp, lang[i]);
		fp = fopen(cmd.buf, "a");
		check(fp != NULL);
		if (fp) {
			fprintf(fp, "%s\n", add[i]);
			fclose(fp);
		}
	}
	s = tpl_load(tmp, d);
	if (s)
		tpl_lint(s, d);
	sbuf_reset(&cmd);
	sbuf_addf(&cmd, "rm -rf %s", tmp);
	check_int(system(cmd.buf), 0);
	sbuf_release(&cmd);
	return s;
}

/* The column of needle in line (1-based): where a finding must point. */
static long col_of(const char *line, const char *needle)
{
	const char *p = strstr(line, needle);

	check(p != NULL);
	return p ? (long)(p - line) + 1 : -1;
}

/* Whether d has an error in LANG/brief.lay at line:col whose message
 * contains msg; prints the findings when not. */
static int has_error(const struct diag *d, const char *lang, long line,
		     long col, const char *msg)
{
	char file[32];

	snprintf(file, sizeof(file), "/%s/brief.lay", lang);
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_entry *e = &d->v[i];
		size_t fl = e->file ? strlen(e->file) : 0;
		if (e->level == DIAG_ERROR && fl >= strlen(file) &&
		    !strcmp(e->file + fl - strlen(file), file) &&
		    e->line == line && e->col == col && strstr(e->msg, msg))
			return 1;
	}
	fprintf(stderr, "no error %s:%ld:%ld: ...%s... among:\n", file, line, col, msg);
	diag_print(d, stderr);
	return 0;
}

static const char *text_in(tpl_set *s, const char *lang, const char *key,
			   struct facts *fx)
{
	tpl_set *save = S;
	const char *r;

	S = s;
	r = text(lang, key, fx);
	S = save;
	return r;
}

/* {sex, select, ...}: the branch of the value, else other; with plurals
 * and selects nested, # of the enclosing plural, empty branches and
 * spaces as plural takes them. */
static void test_select_expand(void)
{
#define DAYS_RU "{days_detained, plural, one {# день} few {# дня} many {# дней} other {# дня}}"
	static const char ru[] =
		"t.held: {sex, select, f {задержана} m {задержан} other {лицо задержано}}\n"
		"t.days: {sex, select, f {она провела " DAYS_RU "} other {" DAYS_RU "}}\n"
		"t.nested: {sex, select, f {{status, select, convicted {осуждена} other {задержана}}}\n"
		"    m {{status, select, convicted {осуждён} other {задержан}}} other {лицо}}\n"
		"t.hash: {days_detained, plural, one {# {sex, select, f {a} other {b}}} other {# c}}\n"
		"t.empty: [{sex, select, f {} other {x}}]\n"
		"t.lit: {sex, select, f {#1} other {#2}}\n"
		"t.space: [{ sex ,  select ,  f  { a }   m {b}other {c} }]";
	static const char en[] =
		"t.held: detained\n"
		"t.days: {days_detained, plural, one {# day} other {# days}}\n"
		"t.nested: {acknowledged, select, yes {acknowledged} other {not acknowledged}}";
	struct facts f = { { "sex=f", "days_detained=21", "status=convicted",
			     "acknowledged=yes", NULL } };
	struct diag d = DIAG_INIT;
	tpl_set *s = load_with(en, ru, NULL, &d);

	check(s != NULL);
	if (!s) {
		diag_print(&d, stderr);
		diag_release(&d);
		return;
	}
	check_str(text_in(s, "ru", "t.held", &f), "задержана");
	check_str(text_in(s, "ru", "t.days", &f), "она провела 21 день");
	check_str(text_in(s, "ru", "t.nested", &f), "осуждена");
	check_str(text_in(s, "ru", "t.hash", &f), "21 a"); /* 21: one */
	check_str(text_in(s, "ru", "t.empty", &f), "[]");
	/* Outside a plural, # is a character like any other. */
	check_str(text_in(s, "ru", "t.lit", &f), "#1");
	check_str(text_in(s, "ru", "t.space", &f), "[ a ]");
	f.kv[0] = "sex=m";
	f.kv[1] = "days_detained=5";
	f.kv[2] = "status=held";
	check_str(text_in(s, "ru", "t.held", &f), "задержан");
	check_str(text_in(s, "ru", "t.days", &f), "5 дней");
	check_str(text_in(s, "ru", "t.hash", &f), "5 c");
	check_str(text_in(s, "ru", "t.nested", &f), "задержан");
	check_str(text_in(s, "ru", "t.space", &f), "[b]");
	check_str(text_in(s, "ru", "t.empty", &f), "[x]");
	/* Unknown sex: the neutral branch; a value no branch names too. */
	f.kv[0] = "sex=";
	f.kv[1] = "days_detained=1";
	check_str(text_in(s, "ru", "t.held", &f), "лицо задержано");
	check_str(text_in(s, "ru", "t.nested", &f), "лицо");
	check_str(text_in(s, "ru", "t.hash", &f), "1 b");
	check_str(text_in(s, "ru", "t.space", &f), "[c]");
	f.kv[0] = "sex=x";
	check_str(text_in(s, "ru", "t.held", &f), "лицо задержано");
	f.kv[0] = "days_detained=1";
	f.kv[1] = "sex=f";
	check_str(text_in(s, "ru", "t.hash", &f), "1 a");
	/* The pseudo-locale accents the words of the branches, and
	 * lengthens by 40% of the longest ("not acknowledged"). */
	check_str(text_in(s, "en", "t.nested", &f), "acknowledged");
	check_str(text_in(s, "xx", "t.nested", &f), "åçķñöŵļêðĝêð ~~~~~~");
	f.kv[3] = "acknowledged=no";
	check_str(text_in(s, "en", "t.nested", &f), "not acknowledged");
	tpl_free(s);
	diag_release(&d);
#undef DAYS_RU
}

/* Malformed selects do not load: the first error of the text, at its
 * line and column, as for plurals. */
static void test_select_syntax(void)
{
	static const struct {
		const char *line, *at, *msg;
	} cases[] = {
		{ "t.x: {sex, select, f {a} m {b}}", "{sex",
		  "select of 'sex' has no 'other' branch" },
		{ "t.x: {sex, select, f {a} f {b} other {c}}", "f {b}",
		  "select of 'sex' has two branches 'f' (the first at 90:20)" },
		{ "t.x: {sex, select, f {a} other {b}", "{sex",
		  "missing '}' of the select of 'sex'" },
		{ "t.x: {sex, select, f {a other {b}}", "{sex",
		  "missing '}' of the select of 'sex'" },
		{ "t.x: {sex, select, f {a} other {b", "{b",
		  "missing '}' of the select branch 'other'" },
		{ "t.x: {sex, select, f {a} other {b}}} tail", "} tail",
		  "unexpected '}'" },
		{ "t.x: {sex, select, f a} other {b}}", "a}",
		  "expected '{' after the select value 'f'" },
		{ "t.x: {sex, select, {a} other {b}}", "{a}",
		  "expected a select value or '}'" },
		{ "t.x: {sex, select}", "}",
		  "expected ',' and select branches" },
		{ "t.x: {sex, selcet, f {a} other {b}}", "selcet",
		  "unknown format 'selcet' (date, number, plural, select, label, years, days)" },
		{ "t.x: {days_detained, plural, one {#} one {#} other {#}}", "one {#} other",
		  "plural of 'days_detained' has two branches 'one'" },
		{ "t.x: {sex, select, f {{days_detained, plural, one {#}}} other {b}}",
		  "{days_detained", "plural of 'days_detained' has no 'other' branch" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct diag d = DIAG_INIT;
		tpl_set *s = load_with(NULL, cases[i].line, NULL, &d);
		long col = col_of(cases[i].line, cases[i].at);

		check(s == NULL);
		check_int(d.nerrors, 1);
		check(has_error(&d, "ru", 90, col, cases[i].msg));
		tpl_free(s);
		diag_release(&d);
	}
	/* A select over continuation lines: the error on its own line. */
	{
		struct diag d = DIAG_INIT;
		tpl_set *s = load_with(NULL, "t.x:\n    {sex, select, f {a}\n      m {b} {c}}", NULL, &d);
		check(s == NULL);
		check(has_error(&d, "ru", 92, 13, "expected a select value or '}'"));
		tpl_free(s);
		diag_release(&d);
	}
}

/* What the lint says of selects: the field and, for a field with a fixed
 * set of values, the keys; a field used only to select is not compared
 * with the other languages, but what the branches print is, and every
 * branch must print the same placeholders and citations. */
static void test_select_lint(void)
{
	static const char same[] = "t.x: text";
	static const struct {
		const char *en, *ru, *at, *msg;
	} bad[] = {
		{ same, "t.x: {sexx, select, f {a} other {b}}", "{sexx",
		  "unknown field 'sexx'" },
		{ same, "t.x: {status, select, hled {a} other {b}}", "hled",
		  "unknown value 'hled' of 'status'; did you mean 'held'?" },
		{ same, "t.x: {category, select, pow {a} soldier {b} other {c}}", "soldier",
		  "unknown value 'soldier' of 'category' (pow, civilian, hostage, political, missing, other)" },
		{ same, "t.x: {total, select, other {b}}", "{total",
		  "field 'total' is a figure of the summary" },
		/* A field printed in one language is still compared. */
		{ "t.x: {acknowledged, label}", "t.x: {acknowledged, select, yes {a} other {b}}",
		  "t.x", "placeholders of 't.x' differ from en (line 90): here none; there acknowledged" },
		/* The fields of the branches count. */
		{ same, "t.x: {acknowledged, select, yes {{court}} other {суд {court}}}",
		  "t.x", "placeholders of 't.x' differ from en (line 90): here court; there none" },
		{ same, "t.x: {acknowledged, select, yes {[@k-v]} other {b[@k-v]}}",
		  "t.x", "citations of 't.x' differ from en (line 90): here k-v; there none" },
		/* Every branch prints the same placeholders and citations. */
		{ "t.x: {court}", "t.x: {acknowledged, select, yes {{court}} no {{court}} other {-}}",
		  "other {", "placeholders of branch 'other' of the select of 'acknowledged' differ from branch 'yes': here none; there court" },
		{ "t.x: a[@k-v]", "t.x: {acknowledged, select, yes {a[@k-v]} other {b[@k-v2]}}",
		  "other {", "citations of branch 'other' of the select of 'acknowledged' differ from branch 'yes': here k-v2; there k-v" },
	};
	static const struct {
		const char *en, *ru;
	} good[] = {
		/* Selector only: no difference. */
		{ same, "t.x: {acknowledged, select, yes {признано} no {не признано} other {неизвестно}}" },
		{ same, "t.x: {category, select, pow {a} civilian {b} other {{status, select, held {c} other {}}}}" },
		/* The same field and citations in every branch, and in en. */
		{ "t.x: {court}, [@k-v]", "t.x: {acknowledged, select, yes {{court}[@k-v]} other {{court} x [@k-v]}}" },
		/* Both languages select on different fields. */
		{ "t.x: {status, select, held {held} other {x}}", "t.x: {category, select, pow {p} other {x}}" },
		/* A select on a field without fixed values takes any key. */
		{ same, "t.x: {court, select, Supreme-Court {a} other {b}}" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct diag d = DIAG_INIT;
		tpl_set *s = load_with(bad[i].en, bad[i].ru, bad[i].en, &d);
		long col = col_of(bad[i].ru, bad[i].at);

		check(s != NULL);
		check_int(d.nerrors, 1);
		if (d.nerrors != 1)
			diag_print(&d, stderr);
		check(has_error(&d, "ru", 90, col, bad[i].msg));
		tpl_free(s);
		diag_release(&d);
	}
	/* The texts of every branch are checked (each unknown key). */
	{
		static const char ru[] = "t.x: {acknowledged, select, yes {[@nope]} other {[@nope]}}";
		struct diag d = DIAG_INIT;
		tpl_set *s = load_with(same, ru, same, &d);

		check(has_error(&d, "ru", 90, col_of(ru, "[@nope]} other"),
				"unknown citation key 'nope'"));
		check(has_error(&d, "ru", 90, col_of(ru, "[@nope]}}"),
				"unknown citation key 'nope'"));
		check(has_error(&d, "ru", 90, 1, "citations of 't.x' differ from en"));
		check_int(d.nerrors, 3);
		tpl_free(s);
		diag_release(&d);
	}
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		struct diag d = DIAG_INIT;
		tpl_set *s = load_with(good[i].en, good[i].ru, good[i].en, &d);

		check(s != NULL);
		check_int(d.nerrors, 0);
		check_int(d.nwarnings, 0);
		if (d.n)
			diag_print(&d, stderr);
		tpl_free(s);
		diag_release(&d);
	}
}

/* Which texts are used, the keys of a language, and missing texts as
 * warnings for the proof. */
static void test_used_and_missing(void)
{
	struct diag d = DIAG_INIT;
	const char *msg, *key;
	size_t i, n = 0, unused = 0;
	tpl_set *s;

	check_int(tpl_text_used(S, "facts.court"), 1);          /* required */
	check_int(tpl_text_used(S, "summary.doc.title"), 1);    /* summary */
	check_int(tpl_text_used(S, "arg.pow-release.title"), 1); /* a rule's */
	check_int(tpl_text_used(S, "arg.pow-release"), 1);
	check_int(tpl_text_used(S, "arg.pow-releasex"), 0);
	check_int(tpl_text_used(S, "arg.no-such-rule"), 0);
	check_int(tpl_text_used(S, "status.on_trial"), 1);      /* a label */
	check_int(tpl_text_used(S, "status.jailed"), 0);
	check_int(tpl_text_used(S, "status.on_trial.x"), 0);
	check_int(tpl_text_used(S, "extra.note"), 0);
	for (i = 0; (key = tpl_text_key(S, "en", i)); i++) {
		n++;
		unused += !tpl_text_used(S, key);
		check_int(tpl_has(S, "en", key), 1);
	}
	check_int(n, tpl_ntexts(S, "en"));
	check_int(unused, 0);  /* the shipped layouts print every text */
	check(tpl_text_key(S, "fr", 0) == NULL);

	/* A label deleted in hy, a text added everywhere: an error for
	 * render, a warning with TPL_LINT_MISSING_WARNS; the added text is
	 * unused. */
	s = load_altered("sed -i '/^identity.status.label:/d' $L/hy/brief.lay && "
			 "for l in en ru hy; do echo 'extra.note: x' >> $L/$l/brief.lay; done",
			 &d, &msg);
	check(s != NULL);
	if (s) {
		struct diag w = DIAG_INIT;
		check_int(tpl_lint(s, &d) > 0, 1);
		check_int(d.nerrors, 2);
		check_int(tpl_lint_opts(s, TPL_LINT_MISSING_WARNS, &w), 0);
		check_int(w.nerrors, 0);
		check_int(w.nwarnings, 2);
		check(w.n && strstr(w.v[0].msg, "'identity.status.label' is missing in hy"));
		check_int(tpl_has(s, "hy", "extra.note"), 1);
		check_int(tpl_text_used(s, "extra.note"), 0);
		diag_release(&w);
	}
	tpl_free(s);
	diag_release(&d);
}

/* ---- grammatical agreement in the shipped Russian layouts --------------- */

/* The texts that speak of the person select on `sex`: a woman gets the
 * feminine forms, a man the masculine ones, and a person whose sex is not
 * known (or a value no branch names) a neutral wording, never a masculine
 * one; the English texts of the same keys do not change with it. */

/* Does key in lang, for the facts with sex set to sex, contain want? */
static int says(const char *key, const char *sex, struct facts *f,
		const char *want)
{
	char kv[16];
	const char *t;

	snprintf(kv, sizeof kv, "sex=%s", sex);
	f->kv[0] = kv;
	t = text("ru", key, f);
	if (strstr(t, want))
		return 1;
	fprintf(stderr, "  ru %s, sex=%s: \"%s\" lacks \"%s\"\n", key, sex, t, want);
	return 0;
}

static int lacks(const char *key, const char *sex, struct facts *f,
		 const char *word)
{
	char kv[16];
	const char *t;

	snprintf(kv, sizeof kv, "sex=%s", sex);
	f->kv[0] = kv;
	t = text("ru", key, f);
	if (!strstr(t, word))
		return 1;
	fprintf(stderr, "  ru %s, sex=%s: \"%s\" says \"%s\"\n", key, sex, t, word);
	return 0;
}

static void test_ru_subtitles(void)
{
	struct facts f = { { "sex=", "category=pow", "status=missing",
			     "detained_on=2020-10-22", NULL } };

	check(says("doc.subtitle", "f", &f, "Пропавшая без вести:"));
	check(says("doc.subtitle", "m", &f, "Пропавший без вести:"));
	check(says("doc.subtitle", "", &f, "Лицо, пропавшее без вести:"));
	check(says("doc.subtitle", "x", &f, "Лицо, пропавшее без вести:"));
	f.kv[2] = "status=released";
	check(says("doc.subtitle", "f", &f, "Ранее содержалась под стражей"));
	check(says("doc.subtitle", "m", &f, "Ранее содержался под стражей"));
	check(says("doc.subtitle", "", &f, "Лицо, ранее содержавшееся под стражей"));
	f.kv[1] = "category=missing";
	f.kv[2] = "status=deceased";
	check(says("doc.subtitle", "f", &f, "о смерти которой"));
	check(says("doc.subtitle", "m", &f, "о смерти которого"));
	/* English has no select: the same words for every value. */
	f.kv[0] = "sex=f";
	check_str(text("en", "doc.subtitle", &f),
		  "Reported missing, now known to have died: the facts and the duty to account");
	f.kv[0] = "sex=m";
	check_str(text("en", "doc.subtitle", &f),
		  "Reported missing, now known to have died: the facts and the duty to account");
}

static void test_ru_arguments(void)
{
	struct facts f = { { "sex=", "category=pow", "status=held",
			     "detained_on=2020-12-13", "as_of=2026-11-27", NULL } };

	check(says("arg.pow-release", "f", &f,
		   "Эта военнопленная взята в плен 13"));
	check(says("arg.pow-release", "f", &f, "репатриировать эту военнопленную возникла"));
	check(says("arg.pow-release", "m", &f,
		   "Этот военнопленный взят в плен 13"));
	check(says("arg.pow-release", "", &f, "Это лицо взято в плен"));
	check(says("arg.pow-release", "", &f, "репатриировать это лицо возникла"));
	check(lacks("arg.pow-release", "f", &f, "взят в плен"));
	check(lacks("arg.pow-release", "", &f, "взят в плен"));
	check(lacks("arg.pow-release", "", &f, "военнопленн" "ый взят"));

	f.kv[2] = "status=released";
	check(says("arg.released", "f", &f, "Эта военнопленная освобождена."));
	check(says("arg.released", "m", &f, "Этот военнопленный освобождён."));
	check(says("arg.released", "", &f, "Это лицо освобождено."));
	check(lacks("arg.released", "f", &f, "подлежал "));
	check(lacks("arg.released", "", &f, "освобождён"));
	f.kv[1] = "category=hostage";
	check(says("arg.released", "f", &f, "имела право"));
	check(says("arg.released", "f", &f, "была защищена"));
	check(says("arg.released", "m", &f, "был защищён"));
	check(says("arg.released", "", &f, "было защищено"));

	f.kv[1] = "category=pow";
	f.kv[2] = "status=convicted";
	f.kv[5] = "verdict_date=2021-07-05";
	f.kv[6] = "sentence_years=6";
	f.kv[7] = "sentence_end=2027-07-05";
	f.kv[8] = NULL;
	check(says("arg.pow-119", "f", &f, "эта военнопленная подлежит освобождению"));
	check(says("arg.pow-119", "m", &f, "этот военнопленный подлежит освобождению"));
	check(says("arg.pow-119", "", &f, "это лицо подлежит освобождению"));
	/* The rule itself speaks of prisoners of war in the plural. */
	check(says("arg.pow-119", "f", &f, "военнопленные не могут быть осуждены"));
	check(lacks("arg.pow-119", "f", &f, "осуждён"));

	f.kv[1] = "category=missing";
	f.kv[2] = "status=held";
	f.kv[5] = NULL;
	check(says("arg.missing-found", "f", &f, "что она содержится под стражей"));
	check(says("arg.missing-found", "m", &f, "что он содержится под стражей"));
	check(says("arg.missing-found", "", &f, "это лицо содержалось под стражей"));
}

/* Labels print whatever the sex: they must be neutral. */
static void test_ru_labels(void)
{
	struct facts f = { { "sex=f", "category=hostage", NULL } };

	check_str(text("ru", "identity.category", &f),
		  "лицо, удерживаемое в заложниках (по определению Европейского парламента)");
	f.kv[1] = "category=pow";
	check_str(text("ru", "identity.category", &f), "лицо, имеющее статус военнопленного");
	f.kv[1] = "status=convicted";
	check_str(text("ru", "identity.status", &f), "вынесен обвинительный приговор");
}

int main(void)
{
	static const char *const cases[] = {
		"missing-text", "condition-differs", "placeholder-differs",
		"citations", "syntax", "paraphrase", "quotation", "plural",
		"rules", "translit-bad", "bad-utf8", "summary-fields",
		"summary-missing", "format-differs",
	};

	S = tpl_load("layouts", &D);
	check(S != NULL);
	if (!S) {
		diag_print(&D, stderr);
		return check_done();
	}
	{
		/* A folder that is not there: NULL and errors, no crash. */
		struct diag d = DIAG_INIT;
		check(tpl_load("tests/golden/layouts-broken/no-such-folder", &d) == NULL);
		check(d.nerrors >= 3);
		diag_release(&d);
	}
	test_load_and_lint();
	test_conditions();
	test_formats();
	test_fallbacks();
	test_rules();
	test_notes();
	test_summary();
	test_pseudo();
	test_markup();
	test_refused();
	test_no_rules();
	test_used_and_missing();
	test_select_expand();
	test_select_syntax();
	test_select_lint();
	test_ru_subtitles();
	test_ru_arguments();
	test_ru_labels();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		test_case(cases[i]);
	tpl_free(S);
	diag_release(&D);
	sbuf_release(&T);
	return check_done();
}
