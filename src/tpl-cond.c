/* tpl-cond.c: the conditions of the layouts ("[category = pow and
 * health]"): the parser (tpl_cond_parse), the canonical spelling the lint
 * compares across languages (tpl_cond_canon), evaluation against the
 * facts of a record (tpl_cond_eval, with tpl_get_raw, a field's value),
 * copying and freeing. */
#include "tpl-private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_names[] = { "", "=", "!=", "<", "<=", ">", ">=",
					"in", "not", "and", "or" };

/* ---- freeing and copying ------------------------------------------------- */

void tpl_cond_free(struct cond *c)
{
	if (!c)
		return;
	free(c->field);
	for (size_t i = 0; i < c->nvals; i++)
		free(c->vals[i]);
	free(c->vals);
	tpl_cond_free(c->a);
	tpl_cond_free(c->b);
	free(c);
}

struct cond *tpl_cond_copy(const struct cond *c)
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
	n->a = tpl_cond_copy(c->a);
	n->b = tpl_cond_copy(c->b);
	return n;
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
		diag_error(p->d, tpl_loc_at(p->st, p->i), msg, arg);
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
	while (tpl_is_key_char((unsigned char)p->s[p->i]))
		p->i++;
	return p->i > b ? xstrndup(p->s + b, p->i - b) : NULL;
}

/* Whether the keyword kw comes next (as a whole word); consumes it. */
static int cp_keyword(struct cparse *p, const char *kw)
{
	size_t n = strlen(kw);

	cp_space(p);
	if (strncmp(p->s + p->i, kw, n) || tpl_is_key_char((unsigned char)p->s[p->i + n]))
		return 0;
	p->i += n;
	return 1;
}

static struct cond *cp_or(struct cparse *p);

static struct cond *new_cond(struct cparse *p, enum cond_op op)
{
	struct cond *c = xcalloc(1, sizeof(*c));
	struct diag_loc at = tpl_loc_at(p->st, p->i);

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
			tpl_cond_free(c);
			return NULL;
		}
		return c;
	}
	if (p->s[p->i] == '(') {
		p->i++;
		c = cp_or(p);
		cp_space(p);
		if (c && p->s[p->i] != ')') {
			tpl_cond_free(c);
			cp_error(p, "expected ')' in condition%s", "");
			return NULL;
		}
		p->i++;
		return c;
	}
	c = new_cond(p, C_HAS);
	if (!(c->field = cp_word(p)) || !strcmp(c->field, "and") ||
	    !strcmp(c->field, "or") || !strcmp(c->field, "in")) {
		tpl_cond_free(c);
		cp_error(p, "expected a field name in condition%s", "");
		return NULL;
	}
	cp_space(p);
	if (cp_keyword(p, "in")) {
		c->op = C_IN;
		cp_space(p);
		if (p->s[p->i] != '(') {
			tpl_cond_free(c);
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
				tpl_cond_free(c);
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
			tpl_cond_free(c);
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

/* Operands joined by the keyword word, grouped from the left ("a and b
 * and c" is (a and b) and c) into conditions op. */
static struct cond *cp_chain(struct cparse *p, const char *word,
			     enum cond_op op,
			     struct cond *(*operand)(struct cparse *))
{
	struct cond *c = operand(p), *n;

	while (c && cp_keyword(p, word)) {
		n = new_cond(p, op);
		n->a = c;
		c = n;
		if (!(n->b = operand(p))) {
			tpl_cond_free(c);
			return NULL;
		}
	}
	return c;
}

static struct cond *cp_and(struct cparse *p)
{
	return cp_chain(p, "and", C_AND, cp_atom);
}

static struct cond *cp_or(struct cparse *p)
{
	return cp_chain(p, "or", C_OR, cp_and);
}

/* Parse the whole of st->text.buf as a condition. */
struct cond *tpl_cond_parse(const struct src_text *st, struct diag *d)
{
	struct cparse p = { st, st->text.buf, 0, d, 0 };
	struct cond *c = cp_or(&p);

	cp_space(&p);
	if (c && p.s[p.i]) {
		cp_error(&p, "unexpected '%s' in condition",
			 diag_quote(p.s + p.i, 20));
		tpl_cond_free(c);
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
void tpl_cond_canon(const struct cond *c, struct sbuf *out)
{
	char **v;

	switch (c->op) {
	case C_HAS:
		sbuf_addstr(out, c->field);
		break;
	case C_NOT:
		sbuf_addstr(out, "not ");
		tpl_cond_canon(c->a, out);
		break;
	case C_AND:
	case C_OR:
		sbuf_addch(out, '(');
		tpl_cond_canon(c->a, out);
		sbuf_addf(out, " %s ", op_names[c->op]);
		tpl_cond_canon(c->b, out);
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

const char *tpl_get_raw(const struct tpl_facts *f, const char *name)
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

	if (!tpl_is_localized(field))
		return tpl_get_raw(f, field);
	for (int i = 0; i < FMT_NLANGS; i++) {
		snprintf(name, sizeof(name), "%s_%s", field, fmt_langs[i]);
		if ((v = tpl_get_raw(f, name)))
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

int tpl_cond_eval(const struct cond *c, const struct tpl_facts *f)
{
	const char *v;

	if (!c)
		return 1;
	switch (c->op) {
	case C_NOT:
		return !tpl_cond_eval(c->a, f);
	case C_AND:
		return tpl_cond_eval(c->a, f) && tpl_cond_eval(c->b, f);
	case C_OR:
		return tpl_cond_eval(c->a, f) || tpl_cond_eval(c->b, f);
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
