/* t_compose.c: which legal arguments a brief makes, by citation key, for
 * every category and status, in every language; the same footnote
 * numbering in all three; and every brief typesets (no missing glyph).
 * The expectations are written here from the law, not read from
 * layouts/rules.lay, so a wrong rule fails the test. */
#include "harness.h"
#include "compose.h"
#include "font.h"
#include "typeset.h"
#include "util.h"

#include <stdlib.h>

static const char header[] =
	"id,category,name_en,name_ru,name_hy,birth_date,detained_on,status,"
	"acknowledged,sentence_years,health_en,circumstances_ru";

static void make_row(struct roster_row *row, const char *line, long lineno)
{
	const char *p = line;
	memset(row, 0, sizeof(*row));
	row->line = lineno;
	for (;;) {
		size_t n = strcspn(p, "|");
		ALLOC_GROW(row->v, row->n + 1, row->alloc);
		row->v[row->n].s = xstrndup(p, n);
		row->v[row->n].len = n;
		row->v[row->n].line = lineno;
		row->v[row->n].col = 1;
		row->n++;
		if (!p[n])
			break;
		p += n + 1;
	}
}

static int make_record(const char *line, struct record *rec)
{
	struct roster_row h, row;
	struct diag d = DIAG_INIT;
	struct record_ctx ctx = { "t.csv", { 2026, 11, 27 }, NULL };
	char *hdr = xstrdup(header), *p;
	record_schema *s;
	int rc;

	for (p = hdr; *p; p++)
		if (*p == ',')
			*p = '|';
	make_row(&h, hdr, 1);
	make_row(&row, line, 2);
	s = record_schema_new(&h, "t.csv", &d);
	rc = record_from_row(s, &row, &ctx, rec, &d);
	if (rc < 0)
		diag_print(&d, stderr);
	record_schema_free(s);
	roster_row_release(&h);
	roster_row_release(&row);
	diag_release(&d);
	free(hdr);
	return rc;
}

static int has_key(const char *cited, const char *key)
{
	size_t n = strlen(key);
	const char *p = cited;
	while ((p = strstr(p, key))) {
		if ((p == cited || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

struct expect {
	const char *category, *status, *detained, *ack, *health;
	const char *must;     /* keys that must be cited, space-separated */
	const char *mustnot;  /* keys that must not be */
};

static const char *const detained_statuses[] = { "held", "awaiting_trial", "on_trial", "convicted" };

static const struct expect per_category[] = {
	/* category, (status filled in), detained, ack, health, must, must not */
	{ "pow", NULL, "2020-12-13", "yes", "", "gc3-118 gc3-4 gc3-5 trilateral-8 icj-2021-12-07 gc3-13",
	  "gc4-4 cihl-96 iccpr-9 cihl-117" },
	{ "civilian", NULL, "2020-11-01", "yes", "", "gc4-4 gc4-27 cihl-99 trilateral-8 cihl-87",
	  "gc3-118 gc3-4 cihl-96 iccpr-9" },
	{ "hostage", NULL, "2021-03-04", "yes", "", "cihl-96 gc4-34 cihl-128",
	  "gc3-118 gc3-4 iccpr-9 trilateral-8" },
	{ "political", NULL, "2023-10-03", "yes", "", "iccpr-9 cihl-99 echr-5",
	  "gc3-118 cihl-96 trilateral-8 icj-2021-12-07" },
	{ "missing", NULL, "2020-10", "unknown", "", "cihl-117 cihl-99 cihl-123",
	  "gc3-118 cihl-96 iccpr-9" },
};

static const struct expect specials[] = {
	/* Released: the obligations that applied, no argument for release. */
	{ "pow", "released", "2020-12-13", "yes", "", "gc3-118 gc3-13",
	  "gc3-4 trilateral-8 iccpr-14 cihl-117 cihl-96 cihl-124" },
	{ "civilian", "released", "2023-09-29", "yes", "", "gc4-27 cihl-99", "gc4-4 gc4-132 cihl-124" },
	/* Civilians: the internment articles only when simply held. */
	{ "civilian", "held", "2020-11-01", "yes", "", "gc4-132 gc4-133 gc4-134", "iccpr-14" },
	{ "civilian", "convicted", "2020-11-01", "yes", "", "iccpr-14 gc4-27", "gc4-132 gc4-133 gc4-134" },
	{ "hostage", "deceased", "2021-01-10", "no", "", "", "cihl-96 gc3-118 cihl-123" },
	/* Status missing: the duty to account, whatever the category. */
	{ "pow", "missing", "2020-10-20", "unknown", "", "cihl-117", "iccpr-14" },
	/* Not acknowledged: recording and secrecy. */
	{ "pow", "held", "2020-11-09", "no", "", "cihl-123 gc3-70 cihl-98", "" },
	/* Health noted: medical care. */
	{ "civilian", "held", "2023-09-29", "yes", "Diabetes.", "cihl-118", "trilateral-8" },
	/* Held, not tried: no fair-trial argument. */
	{ "pow", "held", "2020-12-13", "yes", "", "", "iccpr-14 cihl-100 gc3-99" },
	/* Tried prisoners of war: the Third Convention's trial guarantees. */
	{ "pow", "on_trial", "2020-12-13", "yes", "", "iccpr-14 cihl-100 gc3-99 gc3-105", "" },
	/* Tried civilians: fair trial, but not the Third Convention's. */
	{ "civilian", "convicted", "2023-09-20", "yes", "", "iccpr-14 cihl-100", "gc3-99 gc3-105" },
};

static tpl_set *tpl;
static font_set *fonts;
static int briefs;

/* Compose rec in every language; check keys; check all languages cite the
 * same keys in the same order; typeset each. */
static void check_brief(const struct expect *e, const char *status)
{
	static const char *const langs[] = { "en", "ru", "hy" };
	struct compose_env env = { tpl, { 2026, 11, 27 }, DOC_A4, "t.csv", 0 };
	struct record rec;
	char line[512], first[2048] = "";
	size_t l;

	snprintf(line, sizeof(line), "T-1|%s|Aram Test|Арам Тест|Արամ Թեստ|1990-01-01|%s|%s|%s|%s|%s|Описание.",
		 e->category, e->detained, status, e->ack,
		 strcmp(status, "convicted") == 0 ? "10" : "", e->health);
	if (make_record(line, &rec) < 0) {
		check(!"record valid");
		record_release(&rec);
		return;
	}
	for (l = 0; l < ARRAY_SIZE(langs); l++) {
		struct diag d = DIAG_INIT;
		struct compose_info info;
		doc *dc = compose_brief(&env, &rec, langs[l], &info, &d);
		typeset_doc *td;
		const char *p;
		char key[64];

		check(dc != NULL);
		if (!dc) {
			diag_print(&d, stderr);
			diag_release(&d);
			continue;
		}
		for (p = e->must; *p;) {
			size_t n = strcspn(p, " ");
			snprintf(key, sizeof(key), "%.*s", (int)n, p);
			if (!has_key(info.cited, key))
				fprintf(stderr, "%s/%s/%s: %s not cited (cited: %s)\n",
					e->category, status, langs[l], key, info.cited);
			check(has_key(info.cited, key));
			p += n + (p[n] == ' ');
		}
		for (p = e->mustnot; *p;) {
			size_t n = strcspn(p, " ");
			snprintf(key, sizeof(key), "%.*s", (int)n, p);
			if (has_key(info.cited, key))
				fprintf(stderr, "%s/%s/%s: %s cited but must not be\n",
					e->category, status, langs[l], key);
			check(!has_key(info.cited, key));
			p += n + (p[n] == ' ');
		}
		if (l == 0)
			snprintf(first, sizeof(first), "%s", info.cited);
		else
			check_str(info.cited, first);
		td = typeset_run(dc, fonts, &d);
		check(td != NULL);
		if (!td)
			diag_print(&d, stderr);
		else    /* short, as briefs are meant to be: the longest case
			 * (every argument, in the longer Russian and Armenian
			 * texts) fills five pages; more means a text repeated
			 * or a page left empty */
			check(typeset_page_count(td) >= 1 && typeset_page_count(td) <= 5);
		typeset_free(td);
		doc_free(dc);
		diag_release(&d);
		briefs++;
	}
	record_release(&rec);
}

/* A record from a header and a line of its own ('|' between fields). */
static int make_record_with(const char *hdr, const char *line, struct record *rec)
{
	struct roster_row h, row;
	struct diag d = DIAG_INIT;
	struct record_ctx ctx = { "t.csv", { 2026, 11, 27 }, NULL };
	record_schema *s;
	int rc;

	make_row(&h, hdr, 1);
	make_row(&row, line, 2);
	s = record_schema_new(&h, "t.csv", &d);
	rc = s ? record_from_row(s, &row, &ctx, rec, &d) : -1;
	if (rc < 0)
		diag_print(&d, stderr);
	record_schema_free(s);
	roster_row_release(&h);
	roster_row_release(&row);
	diag_release(&d);
	return rc;
}

/* The value compose_get gives for name, as of the date asof ("" for
 * none), for one roster line. */
static char got_fact[64];
static const char *fact(const char *line, const char *asof, const char *name)
{
	static const char hdr[] = "id|category|name_en|birth_date|detained_on|"
		"status|released_on|died_on|verdict_date|sentence_years";
	struct record rec;
	struct compose_facts cf;
	struct rdate at;
	const char *v;

	strcpy(got_fact, "INVALID");
	if (make_record_with(hdr, line, &rec) == 0 &&
	    rdate_parse(asof, RDATE_DAY, &at) == 0) {
		compose_facts_init(&cf, &rec, at);
		v = compose_get(&cf, name);
		snprintf(got_fact, sizeof(got_fact), "%s", v ? v : "");
	}
	record_release(&rec);
	return got_fact;
}

/* Age: at the report date, or for the dead at death (none without a
 * full date of death). */
static void test_age(void)
{
	check_str(fact("A-1|pow|X|1980-06-15|2020-12-13|held||||", "2026-06-14", "age"), "45");
	check_str(fact("A-1|pow|X|1980-06-15|2020-12-13|held||||", "2026-06-15", "age"), "46");
	check_str(fact("A-2|pow|X|1980-06-15|2020-12-13|deceased||2021-06-14||", "2026-11-27", "age"), "40");
	check_str(fact("A-2|pow|X|1980-06-15|2020-12-13|deceased||2021-06-15||", "2026-11-27", "age"), "41");
	check_str(fact("A-3|pow|X|1980-06-15|2020-12-13|deceased||2021-06||", "2026-11-27", "age"), "");
	check_str(fact("A-4|pow|X|1980-06-15|2020-12-13|deceased||||", "2026-11-27", "age"), "");
	check_str(fact("A-5|pow|X|1980|2020-12-13|deceased||2021-06-15||", "2026-11-27", "age"), "");
	/* Released: alive, so the age is today's. */
	check_str(fact("A-6|pow|X|1980-06-15|2020-12-13|released|2021-03-04|||", "2026-11-27", "age"), "46");
}

/* Time in detention: to the report date while held or missing, to the
 * release, or to the death, when its full date is known. */
static void test_days(void)
{
	check_str(fact("D-1|pow|X||2020-12-13|held||||", "2026-11-27", "days_detained"), "2175");
	check_str(fact("D-2|pow|X||2020-12-13|released|2021-03-04|||", "2026-11-27", "days_detained"), "81");
	check_str(fact("D-3|pow|X||2020-12-13|released|2021-03|||", "2026-11-27", "days_detained"), "");
	check_str(fact("D-4|pow|X||2020-12-13|released||||", "2026-11-27", "days_detained"), "");
	check_str(fact("D-5|pow|X||2020-12-13|deceased||2021-05-06||", "2026-11-27", "days_detained"), "144");
	/* Released, then died: the detention ended at the release. */
	check_str(fact("D-6|pow|X||2020-12-13|deceased|2021-03-04|2021-05-06||", "2026-11-27", "days_detained"), "81");
	check_str(fact("D-7|pow|X||2020-12-13|deceased|2021-03|2021-05-06||", "2026-11-27", "days_detained"), "");
	check_str(fact("D-8|pow|X||2020-12-13|deceased||2021-05||", "2026-11-27", "days_detained"), "");
	check_str(fact("D-9|pow|X||2020-12-13|deceased||||", "2026-11-27", "days_detained"), "");
	/* The release day itself: 0 days is a value. */
	check_str(fact("D-10|pow|X||2020-12-13|released|2020-12-13|||", "2026-11-27", "days_detained"), "0");
	check_str(fact("D-10|pow|X||2020-12-13|released|2020-12-13|||", "2026-11-27", "days_at_least"), "");
	/* A detention date without its day: counted from the last day it
	 * stands for, never too many days, and said to be a minimum. */
	check_str(fact("D-11|pow|X||2020-11|held||||", "2026-11-27", "days_detained"), "2188");
	check_str(fact("D-11|pow|X||2020-11|held||||", "2026-11-27", "days_at_least"), "yes");
	check_str(fact("D-13|pow|X||2020-11|deceased||2020-12-02||", "2026-11-27", "days_detained"), "2");
	check_str(fact("D-13|pow|X||2020-11|deceased||2020-12-02||", "2026-11-27", "days_at_least"), "yes");
	check_str(fact("D-1|pow|X||2020-12-13|held||||", "2026-11-27", "days_at_least"), "");
}

/* sentence_end: the verdict date plus round(years * 12) months, the day
 * clamped to the month; sentence_served: convicted and that day reached. */
static void test_sentence_end(void)
{
	static const struct { const char *verdict, *years, *end; } cases[] = {
		{ "2021-07-05", "6", "2027-07-05" },
		{ "2021-07-05", "0.5", "2022-01-05" },
		{ "2021-07-05", "0,5", "2022-01-05" },
		{ "2021-07-05", "1.5", "2023-01-05" },
		{ "2021-07-05", "0.1", "2021-08-05" },      /* 1.2 months: 1 */
		{ "2021-07-05", "0.125", "2021-09-05" },    /* 1.5 months: 2 */
		{ "2021-07-05", "0.25", "2021-10-05" },
		{ "2021-11-30", "0.25", "2022-02-28" },     /* clamped */
		{ "2021-08-31", "0.5", "2022-02-28" },
		{ "2023-08-31", "0.5", "2024-02-29" },      /* a leap year */
		{ "2020-02-29", "1", "2021-02-28" },
		{ "2020-02-29", "4", "2024-02-29" },
		{ "2020-02-29", "100", "2120-02-29" },
		{ "2021-12-31", "0.1", "2022-01-31" },
		{ "2021-01-31", "0.1", "2021-02-28" },
		{ "2021-07-05", "200", "2221-07-05" },
	};
	char line[160];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(line, sizeof(line), "S-1|pow|X||2019-12-13|convicted|||%s|%s",
			 cases[i].verdict, cases[i].years);
		if (strcmp(fact(line, "2026-11-27", "sentence_end"), cases[i].end))
			fprintf(stderr, "  %s + %s\n", cases[i].verdict, cases[i].years);
		check_str(fact(line, "2026-11-27", "sentence_end"), cases[i].end);
	}
	{
		struct rdate d = { 2020, 2, 29 }, r = compose_add_months(d, 12);
		check(r.y == 2021 && r.m == 2 && r.d == 28);
		r = compose_add_months(d, 0);
		check(r.y == 2020 && r.m == 2 && r.d == 29);
		d.m = 12;
		d.d = 31;
		r = compose_add_months(d, 14);
		check(r.y == 2022 && r.m == 2 && r.d == 28);
	}

	/* None for life, nor without a full verdict date. */
	check_str(fact("S-2|pow|X||2020-12-13|convicted|||2021-07-05|life", "2026-11-27", "sentence_end"), "");
	check_str(fact("S-2|pow|X||2020-12-13|convicted|||2021-07-05|life", "2126-11-27", "sentence_served"), "");
	check_str(fact("S-3|pow|X||2020-12-13|convicted||||6", "2026-11-27", "sentence_end"), "");
	check_str(fact("S-3|pow|X||2020-12-13|convicted||||6", "2026-11-27", "sentence_served"), "");

	/* Served: not the day before the end, from the end on. */
	check_str(fact("S-4|pow|X||2020-12-13|convicted|||2021-07-05|0.5", "2022-01-04", "sentence_served"), "");
	check_str(fact("S-4|pow|X||2020-12-13|convicted|||2021-07-05|0.5", "2022-01-05", "sentence_served"), "yes");
	check_str(fact("S-4|pow|X||2020-12-13|convicted|||2021-07-05|0.5", "2026-11-27", "sentence_served"), "yes");
	check_str(fact("S-5|pow|X||2020-12-13|convicted|||2021-07-05|6", "2026-11-27", "sentence_served"), "");
	check_str(fact("S-5|pow|X||2020-12-13|convicted|||2021-07-05|6", "2027-07-05", "sentence_served"), "yes");
	/* Only for the convicted: a sentence given with another status (a
	 * warning) has an end but is not "served". */
	check_str(fact("S-6|pow|X||2020-12-13|released|2022-02-01||2021-07-05|0.5", "2026-11-27", "sentence_end"), "2022-01-05");
	check_str(fact("S-6|pow|X||2020-12-13|released|2022-02-01||2021-07-05|0.5", "2026-11-27", "sentence_served"), "");
}

/* The layouts can test the new facts as conditions. */
static void test_conditions(void)
{
	static const char hdr[] = "id|category|name_en|detained_on|status|sex|"
		"verdict_date|sentence_years|court_ru";
	struct record rec;
	struct compose_facts cf;
	struct tpl_facts f = { compose_get, &cf };
	struct diag d = DIAG_INIT;

	check_int(make_record_with(hdr, "C-1|pow|X|2020-12-13|convicted|f|2021-07-05|0.5|Суд", &rec), 0);
	compose_facts_init(&cf, &rec, (struct rdate){ 2026, 11, 27 });
	check_int(tpl_cond(tpl, "sentence_served", &f, &d), 1);
	check_int(tpl_cond(tpl, "sentence_end", &f, &d), 1);
	check_int(tpl_cond(tpl, "sentence_end <= 2022-01-05", &f, &d), 1);
	check_int(tpl_cond(tpl, "sex = f", &f, &d), 1);
	check_int(tpl_cond(tpl, "sex = m", &f, &d), 0);
	check_int(tpl_cond(tpl, "court", &f, &d), 1);   /* localized: any language */
	compose_facts_init(&cf, &rec, (struct rdate){ 2021, 12, 1 });
	check_int(tpl_cond(tpl, "sentence_served", &f, &d), 0);
	record_release(&rec);
	check_int(make_record_with(hdr, "C-2|pow|X|2020-12-13|convicted||2021-07-05|life|", &rec), 0);
	compose_facts_init(&cf, &rec, (struct rdate){ 2026, 11, 27 });
	check_int(tpl_cond(tpl, "sentence_served", &f, &d), 0);
	check_int(tpl_cond(tpl, "sentence_end", &f, &d), 0);
	check_int(tpl_cond(tpl, "sex = f or sex = m", &f, &d), 0);
	check_int(tpl_cond(tpl, "court", &f, &d), 0);
	check_int((long)d.nerrors, 0);
	record_release(&rec);
	diag_release(&d);
}

int main(void)
{
	struct diag d = DIAG_INIT;
	size_t i, k;

	tpl = tpl_load("layouts", &d);
	fonts = font_set_load("fonts", &d);
	check(tpl != NULL && fonts != NULL);
	if (!tpl || !fonts) {
		diag_print(&d, stderr);
		return check_done();
	}
	for (i = 0; i < ARRAY_SIZE(per_category); i++)
		for (k = 0; k < ARRAY_SIZE(detained_statuses); k++)
			check_brief(&per_category[i], detained_statuses[k]);
	for (i = 0; i < ARRAY_SIZE(specials); i++)
		check_brief(&specials[i], specials[i].status);
	check_int(briefs, 3 * (ARRAY_SIZE(per_category) * 4 + ARRAY_SIZE(specials)));
	test_age();
	test_days();
	test_sentence_end();
	test_conditions();
	tpl_free(tpl);
	font_set_free(fonts);
	diag_release(&d);
	return check_done();
}
