/* pdf-private.h: what the parts of the PDF writer share (pdf.c, the file
 * and the document's dictionaries; pdf-page.c, a page's contents;
 * pdf-font.c, the embedded fonts): the writer's state, the serializers
 * of numbers and strings, and the calls that number and write objects.
 * Nothing outside these files (and their tests) includes it. */
#ifndef DOSSIER_PDF_PRIVATE_H
#define DOSSIER_PDF_PRIVATE_H

#include "pdf.h"
#include "font.h"
#include "sbuf.h"
#include "sha256.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Objects per object stream: readers load a whole object stream to get
 * one of its objects, so a binder's are kept small. */
#define OBJSTM_MAX 400

/* The characters drawn with one face: code -> character in cps (codes
 * from 1), character -> code in code (per block of 256 characters of the
 * BMP, made at first use: a brief touches a handful). */
struct pdf_used {
	uint16_t *code[256];
	uint32_t *cps;
	size_t n, alloc;
	size_t obj; /* the Type0 font's number, 0 while unused */
};

/* A link to a named destination of this document, checked at the end. */
struct pdf_dest_ref {
	char *name;
	size_t page;
};

struct pdf_writer {
	FILE *fp;
	int own_fp;                 /* pdf_open's file, closed by the writer */
	const char *path;
	struct diag *d;
	unsigned flags;
	int failed;
	unsigned long long at;      /* bytes written */
	struct sha256 sha;          /* of the bytes written */
	/* Per object number (0 unused): where it is. kind 1: at off in
	 * the file; 2: in object stream off, at index idx. */
	unsigned long long *off;
	unsigned char *kind;
	uint16_t *idx;
	size_t nobj, aobj;
	/* The object stream being filled, and its objects' numbers. */
	struct sbuf hdr, body;
	size_t nin, in[OBJSTM_MAX];
	size_t pages_obj;           /* the page tree, numbered first */
	size_t *page_obj;           /* per page written */
	size_t npages, apages;
	struct pdf_used *used;      /* per face of the font set */
	size_t nfaces;
	size_t *image_obj;          /* per image of td, 0 while unwritten */
	size_t nimage_obj;
	struct pdf_dest_ref *refs;
	size_t nrefs, arefs;
	struct sbuf page, text, z;  /* scratch */
};

/* ---- numbers and strings (pdf.c) ---- */

/* Numbers for the PDF, whatever the locale: integers, and reals with at
 * most two decimals and no trailing zeros. */
void pdf_add_int(struct sbuf *sb, long long v);
void pdf_add_num(struct sbuf *sb, double v);
/* v rounded to hundredths, as pdf_add_num writes it; what no page has
 * (NaN, beyond a billion points) as 0. */
double pdf_round2(double v);
/* Four hexadecimal digits, upper case. */
void pdf_add_hex4(struct sbuf *sb, unsigned v);
/* "num 0 R" */
void pdf_add_ref(struct sbuf *sb, size_t num);
/* A literal string of bytes: ( ) \ escaped, bytes outside printable
 * ASCII in octal. */
void pdf_add_bytes(struct sbuf *sb, const char *s, size_t n);

/* ---- objects (pdf.c) ---- */

/* The first error: a message "cannot write PDF: ..." in w->d, and w
 * fails from then on (what is written after is dropped). Returns -1. */
int pdf_fail(pdf_writer *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The next object number. */
size_t pdf_new_obj(pdf_writer *w);
/* A stream object, straight to the file: dict holds its entries but
 * /Length (and /Filter when compressed). */
void pdf_put_stream(pdf_writer *w, size_t num, const char *dict,
		    const void *data, size_t n, int compress);
/* An object that is not a stream, into the object stream being filled. */
void pdf_put_obj_sb(pdf_writer *w, size_t num, const struct sbuf *sb);

/* ---- fonts (pdf-font.c) ---- */

/* The code of cp in face u, given at its first use (0 when the face has
 * all 65535 codes taken). */
unsigned pdf_font_code(struct pdf_used *u, uint32_t cp);
/* Embed face f as the Type0 font u->obj, now that its characters are
 * known: the font file, CIDToGIDMap, ToUnicode, the descendant
 * CIDFontType2 and its descriptor. -1 when it fails (in w). */
int pdf_font_write(pdf_writer *w, const font_face *f,
		   const struct pdf_used *u);
/* Free what u holds (not u itself). */
void pdf_font_release(struct pdf_used *u);

/* A TrueType font holding only the given code points (without hinting,
 * layout tables or names). Returns malloc'd bytes (the caller frees) and
 * their length in *len, or NULL when HarfBuzz fails. Safe to call from
 * several threads. */
unsigned char *pdf_font_subset(const font_face *f, const uint32_t *cps,
			       size_t n, size_t *len);
/* The TrueType bytes to embed for the n code points cps: a subset
 * (pdf_font_subset), or the whole font file when whole is set; gids[i]
 * receives the glyph of cps[i] in those bytes (0 when none). Returns
 * malloc'd bytes (the caller frees) and their length in *len, or NULL
 * when HarfBuzz fails. */
unsigned char *pdf_font_file(const font_face *f, const uint32_t *cps,
			     size_t n, int whole, uint16_t *gids, size_t *len);
/* What a PDF font descriptor needs, in thousandths of an em. */
struct pdf_font_info {
	int bbox[4];         /* xmin ymin xmax ymax ('head') */
	double italic_angle; /* degrees ('post'), 0 when upright */
	int cap_height, ascent, descent;
};
void pdf_font_info(const font_face *f, struct pdf_font_info *out);

#endif
