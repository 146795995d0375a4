/* doc.c: building the document tree of doc.h. The tree is a flat list of
 * blocks in reading order; lists, fact tables, tables and keep groups are
 * bracketed by begin and end blocks that typeset.c pairs up. */
#include "doc.h"
#include "doc-tree.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

doc *doc_new(const char *lang, enum doc_paper paper)
{
	doc *d = xcalloc(1, sizeof(*d));
	size_t n = strlen(lang);
	if (n >= sizeof(d->lang))
		n = sizeof(d->lang) - 1;
	memcpy(d->lang, lang, n);
	d->paper = paper;
	return d;
}

void doc_text_release(struct doc_text *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].text);
		free(t->v[i].uri);
		free(t->v[i].source);
		free(t->v[i].dest);
		free(t->v[i].file);
	}
	free(t->v);
}

static struct doc_text text_copy(const struct doc_span *s, size_t n)
{
	struct doc_text t = { NULL, n };
	if (!n)
		return t;
	t.v = xcalloc(n, sizeof(*t.v));
	for (size_t i = 0; i < n; i++) {
		t.v[i].text = xstrdup(s[i].text ? s[i].text : "");
		t.v[i].uri = s[i].uri ? xstrdup(s[i].uri) : NULL;
		t.v[i].source = s[i].source ? xstrdup(s[i].source) : NULL;
		t.v[i].style = s[i].style;
		t.v[i].footnote = s[i].footnote;
		t.v[i].dest = s[i].dest ? xstrdup(s[i].dest) : NULL;
		t.v[i].file = s[i].file ? xstrdup(s[i].file) : NULL;
	}
	return t;
}

static void block_release(struct doc_block *b)
{
	doc_text_release(&b->text);
	doc_text_release(&b->value);
	free(b->path);
	free(b->source);
	free(b->widths);
	free(b->name);
	if (b->chart) {
		struct doc_chart_data *c = b->chart;
		for (size_t k = 0; k < c->ncat; k++)
			free(c->cats[k]);
		for (size_t k = 0; k < c->nser; k++)
			free(c->labels[k]);
		free(c->cats);
		free(c->labels);
		free(c->values);
		free(c);
	}
}

void doc_drop_blocks(doc *d)
{
	for (size_t i = 0; i < d->nblocks; i++)
		block_release(&d->blocks[i]);
	/* The array stays for the next blocks: a long document built and
	 * typeset in pieces reuses it. */
	d->nblocks = 0;
}

size_t doc_block_count(const doc *d)
{
	return d->nblocks;
}

size_t doc_note_count(const doc *d)
{
	return d->nnotes;
}

void doc_free(doc *d)
{
	if (!d)
		return;
	doc_drop_blocks(d);
	free(d->blocks);
	for (size_t i = 0; i < d->nnotes; i++) {
		free(d->notes[i].label);
		doc_text_release(&d->notes[i].text);
	}
	free(d->notes);
	for (int i = 0; i < DOC_NINFO; i++)
		free(d->info[i]);
	free(d->header);
	free(d->footer_left);
	free(d->page_template);
	free(d);
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

void doc_set_info(doc *d, enum doc_info key, const char *value)
{
	if ((int)key < 0 || key >= DOC_NINFO)
		BUG("bad doc_info %d", (int)key);
	set_str(&d->info[key], value);
}

void doc_set_date(doc *d, int year, int month, int day, int hour, int min,
		  int sec)
{
	d->has_date = 1;
	d->date[0] = year, d->date[1] = month, d->date[2] = day;
	d->date[3] = hour, d->date[4] = min, d->date[5] = sec;
}

void doc_set_hyphenate(doc *d, int on)
{
	d->hyphenate = on;
}

void doc_set_justify_fallback(doc *d, int on)
{
	d->justify_fallback = on;
}

void doc_set_page_text(doc *d, const char *header, const char *footer_left,
		       const char *page_template)
{
	set_str(&d->header, header);
	set_str(&d->footer_left, footer_left);
	set_str(&d->page_template, page_template);
}

static struct doc_block *add(doc *d, enum doc_block_kind kind)
{
	struct doc_block *b;
	ALLOC_GROW(d->blocks, d->nblocks + 1, d->ablocks);
	b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

void doc_heading(doc *d, int level, const struct doc_span *s, size_t n)
{
	struct doc_block *b = add(d, BLK_HEADING);
	b->level = level < 1 ? 1 : level > 3 ? 3 : level;
	b->text = text_copy(s, n);
}

void doc_para(doc *d, enum doc_align align, const struct doc_span *s,
	      size_t n)
{
	struct doc_block *b = add(d, BLK_PARA);
	b->align = align;
	b->text = text_copy(s, n);
}

void doc_list_begin(doc *d, enum doc_list_kind kind)
{
	add(d, BLK_LIST_BEGIN)->level = kind;
}

void doc_list_item(doc *d, const struct doc_span *s, size_t n)
{
	add(d, BLK_ITEM)->text = text_copy(s, n);
}

void doc_list_end(doc *d)
{
	add(d, BLK_LIST_END);
}

void doc_facts_begin(doc *d)
{
	add(d, BLK_FACTS_BEGIN);
}

void doc_fact(doc *d, const struct doc_span *label, size_t nl,
	      const struct doc_span *value, size_t nv)
{
	struct doc_block *b = add(d, BLK_FACT);
	b->text = text_copy(label, nl);
	b->value = text_copy(value, nv);
}

void doc_facts_end(doc *d)
{
	add(d, BLK_FACTS_END);
}

void doc_table_begin(doc *d, size_t ncols, const double *widths,
		     size_t header_rows)
{
	struct doc_block *b = add(d, BLK_TABLE_BEGIN);
	if (!ncols)
		BUG("table without columns");
	b->ncols = ncols;
	b->header_rows = header_rows;
	b->widths = xmalloc(ncols * sizeof(*b->widths));
	for (size_t i = 0; i < ncols; i++)
		b->widths[i] = widths && widths[i] > 0 ? widths[i] : 1.0;
}

void doc_table_cell(doc *d, const struct doc_span *s, size_t n)
{
	add(d, BLK_CELL)->text = text_copy(s, n);
}

void doc_table_end(doc *d)
{
	add(d, BLK_TABLE_END);
}

void doc_image(doc *d, const char *path, double max_w, double max_h,
	       const char *source)
{
	struct doc_block *b = add(d, BLK_IMAGE);
	b->path = xstrdup(path);
	b->source = source ? xstrdup(source) : NULL;
	b->w = max_w;
	b->h = max_h;
}

void doc_rule(doc *d)
{
	add(d, BLK_RULE);
}

void doc_page_break(doc *d)
{
	add(d, BLK_BREAK);
}

void doc_anchor(doc *d, const char *name)
{
	add(d, BLK_ANCHOR)->name = xstrdup(name ? name : "");
}

void doc_chart_bars(doc *d, const struct doc_chart *c)
{
	struct doc_block *b = add(d, BLK_CHART);
	struct doc_chart_data *cd = xcalloc(1, sizeof(*cd));
	size_t ns = c->series ? c->nseries : 0;

	if (ns > DOC_CHART_MAX_SERIES)
		ns = DOC_CHART_MAX_SERIES;
	b->chart = cd;
	b->text = text_copy(c->title, c->title ? c->ntitle : 0);
	b->source = c->source ? xstrdup(c->source) : NULL;
	cd->ncat = c->categories ? c->ncategories : 0;
	cd->nser = ns;
	cd->cats = xcalloc(cd->ncat + 1, sizeof(*cd->cats));
	for (size_t i = 0; i < cd->ncat; i++)
		cd->cats[i] = xstrdup(c->categories[i] ? c->categories[i] : "");
	cd->labels = xcalloc(ns + 1, sizeof(*cd->labels));
	cd->values = xcalloc(ns * cd->ncat + 1, sizeof(*cd->values));
	for (size_t s = 0; s < ns; s++) {
		cd->labels[s] = xstrdup(c->series[s].label ? c->series[s].label : "");
		for (size_t i = 0; i < cd->ncat; i++) {
			double v = c->series[s].values ? c->series[s].values[i] : 0;
			/* NaN, infinities and negatives count as 0 */
			cd->values[s * cd->ncat + i] = v > 0 && v < 1e15 ? v : 0;
		}
	}
	cd->stacked = c->stacked;
	cd->horizontal = c->horizontal;
	cd->decimals = c->decimals < 0 ? 0 : c->decimals > 3 ? 3 : c->decimals;
	cd->height = c->height;
}

void doc_keep_begin(doc *d)
{
	add(d, BLK_KEEP_BEGIN);
}

void doc_keep_end(doc *d)
{
	add(d, BLK_KEEP_END);
}

int doc_footnote(doc *d, const char *label, const struct doc_span *s,
		 size_t n)
{
	struct doc_note *fn;
	ALLOC_GROW(d->notes, d->nnotes + 1, d->anotes);
	fn = &d->notes[d->nnotes++];
	fn->label = xstrdup(label ? label : "");
	fn->text = text_copy(s, n);
	return (int)d->nnotes;
}
