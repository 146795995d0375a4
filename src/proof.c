/* proof.c: the translators' proof sheet (proof.h). */
#include "proof.h"
#include "compose.h"
#include "composer.h"
#include "diag.h"
#include "font.h"
#include "out.h"
#include "pdf.h"
#include "sbuf.h"
#include "tpl.h"
#include "typeset.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NLANG 3
static const char *const langs[NLANG] = { "en", "ru", "hy" };
static const char *const lang_names[NLANG] = { "English", "Русский", "Հայերեն" };

/* The kinds of problem the proof marks: a letter in brackets, bold on the
 * highlight tint, so that each survives black-and-white print. */
enum mark { MARK_FALLBACK, MARK_TRANSLIT, MARK_OVERFLOW, MARK_MISSING,
	    MARK_UNUSED, NMARKS };
static const struct {
	const char *tag, *name, *meaning;
} marks[NMARKS] = {
	{ "[F]", "Fallback", "the record gives this text in another language "
	  "only; it is shown in that language (the brief says so)" },
	{ "[T]", "Transliterated", "the record has no name in this script; "
	  "the name is transliterated from another" },
	{ "[O]", "Does not fit", "in the brief the text did not fit its box "
	  "(wrapped beyond it, set smaller or cut)" },
	{ "[M]", "Missing", "this language has no such text, another one has "
	  "it" },
	{ "[U]", "Unused", "no template and no rule of rules.lay uses the text "
	  "(it is none of the texts the brief and summary print, no argument "
	  "of rules.lay, no label of a value), so it is never printed" },
};

/* What the brief of one record in one language had to make up for. */
struct measured {
	int transliterated;
	char *tname;             /* the transliterated name, or NULL */
	int fallbacks;
	char **over;             /* layout keys whose text did not fit */
	size_t nover, aover;
};

struct person {
	struct record rec;
	struct measured m[NLANG];
};

/* A record left out: its line in the roster, its id ("" if none), the
 * reason (its first error). */
struct left_out {
	long line;
	char *id, *reason;
};

struct proof {
	const struct proof_opts *o;
	const char *roster_path;
	tpl_set *tpl;
	font_set *fonts;
	struct person *people;
	size_t n, alloc;
	struct left_out *left;   /* the records left out, in roster order */
	size_t nleft, aleft;
	int totals[NLANG][3];    /* fallbacks, transliterated, overflows */
	int missing[NLANG];      /* texts another language has, this not */
	int unused[NLANG];       /* texts nothing uses (tpl_text_used) */
};


static void on_valid(void *arg, const record_schema *s, struct record *rec)
{
	struct proof *p = arg;
	if (!record_id_in(p->o->only, p->o->nonly, rec->f[F_ID]))
		return;
	ALLOC_GROW(p->people, p->n + 1, p->alloc);
	memset(&p->people[p->n], 0, sizeof(p->people[p->n]));
	p->people[p->n++].rec = *rec;
	memset(rec, 0, sizeof(*rec));
}

static void on_invalid(void *arg, long line, const char *id, const char *reason)
{
	struct proof *p = arg;
	struct left_out *k;
	/* with --only, those of the records asked for */
	if (!record_id_in(p->o->only, p->o->nonly, id ? id : ""))
		return;
	ALLOC_GROW(p->left, p->nleft + 1, p->aleft);
	k = &p->left[p->nleft++];
	k->line = line;
	k->id = xstrdup(id ? id : "");
	k->reason = xstrdup(reason ? reason : "");
}

/* Typeset the real brief to learn what overflowed: the key is in the
 * source of each report ("..., layout text 'KEY'"). */
static void measure(struct proof *p, struct person *pe, size_t l)
{
	struct compose_env env = { p->tpl, p->o->date, p->o->paper, p->roster_path, 0 };
	struct compose_info info;
	struct diag d = DIAG_INIT;
	doc *dc = compose_brief(&env, &pe->rec, langs[l], &info, &d);
	typeset_doc *td = dc ? typeset_run(dc, p->fonts, &d) : NULL;
	struct measured *m = &pe->m[l];
	size_t i;

	m->transliterated = info.name_transliterated;
	if (m->transliterated) {
		struct compose_facts cf;
		struct tpl_facts tf = { compose_get, &cf };
		int how = 0;
		const char *from;
		compose_facts_init(&cf, &pe->rec, p->o->date);
		m->tname = tpl_name(p->tpl, langs[l], &tf, &how, &from);
		if (how != 1) {
			free(m->tname);
			m->tname = NULL;
		}
	}
	/* Fallback texts: a localized field empty in this language and given
	 * in another. */
	{
		static const enum field base[] = { F_DETAINED_PLACE_EN, F_CHARGES_EN,
						   F_COURT_EN, F_HEALTH_EN,
						   F_CIRCUMSTANCES_EN };
		size_t b, k;
		m->fallbacks = 0;
		for (b = 0; b < ARRAY_SIZE(base); b++) {
			int here = *pe->rec.f[base[b] + l] != '\0', elsewhere = 0;
			for (k = 0; k < NLANG; k++)
				if (k != l && *pe->rec.f[base[b] + k])
					elsewhere = 1;
			m->fallbacks += !here && elsewhere;
		}
	}
	for (i = 0; td && i < typeset_overflow_count(td); i++) {
		const char *src = typeset_overflow(td, i).source;
		const char *k = src ? strstr(src, "layout text '") : NULL;
		if (!k)
			continue;
		k += strlen("layout text '");
		ALLOC_GROW(m->over, m->nover + 1, m->aover);
		m->over[m->nover++] = xstrndup(k, strcspn(k, "'"));
	}
	p->totals[l][0] += m->fallbacks;
	p->totals[l][1] += m->transliterated;
	p->totals[l][2] += (int)m->nover;
	typeset_free(td);
	doc_free(dc);
	diag_release(&d);
}

static int overflowed(const struct measured *m, const char *key)
{
	size_t i;
	for (i = 0; i < m->nover; i++)
		if (strcmp(m->over[i], key) == 0)
			return 1;
	return 0;
}

/* --- cells ---------------------------------------------------------------- */

/* A cell's spans, built from several texts; the strings are kept here. */
struct cellbuf {
	struct doc_span *v;
	size_t n, alloc;
	char **strs;
	size_t nstrs, astrs;
};

static void cell_add(struct cellbuf *cb, const char *text, unsigned style)
{
	char *s = xstrdup(text);
	ALLOC_GROW(cb->strs, cb->nstrs + 1, cb->astrs);
	cb->strs[cb->nstrs++] = s;
	ALLOC_GROW(cb->v, cb->n + 1, cb->alloc);
	memset(&cb->v[cb->n], 0, sizeof(cb->v[cb->n]));
	cb->v[cb->n].text = s;
	cb->v[cb->n].style = style;
	cb->v[cb->n].source = "proof";
	cb->n++;
}

static void cell_release(struct cellbuf *cb)
{
	size_t i;
	for (i = 0; i < cb->nstrs; i++)
		free(cb->strs[i]);
	free(cb->strs);
	free(cb->v);
	memset(cb, 0, sizeof(*cb));
}

/* Append the expansion of key: citations as [n], fallbacks, marks and
 * overflowing texts highlighted. Returns the characters added. */
/* The tag of a mark, before the text it marks. */
static void cell_mark(struct cellbuf *cb, enum mark k)
{
	cell_add(cb, marks[k].tag, DOC_BOLD | DOC_SMALL | DOC_HIGHLIGHT);
	cell_add(cb, " ", 0);
}

/* Whether a language other than c's has the text key. */
static int elsewhere(const struct composer *c, const char *key)
{
	size_t l;
	for (l = 0; l < NLANG; l++)
		if (strcmp(langs[l], c->lang) && tpl_has(c->tpl, langs[l], key))
			return 1;
	return 0;
}

static size_t cell_text(struct composer *c, struct cellbuf *cb, const char *key,
			const struct measured *m)
{
	struct tpl_spans sp = TPL_SPANS_INIT;
	unsigned hl = overflowed(m, key) ? DOC_HIGHLIGHT : 0;
	size_t i, len = 0;

	if (!tpl_has(c->tpl, c->lang, key)) {
		if (!elsewhere(c, key))
			return 0;
		cell_mark(cb, MARK_MISSING);
		cell_add(cb, "missing", DOC_ITALIC | DOC_HIGHLIGHT);
		return strlen("missing");
	}
	if (hl)
		cell_mark(cb, MARK_OVERFLOW);
	composer_source(c, key);
	composer_expand(c, key, &sp);
	for (i = 0; i < sp.n; i++) {
		const struct tpl_span *t = &sp.v[i];
		unsigned st = hl;
		if (t->style & TPL_BOLD)
			st |= DOC_BOLD;
		if (t->style & TPL_ITALIC)
			st |= DOC_ITALIC;
		if (t->style & (TPL_FALLBACK | TPL_MARK))
			st |= DOC_HIGHLIGHT;
		if (t->cite) {
			char ref[32];
			snprintf(ref, sizeof(ref), "[%d]", t->note);
			cell_add(cb, ref, st | DOC_SMALL | DOC_SUPER);
		} else if (t->text && *t->text) {
			if (t->style & TPL_FALLBACK)
				cell_mark(cb, m->tname && !strcmp(t->text, m->tname) ?
					  MARK_TRANSLIT : MARK_FALLBACK);
			cell_add(cb, t->text, st);
			len += strlen(t->text);
		}
	}
	tpl_spans_release(&sp);
	return len;
}

/* A row of the table, key then the cells en | ru | hy, when put; the
 * cells are released either way. */
static void put_row(doc *dc, const char *key, struct cellbuf cb[NLANG], int put)
{
	struct doc_span k;
	size_t l;

	if (put) {
		memset(&k, 0, sizeof(k));
		k.text = key;
		k.style = DOC_SMALL;
		k.source = "proof";
		doc_table_cell(dc, &k, 1);
		for (l = 0; l < NLANG; l++)
			doc_table_cell(dc, cb[l].v, cb[l].n);
	}
	for (l = 0; l < NLANG; l++)
		cell_release(&cb[l]);
}

/* One row of the table: the key (or label), then en | ru | hy. A row
 * whose three cells are empty is left out. */
struct rowspec {
	const char *key;     /* the text */
	const char *label;   /* a label text shown before it ("label: text") */
};

static void row(struct composer cs[NLANG], const struct person *pe,
		const struct rowspec *r, doc *dc)
{
	struct cellbuf cb[NLANG];
	size_t l, total = 0;

	memset(cb, 0, sizeof(cb));
	for (l = 0; l < NLANG; l++) {
		size_t n = 0;
		if (r->label) {
			cell_text(&cs[l], &cb[l], r->label, &pe->m[l]);
			cell_add(&cb[l], ": ", 0);
		}
		n = cell_text(&cs[l], &cb[l], r->key, &pe->m[l]);
		if (n == 0 && r->label) {
			/* No value: drop the label too. */
			cell_release(&cb[l]);
		}
		total += n;
	}
	put_row(dc, r->key, cb, total > 0);
}

static void person_section(struct proof *p, doc *dc, struct person *pe)
{
	static const double widths[] = { 2.0, 3.0, 3.0, 3.0 };
	static const struct rowspec fixed[] = {
		{ "doc.title", NULL }, { "doc.subtitle", NULL }, { "doc.as_of", NULL },
		{ "identity.name", "identity.name.label" },
		{ "identity.birth_date", "identity.birth_date.label" },
		{ "identity.category", "identity.category.label" },
		{ "identity.status", "identity.status.label" },
		{ "facts.detained", "facts.detained.label" },
		{ "facts.released", "facts.released.label" },
		{ "facts.died", "facts.died.label" },
		{ "facts.duration", "facts.duration.label" },
		{ "facts.acknowledged", "facts.acknowledged.label" },
		{ "facts.charges", "facts.charges.label" },
		{ "facts.court", "facts.court.label" },
		{ "facts.verdict", "facts.verdict.label" },
		{ "facts.sentence", "facts.sentence.label" },
		{ "facts.health", "facts.health.label" },
		{ "circumstances", NULL },
		{ "circumstances.none", NULL },
	};
	static const struct rowspec tail[] = {
		{ "requests.intro", NULL }, { "requests.release", NULL },
		{ "requests.interim", NULL }, { "requests.icrc", NULL },
		{ "requests.family", NULL }, { "requests.medical", NULL },
		{ "requests.counsel", NULL }, { "doc.footer.page", NULL },
		{ "doc.footer.record", NULL },
	};
	struct compose_facts cf;
	struct composer cs[NLANG];
	struct diag quiet = DIAG_INIT;  /* the brief's own run reported these */
	const char **args = NULL;
	size_t nargs, i, l;
	struct doc_span h[2];
	char *name;
	int how;
	const char *from;

	compose_facts_init(&cf, &pe->rec, p->o->date);
	for (l = 0; l < NLANG; l++)
		composer_init(&cs[l], p->tpl, langs[l], compose_get, &cf, dc,
			      "proof", &quiet);

	/* The record's heading: its id and Latin name; a page each. */
	doc_page_break(dc);
	name = tpl_name(p->tpl, "en", &cs[0].facts, &how, &from);
	memset(h, 0, sizeof(h));
	h[0].text = pe->rec.f[F_ID];
	h[0].source = "proof";
	h[1].text = name ? name : "";
	h[1].source = "proof";
	{
		struct sbuf t = SBUF_INIT;
		sbuf_addf(&t, "%s — %s", pe->rec.f[F_ID], name ? name : "");
		h[0].text = t.buf;
		doc_heading(dc, 2, h, 1);
		sbuf_release(&t);
	}
	free(name);

	doc_table_begin(dc, ARRAY_SIZE(widths), widths, 1);
	{
		struct doc_span hd;
		memset(&hd, 0, sizeof(hd));
		hd.style = DOC_BOLD;
		hd.source = "proof";
		hd.text = "";
		doc_table_cell(dc, &hd, 1);
		for (l = 0; l < NLANG; l++) {
			hd.text = lang_names[l];
			doc_table_cell(dc, &hd, 1);
		}
	}
	for (i = 0; i < ARRAY_SIZE(fixed); i++) {
		/* as the brief: a sentence only for the convicted */
		if (!strcmp(fixed[i].key, "facts.sentence") &&
		    pe->rec.status != ST_CONVICTED)
			continue;
		row(cs, pe, &fixed[i], dc);
	}
	nargs = tpl_rules(p->tpl, &cs[0].facts, &args);
	for (i = 0; i < nargs; i++) {
		char key[96], title[96];
		struct rowspec r;
		snprintf(title, sizeof(title), "arg.%s.title", args[i]);
		snprintf(key, sizeof(key), "arg.%s", args[i]);
		r.key = title;
		r.label = NULL;
		row(cs, pe, &r, dc);
		r.key = key;
		row(cs, pe, &r, dc);
	}
	free(args);
	for (i = 0; i < ARRAY_SIZE(tail); i++)
		row(cs, pe, &tail[i], dc);
	/* The footnotes, in each language. */
	{
		struct cellbuf cb[NLANG];
		size_t most = 0;
		memset(cb, 0, sizeof(cb));
		for (l = 0; l < NLANG; l++) {
			struct diag d = DIAG_INIT;
			for (i = 0; i < cs[l].notes.n; i++) {
				struct tpl_spans ref = TPL_SPANS_INIT;
				char num[24];
				size_t s;
				snprintf(num, sizeof(num), "%s%zu. ", i ? "\n" : "", i + 1);
				cell_add(&cb[l], num, DOC_SMALL);
				tpl_citation(p->tpl, langs[l], cs[l].notes.keys[i], &ref, &d);
				for (s = 0; s < ref.n; s++)
					cell_add(&cb[l], ref.v[s].text, DOC_SMALL |
						 (ref.v[s].style & TPL_ITALIC ? DOC_ITALIC : 0));
				tpl_spans_release(&ref);
			}
			if (cs[l].notes.n > most)
				most = cs[l].notes.n;
			diag_release(&d);
		}
		put_row(dc, "notes", cb, most > 0);
	}
	doc_table_end(dc);
	for (l = 0; l < NLANG; l++)
		composer_release(&cs[l]);
	diag_release(&quiet);
}

static void para(doc *dc, const char *text, unsigned style)
{
	struct doc_span s;
	memset(&s, 0, sizeof(s));
	s.text = text;
	s.style = style;
	s.source = "proof";
	doc_para(dc, DOC_LEFT, &s, 1);
}

/* The texts no template or rule uses, with the languages that have them;
 * counted per language into p->unused. */
static void unused_list(struct proof *p, doc *dc, struct sbuf *sb)
{
	struct doc_span s[3];
	size_t l, i, k, n = 0;

	memset(s, 0, sizeof(s));
	for (i = 0; i < 3; i++)
		s[i].source = "proof";
	for (l = 0; l < NLANG; l++) {
		const char *key;
		for (i = 0; (key = tpl_text_key(p->tpl, langs[l], i)); i++) {
			int first = 1;
			if (tpl_text_used(p->tpl, key))
				continue;
			/* listed once, under the first language that has it */
			for (k = 0; k < l; k++)
				first &= !tpl_has(p->tpl, langs[k], key);
			if (!first)
				continue;
			if (!n++)
				doc_list_begin(dc, DOC_BULLETS);
			/* "[U] key (en, ru, hy)" */
			sbuf_reset(sb);
			sbuf_addf(sb, "%s (", key);
			for (k = 0; k < NLANG; k++)
				if (tpl_has(p->tpl, langs[k], key))
					sbuf_addf(sb, "%s%s", sb->buf[sb->len - 1] == '(' ?
						  "" : ", ", langs[k]);
			sbuf_addstr(sb, ")");
			s[0].text = marks[MARK_UNUSED].tag;
			s[0].style = DOC_BOLD | DOC_SMALL | DOC_HIGHLIGHT;
			s[1].text = " ";
			s[2].text = sb->buf;
			s[2].style = DOC_SMALL;
			doc_list_item(dc, s, 3);
		}
	}
	if (n)
		doc_list_end(dc);
	else
		para(dc, "None: every text is used by the brief, the summary, an "
		     "argument of rules.lay or as the label of a value.", 0);
}

/* Per language: the texts another language has and this one lacks, and
 * those nothing uses. */
static void count_texts(struct proof *p)
{
	size_t l, k, i;
	const char *key;

	for (l = 0; l < NLANG; l++)
		for (i = 0; (key = tpl_text_key(p->tpl, langs[l], i)); i++) {
			if (!tpl_text_used(p->tpl, key))
				p->unused[l]++;
			for (k = 0; k < NLANG; k++)
				if (k != l && !tpl_has(p->tpl, langs[k], key)) {
					/* counted once per language lacking it:
					 * under the first language that has it */
					size_t j;
					int first = 1;
					for (j = 0; j < l; j++)
						first &= !tpl_has(p->tpl, langs[j], key);
					p->missing[k] += first;
				}
		}
}

/* A heading (level 2, in s's style) and a table of ncols columns begun
 * under it, its first row the bold cols; s is left bold. */
static void headed_table(doc *dc, struct doc_span *s, const char *title,
			 size_t ncols, const double *widths,
			 const char *const *cols)
{
	size_t k;

	s->text = title;
	doc_heading(dc, 2, s, 1);
	doc_table_begin(dc, ncols, widths, 1);
	for (k = 0; k < ncols; k++) {
		s->text = cols[k];
		s->style = DOC_BOLD;
		doc_table_cell(dc, s, 1);
	}
}

/* The records left out, with their line and reason (as render's
 * OUTDIR/left-out.txt lists them, which also has every message). */
static void left_out_list(struct proof *p, doc *dc)
{
	static const double widths[] = { 1.0, 2.0, 12.0 };
	static const char *const cols[] = { "Line", "ID", "Reason" };
	struct doc_span s;
	size_t i;

	if (!p->nleft)
		return;
	memset(&s, 0, sizeof(s));
	s.source = "proof";
	headed_table(dc, &s, "Records left out", ARRAY_SIZE(widths), widths,
		     cols);
	for (i = 0; i < p->nleft; i++) {
		char line[24];
		snprintf(line, sizeof(line), "%ld", p->left[i].line);
		s.style = DOC_SMALL;
		s.text = line;
		doc_table_cell(dc, &s, 1);
		s.text = p->left[i].id;
		doc_table_cell(dc, &s, 1);
		s.text = p->left[i].reason;
		doc_table_cell(dc, &s, 1);
	}
	doc_table_end(dc);
}

static void front_page(struct proof *p, doc *dc, const struct diag *lint)
{
	static const double widths[] = { 2.0, 2.0, 2.0, 2.0, 2.0, 2.0 };
	static const double mwidths[] = { 1.0, 2.0, 12.0 };
	static const char *const cols[] = { "Language", "Fallback texts",
		"Transliterated names", "Texts that do not fit",
		"Missing texts", "Unused texts" };
	struct doc_span s;
	struct sbuf sb = SBUF_INIT;
	size_t i, l;

	memset(&s, 0, sizeof(s));
	s.source = "proof";
	s.text = "Proof sheet";
	doc_heading(dc, 1, &s, 1);
	sbuf_addf(&sb, "%zu record%s, facts as of %04d-%02d-%02d. Each record "
		  "follows on its own pages: one row per layout text, en | ru | "
		  "hy side by side, what needs a look marked as below.",
		  p->n, p->n == 1 ? "" : "s", p->o->date.y, p->o->date.m, p->o->date.d);
	if (p->nleft)
		sbuf_addf(&sb, " %zu record%s of the roster %s left out (listed "
			  "below): %s in no brief and no summary.", p->nleft,
			  p->nleft == 1 ? "" : "s", p->nleft == 1 ? "was" : "were",
			  p->nleft == 1 ? "it is" : "they are");
	para(dc, sb.buf, 0);
	sbuf_reset(&sb);
	left_out_list(p, dc);

	/* The legend: each mark as it appears in the rows. */
	s.text = "Marks";
	doc_heading(dc, 2, &s, 1);
	doc_table_begin(dc, ARRAY_SIZE(mwidths), mwidths, 0);
	for (i = 0; i < NMARKS; i++) {
		s.text = marks[i].tag;
		s.style = DOC_BOLD | DOC_SMALL | DOC_HIGHLIGHT;
		doc_table_cell(dc, &s, 1);
		s.text = marks[i].name;
		s.style = DOC_BOLD;
		doc_table_cell(dc, &s, 1);
		s.text = marks[i].meaning;
		s.style = 0;
		doc_table_cell(dc, &s, 1);
	}
	doc_table_end(dc);

	headed_table(dc, &s, "Per language", ARRAY_SIZE(widths), widths, cols);
	s.style = 0;
	for (l = 0; l < NLANG; l++) {
		char num[24];
		s.text = lang_names[l];
		doc_table_cell(dc, &s, 1);
		for (i = 0; i < 5; i++) {
			snprintf(num, sizeof(num), "%d", i < 3 ? p->totals[l][i] :
				 i == 3 ? p->missing[l] : p->unused[l]);
			s.text = num;
			doc_table_cell(dc, &s, 1);
		}
	}
	doc_table_end(dc);

	s.text = "Layout check";
	doc_heading(dc, 2, &s, 1);
	if (lint->n == 0) {
		para(dc, "No findings: every language has every text, with the "
		     "same conditions, placeholders and citations.", 0);
	} else {
		doc_list_begin(dc, DOC_BULLETS);
		for (i = 0; i < lint->n; i++) {
			const struct diag_entry *e = &lint->v[i];
			sbuf_reset(&sb);
			if (e->file && e->line && e->col)
				sbuf_addf(&sb, "%s:%ld:%ld: ", e->file, e->line, e->col);
			else if (e->file && e->line)
				sbuf_addf(&sb, "%s:%ld: ", e->file, e->line);
			else if (e->file)
				sbuf_addf(&sb, "%s: ", e->file);
			sbuf_addf(&sb, "%s: %s", e->level == DIAG_ERROR ? "error" :
				  e->level == DIAG_WARNING ? "warning" : "note", e->msg);
			s.text = sb.buf;
			s.style = DOC_SMALL;
			doc_list_item(dc, &s, 1);
		}
		doc_list_end(dc);
	}

	/* Texts nothing prints: not in the rows of the records. */
	s.text = "Unused texts";
	s.style = 0;
	doc_heading(dc, 2, &s, 1);
	unused_list(p, dc, &sb);
	sbuf_release(&sb);
}

int proof_run(const struct proof_opts *o, const char *roster_path,
	      const struct roster_opts *ro, const struct record_ctx *ctx,
	      render_flush_fn flush, void *flush_arg, struct diag *d)
{
	struct proof p;
	struct diag lint = DIAG_INIT;
	struct record_sink sink;
	struct record_stats rs;
	struct record_ctx rctx;
	typeset_doc *td = NULL;
	char *tmp = NULL;
	size_t i, l;
	doc *dc;
	int rc;

	memset(&p, 0, sizeof(p));
	p.o = o;
	p.roster_path = roster_path;
	p.tpl = tpl_load(o->layouts_dir, d);
	if (!p.tpl)
		return 2;
	p.fonts = font_set_load(o->fonts_dir, d);
	if (!p.fonts) {
		tpl_free(p.tpl);
		return 2;
	}
	sink.valid = on_valid;
	sink.invalid = on_invalid;
	sink.flush = NULL;     /* diagnostics are printed after reading */
	sink.arg = &p;
	/* Records are checked against the fonts they will be set in. */
	rctx = *ctx;
	rctx.fonts = p.fonts;
	rc = record_read_roster(roster_path, ro, &rctx, &sink, d, &rs);
	if (flush)
		flush(flush_arg, d);
	if (rc == 2)
		goto out;

	/* A text missing in a language is shown, marked; cli.c refused
	 * every other error before. */
	tpl_lint_opts(p.tpl, TPL_LINT_MISSING_WARNS, &lint);
	count_texts(&p);
	for (i = 0; i < p.n; i++)
		for (l = 0; l < NLANG; l++)
			measure(&p, &p.people[i], l);

	dc = doc_new("en", o->paper == DOC_LETTER ? DOC_LETTER_LANDSCAPE : DOC_A4_LANDSCAPE);
	doc_set_date(dc, o->date.y, o->date.m, o->date.d, 0, 0, 0);
	doc_set_info(dc, DOC_TITLE, "Proof sheet");
	doc_set_info(dc, DOC_AUTHOR, "dossier");
	doc_set_page_text(dc, "dossier proof: en | ru | hy", NULL, "Page {page} of {pages}");
	front_page(&p, dc, &lint);
	for (i = 0; i < p.n; i++)
		person_section(&p, dc, &p.people[i]);
	td = typeset_run(dc, p.fonts, d);
	doc_free(dc);
	if (!td || out_tmp_for(o->output, &tmp, d) < 0 ||
	    pdf_write(td, tmp, 0, d) < 0 || out_commit(tmp, o->output, d) < 0) {
		if (tmp)
			remove(tmp);
		rc = 2;
	}
	free(tmp);
out:
	typeset_free(td);
	for (i = 0; i < p.n; i++) {
		for (l = 0; l < NLANG; l++) {
			size_t k;
			for (k = 0; k < p.people[i].m[l].nover; k++)
				free(p.people[i].m[l].over[k]);
			free(p.people[i].m[l].over);
			free(p.people[i].m[l].tname);
		}
		record_release(&p.people[i].rec);
	}
	free(p.people);
	for (i = 0; i < p.nleft; i++) {
		free(p.left[i].id);
		free(p.left[i].reason);
	}
	free(p.left);
	diag_release(&lint);
	font_set_free(p.fonts);
	tpl_free(p.tpl);
	return rc;
}
