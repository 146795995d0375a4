/* t_pdf.c: writing PDFs: page counts, byte-identical output, subsetting
 * (the font files and what the descriptors state), images of every PNG
 * kind, errors.
 *
 *   t_pdf                    run the checks
 *   t_pdf --specimen DIR     write DIR/specimen-{en,ru,hy}.pdf and the
 *                            short ones, for tests/sh/t_typeset.sh
 *
 * Runs from the top of the tree (fonts/, tests/golden/typeset/). */
#include "diag.h"
#include "doc.h"
#include "font.h"
#include "harness.h"
#include "pdf-private.h"
#include "pdf.h"
#include "sbuf.h"
#include "specimen.h"
#include "pages.h"
#include "typeset.h"
#include "util.h"

#include <hb.h>
#include <png.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long write_specimen(const font_set *fs, const char *lang, int kind,
			   const char *path, unsigned flags)
{
	struct diag d = DIAG_INIT;
	doc *dc = doc_new(lang, DOC_A4);
	typeset_doc *td;
	long pages = -1;

	specimen_build(dc, lang, kind, "tests/golden/typeset");
	td = typeset_run(dc, fs, &d);
	if (td)
		pages = pdf_write(td, path, flags, &d);
	if (pages < 0)
		diag_print(&d, stderr);
	typeset_free(td);
	doc_free(dc);
	diag_release(&d);
	return pages;
}

/* The pages of the short specimen's golden box dump. */
static long golden_pages(const char *lang)
{
	char path[96], line[512];
	FILE *fp;
	long n = 0;

	snprintf(path, sizeof(path), "tests/golden/typeset/short-%s.expect", lang);
	fp = fopen(path, "r");
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp))
		if (!strncmp(line, "page ", 5))
			n++;
	fclose(fp);
	return n;
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) ? -1 : (long)st.st_size;
}

static int same_bytes(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int ca, cb, same = fa && fb;
	while (same) {
		ca = getc(fa);
		cb = getc(fb);
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

/* A PNG written with libpng's full API: 16-bit RGBA and/or interlaced. */
static int write_png(const char *path, int depth, int interlace)
{
	FILE *fp = fopen(path, "wb");
	png_structp png;
	png_infop info;
	unsigned w = 37, h = 23, bpp = depth / 8 * 4;
	unsigned char *row = xmalloc(w * bpp);

	if (!fp)
		return -1;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png_create_info_struct(png);
	if (setjmp(png_jmpbuf(png))) {
		fclose(fp);
		free(row);
		return -1;
	}
	png_init_io(png, fp);
	png_set_IHDR(png, info, w, h, depth, PNG_COLOR_TYPE_RGBA,
		     interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	{
		int passes = interlace ? png_set_interlace_handling(png) : 1;
		for (int p = 0; p < passes; p++)
			for (unsigned y = 0; y < h; y++) {
				for (unsigned x = 0; x < w * bpp; x++)
					row[x] = (unsigned char)(x * 7 + y * 3);
				png_write_row(png, row);
			}
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	fclose(fp);
	free(row);
	return 0;
}

/* Typeset and write a one-image document; returns the diag's first
 * message, or "" when it worked. */
static const char *image_doc(const font_set *fs, const char *img,
			     const char *out, struct sbuf *msg, unsigned *w)
{
	struct diag d = DIAG_INIT;
	doc *dc = doc_new("en", DOC_A4);
	typeset_doc *td;
	struct doc_span s[] = { { .text = "Caption." } };

	doc_image(dc, img, 100, 100, "record A1 field photo");
	doc_para(dc, DOC_LEFT, s, 1);
	td = typeset_run(dc, fs, &d);
	if (td) {
		*w = td->nimages ? td->images[0].width : 0;
		pdf_write(td, out, 0, &d);
	}
	sbuf_reset(msg);
	if (d.n)
		sbuf_addf(msg, "%s: %s", d.v[0].file ? d.v[0].file : "",
			  d.v[0].msg);
	typeset_free(td);
	doc_free(dc);
	diag_release(&d);
	return msg->buf;
}

/* Several threads writing documents with one font set at once. */
struct job {
	const font_set *fs;
	const char *lang;
	char path[64];
	long pages;
};

static void *run_job(void *arg)
{
	struct job *j = arg;
	j->pages = write_specimen(j->fs, j->lang, SPECIMEN_FULL, j->path, 0);
	return NULL;
}

/* The font files embedded (pdf-font.c): subsets, the glyph of each
 * character in them, what the descriptors state. */
static void test_font_file(const font_set *fs)
{
	const font_face *f;

	/* Subsetting keeps the requested characters and little else. */
	{
		static const uint32_t cps[] = { 'D', 'o', 's', 'i', 'e', 'r' };
		size_t len = 0, full;
		unsigned char *sub;
		f = font_lookup(fs, FONT_BODY, FONT_LATIN, 'A');
		font_face_data(f, &full);
		sub = pdf_font_subset(f, cps, ARRAY_SIZE(cps), &len);
		check(sub != NULL);
		check(len > 0 && len < full / 10);
		if (sub) {
			hb_blob_t *b = hb_blob_create((const char *)sub,
						      (unsigned)len,
						      HB_MEMORY_MODE_READONLY,
						      NULL, NULL);
			hb_face_t *face = hb_face_create(b, 0);
			hb_set_t *u = hb_set_create();
			hb_face_collect_unicodes(face, u);
			hb_blob_t *t;
			check(hb_set_has(u, 'D') && hb_set_has(u, 'r'));
			check(!hb_set_has(u, 'A'));
			/* no names: the PDF names the font */
			t = hb_face_reference_table(face, HB_TAG('n', 'a', 'm', 'e'));
			check_int(hb_blob_get_length(t), 0);
			hb_blob_destroy(t);
			/* no glyph names: 'post' format 3 (32 bytes) */
			t = hb_face_reference_table(face, HB_TAG('p', 'o', 's', 't'));
			check_int(hb_blob_get_length(t), 32);
			hb_blob_destroy(t);
			hb_set_destroy(u);
			hb_face_destroy(face);
			hb_blob_destroy(b);
		}
		free(sub);
	}

	/* Embedding: each character's glyph in the subset, a glyph of its
	 * own for each, none for a character the face lacks; the whole font
	 * maps the same characters to the font's own glyphs. */
	{
		static const uint32_t cps[] = { ' ', 'D', 'e', 'r', 0x0416, 0x4E2D };
		uint16_t gids[ARRAY_SIZE(cps)], whole[ARRAY_SIZE(cps)];
		size_t len = 0, full = 0;
		unsigned char *sub, *all;
		struct pdf_font_info pi;
		f = font_lookup(fs, FONT_BODY, FONT_LATIN, 'A');
		sub = pdf_font_file(f, cps, ARRAY_SIZE(cps), 0, gids, &len);
		all = pdf_font_file(f, cps, ARRAY_SIZE(cps), 1, whole, &full);
		check(sub && all && len > 0 && len < full);
		for (size_t i = 0; i + 1 < ARRAY_SIZE(cps); i++) {
			check(gids[i] > 0 && gids[i] < 16);
			check(whole[i] > 0);
			for (size_t k = 0; k < i; k++)
				check(gids[k] != gids[i]);
		}
		check_int(gids[ARRAY_SIZE(cps) - 1], 0);
		check_int(whole[ARRAY_SIZE(cps) - 1], 0);
		free(sub);
		free(all);
		pdf_font_info(f, &pi);
		check(pi.bbox[0] < 0 && pi.bbox[2] > 900 && pi.bbox[3] > pi.ascent / 2);
		check(pi.cap_height > 500 && pi.cap_height < 800);
		check(pi.italic_angle == 0);
		pdf_font_info(font_lookup(fs, FONT_ITALIC, FONT_LATIN, 'a'), &pi);
		check(pi.italic_angle < 0);
	}
}

int main(int argc, char **argv)
{
	struct diag d = DIAG_INIT;
	font_set *fs = font_set_load("fonts", &d);
	char dir[] = "/tmp/t_pdf.XXXXXX";
	struct sbuf a = SBUF_INIT, b = SBUF_INIT, msg = SBUF_INIT;
	static const char *const langs[] = { "en", "ru", "hy" };

	if (!fs) {
		diag_print(&d, stderr);
		return 1;
	}
	if (argc == 3 && !strcmp(argv[1], "--specimen")) {
		int status = 0;
		for (size_t i = 0; i < 3; i++) {
			sbuf_reset(&a);
			sbuf_addf(&a, "%s/specimen-%s.pdf", argv[2], langs[i]);
			if (write_specimen(fs, langs[i], SPECIMEN_FULL, a.buf, 0) < 0)
				status = 1;
			sbuf_reset(&a);
			sbuf_addf(&a, "%s/short-%s.pdf", argv[2], langs[i]);
			if (write_specimen(fs, langs[i], SPECIMEN_SHORT, a.buf, 0) < 0)
				status = 1;
		}
		sbuf_release(&a);
		font_set_free(fs);
		return status;
	}
	if (!mkdtemp(dir))
		return 1;
	test_font_file(fs);

	/* Page counts, identical bytes, subsetting. */
	for (size_t i = 0; i < 3; i++) {
		long p1, p2, p3, s_sub, s_full;
		sbuf_reset(&a);
		sbuf_reset(&b);
		sbuf_addf(&a, "%s/a-%s.pdf", dir, langs[i]);
		sbuf_addf(&b, "%s/b-%s.pdf", dir, langs[i]);
		p1 = write_specimen(fs, langs[i], SPECIMEN_FULL, a.buf, 0);
		p2 = write_specimen(fs, langs[i], SPECIMEN_FULL, b.buf, 0);
		check(p1 >= 5);
		check_int(p1, p2);
		check(same_bytes(a.buf, b.buf));
		s_sub = file_size(a.buf);
		p3 = write_specimen(fs, langs[i], SPECIMEN_FULL, b.buf,
				    PDF_NO_SUBSET);
		check_int(p3, p1);
		s_full = file_size(b.buf);
		printf("# %s: %ld pages, %ld bytes subset, %ld bytes whole fonts\n",
		       langs[i], p1, s_sub, s_full);
		check(s_sub > 0 && s_sub * 2 < s_full);
		{
			/* PDF 1.5: the small objects in one compressed object
			 * stream, a cross-reference stream, no xref table */
			FILE *fp = fopen(a.buf, "rb");
			static char all[1 << 20];
			size_t n = fp ? fread(all, 1, sizeof(all) - 1, fp) : 0;
			all[n] = '\0';
			check(n > 8 && !memcmp(all, "%PDF-1.5\n", 9));
			check(memmem(all, n, "/Type /ObjStm", 13) != NULL);
			check(memmem(all, n, "/Type /XRef", 11) != NULL);
			check(memmem(all, n, "\nxref\n", 6) == NULL);
			check(n > 6 && !memcmp(all + n - 6, "%%EOF\n", 6));
			if (fp)
				fclose(fp);
		}
		unlink(a.buf);
		unlink(b.buf);
	}

	/* The short and the brief specimens too (their character sets once
	 * made subsets that libharu could not read). */
	for (size_t i = 0; i < 3; i++) {
		sbuf_reset(&a);
		sbuf_addf(&a, "%s/s-%s.pdf", dir, langs[i]);
		/* the pages of the golden dump (tests/sh/t_typeset.sh),
		 * one or two as specimen.h says */
		long want = golden_pages(langs[i]);
		check(want >= 1 && want <= 2);
		check_int(write_specimen(fs, langs[i], SPECIMEN_SHORT, a.buf, 0), want);
		check_int(write_specimen(fs, langs[i], SPECIMEN_BRIEF, a.buf, 0), 3);
		unlink(a.buf);
	}

	/* Images: 8- and 16-bit, interlaced or not, with alpha: all drawn. */
	{
		static const int kinds[][2] = { { 8, 0 }, { 16, 0 }, { 8, 1 },
						{ 16, 1 } };
		for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
			unsigned w = 0;
			sbuf_reset(&a);
			sbuf_reset(&b);
			sbuf_addf(&a, "%s/img.png", dir);
			sbuf_addf(&b, "%s/img.pdf", dir);
			check_int(write_png(a.buf, kinds[k][0], kinds[k][1]), 0);
			check_str(image_doc(fs, a.buf, b.buf, &msg, &w), "");
			check_int(w, 37);
			check(file_size(b.buf) > 1000);
			unlink(a.buf);
			unlink(b.buf);
		}
		/* JPEG as is */
		{
			unsigned w = 0;
			sbuf_reset(&b);
			sbuf_addf(&b, "%s/img.pdf", dir);
			check_str(image_doc(fs, "tests/golden/typeset/portrait.jpg",
					    b.buf, &msg, &w), "");
			check_int(w, 240);
			unlink(b.buf);
		}
		/* CMYK JPEG, not an image, missing file: clear errors */
		{
			static const unsigned char cmyk[] = {
				0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x14, 0x08, 0x00,
				0x10, 0x00, 0x10, 0x04, 1, 0x11, 0, 2, 0x11, 0,
				3, 0x11, 0, 4, 0x11, 0, 0xFF, 0xD9 };
			unsigned w;
			FILE *fp;
			sbuf_reset(&a);
			sbuf_addf(&a, "%s/cmyk.jpg", dir);
			fp = fopen(a.buf, "wb");
			fwrite(cmyk, 1, sizeof(cmyk), fp);
			fclose(fp);
			check(strstr(image_doc(fs, a.buf, b.buf, &msg, &w),
				     "has 4 colour components") != NULL);
			check(strstr(msg.buf, "record A1 field photo: ") == msg.buf);
			check(strstr(image_doc(fs, "fonts/fonts.conf", b.buf, &msg,
					       &w), "neither a JPEG nor a PNG") != NULL);
			check(strstr(image_doc(fs, "/nonexistent.png", b.buf, &msg,
					       &w), "cannot read image") != NULL);
			unlink(a.buf);
		}
	}

	/* Any set of characters of any face embeds: the space alone, the
	 * highest character alone (often the last glyph of a subset), and
	 * the whole repertoire in slices. */
	{
		size_t nf = font_set_nfaces(fs), bad = 0, runs = 0;
		uint32_t *cps = xmalloc(65536 * sizeof(*cps));
		sbuf_reset(&a);
		sbuf_addf(&a, "%s/slice.pdf", dir);
		for (size_t fi = 0; fi < nf; fi++) {
			const font_face *f = font_set_face(fs, fi);
			size_t n = 0;
			for (uint32_t cp = 0x20; cp < 0xFFFF; cp++)
				if (font_advance(f, cp) >= 0 &&
				    !(cp >= 0x7F && cp < 0xA0))
					cps[n++] = cp;
			size_t nslices = (n + 399) / 400;
			for (size_t sl = 0; sl < nslices + 2; sl++) {
				typeset_doc td = { 0 };
				struct ts_page pg = { 0 };
				struct ts_box box = { 0 };
				struct sbuf text = SBUF_INIT;
				size_t from = sl * 400, to = from + 400;
				if (sl == nslices) /* the highest alone */
					from = n - 1, to = n;
				else if (sl == nslices + 1) /* the space alone */
					from = 0, to = 1;
				if (to > n)
					to = n;
				for (size_t k = from; k < to; k++) {
					char u[4];
					sbuf_add(&text, u, (size_t)utf8_encode(cps[k], u));
				}
				box.kind = TS_TEXT;
				box.x = 10;
				box.y = 400;
				box.size = 10;
				box.face = f;
				box.text = text.buf;
				pg.box = &box;
				pg.n = 1;
				td.page_w = 595;
				td.page_h = 842;
				td.pages = &pg;
				td.npages = 1;
				td.fonts = fs;
				runs++;
				if (pdf_write(&td, a.buf, 0, &d) != 1) {
					bad++;
					fprintf(stderr, "%s: slice at %zu fails\n",
						font_face_name(f), from);
				}
				sbuf_release(&text);
			}
		}
		check(runs > 50);
		check_int(bad, 0);
		unlink(a.buf);
		free(cps);
		diag_clear(&d);
	}

	/* Four threads, one font set: the same bytes as one thread. */
	{
		struct job jobs[4];
		pthread_t th[4];
		for (int i = 0; i < 4; i++) {
			jobs[i].fs = fs;
			jobs[i].lang = langs[i % 3];
			snprintf(jobs[i].path, sizeof(jobs[i].path), "%s/t%d.pdf",
				 dir, i);
			check_int(pthread_create(&th[i], NULL, run_job, &jobs[i]), 0);
		}
		for (int i = 0; i < 4; i++)
			pthread_join(th[i], NULL);
		for (int i = 0; i < 4; i++) {
			sbuf_reset(&a);
			sbuf_addf(&a, "%s/serial.pdf", dir);
			check(jobs[i].pages >= 5);
			check_int(write_specimen(fs, jobs[i].lang, SPECIMEN_FULL,
						 a.buf, 0), jobs[i].pages);
			check(same_bytes(a.buf, jobs[i].path));
			unlink(jobs[i].path);
			unlink(a.buf);
		}
	}

	/* An unwritable path fails with a message, not a crash. */
	{
		doc *dc = doc_new("en", DOC_A4);
		struct doc_span sp[] = { { .text = "Text." } };
		typeset_doc *td;
		doc_para(dc, DOC_LEFT, sp, 1);
		td = typeset_run(dc, fs, &d);
		check(td != NULL);
		if (td) {
			check_int(pdf_write(td, "/nonexistent/dir/x.pdf", 0, &d), -1);
			check(d.n == 1 && strstr(d.v[0].msg, "cannot write PDF"));
		}
		typeset_free(td);
		doc_free(dc);
	}

	rmdir(dir);
	sbuf_release(&a);
	sbuf_release(&b);
	sbuf_release(&msg);
	diag_release(&d);
	font_set_free(fs);
	return check_done();
}
