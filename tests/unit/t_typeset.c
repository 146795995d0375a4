/* t_typeset.c: measuring, line breaking and pagination.
 *
 *   t_typeset              run the checks
 *   t_typeset --dump LANG  print the boxes of the short specimen, which
 *                          tests/sh/t_typeset.sh compares with
 *                          tests/golden/typeset/short-LANG.expect
 *
 * Runs from the top of the tree (fonts/, tests/golden/typeset/). */
#include "diag.h"
#include "doc.h"
#include "dump.h"
#include "font.h"
#include "harness.h"
#include "sbuf.h"
#include "specimen.h"
#include "typeset-private.h"
#include "typeset.h"
#include "util.h"

#include <hb.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

int main(int argc, char **argv)
{
	struct diag d = DIAG_INIT;
	font_set *fs = font_set_load("fonts", &d);
	typeset_doc *td, *td2;

	if (!fs) {
		diag_print(&d, stderr);
		return 1;
	}
	if (argc == 3 && !strcmp(argv[1], "--dump")) {
		td = specimen(fs, argv[2], SPECIMEN_SHORT);
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

	diag_release(&d);
	font_set_free(fs);
	return check_done();
}
