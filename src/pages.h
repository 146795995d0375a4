/* pages.h: typeset pages, the interface between typesetting and output.
 *
 * Who makes them: the typesetter (typeset_run and typeset_stream_* in
 * typeset.c and ts-*.c) lays a document out into a typeset_doc, and the
 * binder (binder_concat, binder.c) joins several into a new one. Who
 * reads them: pdf.c writes them as PDF, dump.c prints them as text for
 * tests, a caller's typeset_sink sees each page of a stream as it is
 * finished. Readers never change them.
 *
 * Ownership: a typeset_doc owns everything it points to (pages and
 * their boxes, box strings, outline titles, image data, destination
 * names, label prefixes, overflow texts) and typeset_free frees it all.
 * Font faces are borrowed from the font set given to typesetting, which
 * must outlive the typeset_doc. A streamed document gives up each page's
 * boxes once the sink has seen them: its page entries stay, empty.
 *
 * Units: PostScript points (1/72 inch), origin at the bottom left of the
 * page, y up. Page and image indices are 0-based.
 *
 * Structure (tagged PDF, to come): every box has an .elem, the structure
 * element it belongs to; 0 today for all, and nothing reads it yet. When
 * pdf.c writes tags, each run of consecutive boxes of a page with the
 * same non-zero .elem becomes one marked-content sequence in the page's
 * content stream (BDC with the element's tag and an MCID counting from 0
 * on each page ... EMC), the element records (page, MCID) pairs for the
 * structure tree and the page's parent tree, and boxes with .elem 0
 * (headers, footers, page numbers, footnote rules) are marked as
 * artifacts. The typesetter will then place an element's boxes next to
 * one another, in reading order. */
#ifndef DOSSIER_PAGES_H
#define DOSSIER_PAGES_H

#include "doc.h"
#include "font.h"
#include "image.h"
#include "typeset.h"

#include <stddef.h>
#include <stdint.h>

enum ts_box_kind { TS_TEXT, TS_LINK, TS_RULE, TS_IMAGE, TS_RECT };

/* Hatching of a rectangle, drawn clipped to it. */
enum ts_hatch { HATCH_NONE, HATCH_DIAG, HATCH_BACK, HATCH_CROSS, HATCH_HORIZ };

/* A positioned box. Text: (x, y) is the start of the baseline, w its
 * advance. Link, image and rectangle: (x, y) the bottom left corner,
 * w x h the size. Rule: a line from (x, y) to (x + w, y + h) of
 * thickness lw. Rectangle: filled with grey level fill (0 black ..
 * 1 white; negative: not filled), hatched, outlined when lw > 0. */
struct ts_box {
	enum ts_box_kind kind;
	double x, y, w, h, lw;
	const font_face *face;
	double size;
	char *text;   /* UTF-8, NUL-terminated (text); URI (link); owned */
	size_t image; /* index into typeset_doc.images */
	double fill;  /* rectangle */
	int hatch;    /* rectangle: enum ts_hatch */
	char *dest;   /* link: named destination; owned, may be NULL */
	char *file;   /* link: another PDF; owned, may be NULL */
	size_t elem;  /* structure element (see above); 0: none, as yet
		       * every box */
};

/* A page's boxes in drawing order (later boxes over earlier ones). */
struct ts_page {
	struct ts_box *box;
	size_t n, alloc;
	double w, h;  /* this page's size; 0: the document's */
};

/* A named destination: the top of a block. */
struct ts_dest {
	char *name;   /* owned */
	size_t page;
	double y;
};

/* Page labels: from page on, numbered by style from first. */
struct ts_label {
	size_t page;
	int style;    /* 'D' decimal, 'r' lowercase roman */
	unsigned first;
	char *prefix; /* ASCII, owned, may be NULL */
};

/* Text that did not fit as designed (see typeset_overflow). */
struct ts_overflow {
	char *kind, *source, *what; /* owned */
	size_t page;                /* 0-based; (size_t)-1 before pagination */
};

/* A bookmark. */
struct ts_outline {
	int level;
	char *title;  /* UTF-8, owned */
	size_t page;  /* 0-based */
	double y;     /* top of the heading */
};

/* struct ts_image, an image ready for PDF, is in image.h. */

struct typeset_doc {
	double page_w, page_h;
	struct ts_page *pages;
	size_t npages, apages;
	struct ts_outline *outline;
	size_t noutline, aoutline;
	struct ts_image *images;
	size_t nimages, aimages;
	char *info[DOC_NINFO];
	int has_date, date[6];
	char lang[8];
	const font_set *fonts;
	struct ts_dest *dests;
	size_t ndests, adests;
	struct ts_label *labels;
	size_t nlabels, alabels;
	struct ts_overflow *over;
	size_t nover, aover;
};

#endif
