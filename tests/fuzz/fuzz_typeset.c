/* fuzz_typeset.c: libFuzzer target for the typesetter and the PDF writer.
 *
 * The input is a small program that builds a document. The first byte
 * picks the language, the paper, hyphenation and the page texts; then
 * each op is one byte (the block kind and a style) followed by a text:
 * a length byte and that many bytes of (possibly invalid) UTF-8. A length
 * byte of 255 makes a huge word (the next byte repeated 2,000 times).
 * Every document is typeset and, when that succeeds, written as a PDF to
 * an in-memory file; when the last byte is odd, a binder of it twice
 * (typeset_concat) is written instead. Images are the test images or the
 * text itself as an in-memory file (behind a JPEG or PNG signature when
 * the style says). Fonts are loaded once from fonts/ (run from the top
 * of the tree, or set DOSSIER_FONTS). */
#include "diag.h"
#include "doc.h"
#include "font.h"
#include "pdf.h"
#include "typeset.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static font_set *fuzz_fonts;

static void fuzz_free_fonts(void)
{
	font_set_free(fuzz_fonts);
	fuzz_fonts = NULL;
}

struct fz {
	const uint8_t *p;
	size_t n;
	char buf[4096];
};

static unsigned fz_byte(struct fz *z)
{
	unsigned b;
	if (!z->n)
		return 0;
	b = *z->p++;
	z->n--;
	return b;
}

/* The next text: NUL bytes become spaces, so the text is a C string. */
static const char *fz_text(struct fz *z)
{
	size_t len = fz_byte(z), i;
	if (len == 255) {
		unsigned c = fz_byte(z);
		len = 2000;
		for (i = 0; i < len; i++)
			z->buf[i] = (char)(c ? c : 'm');
		z->buf[len] = '\0';
		return z->buf;
	}
	if (len > z->n)
		len = z->n;
	for (i = 0; i < len; i++)
		z->buf[i] = z->p[i] ? (char)z->p[i] : ' ';
	z->buf[len] = '\0';
	z->p += len;
	z->n -= len;
	return z->buf;
}

static const double fz_widths[4] = { 1.0, 2.5, 0.3, 7.0 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { "en", "ru", "hy", "xx" };
	struct fz z = { data, size, { 0 } };
	struct diag d = DIAG_INIT;
	unsigned opt, ops = 0;
	int depth = 0, notes = 0, in_table = 0, in_facts = 0, keep = 0;
	doc *dc;
	typeset_doc *td;
	int *fds = NULL;
	size_t nfds = 0, afds = 0;

	if (!fuzz_fonts) {
		const char *dir = getenv("DOSSIER_FONTS");
		fuzz_fonts = font_set_load(dir ? dir : "fonts", &d);
		if (!fuzz_fonts) {
			diag_print(&d, stderr);
			abort();
		}
		diag_release(&d);
		atexit(fuzz_free_fonts);
	}
	if (size < 1)
		return 0;
	opt = fz_byte(&z);
	dc = doc_new(langs[opt & 3], (enum doc_paper)((opt >> 2) & 3));
	doc_set_hyphenate(dc, (opt >> 4) & 1);
	if (opt & 0x20)
		doc_set_page_text(dc, "Header {page}", "ID-1",
				  "Page {page} of {pages}");
	if (opt & 0x40)
		doc_set_date(dc, 2026, 11, 27, 12, 0, 0);
	if (opt & 0x80)
		doc_set_justify_fallback(dc, 1);

	while (z.n && ops++ < 200) {
		unsigned op = fz_byte(&z);
		unsigned style = (op >> 4) & 15u;
		struct doc_span sp[3];
		const char *t = fz_text(&z);
		char *t0 = xstrdup(t);
		size_t nsp = 1;

		memset(sp, 0, sizeof(sp));
		sp[0].text = t0;
		sp[0].style = style;
		sp[0].source = "fuzz:1";
		if (op & 0x80) {
			/* a second span: a link, an anchor link or a note */
			sp[1].text = "x y";
			sp[1].style = DOC_HIGHLIGHT;
			switch (style & 3) {
			case 0: sp[1].uri = "https://example.org/"; break;
			case 1: sp[1].dest = "d:1"; break;
			case 2: sp[1].file = "other.pdf"; sp[1].dest = "d:2"; break;
			default:
				sp[1].footnote = doc_footnote(dc, "*", sp, 1);
				notes++;
			}
			nsp = 2;
		}
		switch (op & 15) {
		case 0: doc_heading(dc, (int)(style & 3), sp, nsp); break;
		case 1: doc_para(dc, DOC_LEFT, sp, nsp); break;
		case 2: doc_para(dc, DOC_JUSTIFY, sp, nsp); break;
		case 3:
			if (depth < 6) {
				doc_list_begin(dc, style & 1 ? DOC_NUMBERS : DOC_BULLETS);
				depth++;
			}
			doc_list_item(dc, sp, nsp);
			break;
		case 4:
			if (depth) {
				doc_list_end(dc);
				depth--;
			}
			break;
		case 5:
			if (!in_facts) {
				doc_facts_begin(dc);
				in_facts = 1;
			}
			doc_fact(dc, sp, nsp, sp, 1);
			break;
		case 6:
			if (in_facts) {
				doc_facts_end(dc);
				in_facts = 0;
			}
			break;
		case 7:
			if (!in_table) {
				doc_table_begin(dc, 1 + (style & 3), fz_widths,
						style >> 2);
				in_table = 1;
			}
			doc_table_cell(dc, sp, nsp);
			break;
		case 8:
			if (in_table) {
				doc_table_end(dc);
				in_table = 0;
			}
			break;
		case 9:
			if (notes < 300) {
				sp[1].text = NULL;
				sp[1].footnote = doc_footnote(dc, t0, sp, 1);
				notes++;
				doc_para(dc, DOC_LEFT, sp, 2);
			}
			break;
		case 10: doc_rule(dc); break;
		case 11: doc_page_break(dc); break;
		case 12:
			if (!keep) {
				doc_keep_begin(dc);
				keep = 1;
			} else {
				doc_keep_end(dc);
				keep = 0;
			}
			break;
		case 13: doc_anchor(dc, style & 1 ? "d:1" : t0); break;
		case 14: {
			/* a bar chart: categories from the text's words */
			struct doc_chart ch;
			struct doc_chart_series se[3];
			const char *cats[12];
			double vals[3][12];
			char *w = t0, *sp0;
			size_t nc = 0, ns = 1 + (style & 1) + ((style >> 3) & 1);
			memset(&ch, 0, sizeof(ch));
			memset(se, 0, sizeof(se));
			while (nc < 12 && (sp0 = strchr(w, ' '))) {
				*sp0 = '\0';
				cats[nc++] = w;
				w = sp0 + 1;
			}
			if (nc < 12)
				cats[nc++] = w;
			for (size_t s = 0; s < ns; s++) {
				for (size_t c = 0; c < nc; c++)
					vals[s][c] = (double)(fz_byte(&z) *
							      (style & 4 ? 1000 : 1)) /
						(c == 3 ? 7.0 : 1.0);
				se[s].label = s ? "Series B" : cats[0];
				se[s].values = vals[s];
			}
			ch.title = sp;
			ch.ntitle = 1;
			ch.categories = cats;
			ch.ncategories = nc;
			ch.series = se;
			ch.nseries = ns;
			ch.stacked = (style >> 1) & 1;
			ch.horizontal = (style >> 2) & 1;
			ch.height = (double)fz_byte(&z) * 3;
			ch.source = "fuzz:chart";
			doc_chart_bars(dc, &ch);
			break;
		}
		default: {
			/* An image: a test image, or the text as the file,
			 * behind a JPEG or PNG signature */
			static const char *const img[4] = {
				"tests/golden/typeset/portrait.jpg",
				"tests/golden/typeset/landscape.png",
				"tests/golden/typeset/missing.png", NULL
			};
			static const unsigned char sig[2][8] = {
				{ 0xFF, 0xD8, 0xFF, 0xC0, 0, 0x11, 8, 0 },
				{ 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' },
			};
			int fd;
			if (img[style & 3]) {
				doc_image(dc, img[style & 3], style * 10.0, 0,
					  "fuzz:img");
				break;
			}
			fd = memfd_create("image", 0);
			if (fd >= 0) {
				char path[64];
				size_t tl = strlen(t);
				ssize_t w1, w2 = 0;
				w1 = (style & 4) ? write(fd, sig[(style >> 3) & 1], 8) : 0;
				if (tl)
					w2 = write(fd, t, tl);
				(void)w1;
				(void)w2;
				snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
				doc_image(dc, path, 0, 0, "fuzz:img");
				ALLOC_GROW(fds, nfds + 1, afds);
				fds[nfds++] = fd;
			}
			break;
		}
		}
		free(t0);
	}
	if (depth)
		doc_list_end(dc);
	if (in_facts)
		doc_facts_end(dc);
	if (in_table)
		doc_table_end(dc);
	if (keep)
		doc_keep_end(dc);

	td = typeset_run(dc, fuzz_fonts, &d);
	for (size_t i = 0; i < nfds; i++)
		close(fds[i]);
	free(fds);
	if (td) {
		int fd = memfd_create("typeset", 0);
		typeset_doc *bd = NULL;
		/* Every other input: a binder of the document twice, the
		 * second on an odd page, with labels and running numbers. */
		if (data[size - 1] & 1) {
			const typeset_doc *parts[2] = { td, td };
			struct typeset_binder_part bp[2] = {
				{ "Part one", 1, 0, 'r', "A-" },
				{ "Part two", 0, 1, 'D', NULL },
			};
			struct typeset_binder bo;
			size_t first[2];
			memset(&bo, 0, sizeof(bo));
			bo.part = bp;
			bo.number_template = "{page} / {pages}";
			bo.number_blank = data[size - 1] & 2;
			bo.first_page = first;
			bd = typeset_concat(parts, 2, &bo, &d);
			if (!bd)
				abort(); /* parts of one font set always join */
			if (first[1] % 2 || first[1] < typeset_page_count(td))
				abort();
		}
		if (fd >= 0) {
			char path[64];
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			if (pdf_write(bd ? bd : td, path, 0, &d) < 0 && !d.nerrors)
				abort(); /* a failure must say why */
			close(fd);
		}
		typeset_free(bd);
	} else if (!d.nerrors) {
		abort(); /* NULL without an error */
	}
	typeset_free(td);
	doc_free(dc);
	diag_release(&d);
	return 0;
}
