/* compose.c: the brief of one record in one language, as a document tree. */
#include "compose.h"
#include "composer.h"
#include "diag.h"
#include "sbuf.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int month_len(int y, int m)
{
	static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : n[m - 1];
}

struct rdate compose_add_months(struct rdate d, long months)
{
	long m = (long)d.y * 12 + (d.m - 1) + months;
	struct rdate r;

	r.y = (int)(m / 12);
	r.m = (int)(m % 12) + 1;
	r.d = d.d < month_len(r.y, r.m) ? d.d : month_len(r.y, r.m);
	return r;
}

/* Whole years from a full birth date to a full date. */
static void age_at(char *out, size_t n, const struct rdate *birth,
		   const struct rdate *at)
{
	long age = at->y - birth->y;
	if (at->m < birth->m || (at->m == birth->m && at->d < birth->d))
		age--;
	if (age >= 0 && age < 150)
		snprintf(out, n, "%ld", age);
}

void compose_facts_init(struct compose_facts *cf, const struct record *rec,
			struct rdate as_of)
{
	const struct rdate *end = NULL;
	long days;

	memset(cf, 0, sizeof(*cf));
	cf->rec = rec;
	snprintf(cf->as_of, sizeof(cf->as_of), "%04d-%02d-%02d", as_of.y, as_of.m,
		 as_of.d);
	/* Time in detention runs to the report date while the person is held
	 * or missing; for the released to the release, for the dead to the
	 * release or else the death, when its full date is known (a month
	 * alone would make the count up to a month wrong). */
	switch (rec->status) {
	case ST_HELD: case ST_AWAITING_TRIAL: case ST_ON_TRIAL:
	case ST_CONVICTED: case ST_MISSING:
		end = &as_of;
		break;
	case ST_RELEASED:
		end = rec->released.d ? &rec->released : NULL;
		break;
	case ST_DECEASED:
		if (rec->released.y)
			end = rec->released.d ? &rec->released : NULL;
		else
			end = rec->died.d ? &rec->died : NULL;
		break;
	default:
		break;
	}
	if (rec->detained.y && end) {
		/* A month or a year alone: count from its last day, and say
		 * "at least", so the brief never overstates the detention. */
		cf->days_at_least = !rec->detained.d;
		days = rdate_days(end) - rdate_last_days(&rec->detained);
		if (days >= 0)
			snprintf(cf->days, sizeof(cf->days), "%ld", days);
	}
	/* Age only from a full birth date; the age of the dead is their age
	 * at death, none when the day of death is not known. */
	if (rec->birth.d) {
		if (rec->status != ST_DECEASED)
			age_at(cf->age, sizeof(cf->age), &rec->birth, &as_of);
		else if (rec->died.d)
			age_at(cf->age, sizeof(cf->age), &rec->birth, &rec->died);
	}
	/* The end of a fixed sentence: the verdict date plus the years, a
	 * fraction of a year in whole months (0.5 is 6 months). Time held
	 * before the verdict usually counts too, so this is the latest end. */
	if (rec->verdict.d && !rec->sentence_life && rec->sentence_years > 0) {
		long months = (long)(rec->sentence_years * 12 + 0.5);
		struct rdate e = compose_add_months(rec->verdict, months);
		snprintf(cf->sentence_end, sizeof(cf->sentence_end),
			 "%04d-%02d-%02d", e.y, e.m, e.d);
		cf->sentence_served = rec->status == ST_CONVICTED &&
				      rdate_cmp(&e, &as_of) <= 0;
	}
}

const char *compose_get(void *ctx, const char *name)
{
	struct compose_facts *cf = ctx;
	const char *page;
	int f;

	if (strcmp(name, "as_of") == 0)
		return cf->as_of;
	if (strcmp(name, "days_detained") == 0)
		return *cf->days ? cf->days : NULL;
	if (strcmp(name, "days_at_least") == 0)
		return *cf->days && cf->days_at_least ? "yes" : NULL;
	if (strcmp(name, "age") == 0)
		return *cf->age ? cf->age : NULL;
	if (strcmp(name, "sentence_end") == 0)
		return *cf->sentence_end ? cf->sentence_end : NULL;
	if (strcmp(name, "sentence_served") == 0)
		return cf->sentence_served ? "yes" : NULL;
	if (strcmp(name, "url") == 0)
		return cf->url;
	/* The page template keeps its placeholders for the typesetter. */
	if ((page = composer_page_fact(name)))
		return page;
	f = record_field_by_name(name);
	if (f < 0)
		return NULL;
	return *cf->rec->f[f] ? cf->rec->f[f] : NULL;
}

/* The name in lang as plain text (marks are the layouts' business). */
static char *name_in(struct composer *c, const char *lang, int *how)
{
	const char *from = NULL;
	*how = 0;
	return tpl_name(c->tpl, lang, &c->facts, how, &from);
}

/* A fact row for the name in another script, marked when transliterated. */
static void other_name(struct composer *c, const char *lang)
{
	struct tpl_spans lab = TPL_SPANS_INIT, val = TPL_SPANS_INIT;
	struct doc_span *dl, *dv;
	struct tpl_span first = { NULL, 0, NULL, NULL, 0 };
	char key[40];
	int how;

	first.text = name_in(c, lang, &how);
	if (!first.text)
		return;
	ALLOC_GROW(val.v, 1, val.alloc);
	val.v[val.n++] = first;
	if (how == 1) {
		struct tpl_span sp = { xstrdup(" "), 0, NULL, NULL, 0 };
		ALLOC_GROW(val.v, val.n + 1, val.alloc);
		val.v[val.n++] = sp;
		composer_source(c, "mark.transliterated");
		composer_expand(c, "mark.transliterated", &val);
	}
	snprintf(key, sizeof(key), "identity.name_%s.label", lang);
	composer_source(c, key);
	composer_expand(c, key, &lab);
	dl = composer_spans(c, &lab, 0);
	/* The value's source: the name in that script. */
	snprintf(key, sizeof(key), "name_%s", lang);
	composer_source(c, key);
	dv = composer_spans(c, &val, 0);
	doc_fact(c->doc, dl, lab.n, dv, val.n);
	free(dl);
	free(dv);
	tpl_spans_release(&lab);
	tpl_spans_release(&val);
}

doc *compose_brief(const struct compose_env *env, const struct record *rec,
		   const char *lang, struct compose_info *info,
		   struct diag *d)
{
	static const char *const interim[] = {
		"requests.icrc", "requests.family", "requests.medical",
		"requests.counsel",
	};
	struct composer c;
	struct compose_facts cf;
	struct compose_info dummy;
	struct sbuf who = SBUF_INIT;
	const char **args = NULL;
	size_t nargs, i, l;
	char *name, *page, *footer;
	int how;
	doc *dc;

	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	compose_facts_init(&cf, rec, env->as_of);
	dc = doc_new(lang, env->paper);
	doc_set_date(dc, env->as_of.y, env->as_of.m, env->as_of.d, 0, 0, 0);
	sbuf_addf(&who, "record %s", rec->f[F_ID]);
	composer_init(&c, env->tpl, lang, compose_get, &cf, dc, who.buf, d);
	/* The binder's table of contents and summary link here. */
	{
		struct sbuf anchor = SBUF_INIT;
		sbuf_addf(&anchor, "brief:%s", rec->f[F_ID]);
		doc_anchor(dc, anchor.buf);
		sbuf_release(&anchor);
	}

	/* Metadata and running texts. */
	name = name_in(&c, lang, &how);
	info->name_transliterated = how == 1;
	info->name_other_script = how == 2;
	composer_metadata(&c, "doc.title", "doc.subject");
	page = composer_plain(&c, "doc.footer.page");
	footer = composer_plain(&c, "doc.footer.record");
	doc_set_page_text(dc, name, footer, page);
	free(page);
	free(footer);

	/* Title block. */
	composer_block(&c, CB_TITLE, "doc.title");
	composer_block(&c, CB_PARA, "doc.subtitle");
	composer_block(&c, CB_PARA, "doc.as_of");

	/* The person. */
	composer_block(&c, CB_H2, "identity.heading");
	if (rec->photo_path && !env->no_photo) {
		/* A photo that cannot be used is reported at its cell. */
		struct sbuf src = SBUF_INIT;
		sbuf_addf(&src, "%s:%ld:%ld", env->roster_path ? env->roster_path : "roster",
			  rec->line[F_PHOTO], rec->col[F_PHOTO]);
		doc_image(dc, rec->photo_path, 96, 120, src.buf);
		sbuf_release(&src);
	}
	doc_facts_begin(dc);
	composer_fact(&c, "identity.name.label", "identity.name");
	for (l = 0; l < tpl_nlangs(env->tpl); l++)
		if (strcmp(tpl_lang(env->tpl, l), lang) != 0)
			other_name(&c, tpl_lang(env->tpl, l));
	composer_fact(&c, "identity.birth_date.label", "identity.birth_date");
	composer_fact(&c, "identity.category.label", "identity.category");
	composer_fact(&c, "identity.status.label", "identity.status");
	doc_facts_end(dc);

	/* The facts. */
	composer_block(&c, CB_H2, "facts.heading");
	doc_facts_begin(dc);
	composer_fact(&c, "facts.detained.label", "facts.detained");
	composer_fact(&c, "facts.released.label", "facts.released");
	composer_fact(&c, "facts.died.label", "facts.died");
	composer_fact(&c, "facts.duration.label", "facts.duration");
	composer_fact(&c, "facts.acknowledged.label", "facts.acknowledged");
	composer_fact(&c, "facts.charges.label", "facts.charges");
	composer_fact(&c, "facts.court.label", "facts.court");
	composer_fact(&c, "facts.verdict.label", "facts.verdict");
	if (rec->status == ST_CONVICTED)
		composer_fact(&c, "facts.sentence.label", "facts.sentence");
	composer_fact(&c, "facts.health.label", "facts.health");
	doc_facts_end(dc);

	/* Circumstances. */
	composer_block(&c, CB_H2, "circumstances.heading");
	if (!composer_block(&c, CB_JUSTIFY, "circumstances"))
		composer_block(&c, CB_PARA, "circumstances.none");

	/* Legal grounds, in the order of rules.lay. */
	nargs = tpl_rules(env->tpl, &c.facts, &args);
	info->nargs = nargs;
	composer_block(&c, CB_H2, "arguments.heading");
	if (nargs) {
		composer_block(&c, CB_PARA, "arguments.intro");
		for (i = 0; i < nargs; i++) {
			char key[96];
			snprintf(key, sizeof(key), "arg.%s.title", args[i]);
			composer_block(&c, CB_H3, key);
			snprintf(key, sizeof(key), "arg.%s", args[i]);
			composer_block(&c, CB_JUSTIFY, key);
		}
	} else {
		composer_block(&c, CB_PARA, "arguments.none");
	}
	free(args);

	/* Requests: the main one, then what is owed until it is met. */
	{
		char *release = composer_plain(&c, "requests.release");
		int any = *release != '\0';
		free(release);
		if (any) {
			composer_block(&c, CB_H2, "requests.heading");
			composer_block(&c, CB_PARA, "requests.intro");
			doc_list_begin(dc, DOC_BULLETS);
			composer_block(&c, CB_ITEM, "requests.release");
			if (composer_block(&c, CB_ITEM, "requests.interim")) {
				doc_list_begin(dc, DOC_BULLETS);
				for (i = 0; i < ARRAY_SIZE(interim); i++)
					composer_block(&c, CB_ITEM, interim[i]);
				doc_list_end(dc);
			}
			doc_list_end(dc);
		}
	}

	/* Sources, as clickable addresses. */
	if (rec->nsources) {
		composer_block(&c, CB_H2, "sources.heading");
		doc_list_begin(dc, DOC_BULLETS);
		for (i = 0; i < rec->nsources; i++) {
			cf.url = rec->sources[i];
			composer_block(&c, CB_ITEM, "sources.item");
		}
		cf.url = NULL;
		doc_list_end(dc);
	}
	composer_notes(&c);
	info->nnotes = c.notes.n;
	info->fallbacks = c.fallbacks;
	for (i = 0; i < c.notes.n; i++) {
		size_t used = strlen(info->cited);
		snprintf(info->cited + used, sizeof(info->cited) - used, "%s%s",
			 i ? " " : "", c.notes.keys[i]);
	}

	free(name);
	composer_release(&c);
	sbuf_release(&who);
	if (c.failed) {
		doc_free(dc);
		return NULL;
	}
	return dc;
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
