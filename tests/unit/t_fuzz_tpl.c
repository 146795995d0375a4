/* t_fuzz_tpl.c: replays the layouts fuzz corpus (seeds and every crash
 * found so far) through the fuzz target, in the plain and sanitizer builds.
 * Every input must keep the target's properties (fuzz_tpl.c): a text
 * expanded twice gives the same spans, and the same folder loaded and
 * linted twice the same diagnostics. The seeds also do what their names
 * say: seed-base (the small complete set of tests/golden/layouts-broken/
 * base, which passes the lint there; here, beside the shipped citations,
 * its keys are unknown, which the lint reports but which does not stop
 * the expansion) loads and expands every required text in en, ru and hy,
 * each to "text KEY" as base writes them; seed-syntax is refused with
 * errors.
 * A crash or sanitizer report fails the run. */
#include "harness.h"
#include "../fuzz/fuzz_tpl.c"
#include "replay.h"

static size_t loaded, expanded;

static void one(const char *name, const uint8_t *data, size_t size)
{
	struct fuzz_tpl_stats st;

	fuzz_tpl_one(data, size, &st);
	if (st.differ || st.lint_differs)
		fprintf(stderr, "%s: %zu expansions differ; lint %s\n", name,
			st.differ, st.lint_differs ? "differs" : "the same");
	check_int(st.differ, 0);
	check_int(st.lint_differs, 0);
	/* a folder that does not load says why */
	if (!st.loaded)
		check(st.errors > 0);
	loaded += (size_t)st.loaded;
	expanded += st.expanded;
	if (!strcmp(name, "seed-base")) {
		size_t nreq = 0;
		while (tpl_required_keys[nreq])
			nreq++;
		check(st.loaded);
		check(st.expanded >= 3 * nreq);
		check_str(st.en_title, "text doc.title");
	} else if (!strcmp(name, "seed-syntax")) {
		check(st.errors > 0);
	}
}

int main(void)
{
	check(replay_dir("tests/fuzz/corpus/tpl", one) >= 4);
	/* the properties were tried on texts, not only on refused folders */
	check(loaded >= 1);
	check(expanded >= 100);
	return check_done();
}
