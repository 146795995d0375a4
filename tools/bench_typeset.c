/* bench_typeset.c: `make bench-typeset` times typesetting and writing a
 * three-page brief, the fonts prepared once for the whole run.
 *
 *   bench_typeset [-n DOCS] [--lang en|ru|hy] [--whole-fonts]
 *                 [--out DIR]
 *
 * Prints per document: milliseconds to build the tree, typeset and write
 * the PDF; pages, font faces and bytes per page. */
#include "diag.h"
#include "doc.h"
#include "font.h"
#include "pdf.h"
#include "sbuf.h"
#include "specimen.h"
#include "pages.h"
#include "typeset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static size_t faces_used(const typeset_doc *td)
{
	size_t n = font_set_nfaces(td->fonts), k = 0;
	for (size_t f = 0; f < n; f++) {
		int used = 0;
		for (size_t p = 0; p < td->npages && !used; p++)
			for (size_t i = 0; i < td->pages[p].n && !used; i++)
				used = td->pages[p].box[i].kind == TS_TEXT &&
				       font_face_index(td->pages[p].box[i].face) == f;
		k += used;
	}
	return k;
}

int main(int argc, char **argv)
{
	int n = 200;
	unsigned flags = 0;
	const char *lang = "en", *outdir = NULL;
	struct diag d = DIAG_INIT;
	double t0, t_load, t_build = 0, t_ts = 0, t_pdf = 0;
	struct sbuf path = SBUF_INIT;
	long pages = 0;
	size_t faces = 0;
	struct stat st;
	font_set *fs;
	char tmpdir[] = "/tmp/bench_typeset.XXXXXX";

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			n = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--lang") && i + 1 < argc)
			lang = argv[++i];
		else if (!strcmp(argv[i], "--whole-fonts"))
			flags |= PDF_NO_SUBSET;
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			outdir = argv[++i];
		else {
			fprintf(stderr, "usage: bench_typeset [-n DOCS] [--lang L] "
				"[--whole-fonts] [--out DIR]\n");
			return 2;
		}
	}
	if (n < 1)
		n = 1;
	if (!outdir) {
		if (!mkdtemp(tmpdir))
			return 2;
		outdir = tmpdir;
	}
	sbuf_addf(&path, "%s/bench-%s.pdf", outdir, lang);

	t0 = now_ms();
	fs = font_set_load("fonts", &d);
	t_load = now_ms() - t0;
	if (!fs) {
		diag_print(&d, stderr);
		return 2;
	}
	for (int i = 0; i < n; i++) {
		double a = now_ms(), b, c;
		doc *dc = doc_new(lang, DOC_A4);
		typeset_doc *td;
		specimen_build(dc, lang, SPECIMEN_BRIEF, ".");
		b = now_ms();
		td = typeset_run(dc, fs, &d);
		c = now_ms();
		if (!td || (pages = pdf_write(td, path.buf, flags, &d)) < 0) {
			diag_print(&d, stderr);
			return 1;
		}
		t_pdf += now_ms() - c;
		t_ts += c - b;
		t_build += b - a;
		if (i == 0)
			faces = faces_used(td);
		typeset_free(td);
		doc_free(dc);
	}
	stat(path.buf, &st);
	printf("fonts: loaded once in %.1f ms (%zu faces in the set)\n", t_load,
	       font_set_nfaces(fs));
	printf("document (%s, %ld pages, %zu font faces, %s): %d runs\n",
	       lang, pages, faces,
	       flags & PDF_NO_SUBSET ? "whole fonts" : "subset fonts",
	       n);
	printf("  build  %.3f ms\n  typeset %.3f ms\n  pdf     %.3f ms\n"
	       "  total   %.3f ms per document\n", t_build / n, t_ts / n,
	       t_pdf / n, (t_build + t_ts + t_pdf) / n);
	printf("  size    %lld bytes, %lld bytes per page\n",
	       (long long)st.st_size, (long long)st.st_size / (pages ? pages : 1));
	if (outdir == tmpdir) {
		unlink(path.buf);
		rmdir(tmpdir);
	}
	sbuf_release(&path);
	font_set_free(fs);
	diag_release(&d);
	return 0;
}
