/* record-read.c: a whole roster, row by row, into checked records: the
 * set of ids seen (duplicates are errors) and the sink that gets each valid
 * or invalid record. */
#include "record.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- ids ---------------------------------------------------------------- */

int record_id_in(char *const *ids, size_t n, const char *id)
{
	size_t i;
	if (!ids)
		return 1;
	for (i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return 1;
	return 0;
}

struct id_slot {
	char *id;
	long line;
};

struct record_ids {
	struct id_slot *v;
	size_t n, cap;   /* cap is a power of two */
};

record_ids *record_ids_new(void)
{
	record_ids *ids = xcalloc(1, sizeof(*ids));
	ids->cap = 1024;
	ids->v = xcalloc(ids->cap, sizeof(*ids->v));
	return ids;
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void ids_insert(struct id_slot *v, size_t cap, char *id, long line)
{
	size_t i = hash(id) & (cap - 1);
	while (v[i].id)
		i = (i + 1) & (cap - 1);
	v[i].id = id;
	v[i].line = line;
}

long record_ids_add(record_ids *ids, const char *id, long line)
{
	size_t i = hash(id) & (ids->cap - 1);
	while (ids->v[i].id) {
		if (strcmp(ids->v[i].id, id) == 0)
			return ids->v[i].line;
		i = (i + 1) & (ids->cap - 1);
	}
	if (2 * (ids->n + 1) > ids->cap) {
		size_t j, ncap = ids->cap * 2;
		struct id_slot *nv = xcalloc(ncap, sizeof(*nv));
		for (j = 0; j < ids->cap; j++)
			if (ids->v[j].id)
				ids_insert(nv, ncap, ids->v[j].id, ids->v[j].line);
		free(ids->v);
		ids->v = nv;
		ids->cap = ncap;
	}
	ids_insert(ids->v, ids->cap, xstrdup(id), line);
	ids->n++;
	return 0;
}

void record_ids_free(record_ids *ids)
{
	size_t i;
	if (!ids)
		return;
	for (i = 0; i < ids->cap; i++)
		free(ids->v[i].id);
	free(ids->v);
	free(ids);
}

/* --- a whole roster ----------------------------------------------------- */

int record_read_roster(const char *path, const struct roster_opts *ro,
		       const struct record_ctx *ctx,
		       const struct record_sink *sink, struct diag *d,
		       struct record_stats *stats)
{
	roster_reader *r;
	struct roster_row row = ROSTER_ROW_INIT;
	record_schema *schema = NULL;
	record_ids *ids = NULL;
	int rc, result = 0;

	memset(stats, 0, sizeof(*stats));
	r = roster_open(path, ro, d);
	if (!r)
		return 2;
	rc = roster_next(r, &row, d);
	if (rc <= 0) {
		if (rc == 0)
			diag_error(d, (struct diag_loc){ path, 0, 0 },
				   "the file has no header row");
		result = 2;
		goto out;
	}
	if (row.bad || !(schema = record_schema_new(&row, path, d))) {
		result = 2;
		goto out;
	}
	if (sink->flush)
		sink->flush(sink->arg, d);
	ids = record_ids_new();

	for (;;) {
		struct record rec;
		size_t first = d->n;
		size_t errs = d->nerrors;
		int ok;

		if ((rc = roster_next(r, &row, d)) <= 0)
			break;
		ok = record_from_row(schema, &row, ctx, &rec, d) == 0;

		stats->rows++;
		if (ok && *rec.f[F_ID]) {
			long prev = record_ids_add(ids, rec.f[F_ID], rec.line[F_ID]);
			if (prev) {
				diag_error(d, (struct diag_loc){ path, rec.line[F_ID],
					   rec.col[F_ID] }, "id: \"%s\" is already "
					   "used on line %ld", diag_quote(rec.f[F_ID], 40),
					   prev);
				ok = 0;
			}
		}
		if (ok) {
			stats->valid++;
			sink->valid(sink->arg, schema, &rec);
		} else {
			const char *reason = "";
			size_t i;
			stats->invalid++;
			/* The first error of this row, whether kept or not. */
			for (i = first; i < d->n; i++)
				if (d->v[i].level == DIAG_ERROR) {
					reason = d->v[i].msg;
					break;
				}
			if (!*reason && d->nerrors == errs)
				reason = "invalid row";
			if (sink->invalid)
				sink->invalid(sink->arg, row.line, rec.f[F_ID], reason);
			result = 1;
		}
		record_release(&rec);
		if (sink->flush)
			sink->flush(sink->arg, d);
	}
	if (rc < 0)
		result = 2;
	else if (stats->rows == 0)
		diag_warning(d, (struct diag_loc){ path, 0, 0 },
			     "the roster has a header but no records");
out:
	if (sink->flush)
		sink->flush(sink->arg, d);
	roster_row_release(&row);
	record_ids_free(ids);
	record_schema_free(schema);
	roster_close(r);
	return result;
}
