/* t_manifest.c: reading a manifest back (manifest_load, with jansson): the
 * entries of one a run wrote, and no trust in one that is cut short, not
 * JSON, of another shape, or with entries of the wrong types. */
#include "harness.h"
#include "manifest.h"
#include "sbuf.h"
#include "util.h"

#include <stdlib.h>
#include <unistd.h>

static char path[64];

static const char *SHA_A = "00f580788ba05a14c938deee76d9909023d8198b3e2164269e7276c9f1bf51a6";
static const char *SHA_B = "9a3a8482cc2aae716dd343d8bab8642f4a965aaa98afbbf32a9da3346bbfe557";

static int put(const char *text, size_t n)
{
	FILE *fp = fopen(path, "wb");
	int ok = fp && fwrite(text, 1, n, fp) == n;
	if (fp && fclose(fp) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

/* Load text as a manifest: the result, the entries in *f (freed at the
 * next call), their number and the entries left out. */
static struct manifest_file *f;
static size_t nf, skipped;

static int load_n(const char *text, size_t n)
{
	manifest_files_free(f, nf);
	f = NULL;
	nf = 0;
	if (put(text, n) < 0)
		return -2;
	return manifest_load(path, &f, &nf, &skipped);
}

static int load(const char *text)
{
	return load_n(text, strlen(text));
}

/* One entry as the run writes it, with field replaced by value when
 * field is not NULL (value NULL: the field left out). */
static void entry(struct sbuf *sb, const char *p, const char *field,
		  const char *value)
{
	const char *names[] = { "path", "sha256", "bytes", "record", "lang", "pages", "input" };
	char pv[1100];
	const char *values[7];
	int first = 1;

	snprintf(pv, sizeof(pv), "\"%s\"", p);
	values[0] = pv;
	values[1] = "\"00f580788ba05a14c938deee76d9909023d8198b3e2164269e7276c9f1bf51a6\"";
	values[2] = "32126";
	values[3] = "\"F-001\"";
	values[4] = "\"en\"";
	values[5] = "6";
	values[6] = "\"9a3a8482cc2aae716dd343d8bab8642f4a965aaa98afbbf32a9da3346bbfe557\"";
	sbuf_addch(sb, '{');
	for (int i = 0; i < 7; i++) {
		const char *v = values[i];
		if (field && !strcmp(field, names[i]))
			v = value;
		if (!v)
			continue;
		sbuf_addf(sb, "%s\"%s\": %s", first ? "" : ", ", names[i], v);
		first = 0;
	}
	sbuf_addch(sb, '}');
}

/* A manifest of two good entries around one whose field is value. */
static int load_with(const char *field, const char *value)
{
	struct sbuf sb = SBUF_INIT;
	int rc;
	sbuf_addstr(&sb, "{\"files\": [\n    ");
	entry(&sb, "en/briefs/F-001-a.pdf", NULL, NULL);
	sbuf_addstr(&sb, ",\n    ");
	entry(&sb, "en/briefs/F-002-b.pdf", field, value);
	sbuf_addstr(&sb, ",\n    ");
	entry(&sb, "ru/briefs/F-001-a.pdf", NULL, NULL);
	sbuf_addstr(&sb, "\n  ], \"left_out\": []}\n");
	rc = load(sb.buf);
	sbuf_release(&sb);
	return rc;
}

static const struct manifest_file *get(const char *p)
{
	for (size_t i = 0; i < nf; i++)
		if (!strcmp(f[i].path, p))
			return &f[i];
	return NULL;
}

static const char GOOD[] =
	"{\n"
	"  \"generator\": \"dossier 0.1.0\",\n"
	"  \"date\": \"2026-11-27\",\n"
	"  \"files\": [\n"
	"    {\"path\": \"left-out.txt\", \"sha256\": \"00f580788ba05a14c938deee76d9909023d8198b3e2164269e7276c9f1bf51a6\", \"bytes\": 410, \"record\": null, \"lang\": \"en\", \"pages\": null, \"input\": \"00f580788ba05a14c938deee76d9909023d8198b3e2164269e7276c9f1bf51a6\"},\n"
	"    {\"path\": \"en/summary.pdf\", \"sha256\": \"00f580788ba05a14c938deee76d9909023d8198b3e2164269e7276c9f1bf51a6\", \"bytes\": 32126, \"record\": null, \"lang\": \"en\", \"pages\": 6, \"input\": \"9a3a8482cc2aae716dd343d8bab8642f4a965aaa98afbbf32a9da3346bbfe557\"},\n"
	"    {\"path\": \"en/briefs/F-001-tigran-avetisyan.pdf\", \"sha256\": \"9a3a8482cc2aae716dd343d8bab8642f4a965aaa98afbbf32a9da3346bbfe557\", \"bytes\": 51234, \"record\": \"F-001\", \"lang\": \"en\", \"pages\": 3, \"input\": \"00f580788ba05a14c938deee76d9909023d8198b3e2164269e7276c9f1bf51a6\"}\n"
	"  ],\n"
	"  \"left_out\": [\n"
	"    {\"line\": 23, \"record\": \"F-099\", \"reason\": \"no name\"}\n"
	"  ]\n"
	"}\n";

static int digest_is(const unsigned char d[32], const char *hex)
{
	char h[65];
	for (int i = 0; i < 32; i++)
		snprintf(h + 2 * i, 3, "%02x", d[i]);
	return !strcmp(h, hex);
}

int main(void)
{
	const struct manifest_file *e;
	struct sbuf sb = SBUF_INIT;
	size_t len = strlen(GOOD), i, bad;
	int fd;

	snprintf(path, sizeof(path), "/tmp/t_manifest.XXXXXX");
	fd = mkstemp(path);
	check(fd >= 0);
	close(fd);

	/* --- a manifest as the run writes it ----------------------------- */
	check_int(load(GOOD), 0);
	check_int(nf, 3);
	check_int(skipped, 0);
	/* sorted by path */
	check_str(f[0].path, "en/briefs/F-001-tigran-avetisyan.pdf");
	check_str(f[1].path, "en/summary.pdf");
	check_str(f[2].path, "left-out.txt");
	e = get("en/briefs/F-001-tigran-avetisyan.pdf");
	check(e && digest_is(e->sha, SHA_B) && digest_is(e->input, SHA_A));
	check(e && e->size == 51234 && e->pages == 3);
	check(e && !strcmp(e->record, "F-001") && !strcmp(e->lang, "en"));
	check(e && !e->kept && !e->carry);
	e = get("en/summary.pdf");
	check(e && e->record[0] == '\0' && e->pages == 6 && e->size == 32126);
	e = get("left-out.txt");
	check(e && e->pages == -1 && e->size == 410);

	/* A real parser: escapes, another layout, fields in another order,
	 * keys it does not know. */
	check_int(load("{\"files\":[{\"input\":\"9a3a8482cc2aae716dd343d8bab8642f4a965aaa98afbbf32a9da3346bbfe557\","
		       "\"pages\":2,\"lang\":\"r\\u0075\",\"record\":\"F-\\u0030\\u00301\",\"bytes\":7,"
		       "\"more\":{\"a\":[1,2.5,true,null]},"
		       "\"sha256\":\"00f580788ba05a14c938deee76d9909023d8198b3e2164269e7276c9f1bf51a6\","
		       "\"path\":\"ru\\/briefs\\/F-001-x.pdf\"}],\"n\":12,\"t\":true}"), 0);
	check_int(nf, 1);
	e = get("ru/briefs/F-001-x.pdf");
	check(e && !strcmp(e->record, "F-001") && !strcmp(e->lang, "ru") && e->size == 7);
	check_int(load("{\"files\": []}"), 0);
	check_int(nf, 0);

	/* No file: nothing to read. */
	unlink(path);
	manifest_files_free(f, nf);
	check_int(manifest_load(path, &f, &nf, &skipped), 1);
	check(f == NULL && nf == 0);

	/* --- cut short: every prefix is refused, whole ------------------- */
	bad = 0;
	for (i = 0; i < len - 1; i++)
		if (load_n(GOOD, i) != -1 || nf != 0 || f != NULL)
			bad++;
	check_int(bad, 0);
	/* only the last newline may go */
	check_int(load_n(GOOD, len - 1), 0);
	check_int(nf, 3);

	/* --- not JSON, or not a manifest --------------------------------- */
	check_int(load(""), -1);
	check_int(load("not json at all\n"), -1);
	check_int(load_n("\x89PNG\r\n\x1a\n\0\0\0", 11), -1);
	check_int(load("[]"), -1);
	check_int(load("{}"), -1);
	check_int(load("{\"files\": {}}"), -1);
	check_int(load("{\"files\": null}"), -1);
	check_int(load("{\"files\": [], \"files\": []}"), -1);
	check_int(load("{\"files\": [],}"), -1);
	check_int(load("{\"files\": [1,]}"), -1);
	check_int(load("{\"files\": [] \"date\": 1}"), -1);
	check_int(load("{\"files\": []} {}"), -1);
	check_int(load("{\"files\": []}x"), -1);
	check_int(load("{files: []}"), -1);
	check_int(nf, 0);
	/* the whole text is JSON, or nothing is trusted */
	check_int(load_with("bytes", "32126,"), -1);
	check_int(load_with("lang", "\"en"), -1);
	check_int(load_with("pages", "0x10"), -1);
	check_int(load_with("record", "'F-002'"), -1);
	check_int(load_with("path", "\"en/briefs/F-002-b.pdf\", \"path\": \"en/briefs/F-002-b.pdf\""), -1);
	check_int(nf, 0);

	/* --- entries of another shape: left out, the others kept ---------- */
	{
		static const char *const wrong[][2] = {
			{ "bytes", "\"32126\"" },  { "bytes", "-1" },
			{ "bytes", "3.5" },        { "bytes", NULL },
			{ "pages", "\"6\"" },      { "pages", "null" },
			{ "pages", "true" },       { "pages", NULL },
			{ "sha256", "\"00f580788ba05a14c938deee76d9909023d8198b3e2164269e7276c9f1bf51a\"" },
			{ "sha256", "\"00F580788BA05A14C938DEEE76D9909023D8198B3E2164269E7276C9F1BF51A6\"" },
			{ "sha256", "\"00f580788ba05a14c938deee76d9909023d8198b3e2164269e7276c9f1bf51a6aa\"" },
			{ "sha256", "[]" },        { "input", "null" },
			{ "input", NULL },         { "record", "7" },
			{ "record", "\"F-00000000000000000000000000000000000002\"" },
			{ "record", NULL },        { "lang", "\"en-GB-oed\"" },
			{ "lang", "{}" },          { "lang", NULL },
			{ "path", "\"../../etc/passwd\"" },
			{ "path", "\"/etc/briefs/x.pdf\"" },
			{ "path", "\"en/other.pdf\"" },
			{ "path", "\"en/briefs/../../x.pdf\"" },
			{ "path", "42" },          { "path", NULL },
		};
		bad = 0;
		for (i = 0; i < ARRAY_SIZE(wrong); i++)
			if (load_with(wrong[i][0], wrong[i][1]) != 0 || nf != 2 ||
			    skipped != 1 || get("en/briefs/F-002-b.pdf") ||
			    !get("en/briefs/F-001-a.pdf") || !get("ru/briefs/F-001-a.pdf")) {
				fprintf(stderr, "entry with %s: %s: trusted\n", wrong[i][0],
					wrong[i][1] ? wrong[i][1] : "(left out)");
				bad++;
			}
		check_int(bad, 0);
	}
	/* and a good one, through the same path */
	check_int(load_with("record", "\"F-002\""), 0);
	check_int(nf, 3);
	check(get("en/briefs/F-002-b.pdf") != NULL);
	/* entries that are not objects */
	check_int(load("{\"files\": [1, \"x\", null, [], true]}"), 0);
	check_int(nf, 0);
	check_int(skipped, 5);

	/* --- long lines ---------------------------------------------------- */
	/* A path over 1,023 bytes is not one of ours. */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "\"en/briefs/");
	for (i = 0; i < 1020; i++)
		sbuf_addch(&sb, 'a');
	sbuf_addstr(&sb, ".pdf\"");
	check_int(load_with("path", sb.buf), 0);
	check_int(nf, 2);
	check_int(skipped, 1);
	/* An entry far longer than a line of the old reader, or a window of
	 * this one, is read whole: what it says of the file still counts. */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "{\"files\": [");
	entry(&sb, "en/briefs/F-001-a.pdf", NULL, NULL);
	sbuf_setlen(&sb, sb.len - 1);
	sbuf_addstr(&sb, ", \"note\": \"");
	for (i = 0; i < 300000; i++)
		sbuf_addch(&sb, "abc\xd5\xa1"[i % 5]);
	sbuf_addstr(&sb, "\"}, ");
	entry(&sb, "hy/briefs/F-003-c.pdf", NULL, NULL);
	sbuf_addstr(&sb, "]}");
	check_int(load(sb.buf), 0);
	check_int(nf, 2);
	check(get("en/briefs/F-001-a.pdf") && get("hy/briefs/F-003-c.pdf"));
	/* The same cut anywhere in the long value: refused. */
	check_int(load_n(sb.buf, 70000), -1);
	check_int(load_n(sb.buf, sb.len - 3), -1);
	/* A line of garbage in the middle of a manifest: refused. */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "{\"files\": [\n");
	entry(&sb, "en/briefs/F-001-a.pdf", NULL, NULL);
	sbuf_addstr(&sb, ",\n");
	for (i = 0; i < 100000; i++)
		sbuf_addch(&sb, 'x');
	sbuf_addstr(&sb, "\n]}\n");
	check_int(load(sb.buf), -1);
	check_int(nf, 0);
	/* A value larger than any of ours (16 MiB): refused. */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "{\"files\": [], \"x\": \"");
	for (i = 0; i < (17u << 20); i++)
		sbuf_addch(&sb, 'y');
	sbuf_addstr(&sb, "\"}");
	check_int(load(sb.buf), -1);

	/* --- many entries, on one line: across many windows --------------- */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "{\"date\": \"2026-11-27\", \"files\": [");
	for (i = 0; i < 3000; i++) {
		char p[64];
		snprintf(p, sizeof(p), "en/briefs/F-%04zu-name.pdf", i);
		if (i)
			sbuf_addch(&sb, ',');
		entry(&sb, p, NULL, NULL);
	}
	sbuf_addstr(&sb, "], \"left_out\": [{\"line\": 1, \"record\": \"\", \"reason\": \"x\"}, 7, false]}");
	check(sb.len > 4 * 65536);
	check_int(load(sb.buf), 0);
	check_int(nf, 3000);
	bad = 0;
	for (i = 0; i < nf; i++) {
		char p[64];
		snprintf(p, sizeof(p), "en/briefs/F-%04zu-name.pdf", i);
		if (strcmp(f[i].path, p) || f[i].size != 32126 || f[i].pages != 6 ||
		    !digest_is(f[i].sha, SHA_A) || !digest_is(f[i].input, SHA_B))
			bad++;
	}
	check_int(bad, 0);

	sbuf_release(&sb);
	manifest_files_free(f, nf);
	unlink(path);
	return check_done();
}
