/* fuzz_roster.c: libFuzzer target for the roster reader and validator.
 * The first byte picks the options (encoding, delimiter, field limit); the
 * rest is the file. Every row goes through record_from_row, so the whole
 * path from bytes to checked records is covered. */
#include "record.h"
#include "roster.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void sink_valid(void *arg, const record_schema *s, struct record *rec)
{
	size_t *n = arg;
	(*n)++;
}

static void sink_flush(void *arg, struct diag *d)
{
	diag_clear(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const encs[] = { NULL, "CP1251", "UTF-16", "ARMSCII-8",
					    "KOI8-R", "UTF-8", NULL, NULL };
	static const int delims[] = { 0, ',', ';', '\t' };
	struct roster_opts ro;
	struct record_ctx ctx;
	struct record_sink sink;
	struct record_stats stats;
	struct diag d = DIAG_INIT;
	char path[64];
	size_t nvalid = 0;
	int fd;

	if (size < 1)
		return 0;
	ro.encoding = encs[data[0] & 7];
	ro.delimiter = delims[(data[0] >> 3) & 3];
	ro.max_field = (data[0] & 0x20) ? 64 : 0;
	ctx.fonts = NULL;
	ctx.today.y = 2026;
	ctx.today.m = 11;
	ctx.today.d = 27;

	/* The reader takes a path: give it an in-memory file. */
	fd = memfd_create("roster", 0);
	if (fd < 0)
		return 0;
	if (size > 1 && write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ctx.roster_path = path;
	sink.valid = sink_valid;
	sink.invalid = NULL;
	sink.flush = sink_flush;
	sink.arg = &nvalid;
	record_read_roster(path, &ro, &ctx, &sink, &d, &stats);
	if (stats.valid != nvalid || stats.valid + stats.invalid != stats.rows)
		BUG("record counts disagree");
	diag_release(&d);
	close(fd);
	return 0;
}
