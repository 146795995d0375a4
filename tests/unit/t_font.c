/* t_font.c: the font set: fonts.conf, fontconfig lookups, per-script
 * fallback, advances against HarfBuzz, errors naming missing families,
 * and hyphenation patterns. Runs from the top of the tree. */
#include "diag.h"
#include "font.h"
#include "harness.h"
#include "sbuf.h"
#include "util.h"

#include <hb-ot.h>
#include <hb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *name_of(const font_set *fs, enum font_style st,
			   enum font_script sc, uint32_t cp)
{
	const font_face *f = font_lookup(fs, st, sc, cp);
	return f ? font_face_name(f) : "(none)";
}

/* Advance of cp from HarfBuzz directly, in thousandths of an em. */
static long hb_advance(const char *path, uint32_t cp)
{
	hb_blob_t *b = hb_blob_create_from_file(path);
	hb_face_t *face = hb_face_create(b, 0);
	hb_font_t *font = hb_font_create(face);
	hb_codepoint_t g;
	long adv = -1;
	unsigned upem = hb_face_get_upem(face);
	hb_font_set_scale(font, (int)upem, (int)upem);
	if (hb_font_get_nominal_glyph(font, cp, &g))
		adv = (long)hb_font_get_glyph_h_advance(font, g) * 1000 / upem;
	hb_font_destroy(font);
	hb_face_destroy(face);
	hb_blob_destroy(b);
	return adv;
}

/* Load a font set from a one-off fonts.conf; returns it, or NULL with the
 * first message in msg. */
static font_set *load_conf(const char *conf, struct sbuf *msg)
{
	char dir[] = "/tmp/t_font.XXXXXX";
	struct sbuf path = SBUF_INIT;
	struct diag d = DIAG_INIT;
	font_set *fs;
	FILE *fp;

	if (!mkdtemp(dir))
		return NULL;
	sbuf_addf(&path, "%s/fonts.conf", dir);
	fp = fopen(path.buf, "w");
	fputs(conf, fp);
	fclose(fp);
	fs = font_set_load(dir, &d);
	sbuf_reset(msg);
	if (d.n)
		sbuf_addstr(msg, d.v[0].msg);
	diag_release(&d);
	unlink(path.buf);
	rmdir(dir);
	sbuf_release(&path);
	return fs;
}

static void all_chains(struct sbuf *conf, const char *latin,
		       const char *armenian);

/* Load a font set from fonts.conf written into an existing folder (which
 * may hold font files, links and such); the first message in msg. */
static font_set *load_conf_in(const char *dir, const char *conf,
			      struct sbuf *msg)
{
	struct sbuf path = SBUF_INIT;
	struct diag d = DIAG_INIT;
	font_set *fs;
	FILE *fp;

	sbuf_addf(&path, "%s/fonts.conf", dir);
	fp = fopen(path.buf, "w");
	fputs(conf, fp);
	fclose(fp);
	fs = font_set_load(dir, &d);
	sbuf_reset(msg);
	/* as the command line prints it */
	if (d.n)
		sbuf_addf(msg, "%s:%ld: %s: %s", d.v[0].file ? d.v[0].file : "",
			  d.v[0].line, d.v[0].level == DIAG_ERROR ? "error" : "other",
			  d.v[0].msg);
	diag_release(&d);
	unlink(path.buf);
	sbuf_release(&path);
	return fs;
}

/* Copy a file (a font, to keep outside the font folders). */
static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	char buf[65536];
	size_t k;
	int ok = in && out;
	while (ok && (k = fread(buf, 1, sizeof(buf), in)) > 0)
		ok = fwrite(buf, 1, k, out) == k;
	if (in)
		fclose(in);
	if (out && fclose(out))
		ok = 0;
	return ok ? 0 : -1;
}

/* Font files named in fonts.conf cannot make the PDFs embed other
 * files: each refusal names fonts.conf and its line, and nothing waits
 * on a FIFO. */
static void test_font_paths(void)
{
	char dir[] = "/tmp/t_font.XXXXXX", out[] = "/tmp/t_font_out.XXXXXX";
	const char *dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
	struct sbuf conf = SBUF_INIT, msg = SBUF_INIT, p = SBUF_INIT;
	struct sbuf want = SBUF_INIT;
	font_set *fs;
	FILE *fp;

	if (!mkdtemp(dir) || !mkdtemp(out)) {
		check(0);
		return;
	}
	/* A system file named by its path. */
	sbuf_addstr(&conf, "# a comment\n");
	all_chains(&conf, "/etc/passwd", "Noto Serif Armenian");
	fs = load_conf_in(dir, conf.buf, &msg);
	check(fs == NULL);
	sbuf_addf(&want, "%s/fonts.conf:2: error: font file '/etc/passwd' is "
		  "outside the fonts folder and the system font folders", dir);
	check_str(msg.buf, want.buf);
	font_set_free(fs);
	/* ... or reached from the fonts folder by '..'. */
	sbuf_reset(&conf);
	all_chains(&conf, "../../../../../../../etc/passwd", "Noto Serif Armenian");
	fs = load_conf_in(dir, conf.buf, &msg);
	check(fs == NULL);
	check(strstr(msg.buf, ":1: error: font file") &&
	      strstr(msg.buf, "is outside the fonts folder"));
	font_set_free(fs);

	/* A link in the fonts folder to a font outside it. */
	sbuf_addf(&p, "%s/DejaVuSans.ttf", out);
	check_int(copy_file(dejavu, p.buf), 0);
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/linked.ttf", dir);
	sbuf_reset(&want);
	sbuf_addf(&want, "%s/DejaVuSans.ttf", out);
	check_int(symlink(want.buf, p.buf), 0);
	sbuf_reset(&conf);
	all_chains(&conf, "linked.ttf", "linked.ttf");
	fs = load_conf_in(dir, conf.buf, &msg);
	check(fs == NULL);
	check(strstr(msg.buf, "fonts.conf:1: error: font file") &&
	      strstr(msg.buf, "linked.ttf' is outside the fonts folder"));
	font_set_free(fs);
	unlink(p.buf);
	/* A link to a system font is fine; so is a font in the folder. */
	check_int(symlink(dejavu, p.buf), 0);
	fs = load_conf_in(dir, conf.buf, &msg);
	check(fs != NULL);
	font_set_free(fs);
	unlink(p.buf);
	check_int(copy_file(dejavu, p.buf), 0);
	fs = load_conf_in(dir, conf.buf, &msg);
	check(fs != NULL);
	if (fs)
		check_str(name_of(fs, FONT_BODY, FONT_LATIN, 'A'), "DejaVuSans");
	font_set_free(fs);
	unlink(p.buf);

	/* A FIFO (nobody writes to it: a blocking open would hang). */
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/pipe.ttf", dir);
	check_int(mkfifo(p.buf, 0600), 0);
	sbuf_reset(&conf);
	all_chains(&conf, "pipe.ttf", "pipe.ttf");
	fs = load_conf_in(dir, conf.buf, &msg);
	check(fs == NULL);
	check(strstr(msg.buf, "fonts.conf:1: error: font file") &&
	      strstr(msg.buf, "pipe.ttf' is not a regular file"));
	font_set_free(fs);
	unlink(p.buf);

	/* A file in the folder that is not a font. */
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/notes.ttf", dir);
	fp = fopen(p.buf, "w");
	if (fp) {
		fputs("root:x:0:0:root:/root:/bin/sh\n", fp);
		fclose(fp);
	}
	sbuf_reset(&conf);
	all_chains(&conf, "notes.ttf", "notes.ttf");
	fs = load_conf_in(dir, conf.buf, &msg);
	check(fs == NULL);
	check(strstr(msg.buf, "fonts.conf:1: error: '") &&
	      strstr(msg.buf, "notes.ttf' is not a TrueType or OpenType font"));
	font_set_free(fs);
	unlink(p.buf);

	/* A FIFO given as hyphenation patterns is refused too. */
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/pipe.dic", dir);
	check_int(mkfifo(p.buf, 0600), 0);
	sbuf_reset(&conf);
	all_chains(&conf, "Noto Serif", "Noto Serif Armenian");
	sbuf_addstr(&conf, "hyphenate en: pipe.dic\n");
	fs = load_conf_in(dir, conf.buf, &msg);
	check(fs == NULL);
	check(strstr(msg.buf, "error: hyphenation pattern file '") &&
	      strstr(msg.buf, "pipe.dic' is not a regular file (a FIFO)"));
	font_set_free(fs);
	unlink(p.buf);

	/* Missing patterns name the packages that have them. */
	sbuf_reset(&conf);
	all_chains(&conf, "Noto Serif", "Noto Serif Armenian");
	sbuf_addstr(&conf, "hyphenate en: none.dic\n");
	fs = load_conf_in(dir, conf.buf, &msg);
	check(fs == NULL);
	check(strstr(msg.buf, "none.dic': No such file or directory (Debian "
		     "packages hyphen-en-us, hyphen-ru)") != NULL);
	font_set_free(fs);

	/* Patterns read whole from the file: the encoding on the first line,
	 * then the patterns. */
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/latin1.dic", dir);
	fp = fopen(p.buf, "w");
	if (fp) {
		fputs("ISO8859-1\n1ba\n", fp);
		fclose(fp);
	}
	sbuf_reset(&conf);
	all_chains(&conf, "Noto Serif", "Noto Serif Armenian");
	sbuf_addstr(&conf, "hyphenate en: latin1.dic\n");
	fs = load_conf_in(dir, conf.buf, &msg);
	check(fs == NULL);
	check(strstr(msg.buf, "latin1.dic' are in ISO8859-1; UTF-8 or KOI8-R") != NULL);
	font_set_free(fs);
	unlink(p.buf);

	/* A file too short to be a font, and a font that is a folder. */
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/tiny.ttf", dir);
	fp = fopen(p.buf, "w");
	if (fp) {
		fputs("OTTO", fp);
		fclose(fp);
	}
	sbuf_reset(&conf);
	all_chains(&conf, "tiny.ttf", "tiny.ttf");
	fs = load_conf_in(dir, conf.buf, &msg);
	check(fs == NULL);
	check(strstr(msg.buf, "tiny.ttf' is too small to be a font (4 bytes)") != NULL);
	font_set_free(fs);
	unlink(p.buf);
	check_int(mkdir(p.buf, 0700), 0);
	fs = load_conf_in(dir, conf.buf, &msg);
	check(fs == NULL);
	check(strstr(msg.buf, "tiny.ttf' is not a regular file (a folder)") != NULL);
	font_set_free(fs);
	rmdir(p.buf);

	sbuf_reset(&p);
	sbuf_addf(&p, "%s/DejaVuSans.ttf", out);
	unlink(p.buf);
	rmdir(out);
	rmdir(dir);
	sbuf_release(&conf);
	sbuf_release(&msg);
	sbuf_release(&p);
	sbuf_release(&want);
}

static void all_chains(struct sbuf *conf, const char *latin,
		       const char *armenian)
{
	static const char *const st[] = { "body", "bold", "italic",
					   "bolditalic", "heading", "small" };
	for (size_t i = 0; i < 6; i++)
		sbuf_addf(conf, "%s latin: %s\n%s cyrillic: %s\n"
			  "%s armenian: %s\n", st[i], latin, st[i], latin,
			  st[i], armenian);
}

int main(void)
{
	struct diag d = DIAG_INIT;
	struct sbuf conf = SBUF_INIT, msg = SBUF_INIT;
	font_set *fs = font_set_load("fonts", &d), *fs2;
	const font_face *f;

	check(fs != NULL);
	check_int(d.nerrors, 0);
	if (!fs) {
		diag_print(&d, stderr);
		return check_done();
	}

	/* Scripts. */
	check_int(font_script_of('A'), FONT_LATIN);
	check_int(font_script_of(0x0416), FONT_CYRILLIC);  /* Ж */
	check_int(font_script_of(0x0531), FONT_ARMENIAN);  /* Ա */
	check_int(font_script_of(0x0589), FONT_ARMENIAN);  /* ։ */
	check_int(font_script_of('7'), FONT_COMMON);
	check_int(font_script_of(','), FONT_COMMON);

	/* Chains: Armenian letters in the Armenian face, digits and
	 * punctuation from the next font of the Armenian chain. */
	check_str(name_of(fs, FONT_BODY, FONT_LATIN, 'A'), "NotoSerif-Regular");
	check_str(name_of(fs, FONT_BOLD, FONT_CYRILLIC, 0x0416), "NotoSerif-Bold");
	check_str(name_of(fs, FONT_ITALIC, FONT_LATIN, 'a'), "NotoSerif-Italic");
	check_str(name_of(fs, FONT_BODY, FONT_ARMENIAN, 0x0531),
		  "NotoSerifArmenian-Regular");
	check_str(name_of(fs, FONT_BOLD, FONT_ARMENIAN, 0x0531),
		  "NotoSerifArmenian-Bold");
	check_str(name_of(fs, FONT_BODY, FONT_ARMENIAN, '1'), "NotoSerif-Regular");
	check_str(name_of(fs, FONT_BODY, FONT_ARMENIAN, ','), "NotoSerif-Regular");
	check_str(name_of(fs, FONT_BODY, FONT_ARMENIAN, ' '),
		  "NotoSerifArmenian-Regular");
	/* No italic Armenian is installed: upright Armenian, not boxes. */
	check_str(name_of(fs, FONT_ITALIC, FONT_ARMENIAN, 0x0561),
		  "NotoSerifArmenian-Regular");
	/* Headings in the bold serif, small text in the body serif: no
	 * other faces than the body's. */
	check_str(name_of(fs, FONT_HEADING, FONT_ARMENIAN, 0x0531),
		  "NotoSerifArmenian-Bold");
	check_str(name_of(fs, FONT_HEADING, FONT_LATIN, 'A'), "NotoSerif-Bold");
	check_str(name_of(fs, FONT_HEADING, FONT_CYRILLIC, 0x0416),
		  "NotoSerif-Bold");
	check_str(name_of(fs, FONT_HEADING, FONT_ARMENIAN, '1'), "NotoSerif-Bold");
	check_str(name_of(fs, FONT_SMALL, FONT_LATIN, 'a'), "NotoSerif-Regular");
	check_str(name_of(fs, FONT_SMALL, FONT_ARMENIAN, 0x0561),
		  "NotoSerifArmenian-Regular");
	check(font_primary(fs, FONT_SMALL, FONT_ARMENIAN) ==
	      font_primary(fs, FONT_BODY, FONT_ARMENIAN));
	check(font_primary(fs, FONT_HEADING, FONT_LATIN) ==
	      font_primary(fs, FONT_BOLD, FONT_LATIN));
	/* Outside the BMP and unknown to every font: nothing. */
	check(font_lookup(fs, FONT_BODY, FONT_LATIN, 0x1F600) == NULL);
	check(font_lookup(fs, FONT_BODY, FONT_LATIN, 0xA000) == NULL);

	/* Advances agree with HarfBuzz's. */
	{
		static const uint32_t cps[] = { 'A', 'W', 'i', ' ', '1', 0x0416,
						0x0436, 0x2014, 0xAB };
		f = font_lookup(fs, FONT_BODY, FONT_LATIN, 'A');
		for (size_t i = 0; i < ARRAY_SIZE(cps); i++)
			check_int(font_advance(f, cps[i]),
				  hb_advance(font_face_path(f), cps[i]));
		f = font_lookup(fs, FONT_BODY, FONT_ARMENIAN, 0x0531);
		check_int(font_advance(f, 0x0531), hb_advance(font_face_path(f), 0x0531));
		check_int(font_advance(f, 0x0587), hb_advance(font_face_path(f), 0x0587));
		check_int(font_advance(f, '1'), -1);
		check(font_ascent(f) > 500 && font_descent(f) < 0);
	}

	/* A face named by several chains is opened once. */
	{
		size_t n = font_set_nfaces(fs), paths = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t k = i + 1; k < n; k++)
				paths += !strcmp(font_face_path(font_set_face(fs, i)),
						 font_face_path(font_set_face(fs, k)));
		check_int(paths, 0);
		check(n >= 8);
		for (size_t i = 0; i < n; i++)
			check_int(font_face_index(font_set_face(fs, i)), i);
	}

	/* The face as read, for embedding: the file's bytes, and a HarfBuzz
	 * face of the same glyphs as HarfBuzz reads from the file. */
	{
		size_t len = 0;
		struct stat st;
		hb_blob_t *b;
		hb_face_t *face;
		f = font_lookup(fs, FONT_BODY, FONT_LATIN, 'A');
		check(font_face_data(f, &len) != NULL);
		check(stat(font_face_path(f), &st) == 0 &&
		      (long long)len == (long long)st.st_size);
		b = hb_blob_create_from_file(font_face_path(f));
		face = hb_face_create(b, 0);
		check(hb_face_get_glyph_count(font_face_hb(f)) > 100);
		check_int(hb_face_get_glyph_count(font_face_hb(f)),
			  hb_face_get_glyph_count(face));
		check_int(hb_face_get_upem(font_face_hb(f)), hb_face_get_upem(face));
		check(hb_face_is_immutable(font_face_hb(f)));
		hb_face_destroy(face);
		hb_blob_destroy(b);
	}

	/* Hyphenation patterns: English (UTF-8) and Russian (KOI8-R). */
	{
		static const uint32_t en[] = { 'h', 'y', 'p', 'h', 'e', 'n', 'a',
					       't', 'i', 'o', 'n' };
		/* обстоятельства */
		static const uint32_t ru[] = { 0x43E, 0x431, 0x441, 0x442, 0x43E,
					       0x44F, 0x442, 0x435, 0x43B, 0x44C,
					       0x441, 0x442, 0x432, 0x430 };
		unsigned char ok[32];
		const font_hyph *h = font_hyph_for(fs, "en");
		check(h != NULL);
		if (h) {
			check(font_hyphenate(h, en, ARRAY_SIZE(en), ok) > 0);
			check_int(ok[1], 1); /* hy-phen-ation */
			check_int(ok[0], 0);
		}
		h = font_hyph_for(fs, "ru");
		check(h != NULL);
		if (h) {
			check(font_hyphenate(h, ru, ARRAY_SIZE(ru), ok) > 0);
			check_int(ok[1], 1); /* об-сто-я-тель-ства */
			/* Latin letters cannot be encoded for Russian patterns */
			check_int(font_hyphenate(h, en, ARRAY_SIZE(en), ok), 0);
		}
		check(font_hyph_for(fs, "hy") == NULL);
	}

	/* A family that is not installed: an error naming it and, when
	 * known, its Debian package. */
	all_chains(&conf, "Noto Serif", "GHEA Grapalat, Noto Serif");
	fs2 = load_conf(conf.buf, &msg);
	check(fs2 == NULL);
	check(strstr(msg.buf, "'GHEA Grapalat' not found") != NULL);
	font_set_free(fs2);
	sbuf_reset(&conf);
	all_chains(&conf, "Noto Serif Vithkuqi", "Noto Serif Armenian");
	fs2 = load_conf(conf.buf, &msg);
	check(fs2 == NULL);
	check(strstr(msg.buf, "'Noto Serif Vithkuqi' not found (Debian package "
		     "fonts-noto-core or fonts-noto-extra)") != NULL);
	font_set_free(fs2);

	/* A chain may name a font file. */
	sbuf_reset(&conf);
	all_chains(&conf, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
		   "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
	fs2 = load_conf(conf.buf, &msg);
	check(fs2 != NULL);
	if (fs2) {
		check_str(name_of(fs2, FONT_BODY, FONT_ARMENIAN, 0x0531), "DejaVuSans");
		check_int(font_set_nfaces(fs2), 1);
	}
	font_set_free(fs2);

	/* Mistakes in the file are reported at their line. */
	fs2 = load_conf("body latin Noto Serif\n", &msg);
	check(fs2 == NULL);
	check(strstr(msg.buf, "expected") != NULL);
	fs2 = load_conf("bodi latin: Noto Serif\n", &msg);
	check(fs2 == NULL);
	check(strstr(msg.buf, "unknown style 'bodi'") != NULL);
	fs2 = load_conf("body latin: /nonexistent/font.ttf\n", &msg);
	check(fs2 == NULL);
	check(strstr(msg.buf, "cannot read font file") != NULL);
	fs2 = load_conf("body latin: Noto Serif\n", &msg);
	check(fs2 == NULL);
	check(strstr(msg.buf, "no fonts configured for") != NULL);

	test_font_paths();

	sbuf_release(&conf);
	sbuf_release(&msg);
	font_set_free(fs);
	diag_release(&d);
	return check_done();
}
