/* tpl-lint.c: the cross-language checks of the layouts (tpl_lint, the
 * command `dossier layouts check`): texts, variants, placeholders and
 * citations compared between languages, against the citation table and
 * the vocabulary of record fields. */
#include "tpl-private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- lint -------------------------------------------------------------------- */

struct lint {
	const tpl_set *s;
	const struct lang *L;
	struct diag *d;
	const char *file;
	int nerr;
	const char *key; /* the text being checked; NULL for rules.lay */
	unsigned flags;  /* TPL_LINT_* */
};

/* A finding at file:line:col; the errors are counted. */
static void l_report(struct lint *l, enum diag_level level, const char *file,
		     long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void l_report(struct lint *l, enum diag_level level, const char *file,
		     long line, long col, const char *fmt, ...)
{
	struct diag_loc at = { file, line, col };
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(l->d, level, at, fmt, ap);
	va_end(ap);
	if (level == DIAG_ERROR)
		l->nerr++;
}

#define l_error(l, ...) l_report(l, DIAG_ERROR, __VA_ARGS__)
#define l_warn(l, ...) l_report(l, DIAG_WARNING, __VA_ARGS__)
/* A text or citation that a language lacks: an error, or a warning with
 * TPL_LINT_MISSING_WARNS (the proof shows such texts, marked). */
#define l_missing(l, ...) l_report(l, ((l)->flags & TPL_LINT_MISSING_WARNS) ? \
				   DIAG_WARNING : DIAG_ERROR, __VA_ARGS__)

static const struct source *find_source(const tpl_set *s, const char *key)
{
	for (size_t i = 0; i < s->nsrc; i++)
		if (!strcmp(s->src[i].key, key))
			return &s->src[i];
	return NULL;
}

/* Whether a status of sources.lay says unverified: "U" alone or in a
 * combination such as "V/V2/U". */
static int status_has(const char *status, const char *tag)
{
	size_t n = strlen(tag);
	const char *p = status;

	while (*p) {
		size_t k = strcspn(p, "/ ");
		if (k == n && !strncmp(p, tag, n))
			return 1;
		p += k;
		while (*p == '/' || *p == ' ')
			p++;
	}
	return 0;
}

/* One placeholder of a text: its field, format and place. */
struct field_use {
	const char *field; /* borrowed from the node */
	enum field_fmt fmt;
	long line, col;
};

/* What a text uses, for comparing languages. */
struct uses {
	struct sbuf fields; /* sorted, unique, one per line */
	struct sbuf cites;  /* in order, one per line */
	int quotes;         /* has quotation marks */
	int cites_p;        /* cites a paraphrase-only key */
	int cites_quotable; /* cites a key whose wording was seen */
	int quote_open;     /* the last text ended with a closing quote */
	struct sbuf quoted; /* keys cited right after a quotation, by line */
	struct field_use *fu; /* every placeholder, in order */
	size_t nfu, afu;
};
#define USES_INIT { SBUF_INIT, SBUF_INIT, 0, 0, 0, 0, SBUF_INIT, NULL, 0, 0 }

static void add_field_use(struct uses *u, const char *f)
{
	/* Keep fields as a sorted set of lines. */
	struct sbuf nw = SBUF_INIT;
	const char *p = u->fields.buf;
	int placed = 0;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = (size_t)(e - p);
		int c = strncmp(p, f, n);
		if (!c && strlen(f) == n) {
			sbuf_release(&nw);
			return;
		}
		if (!placed && (c > 0 || (c == 0 && strlen(f) < n))) {
			sbuf_addf(&nw, "%s\n", f);
			placed = 1;
		}
		sbuf_add(&nw, p, n + 1);
		p = e + 1;
	}
	if (!placed)
		sbuf_addf(&nw, "%s\n", f);
	sbuf_release(&u->fields);
	u->fields = nw;
}

/* Whether s ends with a closing quotation mark, perhaps followed by the
 * punctuation that ends a sentence or clause: the text before a citation
 * then reads as a quotation of the source cited. */
static int ends_with_quote(const char *s)
{
	size_t n = strlen(s);

	while (n && strchr(".,;:", s[n - 1]))
		n--;
	if (n && s[n - 1] == '"')
		return 1;
	return (n >= 2 && !memcmp(s + n - 2, "\xC2\xBB", 2)) ||   /* » */
	       (n >= 3 && !memcmp(s + n - 3, "\xE2\x80\x9D", 3)); /* ” */
}

static void check_cond(struct lint *l, const struct cond *c, const char *file)
{
	const struct enum_field *ef;

	if (!c)
		return;
	check_cond(l, c->a, file);
	check_cond(l, c->b, file);
	if (!c->field)
		return;
	if (!tpl_known_field(c->field)) {
		l_error(l, file, c->line, c->col, "unknown field '%s'", c->field);
		return;
	}
	if (tpl_field_misplaced(l->key, c->field)) {
		l_error(l, file, c->line, c->col, "field '%s' %s", c->field,
			tpl_field_misplaced(l->key, c->field));
		return;
	}
	if ((ef = tpl_enum_of(c->field)) && (c->op == C_EQ || c->op == C_NE || c->op == C_IN))
		for (size_t i = 0; i < c->nvals; i++)
			if (!tpl_enum_has(ef, c->vals[i]))
				l_error(l, file, c->line, c->col,
					"unknown value '%s' of '%s'", c->vals[i],
					c->field);
}

/* Whether the field of the placeholder n exists and can be used in the
 * text being checked (tpl_field_misplaced); the error when not. */
static int field_ok(struct lint *l, const struct node *n)
{
	if (!tpl_known_field(n->text)) {
		l_error(l, l->file, n->line, n->col, "unknown field '%s'", n->text);
		return 0;
	}
	if (tpl_field_misplaced(l->key, n->text)) {
		l_error(l, l->file, n->line, n->col, "field '%s' %s", n->text,
			tpl_field_misplaced(l->key, n->text));
		return 0;
	}
	return 1;
}

/* The value of e nearest to v, if one is near enough to be what was
 * meant (one edit in a short word, two from five letters on), else
 * NULL. */
static const char *nearest_value(const struct enum_field *e, const char *v)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1;

	for (size_t k = 0; e->values[k]; k++) {
		size_t lim = near_limit(e->values[k]);
		size_t d = edit_distance(v, e->values[k], lim);
		if (d <= lim && d < bestd) {
			bestd = d;
			best = e->values[k];
		}
	}
	return best;
}

static void walk(struct lint *l, const struct nodes *ns, struct uses *u);
static void uses_release(struct uses *u);
static const char *one_line(const char *list, struct sbuf *tmp);

/* Append the lines of list not yet in out. */
static void add_lines(struct sbuf *out, const char *list)
{
	for (const char *p = list; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = (size_t)(nl - p) + 1;
		const char *q = out->buf;
		int seen = 0;
		for (; *q && !seen; q = strchr(q, '\n') + 1)
			seen = !strncmp(q, p, n);
		if (!seen)
			sbuf_add(out, p, n);
		p = nl + 1;
	}
}

/* {field, select, VALUE {...} other {...}}. The field chooses among the
 * words of one language's grammar (a Russian participle agreeing with
 * sex) and prints nothing itself: it is not among the uses compared with
 * other languages, so one language may select where another needs no
 * select at all. What the branches print is compared: as only one
 * branch prints for a record, every branch must print the same
 * placeholders and cite the same keys in the same order, or the languages
 * would differ for some records (a fact printed for some values only
 * belongs in a variant [condition], the same in every language; a
 * citation in one branch only would renumber the footnotes). The keys of
 * a select on a field with a fixed set of values must be among them. */
static void lint_select(struct lint *l, const struct node *n, struct uses *u)
{
	const struct enum_field *ef = tpl_enum_of(n->text);
	struct sbuf a = SBUF_INIT, b = SBUF_INIT, f0 = SBUF_INIT, c0 = SBUF_INIT;

	if (field_ok(l, n) && ef)
		for (size_t k = 0; k < n->nbr; k++) {
			const struct branch *br = &n->br[k];
			const char *near;
			if (!strcmp(br->cat, "other") || tpl_enum_has(ef, br->cat))
				continue;
			if ((near = nearest_value(ef, br->cat))) {
				l_error(l, l->file, br->line, br->col,
					"unknown value '%s' of '%s'; did you mean '%s'?",
					br->cat, n->text, near);
				continue;
			}
			sbuf_reset(&a);
			for (size_t v = 0; ef->values[v]; v++)
				sbuf_addf(&a, "%s, ", ef->values[v]);
			l_error(l, l->file, br->line, br->col,
				"unknown value '%s' of '%s' (%sother)", br->cat,
				n->text, a.buf);
		}
	for (size_t k = 0; k < n->nbr; k++) {
		const struct branch *br = &n->br[k];
		struct uses bu = USES_INIT;

		walk(l, &br->body, &bu);
		if (k == 0) {
			sbuf_addstr(&f0, bu.fields.buf);
			sbuf_addstr(&c0, bu.cites.buf);
			sbuf_addstr(&u->cites, bu.cites.buf);
		}
		if (k && strcmp(bu.fields.buf, f0.buf)) {
			char *x = xstrdup(one_line(bu.fields.buf, &a));
			l_error(l, l->file, br->line, br->col,
				"placeholders of branch '%s' of the select of '%s' differ from branch '%s': here %s; there %s (only the words may depend on '%s'; a fact printed for some values only needs a variant [condition], the same in every language)",
				br->cat, n->text, n->br[0].cat, x,
				one_line(f0.buf, &b), n->text);
			free(x);
		}
		if (k && strcmp(bu.cites.buf, c0.buf)) {
			char *x = xstrdup(one_line(bu.cites.buf, &a));
			l_error(l, l->file, br->line, br->col,
				"citations of branch '%s' of the select of '%s' differ from branch '%s': here %s; there %s (the footnotes must be the same whatever '%s' is)",
				br->cat, n->text, n->br[0].cat, x,
				one_line(c0.buf, &b), n->text);
			free(x);
		}
		/* Into u: the fields of every branch (as a set), the citations
		 * of the first (they are the same in all, or an error said
		 * so). */
		for (const char *p = bu.fields.buf; *p; p = strchr(p, '\n') + 1) {
			char f[128];
			snprintf(f, sizeof(f), "%.*s", (int)(strchr(p, '\n') - p), p);
			add_field_use(u, f);
		}
		for (size_t i = 0; i < bu.nfu; i++) {
			ALLOC_GROW(u->fu, u->nfu + 1, u->afu);
			u->fu[u->nfu++] = bu.fu[i];
		}
		add_lines(&u->quoted, bu.quoted.buf);
		u->quotes |= bu.quotes;
		u->cites_p |= bu.cites_p;
		u->cites_quotable |= bu.cites_quotable;
		uses_release(&bu);
	}
	u->quote_open = 0;
	sbuf_release(&f0);
	sbuf_release(&c0);
	sbuf_release(&a);
	sbuf_release(&b);
}

static void walk(struct lint *l, const struct nodes *ns, struct uses *u)
{
	for (size_t i = 0; i < ns->n; i++) {
		const struct node *n = &ns->v[i];
		const struct source *src;

		if (n->kind != N_TEXT && n->kind != N_CITE)
			u->quote_open = 0;
		switch (n->kind) {
		case N_TEXT:
			u->quote_open = ends_with_quote(n->text);
			/* “ ” „ « » " */
			if (strstr(n->text, "\xE2\x80\x9C") || strstr(n->text, "\xE2\x80\x9D") ||
			    strstr(n->text, "\xE2\x80\x9E") || strstr(n->text, "\xC2\xAB") ||
			    strstr(n->text, "\xC2\xBB") || strchr(n->text, '"'))
				u->quotes = 1;
			break;
		case N_CITE:
			sbuf_addf(&u->cites, "%s\n", n->text);
			if (u->quote_open)
				sbuf_addf(&u->quoted, "%s\n", n->text);
			u->quote_open = 0;
			if (!(src = find_source(l->s, n->text))) {
				l_error(l, l->file, n->line, n->col,
					"unknown citation key '%s'", n->text);
			} else if (status_has(src->status, "U")) {
				l_error(l, l->file, n->line, n->col,
					"'%s' is marked unverified in SOURCES.md and cannot be cited",
					n->text);
			} else {
				if (status_has(src->status, "P") &&
				    !status_has(src->status, "V") &&
				    !status_has(src->status, "V2"))
					u->cites_p = 1;
				else
					u->cites_quotable = 1;
			}
			if (src && !status_has(src->status, "U") && l->L &&
			    !tpl_table_find(&l->L->cites, n->text))
				l_error(l, l->file, n->line, n->col,
					"'%s' has no reference in %s/citations.lay",
					n->text, l->L->code);
			break;
		case N_FIELD: {
			const struct enum_field *ef = tpl_enum_of(n->text);
			if (n->fmt == F_SELECT) {
				lint_select(l, n, u);
				break;
			}
			add_field_use(u, n->text);
			ALLOC_GROW(u->fu, u->nfu + 1, u->afu);
			u->fu[u->nfu++] = (struct field_use){ n->text, n->fmt,
							      n->line, n->col };
			if (!field_ok(l, n))
				break;
			if (n->fmt == F_LABEL && l->L) {
				if (!ef)
					l_error(l, l->file, n->line, n->col,
						"'%s' has no labels (only category, status, acknowledged)",
						n->text);
				for (size_t k = 0; ef && ef->values[k]; k++) {
					char key[64];
					snprintf(key, sizeof(key), "%s.%s", n->text, ef->values[k]);
					if (!tpl_table_find(&l->L->texts, key))
						l_missing(l, l->file, n->line, n->col,
							  "label '%s' is missing", key);
				}
			}
			if (n->fmt == F_PLURAL && l->L) {
				static const char *const cats[] = { "zero", "one", "two",
								    "few", "many" };
				for (size_t k = 0; k < n->nbr; k++) {
					if (!fmt_plural_has(l->s->fmt, l->L->code, n->br[k].cat))
						l_warn(l, l->file, n->br[k].line, n->br[k].col,
						       "plural category '%s' is not used in %s",
						       n->br[k].cat, l->L->code);
					walk(l, &n->br[k].body, u);
				}
				for (size_t c = 0; c < ARRAY_SIZE(cats); c++) {
					int has = 0;
					if (!fmt_plural_has(l->s->fmt, l->L->code, cats[c]))
						continue;
					for (size_t k = 0; k < n->nbr; k++)
						has |= !strcmp(n->br[k].cat, cats[c]);
					if (!has)
						l_warn(l, l->file, n->line, n->col,
						       "plural of '%s' lacks the '%s' form of %s",
						       n->text, cats[c], l->L->code);
				}
			}
			break;
		}
		case N_LINK:
			walk(l, &n->kids, u);
			walk(l, &n->uri, u);
			break;
		default:
			break;
		}
	}
}

static void uses_release(struct uses *u)
{
	sbuf_release(&u->fields);
	sbuf_release(&u->cites);
	sbuf_release(&u->quoted);
	free(u->fu);
}

/* A placeholder as written: "{name}", "{sentence_years, years}". */
static const char *placeholder(const struct field_use *f, char *buf, size_t n)
{
	snprintf(buf, n, "{%s%s%s%s}", f->field, f->fmt ? ", " : "",
		 tpl_fmt_names[f->fmt], f->fmt == F_PLURAL ? " ..." : "");
	return buf;
}

/* A plural against the bare number: each prints the number, the plural
 * with the words the language's grammar wants ("{age}" in English,
 * "{age, plural, one {# год} ...}" in Russian). */
static int plural_of_number(enum field_fmt a, enum field_fmt b)
{
	return (a == F_PLURAL && (b == F_RAW || b == F_NUMBER)) ||
	       (b == F_PLURAL && (a == F_RAW || a == F_NUMBER));
}

/* The value as the roster has it against a formatted one: a code
 * ("on_trial", "life") or an ISO date where the other language prints
 * words. */
static int raw_code(enum field_fmt a, enum field_fmt b)
{
	if (a == F_RAW)
		a = b, b = F_RAW;
	return b == F_RAW && (a == F_DATE || a == F_LABEL || a == F_YEARS ||
			      a == F_DAYS);
}

/* Each placeholder of u (language L) against the reference's uses of the
 * same field: the same field in another format prints differently (a raw
 * value where the reference has a localized date, years without their
 * word). A raw code against its words is an error, a plural against
 * the bare number is right, any other pair a warning; each at the
 * placeholder. */
static void compare_formats(struct lint *l, const char *file, const char *key,
			    const struct uses *u, const struct uses *ru,
			    const char *ref_code, long ref_line)
{
	for (size_t i = 0; i < u->nfu; i++) {
		const struct field_use *f = &u->fu[i];
		const struct field_use *other = NULL;
		int same = 0;
		char a[96], b[96];

		for (size_t k = 0; k < ru->nfu && !same; k++) {
			if (strcmp(ru->fu[k].field, f->field))
				continue;
			if (ru->fu[k].fmt == f->fmt)
				same = 1;
			else if (!other)
				other = &ru->fu[k];
		}
		if (same || !other || plural_of_number(f->fmt, other->fmt))
			continue;
		placeholder(f, a, sizeof(a));
		placeholder(other, b, sizeof(b));
		if (raw_code(f->fmt, other->fmt))
			l_error(l, file, f->line, f->col,
				"placeholder %s of '%s' has another format in %s (line %ld): %s",
				a, key, ref_code, ref_line, b);
		else
			l_warn(l, file, f->line, f->col,
			       "placeholder %s of '%s' has another format in %s (line %ld): %s",
			       a, key, ref_code, ref_line, b);
	}
}

/* Fill u with the uses of variant v (of text key in language L), walked
 * on a copy of l whose findings are dropped. */
static void variant_uses(const struct lint *l, const struct lang *L,
			 const char *key, const struct variant *v,
			 struct uses *u)
{
	struct diag tmp = DIAG_INIT;
	struct lint q = *l;

	q.d = &tmp;
	q.L = L;
	q.key = key;
	q.file = v->file;
	walk(&q, &v->body, u);
	diag_release(&tmp);
}

/* Check one variant alone; fill u. */
static void lint_variant(struct lint *l, const struct variant *v,
			 struct uses *u)
{
	l->file = v->file;
	check_cond(l, v->cond, v->file);
	walk(l, &v->body, u);
	if (u->quotes && u->cites_p && !u->cites_quotable)
		l_warn(l, v->file, v->line, 1,
		       "quotation marks in a text that cites only paraphrase-only sources");
	/* A quotation right before its citation must be wording SOURCES.md
	 * has seen: in English, a key marked V or V2; in another language,
	 * a key whose status names that language ("V ru"). */
	for (const char *p = u->quoted.buf; *p;) {
		const char *nl = strchr(p, '\n');
		char key[128];
		const struct source *src;
		snprintf(key, sizeof(key), "%.*s", (int)(nl - p), p);
		p = nl + 1;
		if (!(src = find_source(l->s, key)) || status_has(src->status, "U"))
			continue;
		if (l->L && strcmp(l->L->code, "en") && !status_has(src->status, l->L->code))
			l_warn(l, v->file, v->line, 1,
			       "a quotation cites '%s', whose %s wording SOURCES.md has not verified: paraphrase it",
			       key, l->L->code);
		else if ((!l->L || !strcmp(l->L->code, "en")) &&
			 !status_has(src->status, "V") && !status_has(src->status, "V2"))
			l_warn(l, v->file, v->line, 1,
			       "a quotation cites '%s', which is paraphrase-only", key);
	}
}

static const char *one_line(const char *list, struct sbuf *tmp)
{
	sbuf_reset(tmp);
	for (const char *p = list; *p; p++)
		sbuf_addstr(tmp, *p == '\n' ? (p[1] ? ", " : "") : (char[]){ *p, 0 });
	if (!tmp->len)
		sbuf_addstr(tmp, "none");
	return tmp->buf;
}

/* Compare the table t of lang L with the same table of the reference. */
static void lint_table(struct lint *l, const struct lang *ref,
		       const struct table *rt, const struct lang *L,
		       const struct table *t, const char *what)
{
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;

	for (size_t i = 0; i < t->n; i++) {
		const struct entry *e = &t->e[i];
		const struct entry *re = tpl_table_find(rt, e->key);
		int uncond = 0;

		for (size_t j = 0; j < e->n; j++) {
			struct uses u = USES_INIT;
			const struct variant *v = &e->v[j];

			if (uncond)
				l_warn(l, v->file, v->line, 1,
				       "variant of '%s' is never used: an earlier one has no condition",
				       e->key);
			if (!v->cond)
				uncond = 1;
			l->L = L;
			l->key = e->key;
			lint_variant(l, v, &u);
			if (re && ref != L && j < re->n && re->n == e->n) {
				struct uses ru = USES_INIT;
				const struct variant *rv = &re->v[j];
				variant_uses(l, ref, e->key, rv, &ru);
				if (strcmp(v->canon, rv->canon))
					l_error(l, v->file, v->line, 1,
						"condition of '%s' differs from %s (line %ld): here [%s], there [%s]",
						e->key, ref->code, rv->line, v->canon, rv->canon);
				if (strcmp(u.fields.buf, ru.fields.buf)) {
					char *x = xstrdup(one_line(u.fields.buf, &a));
					l_error(l, v->file, v->line, 1,
						"placeholders of '%s' differ from %s (line %ld): here %s; there %s",
						e->key, ref->code, rv->line, x,
						one_line(ru.fields.buf, &b));
					free(x);
				} else {
					compare_formats(l, v->file, e->key, &u, &ru,
							ref->code, rv->line);
				}
				if (strcmp(u.cites.buf, ru.cites.buf)) {
					char *x = xstrdup(one_line(u.cites.buf, &a));
					l_error(l, v->file, v->line, 1,
						"citations of '%s' differ from %s (line %ld): here %s; there %s",
						e->key, ref->code, rv->line, x,
						one_line(ru.cites.buf, &b));
					free(x);
				}
				uses_release(&ru);
			}
			uses_release(&u);
		}
		if (ref == L)
			continue;
		if (!re) {
			l_missing(l, e->v[0].file, e->v[0].line, 1,
				  "%s '%s' is missing in %s", what, e->key, ref->code);
		} else if (re->n != e->n) {
			l_error(l, e->v[0].file, e->v[0].line, 1,
				"'%s' has %zu variant(s) here and %zu in %s (line %ld)",
				e->key, e->n, re->n, ref->code, re->v[0].line);
		}
	}
	/* Texts of the reference that L lacks. */
	for (size_t i = 0; ref != L && i < rt->n; i++)
		if (!tpl_table_find(t, rt->e[i].key))
			l_missing(l, rt->e[i].v[0].file, rt->e[i].v[0].line, 1,
				  "%s '%s' is missing in %s", what, rt->e[i].key, L->code);
	sbuf_release(&a);
	sbuf_release(&b);
}

/* Every citation key a table's texts cite, into u. */
static void collect_cites(struct lint *l, const struct entry *e,
			  struct uses *u)
{
	struct diag tmp = DIAG_INIT;
	struct lint q = *l;

	q.d = &tmp;
	for (size_t j = 0; j < e->n; j++)
		walk(&q, &e->v[j].body, u);
	diag_release(&tmp);
}

/* ---- dated sources ----------------------------------------------------------- */

/* The date of the event a source reports, "@YYYY-MM-DD" in its status in
 * sources.lay (see the comment there), or NULL for an undated source. */
static const char *source_date(const struct source *src, char *buf, size_t n)
{
	const char *at = strchr(src->status, '@');
	size_t k;

	if (!at)
		return NULL;
	k = strcspn(at + 1, " \t");
	if (!k || k >= n)
		return NULL;
	memcpy(buf, at + 1, k);
	buf[k] = '\0';
	return buf;
}

/* Whether condition c (negated when neg) can hold only on or after date:
 * it requires as_of, or detained_on or verdict_date (which are never
 * after the report date), to be at least date. Dates compare as text,
 * which orders YYYY-MM-DD correctly and puts "2021" before "2021-05-20",
 * so a bound by the year alone does not count. */
static int cond_from(const struct cond *c, int neg, const char *date)
{
	enum cond_op op;

	if (!c)
		return 0;
	switch (c->op) {
	case C_NOT:
		return cond_from(c->a, !neg, date);
	case C_AND:
		return neg ? cond_from(c->a, 1, date) && cond_from(c->b, 1, date)
			   : cond_from(c->a, 0, date) || cond_from(c->b, 0, date);
	case C_OR:
		return neg ? cond_from(c->a, 1, date) || cond_from(c->b, 1, date)
			   : cond_from(c->a, 0, date) && cond_from(c->b, 0, date);
	default:
		break;
	}
	if (!c->field || !c->nvals || (strcmp(c->field, "as_of") &&
				       strcmp(c->field, "detained_on") &&
				       strcmp(c->field, "verdict_date")))
		return 0;
	op = c->op;
	if (neg)
		op = op == C_LT ? C_GE : op == C_LE ? C_GT : C_HAS;
	if (op == C_GE || op == C_GT || op == C_EQ)
		return strcmp(c->vals[0], date) >= 0;
	if (op == C_IN) {
		for (size_t i = 0; i < c->nvals; i++)
			if (strcmp(c->vals[i], date) < 0)
				return 0;
		return 1;
	}
	return 0;
}

/* A text that cites a dated source must hold only from its date: by its
 * own condition, the negation of an earlier variant's (variants are tried
 * in order), or, for an argument's text, the condition of its rule. The
 * languages cite the same keys under the same conditions (lint_table), so
 * the reference language is checked. */
static void lint_dated(struct lint *l)
{
	const struct lang *L = &l->s->langs[0];

	for (size_t i = 0; i < L->texts.n; i++) {
		const struct entry *e = &L->texts.e[i];
		const struct cond *rc = NULL;

		if (!strncmp(e->key, "arg.", 4))
			for (size_t r = 0; r < l->s->nrules; r++) {
				const char *id = l->s->rules[r].id;
				size_t n = strlen(id);
				if (!strncmp(e->key + 4, id, n) &&
				    (!e->key[4 + n] || !strcmp(e->key + 4 + n, ".title")))
					rc = l->s->rules[r].cond;
			}
		for (size_t j = 0; j < e->n; j++) {
			const struct variant *v = &e->v[j];
			struct uses u = USES_INIT;

			variant_uses(l, L, e->key, v, &u);
			for (const char *p = u.cites.buf; *p;) {
				const char *nl = strchr(p, '\n');
				char key[128], date[16];
				const struct source *src;
				int ok;

				snprintf(key, sizeof(key), "%.*s", (int)(nl - p), p);
				p = nl + 1;
				if (!(src = find_source(l->s, key)) ||
				    !source_date(src, date, sizeof(date)))
					continue;
				ok = cond_from(rc, 0, date) || cond_from(v->cond, 0, date);
				for (size_t k = 0; !ok && k < j; k++)
					ok = cond_from(e->v[k].cond, 1, date);
				if (!ok)
					l_error(l, v->file, v->line, 1,
						"'%s' cites '%s', dated %s, without a condition that it holds only from then (as_of >= %s)",
						e->key, key, date, date);
			}
			uses_release(&u);
		}
	}
}

int tpl_lint(const tpl_set *s, struct diag *d)
{
	return tpl_lint_opts(s, 0, d);
}

int tpl_lint_opts(const tpl_set *s, unsigned flags, struct diag *d)
{
	struct lint l = { s, NULL, d, NULL, 0, NULL, flags };
	const struct lang *ref = &s->langs[0];

	/* Sources: statuses as SOURCES.md writes them. */
	for (size_t i = 0; i < s->nsrc; i++) {
		const char *st = s->src[i].status;
		if (!status_has(st, "V") && !status_has(st, "V2") &&
		    !status_has(st, "P") && !status_has(st, "U"))
			l_warn(&l, s->sources_file, s->src[i].line, 1,
			       "status '%s' of '%s' is none of V, V2, P, U", st,
			       s->src[i].key);
	}

	/* Each language against the reference, texts and citations. */
	for (size_t i = 0; i < s->nlangs; i++) {
		const struct lang *L = &s->langs[i];
		lint_table(&l, ref, &ref->texts, L, &L->texts, "text");
		lint_table(&l, ref, &ref->cites, L, &L->cites, "citation");
		for (size_t k = 0; tpl_required_keys[k]; k++)
			if (!tpl_table_find(&L->texts, tpl_required_keys[k]))
				l_missing(&l, L->text_file, 0, 0,
					"%s: required text '%s' is missing",
					L->code, tpl_required_keys[k]);
		for (size_t k = 0; tpl_summary_keys[k]; k++)
			if (!tpl_table_find(&L->texts, tpl_summary_keys[k]))
				l_missing(&l, L->summary_file ? L->summary_file : L->text_file, 0, 0,
					"%s: required summary text '%s' is missing",
					L->code, tpl_summary_keys[k]);
		/* The label of every value of category, status, acknowledged. */
		for (size_t k = 0; k < tpl_n_enum_fields; k++)
			for (size_t v = 0; tpl_enum_fields[k].values[v]; v++) {
				char key[64];
				snprintf(key, sizeof(key), "%s.%s", tpl_enum_fields[k].field,
					 tpl_enum_fields[k].values[v]);
				if (!tpl_table_find(&L->texts, key))
					l_missing(&l, L->text_file, 0, 0,
						  "%s: label '%s' is missing", L->code, key);
			}
		for (size_t k = 0; k < L->cites.n; k++)
			if (!find_source(s, L->cites.e[k].key))
				l_error(&l, L->cites.e[k].v[0].file,
					L->cites.e[k].v[0].line, 1,
					"'%s' is not a key of sources.lay",
					L->cites.e[k].key);
	}

	/* Rules: conditions, keys, and an argument text in every language that
	 * cites the keys the rule declares. */
	l.key = NULL;
	for (size_t i = 0; i < s->nrules; i++) {
		const struct rule *r = &s->rules[i];
		l.key = NULL;
		check_cond(&l, r->cond, r->file);
		for (size_t k = 0; k < r->nkeys; k++) {
			const struct source *src = find_source(s, r->keys[k]);
			if (!src)
				l_error(&l, r->file, r->line, 1,
					"unknown citation key '%s'", r->keys[k]);
			else if (status_has(src->status, "U"))
				l_error(&l, r->file, r->line, 1,
					"'%s' is marked unverified in SOURCES.md and cannot be cited",
					r->keys[k]);
		}
		for (size_t j = 0; j < s->nlangs; j++) {
			const struct lang *L = &s->langs[j];
			char key[128];
			const struct entry *e;
			struct uses u = USES_INIT;

			snprintf(key, sizeof(key), "arg.%s.title", r->id);
			if (!tpl_table_find(&L->texts, key))
				l_missing(&l, r->file, r->line, 1,
					  "argument '%s' has no title in %s", r->id, L->code);
			snprintf(key, sizeof(key), "arg.%s", r->id);
			if (!(e = tpl_table_find(&L->texts, key))) {
				l_missing(&l, r->file, r->line, 1,
					  "argument '%s' has no text in %s", r->id, L->code);
				continue;
			}
			l.L = L;
			collect_cites(&l, e, &u);
			/* Cited but not declared: an error; declared, not cited: a
			 * warning (the footnote would never appear). */
			for (const char *p = u.cites.buf; *p;) {
				const char *nl = strchr(p, '\n');
				int ok = 0;
				for (size_t k = 0; k < r->nkeys; k++)
					ok |= strlen(r->keys[k]) == (size_t)(nl - p) &&
					      !strncmp(r->keys[k], p, (size_t)(nl - p));
				if (!ok)
					l_error(&l, e->v[0].file, e->v[0].line, 1,
						"'%s' cites '%.*s', which rules.lay does not list for '%s'",
						key, (int)(nl - p), p, r->id);
				p = nl + 1;
			}
			for (size_t k = 0; k < r->nkeys; k++) {
				char pat[80];
				int cited;
				snprintf(pat, sizeof(pat), "\n%s\n", r->keys[k]);
				cited = !strncmp(u.cites.buf, pat + 1, strlen(pat + 1)) ||
					strstr(u.cites.buf, pat) != NULL;
				if (!cited)
					l_warn(&l, e->v[0].file, e->v[0].line, 1,
					       "'arg.%s' does not cite '%s', which rules.lay lists",
					       r->id, r->keys[k]);
			}
			uses_release(&u);
		}
	}
	if (s->nlangs)
		lint_dated(&l);
	return l.nerr;
}


/* ---- which texts are used --------------------------------------------------- */

const char *tpl_text_key(const tpl_set *s, const char *lang, size_t i)
{
	const struct lang *L = tpl_lang_find(s, lang);
	return L && i < L->texts.n ? L->texts.e[i].key : NULL;
}

int tpl_text_used(const tpl_set *s, const char *key)
{
	const char *dot;

	for (size_t k = 0; tpl_required_keys[k]; k++)
		if (!strcmp(key, tpl_required_keys[k]))
			return 1;
	for (size_t k = 0; tpl_summary_keys[k]; k++)
		if (!strcmp(key, tpl_summary_keys[k]))
			return 1;
	/* arg.ID and arg.ID.title of an argument of rules.lay */
	if (!strncmp(key, "arg.", 4))
		for (size_t i = 0; i < s->nrules; i++) {
			size_t n = strlen(s->rules[i].id);
			if (!strncmp(key + 4, s->rules[i].id, n) &&
			    (!key[4 + n] || !strcmp(key + 4 + n, ".title")))
				return 1;
		}
	/* FIELD.VALUE: the label of a value of category, status,
	 * acknowledged ({status, label}) */
	if ((dot = strchr(key, '.')) && !strchr(dot + 1, '.'))
		for (size_t k = 0; k < tpl_n_enum_fields; k++)
			if (strlen(tpl_enum_fields[k].field) == (size_t)(dot - key) &&
			    !strncmp(key, tpl_enum_fields[k].field, (size_t)(dot - key)))
				return tpl_enum_has(&tpl_enum_fields[k], dot + 1);
	return 0;
}
