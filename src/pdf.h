/* pdf.h: pages of boxes -> a PDF file, written as the pages come.
 *
 * The writer keeps only what the end of the file needs (where each
 * object is, the characters drawn with each face, the pages' object
 * numbers), never a page once it is written: a summary of 100,000 rows
 * is written in the memory of a brief. Each face the document uses is
 * embedded as a TrueType subset of the characters drawn (HarfBuzz); its
 * ToUnicode map lists exactly those characters, so text can be extracted
 * and searched. Each run of a line in one font is one text-showing
 * operation. Headings become bookmarks, links clickable annotations
 * without a border: URI actions, GoTo actions to named destinations
 * (written in the catalog's /Names /Dests tree, so that other PDFs can
 * link to them too) and GoToR actions to another file. Rectangles are
 * filled with grey and hatched with clipped lines (no patterns, no
 * images). Page labels are written when the document has them. Info
 * title, author, subject and keywords are set in UTF-8, and the dates
 * only from the document's date, so the same input gives the same bytes.
 * The file is PDF 1.5: streams compressed, the other objects compressed
 * in object streams, a cross-reference stream. A link to a destination
 * that the document does not define is a warning. */
#ifndef DOSSIER_PDF_H
#define DOSSIER_PDF_H

#include <stddef.h>
#include <stdio.h>

struct diag;
struct font_set;
struct typeset_doc;

/* For measurements: embed whole font files instead of subsets. The text
 * drawn is the same. */
#define PDF_NO_SUBSET   1u

/* Write td to path (the caller writes to a temporary name and renames).
 * Returns the number of pages, or -1 with an error in d; the file may then
 * be incomplete. Several threads may write documents at once. */
long pdf_write(const struct typeset_doc *td, const char *path,
	       unsigned flags, struct diag *d);

/* The same, a page at a time (typeset_stream's sink): pdf_open starts the
 * file for documents typeset with fonts; pdf_page writes td->pages[index],
 * index counting from 0 without a gap; pdf_close writes what refers to the pages (bookmarks,
 * destinations, labels, Info: from td as it is then) and the fonts, and
 * returns the page count or -1. pdf_close and pdf_abort free w. td is
 * the same document throughout; its images may grow between pages. */
typedef struct pdf_writer pdf_writer;
pdf_writer *pdf_open(const char *path, const struct font_set *fonts,
		     unsigned flags, struct diag *d);
int pdf_page(pdf_writer *w, const struct typeset_doc *td, size_t index);
long pdf_close(pdf_writer *w, const struct typeset_doc *td);
void pdf_abort(pdf_writer *w);

/* The SHA-256 and size of the file written, computed as it is written
 * (no second read): pdf_close_file and pdf_write_file fill out on
 * success. */
struct pdf_file {
	unsigned char sha256[32];
	long long size;
};
long pdf_close_file(pdf_writer *w, const struct typeset_doc *td,
		    struct pdf_file *out);
long pdf_write_file(const struct typeset_doc *td, const char *path,
		    unsigned flags, struct pdf_file *out, struct diag *d);

/* The same into a stream the caller opened and closes (a file, or memory
 * from open_memstream, so that nothing reaches the disk before it is
 * encrypted); name is the document's name in messages. The writer flushes
 * fp and checks it for errors at the end, but does not close it. */
pdf_writer *pdf_open_fp(FILE *fp, const char *name, const struct font_set *fonts,
			unsigned flags, struct diag *d);
long pdf_write_fp(const struct typeset_doc *td, FILE *fp, const char *name,
		  unsigned flags, struct pdf_file *out, struct diag *d);

#endif
