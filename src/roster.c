/* roster.c: bytes -> UTF-8 -> rows of trimmed NFC fields with positions.
 *
 * Three layers:
 *   decoder   file bytes in any encoding -> UTF-8 chunks (the only iconv user)
 *   splitter  UTF-8 text -> physical lines, fed to libcsv in segments that
 *             end at a delimiter or line break, so that we know where each
 *             field starts (libcsv itself reports no positions)
 *   rows      libcsv callbacks -> struct roster_row, queued for roster_next
 */
#include "roster.h"
#include "sbuf.h"
#include "util.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#define CHUNK 65536

/* --- decoder ------------------------------------------------------------ */

enum enc_kind { ENC_UTF8, ENC_ICONV };

/* A position in the decoded text. Each LF, CRLF and lone CR ends a line
 * (Excel's "CSV (Macintosh)" ends lines with a lone CR); cr remembers that
 * the last character was a CR, so that the LF of a CRLF cut between two
 * chunks is not counted again. */
struct pos {
	long line, col;
	int cr;
};

#define POS_START { 1, 1, 0 }

/* What the raw bytes of a roster in a single-byte encoding look like when
 * read as UTF-8: many well-formed multi-byte sequences and hardly any
 * ill-formed ones mean a UTF-8 file read with the wrong --encoding. */
struct sniff {
	unsigned char seq[4];
	int seqlen, need;
	long seqs, bad;
	struct pos at, first_at;   /* raw position (one byte, one column) */
	unsigned char first[4];
	int firstlen;
};

struct decoder {
	FILE *fp;
	enum enc_kind kind;
	iconv_t cd;
	char *iconv_name;          /* what iconv was opened with */
	unsigned char in[CHUNK];
	size_t inlen;              /* bytes pending in in[] */
	int eof;
	long long consumed;        /* input bytes consumed so far */
	/* Position of the next decoded character, for error messages. */
	struct pos at;
	int utf16;                 /* 'L' or 'B' for UTF-16 input, else 0 */
	int sniffing;              /* first pass of a single-byte encoding */
	struct sniff sn;
};

/* Advance p over decoded UTF-8 text. */
static void track(struct pos *p, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n' && p->cr) {
			p->cr = 0;       /* the LF of a CRLF: the line has ended */
		} else if (c == '\n' || c == '\r') {
			p->line++;
			p->col = 1;
			p->cr = c == '\r';
		} else {
			p->cr = 0;
			if ((c & 0xC0) != 0x80)
				p->col++;
		}
	}
}

/* Feed raw bytes to the sniffer (see struct sniff). */
static void sniff(struct sniff *sn, const unsigned char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char b = s[i];
		if (sn->need) {
			if ((b & 0xC0) == 0x80) {
				uint32_t cp;
				sn->seq[sn->seqlen++] = b;
				if (--sn->need == 0) {
					if (utf8_decode(sn->seq, (size_t)sn->seqlen, &cp)) {
						if (!sn->seqs++) {
							memcpy(sn->first, sn->seq, 4);
							sn->firstlen = sn->seqlen;
						}
					} else {
						sn->bad++;
					}
				}
				sn->at.cr = 0;
				sn->at.col++;
				continue;
			}
			sn->need = 0;
			sn->bad++;
		}
		if (b >= 0xC2 && b <= 0xF4) {
			sn->seq[0] = b;
			sn->seqlen = 1;
			sn->need = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
			if (!sn->seqs)
				sn->first_at = sn->at;
		} else if (b >= 0x80) {
			sn->bad++;
		}
		if (b >= 0x80) {
			sn->at.cr = 0;
			sn->at.col++;
		} else {
			track(&sn->at, (const char *)&b, 1);
		}
	}
}

static int fill(struct decoder *dc)
{
	size_t got;
	/* A full buffer reads nothing: that is not the end of the file. */
	if (dc->eof || dc->inlen == sizeof(dc->in))
		return 0;
	got = fread(dc->in + dc->inlen, 1, sizeof(dc->in) - dc->inlen, dc->fp);
	if (got == 0) {
		if (ferror(dc->fp))
			return -1;
		dc->eof = 1;
	}
	dc->inlen += got;
	return 0;
}

static void consume(struct decoder *dc, size_t n)
{
	memmove(dc->in, dc->in + n, dc->inlen - n);
	dc->inlen -= n;
	dc->consumed += (long long)n;
}

/* The error for a byte that is not valid in the encoding; b points at it,
 * with n bytes available. */
static int bad_byte(struct decoder *dc, const char *path, const char *enc,
		    int auto_mode, const unsigned char *b, size_t n,
		    int truncated, struct diag *d)
{
	struct diag_loc at = { path, dc->at.line, dc->at.col };
	unsigned char byte = b[0];

	/* A UTF-16 code unit of the surrogate range that is not part of a
	 * pair: say so, rather than blame its first byte. */
	if (dc->utf16 && n >= 2) {
		unsigned u = dc->utf16 == 'L' ? (unsigned)(b[0] | b[1] << 8) :
						 (unsigned)(b[0] << 8 | b[1]);
		if (u >= 0xD800 && u <= 0xDBFF)
			return diag_error(d, at, "lone surrogate U+%04X: a high "
					  "surrogate not followed by a low one "
					  "(not valid %s)", u, enc);
		if (u >= 0xDC00 && u <= 0xDFFF)
			return diag_error(d, at, "lone surrogate U+%04X: a low "
					  "surrogate without a high one before "
					  "it (not valid %s)", u, enc);
	}
	/* The same in UTF-8: a surrogate encoded on its own (CESU-8, or
	 * UTF-16 converted unit by unit). */
	if (!dc->utf16 && n >= 3 && b[0] == 0xED && b[1] >= 0xA0 && b[1] <= 0xBF &&
	    (b[2] & 0xC0) == 0x80)
		return diag_error(d, at, "bytes 0xED 0x%02X 0x%02X encode the "
				  "surrogate U+%04X, which is not valid UTF-8 "
				  "(a character outside the Basic Multilingual "
				  "Plane written as two UTF-16 halves?)", b[1], b[2],
				  0xD000u | (unsigned)(b[1] & 0x3F) << 6 | (b[2] & 0x3Fu));
	/* A byte a single-byte encoding lacks, in a file that reads as
	 * UTF-8 (UTF-8 read as CP1252 meets 0x81 or 0x90 soon). */
	if (dc->sniffing) {
		sniff(&dc->sn, dc->in, dc->inlen);
		if (dc->sn.seqs && dc->sn.bad * 20 <= dc->sn.seqs)
			return diag_error(d, at, "byte 0x%02X is not valid %s; the "
					  "file looks like UTF-8: try --encoding "
					  "UTF-8", byte, enc);
	}
	if (truncated)
		return diag_error(d, at, "the file ends inside a multi-byte "
				  "character (not valid %s)", enc);
	if (auto_mode)
		return diag_error(d, at,
			"byte 0x%02X is not valid UTF-8; if the roster was saved "
			"by Excel in a Russian locale, try --encoding CP1251; in "
			"an Armenian one, --encoding ARMSCII-8", byte);
	return diag_error(d, at, "byte 0x%02X is not valid %s", byte, enc);
}

/* Decode the next chunk into out (appended). Returns 1 while there is more,
 * 0 at the end, -1 on an error (added to d). */
static int decode(struct decoder *dc, struct sbuf *out, const char *path,
		  const char *enc, int auto_mode, struct diag *d)
{
	size_t before = out->len;

	if (fill(dc) < 0)
		return diag_error(d, (struct diag_loc){ path, 0, 0 },
				  "cannot read: %s", strerror(errno));
	if (dc->inlen == 0)
		return 0;

	if (dc->kind == ENC_UTF8) {
		size_t i = 0;
		while (i < dc->inlen) {
			uint32_t cp;
			int k;
			if (dc->in[i] < 0x80) {
				i++;
				continue;
			}
			k = utf8_decode(dc->in + i, dc->inlen - i, &cp);
			if (k == 0) {
				/* A sequence cut by the chunk end is not an
				 * error unless the file ends there. */
				if (!dc->eof && dc->inlen - i < 4 &&
				    dc->in[i] >= 0xC2 && dc->in[i] <= 0xF4) {
					int need = dc->in[i] >= 0xF0 ? 4 :
						   dc->in[i] >= 0xE0 ? 3 : 2;
					size_t j, have = dc->inlen - i;
					int ok = 1;
					for (j = 1; j < have; j++)
						if ((dc->in[i + j] & 0xC0) != 0x80)
							ok = 0;
					if (ok && have < (size_t)need)
						break;
				}
				sbuf_add(out, dc->in, i);
				track(&dc->at, out->buf + before,
				      out->len - before);
				{
					size_t have = dc->inlen - i;
					int truncated = dc->eof && have < 4 &&
						dc->in[i] >= 0xC2 && dc->in[i] <= 0xF4;
					if (truncated) {
						size_t j;
						for (j = 1; j < have; j++)
							if ((dc->in[i + j] & 0xC0) != 0x80)
								truncated = 0;
						int need = dc->in[i] >= 0xF0 ? 4 :
							   dc->in[i] >= 0xE0 ? 3 : 2;
						if (have >= (size_t)need)
							truncated = 0;
					}
					return bad_byte(dc, path, enc, auto_mode,
							dc->in + i, have,
							truncated, d);
				}
			}
			i += (size_t)k;
		}
		sbuf_add(out, dc->in, i);
		consume(dc, i);
	} else {
		char *inp = (char *)dc->in;
		size_t inleft = dc->inlen;
		size_t start_left = inleft;
		for (;;) {
			char tmp[CHUNK];
			char *outp = tmp;
			size_t outleft = sizeof(tmp);
			size_t r = iconv(dc->cd, &inp, &inleft, &outp, &outleft);
			int e = errno;
			sbuf_add(out, tmp, sizeof(tmp) - outleft);
			if (r != (size_t)-1)
				break;
			if (e == E2BIG)
				continue;
			if (e == EINVAL && !dc->eof)
				break; /* incomplete sequence: wait for more */
			track(&dc->at, out->buf + before, out->len - before);
			return bad_byte(dc, path, enc, 0, (unsigned char *)inp,
					inleft, e == EINVAL, d);
		}
		if (dc->sniffing)
			sniff(&dc->sn, dc->in, start_left - inleft);
		consume(dc, dc->inlen - inleft);
		if (dc->eof && dc->inlen == 0) {
			/* Flush the shift state of stateful encodings. */
			char tmp[64];
			char *outp = tmp;
			size_t outleft = sizeof(tmp);
			iconv(dc->cd, NULL, NULL, &outp, &outleft);
			sbuf_add(out, tmp, sizeof(tmp) - outleft);
		}
	}
	track(&dc->at, out->buf + before, out->len - before);
	return 1;
}

/* --- reader ------------------------------------------------------------- */

struct roster_reader {
	char *path;
	char *encoding;    /* display name */
	int auto_mode;
	int delim;
	size_t max_field;
	struct decoder dc;
	long bom_len;

	struct csv_parser csv;
	int csv_live;
	struct sbuf text;  /* decoded text not yet split into lines */
	size_t text_pos;
	size_t text_scan;  /* bytes after text_pos known to hold no line end */
	int text_eof;

	/* Position of the next character fed to libcsv. */
	struct pos at;
	/* Start of the field libcsv is accumulating now: the cell, and its
	 * first character after blanks and an opening quote. */
	long field_line, field_col, field_vcol;
	int field_quoted;
	int field_open;
	/* The segment being parsed, for the position of a row's end. */
	const char *seg;
	size_t seg_n;

	/* The row being built and the queue of finished rows. */
	struct roster_row cur;
	struct roster_row *queue;
	size_t qhead, qlen, qalloc;
	struct diag *d;
	int failed;
};

static void row_clear(struct roster_row *row)
{
	size_t i;
	for (i = 0; i < row->n; i++)
		free(row->v[i].s);
	row->n = 0;
	row->bad = 0;
	row->line = row->end_line = 0;
}

void roster_row_release(struct roster_row *row)
{
	row_clear(row);
	free(row->v);
	row->v = NULL;
	row->alloc = 0;
}

static int is_uspace(uint32_t cp)
{
	return u_isUWhiteSpace((UChar32)cp) || cp == 0xFEFF || cp == 0x200B;
}

/* roster_normalize, also giving the bytes trimmed from the front. */
static char *normalize(const char *s, size_t n, size_t *len, size_t *lead);

char *roster_normalize(const char *s, size_t n, size_t *len)
{
	size_t lead;
	return normalize(s, n, len, &lead);
}

static char *normalize(const char *s, size_t n, size_t *len, size_t *lead)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start = 0, end = n, i;
	int ascii = 1;
	uint32_t cp;
	int k;

	/* Trim from the front, then from the back, by code point. */
	while (start < end) {
		k = utf8_decode(p + start, end - start, &cp);
		if (k == 0 || !is_uspace(cp))
			break;
		start += (size_t)k;
	}
	while (end > start) {
		size_t b = end - 1;
		while (b > start && (p[b] & 0xC0) == 0x80)
			b--;
		k = utf8_decode(p + b, end - b, &cp);
		if (k == 0 || !is_uspace(cp))
			break;
		end = b;
	}
	*lead = start;
	for (i = start; i < end; i++)
		if (p[i] >= 0x80)
			ascii = 0;
	if (ascii) {
		*len = end - start;
		return xstrndup(s + start, end - start);
	}

	/* NFC through UTF-16, as ICU normalizes. */
	{
		UErrorCode st = U_ZERO_ERROR;
		const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
		int32_t ulen = 0, nlen, olen = 0;
		UChar *u, *nu;
		char *out;

		u_strFromUTF8(NULL, 0, &ulen, s + start, (int32_t)(end - start), &st);
		st = U_ZERO_ERROR;
		u = xmalloc(sizeof(UChar) * (size_t)(ulen + 1));
		u_strFromUTF8(u, ulen + 1, NULL, s + start, (int32_t)(end - start), &st);
		if (U_FAILURE(st))
			BUG("u_strFromUTF8 on validated text: %s", u_errorName(st));
		if (unorm2_quickCheck(nfc, u, ulen, &st) == UNORM_YES) {
			free(u);
			*len = end - start;
			return xstrndup(s + start, end - start);
		}
		st = U_ZERO_ERROR;
		nlen = unorm2_normalize(nfc, u, ulen, NULL, 0, &st);
		st = U_ZERO_ERROR;
		nu = xmalloc(sizeof(UChar) * (size_t)(nlen + 1));
		unorm2_normalize(nfc, u, ulen, nu, nlen + 1, &st);
		if (U_FAILURE(st))
			BUG("unorm2_normalize: %s", u_errorName(st));
		u_strToUTF8(NULL, 0, &olen, nu, nlen, &st);
		st = U_ZERO_ERROR;
		out = xmalloc((size_t)olen + 1);
		u_strToUTF8(out, olen + 1, NULL, nu, nlen, &st);
		if (U_FAILURE(st))
			BUG("u_strToUTF8: %s", u_errorName(st));
		free(u);
		free(nu);
		*len = (size_t)olen;
		return out;
	}
}

/* Walk text as it appears in a cell: a quote of a quoted cell is two
 * characters in the file. */
static void walk_value(struct pos *p, const char *s, size_t n, int quoted)
{
	size_t i;
	for (i = 0; i < n; i++) {
		track(p, s + i, 1);
		if (quoted && s[i] == '"')
			p->col++;
	}
}

void roster_field_pos(const struct roster_field *f, size_t off, long *line,
		      long *col)
{
	struct pos p = { f->vline, f->vcol, 0 };
	walk_value(&p, f->s, off < f->len ? off : f->len, f->quoted);
	*line = p.line;
	*col = p.col;
}

/* A row of more fields than any roster has is an error; the fields past
 * the limit are not kept, so memory stays bounded. */
#define MAX_FIELDS 1000

static void on_field(void *s, size_t n, void *data)
{
	struct roster_reader *r = data;
	struct roster_field *f;

	if (r->cur.n >= MAX_FIELDS) {
		if (!r->cur.bad || r->cur.n == MAX_FIELDS) {
			if (r->cur.n == MAX_FIELDS)
				diag_error(r->d, (struct diag_loc){ r->path,
					   r->field_line, r->field_col },
					   "row has more than %d fields", MAX_FIELDS);
			r->cur.bad = 1;
		}
		if (r->cur.n == MAX_FIELDS) {
			/* Count one past the limit, keep nothing more. */
			ALLOC_GROW(r->cur.v, r->cur.n + 1, r->cur.alloc);
			r->cur.v[r->cur.n].s = xstrdup("");
			r->cur.v[r->cur.n].len = 0;
			r->cur.v[r->cur.n].line = r->field_line;
			r->cur.v[r->cur.n].col = r->field_col;
			r->cur.n++;
		}
		r->field_open = 0;
		return;
	}
	ALLOC_GROW(r->cur.v, r->cur.n + 1, r->cur.alloc);
	f = &r->cur.v[r->cur.n++];
	if (r->cur.n == 1)
		r->cur.line = r->field_line;
	f->line = r->field_line;
	f->col = r->field_col;
	f->vline = r->field_line;
	f->vcol = r->field_vcol;
	f->quoted = r->field_quoted;
	if (n > r->max_field) {
		diag_error(r->d, (struct diag_loc){ r->path, f->line, f->col },
			   "field is longer than %zu bytes", r->max_field);
		r->cur.bad = 1;
		f->s = xstrdup("");
		f->len = 0;
	} else {
		size_t lead;
		struct pos p = { f->vline, f->vcol, 0 };
		f->s = normalize(s ? s : "", s ? n : 0, &f->len, &lead);
		/* The trimmed white space moves the start of the value. */
		if (lead) {
			walk_value(&p, s, lead, f->quoted);
			f->vline = p.line;
			f->vcol = p.col;
		}
	}
	r->field_open = 0;
}

static void on_row(int c, void *data)
{
	struct roster_reader *r = data;
	size_t i;
	int empty = 1;

	r->field_open = 0;
	for (i = 0; i < r->cur.n; i++)
		if (r->cur.v[i].len)
			empty = 0;
	/* Rows of nothing but delimiters (Excel's ";;;;") carry no record. */
	if (empty && !r->cur.bad) {
		row_clear(&r->cur);
		return;
	}
	/* The row ends at the line break of the segment being parsed, or,
	 * from csv_fini, where the text ends. */
	{
		struct pos p = r->at;
		if (r->seg && r->seg_n)
			track(&p, r->seg, r->seg_n - 1);
		r->cur.end_line = p.line;
		r->cur.end_col = p.col;
	}
	if (r->qhead + r->qlen == r->qalloc && r->qhead) {
		memmove(r->queue, r->queue + r->qhead, r->qlen * sizeof(*r->queue));
		r->qhead = 0;
	}
	ALLOC_GROW(r->queue, r->qhead + r->qlen + 1, r->qalloc);
	r->queue[r->qhead + r->qlen++] = r->cur;
	memset(&r->cur, 0, sizeof(r->cur));
}

static void csv_start(struct roster_reader *r)
{
	/* libcsv's init allocates nothing: it fails only for a NULL parser.
	 * Its buffer grows through xrealloc, so that running out of memory
	 * while parsing is not taken for a malformed field of the roster. */
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		BUG("csv_init of the reader's own parser failed");
	csv_set_realloc_func(&r->csv, xrealloc);
	csv_set_delim(&r->csv, (unsigned char)r->delim);
	r->csv_live = 1;
}

/* Detect the delimiter from the header line: the most frequent of comma,
 * semicolon and tab outside quotes; comma on a tie or when none occurs. */
static int detect_delim(const char *s, size_t n)
{
	size_t i, comma = 0, semi = 0, tab = 0;
	int inq = 0;
	for (i = 0; i < n && s[i] != '\n' && s[i] != '\r'; i++) {
		if (s[i] == '"')
			inq = !inq;
		else if (!inq && s[i] == ',')
			comma++;
		else if (!inq && s[i] == ';')
			semi++;
		else if (!inq && s[i] == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

static int open_decoder(struct roster_reader *r, const char *enc, struct diag *d)
{
	struct decoder *dc = &r->dc;
	const char *iconv_name = NULL;

	dc->at = (struct pos)POS_START;
	if (fill(dc) < 0)
		return diag_error(d, (struct diag_loc){ r->path, 0, 0 },
				  "cannot read: %s", strerror(errno));

	if (!enc || strcasecmp(enc, "auto") == 0) {
		r->auto_mode = 1;
		if (dc->inlen >= 3 && memcmp(dc->in, "\xEF\xBB\xBF", 3) == 0) {
			consume(dc, 3);
			r->encoding = xstrdup("UTF-8");
		} else if (dc->inlen >= 2 && dc->in[0] == 0xFF && dc->in[1] == 0xFE) {
			iconv_name = "UTF-16";
			r->encoding = xstrdup("UTF-16LE");
		} else if (dc->inlen >= 2 && dc->in[0] == 0xFE && dc->in[1] == 0xFF) {
			iconv_name = "UTF-16";
			r->encoding = xstrdup("UTF-16BE");
		} else {
			r->encoding = xstrdup("UTF-8");
		}
		if (iconv_name)
			r->auto_mode = 0;
	} else if (strcasecmp(enc, "UTF-8") == 0 || strcasecmp(enc, "UTF8") == 0) {
		if (dc->inlen >= 3 && memcmp(dc->in, "\xEF\xBB\xBF", 3) == 0)
			consume(dc, 3);
		r->encoding = xstrdup("UTF-8");
	} else {
		iconv_name = enc;
		r->encoding = xstrdup(enc);
	}

	if (iconv_name) {
		dc->cd = iconv_open("UTF-8", iconv_name);
		if (dc->cd == (iconv_t)-1)
			return diag_error(d, (struct diag_loc){ NULL, 0, 0 },
				"unknown encoding \"%s\" (see `iconv -l` for the "
				"names iconv knows)", iconv_name);
		dc->kind = ENC_ICONV;
		dc->iconv_name = xstrdup(iconv_name);
		/* UTF-16's byte order, to name a lone surrogate; without LE
		 * or BE in the name it is the BOM's (iconv's default: BE). */
		if (!strncasecmp(iconv_name, "UTF-16", 6) ||
		    !strncasecmp(iconv_name, "UTF16", 5) ||
		    !strncasecmp(iconv_name, "UCS-2", 5)) {
			const char *tail = iconv_name + strlen(iconv_name) - 2;
			if (!strcasecmp(tail, "LE"))
				dc->utf16 = 'L';
			else if (!strcasecmp(tail, "BE"))
				dc->utf16 = 'B';
			else
				dc->utf16 = dc->inlen >= 2 && dc->in[0] == 0xFF &&
					    dc->in[1] == 0xFE ? 'L' : 'B';
		} else if (strncasecmp(iconv_name, "UTF", 3) &&
			   strncasecmp(iconv_name, "UCS", 3)) {
			dc->sniffing = 1;
			dc->sn.at = (struct pos)POS_START;
		}
	} else {
		dc->kind = ENC_UTF8;
	}
	r->bom_len = (long)dc->consumed;
	return 0;
}

static void close_decoder(struct decoder *dc)
{
	if (dc->kind == ENC_ICONV && dc->cd != (iconv_t)-1)
		iconv_close(dc->cd);
	free(dc->iconv_name);
	dc->iconv_name = NULL;
	dc->kind = ENC_UTF8;
}

/* Rewind the decoder to the first byte after the BOM. */
static int rewind_decoder(struct roster_reader *r)
{
	struct decoder *dc = &r->dc;
	if (fseek(dc->fp, r->bom_len, SEEK_SET) != 0)
		return -1;
	dc->inlen = 0;
	dc->eof = 0;
	dc->consumed = r->bom_len;
	dc->at = (struct pos)POS_START;
	dc->sniffing = 0;
	if (dc->kind == ENC_ICONV)
		iconv(dc->cd, NULL, NULL, NULL, NULL);
	return 0;
}

/* Look for NUL bytes: text has none, so a roster with one is binary junk
 * (or UTF-16 without a BOM). */
static int check_nul(struct roster_reader *r, const char *s, size_t n,
		     struct pos at, struct diag *d)
{
	const char *z = memchr(s, '\0', n);
	if (!z)
		return 0;
	track(&at, s, (size_t)(z - s));
	return diag_error(d, (struct diag_loc){ r->path, at.line, at.col },
		"NUL byte: this is not a text roster%s",
		r->auto_mode ? " (if it is UTF-16 without a byte order mark, "
			       "try --encoding UTF-16LE)" : "");
}

/* After the first pass: the warning for UTF-8 read in a single-byte
 * encoding. At least 8 well-formed multi-byte sequences, and for every 20
 * at most one byte that fits none: real CP1251, KOI8-R, ARMSCII-8 or
 * Latin-1 text puts letters side by side that UTF-8 never does. */
static void sniff_verdict(struct roster_reader *r, struct diag *d)
{
	const struct sniff *sn = &r->dc.sn;
	char shown[64] = "", *outp = shown;
	char *inp = (char *)sn->first;
	size_t inleft = (size_t)sn->firstlen, outleft = sizeof(shown) - 1;
	char utf8[5] = { 0 };
	iconv_t cd;

	if (!r->dc.sniffing || sn->seqs < 8 || sn->bad * 20 > sn->seqs)
		return;
	/* How the first sequence looks as read, and what it means in UTF-8. */
	cd = iconv_open("UTF-8", r->dc.iconv_name);
	if (cd != (iconv_t)-1) {
		if (iconv(cd, &inp, &inleft, &outp, &outleft) == (size_t)-1)
			outp = shown;
		*outp = '\0';
		iconv_close(cd);
	}
	memcpy(utf8, sn->first, (size_t)sn->firstlen);
	diag_warning(d, (struct diag_loc){ r->path, sn->first_at.line,
		     sn->first_at.col }, "the roster looks like UTF-8 read as "
		     "%s: \"%s\" here, and %ld more such sequences, are the "
		     "UTF-8 bytes of characters such as \"%s\"; try --encoding "
		     "UTF-8", r->encoding, diag_quote(shown, 8), sn->seqs - 1,
		     diag_quote(utf8, 4));
}

roster_reader *roster_open(const char *path, const struct roster_opts *o,
			   struct diag *d)
{
	struct roster_reader *r = xcalloc(1, sizeof(*r));
	struct sbuf all = SBUF_INIT;
	struct pos at = POS_START; /* of all.buf[checked] */
	size_t checked = 0;
	int rc, first = 1;

	sbuf_init(&r->text);
	r->path = xstrdup(path);
	r->max_field = o && o->max_field ? o->max_field : 65536;
	r->dc.cd = (iconv_t)-1;
	r->d = d;
	r->dc.fp = fopen(path, "rb");
	if (!r->dc.fp) {
		diag_error(d, (struct diag_loc){ path, 0, 0 }, "cannot open: %s",
			   strerror(errno));
		goto fail;
	}
	if (open_decoder(r, o ? o->encoding : NULL, d) < 0)
		goto fail;

	/* First pass: decode everything once, so that a bad byte anywhere
	 * stops the run before any row is used. Keep only the first line,
	 * for delimiter detection. Each byte is looked at once, however
	 * long the first line (a file of lone CRs read as LF would be all
	 * one line). */
	while ((rc = decode(&r->dc, &all, path, r->encoding, r->auto_mode, d)) > 0) {
		const char *fresh = all.buf + checked;
		size_t nfresh = all.len - checked;
		if (check_nul(r, fresh, nfresh, at, d) < 0)
			goto fail;
		track(&at, fresh, nfresh);
		if (first) {
			if (!memchr(fresh, '\n', nfresh) &&
			    !memchr(fresh, '\r', nfresh) && !r->dc.eof) {
				checked = all.len;
				continue; /* keep gathering the header line */
			}
			r->delim = o && o->delimiter ? o->delimiter :
				   detect_delim(all.buf, all.len);
			first = 0;
		}
		checked = 0;
		sbuf_reset(&all);
	}
	if (rc < 0)
		goto fail;
	if (first)
		r->delim = o && o->delimiter ? o->delimiter :
			   detect_delim(all.buf, all.len);
	if (r->dc.consumed == r->bom_len && all.len == 0) {
		diag_error(d, (struct diag_loc){ path, 0, 0 }, "the file is empty");
		goto fail;
	}
	sbuf_release(&all);
	sniff_verdict(r, d);
	if (rewind_decoder(r) < 0) {
		diag_error(d, (struct diag_loc){ path, 0, 0 }, "cannot read: %s",
			   strerror(errno));
		goto fail;
	}
	r->at = (struct pos)POS_START;
	csv_start(r);
	return r;
fail:
	sbuf_release(&all);
	roster_close(r);
	return NULL;
}

/* Feed one physical line (with its line end, if any) to libcsv, in segments
 * that end at each delimiter or line-break byte: a field can only end on
 * such a byte, so after each segment we know where the next field starts. */
static int feed_line(struct roster_reader *r, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		size_t before_fields = r->cur.n;
		size_t before_rows = r->qlen;
		while (j < n && s[j] != r->delim && s[j] != '\n' && s[j] != '\r')
			j++;
		if (j < n)
			j++; /* include the delimiter or break */
		/* A segment that is only a line break after a finished row
		 * (the LF of CRLF, a blank line) starts no field. */
		if (!r->field_open &&
		    !(r->cur.n == 0 && (s[i] == '\n' || s[i] == '\r'))) {
			/* libcsv skips blanks before a field and its
			 * opening quote: the value starts after them. */
			size_t k = i;
			while (k < j && (s[k] == ' ' || (s[k] == '\t' && r->delim != '\t')))
				k++;
			r->field_open = 1;
			r->field_line = r->at.line;
			r->field_col = r->at.col;
			r->field_quoted = k < j && s[k] == '"';
			r->field_vcol = r->at.col + (long)(k - i) + r->field_quoted;
		}
		r->seg = s + i;
		r->seg_n = j - i;
		if (csv_parse(&r->csv, s + i, j - i, on_field, on_row, r) != j - i) {
			r->seg = NULL;
			return -1;
		}
		r->seg = NULL;
		track(&r->at, s + i, j - i);
		/* After a field or row ended inside this segment, the next
		 * field starts at the next byte. */
		if (r->cur.n != before_fields || r->qlen != before_rows)
			r->field_open = 0;
		i = j;
	}
	return 0;
}

/* Recover from a libcsv parse error: report it, drop the row, and start
 * afresh at the next line. */
static void parse_error(struct roster_reader *r, long line, long col)
{
	diag_error(r->d, (struct diag_loc){ r->path, line, col },
		   "malformed quoted field (a quote must open the field, be "
		   "doubled inside it, and be followed by a delimiter or the "
		   "end of the line)");
	csv_free(&r->csv);
	csv_start(r);
	r->cur.bad = 1;
	r->cur.end_line = r->at.line;
	r->cur.end_col = r->at.col;
	if (r->cur.n == 0 || r->cur.line == 0)
		r->cur.line = r->field_line;
	ALLOC_GROW(r->queue, r->qhead + r->qlen + 1, r->qalloc);
	r->queue[r->qhead + r->qlen++] = r->cur;
	memset(&r->cur, 0, sizeof(r->cur));
	r->field_open = 0;
}

static int fill_queue(struct roster_reader *r, struct diag *d)
{
	r->d = d;
	while (r->qlen == 0) {
		const char *p = r->text.buf + r->text_pos;
		size_t avail = r->text.len - r->text_pos;
		size_t k = r->text_scan, n = 0;

		/* The next line end: LF, CRLF or a lone CR. The search goes
		 * on where the last one stopped, so that a long line is
		 * scanned once. A CR last in the text waits for the next
		 * character: it may be the CR of a CRLF. */
		while (k < avail && p[k] != '\n' && p[k] != '\r')
			k++;
		r->text_scan = k;
		if (k < avail) {
			if (p[k] == '\n')
				n = k + 1;
			else if (k + 1 < avail)
				n = k + 1 + (p[k + 1] == '\n');
			else if (r->text_eof)
				n = k + 1;
		}
		if (!n && !r->text_eof) {
			int rc;
			/* Drop consumed text, then decode more. What is kept
			 * is moved once: text_pos is 0 until the line ends. */
			if (r->text_pos) {
				memmove(r->text.buf, p, avail);
				sbuf_setlen(&r->text, avail);
				r->text_pos = 0;
			}
			rc = decode(&r->dc, &r->text, r->path, r->encoding,
				    r->auto_mode, d);
			if (rc < 0)
				return -1;
			if (rc == 0)
				r->text_eof = 1;
			continue;
		}
		if (!n)
			n = avail;
		if (n) {
			struct pos next = r->at;
			/* Where the next line starts, should libcsv reject
			 * this one. */
			track(&next, p, n);
			if (feed_line(r, p, n) < 0) {
				/* feed_line stops before tracking the segment
				 * libcsv rejected: r->at is its start. */
				parse_error(r, r->at.line, r->at.col);
				r->at = next;
			}
			r->text_pos += n;
			r->text_scan = 0;
			continue;
		}
		/* End of text: finish the last row. */
		if (r->csv_live) {
			r->csv_live = 0;
			if (csv_fini(&r->csv, on_field, on_row, r) != 0) {
				diag_error(d, (struct diag_loc){ r->path,
					   r->field_line, r->field_col },
					   "quoted field is not closed before "
					   "the end of the file");
				r->cur.bad = 1;
				if (r->cur.line == 0)
					r->cur.line = r->field_line;
				r->cur.end_line = r->at.line;
				r->cur.end_col = r->at.col;
				ALLOC_GROW(r->queue, r->qhead + r->qlen + 1, r->qalloc);
				r->queue[r->qhead + r->qlen++] = r->cur;
				memset(&r->cur, 0, sizeof(r->cur));
			}
			csv_free(&r->csv);
			continue;
		}
		return 0;
	}
	return 1;
}

int roster_next(roster_reader *r, struct roster_row *row, struct diag *d)
{
	int rc;
	roster_row_release(row);
	rc = fill_queue(r, d);
	if (rc <= 0)
		return rc;
	*row = r->queue[r->qhead];
	r->qhead++;
	r->qlen--;
	if (r->qlen == 0)
		r->qhead = 0;
	return 1;
}

int roster_delimiter(const roster_reader *r) { return r->delim; }
const char *roster_encoding(const roster_reader *r) { return r->encoding; }
const char *roster_path(const roster_reader *r) { return r->path; }

void roster_close(roster_reader *r)
{
	size_t i;
	if (!r)
		return;
	if (r->csv_live)
		csv_free(&r->csv);
	for (i = 0; i < r->qlen; i++)
		roster_row_release(&r->queue[r->qhead + i]);
	free(r->queue);
	roster_row_release(&r->cur);
	close_decoder(&r->dc);
	if (r->dc.fp)
		fclose(r->dc.fp);
	sbuf_release(&r->text);
	free(r->encoding);
	free(r->path);
	free(r);
}
