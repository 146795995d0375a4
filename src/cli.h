/* cli.h: the command line. Only this layer prints and decides exit codes:
 * 0 all records done (or valid), 1 some records left out, 2 usage error or
 * unreadable input. */
#ifndef DOSSIER_CLI_H
#define DOSSIER_CLI_H

int cli_main(int argc, char **argv);

/* A shipped data folder ("layouts", "fonts"): beside the binary in a
 * source tree, else PREFIX/share/dossier/NAME. Caller frees. */
char *cli_data_dir(const char *name);

/* After getopt_long (with opterr 0, short options shorts) refused an
 * option of command cmd:
 * print what was wrong ("unknown option '--bindr'; did you mean
 * --binder?", a value missing, an ambiguous abbreviation) to stderr and
 * return 2. */
struct option;
int cli_bad_option(const char *cmd, const char *shorts, char **argv,
		   const struct option *opts);

/* `dossier layouts check [--layouts DIR]` (cmd_layouts.c). */
int cmd_layouts_check(int argc, char **argv);
int cmd_layouts_sources(int argc, char **argv);

#endif
