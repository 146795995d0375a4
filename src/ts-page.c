/* ts-page.c: rows onto pages, for the typesetter (ts.h). Footnotes are
 * laid out as they come (ts_layout_notes); pagination fills pages with
 * the rows whose place is certain, moving chains of rows that must stay
 * together, reserving room for the footnotes each page cites and
 * repeating table headers (ts_paginate); a finished page gets its
 * header, footer and page number (ts_page_furniture) and, streamed, goes
 * to the sink. */
#include "ts.h"
#include "diag.h"
#include "doc.h"
#include "font.h"
#include "sbuf.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- footnotes ---- */

/* Lay out the footnotes added since the last call: their heights are
 * needed to paginate the rows that cite them. A note's id never changes,
 * and the notes come before the blocks that cite them. */
int ts_layout_notes(struct ts *ts)
{
	const doc *d = ts->doc;
	struct rows saved = ts->rows;

	if (d->nnotes <= ts->nnotes)
		return 0;
	/* The labels first: a note may cite another. */
	ts->note_label = xrealloc(ts->note_label,
				  d->nnotes * sizeof(*ts->note_label));
	for (; ts->nlabels < d->nnotes; ts->nlabels++)
		ts->note_label[ts->nlabels] = xstrdup(d->notes[ts->nlabels].label);
	ts->notes = xrealloc(ts->notes, (d->nnotes + 1) * sizeof(*ts->notes));
	ts->note_h = xrealloc(ts->note_h, (d->nnotes + 1) * sizeof(*ts->note_h));
	for (size_t i = ts->nnotes; i < d->nnotes; i++) {
		struct doc_text t;
		struct doc_rspan *v = xcalloc(d->notes[i].text.n + 2, sizeof(*v));
		int r;

		/* The label, superscript, a space, then the note. */
		v[0].text = d->notes[i].label;
		v[0].style = DOC_SUPER;
		v[1].text = " ";
		for (size_t k = 0; k < d->notes[i].text.n; k++)
			v[k + 2] = d->notes[i].text.v[k];
		t.v = v;
		t.n = d->notes[i].text.n + 2;
		memset(&ts->rows, 0, sizeof(ts->rows));
		ts->box_kind = "footnote";
		r = ts_text_rows(ts, &t, FONT_SMALL, SMALL_SIZE, SMALL_LEAD,
				 ts->left, ts->measure, 0, 0, NULL, 0, 1);
		free(v);
		ts->notes[i] = ts->rows;
		ts->note_h[i] = 0;
		ts->nnotes = i + 1;
		for (size_t k = 0; k < ts->rows.n; k++)
			ts->note_h[i] += ts->rows.v[k].h;
		if (r == 0 && ts->note_h[i] > ts->body_h / 2) {
			char *s = ts_plain_text(&d->notes[i].text);
			ts_overflow(ts, "footnote", ts_text_source(&d->notes[i].text), s,
				    "%.0f pt tall, more than half the page",
				    ts->note_h[i]);
			free(s);
		}
		if (r < 0) {
			ts->rows = saved;
			return -1;
		}
	}
	ts->rows = saved;
	return 0;
}

/* ---- pagination ---- */

static void page_add(struct ts_page *pg, const struct ts_box *b)
{
	ALLOC_GROW(pg->box, pg->n + 1, pg->alloc);
	pg->box[pg->n++] = *b;
}

/* Move a row's boxes onto the page at the cursor: y becomes distance from
 * the page bottom. Text y is a baseline; link and image y their bottom;
 * rule y its line. */
static void place_boxes(struct pager *pg, const struct row *r, double top,
			int copy)
{
	double ptop = pg->ts->td->page_h - pg->ts->top;
	for (size_t i = 0; i < r->nbox; i++) {
		struct ts_box b = copy ? ts_box_dup(&r->box[i]) : r->box[i];
		b.y = ptop - top - b.y;
		page_add(pg->page, &b);
	}
}

static double notes_need(struct pager *pg, const struct row *r)
{
	double h = 0;
	for (size_t i = 0; i < r->nnotes; i++) {
		int seen = 0;
		for (size_t k = 0; k < pg->nnotes; k++)
			seen |= pg->notes[k] == r->notes[i];
		if (!seen)
			h += pg->ts->note_h[r->notes[i] - 1];
	}
	if (h > 0 && !pg->nnotes)
		h += NOTE_GAP;
	return h;
}

static void page_done(struct ts *ts, size_t index);

static void finish_page(struct pager *pg)
{
	struct ts *ts = pg->ts;
	double y;
	struct ts_box rule = { 0 };

	if (!pg->page)
		return;
	if (pg->nnotes) {
		/* Footnotes from the bottom margin up, in marker order,
		 * under a short rule. */
		y = ts->bottom + pg->notes_h - NOTE_GAP;
		rule.kind = TS_RULE;
		rule.x = ts->left;
		rule.w = 72;
		rule.lw = 0.4;
		rule.y = y + NOTE_GAP * 0.5;
		page_add(pg->page, &rule);
		for (size_t k = 0; k < pg->nnotes; k++) {
			const struct rows *nr = &ts->notes[pg->notes[k] - 1];
			for (size_t i = 0; i < nr->n; i++) {
				double ptop = ts->td->page_h - ts->top;
				/* place at the absolute top y */
				double top = ptop - y;
				place_boxes(pg, &nr->v[i], top, 1);
				y -= nr->v[i].h;
			}
		}
	}
	pg->page = NULL;
	pg->nnotes = 0;
	pg->notes_h = 0;
	page_done(ts, ts->td->npages - 1);
}

void ts_new_page(struct pager *pg, int table)
{
	typeset_doc *td = pg->ts->td;
	finish_page(pg);
	ALLOC_GROW(td->pages, td->npages + 1, td->apages);
	pg->page = &td->pages[td->npages++];
	memset(pg->page, 0, sizeof(*pg->page));
	pg->cursor = 0;
	pg->fresh = 1;
	if (table) {
		const struct rows *h = &pg->ts->tables[table - 1].head;
		for (size_t i = 0; i < h->n; i++) {
			place_boxes(pg, &h->v[i], pg->cursor, 1);
			pg->cursor += h->v[i].h;
		}
	}
}

static void place_row(struct pager *pg, struct row *r)
{
	struct ts *ts = pg->ts;
	double gap = pg->cursor > 0 && !pg->fresh ? r->gap : 0;
	double nh = notes_need(pg, r);

	pg->cursor += gap;
	if (r->outline_level) {
		typeset_doc *td = ts->td;
		struct ts_outline *o;
		ALLOC_GROW(td->outline, td->noutline + 1, td->aoutline);
		o = &td->outline[td->noutline++];
		o->level = r->outline_level;
		o->title = r->outline_title;
		r->outline_title = NULL;
		o->page = td->npages - 1;
		o->y = td->page_h - ts->top - pg->cursor + 4;
	}
	if (r->anchor) {
		typeset_doc *td = ts->td;
		int seen = 0;
		for (size_t i = 0; i < td->ndests && !seen; i++)
			seen = !strcmp(td->dests[i].name, r->anchor);
		if (seen) {
			diag_warning(ts->d, (struct diag_loc){ 0 }, "anchor '%s' "
				     "is defined twice; links go to the first",
				     r->anchor);
		} else {
			ALLOC_GROW(td->dests, td->ndests + 1, td->adests);
			td->dests[td->ndests].name = xstrdup(r->anchor);
			td->dests[td->ndests].page = td->npages - 1;
			td->dests[td->ndests].y = td->page_h - ts->top -
						  pg->cursor + 4;
			td->ndests++;
		}
	}
	place_boxes(pg, r, pg->cursor, 0);
	for (size_t i = 0; i < r->nbox; i++)
		r->box[i].text = r->box[i].dest = r->box[i].file = NULL;
	pg->cursor += r->h;
	pg->notes_h += nh;
	for (size_t i = 0; i < r->nnotes; i++) {
		int seen = 0;
		for (size_t k = 0; k < pg->nnotes; k++)
			seen |= pg->notes[k] == r->notes[i];
		if (!seen) {
			ALLOC_GROW(pg->notes, pg->nnotes + 1, pg->anotes);
			pg->notes[pg->nnotes++] = r->notes[i];
		}
	}
	pg->fresh = 0;
}

/* Height that rows [i, j] need on the current page, footnotes included. */
static double chain_need(struct pager *pg, size_t i, size_t j)
{
	struct ts *ts = pg->ts;
	double h = 0, nh = 0;
	size_t saved = pg->nnotes;

	for (size_t k = i; k <= j; k++) {
		const struct row *r = &ts->rows.v[k];
		double n1;
		h += r->h + ((k > i || (pg->cursor > 0 && !pg->fresh)) ? r->gap : 0);
		n1 = notes_need(pg, r);
		nh += n1;
		/* Count each note once across the chain. */
		for (size_t q = 0; q < r->nnotes; q++) {
			ALLOC_GROW(pg->notes, pg->nnotes + 1, pg->anotes);
			pg->notes[pg->nnotes++] = r->notes[q];
		}
	}
	pg->nnotes = saved;
	return h + nh;
}

/* Release the first n rows, placed. */
static void rows_drop(struct ts *ts, size_t n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		ts_row_release(&ts->rows.v[i]);
	memmove(ts->rows.v, ts->rows.v + n,
		(ts->rows.n - n) * sizeof(*ts->rows.v));
	ts->rows.n -= n;
	/* open keep groups start after them */
	for (size_t k = 0; k < ts->nkeep && k < ARRAY_SIZE(ts->keep_from); k++)
		ts->keep_from[k] = ts->keep_from[k] > n ? ts->keep_from[k] - n : 0;
}

/* Fill pages with the rows whose place is certain, and release them. A
 * row goes once the chain of rows kept with it ends in a row that nothing
 * still to come can change: not in an open keep group (its end ties its
 * rows together) and not the last row made (a sublist, the end of a keep
 * group or of its table change its keep_next, the table end its bottom
 * rule, and a page break may come before the next row). The rows are
 * held until then, which is what bounds a stream's memory. At the end
 * everything is certain, and the last page is finished. */
int ts_paginate(struct ts *ts, int at_end)
{
	struct pager *pg = &ts->pg;
	size_t i = 0, stable = ts->rows.n;

	if (!at_end) {
		stable = stable ? stable - 1 : 0;
		if (ts->nkeep && ts->keep_from[0] < stable)
			stable = ts->keep_from[0];
	}
	while (i < ts->rows.n && !ts->err) {
		struct row *r = &ts->rows.v[i];
		size_t j = i;
		double avail;

		if (r->brk_before && (pg->cursor > 0 || !pg->fresh) &&
		    pg->page->n) {
			ts_new_page(pg, 0);
			r->brk_before = 0;
			continue;
		}
		while (j + 1 < ts->rows.n && ts->rows.v[j].keep_next &&
		       !ts->rows.v[j + 1].brk_before)
			j++;
		if (j >= stable)
			break; /* the chain may yet grow */
		avail = ts->body_h - pg->cursor - pg->notes_h;
		if (chain_need(pg, i, j) <= avail + EPS) {
			for (size_t k = i; k <= j; k++) {
				pg->last_table = ts->rows.v[k].table;
				place_row(pg, &ts->rows.v[k]);
			}
			i = j + 1;
			continue;
		}
		if (!pg->fresh) {
			int cont = r->table && !r->header &&
				   r->table == pg->last_table ? r->table : 0;
			ts_new_page(pg, cont);
			continue;
		}
		/* Even a fresh page cannot hold the chain: place it row by
		 * row, breaking where it must. */
		pg->last_table = r->table;
		place_row(pg, r);
		i++;
	}
	rows_drop(ts, i);
	if (at_end && !ts->err)
		finish_page(pg);
	return ts->err ? -1 : 0;
}

/* ---- header, footer, page numbers ---- */

/* One line of page furniture: text at (x, y), or ending at x when right,
 * within room points. Too long, it is set smaller, down to
 * MIN_FURNITURE_SIZE, and then cut; either is reported. */
#define MIN_FURNITURE_SIZE 6.5
static int one_line(struct ts *ts, struct ts_page *pg, const char *text,
		    double x, double y, int right, double room, const char *kind)
{
	struct row r = { 0 };
	double size = SMALL_SIZE, w;
	int ret;

	ts->box_kind = NULL;
	w = ts_natural_width(ts, text, FONT_SMALL, size, kind);
	if (w < 0)
		return -1;
	if (w > room + EPS) {
		double s2 = floor(size * room / w * 10) / 10;
		if (s2 >= MIN_FURNITURE_SIZE) {
			ts_overflow(ts, kind, kind, text, "%.0f pt wide in %.0f pt, "
				    "set smaller", w, room);
			size = s2;
		} else {
			ts_overflow(ts, kind, kind, text, "%.0f pt wide in %.0f pt, "
				    "cut", w, room);
			size = MIN_FURNITURE_SIZE;
		}
	}
	ret = ts_line_into(ts, &r, text, FONT_SMALL, size, x, 0, right, kind, room);
	for (size_t i = 0; i < r.nbox; i++) {
		r.box[i].y = y - r.box[i].y;
		page_add(pg, &r.box[i]);
	}
	free(r.box);
	free(r.notes);
	return ret;
}

static void page_number(struct sbuf *sb, const char *s, size_t page,
			size_t pages)
{
	while (*s) {
		if (!strncmp(s, "{page}", 6)) {
			sbuf_addf(sb, "%zu", page);
			s += 6;
		} else if (!strncmp(s, "{pages}", 7)) {
			sbuf_addf(sb, "%zu", pages);
			s += 7;
		} else {
			sbuf_addch(sb, *s++);
		}
	}
}

/* The header, footer and page number of page i of total. */
int ts_page_furniture(struct ts *ts, size_t i, size_t total)
{
	const doc *d = ts->settings;
	typeset_doc *td = ts->td;
	struct ts_page *pg = &td->pages[i];
	double right = ts->left + ts->measure;

	/* The footer's left text has the room the widest page number
	 * leaves: the same on every page, so measured once. */
	if (ts->num_w_for != total) {
		ts->num_w = 0;
		if (d->page_template && total) {
			struct sbuf sb = SBUF_INIT;
			double w;
			page_number(&sb, d->page_template, total, total);
			w = ts_natural_width(ts, sb.buf, FONT_SMALL, SMALL_SIZE,
					     "page number");
			sbuf_release(&sb);
			if (w < 0)
				return -1;
			ts->num_w = w > ts->measure / 2 ? ts->measure / 2 : w;
		}
		ts->num_w_for = total;
	}
	if (d->header) {
		struct ts_box rule = { 0 };
		double y = td->page_h - ts->top + 22;
		if (one_line(ts, pg, d->header, ts->left, y, 0, ts->measure,
			     "page header") < 0)
			return -1;
		rule.kind = TS_RULE;
		rule.x = ts->left;
		rule.w = ts->measure;
		rule.y = y - 5;
		rule.lw = 0.4;
		page_add(pg, &rule);
	}
	if (d->footer_left &&
	    one_line(ts, pg, d->footer_left, ts->left, ts->bottom - 26, 0,
		     ts->measure - ts->num_w - (ts->num_w > 0 ? 18 : 0),
		     "page footer") < 0)
		return -1;
	if (d->page_template) {
		struct sbuf sb = SBUF_INIT;
		int r;
		page_number(&sb, d->page_template, i + 1, total);
		r = one_line(ts, pg, sb.buf, right, ts->bottom - 26, 1,
			     ts->measure / 2, "page number");
		sbuf_release(&sb);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* A page is finished. Streamed, it gets its furniture when the count of
 * pages is known (from a first pass), goes to the sink and gives up its
 * boxes; kept (typeset_run), its furniture waits for the count. */
static void page_done(struct ts *ts, size_t index)
{
	struct ts_page *pg = &ts->td->pages[index];

	if (ts->keep || ts->err)
		return;
	if (ts->sink.total_pages &&
	    ts_page_furniture(ts, index, ts->sink.total_pages) < 0)
		ts->err = 1;
	else if (ts->sink.page &&
		 ts->sink.page(ts->sink.ctx, ts->td, index) < 0)
		ts->err = 1;
	/* only the small page entry stays */
	for (size_t k = 0; k < pg->n; k++)
		ts_box_release(&pg->box[k]);
	free(pg->box);
	pg->box = NULL;
	pg->n = pg->alloc = 0;
}
