/* t_fuzz_typeset.c: replays the typesetter's fuzz corpus (seeds and every
 * crash found so far) through the fuzz target, in the plain and sanitizer
 * builds. Every input must keep the target's properties (fuzz_typeset.c):
 * the streamed pages are typeset_run's, byte for byte in the PDF; a
 * typeset document has a page at least; and every text box holds text it
 * was given. The seeds also do what their names say: the paragraphs in
 * each script are set, their words in the boxes; invalid UTF-8 is refused
 * with an error, not drawn. A crash or sanitizer report fails the run. */
#include "harness.h"
#include "../fuzz/fuzz_typeset.c"
#include "replay.h"

static size_t typeset, compared;

static void one(const char *name, const uint8_t *data, size_t size)
{
	struct fuzz_typeset_stats st;

	fuzz_typeset_one(data, size, &st);
	if (st.strays)
		fprintf(stderr, "%s: %zu of %zu text boxes not in the texts "
			"given, the first \"%s\"\n", name, st.strays,
			st.compared, st.stray);
	check_int(st.strays, 0);
	if (st.typeset)
		check(st.pages >= 1);
	check(st.compared <= st.texts);
	typeset += (size_t)st.typeset;
	compared += st.compared;
	if (!strncmp(name, "para-", 5)) {
		check(st.typeset);
		check(st.compared >= 3);
	} else if (!strcmp(name, "invalid-utf8")) {
		check(!st.typeset);
		check_int(st.texts, 0);
	}
}

int main(void)
{
	check(replay_dir("tests/fuzz/corpus/typeset", one) >= 10);
	/* the properties were tried on documents, not only on refusals */
	check(typeset >= 10);
	check(compared >= 50);
	return check_done();
}
