/* composer.h: the composer, layout texts -> document blocks (composer.c).
 * A composer expands a text of the layouts for its facts, converts the
 * spans, numbers the footnotes (in the order the document first cites
 * them) and adds the blocks to a document. The brief (compose.c), the
 * summary report (summary.c) and the proof sheet (proof.c) are built
 * with it.
 *
 * Not to be confused with compose.h, which is the brief: what a brief of
 * one record holds and in which order (compose_brief), and the facts of
 * a record as the layouts see them (compose_facts, compose_get).
 * composer.h is the tool; compose.h is one document made with it. */
#ifndef DOSSIER_COMPOSER_H
#define DOSSIER_COMPOSER_H

#include <stddef.h>

#include "doc.h"
#include "sbuf.h"
#include "tpl.h"

struct diag;

struct composer {
	const tpl_set *tpl;
	const char *lang;
	struct tpl_facts facts;
	struct tpl_notes notes;
	int *note_ids;           /* doc footnote id of note i + 1 */
	size_t nnote_ids;
	doc *doc;
	struct diag *d;
	const char *who;         /* "record F-001", "summary": for diagnostics */
	struct sbuf source;      /* the source string of the current text */
	int fallbacks;           /* texts taken from another language */
	int failed;
};

void composer_init(struct composer *c, const tpl_set *t, const char *lang,
		   tpl_get_fn get, void *ctx, doc *dc, const char *who,
		   struct diag *d);
void composer_release(struct composer *c);

/* A fact of every document: {page} and {pages} for "page" and "pages",
 * the placeholders kept for the typesetter, which numbers the pages;
 * NULL for another name. */
const char *composer_page_fact(const char *name);

/* Note the current text key for diagnostics about its spans. */
void composer_source(struct composer *c, const char *key);
/* Expand key into sp (appended); returns the number of spans. */
int composer_expand(struct composer *c, const char *key, struct tpl_spans *sp);
/* Document spans borrowing sp's strings (the caller frees the array);
 * footnotes cited so far are added to the document first. */
struct doc_span *composer_spans(struct composer *c, const struct tpl_spans *sp,
				unsigned extra_style);
/* Add the footnotes of every citation made so far. */
void composer_notes(struct composer *c);
/* The text of key as plain text, marks dropped (caller frees). */
char *composer_plain(struct composer *c, const char *key);
/* The document's Info: title and subject from the texts title_key and
 * subject_key (marks dropped), author "dossier". */
void composer_metadata(struct composer *c, const char *title_key,
		       const char *subject_key);
/* Drop the marks ("(transliterated)") and the space before them. */
void composer_strip_marks(struct tpl_spans *sp);

enum composer_block { CB_H1, CB_H2, CB_H3, CB_PARA, CB_JUSTIFY, CB_ITEM, CB_TITLE };
/* Add the text key as a block; returns 0 (adding nothing) when it expands
 * to nothing. CB_TITLE is a level-1 heading without marks. */
int composer_block(struct composer *c, enum composer_block kind, const char *key);
/* A fact-table row: label text and value text, skipped (returns 0) when
 * the value is empty. */
int composer_fact(struct composer *c, const char *label_key, const char *value_key);

#endif
