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
		row->v[row->n].vline = lineno;
		row->v[row->n].vcol = col;
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

/* The fonts records are checked against (NULL: none), and a value for
 * sentence_years (column 11) that may hold a comma. */
static const font_set *check_fonts;
static const char *sentence_value;

/* Validate one data line; return the errors as "col:message;" text. */
static char *validate(const char *line, struct record *rec)
{
	struct roster_row h, row;
	struct diag d = DIAG_INIT;
	struct record_ctx ctx = { "t.csv", { 2026, 11, 27 }, check_fonts };
	struct sbuf out = SBUF_INIT;
	record_schema *s;
	size_t i;

	make_row(&h, header, 1);
	make_row(&row, line, 2);
	if (sentence_value && row.n > 10) {
		free(row.v[10].s);
		row.v[10].s = xstrdup(sentence_value);
		row.v[10].len = strlen(sentence_value);
	}
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
	check(has(got, "5:A-6: category: \"POW\" is not one of pow, civilian, hostage, political or missing"));
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
	check(has(got, "A-22: row has 11 fields; the header has 12"));
	free(got);
	record_release(&rec);
	got = validate("A-22a", &rec);
	check(has(got, "A-22a: row has 1 field; the header has 12"));
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

/* sentence_years: plain decimals or "life", nothing strtod would take
 * besides. */
static void test_sentence(void)
{
	static const struct { const char *v, *want; double years; } cases[] = {
		{ "15", "OK", 15 },
		{ "0.5", "OK", 0.5 },
		{ "0,5", "OK", 0.5 },
		{ "0,125", "OK", 0.125 },
		{ "200", "OK", 200 },
		{ "life", "OK", 0 },
		{ "1e1", "write plain digits", 0 },
		{ "0x10", "write plain digits", 0 },
		{ "1,000", "thousands separator", 0 },
		{ "12,500", "thousands separator", 0 },
		{ "1,5,0", "write plain digits", 0 },
		{ "1.500", "thousands separator", 0 },
		{ "inf", "write plain digits", 0 },
		{ "nan", "write plain digits", 0 },
		{ "infinity", "write plain digits", 0 },
		{ "1 5", "write plain digits", 0 },
		{ "1\xC2\xA0" "5", "write plain digits", 0 },
		{ "-5", "cannot be negative", 0 },
		{ "+5", "write plain digits", 0 },
		{ "0", "more than 0 years", 0 },
		{ "0.0", "more than 0 years", 0 },
		{ ".5", "write plain digits", 0 },
		{ "5.", "write plain digits", 0 },
		{ "1.2.3", "write plain digits", 0 },
		{ "201", "more than 200 years", 0 },
		{ "Life", "write plain digits", 0 },
	};
	size_t i;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct record rec;
		struct sbuf line = SBUF_INIT;
		char *got;
		sbuf_addstr(&line, "S-1,pow,X,,,,2020-12-13,convicted,,,?,");
		sentence_value = cases[i].v;
		got = validate(line.buf, &rec);
		sentence_value = NULL;
		if (!strcmp(cases[i].want, "OK")) {
			check_str(got, "OK");
			check(rec.sentence_years == cases[i].years);
		} else {
			check(has(got, "S-1: sentence_years: \"") &&
			      has(got, "is not a number of years: ") &&
			      has(got, cases[i].want));
		}
		free(got);
		record_release(&rec);
		sbuf_release(&line);
	}
}

/* Characters: controls, invisible and bidirectional format controls,
 * and characters outside the BMP are errors at their own column, named
 * by code point; one error per kind and field, with a count. */
static void test_chars(void)
{
	static const struct { const char *line, *want; } cases[] = {
		/* The name's cell is at column 9. */
		{ "C-1,pow,Ab\xE2\x80\xAE" "cd,,,,2020-12-13,held,,,,",
		  "11:C-1: name_en: contains U+202E RIGHT-TO-LEFT OVERRIDE, an invisible bidirectional control" },
		{ "C-2,pow,\xE2\x81\xA6X\xE2\x81\xA9,,,,2020-12-13,held,,,,",
		  "9:C-2: name_en: contains U+2066 LEFT-TO-RIGHT ISOLATE, an invisible bidirectional control" },
		{ "C-3,pow,X\xE2\x80\x8EY,,,,2020-12-13,held,,,,", "10:C-3: name_en: contains U+200E LEFT-TO-RIGHT MARK" },
		{ "C-4,pow,X,\xD0\x98\xE2\x80\x8F,,,2020-12-13,held,,,,", "12:C-4: name_ru: contains U+200F RIGHT-TO-LEFT MARK" },
		{ "C-5,pow,X\xD8\x9CY,,,,2020-12-13,held,,,,", "10:C-5: name_en: contains U+061C ARABIC LETTER MARK" },
		{ "C-6,pow,Zero\xE2\x80\x8BWidth,,,,2020-12-13,held,,,,",
		  "13:C-6: name_en: contains U+200B ZERO WIDTH SPACE, an invisible format control; delete it" },
		{ "C-7,pow,Ab\xE2\x80\x8D" "c,,,,2020-12-13,held,,,,", "11:C-7: name_en: contains U+200D ZERO WIDTH JOINER" },
		{ "C-8,pow,A\xE2\x81\xA0" "b,,,,2020-12-13,held,,,,", "10:C-8: name_en: contains U+2060 WORD JOINER" },
		{ "C-9,pow,A\xEF\xBB\xBF" "b,,,,2020-12-13,held,,,,", "10:C-9: name_en: contains U+FEFF ZERO WIDTH NO-BREAK SPACE, an invisible format control (a byte order mark inside the text)" },
		{ "C-10,pow,A\xC2\x85" "b,,,,2020-12-13,held,,,,", "11:C-10: name_en: contains the control character U+0085" },
		{ "C-11,pow,A\x7F" "b\x01,,,,2020-12-13,held,,,,", "11:C-11: name_en: contains the control character U+007F (and 1 more in this field)" },
		{ "C-12,pow,A\xF0\x9F\x98\x80,,,,2020-12-13,held,,,,",
		  "11:C-12: name_en: contains U+1F600 '\xF0\x9F\x98\x80' GRINNING FACE, outside the Basic Multilingual Plane" },
		{ "C-13,pow,A\xE2\x80\xA8" "b,,,,2020-12-13,held,,,,", "11:C-13: name_en: contains the control character U+2028 LINE SEPARATOR" },
		/* Line breaks and tabs: only in the long texts (sources here). */
		{ "C-14,pow,A\tb,,,,2020-12-13,held,,,,", "11:C-14: name_en: contains the control character U+0009" },
		{ "C-15,pow,X,,,,2020-12-13,held,,,,https://a.example\nhttps://b.example\thttps://c.example", "OK" },
		/* A ZWNJ between Arabic letters shapes them; the soft hyphen is fine. */
		{ "C-16,pow,X\xC2\xAD" "y \xD9\x85\xE2\x80\x8C\xD9\x8A,,,,2020-12-13,held,,,,", "OK" },
	};
	size_t i;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct record rec;
		char *got = validate(cases[i].line, &rec);
		if (!strcmp(cases[i].want, "OK"))
			check_str(got, "OK");
		else
			check(has(got, cases[i].want) && strncmp(got, "OK", 2) != 0);
		free(got);
		record_release(&rec);
	}
}

/* With the render's fonts: a character none has is an error at its
 * column; the scripts of the rosters are all there. */
static void test_fonts(void)
{
	struct diag d = DIAG_INIT;
	font_set *fs = font_set_load("fonts", &d);
	struct record rec;
	char *got;

	check(fs != NULL);
	if (!fs) {
		diag_release(&d);
		return;
	}
	check_fonts = fs;
	got = validate("G-1,pow,Aram \xC3\x89lise,\xD0\x90\xD1\x80\xD0\xB0\xD0\xBC,"
		       "\xD4\xB1\xD6\x80\xD5\xA1\xD5\xB4 \xC2\xAB\xE2\x80\x94\xC2\xBB \xE2\x84\x96,,"
		       "2020-12-13,held,,,,", &rec);
	check_str(got, "OK");
	free(got);
	record_release(&rec);
	/* CJK and an unassigned Armenian code point; the name is at 9. */
	got = validate("G-2,pow,Li \xE4\xB8\xAD\xE4\xB8\xAD,X\xD4\xB0,,,2020-12-13,held,,,,", &rec);
	check(has(got, "12:G-2: name_en: U+4E2D '\xE4\xB8\xAD' CJK UNIFIED IDEOGRAPH-4E2D is in none "
		  "of the configured fonts, so no document can print it (and 1 more in this field)") &&
	      has(got, "16:G-2: name_ru: U+0530 '\xD4\xB0' is in none of the configured fonts"));
	free(got);
	record_release(&rec);
	check_fonts = NULL;
	font_set_free(fs);
	diag_release(&d);
}

/* The values of unknown columns are kept, by column, for the JSON. */
static void test_other_columns(void)
{
	struct roster_row h, row;
	struct diag d = DIAG_INIT;
	struct record_ctx ctx = { "t.csv", { 2026, 11, 27 }, NULL };
	record_schema *s;
	struct record rec;
	char *const *names;
	const int *fields;

	make_row(&h, "id,nickname,category,name_en,,detained_on,status", 1);
	make_row(&row, "O-1,Nick,pow,X,junk,2020-12-13,held", 2);
	s = record_schema_new(&h, "t.csv", &d);
	check(s != NULL);
	check_int((long)record_schema_columns(s, &names, &fields), 7);
	check_str(names[1], "nickname");
	check_int(fields[1], -1);
	check_int(fields[3], F_NAME_EN);
	check_int(fields[4], -2);
	check_int(record_from_row(s, &row, &ctx, &rec, &d), 0);
	check_int((long)rec.nother, 7);
	check_str(rec.other[1], "Nick");
	check_str(rec.other[4], "junk");
	check(rec.other[0] == NULL);
	record_release(&rec);
	record_schema_free(s);
	roster_row_release(&h);
	roster_row_release(&row);
	diag_release(&d);
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

/* One data line under a header of one's own; errors as validate() gives
 * them ("col:message;..."), "OK" first when the record is valid. */
static char *validate_with(const char *hdr, const char *line, struct record *rec)
{
	struct roster_row h, row;
	struct diag d = DIAG_INIT;
	struct record_ctx ctx = { "t.csv", { 2026, 11, 27 }, NULL };
	struct sbuf out = SBUF_INIT;
	record_schema *s;
	size_t i;

	make_row(&h, hdr, 1);
	make_row(&row, line, 2);
	s = record_schema_new(&h, "t.csv", &d);
	if (!s) {
		sbuf_addstr(&out, "NO SCHEMA");
		memset(rec, 0, sizeof(*rec));
	} else if (record_from_row(s, &row, &ctx, rec, &d) == 0) {
		sbuf_addstr(&out, "OK");
	}
	for (i = 0; i < d.n; i++)
		sbuf_addf(&out, "%s%ld:%s", out.len ? ";" : "", d.v[i].col,
			  d.v[i].msg);
	record_schema_free(s);
	roster_row_release(&h);
	roster_row_release(&row);
	diag_release(&d);
	return sbuf_detach(&out, NULL);
}

/* sex, released_on, died_on: each rule, at the cell, with the id. */
static void test_end_and_sex(void)
{
	static const char hdr[] = "id,category,name_en,detained_on,status,sex,released_on,died_on";
	static const struct { const char *line, *want; } cases[] = {
		{ "E-1,pow,X,2020-12-13,held,f,,", "OK" },
		{ "E-2,pow,X,2020-12-13,held,m,,", "OK" },
		{ "E-3,pow,X,2020-12-13,held,,,", "OK" },
		{ "E-4,pow,X,2020-12-13,held,x,,",
		  "27:E-4: sex: \"x\" is not one of f or m (f female, m male; leave it empty when not known)" },
		{ "E-5,pow,X,2020-12-13,held,F,,", "E-5: sex: \"F\" is not one of f or m" },
		{ "E-6,pow,X,2020-12-13,released,,2021-03-04,", "OK" },
		{ "E-7,pow,X,2020-12-13,released,,2021-03,", "OK" },
		/* The release in the month of the capture is not before it. */
		{ "E-8,pow,X,2020-12-13,released,,2020-12,", "OK" },
		{ "E-9,pow,X,2020-12-13,released,,2020-12-12,",
		  "32:E-9: released_on: 2020-12-12 is before the detention date 2020-12-13" },
		{ "E-10,pow,X,2020-12-13,released,,2020-11,",
		  "E-10: released_on: 2020-11 is before the detention date 2020-12-13" },
		{ "E-11,pow,X,2020-12-13,released,,2026-11-28,",
		  "E-11: released_on: 2026-11-28 is after the report date 2026-11-27" },
		{ "E-12,pow,X,2020-12-13,released,,2021-02-30,",
		  "E-12: released_on: \"2021-02-30\" is not a date (YYYY-MM-DD or YYYY-MM)" },
		{ "E-13,pow,X,2020-12-13,released,,2021,",
		  "E-13: released_on: \"2021\" is not a date (YYYY-MM-DD or YYYY-MM)" },
		{ "E-14,pow,X,2020-12-13,held,,2021-03-04,",
		  "E-14: released_on: a release date is given but status is held; it needs status released (or deceased" },
		{ "E-15,pow,X,2020-12-13,convicted,,2021-03-04,", "status is convicted" },
		{ "E-16,pow,X,2020-12-13,deceased,,,2021-05-06", "OK" },
		{ "E-17,pow,X,2020-12-13,deceased,,2021-03-04,2021-05-06", "OK" },
		{ "E-18,pow,X,2020-12-13,deceased,,2021-03-04,2021-03-04", "OK" },
		{ "E-19,pow,X,2020-12-13,deceased,,,2020-12-01",
		  "34:E-19: died_on: 2020-12-01 is before the detention date 2020-12-13" },
		{ "E-20,pow,X,2020-12-13,deceased,,,2027-01-01",
		  "E-20: died_on: 2027-01-01 is after the report date 2026-11-27" },
		{ "E-21,pow,X,2020-12-13,deceased,,2021-03-04,2021-03-03",
		  "E-21: died_on: 2021-03-03 is before the release date 2021-03-04" },
		{ "E-22,pow,X,2020-12-13,deceased,,2021-03-04,2021-03", "OK" },
		{ "E-23,pow,X,2020-12-13,held,,,2021-03-03",
		  "E-23: died_on: a date of death is given but status is held; it needs status deceased" },
		{ "E-24,pow,X,2020-12-13,released,,2021-03-01,2021-03-03",
		  "E-24: died_on: a date of death is given but status is released" },
		{ "E-25,missing,X,2020-10,missing,,,2021-03-03", "status is missing; it needs status deceased" },
	};
	size_t i;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct record rec;
		char *got = validate_with(hdr, cases[i].line, &rec);
		if (!strcmp(cases[i].want, "OK")) {
			check_str(got, "OK");
		} else {
			check(has(got, cases[i].want));
			check(strncmp(got, "OK", 2) != 0);
		}
		free(got);
		record_release(&rec);
	}

	/* The values the composer works from. */
	{
		struct record rec;
		char *got = validate_with(hdr, "E-30,pow,X,2020-12-13,deceased,f,2021-03,2021-05-06", &rec);
		check_str(got, "OK");
		check_int(rec.sex, SEX_F);
		check(rec.released.y == 2021 && rec.released.m == 3 && rec.released.d == 0);
		check(rec.died.y == 2021 && rec.died.m == 5 && rec.died.d == 6);
		free(got);
		record_release(&rec);
		got = validate_with(hdr, "E-31,pow,X,2020-12-13,held,m,,", &rec);
		check_int(rec.sex, SEX_M);
		check(rec.released.y == 0 && rec.died.y == 0);
		free(got);
		record_release(&rec);
		got = validate_with(hdr, "E-32,pow,X,2020-12-13,held,,,", &rec);
		check_int(rec.sex, SEX_UNKNOWN);
		free(got);
		record_release(&rec);
	}
	check_str(record_sex_name(SEX_F), "f");
	check_str(record_sex_name(SEX_UNKNOWN), "");

	/* Precision: a month is before a day only when all of it is. */
	{
		struct rdate a, b;
		rdate_parse("2020-12", RDATE_MONTH, &a);
		rdate_parse("2020-12-13", RDATE_DAY, &b);
		check(!rdate_before(&a, &b));
		check(!rdate_before(&b, &a));
		rdate_parse("2020-11", RDATE_MONTH, &a);
		check(rdate_before(&a, &b));
		rdate_parse("2021-01-01", RDATE_DAY, &a);
		rdate_parse("2020-12", RDATE_MONTH, &b);
		check(rdate_before(&b, &a));
		check(!rdate_before(&a, &b));
	}
}

/* court_en/_ru/_hy; the old column "court" is read as court_en, and a
 * row that fills both is an error at the old column's cell. */
static void test_court(void)
{
	struct record rec;
	char *got;
	char *const *names;
	const int *fields;
	const enum field *order;
	struct roster_row h;
	struct diag d = DIAG_INIT;
	record_schema *s;
	size_t n;

	check_int(record_field_by_name("court"), -1);
	check_int(record_field_by_name("court_en"), F_COURT_EN);
	check_int(record_field_by_name("court_hy"), F_COURT_HY);

	got = validate_with("id,category,name_en,detained_on,status,court",
			    "K-1,pow,X,2020-12-13,held,Baku Military Court", &rec);
	check_str(got, "OK");
	check_str(rec.f[F_COURT_EN], "Baku Military Court");
	check_int(rec.col[F_COURT_EN], 27);
	free(got);
	record_release(&rec);

	got = validate_with("id,category,name_en,detained_on,status,court_en,court_ru,court_hy",
			    "K-2,pow,X,2020-12-13,held,Baku Military Court,Бакинский военный суд,"
			    "Բաքվի ռազմական դատարան", &rec);
	check_str(got, "OK");
	check_str(rec.f[F_COURT_RU], "Бакинский военный суд");
	check_str(rec.f[F_COURT_HY], "Բաքվի ռազմական դատարան");
	free(got);
	record_release(&rec);

	/* Both columns: fine when a row fills one of them. */
	got = validate_with("id,category,name_en,detained_on,status,court,court_en",
			    "K-3,pow,X,2020-12-13,held,Old Court,", &rec);
	check_str(got, "OK");
	check_str(rec.f[F_COURT_EN], "Old Court");
	free(got);
	record_release(&rec);
	got = validate_with("id,category,name_en,detained_on,status,court,court_en",
			    "K-4,pow,X,2020-12-13,held,,New Court", &rec);
	check_str(got, "OK");
	check_str(rec.f[F_COURT_EN], "New Court");
	free(got);
	record_release(&rec);
	got = validate_with("id,category,name_en,detained_on,status,court,court_en",
			    "K-5,pow,X,2020-12-13,held,Old Court,New Court", &rec);
	check(has(got, "27:K-5: court: both court (\"Old Court\") and court_en "
		  "(\"New Court\") are given; court is the old name of court_en: keep one"));
	check(strncmp(got, "OK", 2) != 0);
	free(got);
	record_release(&rec);
	/* The same text in both is still two columns filled. */
	got = validate_with("id,category,name_en,detained_on,status,court,court_en",
			    "K-6,pow,X,2020-12-13,held,Same,Same", &rec);
	check(has(got, "K-6: court: both court"));
	free(got);
	record_release(&rec);
	/* The old column's characters are checked at their own column. */
	got = validate_with("id,category,name_en,detained_on,status,court",
			    "K-7,pow,X,2020-12-13,held,Ab\xE2\x80\xAE" "cd", &rec);
	check(has(got, "29:K-7: court_en: contains U+202E RIGHT-TO-LEFT OVERRIDE"));
	free(got);
	record_release(&rec);

	/* The JSON's view: "court" alone is court_en; beside court_en it is
	 * merged into it (-3) and listed once. */
	make_row(&h, "id,court,category,name_en,detained_on,status", 1);
	s = record_schema_new(&h, "t.csv", &d);
	check(s != NULL);
	n = record_schema_columns(s, &names, &fields);
	check_int(n, 6);
	check_int(fields[1], F_COURT_EN);
	check_str(names[1], "court");
	n = record_schema_fields(s, &order);
	check_int(n, 6);
	check_int(order[1], F_COURT_EN);
	check(record_schema_has(s, F_COURT_EN));
	check_int(d.n, 0); /* no "unknown column" warning */
	record_schema_free(s);
	roster_row_release(&h);

	make_row(&h, "id,court,category,name_en,detained_on,status,court_en", 1);
	s = record_schema_new(&h, "t.csv", &d);
	check(s != NULL);
	n = record_schema_columns(s, &names, &fields);
	check_int(fields[1], -3);
	check_int(fields[6], F_COURT_EN);
	n = record_schema_fields(s, &order);
	check_int(n, 6);
	check_int(order[5], F_COURT_EN);
	record_schema_free(s);
	roster_row_release(&h);

	make_row(&h, "id,court,category,name_en,detained_on,status,Court", 1);
	s = record_schema_new(&h, "t.csv", &d);
	check(s == NULL);
	check(d.n == 1 && strstr(d.v[0].msg, "column \"court\" appears twice (first as column 2)"));
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
	test_sentence();
	test_chars();
	test_fonts();
	test_other_columns();
	test_schema();
	test_end_and_sex();
	test_court();
	test_ids();
	return check_done();
}
