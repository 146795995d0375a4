/* tpl-private.h: what the parts of the layouts module share: the parsed
 * forms of texts, conditions and rules (tpl.c reads and expands them,
 * tpl-lint.c compares the languages), and a few lookups of the
 * vocabulary. */
#ifndef DOSSIER_TPL_PRIVATE_H
#define DOSSIER_TPL_PRIVATE_H

#include "tpl.h"
#include "diag.h"
#include "sbuf.h"
#include "util.h"

#include <stddef.h>

/* ---- the parsed forms ------------------------------------------------ */

enum node_kind {
	N_TEXT,   /* literal text */
	N_BOLD,   /* ** toggles bold */
	N_ITALIC, /* * toggles italic */
	N_BREAK,  /* \n */
	N_CITE,   /* [@key] */
	N_FIELD,  /* {field, format, ...} */
	N_HASH,   /* # inside a plural branch: the number */
	N_LINK,   /* [text](uri) */
};

enum field_fmt { F_RAW, F_DATE, F_NUMBER, F_PLURAL, F_LABEL, F_YEARS, F_DAYS,
		 F_SELECT };
static const char *const fmt_names[] = { "", "date", "number", "plural",
					 "label", "years", "days", "select" };

struct node;
struct nodes {
	struct node *v;
	size_t n, alloc;
};

struct branch {
	char *cat; /* plural category, or the value a select branch is for */
	struct nodes body;
	long line, col;
};

struct node {
	enum node_kind kind;
	char *text; /* N_TEXT text, N_CITE key, N_FIELD field name */
	enum field_fmt fmt;
	struct branch *br; /* N_FIELD plural or select; one is "other" */
	size_t nbr;
	struct nodes kids, uri; /* N_LINK */
	long line, col;
};

enum cond_op { C_HAS, C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE, C_IN, C_NOT,
	       C_AND, C_OR };
static const char *const op_names[] = { "", "=", "!=", "<", "<=", ">", ">=",
					"in", "not", "and", "or" };

struct cond {
	enum cond_op op;
	char *field;
	char **vals;
	size_t nvals;
	struct cond *a, *b;
	long line, col;
};

struct variant {
	struct cond *cond; /* NULL: always */
	char *canon;       /* canonical condition, "" when none */
	struct nodes body;
	const char *file;  /* borrowed from the set's file list */
	long line;
};

struct entry {
	char *key;
	struct variant *v;
	size_t n, alloc;
};

struct table {
	struct entry *e;
	size_t n, alloc;
};

struct lang {
	const char *code;
	const char *data;      /* whose record values and formats it uses:
				* the code itself, "en" for the pseudo-locale */
	int pseudo;            /* derived from en by tpl_load (tpl.h) */
	struct table texts, cites;
	const char *cite_file; /* NULL when the language has none */
	const char *text_file; /* the first file of texts, for findings */
	const char *summary_file; /* summary.lay, NULL when there is none */
};

struct rule {
	char *id;
	struct cond *cond;
	char *canon;
	char **keys;
	size_t nkeys;
	const char *file;
	long line;
};

struct source {
	char *key, *status;
	long line;
};

struct tpl_set {
	struct lang langs[FMT_NLANGS];
	size_t nlangs;
	struct lang pseudo; /* TPL_PSEUDO_LANG, not among langs */
	struct rule *rules;
	size_t nrules, arules;
	struct source *src;
	size_t nsrc, asrc;
	const char *rules_file, *sources_file;
	char **files; /* every path read; variants point into it */
	size_t nfiles, afiles;
	fmt_set *fmt;
	translit_set *tr;
	const char *root; /* the layouts folder, while tpl_load reads it */
};

/* ---- the vocabulary (tpl.c) ------------------------------------------- */

struct enum_field {
	const char *field;
	const char *const *values;
};
extern const struct enum_field enum_fields[];
extern const size_t n_enum_fields;
int enum_has(const struct enum_field *e, const char *v);
const struct enum_field *enum_of(const char *f);
const char *field_misplaced(const char *key, const char *f);
int known_field(const char *f);
struct entry *table_find(const struct table *t, const char *key);

/* Text read from a file, with the positions of its pieces (tpl.c). */
struct seg {
	size_t off;
	long line, col;
};

struct src_text {
	struct sbuf text;
	struct seg *seg;
	size_t nseg, aseg;
	const char *file;
};

/* Shared by reading (tpl.c), expanding (tpl-expand.c) and the lint. */
int cond_eval(const struct cond *c, const struct tpl_facts *f);
void cond_free(struct cond *c);
const struct lang *find_lang(const tpl_set *s, const char *code);
const char *get_raw(const struct tpl_facts *f, const char *name);
int is_localized(const char *f);
struct cond *parse_cond(const struct src_text *st, struct diag *d);
size_t pseudo_accent(const char *s, struct sbuf *out);
void st_add(struct src_text *st, const char *s, size_t n, long line,
		   long col);

#endif
