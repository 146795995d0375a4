/* typeset.c: document tree + fonts -> pages of positioned boxes.
 *
 * Three stages. Each block becomes rows (a row is a line of text, a table
 * row, an image...) laid out at the width of the text area; a row carries
 * its boxes relative to its top, whether the page may break after it, and
 * the footnotes it refers to. Pagination then fills pages with rows,
 * moving chains of rows that must stay together, reserving room for the
 * footnotes of each page and repeating table headers. Last, each page gets
 * its header, footer and page number, and the bookmarks their pages.
 *
 * The stages run as a stream (typeset_stream_*): blocks come in pieces,
 * rows are paginated as soon as nothing still to come can change where
 * they go, and a finished page goes to a sink. typeset_run is the same
 * stream fed once, keeping its pages.
 *
 * In this file, in order: the style sheet; characters of a paragraph and
 * text into characters (runs by script and font); text that does not
 * fit (the overflow reports); line breaking (break_para); boxes and rows
 * (a paragraph's lines into a row each); images; blocks into rows (the
 * kinds with rows of their own: tables a row at a time, table_row; fact
 * rows); bar charts; a block of any kind into rows (block_rows, which
 * dispatches and keeps what carries over to the next block); footnotes;
 * pagination (paginate, place_row); header, footer and page numbers;
 * the stage (typeset_stream_*, typeset_run and the measuring helpers). */
#include "typeset.h"
#include "diag.h"
#include "doc.h"
#include "font.h"
#include "sbuf.h"
#include "typeset-private.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>

/* ---- the style sheet, in points ---- */

#define BODY_SIZE   10.5
#define BODY_LEAD   14.5
#define PARA_GAP     6.0
#define SMALL_SIZE   8.0
#define SMALL_LEAD  10.5
#define TABLE_SIZE   9.0
#define TABLE_LEAD  12.0
#define CELL_PAD_X   4.0
#define CELL_PAD_Y   3.0
#define FACT_GAP     2.5
#define LIST_INDENT 18.0
#define NOTE_GAP    10.0 /* between text and the footnote rule */
#define SUPER_SCALE  0.62
#define SUPER_RISE   0.38
#define SMALL_SCALE  0.85
#define EPS          1e-6
#define MAX_HEADING_LINES 3 /* more is reported as not fitting */
#define MAX_LABEL_LINES   3 /* of a fact label */

struct heading_style { double size, lead, before, after; };
static const struct heading_style heading_styles[4] = {
	{ 0, 0, 0, 0 },
	{ 17.0, 21.0, 16.0, 8.0 },
	{ 13.0, 16.5, 14.0, 5.0 },
	{ 11.0, 14.0, 10.0, 3.0 },
};

/* ---- characters of a paragraph ---- */

struct pchar {
	uint32_t cp;
	const font_face *face;
	enum font_style style;
	double size, rise, w; /* points */
	const char *uri;      /* a link: uri, or dest and/or file */
	const char *dest, *file;
	const char *source;   /* where the text came from, for diagnostics */
	int note;             /* footnote id whose marker this is, or 0 */
	unsigned char brk;    /* break before: 0 no, 1 allowed, 2 mandatory */
	unsigned char space;  /* U+0020: stretches when justified */
	unsigned char invis;  /* not drawn: soft hyphen, ZWSP, line feed */
	unsigned char hl;     /* DOC_HIGHLIGHT */
};

struct para {
	struct pchar *c;
	size_t n, alloc;
};

struct line {
	size_t start, end, next; /* [start, end) drawn; next line at next */
	int hyphen;              /* draw a hyphen after end */
	int hard;                /* ended by a mandatory break or the end */
	double width;            /* natural width, hyphen included */
};

/* ---- rows and pages ---- */

struct row {
	double h, gap;        /* height; space above unless first on a page */
	int keep_next;        /* no page break after this row */
	int brk_before;       /* page break before this row */
	struct ts_box *box;   /* y: down from the row's top; see rebase() */
	size_t nbox, abox;
	int *notes;
	size_t nnotes, anotes;
	int table;            /* 1 + index of its table, 0 for none */
	int header;           /* a header row of its table */
	int outline_level;    /* a heading's first row: its bookmark */
	char *outline_title;
	char *anchor;         /* a named destination at this row; owned */
};

struct rows {
	struct row *v;
	size_t n, alloc;
};

struct table_info {
	struct rows head; /* copies of the header rows, repeated */
};

/* The table whose cells are coming. Its rows are set one at a time, as
 * their cells arrive; the cells of a row cut by the end of a feed are
 * held as copies, since the caller drops the blocks. */
struct open_table {
	int tid;                      /* 1 + index into ts->tables; 0: none */
	size_t ncols, header_rows, rn;/* rn: rows set so far */
	double *cw, *cx;              /* column widths and left edges */
	double gap;                   /* the space before the table */
	const struct doc_text **cell; /* the row being collected, ncols */
	struct doc_text *held;        /* copies that cell[] may point to */
	size_t ncell;
};

struct ts;

struct pager {
	struct ts *ts;
	struct ts_page *page;
	double cursor;   /* used height from the top of the text area */
	double notes_h;  /* height reserved for footnotes, rule included */
	int *notes;      /* footnote ids on this page */
	size_t nnotes, anotes;
	int fresh;       /* nothing but repeated headers on the page */
	int last_table;  /* the table of the last row placed */
};

struct ts {
	const doc *doc;       /* the blocks being fed; between feeds the
			       * settings copy below */
	doc *settings;        /* language, hyphenation, page texts: a copy,
			       * for what is set after a feed (furniture) */
	const font_set *fs;
	struct diag *d;
	typeset_doc *td;
	UBreakIterator *bi;
	int own_bi;           /* bi is ours to close, not the thread's */
	const font_hyph *hyph[FONT_NSCRIPTS];
	int lang_script;
	double measure, left, top, bottom, body_h;
	struct rows rows;     /* not yet paginated */
	struct table_info *tables;
	size_t ntables, atables;
	struct rows *notes;   /* laid-out footnotes, per id - 1 */
	double *note_h;
	size_t nnotes;        /* how many are laid out */
	char **note_label;    /* copies of the notes' labels, per id - 1 */
	size_t nlabels;
	int err;
	const char *box_kind; /* what is being set, for overflow warnings;
			       * NULL: none are reported */

	/* Blocks into rows: what one block leaves for the next, kept
	 * across feeds. */
	double gap;           /* space before the next block */
	int brk;              /* a page break before the next row */
	size_t keep_from[16], nkeep; /* open keep groups: first rows */
	struct { int kind, count; } lists[8];
	size_t nlists;
	struct open_table tab;

	/* Pagination. */
	struct pager pg;
	int keep;             /* keep the pages; furniture at the end */
	struct typeset_sink sink;
	size_t num_w_for;     /* num_w is the widest page number of */
	double num_w;         /* num_w_for pages */
};

static double fmax2(double a, double b) { return a > b ? a : b; }

/* ---- text into characters ---- */

static enum font_style style_for(enum font_style base, unsigned bits)
{
	if (base == FONT_HEADING)
		return FONT_HEADING;
	if ((bits & DOC_BOLD) && (bits & DOC_ITALIC))
		return FONT_BOLDITALIC;
	if (bits & DOC_BOLD)
		return FONT_BOLD;
	if (bits & DOC_ITALIC)
		return FONT_ITALIC;
	return base;
}

static int is_invisible(uint32_t cp)
{
	return cp == 0xAD || cp == 0x200B || cp == 0x200C || cp == 0x200D ||
	       cp == 0x2060 || cp == 0xFEFF || cp == '\n';
}

/* Append the characters of one string in one style to p. Checks UTF-8
 * and characters that cannot be drawn at all; fonts are chosen later,
 * once the script of every character is known. */
static int add_text(struct ts *ts, struct para *p, const char *s,
		    enum font_style style, double size, double rise,
		    const char *uri, int note, const char *source)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	struct diag_loc at = { source, 0, 0 };

	while (i < n) {
		uint32_t cp;
		int k = utf8_decode(u + i, n - i, &cp);
		struct pchar *c;

		if (!k)
			return diag_error(ts->d, at, "text is not valid UTF-8 "
					  "at byte %zu", i);
		i += (size_t)k;
		if (cp == '\r')
			continue;
		if (cp == '\t')
			cp = ' ';
		if ((cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp < 0xA0))
			return diag_error(ts->d, at, "control character U+%04X "
					  "in text", (unsigned)cp);
		if (cp > 0xFFFF)
			return diag_error(ts->d, at, "character U+%04X is outside "
					  "the Basic Multilingual Plane, which "
					  "the PDF fonts cannot draw",
					  (unsigned)cp);
		ALLOC_GROW(p->c, p->n + 1, p->alloc);
		c = &p->c[p->n++];
		memset(c, 0, sizeof(*c));
		c->cp = cp;
		c->style = style;
		c->size = size;
		c->rise = rise;
		c->uri = uri;
		c->note = note;
		c->space = cp == ' ';
		c->invis = is_invisible(cp);
		c->source = source;
	}
	return 0;
}

/* Add rich spans in a base style and size. Footnote markers become their
 * label, superscript. */
static int add_spans(struct ts *ts, struct para *p, const struct doc_text *t,
		     enum font_style base, double size)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct doc_rspan *s = &t->v[i];
		double sz = size, rise = 0;
		const char *text = s->text;

		if (s->footnote) {
			if (s->footnote < 1 || (size_t)s->footnote > ts->nlabels)
				BUG("footnote %d does not exist", s->footnote);
			text = ts->note_label[s->footnote - 1];
		}
		if (s->style & DOC_SMALL)
			sz *= SMALL_SCALE;
		if ((s->style & DOC_SUPER) || s->footnote) {
			rise = sz * SUPER_RISE;
			sz *= SUPER_SCALE;
		}
		{
			size_t from = p->n;
			const char *uri = s->uri;
			if (!uri && (s->dest || s->file))
				uri = "";
			if (add_text(ts, p, text, style_for(base, s->style), sz,
				     rise, uri, s->footnote, s->source) < 0)
				return -1;
			for (size_t k = from; k < p->n; k++) {
				if (!s->uri) {
					p->c[k].dest = s->dest;
					p->c[k].file = s->file;
				}
				p->c[k].hl = (s->style & DOC_HIGHLIGHT) != 0;
			}
		}
	}
	return 0;
}

static int str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Whether two characters link to the same place (or both nowhere). */
static int same_link(const struct pchar *a, const char *uri, const char *dest,
		     const char *file)
{
	return str_same(a->uri, uri) && str_same(a->dest, dest) &&
	       str_same(a->file, file);
}

/* ---- text that does not fit ---- */

/* Report text that had to be cut, shrunk or wrapped beyond its box: a
 * warning at the span's source, "KIND: text does not fit: WHAT: TEXT",
 * kept in the result for typeset_overflow(). The same report is made
 * once. */
static void overflow(const struct ts *ts, const char *kind, const char *source,
		     const char *text, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void overflow(const struct ts *ts, const char *kind, const char *source,
		     const char *text, const char *fmt, ...)
{
	typeset_doc *td = ts->td;
	struct sbuf what = SBUF_INIT;
	va_list ap;

	if (!kind || !td)
		return;
	va_start(ap, fmt);
	sbuf_vaddf(&what, fmt, ap);
	va_end(ap);
	if (text) {
		sbuf_addstr(&what, ": ");
		sbuf_addstr(&what, diag_quote(text, 40));
	}
	for (size_t i = 0; i < td->nover; i++)
		if (!strcmp(td->over[i].kind, kind) &&
		    str_same(td->over[i].source, source) &&
		    !strcmp(td->over[i].what, what.buf)) {
			sbuf_release(&what);
			return;
		}
	diag_warning(ts->d, (struct diag_loc){ source, 0, 0 },
		     "%s: text does not fit: %s", kind, what.buf);
	if (td->nover >= 1000) {
		sbuf_release(&what);
		return;
	}
	ALLOC_GROW(td->over, td->nover + 1, td->aover);
	td->over[td->nover].kind = xstrdup(kind);
	td->over[td->nover].source = source ? xstrdup(source) : NULL;
	td->over[td->nover].what = sbuf_detach(&what, NULL);
	td->over[td->nover].page = (size_t)-1;
	td->nover++;
}

/* The UTF-8 text of characters [a, b) of p (the caller frees). */
static char *para_text(const struct para *p, size_t a, size_t b)
{
	struct sbuf sb = SBUF_INIT;
	for (size_t i = a; i < b && i < p->n; i++) {
		char u8[4];
		int k = utf8_encode(p->c[i].cp, u8);
		sbuf_add(&sb, u8, (size_t)k);
	}
	return sbuf_detach(&sb, NULL);
}

/* Choose each character's face: its script's chain, where digits,
 * punctuation and spaces take the script of the letters before them (or
 * after them, at the start), so "Երևան, 2023" keeps its comma and digits
 * next to the Armenian text in the font that the Armenian chain names for
 * them. Then its break opportunities from ICU. */
static int finish_para(struct ts *ts, struct para *p)
{
	int cur = -1;
	UChar *u16;
	UErrorCode e = U_ZERO_ERROR;
	int32_t pos;

	for (size_t i = 0; i < p->n; i++) {
		struct pchar *c = &p->c[i];
		const char *source = c->source;
		int sc = font_script_of(c->cp);
		const font_face *f;

		if (sc == FONT_COMMON) {
			sc = cur;
			for (size_t j = i + 1; sc < 0 && j < p->n; j++)
				sc = font_script_of(p->c[j].cp);
			if (sc < 0)
				sc = ts->lang_script;
		} else {
			cur = sc;
		}
		if (c->invis) {
			c->face = font_primary(ts->fs, c->style, sc);
			c->w = 0;
			continue;
		}
		f = font_lookup(ts->fs, c->style, sc, c->cp);
		for (int k = 0; !f && k < FONT_NSCRIPTS; k++)
			f = font_lookup(ts->fs, c->style, k, c->cp);
		if (!f) {
			char u8[5] = { 0 };
			utf8_encode(c->cp, u8);
			return diag_error(ts->d, (struct diag_loc){ source, 0, 0 },
					  "character U+%04X '%s' is in none of "
					  "the configured fonts", (unsigned)c->cp,
					  c->cp < 0x20 ? "?" : u8);
		}
		c->face = f;
		c->w = font_advance(f, c->cp) * c->size / 1000.0;
	}

	/* UAX #14 break opportunities; all characters are in the BMP, so one
	 * UTF-16 unit per character. */
	if (!p->n)
		return 0;
	u16 = xmalloc(p->n * sizeof(*u16));
	for (size_t i = 0; i < p->n; i++)
		u16[i] = (UChar)p->c[i].cp;
	ubrk_setText(ts->bi, u16, (int32_t)p->n, &e);
	if (U_FAILURE(e)) {
		free(u16);
		return diag_error(ts->d, (struct diag_loc){ 0 },
				  "line breaking failed: %s", u_errorName(e));
	}
	for (pos = ubrk_first(ts->bi); pos != UBRK_DONE;
	     pos = ubrk_next(ts->bi)) {
		if (pos <= 0 || (size_t)pos >= p->n)
			continue;
		p->c[pos].brk = ubrk_getRuleStatus(ts->bi) >= UBRK_LINE_HARD
			? 2 : 1;
	}
	free(u16);
	return 0;
}

/* ---- line breaking ---- */

static double width_of(const struct para *p, size_t a, size_t b)
{
	double w = 0;
	for (size_t i = a; i < b; i++)
		w += p->c[i].w;
	return w;
}

/* The end of the content of [a, b): without trailing spaces and
 * invisible characters. */
static size_t content_end(const struct para *p, size_t a, size_t b)
{
	while (b > a && (p->c[b - 1].space || p->c[b - 1].invis))
		b--;
	return b;
}

static double hyphen_width(const struct ts *ts, const struct pchar *c)
{
	const font_face *f = font_lookup(ts->fs, c->style, FONT_LATIN, '-');
	return f ? font_advance(f, '-') * c->size / 1000.0 : 0;
}

/* The hyphenation points of the word in [a, b): pts[k] is the index
 * of the character a hyphen may follow. Returns how many (at most 64).
 * Words shorter than 5 letters, with digits, in links, addresses or
 * paths, or in a script without patterns are not hyphenated; at least 2
 * letters stay before the hyphen and 3 after. */
static size_t hyphen_points(const struct ts *ts, const struct para *p,
			    size_t a, size_t b, size_t *pts)
{
	size_t ws = a, we, n, np = 0;
	int sc;
	const font_hyph *h;
	uint32_t word[64];
	unsigned char ok[64];

	/* Not in a part of a word that follows a slash or hyphen without a
	 * space. */
	if (a > 0 && !p->c[a - 1].space && !p->c[a - 1].invis)
		return 0;
	for (size_t i = a; i < b; i++)
		if (p->c[i].uri || p->c[i].cp == '/' || p->c[i].cp == '@' ||
		    p->c[i].cp == '_' || (p->c[i].cp >= '0' && p->c[i].cp <= '9'))
			return 0;
	while (ws < b && !u_isalpha((UChar32)p->c[ws].cp))
		ws++;
	we = ws;
	while (we < b && u_isalpha((UChar32)p->c[we].cp))
		we++;
	n = we - ws;
	if (n < 5 || n > ARRAY_SIZE(word))
		return 0;
	sc = font_script_of(p->c[ws].cp);
	if (sc < 0 || !(h = ts->hyph[sc]))
		return 0;
	for (size_t i = 0; i < n; i++)
		word[i] = (uint32_t)u_tolower((UChar32)p->c[ws + i].cp);
	if (!font_hyphenate(h, word, n, ok))
		return 0;
	for (size_t i = 1; i + 3 < n; i++)
		if (ok[i])
			pts[np++] = ws + i;
	return np;
}

/* The last hyphenation point of [a, b) after which the first part plus a
 * hyphen fits in room: the index to break before, or 0 for none. */
static size_t hyphen_point(const struct ts *ts, const struct para *p,
			   size_t a, size_t b, double room)
{
	size_t pts[64], np = hyphen_points(ts, p, a, b, pts), best = 0;
	for (size_t k = 0; k < np; k++) {
		double w = width_of(p, a, pts[k] + 1) + hyphen_width(ts, &p->c[a]);
		if (w > room + EPS)
			break;
		best = pts[k] + 1;
	}
	return best;
}

/* Total-fit breaking for justified paragraphs: of all ways to break at
 * the opportunities (and hyphenation points), take the one whose lines
 * need the least stretching overall, as TeX does. Greedy filling leaves
 * some lines very loose, which shows most in Armenian, where words are
 * long and never hyphenated. Returns 0 (and the caller fills greedily)
 * when some word is wider than the measure. */
struct cand {
	size_t pos;     /* the next line starts here */
	size_t end;     /* this line's content ends here */
	int hyphen, hard;
	double cost;
	long prev;
};

static size_t break_total_fit(const struct ts *ts, const struct para *p,
			      double measure, int hyphenate, double *worst,
			      struct line **out)
{
	struct cand *c = NULL;
	size_t nc = 0, ac = 0, nl = 0;
	double *W = xmalloc((p->n + 1) * sizeof(*W));
	size_t *S = xmalloc((p->n + 1) * sizeof(*S));
	double space_w = 0;
	struct line *lines;

	/* Prefix sums of widths and of stretchable spaces. */
	W[0] = 0;
	S[0] = 0;
	for (size_t i = 0; i < p->n; i++) {
		W[i + 1] = W[i] + p->c[i].w;
		S[i + 1] = S[i] + p->c[i].space;
		if (p->c[i].space && p->c[i].w > space_w)
			space_w = p->c[i].w;
	}
	if (space_w <= 0)
		space_w = BODY_SIZE * 0.25;

	ALLOC_GROW(c, nc + 1, ac);
	c[nc++] = (struct cand){ 0, 0, 0, 1, 0, -1 };
	for (size_t b = 1; b <= p->n; b++) {
		if (b < p->n && !p->c[b].brk)
			continue;
		/* Hyphenation points inside the segment that ends at b. */
		if (hyphenate) {
			size_t a = b - 1, pts[64], np;
			while (a > 0 && !p->c[a].brk)
				a--;
			np = hyphen_points(ts, p, a, content_end(p, a, b), pts);
			for (size_t k = 0; k < np; k++) {
				ALLOC_GROW(c, nc + 1, ac);
				c[nc++] = (struct cand){ pts[k] + 1, pts[k] + 1, 1, 0,
							 0, -1 };
			}
		}
		ALLOC_GROW(c, nc + 1, ac);
		c[nc].pos = b;
		c[nc].end = b;
		c[nc].hyphen = 0;
		c[nc].hard = b == p->n || p->c[b].brk == 2;
		c[nc].prev = -1;
		nc++;
	}
	for (size_t j = 1; j < nc; j++) {
		size_t e = c[j].hyphen ? c[j].end : content_end(p, 0, c[j].end);
		double hw = c[j].hyphen || (e > 0 && p->c[c[j].end - 1].cp == 0xAD)
			? hyphen_width(ts, &p->c[e ? e - 1 : 0]) : 0;
		c[j].cost = HUGE_VAL;
		for (long i = (long)j - 1; i >= 0; i--) {
			size_t s0 = c[i].pos;
			double w, slack, r, bad, dem;
			if (c[i].cost == HUGE_VAL) {
				if (c[i].hard && i < (long)j - 1)
					break;
				continue;
			}
			if (s0 >= c[j].end)
				continue;
			w = (e > s0 ? W[e] - W[s0] : 0) + hw;
			if (w > measure + EPS)
				break;
			slack = measure - w;
			if (c[j].hard) {
				bad = 0;
			} else {
				size_t ns = e > s0 ? S[e] - S[s0] : 0;
				r = ns ? slack / ((double)ns * space_w) : 10;
				bad = 100 * r * r * r;
			}
			dem = (10 + bad) * (10 + bad) + (c[j].hyphen ? 2500 : 0);
			if (c[i].cost + dem < c[j].cost) {
				c[j].cost = c[i].cost + dem;
				c[j].prev = i;
			}
			if (c[i].hard && i > 0)
				break; /* no line spans a mandatory break */
		}
	}
	if (c[nc - 1].cost == HUGE_VAL) {
		free(c);
		free(W);
		free(S);
		return 0;
	}
	for (long j = (long)nc - 1; j > 0; j = c[j].prev)
		nl++;
	lines = xmalloc(nl * sizeof(*lines));
	*worst = 0;
	for (long j = (long)nc - 1, k = (long)nl - 1; j > 0; j = c[j].prev, k--) {
		const struct cand *cj = &c[j], *ci = &c[cj->prev];
		size_t e = cj->hyphen ? cj->end : content_end(p, ci->pos, cj->end);
		int shy = !cj->hyphen && e > ci->pos && p->c[cj->end - 1].cp == 0xAD &&
			  !cj->hard;
		lines[k].start = ci->pos;
		lines[k].end = e;
		lines[k].next = cj->pos;
		lines[k].hyphen = cj->hyphen || shy;
		lines[k].hard = cj->hard;
		lines[k].width = W[e] - W[ci->pos] +
				 (lines[k].hyphen ? hyphen_width(ts, &p->c[e ? e - 1 : 0]) : 0);
		if (!cj->hard) {
			size_t ns = S[e] - S[ci->pos];
			double r = ns ? (measure - lines[k].width) /
					((double)ns * space_w) : 10;
			if (r > *worst)
				*worst = r;
		}
	}
	free(c);
	free(W);
	free(S);
	*out = lines;
	return nl;
}

/* Greedy line filling: take segments between break opportunities while
 * their content fits; a segment that does not fit is hyphenated if
 * allowed, else starts the next line; a segment wider than the whole
 * measure is cut between characters, so no line runs into the margin. */
static size_t break_para(const struct ts *ts, const struct para *p,
			 double first_measure, double measure, int hyphenate,
			 int justify, struct line **out)
{
	struct line *lines = NULL;
	size_t nl = 0, al = 0, pos = 0;
	int cut = 0;

	/* As TeX: first without hyphenation; only when some line's spaces
	 * would grow to more than twice their width, again with it. */
	if (justify && first_measure == measure && p->n) {
		double worst = 0;
		nl = break_total_fit(ts, p, measure, 0, &worst, out);
		if (nl && hyphenate && worst > 1.0) {
			struct line *l2;
			double w2;
			size_t n2 = break_total_fit(ts, p, measure, 1, &w2, &l2);
			if (n2) {
				free(*out);
				*out = l2;
				nl = n2;
			}
		}
		if (nl)
			return nl;
	}

	while (pos < p->n) {
		double m = nl ? measure : first_measure;
		double lw = 0, cw = 0;
		size_t k = pos, cend = pos, next;
		int hyphen = 0, hard = 0;

		next = p->n;
		for (;;) {
			size_t b = k + 1, ce;
			double scw, sfw;

			while (b < p->n && !p->c[b].brk)
				b++;
			ce = content_end(p, k, b);
			scw = width_of(p, k, ce);
			sfw = width_of(p, k, b);
			if (ce > k && p->c[b - 1].cp == 0xAD && b < p->n)
				scw += hyphen_width(ts, &p->c[k]);
			if (lw + scw <= m + EPS) {
				if (ce > k) {
					cw = lw + scw;
					cend = ce;
				}
				lw += sfw;
				k = b;
				if (b >= p->n || p->c[b].brk == 2) {
					hard = 1;
					next = b;
					break;
				}
				continue;
			}
			/* The segment at k does not fit. */
			if (hyphenate) {
				size_t h = hyphen_point(ts, p, k, ce, m - lw);
				if (h) {
					cend = h;
					cw = lw + width_of(p, k, h) +
					     hyphen_width(ts, &p->c[k]);
					hyphen = 1;
					next = h;
					break;
				}
			}
			if (k > pos && cend > pos) {
				next = k;
				break;
			}
			/* Alone and too wide: cut it between characters
			 * (at least one character per line). */
			{
				size_t j = k;
				double w = lw;
				while (j < ce && (j == k || w + p->c[j].w <= m + EPS))
					w += p->c[j++].w;
				cend = j;
				cw = w;
				next = j;
				/* once per paragraph: the rest of the word is
				 * broken again; nothing is lost, so the report
				 * says wrapped, not cut */
				if (ts->box_kind && j < ce && !cut) {
					char *word = para_text(p, k, ce);
					overflow(ts, ts->box_kind, p->c[k].source, word,
						 "word longer than the line (%.0f pt), "
						 "wrapped between characters", m);
					free(word);
					cut = 1;
				}
			}
			break;
		}
		if (cend > pos && p->c[cend - 1].cp == 0xAD && !hard)
			hyphen = 1, cw = width_of(p, pos, cend) +
					hyphen_width(ts, &p->c[cend - 1]);
		ALLOC_GROW(lines, nl + 1, al);
		lines[nl++] = (struct line){ pos, cend, next, hyphen, hard, cw };
		pos = next;
		/* Spaces at the start of a line after a break are dropped. */
		while (pos < p->n && p->c[pos].space && !p->c[pos].brk)
			pos++;
	}
	*out = lines;
	return nl;
}

/* ---- boxes ---- */

static struct ts_box *row_box(struct row *r, enum ts_box_kind kind)
{
	struct ts_box *b;
	ALLOC_GROW(r->box, r->nbox + 1, r->abox);
	b = &r->box[r->nbox++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

static void row_note(struct row *r, int note)
{
	for (size_t i = 0; i < r->nnotes; i++)
		if (r->notes[i] == note)
			return;
	ALLOC_GROW(r->notes, r->nnotes + 1, r->anotes);
	r->notes[r->nnotes++] = note;
}

/* Emit the boxes of one line into row r at x, baseline base (down from
 * the row top). Justified lines place each word: libharu's word spacing
 * does not apply to UTF-8 fonts. A box holds characters of one face, size
 * and link; the space after a word stays in its box, so extracted text
 * keeps its spaces. A link gets one box over all its words on the line. */
static void emit_line(const struct ts *ts, struct row *r,
		      const struct para *p, const struct line *ln, double x,
		      double base, double measure, int justify)
{
	double extra = 0, lx = x, cur_rise = 0, space_w = 0;
	size_t nspace = 0, cur = (size_t)-1, link = (size_t)-1;
	size_t hl = (size_t)-1, ul = (size_t)-1;
	const struct pchar *cur_c = NULL;
	struct sbuf sb = SBUF_INIT;

	if (justify && !ln->hard) {
		for (size_t i = ln->start; i < ln->end; i++) {
			nspace += p->c[i].space;
			if (p->c[i].space && p->c[i].w > space_w)
				space_w = p->c[i].w;
		}
		if (nspace)
			extra = (measure - ln->width) / (double)nspace;
		if (extra < 0)
			extra = 0;
		/* Ragged instead of spaces stretched to more than twice
		 * their width. */
		if (ts->doc->justify_fallback && extra > space_w)
			extra = 0;
	}
	for (size_t i = ln->start; i <= ln->end; i++) {
		const struct pchar *c = i < ln->end ? &p->c[i] : NULL;
		struct pchar hy;
		char u8[4];
		int k;

		if (!c) {
			if (!ln->hyphen)
				break;
			/* The hyphen, in the style of the last character. */
			hy = p->c[ln->end ? ln->end - 1 : 0];
			hy.cp = '-';
			hy.face = font_lookup(ts->fs, hy.style, FONT_LATIN, '-');
			hy.w = hyphen_width(ts, &hy);
			hy.space = hy.invis = 0;
			hy.note = 0;
			c = &hy;
		}
		if (c->invis || !c->face)
			continue;
		if (c->note)
			row_note(r, c->note);
		/* Highlight: a tint behind and a hairline under the text. */
		if (c->hl && hl == (size_t)-1) {
			struct ts_box *b = row_box(r, TS_RECT);
			b->x = lx;
			b->y = base + c->size * 0.28;
			b->h = c->size * 1.12;
			b->fill = 0.85;
			hl = r->nbox - 1;
			b = row_box(r, TS_RECT);
			b->x = lx;
			b->y = base + c->size * 0.16 + 0.2;
			b->h = 0.4;
			b->fill = 0;
			ul = r->nbox - 1;
		} else if (!c->hl) {
			hl = ul = (size_t)-1;
		}
		if (cur == (size_t)-1 || r->box[cur].face != c->face ||
		    r->box[cur].size != c->size || cur_rise != c->rise ||
		    !cur_c || !same_link(c, cur_c->uri, cur_c->dest, cur_c->file)) {
			struct ts_box *b;
			if (cur != (size_t)-1)
				r->box[cur].text = sbuf_detach(&sb, NULL);
			if (c->uri && (link == (size_t)-1 ||
				       !same_link(c, r->box[link].text,
						  r->box[link].dest,
						  r->box[link].file))) {
				b = row_box(r, TS_LINK);
				b->text = xstrdup(c->uri);
				b->dest = c->dest ? xstrdup(c->dest) : NULL;
				b->file = c->file ? xstrdup(c->file) : NULL;
				b->x = lx;
				b->y = base + c->size * 0.25;
				b->h = c->size * 1.1;
				link = r->nbox - 1;
			} else if (!c->uri) {
				link = (size_t)-1;
			}
			b = row_box(r, TS_TEXT);
			b->x = lx;
			b->y = base - c->rise;
			b->face = c->face;
			b->size = c->size;
			cur = r->nbox - 1;
			cur_rise = c->rise;
			cur_c = c;
		}
		k = utf8_encode(c->cp, u8);
		sbuf_add(&sb, u8, (size_t)k);
		lx += c->w;
		r->box[cur].w += c->w;
		if (link != (size_t)-1)
			r->box[link].w = lx - r->box[link].x;
		if (c->space && extra > 0) {
			/* Close the word; the next starts after the stretch. */
			r->box[cur].text = sbuf_detach(&sb, NULL);
			cur = (size_t)-1;
			lx += extra;
		}
		if (hl != (size_t)-1) {
			/* not over the stretch after the last word */
			double e = c->space ? lx - extra : lx;
			if (e - r->box[hl].x > r->box[hl].w)
				r->box[hl].w = r->box[ul].w = e - r->box[hl].x;
		}
	}
	if (cur != (size_t)-1)
		r->box[cur].text = sbuf_detach(&sb, NULL);
	sbuf_release(&sb);
}

/* ---- rows ---- */

static struct row *new_row(struct ts *ts, double h, double gap)
{
	struct row *r;
	ALLOC_GROW(ts->rows.v, ts->rows.n + 1, ts->rows.alloc);
	r = &ts->rows.v[ts->rows.n++];
	memset(r, 0, sizeof(*r));
	r->h = h;
	r->gap = gap;
	return r;
}

static void box_release(struct ts_box *b)
{
	free(b->text);
	free(b->dest);
	free(b->file);
	b->text = b->dest = b->file = NULL;
}

/* The same box with copies of its strings. */
static struct ts_box box_dup(const struct ts_box *b)
{
	struct ts_box c = *b;
	c.text = b->text ? xstrdup(b->text) : NULL;
	c.dest = b->dest ? xstrdup(b->dest) : NULL;
	c.file = b->file ? xstrdup(b->file) : NULL;
	return c;
}

static void row_release(struct row *r)
{
	for (size_t i = 0; i < r->nbox; i++)
		box_release(&r->box[i]);
	free(r->box);
	free(r->notes);
	free(r->outline_title);
	free(r->anchor);
}

static void rows_release(struct rows *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		row_release(&rs->v[i]);
	free(rs->v);
	rs->v = NULL;
	rs->n = rs->alloc = 0;
}

static void row_copy(struct row *dst, const struct row *src)
{
	*dst = *src;
	dst->box = xmalloc((src->nbox ? src->nbox : 1) * sizeof(*dst->box));
	dst->abox = src->nbox;
	for (size_t i = 0; i < src->nbox; i++)
		dst->box[i] = box_dup(&src->box[i]);
	dst->notes = NULL;
	dst->nnotes = dst->anotes = 0;
	for (size_t i = 0; i < src->nnotes; i++)
		row_note(dst, src->notes[i]);
	dst->outline_title = NULL;
	dst->outline_level = 0;
	dst->anchor = NULL;
}

/* Lay out text as lines, returned in *lines with the paragraph; the
 * caller frees both. */
static int set_text(struct ts *ts, const struct doc_text *t,
		    enum font_style base, double size, double first_measure,
		    double measure, int justify, struct para *p,
		    struct line **lines, size_t *nl)
{
	memset(p, 0, sizeof(*p));
	if (add_spans(ts, p, t, base, size) < 0 || finish_para(ts, p) < 0) {
		free(p->c);
		p->c = NULL;
		return -1;
	}
	*nl = break_para(ts, p, first_measure, measure,
			 ts->doc->hyphenate && base != FONT_HEADING, justify,
			 lines);
	return 0;
}

/* One line of plain text into row r, starting at x, or ending at x when
 * right is set; base is the baseline, down from the row top. */
static int line_into(struct ts *ts, struct row *r, const char *text,
		     enum font_style style, double size, double x, double base,
		     int right, const char *source, double measure)
{
	struct doc_rspan s = { (char *)text, NULL, (char *)source, 0, 0, NULL,
			       NULL };
	struct doc_text t = { &s, 1 };
	struct para p;
	struct line *lines;
	size_t nl;

	if (set_text(ts, &t, style, size, measure, measure, 0, &p, &lines,
		     &nl) < 0)
		return -1;
	if (nl)
		emit_line(ts, r, &p, &lines[0], right ? x - lines[0].width : x,
			  base, measure, 0);
	free(lines);
	free(p.c);
	return 0;
}

/* The width of text set on one line in style at size; -1 on error (at
 * source). */
static double natural_width(struct ts *ts, const char *text,
			    enum font_style style, double size, const char *source)
{
	struct doc_rspan s = { (char *)text, NULL, (char *)source, 0, 0, NULL,
			       NULL };
	struct doc_text t = { &s, 1 };
	struct para p = { 0 };
	double w = 0;

	if (add_spans(ts, &p, &t, style, size) < 0 || finish_para(ts, &p) < 0) {
		free(p.c);
		return -1;
	}
	for (size_t i = 0; i < p.n; i++)
		w += p.c[i].w;
	free(p.c);
	return w;
}

/* Text lines as rows at x: widow and orphan control keeps the first two
 * and the last two lines of a paragraph together. */
static int text_rows(struct ts *ts, const struct doc_text *t,
		     enum font_style base, double size, double lead,
		     double x, double measure, int justify, double gap,
		     const char *marker, double marker_x, int keep_all)
{
	struct para p;
	struct line *lines;
	size_t nl;

	if (set_text(ts, t, base, size, measure, measure, justify, &p, &lines,
		     &nl) < 0)
		return -1;
	for (size_t i = 0; i < nl; i++) {
		struct row *r = new_row(ts, lead, i ? 0 : gap);
		double base_y = lead * 0.78;
		emit_line(ts, r, &p, &lines[i], x, base_y, measure, justify);
		if (i == 0 && marker &&
		    line_into(ts, r, marker, base, size, marker_x, base_y, 1,
			      "list marker", ts->measure) < 0) {
			free(lines);
			free(p.c);
			return -1;
		}
		r->keep_next = keep_all || i < 1 || i + 2 >= nl;
	}
	if (nl && !keep_all)
		ts->rows.v[ts->rows.n - 1].keep_next = 0;
	free(lines);
	free(p.c);
	return 0;
}

/* The source of the first span that has one. */
static const char *text_source(const struct doc_text *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].source)
			return t->v[i].source;
	return NULL;
}

static char *plain_text(const struct doc_text *t)
{
	struct sbuf sb = SBUF_INIT;
	for (size_t i = 0; i < t->n; i++)
		if (!t->v[i].footnote)
			sbuf_addstr(&sb, t->v[i].text);
	return sbuf_detach(&sb, NULL);
}

/* A block of lines laid out in a column: boxes appended to r, offset by
 * (x, y); returns the height. */
static double column_into(struct ts *ts, struct row *r,
			  const struct doc_text *t, enum font_style base,
			  double size, double lead, double x, double y,
			  double measure, int *err)
{
	struct para p;
	struct line *lines;
	size_t nl;

	if (set_text(ts, t, base, size, measure, measure, 0, &p, &lines, &nl) < 0) {
		*err = -1;
		return 0;
	}
	for (size_t i = 0; i < nl; i++)
		emit_line(ts, r, &p, &lines[i], x, y + lead * i + lead * 0.78,
			  measure, 0);
	free(lines);
	free(p.c);
	return lead * (double)nl;
}

/* ---- images ---- */

/* Limits that keep memory bounded whatever the image. A JPEG is embedded
 * as it is, so its file is read whole. A PNG is decoded a row at a time
 * and scaled down on the fly to what print needs (a page at 300 dpi is
 * about 8 megapixels): what it costs is its output (3 bytes a pixel) and
 * a row; an interlaced PNG that is scaled down also needs the sums of
 * every output pixel (2 bytes a sample), as its passes each cover the
 * whole image. */
#define MAX_IMAGE_BYTES  (64L << 20)
#define MAX_IMAGE_PIXELS 50000000.0
#define MAX_EMBED_PIXELS 6000000.0

/* The last image a thread loaded, kept for the next brief of the same
 * record (a worker typesets a record's languages one after another):
 * the file as fstat saw it, and what load_image made of it. One entry
 * per thread, freed when the thread loads another image, at thread exit
 * (the key's destructor) and at exit (for the thread that calls it). */
struct image_cache {
	char *path;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
	struct ts_image im;
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static _Thread_local size_t image_decodes;

static void cache_free(void *p)
{
	struct image_cache *c = p;
	if (!c)
		return;
	free(c->path);
	free(c->im.data);
	free(c);
}

static void cache_at_exit(void)
{
	typeset_image_cache_clear();
}

static void cache_init(void)
{
	if (pthread_key_create(&cache_key, cache_free) != 0)
		BUG("cannot make the image cache's thread key");
	atexit(cache_at_exit);
}

void typeset_image_cache_clear(void)
{
	pthread_once(&cache_once, cache_init);
	cache_free(pthread_getspecific(cache_key));
	pthread_setspecific(cache_key, NULL);
}

size_t typeset_image_decodes(void)
{
	return image_decodes;
}

static int same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* A copy of the cached image when it was made from this very file: the
 * same path, device, inode, size, modification and change times. */
static int cache_get(const char *path, const struct stat *st,
		     struct ts_image *out)
{
	struct image_cache *c;

	pthread_once(&cache_once, cache_init);
	c = pthread_getspecific(cache_key);
	if (!c || strcmp(c->path, path) || c->dev != st->st_dev ||
	    c->ino != st->st_ino || c->size != st->st_size ||
	    !same_time(&c->mtime, &st->st_mtim) ||
	    !same_time(&c->ctime, &st->st_ctim))
		return 0;
	*out = c->im;
	out->data = xmalloc(c->im.len ? c->im.len : 1);
	memcpy(out->data, c->im.data, c->im.len);
	return 1;
}

/* Keep a copy of im, made from the file path (as st), replacing what the
 * thread kept before. */
static void cache_put(const char *path, const struct stat *st,
		      const struct ts_image *im)
{
	struct image_cache *c = xcalloc(1, sizeof(*c));

	typeset_image_cache_clear();
	c->path = xstrdup(path);
	c->dev = st->st_dev;
	c->ino = st->st_ino;
	c->size = st->st_size;
	c->mtime = st->st_mtim;
	c->ctime = st->st_ctim;
	c->im = *im;
	c->im.data = xmalloc(im->len ? im->len : 1);
	memcpy(c->im.data, im->data, im->len);
	if (pthread_setspecific(cache_key, c) != 0)
		cache_free(c); /* no room for the key: just not kept */
}

/* Read the rest of fp: -1 with errno (EFBIG past MAX_IMAGE_BYTES). */
static int read_all(FILE *fp, unsigned char **data, size_t *len)
{
	struct sbuf sb = SBUF_INIT;
	char buf[65536];
	size_t k;

	while ((k = fread(buf, 1, sizeof(buf), fp)) > 0) {
		sbuf_add(&sb, buf, k);
		if (sb.len > (size_t)MAX_IMAGE_BYTES) {
			sbuf_release(&sb);
			errno = EFBIG;
			return -1;
		}
	}
	if (ferror(fp)) {
		sbuf_release(&sb);
		if (!errno)
			errno = EIO;
		return -1;
	}
	*data = (unsigned char *)sbuf_detach(&sb, len);
	return 0;
}

/* The size and components of a JPEG from its SOF marker; -1 when there
 * is none or it is cut short. */
static int jpeg_info(const unsigned char *s, size_t n, unsigned *w,
		     unsigned *h, int *comp)
{
	size_t i = 2;
	if (n < 4 || s[0] != 0xFF || s[1] != 0xD8)
		return -1;
	while (i + 9 < n) {
		unsigned m, len;
		if (s[i] != 0xFF)
			return -1;
		m = s[i + 1];
		if (m == 0xFF) {
			i++;
			continue;
		}
		len = (unsigned)s[i + 2] << 8 | s[i + 3];
		if (len < 2)
			return -1;
		if ((m >= 0xC0 && m <= 0xC3) || (m >= 0xC5 && m <= 0xC7) ||
		    (m >= 0xC9 && m <= 0xCB) || (m >= 0xCD && m <= 0xCF)) {
			if (len < 8 || i + 2 + len > n)
				return -1;
			*h = (unsigned)s[i + 5] << 8 | s[i + 6];
			*w = (unsigned)s[i + 7] << 8 | s[i + 8];
			*comp = s[i + 9];
			return *w && *h ? 0 : -1;
		}
		i += 2 + len;
	}
	return -1;
}

/* Whether the JPEG ends with its end-of-image marker (allowing some
 * padding after it), i.e. was not cut short. */
static int jpeg_complete(const unsigned char *s, size_t n)
{
	size_t from = n > 4096 ? n - 4096 : 2;
	for (size_t i = n; i-- > from + 1;)
		if (s[i - 1] == 0xFF && s[i] == 0xD9)
			return 1;
	return 0;
}

/* What kind of file it is, for the message when it is no JPEG or PNG. */
static const char *image_kind(const unsigned char *s, size_t n)
{
	if (n >= 6 && (!memcmp(s, "GIF87a", 6) || !memcmp(s, "GIF89a", 6)))
		return "a GIF image";
	if (n >= 12 && !memcmp(s, "RIFF", 4) && !memcmp(s + 8, "WEBP", 4))
		return "a WebP image";
	if (n >= 4 && (!memcmp(s, "II*", 4) || !memcmp(s, "MM\0*", 4)))
		return "a TIFF image";
	if (n >= 2 && s[0] == 'B' && s[1] == 'M')
		return "a BMP image";
	if (n >= 5 && !memcmp(s, "%PDF-", 5))
		return "a PDF file";
	return "neither a JPEG nor a PNG image";
}

/* A JPEG, embedded as it is: read whole and checked (frame header, size,
 * end marker, gray or RGB). */
static int load_jpeg(struct ts *ts, struct diag_loc at, const char *q,
		     FILE *fp, struct ts_image *im)
{
	unsigned char *data;
	size_t len;

	if (read_all(fp, &data, &len) < 0) {
		if (errno == EFBIG)
			return diag_error(ts->d, at, "image %s is larger than "
					  "%ld MB", q, MAX_IMAGE_BYTES >> 20);
		return diag_error(ts->d, at, "cannot read image %s: %s", q,
				  strerror(errno));
	}
	if (jpeg_info(data, len, &im->width, &im->height,
		      &im->components) < 0) {
		free(data);
		return diag_error(ts->d, at, "image %s is not a readable "
				  "JPEG (no frame header; cut short or "
				  "corrupt)", q);
	}
	if ((double)im->width * im->height > MAX_IMAGE_PIXELS) {
		free(data);
		return diag_error(ts->d, at, "image %s is %ux%u pixels "
				  "(%.0f megapixels); at most %.0f can "
				  "be used", q, im->width, im->height,
				  (double)im->width * im->height / 1e6,
				  MAX_IMAGE_PIXELS / 1e6);
	}
	if (!jpeg_complete(data, len)) {
		free(data);
		return diag_error(ts->d, at, "JPEG image %s is cut short "
				  "(no end-of-image marker)", q);
	}
	if (im->components != 1 && im->components != 3) {
		free(data);
		return diag_error(ts->d, at, "JPEG image %s has %d "
				  "colour components; save it as RGB "
				  "or grayscale", q, im->components);
	}
	im->jpeg = 1;
	im->data = data;
	im->len = len;
	return 0;
}

/* A PNG being decoded: libpng gives rows of 8-bit RGBA (of a pass, when
 * interlaced), composed here on white into the output, or, when it is
 * scaled down by f, summed into the f x f blocks of band output rows
 * (one when the rows come in order; all of them when interlaced). */
struct png_read {
	FILE *fp;
	png_structp png;
	png_infop info;
	unsigned w, h, f, nw, nh, band;
	unsigned char *row;   /* w pixels of RGBA */
	uint16_t *acc;        /* band x nw sums of RGB; f > 1 only */
	unsigned char *out;   /* nw x nh pixels of RGB */
	int too_big;          /* more than MAX_IMAGE_PIXELS */
	char msg[200];        /* libpng's error */
};

static void png_fail(png_structp png, png_const_charp msg)
{
	struct png_read *pr = png_get_error_ptr(png);
	snprintf(pr->msg, sizeof(pr->msg), "%s", msg);
	png_longjmp(png, 1);
}

/* libpng warns about ancillary chunks it skips (a wrong colour profile,
 * a bad checksum outside the pixels); the pixels drawn are the same. */
static void png_warn(png_structp png, png_const_charp msg)
{
}

/* Pixels of pr->row (n of them, the i-th at column x0 + i * dx) as row y
 * of the image. */
static void png_put_row(struct png_read *pr, unsigned y, unsigned x0,
			unsigned dx, unsigned n)
{
	const unsigned char *px = pr->row;
	unsigned char *o = pr->out + (size_t)y * pr->nw * 3;
	uint16_t *a = pr->acc ? pr->acc + (size_t)(y / pr->f % pr->band) *
					      pr->nw * 3 : NULL;

	for (unsigned i = 0, x = x0; i < n; i++, x += dx, px += 4) {
		unsigned al = px[3];
		for (unsigned k = 0; k < 3; k++) {
			/* on white: c * alpha + 255 * (1 - alpha) */
			unsigned c = al == 255 ? px[k] :
				(px[k] * al + 255 * (255 - al) + 127) / 255;
			if (a)
				a[(size_t)(x / pr->f) * 3 + k] += (uint16_t)c;
			else
				o[(size_t)x * 3 + k] = (unsigned char)c;
		}
	}
}

/* Output row oy: the averages of its blocks, whose sums are acc's row br
 * (blocks at the right and bottom edges may be smaller). */
static void png_flush_row(struct png_read *pr, unsigned oy, unsigned br)
{
	const uint16_t *a = pr->acc + (size_t)br * pr->nw * 3;
	unsigned char *o = pr->out + (size_t)oy * pr->nw * 3;
	unsigned f = pr->f;
	unsigned bh = pr->h - oy * f < f ? pr->h - oy * f : f;

	for (unsigned ox = 0; ox < pr->nw; ox++) {
		unsigned bw = pr->w - ox * f < f ? pr->w - ox * f : f;
		unsigned cnt = bw * bh;
		for (unsigned k = 0; k < 3; k++)
			o[ox * 3 + k] = (unsigned char)((a[ox * 3 + k] + cnt / 2) /
							cnt);
	}
}

/* Decode pr->fp into pr->out (0), or -1 with pr->msg or pr->too_big. The
 * caller frees what pr holds either way. */
static int png_decode(struct png_read *pr)
{
	png_structp png = pr->png;
	png_infop info = pr->info;
	int interlaced;

	if (setjmp(png_jmpbuf(png)))
		return -1;
	png_init_io(png, pr->fp);
	png_read_info(png, info);
	pr->w = png_get_image_width(png, info);
	pr->h = png_get_image_height(png, info);
	if ((double)pr->w * pr->h > MAX_IMAGE_PIXELS) {
		pr->too_big = 1;
		return -1;
	}
	interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;

	/* 8-bit RGBA whatever the file: palette, low-bit gray and tRNS
	 * expanded, 16 bits scaled, gray made RGB, an alpha added when
	 * there is none; a file gamma other than sRGB's is corrected to
	 * it. No interlace handling: an interlaced file comes as its seven
	 * passes, each a smaller image whose pixels go to their places. */
	png_set_alpha_mode(png, PNG_ALPHA_PNG, PNG_DEFAULT_sRGB);
	png_set_expand(png);
	png_set_scale_16(png);
	png_set_gray_to_rgb(png);
	png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
	png_read_update_info(png, info);
	if (png_get_rowbytes(png, info) != (size_t)pr->w * 4)
		BUG("PNG rows of %zu bytes for %u pixels",
		    (size_t)png_get_rowbytes(png, info), pr->w);

	/* The factor that brings it to MAX_EMBED_PIXELS or less; with the
	 * limits above it is at most 3, so a block's sum (f * f * 255)
	 * fits 16 bits. */
	pr->f = 1;
	if ((double)pr->w * pr->h > MAX_EMBED_PIXELS)
		pr->f = (unsigned)ceil(sqrt((double)pr->w * pr->h /
					    MAX_EMBED_PIXELS));
	if (pr->f > 16)
		BUG("PNG scaled down by %u", pr->f);
	pr->nw = (pr->w + pr->f - 1) / pr->f;
	pr->nh = (pr->h + pr->f - 1) / pr->f;
	pr->row = xmalloc((size_t)pr->w * 4);
	pr->out = xmalloc((size_t)pr->nw * pr->nh * 3);
	if (pr->f > 1) {
		pr->band = interlaced ? pr->nh : 1;
		pr->acc = xcalloc((size_t)pr->band * pr->nw * 3,
				  sizeof(*pr->acc));
	}

	if (!interlaced) {
		for (unsigned y = 0; y < pr->h; y++) {
			png_read_row(png, pr->row, NULL);
			png_put_row(pr, y, 0, 1, pr->w);
			if (pr->f > 1 && ((y + 1) % pr->f == 0 || y + 1 == pr->h)) {
				png_flush_row(pr, y / pr->f, 0);
				memset(pr->acc, 0, (size_t)pr->nw * 3 *
				       sizeof(*pr->acc));
			}
		}
		return 0;
	}
	/* libpng skips the passes that are empty for small images. */
	for (int pass = 0; pass < 7; pass++) {
		unsigned cols = PNG_PASS_COLS(pr->w, pass);
		unsigned rows = PNG_PASS_ROWS(pr->h, pass);
		if (!cols || !rows)
			continue;
		for (unsigned py = 0; py < rows; py++) {
			png_read_row(png, pr->row, NULL);
			png_put_row(pr, PNG_ROW_FROM_PASS_ROW(py, pass),
				    PNG_PASS_START_COL(pass),
				    1u << PNG_PASS_COL_SHIFT(pass), cols);
		}
	}
	for (unsigned oy = 0; pr->f > 1 && oy < pr->nh; oy++)
		png_flush_row(pr, oy, oy);
	return 0;
}

/* A PNG of any depth, interlacing or transparency: decoded to 8-bit RGB
 * on white, scaled down above MAX_EMBED_PIXELS. */
static int load_png(struct ts *ts, struct diag_loc at, const char *q,
		    FILE *fp, struct ts_image *im)
{
	struct png_read pr;
	int r;

	memset(&pr, 0, sizeof(pr));
	pr.fp = fp;
	pr.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &pr,
					png_fail, png_warn);
	if (!pr.png || !(pr.info = png_create_info_struct(pr.png)))
		BUG("out of memory for libpng");
	r = png_decode(&pr);
	png_destroy_read_struct(&pr.png, &pr.info, NULL);
	free(pr.row);
	free(pr.acc);
	if (r < 0) {
		/* no output yet: the header or what precedes the pixels */
		int header = !pr.out;
		free(pr.out);
		if (pr.too_big)
			return diag_error(ts->d, at, "image %s is %ux%u pixels "
					  "(%.0f megapixels); at most %.0f can "
					  "be used", q, pr.w, pr.h,
					  (double)pr.w * pr.h / 1e6,
					  MAX_IMAGE_PIXELS / 1e6);
		if (header)
			return diag_error(ts->d, at, "image %s is not a readable "
					  "PNG: %s", q, pr.msg);
		return diag_error(ts->d, at, "cannot decode PNG image %s: %s",
				  q, pr.msg);
	}
	im->width = pr.nw;
	im->height = pr.nh;
	im->components = 3;
	im->data = pr.out;
	im->len = (size_t)pr.nw * pr.nh * 3;
	return 0;
}

/* Load an image for PDF output: a JPEG as it is (gray or RGB), a PNG
 * decoded (load_png). An empty, cut-short, corrupt or oversized file,
 * or one of another kind, is an error naming the image and its source;
 * the dimensions are checked before anything is decoded. The same file
 * loaded again by the same thread is served from its cache. */
static int load_image(struct ts *ts, const struct doc_block *b, size_t *idx)
{
	struct diag_loc at = { b->source ? b->source : b->path, 0, 0 };
	struct ts_image im = { 0 };
	typeset_doc *td = ts->td;
	unsigned char sig[16];
	struct stat st;
	size_t nsig;
	char q[600];
	FILE *fp;
	int fd, r;

	snprintf(q, sizeof(q), "'%s'", diag_quote(b->path, 80));
	/* Not a device or a pipe, which could block or never end: opened
	 * without waiting for a writer, and only read when regular. */
	fd = open(b->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return diag_error(ts->d, at, "cannot read image %s: %s", q,
				  strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return diag_error(ts->d, at, "image %s is not a regular file",
				  q);
	}
	if (st.st_size > MAX_IMAGE_BYTES) {
		close(fd);
		return diag_error(ts->d, at, "image %s is larger than %ld MB",
				  q, MAX_IMAGE_BYTES >> 20);
	}
	if (cache_get(b->path, &st, &im)) {
		close(fd);
		goto have;
	}
	/* Nothing of the last image is held while this one is decoded. */
	typeset_image_cache_clear();
	if (fcntl(fd, F_SETFL, 0) < 0 || !(fp = fdopen(fd, "rb"))) {
		int e = errno;
		close(fd);
		return diag_error(ts->d, at, "cannot read image %s: %s", q,
				  strerror(e));
	}
	image_decodes++;
	nsig = fread(sig, 1, sizeof(sig), fp);
	if (ferror(fp)) {
		int e = errno ? errno : EIO;
		fclose(fp);
		return diag_error(ts->d, at, "cannot read image %s: %s", q,
				  strerror(e));
	}
	rewind(fp);
	if (!nsig) {
		r = diag_error(ts->d, at, "image %s is an empty file", q);
	} else if (nsig > 3 && sig[0] == 0xFF && sig[1] == 0xD8 &&
		   sig[2] == 0xFF) {
		r = load_jpeg(ts, at, q, fp, &im);
	} else if (nsig >= 8 && !memcmp(sig, "\x89PNG\r\n\x1A\n", 8)) {
		r = load_png(ts, at, q, fp, &im);
	} else {
		r = diag_error(ts->d, at, "image %s is %s; only JPEG and PNG "
			       "images can be used", q, image_kind(sig, nsig));
	}
	fclose(fp);
	if (r < 0)
		return -1;
	cache_put(b->path, &st, &im);
have:
	ALLOC_GROW(td->images, td->nimages + 1, td->aimages);
	td->images[td->nimages] = im;
	*idx = td->nimages++;
	return 0;
}

/* ---- blocks into rows ---- */

/* A table row of more than four lines becomes a row per line, so that
 * a long cell can continue on the next page (under the repeated header);
 * its first two and last two lines stay together. Boxes go to the line
 * they lie on; footnotes stay with the first line. */
static void split_row(struct ts *ts, size_t ri, double lead, double pad)
{
	struct row r = ts->rows.v[ri];
	size_t n = (size_t)((r.h - 2 * pad) / lead + 0.5);

	if (n <= 4 || ri + 1 != ts->rows.n)
		return;
	ts->rows.n--;
	for (size_t i = 0; i < n; i++) {
		double top = i ? pad + lead * (double)i : 0;
		double h = lead + (i == 0 ? pad : 0) + (i + 1 == n ? pad : 0);
		struct row *sub = new_row(ts, h, i ? 0 : r.gap);
		sub->table = r.table;
		sub->keep_next = i + 1 < n ? (i < 1 || i + 2 >= n) : r.keep_next;
		for (size_t k = 0; k < r.nbox; k++) {
			struct ts_box *b = &r.box[k];
			size_t line;
			double at = b->kind == TS_RECT || b->kind == TS_LINK
				? b->y - b->h / 2 : b->y; /* its middle */
			if (b->kind == TS_RULE)
				line = b->y <= 0 ? 0 : n - 1;
			else
				line = at <= pad ? 0 : (size_t)((at - pad) / lead);
			if (line >= n)
				line = n - 1;
			if (line != i)
				continue;
			*row_box(sub, b->kind) = *b;
			sub->box[sub->nbox - 1].y -= top;
			b->text = b->dest = b->file = NULL; /* moved */
		}
		if (i == 0)
			for (size_t k = 0; k < r.nnotes; k++)
				row_note(sub, r.notes[k]);
	}
	row_release(&r);
}

/* A copy of a cell's text, for a row cut by the end of a feed. */
static struct doc_text text_dup(const struct doc_text *t)
{
	struct doc_text c = { NULL, t->n };
	if (!t->n)
		return c;
	c.v = xcalloc(t->n, sizeof(*c.v));
	for (size_t i = 0; i < t->n; i++) {
		const struct doc_rspan *s = &t->v[i];
		c.v[i] = *s;
		c.v[i].text = xstrdup(s->text);
		c.v[i].uri = s->uri ? xstrdup(s->uri) : NULL;
		c.v[i].source = s->source ? xstrdup(s->source) : NULL;
		c.v[i].dest = s->dest ? xstrdup(s->dest) : NULL;
		c.v[i].file = s->file ? xstrdup(s->file) : NULL;
	}
	return c;
}

static void text_drop(struct doc_text *t)
{
	doc_text_release(t);
	t->v = NULL;
	t->n = 0;
}

/* Drop the cells collected for the next row (copies freed). */
static void table_cells_drop(struct open_table *ot)
{
	for (size_t c = 0; c < ot->ncell; c++)
		if (ot->cell[c] == &ot->held[c])
			text_drop(&ot->held[c]);
	ot->ncell = 0;
}

/* Keep the cells of a row cut by the end of a feed. */
static void table_cells_hold(struct open_table *ot)
{
	for (size_t c = 0; c < ot->ncell; c++)
		if (ot->cell[c] != &ot->held[c]) {
			ot->held[c] = text_dup(ot->cell[c]);
			ot->cell[c] = &ot->held[c];
		}
}

static void table_forget(struct open_table *ot)
{
	if (ot->cell)
		table_cells_drop(ot);
	free(ot->cw);
	free(ot->cx);
	free(ot->cell);
	free(ot->held);
	memset(ot, 0, sizeof(*ot));
}

static void table_open(struct ts *ts, const struct doc_block *tb)
{
	struct open_table *ot = &ts->tab;
	size_t nc = tb->ncols;
	double total = 0;

	ot->ncols = nc;
	ot->header_rows = tb->header_rows;
	ot->rn = 0;
	ot->gap = ts->gap;
	ot->cw = xmalloc(nc * sizeof(*ot->cw));
	ot->cx = xmalloc(nc * sizeof(*ot->cx));
	ot->cell = xcalloc(nc, sizeof(*ot->cell));
	ot->held = xcalloc(nc, sizeof(*ot->held));
	ot->ncell = 0;
	for (size_t i = 0; i < nc; i++)
		total += tb->widths[i];
	for (size_t i = 0; i < nc; i++)
		ot->cw[i] = ts->measure * tb->widths[i] / total;
	ot->cx[0] = ts->left;
	for (size_t i = 1; i < nc; i++)
		ot->cx[i] = ot->cx[i - 1] + ot->cw[i - 1];
	ALLOC_GROW(ts->tables, ts->ntables + 1, ts->atables);
	memset(&ts->tables[ts->ntables++], 0, sizeof(*ts->tables));
	ot->tid = (int)ts->ntables;
}

/* The row of the cells collected (fewer than ncols only for the last
 * row of a table cut short). */
static int table_row(struct ts *ts)
{
	struct open_table *ot = &ts->tab;
	struct table_info *ti = &ts->tables[ot->tid - 1];
	size_t rn = ot->rn++;
	int header = rn < ot->header_rows;
	/* The first row keeps the space before the table. */
	struct row *r = new_row(ts, 0, rn ? 0 : fmax2(ot->gap, PARA_GAP + 2));
	double h = 0;
	int err = 0;
	size_t ri = ts->rows.n - 1;

	ts->box_kind = "table cell";
	for (size_t c = 0; c < ot->ncell; c++) {
		double ch = column_into(ts, &ts->rows.v[ri], ot->cell[c],
					header ? FONT_BOLD : FONT_BODY,
					TABLE_SIZE, TABLE_LEAD,
					ot->cx[c] + CELL_PAD_X, CELL_PAD_Y,
					ot->cw[c] - 2 * CELL_PAD_X, &err);
		if (err)
			return -1;
		h = fmax2(h, ch);
	}
	r = &ts->rows.v[ri];
	r->h = h + 2 * CELL_PAD_Y;
	if (header && r->h > ts->body_h / 2) {
		char *t = plain_text(ot->cell[0]);
		overflow(ts, "table cell", text_source(ot->cell[0]), t,
			 "header row of %.0f pt, more than half the page", r->h);
		free(t);
	}
	table_cells_drop(ot);
	r->table = ot->tid;
	r->header = header;
	r->keep_next = header;
	/* Rules: heavy above the header and below the table, light
	 * between rows, medium under the header. */
	{
		struct ts_box *b = row_box(r, TS_RULE);
		b->x = ts->left;
		b->w = ts->measure;
		b->y = r->h;
		b->lw = header && rn + 1 == ot->header_rows ? 0.6 : 0.25;
		if (rn == 0) {
			b = row_box(r, TS_RULE);
			b->x = ts->left;
			b->w = ts->measure;
			b->y = 0;
			b->lw = 0.9;
		}
	}
	if (header) {
		struct row *h0;
		int has_top = 0;
		ALLOC_GROW(ti->head.v, ti->head.n + 1, ti->head.alloc);
		row_copy(&ti->head.v[ti->head.n++], r);
		ti->head.v[ti->head.n - 1].gap = 0;
		/* The repeated header starts with the heavy rule. */
		h0 = &ti->head.v[0];
		for (size_t i = 0; i < h0->nbox; i++)
			if (h0->box[i].kind == TS_RULE && h0->box[i].y == 0)
				has_top = 1;
		if (!has_top) {
			struct ts_box *b = row_box(h0, TS_RULE);
			b->x = ts->left;
			b->w = ts->measure;
			b->lw = 0.9;
		}
	} else {
		split_row(ts, ri, TABLE_LEAD, CELL_PAD_Y);
	}
	return 0;
}

/* The end of the open table: its last row (the cells of a row cut
 * short) and the heavier rule under it. The last row is never paginated
 * before this (see paginate). */
static int table_close(struct ts *ts)
{
	struct open_table *ot = &ts->tab;
	int tid = ot->tid;

	if (!tid)
		return 0;
	if (ot->ncell && table_row(ts) < 0)
		return -1;
	if (ts->rows.n && ts->rows.v[ts->rows.n - 1].table == tid) {
		struct row *last = &ts->rows.v[ts->rows.n - 1];
		for (size_t i = 0; i < last->nbox; i++)
			if (last->box[i].kind == TS_RULE &&
			    last->box[i].y == last->h)
				last->box[i].lw = 0.9;
		last->keep_next = 0;
	}
	table_forget(ot);
	ts->gap = PARA_GAP + 4;
	return 0;
}

static int fact_row(struct ts *ts, const struct doc_block *b, double gap)
{
	struct row *r = new_row(ts, 0, gap);
	size_t ri = ts->rows.n - 1;
	double lw = ts->measure * 0.30, h1, h2;
	int err = 0;

	ts->box_kind = "fact label";
	h1 = column_into(ts, &ts->rows.v[ri], &b->text, FONT_BOLD, TABLE_SIZE + 0.5,
			 TABLE_LEAD + 0.5, ts->left, 0, lw - 8, &err);
	if (err)
		return -1;
	if (h1 > (TABLE_LEAD + 0.5) * MAX_LABEL_LINES + EPS) {
		char *t = plain_text(&b->text);
		overflow(ts, "fact label", text_source(&b->text), t,
			 "wrapped to %.0f lines (at most %d)",
			 h1 / (TABLE_LEAD + 0.5), MAX_LABEL_LINES);
		free(t);
	}
	ts->box_kind = "fact value";
	h2 = column_into(ts, &ts->rows.v[ri], &b->value, FONT_BODY,
			 TABLE_SIZE + 0.5, TABLE_LEAD + 0.5, ts->left + lw, 0,
			 ts->measure - lw, &err);
	if (err)
		return -1;
	r = &ts->rows.v[ri];
	r->h = fmax2(h1, h2);
	r->keep_next = 1;
	return 0;
}

/* ---- bar charts ---- */

/* Series are told apart without colour: grey levels and hatching, all
 * outlined; text is never set on a fill (only on white tabs). No two
 * looks share both grey and hatching, and neighbours differ in both
 * where they can (seven statuses make seven series). */
static const struct { double fill; int hatch; } series_look[DOC_CHART_MAX_SERIES] = {
	{ 0.30, HATCH_NONE }, { 1.00, HATCH_DIAG }, { 0.72, HATCH_NONE },
	{ 1.00, HATCH_CROSS }, { 0.50, HATCH_NONE }, { 0.90, HATCH_BACK },
	{ 1.00, HATCH_HORIZ }, { 0.62, HATCH_DIAG },
};

#define CHART_SIZE   8.5
#define CHART_LEAD  11.0
#define CHART_OUTLINE 0.5

/* A number as the chart prints it, whatever the C locale: decimals
 * digits after the point (a comma in Russian and Armenian), digits
 * grouped by three with a no-break space from 10 000 on. */
static void chart_number(char *buf, size_t size, double v, int decimals,
			 const char *lang)
{
	long long scale = 1, n, ip, fp;
	char digits[32], *o = buf, *end = buf + size - 1;
	int nd, comma = !strcmp(lang, "ru") || !strcmp(lang, "hy");

	for (int i = 0; i < decimals; i++)
		scale *= 10;
	n = llround(v * (double)scale);
	if (n < 0)
		n = 0;
	ip = n / scale;
	fp = n % scale;
	nd = snprintf(digits, sizeof(digits), "%lld", ip);
	for (int i = 0; i < nd && o < end; i++) {
		if (i && ip >= 10000 && (nd - i) % 3 == 0) {
			if (o + 2 > end)
				break;
			*o++ = (char)0xC2;
			*o++ = (char)0xA0;
		}
		*o++ = digits[i];
	}
	if (decimals && o + 1 + decimals <= end) {
		*o++ = comma ? ',' : '.';
		for (int i = decimals - 1; i >= 0; i--) {
			o[i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		o += decimals;
	}
	*o = '\0';
}

/* A round step for about n ticks up to max: 1, 2 or 5 times a power of
 * ten, no finer than the decimals shown. */
static double nice_step(double max, int n, int decimals)
{
	double raw = max / n, mag, f, s, min = pow(10, -decimals);
	if (!(raw > 0))
		raw = 1;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	s = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
	return s < min ? min : s;
}

static double next_step(double s)
{
	double mag = pow(10, floor(log10(s) + 1e-9)), f = s / mag;
	return (f < 1.5 ? 2 : f < 3 ? 5 : 10) * mag;
}

static void chart_rect(struct row *r, double x, double top, double w, double h,
		       double fill, int hatch, double lw)
{
	struct ts_box *b = row_box(r, TS_RECT);
	b->x = x;
	b->y = top + h;
	b->w = w;
	b->h = h;
	b->fill = fill;
	b->hatch = hatch;
	b->lw = lw;
}

/* A grid line: grey, so that it reads as background, under the bars. */
#define GRID_GREY 0.62
static void chart_grid(struct row *r, double x, double top, double w,
		       double dy)
{
	if (w > 0)
		chart_rect(r, x, top - 0.2, w, 0.4, GRID_GREY, HATCH_NONE, 0);
	else
		chart_rect(r, x - 0.2, top, 0.4, dy, GRID_GREY, HATCH_NONE, 0);
}

/* A line from (x, top) to (x + w, top + dy), down from the row's top. */
static void chart_rule(struct row *r, double x, double top, double w,
		       double dy, double lw)
{
	struct ts_box *b = row_box(r, TS_RULE);
	b->x = x;
	b->y = top + dy;
	b->w = w;
	b->h = dy;
	b->lw = lw;
}

/* Text on one line, its start at x (align 0), its end (1) or its middle
 * (2); returns its width, or -1. */
static double chart_text(struct ts *ts, struct row *r, const char *text,
			 double x, double base, int align, double room,
			 const char *source)
{
	double w = natural_width(ts, text, FONT_BODY, CHART_SIZE, source);
	if (w < 0)
		return -1;
	if (align == 2)
		x -= fmin(w, room) / 2;
	if (line_into(ts, r, text, FONT_BODY, CHART_SIZE, x, base, align == 1,
		      source, room) < 0)
		return -1;
	return w;
}

/* Where the label of column i starts: centred under it, but inside the
 * measure; its width in *w. */
static double column_label_x(struct ts *ts, const struct doc_chart_data *c,
			     size_t i, double x0, double slot, const char *src,
			     double *w)
{
	double x;
	*w = natural_width(ts, c->cats[i], FONT_BODY, CHART_SIZE, src);
	x = x0 + slot * ((double)i + 0.5) - *w / 2;
	if (x + *w > ts->left + ts->measure)
		x = ts->left + ts->measure - *w;
	if (x < ts->left)
		x = ts->left;
	return x;
}

/* Whether every k-th column label keeps 6 pt from the one before. */
static int labels_apart(struct ts *ts, const struct doc_chart_data *c,
			size_t k, double x0, double slot, const char *src)
{
	double end = -HUGE_VAL;
	for (size_t i = 0; i < c->ncat; i += k) {
		double w, x = column_label_x(ts, c, i, x0, slot, src, &w);
		if (x < end + 6)
			return 0;
		end = x + w;
	}
	return 1;
}

static int chart_rows(struct ts *ts, const struct doc_block *b, double gap)
{
	const struct doc_chart_data *c = b->chart;
	size_t ri, nc = c->ncat, ns = c->nser;
	struct row *r;
	double y = 0, left = ts->left, right = ts->left + ts->measure;
	double maxv = 0, step, axis, *tot, vw = 0, tw = 0;
	const char *src = b->source;
	char num[64];
	int err = 0, dec = c->decimals;
	size_t first_box;

	/* Every label can be set (else one error, at the first that
	 * cannot); the widths below cannot fail then. */
	for (size_t i = 0; i < nc + ns; i++)
		if (natural_width(ts, i < nc ? c->cats[i] : c->labels[i - nc],
				  FONT_BODY, CHART_SIZE, src) < 0)
			return -1;
	new_row(ts, 0, gap);
	ri = ts->rows.n - 1;
	r = &ts->rows.v[ri];
	if (b->text.n) {
		y = column_into(ts, r, &b->text, FONT_BOLD, TABLE_SIZE + 0.5,
				TABLE_LEAD + 0.5, left, 0, ts->measure, &err);
		if (err)
			return -1;
		y += 4;
	}
	/* The legend: a swatch and the series' label, side by side. */
	if (ns > 1 || (ns == 1 && c->labels[0][0])) {
		double x = left;
		for (size_t s = 0; s < ns; s++) {
			double w = natural_width(ts, c->labels[s], FONT_BODY,
						 CHART_SIZE, src);
			if (w < 0)
				return -1;
			if (x > left && x + 18 + w > right) {
				x = left;
				y += CHART_LEAD + 2;
			}
			chart_rect(r, x, y + 1, 14, 8.5, series_look[s].fill,
				   series_look[s].hatch, CHART_OUTLINE);
			if (w > ts->measure - 18)
				overflow(ts, "chart legend", src, c->labels[s],
					 "longer than the line, cut");
			if (chart_text(ts, r, c->labels[s], x + 18,
				       y + CHART_LEAD * 0.78, 0,
				       ts->measure - 18, src) < 0)
				return -1;
			x += 18 + fmin(w, ts->measure - 18) + 14;
		}
		y += CHART_LEAD + 6;
	}
	if (!nc || !ns) {
		r->h = y;
		return 0;
	}
	first_box = r->nbox;

	/* The scale: totals when stacked, else single values. */
	tot = xcalloc(nc, sizeof(*tot));
	for (size_t i = 0; i < nc; i++)
		for (size_t s = 0; s < ns; s++) {
			double v = c->values[s * nc + i];
			tot[i] += v;
			maxv = fmax2(maxv, c->stacked ? tot[i] : v);
		}
	for (size_t i = 0; i < nc; i++)
		for (size_t s = 0; s < ns; s++) {
			double v = c->stacked ? tot[i] : c->values[s * nc + i];
			double w;
			if (c->stacked && s)
				break;
			chart_number(num, sizeof(num), v, dec, ts->doc->lang);
			w = natural_width(ts, num, FONT_BODY, CHART_SIZE, src);
			if (w < 0) {
				free(tot);
				return -1;
			}
			vw = fmax2(vw, w);
		}
	step = nice_step(maxv > 0 ? maxv : 1, 5, dec);
	for (;;) {
		axis = ceil((maxv > 0 ? maxv : 1) / step - 1e-9) * step;
		tw = 0;
		for (double t = 0; t <= axis + step / 2; t += step) {
			chart_number(num, sizeof(num), t, dec, ts->doc->lang);
			tw = fmax2(tw, natural_width(ts, num, FONT_BODY, CHART_SIZE, src));
		}
		break;
	}

	if (c->horizontal) {
		double lw = 0, x0, x1, pw, top = y;
		for (size_t i = 0; i < nc; i++)
			lw = fmax2(lw, natural_width(ts, c->cats[i], FONT_BODY,
						     CHART_SIZE, src));
		lw = fmin(lw, ts->measure * 0.3);
		x0 = left + lw + 8;
		x1 = right - vw - 6;
		pw = x1 - x0;
		/* tick labels apart by at least 8 pt */
		while (tw + 8 > pw * step / axis && step < axis) {
			step = next_step(step);
			axis = ceil(maxv / step - 1e-9) * step;
		}
		for (size_t i = 0; i < nc; i++) {
			double bh = c->stacked || ns == 1 ? 12 : 10;
			double pitch = bh + 1.5; /* bars of a group apart */
			double bars = c->stacked ? bh : pitch * (double)ns - 1.5;
			double band, lh;
			double yb, xs = x0;
			struct doc_rspan sp = { c->cats[i], NULL, (char *)src, 0, 0,
						NULL, NULL };
			struct doc_text t = { &sp, 1 };
			struct row tmp = { 0 };
			lh = column_into(ts, &tmp, &t, FONT_BODY, CHART_SIZE,
					 CHART_LEAD, left, 0, lw, &err);
			if (err) {
				row_release(&tmp);
				free(tot);
				return -1;
			}
			if (lh > CHART_LEAD * 3 + EPS)
				overflow(ts, "chart label", src, c->cats[i],
					 "wrapped to %.0f lines (at most 3)",
					 lh / CHART_LEAD);
			band = fmax2(bars + 8, lh + 4);
			/* the label, centred on the band */
			for (size_t k = 0; k < tmp.nbox; k++) {
				struct ts_box *nb = row_box(r, tmp.box[k].kind);
				*nb = tmp.box[k];
				nb->y += y + (band - lh) / 2;
				tmp.box[k].text = tmp.box[k].dest =
					tmp.box[k].file = NULL;
			}
			row_release(&tmp);
			yb = y + (band - bars) / 2;
			for (size_t s = 0; s < ns; s++) {
				double v = c->values[s * nc + i];
				double w = axis > 0 ? v / axis * pw : 0;
				double by = c->stacked ? yb : yb + pitch * (double)s;
				if (w > 0)
					chart_rect(r, xs, by, w, bh, series_look[s].fill,
						   series_look[s].hatch, CHART_OUTLINE);
				if (c->stacked) {
					double lwid;
					chart_number(num, sizeof(num), v, dec,
						     ts->doc->lang);
					lwid = natural_width(ts, num, FONT_BODY,
							     CHART_SIZE, src);
					if (v > 0 && ns > 1 && lwid + 8 <= w) {
						chart_rect(r, xs + (w - lwid - 4) / 2,
							   by + 1.5, lwid + 4, bh - 3,
							   1, HATCH_NONE, 0);
						if (chart_text(ts, r, num, xs + w / 2,
							       by + bh / 2 + CHART_SIZE * 0.34,
							       2, ts->measure, src) < 0)
							goto fail;
					}
					xs += w;
				} else {
					chart_number(num, sizeof(num), v, dec,
						     ts->doc->lang);
					if (chart_text(ts, r, num, x0 + w + 3,
						       by + bh / 2 + CHART_SIZE * 0.34,
						       0, ts->measure, src) < 0)
						goto fail;
				}
			}
			if (c->stacked) {
				chart_number(num, sizeof(num), tot[i], dec,
					     ts->doc->lang);
				if (chart_text(ts, r, num, xs + 3,
					       yb + bh / 2 + CHART_SIZE * 0.34, 0,
					       ts->measure, src) < 0)
					goto fail;
			}
			y += band;
		}
		/* axes, grid and ticks */
		for (double t = 0; t <= axis + step / 2; t += step) {
			double x = x0 + (axis > 0 ? t / axis * pw : 0);
			if (t > 0)
				chart_grid(r, x, top, 0, y - top);
			chart_rule(r, x, y, 0, 3, 0.5);
			chart_number(num, sizeof(num), t, dec, ts->doc->lang);
			if (chart_text(ts, r, num, x, y + 3 + CHART_LEAD * 0.78, 2,
				       ts->measure, src) < 0)
				goto fail;
		}
		chart_rule(r, x0, top, 0, y - top, 0.6);
		chart_rule(r, x0, y, pw, 0, 0.6);
		y += 3 + CHART_LEAD + 2;
	} else {
		double ph = c->height > 0 ? c->height : 180, pt, pb, x0, x1, slot;
		double gw, bw, lmax = 0;
		int show_values = 1;
		size_t k = 1;
		if (ph > ts->body_h * 0.6)
			ph = ts->body_h * 0.6;
		if (ph < 40)
			ph = 40;
		pt = y + CHART_LEAD;
		pb = pt + ph;
		x0 = left + tw + 6;
		x1 = right;
		slot = (x1 - x0) / (double)nc;
		gw = slot * 0.72;
		bw = c->stacked ? gw : gw / (double)ns;
		while (CHART_SIZE + 4 > ph * step / axis && step < axis) {
			step = next_step(step);
			axis = ceil(maxv / step - 1e-9) * step;
		}
		/* value labels only when every one fits over its column */
		if (vw > (c->stacked || ns == 1 ? slot - 3 : bw - 1))
			show_values = 0;
		/* category labels: every k-th, so that they stay apart */
		for (size_t i = 0; i < nc; i++)
			lmax = fmax2(lmax, natural_width(ts, c->cats[i], FONT_BODY,
							 CHART_SIZE, src));
		while (k < nc && lmax + 6 > slot * (double)k)
			k++;
		/* and apart where the first and last are moved inside the
		 * measure */
		while (k < nc && !labels_apart(ts, c, k, x0, slot, src))
			k++;
		for (double t = 0; t <= axis + step / 2; t += step) {
			double yy = pb - (axis > 0 ? t / axis * ph : 0);
			if (t > 0)
				chart_grid(r, x0, yy, x1 - x0, 0);
			chart_rule(r, x0 - 3, yy, 3, 0, 0.5);
			chart_number(num, sizeof(num), t, dec, ts->doc->lang);
			if (chart_text(ts, r, num, x0 - 5, yy + CHART_SIZE * 0.34, 1,
				       ts->measure, src) < 0)
				goto fail;
		}
		for (size_t i = 0; i < nc; i++) {
			double gx = x0 + slot * (double)i + (slot - gw) / 2;
			double ys = pb;
			for (size_t s = 0; s < ns; s++) {
				double v = c->values[s * nc + i];
				double h = axis > 0 ? v / axis * ph : 0;
				double bx = c->stacked ? gx : gx + bw * (double)s;
				if (h > 0)
					chart_rect(r, bx, ys - h, bw, h,
						   series_look[s].fill,
						   series_look[s].hatch, CHART_OUTLINE);
				if (c->stacked) {
					double lwid;
					chart_number(num, sizeof(num), v, dec,
						     ts->doc->lang);
					lwid = natural_width(ts, num, FONT_BODY,
							     CHART_SIZE, src);
					if (v > 0 && ns > 1 && lwid + 6 <= bw &&
					    h >= CHART_SIZE + 5) {
						chart_rect(r, bx + (bw - lwid - 4) / 2,
							   ys - h / 2 - CHART_SIZE / 2 - 1,
							   lwid + 4, CHART_SIZE + 2,
							   1, HATCH_NONE, 0);
						if (chart_text(ts, r, num, bx + bw / 2,
							       ys - h / 2 + CHART_SIZE * 0.34,
							       2, ts->measure, src) < 0)
							goto fail;
					}
					ys -= h;
				} else if (show_values) {
					chart_number(num, sizeof(num), v, dec,
						     ts->doc->lang);
					if (chart_text(ts, r, num, bx + bw / 2,
						       pb - h - 3, 2, ts->measure,
						       src) < 0)
						goto fail;
				}
			}
			if (c->stacked && show_values) {
				chart_number(num, sizeof(num), tot[i], dec,
					     ts->doc->lang);
				if (chart_text(ts, r, num, gx + gw / 2, ys - 3, 2,
					       ts->measure, src) < 0)
					goto fail;
			}
			if (i % k == 0) {
				double w, cx = column_label_x(ts, c, i, x0, slot, src, &w);
				if (w > ts->measure)
					overflow(ts, "chart label", src, c->cats[i],
						 "longer than the line, cut");
				if (chart_text(ts, r, c->cats[i], cx,
					       pb + 3 + CHART_LEAD * 0.78, 0,
					       ts->measure, src) < 0)
					goto fail;
				chart_rule(r, x0 + slot * ((double)i + 0.5), pb, 0,
					   3, 0.5);
			}
		}
		chart_rule(r, x0, pt, 0, pb - pt, 0.6);
		chart_rule(r, x0, pb, x1 - x0, 0, 0.6);
		y = pb + 3 + CHART_LEAD + 2;
	}
	free(tot);
	/* Grid and axes first, so bars cover the grid. */
	{
		size_t n = r->nbox - first_box, o = first_box;
		struct ts_box *tmp = xmalloc((n ? n : 1) * sizeof(*tmp));
		memcpy(tmp, r->box + first_box, n * sizeof(*tmp));
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < n; i++)
				if ((tmp[i].kind == TS_RULE ||
				     (tmp[i].kind == TS_RECT && tmp[i].lw == 0 &&
				      tmp[i].fill == GRID_GREY)) == !pass)
					r->box[o++] = tmp[i];
		free(tmp);
	}
	r->h = y;
	if (r->h > ts->body_h)
		overflow(ts, "chart", src, NULL, "%.0f pt tall, taller than the "
			 "page", r->h);
	return 0;
fail:
	free(tot);
	return -1;
}

/* ---- a block of any kind into rows ---- */

static void mark_keep(struct ts *ts, size_t from)
{
	for (size_t i = from; i + 1 < ts->rows.n; i++)
		ts->rows.v[i].keep_next = 1;
}

/* A page break asked for goes before the first row made since first. */
static void break_before(struct ts *ts, size_t first)
{
	if (ts->brk && ts->rows.n > first) {
		ts->rows.v[first].brk_before = 1;
		ts->brk = 0;
	}
}

/* One block into rows. What it leaves for the next block (the space
 * after it, a page break, open groups, lists and tables) is kept in ts,
 * so blocks may come a few at a time. */
static int block_rows(struct ts *ts, const struct doc_block *b)
{
	size_t first = ts->rows.n;
	double gap = ts->gap;

	/* A table ends at the first block that is not one of its cells. */
	if (ts->tab.tid && b->kind != BLK_CELL) {
		if (table_close(ts) < 0)
			goto fail;
		break_before(ts, first);
		first = ts->rows.n;
		gap = ts->gap;
	}
	switch (b->kind) {
	case BLK_HEADING: {
		const struct heading_style *hs = &heading_styles[b->level];
		ts->box_kind = "heading";
		if (text_rows(ts, &b->text, FONT_HEADING, hs->size,
			      hs->lead, ts->left, ts->measure, 0,
			      fmax2(gap, hs->before), NULL, 0, 1) < 0)
			goto fail;
		if (ts->rows.n - first > MAX_HEADING_LINES) {
			char *t = plain_text(&b->text);
			overflow(ts, "heading", text_source(&b->text), t,
				 "wrapped to %zu lines (at most %d)",
				 ts->rows.n - first, MAX_HEADING_LINES);
			free(t);
		}
		if (ts->rows.n > first) {
			ts->rows.v[first].outline_level = b->level;
			ts->rows.v[first].outline_title =
				plain_text(&b->text);
			ts->rows.v[ts->rows.n - 1].keep_next = 1;
		}
		gap = hs->after;
		break;
	}
	case BLK_PARA:
		ts->box_kind = "paragraph";
		if (text_rows(ts, &b->text, FONT_BODY, BODY_SIZE,
			      BODY_LEAD, ts->left, ts->measure,
			      b->align == DOC_JUSTIFY, fmax2(gap, PARA_GAP),
			      NULL, 0, 0) < 0)
			goto fail;
		gap = PARA_GAP;
		break;
	case BLK_LIST_BEGIN:
		/* An item that opens a sublist stays with its first
		 * item. */
		if (ts->nlists && ts->rows.n)
			ts->rows.v[ts->rows.n - 1].keep_next = 1;
		if (ts->nlists < ARRAY_SIZE(ts->lists)) {
			ts->lists[ts->nlists].kind = b->level;
			ts->lists[ts->nlists].count = 0;
		}
		ts->nlists++;
		break;
	case BLK_LIST_END:
		if (ts->nlists)
			ts->nlists--;
		/* After a sublist the outer list goes on as usual. */
		gap = ts->nlists ? 2.0 : PARA_GAP;
		break;
	case BLK_ITEM: {
		size_t nlists = ts->nlists, lv = nlists ? nlists : 1;
		double indent = LIST_INDENT * (double)lv;
		char mk[24];
		int kind = nlists && nlists <= ARRAY_SIZE(ts->lists)
			? ts->lists[nlists - 1].kind : DOC_BULLETS;
		int num = nlists && nlists <= ARRAY_SIZE(ts->lists)
			? ++ts->lists[nlists - 1].count : 1;
		double mx = ts->left + indent - 5;
		if (kind == DOC_NUMBERS)
			snprintf(mk, sizeof(mk), "%d.", num);
		else
			snprintf(mk, sizeof(mk), "%s",
				 lv % 2 ? "\xE2\x80\xA2" : "\xE2\x80\x93");
		ts->box_kind = "list item";
		if (text_rows(ts, &b->text, FONT_BODY, BODY_SIZE,
			      BODY_LEAD, ts->left + indent,
			      ts->measure - indent, 0,
			      fmax2(gap, 2.0), mk, mx, 0) < 0)
			goto fail;
		gap = 2.0;
		break;
	}
	case BLK_FACTS_BEGIN:
		ts->keep_from[ts->nkeep < 16 ? ts->nkeep : 15] = ts->rows.n;
		ts->nkeep++;
		gap = fmax2(gap, PARA_GAP + 2);
		break;
	case BLK_FACT:
		if (fact_row(ts, b, gap) < 0)
			goto fail;
		gap = FACT_GAP;
		break;
	case BLK_FACTS_END:
	case BLK_KEEP_END:
		if (ts->nkeep) {
			ts->nkeep--;
			mark_keep(ts, ts->keep_from[ts->nkeep < 16 ? ts->nkeep : 15]);
			if (ts->rows.n)
				ts->rows.v[ts->rows.n - 1].keep_next = 0;
		}
		gap = fmax2(gap, PARA_GAP + 2);
		break;
	case BLK_KEEP_BEGIN:
		ts->keep_from[ts->nkeep < 16 ? ts->nkeep : 15] = ts->rows.n;
		ts->nkeep++;
		break;
	case BLK_TABLE_BEGIN:
		ts->gap = gap;
		table_open(ts, b);
		gap = PARA_GAP + 4;
		break;
	case BLK_CELL: {
		struct open_table *ot = &ts->tab;
		/* (a cell outside a table is dropped) */
		if (!ot->tid)
			break;
		ot->cell[ot->ncell++] = &b->text;
		if (ot->ncell == ot->ncols && table_row(ts) < 0)
			goto fail;
		break;
	}
	case BLK_TABLE_END:
		break;
	case BLK_IMAGE: {
		size_t idx = 0;
		struct ts_image *im;
		double mw = b->w > 0 && b->w < ts->measure ? b->w
							     : ts->measure;
		double mh = b->h > 0 ? b->h : ts->body_h / 2;
		double sc;
		struct row *r;
		struct ts_box *bx;
		if (load_image(ts, b, &idx) < 0)
			goto fail;
		im = &ts->td->images[idx];
		if (mh > ts->body_h - 20)
			mh = ts->body_h - 20;
		sc = fmin(mw / im->width, mh / im->height);
		r = new_row(ts, im->height * sc, fmax2(gap, PARA_GAP + 2));
		bx = row_box(r, TS_IMAGE);
		bx->x = ts->left;
		bx->w = im->width * sc;
		bx->h = im->height * sc;
		bx->y = r->h;
		bx->image = idx;
		gap = PARA_GAP - 2; /* a caption belongs to its image */
		break;
	}
	case BLK_RULE: {
		struct row *r = new_row(ts, 0.5, fmax2(gap, PARA_GAP + 2));
		struct ts_box *bx = row_box(r, TS_RULE);
		bx->x = ts->left;
		bx->w = ts->measure;
		bx->y = 0.25;
		bx->lw = 0.5;
		gap = PARA_GAP + 4;
		break;
	}
	case BLK_BREAK:
		ts->brk = 1;
		break;
	case BLK_ANCHOR: {
		struct row *r = new_row(ts, 0, 0);
		/* a copy: the block goes with the feed */
		r->anchor = xstrdup(b->name);
		r->keep_next = 1;
		break;
	}
	case BLK_CHART:
		ts->box_kind = "chart label";
		if (chart_rows(ts, b, fmax2(gap, PARA_GAP + 4)) < 0)
			goto fail;
		gap = PARA_GAP + 4;
		break;
	}
	break_before(ts, first);
	ts->gap = gap;
	return 0;
fail:
	ts->err = 1;
	return -1;
}

/* ---- footnotes ---- */

/* Lay out the footnotes added since the last call: their heights are
 * needed to paginate the rows that cite them. A note's id never changes,
 * and the notes come before the blocks that cite them. */
static int layout_notes(struct ts *ts)
{
	const doc *d = ts->doc;
	struct rows saved = ts->rows;

	if (d->nnotes <= ts->nnotes)
		return 0;
	/* The labels first: a note may cite another. */
	ts->note_label = xrealloc(ts->note_label,
				  d->nnotes * sizeof(*ts->note_label));
	for (; ts->nlabels < d->nnotes; ts->nlabels++)
		ts->note_label[ts->nlabels] = xstrdup(d->notes[ts->nlabels].label);
	ts->notes = xrealloc(ts->notes, (d->nnotes + 1) * sizeof(*ts->notes));
	ts->note_h = xrealloc(ts->note_h, (d->nnotes + 1) * sizeof(*ts->note_h));
	for (size_t i = ts->nnotes; i < d->nnotes; i++) {
		struct doc_text t;
		struct doc_rspan *v = xcalloc(d->notes[i].text.n + 2, sizeof(*v));
		int r;

		/* The label, superscript, a space, then the note. */
		v[0].text = d->notes[i].label;
		v[0].style = DOC_SUPER;
		v[1].text = " ";
		for (size_t k = 0; k < d->notes[i].text.n; k++)
			v[k + 2] = d->notes[i].text.v[k];
		t.v = v;
		t.n = d->notes[i].text.n + 2;
		memset(&ts->rows, 0, sizeof(ts->rows));
		ts->box_kind = "footnote";
		r = text_rows(ts, &t, FONT_SMALL, SMALL_SIZE, SMALL_LEAD,
			      ts->left, ts->measure, 0, 0, NULL, 0, 1);
		free(v);
		ts->notes[i] = ts->rows;
		ts->note_h[i] = 0;
		ts->nnotes = i + 1;
		for (size_t k = 0; k < ts->rows.n; k++)
			ts->note_h[i] += ts->rows.v[k].h;
		if (r == 0 && ts->note_h[i] > ts->body_h / 2) {
			char *s = plain_text(&d->notes[i].text);
			overflow(ts, "footnote", text_source(&d->notes[i].text), s,
				 "%.0f pt tall, more than half the page",
				 ts->note_h[i]);
			free(s);
		}
		if (r < 0) {
			ts->rows = saved;
			return -1;
		}
	}
	ts->rows = saved;
	return 0;
}

/* ---- pagination ---- */

static void page_add(struct ts_page *pg, const struct ts_box *b)
{
	ALLOC_GROW(pg->box, pg->n + 1, pg->alloc);
	pg->box[pg->n++] = *b;
}

/* Move a row's boxes onto the page at the cursor: y becomes distance from
 * the page bottom. Text y is a baseline; link and image y their bottom;
 * rule y its line. */
static void place_boxes(struct pager *pg, const struct row *r, double top,
			int copy)
{
	double ptop = pg->ts->td->page_h - pg->ts->top;
	for (size_t i = 0; i < r->nbox; i++) {
		struct ts_box b = copy ? box_dup(&r->box[i]) : r->box[i];
		b.y = ptop - top - b.y;
		page_add(pg->page, &b);
	}
}

static double notes_need(struct pager *pg, const struct row *r)
{
	double h = 0;
	for (size_t i = 0; i < r->nnotes; i++) {
		int seen = 0;
		for (size_t k = 0; k < pg->nnotes; k++)
			seen |= pg->notes[k] == r->notes[i];
		if (!seen)
			h += pg->ts->note_h[r->notes[i] - 1];
	}
	if (h > 0 && !pg->nnotes)
		h += NOTE_GAP;
	return h;
}

static void page_done(struct ts *ts, size_t index);

static void finish_page(struct pager *pg)
{
	struct ts *ts = pg->ts;
	double y;
	struct ts_box rule = { 0 };

	if (!pg->page)
		return;
	if (pg->nnotes) {
		/* Footnotes from the bottom margin up, in marker order,
		 * under a short rule. */
		y = ts->bottom + pg->notes_h - NOTE_GAP;
		rule.kind = TS_RULE;
		rule.x = ts->left;
		rule.w = 72;
		rule.lw = 0.4;
		rule.y = y + NOTE_GAP * 0.5;
		page_add(pg->page, &rule);
		for (size_t k = 0; k < pg->nnotes; k++) {
			const struct rows *nr = &ts->notes[pg->notes[k] - 1];
			for (size_t i = 0; i < nr->n; i++) {
				double ptop = ts->td->page_h - ts->top;
				/* place at the absolute top y */
				double top = ptop - y;
				place_boxes(pg, &nr->v[i], top, 1);
				y -= nr->v[i].h;
			}
		}
	}
	pg->page = NULL;
	pg->nnotes = 0;
	pg->notes_h = 0;
	page_done(ts, ts->td->npages - 1);
}

static void new_page(struct pager *pg, int table)
{
	typeset_doc *td = pg->ts->td;
	finish_page(pg);
	ALLOC_GROW(td->pages, td->npages + 1, td->apages);
	pg->page = &td->pages[td->npages++];
	memset(pg->page, 0, sizeof(*pg->page));
	pg->cursor = 0;
	pg->fresh = 1;
	if (table) {
		const struct rows *h = &pg->ts->tables[table - 1].head;
		for (size_t i = 0; i < h->n; i++) {
			place_boxes(pg, &h->v[i], pg->cursor, 1);
			pg->cursor += h->v[i].h;
		}
	}
}

static void place_row(struct pager *pg, struct row *r)
{
	struct ts *ts = pg->ts;
	double gap = pg->cursor > 0 && !pg->fresh ? r->gap : 0;
	double nh = notes_need(pg, r);

	pg->cursor += gap;
	if (r->outline_level) {
		typeset_doc *td = ts->td;
		struct ts_outline *o;
		ALLOC_GROW(td->outline, td->noutline + 1, td->aoutline);
		o = &td->outline[td->noutline++];
		o->level = r->outline_level;
		o->title = r->outline_title;
		r->outline_title = NULL;
		o->page = td->npages - 1;
		o->y = td->page_h - ts->top - pg->cursor + 4;
	}
	if (r->anchor) {
		typeset_doc *td = ts->td;
		int seen = 0;
		for (size_t i = 0; i < td->ndests && !seen; i++)
			seen = !strcmp(td->dests[i].name, r->anchor);
		if (seen) {
			diag_warning(ts->d, (struct diag_loc){ 0 }, "anchor '%s' "
				     "is defined twice; links go to the first",
				     r->anchor);
		} else {
			ALLOC_GROW(td->dests, td->ndests + 1, td->adests);
			td->dests[td->ndests].name = xstrdup(r->anchor);
			td->dests[td->ndests].page = td->npages - 1;
			td->dests[td->ndests].y = td->page_h - ts->top -
						  pg->cursor + 4;
			td->ndests++;
		}
	}
	place_boxes(pg, r, pg->cursor, 0);
	for (size_t i = 0; i < r->nbox; i++)
		r->box[i].text = r->box[i].dest = r->box[i].file = NULL;
	pg->cursor += r->h;
	pg->notes_h += nh;
	for (size_t i = 0; i < r->nnotes; i++) {
		int seen = 0;
		for (size_t k = 0; k < pg->nnotes; k++)
			seen |= pg->notes[k] == r->notes[i];
		if (!seen) {
			ALLOC_GROW(pg->notes, pg->nnotes + 1, pg->anotes);
			pg->notes[pg->nnotes++] = r->notes[i];
		}
	}
	pg->fresh = 0;
}

/* Height that rows [i, j] need on the current page, footnotes included. */
static double chain_need(struct pager *pg, size_t i, size_t j)
{
	struct ts *ts = pg->ts;
	double h = 0, nh = 0;
	size_t saved = pg->nnotes;

	for (size_t k = i; k <= j; k++) {
		const struct row *r = &ts->rows.v[k];
		double n1;
		h += r->h + ((k > i || (pg->cursor > 0 && !pg->fresh)) ? r->gap : 0);
		n1 = notes_need(pg, r);
		nh += n1;
		/* Count each note once across the chain. */
		for (size_t q = 0; q < r->nnotes; q++) {
			ALLOC_GROW(pg->notes, pg->nnotes + 1, pg->anotes);
			pg->notes[pg->nnotes++] = r->notes[q];
		}
	}
	pg->nnotes = saved;
	return h + nh;
}

/* Release the first n rows, placed. */
static void rows_drop(struct ts *ts, size_t n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		row_release(&ts->rows.v[i]);
	memmove(ts->rows.v, ts->rows.v + n,
		(ts->rows.n - n) * sizeof(*ts->rows.v));
	ts->rows.n -= n;
	/* open keep groups start after them */
	for (size_t k = 0; k < ts->nkeep && k < ARRAY_SIZE(ts->keep_from); k++)
		ts->keep_from[k] = ts->keep_from[k] > n ? ts->keep_from[k] - n : 0;
}

/* Fill pages with the rows whose place is certain, and release them. A
 * row goes once the chain of rows kept with it ends in a row that nothing
 * still to come can change: not in an open keep group (its end ties its
 * rows together) and not the last row made (a sublist, the end of a keep
 * group or of its table change its keep_next, the table end its bottom
 * rule, and a page break may come before the next row). The rows are
 * held until then, which is what bounds a stream's memory. At the end
 * everything is certain, and the last page is finished. */
static int paginate(struct ts *ts, int at_end)
{
	struct pager *pg = &ts->pg;
	size_t i = 0, stable = ts->rows.n;

	if (!at_end) {
		stable = stable ? stable - 1 : 0;
		if (ts->nkeep && ts->keep_from[0] < stable)
			stable = ts->keep_from[0];
	}
	while (i < ts->rows.n && !ts->err) {
		struct row *r = &ts->rows.v[i];
		size_t j = i;
		double avail;

		if (r->brk_before && (pg->cursor > 0 || !pg->fresh) &&
		    pg->page->n) {
			new_page(pg, 0);
			r->brk_before = 0;
			continue;
		}
		while (j + 1 < ts->rows.n && ts->rows.v[j].keep_next &&
		       !ts->rows.v[j + 1].brk_before)
			j++;
		if (j >= stable)
			break; /* the chain may yet grow */
		avail = ts->body_h - pg->cursor - pg->notes_h;
		if (chain_need(pg, i, j) <= avail + EPS) {
			for (size_t k = i; k <= j; k++) {
				pg->last_table = ts->rows.v[k].table;
				place_row(pg, &ts->rows.v[k]);
			}
			i = j + 1;
			continue;
		}
		if (!pg->fresh) {
			int cont = r->table && !r->header &&
				   r->table == pg->last_table ? r->table : 0;
			new_page(pg, cont);
			continue;
		}
		/* Even a fresh page cannot hold the chain: place it row by
		 * row, breaking where it must. */
		pg->last_table = r->table;
		place_row(pg, r);
		i++;
	}
	rows_drop(ts, i);
	if (at_end && !ts->err)
		finish_page(pg);
	return ts->err ? -1 : 0;
}

/* ---- header, footer, page numbers ---- */

/* One line of page furniture: text at (x, y), or ending at x when right,
 * within room points. Too long, it is set smaller, down to
 * MIN_FURNITURE_SIZE, and then cut; either is reported. */
#define MIN_FURNITURE_SIZE 6.5
static int one_line(struct ts *ts, struct ts_page *pg, const char *text,
		    double x, double y, int right, double room, const char *kind)
{
	struct row r = { 0 };
	double size = SMALL_SIZE, w;
	int ret;

	ts->box_kind = NULL;
	w = natural_width(ts, text, FONT_SMALL, size, kind);
	if (w < 0)
		return -1;
	if (w > room + EPS) {
		double s2 = floor(size * room / w * 10) / 10;
		if (s2 >= MIN_FURNITURE_SIZE) {
			overflow(ts, kind, kind, text, "%.0f pt wide in %.0f pt, "
				 "set smaller", w, room);
			size = s2;
		} else {
			overflow(ts, kind, kind, text, "%.0f pt wide in %.0f pt, "
				 "cut", w, room);
			size = MIN_FURNITURE_SIZE;
		}
	}
	ret = line_into(ts, &r, text, FONT_SMALL, size, x, 0, right, kind, room);
	for (size_t i = 0; i < r.nbox; i++) {
		r.box[i].y = y - r.box[i].y;
		page_add(pg, &r.box[i]);
	}
	free(r.box);
	free(r.notes);
	return ret;
}

static void page_number(struct sbuf *sb, const char *s, size_t page,
			size_t pages)
{
	while (*s) {
		if (!strncmp(s, "{page}", 6)) {
			sbuf_addf(sb, "%zu", page);
			s += 6;
		} else if (!strncmp(s, "{pages}", 7)) {
			sbuf_addf(sb, "%zu", pages);
			s += 7;
		} else {
			sbuf_addch(sb, *s++);
		}
	}
}

/* The header, footer and page number of page i of total. */
static int page_furniture(struct ts *ts, size_t i, size_t total)
{
	const doc *d = ts->settings;
	typeset_doc *td = ts->td;
	struct ts_page *pg = &td->pages[i];
	double right = ts->left + ts->measure;

	/* The footer's left text has the room the widest page number
	 * leaves: the same on every page, so measured once. */
	if (ts->num_w_for != total) {
		ts->num_w = 0;
		if (d->page_template && total) {
			struct sbuf sb = SBUF_INIT;
			double w;
			page_number(&sb, d->page_template, total, total);
			w = natural_width(ts, sb.buf, FONT_SMALL, SMALL_SIZE,
					  "page number");
			sbuf_release(&sb);
			if (w < 0)
				return -1;
			ts->num_w = w > ts->measure / 2 ? ts->measure / 2 : w;
		}
		ts->num_w_for = total;
	}
	if (d->header) {
		struct ts_box rule = { 0 };
		double y = td->page_h - ts->top + 22;
		if (one_line(ts, pg, d->header, ts->left, y, 0, ts->measure,
			     "page header") < 0)
			return -1;
		rule.kind = TS_RULE;
		rule.x = ts->left;
		rule.w = ts->measure;
		rule.y = y - 5;
		rule.lw = 0.4;
		page_add(pg, &rule);
	}
	if (d->footer_left &&
	    one_line(ts, pg, d->footer_left, ts->left, ts->bottom - 26, 0,
		     ts->measure - ts->num_w - (ts->num_w > 0 ? 18 : 0),
		     "page footer") < 0)
		return -1;
	if (d->page_template) {
		struct sbuf sb = SBUF_INIT;
		int r;
		page_number(&sb, d->page_template, i + 1, total);
		r = one_line(ts, pg, sb.buf, right, ts->bottom - 26, 1,
			     ts->measure / 2, "page number");
		sbuf_release(&sb);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* A page is finished. Streamed, it gets its furniture when the count of
 * pages is known (from a first pass), goes to the sink and gives up its
 * boxes; kept (typeset_run), its furniture waits for the count. */
static void page_done(struct ts *ts, size_t index)
{
	struct ts_page *pg = &ts->td->pages[index];

	if (ts->keep || ts->err)
		return;
	if (ts->sink.total_pages &&
	    page_furniture(ts, index, ts->sink.total_pages) < 0)
		ts->err = 1;
	else if (ts->sink.page &&
		 ts->sink.page(ts->sink.ctx, ts->td, index) < 0)
		ts->err = 1;
	/* only the small page entry stays */
	for (size_t k = 0; k < pg->n; k++)
		box_release(&pg->box[k]);
	free(pg->box);
	pg->box = NULL;
	pg->n = pg->alloc = 0;
}

/* ---- the stage ---- */

static int lang_script(const char *lang)
{
	if (!strcmp(lang, "hy"))
		return FONT_ARMENIAN;
	if (!strcmp(lang, "ru"))
		return FONT_CYRILLIC;
	return FONT_LATIN;
}

/* ICU's line breakers, one per thread and language, opened at the
 * thread's first document in that language and closed when the thread
 * ends: opening one costs as much as breaking a short brief's
 * paragraphs. Sharing is safe within a thread because a paragraph's
 * breaks are read in one go (finish_para), whatever documents are being
 * typeset at once. */
#define BREAKERS 8
struct breakers {
	char lang[BREAKERS][8];
	UBreakIterator *bi[BREAKERS];
};

static pthread_key_t breakers_key;
static pthread_once_t breakers_once = PTHREAD_ONCE_INIT;

static void breakers_free(void *arg)
{
	struct breakers *b = arg;
	for (int i = 0; i < BREAKERS; i++)
		if (b->bi[i])
			ubrk_close(b->bi[i]);
	free(b);
}

static void breakers_init(void)
{
	if (pthread_key_create(&breakers_key, breakers_free))
		BUG("pthread_key_create failed");
}

static UBreakIterator *line_breaker(const char *lang, int *own, UErrorCode *e)
{
	struct breakers *b;
	int i;

	pthread_once(&breakers_once, breakers_init);
	b = pthread_getspecific(breakers_key);
	if (!b) {
		b = xcalloc(1, sizeof(*b));
		if (pthread_setspecific(breakers_key, b))
			BUG("pthread_setspecific failed");
	}
	for (i = 0; i < BREAKERS && b->bi[i]; i++)
		if (!strncmp(b->lang[i], lang, sizeof(b->lang[i]) - 1))
			return b->bi[i];
	*own = i == BREAKERS; /* more languages than slots: the caller's */
	if (*own)
		return ubrk_open(UBRK_LINE, lang, NULL, 0, e);
	b->bi[i] = ubrk_open(UBRK_LINE, lang, NULL, 0, e);
	if (U_FAILURE(*e)) {
		b->bi[i] = NULL;
		return NULL;
	}
	snprintf(b->lang[i], sizeof(b->lang[i]), "%s", lang);
	return b->bi[i];
}

static int ts_init(struct ts *ts, const doc *d, const font_set *fs,
		   struct diag *dg)
{
	UErrorCode e = U_ZERO_ERROR;

	memset(ts, 0, sizeof(*ts));
	ts->doc = d;
	ts->fs = fs;
	ts->d = dg;
	ts->lang_script = lang_script(d->lang);
	ts->hyph[FONT_LATIN] = font_hyph_for(fs, "en");
	ts->hyph[FONT_CYRILLIC] = font_hyph_for(fs, "ru");
	ts->bi = line_breaker(d->lang, &ts->own_bi, &e);
	if (U_FAILURE(e))
		return diag_error(dg, (struct diag_loc){ 0 },
				  "cannot open the line breaker: %s",
				  u_errorName(e));
	return 0;
}

static void ts_release(struct ts *ts)
{
	rows_release(&ts->rows);
	for (size_t i = 0; i < ts->ntables; i++)
		rows_release(&ts->tables[i].head);
	free(ts->tables);
	table_forget(&ts->tab);
	for (size_t i = 0; i < ts->nnotes; i++)
		rows_release(&ts->notes[i]);
	free(ts->notes);
	free(ts->note_h);
	for (size_t i = 0; i < ts->nlabels; i++)
		free(ts->note_label[i]);
	free(ts->note_label);
	free(ts->pg.notes);
	doc_free(ts->settings);
	if (ts->own_bi && ts->bi)
		ubrk_close(ts->bi);
	ts->bi = NULL; /* otherwise the thread's (line_breaker) */
}

struct typeset_stream {
	struct ts ts;
};

/* What typesetting reads of a document besides its blocks and notes,
 * copied: rows set after a feed (the furniture of the last pages, the
 * last row of a table) still read it. */
static void settings_update(struct ts *ts, const doc *d)
{
	doc *s = ts->settings;
	typeset_doc *td = ts->td;

	s->hyphenate = d->hyphenate;
	s->justify_fallback = d->justify_fallback;
	doc_set_page_text(s, d->header, d->footer_left, d->page_template);
	for (int i = 0; i < DOC_NINFO; i++) {
		free(td->info[i]);
		td->info[i] = d->info[i] ? xstrdup(d->info[i]) : NULL;
	}
	td->has_date = d->has_date;
	memcpy(td->date, d->date, sizeof(td->date));
}

typeset_stream *typeset_stream_new(const doc *d, const font_set *fs,
				   const struct typeset_sink *sink,
				   struct diag *dg)
{
	typeset_stream *s = xcalloc(1, sizeof(*s));
	struct ts *ts = &s->ts;
	typeset_doc *td = xcalloc(1, sizeof(*td));

	td->fonts = fs;
	if (d->paper == DOC_LETTER || d->paper == DOC_LETTER_LANDSCAPE) {
		td->page_w = 612;
		td->page_h = 792;
	} else {
		td->page_w = 595.276;
		td->page_h = 841.89;
	}
	if (d->paper == DOC_A4_LANDSCAPE || d->paper == DOC_LETTER_LANDSCAPE) {
		double w = td->page_w;
		td->page_w = td->page_h;
		td->page_h = w;
	}
	memcpy(td->lang, d->lang, sizeof(td->lang));

	if (ts_init(ts, d, fs, dg) < 0) {
		ts->td = td;
		typeset_stream_abort(s);
		return NULL;
	}
	ts->td = td;
	ts->settings = doc_new(d->lang, d->paper);
	settings_update(ts, d);
	ts->doc = ts->settings;
	ts->keep = !sink;
	if (sink)
		ts->sink = *sink;
	/* 25 mm side margins on A4 (about 66 characters a line at 10.5 pt),
	 * a little more at the foot for the page number. */
	ts->left = 72;
	ts->measure = td->page_w - 2 * 72;
	ts->top = 76;
	ts->bottom = 76;
	ts->body_h = td->page_h - ts->top - ts->bottom;
	ts->pg.ts = ts;
	new_page(&ts->pg, 0);
	return s;
}

static int stream_feed(struct ts *ts, const doc *d)
{
	if (ts->err)
		return -1;
	settings_update(ts, d);
	ts->doc = d;
	if (layout_notes(ts) < 0)
		ts->err = 1;
	for (size_t i = 0; i < d->nblocks && !ts->err; i++) {
		if (block_rows(ts, &d->blocks[i]) < 0)
			break;
		/* Streamed, rows go as soon as they can; kept, at the end
		 * of the feed, which is the same pages with fewer passes. */
		if (!ts->keep)
			paginate(ts, 0);
	}
	if (!ts->err) {
		/* The cells of a row cut by the end of the feed. */
		if (ts->tab.tid)
			table_cells_hold(&ts->tab);
		paginate(ts, 0);
	}
	ts->doc = ts->settings;
	return ts->err ? -1 : 0;
}

int typeset_stream_feed(typeset_stream *s, doc *d)
{
	return stream_feed(&s->ts, d);
}

typeset_doc *typeset_stream_end(typeset_stream *s)
{
	struct ts *ts = &s->ts;
	typeset_doc *td = NULL;

	if (!ts->err) {
		/* A table left open ends with the document. */
		size_t first = ts->rows.n;
		if (table_close(ts) < 0)
			ts->err = 1;
		else
			break_before(ts, first);
	}
	if (!ts->err)
		paginate(ts, 1);
	if (!ts->err && ts->keep)
		for (size_t i = 0; i < ts->td->npages && !ts->err; i++)
			if (page_furniture(ts, i, ts->td->npages) < 0)
				ts->err = 1;
	if (!ts->err) {
		td = ts->td;
		ts->td = NULL;
	}
	typeset_stream_abort(s);
	return td;
}

void typeset_stream_abort(typeset_stream *s)
{
	if (!s)
		return;
	typeset_free(s->ts.td);
	ts_release(&s->ts);
	free(s);
}

typeset_doc *typeset_run(const doc *d, const font_set *fs, struct diag *dg)
{
	typeset_stream *s = typeset_stream_new(d, fs, NULL, dg);

	if (!s)
		return NULL;
	if (stream_feed(&s->ts, d) < 0) {
		typeset_stream_abort(s);
		return NULL;
	}
	return typeset_stream_end(s);
}

void typeset_free(typeset_doc *td)
{
	if (!td)
		return;
	for (size_t i = 0; i < td->npages; i++) {
		for (size_t k = 0; k < td->pages[i].n; k++)
			box_release(&td->pages[i].box[k]);
		free(td->pages[i].box);
	}
	free(td->pages);
	for (size_t i = 0; i < td->noutline; i++)
		free(td->outline[i].title);
	free(td->outline);
	for (size_t i = 0; i < td->nimages; i++)
		free(td->images[i].data);
	free(td->images);
	for (int i = 0; i < DOC_NINFO; i++)
		free(td->info[i]);
	for (size_t i = 0; i < td->ndests; i++)
		free(td->dests[i].name);
	free(td->dests);
	for (size_t i = 0; i < td->nlabels; i++)
		free(td->labels[i].prefix);
	free(td->labels);
	for (size_t i = 0; i < td->nover; i++) {
		free(td->over[i].kind);
		free(td->over[i].source);
		free(td->over[i].what);
	}
	free(td->over);
	free(td);
}

size_t typeset_page_count(const typeset_doc *td)
{
	return td->npages;
}

double typeset_text_width(const font_set *fs, int style, const char *lang,
			  const char *text, double size)
{
	doc dd;
	struct ts ts;
	struct para p = { 0 };
	struct diag dg = DIAG_INIT;
	double w = -1;

	memset(&dd, 0, sizeof(dd));
	snprintf(dd.lang, sizeof(dd.lang), "%s", lang);
	memset(&ts, 0, sizeof(ts));
	ts.doc = &dd;
	ts.fs = fs;
	ts.d = &dg;
	ts.lang_script = lang_script(lang);
	if (add_text(&ts, &p, text, (enum font_style)style, size, 0, NULL, 0,
		     NULL) == 0) {
		int cur = ts.lang_script, ok = 1;
		w = 0;
		for (size_t i = 0; i < p.n && ok; i++) {
			int sc = font_script_of(p.c[i].cp);
			const font_face *f;
			if (sc != FONT_COMMON)
				cur = sc;
			if (p.c[i].invis)
				continue;
			f = font_lookup(fs, (enum font_style)style, cur, p.c[i].cp);
			if (!f)
				ok = 0;
			else
				w += font_advance(f, p.c[i].cp) * size / 1000.0;
		}
		if (!ok)
			w = -1;
	}
	free(p.c);
	diag_release(&dg);
	return w;
}

long typeset_break_lines(const font_set *fs, const char *lang,
			 const char *text, double size, double measure,
			 int hyphenate, size_t *starts, size_t max,
			 struct diag *dg)
{
	doc *dd = doc_new(lang, DOC_A4);
	struct ts ts;
	struct para p = { 0 };
	struct line *lines = NULL;
	size_t nl = 0;
	long ret = -1;

	dd->hyphenate = hyphenate;
	if (ts_init(&ts, dd, fs, dg) < 0)
		goto out;
	if (add_text(&ts, &p, text, FONT_BODY, size, 0, NULL, 0, NULL) < 0 ||
	    finish_para(&ts, &p) < 0)
		goto out;
	nl = break_para(&ts, &p, measure, measure, hyphenate, 0, &lines);
	/* Character index -> byte offset. */
	for (size_t i = 0, ci = 0, bi = 0; i < nl && i < max; i++) {
		const unsigned char *u = (const unsigned char *)text;
		while (ci < lines[i].start) {
			uint32_t cp;
			int k = utf8_decode(u + bi, strlen(text) - bi, &cp);
			bi += (size_t)k;
			if (cp != '\r')
				ci++;
		}
		starts[i] = bi;
	}
	ret = (long)nl;
out:
	free(lines);
	free(p.c);
	ts_release(&ts);
	doc_free(dd);
	return ret;
}

size_t typeset_overflow_count(const typeset_doc *td)
{
	return td->nover;
}

struct typeset_overflow typeset_overflow(const typeset_doc *td, size_t i)
{
	struct typeset_overflow o = { NULL, NULL, NULL };
	if (i < td->nover) {
		o.kind = td->over[i].kind;
		o.source = td->over[i].source;
		o.what = td->over[i].what;
	}
	return o;
}

long typeset_dest_page(const typeset_doc *td, const char *name)
{
	for (size_t i = 0; i < td->ndests; i++)
		if (!strcmp(td->dests[i].name, name))
			return (long)td->dests[i].page;
	return -1;
}
