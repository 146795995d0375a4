/* doc.h: the document tree that typesetting reads.
 *
 * A composer builds a document block by block: headings, paragraphs of
 * rich text spans, lists, fact tables, general tables, images, rules, page
 * breaks, groups kept on one page, and footnotes. Every string is copied
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

enum doc_paper { DOC_A4, DOC_LETTER };
enum doc_align { DOC_LEFT, DOC_JUSTIFY };
enum doc_list_kind { DOC_BULLETS, DOC_NUMBERS };
enum doc_info { DOC_TITLE, DOC_AUTHOR, DOC_SUBJECT, DOC_KEYWORDS, DOC_NINFO };

/* Style bits of a span. */
#define DOC_BOLD   1u
#define DOC_ITALIC 2u
#define DOC_SMALL  4u  /* a smaller size of the same face */
#define DOC_SUPER  8u  /* superscript */

/* A piece of inline text in one style. */
struct doc_span {
	const char *text;   /* UTF-8; may be NULL for a footnote marker */
	unsigned style;     /* DOC_BOLD | DOC_ITALIC | ... */
	const char *uri;    /* non-NULL: a link to this URI (ASCII or UTF-8) */
	const char *source; /* where the text came from, for diagnostics */
	int footnote;       /* non-zero: a marker for doc_footnote()'s note;
			     * drawn as its label, superscript */
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
/* Blocks between begin and end are kept on one page when they fit. */
void doc_keep_begin(doc *d);
void doc_keep_end(doc *d);
/* A footnote: label is its marker ("1", "*"), text its spans. Returns the
 * id that a span's .footnote uses to place the marker; the note is set at
 * the foot of the page that holds the marker. */
int doc_footnote(doc *d, const char *label, const struct doc_span *s,
		 size_t n);

#endif
