/* doc-tree.h: the document tree as doc.c stores it, for doc.c and the
 * typesetter (typeset.c, ts-*.c), which reads the blocks and notes
 * directly. Nothing else includes it: other modules build documents
 * through doc.h and ask about them through its accessors. */
#ifndef DOSSIER_DOC_TREE_H
#define DOSSIER_DOC_TREE_H

#include "doc.h"

#include <stddef.h>

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

#endif
