/* safefile.h: reading a file that a folder names (a layouts file, a font,
 * hyphenation patterns, a roster's photo) without being led astray: only
 * a regular file is read (never a FIFO that would block, a device that
 * never ends, a folder), of a bounded size, and when a folder root is
 * given, only a file whose resolved path (symbolic links followed) lies
 * inside it, so that the folder cannot bring other files of the system
 * into a document.
 *
 * The file is opened with O_NONBLOCK (a FIFO swapped in after the checks
 * cannot block the open) and fstat of what was opened decides. Every
 * refusal and failure is reported in d naming the file and what failed,
 * in one of two forms chosen by the safefile_kind:
 *
 *   layouts/en/brief.lay: error: refused: not a regular file (a FIFO)
 *   fonts/fonts.conf:14: error: font file 'x.ttf' is not a regular file (a FIFO)
 *
 * With d NULL nothing is reported, and the caller words its own message
 * from the status (safefile_open). */
#ifndef DOSSIER_SAFEFILE_H
#define DOSSIER_SAFEFILE_H

#include <stddef.h>
#include <sys/stat.h>

#include "diag.h"

struct sbuf;

/* How messages name the file and its folder, and how large it may be. */
struct safefile_kind {
	/* "font file": messages read "font file 'PATH' is ...", for a
	 * location elsewhere (the line of fonts.conf that names the file).
	 * NULL: the location names the file, and messages read "refused:
	 * ..." or "cannot open: ...". */
	const char *what;
	/* The folder root, as messages name it: "the layouts folder". */
	const char *within;
	/* The largest size read, in bytes; 0 for no limit. */
	size_t max;
};

/* Flags. */
#define SAFEFILE_MISSING_OK 0x1u /* a file that does not exist: return 1,
				  * report nothing */
#define SAFEFILE_RELATIVE   0x2u /* path is relative to root and is opened
				  * as root/path; an absolute path or one
				  * with a ".." part is refused before
				  * anything is resolved */

enum safefile_status {
	SAFEFILE_OK,
	SAFEFILE_MISSING,     /* no such file (err is ENOENT) */
	SAFEFILE_ABSOLUTE,    /* SAFEFILE_RELATIVE, and path is absolute */
	SAFEFILE_DOTDOT,      /* SAFEFILE_RELATIVE, and path has a ".." part */
	SAFEFILE_OUTSIDE,     /* resolves to a place outside root */
	SAFEFILE_NOT_REGULAR, /* a folder, a FIFO, a device, a socket (st) */
	SAFEFILE_TOO_LARGE,   /* more than kind->max bytes */
	SAFEFILE_FAILED,      /* a system call failed; err says why */
};

/* A file opened by safefile_open. A caller that hands fd to stdio
 * (fdopen) sets it to -1 before safefile_close; one that keeps the
 * resolved path takes real and sets it to NULL. */
struct safefile {
	int fd;                      /* open for reading (blocking), or -1 */
	struct stat st;              /* fstat of fd */
	char *real;                  /* the path opened: resolved when root
				      * is given, else path; NULL before */
	enum safefile_status status;
	int err;                     /* errno of SAFEFILE_FAILED, MISSING */
};

/* Open path for reading if it is acceptable: a regular file of at most
 * kind->max bytes; with root (NULL: anywhere), one whose resolved path
 * lies inside the resolved root. Returns 0 with f->fd open, 1 (nothing
 * reported) when the file does not exist and SAFEFILE_MISSING_OK is set,
 * -1 otherwise, reported in d at `at` (at.file NULL: path). f->status
 * says what was found in every case. Release f with safefile_close, even
 * after a failure. */
int safefile_open(const char *root, const char *path,
		  const struct safefile_kind *kind, unsigned flags,
		  struct safefile *f, struct diag *d, struct diag_loc at);
void safefile_close(struct safefile *f);

/* The contents of path, checked as by safefile_open, appended to out (the
 * limit holds while reading too, should the file grow). Returns 0, 1 for
 * a missing file with SAFEFILE_MISSING_OK, or -1 after a report in d
 * (out is then as it was). */
int safefile_read(const char *root, const char *path,
		  const struct safefile_kind *kind, unsigned flags,
		  struct sbuf *out, struct diag *d, struct diag_loc at);

/* Whether path, resolved, lies inside root, resolved (both must exist): 1
 * inside, 0 outside (not reported), -1 after an error reported in d. */
int safefile_inside(const char *root, const char *path,
		    const struct safefile_kind *kind, struct diag *d,
		    struct diag_loc at);

/* Whether the resolved path real lies inside the resolved folder root. */
int safefile_under(const char *root, const char *real);

/* What a file that is not regular is, for a message: "a FIFO", "a
 * device", "a folder", "a socket". */
const char *safefile_what_is(mode_t mode);

#endif
