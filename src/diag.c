/* diag.c: the diagnostics list of diag.h. */
#include "diag.h"
#include "sbuf.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Escape bytes that a terminal would act on: C0 controls and DEL. */
static void add_scrubbed(struct sbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7F)
			sbuf_addf(sb, "\\x%02X", c);
		else
			sbuf_addch(sb, c);
	}
}

void diag_vadd(struct diag *d, enum diag_level level, struct diag_loc at,
	       const char *fmt, va_list ap)
{
	struct sbuf raw = SBUF_INIT, clean = SBUF_INIT;
	struct diag_entry *e;

	if (level == DIAG_ERROR)
		d->nerrors++;
	else if (level == DIAG_WARNING)
		d->nwarnings++;
	if (d->max_kept && d->n >= d->max_kept) {
		d->ndropped++;
		return;
	}
	sbuf_vaddf(&raw, fmt, ap);
	add_scrubbed(&clean, raw.buf);
	sbuf_release(&raw);

	ALLOC_GROW(d->v, d->n + 1, d->alloc);
	e = &d->v[d->n++];
	e->level = level;
	e->file = at.file ? xstrdup(at.file) : NULL;
	e->line = at.line;
	e->col = at.col;
	e->msg = sbuf_detach(&clean, NULL);
}

int diag_error(struct diag *d, struct diag_loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, DIAG_ERROR, at, fmt, ap);
	va_end(ap);
	return -1;
}

void diag_warning(struct diag *d, struct diag_loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, DIAG_WARNING, at, fmt, ap);
	va_end(ap);
}

void diag_note(struct diag *d, struct diag_loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, DIAG_NOTE, at, fmt, ap);
	va_end(ap);
}

static const char *level_name(enum diag_level l)
{
	switch (l) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	case DIAG_NOTE:
		return "note";
	}
	return "?";
}

size_t diag_print(const struct diag *d, FILE *fp)
{
	size_t i, lines = 0;
	for (i = 0; i < d->n; i++) {
		const struct diag_entry *e = &d->v[i];
		if (e->file) {
			fputs(e->file, fp);
			if (e->line > 0) {
				fprintf(fp, ":%ld", e->line);
				if (e->col > 0)
					fprintf(fp, ":%ld", e->col);
			}
			fputs(": ", fp);
		} else {
			fputs("dossier: ", fp);
		}
		fprintf(fp, "%s: %s\n", level_name(e->level), e->msg);
		lines++;
	}
	if (d->ndropped) {
		fprintf(fp, "dossier: note: %zu more diagnostic%s not shown\n",
			d->ndropped, d->ndropped == 1 ? "" : "s");
		lines++;
	}
	return lines;
}

void diag_move(struct diag *dst, struct diag *src)
{
	size_t i;
	for (i = 0; i < src->n; i++) {
		if (dst->max_kept && dst->n >= dst->max_kept) {
			dst->ndropped++;
			free(src->v[i].file);
			free(src->v[i].msg);
			continue;
		}
		ALLOC_GROW(dst->v, dst->n + 1, dst->alloc);
		dst->v[dst->n++] = src->v[i];
	}
	dst->nerrors += src->nerrors;
	dst->nwarnings += src->nwarnings;
	dst->ndropped += src->ndropped;
	src->n = 0;
	src->nerrors = src->nwarnings = src->ndropped = 0;
}

void diag_clear(struct diag *d)
{
	size_t i;
	for (i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	d->n = 0;
	d->nerrors = d->nwarnings = d->ndropped = 0;
}

void diag_release(struct diag *d)
{
	diag_clear(d);
	free(d->v);
	d->v = NULL;
	d->alloc = 0;
}

const char *diag_quote(const char *s, size_t max)
{
	static _Thread_local char slots[2][512];
	static _Thread_local int which;
	char *out = slots[which];
	size_t o = 0, count = 0;
	const unsigned char *p = (const unsigned char *)s;

	which ^= 1;
	while (*p && o + 8 < sizeof(slots[0])) {
		uint32_t cp;
		int k = utf8_decode(p, strlen((const char *)p), &cp);
		if (count == max) {
			memcpy(out + o, "\xE2\x80\xA6", 3); /* … */
			o += 3;
			break;
		}
		if (k == 0) {
			o += (size_t)snprintf(out + o, 8, "\\x%02X", *p);
			p++;
		} else if (cp < 0x20 || cp == 0x7F) {
			o += (size_t)snprintf(out + o, 8, "\\x%02X", (unsigned)cp);
			p++;
		} else {
			memcpy(out + o, p, (size_t)k);
			o += (size_t)k;
			p += k;
		}
		count++;
	}
	out[o] = '\0';
	return out;
}
