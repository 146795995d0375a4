/* composer.c: layout texts -> document blocks, shared by the brief, the
 * summary and the proof sheet (composer.h). */
#include "composer.h"
#include "diag.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void composer_init(struct composer *c, const tpl_set *t, const char *lang,
		   tpl_get_fn get, void *ctx, doc *dc, const char *who,
		   struct diag *d)
{
	memset(c, 0, sizeof(*c));
	c->tpl = t;
	c->lang = lang;
	c->facts.get = get;
	c->facts.ctx = ctx;
	c->doc = dc;
	c->who = who;
	c->d = d;
	sbuf_init(&c->source);
}

void composer_release(struct composer *c)
{
	tpl_notes_release(&c->notes);
	free(c->note_ids);
	c->note_ids = NULL;
	sbuf_release(&c->source);
}

const char *composer_page_fact(const char *name)
{
	if (strcmp(name, "page") == 0)
		return "{page}";
	if (strcmp(name, "pages") == 0)
		return "{pages}";
	return NULL;
}

void composer_source(struct composer *c, const char *key)
{
	sbuf_reset(&c->source);
	sbuf_addf(&c->source, "%s (%s), layout text '%s'", c->who, c->lang, key);
}

int composer_expand(struct composer *c, const char *key, struct tpl_spans *sp)
{
	int n = tpl_expand(c->tpl, c->lang, key, &c->facts, &c->notes, sp, c->d);
	if (n < 0)
		c->failed = 1;
	return n < 0 ? 0 : n;
}

void composer_notes(struct composer *c)
{
	while (c->nnote_ids < c->notes.n) {
		struct tpl_spans ref = TPL_SPANS_INIT;
		struct doc_span *ds;
		char label[24];
		size_t i, k = c->nnote_ids;

		if (tpl_citation(c->tpl, c->lang, c->notes.keys[k], &ref, c->d) < 0)
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

struct doc_span *composer_spans(struct composer *c, const struct tpl_spans *sp,
				unsigned extra_style)
{
	struct doc_span *ds = xcalloc(sp->n + 1, sizeof(*ds));
	size_t i;

	composer_notes(c);
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
			c->fallbacks++;
		if (t->cite && t->note > 0 && (size_t)t->note <= c->nnote_ids) {
			ds[i].text = NULL;
			ds[i].footnote = c->note_ids[t->note - 1];
		} else {
			ds[i].text = t->text;
		}
	}
	return ds;
}

void composer_strip_marks(struct tpl_spans *sp)
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

char *composer_plain(struct composer *c, const char *key)
{
	struct tpl_spans sp = TPL_SPANS_INIT;
	struct sbuf plain = SBUF_INIT;
	composer_source(c, key);
	composer_expand(c, key, &sp);
	composer_strip_marks(&sp);
	tpl_spans_text(&sp, &plain);
	tpl_spans_release(&sp);
	return sbuf_detach(&plain, NULL);
}

void composer_metadata(struct composer *c, const char *title_key,
		       const char *subject_key)
{
	char *text = composer_plain(c, title_key);
	doc_set_info(c->doc, DOC_TITLE, text);
	free(text);
	text = composer_plain(c, subject_key);
	doc_set_info(c->doc, DOC_SUBJECT, text);
	free(text);
	doc_set_info(c->doc, DOC_AUTHOR, "dossier");
}

int composer_block(struct composer *c, enum composer_block kind, const char *key)
{
	struct tpl_spans sp = TPL_SPANS_INIT;
	struct sbuf plain = SBUF_INIT;
	struct doc_span *ds;
	int n;

	composer_source(c, key);
	n = composer_expand(c, key, &sp);
	if (kind == CB_TITLE) {
		composer_strip_marks(&sp);
		kind = CB_H1;
	}
	tpl_spans_text(&sp, &plain);
	if (n == 0 || plain.len == 0) {
		sbuf_release(&plain);
		tpl_spans_release(&sp);
		return 0;
	}
	ds = composer_spans(c, &sp, 0);
	switch (kind) {
	case CB_TITLE:
	case CB_H1:
	case CB_H2:
	case CB_H3:
		doc_heading(c->doc, (int)kind - CB_H1 + 1, ds, sp.n);
		break;
	case CB_PARA:
		doc_para(c->doc, DOC_LEFT, ds, sp.n);
		break;
	case CB_JUSTIFY:
		/* Armenian has no hyphenation patterns here, and its long
		 * words leave justified lines with wide gaps: it is set
		 * ragged right. */
		doc_para(c->doc, strcmp(c->lang, "hy") == 0 ? DOC_LEFT : DOC_JUSTIFY,
			 ds, sp.n);
		break;
	case CB_ITEM:
		doc_list_item(c->doc, ds, sp.n);
		break;
	}
	free(ds);
	sbuf_release(&plain);
	tpl_spans_release(&sp);
	return 1;
}

int composer_fact(struct composer *c, const char *label_key, const char *value_key)
{
	struct tpl_spans lab = TPL_SPANS_INIT, val = TPL_SPANS_INIT;
	struct sbuf plain = SBUF_INIT;
	struct doc_span *dl, *dv;
	int shown = 0;

	composer_source(c, value_key);
	composer_expand(c, value_key, &val);
	tpl_spans_text(&val, &plain);
	if (plain.len) {
		/* Each side keeps the source of its own text. */
		struct sbuf vsrc = SBUF_INIT;
		sbuf_addstr(&vsrc, c->source.buf);
		dv = composer_spans(c, &val, 0);
		for (size_t i = 0; i < val.n; i++)
			dv[i].source = vsrc.buf;
		composer_source(c, label_key);
		composer_expand(c, label_key, &lab);
		dl = composer_spans(c, &lab, 0);
		doc_fact(c->doc, dl, lab.n, dv, val.n);
		free(dl);
		free(dv);
		sbuf_release(&vsrc);
		shown = 1;
	}
	sbuf_release(&plain);
	tpl_spans_release(&lab);
	tpl_spans_release(&val);
	return shown;
}
