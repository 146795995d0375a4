/* binder.h: joining typeset documents into one (a binder: cover,
 * contents, summary and briefs), with bookmarks, page labels and a
 * running page number. The parts' pages are taken as they are. */
#ifndef DOSSIER_BINDER_H
#define DOSSIER_BINDER_H

#include "diag.h"
#include "typeset.h"

#include <stddef.h>

/* How binder_concat places one part. */
struct binder_part {
	const char *bookmark; /* a top-level bookmark at the part's first
			       * page (UTF-8), e.g. the person's name; NULL:
			       * none */
	int headings;         /* keep the part's own bookmarks (nested under
			       * .bookmark when there is one); 0 drops them */
	int odd;              /* start on an odd (right-hand) page: a blank
			       * page is inserted before it when needed */
	int label;            /* page labels from the part's first page on:
			       * 'r' lowercase roman, 'D' decimal, counting
			       * from 1; 0 goes on counting */
	const char *label_prefix; /* ASCII, with .label; may be NULL */
};

struct binder_opts {
	/* One per part, or NULL: every part with its bookmarks, no page
	 * labels, starting on the next page. */
	const struct binder_part *part;
	/* The running page number at the bottom centre of every page,
	 * below the part's own footer, with {page} the page's label (its
	 * roman or decimal number) and {pages} the total, e.g. "{page}";
	 * NULL: none. Inserted blank pages get none unless number_blank. */
	const char *number_template;
	int number_blank;
	/* Info of the binder; NULL takes the first part's. */
	const char *title, *author, *subject, *keywords;
	/* Out, when not NULL: the 0-based index of the first page of each
	 * part (n entries), for a table of contents. */
	size_t *first_page;
};

/* The label of page (0-based) as a reader shows it and the running
 * number prints it: "iv", "12" (the page's number counted from 1 without
 * labels). Returns snprintf's count. */
int binder_page_label(const typeset_doc *td, size_t page, char *buf,
		       size_t size);

/* One document of parts, in order: each keeps its own pages, header,
 * footer and "Page X of Y"; pages are inserted so that .odd parts start
 * on odd pages; bookmarks and named destinations are merged (a link in
 * one part to an anchor in another works; the first of equal names
 * counts, with a warning); page labels and the running number are
 * added. Parts must share one font set and are not changed. Returns NULL
 * with an error in d for parts with different font sets. */
typeset_doc *binder_concat(const typeset_doc *const *parts, size_t n,
			    const struct binder_opts *opt, struct diag *d);

#endif
