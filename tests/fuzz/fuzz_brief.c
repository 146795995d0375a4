/* fuzz_brief.c: libFuzzer target for the path of a brief, from roster
 * text to PDF: reading and checking (record_read_roster), composing with
 * the layouts in layouts/ (compose_brief), typesetting and writing the
 * PDF (to an in-memory file).
 *
 * The first byte picks the options: bit 0 letter paper, bit 1 a fixed
 * header row of every column before the rest (so the input is rows of
 * field values), bit 2 the pseudo-locale "xx" after en, ru and hy, bit 3
 * no photo, bits 4-5 the encoding (auto, auto, CP1251, ARMSCII-8). The
 * rest is the roster, written to roster.csv in a scratch folder that
 * also holds photos for the photo column: p.png, p.jpg and a PNG cut
 * short, bad.png. The first three valid records are made in every
 * language (the others are only checked), as render.c makes them: a
 * brief that fails with a photo is made again without it.
 *
 * Nothing may crash or trip a sanitizer, and every failure must be an
 * error in the diag: compose_brief, typeset_run or pdf_write returning
 * no result without an error aborts, and so does a PDF written that
 * does not start with %PDF-, end with %%EOF, or has a page count that is
 * not typeset_run's (at least 1). fuzz_brief_one gives the replay test
 * (tests/unit/t_fuzz_brief.c) the counts, and looks for a text in the
 * typeset pages. Run from the top of the tree (fonts/, layouts/,
 * samples/, tests/golden/typeset/), or set DOSSIER_FONTS and
 * DOSSIER_LAYOUTS. */
#include "compose.h"
#include "diag.h"
#include "doc.h"
#include "dump.h"
#include "font.h"
#include "pdf.h"
#include "record.h"
#include "roster.h"
#include "sbuf.h"
#include "tpl.h"
#include "typeset.h"
#include "util.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Built with AddressSanitizer (gcc says so one way, clang another). */
#if defined(__SANITIZE_ADDRESS__)
#define BRIEF_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BRIEF_LSAN 1
#endif
#endif
#ifdef BRIEF_LSAN
#include <sanitizer/lsan_interface.h>
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define BRIEF_MAX_RECORDS 3

/* What one input made, for the replay test. */
struct fuzz_brief_stats {
	size_t valid;          /* records that validation accepted */
	size_t made;           /* of those, the ones made in every language */
	size_t briefs;         /* briefs composed */
	size_t pdfs;           /* PDFs written and checked */
	size_t warnings, errors;
	const char *want;      /* a text to look for in the pages, or NULL */
	int found;             /* want was in some brief's boxes */
};

static font_set *brief_fonts;
static tpl_set *brief_tpl;
static char brief_dir[64];

static void brief_cleanup(void)
{
	static const char *const names[] = { "roster.csv", "p.png", "p.jpg",
					     "bad.png" };
	char path[128];
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", brief_dir, names[i]);
		unlink(path);
	}
	rmdir(brief_dir);
	font_set_free(brief_fonts);
	tpl_free(brief_tpl);
	brief_fonts = NULL;
	brief_tpl = NULL;
	typeset_image_cache_clear();
}

/* Copy the first n bytes of from (all when n is 0) to the scratch
 * folder's name. */
static void brief_copy(const char *from, const char *name, long n)
{
	FILE *in = fopen(from, "rb"), *out;
	char path[128], buf[4096];
	size_t k;
	long done = 0;

	snprintf(path, sizeof(path), "%s/%s", brief_dir, name);
	out = fopen(path, "wb");
	if (!in || !out)
		BUG("cannot copy %s to %s", from, path);
	while ((k = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (n && done + (long)k > n)
			k = (size_t)(n - done);
		fwrite(buf, 1, k, out);
		done += (long)k;
		if (n && done >= n)
			break;
	}
	fclose(in);
	if (fclose(out) != 0)
		BUG("cannot write %s", path);
}

/* The scratch folder goes in base (NULL: TMPDIR or /tmp). */
static void brief_setup(const char *base)
{
	struct diag d = DIAG_INIT;
	const char *fonts = getenv("DOSSIER_FONTS");
	const char *layouts = getenv("DOSSIER_LAYOUTS");
	const char *tmp = base ? base : getenv("TMPDIR");

	/* LeakSanitizer, when libFuzzer has it look during the run, takes
	 * 288 bytes that fontconfig allocates once while it parses its
	 * configuration for a leak (not at exit, after font_set_free):
	 * what is allocated here is not checked. */
#ifdef BRIEF_LSAN
	__lsan_disable();
#endif
	brief_fonts = font_set_load(fonts ? fonts : "fonts", &d);
#ifdef BRIEF_LSAN
	__lsan_enable();
#endif
	brief_tpl = tpl_load(layouts ? layouts : "layouts", &d);
	if (!brief_fonts || !brief_tpl) {
		diag_print(&d, stderr);
		abort();
	}
	diag_release(&d);
	snprintf(brief_dir, sizeof(brief_dir), "%s/fuzz-brief.XXXXXX",
		 tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	if (!mkdtemp(brief_dir))
		BUG("cannot make a scratch folder %s", brief_dir);
	atexit(brief_cleanup);
	brief_copy("samples/photos/placeholder.png", "p.png", 0);
	brief_copy("tests/golden/typeset/portrait.jpg", "p.jpg", 0);
	brief_copy("samples/photos/placeholder.png", "bad.png", 100);
}

/* A PDF in memory: the bytes must be a whole PDF file. */
static void brief_check_pdf(int fd, long pages, size_t want_pages)
{
	off_t end = lseek(fd, 0, SEEK_END);
	char head[5], tail[16];
	size_t n;

	if (pages < 1 || (size_t)pages != want_pages || end < 64)
		abort();
	if (pread(fd, head, 5, 0) != 5 || memcmp(head, "%PDF-", 5))
		abort();
	n = end < 16 ? (size_t)end : 16;
	if (pread(fd, tail, n, end - (off_t)n) != (ssize_t)n)
		abort();
	/* the last line is %%EOF, with or without its line break */
	if (memcmp(tail + n - 5, "%%EOF", 5) && memcmp(tail + n - 6, "%%EOF\n", 6))
		abort();
}

/* Whether text is in the boxes of td. */
static int brief_has_text(const typeset_doc *td, const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int found;

	dump_boxes(td, fp);
	fclose(fp);
	found = strstr(buf, text) != NULL;
	free(buf);
	return found;
}

struct brief_run {
	struct compose_env env;
	const char *const *langs;
	size_t nlangs;
	struct fuzz_brief_stats *st;
};

/* One brief of rec in lang, as render.c makes it; 1 when a PDF was
 * written. */
static int brief_one(struct brief_run *br, const struct record *rec,
		     const char *lang, struct diag *d)
{
	struct compose_info info;
	struct diag first = DIAG_INIT;
	typeset_doc *td;
	doc *dc;
	int made = 0;

	dc = compose_brief(&br->env, rec, lang, &info, d);
	if (!dc) {
		if (!d->nerrors)
			abort(); /* a failure must say why */
		return 0;
	}
	br->st->briefs++;
	td = typeset_run(dc, brief_fonts, &first);
	doc_free(dc);
	if (!td && rec->photo_path && !br->env.no_photo) {
		/* what was wrong with the photo becomes a warning */
		for (size_t i = 0; i < first.n; i++)
			if (first.v[i].level == DIAG_ERROR)
				first.v[i].level = DIAG_WARNING;
		first.nwarnings += first.nerrors;
		first.nerrors = 0;
		br->env.no_photo = 1;
		dc = compose_brief(&br->env, rec, lang, &info, d);
		br->env.no_photo = 0;
		if (!dc && !d->nerrors)
			abort();
		td = dc ? typeset_run(dc, brief_fonts, &first) : NULL;
		doc_free(dc);
	}
	if (!td && !first.nerrors && !d->nerrors)
		abort(); /* a failure must say why */
	diag_move(d, &first);
	diag_release(&first);
	if (td) {
		int fd = memfd_create("brief", 0);
		if (fd >= 0) {
			char path[64];
			long pages;
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			pages = pdf_write(td, path, 0, d);
			if (pages < 0 && !d->nerrors)
				abort();
			if (pages >= 0) {
				brief_check_pdf(fd, pages, typeset_page_count(td));
				br->st->pdfs++;
				made = 1;
			}
			close(fd);
		}
		if (br->st->want && brief_has_text(td, br->st->want))
			br->st->found = 1;
		typeset_free(td);
	}
	return made;
}

static void brief_valid(void *arg, const record_schema *s, struct record *rec)
{
	struct brief_run *br = arg;
	struct diag d = DIAG_INIT;
	size_t ok = 0;

	if (br->st->valid++ >= BRIEF_MAX_RECORDS)
		return;
	for (size_t i = 0; i < br->nlangs; i++)
		ok += (size_t)brief_one(br, rec, br->langs[i], &d);
	if (ok == br->nlangs)
		br->st->made++;
	br->st->warnings += d.nwarnings;
	br->st->errors += d.nerrors;
	diag_release(&d);
}

static void brief_flush(void *arg, struct diag *d)
{
	struct brief_run *br = arg;
	br->st->warnings += d->nwarnings;
	br->st->errors += d->nerrors;
	diag_clear(d);
}

static const char brief_header[] =
	"id,category,name_en,name_ru,name_hy,birth_date,detained_on,"
	"detained_place_en,detained_place_ru,detained_place_hy,status,"
	"acknowledged,charges_en,charges_ru,charges_hy,court,verdict_date,"
	"sentence_years,health_en,health_ru,health_hy,circumstances_en,"
	"circumstances_ru,circumstances_hy,sources,photo\n";

/* Run one input; st gets the counts (its want is read). */
static void fuzz_brief_one(const uint8_t *data, size_t size,
			   struct fuzz_brief_stats *st)
{
	static const char *const langs[] = { "en", "ru", "hy", "xx" };
	static const char *const encs[] = { NULL, NULL, "CP1251", "ARMSCII-8" };
	struct roster_opts ro = { 0 };
	struct record_ctx ctx = { 0 };
	struct record_sink sink;
	struct record_stats rs;
	struct brief_run br;
	struct diag d = DIAG_INIT;
	char path[128];
	FILE *fp;
	int rc;

	if (!brief_fonts)
		brief_setup(NULL);
	if (size < 1)
		return;
	snprintf(path, sizeof(path), "%s/roster.csv", brief_dir);
	fp = fopen(path, "wb");
	if (!fp)
		BUG("cannot write %s", path);
	if (data[0] & 2)
		fputs(brief_header, fp);
	fwrite(data + 1, 1, size - 1, fp);
	if (fclose(fp) != 0)
		BUG("cannot write %s", path);

	ro.encoding = encs[(data[0] >> 4) & 3];
	ctx.roster_path = path;
	ctx.today = (struct rdate){ 2026, 11, 27 };
	memset(&br, 0, sizeof(br));
	br.env.tpl = brief_tpl;
	br.env.as_of = ctx.today;
	br.env.paper = data[0] & 1 ? DOC_LETTER : DOC_A4;
	br.env.roster_path = path;
	br.env.no_photo = (data[0] >> 3) & 1;
	br.langs = langs;
	br.nlangs = data[0] & 4 ? 4 : 3;
	br.st = st;
	sink.valid = brief_valid;
	sink.invalid = NULL;
	sink.flush = brief_flush;
	sink.arg = &br;
	memset(&rs, 0, sizeof(rs));
	rc = record_read_roster(path, &ro, &ctx, &sink, &d, &rs);
	if (rs.valid != st->valid || rs.valid + rs.invalid != rs.rows)
		abort();
	/* a roster with a record left out, or none usable, says why */
	if ((rc != 0 && !d.nerrors && !st->errors) || rc < 0 || rc > 2)
		abort();
	st->warnings += d.nwarnings;
	st->errors += d.nerrors;
	diag_release(&d);
}

/* The fonts, the layouts and the scratch folder, once before the first
 * input. libFuzzer ends without running atexit handlers, so the folder
 * goes in build-fuzz/ (when there is one), which make clean removes. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct stat st;
	if (!brief_fonts)
		brief_setup(stat("build-fuzz", &st) == 0 && S_ISDIR(st.st_mode) ?
			    "build-fuzz" : NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_brief_stats st;
	memset(&st, 0, sizeof(st));
	fuzz_brief_one(data, size, &st);
	return 0;
}
