/* specimen.c: `make specimen` writes out/specimen-{en,ru,hy}.pdf, one
 * sample document per language showing every kind of block.
 *
 *   specimen [--fonts DIR] [--images DIR] [--dump] [--short] OUTDIR
 *
 * --dump prints the typeset boxes (dump.h) instead of writing PDFs;
 * --short builds the short specimen used by the golden tests. */
#include "diag.h"
#include "doc.h"
#include "dump.h"
#include "font.h"
#include "pdf.h"
#include "sbuf.h"
#include "specimen.h"
#include "typeset.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *fonts = "fonts", *images = "tests/golden/typeset";
	const char *out = NULL, *only = NULL;
	int dump = 0, kind = SPECIMEN_FULL, status = 0;
	struct diag d = DIAG_INIT;
	static const char *const langs[] = { "en", "ru", "hy" };
	font_set *fs;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--fonts") && i + 1 < argc)
			fonts = argv[++i];
		else if (!strcmp(argv[i], "--images") && i + 1 < argc)
			images = argv[++i];
		else if (!strcmp(argv[i], "--lang") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--dump"))
			dump = 1;
		else if (!strcmp(argv[i], "--short"))
			kind = SPECIMEN_SHORT;
		else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: specimen [--fonts DIR] [--images DIR] "
				"[--lang L] [--dump] [--short] OUTDIR\n");
			return 2;
		} else
			out = argv[i];
	}
	if (!out && !dump) {
		fprintf(stderr, "specimen: no output folder\n");
		return 2;
	}
	fs = font_set_load(fonts, &d);
	if (!fs) {
		diag_print(&d, stderr);
		diag_release(&d);
		return 2;
	}
	for (size_t i = 0; i < 3; i++) {
		doc *doc;
		typeset_doc *td;
		if (only && strcmp(only, langs[i]))
			continue;
		doc = doc_new(langs[i], DOC_A4);
		specimen_build(doc, langs[i], kind, images);
		td = typeset_run(doc, fs, &d);
		if (!td) {
			status = 1;
		} else if (dump) {
			dump_boxes(td, stdout);
		} else {
			struct sbuf path = SBUF_INIT;
			long pages;
			sbuf_addf(&path, "%s/specimen-%s.pdf", out, langs[i]);
			pages = pdf_write(td, path.buf, 0, &d);
			if (pages < 0)
				status = 1;
			else
				printf("%s: %ld pages\n", path.buf, pages);
			sbuf_release(&path);
		}
		typeset_free(td);
		doc_free(doc);
	}
	diag_print(&d, stderr);
	diag_release(&d);
	font_set_free(fs);
	return status;
}
