/* t_record.c: dates, the schema, and the rules of each column. */
#include "harness.h"
#include "record.h"
#include "sbuf.h"
#include "util.h"

#include <stdlib.h>

static void test_dates(void)
{
	struct rdate r, a, b;
	check_int(rdate_parse("2020-02-29", RDATE_DAY, &r), 0);
	check_int(rdate_parse("2021-02-29", RDATE_DAY, &r), -1);
	check_int(rdate_parse("2021-02-30", RDATE_DAY, &r), -1);
	check_int(rdate_parse("1900-02-29", RDATE_DAY, &r), -1);
	check_int(rdate_parse("2000-02-29", RDATE_DAY, &r), 0);
	check_int(rdate_parse("2021-13-01", RDATE_DAY, &r), -1);
	check_int(rdate_parse("2021-04-31", RDATE_DAY, &r), -1);
	check_int(rdate_parse("2021-00-10", RDATE_DAY, &r), -1);
	check_int(rdate_parse("2021-1-10", RDATE_DAY, &r), -1);
	check_int(rdate_parse("21-01-10", RDATE_DAY, &r), -1);
	check_int(rdate_parse("2021/01/10", RDATE_DAY, &r), -1);
	check_int(rdate_parse("2021-01-1x", RDATE_DAY, &r), -1);
	check_int(rdate_parse("2021-01", RDATE_DAY, &r), -1);
	check_int(rdate_parse("2021-01", RDATE_DAY | RDATE_MONTH, &r), 0);
	check(r.y == 2021 && r.m == 1 && r.d == 0);
	check_int(rdate_parse("2021", RDATE_DAY | RDATE_MONTH, &r), -1);
	check_int(rdate_parse("1987", RDATE_DAY | RDATE_YEAR, &r), 0);
	check(r.y == 1987 && r.m == 0);
	check_int(rdate_parse("", RDATE_DAY | RDATE_YEAR, &r), -1);

	rdate_parse("1970-01-01", RDATE_DAY, &a);
	check_int(rdate_days(&a), 0);
	rdate_parse("2020-11-10", RDATE_DAY, &a);
	rdate_parse("2026-11-27", RDATE_DAY, &b);
	check_int(rdate_days(&b) - rdate_days(&a), 2208);
	rdate_parse("2020-12", RDATE_MONTH, &a);
	rdate_parse("2020-12-01", RDATE_DAY, &b);
	check_int(rdate_cmp(&a, &b), 0);
	rdate_parse("2020-11-30", RDATE_DAY, &b);
	check_int(rdate_cmp(&a, &b), 1);

	check_int(rdate_today("2026-11-27", &r), 0);
	check(r.y == 2026 && r.m == 11 && r.d == 27);
	check_int(rdate_today("2026-11-31", &r), -1);
	setenv("SOURCE_DATE_EPOCH", "1605052800", 1); /* 2020-11-11 00:00 UTC */
	check_int(rdate_today(NULL, &r), 0);
	check(r.y == 2020 && r.m == 11 && r.d == 11);
	setenv("SOURCE_DATE_EPOCH", "soon", 1);
	check_int(rdate_today(NULL, &r), -1);
	unsetenv("SOURCE_DATE_EPOCH");
}

/* A row from a comma-separated line without quotes. */
static void make_row(struct roster_row *row, const char *line, long lineno)
{
	const char *p = line;
	long col = 1;
	memset(row, 0, sizeof(*row));
	row->line = lineno;
	for (;;) {
		size_t n = strcspn(p, ",");
		ALLOC_GROW(row->v, row->n + 1, row->alloc);
		row->v[row->n].s = xstrndup(p, n);
		row->v[row->n].len = n;
		row->v[row->n].line = lineno;
		row->v[row->n].col = col;
		row->n++;
		col += (long)utf8_count(p, n) + 1;
		if (!p[n])
			break;
		p += n + 1;
	}
}

static const char header[] =
	"id,category,name_en,name_ru,name_hy,birth_date,detained_on,status,"
	"acknowledged,verdict_date,sentence_years,sources";

/* Validate one data line; return the errors as "col:message;" text. */
static char *validate(const char *line, struct record *rec)
{
	struct roster_row h, row;
	struct diag d = DIAG_INIT;
	struct record_ctx ctx = { "t.csv", { 2026, 11, 27 } };
	struct sbuf out = SBUF_INIT;
	record_schema *s;
	size_t i;

	make_row(&h, header, 1);
	make_row(&row, line, 2);
	s = record_schema_new(&h, "t.csv", &d);
	if (record_from_row(s, &row, &ctx, rec, &d) == 0)
		sbuf_addstr(&out, "OK");
	for (i = 0; i < d.n; i++)
		sbuf_addf(&out, "%s%ld:%s", out.len ? ";" : "", d.v[i].col,
			  d.v[i].msg);
	record_schema_free(s);
	roster_row_release(&h);
	roster_row_release(&row);
	diag_release(&d);
	return sbuf_detach(&out, NULL);
}

static int has(const char *got, const char *want)
{
	if (strstr(got, want))
		return 1;
	fprintf(stderr, "  got: %s\n  want: %s\n", got, want);
	return 0;
}

static void test_rules(void)
{
	struct record rec;
	char *got;

	got = validate("A-1,pow,Aram Test,,,1999,2020-12-13,convicted,yes,2021-07-05,15,https://example.org/a; http://example.org/b", &rec);
	check_str(got, "OK");
	check(rec.category == CAT_POW && rec.status == ST_CONVICTED && rec.ack == ACK_YES);
	check(rec.sentence_years == 15 && !rec.sentence_life);
	check(rec.nsources == 2 && strcmp(rec.sources[1], "http://example.org/b") == 0);
	check(rec.birth.y == 1999 && rec.detained.d == 13);
	free(got);
	record_release(&rec);

	got = validate("A-2,pow,Aram Test,,,,2020-12,convicted,,,life,", &rec);
	check_str(got, "OK");
	check(rec.sentence_life);
	free(got);
	record_release(&rec);

	got = validate("A-3,pow,Aram Test,,,,2020-12-13,convicted,,,0.5,", &rec);
	check_str(got, "OK");
	check(rec.sentence_years == 0.5);
	free(got);
	record_release(&rec);

	/* Each rule, with the column of the cell it is about. */
	got = validate("A 4,pow,X,,,,2020-12-13,held,,,,", &rec);
	check(has(got, "1:id: \"A 4\" is not a valid id"));
	free(got);
	record_release(&rec);
	got = validate("A-5-very-long-id-of-thirty-three-c,pow,X,,,,2020-12-13,held,,,,", &rec);
	check(has(got, "is not a valid id"));
	free(got);
	record_release(&rec);
	got = validate("A-6,POW,X,,,,2020-12-13,held,,,,", &rec);
	check(has(got, "5:category: \"POW\" is not one of pow, civilian, hostage, political or missing"));
	free(got);
	record_release(&rec);
	got = validate("A-7,pow,,,,,2020-12-13,held,,,,", &rec);
	check(has(got, "name_en: a name is required"));
	free(got);
	record_release(&rec);
	got = validate("A-8,pow,X,,,,,held,,,,", &rec);
	check(has(got, "detained_on: is required"));
	free(got);
	record_release(&rec);
	got = validate("A-9,pow,X,,,,2020-12-13,,,,,", &rec);
	check(has(got, "status: is required"));
	free(got);
	record_release(&rec);
	got = validate("A-10,pow,X,,,,2026-11-28,held,,,,", &rec);
	check(has(got, "detained_on: 2026-11-28 is after the report date 2026-11-27"));
	free(got);
	record_release(&rec);
	got = validate("A-11,pow,X,,,,2026-11-27,held,,,,", &rec);
	check_str(got, "OK");
	free(got);
	record_release(&rec);
	got = validate("A-12,pow,X,,,1999-12,2020-12-13,held,,,,", &rec);
	check(has(got, "birth_date: \"1999-12\" is not a date (YYYY-MM-DD or YYYY)"));
	free(got);
	record_release(&rec);
	got = validate("A-13,pow,X,,,,2020-12-13,convicted,,,,", &rec);
	check(has(got, "sentence_years: is required when status is convicted"));
	free(got);
	record_release(&rec);
	got = validate("A-14,pow,X,,,,2020-12-13,convicted,,,-3,", &rec);
	check(has(got, "sentence_years: \"-3\" is not a number of years"));
	free(got);
	record_release(&rec);
	got = validate("A-15,pow,X,,,,2020-12-13,convicted,,,nan,", &rec);
	check(has(got, "is not a number of years"));
	free(got);
	record_release(&rec);
	got = validate("A-16,pow,X,,,,2020-12-13,held,,,5,", &rec);
	check(has(got, "OK;") && has(got, "a sentence is given but status is held"));
	free(got);
	record_release(&rec);
	got = validate("A-17,pow,X,,,,2020-12-13,held,maybe,,,", &rec);
	check(has(got, "acknowledged: \"maybe\" is not one of yes, no or unknown"));
	free(got);
	record_release(&rec);
	got = validate("A-18,pow,X,,,,2020-12-13,held,,,,https://", &rec);
	check(has(got, "sources: \"https://\" is not an http:// or https:// address"));
	free(got);
	record_release(&rec);
	got = validate("A-19,pow,X,,,,2020-12-13,held,,,,javascript:alert(1)", &rec);
	check(has(got, "is not an http:// or https:// address"));
	free(got);
	record_release(&rec);
	got = validate("A-20,pow,X,,,,2020-12-13,held,,2020-12-01,,", &rec);
	check(has(got, "verdict_date: 2020-12-01 is before the detention date 2020-12-13"));
	free(got);
	record_release(&rec);
	got = validate("A-21,pow,X,Ivan,Ivan,,2020-12-13,held,,,,", &rec);
	check(has(got, "OK;") && has(got, "name_ru: \"Ivan\" has no Cyrillic letter") &&
	      has(got, "name_hy: \"Ivan\" has no Armenian letter"));
	free(got);
	record_release(&rec);
	got = validate("A-22,pow,X,,,,2020-12-13,held,,,", &rec);
	check(has(got, "row has 11 fields; the header has 12"));
	free(got);
	record_release(&rec);
	got = validate("A-23,pow,X,,,,2020-12-13,held,,,,,", &rec);
	check_str(got, "OK"); /* a trailing empty field is tolerated */
	free(got);
	record_release(&rec);
	got = validate("A-24,pow,X\x1b[2J,,,,2020-12-13,held,,,,", &rec);
	check(has(got, "name_en: contains the control character U+001B"));
	free(got);
	record_release(&rec);
}

static void test_schema(void)
{
	struct roster_row h;
	struct diag d = DIAG_INIT;
	record_schema *s;

	make_row(&h, "ID,Category,Name_RU,detained_on,status,extra", 1);
	s = record_schema_new(&h, "t.csv", &d);
	check(s != NULL);
	check_int(d.nwarnings, 1);
	check(d.n == 1 && strstr(d.v[0].msg, "unknown column \"extra\""));
	check_int(d.v[0].col, 40);
	record_schema_free(s);
	roster_row_release(&h);
	diag_release(&d);

	make_row(&h, "id,category,status", 1);
	s = record_schema_new(&h, "t.csv", &d);
	check(s == NULL);
	check_int(d.nerrors, 2); /* detained_on, and no name column */
	roster_row_release(&h);
	diag_release(&d);
}

static void test_ids(void)
{
	record_ids *ids = record_ids_new();
	char buf[32];
	int i, dup = 0;
	for (i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "ID-%d", i);
		if (record_ids_add(ids, buf, i + 2))
			dup++;
	}
	check_int(dup, 0);
	check_int(record_ids_add(ids, "ID-4321", 9999), 4323);
	check_int(record_ids_add(ids, "id-4321", 9999), 0); /* ids are case-sensitive */
	record_ids_free(ids);
}

int main(void)
{
	test_dates();
	test_rules();
	test_schema();
	test_ids();
	return check_done();
}
