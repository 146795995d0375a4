/* proof.h: `dossier proof`: one landscape PDF for translators. A first
 * page with the records left out (line, id, reason; with --only, those
 * of the ids given), the findings of the layout check and, per language, the
 * count of fallback texts, transliterated names and texts that do not
 * fit; then, for each record, the brief's texts in three columns, en | ru
 * | hy, one row per layout text (its key in the first column). Each kind
 * of problem has its mark, a bracketed letter on the highlight tint,
 * explained on the first page: [F] fallback text, [T] transliterated name,
 * [O] text that overflowed its box, [M] text the language lacks, [U] text
 * nothing uses (tpl_text_used; listed on the first page). The layout
 * findings are those of tpl_lint_opts(TPL_LINT_MISSING_WARNS): the caller
 * refuses layouts with errors, and a missing text is a warning here. */
#ifndef DOSSIER_PROOF_H
#define DOSSIER_PROOF_H

#include <stddef.h>

#include "doc.h"
#include "record.h"
#include "render.h"
#include "roster.h"

struct diag;

struct proof_opts {
	const char *output;      /* the PDF to write */
	char **only;             /* ids; NULL: all */
	size_t nonly;
	struct rdate date;
	enum doc_paper paper;    /* of the briefs measured; the proof is
				  * the landscape variant */
	const char *layouts_dir;
	const char *fonts_dir;
};

/* Returns 0 when written and every record was valid, 1 when records were
 * left out, 2 when nothing could be written. */
int proof_run(const struct proof_opts *o, const char *roster_path,
	      const struct roster_opts *ro, const struct record_ctx *ctx,
	      render_flush_fn flush, void *flush_arg, struct diag *d);

#endif
