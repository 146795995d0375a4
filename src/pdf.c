/* pdf.c: drawing typeset pages with libharu 2.3 (see pdf.h).
 *
 * libharu 2.3 needs help in four places, all handled here: fonts are
 * loaded from memory through its exported internals (it has no public
 * call for that); its ToUnicode CMaps are rewritten with bfchar entries
 * before saving; outline titles and Info strings go through its UTF-8
 * encoder; errors are sticky, so the first one is kept and the document
 * abandoned. */
#include "pdf.h"
#include "diag.h"
#include "font.h"
#include "sbuf.h"
#include "typeset-private.h"
#include "util.h"

#include <hpdf.h>
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

/* The characters drawn with one face: a bitmap of the BMP. */
struct used {
	uint8_t *bits; /* 8 KiB, NULL while unused */
	size_t n;
	HPDF_Font font;
};

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
		if (cp > 0xFFFF)
			continue;
		if (!u->bits)
			u->bits = xcalloc(8192, 1);
		if (!(u->bits[cp >> 3] & (1u << (cp & 7)))) {
			u->bits[cp >> 3] |= (uint8_t)(1u << (cp & 7));
			u->n++;
		}
	}
}

static size_t used_list(const struct used *u, uint32_t *out)
{
	size_t n = 0;
	for (uint32_t cp = 0; cp < 0x10000; cp++)
		if (u->bits[cp >> 3] & (1u << (cp & 7)))
			out[n++] = cp;
	return n;
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

/* An encoder of its own for one font: libharu's UTF-8 encoder, except
 * that only the characters drawn with the font are mapped.
 *
 * Why: for a UTF-8 font, HPDF_GetFont looks up a glyph for each of the
 * 65536 code points and writes /W and a 128 KiB CIDToGIDMap for all of
 * them, per font and document; that was half the time of a brief. For an
 * encoder whose to_unicode_fn is HPDF_CMapEncoder_ToUnicode it instead maps
 * only the codes of cid_map. So the font is created with such an encoder
 * (code = CID = code point, as with UTF-8), mapping the characters drawn
 * and one above the last (libharu stops one short of the highest CID);
 * then the UTF-8 parser is put back for drawing text. */
static HPDF_Encoder font_encoder(HPDF_Doc pdf, HPDF_Encoder u8,
				 const uint32_t *cps, size_t n, const char *tag)
{
	char name[32];
	HPDF_Encoder e;
	HPDF_CMapEncoderAttr a, ua = u8->attr;
	uint32_t top = 0;

	snprintf(name, sizeof(name), "UTF-8-%s", tag);
	e = HPDF_CMapEncoder_New(pdf->mmgr, name, NULL);
	if (!e)
		return NULL;
	/* What HPDF_CMapEncoder_InitAttr does, but cleared with memset
	 * rather than byte by byte (a tenth of a document's time); unused
	 * unicode_map entries are never read. */
	a = HPDF_GetMem(e->mmgr, sizeof(*a));
	if (!a) {
		HPDF_Encoder_Free(e);
		return NULL;
	}
	memset(a->cid_map, 0, sizeof(a->cid_map));
	memset(a->jww_line_head, 0, sizeof(*a) - offsetof(HPDF_CMapEncoderAttr_Rec,
							   jww_line_head));
	e->attr = a;
	a->cmap_range = HPDF_List_New(e->mmgr, 8);
	a->notdef_range = HPDF_List_New(e->mmgr, 8);
	a->code_space_range = HPDF_List_New(e->mmgr, 8);
	if (!a->cmap_range || !a->notdef_range || !a->code_space_range) {
		HPDF_Encoder_Free(e);
		return NULL;
	}
	e->byte_type_fn = u8->byte_type_fn;
	e->encode_text_fn = u8->encode_text_fn;
	e->type = HPDF_ENCODER_TYPE_DOUBLE_BYTE;
	memcpy(a->registry, ua->registry, sizeof(a->registry));
	memcpy(a->ordering, ua->ordering, sizeof(a->ordering));
	a->suppliment = ua->suppliment;
	a->writing_mode = ua->writing_mode;
	a->is_lead_byte_fn = NULL;
	a->is_trial_byte_fn = NULL;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = cps[i];
		if (c < 0x20 || c > 0xFFFE)
			continue;
		a->cid_map[c >> 8][c & 0xFF] = (HPDF_UINT16)c;
		a->unicode_map[c >> 8][c & 0xFF] = (HPDF_UNICODE)c;
		if (c > top)
			top = c;
	}
	top++;
	a->cid_map[top >> 8][top & 0xFF] = (HPDF_UINT16)top;
	a->unicode_map[top >> 8][top & 0xFF] = (HPDF_UNICODE)top;
	e->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
	if (HPDF_Doc_RegisterEncoder(pdf, e) != HPDF_OK)
		return NULL; /* freed by the document */
	return e;
}

/* Load TrueType bytes into the document as a font for UTF-8 text. */
static HPDF_Font load_font(HPDF_Doc pdf, HPDF_Encoder u8,
			   const unsigned char *data, size_t len,
			   const uint32_t *cps, size_t n, const char *tag,
			   int plain)
{
	HPDF_Stream s = HPDF_MemStream_New(pdf->mmgr, (HPDF_UINT)len + 16);
	HPDF_FontDef def;
	HPDF_Encoder e;
	HPDF_Font font;
	char tagbuf[7];

	if (!s)
		return NULL;
	/* Zeros after the font: libharu seeks to the offset of each glyph it
	 * embeds, and refuses a seek to the very end of its stream, which is
	 * where an empty last glyph of a subset (a space) starts. */
	static const HPDF_BYTE pad[16];
	if (HPDF_Stream_Write(s, data, (HPDF_UINT)len) != HPDF_OK ||
	    HPDF_Stream_Write(s, pad, sizeof(pad)) != HPDF_OK) {
		HPDF_Stream_Free(s);
		return NULL;
	}
	def = HPDF_TTFontDef_Load(pdf->mmgr, s, HPDF_TRUE); /* owns s */
	if (!def)
		return NULL;
	memcpy(tagbuf, tag, sizeof(tagbuf));
	HPDF_TTFontDef_SetTagName(def, tagbuf);
	if (HPDF_Doc_RegisterFontDef(pdf, def) != HPDF_OK || !def->base_font[0])
		return NULL;
	if (plain)
		return HPDF_GetFont(pdf, def->base_font, "UTF-8");
	e = font_encoder(pdf, u8, cps, n, tag);
	if (!e)
		return NULL;
	font = HPDF_GetFont(pdf, def->base_font, e->name);
	/* From now on the encoder parses UTF-8 text. */
	e->to_unicode_fn = u8->to_unicode_fn;
	return font;
}

/* Replace libharu's ToUnicode CMap (a begincidrange that poppler warns
 * about) with one bfchar entry per character drawn: with the UTF-8
 * encoder a character's code is its code point. */
static int fix_tounicode(HPDF_Font font, const uint32_t *cps, size_t n)
{
	HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	struct sbuf sb = SBUF_INIT;
	HPDF_STATUS r;

	if (!tu || !tu->stream)
		return -1;
	HPDF_MemStream_FreeData(tu->stream);
	sbuf_addstr(&sb, "/CIDInit /ProcSet findresource begin\n"
		    "12 dict begin\nbegincmap\n"
		    "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) "
		    "/Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n"
		    "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
		    "endcodespacerange\n");
	for (size_t i = 0; i < n; i += 100) {
		size_t k = n - i < 100 ? n - i : 100;
		sbuf_addf(&sb, "%zu beginbfchar\n", k);
		for (size_t j = i; j < i + k; j++)
			sbuf_addf(&sb, "<%04X> <%04X>\n", (unsigned)cps[j],
				  (unsigned)cps[j]);
		sbuf_addstr(&sb, "endbfchar\n");
	}
	sbuf_addstr(&sb, "endcmap\nCMapName currentdict /CMap defineresource "
		    "pop\nend\nend\n");
	r = HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)sb.buf,
			      (HPDF_UINT)sb.len);
	sbuf_release(&sb);
	HPDF_Dict_RemoveElement(tu, "CMapName");
	HPDF_Dict_RemoveElement(tu, "CIDSystemInfo");
	HPDF_Dict_RemoveElement(tu, "WMode");
	HPDF_Dict_RemoveElement(tu, "Type");
	return r == HPDF_OK ? 0 : -1;
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

static int draw_page(HPDF_Page page, const struct ts_page *pg,
		     const struct used *used, HPDF_Image *images)
{
	HPDF_Font cur = NULL;
	double cur_size = 0;
	int in_text = 0;

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
	for (size_t i = 0; i < pg->n; i++) {
		const struct ts_box *b = &pg->box[i];
		HPDF_Font f;
		if (b->kind != TS_TEXT || !b->text[0])
			continue;
		if (!in_text) {
			HPDF_Page_BeginText(page);
			in_text = 1;
		}
		f = used[font_face_index(b->face)].font;
		if (f != cur || b->size != cur_size) {
			HPDF_Page_SetFontAndSize(page, f, (HPDF_REAL)b->size);
			cur = f;
			cur_size = b->size;
		}
		HPDF_Page_TextOut(page, (HPDF_REAL)b->x, (HPDF_REAL)b->y, b->text);
	}
	if (in_text)
		HPDF_Page_EndText(page);
	return 0;
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

/* libharu 2.3 rebuilds each TrueType font into a stream of 4 KiB blocks
 * and then seeks to the start of every table it writes, the last being
 * 'prep'. A subset has no 'prep': the seek to the end of the stream
 * fails when the font's size is a multiple of 4096 (HPDF_INVALID_OBJECT,
 * and libharu leaks the font's descriptor), about one subset in 4096.
 * So each font is rebuilt once into a scratch stream just before saving;
 * when that fails, the document is made again with a few more characters
 * in every subset (salt), which changes the sizes. The same input still
 * gives the same bytes. (Hinting tables would avoid the empty 'prep', but
 * make Ghostscript hint the unhinted glyphs, and distort some.) */
static const char salt_chars[] = "0123456789.,:;-()/";

static int fonts_save(const struct used *used, size_t nf, HPDF_MMgr mmgr)
{
	for (size_t i = 0; i < nf; i++) {
		HPDF_FontAttr fa;
		HPDF_Stream s;
		HPDF_STATUS r;
		if (!used[i].font)
			continue;
		fa = (HPDF_FontAttr)used[i].font->attr;
		if (!fa || !fa->fontdef || fa->fontdef->type != HPDF_FONTDEF_TYPE_TRUETYPE)
			continue;
		s = HPDF_MemStream_New(mmgr, 4096);
		if (!s)
			return -1;
		r = HPDF_TTFontDef_SaveFontData(fa->fontdef, s);
		HPDF_Stream_Free(s);
		if (r != HPDF_OK)
			return -1;
	}
	return 0;
}

static long write_once(const typeset_doc *td, const char *path,
		       unsigned flags, unsigned salt, struct diag *d,
		       int *retry)
{
	struct ctx c = { 0, 0 };
	HPDF_Doc pdf = HPDF_New(on_error, &c);
	size_t nf = font_set_nfaces(td->fonts);
	struct used *used = xcalloc(nf ? nf : 1, sizeof(*used));
	uint32_t *cps = xmalloc(65536 * sizeof(*cps));
	HPDF_Image *images = xcalloc(td->nimages + 1, sizeof(*images));
	HPDF_Page *pages = xcalloc(td->npages + 1, sizeof(*pages));
	HPDF_Outline parents[5] = { 0 };
	HPDF_Encoder u8;
	long ret = -1;

	if (!pdf) {
		diag_error(d, (struct diag_loc){ path, 0, 0 },
			   "cannot write PDF: libharu cannot start");
		goto out;
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	u8 = HPDF_GetEncoder(pdf, "UTF-8");
	if (c.err || !u8) {
		fail(d, path, &c, "no UTF-8 encoder");
		goto out;
	}

	/* Fonts: one subset per face, of the characters drawn with it. */
	for (size_t p = 0; p < td->npages; p++)
		for (size_t i = 0; i < td->pages[p].n; i++) {
			const struct ts_box *b = &td->pages[p].box[i];
			if (b->kind == TS_TEXT)
				mark(&used[font_face_index(b->face)], b->text);
		}
	for (size_t i = 0; i < nf; i++) {
		const font_face *f = font_set_face(td->fonts, i);
		unsigned char *data;
		size_t len, n;
		char tag[7];

		if (!used[i].n)
			continue;
		for (unsigned k = 0, added = 0; salt_chars[k] && added < salt; k++) {
			char ch[2] = { salt_chars[k], '\0' };
			uint32_t cp = (unsigned char)ch[0];
			if (used[i].bits[cp >> 3] & (1u << (cp & 7)) ||
			    font_advance(f, cp) < 0)
				continue;
			mark(&used[i], ch);
			added++;
		}
		n = used_list(&used[i], cps);
		subset_tag(f, cps, n, tag);
		if (flags & PDF_NO_SUBSET) {
			const unsigned char *all = font_face_data(f, &len);
			used[i].font = load_font(pdf, u8, all, len, cps, n, tag,
						 flags & PDF_LIBHARU_UTF8);
		} else {
			data = font_face_subset(f, cps, n, &len);
			if (!data) {
				diag_error(d, (struct diag_loc){ path, 0, 0 },
					   "cannot subset font '%s'",
					   font_face_path(f));
				goto out;
			}
			used[i].font = load_font(pdf, u8, data, len, cps, n, tag,
						 flags & PDF_LIBHARU_UTF8);
			free(data);
		}
		if (!used[i].font || c.err) {
			fail(d, path, &c, "cannot load a font");
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
		ol = HPDF_CreateOutline(pdf, parent, o->title, u8);
		if (!ol || o->page >= td->npages) {
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

	/* Info in UTF-8; dates only when the document has one. */
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	{
		static const HPDF_InfoType keys[DOC_NINFO] = {
			HPDF_INFO_TITLE, HPDF_INFO_AUTHOR, HPDF_INFO_SUBJECT,
			HPDF_INFO_KEYWORDS,
		};
		for (int i = 0; i < DOC_NINFO; i++)
			if (td->info[i] && td->info[i][0])
				HPDF_SetInfoAttr(pdf, keys[i], td->info[i]);
		HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "dossier");
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

	for (size_t i = 0; i < nf; i++) {
		if (!used[i].font)
			continue;
		if (fix_tounicode(used[i].font, cps, used_list(&used[i], cps)) < 0) {
			if (!c.err)
				c.err = HPDF_INVALID_OBJECT;
			fail(d, path, &c, "cannot write a ToUnicode map");
			goto out;
		}
	}
	if (fonts_save(used, nf, pdf->mmgr) < 0) {
		*retry = 1;
		goto out;
	}
	if (HPDF_SaveToFile(pdf, path) != HPDF_OK || c.err) {
		fail(d, path, &c, "cannot save");
		goto out;
	}
	ret = (long)td->npages;
out:
	if (pdf)
		HPDF_Free(pdf);
	for (size_t i = 0; i < nf; i++)
		free(used[i].bits);
	free(used);
	free(cps);
	free(images);
	free(pages);
	return ret;
}

long pdf_write(const typeset_doc *td, const char *path, unsigned flags,
	       struct diag *d)
{
	for (unsigned salt = 0; salt < 8; salt++) {
		struct diag tmp = DIAG_INIT;
		int retry = 0;
		long ret = write_once(td, path, flags, salt, &tmp, &retry);
		if (!retry) {
			diag_move(d, &tmp);
			diag_release(&tmp);
			return ret;
		}
		diag_release(&tmp);
	}
	return diag_error(d, (struct diag_loc){ path, 0, 0 }, "cannot write "
			  "PDF: libharu cannot rebuild a font of this document");
}
