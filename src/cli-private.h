/* cli-private.h: what the command-line files (cli.c, cmd_check.c,
 * cmd_render.c, cmd_layouts.c) share. Only they include it. */
#ifndef DOSSIER_CLI_PRIVATE_H
#define DOSSIER_CLI_PRIVATE_H

#include "diag.h"
#include "doc.h"
#include "record.h"
#include "roster.h"

#include <stddef.h>
#include <stdio.h>

#define EXIT_INVALID 1
#define EXIT_USAGE 2
#define MAX_PRINTED 100

/* Print text to fp and return status. */
int cli_usage(FILE *fp, const char *text, int status);

/* Print what the stages collected, up to MAX_PRINTED errors and warnings in
 * all; count the rest. */
struct cli_printer {
	size_t printed, hidden;
};

/* A diag flush callback (arg: a struct cli_printer): print and clear. */
void cli_flush_diag(void *arg, struct diag *d);
/* Say how many diagnostics were not shown, if any. */
void cli_finish_diag(struct cli_printer *p);

/* --delimiter: ",", ";", "|", "tab"; -1 for anything else. */
int cli_parse_delimiter(const char *s, int *out);
/* --jobs N: a whole number from 1 to 256, nothing else ("2abc", "", "0",
 * "-1" are refused); -1 when refused. */
int cli_parse_jobs(const char *s, int *out);

/* Split a comma-separated list into a NULL-terminated array (caller frees
 * with cli_free_list). */
char **cli_split_list(const char *s, size_t *n);
void cli_free_list(char **v, size_t n);

/* The options render and proof share (cli_shared_option handles them;
 * --only, also shared, stands apart in their tables). The entries of a
 * struct option table, in the order both list them. */
#define CLI_SHARED_OPTIONS \
	{ "date", required_argument, NULL, 'D' }, \
	{ "paper", required_argument, NULL, 'p' }, \
	{ "layouts", required_argument, NULL, 'L' }, \
	{ "fonts", required_argument, NULL, 'F' }, \
	{ "encoding", required_argument, NULL, 'e' }, \
	{ "delimiter", required_argument, NULL, 'd' }

/* Where cli_shared_option puts their values. */
struct cli_shared_opts {
	struct roster_opts *ro;
	const char **date;
	enum doc_paper *paper;
	char **layouts, **fonts;
	char ***only;
	size_t *nonly;
};

/* Handle option c if it is a shared one: 1 when handled, 0 when it is not
 * one of them, -1 after printing why its value is wrong. */
int cli_shared_option(int c, const char *arg, const struct cli_shared_opts *so);

/* The default case of a command's option loop: a shared option (1), or
 * -1 after printing what is wrong with it (a bad value, or an option the
 * command does not know, see cli_bad_option). */
struct option;
int cli_other_option(const char *cmd, const char *shorts, int c,
		     const struct cli_shared_opts *so, char **argv,
		     const struct option *opts);

/* The report date: --date (date, may be NULL), else SOURCE_DATE_EPOCH,
 * else today. 0, or -1 after printing what is wrong. */
int cli_today(const char *date, struct rdate *out);

/* Print the errors of d (not its warnings); returns how many. */
size_t cli_print_errors(const struct diag *d);

/* The layouts in dir must load and pass the lint's errors (lint_flags as
 * for tpl_lint_opts) before anything is written: 0, or EXIT_USAGE after
 * printing the errors. */
int cli_layouts_usable(const char *dir, unsigned lint_flags);

/* Every id of --only must be one of the roster's: 0, or EXIT_USAGE after
 * printing each unknown one with the nearest id. */
int cli_only_known(char **only, size_t nonly, const char *roster,
		   const struct roster_opts *ro, const struct record_ctx *ctx);

/* The commands. */
int cmd_check(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_proof(int argc, char **argv);

#endif
