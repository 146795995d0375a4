/* ts.h: the typesetter's own types and the functions its files share
 * (typeset.c, ts-text.c, ts-rows.c, ts-chart.c, ts-page.c); nothing else
 * includes it. A struct ts is one document being typeset: blocks become
 * rows (ts-text.c for text, ts-rows.c for the rest, ts-chart.c for bar
 * charts), rows become pages (ts-page.c), and typeset.c runs the stream
 * that feeds them. Rows hold their boxes with y measured down from the
 * row's top; placing a row on a page turns them into the page
 * coordinates of pages.h. */
#ifndef DOSSIER_TS_H
#define DOSSIER_TS_H

#include "doc-tree.h"
#include "font.h"
#include "pages.h"
#include "typeset.h"

#include <stddef.h>
#include <stdint.h>
#include <unicode/ubrk.h>

struct diag;

/* ---- the style sheet, in points ---- */

#define BODY_SIZE   10.5
#define BODY_LEAD   14.5
#define PARA_GAP     6.0
#define SMALL_SIZE   8.0
#define SMALL_LEAD  10.5
#define TABLE_SIZE   9.0
#define TABLE_LEAD  12.0
#define CELL_PAD_X   4.0
#define CELL_PAD_Y   3.0
#define FACT_GAP     2.5
#define LIST_INDENT 18.0
#define NOTE_GAP    10.0 /* between text and the footnote rule */
#define SUPER_SCALE  0.62
#define SUPER_RISE   0.38
#define SMALL_SCALE  0.85
#define EPS          1e-6
#define MAX_HEADING_LINES 3 /* more is reported as not fitting */
#define MAX_LABEL_LINES   3 /* of a fact label */

/* ---- characters of a paragraph ---- */

struct pchar {
	uint32_t cp;
	const font_face *face;
	enum font_style style;
	double size, rise, w; /* points */
	const char *uri;      /* a link: uri, or dest and/or file */
	const char *dest, *file;
	const char *source;   /* where the text came from, for diagnostics */
	int note;             /* footnote id whose marker this is, or 0 */
	unsigned char brk;    /* break before: 0 no, 1 allowed, 2 mandatory */
	unsigned char space;  /* U+0020: stretches when justified */
	unsigned char invis;  /* not drawn: soft hyphen, ZWSP, line feed */
	unsigned char hl;     /* DOC_HIGHLIGHT */
};

struct para {
	struct pchar *c;
	size_t n, alloc;
};

struct line {
	size_t start, end, next; /* [start, end) drawn; next line at next */
	int hyphen;              /* draw a hyphen after end */
	int hard;                /* ended by a mandatory break or the end */
	double width;            /* natural width, hyphen included */
};

/* ---- rows and pages ---- */

struct row {
	double h, gap;        /* height; space above unless first on a page */
	int keep_next;        /* no page break after this row */
	int brk_before;       /* page break before this row */
	struct ts_box *box;   /* y: down from the row's top; see rebase() */
	size_t nbox, abox;
	int *notes;
	size_t nnotes, anotes;
	int table;            /* 1 + index of its table, 0 for none */
	int header;           /* a header row of its table */
	int outline_level;    /* a heading's first row: its bookmark */
	char *outline_title;
	char *anchor;         /* a named destination at this row; owned */
};

struct rows {
	struct row *v;
	size_t n, alloc;
};

struct table_info {
	struct rows head; /* copies of the header rows, repeated */
};

/* The table whose cells are coming. Its rows are set one at a time, as
 * their cells arrive; the cells of a row cut by the end of a feed are
 * held as copies, since the caller drops the blocks. */
struct open_table {
	int tid;                      /* 1 + index into ts->tables; 0: none */
	size_t ncols, header_rows, rn;/* rn: rows set so far */
	double *cw, *cx;              /* column widths and left edges */
	double gap;                   /* the space before the table */
	const struct doc_text **cell; /* the row being collected, ncols */
	struct doc_text *held;        /* copies that cell[] may point to */
	size_t ncell;
};

struct ts;

struct pager {
	struct ts *ts;
	struct ts_page *page;
	double cursor;   /* used height from the top of the text area */
	double notes_h;  /* height reserved for footnotes, rule included */
	int *notes;      /* footnote ids on this page */
	size_t nnotes, anotes;
	int fresh;       /* nothing but repeated headers on the page */
	int last_table;  /* the table of the last row placed */
};

struct ts {
	const doc *doc;       /* the blocks being fed; between feeds the
			       * settings copy below */
	doc *settings;        /* language, hyphenation, page texts: a copy,
			       * for what is set after a feed (furniture) */
	const font_set *fs;
	struct diag *d;
	typeset_doc *td;
	UBreakIterator *bi;
	int own_bi;           /* bi is ours to close, not the thread's */
	const font_hyph *hyph[FONT_NSCRIPTS];
	int lang_script;
	double measure, left, top, bottom, body_h;
	struct rows rows;     /* not yet paginated */
	struct table_info *tables;
	size_t ntables, atables;
	struct rows *notes;   /* laid-out footnotes, per id - 1 */
	double *note_h;
	size_t nnotes;        /* how many are laid out */
	char **note_label;    /* copies of the notes' labels, per id - 1 */
	size_t nlabels;
	int err;
	const char *box_kind; /* what is being set, for overflow warnings;
			       * NULL: none are reported */

	/* Blocks into rows: what one block leaves for the next, kept
	 * across feeds. */
	double gap;           /* space before the next block */
	int brk;              /* a page break before the next row */
	size_t keep_from[16], nkeep; /* open keep groups: first rows */
	struct { int kind, count; } lists[8];
	size_t nlists;
	struct open_table tab;

	/* Pagination. */
	struct pager pg;
	int keep;             /* keep the pages; furniture at the end */
	struct typeset_sink sink;
	size_t num_w_for;     /* num_w is the widest page number of */
	double num_w;         /* num_w_for pages */
};

static inline double fmax2(double a, double b) { return a > b ? a : b; }

/* ---- ts-text.c: text into characters, lines and rows ---- */

/* Append the characters of s in one style to p (UTF-8 and characters
 * that cannot be drawn at all are checked; faces are chosen by
 * ts_finish_para). */
int ts_add_text(struct ts *ts, struct para *p, const char *s,
		enum font_style style, double size, double rise,
		const char *uri, int note, const char *source);
/* Each character's face and width, and its line-break opportunities. */
int ts_finish_para(struct ts *ts, struct para *p);
/* p broken into lines (*out, which the caller frees); returns how many. */
size_t ts_break_para(const struct ts *ts, const struct para *p,
		     double first_measure, double measure, int hyphenate,
		     int justify, struct line **out);
/* Report text that does not fit: once per kind, source and what. */
void ts_overflow(const struct ts *ts, const char *kind, const char *source,
		 const char *text, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* One line of plain text into row r at x (or ending at x when right),
 * baseline base down from the row top. */
int ts_line_into(struct ts *ts, struct row *r, const char *text,
		 enum font_style style, double size, double x, double base,
		 int right, const char *source, double measure);
/* The width of text on one line; -1 on error. */
double ts_natural_width(struct ts *ts, const char *text,
			enum font_style style, double size, const char *source);
/* Text as rows, a line each (see ts-text.c). */
int ts_text_rows(struct ts *ts, const struct doc_text *t,
		 enum font_style base, double size, double lead, double x,
		 double measure, int justify, double gap, const char *marker,
		 double marker_x, int keep_all);
/* Text as a column of lines into r at (x, y); returns its height, or
 * sets *err. */
double ts_column_into(struct ts *ts, struct row *r, const struct doc_text *t,
		      enum font_style base, double size, double lead,
		      double x, double y, double measure, int *err);
/* The source of t's first span that has one; t's text without its
 * footnote markers (the caller frees). */
const char *ts_text_source(const struct doc_text *t);
char *ts_plain_text(const struct doc_text *t);

/* ---- ts-rows.c: rows and their boxes; blocks into rows ---- */

struct ts_box *ts_row_box(struct row *r, enum ts_box_kind kind);
void ts_row_note(struct row *r, int note);
/* A new empty row at the end of ts->rows (pointers into it may move). */
struct row *ts_new_row(struct ts *ts, double h, double gap);
void ts_box_release(struct ts_box *b);
struct ts_box ts_box_dup(const struct ts_box *b);
void ts_row_release(struct row *r);
void ts_rows_release(struct rows *rs);
/* The open table: keep the cells of a row cut by the end of a feed;
 * free it; end it (its last row and bottom rule). */
void ts_table_cells_hold(struct open_table *ot);
void ts_table_forget(struct open_table *ot);
int ts_table_close(struct ts *ts);
/* A page break asked for goes before the first row made since first. */
void ts_break_before(struct ts *ts, size_t first);
/* One block of any kind into rows. */
int ts_block_rows(struct ts *ts, const struct doc_block *b);

/* ---- ts-chart.c ---- */

/* A bar chart as one row. */
int ts_chart_rows(struct ts *ts, const struct doc_block *b, double gap);

/* ---- ts-page.c: footnotes, pagination, page furniture ---- */

/* Lay out the footnotes added since the last call. */
int ts_layout_notes(struct ts *ts);
/* Finish the current page and start the next one, with the header rows
 * of table (1 + its index; 0: none). */
void ts_new_page(struct pager *pg, int table);
/* Place the rows whose place is certain (all of them at_end). */
int ts_paginate(struct ts *ts, int at_end);
/* The header, footer and page number of page i of total. */
int ts_page_furniture(struct ts *ts, size_t i, size_t total);

#endif
