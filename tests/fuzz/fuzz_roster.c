/* fuzz_roster.c: libFuzzer target for the roster reader and validator.
 * The first byte picks the options (encoding, delimiter, field limit); the
 * rest is the file. Every row goes through record_from_row, so the whole
 * path from bytes to checked records is covered.
 *
 * Properties, beyond not crashing: the counts agree (rows = valid +
 * invalid); every accepted record's id is a well-formed id (1 to 32 of
 * [A-Za-z0-9_-]), none twice, and it is in the input (an ASCII id stays
 * ASCII in every encoding the reader takes; in UTF-16 its bytes are
 * apart by NULs, which the search skips); and a re-parse gives the same
 * records: the accepted records, written back as a clean UTF-8 roster
 * (their known columns, every value quoted), are all accepted again with
 * the same values, dates and enumerations. A violation aborts, which
 * libFuzzer reports as a crash; fuzz_roster_one gives the replay test
 * (tests/unit/t_fuzz_roster.c) the counts. */
#include "record.h"
#include "roster.h"
#include "sbuf.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* What one input gave, for the replay test. */
struct fuzz_roster_stats {
	size_t rows, valid, invalid;
	size_t bad_ids;     /* accepted ids malformed, repeated or not in the input */
	size_t reread;      /* records accepted again from the clean roster */
	size_t differ;      /* of those, records that came back different */
	int rc;             /* record_read_roster's result */
};

/* The accepted records of one reading, moved out of the reader. */
struct fz_records {
	struct record *v;
	size_t n, alloc;
	enum field fields[F_COUNT];  /* the first reading's known columns */
	size_t nfields;
	const struct fz_records *want;  /* the re-read: compare with these */
	size_t differ;
};

static int fz_same_date(const struct rdate *a, const struct rdate *b)
{
	return a->y == b->y && a->m == b->m && a->d == b->d;
}

static int fz_same_record(const struct record *a, const struct record *b)
{
	for (size_t f = 0; f < F_COUNT; f++)
		if (strcmp(a->f[f], b->f[f]))
			return 0;
	return a->category == b->category && a->status == b->status &&
	       a->ack == b->ack && a->sex == b->sex &&
	       fz_same_date(&a->birth, &b->birth) &&
	       fz_same_date(&a->detained, &b->detained) &&
	       fz_same_date(&a->verdict, &b->verdict) &&
	       fz_same_date(&a->released, &b->released) &&
	       fz_same_date(&a->died, &b->died) &&
	       a->sentence_life == b->sentence_life &&
	       a->sentence_years == b->sentence_years &&
	       a->nsources == b->nsources;
}

static void sink_valid(void *arg, const record_schema *s, struct record *rec)
{
	struct fz_records *r = arg;

	if (!r->want && !r->n) {
		const enum field *f;
		r->nfields = record_schema_fields(s, &f);
		if (r->nfields > F_COUNT)
			BUG("%zu known columns", r->nfields);
		memcpy(r->fields, f, r->nfields * sizeof(*f));
	}
	if (r->want && (r->n >= r->want->n || !fz_same_record(&r->want->v[r->n], rec)))
		r->differ++;
	ALLOC_GROW(r->v, r->n + 1, r->alloc);
	r->v[r->n++] = *rec;
	memset(rec, 0, sizeof(*rec));
}

static void sink_flush(void *arg, struct diag *d)
{
	diag_clear(d);
}

static void fz_records_release(struct fz_records *r)
{
	for (size_t i = 0; i < r->n; i++)
		record_release(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* Whether id is a well-formed record id found in data, NUL bytes skipped. */
static int fz_id_in_input(const char *id, const uint8_t *data, size_t size)
{
	size_t n = strlen(id);

	if (n < 1 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= 'a' && id[i] <= 'z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '_' || id[i] == '-'))
			return 0;
	for (size_t i = 0; i < size; i++) {
		size_t j = i, k = 0;
		while (j < size && k < n) {
			if (data[j] == 0) {
				j++;
				continue;
			}
			if (data[j] != (uint8_t)id[k])
				break;
			j++;
			k++;
		}
		if (k == n)
			return 1;
	}
	return 0;
}

/* Read the roster in fd (its bytes already written) into recs. */
static int fz_read(int fd, const struct roster_opts *ro, struct fz_records *recs,
		   struct record_stats *stats)
{
	struct record_ctx ctx;
	struct record_sink sink;
	struct diag d = DIAG_INIT;
	char path[64];
	int rc;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ctx.fonts = NULL;
	ctx.today.y = 2026;
	ctx.today.m = 11;
	ctx.today.d = 27;
	ctx.roster_path = path;
	sink.valid = sink_valid;
	sink.invalid = NULL;
	sink.flush = sink_flush;
	sink.arg = recs;
	memset(stats, 0, sizeof(*stats));
	rc = record_read_roster(path, ro, &ctx, &sink, &d, stats);
	diag_release(&d);
	return rc;
}

/* The accepted records as a clean roster: a header of their known
 * columns, every value quoted (quotes doubled), LF line ends. */
static void fz_write_clean(const struct fz_records *r, struct sbuf *out)
{
	for (size_t i = 0; i < r->nfields; i++)
		sbuf_addf(out, "%s%s", i ? "," : "", record_field_name(r->fields[i]));
	sbuf_addch(out, '\n');
	for (size_t k = 0; k < r->n; k++) {
		for (size_t i = 0; i < r->nfields; i++) {
			const char *v = r->v[k].f[r->fields[i]];
			sbuf_addstr(out, i ? ",\"" : "\"");
			for (; *v; v++) {
				if (*v == '"')
					sbuf_addch(out, '"');
				sbuf_addch(out, *v);
			}
			sbuf_addch(out, '"');
		}
		sbuf_addch(out, '\n');
	}
}

/* Run one input; st gets the counts. */
static void fuzz_roster_one(const uint8_t *data, size_t size,
			    struct fuzz_roster_stats *st)
{
	static const char *const encs[] = { NULL, "CP1251", "UTF-16", "ARMSCII-8",
					    "KOI8-R", "UTF-8", NULL, NULL };
	static const int delims[] = { 0, ',', ';', '\t' };
	struct roster_opts ro, clean_ro = { NULL, 0, 0 };
	struct fz_records first = { 0 }, again = { 0 };
	struct record_stats stats;
	struct sbuf clean = SBUF_INIT;
	int fd;

	memset(st, 0, sizeof(*st));
	if (size < 1)
		return;
	ro.encoding = encs[data[0] & 7];
	ro.delimiter = delims[(data[0] >> 3) & 3];
	ro.max_field = (data[0] & 0x20) ? 64 : 0;

	/* The reader takes a path: give it an in-memory file. */
	fd = memfd_create("roster", 0);
	if (fd < 0)
		return;
	if (size > 1 && write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(fd);
		return;
	}
	st->rc = fz_read(fd, &ro, &first, &stats);
	close(fd);
	st->rows = stats.rows;
	st->valid = stats.valid;
	st->invalid = stats.invalid;
	if (stats.valid != first.n || stats.valid + stats.invalid != stats.rows)
		BUG("record counts disagree");

	for (size_t i = 0; i < first.n; i++) {
		int ok = fz_id_in_input(first.v[i].f[F_ID], data + 1, size - 1);
		for (size_t j = 0; ok && j < i; j++)
			if (!strcmp(first.v[i].f[F_ID], first.v[j].f[F_ID]))
				ok = 0;
		if (!ok)
			st->bad_ids++;
	}

	/* The re-parse: the accepted records, written back cleanly. */
	if (first.n) {
		fz_write_clean(&first, &clean);
		again.want = &first;
		fd = memfd_create("clean", 0);
		if (fd >= 0) {
			if (write(fd, clean.buf, clean.len) == (ssize_t)clean.len) {
				fz_read(fd, &clean_ro, &again, &stats);
				st->reread = again.n;
				st->differ = again.differ;
			}
			close(fd);
		}
	}
	sbuf_release(&clean);
	fz_records_release(&again);
	fz_records_release(&first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_roster_stats st;

	fuzz_roster_one(data, size, &st);
	if (st.bad_ids)
		BUG("an accepted id is malformed, repeated or not in the input");
	if (st.reread != st.valid || st.differ)
		BUG("the accepted records, written back, read as %zu of %zu "
		    "(%zu different)", st.reread, st.valid, st.differ);
	return 0;
}
