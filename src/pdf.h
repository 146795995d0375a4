/* pdf.h: pages of boxes -> a PDF file, with libharu.
 *
 * Each face the document uses is embedded as a TrueType subset of the
 * characters drawn (HarfBuzz); its ToUnicode map lists exactly those
 * characters, so text can be extracted and searched. Each run of a line
 * in one font is one text-showing operation. Headings become bookmarks, links clickable annotations
 * without a border: URI actions, GoTo actions to named destinations
 * (written in the catalog's /Names /Dests tree, so that other PDFs can
 * link to them too) and GoToR actions to another file. Rectangles are
 * filled with grey and hatched with clipped lines (no patterns, no
 * images). Page labels are written when the document has them. Info
 * title, author, subject and keywords are set in UTF-8, and the dates
 * only from the document's date, so the same input gives the same bytes.
 * Streams are compressed, and the other objects too, in object streams
 * (PDF 1.5). A link to a destination that the document does
 * not define is a warning. */
#ifndef DOSSIER_PDF_H
#define DOSSIER_PDF_H

#include <stddef.h>

struct diag;
struct typeset_doc;

/* For measurements: embed whole font files instead of subsets. The text
 * drawn is the same. */
#define PDF_NO_SUBSET   1u

/* Write td to path (the caller writes to a temporary name and renames).
 * Returns the number of pages, or -1 with an error in d; the file may then
 * be incomplete. Several threads may write documents at once. */
long pdf_write(const struct typeset_doc *td, const char *path,
	       unsigned flags, struct diag *d);

#endif
