/* t_stream.c: typesetting in pieces. A document fed to typeset_stream a
 * few blocks at a time (the blocks dropped after each feed) gives the
 * pages of typeset_run box for box, and the same outline, destinations
 * and overflows; each page reaches the sink as soon as it is finished,
 * after the boxes of the pages before it are freed. The summary of a
 * generated roster, composed in pieces (summary_stream), typesets the same
 * as summary_compose's whole document. All names are fictional.
 *
 * Runs from the top of the tree (fonts/, layouts/, tests/golden/). */
#include "diag.h"
#include "doc.h"
#include "font.h"
#include "harness.h"
#include "summary.h"
#include "tpl.h"
#include "pages.h"
#include "typeset.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static font_set *fonts;

/* ---- what the sink saw ---- */

struct page_copy {
	struct ts_box *box;
	size_t n;
};

struct seen {
	struct page_copy *v;
	size_t n, alloc;
	int in_order;   /* pages came as 0, 1, 2... */
	int freed;      /* the pages before each had no boxes left */
	long stop_at;   /* return -1 at this page; -1: never */
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int seen_page(void *ctx, const typeset_doc *td, size_t index)
{
	struct seen *r = ctx;
	const struct ts_page *pg = &td->pages[index];
	struct page_copy *c;

	if (index != r->n)
		r->in_order = 0;
	for (size_t i = 0; i < index; i++)
		if (td->pages[i].n || td->pages[i].box)
			r->freed = 0;
	if (r->stop_at >= 0 && (size_t)r->stop_at == index)
		return -1;
	ALLOC_GROW(r->v, r->n + 1, r->alloc);
	c = &r->v[r->n++];
	c->n = pg->n;
	c->box = xcalloc(pg->n + 1, sizeof(*c->box));
	for (size_t k = 0; k < pg->n; k++) {
		c->box[k] = pg->box[k];
		c->box[k].text = dup_or_null(pg->box[k].text);
		c->box[k].dest = dup_or_null(pg->box[k].dest);
		c->box[k].file = dup_or_null(pg->box[k].file);
	}
	return 0;
}

static void seen_init(struct seen *r)
{
	memset(r, 0, sizeof(*r));
	r->in_order = r->freed = 1;
	r->stop_at = -1;
}

static void seen_release(struct seen *r)
{
	for (size_t i = 0; i < r->n; i++) {
		for (size_t k = 0; k < r->v[i].n; k++) {
			free(r->v[i].box[k].text);
			free(r->v[i].box[k].dest);
			free(r->v[i].box[k].file);
		}
		free(r->v[i].box);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* ---- comparing ---- */

static int str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static int box_eq(const struct ts_box *a, const struct ts_box *b)
{
	return a->kind == b->kind && a->x == b->x && a->y == b->y &&
	       a->w == b->w && a->h == b->h && a->lw == b->lw &&
	       a->face == b->face && a->size == b->size &&
	       str_eq(a->text, b->text) && a->image == b->image &&
	       a->fill == b->fill && a->hatch == b->hatch &&
	       str_eq(a->dest, b->dest) && str_eq(a->file, b->file);
}

/* Whether pages (n of them) hold the boxes of want's pages; the first
 * difference is printed. */
static int same_pages(const typeset_doc *want, const struct page_copy *got,
		      size_t n, const char *what)
{
	if (want->npages != n) {
		fprintf(stderr, "%s: %zu pages, want %zu\n", what, n,
			want->npages);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ts_page *w = &want->pages[i];
		if (w->n != got[i].n) {
			fprintf(stderr, "%s: page %zu has %zu boxes, want %zu\n",
				what, i + 1, got[i].n, w->n);
			return 0;
		}
		for (size_t k = 0; k < w->n; k++)
			if (!box_eq(&w->box[k], &got[i].box[k])) {
				fprintf(stderr, "%s: page %zu box %zu: \"%s\" at "
					"%.2f,%.2f, want \"%s\" at %.2f,%.2f\n",
					what, i + 1, k,
					got[i].box[k].text ? got[i].box[k].text : "",
					got[i].box[k].x, got[i].box[k].y,
					w->box[k].text ? w->box[k].text : "",
					w->box[k].x, w->box[k].y);
				return 0;
			}
	}
	return 1;
}

/* A kept typeset_doc's pages as copies to compare (borrowed boxes). */
static struct page_copy *pages_of(const typeset_doc *td)
{
	struct page_copy *v = xcalloc(td->npages + 1, sizeof(*v));
	for (size_t i = 0; i < td->npages; i++) {
		v[i].box = td->pages[i].box;
		v[i].n = td->pages[i].n;
	}
	return v;
}

static int has_overflow(const typeset_doc *td, const char *kind,
			const char *source, const char *what)
{
	for (size_t i = 0; i < td->nover; i++)
		if (!strcmp(td->over[i].kind, kind) &&
		    str_eq(td->over[i].source, source) &&
		    !strcmp(td->over[i].what, what))
			return 1;
	return 0;
}

/* Outline, destinations, overflows (in any order), images and the page
 * count of the stream's result against typeset_run's. */
static void check_same_doc(const typeset_doc *want, const typeset_doc *got)
{
	int ok = 1;

	check_int(got->npages, want->npages);
	check_int(got->noutline, want->noutline);
	for (size_t i = 0; i < want->noutline && i < got->noutline; i++)
		ok &= want->outline[i].level == got->outline[i].level &&
		      !strcmp(want->outline[i].title, got->outline[i].title) &&
		      want->outline[i].page == got->outline[i].page &&
		      want->outline[i].y == got->outline[i].y;
	check(ok);
	check_int(got->ndests, want->ndests);
	ok = 1;
	for (size_t i = 0; i < want->ndests && i < got->ndests; i++)
		ok &= !strcmp(want->dests[i].name, got->dests[i].name) &&
		      want->dests[i].page == got->dests[i].page &&
		      want->dests[i].y == got->dests[i].y;
	check(ok);
	check_int(got->nover, want->nover);
	ok = 1;
	for (size_t i = 0; i < want->nover; i++)
		ok &= has_overflow(got, want->over[i].kind,
				   want->over[i].source, want->over[i].what);
	check(ok);
	check_int(got->nlabels, want->nlabels);
	check_int(got->nimages, want->nimages);
	for (size_t i = 0; i < want->nimages && i < got->nimages; i++)
		check(got->images[i].len == want->images[i].len &&
		      !memcmp(got->images[i].data, want->images[i].data,
			      want->images[i].len));
	ok = 1;
	for (int i = 0; i < DOC_NINFO; i++)
		ok &= str_eq(want->info[i], got->info[i]);
	check(ok);
	/* the boxes went with the pages */
	ok = 1;
	for (size_t i = 0; i < got->npages; i++)
		ok &= !got->pages[i].n && !got->pages[i].box;
	check(ok);
}

/* ---- a long document, built in pieces ---- */

/* Called where the document may be cut: the stream feeds what was added
 * and drops it. */
struct cutter {
	typeset_stream *s;
	const struct seen *rec;
	int feeds, failed;
	size_t pages_mid; /* pages handed on when the table was half fed */
};

static void cut(struct cutter *c, doc *d)
{
	if (!c)
		return;
	if (typeset_stream_feed(c->s, d) < 0)
		c->failed = 1;
	doc_drop_blocks(d);
	c->feeds++;
}

#define NROWS 600

static void text(doc *d, const char *s)
{
	struct doc_span sp = { .text = s, .source = "t_stream" };
	doc_para(d, DOC_JUSTIFY, &sp, 1);
}

static void heading(doc *d, int level, const char *s)
{
	struct doc_span sp = { .text = s, .source = "t_stream heading" };
	doc_heading(d, level, &sp, 1);
}

static void cell(doc *d, const char *s, const char *dest, int note)
{
	struct doc_span sp[2] = {
		{ .text = s, .dest = dest, .source = "t_stream cell" },
		{ .footnote = note },
	};
	doc_table_cell(d, sp, note ? 2 : 1);
}

static const char lorem[] =
	"The committee met on a quiet morning and read the file again, line "
	"by line, before it agreed on the wording of its letter; nothing in "
	"this text refers to any real person, place or event. ";

/* The test document: cut(c) wherever a stream may take a piece; every
 * step rows of the long table (0: no cuts inside it), and once in the
 * middle of a row when mid_row. */
static void build(doc *d, struct cutter *c, int step, int mid_row)
{
	struct doc_span sp[4];
	char buf[2048];
	int n1, n2 = 0;
	static const double w4[] = { 0.6, 2.0, 1.0, 2.4 };
	static const double w2[] = { 1, 1 };

	doc_set_info(d, DOC_TITLE, "Stream test");
	doc_set_page_text(d, "A running header that is much too long for its "
			  "line, so that it has to be set smaller or cut, "
			  "which is reported as an overflow once per document "
			  "and never on a first pass", "Fictional test footer",
			  "Page {page} of {pages}");
	doc_set_hyphenate(d, 1);
	doc_anchor(d, "top");
	heading(d, 1, "A document typeset in pieces");
	n1 = doc_footnote(d, "1", (struct doc_span[]){ { .text = "A first "
			  "footnote, set at the foot of the page that cites "
			  "it.", .source = "note 1" } }, 1);
	memset(sp, 0, sizeof(sp));
	sp[0].text = "A paragraph with a link ";
	sp[1].text = "to a web page";
	sp[1].uri = "https://example.org/";
	sp[2].text = " and a note.";
	sp[3].footnote = n1;
	doc_para(d, DOC_LEFT, sp, 4);
	text(d, lorem);
	cut(c, d);

	/* A fact table and a keep group, cut in the middle. */
	heading(d, 2, "Facts");
	doc_facts_begin(d);
	for (int i = 0; i < 6; i++) {
		struct doc_span l = { .text = "Label of the fact", .source = "fact" };
		struct doc_span v = { .text = lorem, .source = "fact value" };
		doc_fact(d, &l, 1, &v, 1);
		if (i == 2)
			cut(c, d);
	}
	doc_facts_end(d);
	doc_keep_begin(d);
	heading(d, 3, "Kept together");
	text(d, lorem);
	cut(c, d);
	text(d, lorem);
	doc_keep_end(d);

	/* A list with a sublist, a chart, an image. */
	doc_list_begin(d, DOC_NUMBERS);
	for (int i = 0; i < 4; i++) {
		struct doc_span it = { .text = "An item of the list, long enough "
				       "to wrap to a second line of the page "
				       "when set.", .source = "item" };
		doc_list_item(d, &it, 1);
		if (i == 1) {
			doc_list_begin(d, DOC_BULLETS);
			doc_list_item(d, &it, 1);
			cut(c, d);
			doc_list_item(d, &it, 1);
			doc_list_end(d);
		}
	}
	doc_list_end(d);
	{
		static const char *const cats[] = { "First", "Second", "Third" };
		static const double v1[] = { 3, 5, 2 }, v2[] = { 1, 0, 4 };
		struct doc_chart_series ser[2] = { { "One", v1 }, { "Two", v2 } };
		struct doc_chart ch = { 0 };
		ch.categories = cats;
		ch.ncategories = 3;
		ch.series = ser;
		ch.nseries = 2;
		ch.stacked = 1;
		ch.horizontal = 1;
		ch.source = "chart";
		doc_chart_bars(d, &ch);
	}
	doc_image(d, "tests/golden/typeset/portrait.jpg", 120, 0, "image");
	cut(c, d);

	/* The long table: a header row, wrapped cells (split into a row per
	 * line), links to the anchor, a word too long for its column and a
	 * footnote added halfway. */
	heading(d, 2, "Roster");
	doc_anchor(d, "roster");
	text(d, "The table below runs over many pages.");
	doc_table_begin(d, 4, w4, 1);
	cell(d, "No.", NULL, 0);
	cell(d, "Name", NULL, 0);
	cell(d, "Status", NULL, 0);
	cell(d, "Note", NULL, 0);
	for (int r = 1; r <= NROWS; r++) {
		const char *note = "";
		int fn = 0;
		if (r == 300) {
			n2 = doc_footnote(d, "2", (struct doc_span[]){ { .text =
					  "A note added halfway through the "
					  "table.", .source = "note 2" } }, 1);
			fn = n2;
		}
		if (r % 50 == 0) {
			snprintf(buf, sizeof(buf), "%s%s%s", lorem, lorem, lorem);
			note = buf;
		} else if (r == 77) {
			note = "Averyveryverylongword0without1any2place3to4break5it6at7all8"
			       "that9does0not1fit";
		}
		{
			char no[16], name[64];
			snprintf(no, sizeof(no), "%d", r);
			snprintf(name, sizeof(name), "Test Person %d", r);
			cell(d, no, NULL, 0);
			cell(d, name, r % 10 == 0 ? "top" : NULL, 0);
			cell(d, r % 3 ? "held" : "released", NULL, 0);
			if (mid_row && r == 123)
				cut(c, d);
			cell(d, note, NULL, fn);
		}
		if (step && r % step == 0)
			cut(c, d);
		if (c && r == NROWS / 2)
			c->pages_mid = c->rec ? c->rec->n : 0;
	}
	doc_table_end(d);
	cut(c, d);

	/* After it: a page break, a note cited again, a rule and a table
	 * the document leaves open. */
	doc_page_break(d);
	heading(d, 2, "After the table");
	memset(sp, 0, sizeof(sp));
	sp[0].text = "The halfway note again.";
	sp[1].footnote = n2;
	doc_para(d, DOC_LEFT, sp, 2);
	doc_rule(d);
	doc_table_begin(d, 2, w2, 0);
	for (int r = 0; r < 40; r++) {
		snprintf(buf, sizeof(buf), "Left %d", r);
		cell(d, buf, NULL, 0);
		cell(d, r % 7 ? "right" : lorem, NULL, 0);
		if (r % 9 == 0)
			cut(c, d);
	}
	/* no doc_table_end: the table ends with the document */
	cut(c, d);
}

/* Keep groups and fact tables fed in two pieces, after 1 to 9
 * paragraphs, so that some of them do not fit where they start and
 * move to the next page whole; footnotes cited from the groups. */
static void build_groups(doc *d, struct cutter *c, int step, int mid_row)
{
	(void)step;
	(void)mid_row;
	doc_set_page_text(d, NULL, NULL, "{page}");
	for (int g = 0; g < 18; g++) {
		char label[16];
		int note;
		for (int i = 0; i <= g % 9; i++)
			text(d, lorem);
		snprintf(label, sizeof(label), "%d", g + 1);
		note = doc_footnote(d, label, (struct doc_span[]){ { .text =
				    "A note cited from a group.", .source =
				    "group note" } }, 1);
		if (g % 2) {
			doc_facts_begin(d);
			for (int i = 0; i < 8; i++) {
				struct doc_span l[2] = { { .text = "Label",
					.source = "fact" }, { .footnote = note } };
				struct doc_span v = { .text = lorem, .source = "fact" };
				doc_fact(d, l, i == 3 ? 2 : 1, &v, 1);
				if (i == 4)
					cut(c, d);
			}
			doc_facts_end(d);
		} else {
			doc_keep_begin(d);
			heading(d, 3, "A group kept on one page");
			for (int i = 0; i < 5; i++) {
				struct doc_span sp[2] = { { .text = lorem,
					.source = "kept" }, { .footnote = note } };
				doc_para(d, DOC_LEFT, sp, i == 1 ? 2 : 1);
				if (i == 2)
					cut(c, d);
			}
			doc_keep_end(d);
		}
		cut(c, d);
	}
}

typedef void (*builder)(doc *d, struct cutter *c, int step, int mid_row);

/* Stream the test document with total pages and cuts; compare with
 * want. */
static void stream_test_doc(const typeset_doc *want, builder fn, int step,
			    int mid_row, const char *what)
{
	struct diag d = DIAG_INIT;
	struct seen rec;
	struct typeset_sink sink = { seen_page, &rec, want->npages };
	struct cutter c = { 0 };
	doc *dc = doc_new("en", DOC_A4);
	typeset_doc *td;

	seen_init(&rec);
	c.rec = &rec;
	c.s = typeset_stream_new(dc, fonts, &sink, &d);
	check(c.s != NULL);
	if (!c.s)
		return;
	fn(dc, &c, step, mid_row);
	check(!c.failed);
	check(c.feeds > 10);
	td = typeset_stream_end(c.s);
	check(td != NULL);
	check(same_pages(want, rec.v, rec.n, what));
	check(rec.in_order);
	check(rec.freed);
	/* Pages go as they are finished: half the table fed, pages are out. */
	if (fn == build)
		check(c.pages_mid >= 5);
	if (td)
		check_same_doc(want, td);
	check_int(d.nerrors, 0);
	typeset_free(td);
	seen_release(&rec);
	doc_free(dc);
	diag_release(&d);
}

static void test_document(void)
{
	struct diag d = DIAG_INIT;
	doc *dc = doc_new("en", DOC_A4);
	typeset_doc *want, *td;
	struct seen rec;
	struct typeset_sink count = { seen_page, &rec, 0 };
	typeset_stream *s;

	build(dc, NULL, 0, 0);
	want = typeset_run(dc, fonts, &d);
	check(want != NULL);
	check_int(d.nerrors, 0);
	if (!want) {
		diag_print(&d, stderr);
		doc_free(dc);
		return;
	}
	/* The document exercises what it should. */
	check(want->npages > 15);
	check(typeset_dest_page(want, "top") == 0);
	check(typeset_dest_page(want, "roster") > 0);
	{
		int header = 0, word = 0;
		for (size_t i = 0; i < want->nover; i++) {
			header |= !strcmp(want->over[i].kind, "page header");
			word |= !strcmp(want->over[i].kind, "table cell");
		}
		check(header);
		check(word);
	}

	/* Fed whole, in pieces of 7 rows, of 1 row, cut inside a row. */
	{
		struct diag d2 = DIAG_INIT;
		struct seen r2;
		struct typeset_sink sink = { seen_page, &r2, want->npages };
		seen_init(&r2);
		s = typeset_stream_new(dc, fonts, &sink, &d2);
		check(typeset_stream_feed(s, dc) == 0);
		td = typeset_stream_end(s);
		check(td != NULL);
		check(same_pages(want, r2.v, r2.n, "whole"));
		if (td)
			check_same_doc(want, td);
		typeset_free(td);
		seen_release(&r2);
		diag_release(&d2);
	}
	stream_test_doc(want, build, 7, 0, "every 7 rows");
	stream_test_doc(want, build, 1, 0, "every row");
	stream_test_doc(want, build, 64, 1, "cut inside a row");

	/* Without a sink the pages stay, furniture included, as
	 * typeset_run keeps them. */
	{
		struct diag d2 = DIAG_INIT;
		struct cutter c = { 0 };
		doc *d3 = doc_new("en", DOC_A4);
		c.s = typeset_stream_new(d3, fonts, NULL, &d2);
		build(d3, &c, 13, 0);
		td = typeset_stream_end(c.s);
		check(td != NULL);
		if (td) {
			struct page_copy *pc = pages_of(td);
			check(same_pages(want, pc, td->npages, "kept"));
			free(pc);
		}
		typeset_free(td);
		doc_free(d3);
		diag_release(&d2);
	}

	/* A first pass counts the pages: no furniture, and so no overflow
	 * of the header. */
	seen_init(&rec);
	{
		struct diag d2 = DIAG_INIT;
		struct cutter c = { 0 };
		doc *d3 = doc_new("en", DOC_A4);
		int header = 0;
		c.s = typeset_stream_new(d3, fonts, &count, &d2);
		c.rec = &rec;
		build(d3, &c, 7, 0);
		td = typeset_stream_end(c.s);
		check(td != NULL);
		if (td) {
			check_int(td->npages, want->npages);
			check_int(rec.n, want->npages);
			for (size_t i = 0; i < td->nover; i++)
				header |= !strcmp(td->over[i].kind, "page header") ||
					  !strcmp(td->over[i].kind, "page number");
			check(!header);
		}
		/* the furniture is all that is missing */
		if (rec.n == want->npages)
			for (size_t i = 0; i < rec.n; i++) {
				check(rec.v[i].n < want->pages[i].n);
				for (size_t k = 0; k < rec.v[i].n && k < want->pages[i].n; k++)
					if (!box_eq(&rec.v[i].box[k], &want->pages[i].box[k])) {
						check(0);
						break;
					}
			}
		typeset_free(td);
		doc_free(d3);
		diag_release(&d2);
	}
	seen_release(&rec);

	/* A sink that stops: the stream fails and frees what it holds. */
	{
		struct diag d2 = DIAG_INIT;
		struct seen r2;
		struct typeset_sink sink = { seen_page, &r2, want->npages };
		struct cutter c = { 0 };
		doc *d3 = doc_new("en", DOC_A4);
		seen_init(&r2);
		r2.stop_at = 3;
		c.s = typeset_stream_new(d3, fonts, &sink, &d2);
		build(d3, &c, 7, 0);
		check(c.failed);
		check_int(r2.n, 3);
		td = typeset_stream_end(c.s);
		check(td == NULL);
		seen_release(&r2);
		doc_free(d3);
		diag_release(&d2);
	}
	/* and abort frees a stream midway */
	{
		struct diag d2 = DIAG_INIT;
		doc *d3 = doc_new("en", DOC_A4);
		s = typeset_stream_new(d3, fonts, NULL, &d2);
		heading(d3, 1, "Abandoned");
		doc_table_begin(d3, 2, NULL, 1);
		cell(d3, "a", NULL, 0);
		check(typeset_stream_feed(s, d3) == 0);
		typeset_stream_abort(s);
		doc_free(d3);
		diag_release(&d2);
	}

	typeset_free(want);
	doc_free(dc);
	diag_release(&d);
}

/* Groups cut in the middle are paginated as typeset_run does. */
static void test_groups(void)
{
	struct diag d = DIAG_INIT;
	doc *dc = doc_new("en", DOC_A4);
	typeset_doc *want;

	build_groups(dc, NULL, 0, 0);
	want = typeset_run(dc, fonts, &d);
	check(want != NULL);
	if (want) {
		int moved = 0;
		/* some group went to the next page, leaving room */
		for (size_t i = 0; i < want->noutline; i++)
			moved |= want->outline[i].y > 700;
		check(moved);
		stream_test_doc(want, build_groups, 0, 0, "groups");
	}
	typeset_free(want);
	doc_free(dc);
	diag_release(&d);
}

/* ---- the summary ---- */

static void make_people(struct summary_person *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char b[128];
		memset(&p[i], 0, sizeof(p[i]));
		snprintf(b, sizeof(b), "T-%04zu", i + 1);
		p[i].id = xstrdup(b);
		snprintf(b, sizeof(b), "Test Person %zu", i + 1);
		p[i].name_en = xstrdup(b);
		snprintf(b, sizeof(b), "Тестовый Человек %zu", i + 1);
		p[i].name_ru = xstrdup(i % 3 ? b : "");
		snprintf(b, sizeof(b), "Փորձնական Անձ %zu", i + 1);
		p[i].name_hy = xstrdup(i % 4 ? b : "");
		p[i].category = (enum category)(i % CAT_COUNT);
		p[i].status = (enum status)((i / 3) % ST_COUNT);
		p[i].ack = (enum ack)(i % 4);
		p[i].detained.y = 2020 + (int)(i % 5);
		p[i].detained.m = 1 + (int)(i % 12);
		p[i].detained.d = 1 + (int)(i % 28);
		snprintf(b, sizeof(b), "%04d-%02d-%02d", p[i].detained.y,
			 p[i].detained.m, p[i].detained.d);
		p[i].detained_on = xstrdup(b);
		p[i].sentence_life = i % 17 == 0;
		p[i].sentence_years = (double)(i % 20);
		snprintf(b, sizeof(b), "%zu", i % 20);
		p[i].sentence = xstrdup(p[i].sentence_life ? "life" : b);
		p[i].brief[0] = p[i].brief[1] = p[i].brief[2] =
			i % 2 ? "T-brief.pdf" : NULL;
	}
}

static void test_summary(const tpl_set *t, const struct summary_input *in,
			 const char *lang, size_t li, enum summary_links links)
{
	struct diag d = DIAG_INIT;
	doc *whole = summary_compose(t, lang, li, in, links, &d);
	typeset_doc *want = whole ? typeset_run(whole, fonts, &d) : NULL;
	summary_stream *ss;
	typeset_stream *ts;
	struct seen rec;
	struct typeset_sink sink = { seen_page, &rec, 0 };
	typeset_doc *td;
	int r, steps = 0, small = 1;
	char what[64];

	check(want != NULL);
	check_int(d.nerrors, 0);
	if (!want) {
		diag_print(&d, stderr);
		doc_free(whole);
		diag_release(&d);
		return;
	}
	snprintf(what, sizeof(what), "summary %s", lang);
	seen_init(&rec);
	sink.total_pages = want->npages;
	ss = summary_stream_new(t, lang, li, in, links, &d);
	check(ss != NULL);
	if (!ss)
		goto out;
	ts = typeset_stream_new(summary_stream_doc(ss), fonts, &sink, &d);
	check(typeset_stream_feed(ts, summary_stream_doc(ss)) == 0);
	doc_drop_blocks(summary_stream_doc(ss));
	while ((r = summary_stream_next(ss)) > 0) {
		doc *dc = summary_stream_doc(ss);
		/* at most 256 rows of 6 cells, and a few blocks around */
		small &= doc_block_count(dc) <= 256 * 6 + 16;
		check(typeset_stream_feed(ts, dc) == 0);
		doc_drop_blocks(dc);
		steps++;
	}
	check_int(r, 0);
	check(small);
	check(steps >= (int)((in->npeople + in->nskips) / 256));
	td = typeset_stream_end(ts);
	check(td != NULL);
	check(same_pages(want, rec.v, rec.n, what));
	check(rec.freed);
	if (td)
		check_same_doc(want, td);
	/* The notes the pieces cite are the whole document's. */
	check_int(doc_note_count(summary_stream_doc(ss)), doc_note_count(whole));
	typeset_free(td);
	summary_stream_free(ss);
out:
	check_int(d.nerrors, 0);
	seen_release(&rec);
	typeset_free(want);
	doc_free(whole);
	diag_release(&d);
}

int main(void)
{
	struct diag d = DIAG_INIT;
	tpl_set *t;
	struct summary_person *people;
	const struct summary_person **ptrs;
	struct summary_skip skips[300];
	struct summary_input in;
	size_t n = 700;

	fonts = font_set_load("fonts", &d);
	t = tpl_load("layouts", &d);
	check(fonts != NULL && t != NULL);
	if (!fonts || !t) {
		diag_print(&d, stderr);
		return check_done();
	}
	test_document();
	test_groups();

	people = xcalloc(n, sizeof(*people));
	make_people(people, n);
	ptrs = xcalloc(n, sizeof(*ptrs));
	for (size_t i = 0; i < n; i++)
		ptrs[i] = &people[i];
	for (size_t i = 0; i < ARRAY_SIZE(skips); i++) {
		char b[96];
		skips[i].line = 10 + (long)i;
		snprintf(b, sizeof(b), "S-%zu", i);
		skips[i].id = xstrdup(i % 5 ? b : "");
		snprintf(b, sizeof(b), "reason %zu: a value that cannot be read "
			 "as the column requires", i);
		skips[i].reason = xstrdup(b);
	}
	memset(&in, 0, sizeof(in));
	in.people = ptrs;
	in.npeople = n;
	in.skips = skips;
	in.nskips = ARRAY_SIZE(skips);
	in.left_out_appendix = 1;  /* the appendix streams too */
	in.as_of = (struct rdate){ 2026, 11, 27 };
	in.paper = DOC_A4;
	test_summary(t, &in, "en", 0, SUMMARY_LINK_FILES);
	test_summary(t, &in, "ru", 1, SUMMARY_LINK_DESTS);
	test_summary(t, &in, "hy", 2, SUMMARY_LINK_FILES);
	/* an empty roster: nothing after the front matter */
	in.npeople = 0;
	in.nskips = 0;
	test_summary(t, &in, "en", 0, SUMMARY_LINK_DESTS);

	for (size_t i = 0; i < n; i++) {
		/* made here field by field, not by summary_person_init */
		free(people[i].id);
		free(people[i].name_en);
		free(people[i].name_ru);
		free(people[i].name_hy);
		free(people[i].detained_on);
		free(people[i].sentence);
	}
	free(people);
	free(ptrs);
	for (size_t i = 0; i < ARRAY_SIZE(skips); i++) {
		free(skips[i].id);
		free(skips[i].reason);
	}
	tpl_free(t);
	font_set_free(fonts);
	diag_release(&d);
	return check_done();
}
