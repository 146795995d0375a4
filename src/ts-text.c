/* ts-text.c: text into characters, lines and rows, for the typesetter
 * (ts.h). Spans become characters in their style (style_for, add_spans),
 * each given a face by script and its line-break opportunities from ICU
 * (ts_finish_para); lines are broken by total fit for justified
 * paragraphs, greedily otherwise, at hyphenation points when the
 * document asks (ts_break_para); a line becomes boxes (emit_line), and
 * a paragraph rows of one line each (ts_text_rows) or a column of lines
 * in a table cell (ts_column_into). Text that does not fit is reported
 * here too (ts_overflow). */
#include "ts.h"
#include "diag.h"
#include "doc.h"
#include "font.h"
#include "sbuf.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>

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
int ts_add_text(struct ts *ts, struct para *p, const char *s,
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
			if (ts_add_text(ts, p, text, style_for(base, s->style), sz,
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
void ts_overflow(const struct ts *ts, const char *kind, const char *source,
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
int ts_finish_para(struct ts *ts, struct para *p)
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
size_t ts_break_para(const struct ts *ts, const struct para *p,
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
					ts_overflow(ts, ts->box_kind, p->c[k].source, word,
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

/* ---- lines into boxes and rows ---- */

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
			ts_row_note(r, c->note);
		/* Highlight: a tint behind and a hairline under the text. */
		if (c->hl && hl == (size_t)-1) {
			struct ts_box *b = ts_row_box(r, TS_RECT);
			b->x = lx;
			b->y = base + c->size * 0.28;
			b->h = c->size * 1.12;
			b->fill = 0.85;
			hl = r->nbox - 1;
			b = ts_row_box(r, TS_RECT);
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
				b = ts_row_box(r, TS_LINK);
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
			b = ts_row_box(r, TS_TEXT);
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

/* Lay out text as lines, returned in *lines with the paragraph; the
 * caller frees both. */
static int set_text(struct ts *ts, const struct doc_text *t,
		    enum font_style base, double size, double first_measure,
		    double measure, int justify, struct para *p,
		    struct line **lines, size_t *nl)
{
	memset(p, 0, sizeof(*p));
	if (add_spans(ts, p, t, base, size) < 0 || ts_finish_para(ts, p) < 0) {
		free(p->c);
		p->c = NULL;
		return -1;
	}
	*nl = ts_break_para(ts, p, first_measure, measure,
			    ts->doc->hyphenate && base != FONT_HEADING, justify,
			    lines);
	return 0;
}

/* One line of plain text into row r, starting at x, or ending at x when
 * right is set; base is the baseline, down from the row top. */
int ts_line_into(struct ts *ts, struct row *r, const char *text,
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
double ts_natural_width(struct ts *ts, const char *text,
			enum font_style style, double size, const char *source)
{
	struct doc_rspan s = { (char *)text, NULL, (char *)source, 0, 0, NULL,
			       NULL };
	struct doc_text t = { &s, 1 };
	struct para p = { 0 };
	double w = 0;

	if (add_spans(ts, &p, &t, style, size) < 0 || ts_finish_para(ts, &p) < 0) {
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
int ts_text_rows(struct ts *ts, const struct doc_text *t,
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
		struct row *r = ts_new_row(ts, lead, i ? 0 : gap);
		double base_y = lead * 0.78;
		emit_line(ts, r, &p, &lines[i], x, base_y, measure, justify);
		if (i == 0 && marker &&
		    ts_line_into(ts, r, marker, base, size, marker_x, base_y, 1,
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
const char *ts_text_source(const struct doc_text *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].source)
			return t->v[i].source;
	return NULL;
}

char *ts_plain_text(const struct doc_text *t)
{
	struct sbuf sb = SBUF_INIT;
	for (size_t i = 0; i < t->n; i++)
		if (!t->v[i].footnote)
			sbuf_addstr(&sb, t->v[i].text);
	return sbuf_detach(&sb, NULL);
}

/* A block of lines laid out in a column: boxes appended to r, offset by
 * (x, y); returns the height. */
double ts_column_into(struct ts *ts, struct row *r,
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
