/* main.c: entry point; everything else lives in cli.c. */
#include <stdio.h>
int main(void)
{
	fputs("dossier: not implemented yet\n", stderr);
	return 2;
}
