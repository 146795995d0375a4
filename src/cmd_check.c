/* cmd_check.c: `dossier check`: read and validate a roster, print the
 * diagnostics, optionally every valid record as JSON lines; write nothing. */
#include "cli.h"
#include "cli-private.h"
#include "json.h"
#include "sbuf.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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


struct check_state {
	struct cli_printer pr;
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
	cli_flush_diag(&st->pr, d);
}

int cmd_check(int argc, char **argv)
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
			if (cli_parse_delimiter(optarg, &ro.delimiter) < 0) {
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
			return cli_usage(stdout, usage_check, 0);
		default:
			return cli_bad_option("check", "h", argv, opts);
		}
	}
	if (argc - optind != 1)
		return cli_usage(stderr, usage_check, EXIT_USAGE);
	if (cli_today(date, &ctx.today) < 0) {
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
		cli_flush_diag(&st.pr, &d);
		diag_release(&d);
		return EXIT_USAGE;
	}
	ctx.fonts = fonts;

	rc = record_read_roster(ctx.roster_path, &ro, &ctx, &sink, &d, &stats);
	font_set_free(fonts);
	cli_flush_diag(&st.pr, &d);
	cli_finish_diag(&st.pr);
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

