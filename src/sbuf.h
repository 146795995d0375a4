/* sbuf.h: a growable byte string.
 *
 * Invariant: buf is never NULL and is always NUL-terminated at len; a fresh
 * sbuf (SBUF_INIT) points at a shared static "" until something is added. */
#ifndef DOSSIER_SBUF_H
#define DOSSIER_SBUF_H

#include <stdarg.h>
#include <stddef.h>

struct sbuf {
	char *buf;
	size_t len, cap;
};

extern char sbuf_empty[];
#define SBUF_INIT { sbuf_empty, 0, 0 }

void sbuf_init(struct sbuf *sb);
void sbuf_grow(struct sbuf *sb, size_t extra);
void sbuf_add(struct sbuf *sb, const void *data, size_t n);
void sbuf_addstr(struct sbuf *sb, const char *s);
void sbuf_addch(struct sbuf *sb, int c);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap);
void sbuf_setlen(struct sbuf *sb, size_t len);
#define sbuf_reset(sb) sbuf_setlen((sb), 0)
/* Hand the buffer to the caller, who frees it; sb is left empty. */
char *sbuf_detach(struct sbuf *sb, size_t *len);
void sbuf_release(struct sbuf *sb);

#endif
