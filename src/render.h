/* render.h: `dossier render`: every valid record in every language, as
 * PDF briefs, and the manifest of what was written.
 *
 *   OUTDIR/<lang>/briefs/<id>-<slug>.pdf
 *   OUTDIR/manifest.json
 *
 * Each file is written to a temporary name and renamed (out.h), so an
 * interrupted run never leaves a truncated PDF under a real name. */
#ifndef DOSSIER_RENDER_H
#define DOSSIER_RENDER_H

#include <stddef.h>

#include "doc.h"
#include "record.h"

struct diag;

struct render_opts {
	const char *outdir;
	const char *langs[8];
	size_t nlangs;
	struct rdate date;
	enum doc_paper paper;
	const char *layouts_dir;
	const char *fonts_dir;
	int jobs;
	char **only;            /* ids; NULL: all */
	size_t nonly;
	int binder;
};

/* A record left out, for the report. */
struct render_skip {
	long line;
	char *id;
	char *reason;
};

struct render_input {
	const char *roster_path;
	struct record *recs;
	size_t nrecs;
	struct render_skip *skips;
	size_t nskips;
};

/* Render. Returns 0 when every brief was written, 1 when some record could
 * not be rendered (its errors are in d; the others were written), 2 when
 * nothing could be (layouts or fonts unusable, output folder not
 * writable). */
int render_run(const struct render_opts *o, const struct render_input *in,
	       struct diag *d);

#endif
