/* cmd_layouts.c: `dossier layouts check [--layouts DIR]`, the lint of the
 * layout texts, and `dossier layouts sources`, the reference sheet of the
 * citations they use (at the end of the file).
 *
 * `layouts check` is for translators and lawyers. It loads a layouts folder
 * (tpl_load: syntax), compares the languages (tpl_lint: texts, variants,
 * placeholders, citations, fields and values), prints every finding in
 * compiler form to stderr and a one-line summary to stdout.
 *
 * Exit status: 0 no error (warnings allowed), 1 errors in the layouts,
 * 2 a usage error or a folder that cannot be read. */
#include "cli.h"
#include "diag.h"
#include "json.h"
#include "sbuf.h"
#include "tpl.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_check[] =
	"usage: dossier layouts check [--layouts DIR]\n"
	"\n"
	"Compares the layout texts of every language (en, ru, hy) and reports,\n"
	"as FILE:LINE:COL: error|warning: MESSAGE, texts missing in a language,\n"
	"variants, placeholders or citations that differ between languages,\n"
	"a placeholder formatted differently ({sentence_years, years} in one\n"
	"language, {sentence_years} in another), unknown fields, values and\n"
	"citation keys, and syntax errors.\n"
	"\n"
	"  --layouts DIR   the folder to check (default: the shipped layouts)\n"
	"\n"
	"exit status: 0 no error (warnings allowed); 1 errors; 2 usage error or\n"
	"a folder that cannot be read.\n";

/* Whether dir is a folder that can be read; else the error is printed
 * (a folder that is not there is unreadable input, exit 2). */
static int folder_readable(const char *dir)
{
	struct diag d = DIAG_INIT;
	struct stat st;
	int err = stat(dir, &st) != 0 ? errno : 0;

	if (!err && S_ISDIR(st.st_mode))
		return 1;
	diag_error(&d, (struct diag_loc){ dir, 0, 0 },
		   "cannot read the layouts folder: %s",
		   err ? strerror(err) : "not a folder");
	diag_print(&d, stderr);
	diag_release(&d);
	return 0;
}

/* The next option of a layouts command (getopt_long, optind and opterr
 * set by the caller), --layouts DIR taken into *dir on the way; -1 after
 * the last. */
static int layouts_option(int argc, char **argv, const struct option *opts,
			  char **dir)
{
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) == 'L') {
		free(*dir);
		*dir = xstrdup(optarg);
	}
	return c;
}

/* After the options of cmd: no operand, and the layouts folder (*dir,
 * else the shipped one) readable. 0 with *dir set, or -1 after printing
 * why (and usage_text after an operand) and freeing *dir. */
static int layouts_dir_ready(int argc, char **argv, const char *cmd,
			     const char *usage_text, char **dir)
{
	if (optind < argc) {
		fprintf(stderr, "dossier: error: %s: unexpected \"%s\"\n", cmd,
			diag_quote(argv[optind], 40));
		free(*dir);
		fputs(usage_text, stderr);
		return -1;
	}
	if (!*dir)
		*dir = cli_data_dir("layouts");
	/* A folder that is not there is unreadable input, not a finding. */
	if (!folder_readable(*dir)) {
		free(*dir);
		return -1;
	}
	return 0;
}

static int usage(FILE *fp, int status)
{
	fputs(usage_check, fp);
	return status;
}

int cmd_layouts_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "layouts", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct diag d = DIAG_INIT;
	char *dir = NULL;
	tpl_set *s;
	size_t ntexts = 0, nlangs = 0;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = layouts_option(argc, argv, opts, &dir)) != -1) {
		switch (c) {
		case 'h':
			free(dir);
			return usage(stdout, 0);
		default:
			free(dir);
			return cli_bad_option("layouts check", "h", argv, opts);
		}
	}
	if (layouts_dir_ready(argc, argv, "layouts check", usage_check, &dir) < 0)
		return 2;

	s = tpl_load(dir, &d);
	if (s) {
		tpl_lint(s, &d);
		nlangs = tpl_nlangs(s);
		if (nlangs)
			ntexts = tpl_ntexts(s, tpl_lang(s, 0));
	}
	diag_print(&d, stderr);
	if (s)
		printf("layouts: %zu languages, %zu texts, %zu error%s, %zu warning%s\n",
		       nlangs, ntexts, d.nerrors, d.nerrors == 1 ? "" : "s",
		       d.nwarnings, d.nwarnings == 1 ? "" : "s");
	else
		printf("layouts: not loaded, %zu error%s, %zu warning%s\n",
		       d.nerrors, d.nerrors == 1 ? "" : "s", d.nwarnings,
		       d.nwarnings == 1 ? "" : "s");
	rc = d.nerrors || !s ? 1 : 0;
	tpl_free(s);
	diag_release(&d);
	free(dir);
	return rc;
}

/* ---- layouts sources ------------------------------------------------------ */

/* `dossier layouts sources [--layouts DIR] [--format text|json]`: the
 * reference sheet a lawyer audits without reading C or the layout syntax.
 * For every citation key the layouts use (a text of any language cites it,
 * or rules.lay lists it), in the order of sources.lay: its status there
 * (V, V2, P with SOURCES.md's qualifiers, and the date of a dated source),
 * the full reference as each language's footnote prints it, the addresses
 * it links, the words each language quotes from it (the quotations in a
 * text before its footnote mark, back to the previous mark) and the texts
 * that cite it. It asks tpl.h for the sources, the arguments and the
 * citations of every text (tpl_each_cite). */

static const char usage_sources[] =
	"usage: dossier layouts sources [--layouts DIR] [--format text|json]\n"
	"\n"
	"Lists every citation key the layouts use, in the order of sources.lay:\n"
	"its verification status (V, V2, P, with qualifiers such as \"V (FR)\" and\n"
	"the date of a dated source), the full reference as printed in each\n"
	"language, its addresses, the words quoted from it in each language and\n"
	"the texts that cite it.\n"
	"\n"
	"  --layouts DIR   the folder to read (default: the shipped layouts)\n"
	"  --format F      text (default) or json\n"
	"\n"
	"exit status: 0 listed; 1 the layouts could not be loaded; 2 usage error\n"
	"or a folder that cannot be read.\n";

/* What the layouts say of one key. */
struct src_use {
	const char *key, *status; /* of sources.lay */
	int used;
	struct sbuf quoted[FMT_NLANGS]; /* one quotation per line, unique */
	struct sbuf texts;              /* keys of texts citing it, unique */
};

/* Append line to a list of lines unless it is there. */
static void add_unique(struct sbuf *list, const char *line, size_t n)
{
	const char *p = list->buf;

	while (*p) {
		const char *e = strchr(p, '\n');
		if ((size_t)(e - p) == n && !strncmp(p, line, n))
			return;
		p = e + 1;
	}
	sbuf_add(list, line, n);
	sbuf_addch(list, '\n');
}

static struct src_use *use_of(struct src_use *u, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(u[i].key, key))
			return &u[i];
	return NULL;
}

/* The quotations in text: “…”, «…» and "…", marks included. */
static void add_quotes(struct sbuf *list, const char *text)
{
	static const struct { const char *open, *close; } q[] = {
		{ "\xE2\x80\x9C", "\xE2\x80\x9D" }, /* “ ” */
		{ "\xC2\xAB", "\xC2\xBB" },         /* « » */
		{ "\"", "\"" },
	};

	for (size_t k = 0; k < ARRAY_SIZE(q); k++) {
		const char *p = text, *a, *b;
		while ((a = strstr(p, q[k].open)) &&
		       (b = strstr(a + strlen(q[k].open), q[k].close))) {
			b += strlen(q[k].close);
			add_unique(list, a, (size_t)(b - a));
			p = b;
		}
	}
}

/* What tpl_each_cite reports to: the keys and the language being walked. */
struct cite_walk {
	struct src_use *u;
	size_t nu;
	size_t lang;
};

/* One citation of a text: the words since the previous footnote mark are
 * its context. */
static void note_cite(void *arg, const char *key, const char *cite,
		      const char *before)
{
	struct cite_walk *w = arg;
	struct src_use *s = use_of(w->u, w->nu, cite);

	if (s) {
		s->used = 1;
		add_quotes(&s->quoted[w->lang], before);
		add_unique(&s->texts, key, strlen(key));
	}
}

/* The full reference of key in lang as plain text, and its addresses. */
static void reference(const tpl_set *s, const char *lang, const char *key,
		      struct sbuf *text, struct sbuf *urls)
{
	struct tpl_spans sp = TPL_SPANS_INIT;
	struct diag d = DIAG_INIT;

	sbuf_reset(text);
	if (tpl_citation(s, lang, key, &sp, &d) >= 0) {
		tpl_spans_text(&sp, text);
		for (size_t i = 0; i < sp.n; i++)
			if (sp.v[i].uri)
				add_unique(urls, sp.v[i].uri, strlen(sp.v[i].uri));
	}
	tpl_spans_release(&sp);
	diag_release(&d);
}

/* Print a list of lines as a JSON array. */
static void json_lines(struct sbuf *out, const char *list)
{
	int first = 1;

	sbuf_addch(out, '[');
	for (const char *p = list; *p;) {
		const char *e = strchr(p, '\n');
		char *line = xstrndup(p, (size_t)(e - p));
		if (!first)
			sbuf_addstr(out, ", ");
		json_add_string(out, line);
		free(line);
		first = 0;
		p = e + 1;
	}
	sbuf_addch(out, ']');
}

static void print_sources(const tpl_set *s, struct src_use *u, size_t nu,
			  int json)
{
	struct sbuf out = SBUF_INIT, text = SBUF_INIT;
	int first = 1;

	if (json)
		sbuf_addstr(&out, "[\n");
	for (size_t i = 0; i < nu; i++) {
		struct sbuf urls = SBUF_INIT;
		const char *at;

		if (!u[i].used)
			continue;
		at = strchr(u[i].status, '@');
		if (json) {
			sbuf_addstr(&out, first ? "  {" : ",\n  {");
			sbuf_addstr(&out, "\"key\": ");
			json_add_string(&out, u[i].key);
			sbuf_addstr(&out, ", \"status\": ");
			{
				char *st = xstrndup(u[i].status,
						    at ? (size_t)(at - u[i].status) : strlen(u[i].status));
				size_t n = strlen(st);
				while (n && st[n - 1] == ' ')
					st[--n] = '\0';
				json_add_string(&out, st);
				free(st);
			}
			sbuf_addstr(&out, ", \"date\": ");
			if (at) {
				char *dt = xstrndup(at + 1, strcspn(at + 1, " \t"));
				json_add_string(&out, dt);
				free(dt);
			} else {
				sbuf_addstr(&out, "null");
			}
			sbuf_addstr(&out, ", \"reference\": {");
			for (size_t l = 0; l < tpl_nlangs(s); l++) {
				reference(s, tpl_lang(s, l), u[i].key, &text, &urls);
				sbuf_addf(&out, "%s\"%s\": ", l ? ", " : "", tpl_lang(s, l));
				json_add_string(&out, text.buf);
			}
			sbuf_addstr(&out, "}, \"urls\": ");
			json_lines(&out, urls.buf);
			sbuf_addstr(&out, ", \"quoted\": {");
			for (size_t l = 0; l < tpl_nlangs(s); l++) {
				sbuf_addf(&out, "%s\"%s\": ", l ? ", " : "", tpl_lang(s, l));
				json_lines(&out, u[i].quoted[l].buf);
			}
			sbuf_addstr(&out, "}, \"cited_in\": ");
			json_lines(&out, u[i].texts.buf);
			sbuf_addch(&out, '}');
		} else {
			sbuf_addf(&out, "%s%s\n  status: %s\n", first ? "" : "\n",
				  u[i].key, u[i].status);
			for (size_t l = 0; l < tpl_nlangs(s); l++) {
				reference(s, tpl_lang(s, l), u[i].key, &text, &urls);
				sbuf_addf(&out, "  %s: %s\n", tpl_lang(s, l), text.buf);
			}
			for (const char *p = urls.buf; *p;) {
				const char *e = strchr(p, '\n');
				sbuf_addf(&out, "  url: %.*s\n", (int)(e - p), p);
				p = e + 1;
			}
			for (size_t l = 0; l < tpl_nlangs(s); l++)
				for (const char *p = u[i].quoted[l].buf; *p;) {
					const char *e = strchr(p, '\n');
					sbuf_addf(&out, "  quoted (%s): %.*s\n", tpl_lang(s, l),
						  (int)(e - p), p);
					p = e + 1;
				}
			sbuf_addstr(&out, "  cited in:");
			for (const char *p = u[i].texts.buf; *p;) {
				const char *e = strchr(p, '\n');
				sbuf_addf(&out, " %.*s", (int)(e - p), p);
				p = e + 1;
			}
			sbuf_addch(&out, '\n');
		}
		first = 0;
		sbuf_release(&urls);
	}
	if (json)
		sbuf_addstr(&out, first ? "]\n" : "\n]\n");
	fwrite(out.buf, 1, out.len, stdout);
	sbuf_release(&out);
	sbuf_release(&text);
}

int cmd_layouts_sources(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "layouts", required_argument, NULL, 'L' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct diag d = DIAG_INIT;
	char *dir = NULL;
	tpl_set *s;
	struct src_use *u;
	size_t nsrc;
	int c, json = 0;

	optind = 1;
	opterr = 0;
	while ((c = layouts_option(argc, argv, opts, &dir)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "json") || !strcmp(optarg, "text")) {
				json = !strcmp(optarg, "json");
				break;
			}
			fprintf(stderr, "dossier: error: --format: \"%s\" is neither text nor json\n",
				diag_quote(optarg, 40));
			free(dir);
			fputs(usage_sources, stderr);
			return 2;
		case 'h':
			free(dir);
			fputs(usage_sources, stdout);
			return 0;
		default:
			free(dir);
			if (optopt == 'L' || optopt == 'f')
				fprintf(stderr, "dossier: error: %s needs a value\n",
					optopt == 'L' ? "--layouts" : "--format");
			else
				fprintf(stderr, "dossier: error: layouts sources: unknown option \"%s\"\n",
					diag_quote(argv[optind - 1], 40));
			fputs(usage_sources, stderr);
			return 2;
		}
	}
	if (layouts_dir_ready(argc, argv, "layouts sources", usage_sources, &dir) < 0)
		return 2;
	if (!(s = tpl_load(dir, &d))) {
		diag_print(&d, stderr);
		diag_release(&d);
		free(dir);
		return 1;
	}

	/* What every text of every language cites, and what rules.lay lists. */
	nsrc = tpl_nsources(s);
	u = xcalloc(nsrc ? nsrc : 1, sizeof(*u));
	for (size_t i = 0; i < nsrc; i++) {
		u[i].key = tpl_source_key(s, i);
		u[i].status = tpl_source_status(s, i);
		for (size_t l = 0; l < FMT_NLANGS; l++)
			u[i].quoted[l] = (struct sbuf)SBUF_INIT;
		u[i].texts = (struct sbuf)SBUF_INIT;
	}
	for (size_t l = 0; l < tpl_nlangs(s) && l < FMT_NLANGS; l++) {
		struct cite_walk w = { u, nsrc, l };
		tpl_each_cite(s, tpl_lang(s, l), note_cite, &w);
	}
	for (size_t r = 0; r < tpl_nrules(s); r++) {
		size_t nkeys;
		const char *const *keys = tpl_rule_cites(s, tpl_rule_id(s, r), &nkeys);
		for (size_t k = 0; k < nkeys; k++) {
			struct src_use *x = use_of(u, nsrc, keys[k]);
			if (x)
				x->used = 1;
		}
	}
	print_sources(s, u, nsrc, json);

	for (size_t i = 0; i < nsrc; i++) {
		for (size_t l = 0; l < FMT_NLANGS; l++)
			sbuf_release(&u[i].quoted[l]);
		sbuf_release(&u[i].texts);
	}
	free(u);
	diag_print(&d, stderr);
	diag_release(&d);
	tpl_free(s);
	free(dir);
	return 0;
}
