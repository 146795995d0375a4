/* tpl-expand.c: expanding a layout text for the facts of a record into
 * styled spans (tpl_expand), names in every script (tpl_name), the
 * rules that apply (tpl_rules) and the citations (tpl_citation). */
#include "tpl-private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- expanding ------------------------------------------------------------- */

void tpl_spans_release(struct tpl_spans *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		free(sp->v[i].text);
		free(sp->v[i].uri);
	}
	free(sp->v);
	sp->v = NULL;
	sp->n = sp->alloc = 0;
}

void tpl_spans_text(const struct tpl_spans *sp, struct sbuf *out)
{
	for (size_t i = 0; i < sp->n; i++) {
		if (sp->v[i].cite)
			sbuf_addf(out, "[%s]", sp->v[i].text);
		else
			sbuf_addstr(out, sp->v[i].text);
	}
}

void tpl_notes_release(struct tpl_notes *notes)
{
	free(notes->keys);
	notes->keys = NULL;
	notes->n = notes->alloc = 0;
}

struct ex {
	const tpl_set *s;
	const struct lang *L;
	const struct tpl_facts *f;
	struct tpl_notes *notes;
	struct tpl_spans *out;
	struct diag *d;
	const char *file;
	unsigned style;
	const char *uri;
	const char *hash; /* the formatted number inside a plural branch */
	int depth;
};

static int expand_key(struct ex *x, const char *key, unsigned extra);

static void emit(struct ex *x, const char *text, size_t n, unsigned style)
{
	struct tpl_span *last = x->out->n ? &x->out->v[x->out->n - 1] : NULL;
	struct tpl_span *sp;

	if (!n && !(style & TPL_BREAK))
		return;
	/* Runs of one style and one link target are one span. */
	if (last && last->style == style && !last->cite && !(style & TPL_BREAK) &&
	    (last->uri ? x->uri && !strcmp(last->uri, x->uri) : !x->uri)) {
		size_t old = strlen(last->text);
		last->text = xrealloc(last->text, old + n + 1);
		memcpy(last->text + old, text, n);
		last->text[old + n] = '\0';
		return;
	}
	ALLOC_GROW(x->out->v, x->out->n + 1, x->out->alloc);
	sp = &x->out->v[x->out->n++];
	memset(sp, 0, sizeof(*sp));
	sp->text = xstrndup(text, n);
	sp->style = style;
	sp->uri = x->uri ? xstrdup(x->uri) : NULL;
}

static int ex_error(struct ex *x, const struct node *n, const char *fmt,
		    const char *a, const char *b)
{
	struct diag_loc at = { x->file, n->line, n->col };
	return diag_error(x->d, at, fmt, a, b);
}

/* The value of a localized field in x's language, else in the first other
 * language that has one (*from names it). */
static const char *localized_value(struct ex *x, const char *field,
				   const char **from)
{
	char name[64];
	const char *v;

	*from = NULL;
	snprintf(name, sizeof(name), "%s_%s", field, x->L->data);
	if ((v = tpl_get_raw(x->f, name)))
		return v;
	for (int i = 0; i < FMT_NLANGS; i++) {
		if (!strcmp(fmt_langs[i], x->L->data))
			continue;
		snprintf(name, sizeof(name), "%s_%s", field, fmt_langs[i]);
		if ((v = tpl_get_raw(x->f, name))) {
			*from = fmt_langs[i];
			return v;
		}
	}
	return NULL;
}

/* Which languages a name is taken from when it lacks in lang, in order. */
static const char *const *name_sources(const char *lang)
{
	static const char *const en[] = { "hy", "ru", NULL };
	static const char *const ru[] = { "hy", "en", NULL };
	static const char *const hy[] = { "en", "ru", NULL };

	return !strcmp(lang, "ru") ? ru : !strcmp(lang, "hy") ? hy : en;
}

char *tpl_name(const tpl_set *s, const char *lang, const struct tpl_facts *f,
	       int *how, const char **from)
{
	char name[32];
	const char *v;
	const char *const *src;

	/* The pseudo-locale shows names as English does, unaccented. */
	if (lang && !strcmp(lang, TPL_PSEUDO_LANG))
		lang = "en";
	src = name_sources(lang);
	*how = 0;
	*from = NULL;
	snprintf(name, sizeof(name), "name_%s", lang);
	if ((v = tpl_get_raw(f, name)))
		return xstrdup(v);
	/* Transliterated, where rules exist for the pair. */
	for (size_t i = 0; src[i]; i++) {
		char *t;
		snprintf(name, sizeof(name), "name_%s", src[i]);
		if (!(v = tpl_get_raw(f, name)) || !translit_has(s->tr, src[i], lang))
			continue;
		if ((t = translit_name(s->tr, src[i], lang, v, NULL))) {
			*how = 1;
			*from = src[i];
			return t;
		}
	}
	/* Else as written in another script. */
	for (size_t i = 0; src[i]; i++) {
		snprintf(name, sizeof(name), "name_%s", src[i]);
		if ((v = tpl_get_raw(f, name))) {
			*how = 2;
			*from = src[i];
			return xstrdup(v);
		}
	}
	return NULL;
}

static int expand_nodes(struct ex *x, const struct nodes *ns);

/* The mark after a value from elsewhere, e.g. " [in Russian in the
 * source]", from the text named by prefix and lang. */
static int emit_mark(struct ex *x, const char *prefix, const char *lang)
{
	struct sbuf key = SBUF_INIT;
	int r;

	sbuf_addf(&key, "%s%s%s", prefix, lang ? "." : "", lang ? lang : "");
	emit(x, " ", 1, x->style);
	r = expand_key(x, key.buf, TPL_MARK);
	sbuf_release(&key);
	return r < 0 ? -1 : 0;
}

/* The branch of a select for the field's value val, else "other" (also
 * for an empty or unknown value: {sex, select, ...} of a record whose sex
 * is not known). */
static int expand_select(struct ex *x, const struct node *n, const char *val)
{
	const struct branch *other = NULL;

	for (size_t i = 0; i < n->nbr; i++) {
		if (val && !strcmp(n->br[i].cat, val))
			return expand_nodes(x, &n->br[i].body);
		if (!strcmp(n->br[i].cat, "other"))
			other = &n->br[i];
	}
	return other ? expand_nodes(x, &other->body) : 0;
}

static int expand_field(struct ex *x, const struct node *n)
{
	struct sbuf v = SBUF_INIT;
	const char *val, *from = NULL;
	int r = 0;

	if (n->fmt == F_RAW && !strcmp(n->text, "name")) {
		int how;
		char *nm = tpl_name(x->s, x->L->data, x->f, &how, &from);
		if (!nm)
			return 0;
		emit(x, nm, strlen(nm), x->style | (how ? TPL_FALLBACK : 0));
		free(nm);
		if (how == 1)
			return emit_mark(x, "mark.transliterated", NULL);
		if (how == 2)
			return emit_mark(x, "mark.script", from);
		return 0;
	}
	if (tpl_is_localized(n->text))
		val = localized_value(x, n->text, &from);
	else
		val = tpl_get_raw(x->f, n->text);
	if (n->fmt == F_SELECT)
		return expand_select(x, n, val);
	if (!val)
		return 0;
	switch (n->fmt) {
	case F_RAW:
		emit(x, val, strlen(val), x->style | (from ? TPL_FALLBACK : 0));
		if (from)
			return emit_mark(x, "mark.source", from);
		return 0;
	case F_DATE:
		if (fmt_date(x->s->fmt, x->L->data, val, &v))
			r = ex_error(x, n, "%s: \"%s\" is not a date", n->text,
				     diag_quote(val, 40));
		break;
	case F_NUMBER:
		if (fmt_number(x->s->fmt, x->L->data, val, &v))
			r = ex_error(x, n, "%s: \"%s\" is not a number", n->text,
				     diag_quote(val, 40));
		break;
	case F_YEARS:
		if (fmt_duration_years(x->s->fmt, x->L->data, val, &v))
			r = ex_error(x, n, "%s: \"%s\" is not a number of years",
				     n->text, diag_quote(val, 40));
		break;
	case F_DAYS: {
		char *end;
		long days = strtol(val, &end, 10);
		if (*end || fmt_duration_days(x->s->fmt, x->L->data, days, &v))
			r = ex_error(x, n, "%s: \"%s\" is not a number of days",
				     n->text, diag_quote(val, 40));
		break;
	}
	case F_LABEL: {
		struct sbuf key = SBUF_INIT;
		sbuf_addf(&key, "%s.%s", n->text, val);
		r = expand_key(x, key.buf, 0) < 0 ? -1 : 0;
		sbuf_release(&key);
		return r;
	}
	case F_SELECT:
		BUG("select expanded as a value");
	case F_PLURAL: {
		const char *cat = fmt_plural(x->s->fmt, x->L->data, val);
		const struct branch *br = NULL;
		const char *save = x->hash;
		if (!cat || fmt_number(x->s->fmt, x->L->data, val, &v))
			return ex_error(x, n, "%s: \"%s\" is not a number", n->text,
					diag_quote(val, 40));
		for (size_t i = 0; i < n->nbr; i++)
			if (!strcmp(n->br[i].cat, cat) ||
			    (!br && !strcmp(n->br[i].cat, "other")))
				br = &n->br[i];
		for (size_t i = 0; i < n->nbr; i++)
			if (!strcmp(n->br[i].cat, cat))
				br = &n->br[i];
		x->hash = v.buf;
		r = expand_nodes(x, &br->body);
		x->hash = save;
		sbuf_release(&v);
		return r;
	}
	}
	if (!r && x->L->pseudo) {
		/* Formatted as in English, then accented like the words. */
		struct sbuf acc = SBUF_INIT;
		tpl_pseudo_accent(v.buf, &acc);
		emit(x, acc.buf, acc.len, x->style);
		sbuf_release(&acc);
	} else if (!r) {
		emit(x, v.buf, v.len, x->style);
	}
	sbuf_release(&v);
	return r;
}

static int add_note(struct tpl_notes *notes, const char *key)
{
	for (size_t i = 0; i < notes->n; i++)
		if (!strcmp(notes->keys[i], key))
			return (int)i + 1;
	ALLOC_GROW(notes->keys, notes->n + 1, notes->alloc);
	notes->keys[notes->n++] = key;
	return (int)notes->n;
}

static int expand_nodes(struct ex *x, const struct nodes *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		const struct node *n = &ns->v[i];
		switch (n->kind) {
		case N_TEXT:
			emit(x, n->text, strlen(n->text), x->style);
			break;
		case N_BOLD:
			x->style ^= TPL_BOLD;
			break;
		case N_ITALIC:
			x->style ^= TPL_ITALIC;
			break;
		case N_BREAK:
			emit(x, "\n", 1, x->style | TPL_BREAK);
			break;
		case N_HASH:
			if (x->hash)
				emit(x, x->hash, strlen(x->hash), x->style);
			break;
		case N_FIELD:
			if (expand_field(x, n))
				return -1;
			break;
		case N_CITE: {
			char num[16];
			int k = 0;
			struct tpl_span *sp;
			/* The key, borrowed from the rules or sources. */
			const char *key = NULL;
			for (size_t j = 0; j < x->s->nsrc && !key; j++)
				if (!strcmp(x->s->src[j].key, n->text))
					key = x->s->src[j].key;
			if (!key)
				return ex_error(x, n, "unknown citation key '%s'%s",
						n->text, "");
			if (x->notes)
				k = add_note(x->notes, key);
			snprintf(num, sizeof(num), "%d", k);
			ALLOC_GROW(x->out->v, x->out->n + 1, x->out->alloc);
			sp = &x->out->v[x->out->n++];
			memset(sp, 0, sizeof(*sp));
			sp->text = xstrdup(num);
			sp->style = x->style;
			sp->cite = key;
			sp->note = k;
			break;
		}
		case N_LINK: {
			struct ex y = *x;
			struct sbuf uri = SBUF_INIT;
			struct tpl_spans tmp = TPL_SPANS_INIT;
			int r;
			/* The address is expanded to plain text first. */
			y.out = &tmp;
			y.style = 0;
			r = expand_nodes(&y, &n->uri);
			tpl_spans_text(&tmp, &uri);
			tpl_spans_release(&tmp);
			if (!r) {
				const char *save = x->uri;
				x->uri = uri.buf;
				r = expand_nodes(x, &n->kids);
				x->uri = save;
			}
			sbuf_release(&uri);
			if (r)
				return -1;
			break;
		}
		}
	}
	return 0;
}

static const struct variant *choose(const struct entry *e,
				    const struct tpl_facts *f)
{
	for (size_t i = 0; i < e->n; i++)
		if (tpl_cond_eval(e->v[i].cond, f))
			return &e->v[i];
	return NULL;
}

static int expand_in(struct ex *x, const struct table *t, const char *key,
		     unsigned extra)
{
	const struct entry *e = tpl_table_find(t, key);
	const struct variant *v;
	struct ex y = *x;
	size_t before = x->out->n;
	struct diag_loc nowhere = { NULL, 0, 0 };

	if (!e)
		return diag_error(x->d, nowhere, "%s: no text '%s'", x->L->code, key);
	if (x->depth > 8)
		return diag_error(x->d, nowhere, "%s: '%s' refers to itself", x->L->code, key);
	if (!(v = choose(e, x->f)))
		return 0;
	y.file = v->file;
	y.style = x->style | extra;
	y.depth = x->depth + 1;
	if (expand_nodes(&y, &v->body))
		return -1;
	return (int)(x->out->n - before);
}

static int expand_key(struct ex *x, const char *key, unsigned extra)
{
	return expand_in(x, &x->L->texts, key, extra);
}

int tpl_expand(const tpl_set *s, const char *lang, const char *key,
	       const struct tpl_facts *f, struct tpl_notes *notes,
	       struct tpl_spans *out, struct diag *d)
{
	struct ex x = { s, tpl_lang_find(s, lang), f, notes, out, d, NULL, 0, NULL,
			NULL, 0 };
	struct diag_loc nowhere = { NULL, 0, 0 };

	if (!x.L)
		return diag_error(d, nowhere, "unknown language '%s'", lang ? lang : "");
	return expand_key(&x, key, 0);
}

int tpl_expandf(const tpl_set *s, const char *lang,
		const struct tpl_facts *f, struct tpl_notes *notes,
		struct tpl_spans *out, struct diag *d, const char *keyfmt, ...)
{
	struct sbuf key = SBUF_INIT;
	va_list ap;
	int r;

	va_start(ap, keyfmt);
	sbuf_vaddf(&key, keyfmt, ap);
	va_end(ap);
	r = tpl_expand(s, lang, key.buf, f, notes, out, d);
	sbuf_release(&key);
	return r;
}

int tpl_citation(const tpl_set *s, const char *lang, const char *key,
		 struct tpl_spans *out, struct diag *d)
{
	struct ex x = { s, tpl_lang_find(s, lang), NULL, NULL, out, d, NULL, 0,
			NULL, NULL, 0 };
	struct diag_loc nowhere = { NULL, 0, 0 };

	if (!x.L)
		return diag_error(d, nowhere, "unknown language '%s'", lang ? lang : "");
	return expand_in(&x, &x.L->cites, key, 0);
}

int tpl_cond(const tpl_set *s, const char *expr, const struct tpl_facts *f,
	     struct diag *d)
{
	struct src_text st = { SBUF_INIT, NULL, 0, 0, "<condition>" };
	struct cond *c;
	int r;

	(void)s;
	tpl_st_add(&st, expr, strlen(expr), 1, 1);
	c = tpl_cond_parse(&st, d);
	r = c ? tpl_cond_eval(c, f) : -1;
	tpl_cond_free(c);
	sbuf_release(&st.text);
	free(st.seg);
	return r;
}

size_t tpl_rules(const tpl_set *s, const struct tpl_facts *f,
		 const char ***ids)
{
	size_t n = 0;

	*ids = xmalloc((s->nrules + 1) * sizeof(**ids));
	for (size_t i = 0; i < s->nrules; i++)
		if (tpl_cond_eval(s->rules[i].cond, f))
			(*ids)[n++] = s->rules[i].id;
	(*ids)[n] = NULL;
	return n;
}

const char *const *tpl_rule_cites(const tpl_set *s, const char *id,
				  size_t *n)
{
	for (size_t i = 0; i < s->nrules; i++)
		if (!strcmp(s->rules[i].id, id)) {
			*n = s->rules[i].nkeys;
			return (const char *const *)s->rules[i].keys;
		}
	*n = 0;
	return NULL;
}


