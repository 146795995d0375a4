/* cli.c */
typedef int cli_placeholder;
