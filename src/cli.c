/* cli.c: subcommands, options, diagnostics printing and exit codes. */
#include "cli.h"
#include "diag.h"
#include "font.h"
#include "json.h"
#include "record.h"
#include "out.h"
#include "proof.h"
#include "protect.h"
#include "render.h"
#include "roster.h"
#include "sbuf.h"
#include "tpl.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_INVALID 1
#define EXIT_USAGE 2
#define MAX_PRINTED 100

static const char usage_main[] =
	"usage: dossier <command> [options]\n"
	"\n"
	"Turns a CSV roster of detained people into printable PDF dossiers in\n"
	"English, Russian and Armenian.\n"
	"\n"
	"commands:\n"
	"  check ROSTER.csv     read and validate a roster; write nothing\n"
	"  render ROSTER.csv    write the briefs, summaries and manifest\n"
	"  proof ROSTER.csv     write a side-by-side proof sheet for translators\n"
	"  layouts check        lint the layout texts of every language\n"
	"  layouts sources      the citations the layouts use, for lawyers\n"
	"\n"
	"  dossier <command> --help   options of a command\n"
	"  dossier --version          version\n"
	"\n"
	"exit status: 0 all records valid or rendered; 1 some records were\n"
	"invalid and left out; 2 usage error or unreadable input.\n";

static const char usage_check[] =
	"usage: dossier check ROSTER.csv [--encoding ENC] [--delimiter C]\n"
	"                     [--format text|json] [--date YYYY-MM-DD]\n"
	"                     [--fonts DIR]\n"
	"\n"
	"Reads and validates a roster as render does and writes nothing.\n"
	"Problems are printed to stderr as\n"
	"file:line:column: error|warning: ID: column: message (ID when the\n"
	"record has a valid one).\n"
	"\n"
	"  --encoding ENC   input encoding: auto (default: UTF-8 with or without\n"
	"                   BOM, UTF-16 with BOM) or any name iconv knows, e.g.\n"
	"                   CP1251, KOI8-R, ARMSCII-8, UTF-16LE\n"
	"  --delimiter C    field delimiter: ',', ';' or 'tab' (default: detected\n"
	"                   from the header line)\n"
	"  --format FMT     text (default): a summary on stdout; json: one JSON\n"
	"                   object per valid record (JSON Lines), every column\n"
	"                   in header order, fields normalized (UTF-8, NFC,\n"
	"                   trimmed)\n"
	"  --date DATE      the report date (default: today, or\n"
	"                   SOURCE_DATE_EPOCH); no date in the roster may be later\n"
	"  --fonts DIR      the font configuration render uses (default: the\n"
	"                   shipped one); a character none of its fonts has is\n"
	"                   an error\n";

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

static const char usage_layouts[] =
	"usage: dossier layouts check [--layouts DIR]\n"
	"       dossier layouts sources [--layouts DIR] [--format text|json]\n"
	"\n"
	"check lints the layout texts of every language against each other;\n"
	"sources lists every citation key they use, with its status, references,\n"
	"addresses and quoted words.\n";

static int usage(FILE *fp, const char *text, int status)
{
	fputs(text, fp);
	return status;
}

/* --- near matches ------------------------------------------------------- */

/* --- options ------------------------------------------------------------ */

/* Say what is wrong with the option getopt_long just refused (opterr is 0,
 * so getopt itself printed nothing): an unknown option with the nearest
 * known one, an ambiguous abbreviation, a value missing or not wanted.
 * Returns EXIT_USAGE. */
int cli_bad_option(const char *cmd, const char *shorts, char **argv,
		   const struct option *opts)
{
	const char *arg = optind > 0 ? argv[optind - 1] : NULL;
	const char *best = NULL;
	size_t bestd = (size_t)-1, n, nprefix = 0;
	const struct option *o, *exact = NULL, *prefix = NULL;
	char name[80];

	if (!arg || strncmp(arg, "--", 2) != 0) {
		const char *sh = optopt && optopt != ':' ? strchr(shorts, optopt) : NULL;
		if (sh && sh[1] == ':')
			fprintf(stderr, "dossier: error: %s: option '-%c' needs a value\n",
				cmd, optopt);
		else if (optopt && isprint(optopt))
			fprintf(stderr, "dossier: error: %s: unknown option '-%c'\n",
				cmd, optopt);
		else
			fprintf(stderr, "dossier: error: %s: unknown option \"%s\"\n",
				cmd, diag_quote(arg ? arg : "", 40));
		fprintf(stderr, "see 'dossier %s --help'\n", cmd);
		return EXIT_USAGE;
	}
	n = strcspn(arg + 2, "=");
	snprintf(name, sizeof(name), "%.*s", (int)(n < 79 ? n : 79), arg + 2);
	for (o = opts; o->name; o++) {
		if (strcmp(o->name, name) == 0)
			exact = o;
		else if (*name && strncmp(o->name, name, strlen(name)) == 0) {
			prefix = o;
			nprefix++;
		}
	}
	if (!exact && nprefix == 1)
		exact = prefix;
	if (exact && exact->has_arg == required_argument && !arg[2 + n])
		fprintf(stderr, "dossier: error: %s: option '--%s' needs a value\n",
			cmd, exact->name);
	else if (exact && exact->has_arg == no_argument && arg[2 + n] == '=')
		fprintf(stderr, "dossier: error: %s: option '--%s' takes no value\n",
			cmd, exact->name);
	else if (!exact && nprefix > 1) {
		fprintf(stderr, "dossier: error: %s: option '%s' is ambiguous; "
			"it could be", cmd, diag_quote(arg, 40));
		for (o = opts; o->name; o++)
			if (strncmp(o->name, name, strlen(name)) == 0)
				fprintf(stderr, " --%s", o->name);
		fputc('\n', stderr);
	} else {
		for (o = opts; o->name; o++) {
			size_t d = edit_distance(name, o->name, near_limit(o->name));
			if (d <= near_limit(o->name) && d < bestd) {
				bestd = d;
				best = o->name;
			}
		}
		if (best)
			fprintf(stderr, "dossier: error: %s: unknown option '--%s'; "
				"did you mean --%s?\n", cmd, diag_quote(name, 40), best);
		else
			fprintf(stderr, "dossier: error: %s: unknown option '--%s'\n",
				cmd, diag_quote(name, 40));
	}
	fprintf(stderr, "see 'dossier %s --help'\n", cmd);
	return EXIT_USAGE;
}

/* Print what the stages collected, up to MAX_PRINTED errors and warnings in
 * all; count the rest. */
struct printer {
	size_t printed, hidden;
};

static void flush_diag(void *arg, struct diag *d)
{
	struct printer *p = arg;
	size_t i;
	for (i = 0; i < d->n; i++) {
		struct diag one = DIAG_INIT;
		if (p->printed >= MAX_PRINTED) {
			p->hidden++;
			continue;
		}
		one.v = &d->v[i];
		one.n = 1;
		diag_print(&one, stderr);
		p->printed++;
	}
	p->hidden += d->ndropped;
	diag_clear(d);
}

static void finish_diag(struct printer *p)
{
	if (p->hidden)
		fprintf(stderr, "dossier: note: %zu more diagnostic%s not shown\n",
			p->hidden, p->hidden == 1 ? "" : "s");
}

static int parse_delimiter(const char *s, int *out)
{
	if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0 || strcmp(s, "\t") == 0)
		*out = '\t';
	else if (strcmp(s, ",") == 0 || strcmp(s, ";") == 0 || strcmp(s, "|") == 0)
		*out = s[0];
	else
		return -1;
	return 0;
}

/* --jobs N: a whole number from 1 to 256, nothing else ("2abc", "", "0",
 * "-1" are refused). */
static int parse_jobs(const char *s, int *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > 256)
		return -1;
	*out = (int)v;
	return 0;
}

/* --- check -------------------------------------------------------------- */

struct check_state {
	struct printer pr;
	int json;
	struct sbuf line;
};

/* One record as a JSON object on one line: every named column of the
 * roster in header order, known ones by their field's name (the old
 * column "court" as court_en, once when both are there), the others by
 * their name as the header writes it. */
static void check_json(struct sbuf *out, const record_schema *s,
		       const struct record *rec)
{
	char *const *names;
	const int *fields;
	size_t i, n = record_schema_columns(s, &names, &fields);
	int first = 1;

	sbuf_addch(out, '{');
	for (i = 0; i < n; i++) {
		if (fields[i] == -2 || fields[i] == -3)
			continue; /* no name, or "court" merged into court_en */
		if (!first)
			sbuf_addch(out, ',');
		first = 0;
		if (fields[i] >= 0) {
			json_add_string(out, record_field_name((enum field)fields[i]));
			sbuf_addch(out, ':');
			json_add_string(out, rec->f[fields[i]]);
		} else {
			json_add_string(out, names[i]);
			sbuf_addch(out, ':');
			json_add_string(out, i < rec->nother && rec->other[i] ?
					rec->other[i] : "");
		}
	}
	sbuf_addstr(out, "}\n");
}

static void check_valid(void *arg, const record_schema *s, struct record *rec)
{
	struct check_state *st = arg;
	if (!st->json)
		return;
	sbuf_reset(&st->line);
	check_json(&st->line, s, rec);
	fwrite(st->line.buf, 1, st->line.len, stdout);
}

static void check_flush(void *arg, struct diag *d)
{
	struct check_state *st = arg;
	flush_diag(&st->pr, d);
}

static int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "encoding", required_argument, NULL, 'e' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "date", required_argument, NULL, 'D' },
		{ "fonts", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct roster_opts ro = { NULL, 0, 0 };
	struct record_ctx ctx = { .fonts = NULL };
	struct check_state st = { { 0, 0 }, 0, SBUF_INIT };
	struct record_sink sink = { check_valid, NULL, check_flush, &st };
	struct record_stats stats;
	struct diag d = DIAG_INIT;
	const char *date = NULL, *fonts_dir = NULL;
	char *fonts_default = NULL;
	font_set *fonts;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			ro.encoding = optarg;
			break;
		case 'd':
			if (parse_delimiter(optarg, &ro.delimiter) < 0) {
				fprintf(stderr, "dossier: error: --delimiter: \"%s\" is "
					"not one of ',', ';', 'tab', '|'\n",
					diag_quote(optarg, 20));
				return EXIT_USAGE;
			}
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				st.json = 1;
			else if (strcmp(optarg, "text") != 0) {
				fprintf(stderr, "dossier: error: --format: \"%s\" is not "
					"text or json\n", diag_quote(optarg, 20));
				return EXIT_USAGE;
			}
			break;
		case 'D':
			date = optarg;
			break;
		case 'F':
			fonts_dir = optarg;
			break;
		case 'h':
			return usage(stdout, usage_check, 0);
		default:
			return cli_bad_option("check", "h", argv, opts);
		}
	}
	if (argc - optind != 1)
		return usage(stderr, usage_check, EXIT_USAGE);
	if (rdate_today(date, &ctx.today) < 0) {
		fprintf(stderr, "dossier: error: %s\n", date ?
			"--date: not a date (YYYY-MM-DD)" :
			"SOURCE_DATE_EPOCH is not a number of seconds");
		return EXIT_USAGE;
	}
	ctx.roster_path = argv[optind];

	/* The fonts render would use: a character none of them has fails
	 * here as it would there. */
	if (!fonts_dir)
		fonts_dir = fonts_default = cli_data_dir("fonts");
	fonts = font_set_load(fonts_dir, &d);
	free(fonts_default);
	if (!fonts) {
		flush_diag(&st.pr, &d);
		diag_release(&d);
		return EXIT_USAGE;
	}
	ctx.fonts = fonts;

	rc = record_read_roster(ctx.roster_path, &ro, &ctx, &sink, &d, &stats);
	font_set_free(fonts);
	flush_diag(&st.pr, &d);
	finish_diag(&st.pr);
	if (!st.json && rc != 2)
		printf("%s: %zu record%s, %zu valid, %zu left out\n",
		       ctx.roster_path, stats.rows, stats.rows == 1 ? "" : "s",
		       stats.valid, stats.invalid);
	fflush(stdout);
	if (ferror(stdout)) {
		fprintf(stderr, "dossier: error: cannot write the output\n");
		rc = EXIT_USAGE;
	}
	sbuf_release(&st.line);
	diag_release(&d);
	return rc;
}


/* --- render ------------------------------------------------------------- */

/* A shipped data folder (layouts, fonts): beside the binary (a source
 * tree: ./dossier or build/dossier), in PREFIX/share/dossier for an
 * installed binary wherever PREFIX is, else the compiled-in folder. */
char *cli_data_dir(const char *name)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct sbuf p = SBUF_INIT;
	struct stat st;
	static const char *const rel[] = { "/", "/../", "/../share/dossier/" };
	size_t i;

	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		for (i = 0; i < ARRAY_SIZE(rel); i++) {
			sbuf_reset(&p);
			sbuf_addf(&p, "%s%s%s", exe, rel[i], name);
			if (stat(p.buf, &st) == 0 && S_ISDIR(st.st_mode))
				return sbuf_detach(&p, NULL);
		}
	}
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/%s", DOSSIER_DATADIR, name);
	return sbuf_detach(&p, NULL);
}

/* Split a comma-separated list into a NULL-terminated array (caller frees
 * the array and its strings). */
static char **split_list(const char *s, size_t *n)
{
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	while (*s) {
		size_t k = strcspn(s, ",");
		if (k) {
			ALLOC_GROW(v, *n + 2, cap);
			v[(*n)++] = xstrndup(s, k);
			v[*n] = NULL;
		}
		s += k;
		if (*s)
			s++;
	}
	return v;
}

static void free_list(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The options render and proof share. */
struct shared_opts {
	struct roster_opts *ro;
	const char **date;
	enum doc_paper *paper;
	char **layouts, **fonts;
	char ***only;
	size_t *nonly;
};

/* Handle option c if it is a shared one: 1 when handled, 0 when it is not
 * one of them, -1 after printing why its value is wrong. */
static int shared_option(int c, const char *arg, const struct shared_opts *so)
{
	switch (c) {
	case 'D':
		*so->date = arg;
		return 1;
	case 'p':
		if (strcmp(arg, "a4") == 0)
			*so->paper = DOC_A4;
		else if (strcmp(arg, "letter") == 0)
			*so->paper = DOC_LETTER;
		else {
			fprintf(stderr, "dossier: error: --paper: \"%s\" is not a4 "
				"or letter\n", diag_quote(arg, 20));
			return -1;
		}
		return 1;
	case 'L':
		free(*so->layouts);
		*so->layouts = xstrdup(arg);
		return 1;
	case 'F':
		free(*so->fonts);
		*so->fonts = xstrdup(arg);
		return 1;
	case 'e':
		so->ro->encoding = arg;
		return 1;
	case 'd':
		if (parse_delimiter(arg, &so->ro->delimiter) < 0) {
			fprintf(stderr, "dossier: error: --delimiter: \"%s\" is not "
				"one of ',', ';', 'tab', '|'\n", diag_quote(arg, 20));
			return -1;
		}
		return 1;
	case 'O':
		free_list(*so->only, *so->nonly);
		*so->only = split_list(arg, so->nonly);
		return 1;
	}
	return 0;
}

/* --- before anything is written ----------------------------------------- */

/* Print the errors of d (not its warnings); returns how many. */
static size_t print_errors(const struct diag *d)
{
	size_t i, n = 0;
	for (i = 0; i < d->n; i++) {
		struct diag one = DIAG_INIT;
		if (d->v[i].level != DIAG_ERROR)
			continue;
		one.v = &d->v[i];
		one.n = 1;
		diag_print(&one, stderr);
		n++;
	}
	return n;
}

/* The layouts must load and pass the lint's errors before a document is
 * made: a syntax error, an unknown field in a placeholder or a condition,
 * a text missing in a language would otherwise make a brief with a blank
 * field, or none. The proof shows missing texts (marked), so for it they
 * are not errors. Returns 0, or EXIT_USAGE after printing the errors. */
static int layouts_usable(const char *dir, unsigned lint_flags)
{
	struct diag d = DIAG_INIT;
	tpl_set *s = tpl_load(dir, &d);
	size_t n;

	if (s)
		tpl_lint_opts(s, lint_flags, &d);
	n = print_errors(&d);
	if (!s && !n)
		fprintf(stderr, "dossier: error: the layouts in %s cannot be read\n",
			diag_quote(dir, 60));
	if (n)
		fprintf(stderr, "dossier: error: %zu error%s in the layouts; nothing "
			"was written (see 'dossier layouts check --layouts %s')\n",
			n, n == 1 ? "" : "s", dir);
	tpl_free(s);
	diag_release(&d);
	return s && !n ? 0 : EXIT_USAGE;
}

/* The ids of a roster, valid records and those left out. */
struct id_list {
	char **v;
	size_t n, alloc;
};

static void id_add(struct id_list *l, const char *id)
{
	if (!id || !*id)
		return;
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = xstrdup(id);
}

static void ids_valid(void *arg, const record_schema *s, struct record *rec)
{
	id_add(arg, rec->f[F_ID]);
}

static void ids_invalid(void *arg, long line, const char *id, const char *reason)
{
	id_add(arg, id);
}

static void ids_flush(void *arg, struct diag *d)
{
	diag_clear(d);  /* the run itself reports them */
}

/* Every id of --only must be one of the roster: else the run would write
 * a roster's worth of nothing, silently. A near id (another case, one or
 * two letters off) is offered. Returns 0, or EXIT_USAGE after printing.
 * A roster that cannot be read is left for the run to report. */
static int only_known(char **only, size_t nonly, const char *roster,
		      const struct roster_opts *ro, const struct record_ctx *ctx)
{
	struct id_list ids = { NULL, 0, 0 };
	struct record_sink sink = { ids_valid, ids_invalid, ids_flush, &ids };
	struct record_stats stats;
	struct diag d = DIAG_INIT;
	size_t i, k, bad = 0;
	int rc;

	if (!only)
		return 0;
	rc = record_read_roster(roster, ro, ctx, &sink, &d, &stats);
	diag_release(&d);
	for (i = 0; rc != 2 && i < nonly; i++) {
		const char *best = NULL;
		size_t bestd = (size_t)-1, lim = near_limit(only[i]);
		int found = 0;
		/* The nearest: the same letters in another case (distance 0)
		 * first, then the fewest edits, the first in the roster. */
		for (k = 0; k < ids.n && !found; k++) {
			size_t dist;
			if (strcmp(ids.v[k], only[i]) == 0)
				found = 1;
			else if ((dist = edit_distance(only[i], ids.v[k], lim)) <= lim &&
				 dist < bestd) {
				bestd = dist;
				best = ids.v[k];
			}
		}
		if (found)
			continue;
		bad++;
		if (best)
			fprintf(stderr, "dossier: error: --only: no record \"%s\" in %s; "
				"did you mean %s?\n", diag_quote(only[i], 40),
				roster, diag_quote(best, 40));
		else
			fprintf(stderr, "dossier: error: --only: no record \"%s\" in %s\n",
				diag_quote(only[i], 40), roster);
	}
	for (k = 0; k < ids.n; k++)
		free(ids.v[k]);
	free(ids.v);
	return bad ? EXIT_USAGE : 0;
}

static int cmd_render(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "lang", required_argument, NULL, 'l' },
		{ "date", required_argument, NULL, 'D' },
		{ "paper", required_argument, NULL, 'p' },
		{ "layouts", required_argument, NULL, 'L' },
		{ "fonts", required_argument, NULL, 'F' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "delimiter", required_argument, NULL, 'd' },
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
	struct printer pr = { 0, 0 };
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
	struct shared_opts so = { &ro, &date, &o.paper, &layouts, &fonts,
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
			if (parse_jobs(optarg, &o.jobs) < 0) {
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
			free_list(o.only, o.nonly);
			return usage(stdout, usage_render, 0);
		default:
			switch (shared_option(c, optarg, &so)) {
			case 1:
				continue;
			case 0:
				cli_bad_option("render", "ho:", argv, opts);
				break;
			}
			goto usage_error;
		}
	}
	if (argc - optind != 1) {
		usage(stderr, usage_render, EXIT_USAGE);
		goto usage_error;
	}
	langv = split_list(langs, &nlang);
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
	if (rdate_today(date, &ctx.today) < 0) {
		fprintf(stderr, "dossier: error: %s\n", date ?
			"--date: not a date (YYYY-MM-DD)" :
			"SOURCE_DATE_EPOCH is not a number of seconds");
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
			flush_diag(&pr, &d);
			protect_release(&prot);
			diag_release(&d);
			goto usage_error;
		}
		o.protect = &prot;
	}
	ctx.roster_path = argv[optind];
	if (layouts_usable(layouts, 0) ||
	    only_known(o.only, o.nonly, ctx.roster_path, &ro, &ctx)) {
		protect_release(&prot);
		goto usage_error;
	}
	rc = render_run(&o, ctx.roster_path, &ro, &ctx, flush_diag, &pr, &d, &stats);
	protect_release(&prot);
	flush_diag(&pr, &d);
	finish_diag(&pr);
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

	free_list(langv, nlang);
	free_list(o.only, o.nonly);
	free(layouts);
	free(fonts);
	diag_release(&d);
	return rc;

usage_error:
	free_list(langv, nlang);
	free_list(o.only, o.nonly);
	free(layouts);
	free(fonts);
	return EXIT_USAGE;
}

static int cmd_proof(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "only", required_argument, NULL, 'O' },
		{ "date", required_argument, NULL, 'D' },
		{ "paper", required_argument, NULL, 'p' },
		{ "layouts", required_argument, NULL, 'L' },
		{ "fonts", required_argument, NULL, 'F' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct roster_opts ro = { NULL, 0, 0 };
	struct proof_opts o;
	struct printer pr = { 0, 0 };
	struct record_ctx ctx = { .fonts = NULL };
	struct diag d = DIAG_INIT;
	const char *date = NULL;
	char *layouts = NULL, *fonts = NULL;
	int c, rc = EXIT_USAGE;

	memset(&o, 0, sizeof(o));
	o.output = "proof.pdf";
	o.paper = DOC_A4;
	optind = 1;
	struct shared_opts so = { &ro, &date, &o.paper, &layouts, &fonts,
				    &o.only, &o.nonly };
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.output = optarg;
			break;
		case 'h':
			rc = usage(stdout, usage_proof, 0);
			goto done;
		default:
			switch (shared_option(c, optarg, &so)) {
			case 1:
				continue;
			case 0:
				cli_bad_option("proof", "ho:", argv, opts);
				break;
			}
			goto done;
		}
	}
	if (argc - optind != 1) {
		usage(stderr, usage_proof, EXIT_USAGE);
		goto done;
	}
	if (rdate_today(date, &ctx.today) < 0) {
		fprintf(stderr, "dossier: error: %s\n", date ?
			"--date: not a date (YYYY-MM-DD)" :
			"SOURCE_DATE_EPOCH is not a number of seconds");
		goto done;
	}
	o.date = ctx.today;
	o.layouts_dir = layouts ? layouts : (layouts = cli_data_dir("layouts"));
	o.fonts_dir = fonts ? fonts : (fonts = cli_data_dir("fonts"));
	ctx.roster_path = argv[optind];
	if (layouts_usable(o.layouts_dir, TPL_LINT_MISSING_WARNS) ||
	    only_known(o.only, o.nonly, ctx.roster_path, &ro, &ctx)) {
		rc = EXIT_USAGE;
		goto done;
	}
	rc = proof_run(&o, ctx.roster_path, &ro, &ctx, flush_diag, &pr, &d);
	flush_diag(&pr, &d);
	finish_diag(&pr);
	if (rc != 2)
		fprintf(stderr, "dossier: proof written to %s\n", o.output);
done:
	free_list(o.only, o.nonly);
	free(layouts);
	free(fonts);
	diag_release(&d);
	return rc;
}

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static int cmd_layouts(int argc, char **argv)
{
	static const struct cmd sub[] = {
		{ "check", cmd_layouts_check },
		{ "sources", cmd_layouts_sources },
	};
	size_t i;
	if (argc < 2)
		return usage(stderr, usage_layouts, EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return usage(stdout, usage_layouts, 0);
	for (i = 0; i < ARRAY_SIZE(sub); i++)
		if (strcmp(argv[1], sub[i].name) == 0)
			return sub[i].fn(argc - 1, argv + 1);
	if (edit_distance(argv[1], "check", 2) <= 2)
		fprintf(stderr, "dossier: error: unknown layouts command \"%s\"; "
			"did you mean check?\n", diag_quote(argv[1], 40));
	else
		fprintf(stderr, "dossier: error: unknown layouts command \"%s\"\n",
			diag_quote(argv[1], 40));
	return usage(stderr, usage_layouts, EXIT_USAGE);
}

int cli_main(int argc, char **argv)
{
	static const struct cmd cmds[] = {
		{ "check", cmd_check },
		{ "render", cmd_render },
		{ "proof", cmd_proof },
		{ "layouts", cmd_layouts },
	};
	size_t i;

	/* Every command says itself what is wrong with an option
	 * (cli_bad_option). */
	opterr = 0;
	if (argc < 2)
		return usage(stderr, usage_main, EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0)
		return usage(stdout, usage_main, 0);
	if (strcmp(argv[1], "--version") == 0) {
		printf("dossier %s\n", DOSSIER_VERSION);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (edit_distance(argv[1], cmds[i].name, 2) <= 2)
			break;
	if (i < ARRAY_SIZE(cmds))
		fprintf(stderr, "dossier: error: unknown command \"%s\"; did you "
			"mean %s?\n\n", diag_quote(argv[1], 40), cmds[i].name);
	else
		fprintf(stderr, "dossier: error: unknown command \"%s\"\n\n",
			diag_quote(argv[1], 40));
	return usage(stderr, usage_main, EXIT_USAGE);
}
