/* t_roster.c: the reader, case by case. Each case is input bytes and the
 * rows expected, written as "line:col=text" fields separated by '|' and
 * rows separated by " / ". */
#include "harness.h"
#include "roster.h"
#include "sbuf.h"
#include "util.h"

#include <stdlib.h>
#include <unistd.h>

static char path[64];

static void write_file(const char *data, size_t n)
{
	FILE *fp;
	snprintf(path, sizeof(path), "/tmp/t_roster.%d.csv", (int)getpid());
	fp = fopen(path, "wb");
	fwrite(data, 1, n, fp);
	fclose(fp);
}

/* Read every row; returns the rows as text, or "OPEN-ERROR: msg". */
static char *read_all(const char *data, size_t n, const char *enc, int delim,
		      struct diag *d)
{
	struct roster_opts o = { enc, delim, 0 };
	struct roster_row row = ROSTER_ROW_INIT;
	struct sbuf out = SBUF_INIT;
	roster_reader *r;
	size_t i;
	int rc;

	write_file(data, n);
	r = roster_open(path, &o, d);
	if (!r) {
		sbuf_addf(&out, "OPEN-ERROR %ld:%ld", d->n ? d->v[0].line : -1,
			  d->n ? d->v[0].col : -1);
		unlink(path);
		return sbuf_detach(&out, NULL);
	}
	while ((rc = roster_next(r, &row, d)) > 0) {
		if (out.len)
			sbuf_addstr(&out, " / ");
		if (row.bad)
			sbuf_addstr(&out, "BAD ");
		for (i = 0; i < row.n; i++)
			sbuf_addf(&out, "%s%ld:%ld=%s", i ? "|" : "",
				  row.v[i].line, row.v[i].col, row.v[i].s);
	}
	roster_row_release(&row);
	roster_close(r);
	unlink(path);
	return sbuf_detach(&out, NULL);
}

struct tcase {
	const char *name, *in, *want;
	int delim;
};

static const struct tcase cases[] = {
	{ "LF", "a,b\nc,d\n", "1:1=a|1:3=b / 2:1=c|2:3=d", 0 },
	{ "CRLF", "a,b\r\nc,d\r\n", "1:1=a|1:3=b / 2:1=c|2:3=d", 0 },
	{ "no final newline", "a,b\nc,d", "1:1=a|1:3=b / 2:1=c|2:3=d", 0 },
	{ "quoted comma", "\"a,b\",c\n", "1:1=a,b|1:7=c", 0 },
	{ "doubled quote", "\"a\"\"b\",c\n", "1:1=a\"b|1:8=c", 0 },
	{ "embedded newline", "\"x\ny\",z\nd,e\n", "1:1=x\ny|2:4=z / 3:1=d|3:3=e", 0 },
	{ "embedded CRLF", "\"x\r\ny\",z\r\nd,e\r\n", "1:1=x\r\ny|2:4=z / 3:1=d|3:3=e", 0 },
	{ "empty fields", "a,,c\n,,x\n", "1:1=a|1:3=|1:4=c / 2:1=|2:2=|2:3=x", 0 },
	{ "semicolon detected", "a;b;c,d\n1;2\n", "1:1=a|1:3=b|1:5=c,d / 2:1=1|2:3=2", 0 },
	{ "comma on a tie", "a;b,c\n", "1:1=a;b|1:5=c", 0 },
	{ "tab detected", "a\tb\n1\t2\n", "1:1=a|1:3=b / 2:1=1|2:3=2", 0 },
	{ "forced delimiter", "a;b,c\n", "1:1=a;b|1:5=c", ',' },
	{ "UTF-8 BOM", "\xEF\xBB\xBF" "a,b\n", "1:1=a|1:3=b", 0 },
	{ "trim", "  a  ,  b  \n", "1:1=a|1:7=b", 0 },
	{ "trim NBSP and quoted spaces", "\" a \",\xC2\xA0" "b\xC2\xA0\n", "1:1=a|1:7=b", 0 },
	{ "NFC", "e\xCC\x81,x\n", "1:1=\xC3\xA9|1:4=x", 0 },
	{ "columns in characters", "\xD4\xB1\xD6\x80\xD5\xA1\xD5\xB4,b\n", "1:1=\xD4\xB1\xD6\x80\xD5\xA1\xD5\xB4|1:6=b", 0 },
	{ "blank and delimiter-only lines skipped", "a,b\n\n,\n ,  \nc,d\n", "1:1=a|1:3=b / 5:1=c|5:3=d", 0 },
	{ "unclosed quote", "a,b\n\"c,d\n", "1:1=a|1:3=b / BAD ", 0 },
	{ "text after closing quote", "a,b\n\"c\"x,d\ne,f\n", "1:1=a|1:3=b / BAD  / 3:1=e|3:3=f", 0 },
	{ "field after quoted field with newline", "\"a\n\nb\",\"c\"\n", "1:1=a\n\nb|3:4=c", 0 },
	/* Excel's "CSV (Macintosh)": a lone CR ends each line. */
	{ "CR only", "a,b\rc,d\r", "1:1=a|1:3=b / 2:1=c|2:3=d", 0 },
	{ "CR only, no final CR", "a,b\rc,d\re,f", "1:1=a|1:3=b / 2:1=c|2:3=d / 3:1=e|3:3=f", 0 },
	{ "CR, LF and CRLF mixed", "a\rb\nc\r\nd\r\re\n", "1:1=a / 2:1=b / 3:1=c / 4:1=d / 6:1=e", 0 },
	{ "CR in a quoted field", "\"x\ry\",z\rd,e\r", "1:1=x\ry|2:4=z / 3:1=d|3:3=e", 0 },
	{ "CR-only header detects the delimiter", "a;b\r1;2\r", "1:1=a|1:3=b / 2:1=1|2:3=2", 0 },
};

static void test_cases(void)
{
	size_t i;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct diag d = DIAG_INIT;
		char *got = read_all(cases[i].in, strlen(cases[i].in), NULL,
				     cases[i].delim, &d);
		if (strcmp(got, cases[i].want) != 0)
			fprintf(stderr, "case \"%s\":\n", cases[i].name);
		check_str(got, cases[i].want);
		free(got);
		diag_release(&d);
	}
}

static void test_errors(void)
{
	struct diag d = DIAG_INIT;
	char *got;

	/* Where the first invalid byte is: line 2, after "ab" and one
	 * two-byte character, so column 4. */
	got = read_all("x,y\nab\xC3\xA9\xFF,z\n", 12, NULL, 0, &d);
	check_str(got, "OPEN-ERROR 2:4");
	check(d.n == 1 && strstr(d.v[0].msg, "0xFF") && strstr(d.v[0].msg, "CP1251") &&
	      strstr(d.v[0].msg, "ARMSCII-8"));
	free(got);
	diag_release(&d);

	/* Overlong form and an encoded surrogate are not UTF-8. */
	got = read_all("a,\xC0\xAF\n", 5, NULL, 0, &d);
	check_str(got, "OPEN-ERROR 1:3");
	free(got);
	diag_release(&d);
	got = read_all("a\n\xED\xA0\x80\n", 6, NULL, 0, &d);
	check_str(got, "OPEN-ERROR 2:1");
	free(got);
	diag_release(&d);

	/* A file that ends inside a character. */
	got = read_all("a,\xD5", 3, NULL, 0, &d);
	check_str(got, "OPEN-ERROR 1:3");
	check(d.n == 1 && strstr(d.v[0].msg, "ends inside"));
	free(got);
	diag_release(&d);

	/* NUL bytes: binary junk. */
	got = read_all("a,b\nc,\0d\n", 9, NULL, 0, &d);
	check_str(got, "OPEN-ERROR 2:3");
	check(d.n == 1 && strstr(d.v[0].msg, "NUL"));
	free(got);
	diag_release(&d);

	/* Empty file. */
	got = read_all("", 0, NULL, 0, &d);
	check_str(got, "OPEN-ERROR 0:0");
	check(d.n == 1 && strstr(d.v[0].msg, "empty"));
	free(got);
	diag_release(&d);

	/* Unknown encoding name. */
	got = read_all("a\n", 2, "NO-SUCH-ENCODING", 0, &d);
	check(strncmp(got, "OPEN-ERROR", 10) == 0);
	check(d.n == 1 && strstr(d.v[0].msg, "unknown encoding"));
	free(got);
	diag_release(&d);

	/* A byte CP1251 does not define (0x98). */
	got = read_all("a,\xC0\x98\n", 5, "CP1251", 0, &d);
	check_str(got, "OPEN-ERROR 1:4");
	check(d.n == 1 && strstr(d.v[0].msg, "not valid CP1251"));
	free(got);
	diag_release(&d);
}

static void test_encodings(void)
{
	struct diag d = DIAG_INIT;
	char *got;
	/* "Ашот,Բ" in UTF-16LE with BOM. */
	static const char u16le[] = "\xFF\xFE\x10\x04\x48\x04\x3E\x04\x42\x04,\x00\x32\x05\n\x00";
	static const char u16be[] = "\xFE\xFF\x04\x10\x04\x48\x04\x3E\x04\x42\x00,\x05\x32\x00\n";
	/* "Ашот,x" in CP1251 and KOI8-R. */
	static const char cp1251[] = "\xC0\xF8\xEE\xF2,x\n";
	static const char koi8[] = "\xE1\xDB\xCF\xD4,x\n";
	/* "Արամ,x" in ARMSCII-8. */
	static const char armscii[] = "\xB2\xF1\xB3\xD9,x\n";

	got = read_all(u16le, sizeof(u16le) - 1, NULL, 0, &d);
	check_str(got, "1:1=Ашот|1:6=Բ");
	free(got);
	got = read_all(u16be, sizeof(u16be) - 1, NULL, 0, &d);
	check_str(got, "1:1=Ашот|1:6=Բ");
	free(got);
	got = read_all(cp1251, sizeof(cp1251) - 1, "CP1251", 0, &d);
	check_str(got, "1:1=Ашот|1:6=x");
	free(got);
	got = read_all(koi8, sizeof(koi8) - 1, "KOI8-R", 0, &d);
	check_str(got, "1:1=Ашот|1:6=x");
	free(got);
	got = read_all(armscii, sizeof(armscii) - 1, "ARMSCII-8", 0, &d);
	check_str(got, "1:1=Արամ|1:6=x");
	free(got);
	check_int(d.n, 0);
	diag_release(&d);
}

/* Chunk boundaries: a multi-byte character split across reads must not
 * be taken for an error, and positions stay exact on long inputs. */
static void test_long(void)
{
	struct sbuf in = SBUF_INIT, want = SBUF_INIT;
	struct diag d = DIAG_INIT;
	char *got;
	int i;
	for (i = 1; i <= 3000; i++) {
		sbuf_addf(&in, "Արամ%d,\"x\ny\"\n", i);
		/* The second field starts after "Արամ", the digits and ",". */
		sbuf_addf(&want, "%s%d:1=Արամ%d|%d:%d=x\ny", i > 1 ? " / " : "",
			  2 * i - 1, i, 2 * i - 1,
			  7 + (i >= 10) + (i >= 100) + (i >= 1000));
	}
	got = read_all(in.buf, in.len, NULL, 0, &d);
	check(strcmp(got, want.buf) == 0);
	check_int(d.n, 0);
	free(got);
	sbuf_release(&in);
	sbuf_release(&want);
	diag_release(&d);
}

/* A character that straddles the reader's 64 KiB chunk boundary, at every
 * offset, in 2-, 3- and 4-byte forms: it is not an error, and it arrives. */
static void test_chunk_boundary(void)
{
	static const char *const chars[] = { "\xD4\xB1", "\xE2\x80\x94", "\xF0\x9F\x98\x80" };
	size_t c, off;
	for (c = 0; c < ARRAY_SIZE(chars); c++) {
		size_t clen = strlen(chars[c]);
		for (off = 1; off < clen; off++) {
			struct sbuf in = SBUF_INIT;
			struct diag d = DIAG_INIT;
			char *got, want[64];
			sbuf_addstr(&in, "a\n");
			while (in.len < 65536 - off)
				sbuf_addstr(&in, in.len % 50 == 0 ? "\n" : "x");
			sbuf_addstr(&in, chars[c]);
			sbuf_addstr(&in, "z\nend\n");
			got = read_all(in.buf, in.len, NULL, 0, &d);
			check_int(d.n, 0);
			snprintf(want, sizeof(want), "%sz / ", chars[c]);
			check(strstr(got, want) != NULL);
			free(got);
			sbuf_release(&in);
			diag_release(&d);
		}
	}
}

/* Where a field's value starts, and any character of it, in the file:
 * after blanks, an opening quote and trimmed white space; a doubled
 * quote is two columns; a line break in a quoted field moves down. */
static void test_positions(void)
{
	static const char in[] = "id,x\n1,  \"  a\"\"b\rc\"\n2,  plain \xD5\xA1z\n3,\"\n q\"\n";
	struct roster_opts o = { NULL, 0, 0 };
	struct roster_row row = ROSTER_ROW_INIT;
	struct diag d = DIAG_INIT;
	roster_reader *r;
	long line, col;

	write_file(in, sizeof(in) - 1);
	r = roster_open(path, &o, &d);
	check(r != NULL);
	if (!r)
		return;
	check_int(roster_next(r, &row, &d), 1);          /* header */
	check_int(row.end_line, 1);
	check_int(row.end_col, 5);                       /* its LF */
	check_int(roster_next(r, &row, &d), 1);
	check_str(row.v[1].s, "a\"b\rc");
	check_int(row.v[1].col, 3);                      /* the cell */
	check_int(row.v[1].quoted, 1);
	check_int(row.v[1].vline, 2);
	check_int(row.v[1].vcol, 8);                     /* the "a" */
	roster_field_pos(&row.v[1], 2, &line, &col);     /* the "b" */
	check_int(line, 2);
	check_int(col, 11);
	roster_field_pos(&row.v[1], 4, &line, &col);     /* the "c", after CR */
	check_int(line, 3);
	check_int(col, 1);
	check_int(row.end_line, 3);
	check_int(row.end_col, 3);
	check_int(roster_next(r, &row, &d), 1);
	check_int(row.v[1].quoted, 0);
	check_int(row.v[1].vcol, 5);
	roster_field_pos(&row.v[1], 6, &line, &col);     /* the Armenian letter */
	check_int(line, 4);
	check_int(col, 11);
	roster_field_pos(&row.v[1], 8, &line, &col);     /* the "z" after it */
	check_int(col, 12);
	check_int(roster_next(r, &row, &d), 1);          /* white space trimmed */
	check_str(row.v[1].s, "q");
	check_int(row.v[1].vline, 6);
	check_int(row.v[1].vcol, 2);
	check_int(roster_next(r, &row, &d), 0);
	check_int(d.n, 0);
	roster_row_release(&row);
	roster_close(r);
	unlink(path);
	diag_release(&d);
}

/* A CRLF cut by the 64 KiB chunk boundary is one line end, in both the
 * row positions and the first pass's error positions. */
static void test_crlf_boundary(void)
{
	struct sbuf in = SBUF_INIT;
	struct diag d = DIAG_INIT;
	long lines = 1;
	size_t i;
	char *got, want[64];

	sbuf_addstr(&in, "a\r\n");
	while (in.len < 65535)
		sbuf_addstr(&in, in.len % 40 == 0 ? "\r\n" : "x");
	sbuf_setlen(&in, 65535);
	in.buf[in.len - 1] = 'y';
	sbuf_addstr(&in, "\r\nz\r\n");               /* CR is byte 65535 */
	check_int((long)(in.buf[65535] == '\r'), 1);
	for (i = 0; i < in.len - 3; i++)               /* the line of "z" */
		if (in.buf[i] == '\n')
			lines++;
	got = read_all(in.buf, in.len, NULL, 0, &d);
	snprintf(want, sizeof(want), " / %ld:1=z", lines);
	check(strlen(got) > strlen(want) &&
	      strcmp(got + strlen(got) - strlen(want), want) == 0);
	free(got);
	/* The same with a bad byte there: the first pass counts alike. */
	sbuf_setlen(&in, in.len - 3);
	sbuf_addstr(&in, "\xFF\r\n");
	got = read_all(in.buf, in.len, NULL, 0, &d);
	snprintf(want, sizeof(want), "OPEN-ERROR %ld:1", lines);
	check_str(got, want);
	free(got);
	sbuf_release(&in);
	diag_release(&d);
}

/* Surrogates: a lone UTF-16 one, and one encoded in UTF-8, are named. */
static void test_surrogates(void)
{
	struct diag d = DIAG_INIT;
	char *got;
	/* "a,b\nc,<D83D>d" in UTF-16LE with BOM: a high surrogate and no
	 * low one. */
	static const char hi[] = "\xFF\xFE" "a\0,\0b\0\n\0c\0,\0\x3D\xD8" "d\0\n\0";
	/* The same in UTF-16BE, a low surrogate alone. */
	static const char lo[] = "\xFE\xFF" "\0a\0,\0b\0\n\0c\0,\xDC\x00\0d\0\n";

	got = read_all(hi, sizeof(hi) - 1, NULL, 0, &d);
	check_str(got, "OPEN-ERROR 2:3");
	check(d.n == 1 && strstr(d.v[0].msg, "lone surrogate U+D83D") &&
	      strstr(d.v[0].msg, "UTF-16LE"));
	free(got);
	diag_release(&d);
	got = read_all(lo, sizeof(lo) - 1, NULL, 0, &d);
	check_str(got, "OPEN-ERROR 2:3");
	check(d.n == 1 && strstr(d.v[0].msg, "lone surrogate U+DC00") &&
	      strstr(d.v[0].msg, "low surrogate"));
	free(got);
	diag_release(&d);
	/* Given as --encoding UTF-16LE, without a BOM. */
	got = read_all(hi + 2, sizeof(hi) - 3, "UTF-16LE", 0, &d);
	check_str(got, "OPEN-ERROR 2:3");
	check(d.n == 1 && strstr(d.v[0].msg, "lone surrogate U+D83D"));
	free(got);
	diag_release(&d);
	/* In UTF-8: ED A0 BD is U+D83D on its own. */
	got = read_all("a\nb,\xED\xA0\xBD\n", 9, NULL, 0, &d);
	check_str(got, "OPEN-ERROR 2:3");
	check(d.n == 1 && strstr(d.v[0].msg, "surrogate U+D83D"));
	free(got);
	diag_release(&d);
}

/* UTF-8 read as a single-byte code page: a warning that names
 * --encoding UTF-8; real CP1251, KOI8-R and ARMSCII-8 text gets none. */
static void test_mojibake(void)
{
	struct diag d = DIAG_INIT;
	char *got;
	/* "Тигран Аветисян,Արամ Սարգսյան" in UTF-8. */
	static const char u8[] = "name,other\n"
		"\xD0\xA2\xD0\xB8\xD0\xB3\xD1\x80\xD0\xB0\xD0\xBD "
		"\xD0\x90\xD0\xB2\xD0\xB5\xD1\x82\xD0\xB8\xD1\x81\xD1\x8F\xD0\xBD,"
		"\xD4\xB1\xD6\x80\xD5\xA1\xD5\xB4\n";
	/* Many Russian words in CP1251, KOI8-R, and Armenian in ARMSCII-8. */
	static const char cp1251[] = "name,x\n\xD2\xE8\xE3\xF0\xE0\xED \xC0\xE2\xE5\xF2\xE8\xF1\xFF\xED,"
		"\xEF\xF0\xE8\xE2\xE5\xF2 \xEC\xE8\xF0 \xE4\xEE\xEC \xF1\xE0\xE4 \xB8\xEB\xEA\xE0\n";
	static const char koi8[] = "name,x\n\xF4\xC9\xC7\xD2\xC1\xCE \xE1\xD7\xC5\xD4\xC9\xD3\xD1\xCE,"
		"\xD0\xD2\xC9\xD7\xC5\xD4 \xCD\xC9\xD2 \xC4\xCF\xCD\n";
	static const char armscii[] = "name,x\n\xB2\xF1\xB3\xD9 \xC8\xB3\xF1\xB7\xBD\xFE\xB3\xDC,"
		"\xB2\xF1\xB3\xD9 \xB2\xF1\xB3\xD9 \xC8\xB3\xF1\xB7\xBD\xFE\xB3\xDC\n";

	got = read_all(u8, sizeof(u8) - 1, "CP1251", 0, &d);
	check(strstr(got, "OPEN-ERROR") == NULL);
	check(d.n == 1 && d.v[0].level == DIAG_WARNING && d.v[0].line == 2 &&
	      d.v[0].col == 1 && strstr(d.v[0].msg, "try --encoding UTF-8") &&
	      strstr(d.v[0].msg, "\"\xD0\xA0\xD1\x9E\"") /* "Рў" */);
	free(got);
	diag_release(&d);
	got = read_all(u8, sizeof(u8) - 1, "ISO-8859-1", 0, &d);
	check(d.n == 1 && d.v[0].level == DIAG_WARNING &&
	      strstr(d.v[0].msg, "read as ISO-8859-1"));
	free(got);
	diag_release(&d);
	/* Too few sequences to tell: no warning. */
	got = read_all("a,b\nc,\xD0\xA2\xD0\xB8\n", 11, "CP1251", 0, &d);
	check_int(d.n, 0);
	free(got);
	diag_release(&d);
	got = read_all(cp1251, sizeof(cp1251) - 1, "CP1251", 0, &d);
	check_int(d.n, 0);
	free(got);
	diag_release(&d);
	got = read_all(koi8, sizeof(koi8) - 1, "KOI8-R", 0, &d);
	check_int(d.n, 0);
	free(got);
	diag_release(&d);
	got = read_all(armscii, sizeof(armscii) - 1, "ARMSCII-8", 0, &d);
	check_int(d.n, 0);
	free(got);
	diag_release(&d);
	/* A byte the code page lacks, in a file that reads as UTF-8. */
	got = read_all(u8, sizeof(u8) - 1, "CP1252", 0, &d);
	check(strstr(got, "OPEN-ERROR") != NULL);
	check(d.n == 1 && strstr(d.v[0].msg, "not valid CP1252") &&
	      strstr(d.v[0].msg, "try --encoding UTF-8"));
	free(got);
	diag_release(&d);
}

int main(void)
{
	test_chunk_boundary();
	test_cases();
	test_errors();
	test_encodings();
	test_long();
	test_positions();
	test_crlf_boundary();
	test_surrogates();
	test_mojibake();
	return check_done();
}
