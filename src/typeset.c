/* typeset.c: document tree + fonts -> pages of positioned boxes.
 *
 * Three stages. Each block becomes rows (a row is a line of text, a table
 * row, an image...) laid out at the width of the text area; a row carries
 * its boxes relative to its top, whether the page may break after it, and
 * the footnotes it refers to. Pagination then fills pages with rows,
 * moving chains of rows that must stay together, reserving room for the
 * footnotes of each page and repeating table headers. Last, each page gets
 * its header, footer and page number, and the bookmarks their pages.
 *
 * The stages run as a stream (typeset_stream_*): blocks come in pieces,
 * rows are paginated as soon as nothing still to come can change where
 * they go, and a finished page goes to a sink. typeset_run is the same
 * stream fed once, keeping its pages.
 *
 * The typesetter's files share ts.h: ts-text.c (characters, line
 * breaking, text rows and the overflow reports), ts-rows.c (rows, tables,
 * fact rows, blocks of any kind into rows), ts-chart.c (bar charts) and
 * ts-page.c (footnotes, pagination, header, footer and page numbers);
 * images are read by image.c. This file is the stage: the thread's line
 * breakers, setting up and feeding the stream (typeset_stream_*,
 * typeset_run), freeing the result and the small public getters and
 * measuring helpers. */
#include "typeset.h"
#include "diag.h"
#include "doc.h"
#include "font.h"
#include "image.h"
#include "ts.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>

/* ---- line breakers and the typesetter's state ---- */

static int lang_script(const char *lang)
{
	if (!strcmp(lang, "hy"))
		return FONT_ARMENIAN;
	if (!strcmp(lang, "ru"))
		return FONT_CYRILLIC;
	return FONT_LATIN;
}

/* ICU's line breakers, one per thread and language, opened at the
 * thread's first document in that language and closed when the thread
 * ends: opening one costs as much as breaking a short brief's
 * paragraphs. Sharing is safe within a thread because a paragraph's
 * breaks are read in one go (ts_finish_para), whatever documents are being
 * typeset at once. */
#define BREAKERS 8
struct breakers {
	char lang[BREAKERS][8];
	UBreakIterator *bi[BREAKERS];
};

static pthread_key_t breakers_key;
static pthread_once_t breakers_once = PTHREAD_ONCE_INIT;

static void breakers_free(void *arg)
{
	struct breakers *b = arg;
	for (int i = 0; i < BREAKERS; i++)
		if (b->bi[i])
			ubrk_close(b->bi[i]);
	free(b);
}

/* Without a thread key (the system's limit reached) each document opens
 * and closes its own breaker: slower, not wrong. */
static int breakers_ok;

static void breakers_init(void)
{
	breakers_ok = pthread_key_create(&breakers_key, breakers_free) == 0;
}

static UBreakIterator *line_breaker(const char *lang, int *own, UErrorCode *e)
{
	struct breakers *b;
	int i;

	pthread_once(&breakers_once, breakers_init);
	b = breakers_ok ? pthread_getspecific(breakers_key) : NULL;
	if (breakers_ok && !b) {
		b = xcalloc(1, sizeof(*b));
		if (pthread_setspecific(breakers_key, b)) {
			free(b);
			b = NULL;
		}
	}
	if (!b) {
		*own = 1;
		return ubrk_open(UBRK_LINE, lang, NULL, 0, e);
	}
	for (i = 0; i < BREAKERS && b->bi[i]; i++)
		if (!strncmp(b->lang[i], lang, sizeof(b->lang[i]) - 1))
			return b->bi[i];
	*own = i == BREAKERS; /* more languages than slots: the caller's */
	if (*own)
		return ubrk_open(UBRK_LINE, lang, NULL, 0, e);
	b->bi[i] = ubrk_open(UBRK_LINE, lang, NULL, 0, e);
	if (U_FAILURE(*e)) {
		b->bi[i] = NULL;
		return NULL;
	}
	snprintf(b->lang[i], sizeof(b->lang[i]), "%s", lang);
	return b->bi[i];
}

static int ts_init(struct ts *ts, const doc *d, const font_set *fs,
		   struct diag *dg)
{
	UErrorCode e = U_ZERO_ERROR;

	memset(ts, 0, sizeof(*ts));
	ts->doc = d;
	ts->fs = fs;
	ts->d = dg;
	ts->lang_script = lang_script(d->lang);
	ts->hyph[FONT_LATIN] = font_hyph_for(fs, "en");
	ts->hyph[FONT_CYRILLIC] = font_hyph_for(fs, "ru");
	ts->bi = line_breaker(d->lang, &ts->own_bi, &e);
	if (U_FAILURE(e))
		return diag_error(dg, (struct diag_loc){ 0 },
				  "cannot open the line breaker: %s",
				  u_errorName(e));
	return 0;
}

static void ts_release(struct ts *ts)
{
	ts_rows_release(&ts->rows);
	for (size_t i = 0; i < ts->ntables; i++)
		ts_rows_release(&ts->tables[i].head);
	free(ts->tables);
	ts_table_forget(&ts->tab);
	for (size_t i = 0; i < ts->nnotes; i++)
		ts_rows_release(&ts->notes[i]);
	free(ts->notes);
	free(ts->note_h);
	for (size_t i = 0; i < ts->nlabels; i++)
		free(ts->note_label[i]);
	free(ts->note_label);
	free(ts->pg.notes);
	doc_free(ts->settings);
	if (ts->own_bi && ts->bi)
		ubrk_close(ts->bi);
	ts->bi = NULL; /* otherwise the thread's (line_breaker) */
}

/* ---- the stream ---- */

struct typeset_stream {
	struct ts ts;
};

/* What typesetting reads of a document besides its blocks and notes,
 * copied: rows set after a feed (the furniture of the last pages, the
 * last row of a table) still read it. */
static void settings_update(struct ts *ts, const doc *d)
{
	doc *s = ts->settings;
	typeset_doc *td = ts->td;

	s->hyphenate = d->hyphenate;
	s->justify_fallback = d->justify_fallback;
	doc_set_page_text(s, d->header, d->footer_left, d->page_template);
	for (int i = 0; i < DOC_NINFO; i++) {
		free(td->info[i]);
		td->info[i] = d->info[i] ? xstrdup(d->info[i]) : NULL;
	}
	td->has_date = d->has_date;
	memcpy(td->date, d->date, sizeof(td->date));
}

typeset_stream *typeset_stream_new(const doc *d, const font_set *fs,
				   const struct typeset_sink *sink,
				   struct diag *dg)
{
	typeset_stream *s = xcalloc(1, sizeof(*s));
	struct ts *ts = &s->ts;
	typeset_doc *td = xcalloc(1, sizeof(*td));

	td->fonts = fs;
	if (d->paper == DOC_LETTER || d->paper == DOC_LETTER_LANDSCAPE) {
		td->page_w = 612;
		td->page_h = 792;
	} else {
		td->page_w = 595.276;
		td->page_h = 841.89;
	}
	if (d->paper == DOC_A4_LANDSCAPE || d->paper == DOC_LETTER_LANDSCAPE) {
		double w = td->page_w;
		td->page_w = td->page_h;
		td->page_h = w;
	}
	memcpy(td->lang, d->lang, sizeof(td->lang));

	if (ts_init(ts, d, fs, dg) < 0) {
		ts->td = td;
		typeset_stream_abort(s);
		return NULL;
	}
	ts->td = td;
	ts->settings = doc_new(d->lang, d->paper);
	settings_update(ts, d);
	ts->doc = ts->settings;
	ts->keep = !sink;
	if (sink)
		ts->sink = *sink;
	/* 25 mm side margins on A4 (about 66 characters a line at 10.5 pt),
	 * a little more at the foot for the page number. */
	ts->left = 72;
	ts->measure = td->page_w - 2 * 72;
	ts->top = 76;
	ts->bottom = 76;
	ts->body_h = td->page_h - ts->top - ts->bottom;
	ts->pg.ts = ts;
	ts_new_page(&ts->pg, 0);
	return s;
}

static int stream_feed(struct ts *ts, const doc *d)
{
	if (ts->err)
		return -1;
	settings_update(ts, d);
	ts->doc = d;
	if (ts_layout_notes(ts) < 0)
		ts->err = 1;
	for (size_t i = 0; i < d->nblocks && !ts->err; i++) {
		if (ts_block_rows(ts, &d->blocks[i]) < 0)
			break;
		/* Streamed, rows go as soon as they can; kept, at the end
		 * of the feed, which is the same pages with fewer passes. */
		if (!ts->keep)
			ts_paginate(ts, 0);
	}
	if (!ts->err) {
		/* The cells of a row cut by the end of the feed. */
		if (ts->tab.tid)
			ts_table_cells_hold(&ts->tab);
		ts_paginate(ts, 0);
	}
	ts->doc = ts->settings;
	return ts->err ? -1 : 0;
}

int typeset_stream_feed(typeset_stream *s, doc *d)
{
	return stream_feed(&s->ts, d);
}

typeset_doc *typeset_stream_end(typeset_stream *s)
{
	struct ts *ts = &s->ts;
	typeset_doc *td = NULL;

	if (!ts->err) {
		/* A table left open ends with the document. */
		size_t first = ts->rows.n;
		if (ts_table_close(ts) < 0)
			ts->err = 1;
		else
			ts_break_before(ts, first);
	}
	if (!ts->err)
		ts_paginate(ts, 1);
	if (!ts->err && ts->keep)
		for (size_t i = 0; i < ts->td->npages && !ts->err; i++)
			if (ts_page_furniture(ts, i, ts->td->npages) < 0)
				ts->err = 1;
	if (!ts->err) {
		td = ts->td;
		ts->td = NULL;
	}
	typeset_stream_abort(s);
	return td;
}

void typeset_stream_abort(typeset_stream *s)
{
	if (!s)
		return;
	typeset_free(s->ts.td);
	ts_release(&s->ts);
	free(s);
}

typeset_doc *typeset_run(const doc *d, const font_set *fs, struct diag *dg)
{
	typeset_stream *s = typeset_stream_new(d, fs, NULL, dg);

	if (!s)
		return NULL;
	if (stream_feed(&s->ts, d) < 0) {
		typeset_stream_abort(s);
		return NULL;
	}
	return typeset_stream_end(s);
}

/* ---- the result, images, measuring ---- */

/* Free member of each of the n elements of array v, then v. */
#define FREE_EACH(v, n, member) do { \
		for (size_t i_ = 0; i_ < (n); i_++) \
			free((v)[i_].member); \
		free(v); \
	} while (0)

void typeset_free(typeset_doc *td)
{
	if (!td)
		return;
	for (size_t i = 0; i < td->npages; i++) {
		for (size_t k = 0; k < td->pages[i].n; k++)
			ts_box_release(&td->pages[i].box[k]);
		free(td->pages[i].box);
	}
	free(td->pages);
	FREE_EACH(td->outline, td->noutline, title);
	FREE_EACH(td->images, td->nimages, data);
	for (int i = 0; i < DOC_NINFO; i++)
		free(td->info[i]);
	FREE_EACH(td->dests, td->ndests, name);
	FREE_EACH(td->labels, td->nlabels, prefix);
	for (size_t i = 0; i < td->nover; i++) {
		free(td->over[i].kind);
		free(td->over[i].source);
		free(td->over[i].what);
	}
	free(td->over);
	free(td);
}

void typeset_image_cache_clear(void)
{
	image_cache_clear();
}

size_t typeset_image_decodes(void)
{
	return image_decodes();
}

size_t typeset_page_count(const typeset_doc *td)
{
	return td->npages;
}

double typeset_text_width(const font_set *fs, int style, const char *lang,
			  const char *text, double size)
{
	doc dd;
	struct ts ts;
	struct para p = { 0 };
	struct diag dg = DIAG_INIT;
	double w = -1;

	memset(&dd, 0, sizeof(dd));
	snprintf(dd.lang, sizeof(dd.lang), "%s", lang);
	memset(&ts, 0, sizeof(ts));
	ts.doc = &dd;
	ts.fs = fs;
	ts.d = &dg;
	ts.lang_script = lang_script(lang);
	if (ts_add_text(&ts, &p, text, (enum font_style)style, size, 0, NULL, 0,
			NULL) == 0) {
		int cur = ts.lang_script, ok = 1;
		w = 0;
		for (size_t i = 0; i < p.n && ok; i++) {
			int sc = font_script_of(p.c[i].cp);
			const font_face *f;
			if (sc != FONT_COMMON)
				cur = sc;
			if (p.c[i].invis)
				continue;
			f = font_lookup(fs, (enum font_style)style, cur, p.c[i].cp);
			if (!f)
				ok = 0;
			else
				w += font_advance(f, p.c[i].cp) * size / 1000.0;
		}
		if (!ok)
			w = -1;
	}
	free(p.c);
	diag_release(&dg);
	return w;
}

long typeset_break_lines(const font_set *fs, const char *lang,
			 const char *text, double size, double measure,
			 int hyphenate, size_t *starts, size_t max,
			 struct diag *dg)
{
	doc *dd = doc_new(lang, DOC_A4);
	struct ts ts;
	struct para p = { 0 };
	struct line *lines = NULL;
	size_t nl = 0;
	long ret = -1;

	dd->hyphenate = hyphenate;
	if (ts_init(&ts, dd, fs, dg) < 0)
		goto out;
	if (ts_add_text(&ts, &p, text, FONT_BODY, size, 0, NULL, 0, NULL) < 0 ||
	    ts_finish_para(&ts, &p) < 0)
		goto out;
	nl = ts_break_para(&ts, &p, measure, measure, hyphenate, 0, &lines);
	/* Character index -> byte offset. */
	for (size_t i = 0, ci = 0, bi = 0; i < nl && i < max; i++) {
		const unsigned char *u = (const unsigned char *)text;
		while (ci < lines[i].start) {
			uint32_t cp;
			int k = utf8_decode(u + bi, strlen(text) - bi, &cp);
			bi += (size_t)k;
			if (cp != '\r')
				ci++;
		}
		starts[i] = bi;
	}
	ret = (long)nl;
out:
	free(lines);
	free(p.c);
	ts_release(&ts);
	doc_free(dd);
	return ret;
}

size_t typeset_overflow_count(const typeset_doc *td)
{
	return td->nover;
}

struct typeset_overflow typeset_overflow(const typeset_doc *td, size_t i)
{
	struct typeset_overflow o = { NULL, NULL, NULL };
	if (i < td->nover) {
		o.kind = td->over[i].kind;
		o.source = td->over[i].source;
		o.what = td->over[i].what;
	}
	return o;
}

long typeset_dest_page(const typeset_doc *td, const char *name)
{
	for (size_t i = 0; i < td->ndests; i++)
		if (!strcmp(td->dests[i].name, name))
			return (long)td->dests[i].page;
	return -1;
}
