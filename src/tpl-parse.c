/* tpl-parse.c: the parser of layout texts (tpl_text_parse): literal
 * text, **bold** and *italic*, line breaks, {field, format} placeholders,
 * plurals and selects with their branches, [@key] citations and
 * [text](address) links, into the nodes of tpl-private.h; and the
 * positions of a text joined from continuation lines, for diagnostics. */
#include "tpl-private.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const tpl_fmt_names[F_SELECT + 1] = { "", "date", "number",
						  "plural", "label", "years",
						  "days", "select" };

/* ---- freeing ----------------------------------------------------------- */

static void node_release(struct node *n)
{
	free(n->text);
	for (size_t i = 0; i < n->nbr; i++) {
		free(n->br[i].cat);
		tpl_nodes_release(&n->br[i].body);
	}
	free(n->br);
	tpl_nodes_release(&n->kids);
	tpl_nodes_release(&n->uri);
}

void tpl_nodes_release(struct nodes *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		node_release(&ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = ns->alloc = 0;
}

/* ---- positions in joined lines ----------------------------------------- */

/* A text may span continuation lines, joined with one space; seg maps
 * byte offsets of the joined text back to file lines and columns. */

struct diag_loc tpl_loc_at(const struct src_text *st, size_t off)
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

/* A text is read piece by piece (an entry line, its continuations), each
 * piece noted with where it starts. */
void tpl_st_reset(struct src_text *st)
{
	sbuf_reset(&st->text);
	st->nseg = 0;
}

void tpl_st_add(struct src_text *st, const char *s, size_t n, long line,
		long col)
{
	ALLOC_GROW(st->seg, st->nseg + 1, st->aseg);
	st->seg[st->nseg++] = (struct seg){ st->text.len, line, col };
	sbuf_add(&st->text, s, n);
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
		diag_vadd(p->d, DIAG_ERROR, tpl_loc_at(p->st, at), fmt, ap);
		va_end(ap);
	}
	p->err = 1;
	return -1;
}

static struct node *add_node(struct tparse *p, struct nodes *ns,
			     enum node_kind k, size_t at)
{
	struct node *n;
	struct diag_loc l = tpl_loc_at(p->st, at);

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
		while (sel ? tpl_is_key_char((unsigned char)p->s[p->i])
			   : tpl_is_ident_char((unsigned char)p->s[p->i]))
			p->i++;
		if (p->i == b)
			return tp_error(p, p->i, sel ? "expected a select value or '}'"
						     : "expected a plural category or '}'");
		n->br = xrealloc(n->br, (n->nbr + 1) * sizeof(*n->br));
		br = &n->br[n->nbr++];
		memset(br, 0, sizeof(*br));
		br->cat = xstrndup(p->s + b, p->i - b);
		l = tpl_loc_at(p->st, b);
		br->line = l.line;
		br->col = l.col;
		if (!sel && !tpl_in_list(br->cat, cats, ARRAY_SIZE(cats)))
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
	while (tpl_is_ident_char((unsigned char)p->s[p->i]))
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
	while (tpl_is_ident_char((unsigned char)p->s[p->i]))
		p->i++;
	kind = xstrndup(p->s + b, p->i - b);
	for (size_t k = 1; k < ARRAY_SIZE(tpl_fmt_names); k++)
		if (!strcmp(kind, tpl_fmt_names[k])) {
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
			while (tpl_is_key_char((unsigned char)p->s[p->i]))
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

int tpl_text_parse(const struct src_text *st, struct nodes *ns,
		      struct diag *d)
{
	struct tparse p = { st, st->text.buf, 0, d, 0, 0 };

	if (parse_nodes(&p, ns, "", 0) || p.err)
		return -1;
	return 0;
}
