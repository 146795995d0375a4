/* cli.c: the command dispatcher and what the commands share: option
 * errors, diagnostics printing, shared options, the data folders, the
 * checks made before anything is written. The commands themselves are in
 * cmd_check.c, cmd_render.c (render and proof) and cmd_layouts.c. */
#include "cli.h"
#include "cli-private.h"
#include "diag.h"
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

static const char usage_layouts[] =
	"usage: dossier layouts check [--layouts DIR]\n"
	"       dossier layouts sources [--layouts DIR] [--format text|json]\n"
	"\n"
	"check lints the layout texts of every language against each other;\n"
	"sources lists every citation key they use, with its status, references,\n"
	"addresses and quoted words.\n";

int cli_usage(FILE *fp, const char *text, int status)
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

void cli_flush_diag(void *arg, struct diag *d)
{
	struct cli_printer *p = arg;
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

void cli_finish_diag(struct cli_printer *p)
{
	if (p->hidden)
		fprintf(stderr, "dossier: note: %zu more diagnostic%s not shown\n",
			p->hidden, p->hidden == 1 ? "" : "s");
}

int cli_parse_delimiter(const char *s, int *out)
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
int cli_parse_jobs(const char *s, int *out)
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
char **cli_split_list(const char *s, size_t *n)
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

void cli_free_list(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Handle option c if it is a shared one: 1 when handled, 0 when it is not
 * one of them, -1 after printing why its value is wrong. */
int cli_shared_option(int c, const char *arg, const struct cli_shared_opts *so)
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
		if (cli_parse_delimiter(arg, &so->ro->delimiter) < 0) {
			fprintf(stderr, "dossier: error: --delimiter: \"%s\" is not "
				"one of ',', ';', 'tab', '|'\n", diag_quote(arg, 20));
			return -1;
		}
		return 1;
	case 'O':
		cli_free_list(*so->only, *so->nonly);
		*so->only = cli_split_list(arg, so->nonly);
		return 1;
	}
	return 0;
}

int cli_other_option(const char *cmd, const char *shorts, int c,
		     const struct cli_shared_opts *so, char **argv,
		     const struct option *opts)
{
	int r = cli_shared_option(c, optarg, so);
	if (r == 0)
		cli_bad_option(cmd, shorts, argv, opts);
	return r > 0 ? 1 : -1;
}

int cli_today(const char *date, struct rdate *out)
{
	if (rdate_today(date, out) == 0)
		return 0;
	fprintf(stderr, "dossier: error: %s\n", date ?
		"--date: not a date (YYYY-MM-DD)" :
		"SOURCE_DATE_EPOCH is not a number of seconds");
	return -1;
}

/* --- before anything is written ----------------------------------------- */

/* Print the errors of d (not its warnings); returns how many. */
size_t cli_print_errors(const struct diag *d)
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
int cli_layouts_usable(const char *dir, unsigned lint_flags)
{
	struct diag d = DIAG_INIT;
	tpl_set *s = tpl_load(dir, &d);
	size_t n;

	if (s)
		tpl_lint_opts(s, lint_flags, &d);
	n = cli_print_errors(&d);
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
int cli_only_known(char **only, size_t nonly, const char *roster,
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
		return cli_usage(stderr, usage_layouts, EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cli_usage(stdout, usage_layouts, 0);
	for (i = 0; i < ARRAY_SIZE(sub); i++)
		if (strcmp(argv[1], sub[i].name) == 0)
			return sub[i].fn(argc - 1, argv + 1);
	if (edit_distance(argv[1], "check", 2) <= 2)
		fprintf(stderr, "dossier: error: unknown layouts command \"%s\"; "
			"did you mean check?\n", diag_quote(argv[1], 40));
	else
		fprintf(stderr, "dossier: error: unknown layouts command \"%s\"\n",
			diag_quote(argv[1], 40));
	return cli_usage(stderr, usage_layouts, EXIT_USAGE);
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
		return cli_usage(stderr, usage_main, EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0)
		return cli_usage(stdout, usage_main, 0);
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
	return cli_usage(stderr, usage_main, EXIT_USAGE);
}
