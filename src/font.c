/* font.c: loading the font set of font.h: fonts.conf, fontconfig, the
 * glyph coverage and advances of each face (HarfBuzz), and the
 * hyphenation patterns (libhyphen). Embedding a face in a PDF is
 * pdf-font.c's. */
#include "font.h"
#include "diag.h"
#include "safefile.h"
#include "sbuf.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <hb.h>
#include <hyphen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_CHAIN 6
/* No font we use comes near this; a larger file is not a font. */
#define MAX_FONT_BYTES ((size_t)64 << 20)
/* Pattern files are some 100 KiB (hyph_en_US.dic, the largest). */
#define MAX_PATTERN_BYTES ((size_t)16 << 20)

static int same_family(const char *a, const char *b);

struct font_face {
	size_t index;
	char *path;
	char *name;     /* PostScript name */
	unsigned face_index;
	hb_blob_t *blob;
	hb_face_t *face;
	int ascent, descent; /* thousandths of an em */
	uint32_t max_bmp;    /* highest BMP code point the face maps */
	/* Advances of the BMP, two levels: page[cp >> 8][cp & 0xFF], -1 for
	 * no glyph; a NULL page has no glyphs at all. */
	int16_t *page[256];
};

struct font_hyph {
	char lang[8];
	HyphenDict *dict;
	int koi8r; /* patterns in KOI8-R rather than UTF-8 */
};

struct font_set {
	font_face **faces;
	size_t nfaces, afaces;
	const font_face *chain[FONT_NSTYLES][FONT_NSCRIPTS][MAX_CHAIN];
	size_t nchain[FONT_NSTYLES][FONT_NSCRIPTS];
	struct font_hyph hyph[4];
	size_t nhyph;
	FcConfig *fc;
};

static const char *const style_names[FONT_NSTYLES] = {
	"body", "bold", "italic", "bolditalic", "heading", "small",
};
static const char *const script_names[FONT_NSCRIPTS] = {
	"latin", "cyrillic", "armenian",
};

/* Which Debian package provides a family, for the error message. */
static const char *package_for(const char *family)
{
	static const struct { const char *family, *pkg; } tab[] = {
		{ "Noto Serif", "fonts-noto-core" },
		{ "Noto Sans", "fonts-noto-core" },
		{ "Noto Serif Armenian", "fonts-noto-core" },
		{ "Noto Sans Armenian", "fonts-noto-core" },
		{ "Noto Serif Display", "fonts-noto-extra" },
		{ "Noto Sans Mono", "fonts-noto-mono" },
		{ "DejaVu Serif", "fonts-dejavu-core" },
		{ "DejaVu Sans", "fonts-dejavu-core" },
		{ "DejaVu Sans Mono", "fonts-dejavu-core" },
		{ "Liberation Serif", "fonts-liberation2" },
		{ "Liberation Sans", "fonts-liberation2" },
		{ "FreeSerif", "fonts-freefont-ttf" },
		{ "FreeSans", "fonts-freefont-ttf" },
		{ "PT Serif", "fonts-paratype" },
		{ "PT Sans", "fonts-paratype" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(tab); i++)
		if (same_family(family, tab[i].family))
			return tab[i].pkg;
	if (!strncasecmp(family, "Noto ", 5))
		return "fonts-noto-core or fonts-noto-extra";
	return NULL;
}

int font_script_of(uint32_t cp)
{
	if ((cp >= 0x0531 && cp <= 0x058F) || (cp >= 0xFB13 && cp <= 0xFB17))
		return FONT_ARMENIAN;
	if ((cp >= 0x0400 && cp <= 0x052F) || (cp >= 0x1C80 && cp <= 0x1C8F) ||
	    (cp >= 0x2DE0 && cp <= 0x2DFF) || (cp >= 0xA640 && cp <= 0xA69F))
		return FONT_CYRILLIC;
	if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
	    (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
	    (cp >= 0x1E00 && cp <= 0x1EFF))
		return FONT_LATIN;
	return FONT_COMMON;
}

static void face_free(font_face *f)
{
	if (!f)
		return;
	for (int i = 0; i < 256; i++)
		free(f->page[i]);
	hb_face_destroy(f->face);
	hb_blob_destroy(f->blob);
	free(f->path);
	free(f->name);
	free(f);
}

/* Whether a font file named in fonts.conf may be read: once resolved
 * (symbolic links followed), it must lie inside the fonts folder or a
 * system font folder (fontconfig's among them), so that fonts.conf
 * cannot make the PDFs embed any other file. */
static int font_path_allowed(const font_set *fs, const char *real,
			     const char *fonts_dir)
{
	static const char *const sys[] = { "/usr/share/fonts",
					   "/usr/local/share/fonts" };
	char *r = realpath(fonts_dir, NULL);
	int ok = r && safefile_under(r, real);
	FcStrList *dirs;
	FcChar8 *dir;

	free(r);
	for (size_t i = 0; i < ARRAY_SIZE(sys) && !ok; i++) {
		r = realpath(sys[i], NULL);
		ok = r && safefile_under(r, real);
		free(r);
	}
	dirs = ok || !fs->fc ? NULL : FcConfigGetFontDirs(fs->fc);
	while (dirs && !ok && (dir = FcStrListNext(dirs))) {
		r = realpath((const char *)dir, NULL);
		ok = r && safefile_under(r, real);
		free(r);
	}
	if (dirs)
		FcStrListDone(dirs);
	return ok;
}

/* Font files and hyphenation patterns, named at a line of fonts.conf. */
static const struct safefile_kind font_file = {
	"font file", "the fonts folder", MAX_FONT_BYTES
};
static const struct safefile_kind pattern_file = {
	"hyphenation pattern file", "the fonts folder", MAX_PATTERN_BYTES
};

/* Read a font file into a blob: a regular file (never wait on a FIFO or
 * read a device) of a sane size. NULL with an error otherwise. */
static hb_blob_t *read_font(const char *path, struct diag *d,
			    struct diag_loc at)
{
	struct sbuf sb = SBUF_INIT;
	size_t len;
	char *buf;

	if (safefile_read(NULL, path, &font_file, 0, &sb, d, at) != 0)
		return NULL;
	if (sb.len < 12) {
		diag_error(d, at, "font file '%s' is too small to be a font "
			   "(%zu bytes)", path, sb.len);
		sbuf_release(&sb);
		return NULL;
	}
	buf = sbuf_detach(&sb, &len);
	return hb_blob_create(buf, (unsigned)len, HB_MEMORY_MODE_WRITABLE,
			      buf, free);
}

/* Whether the bytes start like a TrueType or OpenType font (or a
 * collection of them). */
static int sfnt_magic(hb_blob_t *blob)
{
	unsigned n;
	const unsigned char *p = (const unsigned char *)hb_blob_get_data(blob, &n);
	if (!p || n < 12)
		return 0;
	return !memcmp(p, "\x00\x01\x00\x00", 4) || !memcmp(p, "true", 4) ||
	       !memcmp(p, "OTTO", 4) || !memcmp(p, "ttcf", 4);
}

/* Open a font file, check that it can be embedded (TrueType outlines),
 * and note its coverage and advances. */
static font_face *face_open(const char *path, unsigned index, struct diag *d,
			    const char *conf, long line)
{
	struct diag_loc at = { conf, line, 0 };
	hb_blob_t *blob = read_font(path, d, at);
	hb_blob_t *glyf;
	hb_face_t *face;
	hb_font_t *font;
	hb_set_t *cps;
	hb_codepoint_t cp = HB_SET_VALUE_INVALID;
	unsigned upem;
	font_face *f;
	char name[128];
	unsigned nlen = sizeof(name);
	hb_font_extents_t ext;

	if (!blob)
		return NULL;
	if (!sfnt_magic(blob)) {
		diag_error(d, at, "'%s' is not a TrueType or OpenType font file",
			   path);
		hb_blob_destroy(blob);
		return NULL;
	}
	face = hb_face_create(blob, index);
	if (hb_face_get_glyph_count(face) == 0) {
		diag_error(d, at, "'%s' is not a usable font file", path);
		hb_face_destroy(face);
		hb_blob_destroy(blob);
		return NULL;
	}
	glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
	if (hb_blob_get_length(glyf) == 0) {
		diag_error(d, at, "'%s' has no TrueType outlines (glyf table); "
			   "PDF output embeds TrueType fonts only", path);
		hb_blob_destroy(glyf);
		hb_face_destroy(face);
		hb_blob_destroy(blob);
		return NULL;
	}
	hb_blob_destroy(glyf);

	f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(path);
	f->face_index = index;
	f->blob = blob;
	f->face = face;
	hb_face_make_immutable(face);
	upem = hb_face_get_upem(face);
	if (hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME,
				HB_LANGUAGE_INVALID, &nlen, name) == 0)
		nlen = 0;
	f->name = nlen ? xstrdup(name) : xstrdup("Unnamed");

	font = hb_font_create(face);
	hb_font_set_scale(font, (int)upem, (int)upem);
	if (hb_font_get_h_extents(font, &ext)) {
		f->ascent = (int)((long)ext.ascender * 1000 / (long)upem);
		f->descent = (int)((long)ext.descender * 1000 / (long)upem);
	} else {
		f->ascent = 800;
		f->descent = -200;
	}
	cps = hb_set_create();
	hb_face_collect_unicodes(face, cps);
	while (hb_set_next(cps, &cp)) {
		hb_codepoint_t gid;
		int16_t *pg;
		long adv;

		if (cp > 0xFFFF)
			break;
		if (!hb_font_get_nominal_glyph(font, cp, &gid))
			continue;
		pg = f->page[cp >> 8];
		if (!pg) {
			pg = f->page[cp >> 8] = xmalloc(256 * sizeof(*pg));
			for (int i = 0; i < 256; i++)
				pg[i] = -1;
		}
		/* advance * 1000 / units_per_em, truncated, as /W states it:
		 * measuring the same way keeps our lines and the PDF's in step. */
		adv = (long)((uint32_t)hb_font_get_glyph_h_advance(font, gid) *
			     1000u / upem);
		pg[cp & 0xFF] = (int16_t)(adv > 32767 ? 32767 : adv);
		f->max_bmp = cp;
	}
	hb_set_destroy(cps);
	hb_font_destroy(font);
	return f;
}

/* The face for path, opened once per set however many chains name it. */
static const font_face *face_get(font_set *fs, const char *path,
				 unsigned index, struct diag *d,
				 const char *conf, long line)
{
	font_face *f;

	for (size_t i = 0; i < fs->nfaces; i++)
		if (!strcmp(fs->faces[i]->path, path) &&
		    fs->faces[i]->face_index == index)
			return fs->faces[i];
	f = face_open(path, index, d, conf, line);
	if (!f)
		return NULL;
	f->index = fs->nfaces;
	ALLOC_GROW(fs->faces, fs->nfaces + 1, fs->afaces);
	fs->faces[fs->nfaces++] = f;
	return f;
}

static int same_family(const char *a, const char *b)
{
	/* Compare ignoring case and spaces: "NotoSerif" names "Noto Serif". */
	for (;;) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++, b++;
	}
}

/* Resolve "Family" or "Family:fontconfig-properties" for a style through
 * fontconfig. The style sets weight and slant unless the entry does. A
 * family that fontconfig replaces by another is reported as missing. */
static const font_face *resolve_family(font_set *fs, const char *entry,
				       enum font_style style, struct diag *d,
				       const char *conf, long line)
{
	struct diag_loc at = { conf, line, 0 };
	FcPattern *pat = FcNameParse((const FcChar8 *)entry), *m;
	FcResult res;
	FcChar8 *family = NULL, *file = NULL, *want = NULL;
	int index = 0, ok = 0;
	int weight, slant;
	const font_face *f = NULL;

	if (!pat) {
		diag_error(d, at, "cannot parse font name '%s'", entry);
		return NULL;
	}
	FcPatternGetString(pat, FC_FAMILY, 0, &want);
	if (!want) {
		diag_error(d, at, "font entry '%s' names no family", entry);
		FcPatternDestroy(pat);
		return NULL;
	}
	want = (FcChar8 *)xstrdup((const char *)want);
	if (FcPatternGetInteger(pat, FC_WEIGHT, 0, &weight) != FcResultMatch) {
		weight = (style == FONT_BOLD || style == FONT_BOLDITALIC ||
			  style == FONT_HEADING) ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR;
		FcPatternAddInteger(pat, FC_WEIGHT, weight);
	}
	if (FcPatternGetInteger(pat, FC_SLANT, 0, &slant) != FcResultMatch) {
		slant = (style == FONT_ITALIC || style == FONT_BOLDITALIC)
			? FC_SLANT_ITALIC : FC_SLANT_ROMAN;
		FcPatternAddInteger(pat, FC_SLANT, slant);
	}
	FcPatternAddInteger(pat, FC_WIDTH, FC_WIDTH_NORMAL);
	FcConfigSubstitute(fs->fc, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	m = FcFontMatch(fs->fc, pat, &res);
	if (m) {
		for (int i = 0; FcPatternGetString(m, FC_FAMILY, i, &family) ==
				FcResultMatch; i++)
			if (same_family((const char *)family,
					(const char *)want))
				ok = 1;
		FcPatternGetString(m, FC_FILE, 0, &file);
		FcPatternGetInteger(m, FC_INDEX, 0, &index);
	}
	if (!ok || !file) {
		const char *pkg = package_for((const char *)want);
		if (pkg)
			diag_error(d, at, "font family '%s' not found "
				   "(Debian package %s)",
				   (const char *)want, pkg);
		else
			diag_error(d, at, "font family '%s' not found (install "
				   "it, or name its font file in fonts.conf)",
				   (const char *)want);
	} else {
		f = face_get(fs, (const char *)file, (unsigned)index, d, conf,
			     line);
	}
	if (m)
		FcPatternDestroy(m);
	FcPatternDestroy(pat);
	free(want);
	return f;
}

static char *trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			 e[-1] == '\n'))
		*--e = '\0';
	return s;
}

struct pattern_line {
	char *key;   /* the letters, digits removed */
	size_t line;
};

static int cmp_pattern(const void *a, const void *b)
{
	const struct pattern_line *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Load libhyphen patterns (all, the text of the file; its lines are cut
 * in place) with repeated patterns removed (the last one kept, as
 * libhyphen would use): hyph_ru_RU.dic has one, and libhyphen leaks
 * memory for each. */
static HyphenDict *load_patterns(struct sbuf *all)
{
	struct sbuf out = SBUF_INIT;
	struct pattern_line *v = NULL;
	size_t n = 0, alloc = 0;
	char **lines = NULL, *p, *save;
	size_t nl = 0, al = 0;
	unsigned char *drop;
	HyphenDict *dict = NULL;
	FILE *fp;

	for (p = all->buf; *p; p = save) {
		save = strchr(p, '\n');
		if (save)
			*save++ = '\0';
		ALLOC_GROW(lines, nl + 1, al);
		lines[nl++] = p;
		if (!save)
			break;
	}
	drop = xcalloc(nl + 1, 1);
	/* Patterns are the lines after the first (the encoding) that are
	 * not directives (upper-case keywords). */
	for (size_t i = 1; i < nl; i++) {
		struct sbuf key = SBUF_INIT;
		if (!lines[i][0] || (lines[i][0] >= 'A' && lines[i][0] <= 'Z'))
			continue;
		for (p = lines[i]; *p; p++)
			if ((*p < '0' || *p > '9') && *p != '\r')
				sbuf_addch(&key, *p);
		ALLOC_GROW(v, n + 1, alloc);
		v[n].key = sbuf_detach(&key, NULL);
		v[n++].line = i;
	}
	qsort(v, n, sizeof(*v), cmp_pattern);
	for (size_t i = 0; i + 1 < n; i++)
		if (!strcmp(v[i].key, v[i + 1].key))
			drop[v[i].line] = 1;
	for (size_t i = 0; i < nl; i++)
		if (!drop[i]) {
			sbuf_addstr(&out, lines[i]);
			sbuf_addch(&out, '\n');
		}
	fp = fmemopen(out.buf, out.len, "r");
	if (fp) {
		dict = hnj_hyphen_load_file(fp);
		fclose(fp);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].key);
	free(v);
	free(drop);
	free(lines);
	sbuf_release(&out);
	return dict;
}

static int load_hyph(font_set *fs, const char *lang, const char *path,
		     struct diag *d, const char *conf, long line)
{
	struct diag_loc at = { conf, line, 0 };
	struct sbuf text = SBUF_INIT;
	struct font_hyph *h;
	char first[32];
	size_t k;
	int r;

	if (fs->nhyph >= ARRAY_SIZE(fs->hyph))
		return diag_error(d, at, "too many hyphenation languages");
	if (strlen(lang) >= sizeof(h->lang))
		return diag_error(d, at, "bad language '%s'", lang);
	/* A regular file of patterns, never a FIFO or a device. */
	r = safefile_read(NULL, path, &pattern_file, SAFEFILE_MISSING_OK, &text,
			  d, at);
	if (r > 0)
		return diag_error(d, at, "cannot read %s '%s': %s (Debian "
				  "packages hyphen-en-us, hyphen-ru)",
				  pattern_file.what, path, strerror(ENOENT));
	if (r < 0)
		return -1;
	/* The first line names the encoding. */
	k = strcspn(text.buf, "\n");
	k += text.buf[k] == '\n';
	if (k > sizeof(first) - 1)
		k = sizeof(first) - 1;
	memcpy(first, text.buf, k);
	first[k] = '\0';
	h = &fs->hyph[fs->nhyph];
	memset(h, 0, sizeof(*h));
	if (!strncmp(first, "KOI8-R", 6)) {
		h->koi8r = 1;
	} else if (strncmp(first, "UTF-8", 5)) {
		sbuf_release(&text);
		return diag_error(d, at, "hyphenation patterns '%s' are in %s; "
				  "UTF-8 or KOI8-R are supported", path,
				  diag_quote(trim(first), 20));
	}
	h->dict = load_patterns(&text);
	sbuf_release(&text);
	if (!h->dict)
		return diag_error(d, at, "cannot load hyphenation patterns "
				  "'%s'", path);
	memcpy(h->lang, lang, strlen(lang) + 1);
	fs->nhyph++;
	return 0;
}

/* One line of fonts.conf:
 *   STYLE SCRIPT: ENTRY, ENTRY, ...
 *   hyphenate LANG: FILE
 * An entry with a '/' or ending in .ttf is a file (relative to the fonts
 * directory); otherwise a fontconfig family name. */
static int parse_line(font_set *fs, char *s, const char *dir, struct diag *d,
		      const char *conf, long line)
{
	struct diag_loc at = { conf, line, 0 };
	char *colon = strchr(s, ':'), *key2, *rest, *entry;
	int style = -1, script = -1;

	if (!colon)
		return diag_error(d, at, "expected 'STYLE SCRIPT: FONT, ...'");
	*colon = '\0';
	rest = colon + 1;
	s = trim(s);
	key2 = strpbrk(s, " \t");
	if (!key2)
		return diag_error(d, at, "expected 'STYLE SCRIPT: FONT, ...'");
	*key2++ = '\0';
	key2 = trim(key2);
	if (!strcmp(s, "hyphenate")) {
		char *path = trim(rest);
		struct sbuf p = SBUF_INIT;
		int r;
		if (path[0] != '/')
			sbuf_addf(&p, "%s/", dir);
		sbuf_addstr(&p, path);
		r = load_hyph(fs, key2, p.buf, d, conf, line);
		sbuf_release(&p);
		return r;
	}
	for (int i = 0; i < FONT_NSTYLES; i++)
		if (!strcmp(s, style_names[i]))
			style = i;
	for (int i = 0; i < FONT_NSCRIPTS; i++)
		if (!strcmp(key2, script_names[i]))
			script = i;
	if (style < 0)
		return diag_error(d, at, "unknown style '%s' (body, bold, "
				  "italic, bolditalic, heading, small)", s);
	if (script < 0)
		return diag_error(d, at, "unknown script '%s' (latin, "
				  "cyrillic, armenian)", key2);
	fs->nchain[style][script] = 0;
	for (entry = rest; entry; ) {
		char *comma = strchr(entry, ',');
		const font_face *f;
		char *e;
		size_t n;

		if (comma)
			*comma = '\0';
		e = trim(entry);
		entry = comma ? comma + 1 : NULL;
		if (!*e)
			continue;
		n = strlen(e);
		if (strchr(e, '/') || (n > 4 && (!strcasecmp(e + n - 4, ".ttf") ||
						 !strcasecmp(e + n - 4, ".otf")))) {
			struct sbuf p = SBUF_INIT;
			char *real;
			if (e[0] != '/')
				sbuf_addf(&p, "%s/", dir);
			sbuf_addstr(&p, e);
			real = realpath(p.buf, NULL);
			if (!real) {
				diag_error(d, at, "cannot read font file '%s': %s",
					   p.buf, strerror(errno));
				f = NULL;
			} else if (!font_path_allowed(fs, real, dir)) {
				diag_error(d, at, "font file '%s' is outside the "
					   "fonts folder and the system font "
					   "folders", p.buf);
				f = NULL;
			} else {
				f = face_get(fs, real, 0, d, conf, line);
			}
			free(real);
			sbuf_release(&p);
		} else {
			f = resolve_family(fs, e, style, d, conf, line);
		}
		if (!f)
			return -1;
		if (fs->nchain[style][script] >= MAX_CHAIN)
			return diag_error(d, at, "more than %d fonts in a chain",
					  MAX_CHAIN);
		fs->chain[style][script][fs->nchain[style][script]++] = f;
	}
	if (!fs->nchain[style][script])
		return diag_error(d, at, "no fonts for %s %s", s, key2);
	return 0;
}

font_set *font_set_load(const char *fonts_dir, struct diag *d)
{
	struct sbuf path = SBUF_INIT, ln = SBUF_INIT;
	font_set *fs;
	FILE *fp;
	long line = 0;
	int err = 0, c;

	sbuf_addf(&path, "%s/fonts.conf", fonts_dir);
	fp = fopen(path.buf, "r");
	if (!fp) {
		diag_error(d, (struct diag_loc){ path.buf, 0, 0 },
			   "cannot read font configuration: %s",
			   strerror(errno));
		sbuf_release(&path);
		return NULL;
	}
	fs = xcalloc(1, sizeof(*fs));
	fs->fc = FcInitLoadConfigAndFonts();
	if (!fs->fc) {
		err = diag_error(d, (struct diag_loc){ path.buf, 0, 0 },
				 "fontconfig cannot load its configuration");
		goto out;
	}
	for (;;) {
		char *s;
		sbuf_reset(&ln);
		while ((c = getc(fp)) != EOF && c != '\n')
			sbuf_addch(&ln, c);
		if (c == EOF && !ln.len)
			break;
		line++;
		s = strchr(ln.buf, '#');
		if (s)
			*s = '\0';
		s = trim(ln.buf);
		if (*s && parse_line(fs, s, fonts_dir, d, path.buf, line) < 0)
			err = -1;
	}
	/* Every chain must exist: a missing one would leave text unset. */
	for (int st = 0; st < FONT_NSTYLES && !err; st++)
		for (int sc = 0; sc < FONT_NSCRIPTS; sc++)
			if (!fs->nchain[st][sc])
				err = diag_error(d, (struct diag_loc){ path.buf, 0, 0 },
						 "no fonts configured for %s %s",
						 style_names[st], script_names[sc]);
out:
	fclose(fp);
	sbuf_release(&ln);
	sbuf_release(&path);
	if (err) {
		font_set_free(fs);
		return NULL;
	}
	return fs;
}

void font_set_free(font_set *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->nfaces; i++)
		face_free(fs->faces[i]);
	free(fs->faces);
	for (size_t i = 0; i < fs->nhyph; i++)
		hnj_hyphen_free(fs->hyph[i].dict);
	if (fs->fc)
		FcConfigDestroy(fs->fc);
	free(fs);
}

int font_advance(const font_face *f, uint32_t cp)
{
	const int16_t *pg;
	if (cp > 0xFFFF)
		return -1;
	pg = f->page[cp >> 8];
	return pg ? pg[cp & 0xFF] : -1;
}

const font_face *font_lookup(const font_set *fs, enum font_style style,
			     enum font_script script, uint32_t cp)
{
	for (size_t i = 0; i < fs->nchain[style][script]; i++)
		if (font_advance(fs->chain[style][script][i], cp) >= 0)
			return fs->chain[style][script][i];
	return NULL;
}

int font_set_covers(const font_set *fs, uint32_t cp)
{
	int own = font_script_of(cp);
	if (own < 0)
		own = FONT_LATIN;
	for (int st = 0; st < FONT_NSTYLES; st++) {
		/* The character's own script first: nearly always found. */
		const font_face *f = font_lookup(fs, (enum font_style)st,
						 (enum font_script)own, cp);
		for (int sc = 0; !f && sc < FONT_NSCRIPTS; sc++)
			f = font_lookup(fs, (enum font_style)st,
					(enum font_script)sc, cp);
		if (!f)
			return 0;
	}
	return 1;
}

const font_face *font_primary(const font_set *fs, enum font_style style,
			      enum font_script script)
{
	return fs->chain[style][script][0];
}

int font_ascent(const font_face *f) { return f->ascent; }
int font_descent(const font_face *f) { return f->descent; }
const char *font_face_name(const font_face *f) { return f->name; }
const char *font_face_path(const font_face *f) { return f->path; }
size_t font_set_nfaces(const font_set *fs) { return fs->nfaces; }
const font_face *font_set_face(const font_set *fs, size_t i)
{
	return i < fs->nfaces ? fs->faces[i] : NULL;
}
size_t font_face_index(const font_face *f) { return f->index; }

const unsigned char *font_face_data(const font_face *f, size_t *len)
{
	unsigned n;
	const char *p = hb_blob_get_data(f->blob, &n);
	*len = n;
	return (const unsigned char *)p;
}

hb_face_t *font_face_hb(const font_face *f) { return f->face; }

const font_hyph *font_hyph_for(const font_set *fs, const char *lang)
{
	for (size_t i = 0; i < fs->nhyph; i++)
		if (!strcmp(fs->hyph[i].lang, lang))
			return &fs->hyph[i];
	return NULL;
}

/* KOI8-R bytes of the lowercase Russian letters а..я (0x430..0x44F). */
static const unsigned char koi8r_lower[32] = {
	0xC1, 0xC2, 0xD7, 0xC7, 0xC4, 0xC5, 0xD6, 0xDA, 0xC9, 0xCA, 0xCB,
	0xCC, 0xCD, 0xCE, 0xCF, 0xD0, 0xD2, 0xD3, 0xD4, 0xD5, 0xC6, 0xC8,
	0xC3, 0xDE, 0xDB, 0xDD, 0xDF, 0xD9, 0xD8, 0xDC, 0xC0, 0xD1,
};

size_t font_hyphenate(const font_hyph *h, const uint32_t *word, size_t n,
		      unsigned char *ok)
{
	struct sbuf enc = SBUF_INIT;
	size_t *charof, found = 0;
	char *hy;
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;

	memset(ok, 0, n);
	if (n < 2)
		return 0;
	charof = xmalloc((n * 4 + 1) * sizeof(*charof));
	/* Encode for the patterns, remembering which character each byte
	 * belongs to, since libhyphen marks positions by byte. */
	for (size_t i = 0; i < n; i++) {
		if (h->koi8r) {
			unsigned char b;
			if (word[i] >= 0x430 && word[i] <= 0x44F)
				b = koi8r_lower[word[i] - 0x430];
			else if (word[i] == 0x451)
				b = 0xA3;
			else
				goto out;
			charof[enc.len] = i;
			sbuf_addch(&enc, b);
		} else {
			char u[4];
			int k = utf8_encode(word[i], u);
			for (int j = 0; j < k; j++)
				charof[enc.len + (size_t)j] = i;
			sbuf_add(&enc, u, (size_t)k);
		}
	}
	hy = xmalloc(enc.len + 5);
	if (hnj_hyphen_hyphenate2(h->dict, enc.buf, (int)enc.len, hy, NULL,
				  &rep, &pos, &cut) == 0) {
		for (size_t b = 0; b + 1 < enc.len; b++) {
			/* Odd: a hyphen may follow this byte; it must end a
			 * character, and only plain hyphenation is used. */
			if ((hy[b] & 1) && charof[b] != charof[b + 1] &&
			    !(rep && rep[b])) {
				ok[charof[b]] = 1;
				found++;
			}
		}
	}
	if (rep) {
		for (size_t b = 0; b < enc.len; b++)
			free(rep[b]);
		free(rep);
	}
	free(pos);
	free(cut);
	free(hy);
out:
	free(charof);
	sbuf_release(&enc);
	return found;
}
