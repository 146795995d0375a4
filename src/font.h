/* font.h: the fonts of a document set, prepared once per process.
 *
 * A font set is read from FONTS_DIR/fonts.conf (see fonts/README): for each
 * style (body, bold, italic, bolditalic, heading, small) and each script
 * (Latin, Cyrillic, Armenian) a fallback chain of font families, resolved
 * through fontconfig, or font files. A character is drawn with the first
 * font of its chain that has a glyph for it. The same file lists the
 * hyphenation patterns per language.
 *
 * After font_set_load() the set is read-only: several threads may typeset
 * and write documents with one set at the same time. What a document
 * needs of a face (the subset of the glyphs it draws) the PDF writer
 * makes from font_face_hb, allocating and sharing nothing. */
#ifndef DOSSIER_FONT_H
#define DOSSIER_FONT_H

#include <stddef.h>
#include <stdint.h>

struct diag;
struct hb_face_t;

enum font_style {
	FONT_BODY,
	FONT_BOLD,
	FONT_ITALIC,
	FONT_BOLDITALIC,
	FONT_HEADING,
	FONT_SMALL,
	FONT_NSTYLES
};

enum font_script {
	FONT_LATIN,    /* Latin letters, and the default for common characters */
	FONT_CYRILLIC,
	FONT_ARMENIAN,
	FONT_NSCRIPTS,
	FONT_COMMON = -1 /* digits, punctuation, spaces: take the neighbours' */
};

typedef struct font_set font_set;
typedef struct font_face font_face;
/* A hyphenation dictionary of one language (libhyphen). */
typedef struct font_hyph font_hyph;

/* Read fonts_dir/fonts.conf and load every font it names. Returns NULL
 * with errors in d when the file is unreadable or malformed, or when a
 * family cannot be found (the message names the Debian package that
 * provides it) or a font file cannot be used. Free with font_set_free. */
font_set *font_set_load(const char *fonts_dir, struct diag *d);
void font_set_free(font_set *fs); /* NULL is fine */

/* The script a character belongs to, FONT_COMMON when it has none of its
 * own (digits, punctuation, symbols, spaces). */
int font_script_of(uint32_t cp);

/* Whether text in any style can draw cp: for each style, some face of
 * its chains has it (the typesetter tries the chain of cp's script, then
 * those of the other scripts). 0 for characters outside the BMP. */
int font_set_covers(const font_set *fs, uint32_t cp);

/* The first face of the chain (style, script) that has cp, or NULL when
 * none has (characters outside the BMP are never found: PDF output cannot
 * draw them). */
const font_face *font_lookup(const font_set *fs, enum font_style style,
			     enum font_script script, uint32_t cp);
/* The first face of the chain, for metrics of a style (never NULL). */
const font_face *font_primary(const font_set *fs, enum font_style style,
			      enum font_script script);

/* Advance width of cp in thousandths of an em, exactly as the PDF's /W
 * array states it (truncated); -1 when the face lacks cp. */
int font_advance(const font_face *f, uint32_t cp);
/* Ascender and descender (negative) in thousandths of an em. */
int font_ascent(const font_face *f);
int font_descent(const font_face *f);
/* PostScript name, e.g. "NotoSerif-Bold"; and the file it came from. */
const char *font_face_name(const font_face *f);
const char *font_face_path(const font_face *f);
/* Faces are numbered 0..n-1 in the set, so documents can keep per-face
 * tables in arrays. */
size_t font_set_nfaces(const font_set *fs);
const font_face *font_set_face(const font_set *fs, size_t i);
size_t font_face_index(const font_face *f);

/* The face as it was read, for embedding it: the whole font file (the
 * set owns the bytes), and its HarfBuzz face, made immutable, so that
 * threads may read it (subset it, map characters to glyphs) at once but
 * never change it. */
const unsigned char *font_face_data(const font_face *f, size_t *len);
struct hb_face_t *font_face_hb(const font_face *f);

/* Hyphenation patterns for lang ("en", "ru"), or NULL when none are
 * configured. */
const font_hyph *font_hyph_for(const font_set *fs, const char *lang);
/* Where word (n code points, lowercase) may be hyphenated: ok[i] is set to
 * 1 when a hyphen may follow code point i. Returns the number of such
 * points; 0 when the word cannot be encoded for the patterns. */
size_t font_hyphenate(const font_hyph *h, const uint32_t *word, size_t n,
		      unsigned char *ok);

#endif
