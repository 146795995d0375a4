/* tpl.h: the layouts, i.e. the words of the briefs in every language, the
 * rules that say which legal arguments apply to which facts, and the
 * citations. The format is documented for translators in layouts/README.md.
 *
 * A layouts folder holds:
 *   sources.lay            citation keys of legal/SOURCES.md and their status
 *   rules.lay              arguments: id [condition]: citation keys, in order
 *   LANG/NAME.lay          texts of the language LANG (en, ru, hy)
 *   LANG/citations.lay     the full reference of each citation key in LANG
 *   translit/FROM-TO.txt   transliteration rules (translit.h)
 *
 * How a composer uses it:
 *
 *   tpl_set *s = tpl_load("layouts", &d);          once, at start
 *   struct tpl_facts f = { get_field, record };   get_field returns a
 *                                                 field's value or NULL
 *   const char **args; size_t nargs;
 *   tpl_rules(s, &f, &args, &nargs);              ordered argument ids
 *   struct tpl_notes notes = TPL_NOTES_INIT;      one per document
 *   struct tpl_spans sp = TPL_SPANS_INIT;
 *   tpl_expand(s, "ru", "title", &f, &notes, &sp, &d);
 *   for each id: tpl_expandf(s, "ru", &f, &notes, &sp, &d, "arg.%s", id);
 *   for each notes.keys[i]: tpl_citation(s, "ru", notes.keys[i], &sp, &d)
 *                           is footnote number i + 1
 *
 * Footnotes are numbered in the order the document first cites them;
 * tpl_lint makes sure every language cites in the same order, so the
 * numbers agree across languages.
 *
 * A tpl_set is read-only after tpl_load: one set serves every document and
 * every thread. */
#ifndef DOSSIER_TPL_H
#define DOSSIER_TPL_H

#include <stddef.h>

#include "fmt.h"
#include "translit.h"

struct diag;
struct sbuf;

typedef struct tpl_set tpl_set;

/* The facts of one record: get returns the value of a field (record
 * columns as named in DESIGN.md, e.g. "status", "circumstances_ru", and
 * the computed facts listed in layouts/README.md: "as_of",
 * "days_detained", "age", "page", "pages", "url") or NULL when it is empty
 * or unknown. The strings must live until the call that asked returns. */
typedef const char *(*tpl_get_fn)(void *ctx, const char *name);
struct tpl_facts {
	tpl_get_fn get;
	void *ctx;
};

/* Style of a span; TPL_FALLBACK marks text taken from another language or
 * transliterated, TPL_MARK the note that says so ("[in Russian in the
 * source]", "(transliterated)"), so that proof can highlight them. */
enum {
	TPL_BOLD = 1,
	TPL_ITALIC = 2,
	TPL_FALLBACK = 4,
	TPL_MARK = 8,
	TPL_BREAK = 16, /* a forced line break; text is "\n" */
};

/* One run of text with one style. A footnote reference has cite set (the
 * citation key, borrowed from the set) and note its number; its text is
 * the number, to be set as a superscript. */
struct tpl_span {
	char *text;       /* owned, UTF-8 */
	unsigned style;   /* TPL_* flags */
	char *uri;        /* owned; NULL unless part of a link */
	const char *cite; /* NULL unless a footnote reference */
	int note;         /* footnote number, 1-based, when cite */
};

struct tpl_spans {
	struct tpl_span *v;
	size_t n, alloc;
};
#define TPL_SPANS_INIT { NULL, 0, 0 }
void tpl_spans_release(struct tpl_spans *sp);
/* Append the text of all spans (footnote numbers in brackets) to out. */
void tpl_spans_text(const struct tpl_spans *sp, struct sbuf *out);

/* The footnotes of one document, in order: keys[i] is note i + 1. The
 * keys are borrowed from the set. */
struct tpl_notes {
	const char **keys;
	size_t n, alloc;
};
#define TPL_NOTES_INIT { NULL, 0, 0 }
void tpl_notes_release(struct tpl_notes *notes);

/* Load a layouts folder. Syntax errors are reported as file:line:col in d
 * and make it return NULL; the cross-language checks are tpl_lint's. Only
 * regular files of a sane size inside the folder are read (see
 * translit_read_file): a symlink that leads out of it, for a file, a LANG
 * folder or translit/, a FIFO or a device is an error, and NULL. The
 * set owns its ICU formatters (tpl_fmt) and transliteration rules
 * (tpl_translit). Free with tpl_free (NULL is fine). */
tpl_set *tpl_load(const char *dir, struct diag *d);
void tpl_free(tpl_set *s);

const fmt_set *tpl_fmt(const tpl_set *s);
const translit_set *tpl_translit(const tpl_set *s);

/* The pseudo-locale. tpl_load derives it from the English texts: every
 * word of a text (and of a citation) with its letters accented ("Ŧĥê
 * þêŕšöñ"), and the text lengthened by about 40% with a filler (" ~~~~"),
 * so that a layout shows where a longer translation would overflow.
 * Placeholders, markup, citations, conditions and link addresses are kept;
 * dates and numbers are formatted as in English, then accented; record
 * values (names, circumstances) are printed as English prints them,
 * unaccented, so that the document stays identifiable. Every character
 * added is in Latin-1 or Latin Extended-A.
 *
 * "xx" is accepted wherever a language is: tpl_expand, tpl_expandf,
 * tpl_citation, tpl_has, tpl_ntexts, tpl_name. It is not among
 * tpl_nlangs/tpl_lang (not a language to fall back on, nor one the lint
 * compares); tpl_has_lang says whether a code can be expanded. */
#define TPL_PSEUDO_LANG "xx"

/* Whether lang can be expanded: a language loaded, or the pseudo-locale. */
int tpl_has_lang(const tpl_set *s, const char *lang);

/* Languages loaded, in fallback order (en, ru, hy). */
size_t tpl_nlangs(const tpl_set *s);
const char *tpl_lang(const tpl_set *s, size_t i);

/* The number of texts (keys) of lang, 0 for an unknown language. */
size_t tpl_ntexts(const tpl_set *s, const char *lang);

/* Whether lang has a text named key. */
int tpl_has(const tpl_set *s, const char *lang, const char *key);

/* Expand the text key of lang for the facts f: the first variant whose
 * condition holds, placeholders substituted and formatted, markup turned
 * into styles, citations into footnote references numbered in notes
 * (notes may be NULL: then references carry number 0). Spans are appended
 * to out. Returns the number of spans appended (0 when no variant
 * applies), or -1 with an error in d (unknown language or key, a value
 * that its format cannot take, such as a date that is not one). */
int tpl_expand(const tpl_set *s, const char *lang, const char *key,
	       const struct tpl_facts *f, struct tpl_notes *notes,
	       struct tpl_spans *out, struct diag *d);
/* The same, with the key built by a format ("arg.%s", id). */
int tpl_expandf(const tpl_set *s, const char *lang,
		const struct tpl_facts *f, struct tpl_notes *notes,
		struct tpl_spans *out, struct diag *d, const char *keyfmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Evaluate a condition written as in the layouts ("category = pow and
 * health") against f: 1 true, 0 false, -1 syntax error (in d). */
int tpl_cond(const tpl_set *s, const char *expr, const struct tpl_facts *f,
	     struct diag *d);

/* The ids of the arguments of rules.lay whose conditions hold for f, in
 * the order of the file. *ids is an array the caller frees (the strings
 * are borrowed from the set); returns the count. */
size_t tpl_rules(const tpl_set *s, const struct tpl_facts *f,
		 const char ***ids);
/* The citation keys an argument declares in rules.lay (borrowed), or NULL
 * for an unknown id. */
const char *const *tpl_rule_cites(const tpl_set *s, const char *id,
				  size_t *n);

/* The arguments of rules.lay, in the order of the file: the i-th id
 * (borrowed), NULL past the end. Their citation keys: tpl_rule_cites. */
size_t tpl_nrules(const tpl_set *s);
const char *tpl_rule_id(const tpl_set *s, size_t i);

/* The citation keys of sources.lay, in the order of the file, and the
 * status each has there ("V2 @2025-03-13", "P (wording U)"): borrowed,
 * NULL past the end. */
size_t tpl_nsources(const tpl_set *s);
const char *tpl_source_key(const tpl_set *s, size_t i);
const char *tpl_source_status(const tpl_set *s, size_t i);

/* Every citation of the texts of lang, in the order of its texts and
 * their variants: fn is called with the key of the text, the citation
 * key, and the words before the citation back to the previous one of the
 * same variant (the text of links included, placeholders as "{field}",
 * markup and the branches of plurals and selects left out). An unknown
 * language has none. */
typedef void (*tpl_cite_fn)(void *ctx, const char *text_key,
			    const char *cite_key, const char *before);
void tpl_each_cite(const tpl_set *s, const char *lang, tpl_cite_fn fn,
		   void *arg);

/* Append the full reference of citation key in lang (citations.lay) to
 * out. Returns the number of spans, or -1 (unknown key, in d). */
int tpl_citation(const tpl_set *s, const char *lang, const char *key,
		 struct tpl_spans *out, struct diag *d);

/* The name of the person in lang: name_LANG, else transliterated from
 * another script (*how = 1), else the name as written in another script
 * (*how = 2; *from names that language). NULL when the record has no name.
 * The caller frees the result. */
char *tpl_name(const tpl_set *s, const char *lang, const struct tpl_facts *f,
	       int *how, const char **from);

/* Cross-language checks (`dossier layouts check`): a text present in one
 * language and missing in another, variants whose conditions differ,
 * placeholders or citations that differ, unknown citation keys or keys
 * that SOURCES.md marks unverified, quotation marks beside
 * paraphrase-only sources, unknown fields or values, a figure of the
 * summary in a text of the brief or a record field in a text of the
 * summary outside its rows (summary.roster.*, summary.left_out.*), plural
 * categories a language does not use, arguments without texts, texts the
 * composer needs (tpl_required_keys, tpl_summary_keys) that a language
 * lacks. The pseudo-locale is derived, so not checked. Appends
 * file:line:col findings to d; returns the number of errors found. */
int tpl_lint(const tpl_set *s, struct diag *d);

/* tpl_lint with flags. TPL_LINT_MISSING_WARNS: a text, citation, label or
 * argument that a language lacks is a warning, not an error (the proof
 * shows such texts, marked; render refuses them). */
#define TPL_LINT_MISSING_WARNS 1u
int tpl_lint_opts(const tpl_set *s, unsigned flags, struct diag *d);

/* The key of the i-th text of lang, in the order of its files; NULL past
 * the end or for an unknown language. Borrowed from the set. */
const char *tpl_text_key(const tpl_set *s, const char *lang, size_t i);

/* Whether the composer or the rules use the text key: one of
 * tpl_required_keys or tpl_summary_keys, arg.ID or arg.ID.title of an
 * argument of rules.lay, or FIELD.VALUE, the label of a value of category,
 * status or acknowledged. Any other text is never printed. */
int tpl_text_used(const tpl_set *s, const char *key);

/* The keys every language must define for the composer (NULL-terminated). */
extern const char *const tpl_required_keys[];

/* The keys every language must define for the summary report and the
 * print binder (NULL-terminated): the texts of summary.lay, whose keys
 * begin with "summary." or "binder.". They take the figures of the report
 * as facts (layouts/README.md, "The summary report"): "total",
 * "count_<category>", "count_<status>" (status missing:
 * "count_fate_unknown"), "count_detained", "acknowledged_yes/no/unknown",
 * "life_sentences", "fixed_sentences", "sentence_total_years",
 * "sentence_median_years", "days_median", "days_max", "left_out", "as_of",
 * "page", "pages"; rows also "count" (summary.figures.count), "year" and
 * "quarter" (summary.chart.time.quarter), "row" and the record's fields
 * (summary.roster.*), "line", "id" and "reason" (summary.left_out.*). */
extern const char *const tpl_summary_keys[];

#endif
