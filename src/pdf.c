/* pdf.c: writing typeset pages as PDF 1.5, a page at a time (see pdf.h):
 * the numbers and strings of the PDF's syntax, the objects and the file,
 * and the document's dictionaries (page tree, catalog, bookmarks, named
 * destinations, page labels, Info). A page's contents are pdf-page.c's,
 * the embedded fonts pdf-font.c's (what they share: pdf-private.h).
 *
 * The objects are written in the order they are made. Streams (page
 * contents, font files, images) go straight to the file, compressed; the
 * other objects (pages, links, fonts' dictionaries, bookmarks) are
 * gathered, up to OBJSTM_MAX at a time, into compressed object streams;
 * a cross-reference stream ends the file. What refers to an object not
 * yet written (a page to its fonts and to the page tree) takes its number
 * in advance. */
#include "pdf.h"
#include "diag.h"
#include "font.h"
#include "pdf-private.h"
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

/* ---- numbers and strings ---- */

/* Numbers for the PDF, whatever the locale: integers, and reals with at
 * most two decimals and no trailing zeros. */
void pdf_add_int(struct sbuf *sb, long long v)
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

/* v rounded to hundredths, as pdf_add_num writes it; what no page has
 * (NaN, beyond a billion points) as 0. */
double pdf_round2(double v)
{
	return v > -1e9 && v < 1e9 ? (double)lround(v * 100) / 100 : 0;
}

void pdf_add_num(struct sbuf *sb, double v)
{
	long c = v > -1e9 && v < 1e9 ? lround(v * 100) : 0;
	long a = c < 0 ? -c : c;
	if (c < 0)
		sbuf_addch(sb, '-');
	pdf_add_int(sb, a / 100);
	if (a % 100) {
		sbuf_addch(sb, '.');
		sbuf_addch(sb, (char)('0' + a % 100 / 10));
		if (a % 10)
			sbuf_addch(sb, (char)('0' + a % 10));
	}
}

void pdf_add_hex4(struct sbuf *sb, unsigned v)
{
	static const char hex[] = "0123456789ABCDEF";
	char b[4] = { hex[v >> 12 & 15], hex[v >> 8 & 15], hex[v >> 4 & 15],
		      hex[v & 15] };
	sbuf_add(sb, b, 4);
}

void pdf_add_ref(struct sbuf *sb, size_t num)
{
	pdf_add_int(sb, (long long)num);
	sbuf_addstr(sb, " 0 R");
}

/* A literal string of bytes: ( ) \ escaped, bytes outside printable
 * ASCII in octal. */
void pdf_add_bytes(struct sbuf *sb, const char *s, size_t n)
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
		pdf_add_bytes(sb, utf8, n);
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
			pdf_add_hex4(sb, 0xD800 | (unsigned)(v >> 10));
			cp = 0xDC00 | (v & 0x3FF);
		}
		pdf_add_hex4(sb, (unsigned)cp);
	}
	sbuf_addch(sb, '>');
}

/* ---- the file ---- */

/* The first error is the one reported; the writer fails from then on. */
int pdf_fail(pdf_writer *w, const char *fmt, ...)
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
		pdf_fail(w, "%s", strerror(e));
		errno = e;
		return;
	}
	sha256_update(&w->sha, data, n);
	w->at += n;
}

size_t pdf_new_obj(pdf_writer *w)
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
		return pdf_fail(w, "cannot compress a stream");
	sbuf_reset(&w->z);
	sbuf_grow(&w->z, (size_t)bound);
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)w->z.buf;
	zs.avail_out = (uInt)bound;
	r = deflate(&zs, Z_FINISH);
	deflateEnd(&zs);
	if (r != Z_STREAM_END)
		return pdf_fail(w, "cannot compress a stream");
	w->z.len = (size_t)zs.total_out; /* within what sbuf_grow made room for */
	w->z.buf[w->z.len] = '\0';
	return 0;
}

/* A stream object: dict holds its entries but /Length (and /Filter when
 * compressed). */
void pdf_put_stream(pdf_writer *w, size_t num, const char *dict,
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
	pdf_add_int(&h, (long long)num);
	sbuf_addstr(&h, " 0 obj\n<<");
	sbuf_addstr(&h, dict);
	if (compress)
		sbuf_addstr(&h, " /Filter /FlateDecode");
	sbuf_addstr(&h, " /Length ");
	pdf_add_int(&h, (long long)n);
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
	num = pdf_new_obj(w);
	for (size_t i = 0; i < w->nin; i++)
		w->off[w->in[i]] = num;
	sbuf_add(&w->hdr, w->body.buf, w->body.len);
	sbuf_addstr(&d, " /Type /ObjStm /N ");
	pdf_add_int(&d, (long long)w->nin);
	sbuf_addstr(&d, " /First ");
	pdf_add_int(&d, (long long)first);
	pdf_put_stream(w, num, d.buf, w->hdr.buf, w->hdr.len, 1);
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
	pdf_add_int(&w->hdr, (long long)num);
	sbuf_addch(&w->hdr, ' ');
	pdf_add_int(&w->hdr, (long long)w->body.len);
	sbuf_addch(&w->hdr, ' ');
	sbuf_add(&w->body, body, n);
	sbuf_addch(&w->body, '\n');
	if (++w->nin == OBJSTM_MAX)
		flush_objstm(w);
}

void pdf_put_obj_sb(pdf_writer *w, size_t num, const struct sbuf *sb)
{
	put_obj(w, num, sb->buf, sb->len);
}

/* ---- the end ---- */

/* [page /XYZ null top null]: go to the heading and keep the reader's
 * zoom and horizontal position. */
static void add_xyz(struct sbuf *sb, size_t page_obj, double top)
{
	sbuf_addch(sb, '[');
	pdf_add_ref(sb, page_obj);
	sbuf_addstr(sb, " /XYZ null ");
	pdf_add_num(sb, top);
	sbuf_addstr(sb, " null]");
}

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
	root = pdf_new_obj(w);
	for (size_t i = 0; i < n; i++) {
		const struct ts_outline *o = &td->outline[i];
		int lv = o->level < 1 ? 1 : o->level > 4 ? 4 : o->level;
		size_t p = 0;
		num[i] = pdf_new_obj(w);
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
		pdf_add_ref(sb, parent[i] ? num[parent[i] - 1] : root);
		if (prev[i]) {
			sbuf_addstr(sb, " /Prev ");
			pdf_add_ref(sb, num[prev[i] - 1]);
		}
		if (next[i]) {
			sbuf_addstr(sb, " /Next ");
			pdf_add_ref(sb, num[next[i] - 1]);
		}
		if (first[i + 1]) {
			sbuf_addstr(sb, " /First ");
			pdf_add_ref(sb, num[first[i + 1] - 1]);
			sbuf_addstr(sb, " /Last ");
			pdf_add_ref(sb, num[last[i + 1] - 1]);
			sbuf_addstr(sb, " /Count ");
			pdf_add_int(sb, (long long)count[i + 1]);
		}
		sbuf_addstr(sb, " /Dest ");
		add_xyz(sb, o->page < w->npages ? w->page_obj[o->page]
						: w->page_obj[0], o->y);
		sbuf_addstr(sb, ">>");
		pdf_put_obj_sb(w, num[i], sb);
	}
	sbuf_reset(sb);
	sbuf_addstr(sb, "<</Type /Outlines /First ");
	pdf_add_ref(sb, num[first[0] - 1]);
	sbuf_addstr(sb, " /Last ");
	pdf_add_ref(sb, num[last[0] - 1]);
	sbuf_addstr(sb, " /Count ");
	pdf_add_int(sb, (long long)count[0]);
	sbuf_addstr(sb, ">>");
	pdf_put_obj_sb(w, root, sb);
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
			pdf_add_bytes(cat, v[i]->name, strlen(v[i]->name));
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
	size_t num = pdf_new_obj(w);
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
	pdf_add_int(&d, (long long)w->nobj);
	sbuf_addstr(&d, " /W [1 ");
	pdf_add_int(&d, ob);
	sbuf_addstr(&d, " 2] /Root ");
	pdf_add_ref(&d, catalog);
	sbuf_addstr(&d, " /Info ");
	pdf_add_ref(&d, info);
	pdf_put_stream(w, num, d.buf, xr.buf, xr.len, 1);
	sbuf_reset(&d);
	sbuf_addstr(&d, "startxref\n");
	pdf_add_int(&d, (long long)w->off[num]);
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
	for (size_t i = 0; i < w->nfaces; i++)
		pdf_font_release(&w->used[i]);
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
	w->pages_obj = pdf_new_obj(w);
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
		pdf_fail(w, "the document has no page");
	/* The fonts, now that their characters are known. */
	for (size_t i = 0; i < w->nfaces && !w->failed; i++)
		if (w->used[i].obj &&
		    pdf_font_write(w, font_set_face(td->fonts, i),
				   &w->used[i]) < 0)
			break;
	if (w->failed)
		goto out;

	sbuf_reset(sb);
	sbuf_addstr(sb, "<</Type /Pages /Count ");
	pdf_add_int(sb, (long long)w->npages);
	sbuf_addstr(sb, " /Kids [");
	for (size_t i = 0; i < w->npages; i++) {
		if (i)
			sbuf_addch(sb, ' ');
		pdf_add_ref(sb, w->page_obj[i]);
	}
	sbuf_addstr(sb, "]>>");
	pdf_put_obj_sb(w, w->pages_obj, sb);

	ol = outlines(w, td);
	catalog = pdf_new_obj(w);
	sbuf_addstr(&cat, "<</Type /Catalog /Pages ");
	pdf_add_ref(&cat, w->pages_obj);
	if (ol) {
		sbuf_addstr(&cat, " /Outlines ");
		pdf_add_ref(&cat, ol);
	}
	dests(w, td, &cat);
	if (td->nlabels) {
		sbuf_addstr(&cat, " /PageLabels <</Nums [");
		for (size_t i = 0; i < td->nlabels; i++) {
			const struct ts_label *l = &td->labels[i];
			if (i)
				sbuf_addch(&cat, ' ');
			pdf_add_int(&cat, (long long)l->page);
			sbuf_addstr(&cat, l->style == 'r' ? " <</S /r"
							  : " <</S /D");
			if (l->first > 1) {
				sbuf_addstr(&cat, " /St ");
				pdf_add_int(&cat, l->first);
			}
			if (l->prefix && l->prefix[0]) {
				sbuf_addstr(&cat, " /P ");
				pdf_add_bytes(&cat, l->prefix,
					      strlen(l->prefix));
			}
			sbuf_addstr(&cat, ">>");
		}
		sbuf_addstr(&cat, "]>>");
	}
	sbuf_addstr(&cat, ">>");
	pdf_put_obj_sb(w, catalog, &cat);

	/* Info; dates only when the document has one. */
	info = pdf_new_obj(w);
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
	pdf_put_obj_sb(w, info, sb);
	flush_objstm(w);
	xref(w, catalog, info);
	if (w->failed)
		goto out;
	if (fflush(w->fp) != 0 || ferror(w->fp)) {
		e = errno;
		pdf_fail(w, "%s", strerror(e));
		errno = e;
		goto out;
	}
	e = w->own_fp ? fclose(w->fp) : 0;
	w->fp = NULL;
	if (e) {
		e = errno;
		pdf_fail(w, "%s", strerror(e));
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
