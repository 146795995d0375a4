/* t_engine.c: charts, links and anchors, binders, landscape pages,
 * highlighting, overflow warnings and image limits.
 *
 *   t_engine                run the checks
 *   t_engine --write DIR    write DIR/chart-{en,ru,hy}.pdf, links.pdf,
 *                           other.pdf, binder.pdf, proof-a4.pdf,
 *                           proof-letter.pdf for tests/sh/t_engine.sh
 *   t_engine --dump NAME    print the boxes of chart-en, chart-hy or
 *                           binder, compared with tests/golden/typeset/
 *
 * Runs from the top of the tree (fonts/, tests/golden/typeset/). */
#include "diag.h"
#include "doc.h"
#include "dump.h"
#include "font.h"
#include "harness.h"
#include "pdf.h"
#include "sbuf.h"
#include "pages.h"
#include "binder.h"
#include "typeset.h"
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define SPAN(t) { .text = (t), .source = "t_engine" }

static font_set *fs;

/* ---- documents ---- */

struct chart_texts {
	const char *lang, *title1, *title2, *title3;
	const char *cats[5];
	const char *series[3];
	const char *s2[2];
};

static const struct chart_texts chart_en = {
	"en", "Detained people by category and status",
	"Detentions per quarter", "Detentions per quarter, by sex",
	{ "Servicemen", "Civilians", "Civilians detained abroad",
	  "Unknown", "Missing, presumed detained" },
	{ "Held", "Sentenced", "Released" },
	{ "Men", "Women" },
};

static const struct chart_texts chart_ru = {
	"ru", "Задержанные по категориям и статусу",
	"Задержания по кварталам", "Задержания по кварталам и полу",
	{ "Военнослужащие", "Гражданские лица", "Гражданские, задержанные за рубежом",
	  "Неизвестно", "Пропавшие без вести" },
	{ "Под стражей", "Осуждены", "Освобождены" },
	{ "Мужчины", "Женщины" },
};

static const struct chart_texts chart_hy = {
	"hy", "Կալանավորվածներն ըստ կատեգորիայի և կարգավիճակի",
	"Կալանավորումներն ըստ եռամսյակների",
	"Կալանավորումներն ըստ եռամսյակների և սեռի",
	{ "Զինծառայողներ", "Քաղաքացիական անձինք",
	  "Արտերկրում կալանավորված քաղաքացիներ", "Անհայտ",
	  "Անհայտ կորած, ենթադրաբար կալանավորված" },
	{ "Կալանքի տակ", "Դատապարտված", "Ազատ արձակված" },
	{ "Տղամարդիկ", "Կանայք" },
};

static const char *const quarters[13] = {
	"2020-Q4", "2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4", "2022-Q1",
	"2022-Q2", "2022-Q3", "2022-Q4", "2023-Q1", "2023-Q2", "2023-Q3",
	"2023-Q4",
};

static doc *chart_doc(const char *lang)
{
	const struct chart_texts *t = !strcmp(lang, "ru") ? &chart_ru
				    : !strcmp(lang, "hy") ? &chart_hy : &chart_en;
	doc *d = doc_new(lang, DOC_A4);
	static const double held[5] = { 33, 12, 4, 2, 7 };
	static const double sent[5] = { 21, 6, 1, 0, 0 };
	static const double rel[5] = { 40, 18, 3, 1, 0 };
	static const double per_q[13] = { 61, 12, 8, 5, 9, 3, 4, 11, 2, 1, 0,
					  26, 14 };
	static const double men[13] = { 55, 10, 7, 5, 8, 3, 3, 9, 2, 1, 0, 22, 12 };
	static const double women[13] = { 6, 2, 1, 0, 1, 0, 1, 2, 0, 0, 0, 4, 2 };
	struct doc_chart_series s3[3] = {
		{ t->series[0], held }, { t->series[1], sent }, { t->series[2], rel },
	};
	struct doc_chart_series s1 = { "", per_q };
	struct doc_chart_series s2[2] = { { t->s2[0], men }, { t->s2[1], women } };
	struct doc_span h = SPAN(t->title1);
	struct doc_span t2 = SPAN(t->title2);
	struct doc_span t3 = SPAN(t->title3);
	struct doc_chart c = { 0 };

	doc_set_date(d, 2024, 1, 15, 9, 0, 0);
	doc_set_page_text(d, NULL, "CHART", "{page}/{pages}");
	doc_heading(d, 1, &h, 1);
	c.categories = t->cats;
	c.ncategories = 5;
	c.series = s3;
	c.nseries = 3;
	c.stacked = 1;
	c.horizontal = 1;
	c.source = "chart:1";
	doc_chart_bars(d, &c);

	memset(&c, 0, sizeof(c));
	c.title = &t2;
	c.ntitle = 1;
	c.categories = quarters;
	c.ncategories = 13;
	c.series = &s1;
	c.nseries = 1;
	c.height = 150;
	c.source = "chart:2";
	doc_chart_bars(d, &c);

	memset(&c, 0, sizeof(c));
	c.title = &t3;
	c.ntitle = 1;
	c.categories = quarters;
	c.ncategories = 13;
	c.series = s2;
	c.nseries = 2;
	c.height = 150;
	c.source = "chart:3";
	doc_chart_bars(d, &c);

	memset(&c, 0, sizeof(c));
	c.categories = t->cats;
	c.ncategories = 5;
	c.series = s3;
	c.nseries = 3;
	c.horizontal = 1;
	c.source = "chart:4";
	doc_chart_bars(d, &c);
	return d;
}

/* A brief-like part: a title with an anchor, some pages of text. */
static doc *part_doc(const char *id, const char *name, int pages,
		     const char *link_to)
{
	doc *d = doc_new("en", DOC_A4);
	char anchor[64], footer[64];
	struct doc_span h = SPAN(name);
	struct doc_span sub = SPAN("Circumstances");
	struct doc_span p[3] = {
		SPAN("The person was detained without charge; see also "),
		{ .text = "the summary", .dest = link_to, .source = "t_engine" },
		SPAN(". Relatives have had no news since then, and every "
		     "application was left unanswered by the authorities."),
	};

	snprintf(anchor, sizeof(anchor), "brief:%s", id);
	snprintf(footer, sizeof(footer), "%s", id);
	doc_set_date(d, 2024, 1, 15, 9, 0, 0);
	doc_set_page_text(d, name, footer, "Page {page} of {pages}");
	doc_anchor(d, anchor);
	doc_heading(d, 1, &h, 1);
	for (int i = 0; i < pages; i++) {
		if (i)
			doc_page_break(d);
		doc_heading(d, 2, &sub, 1);
		doc_para(d, DOC_JUSTIFY, p, link_to ? 3 : 1);
	}
	return d;
}

static typeset_doc *run(doc *dc, struct diag *d)
{
	typeset_doc *td = typeset_run(dc, fs, d);
	if (!td)
		diag_print(d, stderr);
	return td;
}

/* The binder of the tests: a cover and a contents page (roman), the
 * summary (decimal from 1), three briefs on odd pages, one bookmark per
 * person. */
static typeset_doc *binder(struct diag *d, size_t first[6])
{
	doc *docs[6];
	typeset_doc *parts[6], *td;
	struct doc_span cover = SPAN("Detained people: briefs");
	struct doc_span toc = SPAN("Contents");
	struct binder_part bp[6] = {
		{ NULL, 0, 0, 'r', NULL },
		{ "Contents", 0, 0, 0, NULL },
		{ "Summary", 1, 1, 'D', NULL },
		{ "Ani Petrosyan", 0, 1, 0, NULL },
		{ "Babken Sargsyan", 0, 1, 0, NULL },
		{ "Gayane Melikyan", 0, 1, 0, NULL },
	};
	struct binder_opts opt = { 0 };

	docs[0] = doc_new("en", DOC_A4);
	doc_heading(docs[0], 1, &cover, 1);
	docs[1] = doc_new("en", DOC_A4);
	doc_heading(docs[1], 1, &toc, 1);
	docs[2] = part_doc("SUMMARY", "Summary", 2, "brief:F-002");
	docs[3] = part_doc("F-001", "Ani Petrosyan", 3, "brief:SUMMARY");
	docs[4] = part_doc("F-002", "Babken Sargsyan", 2, NULL);
	docs[5] = part_doc("F-003", "Gayane Melikyan", 1, NULL);
	for (int i = 0; i < 6; i++)
		parts[i] = run(docs[i], d);
	opt.part = bp;
	opt.number_template = "{page}";
	opt.title = "Briefs";
	opt.first_page = first;
	td = binder_concat((const typeset_doc *const *)parts, 6, &opt, d);
	for (int i = 0; i < 6; i++) {
		typeset_free(parts[i]);
		doc_free(docs[i]);
	}
	return td;
}

static doc *links_doc(void)
{
	doc *d = doc_new("en", DOC_A4);
	struct doc_span p[6] = {
		SPAN("Go to "),
		{ .text = "the chronology", .dest = "sec:chron", .source = "l:1" },
		SPAN(", to "),
		{ .text = "another brief", .file = "other.pdf", .dest = "brief:F-002",
		  .source = "l:2" },
		SPAN(" or to "),
		{ .text = "its first page", .file = "other.pdf", .source = "l:3" },
	};
	struct doc_span h = SPAN("Chronology");
	doc_set_date(d, 2024, 1, 15, 9, 0, 0);
	doc_para(d, DOC_LEFT, p, 6);
	doc_page_break(d);
	doc_anchor(d, "sec:chron");
	doc_heading(d, 1, &h, 1);
	return d;
}

/* The translators' proof: three columns, highlighted spans. */
static doc *proof_doc(enum doc_paper paper)
{
	doc *d = doc_new("en", paper);
	static const double w[3] = { 1, 1, 1 };
	struct doc_span hd[3] = { SPAN("English"), SPAN("Русский"), SPAN("Հայերեն") };
	struct doc_span c1[2] = { SPAN("Name: "),
				  { .text = "Ani Petrosyan", .style = DOC_HIGHLIGHT,
				    .source = "proof:1" } };
	struct doc_span c2[2] = { SPAN("Имя: "),
				  { .text = "Ани Петросян", .style = DOC_HIGHLIGHT,
				    .source = "proof:2" } };
	struct doc_span c3[2] = { SPAN("Անուն՝ "),
				  { .text = "Անի Պետրոսյան",
				    .style = DOC_HIGHLIGHT | DOC_BOLD,
				    .source = "proof:3" } };
	doc_set_date(d, 2024, 1, 15, 9, 0, 0);
	doc_set_page_text(d, "Translators' proof", "PROOF", "{page}/{pages}");
	doc_table_begin(d, 3, w, 1);
	for (int i = 0; i < 3; i++)
		doc_table_cell(d, &hd[i], 1);
	doc_table_cell(d, c1, 2);
	doc_table_cell(d, c2, 2);
	doc_table_cell(d, c3, 2);
	doc_table_end(d);
	return d;
}

/* ---- checks ---- */

static int overlap(const struct ts_box *a, const struct ts_box *b)
{
	/* text: from baseline - descent to baseline + ascent, approximated */
	double ay0 = a->y - a->size * 0.25, ay1 = a->y + a->size * 0.8;
	double by0 = b->y - b->size * 0.25, by1 = b->y + b->size * 0.8;
	return a->x < b->x + b->w - 0.01 && b->x < a->x + a->w - 0.01 &&
	       ay0 < by1 - 0.01 && by0 < ay1 - 0.01;
}

/* Boxes of a chart: no text overlaps other text or a filled bar (white
 * tabs excepted), every bar is outlined, nothing leaves the text area. */
static void check_chart(const typeset_doc *td, const char *lang)
{
	size_t bars = 0, texts = 0, grey = 0, hatched = 0;
	for (size_t p = 0; p < td->npages; p++) {
		const struct ts_page *pg = &td->pages[p];
		for (size_t i = 0; i < pg->n; i++) {
			const struct ts_box *a = &pg->box[i];
			if (a->kind == TS_RECT && a->lw > 0) {
				bars++;
				check(a->x >= 72 - 0.01 && a->x + a->w <= td->page_w - 72 + 0.01);
				grey += a->fill < 0.95 && a->hatch == HATCH_NONE;
				hatched += a->hatch != HATCH_NONE;
			}
			if (a->kind != TS_TEXT || a->y < 60 || a->y > td->page_h - 60)
				continue; /* page furniture */
			texts++;
			check(a->x >= 72 - 0.01 && a->x + a->w <= td->page_w - 72 + 0.01);
			for (size_t k = 0; k < pg->n; k++) {
				const struct ts_box *b = &pg->box[k];
				if (k == i)
					continue;
				if (b->kind == TS_TEXT && overlap(a, b)) {
					fprintf(stderr, "%s: text overlaps: \"%s\" \"%s\"\n",
						lang, a->text, b->text);
					check(0);
				}
				if (b->kind == TS_RECT && b->lw > 0 &&
				    a->x < b->x + b->w - 0.01 && b->x < a->x + a->w - 0.01 &&
				    a->y - a->size * 0.2 < b->y + b->h - 0.01 &&
				    b->y < a->y + a->size * 0.7 - 0.01) {
					/* only on a white tab drawn after the bar */
					int tab = 0;
					for (size_t t = k + 1; t < pg->n; t++)
						tab |= pg->box[t].kind == TS_RECT &&
						       pg->box[t].fill == 1 &&
						       pg->box[t].lw == 0 &&
						       pg->box[t].x <= a->x + 0.01 &&
						       pg->box[t].x + pg->box[t].w >=
							       a->x + a->w - 0.01;
					if (!tab)
						fprintf(stderr, "%s: text on a bar: \"%s\"\n",
							lang, a->text);
					check(tab);
				}
			}
		}
	}
	check(bars >= 40);
	check(texts >= 40);
	check(grey > 0);
	check(hatched > 0);
}

static int has_text(const typeset_doc *td, size_t page, const char *s)
{
	const struct ts_page *pg = &td->pages[page];
	for (size_t i = 0; i < pg->n; i++)
		if (pg->box[i].kind == TS_TEXT && strstr(pg->box[i].text, s))
			return 1;
	return 0;
}

static void test_charts(void)
{
	static const char *const langs[] = { "en", "ru", "hy" };
	for (int l = 0; l < 3; l++) {
		struct diag d = DIAG_INIT;
		doc *dc = chart_doc(langs[l]);
		typeset_doc *td = run(dc, &d);
		check(td != NULL);
		if (td) {
			check_int(td->npages, 2);
			check_chart(td, langs[l]);
			/* round ticks; labels of the quarters thinned out */
			check(has_text(td, 0, "2020-Q4"));
			check(has_text(td, 0, "2021-Q2"));
			check(!has_text(td, 0, "2021-Q1"));
			/* the stacked bars' totals */
			check(has_text(td, 0, "94"));
		}
		check_int(d.nwarnings, 0);
		typeset_free(td);
		doc_free(dc);
		diag_release(&d);
	}
	/* Decimals: the point of the language, grouping from 10 000. */
	{
		struct diag d = DIAG_INIT;
		doc *dc = doc_new("ru", DOC_A4);
		static const char *const cats[2] = { "a", "b" };
		static const double v[2] = { 12345.67, 2.5 };
		struct doc_chart_series s = { "", v };
		struct doc_chart c = { 0 };
		typeset_doc *td;
		c.categories = cats;
		c.ncategories = 2;
		c.series = &s;
		c.nseries = 1;
		c.horizontal = 1;
		c.decimals = 1;
		doc_chart_bars(dc, &c);
		td = run(dc, &d);
		check(td && has_text(td, 0, "12\xC2\xA0" "345,7"));
		check(td && has_text(td, 0, "2,5"));
		check(td && has_text(td, 0, "10\xC2\xA0" "000,0"));
		typeset_free(td);
		doc_free(dc);
		diag_release(&d);
	}
	/* A label no font has: one error at the chart's source. */
	{
		struct diag d = DIAG_INIT;
		doc *dc = doc_new("en", DOC_A4);
		static const char *const cats[2] = { "a", "\xE4\xB8\xAD" };
		static const double v[2] = { 1, 2 };
		struct doc_chart_series s = { "s", v };
		struct doc_chart c = { 0 };
		c.categories = cats;
		c.ncategories = 2;
		c.series = &s;
		c.nseries = 1;
		c.source = "chart:cjk";
		doc_chart_bars(dc, &c);
		check(typeset_run(dc, fs, &d) == NULL);
		check_int(d.nerrors, 1);
		check(d.n && d.v[0].file && !strcmp(d.v[0].file, "chart:cjk"));
		check(d.n && strstr(d.v[0].msg, "U+4E2D"));
		doc_free(dc);
		diag_release(&d);
	}
	/* Seven statuses and more: eight series kept (a ninth dropped), each
	 * legend swatch a look of its own (grey level and hatching), each
	 * label shown, and the bars of every series drawn. */
	{
		struct diag d = DIAG_INIT;
		doc *dc = doc_new("en", DOC_A4);
		static const char *const cats[2] = { "north", "south" };
		static const double v[2] = { 3, 5 };
		static const char *const names[9] = {
			"sa", "sb", "sc", "sd", "se", "sf", "sg", "sh", "si",
		};
		struct doc_chart_series s[9];
		struct doc_chart c = { 0 };
		typeset_doc *td;
		for (int i = 0; i < 9; i++)
			s[i] = (struct doc_chart_series){ names[i], v };
		c.categories = cats;
		c.ncategories = 2;
		c.series = s;
		c.nseries = 9;
		c.horizontal = 1;
		doc_chart_bars(dc, &c);
		td = run(dc, &d);
		check(td != NULL);
		if (td) {
			struct look { double fill; int hatch; } look[16];
			size_t nlook = 0, swatches = 0, distinct = 1;
			for (int i = 0; i < 8; i++)
				check(has_text(td, 0, names[i]));
			check(!has_text(td, 0, "si"));
			for (size_t i = 0; i < td->pages[0].n; i++) {
				const struct ts_box *b = &td->pages[0].box[i];
				if (b->kind != TS_RECT || b->lw <= 0 || b->w != 14 ||
				    b->h != 8.5)
					continue;
				swatches++;
				for (size_t k = 0; k < nlook; k++)
					if (look[k].fill == b->fill &&
					    look[k].hatch == (int)b->hatch)
						distinct = 0;
				if (nlook < 16)
					look[nlook++] = (struct look){ b->fill, (int)b->hatch };
			}
			check_int(swatches, 8);
			check_int(distinct, 1);
		}
		check_int(d.nerrors, 0);
		typeset_free(td);
		doc_free(dc);
		diag_release(&d);
	}
	/* No data, huge and odd values: no crash, a bounded chart. */
	{
		struct diag d = DIAG_INIT;
		doc *dc = doc_new("en", DOC_LETTER);
		static const char *const cats[3] = { "x", "", "z" };
		double v[3] = { 1e300, -5, NAN };
		struct doc_chart_series s = { "s", v };
		struct doc_chart c = { 0 };
		typeset_doc *td;
		doc_chart_bars(dc, &c);
		c.categories = cats;
		c.ncategories = 3;
		c.series = &s;
		c.nseries = 1;
		doc_chart_bars(dc, &c);
		c.horizontal = 1;
		c.stacked = 1;
		doc_chart_bars(dc, &c);
		td = run(dc, &d);
		check(td != NULL);
		check_int(d.nerrors, 0);
		typeset_free(td);
		doc_free(dc);
		diag_release(&d);
	}
}

static void test_links(void)
{
	struct diag d = DIAG_INIT;
	doc *dc = links_doc();
	typeset_doc *td = run(dc, &d);
	size_t links = 0, goto_r = 0;

	check(td != NULL);
	if (!td)
		return;
	check_int(td->npages, 2);
	check_int(typeset_dest_page(td, "sec:chron"), 1);
	check_int(typeset_dest_page(td, "nowhere"), -1);
	for (size_t i = 0; i < td->pages[0].n; i++) {
		const struct ts_box *b = &td->pages[0].box[i];
		if (b->kind != TS_LINK)
			continue;
		links++;
		check_str(b->text, "");
		goto_r += b->file != NULL;
		if (b->file && b->dest)
			check_str(b->dest, "brief:F-002");
		check(b->w > 20);
	}
	check_int(links, 3);
	check_int(goto_r, 2);
	typeset_free(td);
	doc_free(dc);
	diag_release(&d);

	/* Equal anchors: the first counts, with a warning. */
	dc = doc_new("en", DOC_A4);
	doc_anchor(dc, "x");
	doc_rule(dc);
	doc_page_break(dc);
	doc_anchor(dc, "x");
	doc_rule(dc);
	td = run(dc, &d);
	check(td && typeset_dest_page(td, "x") == 0);
	check_int(d.nwarnings, 1);
	typeset_free(td);
	doc_free(dc);
	diag_release(&d);
}

static void test_binder(void)
{
	struct diag d = DIAG_INIT;
	size_t first[6];
	typeset_doc *td = binder(&d, first);
	int level1 = 0;

	check(td != NULL);
	if (!td)
		return;
	check_int(d.nerrors, 0);
	/* cover 1, contents 2, blank 3? no: summary is odd (page 3 = index
	 * 2), 2 pages; briefs on odd pages: 5, 9 (after a blank 8), 11 */
	check_int(first[0], 0);
	check_int(first[1], 1);
	check_int(first[2], 2);
	check_int(first[3], 4);
	check_int(first[4], 8);
	check_int(first[5], 10);
	for (int i = 3; i < 6; i++)
		check_int(first[i] % 2, 0);
	check_int(td->npages, 11);
	check_int(td->pages[7].n, 0); /* the blank page */
	/* each part keeps its own numbers; the running number is added */
	check(has_text(td, 4, "Page 1 of 3"));
	check(has_text(td, 6, "Page 3 of 3"));
	check(has_text(td, 8, "Page 1 of 2"));
	check(has_text(td, 0, "i"));
	check(has_text(td, 1, "ii"));
	check(has_text(td, 2, "Page 1 of 2"));
	/* labels: roman from the cover, decimal from the summary */
	check_int(td->nlabels, 2);
	check_int(td->labels[0].page, 0);
	check_int(td->labels[0].style, 'r');
	check_int(td->labels[1].page, 2);
	check_int(td->labels[1].style, 'D');
	{
		char lab[16];
		check_int(binder_page_label(td, 1, lab, sizeof(lab)), 2);
		check_str(lab, "ii");
		binder_page_label(td, 8, lab, sizeof(lab));
		check_str(lab, "7");
	}
	/* the running number of page index 10 is 9 (decimal from page 3) */
	{
		int found = 0;
		for (size_t i = 0; i < td->pages[10].n; i++) {
			const struct ts_box *b = &td->pages[10].box[i];
			if (b->kind == TS_TEXT && !strcmp(b->text, "9") &&
			    fabs(b->y - 30) < 0.01 &&
			    fabs(b->x + b->w / 2 - td->page_w / 2) < 0.01)
				found = 1;
			/* below every other text of the page */
			if (b->kind == TS_TEXT && strcmp(b->text, "9"))
				check(b->y > 30 + 12);
		}
		check(found);
	}
	/* one bookmark per person and no headings of theirs; the summary
	 * keeps its own under its bookmark */
	for (size_t i = 0; i < td->noutline; i++) {
		if (td->outline[i].level == 1) {
			level1++;
			check(strcmp(td->outline[i].title, "Circumstances"));
		}
	}
	check_int(level1, 5);
	for (size_t i = 0; i < td->noutline; i++)
		if (!strcmp(td->outline[i].title, "Ani Petrosyan")) {
			check_int(td->outline[i].level, 1);
			check_int(td->outline[i].page, 4);
			level1 += 10;
		}
	check_int(level1, 15);
	/* destinations moved with their pages */
	check_int(typeset_dest_page(td, "brief:F-001"), 4);
	check_int(typeset_dest_page(td, "brief:F-002"), 8);
	check_int(typeset_dest_page(td, "brief:SUMMARY"), 2);
	typeset_free(td);
	diag_release(&d);
}

static void test_paper_highlight(void)
{
	static const struct { enum doc_paper p; double w, h; } papers[] = {
		{ DOC_A4_LANDSCAPE, 841.89, 595.276 },
		{ DOC_LETTER_LANDSCAPE, 792, 612 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(papers); i++) {
		struct diag d = DIAG_INIT;
		doc *dc = proof_doc(papers[i].p);
		typeset_doc *td = run(dc, &d);
		size_t tints = 0, lines = 0;
		check(td != NULL);
		if (!td)
			continue;
		check(fabs(td->page_w - papers[i].w) < 0.01);
		check(fabs(td->page_h - papers[i].h) < 0.01);
		for (size_t k = 0; k < td->pages[0].n; k++) {
			const struct ts_box *b = &td->pages[0].box[k];
			if (b->kind == TS_RECT && b->fill > 0.5 && b->fill < 1)
				tints++;
			if (b->kind == TS_RECT && b->fill == 0 && b->h < 1)
				lines++;
			/* the highlighted names are inside a tint */
			if (b->kind == TS_TEXT && (!strcmp(b->text, "Ani Petrosyan") ||
						   strstr(b->text, "Պետրոսյան"))) {
				int in = 0;
				for (size_t q = 0; q < td->pages[0].n; q++) {
					const struct ts_box *r = &td->pages[0].box[q];
					in |= r->kind == TS_RECT && r->fill > 0.5 &&
					      r->x <= b->x + 0.01 &&
					      r->x + r->w >= b->x + b->w - 0.01 &&
					      r->y < b->y && r->y + r->h > b->y + b->size * 0.6;
				}
				check(in);
			}
		}
		check_int(tints, 3);
		check_int(lines, 3);
		typeset_free(td);
		doc_free(dc);
		diag_release(&d);
	}
}

static size_t count_warnings(const struct diag *d, const char *kind)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == DIAG_WARNING && strstr(d->v[i].msg, kind) &&
		    strstr(d->v[i].msg, "text does not fit"))
			n++;
	return n;
}

static void test_overflow(void)
{
	struct diag d = DIAG_INIT;
	doc *dc = doc_new("en", DOC_A4);
	static const double w[3] = { 1, 1, 4 };
	struct doc_span word = { .text = "Ter-Khachaturyantsmelikbekyanshahnazaryants",
				 .source = "roster.csv:7" };
	struct doc_span fine = { .text = "short", .source = "roster.csv:8" };
	struct doc_span label = { .text = "A label that goes on and on and on "
				  "and on, far beyond what its column holds",
				  .source = "layout:12" };
	struct doc_span head = { .text = "A heading that is much too long: "
				 "it goes on and on, and on and on, and on and "
				 "on and on, until it takes more than three "
				 "lines of the page, which is more than any "
				 "heading should ever need to take",
				 .source = "layout:3" };
	typeset_doc *td;
	char hdr[400];

	memset(hdr, 0, sizeof(hdr));
	for (size_t i = 0; i + 6 < sizeof(hdr); i += 6)
		memcpy(hdr + i, "Header", 6);
	doc_set_page_text(dc, hdr, "F-001 with a footer that is long enough "
			  "to need the space of the page number and more, much "
			  "more than there is, so it has to be cut short",
			  "Page {page} of {pages}");
	doc_heading(dc, 1, &head, 1);
	doc_facts_begin(dc);
	doc_fact(dc, &label, 1, &fine, 1);
	doc_facts_end(dc);
	doc_table_begin(dc, 3, w, 0);
	doc_table_cell(dc, &word, 1);
	doc_table_cell(dc, &fine, 1);
	doc_table_cell(dc, &fine, 1);
	doc_table_end(dc);
	td = run(dc, &d);
	check(td != NULL);
	check_int(d.nerrors, 0);
	check_int(count_warnings(&d, "table cell: text does not fit: word "
				 "longer than the line"), 1);
	check_int(count_warnings(&d, "heading: text does not fit: wrapped to"), 1);
	check_int(count_warnings(&d, "fact label: text does not fit: wrapped to"), 1);
	check_int(count_warnings(&d, "page header: text does not fit"), 1);
	check_int(count_warnings(&d, "page footer: text does not fit"), 1);
	check_int(count_warnings(&d, "Khachaturyantsmelik"), 1);
	/* the warning is at the span's source, and typeset_overflow finds it */
	{
		int at = 0;
		for (size_t i = 0; i < d.n; i++)
			at |= d.v[i].file && !strcmp(d.v[i].file, "roster.csv:7");
		check(at);
	}
	check(td && typeset_overflow_count(td) == 5);
	if (td) {
		int found = 0;
		for (size_t i = 0; i < typeset_overflow_count(td); i++) {
			struct typeset_overflow o = typeset_overflow(td, i);
			if (o.source && !strcmp(o.source, "roster.csv:7") &&
			    !strcmp(o.kind, "table cell"))
				found = 1;
		}
		check(found);
		/* the header was set smaller or cut: inside the measure */
		for (size_t i = 0; i < td->pages[0].n; i++) {
			const struct ts_box *b = &td->pages[0].box[i];
			if (b->kind == TS_TEXT)
				check(b->x + b->w <= td->page_w - 72 + 0.01);
		}
	}
	typeset_free(td);
	doc_free(dc);
	diag_release(&d);

	/* A footnote taller than half the page. */
	{
		struct sbuf sb = SBUF_INIT;
		struct doc_span n = { .source = "note:1" }, m[2] = { SPAN("x"), { 0 } };
		dc = doc_new("ru", DOC_A4);
		for (int i = 0; i < 400; i++)
			sbuf_addstr(&sb, "очень длинная сноска ");
		n.text = sb.buf;
		m[1].footnote = doc_footnote(dc, "1", &n, 1);
		doc_para(dc, DOC_LEFT, m, 2);
		td = run(dc, &d);
		check(td != NULL);
		check_int(count_warnings(&d, "footnote: text does not fit"), 1);
		typeset_free(td);
		doc_free(dc);
		diag_release(&d);
		sbuf_release(&sb);
	}
}

/* ---- images ---- */

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
	}
	return c ^ 0xFFFFFFFFu;
}

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void chunk(FILE *fp, const char *type, const unsigned char *data,
		  uint32_t n)
{
	unsigned char hdr[8], crc[4], *buf = xmalloc(n + 4);
	be32(hdr, n);
	memcpy(hdr + 4, type, 4);
	memcpy(buf, type, 4);
	if (n)
		memcpy(buf + 4, data, n);
	be32(crc, crc32_of(buf, n + 4));
	fwrite(hdr, 1, 8, fp);
	if (n)
		fwrite(data, 1, n, fp);
	fwrite(crc, 1, 4, fp);
	free(buf);
}

/* A PNG whose header claims w x h (its data is one empty stored block). */
static void fake_png(const char *path, uint32_t w, uint32_t h)
{
	FILE *fp = fopen(path, "wb");
	unsigned char ihdr[13] = { 0 };
	static const unsigned char idat[] = { 0x78, 0x01, 0x01, 0x00, 0x00,
					      0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01 };
	be32(ihdr, w);
	be32(ihdr + 4, h);
	ihdr[8] = 8;
	ihdr[9] = 2;
	fwrite("\x89PNG\r\n\x1A\n", 1, 8, fp);
	chunk(fp, "IHDR", ihdr, 13);
	chunk(fp, "IDAT", idat, sizeof(idat));
	chunk(fp, "IEND", NULL, 0);
	fclose(fp);
}

static void write_bytes(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");
	if (n)
		fwrite(p, 1, n, fp);
	fclose(fp);
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	struct sbuf sb = SBUF_INIT;
	char buf[4096];
	size_t k;
	if (!fp)
		return NULL;
	while ((k = fread(buf, 1, sizeof(buf), fp)) > 0)
		sbuf_add(&sb, buf, k);
	fclose(fp);
	return (unsigned char *)sbuf_detach(&sb, n);
}

/* typeset_run of one image: NULL expected, with one error that names the
 * image's source and says want. */
static void image_error(const char *path, const char *want)
{
	struct diag d = DIAG_INIT;
	doc *dc = doc_new("en", DOC_A4);
	typeset_doc *td;
	doc_image(dc, path, 0, 0, "roster.csv:9:12");
	td = typeset_run(dc, fs, &d);
	check(td == NULL);
	check_int(d.nerrors, 1);
	if (d.n) {
		check_str(d.v[0].file, "roster.csv:9:12");
		if (!strstr(d.v[0].msg, want))
			fprintf(stderr, "image %s: \"%s\", want \"%s\"\n", path,
				d.v[0].msg, want);
		check(strstr(d.v[0].msg, want) != NULL);
	}
	typeset_free(td);
	doc_free(dc);
	diag_release(&d);	unlink(path);
}

static void test_images(const char *dir)
{
	struct sbuf p = SBUF_INIT;
	unsigned char *jpg, *png;
	size_t nj, np;

	jpg = slurp("tests/golden/typeset/portrait.jpg", &nj);
	png = slurp("tests/golden/typeset/landscape.png", &np);
	check(jpg && png);
	if (!jpg || !png)
		return;

	sbuf_addf(&p, "%s/huge.png", dir);
	fake_png(p.buf, 10000, 10000);
	image_error(p.buf, "10000x10000 pixels (100 megapixels); at most 50");
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/absurd.png", dir);
	fake_png(p.buf, 0x7FFFFFFF, 0x7FFFFFFF);
	image_error(p.buf, "is not a readable PNG");
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/wide.png", dir);
	fake_png(p.buf, 900000, 900000);
	image_error(p.buf, "810000 megapixels");
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/empty.png", dir);
	write_bytes(p.buf, "", 0);
	image_error(p.buf, "is an empty file");
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/gif.png", dir);
	write_bytes(p.buf, "GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14);
	image_error(p.buf, "is a GIF image; only JPEG and PNG");
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/cut.jpg", dir);
	write_bytes(p.buf, jpg, nj / 2);
	image_error(p.buf, "is cut short");
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/head.jpg", dir);
	write_bytes(p.buf, jpg, 40);
	image_error(p.buf, "not a readable JPEG");
	sbuf_reset(&p);
	{
		/* a JPEG frame header of 20000 x 20000 */
		static const unsigned char sof[] = {
			0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x4E, 0x20,
			0x4E, 0x20, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01,
			0x03, 0x11, 0x01, 0xFF, 0xD9
		};
		sbuf_addf(&p, "%s/huge.jpg", dir);
		write_bytes(p.buf, sof, sizeof(sof));
		image_error(p.buf, "20000x20000 pixels (400 megapixels)");
		sbuf_reset(&p);
	}
	{
		/* a bad CRC in the image data */
		unsigned char *bad = xmalloc(np);
		size_t at = 0;
		memcpy(bad, png, np);
		for (size_t i = 8; i + 8 < np; i++)
			if (!memcmp(bad + i, "IDAT", 4)) {
				at = i + 20;
				break;
			}
		check(at > 0 && at < np);
		bad[at] ^= 0x55;
		sbuf_addf(&p, "%s/crc.png", dir);
		write_bytes(p.buf, bad, np);
		image_error(p.buf, "PNG");
		sbuf_reset(&p);
		free(bad);
	}
	sbuf_addf(&p, "%s/missing.png", dir);
	image_error(p.buf, "cannot read image");
	{
		struct diag d = DIAG_INIT;
		doc *dc = doc_new("en", DOC_A4);
		doc_image(dc, "/dev/zero", 0, 0, "roster.csv:9:12");
		doc_image(dc, "tests", 0, 0, "roster.csv:9:12");
		check(typeset_run(dc, fs, &d) == NULL);
		check(d.n && strstr(d.v[0].msg, "'/dev/zero' is not a regular file"));
		doc_free(dc);
		diag_release(&d);
	}
	sbuf_release(&p);
	free(jpg);
	free(png);
}

/* A 49-megapixel PNG is decoded, scaled down and written with the whole
 * process under 300 MB. Not under the sanitizers, whose shadow memory
 * counts too. */
#if defined(__SANITIZE_ADDRESS__)
#define BIG_IMAGE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BIG_IMAGE 0
#endif
#endif
#ifndef BIG_IMAGE
#define BIG_IMAGE 1
#endif

#include <png.h>

static void test_big_image(const char *dir)
{
	struct sbuf p = SBUF_INIT, out = SBUF_INIT;
	png_image pi;
	unsigned char *px;
	struct diag d = DIAG_INIT;
	doc *dc;
	typeset_doc *td;
	struct rusage ru;
	const unsigned w = 7000, h = 7000;

	if (!BIG_IMAGE)
		return;
	px = xcalloc((size_t)w * h, 3);
	for (size_t y = 0; y < h; y++)
		for (size_t x = 0; x < w; x += 7)
			px[(y * w + x) * 3] = (unsigned char)(x ^ y);
	memset(&pi, 0, sizeof(pi));
	pi.version = PNG_IMAGE_VERSION;
	pi.width = w;
	pi.height = h;
	pi.format = PNG_FORMAT_RGB;
	sbuf_addf(&p, "%s/big.png", dir);
	check(png_image_write_to_file(&pi, p.buf, 0, px, 0, NULL));
	free(px);
	dc = doc_new("en", DOC_A4);
	doc_image(dc, p.buf, 0, 0, "big");
	td = typeset_run(dc, fs, &d);
	check(td != NULL);
	if (td) {
		check_int(td->nimages, 1);
		check(td->images[0].width * td->images[0].height <= 6000000u);
		check_int(td->images[0].width, 2334);
		sbuf_addf(&out, "%s/big.pdf", dir);
		check(pdf_write(td, out.buf, 0, &d) == 1);
		unlink(out.buf);
	}
	getrusage(RUSAGE_SELF, &ru);
	if (ru.ru_maxrss > 300 * 1024)
		fprintf(stderr, "peak RSS %ld KiB\n", ru.ru_maxrss);
	check(ru.ru_maxrss < 300 * 1024);
	unlink(p.buf);
	typeset_free(td);
	doc_free(dc);
	diag_release(&d);
	sbuf_release(&p);
	sbuf_release(&out);
}

/* ---- the justification fallback ---- */

static void test_justify_fallback(void)
{
	const char *text = "Հայաստանի Հանրապետության մարդու իրավունքների "
			   "պաշտպանը պահանջում է անհապաղ ազատ արձակել "
			   "կալանավորված անձանց, որոնց թվում են "
			   "զինծառայողներ և քաղաքացիական անձինք";
	double worst[2] = { 0, 0 };
	for (int on = 0; on < 2; on++) {
		struct diag d = DIAG_INIT;
		doc *dc = doc_new("hy", DOC_A4);
		struct doc_span s = SPAN(text);
		typeset_doc *td;
		doc_set_justify_fallback(dc, on);
		/* a narrow measure: a table cell is not justified, so use the
		 * paragraph at full width and read the gaps between words */
		for (int i = 0; i < 3; i++)
			doc_para(dc, DOC_JUSTIFY, &s, 1);
		td = run(dc, &d);
		check(td != NULL);
		if (td) {
			const struct ts_page *pg = &td->pages[0];
			for (size_t i = 1; i < pg->n; i++) {
				const struct ts_box *a = &pg->box[i - 1], *b = &pg->box[i];
				if (a->kind == TS_TEXT && b->kind == TS_TEXT &&
				    fabs(a->y - b->y) < 0.01 && b->x > a->x) {
					double g = b->x - (a->x + a->w);
					if (g > worst[on])
						worst[on] = g;
				}
			}
		}
		typeset_free(td);
		doc_free(dc);
		diag_release(&d);
	}
	/* with the fallback no word gap exceeds a space's width (about
	 * 2.7 pt at 10.5 pt) */
	check(worst[1] < 0.01 || worst[1] <= 3.0);
	check(worst[0] >= worst[1]);
}

/* These characters in Noto Serif Bold Italic made libharu's rebuilt font
 * end exactly at a 4 KiB block, where its empty 'prep' table could not be
 * sought (found by the fuzzer; see pdf_font_subset). */
static void test_font_block(const char *dir)
{
	struct diag d = DIAG_INIT;
	doc *dc = doc_new("en", DOC_A4);
	struct doc_span s = { .text = " (-146acdefghilnoprstuwy",
			      .style = DOC_BOLD | DOC_ITALIC };
	struct sbuf p = SBUF_INIT;
	typeset_doc *td;
	doc_para(dc, DOC_LEFT, &s, 1);
	td = run(dc, &d);
	sbuf_addf(&p, "%s/block.pdf", dir);
	check(td && pdf_write(td, p.buf, 0, &d) == 1);
	check_int(d.n, 0);
	unlink(p.buf);
	sbuf_release(&p);
	typeset_free(td);
	doc_free(dc);
	diag_release(&d);
}

/* ---- writing ---- */

static int write_pdf(typeset_doc *td, const char *dir, const char *name)
{
	struct sbuf p = SBUF_INIT;
	struct diag d = DIAG_INIT;
	long r;
	sbuf_addf(&p, "%s/%s", dir, name);
	r = td ? pdf_write(td, p.buf, 0, &d) : -1;
	if (r < 0 || d.n)
		diag_print(&d, stderr);
	sbuf_release(&p);
	diag_release(&d);
	typeset_free(td);
	return r < 0 ? 1 : 0;
}

static int write_all(const char *dir)
{
	static const char *const langs[] = { "en", "ru", "hy" };
	struct diag d = DIAG_INIT;
	size_t first[6];
	int status = 0;
	doc *dc;

	for (int i = 0; i < 3; i++) {
		char name[32];
		dc = chart_doc(langs[i]);
		snprintf(name, sizeof(name), "chart-%s.pdf", langs[i]);
		status |= write_pdf(run(dc, &d), dir, name);
		doc_free(dc);
	}
	dc = links_doc();
	status |= write_pdf(run(dc, &d), dir, "links.pdf");
	doc_free(dc);
	dc = part_doc("F-002", "Babken Sargsyan", 2, NULL);
	status |= write_pdf(run(dc, &d), dir, "other.pdf");
	doc_free(dc);
	status |= write_pdf(binder(&d, first), dir, "binder.pdf");
	dc = proof_doc(DOC_A4_LANDSCAPE);
	status |= write_pdf(run(dc, &d), dir, "proof-a4.pdf");
	doc_free(dc);
	dc = proof_doc(DOC_LETTER_LANDSCAPE);
	status |= write_pdf(run(dc, &d), dir, "proof-letter.pdf");
	doc_free(dc);
	if (d.nerrors)
		diag_print(&d, stderr);
	diag_release(&d);
	return status;
}

static int dump(const char *name)
{
	struct diag d = DIAG_INIT;
	typeset_doc *td = NULL;
	doc *dc = NULL;
	size_t first[6];
	if (!strcmp(name, "chart-en") || !strcmp(name, "chart-hy")) {
		dc = chart_doc(name + 6);
		td = run(dc, &d);
	} else if (!strcmp(name, "binder")) {
		td = binder(&d, first);
	}
	if (td)
		dump_boxes(td, stdout);
	typeset_free(td);
	doc_free(dc);
	diag_release(&d);
	return td ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct diag d = DIAG_INIT;
	char dir[] = "/tmp/t_engine.XXXXXX";
	int status;

	fs = font_set_load("fonts", &d);
	if (!fs) {
		diag_print(&d, stderr);
		return 1;
	}
	if (argc == 3 && (!strcmp(argv[1], "--write") || !strcmp(argv[1], "--dump"))) {
		status = argv[1][2] == 'w' ? write_all(argv[2]) : dump(argv[2]);
		font_set_free(fs);
		return status;
	}
	if (!mkdtemp(dir))
		return 1;
	test_charts();
	test_links();
	test_binder();
	test_paper_highlight();
	test_overflow();
	test_justify_fallback();
	test_images(dir);
	test_big_image(dir);
	test_font_block(dir);
	rmdir(dir);
	font_set_free(fs);
	return check_done();
}
