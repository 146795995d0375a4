/* render.h: `dossier render`: every valid record in every language, as
 * PDF briefs, and the manifest of what was written.
 *
 *   OUTDIR/<lang>/briefs/<id>-<slug>.pdf
 *   OUTDIR/<lang>/summary.pdf (and binder.pdf)
 *   OUTDIR/left-out.txt      the records left out, for the staff (only
 *                            when some were)
 *   OUTDIR/manifest.json
 *
 * Records stream from the roster to a pool of worker threads (one
 * document per thread); the layouts and fonts are prepared once and shared
 * read-only. Each file is written to a temporary name and renamed (out.h),
 * so an interrupted run never leaves a truncated PDF under a real name.
 * The manifest keeps, per file, a hash of everything the file was made
 * from; a brief whose inputs are unchanged is not rendered again. Output
 * does not depend on the number of threads. */
#ifndef DOSSIER_RENDER_H
#define DOSSIER_RENDER_H

#include <stddef.h>

#include "doc.h"
#include "record.h"
#include "roster.h"

struct protect;

struct diag;

struct render_opts {
	const char *outdir;
	const char *langs[8];
	size_t nlangs;
	struct rdate date;
	enum doc_paper paper;
	const char *layouts_dir;
	const char *fonts_dir;
	int jobs;               /* worker threads, >= 1 */
	char **only;            /* ids; NULL: all */
	size_t nonly;
	int binder;
	int force;              /* render even what is up to date */
	int strict;             /* text that does not fit is an error */
	int progress;           /* show progress on stderr */
	const struct protect *protect;  /* encrypt every PDF, or NULL */
	int prune;              /* remove outputs outside the selection */
	int left_out_appendix;  /* the summaries list the records left out
				 * (internal use); by default they do not */
};

struct render_stats {
	size_t records, left_out;
	size_t written, reused, failed;  /* briefs */
	size_t changed;         /* files whose bytes on disk changed */
	size_t removed;         /* files removed */
};

/* A sink for diagnostics as they happen (printing); called from the
 * calling thread only. */
typedef void (*render_flush_fn)(void *arg, struct diag *d);

/* Read the roster and render. Returns 0 when every record was rendered, 1
 * when some were left out or could not be rendered (the others were), 2
 * when nothing could be (unreadable roster, layouts or fonts unusable,
 * output folder not writable). */
int render_run(const struct render_opts *o, const char *roster_path,
	       const struct roster_opts *ro, const struct record_ctx *ctx,
	       render_flush_fn flush, void *flush_arg, struct diag *d,
	       struct render_stats *stats);

#endif
