/* out.h: writing output files safely.
 *
 * Every output is written to a temporary file in its final folder, flushed
 * to disk, then renamed over the final name, so an interrupted run never
 * leaves a truncated file under a real name. Temporary names start with
 * OUT_TMP_PREFIX, so a later run can sweep what a killed one left. Paths
 * are built only from fixed names, record ids (already checked against
 * [A-Za-z0-9_-]) and slugs (out_slug), never from other roster text. */
#ifndef DOSSIER_OUT_H
#define DOSSIER_OUT_H

#include <stddef.h>

#include "diag.h"
#include "sbuf.h"

#define OUT_TMP_PREFIX ".dossier-tmp-"
#define OUT_LOCK_NAME  ".dossier-lock"

/* mkdir -p. Returns 0, or -1 with an error in d. */
int out_mkdirs(const char *path, struct diag *d);

/* A fresh temporary path beside final (same folder), created empty with
 * O_EXCL so that no two writers share it. Returns 0 and sets *tmp (caller
 * frees), or -1 with an error in d. */
int out_tmp_for(const char *final, char **tmp, struct diag *d);

/* Flush tmp to disk and rename it to final; on failure tmp is removed.
 * Returns 0, or -1 with an error in d. */
int out_commit(const char *tmp, const char *final, struct diag *d);

/* Write data to final atomically (temporary file, flush, rename). */
int out_write_file(const char *final, const void *data, size_t n,
		   struct diag *d);

/* Write data to a fresh temporary file beside final (*tmp, the caller
 * commits or removes it and frees the name). Returns 0, or -1 with an
 * error in d and errno set (ENOSPC for a full disk); no file is left. */
int out_write_tmp(const char *final, const void *data, size_t n, char **tmp,
		  struct diag *d);

/* Take the output folder dir for this process: an exclusive flock on
 * dir/.dossier-lock, which holds the pid. A folder another run holds is
 * an error naming its pid. Returns 0 and the descriptor in *fd (kept
 * open for the run), or -1 with an error in d. */
int out_lock(const char *dir, int *fd, struct diag *d);
void out_unlock(int fd);

/* Remove temporary files that an interrupted run left in dir. Returns the
 * number removed. */
int out_sweep_tmp(const char *dir);

/* SHA-256 of a file as lowercase hex (sha256_file, hex_encode), and its
 * size. Returns 0 or -1. */
int out_file_sha256(const char *path, char hex[65], long long *size);

/* The slug of a Latin name for file names: lowercase [a-z0-9-], words
 * joined by single hyphens, at most max bytes, cut at a hyphen when it
 * can be. Letters with diacritics lose them (é -> e); other characters
 * separate words. May be empty. */
void out_slug(const char *name, size_t max, struct sbuf *out);

#endif
