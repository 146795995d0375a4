/* pdf.c: writing typeset pages as PDF 1.5, a page at a time (see pdf.h).
 *
 * The objects are written in the order they are made. Streams (page
 * contents, font files, images) go straight to the file, compressed; the
 * other objects (pages, links, fonts' dictionaries, bookmarks) are
 * gathered, up to OBJSTM_MAX at a time, into compressed object streams;
 * a cross-reference stream ends the file. What refers to an object not
 * yet written (a page to its fonts and to the page tree) takes its number
 * in advance.
 *
 * Fonts are Type0 over CIDFontType2 with Identity-H: the codes number the
 * characters of a face in the order they are first drawn, so a page can
 * be written before the document's last character is known; at the end
 * each face is embedded as HarfBuzz's subset of exactly those characters,
 * with /W (the advances the lines were measured with), a CIDToGIDMap and
 * a ToUnicode CMap of one entry per code. */
#include "pdf.h"
#include "diag.h"
#include "font.h"
#include "sbuf.h"
#include "sha256.h"
#include "pages.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Objects per object stream: readers load a whole object stream to get
 * one of its objects, so a binder's are kept small. */
#define OBJSTM_MAX 400

/* The characters drawn with one face: code -> character in cps (codes
 * from 1), character -> code in code (per block of 256 characters of the
 * BMP, made at first use: a brief touches a handful). */
struct used {
	uint16_t *code[256];
	uint32_t *cps;
	size_t n, alloc;
	size_t obj; /* the Type0 font's number, 0 while unused */
};

/* A link to a named destination of this document, checked at the end. */
struct dest_ref {
	char *name;
	size_t page;
};

struct pdf_writer {
	FILE *fp;
	int own_fp;                 /* pdf_open's file, closed by the writer */
	const char *path;
	struct diag *d;
	unsigned flags;
	int failed;
	unsigned long long at;      /* bytes written */
	struct sha256 sha;          /* of the bytes written */
	/* Per object number (0 unused): where it is. kind 1: at off in
	 * the file; 2: in object stream off, at index idx. */
	unsigned long long *off;
	unsigned char *kind;
	uint16_t *idx;
	size_t nobj, aobj;
	/* The object stream being filled, and its objects' numbers. */
	struct sbuf hdr, body;
	size_t nin, in[OBJSTM_MAX];
	size_t pages_obj;           /* the page tree, numbered first */
	size_t *page_obj;           /* per page written */
	size_t npages, apages;
	struct used *used;          /* per face of the font set */
	size_t nfaces;
	size_t *image_obj;          /* per image of td, 0 while unwritten */
	size_t nimage_obj;
	struct dest_ref *refs;
	size_t nrefs, arefs;
	struct sbuf page, text, z;  /* scratch */
};

/* ---- numbers and strings ---- */

/* Numbers for the PDF, whatever the locale: integers, and reals with at
 * most two decimals and no trailing zeros. */
static void add_int(struct sbuf *sb, long long v)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v
				     : (unsigned long long)v;
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

/* n numbers separated by spaces. */
static void add_vnums(struct sbuf *sb, int n, va_list ap)
{
	for (int i = 0; i < n; i++) {
		if (i)
			sbuf_addch(sb, ' ');
		add_num(sb, va_arg(ap, double));
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
	add_int(sb, c / 1000);
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

static void add_hex4(struct sbuf *sb, unsigned v)
{
	static const char hex[] = "0123456789ABCDEF";
	char b[4] = { hex[v >> 12 & 15], hex[v >> 8 & 15], hex[v >> 4 & 15],
		      hex[v & 15] };
	sbuf_add(sb, b, 4);
}

static void add_ref(struct sbuf *sb, size_t num)
{
	add_int(sb, (long long)num);
	sbuf_addstr(sb, " 0 R");
}

/* A literal string of bytes: ( ) \ escaped, bytes outside printable
 * ASCII in octal. */
static void add_bytes(struct sbuf *sb, const char *s, size_t n)
{
	sbuf_addch(sb, '(');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '(' || c == ')' || c == '\\') {
			sbuf_addch(sb, '\\');
			sbuf_addch(sb, c);
		} else if (c < 0x20 || c >= 0x7F) {
			sbuf_addf(sb, "\\%03o", c);
		} else {
			sbuf_addch(sb, c);
		}
	}
	sbuf_addch(sb, ')');
}

/* A text string (bookmark title, Info entry) from UTF-8: printable ASCII
 * as it is, anything else in UTF-16BE with a byte order mark, in hex. */
static void add_text(struct sbuf *sb, const char *utf8)
{
	const unsigned char *p = (const unsigned char *)utf8;
	size_t n = strlen(utf8), ascii = 1;

	for (size_t i = 0; i < n && ascii; i++)
		ascii = p[i] >= 0x20 && p[i] < 0x7F;
	if (ascii) {
		add_bytes(sb, utf8, n);
		return;
	}
	sbuf_addstr(sb, "<FEFF");
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
			add_hex4(sb, 0xD800 | (unsigned)(v >> 10));
			cp = 0xDC00 | (v & 0x3FF);
		}
		add_hex4(sb, (unsigned)cp);
	}
	sbuf_addch(sb, '>');
}

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

/* ---- the file ---- */

static int fail(pdf_writer *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(pdf_writer *w, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;
	if (w->failed)
		return -1;
	w->failed = 1;
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	diag_error(w->d, (struct diag_loc){ w->path, 0, 0 },
		   "cannot write PDF: %s", sb.buf);
	sbuf_release(&sb);
	return -1;
}

static void put(pdf_writer *w, const void *data, size_t n)
{
	if (w->failed || !n)
		return;
	if (fwrite(data, 1, n, w->fp) != n) {
		int e = errno;
		fail(w, "%s", strerror(e));
		errno = e;
		return;
	}
	sha256_update(&w->sha, data, n);
	w->at += n;
}

static size_t new_obj(pdf_writer *w)
{
	ALLOC_GROW(w->off, w->nobj + 2, w->aobj);
	w->kind = xrealloc(w->kind, w->aobj);
	w->idx = xrealloc(w->idx, w->aobj * sizeof(*w->idx));
	if (!w->nobj)
		w->nobj = 1; /* object 0 is the head of the free list */
	w->off[w->nobj] = 0;
	w->kind[w->nobj] = 0;
	w->idx[w->nobj] = 0;
	return w->nobj++;
}

/* Deflate n bytes into w->z (replacing what it held). The window and
 * the hash table are sized to the data: most streams of a brief are a
 * few hundred bytes, and zlib's default tables (256 KiB, cleared for
 * each stream) cost more than compressing them. A window at least as
 * large as the data loses nothing. */
static int deflate_z(pdf_writer *w, const void *data, size_t n)
{
	uLong bound = compressBound((uLong)n);
	z_stream zs;
	int bits = 9, r;

	while (bits < 15 && ((size_t)1 << bits) < n)
		bits++;
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, bits,
			 bits - 7 < 1 ? 1 : bits - 7, Z_DEFAULT_STRATEGY) != Z_OK)
		return fail(w, "cannot compress a stream");
	sbuf_reset(&w->z);
	sbuf_grow(&w->z, (size_t)bound);
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)w->z.buf;
	zs.avail_out = (uInt)bound;
	r = deflate(&zs, Z_FINISH);
	deflateEnd(&zs);
	if (r != Z_STREAM_END)
		return fail(w, "cannot compress a stream");
	w->z.len = (size_t)zs.total_out; /* within what sbuf_grow made room for */
	w->z.buf[w->z.len] = '\0';
	return 0;
}

/* A stream object: dict holds its entries but /Length (and /Filter when
 * compressed). */
static void put_stream(pdf_writer *w, size_t num, const char *dict,
		       const void *data, size_t n, int compress)
{
	struct sbuf h = SBUF_INIT;
	const void *bytes = data;

	if (compress) {
		if (deflate_z(w, data, n) < 0)
			return;
		bytes = w->z.buf;
		n = w->z.len;
	}
	w->off[num] = w->at;
	w->kind[num] = 1;
	add_int(&h, (long long)num);
	sbuf_addstr(&h, " 0 obj\n<<");
	sbuf_addstr(&h, dict);
	if (compress)
		sbuf_addstr(&h, " /Filter /FlateDecode");
	sbuf_addstr(&h, " /Length ");
	add_int(&h, (long long)n);
	sbuf_addstr(&h, ">>\nstream\n");
	put(w, h.buf, h.len);
	put(w, bytes, n);
	put(w, "\nendstream\nendobj\n", 18);
	sbuf_release(&h);
}

/* The object stream being filled, written out. */
static void flush_objstm(pdf_writer *w)
{
	struct sbuf d = SBUF_INIT;
	size_t num, first = w->hdr.len;

	if (!w->nin)
		return;
	num = new_obj(w);
	for (size_t i = 0; i < w->nin; i++)
		w->off[w->in[i]] = num;
	sbuf_add(&w->hdr, w->body.buf, w->body.len);
	sbuf_addstr(&d, " /Type /ObjStm /N ");
	add_int(&d, (long long)w->nin);
	sbuf_addstr(&d, " /First ");
	add_int(&d, (long long)first);
	put_stream(w, num, d.buf, w->hdr.buf, w->hdr.len, 1);
	sbuf_release(&d);
	sbuf_reset(&w->hdr);
	sbuf_reset(&w->body);
	w->nin = 0;
}

/* An object that is not a stream, into the object stream. (Its stream's
 * number is set when the stream is written: off 0 until then.) */
static void put_obj(pdf_writer *w, size_t num, const char *body, size_t n)
{
	w->kind[num] = 2;
	w->off[num] = 0;
	w->idx[num] = (uint16_t)w->nin;
	w->in[w->nin] = num;
	add_int(&w->hdr, (long long)num);
	sbuf_addch(&w->hdr, ' ');
	add_int(&w->hdr, (long long)w->body.len);
	sbuf_addch(&w->hdr, ' ');
	sbuf_add(&w->body, body, n);
	sbuf_addch(&w->body, '\n');
	if (++w->nin == OBJSTM_MAX)
		flush_objstm(w);
}

static void put_obj_sb(pdf_writer *w, size_t num, const struct sbuf *sb)
{
	put_obj(w, num, sb->buf, sb->len);
}

/* ---- fonts ---- */

/* The code of cp in face u, given at its first use. */
static unsigned code_of(struct used *u, uint32_t cp)
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
static void tounicode(struct sbuf *sb, const struct used *u)
{
	sbuf_addstr(sb, "/CIDInit /ProcSet findresource begin\n"
		    "12 dict begin\nbegincmap\n"
		    "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) "
		    "/Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n"
		    "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
		    "endcodespacerange\n");
	for (size_t i = 0; i < u->n; i += 100) {
		size_t k = u->n - i < 100 ? u->n - i : 100;
		add_int(sb, (long long)k);
		sbuf_addstr(sb, " beginbfchar\n");
		for (size_t j = i; j < i + k; j++) {
			sbuf_addch(sb, '<');
			add_hex4(sb, (unsigned)(j + 1));
			sbuf_addstr(sb, "> <");
			add_hex4(sb, (unsigned)u->cps[j]);
			sbuf_addstr(sb, ">\n");
		}
		sbuf_addstr(sb, "endbfchar\n");
	}
	sbuf_addstr(sb, "endcmap\nCMapName currentdict /CMap defineresource "
		    "pop\nend\nend\n");
}

/* Embed face f as the Type0 font u->obj: the font file, CIDToGIDMap,
 * ToUnicode, the descendant CIDFontType2 and its descriptor. */
static int embed_font(pdf_writer *w, const font_face *f, const struct used *u)
{
	uint16_t *gids = xmalloc((u->n + 1) * sizeof(*gids));
	unsigned char *data, *map;
	size_t len, file, mapst, tu, cid, desc;
	char tag[7], base[160];
	struct font_pdf_info fi;
	struct sbuf sb = SBUF_INIT;

	data = font_face_embed(f, u->cps, u->n, w->flags & PDF_NO_SUBSET,
			       gids, &len);
	if (!data) {
		free(gids);
		return fail(w, "cannot make a subset of %s", font_face_name(f));
	}
	subset_tag(f, u->cps, u->n, tag);
	snprintf(base, sizeof(base), "%s+%s", tag, font_face_name(f));
	font_face_pdf_info(f, &fi);

	file = new_obj(w);
	sbuf_addstr(&sb, " /Length1 ");
	add_int(&sb, (long long)len);
	put_stream(w, file, sb.buf, data, len, 1);
	free(data);

	/* CIDToGIDMap: the glyph of each code, two bytes, from code 0. */
	map = xcalloc(u->n + 1, 2);
	for (size_t i = 0; i < u->n; i++) {
		map[2 * i + 2] = (unsigned char)(gids[i] >> 8);
		map[2 * i + 3] = (unsigned char)gids[i];
	}
	free(gids);
	mapst = new_obj(w);
	put_stream(w, mapst, "", map, 2 * (u->n + 1), 1);
	free(map);

	sbuf_reset(&sb);
	tounicode(&sb, u);
	tu = new_obj(w);
	put_stream(w, tu, "", sb.buf, sb.len, 1);

	cid = new_obj(w);
	desc = new_obj(w);
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "<</Type /Font /Subtype /Type0 /BaseFont ");
	add_name(&sb, base);
	sbuf_addstr(&sb, " /Encoding /Identity-H /DescendantFonts [");
	add_ref(&sb, cid);
	sbuf_addstr(&sb, "] /ToUnicode ");
	add_ref(&sb, tu);
	sbuf_addstr(&sb, ">>");
	put_obj_sb(w, u->obj, &sb);

	/* /W: the codes run from 1 without a gap; three or more equal
	 * widths in a row (digits) as "first last width", the others as
	 * "first [w w ...]". */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "<</Type /Font /Subtype /CIDFontType2 /BaseFont ");
	add_name(&sb, base);
	sbuf_addstr(&sb, " /CIDSystemInfo <</Registry (Adobe) /Ordering "
		    "(Identity) /Supplement 0>> /FontDescriptor ");
	add_ref(&sb, desc);
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
				add_int(&sb, (long long)i + 1);
				sbuf_addch(&sb, ' ');
				add_int(&sb, (long long)k);
				sbuf_addch(&sb, ' ');
				add_int(&sb, adv);
				i = k;
				continue;
			}
			if (!open) {
				sbuf_addch(&sb, ' ');
				add_int(&sb, (long long)i + 1);
				sbuf_addstr(&sb, " [");
				open = 1;
			} else {
				sbuf_addch(&sb, ' ');
			}
			add_int(&sb, adv);
			i++;
		}
		if (open)
			sbuf_addch(&sb, ']');
	}
	sbuf_addstr(&sb, "] /CIDToGIDMap ");
	add_ref(&sb, mapst);
	sbuf_addstr(&sb, ">>");
	put_obj_sb(w, cid, &sb);

	/* Symbolic: glyphs beyond the standard Latin set; italic when
	 * slanted. */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "<</Type /FontDescriptor /FontName ");
	add_name(&sb, base);
	sbuf_addstr(&sb, " /Flags ");
	add_int(&sb, fi.italic_angle != 0 ? 4 | 64 : 4);
	sbuf_addstr(&sb, " /FontBBox [");
	for (int i = 0; i < 4; i++) {
		add_int(&sb, fi.bbox[i]);
		sbuf_addch(&sb, i < 3 ? ' ' : ']');
	}
	sbuf_addstr(&sb, " /ItalicAngle ");
	add_num(&sb, fi.italic_angle);
	sbuf_addstr(&sb, " /Ascent ");
	add_int(&sb, fi.ascent);
	sbuf_addstr(&sb, " /Descent ");
	add_int(&sb, fi.descent);
	sbuf_addstr(&sb, " /CapHeight ");
	add_int(&sb, fi.cap_height);
	sbuf_addstr(&sb, " /StemV 80 /FontFile2 ");
	add_ref(&sb, file);
	sbuf_addstr(&sb, ">>");
	put_obj_sb(w, desc, &sb);
	sbuf_release(&sb);
	return w->failed ? -1 : 0;
}

/* ---- images ---- */

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
	w->image_obj[i] = new_obj(w);
	sbuf_addstr(&d, " /Type /XObject /Subtype /Image /Width ");
	add_int(&d, im->width);
	sbuf_addstr(&d, " /Height ");
	add_int(&d, im->height);
	sbuf_addstr(&d, im->components == 1 ? " /ColorSpace /DeviceGray"
					    : " /ColorSpace /DeviceRGB");
	sbuf_addstr(&d, " /BitsPerComponent 8");
	if (im->jpeg)
		sbuf_addstr(&d, " /Filter /DCTDecode");
	put_stream(w, w->image_obj[i], d.buf, im->data, im->len, !im->jpeg);
	sbuf_release(&d);
	return w->image_obj[i];
}

/* ---- pages ---- */

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
static long show_string(struct sbuf *sb, struct used *u, const font_face *f,
			const char *s)
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
		code = code_of(u, cp);
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
		struct used *u;
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
			u->obj = new_obj(w);
		if (!in_text) {
			sbuf_addstr(sb, "BT\n");
			in_text = 1;
		}
		if (b->face != cur || b->size != cur_size) {
			sbuf_addstr(sb, "/F");
			add_int(sb, (long long)fi + 1);
			sbuf_addch(sb, ' ');
			add_num(sb, b->size);
			sbuf_addstr(sb, " Tf\n");
			cur = b->face;
			cur_size = b->size;
		}
		/* the size as written, for the widths in the adjustments */
		tf_size = round2(cur_size);
		add_op(sb, "Td", 2, b->x - lx, b->y - ly);
		/* where the rounded Td puts the line */
		lx += round2(b->x - lx);
		ly += round2(b->y - ly);
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
				add_int(sb, adj);
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

/* [page /XYZ null top null]: go to the heading and keep the reader's
 * zoom and horizontal position. */
static void add_xyz(struct sbuf *sb, size_t page_obj, double top)
{
	sbuf_addch(sb, '[');
	add_ref(sb, page_obj);
	sbuf_addstr(sb, " /XYZ null ");
	add_num(sb, top);
	sbuf_addstr(sb, " null]");
}

/* A link annotation without a border: to a URI, to a named destination
 * of this document, or (file) of another PDF, where without a name it
 * opens the first page. */
static size_t link_annot(pdf_writer *w, const struct ts_box *b)
{
	struct sbuf *sb = &w->text;
	size_t num = new_obj(w);

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
		add_bytes(sb, esc.buf, esc.len);
		sbuf_release(&esc);
	} else {
		sbuf_addstr(sb, b->file ? "/S /GoToR /F " : "/S /GoTo");
		if (b->file)
			add_bytes(sb, b->file, strlen(b->file));
		sbuf_addstr(sb, " /D ");
		if (b->dest)
			add_bytes(sb, b->dest, strlen(b->dest));
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
	put_obj_sb(w, num, sb);
	return num;
}

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
	page = w->page_obj[w->npages] = new_obj(w);
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
			add_int(c, (long long)b->image + 1);
			sbuf_addstr(c, " Do\nQ\n");
		} else if (b->kind == TS_LINK) {
			size_t a = link_annot(w, b);
			sbuf_addch(&annots, annots.len ? ' ' : '[');
			add_ref(&annots, a);
		} else if (b->kind == TS_RECT) {
			draw_rect(c, b);
		}
	}
	draw_text(w, c, pg, on_page);
	content = new_obj(w);
	put_stream(w, content, "", c->buf, c->len, 1);

	sbuf_addstr(&res, "<<");
	{
		int any = 0;
		for (size_t i = 0; i < w->nfaces; i++) {
			if (!on_page[i])
				continue;
			sbuf_addstr(&res, any ? " /F" : "/Font <</F");
			add_int(&res, (long long)i + 1);
			sbuf_addch(&res, ' ');
			add_ref(&res, w->used[i].obj);
			any = 1;
		}
		if (any)
			sbuf_addstr(&res, ">>");
		any = 0;
		for (size_t i = 0; i < td->nimages; i++) {
			if (!img_on[i])
				continue;
			sbuf_addstr(&res, any ? " /Im" : " /XObject <</Im");
			add_int(&res, (long long)i + 1);
			sbuf_addch(&res, ' ');
			add_ref(&res, w->image_obj[i]);
			any = 1;
		}
		if (any)
			sbuf_addstr(&res, ">>");
	}
	sbuf_addstr(&res, ">>");

	sbuf_reset(c);
	sbuf_addstr(c, "<</Type /Page /Parent ");
	add_ref(c, w->pages_obj);
	sbuf_addstr(c, " /MediaBox [0 0 ");
	add_size(c, pg->w > 0 ? pg->w : td->page_w);
	sbuf_addch(c, ' ');
	add_size(c, pg->h > 0 ? pg->h : td->page_h);
	sbuf_addstr(c, "] /Resources ");
	sbuf_add(c, res.buf, res.len);
	sbuf_addstr(c, " /Contents ");
	add_ref(c, content);
	if (annots.len) {
		sbuf_addstr(c, " /Annots ");
		sbuf_add(c, annots.buf, annots.len);
		sbuf_addch(c, ']');
	}
	sbuf_addstr(c, ">>");
	put_obj_sb(w, page, c);
	w->npages++;
	sbuf_release(&annots);
	sbuf_release(&res);
	free(on_page);
	free(img_on);
	return w->failed ? -1 : 0;
}

/* ---- the end ---- */

/* Bookmarks: each heading under the nearest one of a higher level, all
 * open. Returns the /Outlines object, or 0 for none. */
static size_t outlines(pdf_writer *w, const typeset_doc *td)
{
	size_t n = td->noutline, root;
	size_t *num, *parent, *first, *last, *prev, *next, *count;
	size_t stack[5];
	struct sbuf *sb = &w->text;

	if (!n)
		return 0;
	num = xcalloc(n, sizeof(*num));
	parent = xcalloc(n, sizeof(*parent)); /* 1 + index; 0: the root */
	first = xcalloc(n + 1, sizeof(*first)); /* per 1 + index; [0] root */
	last = xcalloc(n + 1, sizeof(*last));
	prev = xcalloc(n, sizeof(*prev));
	next = xcalloc(n, sizeof(*next));
	count = xcalloc(n + 1, sizeof(*count));
	memset(stack, 0, sizeof(stack));
	root = new_obj(w);
	for (size_t i = 0; i < n; i++) {
		const struct ts_outline *o = &td->outline[i];
		int lv = o->level < 1 ? 1 : o->level > 4 ? 4 : o->level;
		size_t p = 0;
		num[i] = new_obj(w);
		for (int k = lv - 1; k >= 1 && !p; k--)
			p = stack[k];
		parent[i] = p;
		if (last[p]) {
			prev[i] = last[p];
			next[last[p] - 1] = i + 1;
		} else {
			first[p] = i + 1;
		}
		last[p] = i + 1;
		/* every ancestor counts it: all are open */
		for (size_t q = p; ; q = parent[q - 1]) {
			count[q]++;
			if (!q)
				break;
		}
		stack[lv] = i + 1;
		for (int k = lv + 1; k < 5; k++)
			stack[k] = 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ts_outline *o = &td->outline[i];
		sbuf_reset(sb);
		sbuf_addstr(sb, "<</Title ");
		add_text(sb, o->title);
		sbuf_addstr(sb, " /Parent ");
		add_ref(sb, parent[i] ? num[parent[i] - 1] : root);
		if (prev[i]) {
			sbuf_addstr(sb, " /Prev ");
			add_ref(sb, num[prev[i] - 1]);
		}
		if (next[i]) {
			sbuf_addstr(sb, " /Next ");
			add_ref(sb, num[next[i] - 1]);
		}
		if (first[i + 1]) {
			sbuf_addstr(sb, " /First ");
			add_ref(sb, num[first[i + 1] - 1]);
			sbuf_addstr(sb, " /Last ");
			add_ref(sb, num[last[i + 1] - 1]);
			sbuf_addstr(sb, " /Count ");
			add_int(sb, (long long)count[i + 1]);
		}
		sbuf_addstr(sb, " /Dest ");
		add_xyz(sb, o->page < w->npages ? w->page_obj[o->page]
						: w->page_obj[0], o->y);
		sbuf_addstr(sb, ">>");
		put_obj_sb(w, num[i], sb);
	}
	sbuf_reset(sb);
	sbuf_addstr(sb, "<</Type /Outlines /First ");
	add_ref(sb, num[first[0] - 1]);
	sbuf_addstr(sb, " /Last ");
	add_ref(sb, num[last[0] - 1]);
	sbuf_addstr(sb, " /Count ");
	add_int(sb, (long long)count[0]);
	sbuf_addstr(sb, ">>");
	put_obj_sb(w, root, sb);
	free(num);
	free(parent);
	free(first);
	free(last);
	free(prev);
	free(next);
	free(count);
	return root;
}

static int dest_cmp(const void *a, const void *b)
{
	const struct ts_dest *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

/* The catalog's /Names /Dests tree: one leaf, names in byte order, each
 * [page /XYZ null top null]. A link to a name that is not there is a
 * warning. Appends " /Names <<...>>" to the catalog in cat. */
static void dests(pdf_writer *w, const typeset_doc *td, struct sbuf *cat)
{
	const struct ts_dest **v = xmalloc((td->ndests + 1) * sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < td->ndests; i++)
		if (td->dests[i].page < w->npages)
			v[n++] = &td->dests[i];
	qsort(v, n, sizeof(*v), dest_cmp);
	for (size_t i = 0; i < w->nrefs; i++) {
		struct ts_dest key = { w->refs[i].name, 0, 0 };
		const struct ts_dest *k = &key;
		if (!n || !bsearch(&k, v, n, sizeof(*v), dest_cmp))
			diag_warning(w->d, (struct diag_loc){ w->path, 0, 0 },
				     "page %zu: link to '%s', which no "
				     "anchor defines", w->refs[i].page + 1,
				     w->refs[i].name);
	}
	if (n) {
		sbuf_addstr(cat, " /Names <</Dests <</Names [");
		for (size_t i = 0; i < n; i++) {
			if (i && !strcmp(v[i]->name, v[i - 1]->name))
				continue;
			if (i)
				sbuf_addch(cat, ' ');
			add_bytes(cat, v[i]->name, strlen(v[i]->name));
			sbuf_addch(cat, ' ');
			add_xyz(cat, w->page_obj[v[i]->page], v[i]->y);
		}
		sbuf_addstr(cat, "]>>>>");
	}
	free(v);
}

/* The cross-reference stream, the trailer's entries in its dictionary,
 * and the end of the file. Offsets take as many bytes as the largest. */
static void xref(pdf_writer *w, size_t catalog, size_t info)
{
	struct sbuf xr = SBUF_INIT, d = SBUF_INIT;
	size_t num = new_obj(w);
	unsigned long long max;
	int ob = 1;

	w->off[num] = w->at;
	w->kind[num] = 1;
	max = w->at > w->nobj ? w->at : w->nobj;
	while (ob < 8 && max >> (8 * ob))
		ob++;
	for (size_t i = 0; i < w->nobj; i++) {
		unsigned long long f2 = 0;
		unsigned f3 = 0;
		int t = 0;
		if (i && w->kind[i] == 1) {
			t = 1;
			f2 = w->off[i];
		} else if (i && w->kind[i] == 2) {
			t = 2;
			f2 = w->off[i];
			f3 = w->idx[i];
		} else if (!i) {
			f3 = 65535;
		}
		sbuf_addch(&xr, (char)t);
		for (int k = ob - 1; k >= 0; k--)
			sbuf_addch(&xr, (char)(f2 >> (8 * k) & 0xFF));
		sbuf_addch(&xr, (char)(f3 >> 8));
		sbuf_addch(&xr, (char)(f3 & 0xFF));
	}
	sbuf_addstr(&d, " /Type /XRef /Size ");
	add_int(&d, (long long)w->nobj);
	sbuf_addstr(&d, " /W [1 ");
	add_int(&d, ob);
	sbuf_addstr(&d, " 2] /Root ");
	add_ref(&d, catalog);
	sbuf_addstr(&d, " /Info ");
	add_ref(&d, info);
	put_stream(w, num, d.buf, xr.buf, xr.len, 1);
	sbuf_reset(&d);
	sbuf_addstr(&d, "startxref\n");
	add_int(&d, (long long)w->off[num]);
	sbuf_addstr(&d, "\n%%EOF\n");
	put(w, d.buf, d.len);
	sbuf_release(&xr);
	sbuf_release(&d);
}

static void writer_free(pdf_writer *w)
{
	if (!w)
		return;
	if (w->fp && w->own_fp)
		fclose(w->fp);
	for (size_t i = 0; i < w->nfaces; i++) {
		for (int k = 0; k < 256; k++)
			free(w->used[i].code[k]);
		free(w->used[i].cps);
	}
	for (size_t i = 0; i < w->nrefs; i++)
		free(w->refs[i].name);
	free(w->refs);
	free(w->used);
	free(w->off);
	free(w->kind);
	free(w->idx);
	free(w->page_obj);
	free(w->image_obj);
	sbuf_release(&w->hdr);
	sbuf_release(&w->body);
	sbuf_release(&w->page);
	sbuf_release(&w->text);
	sbuf_release(&w->z);
	free(w);
}

static pdf_writer *pdf_start(pdf_writer *w);

static pdf_writer *writer_new(FILE *fp, const char *path, const font_set *fonts,
			      unsigned flags, struct diag *d)
{
	pdf_writer *w = xcalloc(1, sizeof(*w));

	w->path = path;
	w->d = d;
	w->flags = flags;
	w->nfaces = font_set_nfaces(fonts);
	w->used = xcalloc(w->nfaces + 1, sizeof(*w->used));
	sbuf_init(&w->hdr);
	sbuf_init(&w->body);
	sbuf_init(&w->page);
	sbuf_init(&w->text);
	sbuf_init(&w->z);
	w->fp = fp;
	return w;
}

pdf_writer *pdf_open(const char *path, const font_set *fonts, unsigned flags,
		     struct diag *d)
{
	FILE *fp = fopen(path, "wb");
	pdf_writer *w;

	if (!fp) {
		int e = errno;
		diag_error(d, (struct diag_loc){ path, 0, 0 },
			   "cannot write PDF: %s", strerror(e));
		errno = e;
		return NULL;
	}
	w = writer_new(fp, path, fonts, flags, d);
	w->own_fp = 1;
	return pdf_start(w);
}

pdf_writer *pdf_open_fp(FILE *fp, const char *name, const font_set *fonts,
			unsigned flags, struct diag *d)
{
	return pdf_start(writer_new(fp, name, fonts, flags, d));
}

static pdf_writer *pdf_start(pdf_writer *w)
{
	sha256_init(&w->sha);
	w->pages_obj = new_obj(w);
	put(w, "%PDF-1.5\n%\xB7\xBE\xAD\xAA\n", 15);
	return w;
}

/* errno is kept: it may say why the caller gives up (a full disk). */
void pdf_abort(pdf_writer *w)
{
	int e = errno;
	writer_free(w);
	errno = e;
}

long pdf_close(pdf_writer *w, const typeset_doc *td)
{
	return pdf_close_file(w, td, NULL);
}

long pdf_close_file(pdf_writer *w, const typeset_doc *td, struct pdf_file *out)
{
	struct sbuf *sb = &w->text, cat = SBUF_INIT;
	size_t catalog, info, ol;
	long ret = -1;
	int e;

	if (!w->npages && !w->failed)
		fail(w, "the document has no page");
	/* The fonts, now that their characters are known. */
	for (size_t i = 0; i < w->nfaces && !w->failed; i++)
		if (w->used[i].obj &&
		    embed_font(w, font_set_face(td->fonts, i), &w->used[i]) < 0)
			break;
	if (w->failed)
		goto out;

	sbuf_reset(sb);
	sbuf_addstr(sb, "<</Type /Pages /Count ");
	add_int(sb, (long long)w->npages);
	sbuf_addstr(sb, " /Kids [");
	for (size_t i = 0; i < w->npages; i++) {
		if (i)
			sbuf_addch(sb, ' ');
		add_ref(sb, w->page_obj[i]);
	}
	sbuf_addstr(sb, "]>>");
	put_obj_sb(w, w->pages_obj, sb);

	ol = outlines(w, td);
	catalog = new_obj(w);
	sbuf_addstr(&cat, "<</Type /Catalog /Pages ");
	add_ref(&cat, w->pages_obj);
	if (ol) {
		sbuf_addstr(&cat, " /Outlines ");
		add_ref(&cat, ol);
	}
	dests(w, td, &cat);
	if (td->nlabels) {
		sbuf_addstr(&cat, " /PageLabels <</Nums [");
		for (size_t i = 0; i < td->nlabels; i++) {
			const struct ts_label *l = &td->labels[i];
			if (i)
				sbuf_addch(&cat, ' ');
			add_int(&cat, (long long)l->page);
			sbuf_addstr(&cat, l->style == 'r' ? " <</S /r"
							  : " <</S /D");
			if (l->first > 1) {
				sbuf_addstr(&cat, " /St ");
				add_int(&cat, l->first);
			}
			if (l->prefix && l->prefix[0]) {
				sbuf_addstr(&cat, " /P ");
				add_bytes(&cat, l->prefix, strlen(l->prefix));
			}
			sbuf_addstr(&cat, ">>");
		}
		sbuf_addstr(&cat, "]>>");
	}
	sbuf_addstr(&cat, ">>");
	put_obj_sb(w, catalog, &cat);

	/* Info; dates only when the document has one. */
	info = new_obj(w);
	sbuf_reset(sb);
	sbuf_addstr(sb, "<</Creator (dossier)");
	{
		static const char *const keys[DOC_NINFO] = {
			" /Title ", " /Author ", " /Subject ", " /Keywords ",
		};
		for (int i = 0; i < DOC_NINFO; i++)
			if (td->info[i] && td->info[i][0]) {
				sbuf_addstr(sb, keys[i]);
				add_text(sb, td->info[i]);
			}
	}
	if (td->has_date) {
		char dt[40];
		snprintf(dt, sizeof(dt), "(D:%04d%02d%02d%02d%02d%02d+00'00')",
			 td->date[0] % 10000, td->date[1] % 100,
			 td->date[2] % 100, td->date[3] % 100,
			 td->date[4] % 100, td->date[5] % 100);
		sbuf_addstr(sb, " /CreationDate ");
		sbuf_addstr(sb, dt);
		sbuf_addstr(sb, " /ModDate ");
		sbuf_addstr(sb, dt);
	}
	sbuf_addstr(sb, ">>");
	put_obj_sb(w, info, sb);
	flush_objstm(w);
	xref(w, catalog, info);
	if (w->failed)
		goto out;
	if (fflush(w->fp) != 0 || ferror(w->fp)) {
		e = errno;
		fail(w, "%s", strerror(e));
		errno = e;
		goto out;
	}
	e = w->own_fp ? fclose(w->fp) : 0;
	w->fp = NULL;
	if (e) {
		e = errno;
		fail(w, "%s", strerror(e));
		errno = e;
		goto out;
	}
	ret = (long)w->npages;
	if (out) {
		sha256_final(&w->sha, out->sha256);
		out->size = (long long)w->at;
	}
out:
	e = errno;
	sbuf_release(&cat);
	writer_free(w);
	errno = e;
	return ret;
}

/* Every page of td through w (NULL: opening failed), then the end. */
static long write_all(pdf_writer *w, const typeset_doc *td, struct pdf_file *out)
{
	if (!w)
		return -1;
	for (size_t p = 0; p < td->npages; p++)
		if (pdf_page(w, td, p) < 0) {
			pdf_abort(w);
			return -1;
		}
	return pdf_close_file(w, td, out);
}

long pdf_write_fp(const typeset_doc *td, FILE *fp, const char *name,
		  unsigned flags, struct pdf_file *out, struct diag *d)
{
	return write_all(pdf_open_fp(fp, name, td->fonts, flags, d), td, out);
}

long pdf_write(const typeset_doc *td, const char *path, unsigned flags,
	       struct diag *d)
{
	return pdf_write_file(td, path, flags, NULL, d);
}

long pdf_write_file(const typeset_doc *td, const char *path, unsigned flags,
		    struct pdf_file *out, struct diag *d)
{
	return write_all(pdf_open(path, td->fonts, flags, d), td, out);
}
