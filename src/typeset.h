/* typeset.h: a document tree and a font set in, pages of positioned boxes
 * out. Typesetting splits text into runs by script and font, breaks lines
 * at Unicode line-break opportunities (UAX #14, ICU) and, when the
 * document asks, at hyphenation points; it justifies by placing words,
 * lays out lists, tables and footnotes, and paginates (headings kept with
 * what follows, no widows or orphans, fact tables kept together, table
 * headers repeated). Bar charts are drawn as rectangles, rules and
 * text. It never calls the PDF library: pdf.h draws the result, dump.h
 * prints it for tests, both reading the pages that pages.h describes.
 * Typeset documents can be joined into a binder (binder.h).
 *
 * Measurements are PostScript points. The font set is only read, so
 * several threads may typeset with one set at once. */
#ifndef DOSSIER_TYPESET_H
#define DOSSIER_TYPESET_H

#include <stddef.h>
#include <stdint.h>

struct diag;
struct doc;
struct font_set;
struct font_face;

typedef struct typeset_doc typeset_doc;

/* Typeset doc with fonts. Returns the pages, which the caller frees with
 * typeset_free; or NULL with errors in d: a character that no configured
 * font has (named as U+XXXX with the span's source), text that is not
 * UTF-8, an image that cannot be read. fonts must outlive the result. */
typeset_doc *typeset_run(const struct doc *doc, const struct font_set *fonts,
			 struct diag *d);
void typeset_free(typeset_doc *td); /* NULL is fine */

/* Images: each thread keeps the last image it loaded (its samples, or a
 * JPEG's bytes), keyed by the file's path, device, inode, size and
 * modification and change times, so the briefs of one record in three
 * languages decode its photo once. The entry is replaced by the next
 * image, freed when the thread exits and, for the thread that calls
 * exit, at exit; typeset_image_cache_clear frees the calling thread's
 * now. */
void typeset_image_cache_clear(void);
/* How many images the calling thread has read and decoded (not served
 * from its cache), for tests. */
size_t typeset_image_decodes(void);

size_t typeset_page_count(const typeset_doc *td);

/* Streaming, for documents too long to hold whole (the summary of a long
 * roster): blocks are fed in pieces, and each page is handed to the sink
 * as soon as it is final, then its boxes are freed. Rows are paginated as
 * soon as their place is certain, so what is held is a page, the rows of
 * an open keep group or fact table and the chain that ends them, the
 * footnotes and the header rows of the tables. Fed whole, or in pieces
 * at row boundaries, the pages are those of typeset_run box for box
 * (with total_pages its count), and so are the outline, destinations and
 * overflows (these in another order when fed in pieces). */
struct typeset_sink {
	/* td->pages[index] is complete (furniture included when
	 * total_pages is set); its boxes are freed after the call.
	 * Returns 0, or -1 to stop (with an error in the diag). td is
	 * the document so far: the images the page draws are in
	 * td->images, but the outline and named destinations are whole
	 * only in typeset_stream_end's result (a link may go to an anchor
	 * on a later page). Pages come in order, 0, 1, 2... */
	int (*page)(void *ctx, const typeset_doc *td, size_t index);
	void *ctx;
	/* The number of pages, for "Page X of Y" and the header/footer:
	 * 0 on a first pass that only counts the pages (no furniture). */
	size_t total_pages;
};
typedef struct typeset_stream typeset_stream;
/* A stream for documents like d (its language, paper, info and page
 * texts; d's blocks are not read yet). sink is copied; NULL keeps every
 * page in the result with its furniture added at the end, as
 * typeset_run does. Errors and overflow warnings go to dg, which must
 * outlive the stream, as must fs. NULL (error in dg) when ICU's line
 * breaker cannot be opened. */
typeset_stream *typeset_stream_new(const struct doc *d, const struct font_set *fs,
				   const struct typeset_sink *sink, struct diag *dg);
/* Typeset the blocks d holds now (all of them); afterwards the caller may
 * drop them with doc_drop_blocks(d) and add more. d is the document given
 * to typeset_stream_new (its page texts and info are read again at each
 * feed; its footnotes, which doc_drop_blocks keeps, are laid out as they
 * come). A table may go on over several feeds, but a feed should end at
 * the end of a table row (the cells of a row cut are held as copies).
 * Finished pages go to the sink during the call. Returns 0 or -1 (errors
 * in dg, or the sink stopped); after -1 only typeset_stream_end (which
 * then returns NULL) or typeset_stream_abort remain. */
int typeset_stream_feed(typeset_stream *s, struct doc *d);
/* The end of the document: the last pages go to the sink. Returns the
 * typeset_doc (outline, named destinations, labels, overflows, info,
 * images, page count in npages; the pages' boxes are gone) to free with
 * typeset_free, or NULL on error; frees s either way. */
typeset_doc *typeset_stream_end(typeset_stream *s);
void typeset_stream_abort(typeset_stream *s); /* free without finishing */

/* Text that did not fit as designed: a word longer than its line (cut),
 * a page header or footer too long for its space (set smaller or cut),
 * a heading or fact label wrapped to more than 3 lines, a chart label
 * beyond 3 lines, a table header row or footnote taller than half the
 * page, a chart taller than the page. typeset_run reports each once as a
 * DIAG_WARNING at the span's source (or at "page header", "page footer",
 * "page number"), worded
 *
 *   KIND: text does not fit: WHAT: "TEXT"
 *
 * where KIND is the box: "heading", "paragraph", "list item", "table
 * cell", "fact label", "fact value", "footnote", "page header", "page
 * footer", "page number", "chart label", "chart legend", "chart"; and
 * WHAT says how, e.g. "word longer than the line (160 pt), cut".
 * typeset_overflow lets a caller find them again (e.g. to highlight the
 * spans with that source in a proof); i runs from 0 to
 * typeset_overflow_count - 1. The strings belong to td. */
struct typeset_overflow {
	const char *kind, *source, *what;
};
size_t typeset_overflow_count(const typeset_doc *td);
struct typeset_overflow typeset_overflow(const typeset_doc *td, size_t i);

/* Named destinations (doc_anchor) and where they landed: the 0-based
 * page of name, or -1 when td has none of that name. */
long typeset_dest_page(const typeset_doc *td, const char *name);

/* Width in points of UTF-8 text set in one style at size, as typesetting
 * measures it (each character in the first face of its chain that has
 * it; style is an enum font_style, lang picks the script of common
 * characters). -1 when some character has no font. */
double typeset_text_width(const struct font_set *fonts, int style,
			  const char *lang, const char *text, double size);

/* Break UTF-8 text into lines no wider than measure points, in the body
 * style at size, like a left-aligned paragraph. Stores the byte offset at
 * which each line starts in starts (up to max) and returns the number of
 * lines, or -1 (with d) on error. For tests and callers that fit text. */
long typeset_break_lines(const struct font_set *fonts, const char *lang,
			 const char *text, double size, double measure,
			 int hyphenate, size_t *starts, size_t max,
			 struct diag *d);

#endif
