/* t_fuzz_tpl.c: replays the layouts fuzz corpus (seeds and every crash
 * found so far) through the fuzz target, in the plain and sanitizer builds.
 * A crash or sanitizer report fails the run. */
#include "harness.h"
#include "../fuzz/fuzz_tpl.c"
#include "replay.h"

int main(void)
{
	check(replay_dir("tests/fuzz/corpus/tpl") >= 4);
	return check_done();
}
