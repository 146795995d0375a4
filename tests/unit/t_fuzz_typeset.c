/* t_fuzz_typeset.c: replays the typesetter's fuzz corpus (seeds and every
 * crash found so far) through the fuzz target, in the plain and sanitizer
 * builds. A crash or sanitizer report fails the run. */
#include "harness.h"
#include "../fuzz/fuzz_typeset.c"
#include "replay.h"

int main(void)
{
	check(replay_dir("tests/fuzz/corpus/typeset") >= 10);
	return check_done();
}
