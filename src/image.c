/* image.c: JPEG and PNG files read, checked and decoded for PDF output
 * (see image.h), and the per-thread cache of the last image loaded.
 *
 * In this file, in order: the limits; the cache; reading a file whole
 * and naming the kinds that cannot be used; the JPEG frame header and
 * end marker; PNG decoding a row at a time, scaled down on the fly;
 * loading either (image_load, which tells them apart with image.h's
 * image_sniff) and fitting one into a box (image_fit). */
#include "image.h"
#include "diag.h"
#include "safefile.h"
#include "sbuf.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sys/stat.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- limits ---- */

/* Limits that keep memory bounded whatever the image. A JPEG is embedded
 * as it is, so its file is read whole. A PNG is decoded a row at a time
 * and scaled down on the fly to what print needs (a page at 300 dpi is
 * about 8 megapixels): what it costs is its output (3 bytes a pixel) and
 * a row; an interlaced PNG that is scaled down also needs the sums of
 * every output pixel (2 bytes a sample), as its passes each cover the
 * whole image. */
#define MAX_IMAGE_BYTES  (64L << 20)

static const struct safefile_kind image_file = { "image", NULL,
	(size_t)MAX_IMAGE_BYTES };
#define MAX_IMAGE_PIXELS 50000000.0
#define MAX_EMBED_PIXELS 6000000.0

/* ---- the cache ---- */

/* The last image a thread loaded, kept for the next brief of the same
 * record (a worker typesets a record's languages one after another):
 * the file as fstat saw it, and what image_load made of it. One entry
 * per thread, freed when the thread loads another image, at thread exit
 * (the key's destructor) and at exit (for the thread that calls it). */
struct image_cache {
	char *path;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
	struct ts_image im;
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static _Thread_local size_t decodes;

static void cache_free(void *p)
{
	struct image_cache *c = p;
	if (!c)
		return;
	free(c->path);
	free(c->im.data);
	free(c);
}

static void cache_at_exit(void)
{
	image_cache_clear();
}

/* Without a thread key (the system's limit reached) there is no cache:
 * every image is read and decoded again, which is slower, not wrong. */
static int cache_ok;

static void cache_init(void)
{
	if (pthread_key_create(&cache_key, cache_free) != 0)
		return;
	cache_ok = 1;
	atexit(cache_at_exit);
}

void image_cache_clear(void)
{
	pthread_once(&cache_once, cache_init);
	if (!cache_ok)
		return;
	cache_free(pthread_getspecific(cache_key));
	pthread_setspecific(cache_key, NULL);
}

size_t image_decodes(void)
{
	return decodes;
}

static int same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* A copy of the cached image when it was made from this very file: the
 * same path, device, inode, size, modification and change times. */
static int cache_get(const char *path, const struct stat *st,
		     struct ts_image *out)
{
	struct image_cache *c;

	pthread_once(&cache_once, cache_init);
	c = cache_ok ? pthread_getspecific(cache_key) : NULL;
	if (!c || strcmp(c->path, path) || c->dev != st->st_dev ||
	    c->ino != st->st_ino || c->size != st->st_size ||
	    !same_time(&c->mtime, &st->st_mtim) ||
	    !same_time(&c->ctime, &st->st_ctim))
		return 0;
	*out = c->im;
	out->data = xmalloc(c->im.len ? c->im.len : 1);
	memcpy(out->data, c->im.data, c->im.len);
	return 1;
}

/* Keep a copy of im, made from the file path (as st), replacing what the
 * thread kept before. */
static void cache_put(const char *path, const struct stat *st,
		      const struct ts_image *im)
{
	struct image_cache *c;

	image_cache_clear();
	if (!cache_ok)
		return;
	c = xcalloc(1, sizeof(*c));
	c->path = xstrdup(path);
	c->dev = st->st_dev;
	c->ino = st->st_ino;
	c->size = st->st_size;
	c->mtime = st->st_mtim;
	c->ctime = st->st_ctim;
	c->im = *im;
	c->im.data = xmalloc(im->len ? im->len : 1);
	memcpy(c->im.data, im->data, im->len);
	if (pthread_setspecific(cache_key, c) != 0)
		cache_free(c); /* no room for the key: just not kept */
}

/* ---- reading ---- */

/* Read the rest of fp: -1 with errno (EFBIG past MAX_IMAGE_BYTES). */
static int read_all(FILE *fp, unsigned char **data, size_t *len)
{
	struct sbuf sb = SBUF_INIT;
	char buf[65536];
	size_t k;

	while ((k = fread(buf, 1, sizeof(buf), fp)) > 0) {
		sbuf_add(&sb, buf, k);
		if (sb.len > (size_t)MAX_IMAGE_BYTES) {
			sbuf_release(&sb);
			errno = EFBIG;
			return -1;
		}
	}
	if (ferror(fp)) {
		sbuf_release(&sb);
		if (!errno)
			errno = EIO;
		return -1;
	}
	*data = (unsigned char *)sbuf_detach(&sb, len);
	return 0;
}

/* What kind of file it is, for the message when it is no JPEG or PNG. */
static const char *describe(const unsigned char *s, size_t n)
{
	if (n >= 6 && (!memcmp(s, "GIF87a", 6) || !memcmp(s, "GIF89a", 6)))
		return "a GIF image";
	if (n >= 12 && !memcmp(s, "RIFF", 4) && !memcmp(s + 8, "WEBP", 4))
		return "a WebP image";
	if (n >= 4 && (!memcmp(s, "II*", 4) || !memcmp(s, "MM\0*", 4)))
		return "a TIFF image";
	if (n >= 2 && s[0] == 'B' && s[1] == 'M')
		return "a BMP image";
	if (n >= 5 && !memcmp(s, "%PDF-", 5))
		return "a PDF file";
	return "neither a JPEG nor a PNG image";
}

/* ---- JPEG ---- */

/* The size and components of a JPEG from its SOF marker; -1 when there
 * is none or it is cut short. */
static int jpeg_info(const unsigned char *s, size_t n, unsigned *w,
		     unsigned *h, int *comp)
{
	size_t i = 2;
	if (n < 4 || s[0] != 0xFF || s[1] != 0xD8)
		return -1;
	while (i + 9 < n) {
		unsigned m, len;
		if (s[i] != 0xFF)
			return -1;
		m = s[i + 1];
		if (m == 0xFF) {
			i++;
			continue;
		}
		len = (unsigned)s[i + 2] << 8 | s[i + 3];
		if (len < 2)
			return -1;
		if ((m >= 0xC0 && m <= 0xC3) || (m >= 0xC5 && m <= 0xC7) ||
		    (m >= 0xC9 && m <= 0xCB) || (m >= 0xCD && m <= 0xCF)) {
			if (len < 8 || i + 2 + len > n)
				return -1;
			*h = (unsigned)s[i + 5] << 8 | s[i + 6];
			*w = (unsigned)s[i + 7] << 8 | s[i + 8];
			*comp = s[i + 9];
			return *w && *h ? 0 : -1;
		}
		i += 2 + len;
	}
	return -1;
}

/* Whether the JPEG ends with its end-of-image marker (allowing some
 * padding after it), i.e. was not cut short. */
static int jpeg_complete(const unsigned char *s, size_t n)
{
	size_t from = n > 4096 ? n - 4096 : 2;
	for (size_t i = n; i-- > from + 1;)
		if (s[i - 1] == 0xFF && s[i] == 0xD9)
			return 1;
	return 0;
}

/* A JPEG, embedded as it is: read whole and checked (frame header, size,
 * end marker, gray or RGB). */
static int load_jpeg(struct diag *d, struct diag_loc at, const char *q,
		     FILE *fp, struct ts_image *im)
{
	unsigned char *data;
	size_t len;

	if (read_all(fp, &data, &len) < 0) {
		if (errno == EFBIG)
			return diag_error(d, at, "image %s is larger than "
					  "%ld MB", q, MAX_IMAGE_BYTES >> 20);
		return diag_error(d, at, "cannot read image %s: %s", q,
				  strerror(errno));
	}
	if (jpeg_info(data, len, &im->width, &im->height,
		      &im->components) < 0) {
		free(data);
		return diag_error(d, at, "image %s is not a readable "
				  "JPEG (no frame header; cut short or "
				  "corrupt)", q);
	}
	if ((double)im->width * im->height > MAX_IMAGE_PIXELS) {
		free(data);
		return diag_error(d, at, "image %s is %ux%u pixels "
				  "(%.0f megapixels); at most %.0f can "
				  "be used", q, im->width, im->height,
				  (double)im->width * im->height / 1e6,
				  MAX_IMAGE_PIXELS / 1e6);
	}
	if (!jpeg_complete(data, len)) {
		free(data);
		return diag_error(d, at, "JPEG image %s is cut short "
				  "(no end-of-image marker)", q);
	}
	if (im->components != 1 && im->components != 3) {
		free(data);
		return diag_error(d, at, "JPEG image %s has %d "
				  "colour components; save it as RGB "
				  "or grayscale", q, im->components);
	}
	im->jpeg = 1;
	im->data = data;
	im->len = len;
	return 0;
}

/* ---- PNG ---- */

/* A PNG being decoded: libpng gives rows of 8-bit RGBA (of a pass, when
 * interlaced), composed here on white into the output, or, when it is
 * scaled down by f, summed into the f x f blocks of band output rows
 * (one when the rows come in order; all of them when interlaced). */
struct png_read {
	FILE *fp;
	png_structp png;
	png_infop info;
	unsigned w, h, f, nw, nh, band;
	unsigned char *row;   /* w pixels of RGBA */
	uint16_t *acc;        /* band x nw sums of RGB; f > 1 only */
	unsigned char *out;   /* nw x nh pixels of RGB */
	int too_big;          /* more than MAX_IMAGE_PIXELS */
	char msg[200];        /* libpng's error */
};

static void png_fail(png_structp png, png_const_charp msg)
{
	struct png_read *pr = png_get_error_ptr(png);
	snprintf(pr->msg, sizeof(pr->msg), "%s", msg);
	png_longjmp(png, 1);
}

/* libpng warns about ancillary chunks it skips (a wrong colour profile,
 * a bad checksum outside the pixels); the pixels drawn are the same. */
static void png_warn(png_structp png, png_const_charp msg)
{
}

/* Pixels of pr->row (n of them, the i-th at column x0 + i * dx) as row y
 * of the image. */
static void png_put_row(struct png_read *pr, unsigned y, unsigned x0,
			unsigned dx, unsigned n)
{
	const unsigned char *px = pr->row;
	unsigned char *o = pr->out + (size_t)y * pr->nw * 3;
	uint16_t *a = pr->acc ? pr->acc + (size_t)(y / pr->f % pr->band) *
					      pr->nw * 3 : NULL;

	for (unsigned i = 0, x = x0; i < n; i++, x += dx, px += 4) {
		unsigned al = px[3];
		for (unsigned k = 0; k < 3; k++) {
			/* on white: c * alpha + 255 * (1 - alpha) */
			unsigned c = al == 255 ? px[k] :
				(px[k] * al + 255 * (255 - al) + 127) / 255;
			if (a)
				a[(size_t)(x / pr->f) * 3 + k] += (uint16_t)c;
			else
				o[(size_t)x * 3 + k] = (unsigned char)c;
		}
	}
}

/* Output row oy: the averages of its blocks, whose sums are acc's row br
 * (blocks at the right and bottom edges may be smaller). */
static void png_flush_row(struct png_read *pr, unsigned oy, unsigned br)
{
	const uint16_t *a = pr->acc + (size_t)br * pr->nw * 3;
	unsigned char *o = pr->out + (size_t)oy * pr->nw * 3;
	unsigned f = pr->f;
	unsigned bh = pr->h - oy * f < f ? pr->h - oy * f : f;

	for (unsigned ox = 0; ox < pr->nw; ox++) {
		unsigned bw = pr->w - ox * f < f ? pr->w - ox * f : f;
		unsigned cnt = bw * bh;
		for (unsigned k = 0; k < 3; k++)
			o[ox * 3 + k] = (unsigned char)((a[ox * 3 + k] + cnt / 2) /
							cnt);
	}
}

/* Decode pr->fp into pr->out (0), or -1 with pr->msg or pr->too_big. The
 * caller frees what pr holds either way. */
static int png_decode(struct png_read *pr)
{
	png_structp png = pr->png;
	png_infop info = pr->info;
	int interlaced;

	if (setjmp(png_jmpbuf(png)))
		return -1;
	png_init_io(png, pr->fp);
	png_read_info(png, info);
	pr->w = png_get_image_width(png, info);
	pr->h = png_get_image_height(png, info);
	if ((double)pr->w * pr->h > MAX_IMAGE_PIXELS) {
		pr->too_big = 1;
		return -1;
	}
	interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;

	/* 8-bit RGBA whatever the file: palette, low-bit gray and tRNS
	 * expanded, 16 bits scaled, gray made RGB, an alpha added when
	 * there is none; a file gamma other than sRGB's is corrected to
	 * it. No interlace handling: an interlaced file comes as its seven
	 * passes, each a smaller image whose pixels go to their places. */
	png_set_alpha_mode(png, PNG_ALPHA_PNG, PNG_DEFAULT_sRGB);
	png_set_expand(png);
	png_set_scale_16(png);
	png_set_gray_to_rgb(png);
	png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
	png_read_update_info(png, info);
	if (png_get_rowbytes(png, info) != (size_t)pr->w * 4)
		BUG("PNG rows of %zu bytes for %u pixels",
		    (size_t)png_get_rowbytes(png, info), pr->w);

	/* The factor that brings it to MAX_EMBED_PIXELS or less; with the
	 * limits above it is at most 3, so a block's sum (f * f * 255)
	 * fits 16 bits. */
	pr->f = 1;
	if ((double)pr->w * pr->h > MAX_EMBED_PIXELS)
		pr->f = (unsigned)ceil(sqrt((double)pr->w * pr->h /
					    MAX_EMBED_PIXELS));
	if (pr->f > 16)
		BUG("PNG scaled down by %u", pr->f);
	pr->nw = (pr->w + pr->f - 1) / pr->f;
	pr->nh = (pr->h + pr->f - 1) / pr->f;
	pr->row = xmalloc((size_t)pr->w * 4);
	pr->out = xmalloc((size_t)pr->nw * pr->nh * 3);
	if (pr->f > 1) {
		pr->band = interlaced ? pr->nh : 1;
		pr->acc = xcalloc((size_t)pr->band * pr->nw * 3,
				  sizeof(*pr->acc));
	}

	if (!interlaced) {
		for (unsigned y = 0; y < pr->h; y++) {
			png_read_row(png, pr->row, NULL);
			png_put_row(pr, y, 0, 1, pr->w);
			if (pr->f > 1 && ((y + 1) % pr->f == 0 || y + 1 == pr->h)) {
				png_flush_row(pr, y / pr->f, 0);
				memset(pr->acc, 0, (size_t)pr->nw * 3 *
				       sizeof(*pr->acc));
			}
		}
		return 0;
	}
	/* libpng skips the passes that are empty for small images. */
	for (int pass = 0; pass < 7; pass++) {
		unsigned cols = PNG_PASS_COLS(pr->w, pass);
		unsigned rows = PNG_PASS_ROWS(pr->h, pass);
		if (!cols || !rows)
			continue;
		for (unsigned py = 0; py < rows; py++) {
			png_read_row(png, pr->row, NULL);
			png_put_row(pr, PNG_ROW_FROM_PASS_ROW(py, pass),
				    PNG_PASS_START_COL(pass),
				    1u << PNG_PASS_COL_SHIFT(pass), cols);
		}
	}
	for (unsigned oy = 0; pr->f > 1 && oy < pr->nh; oy++)
		png_flush_row(pr, oy, oy);
	return 0;
}

/* A PNG of any depth, interlacing or transparency: decoded to 8-bit RGB
 * on white, scaled down above MAX_EMBED_PIXELS. */
static int load_png(struct diag *d, struct diag_loc at, const char *q,
		    FILE *fp, struct ts_image *im)
{
	struct png_read pr;
	int r;

	memset(&pr, 0, sizeof(pr));
	pr.fp = fp;
	pr.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &pr,
					png_fail, png_warn);
	if (!pr.png || !(pr.info = png_create_info_struct(pr.png))) {
		png_destroy_read_struct(&pr.png, NULL, NULL);
		return diag_error(d, at, "cannot read image %s: libpng "
				  "could not set up its reader (out of memory?)", q);
	}
	r = png_decode(&pr);
	png_destroy_read_struct(&pr.png, &pr.info, NULL);
	free(pr.row);
	free(pr.acc);
	if (r < 0) {
		/* no output yet: the header or what precedes the pixels */
		int header = !pr.out;
		free(pr.out);
		if (pr.too_big)
			return diag_error(d, at, "image %s is %ux%u pixels "
					  "(%.0f megapixels); at most %.0f can "
					  "be used", q, pr.w, pr.h,
					  (double)pr.w * pr.h / 1e6,
					  MAX_IMAGE_PIXELS / 1e6);
		if (header)
			return diag_error(d, at, "image %s is not a readable "
					  "PNG: %s", q, pr.msg);
		return diag_error(d, at, "cannot decode PNG image %s: %s",
				  q, pr.msg);
	}
	im->width = pr.nw;
	im->height = pr.nh;
	im->components = 3;
	im->data = pr.out;
	im->len = (size_t)pr.nw * pr.nh * 3;
	return 0;
}

/* ---- loading ---- */

/* A JPEG as it is (gray or RGB), a PNG decoded (load_png). An empty,
 * cut-short, corrupt or oversized file, or one of another kind, is an
 * error naming the image; the same file loaded again by the same thread
 * is served from its cache. */
int image_load(const char *path, struct diag *d, struct diag_loc at,
	       struct ts_image *out)
{
	struct ts_image im = { 0 };
	unsigned char sig[16];
	enum image_type type;
	struct stat st;
	size_t nsig;
	char q[600];
	struct safefile f;
	FILE *fp;
	int r;

	snprintf(q, sizeof(q), "'%s'", diag_quote(path, 80));
	/* Not a device or a pipe, which could block or never end: only a
	 * regular file of a bounded size is read (safefile.c). */
	if (safefile_open(NULL, path, &image_file, 0, &f, NULL, at) < 0) {
		enum safefile_status why = f.status;
		int e = f.err;
		safefile_close(&f);
		if (why == SAFEFILE_NOT_REGULAR)
			return diag_error(d, at, "image %s is not a regular file",
					  q);
		if (why == SAFEFILE_TOO_LARGE)
			return diag_error(d, at, "image %s is larger than %ld MB",
					  q, MAX_IMAGE_BYTES >> 20);
		return diag_error(d, at, "cannot read image %s: %s", q,
				  strerror(e ? e : EIO));
	}
	if (cache_get(path, &f.st, &im)) {
		safefile_close(&f);
		goto have;
	}
	st = f.st;
	/* Nothing of the last image is held while this one is decoded. */
	image_cache_clear();
	if (!(fp = fdopen(f.fd, "rb"))) {
		int e = errno;
		safefile_close(&f);
		return diag_error(d, at, "cannot read image %s: %s", q,
				  strerror(e));
	}
	f.fd = -1;
	safefile_close(&f);
	decodes++;
	nsig = fread(sig, 1, sizeof(sig), fp);
	if (ferror(fp)) {
		int e = errno ? errno : EIO;
		fclose(fp);
		return diag_error(d, at, "cannot read image %s: %s", q,
				  strerror(e));
	}
	rewind(fp);
	type = image_sniff(sig, nsig);
	if (!nsig) {
		r = diag_error(d, at, "image %s is an empty file", q);
	} else if (type == IMAGE_JPEG) {
		r = load_jpeg(d, at, q, fp, &im);
	} else if (type == IMAGE_PNG) {
		r = load_png(d, at, q, fp, &im);
	} else {
		r = diag_error(d, at, "image %s is %s; only JPEG and PNG "
			       "images can be used", q, describe(sig, nsig));
	}
	fclose(fp);
	if (r < 0)
		return -1;
	cache_put(path, &st, &im);
have:
	*out = im;
	return 0;
}

void image_fit(const struct ts_image *im, double max_w, double max_h,
	       double *w, double *h)
{
	double sc = fmin(max_w / im->width, max_h / im->height);
	*w = im->width * sc;
	*h = im->height * sc;
}
