/* specimen.h: sample documents in English, Russian and Armenian that show
 * every kind of block, for `make specimen`, the typesetting tests and the
 * benchmark. All names and events in them are fictional. */
#ifndef DOSSIER_SPECIMEN_H
#define DOSSIER_SPECIMEN_H

struct doc;

enum specimen_kind {
	SPECIMEN_FULL,  /* every block type, a table over three pages */
	SPECIMEN_SHORT, /* one or two pages, for golden dumps */
	SPECIMEN_BRIEF  /* three pages of headings and text, for timing */
};

/* Fill d (made with doc_new in lang "en", "ru" or "hy") with a specimen.
 * Images are read from img_dir when typeset (portrait.jpg,
 * landscape.png). Returns -1 for an unknown language. */
int specimen_build(struct doc *d, const char *lang, enum specimen_kind kind,
		   const char *img_dir);

#endif
