/* typeset-private.h: internals shared by the typesetting stage (doc.c,
 * typeset.c, binder.c, pdf.c, dump.c): the document tree as doc.c stores
 * it, and the pages of positioned boxes that typeset.c and binder.c make
 * and pdf.c and dump.c read. Nothing outside these files (and their
 * tests) includes it. */
#ifndef DOSSIER_TYPESET_PRIVATE_H
#define DOSSIER_TYPESET_PRIVATE_H

#include "doc.h"
#include "font.h"
#include "typeset.h"

#include <stddef.h>
#include <stdint.h>

/* ---- the document tree (doc.c) ---- */

struct doc_rspan {
	char *text, *uri, *source; /* owned; text never NULL */
	unsigned style;
	int footnote;
	char *dest, *file;         /* owned; see doc_span */
};

struct doc_text {
	struct doc_rspan *v;
	size_t n;
};

/* Free the spans of t (not t itself). */
void doc_text_release(struct doc_text *t);

enum doc_block_kind {
	BLK_HEADING, BLK_PARA, BLK_ITEM, BLK_FACT, BLK_CELL, BLK_IMAGE,
	BLK_RULE, BLK_BREAK, BLK_KEEP_BEGIN, BLK_KEEP_END, BLK_FACTS_BEGIN,
	BLK_FACTS_END, BLK_TABLE_BEGIN, BLK_TABLE_END, BLK_LIST_BEGIN,
	BLK_LIST_END, BLK_ANCHOR, BLK_CHART
};

/* A bar chart as doc_chart_bars() copied it. */
struct doc_chart_data {
	char **cats;
	size_t ncat, nser;
	char **labels;      /* per series */
	double *values;     /* nser x ncat, series by series */
	int stacked, horizontal, decimals;
	double height;
};

struct doc_block {
	enum doc_block_kind kind;
	int level;                /* heading level; list kind */
	enum doc_align align;
	struct doc_text text;     /* heading, paragraph, item, cell, label */
	struct doc_text value;    /* fact value */
	char *path, *source;      /* image */
	double w, h;              /* image box */
	size_t ncols, header_rows;
	double *widths;           /* table column widths, ncols */
	char *name;               /* anchor */
	struct doc_chart_data *chart;
};

struct doc_note {
	char *label;
	struct doc_text text;
};

struct doc {
	char lang[8];
	enum doc_paper paper;
	char *info[DOC_NINFO];
	int has_date, date[6];
	int hyphenate, justify_fallback;
	char *header, *footer_left, *page_template;
	struct doc_block *blocks;
	size_t nblocks, ablocks;
	struct doc_note *notes;
	size_t nnotes, anotes;
};

/* ---- pages of boxes (typeset.c) ---- */

enum ts_box_kind { TS_TEXT, TS_LINK, TS_RULE, TS_IMAGE, TS_RECT };

/* Hatching of a rectangle, drawn clipped to it. */
enum ts_hatch { HATCH_NONE, HATCH_DIAG, HATCH_BACK, HATCH_CROSS, HATCH_HORIZ };

/* A positioned box in PostScript points, origin at the bottom left of
 * the page. Text: (x, y) is the start of the baseline, w its advance.
 * Link, image and rectangle: (x, y) the bottom left corner, w x h the
 * size. Rule: a line from (x, y) to (x + w, y + h) of thickness lw.
 * Rectangle: filled with grey level fill (0 black .. 1 white; negative:
 * not filled), hatched, outlined when lw > 0. */
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
};

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

struct ts_outline {
	int level;
	char *title;  /* UTF-8, owned */
	size_t page;  /* 0-based */
	double y;     /* top of the heading */
};

/* An image ready for PDF: JPEG bytes as they are, or 8-bit samples. */
struct ts_image {
	int jpeg;
	unsigned char *data; /* owned */
	size_t len;
	unsigned width, height;
	int components;      /* 1 gray, 3 RGB */
};

/* How many images the calling thread has read and decoded (not served
 * from its cache), for tests. */
size_t typeset_image_decodes(void);

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
