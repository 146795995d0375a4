/* summary.h: the summary report of a roster in one language, as a
 * document tree: cover, context, key figures, charts, the people by
 * group, the legal framework and the roster table (sorted by name in the
 * language's collation, each row linked to the person's brief). The
 * summary goes to recipients and says nothing of the records left out;
 * for internal use (render --left-out-appendix) it ends with an appendix
 * listing them, and a key figure counts them. Every figure is computed
 * here from the records; every word comes from the layouts
 * (summary.lay). */
#ifndef DOSSIER_SUMMARY_H
#define DOSSIER_SUMMARY_H

#include <stddef.h>

#include "doc.h"
#include "record.h"
#include "tpl.h"

struct diag;

/* What the summary keeps of a record: a few fields, not the record. */
struct summary_person {
	char *id;
	char *name_en, *name_ru, *name_hy;  /* as in the roster, "" if none */
	char *detained_on;                  /* as in the roster */
	char *sentence;                     /* sentence_years as in the roster */
	enum category category;
	enum status status;
	enum ack ack;
	struct rdate detained;
	int sentence_life;
	double sentence_years;
	const char *brief[8]; /* per language: the brief's file name (borrowed),
			       * or NULL */
};

struct summary_skip {
	long line;
	char *id;
	char *reason;
};

struct summary_input {
	const struct summary_person *const *people; /* npeople pointers */
	size_t npeople;
	const struct summary_skip *skips;   /* the records left out; shown */
	size_t nskips;                      /* only with left_out_appendix */
	int left_out_appendix;  /* internal use: the appendix of the records
				 * left out and their count among the figures */
	struct rdate as_of;
	enum doc_paper paper;
};

/* How the roster table links to the briefs: by file (summary.pdf beside
 * the briefs folder), or to destinations "brief:<id>" (the binder). */
enum summary_links { SUMMARY_LINK_FILES, SUMMARY_LINK_DESTS };

/* Fill p from rec (copies what it keeps); release with
 * summary_person_release. */
void summary_person_init(struct summary_person *p, const struct record *rec);
void summary_person_release(struct summary_person *p);

/* The summary in lang; lang_index picks p->brief[]. Returns the document
 * or NULL with errors in d. */
doc *summary_compose(const tpl_set *t, const char *lang, size_t lang_index,
		     const struct summary_input *in, enum summary_links links,
		     struct diag *d);

/* The summary in pieces, for typeset_stream: summary_stream_new composes
 * the front matter (up to the roster table's header); each
 * summary_stream_next appends the next rows (at most 256), then the rest
 * of the document. Footnotes of what was added are in the doc
 * (composer_notes) before each returns. The caller may drop the blocks
 * fed (doc_drop_blocks) between calls; summary_compose is the same
 * pieces, kept. t, in and d must outlive the stream (lang is copied).
 * summary_stream_new returns NULL with errors in d when the front matter
 * cannot be composed. */
typedef struct summary_stream summary_stream;
summary_stream *summary_stream_new(const tpl_set *t, const char *lang, size_t lang_index,
				   const struct summary_input *in, enum summary_links links,
				   struct diag *d);
doc *summary_stream_doc(summary_stream *s); /* owned by s */
/* 1: more blocks were added; 0: the document is complete (nothing added);
 * -1: an error in d. */
int summary_stream_next(summary_stream *s);
void summary_stream_free(summary_stream *s);

/* The people in the order of the roster table in lang (the language's
 * collation of the names as the briefs print them). *order is an array
 * of indexes the caller frees. Returns 0, or -1 with an error in d (and
 * *order NULL) when ICU cannot open the language's collation. */
int summary_sort(const tpl_set *t, const char *lang,
		 const struct summary_input *in, size_t **order, struct diag *d);
/* summary_sort for a caller that composes the summary too: on an error,
 * the roster's order, and summary_compose (which sorts the same way)
 * reports the error and fails. */
void summary_order(const tpl_set *t, const char *lang,
		   const struct summary_input *in, size_t **order);


/* The plain text of a summary or binder text key in lang (for
 * bookmarks); caller frees. */
char *summary_text(const tpl_set *t, const char *lang,
		   const struct summary_input *in, const char *key);

/* The person's name as the briefs in lang print it (caller frees). */
char *summary_name(const tpl_set *t, const char *lang,
		   const struct summary_person *p);

/* The print binder's front matter in lang: a cover (binder.doc.*) and
 * the table of contents: the summary, then every brief in the order of
 * `order` (summary_order), each with its page label and a link to its
 * destination ("summary", "brief:<id>"). labels[0] is the summary's
 * label, labels[1 + i] that of the i-th brief; NULL labels print as a
 * placeholder ("000") so that a first pass can count the pages. */
doc *summary_front(const tpl_set *t, const char *lang,
		   const struct summary_input *in, const size_t *order,
		   const char *const *labels, struct diag *d);

#endif
