/* roster.h: reading a roster file into rows of UTF-8 fields.
 *
 * The reader takes the bytes as real rosters arrive (UTF-8 with or without a
 * BOM, UTF-16 with a BOM, or any encoding iconv knows), converts them to
 * UTF-8, splits them into rows with libcsv (RFC 4180: quoted fields with
 * embedded delimiters, quotes and newlines; CRLF, LF or a lone CR; a last
 * line with or without newline), and trims and NFC-normalizes every field.
 * Each field keeps the line and column (in characters, 1-based) where it
 * starts, also after a field that spans several lines; LF, CRLF and a lone
 * CR each end a line. Reading takes time linear in the file's size,
 * however long its lines.
 *
 * Bytes that are not valid in the encoding, and NUL bytes, are file-level
 * errors at their line and column: roster_open() checks the whole file
 * before the first row is returned, so nothing is read from a file that
 * turns out broken halfway. A UTF-16 surrogate that is not part of a
 * pair is named as such.
 *
 * A roster read in a single-byte encoding whose bytes are, nearly all,
 * well-formed UTF-8 multi-byte sequences (UTF-8 read as CP1251, Latin-1,
 * ...: "Ð¢Ð¸", "РўРё", "Õ€Õ¸") gets a warning suggesting --encoding UTF-8. */
#ifndef DOSSIER_ROSTER_H
#define DOSSIER_ROSTER_H

#include <stddef.h>

#include "diag.h"

struct roster_field {
	char *s;     /* UTF-8, NFC, trimmed; owned by the row */
	size_t len;
	long line, col;   /* where the cell starts */
	long vline, vcol; /* where s starts: after spaces, a quote, the trim */
	int quoted;       /* the cell was quoted: a '"' of s is "" in the file */
};

struct roster_row {
	struct roster_field *v;
	size_t n, alloc;
	long line;     /* line where the row starts */
	long end_line; /* line where it ends */
	long end_col;  /* column of its line break (or just past its end) */
	int bad;       /* 1 when the row could not be parsed (see the diag) */
};

#define ROSTER_ROW_INIT { NULL, 0, 0, 0, 0, 0, 0 }

struct roster_opts {
	const char *encoding; /* NULL or "auto": UTF-8, or UTF-16 with a BOM */
	int delimiter;        /* 0: detect ',' ';' or TAB from the header */
	size_t max_field;     /* bytes; 0: 64 KiB */
};

typedef struct roster_reader roster_reader;

/* Open path and check its encoding. Returns NULL after adding an error to
 * d when the file cannot be read or is not valid text in its encoding; the
 * caller then exits with status 2. The reader is freed by roster_close. */
roster_reader *roster_open(const char *path, const struct roster_opts *o,
			   struct diag *d);

/* Read the next row into row (its previous contents are released).
 * Returns 1 when a row was read (row->bad set if it is malformed, with an
 * error in d), 0 at the end of the file, -1 on a read error. The first row
 * is the header. Rows whose fields are all empty are skipped. */
int roster_next(roster_reader *r, struct roster_row *row, struct diag *d);

/* The delimiter in use, and the encoding name as detected or given. */
int roster_delimiter(const roster_reader *r);
const char *roster_encoding(const roster_reader *r);
const char *roster_path(const roster_reader *r);

void roster_close(roster_reader *r);
void roster_row_release(struct roster_row *row);

/* The line and column in the file of the byte at offset off of f->s
 * (f->len for the end). Exact unless NFC changed the field (the column is
 * then counted in normalized characters). */
void roster_field_pos(const struct roster_field *f, size_t off, long *line,
		      long *col);

/* Trim Unicode white space at both ends of s and normalize it to NFC.
 * Returns a new string (caller frees) and its length in *len. */
char *roster_normalize(const char *s, size_t n, size_t *len);

#endif
