/* diag.h: diagnostics that travel up from the stages to the command line.
 *
 * Stages never print or exit: they append to a struct diag and return -1
 * (diag_error returns -1 so that `return diag_error(...)` reads naturally).
 * The cmd_* layer prints the list in the form compilers use:
 *
 *   roster.csv:17:4: error: detained_on: "2021-13-40" is not a date
 *
 * Control bytes in messages are escaped as \xNN, so roster text can never
 * move the cursor of the terminal that reads them. */
#ifndef DOSSIER_DIAG_H
#define DOSSIER_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/* Where a problem is. file is borrowed for the call; line and col are
 * 1-based, 0 when unknown (then they are not printed). */
struct diag_loc {
	const char *file;
	long line, col;
};

struct diag_entry {
	enum diag_level level;
	char *file; /* owned; NULL when the problem has no file */
	long line, col;
	char *msg; /* owned */
};

struct diag {
	struct diag_entry *v;
	size_t n, alloc;
	size_t max_kept;  /* 0: keep all; otherwise count the rest only */
	size_t nerrors, nwarnings, ndropped;
};

#define DIAG_INIT { NULL, 0, 0, 0, 0, 0, 0 }

int diag_error(struct diag *d, struct diag_loc at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning(struct diag *d, struct diag_loc at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_note(struct diag *d, struct diag_loc at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_vadd(struct diag *d, enum diag_level level, struct diag_loc at,
	       const char *fmt, va_list ap);

/* Print the kept entries to fp in compiler form, then a line counting those
 * that were not kept. Returns the number of lines printed. */
size_t diag_print(const struct diag *d, FILE *fp);
/* Move all entries of src to the end of dst (src is left empty). */
void diag_move(struct diag *dst, struct diag *src);
void diag_clear(struct diag *d);
void diag_release(struct diag *d);

/* Quote s for a message: at most max code points, control characters
 * escaped, an ellipsis when cut. Returns a static buffer of the calling
 * thread that the next call overwrites (two slots rotate, so two quoted
 * strings may appear in one message). */
const char *diag_quote(const char *s, size_t max);

#endif
