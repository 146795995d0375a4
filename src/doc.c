/* doc.c: building the document tree of doc.h. The tree is a flat list of
 * blocks in reading order; lists, fact tables, tables and keep groups are
 * bracketed by begin and end blocks that typeset.c pairs up. */
#include "doc.h"
#include "typeset-private.h"
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

static void text_release(struct doc_text *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].text);
		free(t->v[i].uri);
		free(t->v[i].source);
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
	}
	return t;
}

void doc_free(doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nblocks; i++) {
		struct doc_block *b = &d->blocks[i];
		text_release(&b->text);
		text_release(&b->value);
		free(b->path);
		free(b->source);
		free(b->widths);
	}
	free(d->blocks);
	for (size_t i = 0; i < d->nnotes; i++) {
		free(d->notes[i].label);
		text_release(&d->notes[i].text);
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
