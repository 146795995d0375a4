/* t_typeset.c: measuring, line breaking and pagination; images (the PNG
 * decoder against libpng's own decoding, and the cache of the last image).
 *
 *   t_typeset              run the checks
 *   t_typeset --dump LANG  print the boxes of the short specimen, which
 *                          tests/sh/t_typeset.sh compares with
 *                          tests/golden/typeset/short-LANG.expect
 *   t_typeset --dump LANG full   the same for the full specimen, whose
 *                          pages and texts t_typeset.sh finds in its PDF
 *
 * Runs from the top of the tree (fonts/, tests/golden/typeset/). */
#include "diag.h"
#include "doc.h"
#include "dump.h"
#include "font.h"
#include "harness.h"
#include "pdf.h"
#include "sbuf.h"
#include "specimen.h"
#include "pages.h"
#include "typeset.h"
#include "util.h"

#include <fcntl.h>
#include <hb.h>
#include <math.h>
#include <png.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LEFT 72.0
#define EPS 0.01

static double hb_width(const font_face *f, const char *s, double size)
{
	size_t len;
	const unsigned char *data = font_face_data(f, &len);
	hb_blob_t *b = hb_blob_create((const char *)data, (unsigned)len,
				      HB_MEMORY_MODE_READONLY, NULL, NULL);
	hb_face_t *face = hb_face_create(b, 0);
	hb_font_t *font = hb_font_create(face);
	unsigned upem = hb_face_get_upem(face);
	double w = 0;
	hb_font_set_scale(font, (int)upem, (int)upem);
	while (*s) {
		uint32_t cp;
		hb_codepoint_t g;
		int k = utf8_decode((const unsigned char *)s, strlen(s), &cp);
		s += k;
		if (hb_font_get_nominal_glyph(font, cp, &g))
			w += (double)(hb_font_get_glyph_h_advance(font, g) * 1000 /
				      (int)upem) * size / 1000.0;
	}
	hb_font_destroy(font);
	hb_face_destroy(face);
	hb_blob_destroy(b);
	return w;
}

/* Break text at measure and check every line: not wider than the
 * measure, measured by the font's own advances; the lines, joined, give
 * the text back. Returns the number of lines. */
static long check_lines(const font_set *fs, const char *lang,
			const char *text, double measure, int hyph)
{
	size_t starts[256];
	struct diag d = DIAG_INIT;
	long n = typeset_break_lines(fs, lang, text, 10.5, measure, hyph,
				     starts, ARRAY_SIZE(starts), &d);
	check(n > 0);
	check_int(d.nerrors, 0);
	for (long i = 0; i < n; i++) {
		size_t a = starts[i], b = i + 1 < n ? starts[i + 1] : strlen(text);
		char *line = xstrndup(text + a, b - a);
		size_t k = strlen(line);
		double w;
		while (k && line[k - 1] == ' ')
			line[--k] = '\0';
		w = typeset_text_width(fs, FONT_BODY, lang, line, 10.5);
		if (w > measure + EPS)
			fprintf(stderr, "line %ld too wide (%.2f > %.2f): %s\n", i,
				w, measure, line);
		/* a hyphen may be added: allow its width only when hyphenating */
		check(w <= measure + EPS);
		free(line);
	}
	diag_release(&d);
	return n;
}

static typeset_doc *specimen(const font_set *fs, const char *lang, int kind)
{
	struct diag d = DIAG_INIT;
	doc *dc = doc_new(lang, DOC_A4);
	typeset_doc *td;
	specimen_build(dc, lang, kind, "tests/golden/typeset");
	td = typeset_run(dc, fs, &d);
	if (!td)
		diag_print(&d, stderr);
	diag_release(&d);
	doc_free(dc);
	return td;
}

static char *dump_string(const typeset_doc *td)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	dump_boxes(td, fp);
	fclose(fp);
	return buf;
}

/* Every text box: each character is in its face (no .notdef boxes), the
 * box lies within the left and right margins, and its width is the sum of
 * its advances. */
static void check_boxes(const typeset_doc *td)
{
	size_t bad_glyph = 0, bad_margin = 0, bad_width = 0, nbox = 0;
	for (size_t p = 0; p < td->npages; p++) {
		for (size_t i = 0; i < td->pages[p].n; i++) {
			const struct ts_box *b = &td->pages[p].box[i];
			const char *s = b->text;
			double w = 0;
			if (b->kind != TS_TEXT)
				continue;
			nbox++;
			while (*s) {
				uint32_t cp;
				int k = utf8_decode((const unsigned char *)s,
						    strlen(s), &cp);
				int a = font_advance(b->face, cp);
				s += k;
				if (a < 0)
					bad_glyph++;
				else
					w += a * b->size / 1000.0;
			}
			if (b->x < LEFT - EPS ||
			    b->x + b->w > td->page_w - LEFT + EPS) {
				/* a trailing space may pass the margin */
				size_t n = strlen(b->text);
				if (!(n && b->text[n - 1] == ' ' &&
				      b->x + b->w - 4 < td->page_w - LEFT))
					bad_margin++;
			}
			if (w - b->w > EPS || b->w - w > EPS)
				bad_width++;
			/* Body text inside the text area; header and footer
			 * (8 pt) in the margins. */
			if (b->size > 8.5 && (b->y < 76 - EPS ||
					       b->y > td->page_h - 76 + EPS))
				bad_margin++;
			if (b->y < 36 || b->y > td->page_h - 36)
				bad_margin++;
		}
	}
	check(nbox > 50);
	check_int(bad_glyph, 0);
	check_int(bad_margin, 0);
	check_int(bad_width, 0);
}

static size_t count_text(const typeset_doc *td, const char *text)
{
	size_t n = 0;
	for (size_t p = 0; p < td->npages; p++)
		for (size_t i = 0; i < td->pages[p].n; i++)
			if (td->pages[p].box[i].kind == TS_TEXT &&
			    !strcmp(td->pages[p].box[i].text, text))
				n++;
	return n;
}

/* No heading is the last thing on its page: body text follows it on the
 * same page. */
static void check_headings(const typeset_doc *td)
{
	for (size_t i = 0; i < td->noutline; i++) {
		const struct ts_outline *o = &td->outline[i];
		const struct ts_page *pg = &td->pages[o->page];
		int below = 0;
		for (size_t k = 0; k < pg->n; k++)
			if (pg->box[k].kind == TS_TEXT && pg->box[k].y < o->y - 40 &&
			    pg->box[k].y > 100 && pg->box[k].size >= 9)
				below = 1;
		if (!below)
			fprintf(stderr, "heading alone: %s\n", o->title);
		check(below);
	}
}

static void check_error(const font_set *fs, const char *text,
			const char *want)
{
	struct diag d = DIAG_INIT;
	doc *dc = doc_new("hy", DOC_A4);
	struct doc_span s[] = {
		{ .text = "Հայաստան, 2023 ", .source = "record A12 field x_hy" },
		{ .text = text, .source = "record A12 field circumstances_hy" },
	};
	typeset_doc *td;
	doc_para(dc, DOC_LEFT, s, 2);
	td = typeset_run(dc, fs, &d);
	check(td == NULL);
	check_int(d.nerrors, 1);
	if (d.n) {
		check_str(d.v[0].file, "record A12 field circumstances_hy");
		if (!strstr(d.v[0].msg, want))
			fprintf(stderr, "message: %s\n", d.v[0].msg);
		check(strstr(d.v[0].msg, want) != NULL);
	}
	typeset_free(td);
	doc_free(dc);
	diag_release(&d);
}

/* ---- images: the PNG decoder and the per-thread cache ---- */

/* A PNG of w x h pixels written with libpng's full API, of any colour
 * type and depth, interlaced or not, marked sRGB when srgb. Samples
 * follow a pattern (so that scaling has something to average); alpha,
 * when there is one, is opaque unless clear, then it ramps from 0 to
 * full along each row. */
static int write_test_png(const char *path, unsigned w, unsigned h,
			  int type, int depth, int interlace, int clear,
			  int srgb)
{
	FILE *fp = fopen(path, "wb");
	png_structp png;
	png_infop info;
	int ch = type == PNG_COLOR_TYPE_RGBA ? 4 : type == PNG_COLOR_TYPE_RGB ? 3 :
		 type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
	size_t rowbytes = ((size_t)w * (size_t)ch * (size_t)depth + 7) / 8;
	unsigned char *row = xcalloc(rowbytes, 1);
	unsigned max = (1u << depth) - 1;
	int passes;

	if (!fp) {
		free(row);
		return -1;
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png_create_info_struct(png);
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		fclose(fp);
		free(row);
		return -1;
	}
	png_init_io(png, fp);
	png_set_IHDR(png, info, w, h, depth, type,
		     interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, 1);
	if (srgb)
		png_set_sRGB(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
	if (type == PNG_COLOR_TYPE_PALETTE) {
		png_color pal[256];
		for (unsigned i = 0; i < 256; i++)
			pal[i] = (png_color){ (png_byte)(i * 3), (png_byte)(255 - i),
					      (png_byte)(i * 7) };
		png_set_PLTE(png, info, pal, (int)max + 1);
	}
	png_write_info(png, info);
	passes = interlace ? png_set_interlace_handling(png) : 1;
	for (int p = 0; p < passes; p++)
		for (unsigned y = 0; y < h; y++) {
			memset(row, 0, rowbytes);
			for (unsigned x = 0; x < w; x++)
				for (int c = 0; c < ch; c++) {
					size_t s = (size_t)x * (size_t)ch + (size_t)c;
					unsigned v = (x * 7 + y * 13 + (unsigned)c * 50) & max;
					if (c == ch - 1 && (ch == 2 || ch == 4))
						v = clear ? (unsigned)((unsigned long)x * max /
								       (w > 1 ? w - 1 : 1)) : max;
					if (depth == 16) {
						row[s * 2] = (unsigned char)(v >> 8);
						row[s * 2 + 1] = (unsigned char)v;
					} else if (depth == 8) {
						row[s] = (unsigned char)v;
					} else {
						size_t bit = s * (size_t)depth;
						row[bit / 8] |= (unsigned char)(v << (8 - depth - bit % 8));
					}
				}
			png_write_row(png, row);
		}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	fclose(fp);
	free(row);
	return 0;
}

/* libpng's own decoding of the file (its simplified API) to 8-bit RGB on
 * white, the reference for opaque images; NULL when it fails. */
static unsigned char *reference_rgb(const char *path, unsigned *w, unsigned *h)
{
	png_image pi;
	png_color bg = { 255, 255, 255 };
	unsigned char *buf;

	memset(&pi, 0, sizeof(pi));
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&pi, path))
		return NULL;
	pi.format = PNG_FORMAT_RGB;
	buf = xmalloc(PNG_IMAGE_SIZE(pi));
	if (!png_image_finish_read(&pi, &bg, buf, 0, NULL)) {
		png_image_free(&pi);
		free(buf);
		return NULL;
	}
	*w = pi.width;
	*h = pi.height;
	return buf;
}

/* A document of one image, typeset: NULL with the error in d. */
static typeset_doc *image_td(const font_set *fs, const char *path,
			     struct diag *d)
{
	doc *dc = doc_new("en", DOC_A4);
	struct doc_span s[] = { { .text = "Caption." } };
	typeset_doc *td;

	doc_image(dc, path, 100, 100, "record T1 field photo");
	doc_para(dc, DOC_LEFT, s, 1);
	td = typeset_run(dc, fs, d);
	doc_free(dc);
	return td;
}

/* The largest difference between a sample of the decoded image and the
 * reference (scaled down by f, averaging f x f blocks as the typesetter
 * does); -1 when the sizes differ. */
static int image_diff(const typeset_doc *td, const unsigned char *ref,
		      unsigned w, unsigned h, unsigned f)
{
	const struct ts_image *im = &td->images[0];
	unsigned nw = (w + f - 1) / f, nh = (h + f - 1) / f;
	int worst = 0;

	if (im->jpeg || im->components != 3 || im->width != nw ||
	    im->height != nh || im->len != (size_t)nw * nh * 3)
		return -1;
	for (unsigned oy = 0; oy < nh; oy++)
		for (unsigned ox = 0; ox < nw; ox++)
			for (unsigned k = 0; k < 3; k++) {
				unsigned sum = 0, n = 0;
				int dv;
				for (unsigned y = oy * f; y < h && y < oy * f + f; y++)
					for (unsigned x = ox * f; x < w && x < ox * f + f; x++) {
						sum += ref[((size_t)y * w + x) * 3 + k];
						n++;
					}
				dv = (int)im->data[((size_t)oy * nw + ox) * 3 + k] -
				     (int)((sum + n / 2) / n);
				if (abs(dv) > worst)
					worst = abs(dv);
			}
	return worst;
}

static int same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int same = fa && fb;
	while (same) {
		int ca = getc(fa), cb = getc(fb);
		if (ca != cb)
			same = 0;
		if (ca == EOF)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/* Set a file's modification time to t (seconds since 1970). */
static void set_mtime(const char *path, time_t t)
{
	struct timespec ts[2] = { { t, 0 }, { t, 0 } };
	check_int(utimensat(AT_FDCWD, path, ts, 0), 0);
}

struct thread_load {
	const font_set *fs;
	const char *path;
	size_t decodes;
	int ok;
};

/* A thread loads the image twice: it decodes once, on its own; what it
 * keeps is freed when it ends (LSan in the sanitizer build). */
static void *load_in_thread(void *arg)
{
	struct thread_load *tl = arg;
	struct diag d = DIAG_INIT;
	size_t before = typeset_image_decodes();
	typeset_doc *a = image_td(tl->fs, tl->path, &d);
	typeset_doc *b = image_td(tl->fs, tl->path, &d);
	tl->ok = a && b;
	tl->decodes = typeset_image_decodes() - before;
	typeset_free(a);
	typeset_free(b);
	diag_release(&d);
	return NULL;
}

static void check_images(const font_set *fs)
{
	char dir[] = "/tmp/t_typeset.XXXXXX";
	struct sbuf png = SBUF_INIT, png2 = SBUF_INIT, pdf1 = SBUF_INIT,
		    pdf2 = SBUF_INIT;
	struct diag d = DIAG_INIT;
	typeset_doc *td, *td2;

	if (!mkdtemp(dir)) {
		check(!"mkdtemp");
		return;
	}
	sbuf_addf(&png, "%s/a.png", dir);
	sbuf_addf(&png2, "%s/b.png", dir);
	sbuf_addf(&pdf1, "%s/1.pdf", dir);
	sbuf_addf(&pdf2, "%s/2.pdf", dir);

	/* Opaque PNGs of every colour type and depth, interlaced or not,
	 * of sizes that leave passes empty: row by row, the samples are
	 * libpng's own full decoding, exactly at 8 bits, within 2 from 16
	 * bits, and the same interlaced or not. (Those are marked sRGB: libpng's simplified API takes an
	 * unmarked 16-bit file for linear light.) */
	{
		static const int kinds[][2] = {
			{ PNG_COLOR_TYPE_GRAY, 1 }, { PNG_COLOR_TYPE_GRAY, 2 },
			{ PNG_COLOR_TYPE_GRAY, 4 }, { PNG_COLOR_TYPE_GRAY, 8 },
			{ PNG_COLOR_TYPE_GRAY, 16 }, { PNG_COLOR_TYPE_PALETTE, 4 },
			{ PNG_COLOR_TYPE_PALETTE, 8 }, { PNG_COLOR_TYPE_RGB, 8 },
			{ PNG_COLOR_TYPE_RGB, 16 }, { PNG_COLOR_TYPE_GRAY_ALPHA, 8 },
			{ PNG_COLOR_TYPE_RGBA, 8 }, { PNG_COLOR_TYPE_RGBA, 16 },
		};
		static const unsigned sizes[][2] = { { 37, 23 }, { 1, 1 }, { 3, 1 },
						     { 1, 9 }, { 5, 5 } };
		for (size_t k = 0; k < ARRAY_SIZE(kinds); k++)
			for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
				unsigned char *flat = NULL;
				size_t nflat = 0;
				for (int il = 0; il < 2; il++) {
					unsigned w, h;
					unsigned char *ref;
					int dv, tol = kinds[k][1] == 16 ? 2 : 0;
					check_int(write_test_png(png.buf, sizes[s][0],
								 sizes[s][1], kinds[k][0],
								 kinds[k][1], il, 0,
								 kinds[k][1] == 16), 0);
					ref = reference_rgb(png.buf, &w, &h);
					check(ref != NULL);
					typeset_image_cache_clear();
					td = image_td(fs, png.buf, &d);
					check(td != NULL);
					dv = td && ref ? image_diff(td, ref, w, h, 1) : -1;
					if (dv < 0 || dv > tol)
						fprintf(stderr, "PNG type %d depth %d %ux%u "
							"interlaced %d: off by %d\n",
							kinds[k][0], kinds[k][1], sizes[s][0],
							sizes[s][1], il, dv);
					check(dv >= 0 && dv <= tol);
					/* interlaced: the same samples as not */
					if (td && !il) {
						nflat = td->images[0].len;
						flat = xmalloc(nflat);
						memcpy(flat, td->images[0].data, nflat);
					} else if (td) {
						check(flat && nflat == td->images[0].len &&
						      !memcmp(flat, td->images[0].data, nflat));
					}
					typeset_free(td);
					free(ref);
				}
				free(flat);
			}
	}

	/* An unmarked 16-bit file is taken as sRGB, as browsers take it:
	 * its samples scaled to 8 bits, their gamma unchanged. */
	check_int(write_test_png(png.buf, 37, 23, PNG_COLOR_TYPE_RGB, 16, 0, 0,
				 0), 0);
	typeset_image_cache_clear();
	td = image_td(fs, png.buf, &d);
	check(td != NULL);
	if (td) {
		int worst = 0;
		for (unsigned y = 0; y < 23; y++)
			for (unsigned x = 0; x < 37; x++)
				for (unsigned c = 0; c < 3; c++) {
					unsigned v = (x * 7 + y * 13 + c * 50) & 0xFFFF;
					int dv = (int)td->images[0].data[(y * 37 + x) * 3 + c] -
						 (int)((v * 255 + 32767) / 65535);
					if (abs(dv) > worst)
						worst = abs(dv);
				}
		check(worst <= 1);
	}
	typeset_free(td);

	/* Transparency is composed on white: a clear pixel is white, an
	 * opaque one its colour, and half way is half way. */
	check_int(write_test_png(png.buf, 3, 2, PNG_COLOR_TYPE_RGBA, 8, 0, 1, 0), 0);
	td = image_td(fs, png.buf, &d);
	check(td != NULL);
	if (td) {
		const unsigned char *px = td->images[0].data;
		/* pixel (0, 0): alpha 0; (2, 0): alpha 255, colour (14, 64, 114) */
		check_int(px[0], 255);
		check_int(px[1], 255);
		check_int(px[2], 255);
		check_int(px[6], 14);
		check_int(px[7], 64);
		check_int(px[8], 114);
		/* (1, 0): alpha 127 of (7, 57, 107) on white */
		check_int(px[3], (7 * 127 + 255 * 128 + 127) / 255);
	}
	typeset_free(td);

	/* Above 6 megapixels a PNG is scaled down while it is decoded, by
	 * 2 here, with blocks cut at the right and bottom edges: the
	 * averages of libpng's full decoding, interlaced or not. */
	for (int il = 0; il < 2; il++) {
		unsigned w, h;
		unsigned char *ref;
		check_int(write_test_png(png.buf, 2449, 2451, PNG_COLOR_TYPE_RGB,
					 8, il, 0, 0), 0);
		ref = reference_rgb(png.buf, &w, &h);
		check(ref != NULL);
		typeset_image_cache_clear();
		td = image_td(fs, png.buf, &d);
		check(td != NULL);
		if (td && ref) {
			check_int(td->images[0].width, 1225);
			check_int(td->images[0].height, 1226);
			check_int(image_diff(td, ref, w, h, 2), 0);
		}
		typeset_free(td);
		free(ref);
	}

	/* The same file twice in a thread: decoded once, the same samples
	 * and the very same PDF. */
	check_int(write_test_png(png.buf, 37, 23, PNG_COLOR_TYPE_RGB, 8, 0, 0, 0), 0);
	set_mtime(png.buf, 1700000000);
	{
		size_t n0 = typeset_image_decodes();
		td = image_td(fs, png.buf, &d);
		check_int(typeset_image_decodes(), n0 + 1);
		td2 = image_td(fs, png.buf, &d);
		check_int(typeset_image_decodes(), n0 + 1);
		check(td && td2);
		if (td && td2) {
			check(td->images[0].data != td2->images[0].data);
			check(td->images[0].len == td2->images[0].len &&
			      !memcmp(td->images[0].data, td2->images[0].data,
				      td->images[0].len));
			check(pdf_write(td, pdf1.buf, 0, &d) == 1);
			check(pdf_write(td2, pdf2.buf, 0, &d) == 1);
			check(same_file(pdf1.buf, pdf2.buf));
		}
		typeset_free(td);
		typeset_free(td2);

		/* A JPEG is kept too, bytes and all. */
		td = image_td(fs, "tests/golden/typeset/portrait.jpg", &d);
		td2 = image_td(fs, "tests/golden/typeset/portrait.jpg", &d);
		check_int(typeset_image_decodes(), n0 + 2);
		check(td && td2 && td2->images[0].jpeg &&
		      td->images[0].len == td2->images[0].len &&
		      !memcmp(td->images[0].data, td2->images[0].data,
			      td->images[0].len));
		typeset_free(td);
		typeset_free(td2);

		/* One entry: the PNG again after the JPEG is decoded again. */
		td = image_td(fs, png.buf, &d);
		check_int(typeset_image_decodes(), n0 + 3);
		typeset_free(td);

		/* Another modification time, the same bytes: decoded again. */
		set_mtime(png.buf, 1700000100);
		td = image_td(fs, png.buf, &d);
		check_int(typeset_image_decodes(), n0 + 4);
		typeset_free(td);

		/* Other contents (another size) with the old time: decoded
		 * again, and what is drawn is the new image. */
		check_int(write_test_png(png.buf, 40, 23, PNG_COLOR_TYPE_RGB, 8, 0,
					 0, 0), 0);
		set_mtime(png.buf, 1700000100);
		td = image_td(fs, png.buf, &d);
		check_int(typeset_image_decodes(), n0 + 5);
		check(td && td->images[0].width == 40);
		typeset_free(td);

		/* The same file under another path is another entry. */
		check_int(link(png.buf, png2.buf), 0);
		td = image_td(fs, png2.buf, &d);
		check_int(typeset_image_decodes(), n0 + 6);
		typeset_free(td);

		/* An image that fails is not kept, nor does it keep the last. */
		td = image_td(fs, "/nonexistent.png", &d);
		check(td == NULL);
		td = image_td(fs, png2.buf, &d);
		check_int(typeset_image_decodes(), n0 + 6);
		typeset_free(td);

		/* Another thread has a cache of its own. */
		{
			struct thread_load tl = { fs, png2.buf, 0, 0 };
			pthread_t t;
			check_int(pthread_create(&t, NULL, load_in_thread, &tl), 0);
			check_int(pthread_join(t, NULL), 0);
			check(tl.ok);
			check_int(tl.decodes, 1);
			check_int(typeset_image_decodes(), n0 + 6);
		}

		/* Cleared, the next load decodes. */
		typeset_image_cache_clear();
		td = image_td(fs, png2.buf, &d);
		check_int(typeset_image_decodes(), n0 + 7);
		typeset_free(td);
	}

	unlink(png.buf);
	unlink(png2.buf);
	unlink(pdf1.buf);
	unlink(pdf2.buf);
	rmdir(dir);
	sbuf_release(&png);
	sbuf_release(&png2);
	sbuf_release(&pdf1);
	sbuf_release(&pdf2);
	diag_release(&d);
}

int main(int argc, char **argv)
{
	struct diag d = DIAG_INIT;
	font_set *fs = font_set_load("fonts", &d);
	typeset_doc *td, *td2;

	if (!fs) {
		diag_print(&d, stderr);
		return 1;
	}
	if ((argc == 3 || (argc == 4 && !strcmp(argv[3], "full"))) &&
	    !strcmp(argv[1], "--dump")) {
		td = specimen(fs, argv[2], argc == 4 ? SPECIMEN_FULL : SPECIMEN_SHORT);
		if (td)
			dump_boxes(td, stdout);
		typeset_free(td);
		font_set_free(fs);
		return td ? 0 : 1;
	}

	/* Widths: our measure equals HarfBuzz's advances. */
	{
		const font_face *f = font_lookup(fs, FONT_BODY, FONT_LATIN, 'A');
		const font_face *a = font_lookup(fs, FONT_BODY, FONT_ARMENIAN, 0x531);
		double w = typeset_text_width(fs, FONT_BODY, "en",
					      "Office affine fluff; AVATAR", 10);
		check(w > 0);
		check(w - hb_width(f, "Office affine fluff; AVATAR", 10) < 1e-9);
		w = typeset_text_width(fs, FONT_BODY, "hy", "Երևան, 2023", 12);
		check(w > 0);
		check(fabs(w - (hb_width(a, "Երևան ", 12) - hb_width(a, " ", 12) +
				hb_width(f, ", 2023", 12))) < 1e-9);
		check(typeset_text_width(fs, FONT_BODY, "en", "\xEA\x80\x80", 10) < 0);
	}

	/* Line breaking in each script and at several measures. */
	{
		static const char *const texts[][2] = {
			{ "en", "Article 118 of the Third Geneva Convention requires "
			  "that prisoners of war be released and repatriated "
			  "without delay after the cessation of active "
			  "hostilities." },
			{ "ru", "Статья 118 Третьей Женевской конвенции требует, "
			  "чтобы военнопленные были освобождены и "
			  "репатриированы без промедления после прекращения "
			  "активных военных действий." },
			{ "hy", "Ժնևի երրորդ կոնվենցիայի 118-րդ հոդվածը պահանջում "
			  "է, որ ռազմագերիներն ազատ արձակվեն և հայրենադարձվեն "
			  "առանց հապաղելու՝ ակտիվ ռազմական գործողությունների "
			  "դադարեցումից հետո։" },
			/* words longer than the line are cut, not overhung */
			{ "hy", "Տեր-Խաչատուրյանցմելիքբեկյանարղությանշահնազարյանց "
			  "Արշալույս" },
			{ "en", "https://example.org/a/very/long/path/that/has/no/"
			  "spaces/at/all/and/goes/on/and/on.html" },
		};
		static const double measures[] = { 451.28, 300, 160, 90, 40 };
		for (size_t t = 0; t < ARRAY_SIZE(texts); t++)
			for (size_t m = 0; m < ARRAY_SIZE(measures); m++) {
				check_lines(fs, texts[t][0], texts[t][1],
					    measures[m], 0);
				check_lines(fs, texts[t][0], texts[t][1],
					    measures[m], 1);
			}
		/* Wide measure: one line; narrow: more lines. */
		check_int(check_lines(fs, "en", "short line", 451, 0), 1);
		check(check_lines(fs, "hy", texts[2][1], 160, 0) >= 5);
	}

	/* Break positions: at spaces, after hyphens, mandatory at a line
	 * feed; Armenian never hyphenated; hyphenation helps English. */
	{
		size_t st[16];
		long n = typeset_break_lines(fs, "en", "one two\nthree", 10.5,
					     400, 0, st, 16, &d);
		check_int(n, 2);
		check_int(st[1], 8);
		n = typeset_break_lines(fs, "en", "alpha beta", 10.5, 40, 0, st,
					16, &d);
		check_int(n, 2);
		check_int(st[1], 6);
		n = typeset_break_lines(fs, "hy", "Տեր-Խաչատուրյանց", 10.5, 90, 1,
					st, 16, &d);
		check_int(n, 2);
		check_int(st[1], strlen("Տեր-"));
		{
			const char *t = "The representatives acknowledged "
					"responsibility";
			long plain = check_lines(fs, "en", t, 120, 0);
			n = typeset_break_lines(fs, "en", t, 10.5, 120, 1, st, 16,
						&d);
			check(n <= plain);
			/* some line starts inside a word */
			{
				int inside = 0;
				for (long i = 1; i < n; i++)
					inside |= t[st[i] - 1] != ' ';
				check(inside);
			}
		}
		check_int(d.nerrors, 0);
	}

	/* Missing characters are errors naming the character and where it
	 * came from; never boxes or silence. */
	check_error(fs, "Smile \xF0\x9F\x98\x80", "U+1F600");
	check_error(fs, "Yi \xEA\x80\x80 syllable",
		    "character U+A000 'ꀀ' is in none of the configured fonts");
	check_error(fs, "bad \xC3 byte", "not valid UTF-8");
	check_error(fs, "bell \x07", "control character U+0007");

	/* The full specimens: glyphs, margins, widths, headings, tables. */
	{
		static const char *const langs[] = { "en", "ru", "hy" };
		static const char *const date_col[] = { "Date", "Дата", "Ամսաթիվ" };
		for (size_t l = 0; l < 3; l++) {
			td = specimen(fs, langs[l], SPECIMEN_FULL);
			check(td != NULL);
			if (!td)
				continue;
			check(td->npages >= 5);
			check_boxes(td);
			check_headings(td);
			/* The chronology spans three pages at least, and its
			 * header row is repeated on each. */
			check(count_text(td, date_col[l]) >= 3);
			check(td->noutline >= 8);
			check_int(td->nimages, 2);
			typeset_free(td);
		}
	}

	/* Same input, same boxes. */
	td = specimen(fs, "hy", SPECIMEN_SHORT);
	td2 = specimen(fs, "hy", SPECIMEN_SHORT);
	check(td && td2);
	if (td && td2) {
		char *a = dump_string(td), *b = dump_string(td2);
		check_str(a, b);
		free(a);
		free(b);
	}
	typeset_free(td);
	typeset_free(td2);

	/* A table cell longer than a page continues on the next pages,
	 * under the repeated header, and no text leaves the text area. */
	{
		doc *dc = doc_new("en", DOC_A4);
		struct sbuf big = SBUF_INIT;
		static const double w[2] = { 1, 3 };
		struct doc_span h1[] = { { .text = "Head A" } };
		struct doc_span h2[] = { { .text = "Head B" } };
		struct doc_span c1[] = { { .text = "left" } };
		for (int i = 0; i < 700; i++)
			sbuf_addf(&big, "word%d and more ", i);
		struct doc_span c2[] = { { .text = big.buf } };
		doc_table_begin(dc, 2, w, 1);
		doc_table_cell(dc, h1, 1);
		doc_table_cell(dc, h2, 1);
		doc_table_cell(dc, c1, 1);
		doc_table_cell(dc, c2, 1);
		doc_table_end(dc);
		doc_para(dc, DOC_LEFT, c1, 1);
		td = typeset_run(dc, fs, &d);
		check(td != NULL);
		if (td) {
			size_t out = 0;
			check(td->npages >= 3);
			check_int(count_text(td, "Head A"), td->npages);
			for (size_t p = 0; p < td->npages; p++)
				for (size_t i = 0; i < td->pages[p].n; i++) {
					const struct ts_box *b = &td->pages[p].box[i];
					if (b->kind == TS_TEXT &&
					    (b->y < 76 - EPS || b->y > td->page_h - 76))
						out++;
				}
			check_int(out, 0);
			{
				char *dump = dump_string(td);
				check(strstr(dump, "word699 and more") != NULL);
				check(strstr(dump, "word0 and") != NULL);
				free(dump);
			}
			check_boxes(td);
		}
		typeset_free(td);
		doc_free(dc);
		sbuf_release(&big);
	}

	/* Letter paper. */
	{
		doc *dc = doc_new("en", DOC_LETTER);
		struct doc_span s[] = { { .text = "Letter." } };
		doc_para(dc, DOC_LEFT, s, 1);
		td = typeset_run(dc, fs, &d);
		check(td && td->page_w == 612 && td->page_h == 792);
		check_int(typeset_page_count(td), 1);
		typeset_free(td);
		doc_free(dc);
	}

	check_images(fs);
	typeset_image_cache_clear();

	diag_release(&d);
	font_set_free(fs);
	return check_done();
}
