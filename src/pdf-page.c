/* pdf-page.c: one typeset page as a PDF page (see pdf.h, pdf-private.h):
 * its content stream (rules, rectangles filled with grey and hatched,
 * images, and the text in one text object), the images' XObjects, written
 * at their first use, the link annotations, and the page's dictionary
 * with its resources. The page is written as soon as it is drawn; only
 * its object number stays, for the page tree and the bookmarks. */
#include "pdf.h"
#include "font.h"
#include "pdf-private.h"
#include "sbuf.h"
#include "pages.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- operators ---- */

/* n numbers separated by spaces. */
static void add_vnums(struct sbuf *sb, int n, va_list ap)
{
	for (int i = 0; i < n; i++) {
		if (i)
			sbuf_addch(sb, ' ');
		pdf_add_num(sb, va_arg(ap, double));
	}
}

static void add_nums(struct sbuf *sb, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	add_vnums(sb, n, ap);
	va_end(ap);
}

/* Numbers, then an operator: "x y w h re\n". */
static void add_op(struct sbuf *sb, const char *op, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	add_vnums(sb, n, ap);
	va_end(ap);
	sbuf_addch(sb, ' ');
	sbuf_addstr(sb, op);
	sbuf_addch(sb, '\n');
}

/* A page's size in thousandths: A4 is 595.276 x 841.89 points. */
static void add_size(struct sbuf *sb, double v)
{
	long c = v > 0 && v < 1e6 ? lround(v * 1000) : 0;
	pdf_add_int(sb, c / 1000);
	if (c % 1000) {
		char d[8];
		int k = 3;
		snprintf(d, sizeof(d), "%03ld", c % 1000);
		while (k > 0 && d[k - 1] == '0')
			k--;
		sbuf_addch(sb, '.');
		sbuf_add(sb, d, (size_t)k);
	}
}

/* ---- images ---- */

/* The XObject of td's image i, written at its first use; 0 when td has
 * no image i. */
static size_t image_obj(pdf_writer *w, const typeset_doc *td, size_t i)
{
	const struct ts_image *im;
	struct sbuf d = SBUF_INIT;

	if (i >= td->nimages)
		return 0;
	if (i >= w->nimage_obj) {
		w->image_obj = xrealloc(w->image_obj,
					(i + 1) * sizeof(*w->image_obj));
		memset(w->image_obj + w->nimage_obj, 0,
		       (i + 1 - w->nimage_obj) * sizeof(*w->image_obj));
		w->nimage_obj = i + 1;
	}
	if (w->image_obj[i])
		return w->image_obj[i];
	im = &td->images[i];
	w->image_obj[i] = pdf_new_obj(w);
	sbuf_addstr(&d, " /Type /XObject /Subtype /Image /Width ");
	pdf_add_int(&d, im->width);
	sbuf_addstr(&d, " /Height ");
	pdf_add_int(&d, im->height);
	sbuf_addstr(&d, im->components == 1 ? " /ColorSpace /DeviceGray"
					    : " /ColorSpace /DeviceRGB");
	sbuf_addstr(&d, " /BitsPerComponent 8");
	if (im->jpeg)
		sbuf_addstr(&d, " /Filter /DCTDecode");
	pdf_put_stream(w, w->image_obj[i], d.buf, im->data, im->len, !im->jpeg);
	sbuf_release(&d);
	return w->image_obj[i];
}

/* ---- contents ---- */

/* A rectangle: grey fill, hatching clipped to it, then the outline. */
static void draw_rect(struct sbuf *sb, const struct ts_box *b)
{
	double x = b->x, y = b->y, w = b->w, h = b->h;
	const double gap = 3.2;

	if (!(w > 0) || !(h > 0))
		return;
	if (b->fill >= 0) {
		add_op(sb, "g", 1, b->fill > 1 ? 1.0 : b->fill);
		add_op(sb, "re f", 4, x, y, w, h);
		sbuf_addstr(sb, "0 g\n");
	}
	if (b->hatch != HATCH_NONE) {
		sbuf_addstr(sb, "q\n");
		add_op(sb, "re W n", 4, x, y, w, h);
		sbuf_addstr(sb, "0.4 w\n");
		if (b->hatch == HATCH_HORIZ) {
			for (double t = gap / 2; t < h; t += gap) {
				add_op(sb, "m", 2, x, y + t);
				add_op(sb, "l", 2, x + w, y + t);
			}
		} else {
			for (double t = -h; t < w; t += gap) {
				if (b->hatch != HATCH_BACK) {
					add_op(sb, "m", 2, x + t, y);
					add_op(sb, "l", 2, x + t + h, y + h);
				}
				if (b->hatch != HATCH_DIAG) {
					add_op(sb, "m", 2, x + t, y + h);
					add_op(sb, "l", 2, x + t + h, y);
				}
			}
		}
		sbuf_addstr(sb, "S\nQ\n");
	}
	if (b->lw > 0) {
		add_op(sb, "w", 1, b->lw);
		add_op(sb, "re S", 4, x, y, w, h);
	}
}

/* Show a box's text: its codes as a literal string of two-byte codes.
 * Returns the advance in thousandths of an em. */
static long show_string(struct sbuf *sb, struct pdf_used *u,
			const font_face *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	long adv = 0;

	sbuf_addch(sb, '(');
	while (n) {
		uint32_t cp;
		int k = utf8_decode(p, n, &cp), a;
		unsigned code;
		if (!k)
			BUG("typeset text is not UTF-8");
		p += k;
		n -= (size_t)k;
		if (cp > 0xFFFF)
			continue;
		code = pdf_font_code(u, cp);
		for (int half = 0; half < 2; half++) {
			unsigned char c = (unsigned char)(half ? code : code >> 8);
			/* a bare CR would be read as LF */
			if (c == '(' || c == ')' || c == '\\' || c == '\r') {
				sbuf_addch(sb, '\\');
				if (c == '\r')
					c = 'r';
			}
			sbuf_addch(sb, (char)c);
		}
		a = font_advance(f, cp);
		adv += a > 0 ? a : 0;
	}
	sbuf_addch(sb, ')');
	return adv;
}

/* The text of a page in one text object: the boxes on one baseline in
 * one font and size make one TJ array, the gaps between them (justified
 * spaces, tabs) kerning adjustments computed from where the previous box
 * ended, so that rounding never adds up. A new baseline or font starts a
 * new array, placed with Td from the start of the previous one. Marks
 * the faces used in fonts (per face: 1 when on this page). */
static void draw_text(pdf_writer *w, struct sbuf *sb, const struct ts_page *pg,
		      unsigned char *on_page)
{
	const font_face *cur = NULL;
	double cur_size = 0, tf_size = 1, lx = 0, ly = 0;
	int in_text = 0;

	for (size_t i = 0; i < pg->n; ) {
		const struct ts_box *b = &pg->box[i];
		size_t fi, items = 0, mark_at;
		struct pdf_used *u;
		double pen;
		int adjusted = 0;

		if (b->kind != TS_TEXT || !b->text[0]) {
			i++;
			continue;
		}
		fi = font_face_index(b->face);
		u = &w->used[fi];
		on_page[fi] = 1;
		if (!u->obj)
			u->obj = pdf_new_obj(w);
		if (!in_text) {
			sbuf_addstr(sb, "BT\n");
			in_text = 1;
		}
		if (b->face != cur || b->size != cur_size) {
			sbuf_addstr(sb, "/F");
			pdf_add_int(sb, (long long)fi + 1);
			sbuf_addch(sb, ' ');
			pdf_add_num(sb, b->size);
			sbuf_addstr(sb, " Tf\n");
			cur = b->face;
			cur_size = b->size;
		}
		/* the size as written, for the widths in the adjustments */
		tf_size = pdf_round2(cur_size);
		add_op(sb, "Td", 2, b->x - lx, b->y - ly);
		/* where the rounded Td puts the line */
		lx += pdf_round2(b->x - lx);
		ly += pdf_round2(b->y - ly);
		pen = lx;
		mark_at = sb->len;
		sbuf_addch(sb, '[');
		for (; i < pg->n; i++) {
			const struct ts_box *c = &pg->box[i];
			double gap;
			long adj;
			if (c->kind != TS_TEXT || !c->text[0])
				continue;
			if (c->face != cur || c->size != cur_size || c->y != b->y)
				break;
			/* move right by the gap: a negative adjustment (none
			 * before the first string, placed by Td) */
			gap = tf_size > 0 ? (pen - c->x) * 1000 / tf_size : 0;
			adj = items && gap > -1e9 && gap < 1e9 ? lround(gap) : 0;
			if (adj) {
				pdf_add_int(sb, adj);
				pen -= (double)adj * tf_size / 1000;
				adjusted = 1;
			}
			pen += (double)show_string(sb, u, cur, c->text) *
			       tf_size / 1000;
			items++;
		}
		if (items == 1 && !adjusted) {
			/* a single string: (..) Tj, without the brackets */
			memmove(sb->buf + mark_at, sb->buf + mark_at + 1,
				sb->len - mark_at - 1);
			sbuf_setlen(sb, sb->len - 1);
			sbuf_addstr(sb, "Tj\n");
		} else {
			sbuf_addstr(sb, "]TJ\n");
		}
	}
	if (in_text)
		sbuf_addstr(sb, "ET\n");
}

/* A link annotation without a border: to a URI, to a named destination
 * of this document, or (file) of another PDF, where without a name it
 * opens the first page. */
static size_t link_annot(pdf_writer *w, const struct ts_box *b)
{
	struct sbuf *sb = &w->text;
	size_t num = pdf_new_obj(w);

	sbuf_reset(sb);
	sbuf_addstr(sb, "<</Type /Annot /Subtype /Link /Rect [");
	add_nums(sb, 4, b->x, b->y, b->x + b->w, b->y + b->h);
	sbuf_addstr(sb, "] /Border [0 0 0] /A <<");
	if (b->text[0] || (!b->dest && !b->file)) {
		const char *u = b->text[0] ? b->text : "#";
		struct sbuf esc = SBUF_INIT;
		/* URIs are bytes: percent-encode what is not printable
		 * ASCII */
		for (; *u; u++) {
			unsigned char c = (unsigned char)*u;
			if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' ||
			    c == '>' || c == '\\' || c == '(' || c == ')')
				sbuf_addf(&esc, "%%%02X", c);
			else
				sbuf_addch(&esc, c);
		}
		sbuf_addstr(sb, "/S /URI /URI ");
		pdf_add_bytes(sb, esc.buf, esc.len);
		sbuf_release(&esc);
	} else {
		sbuf_addstr(sb, b->file ? "/S /GoToR /F " : "/S /GoTo");
		if (b->file)
			pdf_add_bytes(sb, b->file, strlen(b->file));
		sbuf_addstr(sb, " /D ");
		if (b->dest)
			pdf_add_bytes(sb, b->dest, strlen(b->dest));
		else
			sbuf_addstr(sb, "[0 /Fit]");
		if (b->dest && !b->file) {
			ALLOC_GROW(w->refs, w->nrefs + 1, w->arefs);
			w->refs[w->nrefs].name = xstrdup(b->dest);
			w->refs[w->nrefs].page = w->npages;
			w->nrefs++;
		}
	}
	sbuf_addstr(sb, ">>>>");
	pdf_put_obj_sb(w, num, sb);
	return num;
}

/* ---- the page ---- */

int pdf_page(pdf_writer *w, const typeset_doc *td, size_t index)
{
	const struct ts_page *pg = &td->pages[index];
	struct sbuf *c = &w->page, annots = SBUF_INIT, res = SBUF_INIT;
	unsigned char *on_page = xcalloc(w->nfaces + 1, 1);
	unsigned char *img_on = NULL;
	size_t page, content;

	if (w->failed)
		return -1;
	if (index != w->npages)
		BUG("pages out of order");
	ALLOC_GROW(w->page_obj, w->npages + 1, w->apages);
	page = w->page_obj[w->npages] = pdf_new_obj(w);
	if (td->nimages)
		img_on = xcalloc(td->nimages, 1);

	/* Graphics first (rules, images, links), then one text object. */
	sbuf_reset(c);
	for (size_t i = 0; i < pg->n; i++) {
		const struct ts_box *b = &pg->box[i];
		if (b->kind == TS_RULE) {
			add_op(c, "w", 1, b->lw);
			add_op(c, "m", 2, b->x, b->y);
			add_op(c, "l S", 2, b->x + b->w, b->y + b->h);
		} else if (b->kind == TS_IMAGE) {
			if (!image_obj(w, td, b->image)) {
				BUG("image %zu of %zu", b->image, td->nimages);
			}
			img_on[b->image] = 1;
			sbuf_addstr(c, "q\n");
			add_op(c, "cm", 6, b->w, 0.0, 0.0, b->h, b->x, b->y);
			sbuf_addstr(c, "/Im");
			pdf_add_int(c, (long long)b->image + 1);
			sbuf_addstr(c, " Do\nQ\n");
		} else if (b->kind == TS_LINK) {
			size_t a = link_annot(w, b);
			sbuf_addch(&annots, annots.len ? ' ' : '[');
			pdf_add_ref(&annots, a);
		} else if (b->kind == TS_RECT) {
			draw_rect(c, b);
		}
	}
	draw_text(w, c, pg, on_page);
	content = pdf_new_obj(w);
	pdf_put_stream(w, content, "", c->buf, c->len, 1);

	sbuf_addstr(&res, "<<");
	{
		int any = 0;
		for (size_t i = 0; i < w->nfaces; i++) {
			if (!on_page[i])
				continue;
			sbuf_addstr(&res, any ? " /F" : "/Font <</F");
			pdf_add_int(&res, (long long)i + 1);
			sbuf_addch(&res, ' ');
			pdf_add_ref(&res, w->used[i].obj);
			any = 1;
		}
		if (any)
			sbuf_addstr(&res, ">>");
		any = 0;
		for (size_t i = 0; i < td->nimages; i++) {
			if (!img_on[i])
				continue;
			sbuf_addstr(&res, any ? " /Im" : " /XObject <</Im");
			pdf_add_int(&res, (long long)i + 1);
			sbuf_addch(&res, ' ');
			pdf_add_ref(&res, w->image_obj[i]);
			any = 1;
		}
		if (any)
			sbuf_addstr(&res, ">>");
	}
	sbuf_addstr(&res, ">>");

	sbuf_reset(c);
	sbuf_addstr(c, "<</Type /Page /Parent ");
	pdf_add_ref(c, w->pages_obj);
	sbuf_addstr(c, " /MediaBox [0 0 ");
	add_size(c, pg->w > 0 ? pg->w : td->page_w);
	sbuf_addch(c, ' ');
	add_size(c, pg->h > 0 ? pg->h : td->page_h);
	sbuf_addstr(c, "] /Resources ");
	sbuf_add(c, res.buf, res.len);
	sbuf_addstr(c, " /Contents ");
	pdf_add_ref(c, content);
	if (annots.len) {
		sbuf_addstr(c, " /Annots ");
		sbuf_add(c, annots.buf, annots.len);
		sbuf_addch(c, ']');
	}
	sbuf_addstr(c, ">>");
	pdf_put_obj_sb(w, page, c);
	w->npages++;
	sbuf_release(&annots);
	sbuf_release(&res);
	free(on_page);
	free(img_on);
	return w->failed ? -1 : 0;
}
