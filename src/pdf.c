/* pdf.c: drawing typeset pages with libharu 2.3 (see pdf.h).
 *
 * libharu draws the graphics and lays out the objects; the rest is done
 * here, with its exported internals. Fonts are embedded directly (Type0
 * over CIDFontType2, the HarfBuzz subset as the font file, codes
 * numbering the characters drawn, /W, CIDToGIDMap and a valid ToUnicode
 * CMap of exactly those), at a fraction of the cost of libharu's font
 * set-up. Text goes into the page's content stream as one TJ array per
 * run of a line rather than one positioned string per word. Bookmark
 * titles and Info strings are written as PDF text strings without
 * libharu's UTF-8 encoder. The file libharu produces is then rewritten
 * as PDF 1.5 with its small objects in compressed object streams.
 * Errors are sticky in libharu, so the first one is kept and the document
 * abandoned. */
#include "pdf.h"
#include "diag.h"
#include "font.h"
#include "sbuf.h"
#include "typeset-private.h"
#include "util.h"

#include <hpdf.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ctx {
	HPDF_STATUS err, detail;
};

static void on_error(HPDF_STATUS err, HPDF_STATUS detail, void *data)
{
	struct ctx *c = data;
	if (!c->err) {
		c->err = err;
		c->detail = detail;
	}
}

/* The characters drawn with one face: a bitmap of the BMP while the pages
 * are read, then the sorted list. A character's code in the PDF (its CID)
 * is its rank in the list, from 1: codes stay small and dense, so /W,
 * CIDToGIDMap and ToUnicode list exactly the characters drawn. */
struct used {
	uint64_t *bits;    /* 1024 words, NULL while unused */
	uint16_t *before;  /* per word: characters in the words before */
	uint32_t *cps;     /* the list, n long */
	size_t n;
	HPDF_Dict font;    /* the Type0 font */
	const char *res;   /* its name in the page's resources */
	HPDF_Page res_page;
};

static void mark_cp(struct used *u, uint32_t cp)
{
	uint64_t bit = (uint64_t)1 << (cp & 63);
	if (!u->bits)
		u->bits = xcalloc(1024, sizeof(*u->bits));
	if (!(u->bits[cp >> 6] & bit)) {
		u->bits[cp >> 6] |= bit;
		u->n++;
	}
}

static void mark(struct used *u, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	while (n) {
		uint32_t cp;
		int k = utf8_decode(p, n, &cp);
		if (!k)
			BUG("typeset text is not UTF-8");
		p += k;
		n -= (size_t)k;
		if (cp <= 0xFFFF)
			mark_cp(u, cp);
	}
}

/* The sorted list and the ranks, from the bitmap: only the words with
 * bits set are looked at bit by bit. */
static void used_list(struct used *u)
{
	size_t n = 0;
	u->cps = xmalloc((u->n ? u->n : 1) * sizeof(*u->cps));
	u->before = xmalloc(1024 * sizeof(*u->before));
	for (uint32_t w = 0; w < 1024; w++) {
		uint64_t b = u->bits[w];
		u->before[w] = (uint16_t)n;
		while (b) {
			u->cps[n++] = w << 6 | (uint32_t)__builtin_ctzll(b);
			b &= b - 1;
		}
	}
	u->n = n;
}

/* The code of a character drawn with the face: its rank from 1. */
static unsigned cid_of(const struct used *u, uint32_t cp)
{
	uint64_t w = u->bits[cp >> 6] & (((uint64_t)1 << (cp & 63)) - 1);
	return u->before[cp >> 6] + (unsigned)__builtin_popcountll(w) + 1;
}

/* A subset tag of six capitals from the face and the characters, so the
 * same subset always has the same name and different ones differ. */
static void subset_tag(const font_face *f, const uint32_t *cps, size_t n,
		       char tag[7])
{
	uint64_t h = 1469598103934665603ull;
	const char *s = font_face_name(f);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ cps[i]) * 1099511628211ull;
	for (int i = 0; i < 6; i++) {
		tag[i] = (char)('A' + h % 26);
		h /= 26;
	}
	tag[6] = '\0';
}

/* Numbers for the PDF, whatever the locale: integers, and reals with at
 * most two decimals and no trailing zeros. */
static void add_int(struct sbuf *sb, long v)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	sbuf_add(sb, p, (size_t)(buf + sizeof(buf) - p));
}

/* v rounded to hundredths, as add_num writes it; what no page has (NaN,
 * beyond a billion points) as 0. */
static double round2(double v)
{
	return v > -1e9 && v < 1e9 ? (double)lround(v * 100) / 100 : 0;
}

static void add_num(struct sbuf *sb, double v)
{
	long c = v > -1e9 && v < 1e9 ? lround(v * 100) : 0;
	long a = c < 0 ? -c : c;
	if (c < 0)
		sbuf_addch(sb, '-');
	add_int(sb, a / 100);
	if (a % 100) {
		sbuf_addch(sb, '.');
		sbuf_addch(sb, (char)('0' + a % 100 / 10));
		if (a % 10)
			sbuf_addch(sb, (char)('0' + a % 10));
	}
}

static void add_hex4(struct sbuf *sb, unsigned v)
{
	static const char hex[] = "0123456789ABCDEF";
	char b[4] = { hex[v >> 12 & 15], hex[v >> 8 & 15], hex[v >> 4 & 15],
		      hex[v & 15] };
	sbuf_add(sb, b, 4);
}

/* A stream object of the document with the given bytes, compressed. */
static HPDF_Dict new_stream(HPDF_Doc pdf, const void *data, size_t len)
{
	HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (!s)
		return NULL;
	s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	if (len && HPDF_Stream_Write(s->stream, data, (HPDF_UINT)len) != HPDF_OK)
		return NULL;
	return s;
}

/* The ToUnicode CMap: one bfchar entry per code (blocks of 100), the code
 * being the character's rank. (bfrange entries for runs would be shorter,
 * but Ghostscript 10.00 extracts garbage from them, even valid ones.) */
static HPDF_Dict tounicode(HPDF_Doc pdf, const struct used *u)
{
	struct sbuf sb = SBUF_INIT;
	HPDF_Dict s;

	sbuf_addstr(&sb, "/CIDInit /ProcSet findresource begin\n"
		    "12 dict begin\nbegincmap\n"
		    "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) "
		    "/Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n"
		    "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
		    "endcodespacerange\n");
	for (size_t i = 0; i < u->n; i += 100) {
		size_t k = u->n - i < 100 ? u->n - i : 100;
		add_int(&sb, (long)k);
		sbuf_addstr(&sb, " beginbfchar\n");
		for (size_t j = i; j < i + k; j++) {
			sbuf_addch(&sb, '<');
			add_hex4(&sb, (unsigned)(j + 1));
			sbuf_addstr(&sb, "> <");
			add_hex4(&sb, (unsigned)u->cps[j]);
			sbuf_addstr(&sb, ">\n");
		}
		sbuf_addstr(&sb, "endbfchar\n");
	}
	sbuf_addstr(&sb, "endcmap\nCMapName currentdict /CMap defineresource "
		    "pop\nend\nend\n");
	s = new_stream(pdf, sb.buf, sb.len);
	sbuf_release(&sb);
	return s;
}

/* Embed a face as a Type0 font with Identity-H encoding over a
 * CIDFontType2, written here rather than by libharu: libharu parses the
 * TrueType data again, looks up all 65536 code points for /W and the
 * CIDToGIDMap, and rebuilds the font file when saving. Here the font file
 * is HarfBuzz's subset as it is, the codes are the ranks of the
 * characters drawn (see struct used), and the widths are the advances
 * the lines were measured with. */
static HPDF_Dict embed_font(HPDF_Doc pdf, const font_face *f,
			    const struct used *u, int whole)
{
	uint16_t *gids = xmalloc((u->n + 1) * sizeof(*gids));
	unsigned char *data, *map;
	size_t len;
	char tag[7], base[160];
	struct font_pdf_info fi;
	HPDF_Dict type0 = NULL, cid, desc, file, mapst, tu, info;
	HPDF_Array a, w, bbox;
	HPDF_STATUS r = HPDF_OK;

	data = font_face_embed(f, u->cps, u->n, whole, gids, &len);
	if (!data) {
		free(gids);
		return NULL;
	}
	subset_tag(f, u->cps, u->n, tag);
	snprintf(base, sizeof(base), "%s+%s", tag, font_face_name(f));
	font_face_pdf_info(f, &fi);

	file = new_stream(pdf, data, len);
	free(data);
	/* CIDToGIDMap: the glyph of each code, two bytes, from code 0. */
	map = xcalloc(u->n + 1, 2);
	for (size_t i = 0; i < u->n; i++) {
		map[2 * i + 2] = (unsigned char)(gids[i] >> 8);
		map[2 * i + 3] = (unsigned char)gids[i];
	}
	mapst = new_stream(pdf, map, 2 * (u->n + 1));
	free(map);
	free(gids);
	tu = tounicode(pdf, u);
	type0 = HPDF_Dict_New(pdf->mmgr);
	cid = HPDF_Dict_New(pdf->mmgr);
	desc = HPDF_Dict_New(pdf->mmgr);
	info = HPDF_Dict_New(pdf->mmgr);
	a = HPDF_Array_New(pdf->mmgr);
	w = HPDF_Array_New(pdf->mmgr);
	bbox = HPDF_Array_New(pdf->mmgr);
	if (!file || !mapst || !tu || !type0 || !cid || !desc || !info || !a ||
	    !w || !bbox)
		return NULL; /* what was made belongs to the document */
	r += HPDF_Xref_Add(pdf->xref, type0);
	r += HPDF_Xref_Add(pdf->xref, cid);
	r += HPDF_Xref_Add(pdf->xref, desc);

	r += HPDF_Dict_AddName(type0, "Type", "Font");
	r += HPDF_Dict_AddName(type0, "Subtype", "Type0");
	r += HPDF_Dict_AddName(type0, "BaseFont", base);
	r += HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
	r += HPDF_Dict_Add(type0, "DescendantFonts", a);
	r += HPDF_Array_Add(a, cid);
	r += HPDF_Dict_Add(type0, "ToUnicode", tu);

	r += HPDF_Dict_AddName(cid, "Type", "Font");
	r += HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
	r += HPDF_Dict_AddName(cid, "BaseFont", base);
	r += HPDF_Dict_Add(cid, "CIDSystemInfo", info);
	r += HPDF_Dict_Add(info, "Registry", HPDF_String_New(pdf->mmgr, "Adobe", NULL));
	r += HPDF_Dict_Add(info, "Ordering", HPDF_String_New(pdf->mmgr, "Identity", NULL));
	r += HPDF_Dict_AddNumber(info, "Supplement", 0);
	r += HPDF_Dict_Add(cid, "FontDescriptor", desc);
	r += HPDF_Dict_AddNumber(cid, "DW", 0);
	/* /W: the codes run from 1 without a gap; three or more equal
	 * widths in a row (digits) as "first last width", the others as
	 * "first [w w ...]". */
	r += HPDF_Dict_Add(cid, "W", w);
	{
		HPDF_Array ws = NULL;
		for (size_t i = 0; i < u->n; ) {
			int adv = font_advance(f, u->cps[i]);
			size_t k = i + 1;
			if (adv < 0)
				adv = 0;
			while (k < u->n && font_advance(f, u->cps[k]) == adv)
				k++;
			if (k - i >= 3) {
				r += HPDF_Array_AddNumber(w, (HPDF_INT32)i + 1);
				r += HPDF_Array_AddNumber(w, (HPDF_INT32)k);
				r += HPDF_Array_AddNumber(w, adv);
				ws = NULL;
				i = k;
				continue;
			}
			if (!ws) {
				ws = HPDF_Array_New(pdf->mmgr);
				if (!ws)
					return NULL;
				r += HPDF_Array_AddNumber(w, (HPDF_INT32)i + 1);
				r += HPDF_Array_Add(w, ws);
			}
			r += HPDF_Array_AddNumber(ws, adv);
			i++;
		}
	}
	r += HPDF_Dict_Add(cid, "CIDToGIDMap", mapst);

	r += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	r += HPDF_Dict_AddName(desc, "FontName", base);
	/* Symbolic: glyphs beyond the standard Latin set; italic when
	 * slanted. */
	r += HPDF_Dict_AddNumber(desc, "Flags", fi.italic_angle != 0 ? 4 | 64 : 4);
	r += HPDF_Dict_Add(desc, "FontBBox", bbox);
	for (int i = 0; i < 4; i++)
		r += HPDF_Array_AddNumber(bbox, fi.bbox[i]);
	r += HPDF_Dict_AddReal(desc, "ItalicAngle", (HPDF_REAL)fi.italic_angle);
	r += HPDF_Dict_AddNumber(desc, "Ascent", fi.ascent);
	r += HPDF_Dict_AddNumber(desc, "Descent", fi.descent);
	r += HPDF_Dict_AddNumber(desc, "CapHeight", fi.cap_height);
	r += HPDF_Dict_AddNumber(desc, "StemV", 80);
	r += HPDF_Dict_Add(desc, "FontFile2", file);
	r += HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len);
	return r == HPDF_OK ? type0 : NULL;
}

/* URIs are written as bytes: percent-encode what is not printable
 * ASCII. */
static char *uri_escape(const char *s)
{
	struct sbuf sb = SBUF_INIT;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' ||
		    c == '\\' || c == '(' || c == ')')
			sbuf_addf(&sb, "%%%02X", c);
		else
			sbuf_addch(&sb, c);
	}
	return sbuf_detach(&sb, NULL);
}

/* A text string (bookmark title, Info entry) from UTF-8: printable ASCII
 * as it is, anything else in UTF-16BE with a byte order mark (which
 * libharu writes in hex). This needs no libharu encoder: setting up its
 * UTF-8 encoder cost a few percent of a brief. */
static int set_text(HPDF_Dict dict, const char *key, const char *utf8)
{
	const unsigned char *p = (const unsigned char *)utf8;
	size_t n = strlen(utf8), ascii = 1;
	void *obj;

	for (size_t i = 0; i < n && ascii; i++)
		ascii = p[i] >= 0x20 && p[i] < 0x7F;
	if (ascii) {
		obj = HPDF_String_New(dict->mmgr, utf8, NULL);
	} else {
		unsigned char *b = xmalloc(2 * n + 2), *q = b;
		*q++ = 0xFE;
		*q++ = 0xFF;
		while (n) {
			uint32_t cp;
			int k = utf8_decode(p, n, &cp);
			if (!k) {
				cp = 0xFFFD;
				k = 1;
			}
			p += k;
			n -= (size_t)k;
			if (cp > 0xFFFF) { /* a surrogate pair */
				uint32_t v = cp - 0x10000;
				unsigned hi = 0xD800 | (unsigned)(v >> 10);
				unsigned lo = 0xDC00 | (unsigned)(v & 0x3FF);
				*q++ = (unsigned char)(hi >> 8);
				*q++ = (unsigned char)hi;
				cp = lo;
			}
			*q++ = (unsigned char)(cp >> 8);
			*q++ = (unsigned char)cp;
		}
		obj = HPDF_Binary_New(dict->mmgr, b, (HPDF_UINT)(q - b));
		free(b);
	}
	return obj && HPDF_Dict_Add(dict, key, obj) == HPDF_OK ? 0 : -1;
}

/* [page /XYZ null top null]: go to the heading and keep the reader's
 * zoom and horizontal position. HPDF_Destination_SetXYZ refuses a null
 * zoom, so the array is written here. */
static int set_xyz(HPDF_Destination dst, HPDF_Page page, double top)
{
	HPDF_STATUS r;
	HPDF_Array_Clear(dst);
	r = HPDF_Array_Add(dst, page);
	r += HPDF_Array_AddName(dst, "XYZ");
	r += HPDF_Array_Add(dst, HPDF_Null_New(dst->mmgr));
	r += HPDF_Array_AddReal(dst, (HPDF_REAL)top);
	r += HPDF_Array_Add(dst, HPDF_Null_New(dst->mmgr));
	return r == HPDF_OK ? 0 : -1;
}

static int fail(struct diag *d, const char *path, const struct ctx *c,
		const char *what)
{
	return diag_error(d, (struct diag_loc){ path, 0, 0 },
			  "cannot write PDF: %s (libharu error 0x%04X, "
			  "detail %u)", what, (unsigned)c->err,
			  (unsigned)c->detail);
}

/* A rectangle: grey fill, hatching clipped to it, then the outline. */
static void draw_rect(HPDF_Page page, const struct ts_box *b)
{
	HPDF_REAL x = (HPDF_REAL)b->x, y = (HPDF_REAL)b->y;
	HPDF_REAL w = (HPDF_REAL)b->w, h = (HPDF_REAL)b->h;
	const double gap = 3.2;

	if (!(w > 0) || !(h > 0))
		return;
	if (b->fill >= 0) {
		HPDF_Page_SetGrayFill(page, (HPDF_REAL)(b->fill > 1 ? 1 : b->fill));
		HPDF_Page_Rectangle(page, x, y, w, h);
		HPDF_Page_Fill(page);
		HPDF_Page_SetGrayFill(page, 0);
	}
	if (b->hatch != HATCH_NONE) {
		HPDF_Page_GSave(page);
		HPDF_Page_Rectangle(page, x, y, w, h);
		HPDF_Page_Clip(page);
		HPDF_Page_EndPath(page);
		HPDF_Page_SetLineWidth(page, 0.4f);
		if (b->hatch == HATCH_HORIZ) {
			for (double t = gap / 2; t < h; t += gap) {
				HPDF_Page_MoveTo(page, x, (HPDF_REAL)(y + t));
				HPDF_Page_LineTo(page, x + w, (HPDF_REAL)(y + t));
			}
		} else {
			for (double t = -h; t < w; t += gap) {
				if (b->hatch != HATCH_BACK) {
					HPDF_Page_MoveTo(page, (HPDF_REAL)(x + t), y);
					HPDF_Page_LineTo(page, (HPDF_REAL)(x + t + h),
							 y + h);
				}
				if (b->hatch != HATCH_DIAG) {
					HPDF_Page_MoveTo(page, (HPDF_REAL)(x + t),
							 y + h);
					HPDF_Page_LineTo(page, (HPDF_REAL)(x + t + h),
							 y);
				}
			}
		}
		HPDF_Page_Stroke(page);
		HPDF_Page_GRestore(page);
	}
	if (b->lw > 0) {
		HPDF_Page_SetLineWidth(page, (HPDF_REAL)b->lw);
		HPDF_Page_Rectangle(page, x, y, w, h);
		HPDF_Page_Stroke(page);
	}
}

/* Turn a URI link annotation into a go-to action: to a named
 * destination of this document, or (file) of another PDF, where without a
 * name it opens the first page. */
static int set_goto(HPDF_Annotation a, const char *dest, const char *file)
{
	HPDF_Dict act = HPDF_Dict_GetItem(a, "A", HPDF_OCLASS_DICT);
	HPDF_STATUS r;

	if (!act)
		return -1;
	HPDF_Dict_RemoveElement(act, "URI");
	r = HPDF_Dict_AddName(act, "S", file ? "GoToR" : "GoTo");
	if (file)
		r += HPDF_Dict_Add(act, "F", HPDF_String_New(a->mmgr, file, NULL));
	if (dest) {
		r += HPDF_Dict_Add(act, "D", HPDF_String_New(a->mmgr, dest, NULL));
	} else {
		HPDF_Array d = HPDF_Array_New(a->mmgr);
		if (!d)
			return -1;
		r += HPDF_Dict_Add(act, "D", d);
		r += HPDF_Array_AddNumber(d, 0);
		r += HPDF_Array_AddName(d, "Fit");
	}
	return r == HPDF_OK ? 0 : -1;
}

/* Show a box's text: its codes as a literal string of two-byte codes.
 * Returns the advance in thousandths of an em. */
static long show_string(struct sbuf *sb, const struct used *u,
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
		p += k;
		n -= (size_t)k;
		if (cp > 0xFFFF)
			continue;
		code = cid_of(u, cp);
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

/* The text of a page, written into its content stream in one text
 * object: the boxes on one baseline in one font and size make one TJ
 * array, the gaps between them (justified spaces, tabs) kerning
 * adjustments computed from where the previous box ended, so that
 * rounding never adds up. A new baseline or font starts a new array,
 * placed with Td from the start of the previous one. */
static int draw_text(HPDF_Page page, const struct ts_page *pg,
		     struct used *used)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	struct sbuf sb = SBUF_INIT;
	const font_face *cur = NULL;
	double cur_size = 0, tf_size = 1, lx = 0, ly = 0;
	int in_text = 0, r = 0;

	for (size_t i = 0; i < pg->n; ) {
		const struct ts_box *b = &pg->box[i];
		struct used *u;
		double pen;
		size_t items = 0, mark_at;
		int adjusted = 0;

		if (b->kind != TS_TEXT || !b->text[0]) {
			i++;
			continue;
		}
		u = &used[font_face_index(b->face)];
		if (!in_text) {
			if (HPDF_Page_BeginText(page) != HPDF_OK)
				return -1;
			in_text = 1;
		}
		if (b->face != cur || b->size != cur_size) {
			/* the name of the font in this page's resources */
			if (u->res_page != page) {
				u->res = HPDF_Page_GetLocalFontName(page, u->font);
				u->res_page = page;
				if (!u->res) {
					r = -1;
					break;
				}
			}
			sbuf_addch(&sb, '/');
			sbuf_addstr(&sb, u->res);
			sbuf_addch(&sb, ' ');
			add_num(&sb, b->size);
			sbuf_addstr(&sb, " Tf\n");
			cur = b->face;
			cur_size = b->size;
		}
		/* the size as written, for the widths in the adjustments */
		tf_size = round2(cur_size);
		add_num(&sb, b->x - lx);
		sbuf_addch(&sb, ' ');
		add_num(&sb, b->y - ly);
		sbuf_addstr(&sb, " Td\n");
		/* where the rounded Td puts the line */
		lx += round2(b->x - lx);
		ly += round2(b->y - ly);
		pen = lx;
		mark_at = sb.len;
		sbuf_addch(&sb, '[');
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
				add_int(&sb, adj);
				pen -= (double)adj * tf_size / 1000;
				adjusted = 1;
			}
			pen += (double)show_string(&sb, u, cur, c->text) *
			       tf_size / 1000;
			items++;
		}
		if (items == 1 && !adjusted) {
			/* a single string: (..) Tj, without the brackets */
			memmove(sb.buf + mark_at, sb.buf + mark_at + 1,
				sb.len - mark_at - 1);
			sbuf_setlen(&sb, sb.len - 1);
			sbuf_addstr(&sb, "Tj\n");
		} else {
			sbuf_addstr(&sb, "]TJ\n");
		}
	}
	if (!r && sb.len && HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)sb.buf,
					      (HPDF_UINT)sb.len) != HPDF_OK)
		r = -1;
	sbuf_release(&sb);
	if (in_text && HPDF_Page_EndText(page) != HPDF_OK)
		r = -1;
	return r;
}

static int draw_page(HPDF_Page page, const struct ts_page *pg,
		     struct used *used, HPDF_Image *images)
{

	/* Graphics first (rules, images), then one text object. */
	for (size_t i = 0; i < pg->n; i++) {
		const struct ts_box *b = &pg->box[i];
		if (b->kind == TS_RULE) {
			HPDF_Page_SetLineWidth(page, (HPDF_REAL)b->lw);
			HPDF_Page_MoveTo(page, (HPDF_REAL)b->x, (HPDF_REAL)b->y);
			HPDF_Page_LineTo(page, (HPDF_REAL)(b->x + b->w),
					 (HPDF_REAL)(b->y + b->h));
			HPDF_Page_Stroke(page);
		} else if (b->kind == TS_IMAGE) {
			HPDF_Page_DrawImage(page, images[b->image],
					    (HPDF_REAL)b->x, (HPDF_REAL)b->y,
					    (HPDF_REAL)b->w, (HPDF_REAL)b->h);
		} else if (b->kind == TS_LINK) {
			HPDF_Rect r = { (HPDF_REAL)b->x, (HPDF_REAL)b->y,
					(HPDF_REAL)(b->x + b->w),
					(HPDF_REAL)(b->y + b->h) };
			char *u = uri_escape(b->text[0] ? b->text : "#");
			HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(page, r, u);
			free(u);
			if (!a)
				return -1;
			HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
			if (!b->text[0] && (b->dest || b->file) &&
			    set_goto(a, b->dest, b->file) < 0)
				return -1;
		} else if (b->kind == TS_RECT) {
			draw_rect(page, b);
		}
	}
	return draw_text(page, pg, used);
}

static int dest_cmp(const void *a, const void *b)
{
	const struct ts_dest *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

/* The catalog's /Names /Dests tree: one leaf, names in byte order, each
 * [page /XYZ null top null]. A link to a name that is not there is a
 * warning. */
static int add_dests(HPDF_Doc pdf, const typeset_doc *td, HPDF_Page *pages,
		     const char *path, struct diag *d)
{
	const struct ts_dest **v;
	HPDF_Dict names, dests;
	HPDF_Array arr;
	HPDF_STATUS r = HPDF_OK;

	for (size_t p = 0; p < td->npages; p++)
		for (size_t i = 0; i < td->pages[p].n; i++) {
			const struct ts_box *b = &td->pages[p].box[i];
			int found = 0;
			if (b->kind != TS_LINK || !b->dest || b->file)
				continue;
			for (size_t k = 0; k < td->ndests && !found; k++)
				found = !strcmp(td->dests[k].name, b->dest);
			if (!found)
				diag_warning(d, (struct diag_loc){ path, 0, 0 },
					     "page %zu: link to '%s', which no "
					     "anchor defines", p + 1, b->dest);
		}
	if (!td->ndests)
		return 0;
	v = xmalloc(td->ndests * sizeof(*v));
	for (size_t i = 0; i < td->ndests; i++)
		v[i] = &td->dests[i];
	qsort(v, td->ndests, sizeof(*v), dest_cmp);
	names = HPDF_Dict_New(pdf->mmgr);
	dests = HPDF_Dict_New(pdf->mmgr);
	arr = HPDF_Array_New(pdf->mmgr);
	if (!names || !dests || !arr) {
		free(v);
		return -1;
	}
	r += HPDF_Dict_Add(pdf->catalog, "Names", names);
	r += HPDF_Dict_Add(names, "Dests", dests);
	r += HPDF_Dict_Add(dests, "Names", arr);
	for (size_t i = 0; i < td->ndests && r == HPDF_OK; i++) {
		HPDF_Array dst;
		if (i && !strcmp(v[i]->name, v[i - 1]->name))
			continue;
		if (v[i]->page >= td->npages) {
			r = HPDF_INVALID_PARAMETER;
			break;
		}
		dst = HPDF_Array_New(pdf->mmgr);
		r += HPDF_Array_Add(arr, HPDF_String_New(pdf->mmgr, v[i]->name,
							 NULL));
		r += HPDF_Array_Add(arr, dst);
		if (!dst || set_xyz(dst, pages[v[i]->page], v[i]->y) < 0)
			r = HPDF_INVALID_PARAMETER;
	}
	free(v);
	return r == HPDF_OK ? 0 : -1;
}

/* Deflate bytes with libharu's zlib (the program links no zlib of its
 * own). Returns 0 with the compressed bytes appended to out. */
static int deflate_into(HPDF_MMgr mmgr, const void *data, size_t len,
			struct sbuf *out)
{
	HPDF_Stream src = HPDF_MemStream_New(mmgr, 8192);
	HPDF_Stream dst = HPDF_MemStream_New(mmgr, 8192);
	int r = -1;

	if (src && dst &&
	    HPDF_Stream_Write(src, data, (HPDF_UINT)len) == HPDF_OK &&
	    HPDF_Stream_WriteToStream(src, dst, HPDF_STREAM_FILTER_FLATE_DECODE,
				      NULL) == HPDF_OK &&
	    HPDF_Stream_Seek(dst, 0, HPDF_SEEK_SET) == HPDF_OK) {
		HPDF_UINT32 n = HPDF_Stream_Size(dst);
		HPDF_UINT got = n;
		HPDF_BYTE *b = xmalloc(n ? n : 1);
		HPDF_STATUS st = HPDF_Stream_Read(dst, b, &got);
		if ((st == HPDF_OK || st == HPDF_STREAM_EOF) && got == n) {
			sbuf_add(out, b, n);
			r = 0;
		}
		free(b);
	}
	if (src)
		HPDF_Stream_Free(src);
	if (dst)
		HPDF_Stream_Free(dst);
	return r;
}

static void swap_sbuf(struct sbuf *a, struct sbuf *b)
{
	struct sbuf t = *a;
	*a = *b;
	*b = t;
}

static void add_obj_header(struct sbuf *sb, size_t num)
{
	add_int(sb, (long)num);
	sbuf_addstr(sb, " 0 obj\n");
}

/* One field of an xref stream entry, big-endian. */
static void add_be(struct sbuf *sb, unsigned long v, int bytes)
{
	while (bytes--)
		sbuf_addch(sb, (char)(v >> (8 * bytes) & 0xFF));
}

/* Objects per object stream: readers load a whole object stream to get
 * one of its objects, so a binder's are kept small. */
#define OBJSTM_MAX 400

/* One object stream, number num, of the objects whose bodies are in body
 * (offsets in hdr, "num offset ..." pairs), appended to res. */
static int add_objstm(HPDF_MMgr mmgr, struct sbuf *res, size_t num,
		      size_t n, struct sbuf *hdr, const struct sbuf *body)
{
	struct sbuf z = SBUF_INIT;
	size_t first = hdr->len;
	int r = -1;

	sbuf_add(hdr, body->buf, body->len);
	if (deflate_into(mmgr, hdr->buf, hdr->len, &z) == 0) {
		add_obj_header(res, num);
		sbuf_addstr(res, "<</Type /ObjStm /N ");
		add_int(res, (long)n);
		sbuf_addstr(res, " /First ");
		add_int(res, (long)first);
		sbuf_addstr(res, " /Filter /FlateDecode /Length ");
		add_int(res, (long)z.len);
		sbuf_addstr(res, ">>\nstream\r\n");
		sbuf_add(res, z.buf, z.len);
		sbuf_addstr(res, "\nendstream\nendobj\n");
		r = 0;
	}
	sbuf_release(&z);
	return r;
}

/* Rewrite libharu's PDF 1.3 (objects in a row, then a classic xref table
 * and trailer) as PDF 1.5: the objects that are not streams (fonts'
 * dictionaries, widths, pages, bookmarks, links, stream lengths) go
 * compressed into object streams, and the xref table becomes a
 * compressed xref stream. A brief has about a hundred small objects: this
 * takes a fifth off its size. Streams are copied unchanged. Returns 0
 * with the new file in out, -1 (out untouched) when the input is not laid
 * out as expected. */
static int compact(HPDF_MMgr mmgr, const unsigned char *in, size_t len,
		   struct sbuf *out)
{
	const char *s = (const char *)in, *p, *end = s + len;
	size_t nobj, *off = NULL, *objat = NULL, *stm = NULL, xref_at;
	size_t nstm = 0, nin = 0, xnum;
	struct sbuf body = SBUF_INIT, hdr = SBUF_INIT, xr = SBUF_INIT;
	struct sbuf res = SBUF_INIT, z = SBUF_INIT;
	char root[32] = "", info[32] = "";
	unsigned char *type = NULL;
	int r = -1;

	/* startxref, the xref table and the trailer */
	p = memmem(s, len, "\nstartxref\n", 11);
	for (const char *q = p; q; q = memmem(q + 1, (size_t)(end - q - 1),
					      "\nstartxref\n", 11))
		p = q;
	if (!p)
		return -1;
	xref_at = strtoul(p + 11, NULL, 10);
	if (xref_at >= len || strncmp(s + xref_at, "xref\n0 ", 7))
		return -1;
	p = s + xref_at + 7;
	nobj = strtoul(p, (char **)&p, 10);
	if (*p != '\n' || nobj < 2 || nobj > 10000000 ||
	    (size_t)(end - p) < 1 + nobj * 20)
		return -1;
	p++;
	/* room for the object streams and the xref stream after them */
	off = xcalloc(2 * nobj + 2, sizeof(*off));
	type = xcalloc(2 * nobj + 2, 1);
	objat = xcalloc(nobj + 1, sizeof(*objat));
	stm = xcalloc(nobj + 1, sizeof(*stm));
	for (size_t i = 0; i < nobj; i++, p += 20) {
		off[i] = strtoul(p, NULL, 10);
		type[i] = p[17] == 'n' ? 1 : 0;
		if (type[i] && (off[i] >= xref_at || i == 0))
			goto out;
	}
	{
		const char *t = memmem(p, (size_t)(end - p), "/Root ", 6);
		const char *u = memmem(p, (size_t)(end - p), "/Info ", 6);
		size_t k;
		if (!t)
			goto out;
		k = strcspn(t + 6, "\n>");
		if (k >= sizeof(root))
			goto out;
		memcpy(root, t + 6, k);
		if (u) {
			k = strcspn(u + 6, "\n>");
			if (k >= sizeof(info))
				goto out;
			memcpy(info, u + 6, k);
		}
	}

	/* Each object: from its offset to the next object's, since libharu
	 * writes them in the order of their numbers: "N 0 obj\n" ...
	 * "endobj\n". Streams are copied; the others fill object streams
	 * numbered from nobj. */
	sbuf_addstr(&res, "%PDF-1.5\n%\xB7\xBE\xAD\xAA\n");
	for (size_t i = 1; i < nobj; i++) {
		const char *a, *b;
		size_t next = xref_at, k;
		char head[32];
		if (!type[i])
			continue;
		for (size_t j = i + 1; j < nobj; j++)
			if (type[j]) {
				next = off[j];
				break;
			}
		if (next <= off[i])
			goto out;
		snprintf(head, sizeof(head), "%zu 0 obj\n", i);
		k = strlen(head);
		a = s + off[i];
		b = s + next;
		if ((size_t)(b - a) < k + 7 || memcmp(a, head, k))
			goto out;
		a += k;
		while (b > a && (b[-1] == '\n' || b[-1] == '\r' || b[-1] == ' '))
			b--;
		if (b - a < 6 || memcmp(b - 6, "endobj", 6))
			goto out;
		b -= 6;
		while (b > a && (b[-1] == '\n' || b[-1] == '\r' || b[-1] == ' '))
			b--;
		if (b - a >= 9 && !memcmp(b - 9, "endstream", 9)) {
			off[i] = res.len;
			add_obj_header(&res, i);
			sbuf_add(&res, a, (size_t)(b - a));
			sbuf_addstr(&res, "\nendobj\n");
			continue;
		}
		type[i] = 2;
		stm[i] = nobj + nstm;
		objat[i] = nin++;
		add_int(&hdr, (long)i);
		sbuf_addch(&hdr, ' ');
		add_int(&hdr, (long)body.len);
		sbuf_addch(&hdr, ' ');
		sbuf_add(&body, a, (size_t)(b - a));
		sbuf_addch(&body, '\n');
		if (nin == OBJSTM_MAX) {
			off[nobj + nstm] = res.len;
			type[nobj + nstm] = 1;
			if (add_objstm(mmgr, &res, nobj + nstm, nin, &hdr, &body) < 0)
				goto out;
			nstm++;
			nin = 0;
			sbuf_reset(&hdr);
			sbuf_reset(&body);
		}
	}
	if (nin) {
		off[nobj + nstm] = res.len;
		type[nobj + nstm] = 1;
		if (add_objstm(mmgr, &res, nobj + nstm, nin, &hdr, &body) < 0)
			goto out;
		nstm++;
	}
	if (!nstm)
		goto out;

	/* The xref stream, last: type 0 free, 1 at an offset, 2 in an
	 * object stream at an index. */
	xnum = nobj + nstm;
	off[xnum] = res.len;
	type[xnum] = 1;
	for (size_t i = 0; i <= xnum; i++) {
		if (type[i] == 1 && i) {
			add_be(&xr, 1, 1);
			add_be(&xr, off[i], 4);
			add_be(&xr, 0, 2);
		} else if (type[i] == 2) {
			add_be(&xr, 2, 1);
			add_be(&xr, stm[i], 4);
			add_be(&xr, objat[i], 2);
		} else {
			add_be(&xr, 0, 1);
			add_be(&xr, 0, 4);
			add_be(&xr, i ? 0 : 65535, 2);
		}
	}
	if (deflate_into(mmgr, xr.buf, xr.len, &z) < 0)
		goto out;
	add_obj_header(&res, xnum);
	sbuf_addstr(&res, "<</Type /XRef /Size ");
	add_int(&res, (long)xnum + 1);
	sbuf_addstr(&res, " /W [1 4 2] /Root ");
	sbuf_addstr(&res, root);
	if (info[0]) {
		sbuf_addstr(&res, " /Info ");
		sbuf_addstr(&res, info);
	}
	sbuf_addstr(&res, " /Filter /FlateDecode /Length ");
	add_int(&res, (long)z.len);
	sbuf_addstr(&res, ">>\nstream\r\n");
	sbuf_add(&res, z.buf, z.len);
	sbuf_addstr(&res, "\nendstream\nendobj\nstartxref\n");
	add_int(&res, (long)off[xnum]);
	sbuf_addstr(&res, "\n%%EOF\n");
	if (res.len > 0xFFFFFFFFu)
		goto out; /* offsets have four bytes */
	swap_sbuf(out, &res);
	r = 0;
out:
	free(off);
	free(type);
	free(objat);
	free(stm);
	sbuf_release(&body);
	sbuf_release(&hdr);
	sbuf_release(&xr);
	sbuf_release(&res);
	sbuf_release(&z);
	return r;
}

/* Save the document: libharu's bytes, compacted, to path. */
static int save(HPDF_Doc pdf, const char *path)
{
	struct sbuf out = SBUF_INIT;
	HPDF_UINT32 n;
	HPDF_UINT got;
	HPDF_STATUS st;
	HPDF_BYTE *b;
	FILE *fp;
	int r = -1;

	if (HPDF_SaveToStream(pdf) != HPDF_OK)
		return -1;
	n = HPDF_GetStreamSize(pdf);
	got = n;
	b = xmalloc(n ? n : 1);
	HPDF_ResetStream(pdf);
	st = HPDF_ReadFromStream(pdf, b, &got);
	if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || got != n) {
		free(b);
		return -1;
	}
	if (compact(pdf->mmgr, b, n, &out) < 0)
		sbuf_add(&out, b, n); /* write libharu's file as it is */
	free(b);
	fp = fopen(path, "wb");
	if (fp) {
		r = fwrite(out.buf, 1, out.len, fp) == out.len ? 0 : -1;
		if (fclose(fp))
			r = -1;
	}
	sbuf_release(&out);
	return r;
}

long pdf_write(const typeset_doc *td, const char *path, unsigned flags,
	       struct diag *d)
{
	struct ctx c = { 0, 0 };
	HPDF_Doc pdf = HPDF_New(on_error, &c);
	size_t nf = font_set_nfaces(td->fonts);
	struct used *used = xcalloc(nf ? nf : 1, sizeof(*used));
	HPDF_Image *images = xcalloc(td->nimages + 1, sizeof(*images));
	HPDF_Page *pages = xcalloc(td->npages + 1, sizeof(*pages));
	HPDF_Outline parents[5] = { 0 };
	long ret = -1;

	if (!pdf) {
		diag_error(d, (struct diag_loc){ path, 0, 0 },
			   "cannot write PDF: libharu cannot start");
		goto out;
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);

	/* Fonts: one subset per face, of the characters drawn with it. */
	for (size_t p = 0; p < td->npages; p++)
		for (size_t i = 0; i < td->pages[p].n; i++) {
			const struct ts_box *b = &td->pages[p].box[i];
			if (b->kind == TS_TEXT)
				mark(&used[font_face_index(b->face)], b->text);
		}
	for (size_t i = 0; i < nf; i++) {
		if (!used[i].n)
			continue;
		used_list(&used[i]);
		used[i].font = embed_font(pdf, font_set_face(td->fonts, i),
					  &used[i], flags & PDF_NO_SUBSET);
		if (!used[i].font || c.err) {
			if (!c.err)
				c.err = HPDF_INVALID_OBJECT;
			fail(d, path, &c, "cannot embed a font");
			goto out;
		}
	}

	for (size_t i = 0; i < td->nimages; i++) {
		const struct ts_image *im = &td->images[i];
		images[i] = im->jpeg
			? HPDF_LoadJpegImageFromMem(pdf, im->data,
						    (HPDF_UINT)im->len)
			: HPDF_LoadRawImageFromMem(pdf, im->data, im->width,
						   im->height,
						   im->components == 1
						   ? HPDF_CS_DEVICE_GRAY
						   : HPDF_CS_DEVICE_RGB, 8);
		if (!images[i] || c.err) {
			fail(d, path, &c, "cannot embed an image");
			goto out;
		}
	}

	for (size_t p = 0; p < td->npages; p++) {
		HPDF_Page page = HPDF_AddPage(pdf);
		if (!page) {
			fail(d, path, &c, "cannot add a page");
			goto out;
		}
		pages[p] = page;
		/* ProcSet is obsolete (PDF 1.4 on ignore it): bytes per page */
		HPDF_Dict_RemoveElement(HPDF_Dict_GetItem(page, "Resources",
							  HPDF_OCLASS_DICT),
					"ProcSet");
		HPDF_Page_SetWidth(page, (HPDF_REAL)(td->pages[p].w > 0
						      ? td->pages[p].w : td->page_w));
		HPDF_Page_SetHeight(page, (HPDF_REAL)(td->pages[p].h > 0
						       ? td->pages[p].h : td->page_h));
		if (draw_page(page, &td->pages[p], used, images) < 0 ||
		    c.err) {
			fail(d, path, &c, "cannot draw a page");
			goto out;
		}
	}

	/* Bookmarks: each heading under the nearest one of a higher
	 * level. */
	for (size_t i = 0; i < td->noutline; i++) {
		const struct ts_outline *o = &td->outline[i];
		int lv = o->level < 1 ? 1 : o->level > 4 ? 4 : o->level;
		HPDF_Outline parent = NULL, ol;
		HPDF_Destination dst;
		for (int k = lv - 1; k >= 1 && !parent; k--)
			parent = parents[k];
		ol = HPDF_CreateOutline(pdf, parent, "", NULL);
		if (!ol || o->page >= td->npages ||
		    set_text(ol, "Title", o->title) < 0) {
			fail(d, path, &c, "cannot add a bookmark");
			goto out;
		}
		dst = HPDF_Page_CreateDestination(pages[o->page]);
		if (!dst || set_xyz(dst, pages[o->page], o->y) < 0 ||
		    HPDF_Outline_SetDestination(ol, dst) != HPDF_OK) {
			fail(d, path, &c, "cannot add a bookmark");
			goto out;
		}
		HPDF_Outline_SetOpened(ol, HPDF_TRUE);
		parents[lv] = ol;
		for (int k = lv + 1; k < 5; k++)
			parents[k] = NULL;
	}

	if (add_dests(pdf, td, pages, path, d) < 0 || c.err) {
		fail(d, path, &c, "cannot add the named destinations");
		goto out;
	}
	for (size_t i = 0; i < td->nlabels; i++) {
		const struct ts_label *l = &td->labels[i];
		HPDF_AddPageLabel(pdf, (HPDF_UINT)l->page,
				  l->style == 'r' ? HPDF_PAGE_NUM_STYLE_LOWER_ROMAN
						  : HPDF_PAGE_NUM_STYLE_DECIMAL,
				  l->first ? l->first : 1, l->prefix);
		if (c.err) {
			fail(d, path, &c, "cannot add page labels");
			goto out;
		}
	}

	/* Info (see set_text); dates only when the document has one. The
	 * producer line libharu adds says nothing about the brief. */
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "dossier");
	if (pdf->info) {
		static const char *const keys[DOC_NINFO] = {
			"Title", "Author", "Subject", "Keywords",
		};
		for (int i = 0; i < DOC_NINFO; i++)
			if (td->info[i] && td->info[i][0] &&
			    set_text(pdf->info, keys[i], td->info[i]) < 0)
				c.err = c.err ? c.err : HPDF_INVALID_OBJECT;
		HPDF_Dict_RemoveElement(pdf->info, "Producer");
	}
	if (td->has_date) {
		HPDF_Date dt = { td->date[0], td->date[1], td->date[2],
				 td->date[3], td->date[4], td->date[5], '+',
				 0, 0 };
		HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, dt);
		HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, dt);
	}
	if (c.err) {
		fail(d, path, &c, "cannot set document information");
		goto out;
	}

	if (save(pdf, path) < 0 || c.err) {
		fail(d, path, &c, "cannot save");
		goto out;
	}
	ret = (long)td->npages;
out:
	if (pdf)
		HPDF_Free(pdf);
	for (size_t i = 0; i < nf; i++) {
		free(used[i].bits);
		free(used[i].before);
		free(used[i].cps);
	}
	free(used);
	free(images);
	free(pages);
	return ret;
}
