/* fuzz_typeset.c: libFuzzer target for the typesetter and the PDF writer.
 *
 * The input is a small program that builds a document. The first byte
 * picks the language, the paper, hyphenation and the page texts; then
 * each op is one byte (the block kind and a style) followed by a text:
 * a length byte and that many bytes of (possibly invalid) UTF-8. A length
 * byte of 255 makes a huge word (the next byte repeated 2,000 times).
 * Every document is typeset and, when that succeeds, written as a PDF to
 * an in-memory file; when the last byte is odd, a binder of it twice
 * (binder_concat) is written instead. Images are the test images or the
 * text itself as an in-memory file (behind a JPEG or PNG signature when
 * the style says).
 *
 * Then the same program builds the document twice more for typeset_stream:
 * every K ops (K = 1..16, from bits 2-5 of the last byte) the blocks so
 * far are fed and dropped, so cuts fall anywhere (inside a table row, a
 * keep group, a fact table, a list). A first pass counts the pages, a
 * second (with that total) writes them with pdf_page to an in-memory
 * file. When typeset_run succeeded, both passes must succeed with its
 * page count and, unless a binder was written, give the very bytes of
 * pdf_write (streamed pages are typeset_run's box for box); when it
 * failed, the stream must fail too, and free what it held. A mismatch
 * aborts, which libFuzzer reports as a crash. Fonts are loaded once from
 * fonts/ (run from the top of the tree, or set DOSSIER_FONTS).
 *
 * What typeset_run made must also hold what it was given and nothing
 * else: it has a page at least, and the string of every text box (in the
 * box dump, dump.h) is in the texts of the program, or in the fixed texts
 * above (page texts, link text, legend). The comparison leaves out what
 * typesetting may add or drop: white space, digits (page and list
 * numbers, figures), the note mark "*", the invisible characters it
 * never draws, a hyphen at the end of a line; a box of punctuation alone
 * (a list marker, a figure's separators) is not compared; a text may
 * share its line with a link's text or a note's label. A box from nowhere
 * aborts too; fuzz_typeset_one gives the replay test
 * (tests/unit/t_fuzz_typeset.c) the counts. */
#include "diag.h"
#include "doc.h"
#include "dump.h"
#include "font.h"
#include "pdf.h"
#include "sbuf.h"
#include "binder.h"
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

/* What one input gave, for the replay test. */
struct fuzz_typeset_stats {
	int typeset;            /* typeset_run gave a document */
	size_t pages;
	size_t texts;           /* text boxes */
	size_t compared;        /* of those, compared with the texts given */
	size_t strays;          /* compared and not found */
	char stray[80];         /* the first of them */
};

/* While fz_build runs for the check: every text it gives the document. */
static struct sbuf *fz_given;

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

/* The in-memory image files of one building: they are read when the
 * document is typeset (by typeset_run, or by the feeds), so they stay
 * open until then. */
struct fz_images {
	int *fds;
	size_t nfds, afds;
};

static void fz_images_close(struct fz_images *im)
{
	for (size_t i = 0; i < im->nfds; i++)
		close(im->fds[i]);
	free(im->fds);
	memset(im, 0, sizeof(*im));
}

/* A building fed to a stream: every .every ops the blocks so far are
 * typeset and dropped, wherever the program happens to be. After a
 * failed feed only typeset_stream_end remains, so the blocks are only
 * dropped. */
struct fz_feed {
	const struct typeset_sink *sink;
	struct diag *dg;
	unsigned every;
	typeset_stream *s;      /* out: made once the settings are in */
	int failed;
};

static void fz_feed(struct fz_feed *f, doc *dc)
{
	if (!f->failed && typeset_stream_feed(f->s, dc) < 0)
		f->failed = 1;
	doc_drop_blocks(dc);
}

/* Build the document the input describes. With f, a stream is opened on
 * it before the first block and fed every f->every ops; the blocks left
 * at the end are the caller's to feed. Without f, the document is built
 * whole, as it always was (the corpus depends on it). */
static doc *fz_build(const uint8_t *data, size_t size, struct fz_feed *f,
		     struct fz_images *im)
{
	static const char *const langs[] = { "en", "ru", "hy", "xx" };
	struct fz z = { data, size, { 0 } };
	unsigned opt, ops = 0;
	int depth = 0, notes = 0, in_table = 0, in_facts = 0, keep = 0;
	doc *dc;

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
	if (f) {
		f->s = typeset_stream_new(dc, fuzz_fonts, f->sink, f->dg);
		if (!f->s)
			abort(); /* only when ICU cannot break lines at all */
	}

	while (z.n && ops++ < 200) {
		unsigned op = fz_byte(&z);
		unsigned style = (op >> 4) & 15u;
		struct doc_span sp[3];
		const char *t = fz_text(&z);
		char *t0 = xstrdup(t);
		size_t nsp = 1;

		if (fz_given) {
			/* the text, and what may share its line: the link
			 * text, or itself as a note's label (case 9) */
			sbuf_addf(fz_given, "%s\n", t);
			if (op & 0x80)
				sbuf_addf(fz_given, "%sx y%s\n", t, t);
			if ((op & 15) == 9)
				sbuf_addf(fz_given, "%s%s\n", t, t);
		}

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
				ALLOC_GROW(im->fds, im->nfds + 1, im->afds);
				im->fds[im->nfds++] = fd;
			}
			break;
		}
		}
		free(t0);
		if (f && ops % f->every == 0)
			fz_feed(f, dc);
	}
	if (depth)
		doc_list_end(dc);
	if (in_facts)
		doc_facts_end(dc);
	if (in_table)
		doc_table_end(dc);
	if (keep)
		doc_keep_end(dc);
	return dc;
}

/* ---- the streaming passes ---- */

/* The first pass's sink: counts the pages, which must come in order. */
static int fz_count_page(void *ctx, const typeset_doc *td, size_t index)
{
	size_t *n = ctx;

	(void)td;
	if (index != *n)
		abort();
	++*n;
	return 0;
}

/* The second pass's sink: each page into the PDF as it comes. */
struct fz_out {
	pdf_writer *w;
	size_t n;
};

static int fz_write_page(void *ctx, const typeset_doc *td, size_t index)
{
	struct fz_out *o = ctx;

	if (index != o->n)
		abort();
	o->n++;
	return pdf_page(o->w, td, index);
}

/* Build the document again and stream it to sink, cut every `every` ops.
 * Returns typeset_stream_end's result; a NULL must come with an error in
 * dg. */
static typeset_doc *fz_stream(const uint8_t *data, size_t size,
			      unsigned every, const struct typeset_sink *sink,
			      struct diag *dg)
{
	struct fz_images im = { 0 };
	struct fz_feed f = { sink, dg, every, NULL, 0 };
	doc *dc = fz_build(data, size, &f, &im);
	typeset_doc *td;

	fz_feed(&f, dc);
	td = typeset_stream_end(f.s);
	fz_images_close(&im);
	doc_free(dc);
	if (!td && !dg->nerrors)
		abort(); /* a failure must say why */
	return td;
}

/* The whole of an in-memory file. */
static unsigned char *fz_slurp(int fd, size_t *len)
{
	off_t end = lseek(fd, 0, SEEK_END);
	unsigned char *buf;

	if (end < 0)
		abort();
	buf = xmalloc((size_t)end + 1);
	if (pread(fd, buf, (size_t)end, 0) != (ssize_t)end)
		abort();
	*len = (size_t)end;
	return buf;
}

/* What pdf_write made of typeset_run's document: have is 0 when there is
 * nothing to compare (typeset_run failed, a binder was written, no
 * memfd). */
struct fz_ref {
	int have;
	long n;                 /* pdf_write's result */
	unsigned char *pdf;
	size_t len;
};

/* The streaming passes against typeset_run's want (NULL: it failed) and
 * pdf_write's ref. */
static void fz_check_stream(const uint8_t *data, size_t size,
			    const typeset_doc *want, const struct fz_ref *ref)
{
	/* bits 0 and 1 of the last byte choose the binder */
	unsigned every = 1 + ((data[size - 1] >> 2) & 15);
	struct diag d1 = DIAG_INIT, d2 = DIAG_INIT;
	size_t counted = 0;
	struct typeset_sink count = { fz_count_page, &counted, 0 };
	struct typeset_sink put = { fz_write_page, NULL, 0 };
	struct fz_out o = { NULL, 0 };
	size_t np = want ? typeset_page_count(want) : 0;
	typeset_doc *td;
	char path[64];
	int fd;

	td = fz_stream(data, size, every, &count, &d1);
	if (want ? !td || typeset_page_count(td) != np || counted != np :
		   td != NULL)
		abort();
	typeset_free(td);

	/* The second pass, with the total for "Page X of Y" (after a
	 * failure, whatever was counted: it fails again, through the PDF
	 * writer's abort). */
	fd = memfd_create("stream", 0);
	if (fd < 0)
		goto out;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	o.w = pdf_open(path, fuzz_fonts, 0, &d2);
	if (!o.w)
		abort();
	put.ctx = &o;
	put.total_pages = want ? np : counted ? counted : 1;
	td = fz_stream(data, size, every, &put, &d2);
	if (!td) {
		pdf_abort(o.w);
		/* only where pdf_write failed as well */
		if (want && !(ref->have && ref->n < 0))
			abort();
	} else {
		long n;
		if (!want || typeset_page_count(td) != np || o.n != np)
			abort();
		n = pdf_close(o.w, td);
		if (n < 0 && !d2.nerrors)
			abort();
		if (ref->have) {
			unsigned char *pdf;
			size_t len;
			if (n != ref->n)
				abort();
			pdf = fz_slurp(fd, &len);
			if (n >= 0 && (len != ref->len || memcmp(pdf, ref->pdf, len)))
				abort(); /* the same pages, the same bytes */
			free(pdf);
		}
		typeset_free(td);
	}
	close(fd);
out:
	diag_release(&d1);
	diag_release(&d2);
}

/* ---- the boxes against the texts given ---- */

/* Append s to out without what typesetting may add or drop: white space
 * (with the no-break and thin spaces), ASCII digits, the note mark, and the characters
 * typeset.c never draws (soft hyphen, zero-width space and joiners, word
 * joiner, BOM). */
static void fz_squeeze(const char *s, size_t n, struct sbuf *out)
{
	static const char *const drop[] = {
		"\xC2\xA0", "\xC2\xAD", "\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D",
		"\xE2\x80\x89", "\xE2\x80\xAF", "\xE2\x81\xA0", "\xEF\xBB\xBF",
	};
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t k, skip = 0;
		if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= '0' && c <= '9') ||
		    c == '*') {
			i++;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(drop) && !skip; k++)
			if (i + strlen(drop[k]) <= n &&
			    !memcmp(s + i, drop[k], strlen(drop[k])))
				skip = strlen(drop[k]);
		if (skip) {
			i += skip;
			continue;
		}
		sbuf_addch(out, (char)c);
		i++;
	}
}

/* Whether a squeezed box is punctuation alone: ASCII punctuation, the
 * list markers (bullet, en dash) and the hyphen. */
static int fz_punct_only(const char *s)
{
	while (*s) {
		if (!strncmp(s, "\xE2\x80\xA2", 3) || !strncmp(s, "\xE2\x80\x93", 3) ||
		    !strncmp(s, "\xE2\x80\x90", 3)) {
			s += 3;
			continue;
		}
		if ((unsigned char)*s >= 0x80 || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= 'a' && *s <= 'z'))
			return 0;
		s++;
	}
	return 1;
}

/* Compare every text box of td with the texts given (squeezed in hay). */
static void fz_check_boxes(const typeset_doc *td, const char *hay,
			   struct fuzz_typeset_stats *st)
{
	char *dump = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&dump, &len);
	struct sbuf box = SBUF_INIT, sq = SBUF_INIT;
	char *line, *save = NULL;

	if (!fp)
		return;
	dump_boxes(td, fp);
	fclose(fp);
	for (line = strtok_r(dump, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		/* text X Y SIZE FACE "string": the string, unescaped */
		const char *q = strchr(line, '"');
		if (strncmp(line, "text ", 5) || !q)
			continue;
		st->texts++;
		sbuf_reset(&box);
		for (q++; *q && *q != '"'; q++) {
			if (*q == '\\' && q[1])
				q++;
			sbuf_addch(&box, *q);
		}
		sbuf_reset(&sq);
		fz_squeeze(box.buf ? box.buf : "", box.len, &sq);
		if (sq.len && sq.buf[sq.len - 1] == '-')
			sq.buf[--sq.len] = '\0';   /* the hyphen of a broken word */
		if (!sq.len || fz_punct_only(sq.buf))
			continue;
		st->compared++;
		if (!strstr(hay, sq.buf)) {
			if (!st->strays++)
				snprintf(st->stray, sizeof(st->stray), "%s", box.buf);
		}
	}
	sbuf_release(&box);
	sbuf_release(&sq);
	free(dump);
}

/* The boxes of typeset_run's document against the program's texts and
 * the fixed ones (those of fz_build, squeezed). */
static void fz_check_texts(const uint8_t *data, size_t size,
			   const typeset_doc *td, struct fuzz_typeset_stats *st)
{
	static const char *const fixed[] = {
		"Header{page}", "Header", "ID-", "Pageof", "xy", "SeriesB",
	};
	struct sbuf given = SBUF_INIT, hay = SBUF_INIT;
	struct fz_images im = { 0 };
	doc *dc;

	fz_given = &given;
	dc = fz_build(data, size, NULL, &im);
	fz_given = NULL;
	fz_images_close(&im);
	doc_free(dc);
	fz_squeeze(given.buf ? given.buf : "", given.len, &hay);
	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++) {
		sbuf_addch(&hay, '\n');
		sbuf_addstr(&hay, fixed[i]);
	}
	st->pages = typeset_page_count(td);
	fz_check_boxes(td, hay.buf, st);
	sbuf_release(&given);
	sbuf_release(&hay);
}

/* Run one input; st gets the counts. */
static void fuzz_typeset_one(const uint8_t *data, size_t size,
			     struct fuzz_typeset_stats *st)
{
	struct diag d = DIAG_INIT;
	struct fz_images im = { 0 };
	struct fz_ref ref = { 0 };
	doc *dc;
	typeset_doc *td;

	memset(st, 0, sizeof(*st));
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
		return;
	dc = fz_build(data, size, NULL, &im);
	td = typeset_run(dc, fuzz_fonts, &d);
	fz_images_close(&im);
	if (td) {
		st->typeset = 1;
		fz_check_texts(data, size, td, st);
	}
	if (td) {
		int fd = memfd_create("typeset", 0);
		typeset_doc *bd = NULL;
		/* Every other input: a binder of the document twice, the
		 * second on an odd page, with labels and running numbers. */
		if (data[size - 1] & 1) {
			const typeset_doc *parts[2] = { td, td };
			struct binder_part bp[2] = {
				{ "Part one", 1, 0, 'r', "A-" },
				{ "Part two", 0, 1, 'D', NULL },
			};
			struct binder_opts bo;
			size_t first[2];
			memset(&bo, 0, sizeof(bo));
			bo.part = bp;
			bo.number_template = "{page} / {pages}";
			bo.number_blank = data[size - 1] & 2;
			bo.first_page = first;
			bd = binder_concat(parts, 2, &bo, &d);
			if (!bd)
				abort(); /* parts of one font set always join */
			if (first[1] % 2 || first[1] < typeset_page_count(td))
				abort();
		}
		if (fd >= 0) {
			char path[64];
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			ref.n = pdf_write(bd ? bd : td, path, 0, &d);
			if (ref.n < 0 && !d.nerrors)
				abort(); /* a failure must say why */
			/* the streamed file must be this one */
			if (!bd) {
				ref.have = 1;
				ref.pdf = fz_slurp(fd, &ref.len);
			}
			close(fd);
		}
		typeset_free(bd);
	} else if (!d.nerrors) {
		abort(); /* NULL without an error */
	}
	fz_check_stream(data, size, td, &ref);
	free(ref.pdf);
	typeset_free(td);
	doc_free(dc);
	diag_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_typeset_stats st;

	fuzz_typeset_one(data, size, &st);
	if (st.typeset && st.pages < 1)
		BUG("a typeset document without pages");
	if (st.strays)
		BUG("%zu text boxes not in the texts given, the first \"%s\"",
		    st.strays, st.stray);
	return 0;
}
