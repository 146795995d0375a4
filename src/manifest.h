/* manifest.h: OUTDIR/manifest.json, what a render run wrote: per file its
 * SHA-256, size and pages, the record and language it is of, and the hash
 * of everything it was made from (its input). A later run into the folder
 * reads it back and does not make again a file whose input is unchanged
 * and whose bytes are still those listed. Also the hashes of the inputs,
 * the journal of files put in place (what an interrupted run left), and
 * the settling of the last run's files this one did not make again. The
 * functions taking a run are render.c's and publish.c's (render-private.h
 * has the run). */
#ifndef DOSSIER_MANIFEST_H
#define DOSSIER_MANIFEST_H

#include <stddef.h>

struct diag;
struct record;
struct render_skip;
struct render_state;

/* A file of a manifest, as read back; kept and carry are the run's. */
struct manifest_file {
	char *path;               /* relative to OUTDIR */
	unsigned char input[32];
	unsigned char sha[32];
	char record[40];          /* "" for none (a summary, a binder) */
	char lang[8];
	long long size;
	long pages;               /* -1 for none (the left-out report) */
	int kept;         /* made again by this run, or carried over */
	int carry;        /* not made by this run, listed as it was */
};

/* Read the manifest at path with jansson: its "files", sorted by path
 * (the caller frees them, manifest_files_free). An entry of another shape
 * than a run writes is left out (and counted in *skipped, unless NULL).
 * Returns 0; 1 when there is no file to read; -1, with no entry, when it
 * is not a manifest: not JSON, cut short, not an object with "files" an
 * array. */
int manifest_load(const char *path, struct manifest_file **files, size_t *n,
		  size_t *skipped);
void manifest_files_free(struct manifest_file *files, size_t n);

/* --- for the run -------------------------------------------------------- */

/* What every brief depends on (dossier's version, the date, the paper,
 * the layouts, the fonts): r->static_hash. */
void manifest_static_hash(struct render_state *r);
/* The digest of a record's contents (every field, the photo's bytes). */
void manifest_record_digest(const struct record *rec, unsigned char out[32]);
/* A brief's input: the run's static hash, the language, the record. */
void manifest_input_hash(const struct render_state *r,
			 const unsigned char rec_digest[32], const char *lang,
			 unsigned char out[32]);

/* Read the previous run's manifest into r->prev (nothing when there is
 * none, or it cannot be read). */
void manifest_read_prev(struct render_state *r);
/* The previous run's entry for path, or NULL; safe from the workers. */
struct manifest_file *manifest_find(struct render_state *r, const char *path);
/* Whether the previous run's file at full may be trusted and kept: its
 * size and SHA-256 are p's, and it opens with this run's password. */
int manifest_intact(const struct render_state *r, const struct manifest_file *p,
		    const char *full);

/* The journal, OUTDIR/.dossier-journal: recover removes what an
 * interrupted run put in place but never recorded; open starts this
 * run's (-1 with an error in d); close with done removes it, the
 * manifest being in place. */
void manifest_journal_recover(struct render_state *r, struct diag *d);
int manifest_journal_open(struct render_state *r, struct diag *d);
void manifest_journal_close(struct render_state *r, int done);

/* Put the finished temporary file tmp in place as rel (full path full):
 * not at all when p lists these bytes (sha, size) and the file still
 * holds them (*same); else named in the journal, then renamed. Returns 0,
 * or -1 with the run fatal. tmp itself is the caller's to free. */
int manifest_put_in_place(struct render_state *r, const char *rel,
			  const char *full, const char *tmp,
			  const struct manifest_file *p,
			  const unsigned char *sha, long long size, int *same,
			  struct diag *d);

/* Settle the previous run's files this one did not make again (kept and
 * listed, or removed as stale or with --prune), then write the manifest
 * of what is there, with the records left out. */
void manifest_settle(struct render_state *r, struct diag *d);
int manifest_write(struct render_state *r, const struct render_skip *skips,
		   size_t nskips, struct diag *d);

#endif
