/* binder.c: typeset documents joined into one print book (see
 * binder.h). Pages are copied box by box; blank pages
 * are inserted before parts that start on an odd page; bookmarks, named
 * destinations and images are renumbered; page labels and a running page
 * number are added. */
#include "diag.h"
#include "font.h"
#include "sbuf.h"
#include "pages.h"
#include "binder.h"
#include "typeset.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define NUMBER_SIZE 8.0
#define NUMBER_BASE 30.0 /* baseline, up from the page's bottom edge */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static struct ts_page *add_page(typeset_doc *td, double w, double h)
{
	struct ts_page *pg;
	ALLOC_GROW(td->pages, td->npages + 1, td->apages);
	pg = &td->pages[td->npages++];
	memset(pg, 0, sizeof(*pg));
	pg->w = w;
	pg->h = h;
	return pg;
}

static void page_push(struct ts_page *pg, const struct ts_box *b)
{
	ALLOC_GROW(pg->box, pg->n + 1, pg->alloc);
	pg->box[pg->n++] = *b;
}

/* n in lowercase roman numerals (n >= 1), into sb. */
static void roman(struct sbuf *sb, unsigned n)
{
	static const struct { unsigned v; const char *s; } r[] = {
		{ 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" },
		{ 100, "c" }, { 90, "xc" }, { 50, "l" }, { 40, "xl" },
		{ 10, "x" }, { 9, "ix" }, { 5, "v" }, { 4, "iv" }, { 1, "i" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(r); i++)
		while (n >= r[i].v) {
			sbuf_addstr(sb, r[i].s);
			n -= r[i].v;
		}
}

/* The label of page p (0-based) as a reader shows it. */
static void page_label(const typeset_doc *td, size_t p, struct sbuf *sb)
{
	const struct ts_label *l = NULL;
	for (size_t i = 0; i < td->nlabels; i++)
		if (td->labels[i].page <= p)
			l = &td->labels[i];
	if (!l) {
		sbuf_addf(sb, "%zu", p + 1);
		return;
	}
	if (l->prefix)
		sbuf_addstr(sb, l->prefix);
	if (l->style == 'r')
		roman(sb, l->first + (unsigned)(p - l->page));
	else
		sbuf_addf(sb, "%zu", (size_t)l->first + (p - l->page));
}

/* Text centred at x on baseline y in the small style: each character in
 * the first face of its script's chain that has it. */
static int centred_text(const font_set *fs, struct ts_page *pg,
			const char *text, double x, double y, struct diag *d)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t n = strlen(text), i = 0, first = pg->n;
	double w = 0;
	struct sbuf sb = SBUF_INIT;
	struct ts_box cur = { 0 };

	cur.kind = TS_TEXT;
	while (i < n) {
		uint32_t cp;
		int k = utf8_decode(u + i, n - i, &cp), sc;
		const font_face *f = NULL;
		if (!k) {
			sbuf_release(&sb);
			return diag_error(d, (struct diag_loc){ "binder page number",
								0, 0 },
					  "text is not valid UTF-8");
		}
		i += (size_t)k;
		sc = font_script_of(cp);
		f = font_lookup(fs, FONT_SMALL, sc < 0 ? FONT_LATIN : sc, cp);
		for (int s = 0; !f && s < FONT_NSCRIPTS; s++)
			f = font_lookup(fs, FONT_SMALL, s, cp);
		if (!f) {
			sbuf_release(&sb);
			return diag_error(d, (struct diag_loc){ "binder page number",
								0, 0 },
					  "character U+%04X is in none of the "
					  "configured fonts", (unsigned)cp);
		}
		if (cur.face && cur.face != f) {
			cur.text = sbuf_detach(&sb, NULL);
			page_push(pg, &cur);
			cur.x += cur.w;
			cur.w = 0;
		}
		cur.face = f;
		cur.size = NUMBER_SIZE;
		cur.y = y;
		sbuf_add(&sb, u + i - k, (size_t)k);
		cur.w += font_advance(f, cp) * NUMBER_SIZE / 1000.0;
	}
	if (cur.face) {
		cur.text = sbuf_detach(&sb, NULL);
		page_push(pg, &cur);
	}
	sbuf_release(&sb);
	for (size_t k = first; k < pg->n; k++)
		w += pg->box[k].w;
	for (size_t k = first; k < pg->n; k++)
		pg->box[k].x += x - w / 2;
	return 0;
}

int binder_page_label(const typeset_doc *td, size_t page, char *buf,
		       size_t size)
{
	struct sbuf sb = SBUF_INIT;
	int n;
	page_label(td, page, &sb);
	n = snprintf(buf, size, "%s", sb.buf ? sb.buf : "");
	sbuf_release(&sb);
	return n;
}

typeset_doc *binder_concat(const typeset_doc *const *parts, size_t n,
			    const struct binder_opts *opt, struct diag *d)
{
	typeset_doc *td;
	const struct binder_part none = { NULL, 1, 0, 0, NULL };
	const char *info[DOC_NINFO];

	if (!n)
		BUG("binder_concat without parts");
	for (size_t i = 1; i < n; i++)
		if (parts[i]->fonts != parts[0]->fonts)
			return diag_error(d, (struct diag_loc){ 0 }, "binder parts "
					  "typeset with different font sets"),
			       NULL;
	td = xcalloc(1, sizeof(*td));
	td->fonts = parts[0]->fonts;
	td->page_w = parts[0]->page_w;
	td->page_h = parts[0]->page_h;
	memcpy(td->lang, parts[0]->lang, sizeof(td->lang));
	td->has_date = parts[0]->has_date;
	memcpy(td->date, parts[0]->date, sizeof(td->date));
	info[DOC_TITLE] = opt && opt->title ? opt->title : parts[0]->info[DOC_TITLE];
	info[DOC_AUTHOR] = opt && opt->author ? opt->author : parts[0]->info[DOC_AUTHOR];
	info[DOC_SUBJECT] = opt && opt->subject ? opt->subject
						 : parts[0]->info[DOC_SUBJECT];
	info[DOC_KEYWORDS] = opt && opt->keywords ? opt->keywords
						   : parts[0]->info[DOC_KEYWORDS];
	for (int i = 0; i < DOC_NINFO; i++)
		td->info[i] = dup_or_null(info[i]);

	for (size_t k = 0; k < n; k++) {
		const typeset_doc *p = parts[k];
		const struct binder_part *bp =
			opt && opt->part ? &opt->part[k] : &none;
		size_t first, img0 = td->nimages;

		/* A blank left-hand page before a part that starts on the
		 * right, the size of the page before it. */
		if (bp->odd && td->npages % 2 == 1) {
			const struct ts_page *prev = &td->pages[td->npages - 1];
			add_page(td, prev->w, prev->h);
		}
		first = td->npages;
		if (opt && opt->first_page)
			opt->first_page[k] = first;
		if (bp->label) {
			struct ts_label *l;
			if (!td->nlabels && first > 0) {
				ALLOC_GROW(td->labels, td->nlabels + 1, td->alabels);
				td->labels[td->nlabels++] =
					(struct ts_label){ 0, 'D', 1, NULL };
			}
			ALLOC_GROW(td->labels, td->nlabels + 1, td->alabels);
			l = &td->labels[td->nlabels++];
			l->page = first;
			l->style = bp->label == 'r' ? 'r' : 'D';
			l->first = 1;
			l->prefix = dup_or_null(bp->label_prefix);
		}
		for (size_t i = 0; i < p->nimages; i++) {
			struct ts_image im = p->images[i];
			im.data = xmalloc(im.len ? im.len : 1);
			memcpy(im.data, p->images[i].data, im.len);
			ALLOC_GROW(td->images, td->nimages + 1, td->aimages);
			td->images[td->nimages++] = im;
		}
		for (size_t i = 0; i < p->npages; i++) {
			const struct ts_page *src = &p->pages[i];
			struct ts_page *pg = add_page(td, src->w > 0 ? src->w : p->page_w,
						      src->h > 0 ? src->h : p->page_h);
			for (size_t b = 0; b < src->n; b++) {
				struct ts_box bx = src->box[b];
				bx.text = dup_or_null(bx.text);
				bx.dest = dup_or_null(bx.dest);
				bx.file = dup_or_null(bx.file);
				if (bx.kind == TS_IMAGE)
					bx.image += img0;
				page_push(pg, &bx);
			}
		}
		if (bp->bookmark) {
			struct ts_outline *o;
			ALLOC_GROW(td->outline, td->noutline + 1, td->aoutline);
			o = &td->outline[td->noutline++];
			o->level = 1;
			o->title = xstrdup(bp->bookmark);
			o->page = first;
			o->y = td->pages[first < td->npages ? first : 0].h;
			if (first >= td->npages) /* an empty part */
				o->page = td->npages ? td->npages - 1 : 0;
		}
		if (bp->headings)
			for (size_t i = 0; i < p->noutline; i++) {
				struct ts_outline *o;
				ALLOC_GROW(td->outline, td->noutline + 1, td->aoutline);
				o = &td->outline[td->noutline++];
				*o = p->outline[i];
				o->title = xstrdup(p->outline[i].title);
				o->page += first;
				if (bp->bookmark)
					o->level++;
			}
		for (size_t i = 0; i < p->ndests; i++) {
			int seen = 0;
			for (size_t j = 0; j < td->ndests && !seen; j++)
				seen = !strcmp(td->dests[j].name, p->dests[i].name);
			if (seen) {
				diag_warning(d, (struct diag_loc){ 0 }, "anchor '%s' "
					     "is defined in two parts; links go to "
					     "the first", p->dests[i].name);
				continue;
			}
			ALLOC_GROW(td->dests, td->ndests + 1, td->adests);
			td->dests[td->ndests] = p->dests[i];
			td->dests[td->ndests].name = xstrdup(p->dests[i].name);
			td->dests[td->ndests].page += first;
			td->ndests++;
		}
	}
	if (!td->npages)
		add_page(td, td->page_w, td->page_h);

	/* The running number, below the parts' footers. */
	if (opt && opt->number_template) {
		for (size_t p = 0; p < td->npages; p++) {
			struct ts_page *pg = &td->pages[p];
			struct sbuf lab = SBUF_INIT, sb = SBUF_INIT;
			const char *s = opt->number_template;
			int r;
			if (!pg->n && !opt->number_blank) /* inserted blank */
				continue;
			page_label(td, p, &lab);
			while (*s) {
				if (!strncmp(s, "{page}", 6)) {
					sbuf_addstr(&sb, lab.buf ? lab.buf : "");
					s += 6;
				} else if (!strncmp(s, "{pages}", 7)) {
					sbuf_addf(&sb, "%zu", td->npages);
					s += 7;
				} else {
					sbuf_addch(&sb, *s++);
				}
			}
			r = sb.len ? centred_text(td->fonts, pg, sb.buf,
						  (pg->w > 0 ? pg->w : td->page_w) / 2,
						  NUMBER_BASE, d)
				   : 0;
			sbuf_release(&lab);
			sbuf_release(&sb);
			if (r < 0) {
				typeset_free(td);
				return NULL;
			}
		}
	}
	return td;
}
