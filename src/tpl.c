/* tpl.c: reading the layouts of tpl.h: the .lay files into variants of
 * parsed texts, conditions and rules (tpl_load). Expanding a text for a
 * record's facts is in tpl-expand.c, the cross-language lint in
 * tpl-lint.c; tpl-private.h is what the three share.
 *
 * In this file, in order: the vocabulary (the fields and values a text
 * may use), freeing, positions in joined lines (for diagnostics),
 * conditions (parse_cond, cond_eval), field values, texts (the parser of
 * {placeholders}, plurals, selects and citations), reading .lay files (tpl_load:
 * the entry point) and the pseudo-locale (--lang xx). */
#include "tpl.h"
#include "tpl-private.h"
#include "diag.h"
#include "record.h"
#include "sbuf.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the vocabulary --------------------------------------------------- */

/* Columns of the roster are record.h's (record_field_by_name); the
 * localized ones are also known by base name. */
static const char *const localized_fields[] = {
	"name", "detained_place", "charges", "court", "health", "circumstances",
};
/* Facts the composer computes (layouts/README.md). */
static const char *const computed_fields[] = {
	"as_of", "days_detained", "days_at_least", "age", "sentence_end", "sentence_served",
	"page", "pages", "url",
};

/* Figures of the summary report (layouts/README.md, "The summary"),
 * and the facts of one row of its tables and charts. */
static const char *const summary_fields[] = {
	"total", "count_pow", "count_civilian", "count_hostage",
	"count_political", "count_missing", "count_held",
	"count_awaiting_trial", "count_on_trial", "count_convicted",
	"count_released", "count_deceased", "count_fate_unknown",
	"count_detained", "acknowledged_yes", "acknowledged_no",
	"acknowledged_unknown", "life_sentences", "fixed_sentences",
	"sentence_total_years", "sentence_median_years", "days_median",
	"days_max", "left_out", "count", "year", "quarter", "row", "line",
	"reason",
};

static const char *const category_values[] = { "pow", "civilian", "hostage",
					       "political", "missing", NULL };
static const char *const status_values[] = {
	"held", "awaiting_trial", "on_trial", "convicted", "released",
	"deceased", "missing", NULL
};
static const char *const ack_values[] = { "yes", "no", "unknown", NULL };
static const char *const sex_values[] = { "f", "m", NULL };
const struct enum_field enum_fields[] = {
	{ "category", category_values },
	{ "status", status_values },
	{ "acknowledged", ack_values },
	{ "sex", sex_values },
};
const size_t n_enum_fields = ARRAY_SIZE(enum_fields);

const char *const tpl_required_keys[] = {
	"doc.title", "doc.subtitle", "doc.subject", "doc.as_of",
	"doc.footer.page", "doc.footer.record",
	"identity.heading", "identity.name.label", "identity.name",
	"identity.name_en.label", "identity.name_ru.label",
	"identity.name_hy.label", "identity.birth_date.label",
	"identity.birth_date", "identity.category.label", "identity.category",
	"identity.status.label", "identity.status",
	"facts.heading", "facts.detained.label", "facts.detained",
	"facts.released.label", "facts.released", "facts.died.label",
	"facts.died", "facts.duration.label", "facts.duration", "facts.acknowledged.label",
	"facts.acknowledged", "facts.charges.label", "facts.charges",
	"facts.court.label", "facts.court", "facts.verdict.label",
	"facts.verdict", "facts.sentence.label", "facts.sentence",
	"facts.health.label", "facts.health",
	"circumstances.heading", "circumstances", "circumstances.none",
	"arguments.heading", "arguments.intro", "arguments.none",
	"requests.heading", "requests.intro", "requests.release",
	"requests.interim", "requests.icrc", "requests.family",
	"requests.medical", "requests.counsel",
	"sources.heading", "sources.item", "notes.heading",
	"mark.transliterated", "mark.source.en", "mark.source.ru",
	"mark.source.hy", "mark.script.en", "mark.script.ru", "mark.script.hy",
	NULL
};

const char *const tpl_summary_keys[] = {
	"summary.doc.title", "summary.doc.subtitle", "summary.doc.subject",
	"summary.doc.as_of", "summary.doc.total", "summary.context.heading",
	"summary.context.war", "summary.context.2023",
	"summary.context.trials", "summary.context.roster",
	"summary.figures.heading", "summary.figures.total.label",
	"summary.figures.total", "summary.figures.detained.label",
	"summary.figures.detained", "summary.figures.convicted.label",
	"summary.figures.convicted", "summary.figures.life.label",
	"summary.figures.life", "summary.figures.sentence_total.label",
	"summary.figures.sentence_total",
	"summary.figures.sentence_median.label",
	"summary.figures.sentence_median",
	"summary.figures.days_median.label", "summary.figures.days_median",
	"summary.figures.days_max.label", "summary.figures.days_max",
	"summary.figures.left_out.label", "summary.figures.left_out",
	"summary.figures.note", "summary.figures.by_category",
	"summary.figures.by_status", "summary.figures.by_acknowledged",
	"summary.figures.count", "summary.chart.status.title",
	"summary.chart.status.axis", "summary.chart.time.title",
	"summary.chart.time.axis", "summary.chart.time.quarter",
	"summary.chart.time.note", "summary.groups.heading",
	"summary.group.political.heading", "summary.group.political",
	"summary.group.hostage.heading", "summary.group.hostage",
	"summary.group.pow.heading", "summary.group.pow",
	"summary.group.civilian.heading", "summary.group.civilian",
	"summary.group.missing.heading", "summary.group.missing",
	"summary.law.heading", "summary.law.intro", "summary.law.geneva",
	"summary.law.custom", "summary.law.human_rights",
	"summary.law.courts", "summary.law.parliaments",
	"summary.roster.heading", "summary.roster.intro",
	"summary.roster.col.no", "summary.roster.col.name",
	"summary.roster.col.category", "summary.roster.col.detained",
	"summary.roster.col.status", "summary.roster.col.sentence",
	"summary.roster.no", "summary.roster.name",
	"summary.roster.category", "summary.roster.detained",
	"summary.roster.status", "summary.roster.sentence",
	"summary.roster.none", "summary.left_out.heading",
	"summary.left_out.intro", "summary.left_out.note",
	"summary.left_out.col.line", "summary.left_out.col.id",
	"summary.left_out.col.reason", "summary.left_out.line",
	"summary.left_out.id", "summary.left_out.reason",
	"summary.category.pow", "summary.category.civilian",
	"summary.category.hostage", "summary.category.political",
	"summary.category.missing", "summary.status.held",
	"summary.status.awaiting_trial", "summary.status.on_trial",
	"summary.status.convicted", "summary.status.released",
	"summary.status.deceased", "summary.status.missing",
	"summary.acknowledged.yes", "summary.acknowledged.no",
	"summary.acknowledged.unknown", "binder.doc.title",
	"binder.doc.subtitle", "binder.doc.subject", "binder.doc.as_of",
	"binder.doc.count", "binder.contents.title",
	"binder.contents.summary", "binder.contents.briefs", "binder.blank",
	NULL
};

static int in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

int is_localized(const char *f)
{
	return in_list(f, localized_fields, ARRAY_SIZE(localized_fields));
}

int known_field(const char *f)
{
	return record_field_by_name(f) >= 0 ||
	       is_localized(f) ||
	       in_list(f, computed_fields, ARRAY_SIZE(computed_fields)) ||
	       in_list(f, summary_fields, ARRAY_SIZE(summary_fields));
}

/* Which facts a text can use, by its key: the summary's texts (summary.*,
 * binder.*) take the figures of the report, and its rows (summary.roster.*,
 * summary.left_out.*) the fields of a record as well; every other text is
 * the brief's and takes the fields of its record. NULL when f can be used
 * in key, else why not. */
const char *field_misplaced(const char *key, const char *f)
{
	int summary = key && (!strncmp(key, "summary.", 8) || !strncmp(key, "binder.", 7));
	int rows = key && (!strncmp(key, "summary.roster.", 15) ||
			   !strncmp(key, "summary.left_out.", 17));
	int fig = in_list(f, summary_fields, ARRAY_SIZE(summary_fields));
	int common = !strcmp(f, "as_of") || !strcmp(f, "page") || !strcmp(f, "pages");

	if (!summary && fig)
		return "is a figure of the summary, not a field of a brief";
	if (summary && !rows && !fig && !common)
		return "is a field of a record: in the summary only summary.roster.* and summary.left_out.* texts can use it";
	return NULL;
}

const struct enum_field *enum_of(const char *f)
{
	for (size_t i = 0; i < ARRAY_SIZE(enum_fields); i++)
		if (!strcmp(f, enum_fields[i].field))
			return &enum_fields[i];
	return NULL;
}

int enum_has(const struct enum_field *e, const char *v)
{
	for (size_t i = 0; e->values[i]; i++)
		if (!strcmp(v, e->values[i]))
			return 1;
	return 0;
}

static int is_key_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

static int is_ident_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* ---- freeing ----------------------------------------------------------- */

static void nodes_release(struct nodes *ns);

static void node_release(struct node *n)
{
	free(n->text);
	for (size_t i = 0; i < n->nbr; i++) {
		free(n->br[i].cat);
		nodes_release(&n->br[i].body);
	}
	free(n->br);
	nodes_release(&n->kids);
	nodes_release(&n->uri);
}

static void nodes_release(struct nodes *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		node_release(&ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = ns->alloc = 0;
}

void cond_free(struct cond *c)
{
	if (!c)
		return;
	free(c->field);
	for (size_t i = 0; i < c->nvals; i++)
		free(c->vals[i]);
	free(c->vals);
	cond_free(c->a);
	cond_free(c->b);
	free(c);
}

static void table_release(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct entry *e = &t->e[i];
		for (size_t j = 0; j < e->n; j++) {
			cond_free(e->v[j].cond);
			free(e->v[j].canon);
			nodes_release(&e->v[j].body);
		}
		free(e->v);
		free(e->key);
	}
	free(t->e);
}

void tpl_free(tpl_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nlangs; i++) {
		table_release(&s->langs[i].texts);
		table_release(&s->langs[i].cites);
	}
	table_release(&s->pseudo.texts);
	table_release(&s->pseudo.cites);
	for (size_t i = 0; i < s->nrules; i++) {
		struct rule *r = &s->rules[i];
		free(r->id);
		cond_free(r->cond);
		free(r->canon);
		for (size_t j = 0; j < r->nkeys; j++)
			free(r->keys[j]);
		free(r->keys);
	}
	free(s->rules);
	for (size_t i = 0; i < s->nsrc; i++) {
		free(s->src[i].key);
		free(s->src[i].status);
	}
	free(s->src);
	for (size_t i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->files);
	fmt_free(s->fmt);
	translit_free(s->tr);
	free(s);
}

/* ---- positions in joined lines ----------------------------------------- */

/* A text may span continuation lines, joined with one space; seg maps
 * byte offsets of the joined text back to file lines and columns. */

static struct diag_loc loc_at(const struct src_text *st, size_t off)
{
	struct diag_loc at = { st->file, 0, 0 };
	size_t k = 0;

	for (size_t i = 0; i < st->nseg; i++)
		if (st->seg[i].off <= off)
			k = i;
	if (st->nseg) {
		at.line = st->seg[k].line;
		at.col = st->seg[k].col + (long)(off - st->seg[k].off);
	}
	return at;
}

/* ---- conditions ---------------------------------------------------------- */

struct cparse {
	const struct src_text *st;
	const char *s;
	size_t i;
	struct diag *d;
	int err;
};

static void cp_space(struct cparse *p)
{
	while (p->s[p->i] == ' ' || p->s[p->i] == '\t')
		p->i++;
}

static int cp_error(struct cparse *p, const char *msg, const char *arg)
{
	if (!p->err)
		diag_error(p->d, loc_at(p->st, p->i), msg, arg);
	p->err = 1;
	return -1;
}

/* A word (field, value, keyword) or a "quoted value"; NULL if none. */
static char *cp_word(struct cparse *p)
{
	size_t b;

	cp_space(p);
	if (p->s[p->i] == '"') {
		b = ++p->i;
		while (p->s[p->i] && p->s[p->i] != '"')
			p->i++;
		if (!p->s[p->i]) {
			cp_error(p, "missing '\"' in condition%s", "");
			return NULL;
		}
		return xstrndup(p->s + b, p->i++ - b);
	}
	b = p->i;
	while (is_key_char((unsigned char)p->s[p->i]))
		p->i++;
	return p->i > b ? xstrndup(p->s + b, p->i - b) : NULL;
}

/* Whether the keyword kw comes next (as a whole word); consumes it. */
static int cp_keyword(struct cparse *p, const char *kw)
{
	size_t n = strlen(kw);

	cp_space(p);
	if (strncmp(p->s + p->i, kw, n) || is_key_char((unsigned char)p->s[p->i + n]))
		return 0;
	p->i += n;
	return 1;
}

static struct cond *cp_or(struct cparse *p);

static struct cond *new_cond(struct cparse *p, enum cond_op op)
{
	struct cond *c = xcalloc(1, sizeof(*c));
	struct diag_loc at = loc_at(p->st, p->i);

	c->op = op;
	c->line = at.line;
	c->col = at.col;
	return c;
}

static struct cond *cp_atom(struct cparse *p)
{
	struct cond *c;
	char *w;
	static const struct { const char *s; enum cond_op op; } ops[] = {
		{ "!=", C_NE }, { "<=", C_LE }, { ">=", C_GE }, { "=", C_EQ },
		{ "<", C_LT }, { ">", C_GT },
	};

	cp_space(p);
	if (cp_keyword(p, "not") || (p->s[p->i] == '!' && p->s[p->i + 1] != '=' &&
				     ++p->i)) {
		c = new_cond(p, C_NOT);
		if (!(c->a = cp_atom(p))) {
			cond_free(c);
			return NULL;
		}
		return c;
	}
	if (p->s[p->i] == '(') {
		p->i++;
		c = cp_or(p);
		cp_space(p);
		if (c && p->s[p->i] != ')') {
			cond_free(c);
			cp_error(p, "expected ')' in condition%s", "");
			return NULL;
		}
		p->i++;
		return c;
	}
	c = new_cond(p, C_HAS);
	if (!(c->field = cp_word(p)) || !strcmp(c->field, "and") ||
	    !strcmp(c->field, "or") || !strcmp(c->field, "in")) {
		cond_free(c);
		cp_error(p, "expected a field name in condition%s", "");
		return NULL;
	}
	cp_space(p);
	if (cp_keyword(p, "in")) {
		c->op = C_IN;
		cp_space(p);
		if (p->s[p->i] != '(') {
			cond_free(c);
			cp_error(p, "expected '(' after 'in'%s", "");
			return NULL;
		}
		p->i++;
		for (;;) {
			cp_space(p);
			if (p->s[p->i] == ')') {
				p->i++;
				break;
			}
			if (p->s[p->i] == ',') {
				p->i++;
				continue;
			}
			if (!(w = cp_word(p))) {
				cond_free(c);
				cp_error(p, "expected a value or ')' in condition%s", "");
				return NULL;
			}
			c->vals = xrealloc(c->vals, (c->nvals + 1) * sizeof(*c->vals));
			c->vals[c->nvals++] = w;
		}
		return c;
	}
	for (size_t k = 0; k < ARRAY_SIZE(ops); k++) {
		size_t n = strlen(ops[k].s);
		if (strncmp(p->s + p->i, ops[k].s, n))
			continue;
		p->i += n;
		c->op = ops[k].op;
		if (!(w = cp_word(p))) {
			cond_free(c);
			cp_error(p, "expected a value after '%s'", ops[k].s);
			return NULL;
		}
		c->vals = xmalloc(sizeof(*c->vals));
		c->vals[0] = w;
		c->nvals = 1;
		break;
	}
	return c;
}

static struct cond *cp_and(struct cparse *p)
{
	struct cond *c = cp_atom(p), *n;

	while (c && cp_keyword(p, "and")) {
		n = new_cond(p, C_AND);
		n->a = c;
		c = n;
		if (!(n->b = cp_atom(p))) {
			cond_free(c);
			return NULL;
		}
	}
	return c;
}

static struct cond *cp_or(struct cparse *p)
{
	struct cond *c = cp_and(p), *n;

	while (c && cp_keyword(p, "or")) {
		n = new_cond(p, C_OR);
		n->a = c;
		c = n;
		if (!(n->b = cp_and(p))) {
			cond_free(c);
			return NULL;
		}
	}
	return c;
}

/* Parse the whole of st->text.buf as a condition. */
struct cond *parse_cond(const struct src_text *st, struct diag *d)
{
	struct cparse p = { st, st->text.buf, 0, d, 0 };
	struct cond *c = cp_or(&p);

	cp_space(&p);
	if (c && p.s[p.i]) {
		cp_error(&p, "unexpected '%s' in condition",
			 diag_quote(p.s + p.i, 20));
		cond_free(c);
		return NULL;
	}
	if (!c && !p.err)
		cp_error(&p, "empty condition%s", "");
	return c;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A canonical spelling, so that the lint can compare conditions across
 * languages: fully parenthesized, the values of `in` sorted. */
static void cond_canon(const struct cond *c, struct sbuf *out)
{
	char **v;

	switch (c->op) {
	case C_HAS:
		sbuf_addstr(out, c->field);
		break;
	case C_NOT:
		sbuf_addstr(out, "not ");
		cond_canon(c->a, out);
		break;
	case C_AND:
	case C_OR:
		sbuf_addch(out, '(');
		cond_canon(c->a, out);
		sbuf_addf(out, " %s ", op_names[c->op]);
		cond_canon(c->b, out);
		sbuf_addch(out, ')');
		break;
	case C_IN:
		v = xmalloc((c->nvals + 1) * sizeof(*v));
		memcpy(v, c->vals, c->nvals * sizeof(*v));
		qsort(v, c->nvals, sizeof(*v), cmp_str);
		sbuf_addf(out, "%s in (", c->field);
		for (size_t i = 0; i < c->nvals; i++)
			sbuf_addf(out, "%s%s", i ? ", " : "", v[i]);
		sbuf_addch(out, ')');
		free(v);
		break;
	default:
		sbuf_addf(out, "%s %s %s", c->field, op_names[c->op], c->vals[0]);
		break;
	}
}

/* ---- field values ---------------------------------------------------------- */

const char *get_raw(const struct tpl_facts *f, const char *name)
{
	const char *v;

	if (!f || !f->get)
		return NULL;
	v = f->get(f->ctx, name);
	return v && *v ? v : NULL;
}

/* Any language's value of a field, for conditions: a localized base name
 * (health) is set when any language has it. */
static const char *cond_value(const struct tpl_facts *f, const char *field)
{
	char name[64];
	const char *v;

	if (!is_localized(field))
		return get_raw(f, field);
	for (int i = 0; i < FMT_NLANGS; i++) {
		snprintf(name, sizeof(name), "%s_%s", field, fmt_langs[i]);
		if ((v = get_raw(f, name)))
			return v;
	}
	return NULL;
}

static int is_num(const char *s, double *v)
{
	char *end;

	if (!s || !*s)
		return 0;
	errno = 0;
	*v = strtod(s, &end);
	return *end == '\0' && errno == 0 &&
	       ((*s >= '0' && *s <= '9') || *s == '-');
}

/* Compare a value with a literal: numerically when both are numbers,
 * else as strings (ISO dates compare correctly as strings). */
static int compare(const char *a, const char *b)
{
	double x, y;

	if (is_num(a, &x) && is_num(b, &y))
		return x < y ? -1 : x > y;
	return strcmp(a, b);
}

int cond_eval(const struct cond *c, const struct tpl_facts *f)
{
	const char *v;

	if (!c)
		return 1;
	switch (c->op) {
	case C_NOT:
		return !cond_eval(c->a, f);
	case C_AND:
		return cond_eval(c->a, f) && cond_eval(c->b, f);
	case C_OR:
		return cond_eval(c->a, f) || cond_eval(c->b, f);
	default:
		break;
	}
	v = cond_value(f, c->field);
	switch (c->op) {
	case C_HAS:
		return v != NULL;
	case C_NE:
		return !v || strcmp(v, c->vals[0]) != 0;
	case C_IN:
		for (size_t i = 0; v && i < c->nvals; i++)
			if (!strcmp(v, c->vals[i]))
				return 1;
		return 0;
	default:
		break;
	}
	if (!v)
		return 0;
	switch (c->op) {
	case C_EQ:
		return strcmp(v, c->vals[0]) == 0;
	case C_LT:
		return compare(v, c->vals[0]) < 0;
	case C_LE:
		return compare(v, c->vals[0]) <= 0;
	case C_GT:
		return compare(v, c->vals[0]) > 0;
	case C_GE:
		return compare(v, c->vals[0]) >= 0;
	default:
		BUG("condition op %d", (int)c->op);
	}
}

/* ---- texts ---------------------------------------------------------------- */

struct tparse {
	const struct src_text *st;
	const char *s;
	size_t i;
	struct diag *d;
	int err;
	int plural; /* inside a plural branch: # is the number */
};

static int tp_error(struct tparse *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int tp_error(struct tparse *p, size_t at, const char *fmt, ...)
{
	va_list ap;

	/* The first error of a text only: what follows it is guesswork. */
	if (!p->err) {
		va_start(ap, fmt);
		diag_vadd(p->d, DIAG_ERROR, loc_at(p->st, at), fmt, ap);
		va_end(ap);
	}
	p->err = 1;
	return -1;
}

static struct node *add_node(struct tparse *p, struct nodes *ns,
			     enum node_kind k, size_t at)
{
	struct node *n;
	struct diag_loc l = loc_at(p->st, at);

	ALLOC_GROW(ns->v, ns->n + 1, ns->alloc);
	n = &ns->v[ns->n++];
	memset(n, 0, sizeof(*n));
	n->kind = k;
	n->line = l.line;
	n->col = l.col;
	return n;
}

static void flush_text(struct tparse *p, struct nodes *ns, struct sbuf *lit,
		       size_t at)
{
	if (!lit->len)
		return;
	add_node(p, ns, N_TEXT, at)->text = sbuf_detach(lit, NULL);
}

static int parse_nodes(struct tparse *p, struct nodes *ns, const char *stop,
		       int uri);

/* The branches of a plural or a select, after its keyword: ", KEY {text}
 * KEY {text} ...}" up to the '}' that closes the placeholder (start is
 * its '{'). The keys of a plural are CLDR categories; those of a select,
 * values of the field (words of key characters) and "other", which both
 * require. A key given twice is an error, as in ICU: the second branch
 * could never be chosen. Spaces around the branches are skipped, text
 * inside them is kept as written. */
static int parse_branches(struct tparse *p, struct node *n, size_t start)
{
	static const char *const cats[] = { "zero", "one", "two", "few",
					    "many", "other" };
	int sel = n->fmt == F_SELECT;
	const char *what = sel ? "select" : "plural";
	size_t b;

	if (p->s[p->i] != ',')
		return tp_error(p, p->i, "expected ',' and %s branches", what);
	p->i++;
	for (;;) {
		struct branch *br;
		struct diag_loc l;
		size_t open;

		while (p->s[p->i] == ' ')
			p->i++;
		if (p->s[p->i] == '}') {
			p->i++;
			break;
		}
		if (!p->s[p->i])
			return tp_error(p, start, "missing '}' of the %s of '%s'",
					what, n->text);
		b = p->i;
		while (sel ? is_key_char((unsigned char)p->s[p->i])
			   : is_ident_char((unsigned char)p->s[p->i]))
			p->i++;
		if (p->i == b)
			return tp_error(p, p->i, sel ? "expected a select value or '}'"
						     : "expected a plural category or '}'");
		n->br = xrealloc(n->br, (n->nbr + 1) * sizeof(*n->br));
		br = &n->br[n->nbr++];
		memset(br, 0, sizeof(*br));
		br->cat = xstrndup(p->s + b, p->i - b);
		l = loc_at(p->st, b);
		br->line = l.line;
		br->col = l.col;
		if (!sel && !in_list(br->cat, cats, ARRAY_SIZE(cats)))
			return tp_error(p, b, "unknown plural category '%s' (zero, one, two, few, many, other)",
					br->cat);
		for (size_t k = 0; k + 1 < n->nbr; k++)
			if (!strcmp(n->br[k].cat, br->cat))
				return tp_error(p, b, "%s of '%s' has two branches '%s' (the first at %ld:%ld)",
						what, n->text, br->cat, n->br[k].line,
						n->br[k].col);
		while (p->s[p->i] == ' ')
			p->i++;
		if (p->s[p->i] != '{')
			return tp_error(p, p->i, sel ? "expected '{' after the select value '%s'"
						     : "expected '{' after the plural category '%s'",
					br->cat);
		open = p->i++;
		/* # is the number of the innermost plural: a select inside a
		 * plural branch leaves it so. */
		p->plural += !sel;
		if (parse_nodes(p, &br->body, "}", 0))
			return -1;
		p->plural -= !sel;
		if (p->s[p->i] != '}')
			return tp_error(p, open, "missing '}' of the %s branch '%s'",
					what, br->cat);
		p->i++;
	}
	for (size_t k = 0; k < n->nbr; k++)
		if (!strcmp(n->br[k].cat, "other"))
			return 0;
	return tp_error(p, start, "%s of '%s' has no 'other' branch", what, n->text);
}

/* {field}, {field, kind}, {field, plural, one {...} other {...}} or
 * {field, select, VALUE {...} other {...}} */
static int parse_field(struct tparse *p, struct nodes *ns)
{
	size_t start = p->i++, b;
	struct node *n;
	char *kind;
	int found = 0;

	while (p->s[p->i] == ' ')
		p->i++;
	b = p->i;
	while (is_ident_char((unsigned char)p->s[p->i]))
		p->i++;
	if (p->i == b)
		return tp_error(p, p->i, "expected a field name after '{'");
	n = add_node(p, ns, N_FIELD, start);
	n->text = xstrndup(p->s + b, p->i - b);
	while (p->s[p->i] == ' ')
		p->i++;
	if (p->s[p->i] == '}') {
		p->i++;
		return 0;
	}
	if (p->s[p->i] != ',')
		return tp_error(p, p->i, "expected ',' or '}' after the field name");
	p->i++;
	while (p->s[p->i] == ' ')
		p->i++;
	b = p->i;
	while (is_ident_char((unsigned char)p->s[p->i]))
		p->i++;
	kind = xstrndup(p->s + b, p->i - b);
	for (size_t k = 1; k < ARRAY_SIZE(fmt_names); k++)
		if (!strcmp(kind, fmt_names[k])) {
			n->fmt = (enum field_fmt)k;
			found = 1;
		}
	if (!found) {
		tp_error(p, b, "unknown format '%s' (date, number, plural, select, label, years, days)",
			 kind);
		free(kind);
		return -1;
	}
	free(kind);
	while (p->s[p->i] == ' ')
		p->i++;
	if (n->fmt == F_PLURAL || n->fmt == F_SELECT)
		return parse_branches(p, n, start);
	if (p->s[p->i] != '}')
		return tp_error(p, p->i, "expected '}'");
	p->i++;
	return 0;
}

/* Where the ']' that closes the '[' at i is, or 0. */
static size_t closing_bracket(const char *s, size_t i)
{
	int depth = 0;

	for (; s[i]; i++) {
		if (s[i] == '\\' && s[i + 1])
			i++;
		else if (s[i] == '[')
			depth++;
		else if (s[i] == ']' && --depth == 0)
			return i;
	}
	return 0;
}

/* Parse until a character of stop (not consumed) or the end. In a uri only
 * placeholders and escapes are markup. */
static int parse_nodes(struct tparse *p, struct nodes *ns, const char *stop,
		       int uri)
{
	struct sbuf lit = SBUF_INIT;
	size_t lit_at = p->i, close;
	int bold = 0, italic = 0;
	size_t bold_at = 0, italic_at = 0;

	while (p->s[p->i] && !strchr(stop, p->s[p->i])) {
		char c = p->s[p->i];
		size_t at = p->i;

		if (!lit.len)
			lit_at = p->i;
		if (c == '\\') {
			char e = p->s[p->i + 1];
			if (e == 'n' && !uri) {
				flush_text(p, ns, &lit, lit_at);
				add_node(p, ns, N_BREAK, at);
			} else if (e && strchr("\\{}*[]()#@", e)) {
				sbuf_addch(&lit, e);
			} else {
				sbuf_release(&lit);
				return tp_error(p, at, "unknown escape '\\%s'",
						e ? (char[]){ e, 0 } : "");
			}
			p->i += 2;
		} else if (c == '{') {
			flush_text(p, ns, &lit, lit_at);
			if (parse_field(p, ns)) {
				sbuf_release(&lit);
				return -1;
			}
		} else if (c == '}') {
			sbuf_release(&lit);
			return tp_error(p, at, "unexpected '}' (write \\} for a brace)%s", "");
		} else if (uri) {
			sbuf_addch(&lit, c);
			p->i++;
		} else if (c == '*') {
			flush_text(p, ns, &lit, lit_at);
			if (p->s[p->i + 1] == '*') {
				add_node(p, ns, N_BOLD, at);
				bold = !bold;
				bold_at = at;
				p->i += 2;
			} else {
				add_node(p, ns, N_ITALIC, at);
				italic = !italic;
				italic_at = at;
				p->i++;
			}
		} else if (c == '#' && p->plural) {
			flush_text(p, ns, &lit, lit_at);
			add_node(p, ns, N_HASH, at);
			p->i++;
		} else if (c == '[' && p->s[p->i + 1] == '@') {
			size_t b = p->i += 2;
			struct node *n;
			while (is_key_char((unsigned char)p->s[p->i]))
				p->i++;
			if (p->i == b || p->s[p->i] != ']') {
				sbuf_release(&lit);
				return tp_error(p, at, "bad citation: expected [@key]%s", "");
			}
			flush_text(p, ns, &lit, lit_at);
			n = add_node(p, ns, N_CITE, at);
			n->text = xstrndup(p->s + b, p->i - b);
			p->i++;
		} else if (c == '[' && (close = closing_bracket(p->s, p->i)) &&
			   p->s[close + 1] == '(') {
			struct node *n;
			flush_text(p, ns, &lit, lit_at);
			n = add_node(p, ns, N_LINK, at);
			p->i++;
			if (parse_nodes(p, &n->kids, "]", 0)) {
				sbuf_release(&lit);
				return -1;
			}
			p->i += 2; /* "](" */
			if (parse_nodes(p, &n->uri, ")", 1)) {
				sbuf_release(&lit);
				return -1;
			}
			if (p->s[p->i] != ')') {
				sbuf_release(&lit);
				return tp_error(p, at, "missing ')' of the link%s", "");
			}
			p->i++;
		} else {
			sbuf_addch(&lit, c);
			p->i++;
		}
	}
	flush_text(p, ns, &lit, lit_at);
	sbuf_release(&lit);
	if (bold)
		return tp_error(p, bold_at, "'**' is not closed%s", "");
	if (italic)
		return tp_error(p, italic_at, "'*' is not closed%s", "");
	return 0;
}

static int parse_text(const struct src_text *st, struct nodes *ns,
		      struct diag *d)
{
	struct tparse p = { st, st->text.buf, 0, d, 0, 0 };

	if (parse_nodes(&p, ns, "", 0) || p.err)
		return -1;
	return 0;
}

/* ---- reading .lay files ----------------------------------------------------- */

static const char *keep_file(tpl_set *s, const char *path)
{
	ALLOC_GROW(s->files, s->nfiles + 1, s->afiles);
	return s->files[s->nfiles++] = xstrdup(path);
}

struct entry *table_find(const struct table *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->e[i].key, key))
			return &t->e[i];
	return NULL;
}

static struct entry *table_get(struct table *t, const char *key)
{
	struct entry *e = table_find(t, key);

	if (e)
		return e;
	ALLOC_GROW(t->e, t->n + 1, t->alloc);
	e = &t->e[t->n++];
	memset(e, 0, sizeof(*e));
	e->key = xstrdup(key);
	return e;
}

static void st_reset(struct src_text *st)
{
	sbuf_reset(&st->text);
	st->nseg = 0;
}

void st_add(struct src_text *st, const char *s, size_t n, long line,
		   long col)
{
	ALLOC_GROW(st->seg, st->nseg + 1, st->aseg);
	st->seg[st->nseg++] = (struct seg){ st->text.len, line, col };
	sbuf_add(&st->text, s, n);
}

/* What one logical line of a .lay file says: key, condition, text. */
struct logical {
	char *key;
	long line, key_col;
	struct src_text cond, text;
	int has_cond;
};

enum file_kind { K_TEXTS, K_CITES, K_RULES, K_SOURCES };

/* Only regular files of the layouts folder, of a sane size, are read: a
 * symlink out of it, a FIFO or a device is refused (translit.h). */
static int read_file(const tpl_set *s, const char *path, struct sbuf *out,
		     struct diag *d)
{
	return translit_read_file(s->root, path, /*missing_ok*/0, out, d) ? -1 : 0;
}

static int check_utf8(const char *path, const struct sbuf *b, struct diag *d)
{
	long line = 1, col = 1;

	for (size_t i = 0; i < b->len;) {
		uint32_t cp;
		int k = utf8_decode((const unsigned char *)b->buf + i, b->len - i, &cp);
		if (!k || cp == 0) {
			struct diag_loc at = { path, line, col };
			return diag_error(d, at, "invalid UTF-8%s", "");
		}
		if (cp == '\n') {
			line++;
			col = 0;
		}
		col += k;
		i += (size_t)k;
	}
	return 0;
}

static int store_logical(tpl_set *s, struct lang *L, enum file_kind kind,
			 const char *file, struct logical *lg, struct diag *d);

/* Split a file into logical lines (an entry line and its indented
 * continuations) and store each. Returns the number of errors. */
static int load_file(tpl_set *s, struct lang *L, enum file_kind kind,
		     const char *path, struct diag *d)
{
	struct sbuf b = SBUF_INIT;
	struct logical lg = { NULL, 0, 0, { SBUF_INIT, NULL, 0, 0, NULL },
			      { SBUF_INIT, NULL, 0, 0, NULL }, 0 };
	const char *file = keep_file(s, path);
	int nerr = 0, open = 0;
	long line = 0;
	const char *p, *eol, *start, *end, *next;

	if (read_file(s, path, &b, d)) {
		sbuf_release(&b);
		return 1;
	}
	if (check_utf8(file, &b, d)) {
		sbuf_release(&b);
		return 1;
	}
	lg.cond.file = lg.text.file = file;
	start = b.buf;
	end = b.buf + b.len;
	/* A BOM is accepted, as editors on Windows write one. */
	if (b.len >= 3 && !memcmp(start, "\xEF\xBB\xBF", 3))
		start += 3;
	for (p = start; p < end; p = next) {
		size_t len;
		const char *q, *k;

		line++;
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		next = eol < end ? eol + 1 : end;
		len = (size_t)(eol - p);
		if (len && p[len - 1] == '\r')
			len--;
		/* Continuation: indented and not blank. */
		if (open && len && (*p == ' ' || *p == '\t')) {
			q = p;
			while (*q == ' ' || *q == '\t')
				q++;
			if (q < p + len) {
				if (lg.text.text.len)
					st_add(&lg.text, " ", 1, line, q - p);
				st_add(&lg.text, q, len - (size_t)(q - p), line,
				       q - p + 1);
				continue;
			}
		}
		if (open) {
			nerr += store_logical(s, L, kind, file, &lg, d) != 0;
			open = 0;
		}
		q = p;
		while (q < p + len && (*q == ' ' || *q == '\t'))
			q++;
		if (q == p + len || *q == '#')
			continue;
		if (q != p) {
			struct diag_loc at = { file, line, 1 };
			diag_error(d, at, "indented line outside an entry%s", "");
			nerr++;
			continue;
		}
		/* key [condition]: text */
		k = p;
		while (k < p + len && is_key_char((unsigned char)*k))
			k++;
		if (k == p) {
			struct diag_loc at = { file, line, 1 };
			diag_error(d, at, "expected a key (letters, digits, '_', '-', '.')%s", "");
			nerr++;
			continue;
		}
		free(lg.key);
		lg.key = xstrndup(p, (size_t)(k - p));
		lg.line = line;
		lg.key_col = 1;
		st_reset(&lg.cond);
		st_reset(&lg.text);
		lg.has_cond = 0;
		while (k < p + len && *k == ' ')
			k++;
		if (k < p + len && *k == '[') {
			const char *c = k + 1, *e = c;
			while (e < p + len && *e != ']')
				e++;
			if (e == p + len) {
				struct diag_loc at = { file, line, k - p + 1 };
				diag_error(d, at, "missing ']' after the condition%s", "");
				nerr++;
				continue;
			}
			st_add(&lg.cond, c, (size_t)(e - c), line, c - p + 1);
			lg.has_cond = 1;
			k = e + 1;
			while (k < p + len && *k == ' ')
				k++;
		}
		if (k == p + len || *k != ':') {
			struct diag_loc at = { file, line, k - p + 1 };
			diag_error(d, at, "expected ':' after '%s'", lg.key);
			nerr++;
			continue;
		}
		k++;
		while (k < p + len && (*k == ' ' || *k == '\t'))
			k++;
		st_add(&lg.text, k, len - (size_t)(k - p), line, k - p + 1);
		open = 1;
	}
	if (open)
		nerr += store_logical(s, L, kind, file, &lg, d) != 0;
	free(lg.key);
	sbuf_release(&lg.cond.text);
	free(lg.cond.seg);
	sbuf_release(&lg.text.text);
	free(lg.text.seg);
	sbuf_release(&b);
	return nerr;
}

static int store_logical(tpl_set *s, struct lang *L, enum file_kind kind,
			 const char *file, struct logical *lg, struct diag *d)
{
	struct cond *c = NULL;
	struct sbuf canon = SBUF_INIT;
	struct diag_loc at = { file, lg->line, 1 };

	if (lg->has_cond) {
		if (kind == K_SOURCES || kind == K_CITES)
			return diag_error(d, at, "no condition allowed here%s", "");
		if (!(c = parse_cond(&lg->cond, d)))
			return -1;
		cond_canon(c, &canon);
	}
	if (kind == K_SOURCES) {
		struct source *src;
		for (size_t i = 0; i < s->nsrc; i++)
			if (!strcmp(s->src[i].key, lg->key))
				return diag_error(d, at, "duplicate source key '%s'", lg->key);
		ALLOC_GROW(s->src, s->nsrc + 1, s->asrc);
		src = &s->src[s->nsrc++];
		src->key = xstrdup(lg->key);
		src->status = xstrdup(lg->text.text.buf);
		src->line = lg->line;
		return 0;
	}
	if (kind == K_RULES) {
		struct rule *r;
		char *t = lg->text.text.buf;
		for (size_t i = 0; i < s->nrules; i++)
			if (!strcmp(s->rules[i].id, lg->key)) {
				cond_free(c);
				sbuf_release(&canon);
				return diag_error(d, at, "duplicate argument '%s'", lg->key);
			}
		ALLOC_GROW(s->rules, s->nrules + 1, s->arules);
		r = &s->rules[s->nrules++];
		memset(r, 0, sizeof(*r));
		r->id = xstrdup(lg->key);
		r->cond = c;
		r->canon = sbuf_detach(&canon, NULL);
		r->file = file;
		r->line = lg->line;
		/* Citation keys separated by spaces or commas. */
		while (*t) {
			char *b;
			while (*t == ' ' || *t == ',' || *t == '\t')
				t++;
			b = t;
			while (*t && *t != ' ' && *t != ',' && *t != '\t')
				t++;
			if (t > b) {
				r->keys = xrealloc(r->keys, (r->nkeys + 1) * sizeof(*r->keys));
				r->keys[r->nkeys++] = xstrndup(b, (size_t)(t - b));
			}
		}
		return 0;
	}
	{
		struct entry *e = table_get(kind == K_CITES ? &L->cites : &L->texts,
					    lg->key);
		struct variant *v;
		ALLOC_GROW(e->v, e->n + 1, e->alloc);
		v = &e->v[e->n++];
		memset(v, 0, sizeof(*v));
		v->cond = c;
		v->canon = sbuf_detach(&canon, NULL);
		v->file = file;
		v->line = lg->line;
		if (parse_text(&lg->text, &v->body, d))
			return -1;
	}
	return 0;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_lang(tpl_set *s, struct lang *L, const char *dir,
		     struct diag *d)
{
	struct sbuf path = SBUF_INIT;
	DIR *dp;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	int nerr = 0;

	sbuf_addf(&path, "%s/%s", dir, L->code);
	dp = opendir(path.buf);
	/* A language folder that a symlink takes out of the layouts is
	 * refused like a file. */
	if (dp) {
		int in = translit_inside(dir, path.buf, d);
		if (in <= 0) {
			struct diag_loc at = { path.buf, 0, 0 };
			if (!in)
				diag_error(d, at, "refused: the folder lies outside "
					   "the layouts folder%s", "");
			closedir(dp);
			sbuf_release(&path);
			return 1;
		}
	}
	if (!dp) {
		struct diag_loc at = { path.buf, 0, 0 };
		diag_error(d, at, "no layouts for '%s': %s", L->code, strerror(errno));
		sbuf_release(&path);
		return 1;
	}
	while ((de = readdir(dp)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len > 4 && !strcmp(de->d_name + len - 4, ".lay") &&
		    de->d_name[0] != '.') {
			ALLOC_GROW(names, n + 1, alloc);
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(dp);
	/* Sorted, so that the order of variants never depends on the disk. */
	qsort(names, n, sizeof(*names), cmp_cstr);
	for (size_t i = 0; i < n; i++) {
		int cites = !strcmp(names[i], "citations.lay");
		sbuf_reset(&path);
		sbuf_addf(&path, "%s/%s/%s", dir, L->code, names[i]);
		nerr += load_file(s, L, cites ? K_CITES : K_TEXTS, path.buf, d);
		if (cites)
			L->cite_file = s->files[s->nfiles - 1];
		else if (!strcmp(names[i], "summary.lay"))
			L->summary_file = s->files[s->nfiles - 1];
		if (!cites && !L->text_file)
			L->text_file = s->files[s->nfiles - 1];
		free(names[i]);
	}
	free(names);
	sbuf_release(&path);
	return nerr;
}

/* ---- the pseudo-locale ----------------------------------------------------- */

/* Accented look-alikes of a-z and A-Z, all in Latin-1 Supplement or Latin
 * Extended-A (U+00C0-U+017F), which every Latin font of the briefs has; a
 * letter without a look-alike there stays as it is. */
static const uint16_t pseudo_lower[26] = {
	0x00E5, 'b', 0x00E7, 0x00F0, 0x00EA, 'f', 0x011D, 0x0125, 0x00EE,
	0x0135, 0x0137, 0x013C, 'm', 0x00F1, 0x00F6, 0x00FE, 'q', 0x0155,
	0x0161, 0x0163, 0x00FB, 'v', 0x0175, 'x', 0x00FD, 0x017E,
};
static const uint16_t pseudo_upper[26] = {
	0x00C5, 'B', 0x00C7, 0x00D0, 0x00CA, 'F', 0x011C, 0x0124, 0x00CE,
	0x0134, 0x0136, 0x013B, 'M', 0x00D1, 0x00D6, 0x00DE, 'Q', 0x0154,
	0x0160, 0x0166, 0x00DB, 'V', 0x0174, 'X', 0x00DD, 0x017D,
};

/* Append s with its ASCII letters accented; returns the number of code
 * points appended. */
size_t pseudo_accent(const char *s, struct sbuf *out)
{
	size_t n = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		unsigned cp = c >= 'a' && c <= 'z' ? pseudo_lower[c - 'a'] :
			      c >= 'A' && c <= 'Z' ? pseudo_upper[c - 'A'] : c;
		if (cp < 0x80) {
			sbuf_addch(out, (char)cp);
		} else if (c < 0x80) {
			sbuf_addch(out, (char)(0xC0 | (cp >> 6)));
			sbuf_addch(out, (char)(0x80 | (cp & 0x3F)));
		} else {
			sbuf_addch(out, (char)c); /* other UTF-8 bytes as they are */
		}
		n += (c & 0xC0) != 0x80;
	}
	return n;
}

static struct cond *cond_copy(const struct cond *c)
{
	struct cond *n;

	if (!c)
		return NULL;
	n = xcalloc(1, sizeof(*n));
	*n = *c;
	n->field = c->field ? xstrdup(c->field) : NULL;
	n->vals = c->nvals ? xmalloc(c->nvals * sizeof(*n->vals)) : NULL;
	for (size_t i = 0; i < c->nvals; i++)
		n->vals[i] = xstrdup(c->vals[i]);
	n->a = cond_copy(c->a);
	n->b = cond_copy(c->b);
	return n;
}

/* Copy src into dst with the words accented (not in link addresses, not
 * field names or citation keys); returns how many code points of words
 * the text prints at most. */
static size_t nodes_pseudo(struct nodes *dst, const struct nodes *src,
			   int accent)
{
	size_t len = 0;

	memset(dst, 0, sizeof(*dst));
	dst->v = src->n ? xcalloc(src->n, sizeof(*dst->v)) : NULL;
	dst->n = dst->alloc = src->n;
	for (size_t i = 0; i < src->n; i++) {
		const struct node *a = &src->v[i];
		struct node *b = &dst->v[i];
		size_t most = 0;

		*b = *a;
		b->text = NULL;
		if (a->text && a->kind == N_TEXT && accent) {
			struct sbuf t = SBUF_INIT;
			len += pseudo_accent(a->text, &t);
			b->text = sbuf_detach(&t, NULL);
		} else if (a->text) {
			b->text = xstrdup(a->text);
		}
		b->br = a->nbr ? xcalloc(a->nbr, sizeof(*b->br)) : NULL;
		for (size_t k = 0; k < a->nbr; k++) {
			size_t n;
			b->br[k] = a->br[k];
			b->br[k].cat = xstrdup(a->br[k].cat);
			n = nodes_pseudo(&b->br[k].body, &a->br[k].body, accent);
			most = n > most ? n : most;
		}
		len += most;
		len += nodes_pseudo(&b->kids, &a->kids, accent);
		nodes_pseudo(&b->uri, &a->uri, 0);
	}
	return len;
}

/* The table of the pseudo-locale: every text of en, accented, and
 * lengthened by about 40% with a visible filler (" ~~~~~~~~ ~~~"), so
 * that a layout shows where a longer language would overflow. Empty texts
 * stay empty. */
static void table_pseudo(struct table *dst, const struct table *src)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct entry *a = &src->e[i];
		struct entry *b = table_get(dst, a->key);

		for (size_t j = 0; j < a->n; j++) {
			const struct variant *va = &a->v[j];
			struct variant *vb;
			size_t len, pad;

			ALLOC_GROW(b->v, b->n + 1, b->alloc);
			vb = &b->v[b->n++];
			*vb = *va;
			vb->cond = cond_copy(va->cond);
			vb->canon = xstrdup(va->canon);
			len = nodes_pseudo(&vb->body, &va->body, 1);
			if (!len)
				continue;
			pad = (len * 2 + 4) / 5;
			if (pad < 2)
				pad = 2;
			{
				struct node *n;
				struct sbuf t = SBUF_INIT;
				/* Words of at most eight tildes, so that a line
				 * can break inside the filler of a long text. */
				sbuf_addch(&t, ' ');
				for (size_t k = 1; k < pad; k++)
					sbuf_addch(&t, k % 9 == 0 && k + 1 < pad ? ' ' : '~');
				ALLOC_GROW(vb->body.v, vb->body.n + 1, vb->body.alloc);
				n = &vb->body.v[vb->body.n++];
				memset(n, 0, sizeof(*n));
				n->kind = N_TEXT;
				n->text = sbuf_detach(&t, NULL);
				n->line = va->line;
				n->col = 1;
			}
		}
	}
}

static void make_pseudo(tpl_set *s)
{
	const struct lang *en = &s->langs[0];
	struct lang *L = &s->pseudo;

	L->code = TPL_PSEUDO_LANG;
	L->data = en->code;
	L->pseudo = 1;
	L->cite_file = en->cite_file;
	L->text_file = en->text_file;
	table_pseudo(&L->texts, &en->texts);
	table_pseudo(&L->cites, &en->cites);
}

tpl_set *tpl_load(const char *dir, struct diag *d)
{
	tpl_set *s = xcalloc(1, sizeof(*s));
	struct sbuf path = SBUF_INIT;
	int nerr = 0, in;

	s->root = dir;
	if (!(s->fmt = fmt_new(d)))
		nerr++;
	sbuf_addf(&path, "%s/translit", dir);
	/* The rules folder too must lie inside the layouts (its files are
	 * confined to it by translit_load). */
	in = access(path.buf, F_OK) == 0 ? translit_inside(dir, path.buf, d) : 1;
	if (in <= 0) {
		struct diag_loc at = { path.buf, 0, 0 };
		if (!in)
			diag_error(d, at, "refused: the folder lies outside the "
				   "layouts folder%s", "");
		nerr++;
	} else if (!(s->tr = translit_load(path.buf, d))) {
		nerr++;
	}
	sbuf_reset(&path);
	sbuf_addf(&path, "%s/sources.lay", dir);
	nerr += load_file(s, NULL, K_SOURCES, path.buf, d);
	s->sources_file = s->nfiles ? s->files[s->nfiles - 1] : NULL;
	sbuf_reset(&path);
	sbuf_addf(&path, "%s/rules.lay", dir);
	nerr += load_file(s, NULL, K_RULES, path.buf, d);
	s->rules_file = s->nfiles ? s->files[s->nfiles - 1] : NULL;
	for (int i = 0; i < FMT_NLANGS; i++) {
		struct lang *L = &s->langs[s->nlangs++];
		L->code = L->data = fmt_langs[i];
		nerr += load_lang(s, L, dir, d);
	}
	sbuf_release(&path);
	s->root = NULL;
	if (nerr) {
		tpl_free(s);
		return NULL;
	}
	make_pseudo(s);
	return s;
}

const fmt_set *tpl_fmt(const tpl_set *s)
{
	return s->fmt;
}

const translit_set *tpl_translit(const tpl_set *s)
{
	return s->tr;
}

size_t tpl_nlangs(const tpl_set *s)
{
	return s->nlangs;
}

const char *tpl_lang(const tpl_set *s, size_t i)
{
	return i < s->nlangs ? s->langs[i].code : NULL;
}

const struct lang *find_lang(const tpl_set *s, const char *code)
{
	for (size_t i = 0; code && i < s->nlangs; i++)
		if (!strcmp(s->langs[i].code, code))
			return &s->langs[i];
	if (code && s->pseudo.code && !strcmp(code, s->pseudo.code))
		return &s->pseudo;
	return NULL;
}

int tpl_has_lang(const tpl_set *s, const char *lang)
{
	return find_lang(s, lang) != NULL;
}

size_t tpl_ntexts(const tpl_set *s, const char *lang)
{
	const struct lang *L = find_lang(s, lang);

	return L ? L->texts.n : 0;
}

int tpl_has(const tpl_set *s, const char *lang, const char *key)
{
	const struct lang *L = find_lang(s, lang);

	return L && table_find(&L->texts, key) != NULL;
}

