/* t_fuzz_roster.c: replays the reader's fuzz corpus (seeds and every crash
 * found so far) through the fuzz target, in the plain and sanitizer builds.
 * A crash or sanitizer report fails the run. */
#include "harness.h"
#include "../fuzz/fuzz_roster.c"
#include "replay.h"

int main(void)
{
	check(replay_dir("tests/fuzz/corpus/roster") >= 5);
	return check_done();
}
