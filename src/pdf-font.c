/* pdf-font.c: the fonts of a PDF (see pdf-private.h): the characters
 * drawn with each face, the TrueType bytes embedded for them (HarfBuzz's
 * subset, or the whole file), and the font's objects.
 *
 * Fonts are Type0 over CIDFontType2 with Identity-H: the codes number the
 * characters of a face in the order they are first drawn, so a page can
 * be written before the document's last character is known; at the end
 * each face is embedded as HarfBuzz's subset of exactly those characters,
 * with /W (the advances the lines were measured with), a CIDToGIDMap and
 * a ToUnicode CMap of one entry per code. */
#include "pdf.h"
#include "font.h"
#include "pdf-private.h"
#include "sbuf.h"
#include "util.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the font file ---- */

/* The glyph of each code point in face (0 when it has none). */
static void map_glyphs(hb_face_t *face, const uint32_t *cps, size_t n,
		       uint16_t *gids)
{
	hb_font_t *font = hb_font_create(face);
	for (size_t i = 0; i < n; i++) {
		hb_codepoint_t g;
		gids[i] = hb_font_get_nominal_glyph(font, cps[i], &g) && g < 65536
			  ? (uint16_t)g : 0;
	}
	hb_font_destroy(font);
}

unsigned char *pdf_font_subset(const font_face *f, const uint32_t *cps,
			       size_t n, size_t *len)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_face_t *sub;
	hb_blob_t *blob;
	unsigned char *out = NULL;
	const char *data;
	unsigned blen;

	if (!in)
		return NULL;
	hb_set_t *u = hb_subset_input_unicode_set(in);
	for (size_t i = 0; i < n; i++)
		hb_set_add(u, cps[i]);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
	/* The PDF draws glyphs by number, without shaping: layout tables
	 * would only cost time (their closure) and bytes. Nor does it read
	 * the font's names (the PDF names the font itself); 'post' keeps no
	 * glyph names (format 3), as HarfBuzz does by default. */
	{
		static const hb_tag_t drop[] = {
			HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
			HB_TAG('G', 'D', 'E', 'F'), HB_TAG('B', 'A', 'S', 'E'),
			HB_TAG('J', 'S', 'T', 'F'), HB_TAG('M', 'A', 'T', 'H'),
			HB_TAG('k', 'e', 'r', 'n'), HB_TAG('S', 'T', 'A', 'T'),
			HB_TAG('D', 'S', 'I', 'G'), HB_TAG('m', 'e', 't', 'a'),
			HB_TAG('h', 'd', 'm', 'x'), HB_TAG('V', 'D', 'M', 'X'),
			HB_TAG('L', 'T', 'S', 'H'), HB_TAG('g', 'a', 's', 'p'),
			HB_TAG('n', 'a', 'm', 'e'),
		};
		hb_set_t *t = hb_subset_input_set(in,
						  HB_SUBSET_SETS_DROP_TABLE_TAG);
		for (size_t i = 0; i < ARRAY_SIZE(drop); i++)
			hb_set_add(t, drop[i]);
		hb_set_clear(hb_subset_input_set(in,
				HB_SUBSET_SETS_LAYOUT_FEATURE_TAG));
	}
	sub = hb_subset_or_fail(font_face_hb(f), in);
	hb_subset_input_destroy(in);
	if (!sub)
		return NULL;
	blob = hb_face_reference_blob(sub);
	data = hb_blob_get_data(blob, &blen);
	if (data && blen) {
		out = xmalloc(blen);
		memcpy(out, data, blen);
		*len = blen;
	}
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	return out;
}

unsigned char *pdf_font_file(const font_face *f, const uint32_t *cps,
			     size_t n, int whole, uint16_t *gids, size_t *len)
{
	unsigned char *out;
	hb_blob_t *b;
	hb_face_t *face;

	if (whole) {
		const unsigned char *all = font_face_data(f, len);
		out = xmalloc(*len ? *len : 1);
		memcpy(out, all, *len);
		map_glyphs(font_face_hb(f), cps, n, gids);
		return out;
	}
	out = pdf_font_subset(f, cps, n, len);
	if (!out)
		return NULL;
	b = hb_blob_create((const char *)out, (unsigned)*len,
			   HB_MEMORY_MODE_READONLY, NULL, NULL);
	face = hb_face_create(b, 0);
	map_glyphs(face, cps, n, gids);
	hb_face_destroy(face);
	hb_blob_destroy(b);
	return out;
}

static int be16(const unsigned char *p) { return (int16_t)(p[0] << 8 | p[1]); }

/* The bounding box ('head'), the italic angle ('post') and the cap
 * height ('OS/2', else the ascender), scaled to thousandths of an em;
 * the ascender and descender are the face's (font_ascent). */
void pdf_font_info(const font_face *f, struct pdf_font_info *out)
{
	hb_face_t *face = font_face_hb(f);
	unsigned upem = hb_face_get_upem(face);
	hb_font_t *font = hb_font_create(face);
	hb_blob_t *t = hb_face_reference_table(face, HB_TAG('h', 'e', 'a', 'd'));
	unsigned n;
	const unsigned char *p = (const unsigned char *)hb_blob_get_data(t, &n);
	hb_position_t cap;

	hb_font_set_scale(font, (int)upem, (int)upem);
	out->ascent = font_ascent(f);
	out->descent = font_descent(f);
	if (p && n >= 54)
		for (int i = 0; i < 4; i++)
			out->bbox[i] = (int)((long)be16(p + 36 + 2 * i) * 1000 /
					     (long)upem);
	else
		out->bbox[0] = -500, out->bbox[1] = -300, out->bbox[2] = 1500,
		out->bbox[3] = 1000;
	hb_blob_destroy(t);
	out->italic_angle = 0;
	t = hb_face_reference_table(face, HB_TAG('p', 'o', 's', 't'));
	p = (const unsigned char *)hb_blob_get_data(t, &n);
	if (p && n >= 8)
		out->italic_angle = (double)(int32_t)((uint32_t)p[4] << 24 |
						      (uint32_t)p[5] << 16 |
						      (uint32_t)p[6] << 8 |
						      p[7]) / 65536.0;
	hb_blob_destroy(t);
	if (hb_ot_metrics_get_position(font, HB_OT_METRICS_TAG_CAP_HEIGHT,
				       &cap) && cap > 0)
		out->cap_height = (int)((long)cap * 1000 / (long)upem);
	else
		out->cap_height = out->ascent;
	hb_font_destroy(font);
}

/* ---- the font's objects ---- */

/* A name of ours (ASCII letters and digits, '+', '-'): as it is. */
static void add_name(struct sbuf *sb, const char *s)
{
	sbuf_addch(sb, '/');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7F || strchr("#/()<>[]{}%", c))
			sbuf_addf(sb, "#%02X", c);
		else
			sbuf_addch(sb, c);
	}
}

/* The code of cp in face u, given at its first use. */
unsigned pdf_font_code(struct pdf_used *u, uint32_t cp)
{
	uint16_t **blk = &u->code[cp >> 8 & 0xFF];
	if (!*blk)
		*blk = xcalloc(256, sizeof(**blk));
	if (!(*blk)[cp & 0xFF]) {
		if (u->n >= 65535)
			return 0; /* a face has fewer characters */
		ALLOC_GROW(u->cps, u->n + 1, u->alloc);
		u->cps[u->n++] = cp;
		(*blk)[cp & 0xFF] = (uint16_t)u->n;
	}
	return (*blk)[cp & 0xFF];
}

void pdf_font_release(struct pdf_used *u)
{
	for (int k = 0; k < 256; k++)
		free(u->code[k]);
	free(u->cps);
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

/* The ToUnicode CMap: one bfchar entry per code (blocks of 100). (bfrange
 * entries for runs would be shorter, but Ghostscript 10.00 extracts
 * garbage from them, even valid ones.) */
static void tounicode(struct sbuf *sb, const struct pdf_used *u)
{
	sbuf_addstr(sb, "/CIDInit /ProcSet findresource begin\n"
		    "12 dict begin\nbegincmap\n"
		    "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) "
		    "/Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n"
		    "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
		    "endcodespacerange\n");
	for (size_t i = 0; i < u->n; i += 100) {
		size_t k = u->n - i < 100 ? u->n - i : 100;
		pdf_add_int(sb, (long long)k);
		sbuf_addstr(sb, " beginbfchar\n");
		for (size_t j = i; j < i + k; j++) {
			sbuf_addch(sb, '<');
			pdf_add_hex4(sb, (unsigned)(j + 1));
			sbuf_addstr(sb, "> <");
			pdf_add_hex4(sb, (unsigned)u->cps[j]);
			sbuf_addstr(sb, ">\n");
		}
		sbuf_addstr(sb, "endbfchar\n");
	}
	sbuf_addstr(sb, "endcmap\nCMapName currentdict /CMap defineresource "
		    "pop\nend\nend\n");
}

/* Embed face f as the Type0 font u->obj: the font file, CIDToGIDMap,
 * ToUnicode, the descendant CIDFontType2 and its descriptor. */
int pdf_font_write(pdf_writer *w, const font_face *f,
		   const struct pdf_used *u)
{
	uint16_t *gids = xmalloc((u->n + 1) * sizeof(*gids));
	unsigned char *data, *map;
	size_t len, file, mapst, tu, cid, desc;
	char tag[7], base[160];
	struct pdf_font_info fi;
	struct sbuf sb = SBUF_INIT;

	data = pdf_font_file(f, u->cps, u->n, w->flags & PDF_NO_SUBSET,
			     gids, &len);
	if (!data) {
		free(gids);
		return pdf_fail(w, "cannot make a subset of %s",
				font_face_name(f));
	}
	subset_tag(f, u->cps, u->n, tag);
	snprintf(base, sizeof(base), "%s+%s", tag, font_face_name(f));
	pdf_font_info(f, &fi);

	file = pdf_new_obj(w);
	sbuf_addstr(&sb, " /Length1 ");
	pdf_add_int(&sb, (long long)len);
	pdf_put_stream(w, file, sb.buf, data, len, 1);
	free(data);

	/* CIDToGIDMap: the glyph of each code, two bytes, from code 0. */
	map = xcalloc(u->n + 1, 2);
	for (size_t i = 0; i < u->n; i++) {
		map[2 * i + 2] = (unsigned char)(gids[i] >> 8);
		map[2 * i + 3] = (unsigned char)gids[i];
	}
	free(gids);
	mapst = pdf_new_obj(w);
	pdf_put_stream(w, mapst, "", map, 2 * (u->n + 1), 1);
	free(map);

	sbuf_reset(&sb);
	tounicode(&sb, u);
	tu = pdf_new_obj(w);
	pdf_put_stream(w, tu, "", sb.buf, sb.len, 1);

	cid = pdf_new_obj(w);
	desc = pdf_new_obj(w);
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "<</Type /Font /Subtype /Type0 /BaseFont ");
	add_name(&sb, base);
	sbuf_addstr(&sb, " /Encoding /Identity-H /DescendantFonts [");
	pdf_add_ref(&sb, cid);
	sbuf_addstr(&sb, "] /ToUnicode ");
	pdf_add_ref(&sb, tu);
	sbuf_addstr(&sb, ">>");
	pdf_put_obj_sb(w, u->obj, &sb);

	/* /W: the codes run from 1 without a gap; three or more equal
	 * widths in a row (digits) as "first last width", the others as
	 * "first [w w ...]". */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "<</Type /Font /Subtype /CIDFontType2 /BaseFont ");
	add_name(&sb, base);
	sbuf_addstr(&sb, " /CIDSystemInfo <</Registry (Adobe) /Ordering "
		    "(Identity) /Supplement 0>> /FontDescriptor ");
	pdf_add_ref(&sb, desc);
	sbuf_addstr(&sb, " /DW 0 /W [");
	{
		int open = 0;
		for (size_t i = 0; i < u->n; ) {
			int adv = font_advance(f, u->cps[i]);
			size_t k = i + 1;
			if (adv < 0)
				adv = 0;
			while (k < u->n && font_advance(f, u->cps[k]) == adv)
				k++;
			if (k - i >= 3) {
				if (open)
					sbuf_addch(&sb, ']');
				open = 0;
				sbuf_addch(&sb, ' ');
				pdf_add_int(&sb, (long long)i + 1);
				sbuf_addch(&sb, ' ');
				pdf_add_int(&sb, (long long)k);
				sbuf_addch(&sb, ' ');
				pdf_add_int(&sb, adv);
				i = k;
				continue;
			}
			if (!open) {
				sbuf_addch(&sb, ' ');
				pdf_add_int(&sb, (long long)i + 1);
				sbuf_addstr(&sb, " [");
				open = 1;
			} else {
				sbuf_addch(&sb, ' ');
			}
			pdf_add_int(&sb, adv);
			i++;
		}
		if (open)
			sbuf_addch(&sb, ']');
	}
	sbuf_addstr(&sb, "] /CIDToGIDMap ");
	pdf_add_ref(&sb, mapst);
	sbuf_addstr(&sb, ">>");
	pdf_put_obj_sb(w, cid, &sb);

	/* Symbolic: glyphs beyond the standard Latin set; italic when
	 * slanted. */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "<</Type /FontDescriptor /FontName ");
	add_name(&sb, base);
	sbuf_addstr(&sb, " /Flags ");
	pdf_add_int(&sb, fi.italic_angle != 0 ? 4 | 64 : 4);
	sbuf_addstr(&sb, " /FontBBox [");
	for (int i = 0; i < 4; i++) {
		pdf_add_int(&sb, fi.bbox[i]);
		sbuf_addch(&sb, i < 3 ? ' ' : ']');
	}
	sbuf_addstr(&sb, " /ItalicAngle ");
	pdf_add_num(&sb, fi.italic_angle);
	sbuf_addstr(&sb, " /Ascent ");
	pdf_add_int(&sb, fi.ascent);
	sbuf_addstr(&sb, " /Descent ");
	pdf_add_int(&sb, fi.descent);
	sbuf_addstr(&sb, " /CapHeight ");
	pdf_add_int(&sb, fi.cap_height);
	sbuf_addstr(&sb, " /StemV 80 /FontFile2 ");
	pdf_add_ref(&sb, file);
	sbuf_addstr(&sb, ">>");
	pdf_put_obj_sb(w, desc, &sb);
	sbuf_release(&sb);
	return w->failed ? -1 : 0;
}
