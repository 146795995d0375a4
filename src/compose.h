/* compose.h: a record and the layouts -> the document tree of its brief.
 *
 * compose_brief decides what a brief holds and in which order (title, the
 * person, the facts, the circumstances, the legal grounds, the requests,
 * the sources); every word comes from the layouts (tpl.h), every figure
 * from the record. Citations become numbered footnotes, numbered in the
 * order the brief first cites them, which the layouts keep the same in
 * every language. The texts become blocks through the composer
 * (composer.h), which the summary and the proof sheet use as well: this
 * header is the brief, composer.h the tool it is built with. */
#ifndef DOSSIER_COMPOSE_H
#define DOSSIER_COMPOSE_H

#include "doc.h"
#include "record.h"
#include "tpl.h"

struct diag;

struct compose_env {
	const tpl_set *tpl;
	struct rdate as_of;      /* the report date */
	enum doc_paper paper;
	const char *roster_path; /* for diagnostics about the photo */
	int no_photo;            /* leave the photo out */
};

/* What a brief had to make up for, for the proof sheet and the summary. */
struct compose_info {
	int name_transliterated; /* the name in the document's script */
	int name_other_script;   /* no script of ours: written as given */
	int fallbacks;           /* texts taken from another language */
	size_t nnotes;           /* footnotes */
	size_t nargs;            /* legal arguments made */
	char cited[2048];        /* the citation keys in footnote order,
				  * separated by spaces */
};

/* Build the brief of rec in lang ("en", "ru", "hy"). Returns the document
 * (free with doc_free), or NULL with errors in d. info may be NULL. */
doc *compose_brief(const struct compose_env *env, const struct record *rec,
		   const char *lang, struct compose_info *info,
		   struct diag *d);

/* The facts of a record as the layouts see them (tpl_facts): record
 * columns by name, and the computed facts (layouts/README.md): as_of;
 * days_detained, to the report date while the person is held or
 * missing, else to the release or the death when its full date is
 * known (from the last day of a detention date given without its day, so
 * the count is never too high: days_at_least is then "yes"); age, at the report date, or for the dead at death; and, for a
 * fixed sentence with a full verdict date, sentence_end (the verdict
 * date plus the sentence) and sentence_served ("yes" for the convicted
 * once that date is reached). */
struct compose_facts {
	const struct record *rec;
	char as_of[16];
	char days[24];
	int days_at_least;      /* detained_on without its day: counted from
	                         * the last day it stands for */
	char age[8];
	char sentence_end[16];
	int sentence_served;
	const char *url;        /* the source being listed, for sources.item */
};
void compose_facts_init(struct compose_facts *cf, const struct record *rec,
			struct rdate as_of);
const char *compose_get(void *ctx, const char *name);
/* The date months after d, its day clamped to the length of that month
 * (2020-02-29 plus 12 months is 2021-02-28); d must be a full date. */
struct rdate compose_add_months(struct rdate d, long months);

/* The name of rec in the Latin script, for file names (slugs): name_en,
 * else transliterated. Caller frees; NULL when there is none. */
char *compose_latin_name(const tpl_set *tpl, const struct record *rec,
			 struct rdate as_of);

#endif
