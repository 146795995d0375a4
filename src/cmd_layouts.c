/* cmd_layouts.c: `dossier layouts check [--layouts DIR]`, the lint of the
 * layout texts for translators and lawyers. It loads a layouts folder
 * (tpl_load: syntax), compares the languages (tpl_lint: texts, variants,
 * placeholders, citations, fields and values), prints every finding in
 * compiler form to stderr and a one-line summary to stdout.
 *
 * Exit status: 0 no error (warnings allowed), 1 errors in the layouts,
 * 2 a usage error or a folder that cannot be read. */
#include "cli.h"
#include "diag.h"
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
	struct stat st;
	tpl_set *s;
	size_t ntexts = 0, nlangs = 0;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'L':
			free(dir);
			dir = xstrdup(optarg);
			break;
		case 'h':
			free(dir);
			return usage(stdout, 0);
		default:
			free(dir);
			return cli_bad_option("layouts check", "h", argv, opts);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dossier: error: layouts check: unexpected \"%s\"\n",
			diag_quote(argv[optind], 40));
		free(dir);
		return usage(stderr, 2);
	}
	if (!dir)
		dir = cli_data_dir("layouts");

	/* A folder that is not there is unreadable input, not a finding. */
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		struct diag_loc at = { dir, 0, 0 };
		int err = stat(dir, &st) != 0 ? errno : 0;
		diag_error(&d, at, "cannot read the layouts folder: %s",
			   err ? strerror(err) : "not a folder");
		diag_print(&d, stderr);
		diag_release(&d);
		free(dir);
		return 2;
	}

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
