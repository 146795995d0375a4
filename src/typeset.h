/* typeset.h: a document tree and a font set in, pages of positioned boxes
 * out. Typesetting splits text into runs by script and font, breaks lines
 * at Unicode line-break opportunities (UAX #14, ICU) and, when the
 * document asks, at hyphenation points; it justifies by placing words,
 * lays out lists, tables and footnotes, and paginates (headings kept with
 * what follows, no widows or orphans, fact tables kept together, table
 * headers repeated). It never calls the PDF library: pdf.h draws the
 * result, dump.h prints it for tests.
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

size_t typeset_page_count(const typeset_doc *td);

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
