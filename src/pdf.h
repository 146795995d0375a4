/* pdf.h: pages of boxes -> a PDF file, with libharu.
 *
 * Each face the document uses is embedded as a TrueType subset of the
 * characters drawn (HarfBuzz), loaded into libharu from memory; its
 * ToUnicode map lists exactly those characters, so text can be extracted
 * and searched. Headings become bookmarks, links clickable annotations
 * without a border: URI actions, GoTo actions to named destinations
 * (written in the catalog's /Names /Dests tree, so that other PDFs can
 * link to them too) and GoToR actions to another file. Rectangles are
 * filled with grey and hatched with clipped lines (no patterns, no
 * images). Page labels are written when the document has them. Info
 * title, author, subject and keywords are set in UTF-8, and the dates
 * only from the document's date, so the same input gives the same bytes.
 * Streams are compressed. A link to a destination that the document does
 * not define is a warning. */
#ifndef DOSSIER_PDF_H
#define DOSSIER_PDF_H

#include <stddef.h>

struct diag;
struct typeset_doc;

/* For measurements: embed whole font files instead of subsets; create
 * fonts with libharu's own UTF-8 set-up (a glyph lookup and width for all
 * 65536 code points per font) instead of mapping only the characters
 * drawn. The text drawn is the same. */
#define PDF_NO_SUBSET   1u
#define PDF_LIBHARU_UTF8 2u

/* Write td to path (the caller writes to a temporary name and renames).
 * Returns the number of pages, or -1 with an error in d; the file may then
 * be incomplete. Several threads may write documents at once. */
long pdf_write(const struct typeset_doc *td, const char *path,
	       unsigned flags, struct diag *d);

#endif
