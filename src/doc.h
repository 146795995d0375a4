/* doc.h: the document tree that typesetting reads.
 *
 * A composer builds a document block by block: headings, paragraphs of
 * rich text spans, lists, fact tables, general tables, images, bar
 * charts, rules, page breaks, anchors (link targets), groups kept on one
 * page, and footnotes. Every string is copied
 * into the document, so the caller keeps ownership of its own. Building
 * never fails (out of memory aborts); what cannot be set (a character no
 * font has, an unreadable image) is reported by typeset_run() with the
 * source string the caller attached to the span or block.
 *
 *   doc *d = doc_new("hy", DOC_A4);
 *   struct doc_span t[] = { { .text = "Ամփոփում", .source = "brief.lay:3" } };
 *   doc_heading(d, 1, t, 1);
 *   ...
 *   doc_free(d);
 */
#ifndef DOSSIER_DOC_H
#define DOSSIER_DOC_H

#include <stddef.h>

typedef struct doc doc;

enum doc_paper { DOC_A4, DOC_LETTER, DOC_A4_LANDSCAPE, DOC_LETTER_LANDSCAPE };
enum doc_align { DOC_LEFT, DOC_JUSTIFY };
enum doc_list_kind { DOC_BULLETS, DOC_NUMBERS };
enum doc_info { DOC_TITLE, DOC_AUTHOR, DOC_SUBJECT, DOC_KEYWORDS, DOC_NINFO };

/* Style bits of a span. */
#define DOC_BOLD   1u
#define DOC_ITALIC 2u
#define DOC_SMALL  4u  /* a smaller size of the same face */
#define DOC_SUPER  8u  /* superscript */
/* Marked for a proof reader: a light grey tint behind the text and a thin
 * underline, which shows in black-and-white print too. */
#define DOC_HIGHLIGHT 16u

/* A piece of inline text in one style. */
struct doc_span {
	const char *text;   /* UTF-8; may be NULL for a footnote marker */
	unsigned style;     /* DOC_BOLD | DOC_ITALIC | ... */
	const char *uri;    /* non-NULL: a link to this URI (ASCII or UTF-8) */
	const char *source; /* where the text came from, for diagnostics */
	int footnote;       /* non-zero: a marker for doc_footnote()'s note;
			     * drawn as its label, superscript */
	/* Links inside and between documents (uri takes precedence):
	 * .dest alone goes to the destination of that name that doc_anchor()
	 * set in the same PDF (or in another part of a binder); .file goes
	 * to another PDF by path relative to this one (ASCII), to its
	 * destination .dest or, without one, to its first page. */
	const char *dest;
	const char *file;
};

/* A new empty document in lang ("en", "ru", "hy": picks hyphenation and
 * the script of digits and punctuation at the start of a text). */
doc *doc_new(const char *lang, enum doc_paper paper);
void doc_free(doc *d); /* NULL is fine */

/* Metadata: Info title, author, subject, keywords (UTF-8). */
void doc_set_info(doc *d, enum doc_info key, const char *value);
/* Creation and modification date written into the PDF, UTC; the same date
 * gives the same bytes. Without it the PDF carries no date. */
void doc_set_date(doc *d, int year, int month, int day, int hour, int min,
		  int sec);
/* Hyphenate paragraphs (off by default; only languages with patterns). */
void doc_set_hyphenate(doc *d, int on);
/* Justified paragraphs: a line whose spaces would stretch to more than
 * twice their width is set ragged (left-aligned) instead (off by default).
 * Armenian has no hyphenation patterns: justified, about two lines in
 * three of its specimen stretch that far, and ragged-right paragraphs
 * (DOC_LEFT) read better than this mixture; the switch is for documents
 * that keep DOC_JUSTIFY. */
void doc_set_justify_fallback(doc *d, int on);
/* Running header text (NULL: none), the left footer (e.g. the record id)
 * and the page-number template with {page} and {pages}, e.g.
 * "Страница {page} из {pages}" (NULL: no page numbers). */
void doc_set_page_text(doc *d, const char *header, const char *footer_left,
		       const char *page_template);

/* Blocks, in reading order. Spans are copied. Heading levels are 1..3;
 * a heading becomes a bookmark. */
void doc_heading(doc *d, int level, const struct doc_span *s, size_t n);
void doc_para(doc *d, enum doc_align align, const struct doc_span *s,
	      size_t n);
/* A list: begin, items, end. Lists may nest (an item's sublist follows
 * the item). Numbers count from 1 per list. */
void doc_list_begin(doc *d, enum doc_list_kind kind);
void doc_list_item(doc *d, const struct doc_span *s, size_t n);
void doc_list_end(doc *d);
/* A two-column fact table ("label: value" rows), kept on one page. */
void doc_facts_begin(doc *d);
void doc_fact(doc *d, const struct doc_span *label, size_t nl,
	      const struct doc_span *value, size_t nv);
void doc_facts_end(doc *d);
/* A general table: ncols columns of relative widths (any positive
 * numbers; they are scaled to the measure), the first header_rows rows
 * repeated at the top of each page the table continues on. Cells are given
 * row by row; a cell's text wraps. */
void doc_table_begin(doc *d, size_t ncols, const double *widths,
		     size_t header_rows);
void doc_table_cell(doc *d, const struct doc_span *s, size_t n);
void doc_table_end(doc *d);
/* A JPEG or PNG image scaled into max_w x max_h points (0: the measure),
 * keeping its aspect. */
void doc_image(doc *d, const char *path, double max_w, double max_h,
	       const char *source);
void doc_rule(doc *d);
void doc_page_break(doc *d);
/* A named destination at the next block (put it just before a heading):
 * the target of spans with .dest = name, here or from another PDF. The
 * name is ASCII, e.g. "brief:F-001"; the first of equal names counts. */
void doc_anchor(doc *d, const char *name);

/* A bar chart drawn with lines and fills, kept on one page. Series are
 * told apart by grey level and hatching (black-and-white print), shown
 * in a legend; values are labelled at the end of each bar (of each
 * stack, with its total, when stacked; inside a segment on a white tab
 * when there is room) and read on an axis with round ticks.
 * Horizontal: a row per category, its label on the left (wrapped).
 * Vertical (columns): category labels under the axis, thinned out to
 * every k-th when they would collide. Negative values count as 0. */
/* The most series a chart tells apart; more are dropped. */
#define DOC_CHART_MAX_SERIES 8

struct doc_chart_series {
	const char *label;      /* legend text (UTF-8) */
	const double *values;   /* one per category */
};

struct doc_chart {
	const struct doc_span *title; /* may be NULL */
	size_t ntitle;
	const char *const *categories; /* UTF-8, any script */
	size_t ncategories;
	const struct doc_chart_series *series;
	size_t nseries;               /* 1..DOC_CHART_MAX_SERIES */
	int stacked;                  /* else grouped side by side */
	int horizontal;               /* bars; else columns */
	double height;                /* of the plot (columns); 0: 180 pt */
	int decimals;                 /* digits after the point in labels */
	const char *source;           /* for diagnostics */
};
void doc_chart_bars(doc *d, const struct doc_chart *c);
/* Blocks between begin and end are kept on one page when they fit. */
void doc_keep_begin(doc *d);
void doc_keep_end(doc *d);
/* Free the blocks added so far and keep the rest (settings, info, page
 * texts, footnotes): for a long document typeset in pieces
 * (typeset_stream_feed), whose blocks are dropped once fed. */
void doc_drop_blocks(doc *d);
/* A footnote: label is its marker ("1", "*"), text its spans. Returns the
 * id that a span's .footnote uses to place the marker; the note is set at
 * the foot of the page that holds the marker. */
int doc_footnote(doc *d, const char *label, const struct doc_span *s,
		 size_t n);

/* How many blocks d holds now (since the last doc_drop_blocks) and how
 * many footnotes it has. */
size_t doc_block_count(const doc *d);
size_t doc_note_count(const doc *d);

#endif
