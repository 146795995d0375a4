/* t_image.c: the image module: telling JPEG and PNG files apart by their
 * first bytes (whole, cut short, of other kinds), loading a small JPEG
 * (and again from the thread's cache), the errors for files that cannot
 * be used, and fitting an image into a box. */
#include "harness.h"
#include "diag.h"
#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const unsigned char jpeg_sig[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10 };
static const unsigned char png_sig[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A,
					 '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };

/* A 3 x 2 RGB baseline JPEG header: start of image, a frame header, end
 * of image; enough for the checks that come before decoding. */
static const unsigned char tiny_jpeg[] = {
	0xFF, 0xD8,
	0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x03, 0x03,
	0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
	0xFF, 0xD9,
};

static void test_sniff(void)
{
	static const unsigned char gif[] = "GIF89a\x01\x00\x01\x00";
	static const unsigned char pdf[] = "%PDF-1.5\n";
	unsigned char bad_png[sizeof(png_sig)];

	/* whole signatures */
	check_int(image_sniff(jpeg_sig, sizeof(jpeg_sig)), IMAGE_JPEG);
	check_int(image_sniff(png_sig, sizeof(png_sig)), IMAGE_PNG);
	check_int(image_sniff(png_sig, 8), IMAGE_PNG);
	check_int(image_sniff(tiny_jpeg, sizeof(tiny_jpeg)), IMAGE_JPEG);
	check_int(image_sniff(jpeg_sig, 3), IMAGE_JPEG);
	/* neither */
	check_int(image_sniff(gif, sizeof(gif) - 1), IMAGE_OTHER);
	check_int(image_sniff(pdf, sizeof(pdf) - 1), IMAGE_OTHER);
	check_int(image_sniff((const unsigned char *)"", 0), IMAGE_OTHER);
	check_int(image_sniff((const unsigned char *)"\xFF\xD8\x00\x00", 4),
		  IMAGE_OTHER);
	memcpy(bad_png, png_sig, sizeof(png_sig));
	bad_png[4] = '\n'; /* CR LF made LF LF, as a text-mode copy does */
	check_int(image_sniff(bad_png, sizeof(bad_png)), IMAGE_OTHER);
	/* cut inside the signature */
	check_int(image_sniff(jpeg_sig, 2), IMAGE_OTHER);
	check_int(image_sniff(jpeg_sig, 1), IMAGE_OTHER);
	for (size_t n = 0; n < 8; n++)
		check_int(image_sniff(png_sig, n), IMAGE_OTHER);
}

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	int ok = fp && fwrite(data, 1, len, fp) == len;
	if (fp && fclose(fp) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

/* Loading path fails with one error, at "photo.lay:7", whose message
 * has want. */
static void load_fails(const char *path, const char *want)
{
	struct diag d = DIAG_INIT;
	struct ts_image im = { 0 };
	struct diag_loc at = { "photo.lay", 7, 0 };

	check_int(image_load(path, &d, at, &im), -1);
	check_int(d.nerrors, 1);
	check(im.data == NULL);
	if (d.n) {
		check_str(d.v[0].file, "photo.lay");
		check_int(d.v[0].line, 7);
		if (!strstr(d.v[0].msg, want))
			fprintf(stderr, "message: %s\n", d.v[0].msg);
		check(strstr(d.v[0].msg, want) != NULL);
	}
	diag_release(&d);
}

static void test_load(const char *dir)
{
	char path[256];
	struct diag d = DIAG_INIT;
	struct ts_image im = { 0 }, again = { 0 };
	struct diag_loc at = { "photo.lay", 7, 0 };
	size_t n0;

	image_cache_clear();
	snprintf(path, sizeof(path), "%s/tiny.jpg", dir);
	check_int(write_file(path, tiny_jpeg, sizeof(tiny_jpeg)), 0);
	n0 = image_decodes();
	check_int(image_load(path, &d, at, &im), 0);
	check_int(d.n, 0);
	check_int(im.jpeg, 1);
	check_int(im.width, 3);
	check_int(im.height, 2);
	check_int(im.components, 3);
	check_int(im.len, sizeof(tiny_jpeg));
	check(im.data && !memcmp(im.data, tiny_jpeg, sizeof(tiny_jpeg)));
	check_int(image_decodes(), n0 + 1);
	/* the same file again: a copy from the cache, not read again */
	check_int(image_load(path, &d, at, &again), 0);
	check_int(image_decodes(), n0 + 1);
	check(again.data && again.data != im.data &&
	      again.len == im.len && !memcmp(again.data, im.data, im.len));
	free(again.data);
	/* after clearing the cache it is read again */
	image_cache_clear();
	check_int(image_load(path, &d, at, &again), 0);
	check_int(image_decodes(), n0 + 2);
	free(again.data);
	free(im.data);
	check_int(d.n, 0);
	diag_release(&d);

	/* a JPEG cut before its frame header */
	snprintf(path, sizeof(path), "%s/cut.jpg", dir);
	check_int(write_file(path, tiny_jpeg, 8), 0);
	load_fails(path, "is not a readable JPEG");
	/* a JPEG cut after it, before its end marker */
	check_int(write_file(path, tiny_jpeg, sizeof(tiny_jpeg) - 2), 0);
	load_fails(path, "is cut short (no end-of-image marker)");
	/* a PNG cut inside its signature is no image at all */
	snprintf(path, sizeof(path), "%s/cut.png", dir);
	check_int(write_file(path, png_sig, 6), 0);
	load_fails(path, "is neither a JPEG nor a PNG image");
	/* a PNG signature with nothing after it */
	check_int(write_file(path, png_sig, 8), 0);
	load_fails(path, "is not a readable PNG");
	/* other kinds are named */
	snprintf(path, sizeof(path), "%s/photo.gif", dir);
	check_int(write_file(path, "GIF89a\x01\x00\x01\x00\x00\x00", 12), 0);
	load_fails(path, "is a GIF image; only JPEG and PNG images can be used");
	snprintf(path, sizeof(path), "%s/empty.jpg", dir);
	check_int(write_file(path, "", 0), 0);
	load_fails(path, "is an empty file");
	load_fails(dir, "is not a regular file");
	snprintf(path, sizeof(path), "%s/missing.jpg", dir);
	load_fails(path, "cannot read image");
}

static void test_fit(void)
{
	struct ts_image im = { 0 };
	double w, h;

	im.width = 300;
	im.height = 200;
	image_fit(&im, 150, 150, &w, &h); /* width bound */
	check(w == 150 && h == 100);
	image_fit(&im, 600, 100, &w, &h); /* height bound */
	check(w == 150 && h == 100);
	image_fit(&im, 900, 600, &w, &h); /* scaled up */
	check(w == 900 && h == 600);
}

int main(void)
{
	char dir[] = "/tmp/t_image.XXXXXX";
	const char *names[] = { "tiny.jpg", "cut.jpg", "cut.png", "photo.gif",
				"empty.jpg" };

	test_sniff();
	test_fit();
	if (!mkdtemp(dir)) {
		check(!"mkdtemp");
		return check_done();
	}
	test_load(dir);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	image_cache_clear();
	return check_done();
}
