/* compose.c: the brief of one record in one language, as a document tree. */
#include "compose.h"
#include "diag.h"
#include "sbuf.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void compose_facts_init(struct compose_facts *cf, const struct record *rec,
			struct rdate as_of)
{
	long days = -1, age;
	struct sbuf birth = SBUF_INIT;

	memset(cf, 0, sizeof(*cf));
	cf->rec = rec;
	snprintf(cf->as_of, sizeof(cf->as_of), "%04d-%02d-%02d", as_of.y, as_of.m,
		 as_of.d);
	/* Time in detention runs to the report date while the person is held
	 * or missing; for the released and the dead the roster gives no end. */
	if (rec->detained.y && (rec->status == ST_HELD ||
				rec->status == ST_AWAITING_TRIAL ||
				rec->status == ST_ON_TRIAL ||
				rec->status == ST_CONVICTED ||
				rec->status == ST_MISSING)) {
		days = rdate_days(&as_of) - rdate_days(&rec->detained);
		if (days >= 0)
			snprintf(cf->days, sizeof(cf->days), "%ld", days);
	}
	/* Age only from a full birth date. */
	if (rec->birth.d) {
		age = as_of.y - rec->birth.y;
		if (as_of.m < rec->birth.m || (as_of.m == rec->birth.m && as_of.d < rec->birth.d))
			age--;
		if (age >= 0 && age < 150)
			snprintf(cf->age, sizeof(cf->age), "%ld", age);
	}
	sbuf_release(&birth);
}

const char *compose_get(void *ctx, const char *name)
{
	struct compose_facts *cf = ctx;
	int f;

	if (strcmp(name, "as_of") == 0)
		return cf->as_of;
	if (strcmp(name, "days_detained") == 0)
		return *cf->days ? cf->days : NULL;
	if (strcmp(name, "age") == 0)
		return *cf->age ? cf->age : NULL;
	if (strcmp(name, "url") == 0)
		return cf->url;
	/* The page template keeps its placeholders for the typesetter. */
	if (strcmp(name, "page") == 0)
		return "{page}";
	if (strcmp(name, "pages") == 0)
		return "{pages}";
	f = record_field_by_name(name);
	if (f < 0)
		return NULL;
	return *cf->rec->f[f] ? cf->rec->f[f] : NULL;
}

/* --- building ----------------------------------------------------------- */

struct composer {
	const struct compose_env *env;
	const struct record *rec;
	const char *lang;
	struct compose_facts cf;
	struct tpl_facts facts;
	struct tpl_notes notes;
	int *note_ids;           /* doc footnote id of note i + 1 */
	size_t nnote_ids;
	doc *doc;
	struct diag *d;
	struct compose_info *info;
	struct sbuf source;      /* the source string of the current text */
	int failed;
};

/* Expand key into spans (appended to sp). Returns the number appended. */
static int expand(struct composer *c, const char *key, struct tpl_spans *sp)
{
	int n = tpl_expand(c->env->tpl, c->lang, key, &c->facts, &c->notes, sp, c->d);
	if (n < 0)
		c->failed = 1;
	return n < 0 ? 0 : n;
}

/* Make sure every note cited so far has its footnote in the document. */
static void make_notes(struct composer *c)
{
	while (c->nnote_ids < c->notes.n) {
		struct tpl_spans ref = TPL_SPANS_INIT;
		struct doc_span *ds;
		char label[24];
		size_t i, k = c->nnote_ids;

		if (tpl_citation(c->env->tpl, c->lang, c->notes.keys[k], &ref, c->d) < 0)
			c->failed = 1;
		ds = xcalloc(ref.n + 1, sizeof(*ds));
		for (i = 0; i < ref.n; i++) {
			ds[i].text = ref.v[i].text;
			ds[i].style = (ref.v[i].style & TPL_BOLD ? DOC_BOLD : 0) |
				      (ref.v[i].style & TPL_ITALIC ? DOC_ITALIC : 0);
			ds[i].uri = ref.v[i].uri;
			ds[i].source = "citations";
		}
		snprintf(label, sizeof(label), "%zu", k + 1);
		c->note_ids = xrealloc(c->note_ids, (k + 1) * sizeof(*c->note_ids));
		c->note_ids[k] = doc_footnote(c->doc, label, ds, ref.n);
		c->nnote_ids = k + 1;
		free(ds);
		tpl_spans_release(&ref);
	}
}

/* Convert layout spans to document spans (borrowing their strings). The
 * caller frees the array. */
static struct doc_span *to_doc(struct composer *c, const struct tpl_spans *sp,
			       unsigned extra_style)
{
	struct doc_span *ds = xcalloc(sp->n + 1, sizeof(*ds));
	size_t i;

	make_notes(c);
	for (i = 0; i < sp->n; i++) {
		const struct tpl_span *t = &sp->v[i];
		ds[i].source = c->source.buf;
		ds[i].uri = t->uri;
		ds[i].style = extra_style;
		if (t->style & TPL_BOLD)
			ds[i].style |= DOC_BOLD;
		if (t->style & TPL_ITALIC)
			ds[i].style |= DOC_ITALIC;
		if (t->style & TPL_FALLBACK)
			c->info->fallbacks++;
		if (t->cite && t->note > 0 && (size_t)t->note <= c->nnote_ids) {
			ds[i].text = NULL;
			ds[i].footnote = c->note_ids[t->note - 1];
		} else {
			ds[i].text = t->text;
		}
	}
	return ds;
}

static void set_source(struct composer *c, const char *key)
{
	sbuf_reset(&c->source);
	sbuf_addf(&c->source, "record %s (%s), layout text '%s'",
		  c->rec->f[F_ID], c->lang, key);
}

static void strip_marks(struct tpl_spans *sp);

enum block { B_H1, B_H2, B_H3, B_PARA, B_JUSTIFY, B_ITEM, B_TITLE };

/* Add the text key as a block; returns 0 when the text expands to nothing
 * (no variant applies, or it is empty), and then adds nothing. */
static int block(struct composer *c, enum block kind, const char *key)
{
	struct tpl_spans sp = TPL_SPANS_INIT;
	struct sbuf plain = SBUF_INIT;
	struct doc_span *ds;
	int n;

	set_source(c, key);
	n = expand(c, key, &sp);
	if (kind == B_TITLE) {
		strip_marks(&sp);
		kind = B_H1;
	}
	tpl_spans_text(&sp, &plain);
	if (n == 0 || plain.len == 0) {
		sbuf_release(&plain);
		tpl_spans_release(&sp);
		return 0;
	}
	ds = to_doc(c, &sp, 0);
	switch (kind) {
	case B_TITLE:
	case B_H1:
	case B_H2:
	case B_H3:
		doc_heading(c->doc, (int)kind - B_H1 + 1, ds, sp.n);
		break;
	case B_PARA:
		doc_para(c->doc, DOC_LEFT, ds, sp.n);
		break;
	case B_JUSTIFY:
		doc_para(c->doc, DOC_JUSTIFY, ds, sp.n);
		break;
	case B_ITEM:
		doc_list_item(c->doc, ds, sp.n);
		break;
	}
	free(ds);
	sbuf_release(&plain);
	tpl_spans_release(&sp);
	return 1;
}

/* A fact-table row: the label text and the value text; skipped when the
 * value is empty. Extra spans (marks) may follow the value. */
static int fact(struct composer *c, const char *label_key, const char *value_key,
		const struct tpl_spans *extra)
{
	struct tpl_spans lab = TPL_SPANS_INIT, val = TPL_SPANS_INIT;
	struct sbuf plain = SBUF_INIT;
	struct doc_span *dl, *dv;
	size_t i;
	int shown = 0;

	set_source(c, value_key);
	expand(c, value_key, &val);
	tpl_spans_text(&val, &plain);
	if (plain.len) {
		if (extra)
			for (i = 0; i < extra->n; i++) {
				struct tpl_span s = extra->v[i];
				s.text = xstrdup(s.text ? s.text : "");
				s.uri = s.uri ? xstrdup(s.uri) : NULL;
				ALLOC_GROW(val.v, val.n + 1, val.alloc);
				val.v[val.n++] = s;
			}
		set_source(c, label_key);
		expand(c, label_key, &lab);
		dl = to_doc(c, &lab, 0);
		set_source(c, value_key);
		dv = to_doc(c, &val, 0);
		doc_fact(c->doc, dl, lab.n, dv, val.n);
		free(dl);
		free(dv);
		shown = 1;
	}
	sbuf_release(&plain);
	tpl_spans_release(&lab);
	tpl_spans_release(&val);
	return shown;
}

/* The name in lang as plain text (marks are the layouts' business), and
 * whether it had to be made up, for the proof sheet and the summary. */
static char *name_in(struct composer *c, const char *lang)
{
	int how = 0;
	const char *from = NULL;
	char *name = tpl_name(c->env->tpl, lang, &c->facts, &how, &from);

	if (name && strcmp(lang, c->lang) == 0) {
		c->info->name_transliterated = how == 1;
		c->info->name_other_script = how == 2;
	}
	return name;
}

/* Drop the marks ("(transliterated)") from spans, with the space before
 * them: a title or a document's metadata carries the name alone. */
static void strip_marks(struct tpl_spans *sp)
{
	size_t i, k = 0;
	for (i = 0; i < sp->n; i++) {
		if (sp->v[i].style & TPL_MARK) {
			free(sp->v[i].text);
			free(sp->v[i].uri);
			/* and the space that led to it */
			if (k && strcmp(sp->v[k - 1].text, " ") == 0 &&
			    !(sp->v[k - 1].style & TPL_MARK)) {
				k--;
				free(sp->v[k].text);
				free(sp->v[k].uri);
			}
			continue;
		}
		sp->v[k++] = sp->v[i];
	}
	sp->n = k;
	while (sp->n && strcmp(sp->v[sp->n - 1].text, " ") == 0) {
		sp->n--;
		free(sp->v[sp->n].text);
		free(sp->v[sp->n].uri);
	}
}

/* A fact row for the name in another script: label key, then the name and
 * its mark. */
static void other_name(struct composer *c, const char *lang)
{
	struct tpl_spans lab = TPL_SPANS_INIT, val = TPL_SPANS_INIT;
	struct doc_span *dl, *dv;
	char key[40];
	char *name;
	struct tpl_span first;

	name = name_in(c, lang);
	if (!name)
		return;
	first.text = name;
	first.style = 0;
	first.uri = NULL;
	first.cite = NULL;
	first.note = 0;
	ALLOC_GROW(val.v, 1, val.alloc);
	val.v[val.n++] = first;
	{
		/* The mark, if the name was transliterated for that script. */
		int how = 0;
		const char *from = NULL;
		char *again = tpl_name(c->env->tpl, lang, &c->facts, &how, &from);
		free(again);
		if (how == 1) {
			struct tpl_span sp = { xstrdup(" "), 0, NULL, NULL, 0 };
			ALLOC_GROW(val.v, val.n + 1, val.alloc);
			val.v[val.n++] = sp;
			set_source(c, "mark.transliterated");
			expand(c, "mark.transliterated", &val);
		}
	}
	snprintf(key, sizeof(key), "identity.name_%s.label", lang);
	set_source(c, key);
	expand(c, key, &lab);
	set_source(c, "identity.name");
	dl = to_doc(c, &lab, 0);
	dv = to_doc(c, &val, 0);
	doc_fact(c->doc, dl, lab.n, dv, val.n);
	free(dl);
	free(dv);
	tpl_spans_release(&lab);
	tpl_spans_release(&val);
}

static void set_info(struct composer *c, enum doc_info which, const char *key)
{
	struct tpl_spans sp = TPL_SPANS_INIT;
	struct sbuf plain = SBUF_INIT;
	set_source(c, key);
	expand(c, key, &sp);
	strip_marks(&sp);
	tpl_spans_text(&sp, &plain);
	doc_set_info(c->doc, which, plain.buf);
	sbuf_release(&plain);
	tpl_spans_release(&sp);
}

static char *plain_text(struct composer *c, const char *key)
{
	struct tpl_spans sp = TPL_SPANS_INIT;
	struct sbuf plain = SBUF_INIT;
	set_source(c, key);
	expand(c, key, &sp);
	tpl_spans_text(&sp, &plain);
	tpl_spans_release(&sp);
	return sbuf_detach(&plain, NULL);
}

doc *compose_brief(const struct compose_env *env, const struct record *rec,
		   const char *lang, struct compose_info *info,
		   struct diag *d)
{
	struct composer c;
	struct compose_info dummy;
	const char **args = NULL;
	size_t nargs, i, l;
	char *name, *page, *footer;
	int any;

	memset(&c, 0, sizeof(c));
	memset(&dummy, 0, sizeof(dummy));
	c.env = env;
	c.rec = rec;
	c.lang = lang;
	c.d = d;
	c.info = info ? info : &dummy;
	memset(c.info, 0, sizeof(*c.info));
	sbuf_init(&c.source);
	compose_facts_init(&c.cf, rec, env->as_of);
	c.facts.get = compose_get;
	c.facts.ctx = &c.cf;
	c.doc = doc_new(lang, env->paper);
	doc_set_date(c.doc, env->as_of.y, env->as_of.m, env->as_of.d, 0, 0, 0);

	/* Metadata and running texts. */
	name = name_in(&c, lang);
	set_info(&c, DOC_TITLE, "doc.title");
	set_info(&c, DOC_SUBJECT, "doc.subject");
	doc_set_info(c.doc, DOC_AUTHOR, "dossier");
	page = plain_text(&c, "doc.footer.page");
	footer = plain_text(&c, "doc.footer.record");
	doc_set_page_text(c.doc, name, footer, page);
	free(page);
	free(footer);

	/* Title block. */
	block(&c, B_TITLE, "doc.title");
	block(&c, B_PARA, "doc.subtitle");
	block(&c, B_PARA, "doc.as_of");

	/* The person. */
	block(&c, B_H2, "identity.heading");
	if (rec->photo_path)
		doc_image(c.doc, rec->photo_path, 96, 120, rec->f[F_PHOTO]);
	doc_facts_begin(c.doc);
	fact(&c, "identity.name.label", "identity.name", NULL);
	for (l = 0; l < tpl_nlangs(env->tpl); l++)
		if (strcmp(tpl_lang(env->tpl, l), lang) != 0)
			other_name(&c, tpl_lang(env->tpl, l));
	fact(&c, "identity.birth_date.label", "identity.birth_date", NULL);
	fact(&c, "identity.category.label", "identity.category", NULL);
	fact(&c, "identity.status.label", "identity.status", NULL);
	doc_facts_end(c.doc);

	/* The facts. */
	block(&c, B_H2, "facts.heading");
	doc_facts_begin(c.doc);
	fact(&c, "facts.detained.label", "facts.detained", NULL);
	fact(&c, "facts.duration.label", "facts.duration", NULL);
	fact(&c, "facts.acknowledged.label", "facts.acknowledged", NULL);
	fact(&c, "facts.charges.label", "facts.charges", NULL);
	fact(&c, "facts.court.label", "facts.court", NULL);
	fact(&c, "facts.verdict.label", "facts.verdict", NULL);
	if (rec->status == ST_CONVICTED)
		fact(&c, "facts.sentence.label", "facts.sentence", NULL);
	fact(&c, "facts.health.label", "facts.health", NULL);
	doc_facts_end(c.doc);

	/* Circumstances. */
	block(&c, B_H2, "circumstances.heading");
	if (!block(&c, B_JUSTIFY, "circumstances"))
		block(&c, B_PARA, "circumstances.none");

	/* Legal grounds, in the order of rules.lay. */
	nargs = tpl_rules(env->tpl, &c.facts, &args);
	c.info->nargs = nargs;
	block(&c, B_H2, "arguments.heading");
	if (nargs) {
		block(&c, B_PARA, "arguments.intro");
		for (i = 0; i < nargs; i++) {
			char key[96];
			snprintf(key, sizeof(key), "arg.%s.title", args[i]);
			block(&c, B_H3, key);
			snprintf(key, sizeof(key), "arg.%s", args[i]);
			block(&c, B_JUSTIFY, key);
		}
	} else {
		block(&c, B_PARA, "arguments.none");
	}
	free(args);

	/* Requests: the main one, then what is owed until it is met. */
	{
		static const char *const interim[] = {
			"requests.icrc", "requests.family", "requests.medical",
			"requests.counsel",
		};
		struct tpl_spans probe = TPL_SPANS_INIT;
		struct sbuf plain = SBUF_INIT;
		expand(&c, "requests.release", &probe);
		tpl_spans_text(&probe, &plain);
		any = plain.len > 0;
		tpl_spans_release(&probe);
		sbuf_release(&plain);
		if (any) {
			block(&c, B_H2, "requests.heading");
			block(&c, B_PARA, "requests.intro");
			doc_list_begin(c.doc, DOC_BULLETS);
			block(&c, B_ITEM, "requests.release");
			if (block(&c, B_ITEM, "requests.interim")) {
				doc_list_begin(c.doc, DOC_BULLETS);
				for (i = 0; i < ARRAY_SIZE(interim); i++)
					block(&c, B_ITEM, interim[i]);
				doc_list_end(c.doc);
			}
			doc_list_end(c.doc);
		}
	}

	/* Sources, as clickable addresses. */
	if (rec->nsources) {
		block(&c, B_H2, "sources.heading");
		doc_list_begin(c.doc, DOC_BULLETS);
		for (i = 0; i < rec->nsources; i++) {
			c.cf.url = rec->sources[i];
			block(&c, B_ITEM, "sources.item");
		}
		c.cf.url = NULL;
		doc_list_end(c.doc);
	}
	make_notes(&c);
	c.info->nnotes = c.notes.n;
	for (i = 0; i < c.notes.n; i++) {
		size_t used = strlen(c.info->cited);
		snprintf(c.info->cited + used, sizeof(c.info->cited) - used, "%s%s",
			 i ? " " : "", c.notes.keys[i]);
	}

	free(name);
	tpl_notes_release(&c.notes);
	free(c.note_ids);
	sbuf_release(&c.source);
	if (c.failed) {
		doc_free(c.doc);
		return NULL;
	}
	return c.doc;
}

char *compose_latin_name(const tpl_set *tpl, const struct record *rec,
			 struct rdate as_of)
{
	struct compose_facts cf;
	struct tpl_facts f;
	int how;
	const char *from;
	compose_facts_init(&cf, rec, as_of);
	f.get = compose_get;
	f.ctx = &cf;
	return tpl_name(tpl, "en", &f, &how, &from);
}
