/* render-private.h: the state of one `dossier render` run, shared by the
 * run itself (render.c: the queue, the workers, the briefs), the manifest
 * and the journal (manifest.c) and what is published from the briefs
 * (publish.c: the summaries, the binders, the left-out report). Included
 * by these three files only. */
#ifndef DOSSIER_RENDER_PRIVATE_H
#define DOSSIER_RENDER_PRIVATE_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "diag.h"
#include "font.h"
#include "manifest.h"
#include "pdf.h"
#include "render.h"
#include "summary.h"
#include "tpl.h"
#include "typeset.h"

/* The report of the records left out, for the staff (publish_report). */
#define RENDER_REPORT_NAME "left-out.txt"

/* One brief, as the manifest records it. (Digests are kept as bytes: a
 * run of 100,000 records in three languages keeps 300,000 of these.) */
struct render_made {
	char *path;       /* relative to OUTDIR; NULL when it failed */
	unsigned char sha[32];
	unsigned char input[32]; /* of everything the file was made from */
	long long size;
	long pages;
	int reused;       /* up to date: not made again */
	int same;         /* made again, the same bytes: not rewritten */
	int borrowed;     /* path is the previous run's entry's (manifest_file) */
};

/* One record's work: the record and a result per language. */
struct render_job {
	struct record *rec; /* freed once the briefs are made */
	struct summary_person person;  /* what the summary needs of it */
	unsigned char digest[32];      /* of the record's contents */
	char *id;
	size_t index;       /* order in the roster */
	long line;          /* the record's line in the roster */
	int left_out;       /* a brief could not be made: not in the summary */
	struct render_made *made;  /* one per language */
	typeset_doc **td;   /* per language, kept for the binder */
	struct diag d;      /* what the worker found */
	int done;
};

/* A record left out: its line in the roster, its id ("" when it has
 * none), the reason (its first error) and every diagnostic about it, as
 * the run prints them, one per line. */
struct render_skip {
	long line;
	char *id, *reason;
	char *messages;
};

struct render_state {
	const struct render_opts *o;
	const char *roster_path;
	tpl_set *tpl;
	font_set *fonts;
	char static_hash[65];

	struct manifest_file *prev;       /* the previous run's, by path */
	size_t nprev;

	pthread_mutex_t lock;
	pthread_cond_t more, room, finished;
	struct render_job **queue;        /* pending jobs */
	size_t qhead, qlen;
	int reading_done;
	struct render_job **jobs;         /* every job, in roster order */
	struct render_job **sum_jobs;     /* the summary's people's, in its order */
	size_t njobs, jobs_alloc;
	size_t briefs_done, briefs_total;

	struct render_made *summaries;    /* per language */
	struct render_made *binders;      /* per language, with --binder */
	struct render_made report;        /* OUTDIR/left-out.txt, when written */
	int fatal;                /* writing failed: stop, exit 2 */
	int journal_fd;           /* OUTDIR/.dossier-journal, or -1 */
	size_t changed;           /* files whose bytes on disk changed */
	size_t removed;
	/* For the interruption tests: DOSSIER_TEST_KILL=N[:before] kills the
	 * process (SIGKILL) at the Nth file put in place, just after its
	 * rename, or with :before between the journal and the rename. */
	long kill_at;
	int kill_before;

	struct timespec t0, last_progress;
};

/* Writing failed (disk full, file too large): the run stops, exit 2. */
static inline void render_set_fatal(struct render_state *r)
{
	__atomic_store_n(&r->fatal, 1, __ATOMIC_RELAXED);
}

/* Writes a document to fp; returns its page count, or -1. */
typedef long render_make_fn(void *ctx, FILE *fp, const char *name,
			    struct pdf_file *out, struct diag *d);

/* Write the PDF that make makes as rel (OUTDIR/rel is full): to a
 * temporary file (encrypted in memory first with a password), then put in
 * place (manifest_put_in_place) unless p lists its bytes and the file
 * still holds them (*same). Fills out; returns the page count, or -1. */
long render_write_pdf_with(struct render_state *r, render_make_fn *make,
			   void *ctx, const char *rel, const char *full,
			   const struct manifest_file *p, struct pdf_file *out,
			   int *same, struct diag *d);
/* The same for a typeset document. */
long render_write_pdf(struct render_state *r, const typeset_doc *td,
		      const char *rel, const char *full,
		      const struct manifest_file *p, struct pdf_file *out,
		      int *same, struct diag *d);

/* With --strict, whether text of td did not fit as designed (an error
 * about what, in d): the document is then not written. */
int render_too_tight(const struct render_state *r, const typeset_doc *td,
		     const char *what, struct diag *d);

#endif
