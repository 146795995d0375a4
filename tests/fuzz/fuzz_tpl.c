/* fuzz_tpl.c: libFuzzer target for the layouts (tpl.h): the reader of .lay
 * files, the lint and the expansion of texts.
 *
 * The input is a layouts folder in one buffer: parts separated by NUL
 * bytes (a NUL is never valid in a .lay file) become, in order,
 * en/brief.lay, ru/brief.lay, hy/brief.lay, rules.lay, en/summary.lay and
 * a condition for tpl_cond. The shipped sources.lay and citations.lay are
 * copied beside them once, so citation keys resolve as in real layouts.
 * Each run loads the folder, lints it, and expands the texts the composer
 * needs, the arguments that apply and their footnotes, against fixed facts
 * in every language and the pseudo-locale.
 *
 * Properties, beyond not crashing: expanding a text twice gives the same
 * spans (text, style, link and note number: a citation keeps its note),
 * with the same result; and loading and linting the same folder twice
 * gives the same diagnostics. A violation aborts, which libFuzzer reports
 * as a crash; fuzz_tpl_one gives the replay test (tests/unit/t_fuzz_tpl.c)
 * the counts. */
#include "diag.h"
#include "sbuf.h"
#include "tpl.h"
#include "util.h"

#include <stdint.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What one input gave, for the replay test. */
struct fuzz_tpl_stats {
	int loaded;             /* tpl_load gave a set */
	size_t errors, warnings;        /* of the load and the lint */
	size_t expanded;        /* expansions that gave text */
	size_t differ;          /* expansions that differed the second time */
	int lint_differs;       /* a second load and lint said other things */
	char en_title[64];      /* the text of en doc.title, cut short */
};

static char fz_dir[64];

static const char *const fz_parts[] = {
	"en/brief.lay", "ru/brief.lay", "hy/brief.lay", "rules.lay",
	"en/summary.lay",
};

static const char *fz_get(void *ctx, const char *name)
{
	static const char *const kv[][2] = {
		{ "id", "r-1" }, { "category", "pow" }, { "status", "convicted" },
		{ "name_en", "Test Person" }, { "name_ru", "Тест" },
		{ "detained_on", "2020-12-13" }, { "birth_date", "1990" },
		{ "as_of", "2026-11-27" }, { "days_detained", "2175" },
		{ "age", "36" }, { "sentence_years", "1.5" },
		{ "acknowledged", "no" }, { "health_hy", "x" },
		{ "circumstances_ru", "y" }, { "page", "1" }, { "pages", "2" },
		{ "url", "https://example.org/" }, { "total", "14" },
		{ "count_pow", "3" }, { "days_median", "0" },
		{ "verdict_date", "2026-02" }, { "line", "7" },
	};
	(void)ctx;
	for (size_t i = 0; i < ARRAY_SIZE(kv); i++)
		if (!strcmp(kv[i][0], name))
			return kv[i][1];
	return NULL;
}

static void fz_write(const char *name, const void *buf, size_t n)
{
	char path[160];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", fz_dir, name);
	if (!(fp = fopen(path, "wb")))
		BUG("cannot write %s", path);
	if (n && fwrite(buf, 1, n, fp) != n)
		BUG("cannot write %s", path);
	fclose(fp);
}

static void fz_copy(const char *from, const char *to)
{
	struct sbuf b = SBUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *fp = fopen(from, "rb");

	/* Without the shipped file (run elsewhere), an empty one. */
	while (fp && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		sbuf_add(&b, chunk, n);
	if (fp)
		fclose(fp);
	fz_write(to, b.buf, b.len);
	sbuf_release(&b);
}

static void fz_cleanup(void)
{
	char path[160];
	static const char *const langs[] = { "en", "ru", "hy" };

	for (size_t i = 0; i < ARRAY_SIZE(fz_parts); i++) {
		snprintf(path, sizeof(path), "%s/%s", fz_dir, fz_parts[i]);
		unlink(path);
	}
	for (size_t i = 0; i < ARRAY_SIZE(langs); i++) {
		snprintf(path, sizeof(path), "%s/%s/citations.lay", fz_dir, langs[i]);
		unlink(path);
		snprintf(path, sizeof(path), "%s/%s", fz_dir, langs[i]);
		rmdir(path);
	}
	snprintf(path, sizeof(path), "%s/sources.lay", fz_dir);
	unlink(path);
	rmdir(fz_dir);
}

static void fz_init(void)
{
	static const char *const langs[] = { "en", "ru", "hy" };
	char path[160];

	snprintf(fz_dir, sizeof(fz_dir), "/tmp/fuzz_tpl.XXXXXX");
	if (!mkdtemp(fz_dir))
		BUG("mkdtemp");
	for (size_t i = 0; i < ARRAY_SIZE(langs); i++) {
		snprintf(path, sizeof(path), "%s/%s", fz_dir, langs[i]);
		if (mkdir(path, 0700))
			BUG("mkdir %s", path);
		snprintf(path, sizeof(path), "layouts/%s/citations.lay", langs[i]);
		{
			char to[32];
			snprintf(to, sizeof(to), "%s/citations.lay", langs[i]);
			fz_copy(path, to);
		}
	}
	fz_copy("layouts/sources.lay", "sources.lay");
	atexit(fz_cleanup);
}

static int fz_same_spans(const struct tpl_spans *a, const struct tpl_spans *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct tpl_span *x = &a->v[i], *y = &b->v[i];
		if (strcmp(x->text, y->text) || x->style != y->style ||
		    !x->uri != !y->uri || (x->uri && strcmp(x->uri, y->uri)) ||
		    !x->cite != !y->cite || (x->cite && strcmp(x->cite, y->cite)) ||
		    x->note != y->note)
			return 0;
	}
	return 1;
}

/* Expand key in lang twice; the result and any error are dropped. */
static void fz_expand(const tpl_set *s, const char *lang, const char *key,
		      struct tpl_notes *notes, struct diag *d,
		      struct fuzz_tpl_stats *st)
{
	struct tpl_facts f = { fz_get, NULL };
	struct tpl_spans sp = TPL_SPANS_INIT, sp2 = TPL_SPANS_INIT;
	struct sbuf t = SBUF_INIT;
	int n = tpl_expand(s, lang, key, &f, notes, &sp, d);
	int n2 = tpl_expand(s, lang, key, &f, notes, &sp2, d);

	if (n >= 0 && (size_t)n > sp.n)
		BUG("tpl_expand counted %d spans of %zu", n, sp.n);
	if (n != n2 || !fz_same_spans(&sp, &sp2))
		st->differ++;
	tpl_spans_text(&sp, &t);
	if (n >= 0 && t.len)
		st->expanded++;
	if (!strcmp(lang, "en") && !strcmp(key, "doc.title") && !st->en_title[0])
		snprintf(st->en_title, sizeof(st->en_title), "%s", t.len ? t.buf : "");
	sbuf_release(&t);
	tpl_spans_release(&sp);
	tpl_spans_release(&sp2);
}

/* The diagnostics of loading and linting the folder, as text. */
static tpl_set *fz_load_lint(struct sbuf *out, struct diag *d)
{
	tpl_set *s = tpl_load(fz_dir, d);

	if (s)
		tpl_lint(s, d);
	for (size_t i = 0; i < d->n; i++)
		sbuf_addf(out, "%d %s:%ld:%ld %s\n", (int)d->v[i].level,
			  d->v[i].file ? d->v[i].file : "", d->v[i].line,
			  d->v[i].col, d->v[i].msg);
	return s;
}

/* Run one input; st gets the counts. */
static void fuzz_tpl_one(const uint8_t *data, size_t size, struct fuzz_tpl_stats *st)
{
	static const char *const langs[] = { "en", "ru", "hy", "xx" };
	struct diag d = DIAG_INIT, d2 = DIAG_INIT;
	struct tpl_facts f = { fz_get, NULL };
	struct sbuf lint = SBUF_INIT, lint2 = SBUF_INIT;
	const uint8_t *p = data, *end = data + size;
	tpl_set *s, *s2;

	memset(st, 0, sizeof(*st));
	if (!fz_dir[0])
		fz_init();
	for (size_t i = 0; i < ARRAY_SIZE(fz_parts) + 1; i++) {
		const uint8_t *q = p < end ? memchr(p, 0, (size_t)(end - p)) : NULL;
		size_t n = p < end ? (size_t)((q ? q : end) - p) : 0;
		if (i < ARRAY_SIZE(fz_parts)) {
			fz_write(fz_parts[i], p, n);
		} else {
			/* The last part: a condition, tried on its own. */
			char *expr = xstrndup((const char *)p, n);
			tpl_cond(NULL, expr, &f, &d);
			free(expr);
		}
		p = q ? q + 1 : end;
	}
	diag_clear(&d);
	s = fz_load_lint(&lint, &d);
	s2 = fz_load_lint(&lint2, &d2);
	st->loaded = s != NULL;
	st->errors = d.nerrors;
	st->warnings = d.nwarnings;
	st->lint_differs = !s != !s2 || strcmp(lint.buf ? lint.buf : "",
					       lint2.buf ? lint2.buf : "");
	tpl_free(s2);
	sbuf_release(&lint);
	sbuf_release(&lint2);
	diag_release(&d2);
	diag_clear(&d);
	if (!s) {
		diag_release(&d);
		return;
	}
	for (size_t l = 0; l < ARRAY_SIZE(langs); l++) {
		struct tpl_notes notes = TPL_NOTES_INIT;
		struct tpl_spans sp = TPL_SPANS_INIT;
		const char **ids;
		size_t nids;
		int how;
		const char *from;
		char *nm;

		for (size_t k = 0; tpl_required_keys[k]; k++)
			fz_expand(s, langs[l], tpl_required_keys[k], &notes, &d, st);
		for (size_t k = 0; tpl_summary_keys[k]; k++)
			fz_expand(s, langs[l], tpl_summary_keys[k], &notes, &d, st);
		nids = tpl_rules(s, &f, &ids);
		for (size_t k = 0; k < nids; k++) {
			struct tpl_spans t = TPL_SPANS_INIT;
			tpl_expandf(s, langs[l], &f, &notes, &t, &d, "arg.%s.title", ids[k]);
			tpl_expandf(s, langs[l], &f, &notes, &t, &d, "arg.%s", ids[k]);
			tpl_spans_release(&t);
		}
		free(ids);
		for (size_t k = 0; k < notes.n; k++)
			tpl_citation(s, langs[l], notes.keys[k], &sp, &d);
		tpl_spans_release(&sp);
		tpl_notes_release(&notes);
		nm = tpl_name(s, langs[l], &f, &how, &from);
		free(nm);
		diag_clear(&d);
	}
	tpl_free(s);
	diag_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_tpl_stats st;

	fuzz_tpl_one(data, size, &st);
	if (st.differ)
		BUG("%zu texts expanded differently the second time", st.differ);
	if (st.lint_differs)
		BUG("the same layouts loaded and linted twice gave other diagnostics");
	return 0;
}
