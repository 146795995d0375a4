/* image.h: JPEG and PNG files made ready for PDF. A JPEG is embedded as
 * it is (read whole and checked); a PNG is decoded to 8-bit RGB on white
 * and scaled down to what print needs. Files are told apart by their
 * first bytes (image_sniff), which the roster check uses too. Each
 * thread keeps the last image it loaded (see typeset_image_cache_clear
 * in typeset.h), so the briefs of one record in three languages decode
 * its photo once. Nothing here knows about pages or typesetting: the
 * typesetter places what image_load returns, and pdf.c writes it. */
#ifndef DOSSIER_IMAGE_H
#define DOSSIER_IMAGE_H

#include "diag.h"

#include <stddef.h>
#include <string.h>

/* An image ready for PDF: JPEG bytes as they are, or 8-bit samples,
 * row by row from the top, width x components bytes a row. */
struct ts_image {
	int jpeg;
	unsigned char *data; /* owned */
	size_t len;
	unsigned width, height;
	int components;      /* 1 gray, 3 RGB */
};

enum image_type { IMAGE_OTHER, IMAGE_JPEG, IMAGE_PNG };

/* The type of a file from its first n bytes s: a JPEG starts with
 * FF D8 FF, a PNG with its 8-byte signature; anything else (a file cut
 * inside its signature too) is IMAGE_OTHER. Eight bytes are enough.
 * Inline, so that checking a roster's photo paths (record.c) needs
 * neither this module's decoders nor libpng. */
static inline enum image_type image_sniff(const unsigned char *s, size_t n)
{
	if (n >= 3 && s[0] == 0xFF && s[1] == 0xD8 && s[2] == 0xFF)
		return IMAGE_JPEG;
	if (n >= 8 && !memcmp(s, "\x89PNG\r\n\x1A\n", 8))
		return IMAGE_PNG;
	return IMAGE_OTHER;
}

/* Load the image at path into *out (which the caller frees with
 * free(out->data)): 0, or -1 with an error at `at` in d naming the file
 * (unreadable, not a regular file, empty, of another kind, larger than
 * the limits, cut short or corrupt). The dimensions are checked before
 * anything is decoded. The same file loaded again by the same thread is
 * a copy of its cache entry. */
int image_load(const char *path, struct diag *d, struct diag_loc at,
	       struct ts_image *out);

/* The size of im scaled to fit max_w x max_h points, keeping its aspect
 * (larger or smaller): *w x *h. */
void image_fit(const struct ts_image *im, double max_w, double max_h,
	       double *w, double *h);

/* Free the calling thread's cache entry now. */
void image_cache_clear(void);
/* How many images the calling thread has read and decoded (not served
 * from its cache). */
size_t image_decodes(void);

#endif
