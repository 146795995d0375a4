/* tpl-private.h: what the parts of the layouts module (tpl*.c) share,
 * and no other file includes: the parsed forms of texts, conditions and
 * rules, and the functions between the files. tpl.c reads the .lay files
 * and holds the vocabulary; tpl-parse.c parses texts, tpl-cond.c
 * conditions; tpl-pseudo.c derives the pseudo-locale; tpl-expand.c
 * expands texts for a record; tpl-lint.c compares the languages. */
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
/* The names of the formats as a text writes them, "" for F_RAW
 * (tpl-parse.c). */
extern const char *const tpl_fmt_names[F_SELECT + 1];

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
/* The fields whose values are a closed list (category, status, ...). */
extern const struct enum_field tpl_enum_fields[];
extern const size_t tpl_n_enum_fields;
int tpl_enum_has(const struct enum_field *e, const char *v);
/* The list of values of field f, NULL when its values are free. */
const struct enum_field *tpl_enum_of(const char *f);
/* NULL when the text key can use field f, else why not. */
const char *tpl_field_misplaced(const char *key, const char *f);
int tpl_known_field(const char *f);
/* A field with one column per language (health: health_en, ...). */
int tpl_is_localized(const char *f);
int tpl_in_list(const char *s, const char *const *list, size_t n);
/* The characters of keys and condition words: a-z A-Z 0-9 _ - . */
int tpl_is_key_char(int c);
/* The characters of field names and plural categories: a-z 0-9 _ */
int tpl_is_ident_char(int c);

/* ---- the set (tpl.c) ---------------------------------------------------- */

struct entry *tpl_table_find(const struct table *t, const char *key);
/* The entry of key, added (empty) when there is none. */
struct entry *tpl_table_get(struct table *t, const char *key);
/* A language loaded, or the pseudo-locale; NULL for another code. */
const struct lang *tpl_lang_find(const tpl_set *s, const char *code);

/* ---- text read from a file, with the positions of its pieces
 * (tpl-parse.c) ---------------------------------------------------------- */

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

void tpl_st_reset(struct src_text *st);
void tpl_st_add(struct src_text *st, const char *s, size_t n, long line,
		long col);
/* The file, line and column of byte off of the joined text. */
struct diag_loc tpl_loc_at(const struct src_text *st, size_t off);

/* ---- texts (tpl-parse.c) ------------------------------------------------- */

/* Parse the whole of st->text.buf as a text into ns; -1 with the first
 * error in d. */
int tpl_text_parse(const struct src_text *st, struct nodes *ns,
		   struct diag *d);
void tpl_nodes_release(struct nodes *ns);

/* ---- conditions (tpl-cond.c) --------------------------------------------- */

/* Parse the whole of st->text.buf as a condition; NULL with the error in
 * d. */
struct cond *tpl_cond_parse(const struct src_text *st, struct diag *d);
/* A canonical spelling, so that the lint can compare conditions across
 * languages: fully parenthesized, the values of `in` sorted. */
void tpl_cond_canon(const struct cond *c, struct sbuf *out);
/* Whether c holds for f (a NULL condition always does). */
int tpl_cond_eval(const struct cond *c, const struct tpl_facts *f);
struct cond *tpl_cond_copy(const struct cond *c);
void tpl_cond_free(struct cond *c);
/* The value of the field name in f, NULL when it is empty or unknown. */
const char *tpl_get_raw(const struct tpl_facts *f, const char *name);

/* ---- the pseudo-locale (tpl-pseudo.c) ------------------------------------ */

/* Append s with its ASCII letters accented; returns the number of code
 * points appended. */
size_t tpl_pseudo_accent(const char *s, struct sbuf *out);
/* Derive s->pseudo from the English texts and citations. */
void tpl_pseudo_make(tpl_set *s);

#endif
