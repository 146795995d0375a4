/* publish.h: what `dossier render` makes from all its briefs together,
 * once the workers are done (publish.c), for render.c:
 *
 *   OUTDIR/<lang>/summary.pdf   the summary of every record rendered
 *   OUTDIR/<lang>/binder.pdf    with --binder: the summary and every brief,
 *                               bound for print
 *   OUTDIR/left-out.txt         the records left out, for the staff
 *
 * Each is put in place like a brief (a temporary file, the journal, a
 * rename) and listed in the manifest. */
#ifndef DOSSIER_PUBLISH_H
#define DOSSIER_PUBLISH_H

#include <stddef.h>

struct diag;
struct render_skip;
struct render_state;

/* One summary per language (and with --binder one binder), each made
 * again only when what it shows changed; skips are the records left out,
 * in roster order. Returns 0, or -1 when one could not be made. */
int publish_summaries(struct render_state *r, const struct render_skip *skips,
		      size_t nskips, struct diag *d);

/* OUTDIR/left-out.txt: each of the n records left out with its line, its
 * id, the reason and the messages the run printed about it. Returns 0, or
 * -1 with the run fatal. */
int publish_report(struct render_state *r, const struct render_skip *skips,
		   size_t n, struct diag *d);

#endif
