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
 * in every language and the pseudo-locale. */
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

/* Expand key in lang; the result and any error are dropped. */
static void fz_expand(const tpl_set *s, const char *lang, const char *key,
		      struct tpl_notes *notes, struct diag *d)
{
	struct tpl_facts f = { fz_get, NULL };
	struct tpl_spans sp = TPL_SPANS_INIT;
	struct sbuf t = SBUF_INIT;
	int n = tpl_expand(s, lang, key, &f, notes, &sp, d);

	if (n >= 0 && (size_t)n > sp.n)
		BUG("tpl_expand counted %d spans of %zu", n, sp.n);
	tpl_spans_text(&sp, &t);
	sbuf_release(&t);
	tpl_spans_release(&sp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { "en", "ru", "hy", "xx" };
	struct diag d = DIAG_INIT;
	struct tpl_facts f = { fz_get, NULL };
	const uint8_t *p = data, *end = data + size;
	tpl_set *s;

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
	s = tpl_load(fz_dir, &d);
	if (!s) {
		diag_release(&d);
		return 0;
	}
	tpl_lint(s, &d);
	diag_clear(&d);
	for (size_t l = 0; l < ARRAY_SIZE(langs); l++) {
		struct tpl_notes notes = TPL_NOTES_INIT;
		struct tpl_spans sp = TPL_SPANS_INIT;
		const char **ids;
		size_t nids;
		int how;
		const char *from;
		char *nm;

		for (size_t k = 0; tpl_required_keys[k]; k++)
			fz_expand(s, langs[l], tpl_required_keys[k], &notes, &d);
		for (size_t k = 0; tpl_summary_keys[k]; k++)
			fz_expand(s, langs[l], tpl_summary_keys[k], &notes, &d);
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
	return 0;
}
