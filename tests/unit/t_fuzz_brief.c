/* t_fuzz_brief.c: replays the brief fuzz corpus (seeds, edge cases and
 * every crash found so far) through the fuzz target, in the plain and
 * sanitizer builds. A crash or sanitizer report fails the run, and so
 * does any property the target checks (a failure without an error, a
 * PDF that is not whole). Beyond that, every record of a seed-* roster
 * that validation accepts is made in every language, a PDF each, with
 * no error; the edge-* rosters do what their names say; and seed-full's
 * briefs show the person's name. Run from the top of the tree. */
#include "harness.h"
#include "../fuzz/fuzz_brief.c"

#include <dirent.h>

struct expect {
	const char *file;
	size_t valid, made;   /* made: records made in every language */
	int errors;           /* 1: some error expected, 0: none */
	int warnings;         /* 1: some warning expected */
	const char *want;     /* a text in some brief's pages */
};

static const struct expect expects[] = {
	{ "seed-full", 1, 1, 0, 0, "Aram Testyan" },
	{ "seed-values", 2, 2, 0, 0, "Ваан Примеров" },
	{ "seed-long", 1, 1, 0, 0, "Գոռ Երկարատեքստյան" },
	{ "seed-odd", 1, 1, 0, 0, NULL },
	{ "seed-cp1251", 1, 1, 0, 0, "Пётр Вымыслов" },
	{ "seed-hy-letter", 1, 1, 0, 0, "Սարգիս Օրինակյան" },
	/* the photo cut short: a warning, the brief made without it */
	{ "edge-bad-photo", 1, 1, 0, 1, "Cut Photoyan" },
	/* a character no font has: refused when the record is read, as
	 * check refuses it, with an error */
	{ "edge-no-glyph", 0, 0, 1, 0, NULL },
	/* three records left out (with errors: a bad id and date, an
	 * unknown category, convicted without a sentence), one made */
	{ "edge-invalid", 1, 1, 1, 0, "Fine Personyan" },
};

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	struct sbuf sb = SBUF_INIT;
	char buf[4096];
	size_t k;

	if (!fp)
		return NULL;
	while ((k = fread(buf, 1, sizeof(buf), fp)) > 0)
		sbuf_add(&sb, buf, k);
	fclose(fp);
	return (unsigned char *)sbuf_detach(&sb, n);
}

int main(void)
{
	const char *dir = "tests/fuzz/corpus/brief";
	DIR *dp = opendir(dir);
	struct dirent *e;
	size_t files = 0, seeds = 0, expected = 0;

	check(dp != NULL);
	while (dp && (e = readdir(dp))) {
		struct fuzz_brief_stats st;
		const struct expect *x = NULL;
		char path[512];
		unsigned char *buf;
		size_t n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		buf = slurp(path, &n);
		check(buf != NULL);
		if (!buf)
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(expects); i++)
			if (!strcmp(expects[i].file, e->d_name))
				x = &expects[i];
		memset(&st, 0, sizeof(st));
		st.want = x ? x->want : NULL;
		fuzz_brief_one(buf, n, &st);
		free(buf);
		files++;
		if (!strncmp(e->d_name, "seed-", 5)) {
			/* every valid record made, in every language, a PDF
			 * each (seeds have at most BRIEF_MAX_RECORDS) */
			seeds++;
			check(st.valid >= 1);
			check_int(st.made, st.valid);
			check_int(st.pdfs, st.briefs);
			check(st.briefs >= 3 * st.valid);
			check_int(st.errors, 0);
		}
		if (x) {
			expected++;
			if (st.valid != x->valid || st.made != x->made ||
			    (st.errors > 0) != x->errors ||
			    (x->warnings && !st.warnings) || (x->want && !st.found))
				fprintf(stderr, "%s: %zu valid, %zu made, %zu briefs, "
					"%zu PDFs, %zu errors, %zu warnings, %s\n",
					e->d_name, st.valid, st.made, st.briefs,
					st.pdfs, st.errors, st.warnings,
					x->want ? (st.found ? "found" : "not found") : "");
			check_int(st.valid, x->valid);
			check_int(st.made, x->made);
			check_int(st.errors > 0, x->errors);
			if (x->warnings)
				check(st.warnings > 0);
			if (x->want)
				check(st.found);
		}
	}
	if (dp)
		closedir(dp);
	check(seeds >= 5);
	check_int(expected, ARRAY_SIZE(expects));
	check(files >= expected);
	return check_done();
}
