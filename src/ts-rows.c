/* ts-rows.c: rows and blocks into rows, for the typesetter (ts.h). A
 * row (a line of text, a table row, an image...) carries its boxes
 * relative to its top, whether the page may break after it and the
 * footnotes it cites. Here: the rows and their boxes; table rows, set one
 * at a time as their cells arrive (long ones split into a row per line,
 * split_row) with the header rows kept for repeating; fact rows; and
 * ts_block_rows, which turns a block of any kind into rows, keeping in
 * struct ts what carries over to the next block (the space after it,
 * a page break, open keep groups, lists and the open table). */
#include "ts.h"
#include "diag.h"
#include "doc.h"
#include "font.h"
#include "image.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rows and their boxes ---- */

struct ts_box *ts_row_box(struct row *r, enum ts_box_kind kind)
{
	struct ts_box *b;
	ALLOC_GROW(r->box, r->nbox + 1, r->abox);
	b = &r->box[r->nbox++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

void ts_row_note(struct row *r, int note)
{
	for (size_t i = 0; i < r->nnotes; i++)
		if (r->notes[i] == note)
			return;
	ALLOC_GROW(r->notes, r->nnotes + 1, r->anotes);
	r->notes[r->nnotes++] = note;
}
struct row *ts_new_row(struct ts *ts, double h, double gap)
{
	struct row *r;
	ALLOC_GROW(ts->rows.v, ts->rows.n + 1, ts->rows.alloc);
	r = &ts->rows.v[ts->rows.n++];
	memset(r, 0, sizeof(*r));
	r->h = h;
	r->gap = gap;
	return r;
}

void ts_box_release(struct ts_box *b)
{
	free(b->text);
	free(b->dest);
	free(b->file);
	b->text = b->dest = b->file = NULL;
}

/* The same box with copies of its strings. */
struct ts_box ts_box_dup(const struct ts_box *b)
{
	struct ts_box c = *b;
	c.text = b->text ? xstrdup(b->text) : NULL;
	c.dest = b->dest ? xstrdup(b->dest) : NULL;
	c.file = b->file ? xstrdup(b->file) : NULL;
	return c;
}

void ts_row_release(struct row *r)
{
	for (size_t i = 0; i < r->nbox; i++)
		ts_box_release(&r->box[i]);
	free(r->box);
	free(r->notes);
	free(r->outline_title);
	free(r->anchor);
}

void ts_rows_release(struct rows *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		ts_row_release(&rs->v[i]);
	free(rs->v);
	rs->v = NULL;
	rs->n = rs->alloc = 0;
}

static void row_copy(struct row *dst, const struct row *src)
{
	*dst = *src;
	dst->box = xmalloc((src->nbox ? src->nbox : 1) * sizeof(*dst->box));
	dst->abox = src->nbox;
	for (size_t i = 0; i < src->nbox; i++)
		dst->box[i] = ts_box_dup(&src->box[i]);
	dst->notes = NULL;
	dst->nnotes = dst->anotes = 0;
	for (size_t i = 0; i < src->nnotes; i++)
		ts_row_note(dst, src->notes[i]);
	dst->outline_title = NULL;
	dst->outline_level = 0;
	dst->anchor = NULL;
}

/* ---- tables and facts ---- */

/* A table row of more than four lines becomes a row per line, so that
 * a long cell can continue on the next page (under the repeated header);
 * its first two and last two lines stay together. Boxes go to the line
 * they lie on; footnotes stay with the first line. */
static void split_row(struct ts *ts, size_t ri, double lead, double pad)
{
	struct row r = ts->rows.v[ri];
	size_t n = (size_t)((r.h - 2 * pad) / lead + 0.5);

	if (n <= 4 || ri + 1 != ts->rows.n)
		return;
	ts->rows.n--;
	for (size_t i = 0; i < n; i++) {
		double top = i ? pad + lead * (double)i : 0;
		double h = lead + (i == 0 ? pad : 0) + (i + 1 == n ? pad : 0);
		struct row *sub = ts_new_row(ts, h, i ? 0 : r.gap);
		sub->table = r.table;
		sub->keep_next = i + 1 < n ? (i < 1 || i + 2 >= n) : r.keep_next;
		for (size_t k = 0; k < r.nbox; k++) {
			struct ts_box *b = &r.box[k];
			size_t line;
			double at = b->kind == TS_RECT || b->kind == TS_LINK
				? b->y - b->h / 2 : b->y; /* its middle */
			if (b->kind == TS_RULE)
				line = b->y <= 0 ? 0 : n - 1;
			else
				line = at <= pad ? 0 : (size_t)((at - pad) / lead);
			if (line >= n)
				line = n - 1;
			if (line != i)
				continue;
			*ts_row_box(sub, b->kind) = *b;
			sub->box[sub->nbox - 1].y -= top;
			b->text = b->dest = b->file = NULL; /* moved */
		}
		if (i == 0)
			for (size_t k = 0; k < r.nnotes; k++)
				ts_row_note(sub, r.notes[k]);
	}
	ts_row_release(&r);
}

/* A copy of a cell's text, for a row cut by the end of a feed. */
static struct doc_text text_dup(const struct doc_text *t)
{
	struct doc_text c = { NULL, t->n };
	if (!t->n)
		return c;
	c.v = xcalloc(t->n, sizeof(*c.v));
	for (size_t i = 0; i < t->n; i++) {
		const struct doc_rspan *s = &t->v[i];
		c.v[i] = *s;
		c.v[i].text = xstrdup(s->text);
		c.v[i].uri = s->uri ? xstrdup(s->uri) : NULL;
		c.v[i].source = s->source ? xstrdup(s->source) : NULL;
		c.v[i].dest = s->dest ? xstrdup(s->dest) : NULL;
		c.v[i].file = s->file ? xstrdup(s->file) : NULL;
	}
	return c;
}

static void text_drop(struct doc_text *t)
{
	doc_text_release(t);
	t->v = NULL;
	t->n = 0;
}

/* Drop the cells collected for the next row (copies freed). */
static void table_cells_drop(struct open_table *ot)
{
	for (size_t c = 0; c < ot->ncell; c++)
		if (ot->cell[c] == &ot->held[c])
			text_drop(&ot->held[c]);
	ot->ncell = 0;
}

/* Keep the cells of a row cut by the end of a feed. */
void ts_table_cells_hold(struct open_table *ot)
{
	for (size_t c = 0; c < ot->ncell; c++)
		if (ot->cell[c] != &ot->held[c]) {
			ot->held[c] = text_dup(ot->cell[c]);
			ot->cell[c] = &ot->held[c];
		}
}

void ts_table_forget(struct open_table *ot)
{
	if (ot->cell)
		table_cells_drop(ot);
	free(ot->cw);
	free(ot->cx);
	free(ot->cell);
	free(ot->held);
	memset(ot, 0, sizeof(*ot));
}

static void table_open(struct ts *ts, const struct doc_block *tb)
{
	struct open_table *ot = &ts->tab;
	size_t nc = tb->ncols;
	double total = 0;

	ot->ncols = nc;
	ot->header_rows = tb->header_rows;
	ot->rn = 0;
	ot->gap = ts->gap;
	ot->cw = xmalloc(nc * sizeof(*ot->cw));
	ot->cx = xmalloc(nc * sizeof(*ot->cx));
	ot->cell = xcalloc(nc, sizeof(*ot->cell));
	ot->held = xcalloc(nc, sizeof(*ot->held));
	ot->ncell = 0;
	for (size_t i = 0; i < nc; i++)
		total += tb->widths[i];
	for (size_t i = 0; i < nc; i++)
		ot->cw[i] = ts->measure * tb->widths[i] / total;
	ot->cx[0] = ts->left;
	for (size_t i = 1; i < nc; i++)
		ot->cx[i] = ot->cx[i - 1] + ot->cw[i - 1];
	ALLOC_GROW(ts->tables, ts->ntables + 1, ts->atables);
	memset(&ts->tables[ts->ntables++], 0, sizeof(*ts->tables));
	ot->tid = (int)ts->ntables;
}

/* The row of the cells collected (fewer than ncols only for the last
 * row of a table cut short). */
static int table_row(struct ts *ts)
{
	struct open_table *ot = &ts->tab;
	struct table_info *ti = &ts->tables[ot->tid - 1];
	size_t rn = ot->rn++;
	int header = rn < ot->header_rows;
	/* The first row keeps the space before the table. */
	struct row *r = ts_new_row(ts, 0, rn ? 0 : fmax2(ot->gap, PARA_GAP + 2));
	double h = 0;
	int err = 0;
	size_t ri = ts->rows.n - 1;

	ts->box_kind = "table cell";
	for (size_t c = 0; c < ot->ncell; c++) {
		double ch = ts_column_into(ts, &ts->rows.v[ri], ot->cell[c],
					   header ? FONT_BOLD : FONT_BODY,
					   TABLE_SIZE, TABLE_LEAD,
					   ot->cx[c] + CELL_PAD_X, CELL_PAD_Y,
					   ot->cw[c] - 2 * CELL_PAD_X, &err);
		if (err)
			return -1;
		h = fmax2(h, ch);
	}
	r = &ts->rows.v[ri];
	r->h = h + 2 * CELL_PAD_Y;
	if (header && r->h > ts->body_h / 2) {
		char *t = ts_plain_text(ot->cell[0]);
		ts_overflow(ts, "table cell", ts_text_source(ot->cell[0]), t,
			    "header row of %.0f pt, more than half the page", r->h);
		free(t);
	}
	table_cells_drop(ot);
	r->table = ot->tid;
	r->header = header;
	r->keep_next = header;
	/* Rules: heavy above the header and below the table, light
	 * between rows, medium under the header. */
	{
		struct ts_box *b = ts_row_box(r, TS_RULE);
		b->x = ts->left;
		b->w = ts->measure;
		b->y = r->h;
		b->lw = header && rn + 1 == ot->header_rows ? 0.6 : 0.25;
		if (rn == 0) {
			b = ts_row_box(r, TS_RULE);
			b->x = ts->left;
			b->w = ts->measure;
			b->y = 0;
			b->lw = 0.9;
		}
	}
	if (header) {
		struct row *h0;
		int has_top = 0;
		ALLOC_GROW(ti->head.v, ti->head.n + 1, ti->head.alloc);
		row_copy(&ti->head.v[ti->head.n++], r);
		ti->head.v[ti->head.n - 1].gap = 0;
		/* The repeated header starts with the heavy rule. */
		h0 = &ti->head.v[0];
		for (size_t i = 0; i < h0->nbox; i++)
			if (h0->box[i].kind == TS_RULE && h0->box[i].y == 0)
				has_top = 1;
		if (!has_top) {
			struct ts_box *b = ts_row_box(h0, TS_RULE);
			b->x = ts->left;
			b->w = ts->measure;
			b->lw = 0.9;
		}
	} else {
		split_row(ts, ri, TABLE_LEAD, CELL_PAD_Y);
	}
	return 0;
}

/* The end of the open table: its last row (the cells of a row cut
 * short) and the heavier rule under it. The last row is never paginated
 * before this (see ts_paginate). */
int ts_table_close(struct ts *ts)
{
	struct open_table *ot = &ts->tab;
	int tid = ot->tid;

	if (!tid)
		return 0;
	if (ot->ncell && table_row(ts) < 0)
		return -1;
	if (ts->rows.n && ts->rows.v[ts->rows.n - 1].table == tid) {
		struct row *last = &ts->rows.v[ts->rows.n - 1];
		for (size_t i = 0; i < last->nbox; i++)
			if (last->box[i].kind == TS_RULE &&
			    last->box[i].y == last->h)
				last->box[i].lw = 0.9;
		last->keep_next = 0;
	}
	ts_table_forget(ot);
	ts->gap = PARA_GAP + 4;
	return 0;
}

static int fact_row(struct ts *ts, const struct doc_block *b, double gap)
{
	struct row *r = ts_new_row(ts, 0, gap);
	size_t ri = ts->rows.n - 1;
	double lw = ts->measure * 0.30, h1, h2;
	int err = 0;

	ts->box_kind = "fact label";
	h1 = ts_column_into(ts, &ts->rows.v[ri], &b->text, FONT_BOLD, TABLE_SIZE + 0.5,
			    TABLE_LEAD + 0.5, ts->left, 0, lw - 8, &err);
	if (err)
		return -1;
	if (h1 > (TABLE_LEAD + 0.5) * MAX_LABEL_LINES + EPS) {
		char *t = ts_plain_text(&b->text);
		ts_overflow(ts, "fact label", ts_text_source(&b->text), t,
			    "wrapped to %.0f lines (at most %d)",
			    h1 / (TABLE_LEAD + 0.5), MAX_LABEL_LINES);
		free(t);
	}
	ts->box_kind = "fact value";
	h2 = ts_column_into(ts, &ts->rows.v[ri], &b->value, FONT_BODY,
			    TABLE_SIZE + 0.5, TABLE_LEAD + 0.5, ts->left + lw, 0,
			    ts->measure - lw, &err);
	if (err)
		return -1;
	r = &ts->rows.v[ri];
	r->h = fmax2(h1, h2);
	r->keep_next = 1;
	return 0;
}

/* ---- a block of any kind into rows ---- */

struct heading_style { double size, lead, before, after; };
static const struct heading_style heading_styles[4] = {
	{ 0, 0, 0, 0 },
	{ 17.0, 21.0, 16.0, 8.0 },
	{ 13.0, 16.5, 14.0, 5.0 },
	{ 11.0, 14.0, 10.0, 3.0 },
};

/* An image as a row of its own, scaled into the block's box (the
 * measure and half the text area by default); the image goes into
 * td->images. */
static int image_row(struct ts *ts, const struct doc_block *b, double gap)
{
	struct diag_loc at = { b->source ? b->source : b->path, 0, 0 };
	typeset_doc *td = ts->td;
	struct ts_image im;
	double mw = b->w > 0 && b->w < ts->measure ? b->w : ts->measure;
	double mh = b->h > 0 ? b->h : ts->body_h / 2;
	double w, h;
	struct row *r;
	struct ts_box *bx;

	if (image_load(b->path, ts->d, at, &im) < 0)
		return -1;
	ALLOC_GROW(td->images, td->nimages + 1, td->aimages);
	td->images[td->nimages++] = im;
	if (mh > ts->body_h - 20)
		mh = ts->body_h - 20;
	image_fit(&im, mw, mh, &w, &h);
	r = ts_new_row(ts, h, gap);
	bx = ts_row_box(r, TS_IMAGE);
	bx->x = ts->left;
	bx->w = w;
	bx->h = h;
	bx->y = r->h;
	bx->image = td->nimages - 1;
	return 0;
}

static void mark_keep(struct ts *ts, size_t from)
{
	for (size_t i = from; i + 1 < ts->rows.n; i++)
		ts->rows.v[i].keep_next = 1;
}

/* A page break asked for goes before the first row made since first. */
void ts_break_before(struct ts *ts, size_t first)
{
	if (ts->brk && ts->rows.n > first) {
		ts->rows.v[first].brk_before = 1;
		ts->brk = 0;
	}
}

/* One block into rows. What it leaves for the next block (the space
 * after it, a page break, open groups, lists and tables) is kept in ts,
 * so blocks may come a few at a time. */
int ts_block_rows(struct ts *ts, const struct doc_block *b)
{
	size_t first = ts->rows.n;
	double gap = ts->gap;

	/* A table ends at the first block that is not one of its cells. */
	if (ts->tab.tid && b->kind != BLK_CELL) {
		if (ts_table_close(ts) < 0)
			goto fail;
		ts_break_before(ts, first);
		first = ts->rows.n;
		gap = ts->gap;
	}
	switch (b->kind) {
	case BLK_HEADING: {
		const struct heading_style *hs = &heading_styles[b->level];
		ts->box_kind = "heading";
		if (ts_text_rows(ts, &b->text, FONT_HEADING, hs->size,
				 hs->lead, ts->left, ts->measure, 0,
				 fmax2(gap, hs->before), NULL, 0, 1) < 0)
			goto fail;
		if (ts->rows.n - first > MAX_HEADING_LINES) {
			char *t = ts_plain_text(&b->text);
			ts_overflow(ts, "heading", ts_text_source(&b->text), t,
				    "wrapped to %zu lines (at most %d)",
				    ts->rows.n - first, MAX_HEADING_LINES);
			free(t);
		}
		if (ts->rows.n > first) {
			ts->rows.v[first].outline_level = b->level;
			ts->rows.v[first].outline_title =
				ts_plain_text(&b->text);
			ts->rows.v[ts->rows.n - 1].keep_next = 1;
		}
		gap = hs->after;
		break;
	}
	case BLK_PARA:
		ts->box_kind = "paragraph";
		if (ts_text_rows(ts, &b->text, FONT_BODY, BODY_SIZE,
				 BODY_LEAD, ts->left, ts->measure,
				 b->align == DOC_JUSTIFY, fmax2(gap, PARA_GAP),
				 NULL, 0, 0) < 0)
			goto fail;
		gap = PARA_GAP;
		break;
	case BLK_LIST_BEGIN:
		/* An item that opens a sublist stays with its first
		 * item. */
		if (ts->nlists && ts->rows.n)
			ts->rows.v[ts->rows.n - 1].keep_next = 1;
		if (ts->nlists < ARRAY_SIZE(ts->lists)) {
			ts->lists[ts->nlists].kind = b->level;
			ts->lists[ts->nlists].count = 0;
		}
		ts->nlists++;
		break;
	case BLK_LIST_END:
		if (ts->nlists)
			ts->nlists--;
		/* After a sublist the outer list goes on as usual. */
		gap = ts->nlists ? 2.0 : PARA_GAP;
		break;
	case BLK_ITEM: {
		size_t nlists = ts->nlists, lv = nlists ? nlists : 1;
		double indent = LIST_INDENT * (double)lv;
		char mk[24];
		int kind = nlists && nlists <= ARRAY_SIZE(ts->lists)
			? ts->lists[nlists - 1].kind : DOC_BULLETS;
		int num = nlists && nlists <= ARRAY_SIZE(ts->lists)
			? ++ts->lists[nlists - 1].count : 1;
		double mx = ts->left + indent - 5;
		if (kind == DOC_NUMBERS)
			snprintf(mk, sizeof(mk), "%d.", num);
		else
			snprintf(mk, sizeof(mk), "%s",
				 lv % 2 ? "\xE2\x80\xA2" : "\xE2\x80\x93");
		ts->box_kind = "list item";
		if (ts_text_rows(ts, &b->text, FONT_BODY, BODY_SIZE,
				 BODY_LEAD, ts->left + indent,
				 ts->measure - indent, 0,
				 fmax2(gap, 2.0), mk, mx, 0) < 0)
			goto fail;
		gap = 2.0;
		break;
	}
	case BLK_FACTS_BEGIN:
		ts->keep_from[ts->nkeep < 16 ? ts->nkeep : 15] = ts->rows.n;
		ts->nkeep++;
		gap = fmax2(gap, PARA_GAP + 2);
		break;
	case BLK_FACT:
		if (fact_row(ts, b, gap) < 0)
			goto fail;
		gap = FACT_GAP;
		break;
	case BLK_FACTS_END:
	case BLK_KEEP_END:
		if (ts->nkeep) {
			ts->nkeep--;
			mark_keep(ts, ts->keep_from[ts->nkeep < 16 ? ts->nkeep : 15]);
			if (ts->rows.n)
				ts->rows.v[ts->rows.n - 1].keep_next = 0;
		}
		gap = fmax2(gap, PARA_GAP + 2);
		break;
	case BLK_KEEP_BEGIN:
		ts->keep_from[ts->nkeep < 16 ? ts->nkeep : 15] = ts->rows.n;
		ts->nkeep++;
		break;
	case BLK_TABLE_BEGIN:
		ts->gap = gap;
		table_open(ts, b);
		gap = PARA_GAP + 4;
		break;
	case BLK_CELL: {
		struct open_table *ot = &ts->tab;
		/* (a cell outside a table is dropped) */
		if (!ot->tid)
			break;
		ot->cell[ot->ncell++] = &b->text;
		if (ot->ncell == ot->ncols && table_row(ts) < 0)
			goto fail;
		break;
	}
	case BLK_TABLE_END:
		break;
	case BLK_IMAGE:
		if (image_row(ts, b, fmax2(gap, PARA_GAP + 2)) < 0)
			goto fail;
		gap = PARA_GAP - 2; /* a caption belongs to its image */
		break;
	case BLK_RULE: {
		struct row *r = ts_new_row(ts, 0.5, fmax2(gap, PARA_GAP + 2));
		struct ts_box *bx = ts_row_box(r, TS_RULE);
		bx->x = ts->left;
		bx->w = ts->measure;
		bx->y = 0.25;
		bx->lw = 0.5;
		gap = PARA_GAP + 4;
		break;
	}
	case BLK_BREAK:
		ts->brk = 1;
		break;
	case BLK_ANCHOR: {
		struct row *r = ts_new_row(ts, 0, 0);
		/* a copy: the block goes with the feed */
		r->anchor = xstrdup(b->name);
		r->keep_next = 1;
		break;
	}
	case BLK_CHART:
		ts->box_kind = "chart label";
		if (ts_chart_rows(ts, b, fmax2(gap, PARA_GAP + 4)) < 0)
			goto fail;
		gap = PARA_GAP + 4;
		break;
	}
	ts_break_before(ts, first);
	ts->gap = gap;
	return 0;
fail:
	ts->err = 1;
	return -1;
}
