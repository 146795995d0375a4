/* cmd_render.c: `dossier render` and `dossier proof`: their options,
 * the checks before anything is written, then the run. */
#include "cli.h"
#include "cli-private.h"
#include "proof.h"
#include "protect.h"
#include "render.h"
#include "tpl.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_render[] =
	"usage: dossier render ROSTER.csv [-o OUTDIR] [--lang en,ru,hy]\n"
	"                      [--date YYYY-MM-DD] [--paper a4|letter]\n"
	"                      [--layouts DIR] [--encoding ENC] [--delimiter C]\n"
	"                      [--jobs N] [--only ID[,ID...]] [--binder]\n"
	"                      [--fonts DIR] [--force] [--quiet] [--strict]\n"
	"                      [--password-file FILE] [--prune]\n"
	"                      [--left-out-appendix]\n"
	"\n"
	"Writes OUTDIR/<lang>/briefs/<id>-<slug>.pdf for every valid record and\n"
	"language, OUTDIR/<lang>/summary.pdf, and OUTDIR/manifest.json (every\n"
	"file written, with its SHA-256, record, language and page count, and\n"
	"the records left out with their line and reason). When records are\n"
	"left out, OUTDIR/left-out.txt lists each one for the staff: its roster\n"
	"line, id and reason, and every message about it; the summaries, which\n"
	"go to recipients, do not mention them.\n"
	"The layouts are checked first: with errors (see 'dossier layouts\n"
	"check') nothing is written.\n"
	"\n"
	"  -o, --output DIR  output folder (default: out)\n"
	"  --lang LIST       languages, comma-separated (default: en,ru,hy);\n"
	"                    xx is a pseudo-locale: the English texts about 40%\n"
	"                    longer, in accented letters, to find what overflows\n"
	"  --date DATE       the \"as of\" date, YYYY-MM-DD (default: today, or\n"
	"                    SOURCE_DATE_EPOCH); the same inputs and date give\n"
	"                    byte-identical files\n"
	"  --paper SIZE      a4 (default) or letter\n"
	"  --layouts DIR     the texts of the briefs (default: the shipped ones)\n"
	"  --fonts DIR       the font configuration (default: the shipped one)\n"
	"  --encoding ENC, --delimiter C   as for check\n"
	"  --only IDS        render only these records (comma-separated ids);\n"
	"                    an id the roster lacks is an error\n"
	"  --jobs N          render with N threads, 1 to 256 (default: the\n"
	"                    number of cores); the output does not depend on N\n"
	"  --force           render every brief, even those whose inputs have\n"
	"                    not changed since the last run (see manifest.json)\n"
	"  --quiet           no progress and no summary line on stderr\n"
	"  --strict          text that does not fit its box (cut, shrunk or\n"
	"                    wrapped beyond it) is an error, not a warning\n"
	"  --password-file F encrypt every PDF (AES-256): the first line of F is\n"
	"                    the password that opens them, an optional second\n"
	"                    line the owner password; readers may print, not\n"
	"                    copy or change (see README: what this protects)\n"
	"  --binder          also write OUTDIR/<lang>/binder.pdf: a print book of\n"
	"                    cover, contents, summary and every brief, each\n"
	"                    brief on a right-hand page (for duplex printing)\n"
	"  --prune           remove the files of the last runs that are outside\n"
	"                    this one's selection (other languages; with --only,\n"
	"                    other records), and say which; without it they are\n"
	"                    kept and stay in the manifest\n"
	"  --left-out-appendix  for internal use: the summaries (and binders)\n"
	"                    end with an appendix listing the records left out,\n"
	"                    marked as for internal use, and count them among\n"
	"                    the key figures\n"
	"\n"
	"One run at a time may use an output folder; a second one exits with 2.\n";

static const char usage_proof[] =
	"usage: dossier proof ROSTER.csv [-o FILE.pdf] [--only ID[,ID...]]\n"
	"                     [--date YYYY-MM-DD] [--paper a4|letter]\n"
	"                     [--layouts DIR] [--fonts DIR] [--encoding ENC]\n"
	"                     [--delimiter C]\n"
	"\n"
	"Writes one landscape PDF for translators (default: proof.pdf): a first\n"
	"page with the records left out (line, id, reason), the findings of the\n"
	"layout check and, per language, the counts of fallback texts,\n"
	"transliterated names and texts that do not fit; then each record's\n"
	"brief, one row per layout text, in three columns en | ru | hy. Each\n"
	"kind of problem has its mark, explained on\n"
	"the first page: [F] a fallback text (shown in another language),\n"
	"[T] a transliterated name, [O] a text that does not fit, [M] a text\n"
	"this language lacks, [U] a text nothing uses (listed on page one).\n"
	"\n"
	"Layouts with errors are refused before anything is written, as for\n"
	"render, except texts missing in a language: those are marked.\n";


int cmd_render(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "lang", required_argument, NULL, 'l' },
		CLI_SHARED_OPTIONS,
		{ "jobs", required_argument, NULL, 'j' },
		{ "only", required_argument, NULL, 'O' },
		{ "binder", no_argument, NULL, 'b' },
		{ "force", no_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "password-file", required_argument, NULL, 'P' },
		{ "prune", no_argument, NULL, 'R' },
		{ "left-out-appendix", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct roster_opts ro = { NULL, 0, 0 };
	struct render_opts o;
	struct render_stats stats;
	struct cli_printer pr = { 0, 0 };
	struct record_ctx ctx = { .fonts = NULL };
	struct diag d = DIAG_INIT;
	const char *date = NULL, *langs = "en,ru,hy";
	char *layouts = NULL, *fonts = NULL, **langv = NULL;
	const char *password_file = NULL;
	struct protect prot = { NULL, NULL };
	size_t nlang = 0, i, k;
	int c, rc, quiet = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	memset(&o, 0, sizeof(o));
	o.outdir = "out";
	o.paper = DOC_A4;
	o.jobs = ncpu > 0 ? (int)(ncpu > 64 ? 64 : ncpu) : 1;
	optind = 1;
	struct cli_shared_opts so = { &ro, &date, &o.paper, &layouts, &fonts,
				    &o.only, &o.nonly };
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.outdir = optarg;
			break;
		case 'l':
			langs = optarg;
			break;
		case 'j':
			if (cli_parse_jobs(optarg, &o.jobs) < 0) {
				fprintf(stderr, "dossier: error: --jobs: \"%s\" is not a "
					"whole number from 1 to 256\n", diag_quote(optarg, 20));
				goto usage_error;
			}
			break;
		case 'b':
			o.binder = 1;
			break;
		case 'f':
			o.force = 1;
			break;
		case 's':
			o.strict = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'P':
			password_file = optarg;
			break;
		case 'R':
			o.prune = 1;
			break;
		case 'A':
			o.left_out_appendix = 1;
			break;
		case 'h':
			free(layouts);
			free(fonts);
			cli_free_list(o.only, o.nonly);
			return cli_usage(stdout, usage_render, 0);
		default:
			if (cli_other_option("render", "ho:", c, &so, argv, opts) > 0)
				continue;
			goto usage_error;
		}
	}
	if (argc - optind != 1) {
		cli_usage(stderr, usage_render, EXIT_USAGE);
		goto usage_error;
	}
	langv = cli_split_list(langs, &nlang);
	if (nlang == 0 || nlang > ARRAY_SIZE(o.langs)) {
		fprintf(stderr, "dossier: error: --lang: give one or more of en, ru, hy\n");
		goto usage_error;
	}
	for (i = 0; i < nlang; i++) {
		/* xx: the pseudo-locale, English lengthened and accented, to
		 * see where a longer translation would not fit. */
		if (strcmp(langv[i], "en") && strcmp(langv[i], "ru") &&
		    strcmp(langv[i], "hy") && strcmp(langv[i], "xx")) {
			fprintf(stderr, "dossier: error: --lang: \"%s\" is not one of "
				"en, ru, hy (or xx, the pseudo-locale)\n",
				diag_quote(langv[i], 20));
			goto usage_error;
		}
		/* --lang en,en: each language once */
		for (k = 0; k < o.nlangs; k++)
			if (strcmp(o.langs[k], langv[i]) == 0)
				break;
		if (k == o.nlangs)
			o.langs[o.nlangs++] = langv[i];
	}
	if (cli_today(date, &ctx.today) < 0) {
		goto usage_error;
	}
	o.date = ctx.today;
	if (!layouts)
		layouts = cli_data_dir("layouts");
	if (!fonts)
		fonts = cli_data_dir("fonts");
	o.layouts_dir = layouts;
	o.fonts_dir = fonts;
	o.progress = !quiet && isatty(2);

	if (password_file) {
		if (protect_load(&prot, password_file, &d) < 0) {
			cli_flush_diag(&pr, &d);
			protect_release(&prot);
			diag_release(&d);
			goto usage_error;
		}
		o.protect = &prot;
	}
	ctx.roster_path = argv[optind];
	if (cli_layouts_usable(layouts, 0) ||
	    cli_only_known(o.only, o.nonly, ctx.roster_path, &ro, &ctx)) {
		protect_release(&prot);
		goto usage_error;
	}
	rc = render_run(&o, ctx.roster_path, &ro, &ctx, cli_flush_diag, &pr, &d, &stats);
	protect_release(&prot);
	cli_flush_diag(&pr, &d);
	cli_finish_diag(&pr);
	if (!quiet && rc != 2)
		fprintf(stderr, "dossier: %zu record%s rendered in %zu language%s "
			"(%zu brief%s written, %zu up to date, %zu failed), "
			"%zu left out%s%s%s; %zu file%s changed on disk, %zu removed; "
			"manifest: %s/manifest.json\n",
			stats.records, stats.records == 1 ? "" : "s", o.nlangs,
			o.nlangs == 1 ? "" : "s", stats.written,
			stats.written == 1 ? "" : "s", stats.reused, stats.failed,
			stats.left_out, stats.left_out ? " (see " : "",
			stats.left_out ? o.outdir : "",
			stats.left_out ? "/left-out.txt)" : "", stats.changed, stats.changed == 1 ? "" : "s",
			stats.removed, o.outdir);

	cli_free_list(langv, nlang);
	cli_free_list(o.only, o.nonly);
	free(layouts);
	free(fonts);
	diag_release(&d);
	return rc;

usage_error:
	cli_free_list(langv, nlang);
	cli_free_list(o.only, o.nonly);
	free(layouts);
	free(fonts);
	return EXIT_USAGE;
}

int cmd_proof(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "only", required_argument, NULL, 'O' },
		CLI_SHARED_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct roster_opts ro = { NULL, 0, 0 };
	struct proof_opts o;
	struct cli_printer pr = { 0, 0 };
	struct record_ctx ctx = { .fonts = NULL };
	struct diag d = DIAG_INIT;
	const char *date = NULL;
	char *layouts = NULL, *fonts = NULL;
	int c, rc = EXIT_USAGE;

	memset(&o, 0, sizeof(o));
	o.output = "proof.pdf";
	o.paper = DOC_A4;
	optind = 1;
	struct cli_shared_opts so = { &ro, &date, &o.paper, &layouts, &fonts,
				    &o.only, &o.nonly };
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.output = optarg;
			break;
		case 'h':
			rc = cli_usage(stdout, usage_proof, 0);
			goto done;
		default:
			if (cli_other_option("proof", "ho:", c, &so, argv, opts) > 0)
				continue;
			goto done;
		}
	}
	if (argc - optind != 1) {
		cli_usage(stderr, usage_proof, EXIT_USAGE);
		goto done;
	}
	if (cli_today(date, &ctx.today) < 0) {
		goto done;
	}
	o.date = ctx.today;
	o.layouts_dir = layouts ? layouts : (layouts = cli_data_dir("layouts"));
	o.fonts_dir = fonts ? fonts : (fonts = cli_data_dir("fonts"));
	ctx.roster_path = argv[optind];
	if (cli_layouts_usable(o.layouts_dir, TPL_LINT_MISSING_WARNS) ||
	    cli_only_known(o.only, o.nonly, ctx.roster_path, &ro, &ctx)) {
		rc = EXIT_USAGE;
		goto done;
	}
	rc = proof_run(&o, ctx.roster_path, &ro, &ctx, cli_flush_diag, &pr, &d);
	cli_flush_diag(&pr, &d);
	cli_finish_diag(&pr);
	if (rc != 2)
		fprintf(stderr, "dossier: proof written to %s\n", o.output);
done:
	cli_free_list(o.only, o.nonly);
	free(layouts);
	free(fonts);
	diag_release(&d);
	return rc;
}
