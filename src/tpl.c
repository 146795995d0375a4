/* tpl.c: reading the layouts of tpl.h: the .lay files into variants of
 * parsed texts, conditions and rules (tpl_load: the entry point), and
 * what the set says of itself (languages, texts, sources, arguments).
 * The parsers of texts and conditions are tpl-parse.c and tpl-cond.c,
 * the pseudo-locale tpl-pseudo.c; expanding a text for a record's facts
 * is tpl-expand.c, the cross-language lint tpl-lint.c; tpl-private.h is
 * what they share.
 *
 * In this file, in order: the vocabulary (the fields and values a text
 * may use, the keys the composer needs), freeing, reading .lay files
 * (tpl_load) and the getters. */
#include "tpl.h"
#include "tpl-private.h"
#include "diag.h"
#include "record.h"
#include "sbuf.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
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
const struct enum_field tpl_enum_fields[] = {
	{ "category", category_values },
	{ "status", status_values },
	{ "acknowledged", ack_values },
	{ "sex", sex_values },
};
const size_t tpl_n_enum_fields = ARRAY_SIZE(tpl_enum_fields);

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

int tpl_in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

int tpl_is_localized(const char *f)
{
	return tpl_in_list(f, localized_fields, ARRAY_SIZE(localized_fields));
}

int tpl_known_field(const char *f)
{
	return record_field_by_name(f) >= 0 ||
	       tpl_is_localized(f) ||
	       tpl_in_list(f, computed_fields, ARRAY_SIZE(computed_fields)) ||
	       tpl_in_list(f, summary_fields, ARRAY_SIZE(summary_fields));
}

/* Which facts a text can use, by its key: the summary's texts (summary.*,
 * binder.*) take the figures of the report, and its rows (summary.roster.*,
 * summary.left_out.*) the fields of a record as well; every other text is
 * the brief's and takes the fields of its record. NULL when f can be used
 * in key, else why not. */
const char *tpl_field_misplaced(const char *key, const char *f)
{
	int summary = key && (!strncmp(key, "summary.", 8) || !strncmp(key, "binder.", 7));
	int rows = key && (!strncmp(key, "summary.roster.", 15) ||
			   !strncmp(key, "summary.left_out.", 17));
	int fig = tpl_in_list(f, summary_fields, ARRAY_SIZE(summary_fields));
	int common = !strcmp(f, "as_of") || !strcmp(f, "page") || !strcmp(f, "pages");

	if (!summary && fig)
		return "is a figure of the summary, not a field of a brief";
	if (summary && !rows && !fig && !common)
		return "is a field of a record: in the summary only summary.roster.* and summary.left_out.* texts can use it";
	return NULL;
}

const struct enum_field *tpl_enum_of(const char *f)
{
	for (size_t i = 0; i < ARRAY_SIZE(tpl_enum_fields); i++)
		if (!strcmp(f, tpl_enum_fields[i].field))
			return &tpl_enum_fields[i];
	return NULL;
}

int tpl_enum_has(const struct enum_field *e, const char *v)
{
	for (size_t i = 0; e->values[i]; i++)
		if (!strcmp(v, e->values[i]))
			return 1;
	return 0;
}

int tpl_is_key_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

int tpl_is_ident_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* ---- freeing ----------------------------------------------------------- */

static void table_release(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct entry *e = &t->e[i];
		for (size_t j = 0; j < e->n; j++) {
			tpl_cond_free(e->v[j].cond);
			free(e->v[j].canon);
			tpl_nodes_release(&e->v[j].body);
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
		tpl_cond_free(r->cond);
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

/* ---- reading .lay files ----------------------------------------------------- */

static const char *keep_file(tpl_set *s, const char *path)
{
	ALLOC_GROW(s->files, s->nfiles + 1, s->afiles);
	return s->files[s->nfiles++] = xstrdup(path);
}

struct entry *tpl_table_find(const struct table *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->e[i].key, key))
			return &t->e[i];
	return NULL;
}

struct entry *tpl_table_get(struct table *t, const char *key)
{
	struct entry *e = tpl_table_find(t, key);

	if (e)
		return e;
	ALLOC_GROW(t->e, t->n + 1, t->alloc);
	e = &t->e[t->n++];
	memset(e, 0, sizeof(*e));
	e->key = xstrdup(key);
	return e;
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
					tpl_st_add(&lg.text, " ", 1, line, q - p);
				tpl_st_add(&lg.text, q, len - (size_t)(q - p), line,
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
		while (k < p + len && tpl_is_key_char((unsigned char)*k))
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
		tpl_st_reset(&lg.cond);
		tpl_st_reset(&lg.text);
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
			tpl_st_add(&lg.cond, c, (size_t)(e - c), line, c - p + 1);
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
		tpl_st_add(&lg.text, k, len - (size_t)(k - p), line, k - p + 1);
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
		if (!(c = tpl_cond_parse(&lg->cond, d)))
			return -1;
		tpl_cond_canon(c, &canon);
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
				tpl_cond_free(c);
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
		struct entry *e = tpl_table_get(kind == K_CITES ? &L->cites : &L->texts,
					    lg->key);
		struct variant *v;
		ALLOC_GROW(e->v, e->n + 1, e->alloc);
		v = &e->v[e->n++];
		memset(v, 0, sizeof(*v));
		v->cond = c;
		v->canon = sbuf_detach(&canon, NULL);
		v->file = file;
		v->line = lg->line;
		if (tpl_text_parse(&lg->text, &v->body, d))
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
	tpl_pseudo_make(s);
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

const struct lang *tpl_lang_find(const tpl_set *s, const char *code)
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
	return tpl_lang_find(s, lang) != NULL;
}

size_t tpl_ntexts(const tpl_set *s, const char *lang)
{
	const struct lang *L = tpl_lang_find(s, lang);

	return L ? L->texts.n : 0;
}

int tpl_has(const tpl_set *s, const char *lang, const char *key)
{
	const struct lang *L = tpl_lang_find(s, lang);

	return L && tpl_table_find(&L->texts, key) != NULL;
}

size_t tpl_nrules(const tpl_set *s)
{
	return s->nrules;
}

const char *tpl_rule_id(const tpl_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i].id : NULL;
}

size_t tpl_nsources(const tpl_set *s)
{
	return s->nsrc;
}

const char *tpl_source_key(const tpl_set *s, size_t i)
{
	return i < s->nsrc ? s->src[i].key : NULL;
}

const char *tpl_source_status(const tpl_set *s, size_t i)
{
	return i < s->nsrc ? s->src[i].status : NULL;
}

/* The walk of tpl_each_cite: ctx holds the words since the last citation. */
static void cites_walk(const struct nodes *ns, struct sbuf *ctx,
		       const char *key, tpl_cite_fn fn, void *arg)
{
	for (size_t i = 0; i < ns->n; i++) {
		const struct node *n = &ns->v[i];

		switch (n->kind) {
		case N_TEXT:
			sbuf_addstr(ctx, n->text);
			break;
		case N_FIELD:
			sbuf_addf(ctx, "{%s}", n->text);
			break;
		case N_LINK:
			cites_walk(&n->kids, ctx, key, fn, arg);
			break;
		case N_CITE:
			fn(arg, key, n->text, ctx->buf);
			sbuf_reset(ctx);
			break;
		default:
			break;
		}
	}
}

void tpl_each_cite(const tpl_set *s, const char *lang, tpl_cite_fn fn,
		   void *arg)
{
	const struct lang *L = tpl_lang_find(s, lang);
	struct sbuf ctx = SBUF_INIT;

	for (size_t i = 0; L && i < L->texts.n; i++)
		for (size_t j = 0; j < L->texts.e[i].n; j++) {
			sbuf_reset(&ctx);
			cites_walk(&L->texts.e[i].v[j].body, &ctx,
				   L->texts.e[i].key, fn, arg);
		}
	sbuf_release(&ctx);
}
