/* t_fuzz_roster.c: replays the reader's fuzz corpus (seeds and every crash
 * found so far) through the fuzz target, in the plain and sanitizer builds.
 * Every input must keep the target's properties (fuzz_roster.c): every
 * accepted id well-formed, once, and in the input; the accepted records,
 * written back as a clean roster, read again unchanged. The seeds also
 * give what their names promise: the rosters in another encoding (two
 * records each, E-01 and E-02) are read whole, and the bad roster leaves
 * records out. A crash or sanitizer report fails the run. */
#include "harness.h"
#include "../fuzz/fuzz_roster.c"
#include "replay.h"

static size_t seeds, encoded, accepted;

static void one(const char *name, const uint8_t *data, size_t size)
{
	struct fuzz_roster_stats st;

	fuzz_roster_one(data, size, &st);
	if (st.bad_ids || st.reread != st.valid || st.differ)
		fprintf(stderr, "%s: %zu rows, %zu valid, %zu bad ids, %zu read "
			"again, %zu different\n", name, st.rows, st.valid,
			st.bad_ids, st.reread, st.differ);
	check_int(st.rows, st.valid + st.invalid);
	check_int(st.bad_ids, 0);
	check_int(st.reread, st.valid);
	check_int(st.differ, 0);
	accepted += st.valid;
	if (strncmp(name, "seed-", 5))
		return;
	seeds++;
	if (!strncmp(name, "seed-enc-", 9) || !strcmp(name, "seed-cp1251") ||
	    !strcmp(name, "seed-armscii") || !strcmp(name, "seed-utf16")) {
		/* decoded whole: both records accepted, nothing left out */
		encoded++;
		check_int(st.rows, 2);
		check_int(st.valid, 2);
		check_int(st.rc, 0);
	} else if (!strcmp(name, "seed-bad-roster")) {
		/* one valid record at least, and some left out: exit 1 */
		check(st.valid >= 1);
		check(st.invalid >= 10);
		check_int(st.rc, 1);
	} else if (!strcmp(name, "seed-roster")) {
		/* the sample roster: every record valid */
		check(st.valid >= 10);
		check_int(st.invalid, 0);
		check_int(st.rc, 0);
	}
}

int main(void)
{
	check(replay_dir("tests/fuzz/corpus/roster", one) >= 5);
	check(seeds >= 5);
	check_int(encoded, 5);
	/* the properties were tried on records, not only on empty input */
	check(accepted >= 20);
	return check_done();
}
